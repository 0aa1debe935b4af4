//! The colours of every human view (the diagnosis report, the walk, the watch screen): one
//! [`Paint`], on or off, so that the same word has the same colour on every screen.

use owo_colors::OwoColorize;

/// Colour on or off, decided once by the command (`RunContext::use_color` and `--color`).
#[derive(Debug, Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    fn apply(self, s: &str, styled: impl FnOnce(&str) -> String) -> String {
        if self.0 {
            styled(s)
        } else {
            s.to_string()
        }
    }

    /// Headings and names.
    pub fn bold(self, s: &str) -> String {
        self.apply(s, |s| s.bold().to_string())
    }

    /// Secondary text: windows, hints, "none yet".
    pub fn dim(self, s: &str) -> String {
        self.apply(s, |s| s.dimmed().to_string())
    }

    /// Failures and errors.
    pub fn red(self, s: &str) -> String {
        self.apply(s, |s| s.red().to_string())
    }

    /// Failures where they must stand out most (the report's headline and chart).
    pub fn red_bold(self, s: &str) -> String {
        self.apply(s, |s| s.red().bold().to_string())
    }

    /// Causes and warnings.
    pub fn yellow(self, s: &str) -> String {
        self.apply(s, |s| s.yellow().to_string())
    }

    /// Good news: no failures, a file written.
    pub fn green(self, s: &str) -> String {
        self.apply(s, |s| s.green().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_is_the_text_itself_and_on_wraps_it_in_escapes() {
        let off = Paint(false);
        for styled in [off.bold("x"), off.dim("x"), off.red("x"), off.red_bold("x"), off.yellow("x"), off.green("x")] {
            assert_eq!(styled, "x");
        }
        let on = Paint(true);
        assert_eq!(on.red("x"), "\u{1b}[31mx\u{1b}[39m");
        assert_eq!(on.red_bold("x"), "\u{1b}[1m\u{1b}[31mx\u{1b}[39m\u{1b}[0m");
        assert_eq!(on.bold("x"), "\u{1b}[1mx\u{1b}[0m");
    }
}
