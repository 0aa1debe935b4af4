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

/// How a log masked a credential it wrote: what remains of the key, and what stands in for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskForm {
    /// An ellipsis character after a prefix: `sk-ant-api03-S…`.
    Ellipsis,
    /// Three dots: `sk-ant-api03-Sx7Qe...`, `sk-a...abcd`.
    Dots,
    /// A run of asterisks: `sk-ant-api03-********`, LiteLLM's first-4/last-4 `sk-a****abcd`.
    Stars,
    /// A word in place of the whole value: `[REDACTED]`, `<redacted>`, `***MASKED***`.
    Redacted,
    /// A hash in place of the key: `sha256:1a2b3c4d`, a bare hex SHA-256.
    Hash,
    /// Only the key's well-known prefix: `sk-ant-api03-`.
    PrefixOnly,
}

impl MaskForm {
    /// How the mask shows, for messages (never any key character).
    pub fn describe(self) -> &'static str {
        match self {
            MaskForm::Ellipsis => "cut with `…`",
            MaskForm::Dots => "cut with `...`",
            MaskForm::Stars => "masked with `****`",
            MaskForm::Redacted => "replaced by a redaction marker",
            MaskForm::Hash => "replaced by a hash",
            MaskForm::PrefixOnly => "cut to its prefix",
        }
    }
}

/// A credential a log masked: the form, and the bytes of the value the mask stands for (the
/// marker itself, or the whole value when nothing of the key is left). Characters outside this
/// range are as the client sent them: a line break, a no-break space or a BOM next to the mask
/// is still a defect of the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    pub form: MaskForm,
    pub range: std::ops::Range<usize>,
}

/// Words loggers write in place of a secret.
const REDACTION_WORDS: [&str; 7] = ["redacted", "masked", "filtered", "hidden", "scrubbed", "removed", "omitted"];

/// The one recogniser of masked credentials, used by lint (a masked key cannot be checked) and by
/// the diagnosis (a masked key is no evidence of a key defect). `value` is a key as a header
/// carries it (the `x-api-key` value, or the token after `Bearer`), whitespace and invisible
/// characters around it included. `None` when the value does not look masked.
pub fn masked_credential(value: &str) -> Option<Masked> {
    let is_space_like = |c: char| {
        c.is_whitespace() || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
    };
    let start = value.len() - value.trim_start_matches(is_space_like).len();
    let end = value.trim_end_matches(is_space_like).len().max(start);
    let core = &value[start..end];
    if core.is_empty() {
        return None;
    }
    let whole = Masked { form: MaskForm::Redacted, range: start..end };
    // A redaction word, bracketed or starred: `[REDACTED]`, `<redacted>`, `***MASKED***`, `REDACTED`.
    let word =
        core.trim_matches(|c: char| matches!(c, '[' | ']' | '<' | '>' | '(' | ')' | '{' | '}' | '*' | '_' | '-'));
    if REDACTION_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w)) {
        return Some(whole);
    }
    // A hash: `sha256:…`, `sha1=…`, `md5:…`, or a bare hex digest of SHA-1 / SHA-256 length.
    let lower = core.to_ascii_lowercase();
    let hex = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_hexdigit());
    let tagged = ["sha256", "sha512", "sha1", "md5", "hash"].iter().any(|tag| {
        lower.strip_prefix(tag).and_then(|r| r.strip_prefix([':', '='])).is_some_and(|r| r.len() >= 8 && hex(r))
    });
    if tagged || ((core.len() == 40 || core.len() == 64) && hex(core)) {
        return Some(Masked { form: MaskForm::Hash, ..whole });
    }
    // A marker inside the value: the ellipsis character, three dots, a run of asterisks.
    let shift = |r: std::ops::Range<usize>| start + r.start..start + r.end;
    if let Some(at) = core.find('…') {
        let last = core.rfind('…').unwrap_or(at);
        return Some(Masked { form: MaskForm::Ellipsis, range: shift(at..last + '…'.len_utf8()) });
    }
    if let Some(at) = memchr::memmem::find(core.as_bytes(), b"...") {
        let run = core[at..].bytes().take_while(|b| *b == b'.').count();
        return Some(Masked { form: MaskForm::Dots, range: shift(at..at + run) });
    }
    if let Some(at) = memchr::memmem::find(core.as_bytes(), b"***") {
        let last = core.rfind('*').unwrap_or(at);
        return Some(Masked { form: MaskForm::Stars, range: shift(at..last + 1) });
    }
    // Only the prefix: `sk-`, `sk-ant-`, `sk-ant-api03-`.
    let prefix_only = core == "sk-"
        || core.strip_prefix("sk-ant-").is_some_and(|kind| {
            kind.is_empty()
                || kind.strip_suffix('-').is_some_and(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric()))
        });
    if prefix_only {
        return Some(Masked { form: MaskForm::PrefixOnly, range: end..end });
    }
    None
}

