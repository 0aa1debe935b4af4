//! The walk, driven through the real binary in a pseudo-terminal: step into layer 3, open a
//! cause, export markdown, quit; Esc and Ctrl-C leave the terminal clean and exit 0.

use crate::interactive_support;

use interactive_support::{bin, command, run_with_timeout, sim_file, Tty};

/// The bundled incident: rate limiting (layer 3), provider overload (layer 4), a revoked key and
/// a broken Authorization header (layer 2).
fn incident(dir: &std::path::Path) -> std::path::PathBuf {
    sim_file(dir, "incident")
}

/// `faultline diagnose <the incident> [extra…]` in a pseudo-terminal, waiting at the walk's menu.
fn open_walk(dir: &std::path::Path, extra: &[&str]) -> Tty {
    let log = incident(dir).to_string_lossy().into_owned();
    let args: Vec<&str> = ["diagnose", log.as_str()].into_iter().chain(extra.iter().copied()).collect();
    let mut tty = Tty::spawn(command(&bin(), &args, dir));
    tty.expect("What next?");
    tty.expect("Quit");
    tty
}

#[test]
fn walk_layer_three_open_a_cause_export_markdown_and_quit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log = incident(dir.path());
    let log_arg = log.to_string_lossy().into_owned();
    let mut tty = Tty::spawn(command(&bin(), &["diagnose", &log_arg, "--color", "never"], dir.path()));

    // The report, then the menu.
    tty.expect("What next?");
    tty.expect("Quit");
    let overview = tty.screen();
    assert!(overview.contains("Layer 1 · status"), "{overview}");
    assert!(overview.contains("Layer 3 · traffic — found traffic.rate_limit"), "{overview}");

    // Layer 3: two down from layer 1.
    tty.keys("jj\r");
    tty.expect("Back to the overview");
    let layer = tty.screen();
    assert!(layer.contains("Layer 3 · traffic"), "{layer}");
    assert!(layer.contains("Found:"), "{layer}");
    assert!(layer.contains("Next: layer 4 · upstream"), "{layer}");
    assert!(layer.contains("Open cause 1: traffic.rate_limit"), "{layer}");

    // Open the cause this layer found.
    let cause_from = tty.raw.len();
    tty.keys("j\r");
    tty.expect("Cause 1: traffic.rate_limit");
    tty.expect("Back to the overview");
    let raw = tty.raw_text();
    for part in ["Evidence", "Failures with status 429 per", "Sample requests", "Key hashes involved", "Fix"] {
        assert!(raw.contains(part), "the cause view lacks {part:?}:\n{}", tty.screen());
    }
    let screen_with_cause = page(&tty.raw[cause_from..]);

    // Esc: back to the overview; open cause 4 (layer 2's broken Authorization header): its
    // samples' lint findings are rendered as `faultline lint` renders them, keys masked.
    tty.send(b"\x1b");
    tty.expect("What next?");
    tty.expect("Quit");
    let lint_from = tty.raw.len();
    tty.keys("jjjjjjj\r");
    tty.expect("Cause 4: client.auth_header");
    tty.expect("What next?");
    tty.expect("Quit");
    let raw = tty.raw_text();
    assert!(raw.contains("error[FL0"), "no lint finding rendered:\n{raw}");
    let screen_with_lint = page(&tty.raw[lint_from..]);
    let log_text = std::fs::read_to_string(&log).unwrap_or_else(|e| panic!("{e}"));
    let keys = full_keys(&log_text);
    assert!(!keys.is_empty(), "the simulated log holds no key to check against");
    for key in &keys {
        assert!(!raw.contains(key.as_str()), "a full key reached the terminal");
    }

    // Export: second from the bottom (up twice).
    tty.keys("kk\r");
    tty.expect("Write the markdown report to");
    tty.keys("exported.md\r");
    tty.expect("Wrote");
    tty.expect("What next?");
    tty.expect("Quit");
    // Quit is the last entry: up once.
    tty.keys("k\r");
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 0);
    assert!(!tty.cursor_hidden(), "the cursor was left hidden");

    // The exported file is exactly what --format markdown prints.
    let exported = std::fs::read_to_string(dir.path().join("exported.md")).unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = command(&bin(), &["diagnose", &log_arg, "--format", "markdown"], dir.path());
    cmd.env("CI", "1");
    let md = run_with_timeout(cmd, None);
    assert!(md.status.success());
    assert_eq!(exported, String::from_utf8_lossy(&md.stdout));
    assert!(exported.starts_with("# Incident diagnosis"));

    // The README transcript comes from here (FAULTLINE_UPDATE_TRANSCRIPT=1 cargo test --test suite interactive_walk::).
    if std::env::var_os("FAULTLINE_UPDATE_TRANSCRIPT").is_some() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/walk-transcript.txt");
        let text = format!(
            "$ faultline diagnose incident.ndjson\n(the report, then:)\n{}\n\n(j j Enter)\n{}\n\n(j Enter)\n{}\n\n(Esc, then j × 7 and Enter on “Cause 4: client.auth_header”)\n{}\n",
            from_line(&overview, "Walk the diagnosis"),
            from_line(&layer, "Layer 3 · traffic —"),
            trim_screen(&screen_with_cause),
            trim_screen(&screen_with_lint)
        );
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let readme_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&readme_path).unwrap_or_else(|e| panic!("{e}"));
        let updated =
            splice_transcript(&readme, &text).unwrap_or_else(|| panic!("README.md lacks the {START} / {END} markers"));
        std::fs::write(&readme_path, updated).unwrap_or_else(|e| panic!("{e}"));
    }
}

