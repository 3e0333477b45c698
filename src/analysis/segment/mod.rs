//! Word segmentation: groups syllables into Vietnamese words (`xây_dựng`, `Cần_Thơ`).
//!
//! A line is split into word-like pieces and punctuation ([`pretok`]); runs of
//! word-like pieces separated only by whitespace (*chains*) are segmented by a linear
//! model over gap and word features ([`features`]) with exact semi-Markov Viterbi
//! decoding ([`decode`]). Punctuation is always a word of its own: no word crosses it.
//!
//! The model ([`model`]) is embedded in the binary (`data/model.bin`) and used in place
//! on first use (its hash tables are stored as they are in memory: loading costs well
//! under a millisecond). It holds a syllable vocabulary and syllable-pair statistics learned from
//! a news corpus, the pyvi and Viet74K word lists, and weights trained by an averaged
//! structured perceptron on the VTB treebank ([`train`]; regenerate with
//! `cargo run --release --example train_segmenter`). Syllables are matched by a key
//! that ignores case, Unicode normalization form and tone-mark placement ([`key`]).

use std::cell::RefCell;
use std::ops::Range;

use super::tokenize::Token;

pub mod decode;
pub mod features;
pub mod key;
pub mod lookup;
pub mod model;
pub mod pretok;
pub mod table;
pub mod train;

use decode::Decoder;
use features::{CTX_START, CTX_WORD, Chain, Unit, punct_ctx};
use lookup::Lookups;
use model::{Model, ModelError, SylInfo};
use pretok::Piece;

/// The embedded model (see [`train`] for how it is made).
pub(crate) static MODEL_BYTES: &[u8] = include_bytes!("data/model.bin");

/// Chains longer than this are cut (bounded memory on pathological input).
const MAX_CHAIN: usize = 4096;

/// Groups syllables into words.
#[derive(Debug, Clone)]
pub struct Segmenter {
    model: Model,
    words: features::WordTable,
}

impl Default for Segmenter {
    /// A segmenter without a model: every syllable is a word.
    fn default() -> Segmenter {
        let mut model = Model::default();
        model.weights = vec![0.0; features::n_weights(0, 0)];
        let words = features::WordTable::new(&model.weights);
        Segmenter { model, words }
    }
}

/// Reusable buffers for segmenting many lines without allocating.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    pieces: Vec<Piece>,
    units: Vec<Unit>,
    /// What the model knows of each unit's syllable.
    syls: Vec<(u32, SylInfo)>,
    /// Piece index of each unit of the current chain.
    unit_piece: Vec<usize>,
    chain: Chain,
    decoder: Decoder,
    lens: Vec<u8>,
    keys: key::KeyCache,
    lookups: Lookups,
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

