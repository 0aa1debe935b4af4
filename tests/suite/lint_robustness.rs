//! No input makes the linter panic: every fixture, cut and corrupted at many places, goes
//! through parsing, every rule, positions, rendering and the fixer.

use std::path::Path;

use faultline::knowledge::Knowledge;
use faultline::lint::{LintOptions, Linter, OutputFormat, Reported, Settings, Severity, Sink, Source, Totals};
use faultline::report::lint::Renderer;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const NASTY: &[&str] = &[
    "\"", "\\", "\\u", "\\ud83d", "{", "}", "[", "]", ",", ":", "\n", "\r", "\t", "\u{200b}", "\u{a0}", "é", "'", "$'",
    " -H", "\0", "null", "Bearer", "\r\n\r\n",
];

#[test]
fn corrupted_captures_never_panic() {
    let knowledge = Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
    for unsafe_fixes in [false, true] {
        let settings = Settings {
            select: vec![],
            ignore: vec![],
            severity: Default::default(),
            fail_level: Severity::Error,
            options: LintOptions { provider: None, date },
            unsafe_fixes,
        };
        let linter = Linter { knowledge: &knowledge, settings: &settings };
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/broken");
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.map(|e| e.path()).unwrap_or_default();
            let original = std::fs::read_to_string(&path).unwrap_or_default();
            for _ in 0..150 {
                let mut text = original.clone();
                for _ in 0..=rng.below(3) {
                    let mut at = rng.below(text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    match rng.below(3) {
                        0 => text.truncate(at),
                        1 => text.insert_str(at, NASTY[rng.below(NASTY.len())]),
                        _ => {
                            let mut end = (at + rng.below(8)).min(text.len());
                            while !text.is_char_boundary(end) {
                                end -= 1;
                            }
                            text.replace_range(at..end, "");
                        }
                    }
                }
                for format in [OutputFormat::Human, OutputFormat::Json, OutputFormat::Sarif] {
                    let mut out = Vec::new();
                    let mut renderer = Renderer::new(format, false, &mut out);
                    let mut summary = Totals::default();
                    let mut emit = |r: &Reported, s: &Source<'_>| renderer.finding(r, s);
                    let result = linter.lint_record("f", &text, 0, &mut summary, &mut emit);
                    assert!(result.is_ok());
                }
                let (fixed, _) = linter.fix_text(&text);
                let _ = linter.fix_text(&fixed);
            }
        }
    }
}
