//! Did you mean: when a query finds nothing, or only articles with some of its words,
//! the closest query that finds articles.
//!
//! Each query word that no article has (in title, lead or body, under the accent
//! rule) gets its one-edit corrections that some article has, in two classes:
//!
//! * **slips** first: the other accented forms of the same letters for a word typed
//!   with accents (a tone or vowel-mark slip: `nguyên nhăn` → `nguyên nhân`), and a
//!   changed final consonant (`n`/`ng`, `c`/`t`, `ch`/`nh`: `than` → `thang`);
//! * then **typos** of the folded letters: a letter left out, doubled, swapped with
//!   its neighbour, or hit beside the meant key (`nguyn` → `nguyen`), and last any
//!   other replacement or deletion (a third of the score's weight of a typo).
//!
//! Within a class, candidates are scored by how often the archive's restoration
//! statistics ([`crate::index::restore_stats`]) see them next to the neighbouring
//! query words (any accents), then by how many articles have them. The best few
//! of each word are combined, best total first, and the first combination that some
//! article has as a whole (every word, in title, lead or body) is the suggestion;
//! when none has, there is no suggestion. It is only shown, never searched silently.

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::analysis::restore::{ArchiveStats, CAP, Restorer};
use crate::analysis::{TokenKind, tokenize};
use crate::index::{Fields, TextField};

/// Words longer than this (bytes) are not corrected (codes, pasted text).
const MAX_WORD: usize = 12;
/// Queries with more words are not corrected.
const MAX_WORDS: usize = 12;
/// Candidates kept per word, and combinations tried (the best ones of all
/// `PER_WORD ^ words`, [`best_combinations`]).
const PER_WORD: usize = 3;
const MAX_COMBINATIONS: usize = 27;

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

/// The letters before the final consonant (`thang` → `tha`).
fn stem(s: &[u8]) -> &[u8] {
    let last_vowel = s.iter().rposition(|&b| is_vowel(b)).map_or(0, |i| i + 1);
    &s[..last_vowel]
}

/// QWERTY keys beside each other (same row, next key).
fn adjacent(a: u8, b: u8) -> bool {
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    ROWS.iter().any(|r| {
        let (i, j) = (
            r.iter().position(|&c| c == a),
            r.iter().position(|&c| c == b),
        );
        matches!((i, j), (Some(i), Some(j)) if i.abs_diff(j) == 1)
    })
}