impl Segmenter {
    /// The shared segmenter with the embedded model, loaded on first use.
    ///
    /// Should the embedded model be unreadable (a build defect), every syllable is a word.
    pub fn global() -> &'static Segmenter {
        static S: std::sync::OnceLock<Segmenter> = std::sync::OnceLock::new();
        S.get_or_init(|| Segmenter::embedded().unwrap_or_default())
    }

    /// A segmenter with the embedded model.
    pub fn embedded() -> Result<Segmenter, ModelError> {
        Segmenter::from_model(Model::from_static(MODEL_BYTES, features::LAYOUT_HASH)?)
    }

    /// A segmenter over a given model; fails when its weights do not fit its slots.
    pub fn from_model(model: Model) -> Result<Segmenter, ModelError> {
        let want = features::n_weights(model.n_uni_slots(), model.n_pair_slots());
        if model.weights.len() != want {
            return Err(ModelError::Corrupt("weight count does not match the slots"));
        }
        let words = features::WordTable::new(&model.weights);
        Ok(Segmenter { model, words })
    }

    /// The model in use.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Words over `tokens` (tokens of `text`, from [`super::tokenize()`]) as ranges of
    /// token indices, covering every token once, in order. Tokens separated by anything
    /// but whitespace are never in one word.
    ///
    /// ```
    /// use tintuc::analysis::{Segmenter, tokenize};
    /// let text = "Công ty xây dựng";
    /// let words = Segmenter::global().segment_tokens(text, &tokenize(text));
    /// assert_eq!(words.first().map(|r| r.start), Some(0));
    /// assert_eq!(words.last().map(|r| r.end), Some(4));
    /// ```
    pub fn segment_tokens(&self, text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
        let mut out = Vec::with_capacity(tokens.len());
        WORKSPACE.with(|ws| {
            let mut ws = ws.borrow_mut();
            let ws = &mut *ws;
            let mut prev_end = 0usize;
            let mut chain_start = 0usize;
            ws.units.clear();
            ws.syls.clear();
            ws.lookups.enable(&self.model);
            for (i, t) in tokens.iter().enumerate() {
                let between = text.get(prev_end.min(t.start)..t.start).unwrap_or("");
                let ctx = if i == 0 && between.trim().is_empty() {
                    CTX_START
                } else if between.trim().is_empty() {
                    CTX_WORD
                } else {
                    punct_ctx(between.trim_end())
                };
                prev_end = t.end.max(prev_end);
                let piece = text.get(t.start..t.end).unwrap_or("");
                let (k, id, info) = ws.keys.get_syl(piece, &self.model);
                if (ctx != CTX_WORD || ws.units.len() >= MAX_CHAIN) && !ws.units.is_empty() {
                    self.flush_ranges(ws, chain_start, &mut out);
                    chain_start = i;
                }
                if let Some(&(prev, _)) = ws.syls.last() {
                    ws.lookups.prefetch_pair(&self.model, prev, id);
                }
                ws.units.push(Unit {
                    key: k.key,
                    shape: k.shape,
                    ctx,
                });
                ws.syls.push((id, info));
            }
            if !ws.units.is_empty() {
                self.flush_ranges(ws, chain_start, &mut out);
            }
        });
        out
    }

    fn flush_ranges(&self, ws: &mut Workspace, start: usize, out: &mut Vec<Range<usize>>) {
        ws.chain
            .prepare_known(&self.model, &ws.units, &ws.syls, &mut ws.lookups);
        ws.lens.clear();
        ws.decoder
            .decode_fast(&ws.chain, &self.model.weights, &self.words, &mut ws.lens);
        let mut at = start;
        for &k in &ws.lens {
            out.push(at..at + k as usize);
            at += k as usize;
        }
        ws.units.clear();
        ws.syls.clear();
    }

    /// One line in the `tintuc segment` format: words separated by single spaces,
    /// syllables of a word joined by `_`, punctuation as separate words, original
    /// characters kept.
    ///
    /// ```
    /// use tintuc::analysis::Segmenter;
    /// let out = Segmenter::global().segment_line("Hà Nội, 16/06/2013.");
    /// assert!(out.ends_with(", 16/06/2013 ."));
    /// ```
    pub fn segment_line(&self, line: &str) -> String {
        let mut out = String::with_capacity(line.len() + 8);
        WORKSPACE.with(|ws| self.segment_line_into(line, &mut ws.borrow_mut(), &mut out));
        out
    }

    /// Like [`Segmenter::segment_line`], appending to `out` and reusing `ws`'s buffers.
    pub fn segment_line_into(&self, line: &str, ws: &mut Workspace, out: &mut String) {
        let Workspace {
            pieces,
            units,
            syls,
            unit_piece,
            chain,
            decoder,
            lens,
            keys,
            lookups,
        } = ws;
        pretok::pieces(line, pieces);
        let mut first = true;
        let mut bufs = ChainBufs {
            units,
            syls,
            idx: unit_piece,
            keys,
            lookups,
        };
        for_each_chain(
            line,
            pieces,
            &mut bufs,
            &self.model,
            MAX_CHAIN,
            |chain_units, idx, lookups| {
                let Some((chain_units, chain_syls)) = chain_units else {
                    let p = pieces[idx[0]];
                    push_word(out, &mut first, &line[p.start..p.end]);
                    return;
                };
                chain.prepare_known(&self.model, chain_units, chain_syls, lookups);
                lens.clear();
                decoder.decode_fast(chain, &self.model.weights, &self.words, lens);
                let mut at = 0usize;
                for &k in lens.iter() {
                    if !first {
                        out.push(' ');
                    }
                    first = false;
                    for j in at..at + k as usize {
                        if j > at {
                            out.push('_');
                        }
                        let p = pieces[idx[j]];
                        out.push_str(&line[p.start..p.end]);
                    }
                    at += k as usize;
                }
            },
        );
    }
}

