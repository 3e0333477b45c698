//! Vietnamese text analysis: everything that turns text into index terms.
//!
//! One pipeline, used identically when indexing and when planning a query:
//!
//! 1. [`encoding`]: bytes → Unicode text (UTF-8/16, Windows-1258, TCVN3, VNI).
//! 2. [`normalize`]: canonical form of a syllable (NFC, one tone-mark placement,
//!    `Ð`→`Đ`, lowercase) and its folded form (no marks, `đ`→`d`).
//! 3. [`tokenize`]: syllable tokens with byte offsets into the *original* text and positions.
//! 4. [`segment`]: groups syllables into words (`xây_dựng`).
//! 5. [`tantivy`]: the tokenizers registered in the index under stable names.
//!
//! Changing what any step produces for the same input bumps [`ANALYZER_VERSION`]:
//! an index built by another version must be rebuilt (`tintuc reindex`).

pub mod encoding;
pub mod normalize;
pub mod segment;
mod tables;
pub mod tantivy;
pub mod tokenize;

pub use normalize::{fold, has_diacritics, normalize};
pub use segment::Segmenter;
pub use tokenize::{Analyzer, Token, TokenKind, TokenRef, Tokens, tokenize};

/// Version of the analysis output; stored with every index.
pub const ANALYZER_VERSION: u32 = 1;
