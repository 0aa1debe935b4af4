//! `faultline lint --diff`: the fixes as a unified diff, credentials masked on both sides.

use std::io::{self, Write};
use std::ops::Range;

use super::visible::mask;

/// The credential ranges of a whole text, records that do not parse included.
fn all_secrets(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (base, record) in crate::lint::records_of(text) {
        let captures = crate::capture::parse_record(record).unwrap_or_default();
        out.extend(
            crate::capture::locate::record_secrets(record, &captures).into_iter().map(|r| r.start + base..r.end + base),
        );
    }
    out
}

/// A unified diff of a fix, credentials masked on both sides.
pub fn write_diff(out: &mut dyn Write, name: &str, old: &str, new: &str) -> io::Result<()> {
    let old_masked = mask(old, &all_secrets(old));
    let new_masked = mask(new, &all_secrets(new));
    let diff = similar::TextDiff::from_lines(&old_masked, &new_masked);
    write!(out, "{}", diff.unified_diff().context_radius(2).header(&format!("a/{name}"), &format!("b/{name}")))
}
