//! tantivy tokenizers over [`super::tokenize`], registered under stable names.

use tantivy::tokenizer::{Token as TToken, TokenStream, Tokenizer, TokenizerManager};

use super::tokenize::tokenize;

/// Name of the exact analyzer: normalized syllables with diacritics.
pub const EXACT: &str = "vi_exact";
/// Name of the folded analyzer: the same tokens and positions, folded.
pub const FOLDED: &str = "vi_folded";

/// Registers [`EXACT`] and [`FOLDED`] in a tantivy tokenizer manager (`index.tokenizers()`).
pub fn register(manager: &TokenizerManager) {
    manager.register(EXACT, VietTokenizer { folded: false });
    manager.register(FOLDED, VietTokenizer { folded: true });
}

/// The tantivy tokenizer: exact or folded forms of [`tokenize`]'s tokens.
#[derive(Clone, Debug)]
pub struct VietTokenizer {
    pub folded: bool,
}

/// Token stream over a prepared token list.
pub struct VecTokenStream {
    tokens: Vec<TToken>,
    next: usize,
}

impl Tokenizer for VietTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = tokenize(text)
            .into_iter()
            .map(|t| TToken {
                offset_from: t.start,
                offset_to: t.end,
                position: t.position as usize,
                text: if self.folded { t.folded } else { t.normalized },
                position_length: 1,
            })
            .collect();
        VecTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &TToken {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut TToken {
        &mut self.tokens[self.next - 1]
    }
}
