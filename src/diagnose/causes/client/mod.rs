//! The request itself (layer 2, validation): the Authorization header, the `messages` array,
//! the model ID. What the three share: claims over the message groups of a status, from the
//! answer's wording and from the lint of the group's sampled requests.

pub mod auth_header;
pub mod messages;
pub mod model_id;

use super::reading::{shorten, Facts};
use super::{Assessment, Claim, Item, Kind, Strength, Unit};
use crate::diagnose::model::Confidence;

/// The confidence a claim of this strength carries.
pub fn confidence(strength: Strength) -> Confidence {
    match strength {
        Strength::Decisive | Strength::Strong => Confidence::High,
        Strength::Moderate => Confidence::Medium,
        Strength::Weak => Confidence::Low,
    }
}

/// The trace line of the lint of one status's sampled requests (the same line from every
/// detector that reads it, so the layer shows it once).
pub fn linted_line(f: &Facts<'_>, status: u16) -> Option<String> {
    let groups = f.message_groups(status);
    if groups.is_empty() {
        return None;
    }
    let linted: usize = groups.iter().map(|(m, _)| f.message_samples(status, m).len()).sum();
    Some(format!("linted {linted} sampled {status} requests (grouped by error message)"))
}

/// The claims of `cause` over the message groups of `status`: a group whose answer matches one
/// of the cause's signatures, or whose sampled requests lint points to the cause.
pub fn message_group_claims(f: &Facts<'_>, a: &mut Assessment, cause: &str, status: u16) {
    for (message, count) in f.message_groups(status) {
        let samples = f.message_samples(status, message);
        let mut claim = Claim::new(Unit::Message(message.to_string()), Confidence::High);
        if let Some(sig) = f.signature(message, cause) {
            claim.evidence.push(wording(status, count, sig, message));
        }
        if let Some(vote) = f.lint_vote(&samples).filter(|v| v.cause == cause) {
            let codes = vote.codes.join(", ");
            claim.evidence.push(Item::tallied(
                Kind::Lint,
                Strength::Strong,
                status,
                count,
                format!("lint {status} {codes}"),
                format!("whose sampled requests lint flags {codes} (e.g. \"{}\")", shorten(message)),
            ));
        }
        if claim.evidence.is_empty() {
            continue;
        }
        claim.confidence = confidence(claim.strength());
        claim.add(status, count);
        claim.span(f.span_of(&[status]));
        claim.samples = f.ids(samples);
        a.claims.push(claim);
    }
}

/// The evidence of a message group whose answer matches `sig`: one sentence per signature and
/// status in the report, the groups' counts summed.
pub fn wording(status: u16, count: u64, sig: &crate::knowledge::Signature, message: &str) -> Item {
    Item::tallied(
        Kind::ApiWording,
        sig.def.strength,
        status,
        count,
        format!("wording {status} {}", sig.def.id),
        format!("answered with {} `{}` message (e.g. \"{}\")", article(&sig.def.id), sig.def.id, shorten(message)),
    )
}

/// "an" before a vowel ("an `anthropic.overloaded` message"), else "a".
fn article(word: &str) -> &'static str {
    if word.starts_with(|c: char| "aeiouAEIOU".contains(c)) {
        "an"
    } else {
        "a"
    }
}

/// Whether lint had anything to read: the records carry headers or bodies.
pub fn lintable(f: &Facts<'_>) -> bool {
    f.s.has_field("headers") || f.s.has_field("body")
}

#[cfg(test)]
mod wording_tests {
    use super::article;

    #[test]
    fn the_article_before_a_signature_is_an_before_a_vowel() {
        assert_eq!(article("anthropic.overloaded"), "an");
        assert_eq!(article("openai.rate_limit"), "an");
        assert_eq!(article("litellm.timeout"), "a");
        assert_eq!(article("gateway.busy"), "a");
    }
}
