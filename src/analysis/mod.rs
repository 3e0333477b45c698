//! Vietnamese text analysis: everything that turns text into index terms.
//!
//! One pipeline, used identically when indexing and when planning a query:
//!
//! 1. [`encoding`]: bytes → Unicode text (UTF-8/16, Windows-1258, TCVN3, VNI), with
//!    detection of unlabeled legacy text.
//! 2. [`mod@normalize`]: canonical form of a syllable (NFC, one tone-mark placement,
//!    `Ð`→`đ`, lower case) and its folded form (no marks, `đ`→`d`). The rules, including
//!    the tone-placement rule, are documented there.
//! 3. [`mod@tokenize`]: syllable and number tokens with byte offsets into the *original*
//!    text and consecutive positions; the token rules are documented there.
//! 4. [`segment`]: groups syllables into words (`xây_dựng`).
//!    [`restore`] puts back the diacritics of text typed without them (`gia vang` →
//!    `giá vàng`), for queries.
//! 5. [`tantivy`]: the tokenizers registered in the index under stable names
//!    ([`tantivy::EXACT`], [`tantivy::FOLDED`]).
//!
//! # What the search planner relies on
//!
//! A query is analyzed with the same functions: [`tokenize()`] (or [`normalize()`] and
//! [`fold()`] on a single term). A query term's canonical form equals the exact index term
//! of the same word whatever its encoding, Unicode form, tone-mark placement or case,
//! and its folded form equals the folded index term. [`has_diacritics`] on the canonical
//! form tells which field to search: with any tone or vowel mark or `đ`, the exact field;
//! without, the folded field.
//!
//! # Speed
//!
//! The index runs [`Analyzer`]/[`Tokens`]: a single pass over the text that reads ASCII
//! and precomposed Vietnamese letters from small tables (about 1 KB in all) and writes
//! the canonical and folded forms into reused buffers, with no allocation per token;
//! only runs with combining marks or letters of other scripts go through
//! `unicode-normalization`. [`tokenize()`] is the convenient owned-`Vec` form of it.

pub mod encoding;
pub mod normalize;
pub mod restore;
pub mod segment;
mod tables;
pub mod tantivy;
pub mod tokenize;

pub use normalize::{fold, has_diacritics, normalize};
pub use segment::Segmenter;
pub use tokenize::{Analyzer, Token, TokenKind, TokenRef, Tokens, tokenize};

/// Version of the analysis output; stored with every index.
///
/// It stays 1 until the first index is shipped. After that, any change to what the
/// analysis produces for the same input (normalization, tone placement, folding, token
/// rules, joined forms, length limit, analyzer names) must bump it: an index built by
/// another version must be rebuilt (`tintuc reindex`).
pub const ANALYZER_VERSION: u32 = 1;
