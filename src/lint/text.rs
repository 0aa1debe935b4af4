//! Characters the credential rules name and the renderers make visible.

use std::ops::Range;

/// Characters that show as nothing (or as a plain space) but are not the ASCII space.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00A0}' | '\u{00AD}' | '\u{2000}'..='\u{200F}' | '\u{2028}'..='\u{202F}' | '\u{205F}'..='\u{2064}' | '\u{3000}' | '\u{FEFF}')
}

/// A readable name for a character a finding is about.
pub fn char_name(c: char) -> String {
    match c {
        '\n' => "line feed (LF, U+000A)".into(),
        '\r' => "carriage return (CR, U+000D)".into(),
        '\t' => "tab (U+0009)".into(),
        ' ' => "space".into(),
        '\u{00A0}' => "no-break space (NBSP, U+00A0)".into(),
        '\u{00AD}' => "soft hyphen (U+00AD)".into(),
        '\u{200B}' => "zero-width space (U+200B)".into(),
        '\u{200C}' => "zero-width non-joiner (U+200C)".into(),
        '\u{200D}' => "zero-width joiner (U+200D)".into(),
        '\u{2060}' => "word joiner (U+2060)".into(),
        '\u{FEFF}' => "byte order mark (BOM, U+FEFF)".into(),
        c if c.is_control() => format!("control character U+{:04X}", c as u32),
        c if is_invisible(c) => format!("invisible character U+{:04X}", c as u32),
        c => format!("non-ASCII character `{c}` (U+{:04X})", c as u32),
    }
}

/// Ranges of each char in `s` matching `pred`.
pub fn char_ranges(s: &str, pred: impl Fn(char) -> bool) -> Vec<Range<usize>> {
    s.char_indices().filter(|(_, c)| pred(*c)).map(|(i, c)| i..i + c.len_utf8()).collect()
}
