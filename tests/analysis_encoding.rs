//! Decoding real legacy files: the first paragraphs of the seed article saved as UTF-16,
//! Windows-1258, TCVN3 and VNI. The fixtures were made outside tintuc (glibc `iconv`
//! TCVN5712-1 for TCVN3, Python's cp1258 codec with tone marks as combining
//! characters, a VNI table in Python), so they check the tables independently.

use std::path::PathBuf;

use tintuc::analysis::encoding::decode;
use tintuc::analysis::tokenize;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn expected() -> String {
    String::from_utf8(fixture("analysis_seed.utf8.txt")).unwrap()
}

#[test]
fn legacy_files_decode_to_the_same_text() {
    let want = expected();
    for (file, encoding) in [
        ("analysis_seed.utf8.txt", "UTF-8"),
        ("analysis_seed.utf16le.txt", "UTF-16LE"),
        ("analysis_seed.cp1258.txt", "windows-1258"),
        ("analysis_seed.tcvn3.txt", "TCVN3"),
        ("analysis_seed.vni.txt", "VNI"),
    ] {
        let d = decode(&fixture(file), None);
        assert_eq!(d.encoding, encoding, "{file}");
        assert!(!d.lossy, "{file}");
        assert_eq!(d.text, want, "{file}");
    }
}

#[test]
fn legacy_files_declared_latin1_are_still_recognized() {
    let want = expected();
    for file in ["analysis_seed.tcvn3.txt", "analysis_seed.vni.txt"] {
        assert_eq!(
            decode(&fixture(file), Some("ISO-8859-1")).text,
            want,
            "{file}"
        );
    }
}

#[test]
fn decoded_legacy_text_indexes_like_unicode() {
    let want: Vec<_> = tokenize(&expected())
        .into_iter()
        .map(|t| t.normalized)
        .collect();
    let got: Vec<_> = tokenize(&decode(&fixture("analysis_seed.tcvn3.txt"), None).text)
        .into_iter()
        .map(|t| t.normalized)
        .collect();
    assert_eq!(got, want);
    assert!(want.iter().any(|w| w == "nqtw"));
}

#[test]
fn wrong_guesses_never_panic() {
    // Every fixture read with every hint, truncated at every length up to 300 bytes.
    let files = [
        "analysis_seed.utf8.txt",
        "analysis_seed.utf16le.txt",
        "analysis_seed.cp1258.txt",
        "analysis_seed.tcvn3.txt",
        "analysis_seed.vni.txt",
    ];
    let hints = [
        None,
        Some("utf-8"),
        Some("utf-16"),
        Some("tcvn3"),
        Some("vni"),
        Some("windows-1258"),
        Some("shift_jis"),
        Some("x-nonsense"),
    ];
    for file in files {
        let bytes = fixture(file);
        for hint in hints {
            for n in (0..bytes.len().min(300)).step_by(7) {
                let d = decode(&bytes[..n], hint);
                let _ = tokenize(&d.text);
            }
        }
    }
}
