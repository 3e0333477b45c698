//! Bytes → text for HTML: gzip, binary sniffing, and the declared charset (HTTP
//! `Content-Type`, `<meta charset>`, `<meta http-equiv>`, XML declaration) passed as
//! the hint to [`crate::analysis::encoding::decode`], which detects when none is declared.

use std::io::Read;

/// How many leading bytes are searched for a `<meta>` charset declaration.
const PRESCAN: usize = 16 * 1024;

/// The charset named in a `Content-Type` value (`text/html; charset=windows-1258`).
pub(crate) fn from_content_type(ct: &str) -> Option<String> {
    let lower = ct.to_ascii_lowercase();
    let pos = lower.find("charset=")?;
    let v = &ct[pos + 8..];
    let v = v.trim_start_matches(['"', '\'', ' ']);
    let end = v
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(v.len());
    let name = v[..end].trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// The charset a page declares in its first bytes (`<meta charset>`, `http-equiv`,
/// `<?xml encoding?>`).
pub(crate) fn from_markup(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(PRESCAN)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + p;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = trim_start(rest, b" \t\r\n");
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest, b" \t\r\n\"'");
                let len = rest
                    .iter()
                    .position(|b| {
                        matches!(
                            b,
                            b'"' | b'\'' | b';' | b' ' | b'/' | b'>' | b'\t' | b'\r' | b'\n'
                        )
                    })
                    .unwrap_or(rest.len());
                if len > 0 {
                    return Some(String::from_utf8_lossy(&rest[..len]).into_owned());
                }
            }
        }
        from = end.max(start + 5);
    }
    if lower.starts_with(b"<?xml") {
        let end = memchr::memmem::find(&lower, b"?>").unwrap_or(lower.len().min(200));
        let decl = &lower[..end];
        if let Some(e) = memchr::memmem::find(decl, b"encoding=") {
            let rest = trim_start(&decl[e + 9..], b"\"' ");
            let len = rest
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b' '))
                .unwrap_or(rest.len());
            if len > 0 {
                return Some(String::from_utf8_lossy(&rest[..len]).into_owned());
            }
        }
    }
    None
}

fn trim_start<'a>(mut s: &'a [u8], set: &[u8]) -> &'a [u8] {
    while let Some((f, rest)) = s.split_first() {
        if set.contains(f) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// True when the bytes are plainly not text: NUL bytes or many control bytes at the start.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    if head.is_empty() {
        return false;
    }
    // UTF-16 pages carry a BOM and are text.
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)))
        .count();
    control * 20 > head.len() || head.contains(&0)
}

/// True when the bytes start like gzip.
pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Decompresses gzip, reading at most `limit + 1` bytes of output (so a bomb is
/// caught as too large); `Err` carries the decoder's message.
pub(crate) fn gunzip(bytes: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_charset() {
        assert_eq!(
            from_content_type("text/html; charset=Windows-1258").as_deref(),
            Some("Windows-1258")
        );
        assert_eq!(
            from_content_type("text/html; charset=\"utf-8\"").as_deref(),
            Some("utf-8")
        );
        assert_eq!(from_content_type("text/html"), None);
    }

    #[test]
    fn markup_charset() {
        assert_eq!(
            from_markup(b"<html><head><meta charset=\"windows-1258\">").as_deref(),
            Some("windows-1258")
        );
        assert_eq!(
            from_markup(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\">"
            )
            .as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(
            from_markup(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><html>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(from_markup(b"<html><meta name=x content=y>"), None);
    }

    #[test]
    fn binary_and_gzip() {
        assert!(looks_binary(b"\x00\x01\x02PK\x03\x04"));
        assert!(!looks_binary("<html>Tiếng Việt</html>".as_bytes()));
        let mut gz = Vec::new();
        {
            use std::io::Write;
            let mut w = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::fast());
            w.write_all(&[b'a'; 1000]).unwrap();
        }
        assert!(is_gzip(&gz));
        assert_eq!(gunzip(&gz, 10_000).unwrap().len(), 1000);
        assert_eq!(gunzip(&gz, 10).unwrap().len(), 11, "stops after the limit");
        assert!(gunzip(&gz[..gz.len() / 2], 10_000).is_err());
    }
}
