//! Bytes → text. (Skeleton: UTF-8 with BOM, else lossy; the analysis work replaces it.)

/// Text decoded from bytes, with the encoding that was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Name of the encoding (`UTF-8`, `windows-1258`, `TCVN3`, `VNI`, ...).
    pub encoding: &'static str,
    /// True when bytes had to be replaced (U+FFFD) because they were invalid.
    pub lossy: bool,
}

/// Decodes `bytes`; `hint` is a declared charset (HTTP header, `<meta charset>`), if any.
pub fn decode(bytes: &[u8], _hint: Option<&str>) -> Decoded {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
            lossy: false,
        },
        Err(_) => Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: "UTF-8",
            lossy: true,
        },
    }
}
