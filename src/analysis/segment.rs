//! Word segmentation. (Skeleton: every syllable a word; the segmentation work replaces it.)

use std::ops::Range;

use super::tokenize::Token;

/// Groups syllables into words.
#[derive(Debug, Default)]
pub struct Segmenter {}

impl Segmenter {
    /// The shared segmenter with the embedded model, loaded on first use.
    pub fn global() -> &'static Segmenter {
        static S: std::sync::OnceLock<Segmenter> = std::sync::OnceLock::new();
        S.get_or_init(Segmenter::default)
    }

    /// Words over `tokens` (tokens of `text`, from [`super::tokenize`]) as ranges of
    /// token indices, covering every token once, in order.
    pub fn segment_tokens(&self, _text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
        (0..tokens.len()).map(|i| i..i + 1).collect()
    }

    /// One line in the `tintuc segment` format: words separated by single spaces,
    /// syllables of a word joined by `_`, punctuation as separate words, original
    /// characters kept.
    pub fn segment_line(&self, line: &str) -> String {
        line.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}
