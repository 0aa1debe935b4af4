//! A fresh clone's first steps (issue 12 items 21 and 22): the test command works on a system
//! Python that refuses `pip install` (PEP 668's externally-managed-environment, Debian/Ubuntu's
//! default), CI runs exactly the README's test command, and the README's install line builds
//! with the versions the tests ran against.

use std::path::Path;

fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The commands of a shell script, comments left out.
fn commands(script: &str) -> Vec<String> {
    script.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
}

/// Item 21: Python test tools go into a virtual environment under `target/` (reused when
/// present), whose `bin/` comes first on PATH; nothing is installed into the system Python.
#[test]
fn the_test_command_installs_python_tools_into_a_venv_under_target() {
    let script = commands(&read("scripts/test"));
    let has = |needle: &str| script.iter().any(|l| l.contains(needle));
    assert!(has("venv=\"$PWD/target/test-venv\""), "{script:#?}");
    assert!(has("python3 -m venv \"$venv\""), "{script:#?}");
    assert!(has("[ ! -x \"$venv/bin/python3\" ]"), "the venv is reused when present: {script:#?}");
    assert!(has("export PATH=\"$venv/bin:$PATH\""), "{script:#?}");
    // After PATH points at the venv, `python3 -m pip` is the venv's pip.
    let path_at = script.iter().position(|l| l.starts_with("export PATH=\"$venv/bin"));
    let pip_at = script.iter().position(|l| l.contains("python3 -m pip install"));
    assert!(path_at.is_some() && pip_at.is_some() && path_at < pip_at, "{script:#?}");
    for forbidden in ["--break-system-packages", "pip install --user", "sudo pip", "pip3 install"] {
        assert!(!has(forbidden), "scripts/test uses {forbidden}");
    }
}

/// CI (`.ci/run`) runs exactly the README's test command, and the README names it.
#[test]
fn ci_runs_exactly_the_readme_test_command() {
    let ci = commands(&read(".ci/run"));
    assert_eq!(ci.last().map(String::as_str), Some("exec ./scripts/test"), "{ci:#?}");
    let readme = read("README.md");
    assert!(readme.contains("\n./scripts/test\n"), "the README's quick start names ./scripts/test");
}

/// Item 22: the README installs with `--locked` (`cargo install` ignores Cargo.lock without it),
/// and never shows the command without it.
#[test]
fn the_readme_installs_with_the_lock_file() {
    let readme = read("README.md");
    assert!(readme.contains("cargo install --locked --path ."), "README install line");
    for (i, line) in readme.lines().enumerate() {
        if line.contains("cargo install") && line.contains("--path") {
            assert!(line.contains("--locked"), "README.md:{}: {line}", i + 1);
        }
    }
}
