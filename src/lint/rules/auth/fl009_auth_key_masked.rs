//! FL009 auth-key-masked: the key was masked by whoever logged the request (`sk-ant-api03-S…`,
//! `sk-a****abcd`, `[REDACTED]`, a hash): its bytes cannot be checked.

use crate::lint::{Family, Finding, FixAvailability, RuleMeta, Severity, Subject};
use crate::redact::MaskForm;

pub static FL009: RuleMeta = RuleMeta {
    code: "FL009",
    name: "auth-key-masked",
    family: Family::Auth,
    severity: Severity::Info,
    fix: FixAvailability::None,
    summary: "The key is masked (`…`, `****`, `[REDACTED]`, a hash): masked, cannot check",
    explanation: "\
## What it means
Gateways and loggers never write a full key: they keep a prefix and cut the rest
(`sk-ant-api03-S…`, `sk-ant-api03-Sx7Qe...`), keep the first and last four characters
(LiteLLM's `sk-a****abcd`), replace the key characters (`sk-ant-api03-********`) or the whole
value (`[REDACTED]`, `<redacted>`), or log a hash. The key's length and characters are then the
logger's, not the client's: they are not checked, and nothing is reported about them.

What the mask leaves as sent is still checked: a line break, a space or an invisible character
next to the mask (FL001-FL003), a lowercase `bearer` or a missing space after it (FL004, FL005).

## When it is a real problem
If this capture was not written by a logger, the key was copied from a display that shortens
it (consoles show `sk-ant-api03-S…`): copy the full key instead.",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(credentials) = s.credentials() else { return };
    for key in credentials.keys.iter().filter(|k| !k.empty) {
        let Some(m) = &key.masked else { continue };
        let what = match m.form {
            MaskForm::Redacted => format!("`{}`", key.value[m.range.clone()].trim()),
            form => form.describe().to_string(),
        };
        out.push(
            Finding::new(
                &FL009,
                key.part,
                key.target(key.shift(&m.range)),
                format!("the key in `{}` is masked ({what}): masked, cannot check its bytes", key.header),
            )
            .help("lint the request before the logger masks it to check the key itself"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;
    use crate::lint::Severity;

    #[test]
    fn a_masked_key_is_one_info_finding() {
        for masked in ["sk-ant-api03-S…", "sk-a****xyAA", "sk-ant-api03-********", "[REDACTED]", "sha256:1a2b3c4d"] {
            let findings = native(&[("x-api-key", masked)], BODY);
            assert_eq!(codes(&findings), ["FL009"], "{masked}");
            assert_eq!(findings[0].severity, Severity::Info);
        }
        assert_eq!(with_auth("Bearer sk-ant-api03-S…"), ["FL009"]);
        assert!(with_key(KEY).is_empty());
    }

    #[test]
    fn defects_that_survive_the_mask_still_count() {
        assert_eq!(with_key("sk-a****xyAA\n"), ["FL001", "FL009"]);
        assert_eq!(with_key("sk-a****xyAA "), ["FL002", "FL009"]);
        assert_eq!(with_auth("bearer sk-ant-api03-S…"), ["FL004", "FL009"]);
        assert_eq!(with_auth("Bearersk-a****xyAA"), ["FL005", "FL009"]);
    }

    #[test]
    fn the_message_never_shows_key_characters() {
        for f in native(&[("x-api-key", "sk-a****xyAA")], BODY) {
            assert!(!f.message.contains("xyAA") && !f.message.contains("sk-a"), "{}", f.message);
        }
    }
}
