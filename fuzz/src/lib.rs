//! Helpers shared by the fuzz targets in `src/bin/` (one binary per library entry point).
//! Each target is run by `scripts/fuzz.sh TARGET SECONDS` (honggfuzz, stable toolchain).

/// Splits off the first byte as option flags for the target (0 when the input is empty).
pub fn flags(data: &[u8]) -> (u8, &[u8]) {
    data.split_first().map_or((0, data), |(f, rest)| (*f, rest))
}

/// The input as text: valid UTF-8 as is, anything else decoded lossily, so every input
/// reaches the text entry points.
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}