/// How many pieces ahead [`for_each_chain`] starts loading key-cache slots.
const LOOKAHEAD: usize = 6;

/// Buffers of [`for_each_chain`].
pub(crate) struct ChainBufs<'a> {
    pub units: &'a mut Vec<Unit>,
    pub syls: &'a mut Vec<(u32, SylInfo)>,
    /// Piece index of each unit.
    pub idx: &'a mut Vec<usize>,
    pub keys: &'a mut key::KeyCache,
    /// Pair lookups: those of a chain are prefetched as its units are read.
    pub lookups: &'a mut Lookups,
}

impl ChainBufs<'_> {
    fn clear(&mut self) {
        self.units.clear();
        self.syls.clear();
        self.idx.clear();
    }
}

/// Walks the pieces of a line in order: calls `f(Some((units, syls)), piece_indices)` for each
/// chain of word-like pieces (at most `max_chain` long; keys and what `model` knows of
/// them from `b.keys`) and `f(None, [i])` for each punctuation piece `i`; `f` also gets
/// `b.lookups`, enabled for `model`, in which the chain's pairs are being prefetched.
pub(crate) fn for_each_chain(
    line: &str,
    pieces: &[Piece],
    b: &mut ChainBufs<'_>,
    model: &Model,
    max_chain: usize,
    mut f: impl FnMut(Option<(&[Unit], &[(u32, SylInfo)])>, &[usize], &mut Lookups),
) {
    b.clear();
    b.lookups.enable(model);
    let mut ctx = CTX_START;
    for (pi, p) in pieces.iter().enumerate() {
        if let Some(q) = pieces.get(pi + LOOKAHEAD)
            && q.word
        {
            b.keys.prefetch(line.get(q.start..q.end).unwrap_or(""));
        }
        let text = &line[p.start..p.end];
        if !p.word {
            if !b.units.is_empty() {
                f(Some((b.units, b.syls)), b.idx, b.lookups);
                b.clear();
            }
            f(None, &[pi], b.lookups);
            ctx = punct_ctx(text);
            continue;
        }
        if b.units.len() >= max_chain {
            f(Some((b.units, b.syls)), b.idx, b.lookups);
            b.clear();
        }
        let (k, id, info) = b.keys.get_syl(text, model);
        if let Some(&(prev, _)) = b.syls.last() {
            b.lookups.prefetch_pair(model, prev, id);
        }
        b.units.push(Unit {
            key: k.key,
            shape: k.shape,
            ctx,
        });
        b.syls.push((id, info));
        b.idx.push(pi);
        ctx = CTX_WORD;
    }
    if !b.units.is_empty() {
        f(Some((b.units, b.syls)), b.idx, b.lookups);
        b.clear();
    }
}

