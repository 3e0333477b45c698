//! Snippets: the best short passage of an article, with the matched words marked.
//!
//! The stored text is analyzed with [`crate::analysis::tokenize()`] (the index's own
//! tokenizer, so byte offsets point into the original text, also for NFD or old-style
//! input) and every token is compared with the query's [`Needle`]s under the same
//! accent rule as the search: exact (normalized) form for accented query syllables,
//! folded form otherwise, folded only with [`Accents::Loose`]. A needle of several
//! tokens (a phrase, or a word like `TP.HCM`) only matches at consecutive positions.
//!
//! tantivy's `SnippetGenerator` works on one field with one tokenizer; our matches
//! span the exact and the folded fields at once, hence this small window scorer.
//!
//! ```
//! use tintuc::search::snippet::{make_snippet, needles_for};
//! use tintuc::search::Accents;
//! let needles = needles_for("giá vàng");
//! let s = make_snippet("Sáng nay giá vàng miếng giảm mạnh.", &needles, Accents::Strict, 200);
//! assert_eq!(&s.text[s.highlights[0].clone()], "giá vàng");
//! ```

use std::ops::Range;

use crate::analysis::tokenize;
use crate::analysis::tokenize::Analyzer;
use crate::index::TextField;

use super::Accents;
use super::plan::{Needle, QTok};

/// A passage of text with highlighted byte ranges (sorted, not overlapping).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<Range<usize>>,
}

impl Snippet {
    /// The highlights as character (Unicode scalar) offsets, for JSON consumers.
    pub fn char_highlights(&self) -> Vec<[usize; 2]> {
        let mut out = Vec::with_capacity(self.highlights.len());
        let mut chars = 0;
        let mut at = 0;
        for r in &self.highlights {
            chars += self.text[at..r.start].chars().count();
            let len = self.text[r.start..r.end].chars().count();
            out.push([chars, chars + len]);
            chars += len;
            at = r.end;
        }
        out
    }
}

/// Needles for plain query text (every word, no operators): for examples and tests.
pub fn needles_for(text: &str) -> Vec<Needle> {
    let tokens = tokenize(text);
    vec![Needle {
        field: None,
        tokens: tokens
            .iter()
            .enumerate()
            .map(|(i, t)| QTok {
                normalized: t.normalized.clone(),
                folded: t.folded.clone(),
                accented: t.normalized != t.folded,
                offset: i as u32,
            })
            .collect(),
    }]
}

/// True when a needle restricted to `field` (or unrestricted) applies to `target`.
pub fn applies(needle: &Needle, target: TextField) -> bool {
    match needle.field {
        Some(f) => f == target,
        None => matches!(
            target,
            TextField::Title | TextField::Kicker | TextField::Lead | TextField::Body
        ),
    }
}

fn token_matches(normalized: &str, folded: &str, q: &QTok, accents: Accents) -> bool {
    if q.accented && accents == Accents::Strict {
        normalized == q.normalized
    } else {
        folded == q.folded
    }
}

/// Most needle tokens (over all needles) looked for in one text.
const MAX_SLOTS: usize = 128;

/// One occurrence of a needle: byte range in the text and which needle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub range: Range<usize>,
    pub needle: usize,
}

/// Every occurrence of the needles in `text` (sorted by start).
pub fn find_matches(text: &str, needles: &[&Needle], accents: Accents) -> Vec<Match> {
    let mut out = Vec::new();
    if !needles.is_empty() && !text.is_empty() {
        matches_in(text, 0, needles, accents, &mut out);
    }
    out
}

/// Like [`find_matches`], paragraph by paragraph, stopping after the paragraph that
/// takes the scanned text past `budget` bytes once something matched (here, or
/// before when `matched_before`): long articles cost no more than their first
/// screen, unless their only matches are further on. Returns the bytes scanned too.
pub fn find_matches_within(
    text: &str,
    needles: &[&Needle],
    accents: Accents,
    budget: usize,
    matched_before: bool,
) -> (Vec<Match>, usize) {
    let mut out = Vec::new();
    if needles.is_empty() || text.is_empty() {
        return (out, 0);
    }
    let mut start = 0;
    while start < text.len() {
        if start >= budget && (matched_before || !out.is_empty()) {
            break;
        }
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        matches_in(&text[start..end], start, needles, accents, &mut out);
        start = end;
    }
    (out, start)
}

