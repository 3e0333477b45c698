//! Syllable tokenizer. (Skeleton: alphanumeric runs; the analysis work replaces it.)

use super::normalize::{fold, normalize};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A syllable or other run of letters.
    Word,
    /// A number (digits, with `.`/`,` separators).
    Number,
}

/// One token: a syllable, a number or a piece of a code/URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    /// Token position (0, 1, 2, ...); phrase queries need consecutive positions.
    pub position: u32,
    /// Canonical form ([`normalize`]).
    pub normalized: String,
    /// Folded form ([`fold`]).
    pub folded: String,
    pub kind: TokenKind,
}

/// Splits `text` into tokens with offsets into `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let inside = c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let piece = &text[s..i];
                out.push(Token {
                    start: s,
                    end: i,
                    position: out.len() as u32,
                    normalized: normalize(piece),
                    folded: fold(piece),
                    kind: if piece.chars().all(|c| c.is_ascii_digit()) {
                        TokenKind::Number
                    } else {
                        TokenKind::Word
                    },
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}
