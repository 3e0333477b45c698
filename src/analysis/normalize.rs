//! Normalization and folding. (Skeleton: NFC + lowercase; the analysis work replaces it.)

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Canonical form of a text: NFC, canonical tone-mark placement, `Ð`→`Đ`, lowercase.
pub fn normalize(text: &str) -> String {
    text.nfc()
        .map(|c| match c {
            'Ð' | 'ð' => 'đ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Folded form: [`normalize`]d, then without tone or vowel marks, `đ`→`d`.
pub fn fold(text: &str) -> String {
    normalize(text)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// True when the text has any diacritic or `đ` (so a query term matches exactly).
pub fn has_diacritics(text: &str) -> bool {
    fold(text) != normalize(text)
}