/// Appends the matches in `text` (which starts at byte `base` of the full text).
///
/// One pass of the streaming tokenizer (no allocation per token) marks, for every
/// token, which needle tokens it matches (a bit per needle token); needles of
/// several tokens then check the tokens at the following positions.
fn matches_in(
    text: &str,
    base: usize,
    needles: &[&Needle],
    accents: Accents,
    out: &mut Vec<Match>,
) {
    // Bit `first[n] + j` is token `j` of needle `n`; needles past MAX_SLOTS are left out.
    let mut first = Vec::with_capacity(needles.len());
    let mut slots: Vec<&QTok> = Vec::new();
    for n in needles {
        if slots.len() + n.tokens.len() > MAX_SLOTS {
            break;
        }
        first.push(slots.len());
        slots.extend(n.tokens.iter());
    }
    // (position, start, end, bits) of the tokens matching some needle token.
    let mut hits: Vec<(u32, usize, usize, u128)> = Vec::new();
    // With the joined forms the index also has (`TP.HCM` → `tphcm`), so `tphcm` lights up.
    let mut analyzer = Analyzer::new().with_joined(true);
    let mut tokens = analyzer.tokens(text);
    while tokens.advance() {
        let (norm, fold) = (tokens.normalized(), tokens.folded());
        let mut bits = 0u128;
        for (k, q) in slots.iter().enumerate() {
            if token_matches(norm, fold, q, accents) {
                bits |= 1 << k;
            }
        }
        if bits != 0 {
            let (start, end) = tokens.offsets();
            hits.push((tokens.position(), start, end, bits));
        }
    }
    // Positions never decrease along the text, but keep the order explicit.
    hits.sort_by_key(|h| (h.0, h.1));
    for (i, &(pos, start, end, bits)) in hits.iter().enumerate() {
        for (n, &f) in first.iter().enumerate() {
            if bits & (1 << f) == 0 {
                continue;
            }
            let mut last_end = end;
            let mut j = i;
            let ok = needles[n].tokens.iter().enumerate().skip(1).all(|(t, q)| {
                let want = pos + q.offset;
                while j < hits.len() && hits[j].0 < want {
                    j += 1;
                }
                // Several tokens may share a position (a joined abbreviation and its part).
                let found = hits[j..]
                    .iter()
                    .take_while(|h| h.0 == want)
                    .find(|h| h.3 & (1 << (f + t)) != 0);
                if let Some(h) = found {
                    last_end = last_end.max(h.2);
                }
                found.is_some()
            });
            if ok {
                out.push(Match {
                    range: base + start..base + last_end,
                    needle: n,
                });
            }
        }
    }
}

