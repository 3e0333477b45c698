//! tantivy tokenizers over the analysis pipeline, registered under stable names.
//!
//! Both analyzers run the same [`Tokens`] stream, so a document's exact and folded
//! fields have the same tokens at the same positions, with offsets into the original
//! field text (snippets highlight the right characters, also for NFD input). Both emit
//! the joined forms of dotted abbreviations ([`TokenKind::Joined`](super::TokenKind)).
//!
//! The names are part of the index format: renaming one, or changing what it emits,
//! needs a new [`ANALYZER_VERSION`](super::ANALYZER_VERSION) and a reindex.

use tantivy::tokenizer::{Token as TToken, TokenStream, Tokenizer, TokenizerManager};

use super::tokenize::{Analyzer, Tokens};

/// Name of the exact analyzer: normalized syllables with diacritics.
pub const EXACT: &str = "vi_exact";
/// Name of the folded analyzer: the same tokens and positions, folded.
pub const FOLDED: &str = "vi_folded";

/// Registers [`EXACT`] and [`FOLDED`] in a tantivy tokenizer manager (`index.tokenizers()`).
pub fn register(manager: &TokenizerManager) {
    manager.register(EXACT, VietTokenizer::exact());
    manager.register(FOLDED, VietTokenizer::folded());
}

/// The tantivy tokenizer: exact or folded forms of the analysis tokens.
#[derive(Clone, Debug)]
pub struct VietTokenizer {
    /// Emit folded forms (else the canonical forms).
    pub folded: bool,
    analyzer: Analyzer,
    token: TToken,
}

impl VietTokenizer {
    /// The tokenizer registered as [`EXACT`].
    pub fn exact() -> VietTokenizer {
        VietTokenizer {
            folded: false,
            analyzer: Analyzer::new().with_joined(true),
            token: TToken::default(),
        }
    }

    /// The tokenizer registered as [`FOLDED`].
    pub fn folded() -> VietTokenizer {
        VietTokenizer {
            folded: true,
            ..VietTokenizer::exact()
        }
    }
}

/// Token stream of a [`VietTokenizer`]; reuses the tokenizer's buffers.
pub struct VietTokenStream<'a> {
    tokens: Tokens<'a>,
    token: &'a mut TToken,
    folded: bool,
}

impl Tokenizer for VietTokenizer {
    type TokenStream<'a> = VietTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietTokenStream<'a> {
        self.token.reset();
        VietTokenStream {
            tokens: self.analyzer.tokens(text),
            token: &mut self.token,
            folded: self.folded,
        }
    }
}

impl TokenStream for VietTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if !self.tokens.advance() {
            return false;
        }
        let t = &mut *self.token;
        t.text.clear();
        t.text.push_str(if self.folded {
            self.tokens.folded()
        } else {
            self.tokens.normalized()
        });
        (t.offset_from, t.offset_to) = self.tokens.offsets();
        t.position = self.tokens.position() as usize;
        t.position_length = 1;
        true
    }
    fn token(&self) -> &TToken {
        self.token
    }
    fn token_mut(&mut self) -> &mut TToken {
        self.token
    }
}
