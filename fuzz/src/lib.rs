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

const ARTICLES: &str = include_str!("../../tests/fixtures/search_articles.jsonl");
const COPIES: &str = include_str!("../../tests/fixtures/search_copies.jsonl");

/// A small index of the search fixtures (articles and syndicated copies) in `dir`,
/// built once per fuzzing process.
pub fn small_index(dir: &std::path::Path) -> tintuc::index::Archive {
    use tintuc::index::Archive;
    let archive = Archive::open_or_create(dir).expect("create the fuzz index");
    let mut w = archive.writer(64).expect("writer");
    for line in ARTICLES.lines().chain(COPIES.lines()) {
        let a = tintuc::extract::jsonl::parse_article(line.as_bytes()).expect("fixture line");
        w.upsert(&a).expect("upsert");
    }
    w.finish().expect("commit");
    Archive::open(dir).expect("open the fuzz index")
}