const START: &str = "<!-- walk-transcript:start (written by tests/suite/interactive_walk.rs) -->";
const END: &str = "<!-- walk-transcript:end -->";

/// README.md with the block between the markers replaced by `transcript` in a text fence.
fn splice_transcript(readme: &str, transcript: &str) -> Option<String> {
    let start = readme.find(START)? + START.len();
    let end = readme.find(END)?;
    (start <= end).then(|| format!("{}\n```text\n{}```\n{}", &readme[..start], transcript, &readme[end..]))
}

#[test]
fn readme_transcript_is_the_captured_one() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_else(|e| panic!("{e}"));
    let captured = std::fs::read_to_string(root.join("docs/walk-transcript.txt")).unwrap_or_else(|e| panic!("{e}"));
    assert!(captured.contains("Layer 3 · traffic") && captured.contains("error[FL0"), "{captured}");
    assert_eq!(
        splice_transcript(&readme, &captured).as_deref(),
        Some(readme.as_str()),
        "README.md's walk transcript is not docs/walk-transcript.txt: rerun with FAULTLINE_UPDATE_TRANSCRIPT=1"
    );
}

/// Every full `sk-ant-api03-…` key in a text.
fn full_keys(text: &str) -> std::collections::BTreeSet<String> {
    let mut keys = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("sk-ant-api03-") {
        let tail = &rest[at..];
        let end = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(tail.len());
        if end > 40 {
            keys.insert(tail[..end].to_string());
        }
        rest = &tail[end..];
    }
    keys
}

/// What a tall terminal shows after `bytes` (one page of the walk, whole).
fn page(bytes: &[u8]) -> String {
    let mut parser = vt100::Parser::new(400, interactive_support::COLS, 0);
    parser.process(bytes);
    trim_screen(&parser.screen().contents())
}

/// The screen from the last line holding `marker` down.
fn from_line(screen: &str, marker: &str) -> String {
    let text = trim_screen(screen);
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().rposition(|l| l.contains(marker)).unwrap_or(0);
    lines[at..].join("\n")
}

fn trim_screen(s: &str) -> String {
    s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim_matches('\n').to_string()
}

#[test]
fn ctrl_c_mid_menu_exits_130_with_the_cursor_shown() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut tty = open_walk(dir.path(), &[]);
    tty.keys("j");
    tty.send(&[0x03]);
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 130);
    assert!(!tty.cursor_hidden(), "the cursor was left hidden");
}

#[test]
fn ctrl_c_in_a_layer_menu_exits_130() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut tty = open_walk(dir.path(), &[]);
    tty.keys("\r");
    tty.expect("Back to the overview");
    tty.send(&[0x03]);
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 130);
    assert!(!tty.cursor_hidden(), "the cursor was left hidden");
}

#[test]
fn the_export_prompt_is_left_with_esc() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut tty = open_walk(dir.path(), &[]);
    // Export: second from the bottom (up twice); Esc leaves the prompt, back to the overview.
    tty.keys("kk\r");
    tty.expect("Write the markdown report to");
    tty.keys("half-typ");
    let before = tty.raw.len();
    tty.send(b"\x1b");
    tty.expect("What next?");
    tty.expect("Quit");
    assert!(!String::from_utf8_lossy(&tty.raw[before..]).contains("Wrote"));
    // Quit (up once): nothing was written, exit 0.
    tty.keys("k\r");
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 0);
    let written: Vec<_> =
        std::fs::read_dir(dir.path()).into_iter().flatten().flatten().map(|e| e.file_name()).collect();
    assert!(!written.iter().any(|n| n.to_string_lossy().ends_with(".md")), "{written:?}");
}

#[test]
fn esc_on_the_overview_quits_cleanly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut tty = open_walk(dir.path(), &[]);
    tty.send(b"\x1b");
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 0);
    assert!(!tty.cursor_hidden(), "the cursor was left hidden");
}

#[test]
fn recommended_settings_are_printed_as_toml() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut tty = open_walk(dir.path(), &["--color", "never"]);
    // Third from the bottom.
    tty.keys("kkk\r");
    tty.expect("stream_above_input_tokens = 6000");
    tty.expect("What next?");
    let raw = tty.raw_text();
    assert!(raw.contains("[retry]") && raw.contains("base_delay_ms = 500"), "{}", tty.screen());
    assert!(raw.contains("max_in_flight = 100"), "{}", tty.screen());
    tty.keys("q");
    tty.expect_eof();
    assert_eq!(tty.exit_code(), 0);
}
