//! Did you mean: when a query finds nothing, or only articles with some of its words,
//! the closest query whose every word is in the index.
//!
//! Each query word that no article has (in title, lead or body, under the accent
//! rule) is replaced by the best one-edit correction that some article has:
//!
//! * a word typed with accents first tries the other accented forms of the same
//!   letters (a tone or vowel-mark slip: `nguyên nhăn` → `nguyên nhân`);
//! * otherwise its folded letters are edited once (a letter deleted, inserted,
//!   replaced, or two neighbours swapped). Vowel-for-vowel replacements and edits of
//!   the final consonant (`n`/`ng`, `c`/`t`, `ch`/`nh`…) come first, then the
//!   others; within a class the correction most articles have wins.
//!
//! The suggestion is only shown, never searched silently.

use tantivy::{Searcher, Term};

use crate::analysis::restore::Restorer;
use crate::analysis::{TokenKind, tokenize};
use crate::index::{Fields, TextField};

/// Words longer than this (bytes) are not corrected (codes, pasted text).
const MAX_WORD: usize = 12;
/// Queries with more words are not corrected.
const MAX_WORDS: usize = 12;

const FIELDS: [TextField; 3] = [TextField::Title, TextField::Lead, TextField::Body];

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// Articles having `text` in the exact (`exact`) or folded field of title, lead or
/// body (the most of the three).
fn df(searcher: &Searcher, fields: &Fields, text: &str, exact: bool) -> u64 {
    FIELDS
        .iter()
        .map(|&f| {
            let field = if exact {
                fields.exact(f)
            } else {
                fields.folded(f)
            };
            searcher
                .doc_freq(&Term::from_field_text(field, text))
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
}

/// Edit class of `cand` as a correction of `word` (0: vowel or final consonant).
fn class(word: &str, cand: &str) -> u8 {
    let (w, c) = (word.as_bytes(), cand.as_bytes());
    if w.len() == c.len() {
        let diff: Vec<usize> = (0..w.len()).filter(|&i| w[i] != c[i]).collect();
        if diff.len() == 1 && is_vowel(w[diff[0]]) && is_vowel(c[diff[0]]) {
            return 0;
        }
    }
    // the same onset and vowels, another final consonant
    let stem = |s: &[u8]| {
        let last_vowel = s.iter().rposition(|&b| is_vowel(b)).map_or(0, |i| i + 1);
        s[..last_vowel].to_vec()
    };
    if stem(w) == stem(c) && !stem(w).is_empty() {
        return 0;
    }
    1
}

/// Every string one edit away from `word` (lower-case ASCII letters).
fn edits(word: &str) -> Vec<String> {
    let w = word.as_bytes();
    let mut out = Vec::new();
    let push = |v: Vec<u8>, out: &mut Vec<String>| {
        if let Ok(s) = String::from_utf8(v)
            && !s.is_empty()
        {
            out.push(s);
        }
    };
    for i in 0..w.len() {
        let mut v = w.to_vec();
        v.remove(i);
        push(v, &mut out);
        if i + 1 < w.len() {
            let mut v = w.to_vec();
            v.swap(i, i + 1);
            push(v, &mut out);
        }
        for c in b'a'..=b'z' {
            if c != w[i] {
                let mut v = w.to_vec();
                v[i] = c;
                push(v, &mut out);
            }
        }
    }
    for i in 0..=w.len() {
        for c in b'a'..=b'z' {
            let mut v = w.to_vec();
            v.insert(i, c);
            push(v, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out.retain(|s| s != word);
    out
}

/// The corrected query, or `None` when every word is in the index or no word can be
/// corrected.
pub fn suggest(searcher: &Searcher, fields: &Fields, query: &str) -> Option<String> {
    let tokens: Vec<_> = tokenize(query)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .collect();
    if tokens.is_empty() || tokens.len() > MAX_WORDS {
        return None;
    }
    let mut out = String::with_capacity(query.len());
    let mut at = 0;
    let mut changed = false;
    for t in &tokens {
        let accented = t.normalized != t.folded;
        let text = if accented { &t.normalized } else { &t.folded };
        if df(searcher, fields, text, accented) > 0 {
            continue;
        }
        let mut best: Option<(u8, u64, String)> = None;
        let consider = |best: &mut Option<(u8, u64, String)>, class: u8, cand: String, n: u64| {
            if n == 0 {
                return;
            }
            let better = match best {
                None => true,
                Some((c, d, _)) => class < *c || (class == *c && n > *d),
            };
            if better {
                *best = Some((class, n, cand));
            }
        };
        if accented {
            let m = Restorer::global().model();
            for id in m.group(&t.folded) {
                let form = m.text(id);
                if form != t.normalized {
                    let n = df(searcher, fields, form, true);
                    consider(&mut best, 0, form.to_string(), n);
                }
            }
        }
        if best.is_none()
            && t.folded.len() <= MAX_WORD
            && t.folded.bytes().all(|b| b.is_ascii_lowercase())
        {
            for cand in edits(&t.folded) {
                let n = df(searcher, fields, &cand, false);
                consider(&mut best, class(&t.folded, &cand), cand, n);
            }
        }
        if let Some((_, _, cand)) = best {
            out.push_str(&query[at..t.start]);
            crate::analysis::restore::apply_case(&query[t.start..t.end], &cand, &mut out);
            at = t.end;
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&query[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_classes() {
        assert_eq!(class("nguyn", "nguyen"), 1);
        assert_eq!(class("than", "thang"), 0);
        assert_eq!(class("nhin", "nhan"), 0);
        assert_eq!(class("nhan", "khan"), 1);
        let e = edits("ab");
        assert!(e.contains(&"a".to_string()) && e.contains(&"ba".to_string()));
        assert!(e.contains(&"abc".to_string()) && e.contains(&"xb".to_string()));
        assert!(!e.contains(&"ab".to_string()));
    }
}