fn push_word(out: &mut String, first: &mut bool, text: &str) {
    if !*first {
        out.push(' ');
    }
    *first = false;
    out.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCES: &[&str] = &[
        "Trả lời phỏng vấn, ông Lộc nói: bán đất với giá không được ủy ban tỉnh phê duyệt.",
        "Anh Vũ Ngọc Bình và anh Đào Xuân Nhung đã đến Cần Thơ hôm 16/06/2013.",
        "Đảng ủy xã đã xây dựng kế hoạch phát triển kinh tế - xã hội năm 2024.",
        "Bách khoa toàn thư mở Wikipedia, Thủ tướng Nguyễn Xuân Phúc, TP. HCM",
        "CÔNG TY TNHH MỘT THÀNH VIÊN XỔ SỐ KIẾN THIẾT",
    ];

    fn letters(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '_')
            .collect()
    }

    #[test]
    fn segments_words_of_a_sentence() {
        let seg = Segmenter::global();
        assert_eq!(
            seg.segment_line("Công ty xây dựng Hà Nội đã hoàn thành công trình."),
            "Công_ty xây_dựng Hà_Nội đã hoàn_thành công_trình ."
        );
        let text = "Công ty xây dựng, Hà Nội";
        let toks = crate::analysis::tokenize(text);
        let words = seg.segment_tokens(text, &toks);
        let shown: Vec<String> = words
            .iter()
            .map(|r| {
                toks[r.clone()]
                    .iter()
                    .map(|t| &text[t.start..t.end])
                    .collect::<Vec<_>>()
                    .join("_")
            })
            .collect();
        assert_eq!(shown, ["Công_ty", "xây_dựng", "Hà_Nội"]);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics_and_keeps_its_characters(s in "\\PC{0,80}") {
            let out = Segmenter::global().segment_line(&s);
            proptest::prop_assert_eq!(letters(&out), letters(&s));
            let toks = crate::analysis::tokenize(&s);
            let words = Segmenter::global().segment_tokens(&s, &toks);
            let mut at = 0;
            for w in &words {
                proptest::prop_assert_eq!(w.start, at);
                proptest::prop_assert!(w.end > w.start);
                at = w.end;
            }
            proptest::prop_assert_eq!(at, toks.len());
        }

        #[test]
        fn vietnamese_like_text_never_panics(
            s in "([a-zA-ZàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐÀ0-9]{1,7}[ ,.;:!?()\"'%/\t-]{1,2}){0,30}"
        ) {
            let out = Segmenter::global().segment_line(&s);
            proptest::prop_assert_eq!(letters(&out), letters(&s));
            proptest::prop_assert!(!out.contains("  "));
            proptest::prop_assert!(!out.contains("__"));
        }
    }

    #[test]
    fn embedded_model_loads() {
        let s = Segmenter::embedded().expect("embedded model");
        let (syl, pairs, _) = s.model().sizes();
        assert!(syl > 10_000 && pairs > 10_000);
        // the shipped file is intact (used in place, its checksum is not checked at load)
        assert!(Model::checksum_ok(MODEL_BYTES, features::LAYOUT_HASH));
        let copied = Model::from_bytes(MODEL_BYTES, features::LAYOUT_HASH).expect("copy");
        assert_eq!(copied.sizes(), s.model().sizes());
        assert_eq!(copied.weights, s.model().weights);
        let line = SENTENCES[1];
        let c = Segmenter::from_model(copied).expect("copied model");
        assert_eq!(c.segment_line(line), s.segment_line(line));
    }

    /// The folded Viterbi gives exactly what the reference decoder (used in training) gives.
    #[test]
    fn fast_decoding_matches_the_reference_decoder() {
        let seg = Segmenter::embedded().expect("embedded model");
        let mut lines: Vec<String> = SENTENCES.iter().map(|s| s.to_string()).collect();
        if let Some(dir) = crate::test_support::shared_dir("fast_decoding_matches")
            && let Ok(t) = std::fs::read_to_string(dir.join("seg/dev.raw.txt"))
        {
            lines.extend(t.lines().map(str::to_string));
        }
        let (mut pieces, mut units, mut syls, mut idx) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut chain = Chain::default();
        let mut keys = key::KeyCache::default();
        let mut lookups = Lookups::default();
        let mut dec = Decoder::default();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut chains = 0;
        for line in &lines {
            pretok::pieces(line, &mut pieces);
            let mut bufs = ChainBufs {
                units: &mut units,
                syls: &mut syls,
                idx: &mut idx,
                keys: &mut keys,
                lookups: &mut lookups,
            };
            for_each_chain(
                line,
                &pieces,
                &mut bufs,
                &seg.model,
                MAX_CHAIN,
                |u, _, lookups| {
                    let Some((u, known)) = u else { return };
                    chain.prepare(&seg.model, u);
                    a.clear();
                    b.clear();
                    dec.decode(&chain, &seg.model.weights, &mut a);
                    // the cached path prepares the same chain
                    chain.prepare_known(&seg.model, u, known, lookups);
                    dec.decode_fast(&chain, &seg.model.weights, &seg.words, &mut b);
                    assert_eq!(a, b, "{line}");
                    chains += 1;
                },
            );
        }
        assert!(chains >= SENTENCES.len());
    }

    #[test]
    fn empty_model_keeps_every_syllable_apart() {
        let s = Segmenter::default();
        assert_eq!(
            s.segment_line("  Hà  Nội, 2.000 đồng. "),
            "Hà Nội , 2.000 đồng ."
        );
        assert_eq!(s.segment_line(""), "");
        let text = "Hà Nội, 2.000";
        let toks = crate::analysis::tokenize(text);
        let r = s.segment_tokens(text, &toks);
        assert_eq!(r.len(), toks.len());
    }
}
