//! How a finding's bytes are shown: invisible and control characters made visible, credentials
//! masked to their safe prefix (in snippets and in diffs).

use std::ops::Range;

use crate::lint::text::is_invisible;

/// How a character is shown in a snippet: invisible and control characters get a visible form.
pub fn visible(c: char) -> Option<String> {
    match c {
        '\n' => Some("␊".into()),
        '\r' => Some("␍".into()),
        '\t' => Some("␉".into()),
        '\u{00A0}' => Some("·".into()),
        c if c.is_control() || is_invisible(c) || c == '\u{FEFF}' => Some(format!("<U+{:04X}>", c as u32)),
        _ => None,
    }
}

/// How many bytes of a credential value may be shown: the scheme word, then the key's safe prefix.
pub fn shown_prefix(raw: &str) -> usize {
    let lead = raw.len() - raw.trim_start_matches([' ', '"', '\'']).len();
    let rest = &raw[lead..];
    let (scheme, token) = match rest.find([' ', '\t']) {
        Some(i) if rest[..i].chars().all(|c| c.is_ascii_alphabetic()) => {
            let after = rest[i..].len() - rest[i..].trim_start().len();
            (i + after, &rest[i + after..])
        }
        _ => (0, rest),
    };
    lead + scheme + crate::redact::safe_prefix(token).len()
}

/// The display form of `line` (record offsets `line_start..`), with credentials masked and
/// invisible characters made visible; returns the text and the display range of `span`.
pub fn display_line(
    text: &str,
    line: Range<usize>,
    secrets: &[Range<usize>],
    span: &Range<usize>,
) -> (String, Range<usize>) {
    let mut out = String::new();
    let mut dstart = None;
    let mut dend = None;
    let mut collapsed = false;
    let mut escape_left = 0usize;
    let mut shown_at: Option<(Range<usize>, usize)> = None;
    let sorted = secrets.windows(2).all(|w| w[0].end <= w[1].start);
    let slice = text.get(line.clone()).unwrap_or("");
    for (i, c) in slice.char_indices() {
        let at = line.start + i;
        if at == span.start {
            dstart = Some(out.len());
        }
        if at == span.end && dend.is_none() {
            dend = Some(out.len());
        }
        let in_span = at >= span.start && at < span.end;
        if (c == '\n' || c == '\r') && !in_span {
            continue;
        }
        // The credential holding this byte, its shown prefix measured once (measuring it for
        // every byte made a long key's line quadratic).
        if shown_at.as_ref().map_or(true, |(s, _)| !s.contains(&at)) {
            shown_at =
                secret_at(secrets, sorted, at).map(|s| (s.clone(), shown_prefix(text.get(s.clone()).unwrap_or(""))));
        }
        if let Some((s, keep)) = &shown_at {
            let keep = *keep;
            if escape_left > 0 {
                // The rest of a JSON escape (`\n`, `\u200b`): shown, it is what the finding is about.
                escape_left = if escape_left == 1 && c == 'u' { 4 } else { escape_left - 1 };
            } else if c == '\\' {
                escape_left = 1;
            } else if at >= s.start + keep && !stays_visible_in_secret(c) {
                if !collapsed {
                    out.push('…');
                    collapsed = true;
                }
                continue;
            }
        }
        collapsed = false;
        match visible(c) {
            Some(v) => out.push_str(&v),
            None => out.push(c),
        }
    }
    let start = dstart.unwrap_or(out.len());
    let mut end = dend.unwrap_or(out.len()).max(start);
    if end == start {
        // An insertion point: point at one column.
        if start == out.len() {
            out.push(' ');
        }
        end = start + out[start..].chars().next().map_or(1, char::len_utf8);
    }
    (out, start..end)
}

/// The credential range holding byte `at`: the ranges are sorted and disjoint (as
/// `locate::record_secrets` gives them), unsorted ones are searched one by one.
fn secret_at(secrets: &[Range<usize>], sorted: bool, at: usize) -> Option<&Range<usize>> {
    if sorted {
        let i = secrets.partition_point(|s| s.end <= at);
        secrets.get(i).filter(|s| s.contains(&at))
    } else {
        secrets.iter().find(|s| s.contains(&at))
    }
}

