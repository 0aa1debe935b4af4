//! The hot path's walk of one NDJSON record: a hand-written scanner over the line's bytes that
//! fills the same slots as the serde walk in [`super::record`] (the reference), for the lines it
//! is sure of.
//!
//! It accepts a subset of what serde_json accepts and, on that subset, keeps exactly what serde
//! keeps: the raw text of each mapped value, in the order serde meets them. Whatever it is not
//! sure of — any syntax error, a line that is not valid UTF-8 as a whole, an escape or control
//! character in a key, a mapped prefix holding a number or an escaped string, nesting deeper
//! than [`MAX_DEPTH`] — it gives up on (returns `false`), and the line is read again by serde,
//! whose error messages and columns are the ones reported. So a line's record (or its error) is
//! the same whichever path read it; `tests/diagnose_fast_path.rs` compares whole diagnoses.
//!
//! Why it is faster: serde_json buffers every raw value it hands out, validates it as UTF-8,
//! and goes through a visitor per key and value; here a value is a pair of offsets into the line
//! (validated once, whole), strings are skipped eight bytes at a time, and the key's target is
//! looked up straight from its bytes.

use super::record::{visit_raw, FieldMap, Slots, Target, KIND_LEAF, KIND_PLAIN};

/// Deepest nesting walked (serde_json's limit is 128: staying below it means serde would not
/// have refused a line for its depth).
const MAX_DEPTH: u32 = 100;

/// Reads `line` into `slots`; `false` when the line is left to serde (`slots` is then to be
/// discarded).
pub(super) fn walk<'a, const N: usize>(map: &FieldMap, line: &'a [u8], slots: &mut Slots<'a, N>) -> bool {
    // Valid UTF-8 as a whole: every value sliced at its (ASCII) delimiters is valid text too.
    // serde validates only the values it keeps; a line invalid elsewhere goes to serde.
    let Ok(text) = std::str::from_utf8(line) else { return false };
    let mut c = Cursor { b: line, text, i: 0 };
    c.ws();
    if c.peek() != Some(b'{') {
        return false;
    }
    if c.object(map, 0, slots, false, 0).is_none() {
        return false;
    }
    c.ws();
    c.i == line.len()
}