/// Penalty of `cand` as a correction of `word` (both folded): 0 for a final
/// consonant slip, 1 for a common typo (a letter left out or doubled, two
/// neighbours swapped, a neighbouring key), 2 for any other edit.
fn penalty(word: &str, cand: &str) -> u8 {
    let (w, c) = (word.as_bytes(), cand.as_bytes());
    // another final consonant after the same letters (not one dropped or added)
    let (sw, sc) = (stem(w), stem(c));
    if !sw.is_empty() && sw == sc && w.len() > sw.len() && c.len() > sc.len() {
        return 0;
    }
    if c.len() == w.len() + 1 {
        return 1; // a letter left out
    }
    if c.len() + 1 == w.len() {
        // a letter typed twice
        let i = (0..c.len()).find(|&i| w[i] != c[i]).unwrap_or(c.len());
        return if i > 0 && w[i] == w[i - 1] { 1 } else { 2 };
    }
    let diff: Vec<usize> = (0..w.len()).filter(|&i| w[i] != c[i]).collect();
    match diff.as_slice() {
        [i, j] if *j == i + 1 => 1,
        [i] if adjacent(w[*i], c[*i]) => 1,
        _ => 2,
    }
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

/// How often the archive has a form of `a` (folded, or an exact accented form)
/// right before a form of `b`.
fn pair_support(stats: &ArchiveStats, a: &str, b: &str) -> u64 {
    let forms = |w: &str| -> Vec<u32> {
        if w != crate::analysis::fold(w) {
            return [stats.id(w), stats.id(&format!("{CAP}{w}"))]
                .into_iter()
                .flatten()
                .collect();
        }
        stats
            .group(w)
            .chain(stats.group(&format!("{CAP}{w}")))
            .collect()
    };
    let (fa, fb) = (forms(a), forms(b));
    let mut n = 0u64;
    for &x in &fa {
        for &y in &fb {
            n += stats.pair(x, y) as u64;
        }
    }
    n
}

/// A word's correction: its text (folded, or accented for an accent slip), class
/// (0 slip, 1 typo) and score.
#[derive(Debug, Clone)]
struct Cand {
    text: String,
    class: u8,
    score: f64,
}

/// Whether some article has every word (title, lead or body, accent rule).
fn finds(searcher: &Searcher, fields: &Fields, words: &[(String, bool)]) -> bool {
    let clauses: Vec<(Occur, Box<dyn TQuery>)> = words
        .iter()
        .map(|(w, exact)| {
            let any: Vec<(Occur, Box<dyn TQuery>)> = FIELDS
                .iter()
                .map(|&f| {
                    let field = if *exact {
                        fields.exact(f)
                    } else {
                        fields.folded(f)
                    };
                    let q: Box<dyn TQuery> = Box::new(TermQuery::new(
                        Term::from_field_text(field, w),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            let q: Box<dyn TQuery> = Box::new(BooleanQuery::new(any));
            (Occur::Must, q)
        })
        .collect();
    searcher
        .search(&BooleanQuery::new(clauses), &Count)
        .is_ok_and(|n| n > 0)
}

/// A combination being ranked: one candidate index per changed word, with the
/// total of their classes and scores.
#[derive(Debug, Clone)]
struct Combo {
    class: u32,
    score: f64,
    picks: Vec<usize>,
}

impl Combo {
    fn new(keys: &[Vec<(u32, f64)>], picks: Vec<usize>) -> Combo {
        let (mut class, mut score) = (0u32, 0.0f64);
        for (k, &p) in keys.iter().zip(&picks) {
            if let Some(&(c, s)) = k.get(p) {
                class += c;
                score += s;
            }
        }
        Combo {
            class,
            score,
            picks,
        }
    }
}

impl PartialEq for Combo {
    fn eq(&self, other: &Combo) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Combo {}

impl PartialOrd for Combo {
    fn partial_cmp(&self, other: &Combo) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Combo {
    /// Better first: lower total class, then higher total score, then the earlier
    /// candidates.
    fn cmp(&self, other: &Combo) -> std::cmp::Ordering {
        self.class
            .cmp(&other.class)
            .then(other.score.total_cmp(&self.score))
            .then_with(|| self.picks.cmp(&other.picks))
    }
}

/// The `max` best combinations of one candidate per word (`keys[j]`: word `j`'s
/// candidates as (class, score), best first), best first as [`Combo`] orders them.
///
/// A best-first walk of the tree in which a combination's parent has its last
/// non-zero index one lower: a child is never better than its parent (each word's
/// candidates are sorted), so the combinations come out in order, and the heap holds
/// at most `max × words` of them however many there are (`PER_WORD ^ words`).
fn best_combinations(keys: &[Vec<(u32, f64)>], max: usize) -> Vec<Vec<usize>> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut out = Vec::new();
    if keys.is_empty() || keys.iter().any(Vec::is_empty) {
        return out;
    }
    let mut heap = BinaryHeap::new();
    heap.push(Reverse(Combo::new(keys, vec![0; keys.len()])));
    while out.len() < max {
        let Some(Reverse(c)) = heap.pop() else { break };
        let last = c.picks.iter().rposition(|&p| p > 0).unwrap_or(0);
        for j in last..keys.len() {
            if c.picks[j] + 1 < keys[j].len() {
                let mut picks = c.picks.clone();
                picks[j] += 1;
                heap.push(Reverse(Combo::new(keys, picks)));
            }
        }
        out.push(c.picks);
    }
    out
}

/// The corrected query, or `None` when every word is in the index, no word can be
/// corrected, or no article has the corrected query. `restorer` gives the accent
/// variants and the archive's pair statistics.
pub fn suggest(
    searcher: &Searcher,
    fields: &Fields,
    restorer: &Restorer,
    query: &str,
) -> Option<String> {
    let tokens: Vec<_> = tokenize(query)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .collect();
    if tokens.is_empty() || tokens.len() > MAX_WORDS {
        return None;
    }
    let word = |i: usize| -> (String, bool) {
        let t = &tokens[i];
        let accented = t.normalized != t.folded;
        let text = if accented { &t.normalized } else { &t.folded };
        (text.clone(), accented)
    };
    let stats = restorer.archive();
    // per word: None (kept) or its candidates, best first
    let mut options: Vec<Option<Vec<Cand>>> = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        let (text, accented) = word(i);
        if df(searcher, fields, &text, accented) > 0 {
            options.push(None);
            continue;
        }
        let support = |cand: &str| -> f64 {
            let Some(s) = stats else { return 0.0 };
            let mut n = 0;
            if i > 0 {
                n += pair_support(s, &word(i - 1).0, cand);
            }
            if i + 1 < tokens.len() {
                n += pair_support(s, cand, &word(i + 1).0);
            }
            (n as f64).ln_1p()
        };
        let mut cands: Vec<Cand> = Vec::new();
        if accented {
            let m = restorer.model();
            for id in m.group(&t.folded) {
                let form = m.text(id);
                if form == t.normalized || form.starts_with(CAP) {
                    continue;
                }
                let n = df(searcher, fields, form, true);
                if n > 0 {
                    cands.push(Cand {
                        text: form.to_string(),
                        class: 0,
                        score: support(form) + 0.1 * (n as f64).ln_1p(),
                    });
                }
            }
        }
        if cands.is_empty()
            && t.folded.len() <= MAX_WORD
            && t.folded.bytes().all(|b| b.is_ascii_lowercase())
        {
            for cand in edits(&t.folded) {
                let n = df(searcher, fields, &cand, false);
                if n == 0 {
                    continue;
                }
                let p = penalty(&t.folded, &cand);
                let score = support(&cand) + 0.1 * (n as f64).ln_1p() - 1.5 * p.max(1) as f64;
                cands.push(Cand {
                    text: cand,
                    class: u8::from(p > 0),
                    score,
                });
            }
        }
        if cands.is_empty() {
            return None;
        }
        cands.sort_by(|a, b| {
            a.class
                .cmp(&b.class)
                .then(b.score.total_cmp(&a.score))
                .then(a.text.cmp(&b.text))
        });
        cands.truncate(PER_WORD);
        options.push(Some(cands));
    }
    let changed: Vec<usize> = (0..tokens.len())
        .filter(|&i| options[i].is_some())
        .collect();
    if changed.is_empty() {
        return None;
    }
    // combinations: one candidate per changed word, best (class, then score) first
    let keys: Vec<Vec<(u32, f64)>> = changed
        .iter()
        .map(|&i| {
            options[i]
                .iter()
                .flatten()
                .map(|o| (o.class as u32, o.score))
                .collect()
        })
        .collect();
    for c in best_combinations(&keys, MAX_COMBINATIONS) {
        let mut words: Vec<(String, bool)> = (0..tokens.len()).map(word).collect();
        for (j, &k) in c.iter().enumerate() {
            if let Some(o) = options[changed[j]].as_ref().and_then(|o| o.get(k)) {
                let exact = o.text != crate::analysis::fold(&o.text);
                words[changed[j]] = (o.text.clone(), exact);
            }
        }
        if !finds(searcher, fields, &words) {
            continue;
        }
        let mut out = String::with_capacity(query.len());
        let mut at = 0;
        for &i in &changed {
            let t = &tokens[i];
            out.push_str(&query[at..t.start]);
            crate::analysis::restore::apply_case(&query[t.start..t.end], &words[i].0, &mut out);
            at = t.end;
        }
        out.push_str(&query[at..]);
        return Some(out);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::index::Archive;

    #[test]
    fn edit_penalties() {
        assert_eq!(penalty("than", "thang"), 0);
        assert_eq!(penalty("nhat", "nhac"), 0);
        assert_eq!(penalty("nguyn", "nguyen"), 1, "a letter left out");
        assert_eq!(penalty("nguyn", "nguon"), 2, "y and o are not neighbours");
        assert_eq!(penalty("nguyn", "nguy"), 2, "a final dropped is no slip");
        assert_eq!(penalty("nguy", "nguyn"), 1, "a letter left out");
        assert_eq!(penalty("nhna", "nhan"), 1, "swapped");
        assert_eq!(penalty("nhaan", "nhan"), 1, "doubled");
        assert_eq!(penalty("nhsn", "nhan"), 1, "s is beside a");
        assert_eq!(penalty("nhpn", "nhan"), 2);
        let e = edits("ab");
        assert!(e.contains(&"a".to_string()) && e.contains(&"ba".to_string()));
        assert!(e.contains(&"abc".to_string()) && e.contains(&"xb".to_string()));
        assert!(!e.contains(&"ab".to_string()));
    }

    /// The best-first walk gives the same order as sorting every combination (ties
    /// included), for any number of words.
    #[test]
    fn best_combinations_are_the_sorted_ones() {
        let pool = [
            (0, -1.0),
            (0, -1.5),
            (1, -0.5),
            (1, -1.0),
            (1, -1.0),
            (1, -3.0),
        ];
        for words in 1..=6usize {
            let keys: Vec<Vec<(u32, f64)>> = (0..words)
                .map(|j| {
                    let n = 1 + (j * 7 + 3) % 3;
                    let mut k: Vec<(u32, f64)> =
                        (0..n).map(|i| pool[(j * 5 + i * 2) % pool.len()]).collect();
                    k.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
                    k
                })
                .collect();
            let mut all: Vec<Vec<usize>> = vec![Vec::new()];
            for k in &keys {
                all = all
                    .into_iter()
                    .flat_map(|c| {
                        (0..k.len()).map(move |i| {
                            let mut c = c.clone();
                            c.push(i);
                            c
                        })
                    })
                    .collect();
            }
            let mut want: Vec<Combo> = all.into_iter().map(|c| Combo::new(&keys, c)).collect();
            want.sort();
            let want: Vec<Vec<usize>> = want.into_iter().take(27).map(|c| c.picks).collect();
            assert_eq!(best_combinations(&keys, 27), want, "{words} words");
        }
        assert!(best_combinations(&[], 27).is_empty());
        assert!(best_combinations(&[vec![(0, 1.0)], vec![]], 27).is_empty());
    }

    fn archive(bodies: &[&str]) -> (tempfile::TempDir, Archive) {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let mut w = a.writer(64).unwrap();
        for (i, b) in bodies.iter().enumerate() {
            w.upsert(&Article {
                id: format!("a{i}"),
                body: b.to_string(),
                ..Default::default()
            })
            .unwrap();
        }
        w.commit().unwrap();
        drop(w);
        (dir, a)
    }

    fn suggest_in(a: &Archive, q: &str) -> Option<String> {
        suggest(&a.searcher(), a.fields(), &a.restorer(), q)
    }

    #[test]
    fn suggestions_prefer_what_the_archive_says() {
        let (_d, a) = archive(&[
            "Nguyên nhân vụ cháy đang được điều tra.",
            "Chưa rõ nguyên nhân sự cố.",
            "Nguồn nhân lực chất lượng cao.",
            "Nguồn nước sạch.",
            "Đội bóng nhận thêm cầu thủ.",
            "Mưa to ở Hà Nội.",
            "Nắng gắt ở Huế.",
        ]);
        // `nguyen` is one left-out letter away, `nguon` a key far from the typed one
        // (the edit decides here; the archive's pairs with `nhan` agree, and
        // `archive_pairs_break_ties_between_corrections` is where they decide)
        assert_eq!(suggest_in(&a, "nguyn nhan").as_deref(), Some("nguyen nhan"));
        assert_eq!(suggest_in(&a, "Nguyn nhan").as_deref(), Some("Nguyen nhan"));
        // `nguyen nuoc` ranks first but no article has it: the next one that some
        // article has as a whole
        assert_eq!(suggest_in(&a, "nguyn nuoc").as_deref(), Some("nguon nuoc"));
        // a tone slip of a word typed with accents
        assert_eq!(
            suggest_in(&a, "nguyên nhăn").as_deref(),
            Some("nguyên nhân")
        );
        // every word known: nothing to suggest
        assert_eq!(suggest_in(&a, "nguyen nhan"), None);
        // corrections that no article has together are not suggested
        assert_eq!(suggest_in(&a, "muaa gatt"), None);
        assert_eq!(suggest_in(&a, "muaa to").as_deref(), Some("mua to"));
        // a word with no correction: no suggestion
        assert_eq!(suggest_in(&a, "nguyn qqqqzz"), None);
    }

    /// The archive's pairs decide between two corrections of the same class that
    /// both find articles: `nhìn` is in more articles, but `nguyên nhân` is a pair the
    /// archive has seen. Without the archive's statistics the other one wins, so the
    /// pairs (not the class or the whole-query check) made the choice.
    #[test]
    fn archive_pairs_break_ties_between_corrections() {
        let (_d, a) = archive(&[
            "Nguyên nhân vụ cháy.",
            "Họ nhìn lại nguyên tắc.",
            "Nhìn từ xa.",
            "Nhìn gần.",
        ]);
        assert!(a.restorer().archive().is_some());
        assert_eq!(suggest_in(&a, "nguyen nhn").as_deref(), Some("nguyen nhan"));
        let base = Restorer::global();
        assert!(base.archive().is_none());
        assert_eq!(
            suggest(&a.searcher(), a.fields(), base, "nguyen nhn").as_deref(),
            Some("nguyen nhin")
        );
    }

    /// With five words to correct there are 2 × 3⁴ combinations. The best one
    /// (`than` …) finds nothing; the next best changes the first word (`thin` …), and
    /// must be tried even though it comes late in the order the combinations are
    /// built in.
    #[test]
    fn the_best_combination_is_found_among_many() {
        let (_d, a) = archive(&[
            "than",
            "than",
            "ban man lan han",
            "ban man lan han",
            "thin ban man lan han",
            "bon bun mon mun lon lun hon hun",
        ]);
        assert_eq!(
            suggest_in(&a, "thn bn mn ln hn").as_deref(),
            Some("thin ban man lan han")
        );
    }
}
