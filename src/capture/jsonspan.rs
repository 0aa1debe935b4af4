//! Byte positions inside JSON text, computed only when a finding needs one.
//!
//! serde_json parses without positions; this scanner walks the raw text to the value at a path,
//! and maps offsets inside a decoded string literal back to the raw bytes (escapes included).

use super::request::PathSeg;

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// End (exclusive) of the string literal whose opening quote is at `i`.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    // From one quote or backslash to the next (memchr: many bytes at a time).
    while let Some(k) = b.get(j..).and_then(|rest| memchr::memchr2(b'"', b'\\', rest)) {
        let at = j + k;
        if b[at] == b'"' {
            return Some(at + 1);
        }
        j = at + 2;
    }
    None
}

/// End (exclusive) of the value starting at `i` (after whitespace).
pub fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    let i = skip_ws(b, i);
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

fn key_matches(text: &str, start: usize, end: usize, key: &str) -> bool {
    let raw = text.get(start + 1..end.saturating_sub(1)).unwrap_or("");
    if raw.contains('\\') {
        serde_json::from_str::<String>(text.get(start..end).unwrap_or("")).is_ok_and(|k| k == key)
    } else {
        raw == key
    }
}

/// The byte span of the value at `path` (strings include their quotes), or of the deepest
/// value on the path that exists.
pub fn find(text: &str, path: &[PathSeg]) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut start = skip_ws(b, 0);
    let mut end = skip_value(b, start)?;
    for seg in path {
        let found = match (seg, b.get(start)) {
            (PathSeg::Key(k), Some(b'{')) => find_key(text, start, k),
            (PathSeg::Index(n), Some(b'[')) => find_index(b, start, *n),
            _ => None,
        };
        match found {
            Some((s, e)) => {
                start = s;
                end = e;
            }
            None => break,
        }
    }
    Some((start, end))
}

fn find_key(text: &str, open: usize, key: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, open + 1);
    while i < b.len() && b[i] == b'"' {
        let key_end = skip_string(b, i)?;
        let colon = skip_ws(b, key_end);
        if b.get(colon) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(b, colon + 1);
        let value_end = skip_value(b, value_start)?;
        if key_matches(text, i, key_end, key) {
            return Some((value_start, value_end));
        }
        i = skip_ws(b, value_end);
        if b.get(i) == Some(&b',') {
            i = skip_ws(b, i + 1);
        } else {
            return None;
        }
    }
    None
}

fn find_index(b: &[u8], open: usize, n: usize) -> Option<(usize, usize)> {
    let mut i = skip_ws(b, open + 1);
    let mut k = 0;
    while i < b.len() && b[i] != b']' {
        let end = skip_value(b, i)?;
        if k == n {
            return Some((i, end));
        }
        k += 1;
        i = skip_ws(b, end);
        if b.get(i) == Some(&b',') {
            i = skip_ws(b, i + 1);
        } else {
            return None;
        }
    }
    None
}

/// Maps a byte offset in the decoded content of a JSON string literal to the raw offset in
/// `text`, where the literal's content (after the opening quote) starts at `content_start`.
pub fn string_offset(text: &str, content_start: usize, decoded: usize) -> usize {
    let b = text.as_bytes();
    let mut raw = content_start;
    let mut dec = 0usize;
    while dec < decoded && raw < b.len() && b[raw] != b'"' {
        if b[raw] == b'\\' {
            match b.get(raw + 1) {
                Some(b'u') => {
                    let hex = |at: usize| text.get(at..at + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
                    let first = hex(raw + 2).unwrap_or(0xFFFD);
                    if (0xD800..0xDC00).contains(&first)
                        && b.get(raw + 6) == Some(&b'\\')
                        && b.get(raw + 7) == Some(&b'u')
                    {
                        raw += 12;
                        dec += 4;
                    } else {
                        raw += 6;
                        dec += char::from_u32(first).map_or(3, char::len_utf8);
                    }
                }
                _ => {
                    raw += 2;
                    dec += 1;
                }
            }
        } else {
            let len = text.get(raw..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8);
            raw += len;
            dec += len;
        }
    }
    raw
}

/// Escapes text for use inside a JSON string literal.
pub fn escape(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or("").to_string()
}

/// Byte offset of a 1-based line and column (serde_json counts columns in bytes).
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (offset + column.saturating_sub(1)).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let t = r#"{"a": 1, "messages": [ {"role": "user"}, {"role" : null, "x": "y"} ]}"#;
        let (s, e) = find(t, &[PathSeg::Key("messages".into()), PathSeg::Index(1), PathSeg::Key("role".into())])
            .unwrap_or_default();
        assert_eq!(&t[s..e], "null");
        let (s, e) = find(t, &[PathSeg::Key("messages".into()), PathSeg::Index(0)]).unwrap_or_default();
        assert_eq!(&t[s..e], r#"{"role": "user"}"#);
        // Missing key: the deepest value that exists.
        let (s, _) = find(t, &[PathSeg::Key("nope".into())]).unwrap_or_default();
        assert_eq!(s, 0);
    }

    #[test]
    fn maps_decoded_offsets_through_escapes() {
        let t = r#""ab\ncd\u00e9f\ud83d\ude00g""#;
        assert_eq!(string_offset(t, 1, 2), 3); // the \n escape
        assert_eq!(string_offset(t, 1, 3), 5); // c
        assert_eq!(string_offset(t, 1, 5), 7); // \u00e9
        assert_eq!(string_offset(t, 1, 7), 13); // f
        assert_eq!(string_offset(t, 1, 8), 14); // surrogate pair
        assert_eq!(string_offset(t, 1, 12), 26); // g
    }
}
