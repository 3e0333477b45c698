//! End to end: `tintuc completions SHELL` and `tintuc man` from the clap definitions.

mod common;

use std::process::{Command, Output};

fn tintuc(args: &[&str]) -> Output {
    Command::new(common::bin())
        .args(args)
        .env_remove("TINTUC_INDEX")
        .output()
        .expect("run tintuc")
}

fn ok(args: &[&str]) -> String {
    let o = tintuc(args);
    assert!(
        o.status.success(),
        "tintuc {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8")
}

#[test]
fn completion_scripts_name_the_commands_and_flags() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef tintuc"),
        ("fish", "complete -c tintuc"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let s = ok(&["completions", shell]);
        assert!(s.contains(marker), "{shell}: no {marker:?}");
        for word in ["search", "serve", "ingest", "histogram"] {
            assert!(s.contains(word), "{shell} script lacks {word}");
        }
    }
    let o = tintuc(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("tcsh"));
}

#[test]
fn man_page_lists_every_command() {
    let page = ok(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH tintuc"),
        "not roff: {}",
        &page[..page.len().min(200)]
    );
    for word in [
        "search",
        "serve",
        "completions",
        "reindex",
        "Full\\-text search",
    ] {
        assert!(page.contains(word), "man page lacks {word}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("man1");
    ok(&["man", "--dir", &out.display().to_string()]);
    for f in ["tintuc.1", "tintuc-search.1", "tintuc-serve.1"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(text.contains(".TH"), "{f}");
    }
    let serve = std::fs::read_to_string(out.join("tintuc-serve.1")).expect("serve page");
    assert!(
        serve.contains("\\-\\-addr") && serve.contains("\\-\\-cors"),
        "{serve}"
    );
}