struct Cursor<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that may be `"`, `\` or a control character; the lowest
/// one set is exact (a false positive only ever sits above a true one).
#[inline]
fn specials(w: u64) -> u64 {
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGHS
}

impl<'a> Cursor<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> Option<()> {
        if self.peek()? == byte {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }

    /// From the byte after an opening quote to the byte after the closing one; `Some(true)`
    /// when the string held an escape. Refuses what serde_json's `ignore_str` refuses (control
    /// characters, unknown escapes, `\u` without four hex digits) and an unterminated string.
    #[inline]
    fn string(&mut self) -> Option<bool> {
        let mut escaped = false;
        loop {
            while let Some(chunk) = self.b.get(self.i..self.i + 8) {
                let mut word = [0u8; 8];
                word.copy_from_slice(chunk);
                let found = specials(u64::from_le_bytes(word));
                if found != 0 {
                    self.i += (found.trailing_zeros() / 8) as usize;
                    break;
                }
                self.i += 8;
            }
            match *self.b.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(escaped);
                }
                b'\\' => {
                    escaped = true;
                    match *self.b.get(self.i + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 2,
                        b'u' => {
                            let hex = self.b.get(self.i + 2..self.i + 6)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.i += 6;
                        }
                        _ => return None,
                    }
                }
                c if c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
    }

    #[inline]
    fn digits(&mut self) -> Option<()> {
        if !self.peek()?.is_ascii_digit() {
            return None;
        }
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        Some(())
    }

    /// A JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits()?,
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.digits()?;
        }
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + word.len())? == word {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// Past an object (`keyed`: each member a string key, a colon, a value) or an array, from its
    /// opening bracket to `close`.
    fn container(&mut self, depth: u32, close: u8, keyed: bool) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.i += 1;
        self.ws();
        if self.peek()? == close {
            self.i += 1;
            return Some(());
        }
        loop {
            if keyed {
                self.eat(b'"')?;
                self.string()?;
                self.ws();
                self.eat(b':')?;
                self.ws();
            }
            self.skip(depth + 1)?;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                c if c == close => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Past one value (validated as serde_json's `ignore_value` does).
    fn skip(&mut self, depth: u32) -> Option<()> {
        match self.peek()? {
            b'"' => {
                self.i += 1;
                self.string().map(|_| ())
            }
            b'{' => self.container(depth, b'}', true),
            b'[' => self.container(depth, b']', false),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// Past one value, returning its raw text (what serde's `RawValue` holds).
    #[inline]
    fn raw(&mut self, depth: u32) -> Option<&'a str> {
        let start = self.i;
        self.skip(depth)?;
        self.text.get(start..self.i)
    }

    /// The value of a node that is only a step towards others (serde's `deserialize_any` on
    /// it): an object is walked, an array or literal skipped; a plain ASCII string skipped; a
    /// number or any other string is left to serde (which parses them, and may refuse them).
    fn plain<const N: usize>(
        &mut self,
        map: &FieldMap,
        node: usize,
        slots: &mut Slots<'a, N>,
        keep_first: bool,
        depth: u32,
    ) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(map, node, slots, keep_first, depth),
            b'"' => {
                let start = self.i;
                self.i += 1;
                let escaped = self.string()?;
                let ascii = self.b.get(start..self.i)?.is_ascii();
                (!escaped && ascii).then_some(())
            }
            b'[' | b't' | b'f' | b'n' => self.skip(depth),
            _ => None,
        }
    }

    /// An object at `node` (the cursor on its `{`), as serde's `NodeSeed::visit_map` reads it.
    fn object<const N: usize>(
        &mut self,
        map: &FieldMap,
        node: usize,
        slots: &mut Slots<'a, N>,
        keep_first: bool,
        depth: u32,
    ) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            self.eat(b'"')?;
            let start = self.i;
            if self.string()? {
                // serde unescapes keys before looking them up: left to it.
                return None;
            }
            let key = self.b.get(start..self.i - 1)?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            match map.target(node, key) {
                Target::Skip => self.skip(depth + 1)?,
                Target::Node(child) => match map.kind(child) {
                    Some((KIND_LEAF, slot)) => {
                        let raw = self.raw(depth + 1)?;
                        slots.set(slot, raw, keep_first);
                    }
                    Some((KIND_PLAIN, _)) => self.plain(map, child, slots, keep_first, depth + 1)?,
                    Some(_) => {
                        let raw = self.raw(depth + 1)?;
                        visit_raw(map, child, raw, slots, keep_first);
                    }
                    None => self.skip(depth + 1)?,
                },
                Target::Source => self.plain(map, 0, slots, keep_first, depth + 1)?,
            }
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::record::{FieldMap, Record, TINY_SLOTS};

    fn both(map: &FieldMap, plain: &FieldMap, line: &str) {
        let fast = Record::<TINY_SLOTS>::parse(map, line.as_bytes());
        let slow = Record::<TINY_SLOTS>::parse(plain, line.as_bytes());
        match (fast, slow) {
            (Ok(a), Ok(b)) => {
                for s in 0..TINY_SLOTS as u8 {
                    assert_eq!(a.slot(s), b.slot(s), "slot {s} of {line}");
                }
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{line}"),
            (a, b) => panic!("{line}: fast {:?} serde {:?}", a.is_ok(), b.is_ok()),
        }
    }

    #[test]
    fn reads_what_serde_reads_and_refuses_what_it_refuses() {
        let Ok(map) = FieldMap::builtin("faultline", &[]) else { panic!("preset") };
        let plain = map.clone().plain_serde();
        let lines = [
            r#"{"@timestamp":"2026-01-01T00:00:00Z","status_code":200,"model":"m"}"#,
            r#"  { "status_code" : 429 , "request_header" : {"a": [1, 2.5e3, -0, true, null]} }  "#,
            r#"{"status_code":500,"error_message":"a \"quoted\" \u00e9 \\ thing","x":{"y":[{}]}}"#,
            r#"{"status_code":500,"status_code":502}"#,
            r#"{"st\u0061tus_code":500}"#,
            r#"{"status_code":01}"#,
            r#"{"status_code":1.}"#,
            r#"{"status_code":-}"#,
            r#"{"status_code":200,}"#,
            r#"{"status_code":200 "model":"m"}"#,
            r#"{"status_code":tru}"#,
            r#"{"x":"bad \q escape","status_code":200}"#,
            r#"{"x":"\u12G4","status_code":200}"#,
            "{\"x\":\"tab\there\",\"status_code\":200}",
            r#"{"status_code":200} trailing"#,
            r#"{"status_code":200"#,
            r#"[1,2]"#,
            r#"42"#,
            r#"{"model":"héllo wörld","status_code":200}"#,
            r#"{"_source":{"status_code":503,"model":"x"}}"#,
            r#"{"status_code":200,"deep":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#,
            "",
            "   ",
            "{}",
            r#"{"model":"12345678901234567890\"1234567890","status_code":200}"#,
        ];
        for line in lines {
            both(&map, &plain, line);
        }
        // Escapes and the bytes after them at every offset within a word.
        for pad in 0..17 {
            let a = "a".repeat(pad);
            for tail in [r##"\"#\"#\\]\\]\u00e9\n"##, r"\u12", r"\", r"\\", "\u{1}", r##"é\\\"#"##, r"\x"] {
                both(&map, &plain, &format!(r#"{{"x":"{a}{tail}","status_code":200}}"#));
                both(&map, &plain, &format!(r#"{{"model":"{a}{tail}{a}","status_code":200}}"#));
                both(&map, &plain, &format!(r#"{{"status_code":200,"model":"{a}{tail}"#));
            }
        }
        let invalid = b"{\"x\":\"\xff\",\"status_code\":200}";
        let fast = Record::<TINY_SLOTS>::parse(&map, invalid).map(|r| r.slot(0).map(str::to_string));
        let slow = Record::<TINY_SLOTS>::parse(&plain, invalid).map(|r| r.slot(0).map(str::to_string));
        assert_eq!(fast.ok(), slow.ok());
    }
}