/// Merges overlapping ranges.
fn merge(mut v: Vec<Range<usize>>) -> Vec<Range<usize>> {
    v.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Highlight ranges of the whole `text` (for titles).
pub fn highlight_all(text: &str, needles: &[&Needle], accents: Accents) -> Vec<Range<usize>> {
    merge(
        find_matches(text, needles, accents)
            .into_iter()
            .map(|m| m.range)
            .collect(),
    )
}

/// The best window of `matches`: (score, first match index, last match index).
fn best_window(text: &str, matches: &[Match], max_chars: usize) -> Option<(usize, usize, usize)> {
    if matches.is_empty() {
        return None;
    }
    // Character offset of every match start and end.
    let mut starts = Vec::with_capacity(matches.len());
    let mut ends = Vec::with_capacity(matches.len());
    let (mut at, mut chars) = (0usize, 0usize);
    for m in matches {
        if m.range.start >= at {
            chars += text[at..m.range.start].chars().count();
            at = m.range.start;
        }
        starts.push(chars);
        ends.push(chars + text[m.range.clone()].chars().count());
    }
    let mut best: Option<(usize, usize, usize)> = None;
    let mut seen: Vec<usize> = Vec::new();
    for a in 0..matches.len() {
        seen.clear();
        let mut b = a;
        let mut count = 0;
        while b < matches.len() && ends[b].saturating_sub(starts[a]) <= max_chars {
            if !seen.contains(&matches[b].needle) {
                seen.push(matches[b].needle);
            }
            count += 1;
            b += 1;
        }
        if b == a {
            // A single match longer than the window.
            b = a + 1;
            seen.push(matches[a].needle);
            count = 1;
        }
        let score = seen.len() * 1000 + count;
        if best.is_none_or(|x| score > x.0) {
            best = Some((score, a, b - 1));
        }
    }
    best
}

/// Score of the best window of `text` (0 when nothing matches).
pub fn text_score(text: &str, matches: &[Match], max_chars: usize) -> usize {
    best_window(text, matches, max_chars).map_or(0, |b| b.0)
}

/// The passage of about `max_chars` characters around the best window of matches, or
/// the beginning of `text` when nothing matches. Whitespace runs become one space.
pub fn snippet_from(text: &str, matches: &[Match], max_chars: usize) -> Snippet {
    let (from, to) = match best_window(text, matches, max_chars) {
        Some((_, a, b)) => {
            let ws = matches[a].range.start;
            let we = matches[a..=b]
                .iter()
                .map(|m| m.range.end)
                .max()
                .unwrap_or(ws);
            let used = text[ws..we].chars().count();
            let spare = max_chars.saturating_sub(used);
            let before = (spare / 4).min(60);
            let start = back_to_boundary(text, ws, before);
            let end = forward_to_boundary(
                text,
                we,
                max_chars.saturating_sub(text[start..we].chars().count()),
            );
            (start, end)
        }
        None => (0, forward_to_boundary(text, 0, max_chars)),
    };
    let ranges = merge(
        matches
            .iter()
            .filter(|m| m.range.start >= from && m.range.end <= to)
            .map(|m| m.range.clone())
            .collect(),
    );
    render(text, from, to, &ranges)
}

/// A start at most `max_back` characters before `at`: after a sentence end or at a
/// word start.
fn back_to_boundary(text: &str, at: usize, max_back: usize) -> usize {
    let mut start = at;
    let mut word_start = at;
    for (n, (i, c)) in text[..at].char_indices().rev().enumerate() {
        if n >= max_back {
            return word_start;
        }
        if c == '\n' || ((c == '.' || c == '!' || c == '?') && i + 1 < at) {
            return next_non_space(text, i + c.len_utf8()).min(at);
        }
        if c.is_whitespace() {
            word_start = i + c.len_utf8();
        }
        start = i;
    }
    start
}

fn next_non_space(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, _)| from + i)
}

/// An end at most `max_forward` characters after `at`, cut at a word end.
fn forward_to_boundary(text: &str, at: usize, max_forward: usize) -> usize {
    let mut last_space = None;
    for (n, (i, c)) in text[at..].char_indices().enumerate() {
        if c.is_whitespace() {
            last_space = Some(at + i);
        }
        if n >= max_forward {
            return last_space.unwrap_or(at + i);
        }
    }
    text.len()
}

