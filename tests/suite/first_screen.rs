//! Issue 12, items 19 and 23: the first run fits the screen. The default human report holds one
//! screen of 100×40 (summary, chart, causes table, each cause's headline, evidence and fix), the
//! layer trace is behind `-v`/`--trace`, prose wraps to the terminal width at word boundaries,
//! and every cause's time range follows one convention that never ends after the last record.

use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

const INCIDENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/incident.ndjson.gz");

/// Runs faultline with stdout piped, colour off and `COLUMNS` as given (`None`: unset).
fn run(columns: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("faultline").unwrap_or_else(|e| panic!("{e}"));
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env_remove("COLUMNS").env("CI", "1");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    let out = cmd
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--color", "never"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn stdout(columns: Option<&str>, args: &[&str]) -> String {
    let (code, out, err) = run(columns, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// Display columns of a line: the output is colourless and every character in it is one
/// column wide (box drawing, arrows, bars, `…`), so characters are counted.
fn columns(line: &str) -> usize {
    line.chars().count()
}

fn json(args: &[&str]) -> serde_json::Value {
    let text = stdout(Some("100"), args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Whitespace runs as one space: text as read, whatever the line breaks.
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_default_report_fits_one_screen_at_100_by_40() {
    let text = stdout(Some("100"), &["diagnose", INCIDENT]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() <= 40, "{} lines:\n{text}", lines.len());
    assert!(lines.iter().all(|l| columns(l) <= 100), "{text}");
    // The summary first, then the causes table, then each cause with its evidence and fix.
    assert!(lines[0].starts_with("faultline diagnose: 1,120 of 7,522 requests failed"), "{text}");
    assert!(text.contains("Top cause: traffic.rate_limit"), "{text}");
    assert!(text.contains("┆ cause "), "{text}");
    let d = json(&["diagnose", INCIDENT, "--format", "json"]);
    let causes = d["causes"].as_array().cloned().unwrap_or_default();
    assert_eq!(causes.len(), 4, "{d}");
    let flat = collapsed(&text);
    for (i, c) in causes.iter().enumerate() {
        let id = c["id"].as_str().unwrap_or_default();
        assert!(text.contains(&format!("{}. {id} — ", i + 1)), "no headline for {id}:\n{text}");
        let fact = c["evidence"]["facts"][0].as_str().unwrap_or_default();
        assert!(flat.contains(fact), "no evidence for {id}: {fact}\n{text}");
        let fix = c["actions"][0].as_str().unwrap_or_default();
        assert!(flat.contains(fix), "no fix for {id}: {fix}\n{text}");
    }
    // What the screen left out is said, per cause and with where to find it.
    assert!(text.contains("(see --trace)"), "{text}");
    let last = lines.last().copied().unwrap_or_default();
    assert!(last.contains("-v or --trace"), "the report does not end with how to see the trace: {last}");
}

#[test]
fn the_layer_trace_is_behind_verbose() {
    let default = stdout(Some("100"), &["diagnose", INCIDENT]);
    assert!(!default.lines().any(|l| l == "Layers"), "{default}");
    assert!(!default.contains("✓ "), "{default}");
    for args in [&["diagnose", INCIDENT, "--trace"][..], &["diagnose", INCIDENT, "-v"], &["-v", "diagnose", INCIDENT]] {
        let full = stdout(Some("100"), args);
        assert!(full.lines().any(|l| l == "Layers"), "{args:?}:\n{full}");
        assert!(full.contains("✗ ruled out: "), "{args:?}");
        assert!(full.contains("samples: req_"), "{args:?}");
        assert!(!full.contains("(see --trace)") && !full.contains("-v or --trace"), "{args:?}:\n{full}");
        // Everything the short report has, the full one has too.
        let flat = collapsed(&full);
        let d = json(&["diagnose", INCIDENT, "--format", "json"]);
        for c in d["causes"].as_array().cloned().unwrap_or_default() {
            for f in c["evidence"]["facts"].as_array().cloned().unwrap_or_default() {
                assert!(flat.contains(f.as_str().unwrap_or_default()), "{args:?}: {f}");
            }
            for a in c["actions"].as_array().cloned().unwrap_or_default() {
                assert!(flat.contains(a.as_str().unwrap_or_default()), "{args:?}: {a}");
            }
        }
    }
    // Markdown and JSON carry the trace without asking.
    let md = stdout(Some("100"), &["diagnose", INCIDENT, "--format", "markdown"]);
    assert!(md.contains("ruled out"), "{md}");
    let d = json(&["diagnose", INCIDENT, "--format", "json"]);
    assert!(d["layers"].as_array().is_some_and(|l| !l.is_empty()));
}

#[test]
fn prose_wraps_at_the_terminal_width_without_cutting_words() {
    let d = json(&["diagnose", INCIDENT, "--format", "json"]);
    let runs: Vec<Vec<&str>> = vec![
        vec!["diagnose", INCIDENT],
        vec!["diagnose", INCIDENT, "--trace"],
        vec!["rules"],
        vec!["explain", "FL001"],
        vec!["explain", "traffic.rate_limit"],
        vec!["explain", "client.auth_header"],
        vec!["explain", "529"],
    ];
    for args in runs {
        let text = stdout(Some("80"), &args);
        for line in text.lines() {
            assert!(columns(line) <= 80, "{args:?}: {} columns: {line}", columns(line));
        }
        // The same words in the same order at 200 columns: only line breaks and indents differ
        // (past the table, whose cells wrap on their own; the short report keeps what the
        // screen holds, so only the full one compares).
        if args != ["diagnose", INCIDENT] {
            let wide = stdout(Some("200"), &args);
            let prose = |t: &str| collapsed(t.rsplit_once('┘').map_or(t, |(_, after)| after));
            assert_eq!(prose(&text), prose(&wide), "{args:?}");
        }
        if args.len() > 2 {
            // Sample ids, key hashes and code spans are never cut across lines.
            for c in d["causes"].as_array().cloned().unwrap_or_default() {
                for id in c["samples"].as_array().cloned().unwrap_or_default() {
                    let id = id.as_str().unwrap_or_default();
                    assert!(text.contains(id), "sample id {id} cut:\n{text}");
                }
            }
            for hash in ["sha256:bde225c1", "sha256:d15858cf", "`anthropic-origin`", "`Bearer <key>`"] {
                assert!(text.contains(hash), "{hash} cut:\n{text}");
            }
        }
    }
    // Continuation lines align with the text after the bullet.
    let text = stdout(Some("80"), &["diagnose", INCIDENT, "--trace"]);
    let lines: Vec<&str> = text.lines().collect();
    let bullet =
        lines.iter().position(|l| l.starts_with("   • 420 × 429 answered")).unwrap_or_else(|| panic!("{text}"));
    assert!(lines[bullet + 1].starts_with("     ") && !lines[bullet + 1].starts_with("      "), "{text}");
    let fix = lines.iter().position(|l| l.starts_with("   Fix: → ")).unwrap_or_else(|| panic!("{text}"));
    assert!(lines[fix + 1].starts_with("          ") || lines[fix + 1].starts_with("        → "), "{text}");
}

#[test]
fn piped_output_without_columns_wraps_at_100() {
    let unset = stdout(None, &["diagnose", INCIDENT, "--trace"]);
    assert_eq!(unset, stdout(Some("100"), &["diagnose", INCIDENT, "--trace"]));
    assert!(unset.lines().all(|l| columns(l) <= 100));
    assert!(unset.lines().any(|l| columns(l) > 90), "not wrapped at 100:\n{unset}");
    // A width too narrow to read is raised to 60.
    let narrow = stdout(Some("20"), &["diagnose", INCIDENT]);
    assert!(narrow.lines().all(|l| columns(l) <= 60), "{narrow}");
    assert_eq!(narrow, stdout(Some("60"), &["diagnose", INCIDENT]));
}

#[test]
fn cause_time_ranges_never_end_after_the_last_record() {
    use chrono::{DateTime, Timelike, Utc};
    let d = json(&["diagnose", INCIDENT, "--format", "json"]);
    let time = |v: &serde_json::Value| {
        v.as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|t| t.with_timezone(&Utc))
    };
    let last_record = time(&d["window"]["last"]).unwrap_or_else(|| panic!("{d}"));
    let mut clamped = 0;
    for c in d["causes"].as_array().cloned().unwrap_or_default() {
        let (first, last) = (time(&c["evidence"]["first"]), time(&c["evidence"]["last"]));
        let (Some(first), Some(last)) = (first, last) else { panic!("{c}") };
        // One convention: the start of the first failure's minute to the end of the last
        // failure's minute, clamped to the last record.
        assert_eq!((first.second(), first.nanosecond()), (0, 0), "{c}");
        assert!(first <= last && last <= last_record, "{} ends {last}, after the last record {last_record}", c["id"]);
        if last == last_record {
            clamped += 1;
        } else {
            assert_eq!((last.second(), last.nanosecond()), (0, 0), "{c}");
        }
    }
    // The sample has causes whose last failure is in the final minute.
    assert!(clamped >= 1, "{d}");
    // Every cause shows its range the same way, within the window as the headline shows it.
    let text = stdout(Some("100"), &["diagnose", INCIDENT]);
    let window_end = "10:36 UTC";
    assert!(text.lines().next().is_some_and(|l| l.ends_with(window_end)), "{text}");
    let headlines: Vec<&str> = text.lines().filter(|l| l.contains(" — ") && l.contains(" confidence] ")).collect();
    assert_eq!(headlines.len(), 4, "{text}");
    for h in headlines {
        let range = h.rsplit("] ").next().unwrap_or_default();
        let parts: Vec<&str> = range.split(' ').collect();
        assert!(matches!(parts.as_slice(), [a, "→", b, "UTC"] if a.len() == 5 && b.len() == 5), "{h}");
        assert!(parts[2] <= "10:36", "{h}");
    }
}

#[test]
fn verbose_lint_says_the_time_taken_and_the_settings_used() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lint/broken/raw.http");
    let (code, out, err) = run(Some("100"), &["lint", "--as-of", "2026-11-20", fixture]);
    let (code_v, out_v, err_v) = run(Some("100"), &["lint", "-v", "--as-of", "2026-11-20", "--ignore", "FL9", fixture]);
    assert_eq!((code, code_v), (1, 1), "{err}{err_v}");
    assert!(!err.contains("rules enabled"), "{err}");
    let line = err_v.lines().find(|l| l.starts_with("lint: 1 input(s) in ")).unwrap_or_else(|| panic!("{err_v}"));
    assert!(
        line.contains(" ms; ") && line.contains(" rules enabled; fails at error; models as of 2026-11-20"),
        "{line}"
    );
    assert!(!line.contains(&format!("{n} of {n} rules", n = faultline::lint::codes::RULES.len())), "{line}");
    // The findings on stdout are the same.
    assert_eq!(out, out_v);
}

#[test]
fn verbose_says_in_help_what_it_does_per_command() {
    let help = stdout(Some("100"), &["--help"]);
    let flat = collapsed(&help);
    for part in ["diagnose prints the whole report with the layer trace (as --trace)", "lint adds a line on stderr"] {
        assert!(flat.contains(part), "{help}");
    }
    let help = stdout(Some("100"), &["diagnose", "--help"]);
    assert!(collapsed(&help).contains("--trace"), "{help}");
}
