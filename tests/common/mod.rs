//! Shared helpers for the end-to-end tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The real data folder `../shared` beside the repo (or `$TINTUC_SHARED`), if present.
/// When absent, prints why the calling test is skipped and returns `None`.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("TINTUC_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping {test}: {} is absent (real data lives beside the repo; set TINTUC_SHARED to point elsewhere)",
            dir.display()
        );
        None
    }
}

/// The built `tintuc` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tintuc"))
}