/// Copies `text[from..to]`, collapsing whitespace, adding `…` where cut, and moving
/// `ranges` (byte ranges of `text`) into the output.
fn render(text: &str, from: usize, to: usize, ranges: &[Range<usize>]) -> Snippet {
    let mut out = String::with_capacity(to - from + 8);
    let mut highlights = Vec::with_capacity(ranges.len());
    if from > 0 {
        out.push('…');
    }
    let mut ri = 0;
    let mut open: Option<usize> = None;
    let mut pending_space = false;
    for (i, c) in text[from..to].char_indices() {
        let i = from + i;
        if let Some(s) = open
            && ri < ranges.len()
            && i >= ranges[ri].end
        {
            highlights.push(s..out.len());
            open = None;
            ri += 1;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            if !out.is_empty() && !out.ends_with('…') {
                out.push(' ');
            }
            pending_space = false;
        }
        if open.is_none() && ri < ranges.len() && i >= ranges[ri].start {
            open = Some(out.len());
        }
        out.push(c);
    }
    if let Some(s) = open {
        highlights.push(s..out.len());
    }
    if to < text.len() {
        out.push('…');
    }
    Snippet {
        text: out,
        highlights,
    }
}

/// Bytes of an article's texts (lead, then body, ...) scanned for the snippet once
/// something matched: about a screen.
pub const SCAN_BUDGET: usize = 1024;

/// The snippet of an article: the best passage among `texts` (lead, body, ...), or
/// the start of the first non-empty one when none matches.
pub fn make_snippet_of(
    texts: &[(TextField, &str)],
    needles: &[Needle],
    accents: Accents,
    max_chars: usize,
) -> Snippet {
    let mut best: Option<(usize, usize, Vec<Match>)> = None;
    let mut scanned = 0;
    for (k, (field, text)) in texts.iter().enumerate() {
        let mine: Vec<&Needle> = needles.iter().filter(|n| applies(n, *field)).collect();
        let (matches, n) = find_matches_within(
            text,
            &mine,
            accents,
            SCAN_BUDGET.saturating_sub(scanned),
            best.is_some(),
        );
        scanned += n;
        let score = text_score(text, &matches, max_chars);
        if score > 0 && best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, k, matches));
        }
    }
    match best {
        Some((_, k, matches)) => snippet_from(texts[k].1, &matches, max_chars),
        None => texts
            .iter()
            .find(|(_, t)| !t.trim().is_empty())
            .map(|(_, t)| snippet_from(t, &[], max_chars))
            .unwrap_or_default(),
    }
}