/// Credentials of well-known shapes other than what [`key_ranges`] finds by its general rule,
/// each recognised by its issuer's documented prefix. Where each shape comes from:
/// - AWS access key IDs: `AKIA` (long-term) / `ASIA` (temporary) then 16 of `[A-Z0-9]` (AWS IAM
///   "unique identifiers" prefixes); AWS secret access keys: 40 of `[A-Za-z0-9/+]` holding
///   upper- and lower-case letters and a digit (the example key of the AWS docs is
///   `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`);
/// - GitHub tokens: `ghp_` `gho_` `ghu_` `ghs_` `ghr_` then base62, and `github_pat_`
///   (fine-grained), per GitHub's "token formats";
/// - `sk-` keys (OpenAI `sk-proj-…`, `sk-svcacct-…`, Anthropic `sk-ant-…`), Stripe
///   `sk_live_`/`rk_live_`/`sk_test_`, Slack `xoxb-`/`xoxp-`/…;
/// - JWTs: base64url of `{"…` (`eyJ`), a dot, the payload, a dot, the signature (RFC 7519);
/// - Google API keys `AIza` + 35 characters, Google OAuth access tokens `ya29.`…;
/// - an Anthropic key written with JSON `\u` escapes (`\u0073k-ant-…`): the same key once the
///   JSON string is read.
pub fn token_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let (set, patterns) = &*TOKENS;
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for i in set.matches(text).iter() {
        let Some(re) = patterns.get(i) else { continue };
        for caps in re.captures_iter(text) {
            let Some(m) = caps.name("s").or_else(|| caps.get(0)) else { continue };
            let t = m.as_str().as_bytes();
            // The 40-character AWS secret shape is also a long word's: it needs mixed case and a digit.
            let mixed = t.iter().any(u8::is_ascii_uppercase)
                && t.iter().any(u8::is_ascii_lowercase)
                && t.iter().any(u8::is_ascii_digit);
            // The `\u`-escaped key pattern also matches a plain `sk-ant-` key: that one is `key_ranges`'.
            let escaped = caps.name("esc").map_or(true, |_| t.contains(&b'\\'));
            if (caps.name("aws").is_none() || mixed) && escaped {
                out.push(m.range());
            }
        }
    }
    out.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Free text with every [`key_ranges`] and [`token_ranges`] credential replaced by its
/// [`redact_secret`] form: for fields that are not meant to hold secrets but are shown as
/// logged (region, request id, network error, environment, forwarder, model, request paths).
pub fn mask_secrets_in_text(text: &str) -> std::borrow::Cow<'_, str> {
    let tokens = token_ranges(text);
    if tokens.is_empty() {
        return mask_keys_in_text(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in tokens {
        out.push_str(&mask_keys_in_text(text.get(at..r.start).unwrap_or_default()));
        out.push_str(&redact_secret(text.get(r.clone()).unwrap_or_default()));
        at = r.end;
    }
    out.push_str(&mask_keys_in_text(text.get(at..).unwrap_or_default()));
    std::borrow::Cow::Owned(out)
}

/// A request path or URL with the values of its query-string credentials (`?key=`,
/// `api_key=`, `access_token=`, …) redacted, then any other credential in it: what the walk and
/// the reports show of a logged path.
pub fn mask_url(path: &str) -> std::borrow::Cow<'_, str> {
    let Some(q) = path.find('?') else { return mask_secrets_in_text(path) };
    let mut out = mask_secrets_in_text(path.get(..q).unwrap_or_default()).into_owned();
    out.push('?');
    let (query, fragment) = match path.get(q + 1..).unwrap_or_default().split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (path.get(q + 1..).unwrap_or_default(), None),
    };
    for (i, pair) in query.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((name, value)) if is_query_credential(name) && !value.is_empty() => {
                out.push_str(name);
                out.push('=');
                out.push_str(&redact_secret(value));
            }
            _ => out.push_str(&mask_secrets_in_text(pair)),
        }
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(&mask_secrets_in_text(fragment));
    }
    std::borrow::Cow::Owned(out)
}

/// An identifier as logged (a request id) with credentials masked: typed ids such as
/// Anthropic's `req_011CTnLfSk5vGVpsAcqbtKxb` (a lower-case type word, `_`, base62) are not
/// keys however long; anything else goes through [`mask_secrets_in_text`].
pub fn mask_identifier(id: &str) -> std::borrow::Cow<'_, str> {
    let typed = id.split_once('_').is_some_and(|(kind, rest)| {
        (2..=16).contains(&kind.len())
            && kind.bytes().all(|c| c.is_ascii_lowercase())
            && !rest.is_empty()
            && rest.bytes().all(|c| c.is_ascii_alphanumeric())
    });
    if typed && token_ranges(id).is_empty() {
        std::borrow::Cow::Borrowed(id)
    } else {
        mask_secrets_in_text(id)
    }
}

