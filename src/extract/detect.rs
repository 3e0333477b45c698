//! Format detection: by file name, then by the first bytes.

use super::Format;

/// How many bytes of an input are looked at to detect its format.
pub const SNIFF_BYTES: usize = 4096;

/// True when `head` starts a gzip stream.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// The format a file name implies (`.html`, `.htm`, `.xhtml`, `.txt`, `.jsonl`,
/// `.ndjson`, `.json`, `.warc`, each also with `.gz`), or `None`.
///
/// ```
/// use tintuc::extract::{Format, detect::format_from_name};
/// assert_eq!(format_from_name("a/b.jsonl.gz"), Some(Format::Jsonl));
/// assert_eq!(format_from_name("x.WARC"), Some(Format::Warc));
/// assert_eq!(format_from_name("notes"), None);
/// ```
pub fn format_from_name(name: &str) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    let base = lower.strip_suffix(".gz").unwrap_or(&lower);
    let ext = base.rsplit_once('.').map(|(_, e)| e)?;
    if ext.contains('/') || ext.contains('\\') {
        return None;
    }
    match ext {
        "html" | "htm" | "xhtml" | "shtml" => Some(Format::Html),
        "txt" | "text" => Some(Format::Text),
        "jsonl" | "ndjson" | "json" | "jsonlines" => Some(Format::Jsonl),
        "warc" | "arc" => Some(Format::Warc),
        _ => None,
    }
}

/// File extensions that are never articles (images, media, archives, executables,
/// office documents); folders skip them without reading them.
pub fn is_binary_name(name: &str) -> bool {
    const EXT: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "webp", "bmp", "ico", "tif", "tiff", "avif", "heic", "svgz",
        "mp3", "mp4", "m4a", "m4v", "mov", "avi", "mkv", "webm", "ogg", "wav", "flac", "pdf",
        "zip", "7z", "rar", "tar", "tgz", "bz2", "xz", "zst", "exe", "dll", "so", "dylib", "o",
        "a", "bin", "class", "jar", "wasm", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt",
        "woff", "woff2", "ttf", "otf", "eot", "sqlite", "db", "parquet", "arrow", "pyc",
    ];
    let lower = name.to_ascii_lowercase();
    lower
        .rsplit_once('.')
        .is_some_and(|(_, e)| EXT.contains(&e))
}

/// The format the first bytes of a (decompressed) input suggest: `WARC/` → WARC,
/// `<` (after a BOM and whitespace) → HTML, `{` or `[` → JSON Lines, else text.
///
/// ```
/// use tintuc::extract::{Format, detect::sniff};
/// assert_eq!(sniff(b"WARC/1.1\r\n"), Format::Warc);
/// assert_eq!(sniff(b"\xEF\xBB\xBF  <!DOCTYPE html>"), Format::Html);
/// assert_eq!(sniff(b"{\"id\": 1}"), Format::Jsonl);
/// assert_eq!(sniff("16/06/2013 - 20:09".as_bytes()), Format::Text);
/// ```
pub fn sniff(head: &[u8]) -> Format {
    if head.starts_with(b"WARC/") {
        return Format::Warc;
    }
    let h = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = h
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(h.len());
    let h = &h[start..];
    match h.first() {
        Some(b'<') => Format::Html,
        Some(b'{') | Some(b'[') => Format::Jsonl,
        _ if is_utf16_html(h) => Format::Html,
        _ => Format::Text,
    }
}

/// `<` encoded as UTF-16 (with or without a BOM).
fn is_utf16_html(h: &[u8]) -> bool {
    let h = h
        .strip_prefix(b"\xFF\xFE")
        .or_else(|| h.strip_prefix(b"\xFE\xFF"))
        .unwrap_or(h);
    h.starts_with(b"<\0") || h.starts_with(b"\0<")
}

/// True when `head` looks like binary data rather than text in any encoding: a
/// known binary signature, or NUL bytes that are not UTF-16 text.
///
/// ```
/// use tintuc::extract::detect::looks_binary;
/// assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
/// assert!(!looks_binary("Giá vàng giảm".as_bytes()));
/// assert!(!looks_binary(b"\xFF\xFEh\0i\0"));
/// ```
pub fn looks_binary(head: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"%PDF",
        b"PK\x03\x04",
        b"7z\xBC\xAF",
        b"Rar!",
        b"\x7FELF",
        b"MZ",
        b"OggS",
        b"RIFF",
        b"ID3",
        b"\x28\xB5\x2F\xFD",
        b"BZh",
        b"\xFD7zXZ",
        b"SQLite format",
        b"\0asm",
        b"wOFF",
    ];
    if MAGIC.iter().any(|m| head.starts_with(m)) {
        return true;
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return false;
    }
    let nul = head.iter().filter(|&&b| b == 0).count();
    if nul == 0 {
        // Many control characters other than whitespace also mean binary.
        let ctrl = head
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
            .count();
        return ctrl * 10 > head.len().max(1);
    }
    // UTF-16 without a BOM: NULs on one parity only.
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = nul - even;
    let half = head.len() / 2;
    let utf16 = half >= 2 && (even == 0 || odd == 0) && nul * 10 >= half * 3;
    !utf16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(format_from_name("x.html"), Some(Format::Html));
        assert_eq!(format_from_name("x.HTM.gz"), Some(Format::Html));
        assert_eq!(format_from_name("dir.v2/file"), None);
        assert_eq!(format_from_name("a.txt"), Some(Format::Text));
        assert_eq!(format_from_name("a.ndjson"), Some(Format::Jsonl));
        assert_eq!(format_from_name("a.json.gz"), Some(Format::Jsonl));
        assert_eq!(
            format_from_name("index/raw/0001.warc.gz"),
            Some(Format::Warc)
        );
        assert_eq!(format_from_name("a.gz"), None);
        assert!(is_binary_name("photo.JPG"));
        assert!(!is_binary_name("a.html"));
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"<html>"), Format::Html);
        assert_eq!(sniff(b"\n\n  <!doctype html>"), Format::Html);
        assert_eq!(sniff(b"[{\"id\":1}]"), Format::Jsonl);
        assert_eq!(sniff(b""), Format::Text);
        assert_eq!(sniff(b"\xFF\xFE<\0h\0"), Format::Html);
        assert!(is_gzip(&[0x1f, 0x8b, 8]));
    }

    #[test]
    fn binary() {
        assert!(looks_binary(&[0u8, 1, 2, 3, 0, 0, 7, 8, 0, 200]));
        assert!(looks_binary(b"\x01\x02\x03\x04\x05abc"));
        assert!(!looks_binary(b"plain\ttext\r\n"));
        assert!(!looks_binary(b"h\0e\0l\0l\0o\0"));
        assert!(!looks_binary(b""));
    }
}
