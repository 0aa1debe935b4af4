//! Prose wrapped to the terminal width: at word boundaries, with a hanging indent so that
//! continuation lines align with the text after a bullet (`•`, `→`, `✓`, `✗`, `!`, `-`), and
//! without cutting a token: a sample id, a hash, a URL or a `code span` stays on one line (a
//! token wider than the line goes on a line of its own, unbroken). Widths are display columns,
//! colour escapes not counted. The width is a plain number the command chose (see
//! docs/diagnose.md, "Width"); nothing here looks at the terminal.
//!
//! Hand-written rather than `textwrap`: the one rule textwrap does not have is the one that
//! matters here (a backtick code span is one unbreakable token), and the rest is thirty lines
//! over `console::measure_text_width`, which the crate already uses for colour-aware widths.

/// Display columns of `s`, ANSI escapes not counted, wide characters counted twice.
pub fn width_of(s: &str) -> usize {
    console::measure_text_width(s)
}

/// The words of `text`, split at spaces; a backtick code span is kept as one token when it
/// fits in `room` columns.
fn tokens(text: &str, room: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut span: Vec<&str> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if span.is_empty() {
            // An odd number of backticks opens a span that continues past this word.
            if word.matches('`').count() % 2 == 1 {
                span.push(word);
            } else {
                out.push(word.to_string());
            }
            continue;
        }
        span.push(word);
        if word.matches('`').count() % 2 == 1 {
            close(&mut out, &mut span, room);
        }
    }
    // An unclosed backtick: the words as they are.
    out.extend(span.drain(..).map(str::to_string));
    glue_counts(out, room)
}

/// A count and what it counts (`240 × 401`) stay on one line when they fit in `room`.
fn glue_counts(words: Vec<String>, room: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut words = words.into_iter().peekable();
    while let Some(word) = words.next() {
        if word == "×" {
            if let (Some(count), Some(what)) = (out.last_mut(), words.peek()) {
                let joined = format!("{count} × {what}");
                if width_of(&joined) <= room {
                    *count = joined;
                    words.next();
                    continue;
                }
            }
        }
        out.push(word);
    }
    out
}

/// A finished code span: one token if it fits, else its words.
fn close(out: &mut Vec<String>, span: &mut Vec<&str>, room: usize) {
    let joined = span.join(" ");
    if width_of(&joined) <= room {
        out.push(joined);
    } else {
        out.extend(span.iter().map(|w| w.to_string()));
    }
    span.clear();
}

/// `prefix` then `text`, broken into lines of at most `width` columns; continuation lines start
/// with `indent` spaces. Every line ends with a newline.
pub fn hanging_with(prefix: &str, indent: usize, text: &str, width: usize) -> String {
    let room = width.saturating_sub(indent).max(1);
    let mut out = String::from(prefix);
    let mut col = width_of(prefix);
    let mut line_empty = true;
    for word in tokens(text, room) {
        let len = width_of(&word);
        if !line_empty && col + 1 + len > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            col = indent;
            line_empty = true;
        }
        if !line_empty {
            out.push(' ');
            col += 1;
        }
        out.push_str(&word);
        col += len;
        line_empty = false;
    }
    out.push('\n');
    out
}

/// `prefix` then `text`, continuation lines aligned under the start of `text`; when that would
/// leave fewer than 20 columns, under the prefix's own indent plus two.
pub fn hanging(prefix: &str, text: &str, width: usize) -> String {
    let mut indent = width_of(prefix);
    if width.saturating_sub(indent) < 20 {
        indent = leading_spaces(prefix) + 2;
    }
    hanging_with(prefix, indent, text, width)
}

fn leading_spaces(s: &str) -> usize {
    s.chars().take_while(|c| *c == ' ').count()
}

const BULLETS: [char; 8] = ['•', '→', '✓', '✗', '!', '-', '⚖', '…'];

/// Every line of `text` wider than `width` wrapped, with a hanging indent after its leading
/// spaces and a bullet, if it has one. Lines that fit are left as they are.
pub fn block(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if width_of(body) <= width {
            out.push_str(line);
            continue;
        }
        let visible = console::strip_ansi_codes(body);
        let lead = leading_spaces(&visible);
        let mut chars = visible[lead..].chars();
        let bullet = matches!((chars.next(), chars.next()), (Some(c), Some(' ')) if BULLETS.contains(&c));
        let indent = lead + if bullet { 2 } else { 0 };
        let indent = if width.saturating_sub(indent) < 20 { lead + 2 } else { indent };
        let prefix = " ".repeat(lead);
        out.push_str(&hanging_with(&prefix, indent, body.trim_start_matches(' '), width));
    }
    out
}

/// Markdown-like text with its hard-wrapped paragraphs joined into one line each, so that they
/// can be wrapped again to another width: a line continues the one before it unless either is
/// blank, a heading (`#`) or a fence (```), or the line starts a list item (`- `).
pub fn reflow(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_joins = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let stands_alone = trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("```");
        let starts_item = trimmed.starts_with("- ");
        if previous_joins && !stands_alone && !starts_item {
            out.pop();
            out.push(' ');
            out.push_str(trimmed);
        } else {
            out.push_str(line);
        }
        out.push('\n');
        previous_joins = !stands_alone;
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_with_a_hanging_indent_under_the_bullet() {
        let text = block("   • one two three four five six seven eight nine ten\n", 24);
        assert_eq!(text, "   • one two three four\n     five six seven\n     eight nine ten\n");
        for line in text.lines() {
            assert!(width_of(line) <= 24, "{line:?}");
        }
    }

    #[test]
    fn a_token_wider_than_the_line_stands_alone_unbroken() {
        let url = "https://example.invalid/a/very/long/path/that/does/not/fit";
        let text = hanging("→ ", &format!("see {url} now"), 30);
        assert_eq!(text, format!("→ see\n  {url}\n  now\n"));
    }

    #[test]
    fn code_spans_are_not_cut_when_they_fit() {
        let text = hanging("- ", "build the header as exactly `Bearer <key>` with one space", 36);
        assert!(text.contains("`Bearer <key>`"), "{text}");
        // Wider than the line: cut at its spaces rather than overflow.
        let text = hanging("", "`a b c d e f g h i j k l m n o p q r s t u v w x y z`", 12);
        assert!(text.lines().all(|l| width_of(l) <= 12), "{text}");
    }

    #[test]
    fn a_count_stays_with_what_it_counts() {
        let text = hanging("  • ", "the key failed with 240 × 401 in a row", 28);
        assert_eq!(text, "  • the key failed with\n    240 × 401 in a row\n");
        // Too wide for the line: the words as they are.
        assert!(hanging("", "12345678 × 12345678", 10).lines().all(|l| width_of(l) <= 10));
    }

    #[test]
    fn lines_that_fit_and_colour_escapes_are_left_alone() {
        assert_eq!(block("short\n  • also short\n", 20), "short\n  • also short\n");
        let red = "\u{1b}[31mred\u{1b}[0m";
        assert_eq!(width_of(red), 3);
        let text = block(&format!("{red} {red} {red} {red} {red}\n"), 12);
        // Under 20 columns of room the continuation is indented by two.
        assert_eq!(console::strip_ansi_codes(&text), "red red red\n  red red\n");
    }

    #[test]
    fn reflow_joins_paragraph_lines_but_not_items_or_headings() {
        let text = "# Title\nfirst half\nsecond half\n\n- one\n  more\n- two\n";
        assert_eq!(reflow(text), "# Title\nfirst half second half\n\n- one more\n- two\n");
    }
}