/// The key of a credential header value as it was sent, the one form every output hashes (a
/// logged `api_key_hash`, a lint finding, a `--diff`): the value without a scheme word and the
/// spaces after it (`Bearer `, `Basic `), every other byte kept (a trailing line break or hidden
/// character included). A value with no space after its first word (`x-api-key`'s, `Bearersk-…`)
/// is the key whole.
pub fn sent_key(value: &str) -> &str {
    let value = value.trim_start_matches([' ', '\t']);
    match value.find([' ', '\t']) {
        Some(end) if end > 0 && value[..end].bytes().all(|c| c.is_ascii_alphabetic()) => {
            let rest = value[end..].trim_start_matches([' ', '\t']);
            if rest.is_empty() {
                value
            } else {
                rest
            }
        }
        _ => value,
    }
}

/// [`sent_key`] of a credential as a capture holds it: a JSON string's content is read first
/// (`\n`, `\u200b` become the bytes they stand for), other text is taken as it is.
pub fn sent_key_of_captured(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.contains('\\') {
        if let Ok(decoded) = serde_json::from_str::<String>(&format!("\"{raw}\"")) {
            return std::borrow::Cow::Owned(sent_key(&decoded).to_string());
        }
    }
    std::borrow::Cow::Borrowed(sent_key(raw))
}

/// Query parameter names whose values are credentials (Google APIs take `key=`, OAuth 2.0
/// `access_token=` (RFC 6750 §2.3), AWS presigned URLs `X-Amz-Signature=`).
pub fn is_query_credential(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "key"
            | "api_key"
            | "api-key"
            | "apikey"
            | "x-api-key"
            | "access_token"
            | "id_token"
            | "refresh_token"
            | "token"
            | "auth"
            | "password"
            | "secret"
            | "client_secret"
            | "sig"
            | "signature"
            | "x-amz-signature"
            | "x-amz-security-token"
            | "x-amz-credential"
            | "x-goog-signature"
    )
}

