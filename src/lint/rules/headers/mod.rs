//! FL4xx: headers other than the credential.
//!
//! What the family shares: which requests its rules apply to. The header lookups themselves
//! are one scan of a short list each.

use crate::capture::request::Provider;
use crate::lint::Subject;

family! {
    fl401_anthropic_version_missing::FL401,
    fl402_anthropic_version_unknown::FL402,
    fl403_content_type_not_json::FL403,
    fl404_anthropic_beta_syntax::FL404,
}

/// Headers were captured and the request goes to the Claude API: the `anthropic-*` headers
/// apply.
pub fn native(s: &Subject<'_>) -> bool {
    s.request.headers_known && s.provider == Provider::Anthropic
}

/// `send \`<recommended>\`` and, when newer, `or \`<latest>\``: from rules/api.toml.
pub fn version_advice(k: &crate::knowledge::ApiFacts) -> String {
    match k.anthropic_versions.iter().max() {
        Some(latest) if *latest > k.recommended_version => format!("send `{}` or `{latest}`", k.recommended_version),
        _ => format!("send `{}`", k.recommended_version),
    }
}
