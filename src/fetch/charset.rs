//! Content types and charsets of fetched pages.
//!
//! The charset comes from the `Content-Type` header, else from a `<meta charset>`
//! (or `http-equiv`) in the first 2 KiB of the page. A page in a declared legacy
//! charset (Windows-1258, Windows-1252, ...) is turned into UTF-8 here, and handed
//! on labelled `charset=utf-8` (the header outranks `<meta>` in HTML), so every
//! extractor sees the same text. Without any declaration the bytes pass unchanged
//! and the extractor's detection (`analysis::encoding`) decides.

use std::borrow::Cow;

/// The media type of a `Content-Type` value, lowercased (`text/html`).
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// True when a response with this `Content-Type` (and these first bytes, used when
/// the header is missing or generic) is an HTML page.
pub fn is_html(content_type: Option<&str>, first_bytes: &[u8]) -> bool {
    match content_type.map(media_type).as_deref() {
        Some("text/html") | Some("application/xhtml+xml") => true,
        None | Some("") | Some("application/octet-stream") | Some("text/plain") => {
            looks_like_html(first_bytes)
        }
        _ => false,
    }
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<!doctype html") || t.starts_with("<html") || t.contains("<head")
}

/// The `charset` parameter of a `Content-Type` value.
pub fn header_charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

/// The charset a page declares in its first 2 KiB (`<meta charset=...>` or
/// `<meta http-equiv="Content-Type" content="...; charset=...">`).
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = memchr::memmem::find(tag, b"charset=") {
            let v = &tag[c + 8..];
            let v: Vec<u8> = v
                .iter()
                .copied()
                .skip_while(|b| *b == b'"' || *b == b'\'' || *b == b' ')
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                .collect();
            if !v.is_empty() {
                return Some(String::from_utf8_lossy(&v).into_owned());
            }
        }
        from = end;
    }
    None
}

/// The page as UTF-8 with the `Content-Type` to hand to the extractor.
///
/// ```
/// use tintuc::fetch::charset::to_utf8;
/// // "Việt" in Windows-1258: ê (0xEA) and a combining dot below (0xF2).
/// let (bytes, ct) = to_utf8(b"Vi\xEA\xF2t", Some("text/html; charset=windows-1258"));
/// assert_eq!(std::str::from_utf8(&bytes).unwrap(), "Vi\u{ea}\u{323}t");
/// assert_eq!(ct.as_deref(), Some("text/html; charset=utf-8"));
/// ```
pub fn to_utf8<'a>(bytes: &'a [u8], content_type: Option<&str>) -> (Cow<'a, [u8]>, Option<String>) {
    let declared = content_type
        .and_then(header_charset)
        .or_else(|| meta_charset(bytes));
    let Some(label) = declared else {
        return (Cow::Borrowed(bytes), content_type.map(str::to_string));
    };
    let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) else {
        // A label the WHATWG table does not know (TCVN3, VNI): leave it to the extractor.
        return (Cow::Borrowed(bytes), content_type.map(str::to_string));
    };
    if enc == encoding_rs::UTF_8 {
        return (Cow::Borrowed(bytes), content_type.map(str::to_string));
    }
    let (text, _, _) = enc.decode(bytes);
    let media = content_type
        .map(media_type)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "text/html".to_string());
    (
        Cow::Owned(text.into_owned().into_bytes()),
        Some(format!("{media}; charset=utf-8")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_detection() {
        assert!(is_html(Some("text/html; charset=UTF-8"), b""));
        assert!(is_html(Some("application/xhtml+xml"), b""));
        assert!(!is_html(Some("application/pdf"), b"%PDF-1.4"));
        assert!(!is_html(Some("image/jpeg"), b"<html>"));
        assert!(is_html(None, b"  <!DOCTYPE html><html>"));
        assert!(!is_html(None, b"%PDF-1.4"));
    }

    #[test]
    fn charsets_from_header_and_meta() {
        assert_eq!(
            header_charset("text/html; Charset=\"windows-1258\"").as_deref(),
            Some("windows-1258")
        );
        assert_eq!(header_charset("text/html"), None);
        assert_eq!(
            meta_charset(b"<html><head><meta charset=\"Windows-1258\"></head>").as_deref(),
            Some("windows-1258")
        );
        assert_eq!(
            meta_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
            )
            .as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(meta_charset(b"<meta name=x content=y>"), None);
    }

    #[test]
    fn windows_1258_page_becomes_utf8() {
        // Windows-1258: 0xF0 = đ, 0xEA = ê, 0xF2 = combining dot below.
        let page =
            b"<html><head><meta charset=windows-1258></head><body>\xF0\xEA\xF2p</body></html>";
        let (bytes, ct) = to_utf8(page, Some("text/html"));
        let s = std::str::from_utf8(&bytes).unwrap();
        assert!(s.contains("đê\u{0323}p"), "{s}");
        assert_eq!(ct.as_deref(), Some("text/html; charset=utf-8"));
        let (same, ct) = to_utf8(b"<p>abc</p>", Some("text/html; charset=utf-8"));
        assert!(matches!(same, Cow::Borrowed(_)));
        assert_eq!(ct.as_deref(), Some("text/html; charset=utf-8"));
    }
}