/// [`make_snippet_of`] for one body text.
pub fn make_snippet(text: &str, needles: &[Needle], accents: Accents, max_chars: usize) -> Snippet {
    make_snippet_of(&[(TextField::Body, text)], needles, accents, max_chars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn marked(s: &Snippet) -> String {
        let mut out = String::new();
        let mut at = 0;
        for r in &s.highlights {
            out.push_str(&s.text[at..r.start]);
            out.push('[');
            out.push_str(&s.text[r.clone()]);
            out.push(']');
            at = r.end;
        }
        out.push_str(&s.text[at..]);
        out
    }

    fn words(q: &str) -> Vec<Needle> {
        // One needle per word, like a query of plain words.
        q.split_whitespace().flat_map(needles_for).collect()
    }

    #[test]
    fn accent_rule_in_highlights() {
        let text = "Đảng đang dáng đứng. Xây dựng Đảng.";
        let s = make_snippet(text, &words("đảng"), Accents::Strict, 200);
        assert_eq!(marked(&s), "[Đảng] đang dáng đứng. Xây dựng [Đảng].");
        let s = make_snippet(text, &words("dang"), Accents::Strict, 200);
        assert_eq!(marked(&s), "[Đảng] [đang] [dáng] đứng. Xây dựng [Đảng].");
        let s = make_snippet(text, &words("đảng"), Accents::Loose, 200);
        assert_eq!(marked(&s), "[Đảng] [đang] [dáng] đứng. Xây dựng [Đảng].");
    }

    #[test]
    fn phrases_match_only_adjacent() {
        let text = "xây nhà rồi dựng cửa, sau đó xây dựng cầu";
        let s = make_snippet(text, &needles_for("xây dựng"), Accents::Strict, 200);
        assert_eq!(marked(&s), "xây nhà rồi dựng cửa, sau đó [xây dựng] cầu");
    }

    #[test]
    fn offsets_point_into_nfd_text() {
        let text: String = "Tin mới: hòa bình và HÒA Bình".nfd().collect();
        let s = make_snippet(&text, &words("hòa"), Accents::Strict, 200);
        assert_eq!(s.highlights.len(), 2);
        for r in &s.highlights {
            let w: String = s.text[r.clone()].nfc().collect();
            assert_eq!(w.to_lowercase(), "hòa");
        }
    }

    #[test]
    fn window_prefers_more_distinct_words_and_collapses_whitespace() {
        let filler = "lorem ipsum dolor ".repeat(30);
        let text = format!("vàng ở đầu. {filler}\n\ngiá   vàng cùng nhau. {filler}");
        let s = make_snippet(&text, &words("giá vàng"), Accents::Strict, 100);
        assert!(
            s.text.starts_with('…') && s.text.ends_with('…'),
            "{}",
            s.text
        );
        assert!(
            marked(&s).contains("[giá] [vàng] cùng nhau"),
            "{}",
            marked(&s)
        );
        assert!(!s.text.contains("  ") && !s.text.contains('\n'));
        assert!(s.text.chars().count() <= 104, "{}", s.text.chars().count());
    }

    #[test]
    fn no_match_gives_the_start() {
        let s = make_snippet_of(
            &[
                (TextField::Lead, ""),
                (TextField::Body, "Một hai ba bốn năm sáu"),
            ],
            &words("xyz"),
            Accents::Strict,
            10,
        );
        assert_eq!(s.text, "Một hai ba…");
        assert!(s.highlights.is_empty());
        assert_eq!(
            make_snippet("", &words("x"), Accents::Strict, 10),
            Snippet::default()
        );
    }

    #[test]
    fn scanning_stops_after_the_budget_once_something_matched() {
        let para = "giá vàng hôm nay. ".repeat(20);
        let text = format!("{para}\n{para}\n{para}\nvàng cuối");
        let n = words("vàng");
        let refs: Vec<&Needle> = n.iter().collect();
        let all = find_matches(&text, &refs, Accents::Strict);
        let (some, scanned) = find_matches_within(&text, &refs, Accents::Strict, 100, false);
        assert_eq!(scanned, text.find('\n').unwrap() + 1);
        assert_eq!(all.len(), 61);
        assert_eq!(some.len(), 20);
        assert_eq!(all[..20], some[..]);
        // Without an early match, it scans on to the end.
        let late = format!("{}\nvàng", "không có gì. ".repeat(50));
        assert_eq!(
            find_matches_within(&late, &refs, Accents::Strict, 10, false)
                .0
                .len(),
            1
        );
        // Something matched in an earlier text: stop at the budget.
        assert!(
            find_matches_within(&late, &refs, Accents::Strict, 10, true)
                .0
                .is_empty()
        );
    }

    #[test]
    fn joined_abbreviations_are_highlighted_both_ways() {
        let text = "Lãnh đạo TP.HCM tiếp đoàn";
        let s = make_snippet(text, &words("tphcm"), Accents::Strict, 200);
        assert_eq!(marked(&s), "Lãnh đạo [TP.HCM] tiếp đoàn");
        let s = make_snippet(text, &needles_for("TP.HCM tiếp"), Accents::Strict, 200);
        assert_eq!(marked(&s), "Lãnh đạo [TP.HCM tiếp] đoàn");
    }

    #[test]
    fn char_offsets_for_json() {
        let s = make_snippet("Ông Đảng về", &words("đảng"), Accents::Strict, 100);
        assert_eq!(s.char_highlights(), vec![[4, 8]]);
    }

    #[test]
    fn field_restricted_needles() {
        let n = vec![Needle {
            field: Some(TextField::Title),
            ..needles_for("vàng").remove(0)
        }];
        assert!(applies(&n[0], TextField::Title) && !applies(&n[0], TextField::Body));
        let s = make_snippet("giá vàng", &n, Accents::Strict, 100);
        assert!(s.highlights.is_empty());
    }
}
