//! Secrets are never printed in full. A key is shown as its well-known prefix plus a short
//! SHA-256 of its exact bytes: `sk-ant-api03-… sha256:1a2b3c4d`. The same hash form is what an
//! `api_key_hash` log field is matched against.

use sha2::{Digest, Sha256};

/// `sha256:` and the first 8 hex digits of the SHA-256 of `secret`'s bytes.
pub fn short_hash(secret: &[u8]) -> String {
    let digest = Sha256::digest(secret);
    let mut out = String::from("sha256:");
    for byte in &digest[..4] {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// The part of a key that is safe to show: a known scheme prefix such as `sk-ant-api03-`,
/// otherwise nothing for short values and at most four characters for long ones.
pub fn safe_prefix(secret: &str) -> &str {
    if let Some(rest) = secret.strip_prefix("sk-ant-") {
        // sk-ant-<kind><nn>- : keep through the dash that ends the kind.
        if let Some(dash) = rest.find('-') {
            if dash <= 10 {
                return &secret[..7 + dash + 1];
            }
        }
        return &secret[..7];
    }
    if secret.starts_with("sk-") {
        return &secret[..3];
    }
    let chars = secret.chars().count();
    if chars < 16 {
        return "";
    }
    let end = secret.char_indices().nth(4).map_or(secret.len(), |(i, _)| i);
    &secret[..end]
}

/// `sk-ant-api03-… sha256:1a2b3c4d`: what every output shows in place of a key.
pub fn redact_secret(secret: &str) -> String {
    format!("{}… {}", safe_prefix(secret), short_hash(secret.as_bytes()))
}

/// Redacts a credential header value, keeping the scheme word so its spelling can be discussed
/// (`bearer sk-ant-… sha256:…`). Values without a scheme are redacted whole.
pub fn redact_credential_header(value: &str) -> String {
    let trimmed = value.trim_start();
    if let Some(space) = trimmed.find([' ', '\t']) {
        let scheme = &trimmed[..space];
        if scheme.eq_ignore_ascii_case("bearer")
            || scheme.eq_ignore_ascii_case("basic")
            || scheme.eq_ignore_ascii_case("apikey")
        {
            let token = trimmed[space..].trim();
            return format!("{scheme} {}", redact_secret(token));
        }
    }
    redact_secret(value)
}

/// Header names whose values are credentials.
pub fn is_credential_header(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "authorization" | "x-api-key" | "proxy-authorization" | "api-key" | "x-goog-api-key" | "cookie"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdefghijklmnop-QRSTUVWX";

    #[test]
    fn anthropic_key_shows_prefix_and_hash_only() {
        let shown = redact_secret(KEY);
        assert!(shown.starts_with("sk-ant-api03-… sha256:"), "{shown}");
        assert!(!shown.contains("AbCdEf"));
        assert_eq!(shown.len(), "sk-ant-api03-… sha256:".len() + 8);
    }

    #[test]
    fn hash_is_stable_and_of_exact_bytes() {
        assert_eq!(short_hash(b"abc"), "sha256:ba7816bf");
        assert_ne!(short_hash(KEY.as_bytes()), short_hash(format!("{KEY}\n").as_bytes()));
    }

    #[test]
    fn short_or_unknown_secrets_show_no_prefix() {
        assert!(redact_secret("hunter2").starts_with("… sha256:"));
        assert!(redact_secret("0123456789abcdefXYZ").starts_with("0123… "));
        // multibyte characters never split
        let shown = redact_secret("ééééééééééééééééééé");
        assert!(shown.starts_with("éééé… "));
    }

    #[test]
    fn header_keeps_scheme_spelling() {
        let shown = redact_credential_header(&format!("bearer {KEY}"));
        assert!(shown.starts_with("bearer sk-ant-api03-… sha256:"), "{shown}");
        assert!(!shown.contains("AbCd"));
    }
}
