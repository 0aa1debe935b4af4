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

/// Byte ranges of key-shaped tokens in free text (error messages, logged lines), ascending:
/// - `sk-` followed by at least 9 of `[A-Za-z0-9_-]` (Anthropic and other `sk-` keys, whatever
///   letters-only or digits-only segments they hold);
/// - a run of `[A-Za-z0-9_+/=]` (base64 and base62 alphabets; `-` and `.` end a run, so model
///   IDs, dates, UUIDs and host names stay readable) of at least 20 characters holding a letter
///   and a digit, or of at least 24 holding upper- and lower-case letters (a run of one case
///   only is a word, however long).
pub fn key_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let is_key_byte = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    let is_run_byte = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'+' | b'/' | b'=');
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"sk-") && (i == 0 || !is_key_byte(b[i - 1])) {
            let end = b[i..].iter().position(|c| !is_key_byte(*c)).map_or(b.len(), |n| i + n);
            if end - i >= 12 {
                out.push(i..end);
                i = end;
                continue;
            }
        }
        if !is_run_byte(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let (mut digit, mut lower, mut upper) = (false, false, false);
        while i < b.len() && is_run_byte(b[i]) && !b[i..].starts_with(b"sk-") {
            digit |= b[i].is_ascii_digit();
            lower |= b[i].is_ascii_lowercase();
            upper |= b[i].is_ascii_uppercase();
            i += 1;
        }
        let len = i - start;
        if (len >= 20 && digit && (lower || upper)) || (len >= 24 && lower && upper && !words(&b[start..i])) {
            out.push(start..i);
        }
        if i == start {
            i += 1;
        }
    }
    out
}

/// Whether a run of letters is CamelCase words joined by `/` (`Elasticsearch/OpenSearch`): each
/// part an optional capital and at least three lower-case letters. Random key characters almost
/// never are.
fn words(run: &[u8]) -> bool {
    run.split(|c| *c == b'/').all(|segment| {
        let mut parts = 0;
        let mut i = 0;
        while i < segment.len() {
            let start = i;
            if segment[i].is_ascii_uppercase() {
                i += 1;
            }
            let lower_start = i;
            while i < segment.len() && segment[i].is_ascii_lowercase() {
                i += 1;
            }
            if i - lower_start < 3 || (i == start) {
                return false;
            }
            parts += 1;
        }
        parts > 0
    })
}

/// Free text with every [`key_ranges`] token replaced by its [`redact_secret`] form: what the
/// diagnosis report and the walk show of logged messages. A token that is all safe prefix (the
/// `sk-ant-api03-` of a form already redacted) is left as it is, so masking twice changes nothing.
pub fn mask_keys_in_text(text: &str) -> std::borrow::Cow<'_, str> {
    replace_key_ranges(text, |token| {
        if safe_prefix(token).len() == token.len() {
            token.to_string()
        } else {
            redact_secret(token)
        }
    })
}

/// Free text with every [`key_ranges`] token replaced by `with(token)`.
pub fn replace_key_ranges(text: &str, with: impl Fn(&str) -> String) -> std::borrow::Cow<'_, str> {
    let ranges = key_ranges(text);
    if ranges.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in ranges {
        out.push_str(text.get(at..r.start).unwrap_or_default());
        out.push_str(&with(text.get(r.clone()).unwrap_or_default()));
        at = r.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    std::borrow::Cow::Owned(out)
}

/// A logged key hash as shown: a hash as it is; anything that looks like key material (an
/// `sk-` key, or a value too long to be a short hash) redacted.
pub fn show_key_hash(hash: &str) -> String {
    if hash.starts_with("sk-") || hash.len() > 40 || !key_ranges(hash).is_empty() {
        redact_secret(hash)
    } else {
        hash.to_string()
    }
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
    fn masking_a_masked_text_changes_nothing() {
        let once = mask_keys_in_text(&format!("both {KEY} and {}", redact_secret(KEY))).into_owned();
        assert_eq!(once, format!("both {} and {}", redact_secret(KEY), redact_secret(KEY)));
        assert_eq!(mask_keys_in_text(&once), once);
    }

    #[test]
    fn keys_in_free_text_are_masked_and_ordinary_words_are_not() {
        let letters_only = "sk-ant-api03-abcdefghijklmnopqrstuvwxyzabcdef-ghijklmnop";
        let text = format!("invalid x-api-key {letters_only} for org; also {KEY}.");
        let shown = mask_keys_in_text(&text);
        assert!(!shown.contains("abcdefghijklmnop") && !shown.contains("AbCdEf"), "{shown}");
        assert!(shown.contains("sk-ant-api03-… sha256:") && shown.ends_with('.'), "{shown}");
        for opaque in
            ["Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==", "AbCdEfGhIjKlMnOpQrStUvWx", "0123456789abcdef0123456789abcdef"]
        {
            let text = format!("token {opaque} rejected");
            let shown = mask_keys_in_text(&text);
            assert!(!shown.contains(opaque), "{shown}");
        }
        for plain in [
            "model: claude-sonnet-4-5-20250929 not found",
            "internationalization failed at 2025-03-01T12:00:00Z",
            "request 123e4567-e89b-12d3-a456-426614174000 to api.anthropic.com/v1/messages",
            "no key here sk-",
            "cannot reach Elasticsearch/OpenSearch at http://127.0.0.1:9200",
        ] {
            assert_eq!(mask_keys_in_text(plain), plain);
        }
        assert_eq!(show_key_hash("sha256:1a2b3c4d"), "sha256:1a2b3c4d");
        assert!(show_key_hash(KEY).starts_with("sk-ant-api03-… sha256:"));
    }

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
