//! The completion scripts under completions/ are generated from the CLI; this fails when they
//! drift. Regenerate with: `FAULTLINE_UPDATE_COMPLETIONS=1 cargo test --test suite completions::`.

use clap_complete::Shell;

const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "faultline.bash"),
    (Shell::Zsh, "_faultline"),
    (Shell::Fish, "faultline.fish"),
    (Shell::PowerShell, "_faultline.ps1"),
    (Shell::Elvish, "faultline.elv"),
];

fn generated(shell: Shell) -> Vec<u8> {
    let mut cmd = faultline::cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "faultline", &mut out);
    out
}

#[test]
fn checked_in_completions_match_the_cli() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("FAULTLINE_UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SHELLS {
        let path = dir.join(file);
        let want = generated(shell);
        if update {
            std::fs::write(&path, &want).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
            continue;
        }
        let have = std::fs::read(&path).unwrap_or_default();
        if have != want {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "completions/{stale:?} are stale: run FAULTLINE_UPDATE_COMPLETIONS=1 cargo test --test suite completions::"
    );
}

#[test]
fn the_binary_prints_the_same_script() {
    let out = assert_cmd::Command::cargo_bin("faultline")
        .unwrap_or_else(|e| panic!("{e}"))
        .args(["completions", "bash"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    assert_eq!(out.stdout, generated(Shell::Bash));
}