/// Whether a character of a credential past its shown prefix is still shown: control and
/// invisible characters, quotes and spaces (what findings and fixes are about). Everything else,
/// `+ / = .` of Basic credentials and JWTs included, is collapsed into `…`.
fn stays_visible_in_secret(c: char) -> bool {
    visible(c).is_some() || c == '"' || c == ' '
}

/// Masks credentials in a whole text (for diffs): each credential keeps its shown prefix.
pub fn mask(text: &str, secrets: &[Range<usize>]) -> String {
    let mut ranges = secrets.to_vec();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for r in ranges {
        let Some(raw) = text.get(r.clone()) else { continue };
        let keep = shown_prefix(raw);
        let mut shown = String::from(raw.get(..keep).unwrap_or(""));
        shown.push('…');
        // Control and invisible characters and JSON escapes stay visible: they are what a fix changes.
        let mut escape_left = 0usize;
        for c in raw.get(keep..).unwrap_or("").chars() {
            if escape_left > 0 {
                escape_left = if escape_left == 1 && c == 'u' { 4 } else { escape_left - 1 };
                shown.push(c);
            } else if c == '\\' {
                escape_left = 1;
                shown.push(c);
            } else if stays_visible_in_secret(c) {
                match visible(c) {
                    Some(v) => shown.push_str(&v),
                    None => shown.push(c),
                }
            }
        }
        // The hash of the key as sent, as a lint finding and a logged key hash show it.
        shown.push_str(&format!(" {}", crate::redact::short_hash(crate::redact::sent_key_of_captured(raw).as_bytes())));
        if out.is_char_boundary(r.start) && out.is_char_boundary(r.end) {
            out.replace_range(r, &shown);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-ant-api03-SecretSecretSecret0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHAA";

    #[test]
    fn invisible_bytes_are_made_visible_and_keys_masked() {
        let text = format!("x-api-key: {KEY}\u{a0}\u{200b}\r\n");
        let start = "x-api-key: ".len();
        let secret = start..start + KEY.len() + "\u{a0}\u{200b}".len();
        let nbsp = start + KEY.len();
        let (shown, span) = display_line(&text, 0..text.len(), std::slice::from_ref(&secret), &(nbsp..nbsp + 2));
        assert_eq!(shown, "x-api-key: sk-ant-api03-…·<U+200B>");
        assert_eq!(&shown[span], "·");
        let cr = text.len() - 2;
        let (shown, span) = display_line(&text, 0..text.len(), &[secret], &(cr..cr + 2));
        assert!(shown.ends_with("<U+200B>␍␊"), "{shown}");
        assert_eq!(&shown[span], "␍␊");
        assert!(!shown.contains("Secret"));
    }

    #[test]
    fn json_escapes_inside_a_key_stay_visible() {
        let text = format!("{{\"x-api-key\": \"{KEY}\\u200b\\n\"}}");
        let start = text.find("sk-").unwrap_or(0);
        let secret = start..text.len() - 2;
        let esc = text.find("\\u200b").unwrap_or(0);
        let (shown, span) = display_line(&text, 0..text.len(), std::slice::from_ref(&secret), &(esc..esc + 6));
        assert_eq!(shown, "{\"x-api-key\": \"sk-ant-api03-…\\u200b\\n\"}");
        assert_eq!(&shown[span], "\\u200b");
        let masked = mask(&text, &[secret]);
        assert!(masked.contains("sk-ant-api03-…\\u200b\\n sha256:"), "{masked}");
        assert!(!masked.contains("Secret"));
    }

    #[test]
    fn basic_credentials_and_jwts_are_collapsed_whole() {
        for (value, kept) in [
            ("Basic ZWxhc3RpYzpUcjB1YjRkb3IrSG9yc2U=/+abc=", "Basic ZWxh"),
            ("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpM", "Bearer eyJh"),
        ] {
            let text = format!("authorization: {value}\n");
            let start = "authorization: ".len();
            let secret = start..start + value.len();
            let (shown, _) = display_line(&text, 0..text.len(), std::slice::from_ref(&secret), &(0..1));
            assert_eq!(shown, format!("authorization: {kept}…"), "{value}");
            let masked = mask(&text, &[secret]);
            assert!(masked.starts_with(&format!("authorization: {kept}… sha256:")), "{masked}");
        }
    }
}