/// The patterns of [`token_ranges`], with a set to skip those that cannot match.
static TOKENS: std::sync::LazyLock<(regex::RegexSet, Vec<regex::Regex>)> = std::sync::LazyLock::new(|| {
    // `sk-ant-` with any of its characters possibly `\u`-escaped, then key characters (escaped or not).
    let escaped = |word: &str| {
        word.chars()
            .map(|c| format!("(?:{}|\\\\u00(?i:{:02x}))", regex::escape(&c.to_string()), c as u32))
            .collect::<String>()
    };
    let escaped_key = format!(r"(?P<esc>{}(?:[A-Za-z0-9_-]|\\u00(?i:[0-9a-f]{{2}})){{8,}})", escaped("sk-ant-"));
    let patterns = [
        r"(?-u:\b)(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?-u:\b)".to_string(),
        r"(?:^|[^A-Za-z0-9/+=])(?P<s>(?P<aws>[A-Za-z0-9/+]{40}))(?:$|[^A-Za-z0-9/+=])".to_string(),
        r"(?-u:\b)gh[pousr]_[A-Za-z0-9]{30,}".to_string(),
        r"(?-u:\b)github_pat_[A-Za-z0-9_]{22,}".to_string(),
        r"(?-u:\b)sk-[A-Za-z0-9]+-[A-Za-z0-9_-]{16,}".to_string(),
        r"(?-u:\b)sk-[A-Za-z0-9_-]{20,}".to_string(),
        r"(?-u:\b)(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}".to_string(),
        r"(?-u:\b)xox[abposr]-[A-Za-z0-9-]{10,}".to_string(),
        r"(?-u:\b)eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*".to_string(),
        r"(?-u:\b)AIza[0-9A-Za-z_-]{35}".to_string(),
        r"(?-u:\b)ya29\.[0-9A-Za-z_-]{20,}".to_string(),
        escaped_key,
    ];
    let compiled: Vec<regex::Regex> = patterns.iter().filter_map(|p| regex::Regex::new(p).ok()).collect();
    let set =
        regex::RegexSet::new(compiled.iter().map(regex::Regex::as_str)).unwrap_or_else(|_| regex::RegexSet::empty());
    (set, compiled)
});

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

    #[test]
    fn masked_credentials_are_recognised_in_every_form() {
        let form = |v: &str| masked_credential(v).map(|m| m.form);
        assert_eq!(form("sk-ant-api03-S…"), Some(MaskForm::Ellipsis));
        assert_eq!(form("sk-ant-api03-Sx7Qe..."), Some(MaskForm::Dots));
        assert_eq!(form("sk-a****xyAA"), Some(MaskForm::Stars));
        assert_eq!(form("sk-ant-api03-********"), Some(MaskForm::Stars));
        assert_eq!(form("********"), Some(MaskForm::Stars));
        for word in ["[REDACTED]", "<redacted>", "REDACTED", "***MASKED***", "[filtered]"] {
            assert_eq!(form(word), Some(MaskForm::Redacted), "{word}");
        }
        assert_eq!(form("sha256:1a2b3c4d"), Some(MaskForm::Hash));
        assert_eq!(form(&"ab12".repeat(16)), Some(MaskForm::Hash));
        assert_eq!(form("sk-ant-api03-"), Some(MaskForm::PrefixOnly));
        // Real keys, truncated keys and placeholders are not masks.
        for plain in [KEY, "sk-ant-api03-AbCdEf", "YOUR_API_KEY", "${ANTHROPIC_API_KEY}", "gw_live_0123456789abcdef"] {
            assert_eq!(form(plain), None, "{plain}");
        }
    }

    #[test]
    fn what_surrounds_a_mask_stays_outside_it() {
        let bom = "\u{feff}sk-ant-api03-S…";
        let m = masked_credential(bom).unwrap_or_else(|| panic!("not masked"));
        assert_eq!(&bom[m.range.clone()], "…");
        let nbsp = "sk-ant-api03-********\u{a0}";
        let m = masked_credential(nbsp).unwrap_or_else(|| panic!("not masked"));
        assert_eq!(&nbsp[m.range.clone()], "********");
        let newline = "sk-a****xyAA\n";
        let m = masked_credential(newline).unwrap_or_else(|| panic!("not masked"));
        assert!(m.range.end < newline.len());
        assert_eq!(masked_credential(" [REDACTED]\n").map(|m| m.range), Some(1..11));
    }

    /// Item 3: non-Anthropic credentials of documented shapes are found; look-alikes are not.
    #[test]
    fn other_issuers_credentials_are_found_and_look_alikes_are_not() {
        for (secret, kept) in [
            // AWS docs' example access key ID and secret access key.
            ("AKIAIOSFODNN7EXAMPLE", "AKIA"),
            ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJal"),
            // GitHub token formats: classic `ghp_` + 36 base62, fine-grained `github_pat_`.
            ("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ghp_"),
            ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "gith"),
            // OpenAI project keys.
            ("sk-proj-abcDEF123ghiJKL456mnoPQR789stuVWX", "sk-"),
            // RFC 7519's example JWT shape.
            ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpM", "eyJh"),
            // Google API key (`AIza` + 35) and OAuth access token (`ya29.`).
            ("AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW", "AIza"),
            ("ya29.a0AfH6SMBx-abcdefghijklmnop_QRSTUV", "ya29"),
            // An Anthropic key with JSON `\u` escapes.
            (r"\u0073k-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123", r"\u00"),
        ] {
            let text = format!("value {secret}, next");
            assert_eq!(token_ranges(&text).iter().filter_map(|r| text.get(r.clone())).collect::<Vec<_>>(), [secret]);
            let shown = mask_secrets_in_text(&text);
            assert!(!shown.contains(&secret[6..]), "{shown}");
            assert!(shown.starts_with(&format!("value {kept}… sha256:")) && shown.ends_with(", next"), "{shown}");
        }
        for plain in [
            "us-east-1 eu-west-3",
            "req_011CTnLfSk5vGVpsAcqbtKxb",
            "0123456789abcdef0123456789abcdef01234567",
            "AKIA is a prefix",
            "eyJ alone, ya29. alone, AIza short",
            "connection reset by peer (os error 104)",
            "claude-sonnet-4-5-20250929",
            "sk-ant-api03-… sha256:a6ae21f6",
            "sk-ant-admin01-… sha256:a6ae21f6",
            "the_quick_brown_fox_jumps_over_the_lazy_dog_again",
        ] {
            assert!(token_ranges(plain).is_empty(), "{plain}");
        }
    }

    /// Item 2: query-string credentials of a logged path are redacted, other parameters kept.
    #[test]
    fn query_credentials_of_a_path_are_masked_and_other_parameters_kept() {
        let path = "/v1/messages?beta=true&key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW&api_key=sk-abc123&access_token=ya29.tok#frag";
        let shown = mask_url(path);
        for secret in ["SyA1b2", "abc123", "ya29.tok"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.starts_with("/v1/messages?beta=true&key=AIza… sha256:"), "{shown}");
        assert!(shown.contains("&api_key=sk-… sha256:") && shown.ends_with("#frag"), "{shown}");
        for plain in
            ["/v1/messages?beta=true", "/v1/messages", "/v1/models?limit=20&after_id=claude-3-haiku", "/x?key="]
        {
            assert_eq!(mask_url(plain), plain);
        }
    }
}
