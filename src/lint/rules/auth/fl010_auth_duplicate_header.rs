//! FL010 auth-duplicate-header: a credential header (`x-api-key` or `Authorization`) sent more
//! than once.

use crate::capture::request::Target;
use crate::lint::{Family, Finding, FixAvailability, Part, RuleMeta, Severity, Subject};
use crate::redact::redact_secret;

pub static FL010: RuleMeta = RuleMeta {
    code: "FL010",
    name: "auth-duplicate-header",
    family: Family::Auth,
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "A credential header (`x-api-key` or `Authorization`) is sent more than once",
    explanation: "\
## Why it fails
A request carries one credential. With two `x-api-key` (or two `Authorization`) headers, which
one counts is up to each hop: a proxy may keep the first, the last, or join them into one value
with `, ` (RFC 9110 §5.3, which allows combining repeated fields), and a joined value is never a
valid key: the API answers 401 `invalid x-api-key`. It usually comes from a client that sets the
header itself while its HTTP library or a middleware adds it again.

## Fix
Send the header once: set it in one place (the SDK's `api_key`, or a default header, not both).",
    check: Some(check),
};

fn check(s: &Subject<'_>, out: &mut Vec<Finding>) {
    if s.credentials().is_none() {
        return;
    }
    for (name, shown, part) in [("x-api-key", "x-api-key", 0), ("authorization", "Authorization", 1)] {
        let sent: Vec<(usize, &str)> = s
            .request
            .headers
            .iter()
            .enumerate()
            .filter(|(_, (n, _))| n.eq_ignore_ascii_case(name))
            .map(|(i, (_, v))| (i, *v))
            .collect();
        let Some(((_, first), rest)) = sent.split_first() else { continue };
        for (index, value) in rest {
            let same = if value.trim() == first.trim() { "the same value" } else { "another value" };
            out.push(
                Finding::new(
                    &FL010,
                    Part::Credential(part),
                    Target::Header { index: *index, range: None },
                    format!("`{shown}` is sent {} times; this one ({}) carries {same}", sent.len(), redact_secret(value.trim())),
                )
                .help(format!("send `{shown}` once: a proxy may join repeated headers with `, `, which no key matches")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;

    #[test]
    fn a_second_x_api_key_is_flagged_and_its_key_checked() {
        let other = format!("{KEY}\n");
        let f = native(&[("x-api-key", KEY), ("x-api-key", &other)], BODY);
        let c = codes(&f);
        assert!(c.contains(&"FL010"), "{c:?}");
        // The duplicate's own defect (a trailing line break) is found too: every copy is checked.
        assert!(c.contains(&"FL001"), "{c:?}");
        let shown = f.iter().map(|x| x.message.clone()).collect::<Vec<_>>().join("\n");
        assert!(!shown.contains(&KEY[14..]), "{shown}");
    }

    #[test]
    fn one_header_of_each_kind_is_not_a_duplicate() {
        let one = codes(&native(&[("x-api-key", KEY)], BODY));
        assert!(!one.contains(&"FL010"), "{one:?}");
        let both = codes(&native(&[("x-api-key", KEY), ("authorization", &format!("Bearer {KEY}"))], BODY));
        assert!(!both.contains(&"FL010"), "{both:?}");
    }

    #[test]
    fn two_authorization_headers_are_flagged() {
        let bearer = format!("Bearer {KEY}");
        let f = codes(&native(&[("authorization", &bearer), ("Authorization", &bearer)], BODY));
        assert!(f.contains(&"FL010"), "{f:?}");
    }
}
