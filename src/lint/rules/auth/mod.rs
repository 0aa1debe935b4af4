//! FL0xx: the credential header (`Authorization: Bearer …` or `x-api-key`).
//! The Elasticsearch study (docs/sources.md): 62.1 % of client-side errors; hidden line breaks (38.4 %) and lowercase
//! `bearer` (27.6 %) lead.
//!
//! The family's view, `Credentials`: both credential headers looked up once, the
//! `Authorization` scheme parsed once, and each key value (the `x-api-key` value, the token
//! after the scheme) measured once for every rule that checks keys.

use std::ops::Range;

use crate::capture::request::{Edit, Fix, Provider, Target};
use crate::lint::text::is_invisible;
use crate::lint::{Part, Subject};
use crate::redact::{masked_credential, redact_secret, Masked};

family! {
    fl007_auth_both_headers::FL007,
    fl004_auth_scheme_case::FL004,
    fl005_auth_scheme_spacing::FL005,
    fl006_auth_missing::FL006,
    fl001_auth_line_break::FL001,
    fl003_auth_invisible_character::FL003,
    fl002_auth_whitespace::FL002,
    fl008_auth_key_malformed::FL008,
    fl009_auth_key_masked::FL009,
    fl010_auth_duplicate_header::FL010,
}

/// The credential headers of a request whose credentials the rules check (headers captured,
/// not a Bedrock or Vertex request: those sign with cloud credentials).
pub struct Credentials<'a> {
    /// `x-api-key`: its index and value.
    pub api_key: Option<(usize, &'a str)>,
    pub authorization: Option<Authorization<'a>>,
    /// The key values to check: `x-api-key`'s first, then the token of `Authorization`.
    pub keys: Vec<Key<'a>>,
}

/// The `Authorization` header, its scheme parsed.
pub struct Authorization<'a> {
    pub index: usize,
    pub value: &'a str,
    pub scheme: Scheme<'a>,
}

/// How an `Authorization` value starts. `lead` is the length of the spaces and tabs before it.
pub enum Scheme<'a> {
    /// One word starting with `bearer` (any case) with the key glued to it: `Bearersk-ant-…`.
    Glued { lead: usize, word: &'a str },
    /// One word that looks like a key, without a scheme.
    Bare { lead: usize },
    /// One word that is neither.
    Word,
    /// `Bearer`, or a misspelling of it, then the separator before the token (header bytes).
    Bearer { lead: usize, word: &'a str, misspelled: bool, separator: Range<usize> },
    /// Another scheme (Basic, AWS signatures): not this linter's business, its token is not checked.
    Other,
}

/// One key value to check.
pub struct Key<'a> {
    /// The header's index in the request.
    pub index: usize,
    /// The header as messages name it: `x-api-key` or `Authorization`.
    pub header: &'static str,
    /// The key: the whole `x-api-key` value, or the part of `Authorization` after the scheme.
    pub value: &'a str,
    /// The offset of `value` within the header value.
    pub base: usize,
    pub part: Part,
    /// Nothing but space-like characters (FL006 says so; the other key rules skip it).
    pub empty: bool,
    /// Printable ASCII only: the common case, with nothing for FL001-FL003.
    pub plain: bool,
    /// `value` without the space-like characters around it.
    pub core: Range<usize>,
    /// The log masked the key (`redact::masked_credential`): the bytes in `masked.range` stand
    /// for key characters nobody can check; the rest of `value` is as sent.
    pub masked: Option<Masked>,
    /// The key as sent (`redact::sent_key` of the header value): what its hash is of.
    pub sent: &'a str,
}

impl<'a> Subject<'a> {
    /// The credential headers, when the credential rules apply.
    pub fn credentials(&self) -> Option<&Credentials<'a>> {
        self.auth.get_or_init(|| Credentials::of(self)).as_ref()
    }
}

impl<'a> Credentials<'a> {
    fn of(s: &Subject<'a>) -> Option<Credentials<'a>> {
        let req = s.request;
        if !req.headers_known || matches!(s.provider, Provider::Bedrock | Provider::Vertex) {
            return None;
        }
        let api_key = req.header("x-api-key");
        let authorization =
            req.header("authorization").map(|(index, value)| Authorization { index, value, scheme: Scheme::of(value) });
        let mut keys = Vec::new();
        // Every `x-api-key` sent is checked, not only the first (FL010 says it is repeated).
        let api_keys = req.headers.iter().enumerate().filter(|(_, (n, _))| n.eq_ignore_ascii_case("x-api-key"));
        for (index, (_, value)) in api_keys {
            keys.push(Key::new(index, "x-api-key", value, 0, Part::Credential(0), crate::redact::sent_key(value)));
        }
        if let Some(a) = &authorization {
            let token = match &a.scheme {
                Scheme::Glued { lead, .. } => Some(lead + 6),
                Scheme::Bare { .. } | Scheme::Word => Some(0),
                Scheme::Bearer { separator, .. } => Some(separator.end),
                Scheme::Other => None,
            };
            if let Some(base) = token {
                let sent = crate::redact::sent_key(a.value);
                keys.push(Key::new(a.index, "Authorization", &a.value[base..], base, Part::Credential(1), sent));
            }
        }
        Some(Credentials { api_key, authorization, keys })
    }
}

/// What can be glued to a scheme word by accident and hides from a reader: control characters
/// (NUL, LF, CR), invisible ones (ZWSP, NBSP, BOM) and the punctuation of `Bearer:` / `Bearer,`.
fn is_scheme_junk(c: char) -> bool {
    c.is_control() || is_invisible(c) || c == ':' || c == ','
}

impl<'a> Scheme<'a> {
    fn of(value: &'a str) -> Scheme<'a> {
        let lead = value.len() - value.trim_start_matches([' ', '\t']).len();
        // `Bearer` with hidden characters or punctuation between it and the key (`Bearer\u{200b} `,
        // `Bearer\u{a0}`, `Bearer\0`, `Bearer\n`, `Bearer:`, `Bearer,`), or before it (`\u{feff}Bearer`):
        // the scheme is still `Bearer`, and those characters are part of the separator (FL005).
        let junk_lead =
            value.len() - value.trim_start_matches(|c: char| c == ' ' || c == '\t' || is_scheme_junk(c)).len();
        let word_at = &value[junk_lead..];
        if word_at.get(..6).is_some_and(|w| w.eq_ignore_ascii_case("bearer")) {
            let after = &word_at[6..];
            let junk =
                after.len() - after.trim_start_matches(|c: char| c == ' ' || c == '\t' || is_scheme_junk(c)).len();
            let hidden = after[..junk].chars().any(is_scheme_junk);
            if hidden || junk_lead > lead {
                let word = &word_at[..6];
                let start = junk_lead + 6;
                return Scheme::Bearer {
                    lead: junk_lead,
                    word,
                    misspelled: word != "Bearer",
                    separator: start..start + junk,
                };
            }
        }
        let rest = &value[lead..];
        let word_end = rest.find([' ', '\t']).unwrap_or(rest.len());
        let word = &rest[..word_end];
        let lower = word.to_ascii_lowercase();
        if word_end == rest.len() {
            return if lower.starts_with("bearer") && word.len() > 6 {
                Scheme::Glued { lead, word }
            } else if !word.is_empty() && (word.starts_with("sk-") || word.len() >= 20) {
                Scheme::Bare { lead }
            } else {
                Scheme::Word
            };
        }
        let known_other = ["basic", "digest", "aws4-hmac-sha256", "negotiate", "token", "apikey"];
        let misspelled = word != "Bearer"
            && !known_other.contains(&lower.as_str())
            && word.chars().all(|c| c.is_ascii_alphabetic())
            && (lower == "bearer" || strsim::levenshtein(&lower, "bearer") <= 2);
        if !misspelled && word != "Bearer" && lower != "bearer" {
            return Scheme::Other;
        }
        let sep_start = lead + word_end;
        let sep_len = value[sep_start..].len() - value[sep_start..].trim_start_matches([' ', '\t']).len();
        Scheme::Bearer { lead, word, misspelled, separator: sep_start..sep_start + sep_len }
    }
}

impl<'a> Key<'a> {
    fn new(index: usize, header: &'static str, value: &'a str, base: usize, part: Part, sent: &'a str) -> Key<'a> {
        let start = value.len() - value.trim_start_matches(is_space_like).len();
        let end = value.trim_end_matches(is_space_like).len();
        Key {
            index,
            header,
            value,
            base,
            part,
            empty: value.trim_matches(is_space_like).is_empty(),
            plain: value.bytes().all(|b| b.is_ascii_graphic()),
            core: start..end.max(start),
            masked: masked_credential(value),
            sent,
        }
    }

    /// Whether this range of `value` lies inside the masked part.
    pub fn in_mask(&self, r: &Range<usize>) -> bool {
        self.masked.as_ref().is_some_and(|m| r.start >= m.range.start && r.end <= m.range.end)
    }

    /// A range of `value` as a range of the header value.
    pub fn shift(&self, r: &Range<usize>) -> Range<usize> {
        r.start + self.base..r.end + self.base
    }

    /// Bytes of the header value.
    pub fn target(&self, range: Range<usize>) -> Target {
        Target::Header { index: self.index, range: Some(range) }
    }

    /// The key as messages show it (redacted), built only when there is something to report:
    /// the hash is of the key as sent (`redact::sent_key`), hidden characters included, the one
    /// form a logged key hash, a sample and `--diff` show too.
    pub fn shown(&self) -> String {
        redact_secret(self.sent)
    }
}

/// Whitespace and invisible characters: what surrounds a key that was pasted carelessly.
pub fn is_space_like(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n') || is_invisible(c)
}

/// A safe fix deleting these bytes of header `index`.
pub fn delete_all(index: usize, ranges: &[Range<usize>], message: &str) -> Fix {
    Fix {
        message: message.into(),
        safe: true,
        edits: ranges.iter().map(|r| Edit::Header { index, range: r.clone(), replacement: String::new() }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::*;
    use crate::lint::Request;

    #[test]
    fn no_message_contains_the_key() {
        for value in [
            format!("{KEY}\n"),
            format!(" {KEY}\u{a0}"),
            format!("\"{KEY}\""),
            format!("sk-ant-api03-\u{200b}{}", &KEY[13..]),
        ] {
            for f in native(&[("x-api-key", &value)], BODY) {
                assert!(!f.message.contains(&KEY[13..30]), "{}", f.message);
                assert!(f.message.contains("sha256:"), "{}", f.message);
            }
        }
        for f in native(&[("authorization", &format!("bearer {KEY}\n"))], BODY) {
            assert!(!f.message.contains(&KEY[13..30]), "{}", f.message);
        }
    }

    #[test]
    fn findings_follow_the_family_steps_x_api_key_first() {
        // Both headers, `Authorization` first in the request: FL007, then x-api-key's key
        // (FL003 before FL002), then Authorization's scheme and key.
        let auth = format!("bearer {KEY}\n");
        let key = format!("\u{200b}{KEY} ");
        let req = Request {
            url: Some("https://api.anthropic.com/v1/messages"),
            headers: vec![
                ("authorization", &auth),
                ("x-api-key", &key),
                ("anthropic-version", "2023-06-01"),
                ("content-type", "application/json"),
            ],
            headers_known: true,
            headers_complete: true,
            body: Some(BODY),
        };
        assert_eq!(codes(&check(&req)), ["FL007", "FL003", "FL002", "FL004", "FL001"]);
    }
}
