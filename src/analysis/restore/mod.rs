//! Accent restoration: text typed without diacritics (or with some) → the most likely
//! fully accented text, syllable by syllable.
//!
//! # What it does
//!
//! The text is read with the index's tokenizer ([`crate::analysis::tokenize()`]) and cut
//! into *chunks* at every gap that holds more than white space (punctuation, quotes,
//! dashes): a chunk is a run of syllables and numbers, the unit the language model
//! was trained on. In each chunk every syllable typed without any diacritic gets the
//! candidates of its folded form (the accented forms seen in the training text,
//! most frequent first, one-off typos removed); a syllable typed with a diacritic, a
//! number, an all-capitals code inside mixed-case text (`UBND`, `BOT`) and an unknown
//! syllable keep their form and serve as context, except that a code's `D` may be
//! an `Đ` where the model knows the code so (`HDND` → `HĐND`; the typed form stays
//! possible where the model or the archive knows it with a `D`). The best sequence under a syllable
//! trigram model ([`model`]) is found by Viterbi decoding over (previous, current)
//! candidate pairs, kept to the best [`BEAM`] states per position.
//!
//! The output is the input with only the restored syllables replaced, each with the
//! case of what was typed (`Gia vang` → `Giá vàng`, `HA NOI` → `HÀ NỘI`): numbers,
//! punctuation and spacing are untouched, and a syllable the model cannot improve is
//! left as typed.
//!
//! [`Restorer::analyze`] also gives, per syllable, the candidates with a probability:
//! the best path is kept fixed and each candidate is put in its place, scored by the
//! three trigrams that read it, and the scores are normalized (softmax). The chosen
//! form's share is its *confidence*; the search planner weights its boosts with it.
//!
//! The embedded model (`data/model.bin`, built by `examples/train_restore.rs` from
//! `train-60k.jsonl.gz` and the VTB training sentences) is used in place.

pub mod archive;
pub mod model;
pub mod slips;
pub mod train;

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use crate::analysis::tokenize::{Analyzer, TokenKind};
pub use archive::{ArchiveStats, ArchiveStatsError};
use model::{BOUNDARY, NUM, UNK};
pub use model::{Model, RestoreModelError};

/// The embedded model.
static MODEL_BYTES: &[u8] = include_bytes!("data/model.bin");

/// States kept per position. On dev titles (with 12 candidates a syllable), 12
/// restore 97.41 % of syllables, 16 97.45 %, 20 97.46 % at 85 % of 16's speed.
pub const BEAM: usize = 16;
/// Candidates tried per syllable (most frequent first): 18 is every tone of the
/// three vowels one plain letter stands for (`a`: a ă â, times six tones), so only
/// `d`/`đ` groups are cut. 12 left out the rarer real words of the larger groups:
/// dev titles 97.45 → 97.52 % of syllables, 79.75 → 80.17 % whole; 24 and 32 gave
/// the same as 18.
pub const MAX_CANDIDATES: usize = 18;
/// How far (natural log) below the best state a decoder state may lie and still
/// be kept (besides the [`BEAM`] bound). On dev titles, leads and VTB sentences a
/// margin of 10 restores as many syllables as none (97.52 / 98.64 / 94.85 %) and
/// takes 28 % of the decoder's instructions off; 8 loses 0.02 % on titles.
pub const MARGIN: f32 = 10.0;
/// How far below the chosen form's score a candidate may lie and still be listed
/// in [`Syllable::alternatives`]: e^-12, a probability that rounds to 0 in
/// `tintuc restore --json` (which shows four decimals).
const ALTERNATIVE_MARGIN: f32 = 12.0;
/// Capitalized forms (names) also tried for a syllable typed in lower case.
pub const MAX_CAP_CANDIDATES: usize = 4;

/// No previous context (the chunk's first syllable).
const NONE: u16 = u16::MAX;
/// No archive id (a form the archive statistics do not hold).
const NO_ARCH: u32 = u32::MAX;
/// Forms the archive statistics add to a syllable's candidates (names and words the
/// base model does not know), each seen at least [`ARCHIVE_MIN_COUNT`] times.
pub const MAX_ARCHIVE_CANDIDATES: usize = 4;
pub const ARCHIVE_MIN_COUNT: u32 = 5;
/// A pair seen this often in the archive is a known pair ([`Syllable::known_pair`]).
pub const ARCHIVE_KNOWN_PAIR: u32 = 3;
/// Weight of the base model in the interpolation with the archive's bigrams. The
/// archive's bigram estimate is much weaker than the base trigrams: an even mix
/// (0.5) restored dev titles held out from the archive (statistics of 10,000 other
/// dev articles) at 96.76 % of syllables, below the base model alone (97.20 %);
/// 0.9 gives 97.23 %, 0.98 97.28 %, 1.0 (the archive's forms never chosen) 97.20 %.
pub const BASE_WEIGHT: f32 = 0.98;

/// One piece of a text, as restoration sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece<'a> {
    /// A gap with more than white space: the chunk ends.
    Break,
    Word {
        normalized: &'a str,
        folded: &'a str,
        start: usize,
        end: usize,
        /// Capitalized (not all capitals) and not the first word of a sentence: a
        /// name, read with the capitalized forms ([`CAP`]).
        cap: bool,
    },
    Number {
        start: usize,
        end: usize,
    },
}

/// Prefix of the capitalized forms in the model (`^bạch` is `Bạch` inside a
/// sentence); their groups are keyed by the prefixed folded form.
pub const CAP: char = '^';

/// Characters after which the next word starts a sentence (its capital says nothing).
fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ':' | '…' | '"' | '“' | '”' | '-' | '–' | '—' | '\n'
    )
}

/// Calls `f` with each token of `text` and a [`Piece::Break`] before a token that
/// follows anything but white space. With `caps` off no word is [`Piece::Word::cap`].
pub(crate) fn for_each_piece(
    an: &mut Analyzer,
    text: &str,
    caps: bool,
    mut f: impl FnMut(Piece<'_>),
) {
    let mut tokens = an.tokens(text);
    let mut prev_end = 0usize;
    let mut first = true;
    while let Some(t) = tokens.next_token() {
        let mut sentence = first;
        if !first {
            let gap = text.get(prev_end..t.start).unwrap_or("");
            if !gap.chars().all(char::is_whitespace) {
                f(Piece::Break);
                sentence = gap.chars().any(ends_sentence);
            }
        }
        first = false;
        prev_end = t.end;
        match t.kind {
            TokenKind::Number => f(Piece::Number {
                start: t.start,
                end: t.end,
            }),
            _ => {
                let typed = text.get(t.start..t.end).unwrap_or("");
                let mut letters = typed.chars().filter(|c| c.is_alphabetic());
                let cap = caps
                    && !sentence
                    && letters.next().is_some_and(char::is_uppercase)
                    && letters.any(char::is_lowercase);
                f(Piece::Word {
                    normalized: t.normalized,
                    folded: t.folded,
                    start: t.start,
                    end: t.end,
                    cap,
                })
            }
        }
    }
}

/// One syllable (or number) of an analyzed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Syllable {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// The restored form with the typed case (the typed text when unchanged).
    pub restored: String,
    /// The chosen form, canonical (lower case); the typed one's when there was no
    /// choice.
    pub form: String,
    /// Whether [`Syllable::restored`] differs from what was typed.
    pub changed: bool,
    /// Whether restoration could choose here (typed without diacritics, known).
    pub open: bool,
    /// Candidates (canonical, lower case) with probabilities, best first; empty
    /// when there was no choice.
    pub alternatives: Vec<(String, f32)>,
    /// Probability of the chosen form (1 without a choice).
    pub confidence: f32,
    /// How many distinct forms restoration chose among (1 without a choice);
    /// [`Syllable::alternatives`] leaves out the ones far too unlikely to show.
    pub choices: usize,
    /// The chosen forms of the previous syllable and this one are a pair the model
    /// has seen (a known phrase, not just two likely syllables).
    pub known_pair: bool,
}

/// Reusable decoding buffers.
#[derive(Debug, Default)]
pub struct Workspace {
    analyzer: Analyzer,
    pos: Vec<Pos>,
    cands: Vec<u16>,
    /// Archive id of each candidate ([`NO_ARCH`] when none).
    acands: Vec<u32>,
    /// Per candidate: the archive's unigram estimate and count of its form.
    ap1: Vec<f32>,
    acv: Vec<f32>,
    /// Archive ids of the forms only the archive knows: id `n_vocab + i` is `extra[i]`.
    extra: Vec<u32>,
    states: Vec<State>,
    level: Vec<usize>,
    path: Vec<u16>,
    /// The candidate index (at its position) of each syllable of `path`.
    path_ci: Vec<u16>,
    next: Vec<State>,
    /// Archive probabilities of one position, by (previous candidate, candidate).
    memo: Vec<f32>,
    /// The model's bigram probabilities of one position, likewise (the rows of
    /// the previous candidates that have a state).
    bmemo: Vec<f32>,
    /// The model's trigram probabilities of one position, by (previous state,
    /// candidate), for the states with a trigram context.
    tmemo: Vec<f32>,
    /// This position's model candidates in ascending id order: (id, candidate
    /// index), the ids alone, and scratch for the lookups.
    order: Vec<(u16, u16)>,
    sorted: Vec<u16>,
    found: Vec<u32>,
    row: Vec<f32>,
    row2: Vec<f32>,
    brow_done: Vec<bool>,
    /// Buffers of [`Restorer::alternatives`].
    alt: AltBufs,
    /// Step scores of one position that do not depend on the state's first
    /// syllable, likewise.
    lmemo: Vec<f32>,
    /// Per previous candidate: its pairs with this position's candidates
    /// ([`ArchiveStats::pair_range`]), once looked up.
    aranges: Vec<Option<std::ops::Range<u32>>>,
    /// Per previous candidate: its state in `next` for the candidate being read.
    slot: Vec<u32>,
    /// The groups of folded forms seen (at most [`MAX_CACHED_GROUPS`]), for the
    /// restorer `groups_of`.
    groups: rustc_hash::FxHashMap<Box<str>, Groups>,
    groups_of: u64,
}

/// Buffers of [`Restorer::alternatives`], kept between syllables and calls.
#[derive(Debug, Default)]
struct AltBufs {
    /// The position's model candidates by ascending id ([`model_order`]).
    order: Vec<(u16, u16)>,
    sorted: Vec<u16>,
    found: Vec<u32>,
    found3: Vec<u32>,
    p2: Vec<f32>,
    p3: Vec<f32>,
    /// By candidate: the model's step into it, the bigram with the previous one.
    base0: Vec<f32>,
    b01: Vec<Option<u32>>,
    /// (candidate, score) of the candidates kept.
    scored: Vec<(u16, f32)>,
}

#[derive(Debug, Clone, Copy)]
struct Pos {
    start: usize,
    end: usize,
    /// Candidates `cands[c0..c1]` (one when fixed).
    c0: usize,
    c1: usize,
    open: bool,
    /// First of a chunk.
    chunk_start: bool,
}

#[derive(Debug, Clone, Copy)]
struct State {
    u: u16,
    v: u16,
    /// Archive id of `v`, and its candidate index at its position.
    av: u32,
    vi: u16,
    bi: Option<u32>,
    /// The path's probability, relative to the best state of its position.
    score: f64,
    back: u32,
}

/// The accent restorer: a model and the decoding rules.
#[derive(Debug, Clone)]
pub struct Restorer {
    model: Model,
    /// An archive's own statistics, interpolated with the model ([`archive`]).
    archive: Option<Arc<ArchiveStats>>,
    /// The archive id of each model id, looked up on first use ([`Restorer::arch_of`]).
    arch_ids: Option<Arc<ArchIds>>,
    base_weight: f32,
    /// Tells restorers apart (a [`Workspace`]'s group cache is one restorer's).
    id: u64,
}

/// A new [`Restorer::id`].
fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The candidate id ranges of one folded form: the model's lower-case and
/// capitalized groups and the archive's.
#[derive(Debug, Clone)]
struct Groups {
    group: std::ops::Range<u16>,
    cap: std::ops::Range<u16>,
    a_group: std::ops::Range<u32>,
    a_cap: std::ops::Range<u32>,
}

/// Folded forms a [`Workspace`] remembers the groups of before it starts afresh.
const MAX_CACHED_GROUPS: usize = 1 << 16;

/// Archive ids by model id: [`NO_ARCH`] for a form the archive does not hold,
/// [`ARCH_UNSET`] before the first lookup. Filled lazily, so that a restorer costs
/// nothing to build and a search looks up only its candidates' forms, once per
/// snapshot of the archive.
#[derive(Debug)]
struct ArchIds(Box<[AtomicU32]>);

/// Not looked up yet.
const ARCH_UNSET: u32 = u32::MAX - 1;

impl Restorer {
    /// The embedded restorer, loaded on first use. A damaged embedded model (which a
    /// unit test rules out) gives a restorer that changes nothing.
    pub fn global() -> &'static Restorer {
        static R: OnceLock<Restorer> = OnceLock::new();
        R.get_or_init(|| Restorer::embedded().unwrap_or_else(|_| Restorer::empty()))
    }

    /// The embedded model, used in place.
    pub fn embedded() -> Result<Restorer, RestoreModelError> {
        Ok(Restorer::from_model(Model::from_static(MODEL_BYTES)?))
    }

    /// A restorer over a given model.
    pub fn from_model(model: Model) -> Restorer {
        Restorer {
            model,
            archive: None,
            arch_ids: None,
            base_weight: BASE_WEIGHT,
            id: next_id(),
        }
    }

    /// This restorer with an archive's statistics: each step's probability is
    /// `λ P_model(w | u v) + (1 − λ) P_archive(w | v)` (λ = [`BASE_WEIGHT`]), and
    /// forms only the archive knows, seen at least [`ARCHIVE_MIN_COUNT`] times,
    /// become candidates (scored by the archive alone). Empty statistics change
    /// nothing.
    pub fn with_archive(&self, stats: Arc<ArchiveStats>) -> Restorer {
        let archive = (!stats.is_empty()).then_some(stats);
        let arch_ids = archive.as_ref().map(|_| {
            Arc::new(ArchIds(
                (0..self.model.vocab_len())
                    .map(|_| AtomicU32::new(ARCH_UNSET))
                    .collect(),
            ))
        });
        Restorer {
            model: self.model.clone(),
            archive,
            arch_ids,
            base_weight: self.base_weight,
            id: next_id(),
        }
    }

    /// [`Restorer::with_archive`] with another base weight λ (0..=1), for tuning.
    pub fn with_base_weight(mut self, base_weight: f32) -> Restorer {
        self.base_weight = base_weight.clamp(0.0, 1.0);
        self
    }

    /// The archive statistics in use, if any.
    pub fn archive(&self) -> Option<&ArchiveStats> {
        self.archive.as_deref()
    }

    /// A restorer that knows no syllable (changes nothing).
    pub fn empty() -> Restorer {
        let parts = model::Parts {
            words: ["<s>", "<unk>", "<num>"].map(String::from).to_vec(),
            uni_prob: vec![0; 3],
            uni_bow: vec![0; 3],
            ..Default::default()
        };
        match Model::from_bytes(&parts.to_bytes()) {
            Ok(model) => Restorer::from_model(model),
            Err(_) => unreachable!("the empty model is well formed"),
        }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Whether the model knows the syllable `normalized` (canonical form).
    pub fn knows(&self, normalized: &str) -> bool {
        let folded = crate::analysis::fold(normalized);
        let lower = self.model.group(&folded);
        let cap = self.model.group(&format!("{CAP}{folded}"));
        lower
            .chain(cap)
            .any(|id| plain(self.model.text(id)) == normalized)
    }

    /// The log unigram probability of the syllable `normalized` (canonical form;
    /// its capitalized form's when higher), or `None` when the model does not know it.
    pub fn frequency(&self, normalized: &str) -> Option<f32> {
        let folded = crate::analysis::fold(normalized);
        let lower = self.model.group(&folded);
        let cap = self.model.group(&format!("{CAP}{folded}"));
        lower
            .chain(cap)
            .filter(|&id| plain(self.model.text(id)) == normalized)
            .map(|id| self.model.uni(id))
            .reduce(f32::max)
    }

    /// `text` with its Telex and VNI slips decoded, or `None` ([`slips`]).
    pub fn decode_slips(&self, text: &str) -> Option<String> {
        slips::decode_slips(self, text)
    }

    /// Restores one text (see the module docs).
    ///
    /// ```
    /// use tintuc::analysis::restore::Restorer;
    /// let r = Restorer::global();
    /// assert_eq!(r.restore("Gia vang the gioi tang"), "Giá vàng thế giới tăng");
    /// ```
    pub fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 2);
        with_workspace(|ws| self.restore_into(text, ws, &mut out));
        out
    }

    /// [`Restorer::restore`] into `out` (appended), reusing `ws`.
    pub fn restore_into(&self, text: &str, ws: &mut Workspace, out: &mut String) {
        self.decode(text, ws);
        let mut at = 0;
        for (i, p) in ws.pos.iter().enumerate() {
            if !p.open {
                continue;
            }
            let id = ws.path[i];
            let typed = text.get(p.start..p.end).unwrap_or("");
            let form = plain(self.text_of(&ws.extra, id));
            if id == UNK || form.is_empty() || form.eq_ignore_ascii_case(typed) {
                continue;
            }
            out.push_str(text.get(at..p.start).unwrap_or(""));
            apply_case(typed, form, out);
            at = p.end;
        }
        out.push_str(text.get(at..).unwrap_or(""));
    }

    /// Per-syllable results with alternatives (see the module docs).
    pub fn analyze(&self, text: &str) -> Vec<Syllable> {
        with_workspace(|ws| self.analyze_in(text, ws))
    }

    fn analyze_in(&self, text: &str, ws: &mut Workspace) -> Vec<Syllable> {
        self.decode(text, ws);
        let mut out = Vec::with_capacity(ws.pos.len());
        let n = ws.pos.len();
        let mut bufs = std::mem::take(&mut ws.alt);
        for i in 0..n {
            let p = ws.pos[i];
            let typed = text.get(p.start..p.end).unwrap_or("");
            let id = ws.path[i];
            let form = plain(self.text_of(&ws.extra, id));
            let changed =
                p.open && id != UNK && !form.is_empty() && !form.eq_ignore_ascii_case(typed);
            let restored = if changed {
                let mut s = String::with_capacity(form.len());
                apply_case(typed, form, &mut s);
                s
            } else {
                typed.to_string()
            };
            let (alternatives, confidence, choices) = if p.open && p.c1 - p.c0 > 1 {
                self.alternatives(ws, &mut bufs, i)
            } else {
                (Vec::new(), 1.0, 1)
            };
            let form = if id == UNK || form.is_empty() {
                crate::analysis::normalize(typed)
            } else {
                form.to_string()
            };
            let known_pair = i > 0 && !p.chunk_start && self.known_pair(ws, i);
            out.push(Syllable {
                known_pair,
                start: p.start,
                end: p.end,
                restored,
                form,
                changed,
                open: p.open && id != UNK,
                alternatives,
                confidence,
                choices,
            });
        }
        ws.alt = bufs;
        out
    }

    /// Candidates of position `i` with the best path around it fixed, and the
    /// number of distinct forms among all its candidates.
    ///
    /// A candidate's score is the sum of the three steps it takes part in; the
    /// first alone bounds it (the others are log probabilities), so a candidate
    /// whose first step already lies [`ALTERNATIVE_MARGIN`] below the chosen
    /// form's whole score is left out: its probability is below e^-12 of the
    /// chosen one's. The steps out of `i` share their lookups: the bigram of the
    /// candidate and the next syllable serves both, and what follows the next
    /// syllable is looked up once.
    fn alternatives(
        &self,
        ws: &Workspace,
        bufs: &mut AltBufs,
        i: usize,
    ) -> (Vec<(String, f32)>, f32, usize) {
        self.alternatives_within(ws, bufs, i, ALTERNATIVE_MARGIN)
    }

    /// [`Restorer::alternatives`] with the margin given (a test compares it with
    /// none).
    fn alternatives_within(
        &self,
        ws: &Workspace,
        bufs: &mut AltBufs,
        i: usize,
        margin: f32,
    ) -> (Vec<(String, f32)>, f32, usize) {
        let p = ws.pos[i];
        // the chunk around i
        let mut cs = i;
        while !ws.pos[cs].chunk_start {
            cs -= 1;
        }
        let mut ce = i + 1;
        while ce < ws.pos.len() && !ws.pos[ce].chunk_start {
            ce += 1;
        }
        let at = |j: isize, c: u16| -> u16 {
            if j == i as isize {
                c
            } else if j < cs as isize {
                if j == cs as isize - 1 { BOUNDARY } else { NONE }
            } else if j >= ce as isize {
                BOUNDARY
            } else {
                ws.path[j as usize]
            }
        };
        let arch = |j: isize, ac: u32| -> u32 {
            if j == i as isize {
                ac
            } else if j >= cs as isize && j < ce as isize {
                self.arch_at(ws, j as usize)
            } else {
                archive::BOUNDARY
            }
        };
        let ii = i as isize;
        let m = &self.model;
        let n_vocab = m.vocab_len();
        let with_archive = self.archive.is_some();
        // `score` of a step, given the model's log probability `base` (0 for a form
        // only the archive knows)
        let step = |base: f32, pa: f32, w: u16| -> f32 {
            if with_archive {
                self.mix(base, pa, w as usize >= n_vocab)
            } else {
                base
            }
        };
        let base_of =
            |w: u16, f: &dyn Fn() -> f32| -> f32 { if w as usize >= n_vocab { 0.0 } else { f() } };
        // the step into i: its context does not depend on the candidate
        let (u0, v0) = (at(ii - 2, NONE), at(ii - 1, NONE));
        let bi0 = if u0 == NONE {
            None
        } else {
            m.bigram(self.base_id(u0), self.base_id(v0))
        };
        let av0 = arch(ii - 1, NO_ARCH);
        // the model's steps into i and the bigrams (v0, c) of all candidates at
        // once: in ascending id order through v0's list (and the list of (u0, v0))
        let n_cur = p.c1 - p.c0;
        let AltBufs {
            order,
            sorted,
            found,
            found3,
            p2,
            p3,
            base0,
            b01,
            scored,
        } = bufs;
        model_order(
            ws.cands.get(p.c0..p.c1).unwrap_or_default(),
            n_vocab,
            order,
            sorted,
        );
        let n_sorted = sorted.len();
        for v in [&mut *found, &mut *found3] {
            v.clear();
            v.resize(n_sorted, u32::MAX);
        }
        for v in [&mut *p2, &mut *p3] {
            v.clear();
            v.resize(n_sorted, 0.0);
        }
        m.bi_row(self.base_id(v0), sorted, found, p2);
        if let Some(b) = bi0 {
            m.tri_row(b, sorted, p2, found3, p3);
        } else {
            p3.copy_from_slice(p2);
        }
        // by candidate: the model's log probability of the step into it (0 for a
        // form only the archive knows) and the index of the bigram (v0, c)
        base0.clear();
        base0.resize(n_cur, 0.0);
        b01.clear();
        b01.resize(n_cur, None);
        for (k, &(_, j)) in order.iter().enumerate() {
            base0[j as usize] = p3[k];
            b01[j as usize] = (found[k] != u32::MAX && v0 != NONE).then_some(found[k]);
        }
        // a form only the archive knows reads as the unknown word after v0
        if order.len() < n_cur && v0 != NONE {
            let unk = m.bigram(self.base_id(v0), UNK);
            for (j, &c) in ws
                .cands
                .get(p.c0..p.c1)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if c as usize >= n_vocab {
                    b01[j] = unk;
                }
            }
        }
        let first = |ci: usize, c: u16, ac: u32| -> f32 {
            let base = base0.get(ci - p.c0).copied().unwrap_or(0.0);
            step(base, self.arch_p(av0, ac), c)
        };
        // the steps out of i: (v0, c) → w1, always there (a chunk ends with its
        // boundary), and (c, w1) → w2 when w2 is inside the chunk or its boundary;
        // the bigram (c, w1) serves both, and what follows w1 does not depend on c
        let has2 = ii + 2 <= ce as isize;
        let (w1, aw1) = (at(ii + 1, NONE), arch(ii + 1, NO_ARCH));
        let (w2, aw2) = (at(ii + 2, NONE), arch(ii + 2, NO_ARCH));
        let b12 = std::cell::OnceCell::new();
        let bi12 = || *b12.get_or_init(|| m.bi(self.base_id(w1), w2));
        let pa12 = if has2 { self.arch_p(aw1, aw2) } else { 0.0 };
        let rest = |ci: usize, c: u16, ac: u32| -> f32 {
            let mut s = 0.0;
            let bc = self.base_id(c);
            let b01 = b01.get(ci - p.c0).copied().flatten();
            let c1 = m.bigram(bc, self.base_id(w1));
            let base1 = base_of(w1, &|| m.tri_or(b01, w1, || m.bi_at(bc, w1, c1)));
            s += step(base1, self.arch_p(ac, aw1), w1);
            if has2 {
                let base2 = base_of(w2, &|| m.tri_or(c1, w2, bi12));
                s += step(base2, pa12, w2);
            }
            s
        };
        let chosen_ci = p.c0 + ws.path_ci[i] as usize;
        let chosen_score = match (ws.cands.get(chosen_ci), ws.acands.get(chosen_ci)) {
            (Some(&c), Some(&ac)) if chosen_ci < p.c1 => {
                first(chosen_ci, c, ac) + rest(chosen_ci, c, ac)
            }
            // (not reached: the path chose a candidate) nothing is left out
            _ => f32::NEG_INFINITY,
        };
        scored.clear();
        for ci in p.c0..p.c1 {
            let (c, ac) = (ws.cands[ci], ws.acands[ci]);
            if ci == chosen_ci {
                scored.push((c, chosen_score));
                continue;
            }
            let f = first(ci, c, ac);
            if f < chosen_score - margin {
                continue;
            }
            scored.push((c, f + rest(ci, c, ac)));
        }
        let max = scored.iter().map(|x| x.1).fold(f32::NEG_INFINITY, f32::max);
        let sum: f32 = scored.iter().map(|x| (x.1 - max).exp()).sum();
        // a form and its capitalized twin are one alternative
        let mut merged: Vec<(&str, f32)> = Vec::with_capacity(scored.len());
        for &(c, sc) in scored.iter() {
            let t = plain(self.text_of(&ws.extra, c));
            let p = (sc - max).exp() / sum;
            match merged.iter_mut().find(|x| x.0 == t) {
                Some(x) => x.1 += p,
                None => merged.push((t, p)),
            }
        }
        // the forms left out still count as choices
        let mut left_out: Vec<&str> = Vec::new();
        for &c in ws.cands.get(p.c0..p.c1).unwrap_or_default() {
            let t = plain(self.text_of(&ws.extra, c));
            if !merged.iter().any(|x| x.0 == t) && !left_out.contains(&t) {
                left_out.push(t);
            }
        }
        let choices = merged.len() + left_out.len();
        merged.sort_by(|a, b| b.1.total_cmp(&a.1));
        let chosen = plain(self.text_of(&ws.extra, ws.path[i]));
        let conf = merged
            .iter()
            .find(|x| x.0 == chosen)
            .map(|x| x.1)
            .unwrap_or(0.0);
        (
            merged
                .into_iter()
                .map(|(t, p)| (t.to_string(), p))
                .collect(),
            conf,
            choices,
        )
    }

    /// The form of a decoder id: the model's, or for an id past the model's
    /// vocabulary the archive form it stands for (`extra`).
    fn text_of<'a>(&'a self, extra: &[u32], id: u16) -> &'a str {
        let n = self.model.vocab_len();
        if (id as usize) < n {
            return self.model.text(id);
        }
        match (&self.archive, extra.get(id as usize - n)) {
            (Some(a), Some(&x)) => a.text(x),
            _ => "",
        }
    }

    /// The archive id of the model's id `id` ([`NO_ARCH`]: none), looked up once.
    #[inline]
    fn arch_of(&self, id: u16) -> u32 {
        let (Some(a), Some(ids)) = (&self.archive, &self.arch_ids) else {
            return NO_ARCH;
        };
        let Some(slot) = ids.0.get(id as usize) else {
            return NO_ARCH;
        };
        let v = slot.load(Ordering::Relaxed);
        if v != ARCH_UNSET {
            return v;
        }
        let v = a.id(self.model.text(id)).unwrap_or(NO_ARCH);
        slot.store(v, Ordering::Relaxed);
        v
    }

    /// The model's id for a decoder id (forms only the archive knows are unknown).
    #[inline]
    fn base_id(&self, id: u16) -> u16 {
        if id != NONE && id as usize >= self.model.vocab_len() {
            UNK
        } else {
            id
        }
    }

    /// Archive id of the syllable chosen at position `i`.
    fn arch_at(&self, ws: &Workspace, i: usize) -> u32 {
        let (Some(p), Some(&ci)) = (ws.pos.get(i), ws.path_ci.get(i)) else {
            return NO_ARCH;
        };
        match ws.acands.get(p.c0 + ci as usize) {
            Some(&a) if (ci as usize) < p.c1 - p.c0 => a,
            _ => NO_ARCH,
        }
    }

    /// Whether the chosen forms at `i - 1` and `i` are a pair the model or the
    /// archive ([`ARCHIVE_KNOWN_PAIR`] times) has seen.
    fn known_pair(&self, ws: &Workspace, i: usize) -> bool {
        let (u, v) = (ws.path[i - 1], ws.path[i]);
        if (u as usize) < self.model.vocab_len()
            && (v as usize) < self.model.vocab_len()
            && self.model.bigram(u, v).is_some()
        {
            return true;
        }
        let (au, av) = (self.arch_at(ws, i - 1), self.arch_at(ws, i));
        match &self.archive {
            Some(a) if au != NO_ARCH && av != NO_ARCH => a.pair(au, av) >= ARCHIVE_KNOWN_PAIR,
            _ => false,
        }
    }

    /// log P(w | u v) given the model's bigram index of (u, v) (`None`: the bigram
    /// estimate), interpolated with the archive's P(w | v) when there is one
    /// (`av`, `aw`: archive ids, [`NO_ARCH`] when unknown there).
    #[inline]
    fn score(&self, bi: Option<u32>, v: u16, av: u32, w: u16, aw: u32) -> f32 {
        let extra = w as usize >= self.model.vocab_len();
        let base = if extra {
            0.0
        } else {
            self.model.tri(bi, self.base_id(v), w)
        };
        if self.archive.is_none() {
            return base;
        }
        self.mix(base, self.arch_p(av, aw), extra)
    }

    /// The archive's P(w | v).
    #[inline]
    fn arch_p(&self, av: u32, aw: u32) -> f32 {
        let opt = |x: u32| (x != NO_ARCH).then_some(x);
        match &self.archive {
            Some(a) => a.prob(opt(av), opt(aw)) as f32,
            None => 0.0,
        }
    }

    /// log of the interpolation of the model's log probability `base` (none for a
    /// form only the archive knows) and the archive's probability `pa`.
    #[inline]
    fn mix(&self, base: f32, pa: f32, extra: bool) -> f32 {
        let pb = if extra { 0.0 } else { base.exp() };
        self.mix_p(pb, pa).ln()
    }

    /// The interpolation in probabilities (the decoder's): the model's `pb` (0 for
    /// a form only the archive knows) and the archive's `pa`.
    #[inline]
    fn mix_p(&self, pb: f32, pa: f32) -> f32 {
        let l = self.base_weight;
        (l * pb + (1.0 - l) * pa).max(f32::MIN_POSITIVE)
    }

    /// The candidates of an all-capitals code typed `normalized` (lower case, no
    /// marks): the model's forms of its group that differ from it only by `đ` for
    /// `d`, and the typed form where the model has it or, failing that, the archive
    /// has it at least [`ARCHIVE_MIN_COUNT`] times. Pushes nothing and returns false
    /// when no form with a `đ` is known.
    fn code_candidates(
        &self,
        normalized: &str,
        group: std::ops::Range<u16>,
        cands: &mut Vec<u16>,
        acands: &mut Vec<u32>,
        aid: &impl Fn(&str) -> u32,
    ) -> bool {
        if !normalized.contains('d') {
            return false;
        }
        let m = &self.model;
        let only_d_bar = |t: &str| {
            t.chars()
                .map(|c| if c == 'đ' { 'd' } else { c })
                .eq(normalized.chars())
        };
        let c0 = cands.len();
        cands.extend(group.filter(|&id| only_d_bar(m.text(id))));
        let typed_known = cands[c0..].iter().any(|&id| m.text(id) == normalized);
        if cands.len() - c0 == usize::from(typed_known) {
            cands.truncate(c0);
            return false;
        }
        for &c in &cands[c0..] {
            acands.push(self.arch_of(c));
        }
        // a code the model never saw with a `D` stays possible as typed only where
        // the archive has it so
        let typed_arch = aid(normalized);
        if !typed_known
            && typed_arch != NO_ARCH
            && self
                .archive
                .as_deref()
                .is_some_and(|a| a.count(typed_arch) >= ARCHIVE_MIN_COUNT)
        {
            cands.push(UNK);
            acands.push(typed_arch);
        }
        true
    }

    /// Reads `text` into positions and finds the best path (`ws.path`).
    fn decode(&self, text: &str, ws: &mut Workspace) {
        ws.pos.clear();
        ws.cands.clear();
        ws.acands.clear();
        ws.extra.clear();
        let all_caps =
            text.chars().any(char::is_alphabetic) && !text.chars().any(|c| c.is_lowercase());
        let m = &self.model;
        let arch = self.archive.as_deref();
        let n_vocab = m.vocab_len();
        if ws.groups_of != self.id || ws.groups.len() > MAX_CACHED_GROUPS {
            ws.groups.clear();
            ws.groups_of = self.id;
        }
        let Workspace {
            analyzer,
            pos,
            cands,
            acands,
            extra,
            groups,
            ..
        } = ws;
        let aid = |form: &str| arch.and_then(|a| a.id(form)).unwrap_or(NO_ARCH);
        let num_arch = aid(archive::NUM_FORM);
        let mut chunk_start = true;
        let mut key = String::new();
        let mut form = String::new();
        for_each_piece(analyzer, text, !all_caps, |piece| match piece {
            Piece::Break => chunk_start = true,
            Piece::Number { start, end } => {
                cands.push(NUM);
                acands.push(num_arch);
                pos.push(Pos {
                    start,
                    end,
                    c0: cands.len() - 1,
                    c1: cands.len(),
                    open: false,
                    chunk_start,
                });
                chunk_start = false;
            }
            Piece::Word {
                normalized,
                folded,
                start,
                end,
                cap,
            } => {
                let g = match groups.get(folded) {
                    Some(g) => g.clone(),
                    None => {
                        key.clear();
                        key.push(CAP);
                        key.push_str(folded);
                        // the archive's forms of this syllable (names first when
                        // capitalized)
                        let (a_group, a_cap) = match arch {
                            Some(a) => (a.group(folded), a.group(&key)),
                            None => (0..0, 0..0),
                        };
                        let g = Groups {
                            group: m.group(folded),
                            cap: m.group(&key),
                            a_group,
                            a_cap,
                        };
                        groups.insert(folded.into(), g.clone());
                        g
                    }
                };
                let Groups {
                    group,
                    cap: cap_group,
                    a_group,
                    a_cap,
                } = g;
                let typed = text.get(start..end).unwrap_or("");
                let code = !all_caps
                    && typed.chars().filter(|c| c.is_uppercase()).count() >= 2
                    && !typed.chars().any(char::is_lowercase);
                let c0 = cands.len();
                let known = !(group.is_empty() && cap_group.is_empty())
                    || arch.is_some_and(|a| {
                        a_group
                            .clone()
                            .chain(a_cap.clone())
                            .any(|x| a.count(x) >= ARCHIVE_MIN_COUNT)
                    });
                let open = normalized == folded && !code && known;
                // an all-capitals code keeps its letters; only a `D` may be an `Đ`
                // (`HDND` → `HĐND`, `DH` → `ĐH`), and only where the model knows
                // the code written with the `Đ`
                let code_open = code
                    && normalized == folded
                    && self.code_candidates(normalized, group.clone(), cands, acands, &aid);
                let open = open || code_open;
                if code_open {
                    // its candidates are in place
                } else if open {
                    let names_only = cap
                        && (!cap_group.is_empty()
                            || arch.is_some_and(|a| {
                                a_cap.clone().any(|x| a.count(x) >= ARCHIVE_MIN_COUNT)
                            }));
                    if names_only {
                        // a capital inside a sentence: a name's forms
                        cands.extend(cap_group.take(MAX_CANDIDATES));
                    } else {
                        cands.extend(group.take(MAX_CANDIDATES));
                        cands.extend(cap_group.take(MAX_CAP_CANDIDATES));
                    }
                    for &c in &cands[c0..] {
                        acands.push(self.arch_of(c));
                    }
                    if let Some(a) = arch {
                        let from = match names_only {
                            true => 0..0,
                            false => a_group,
                        };
                        let mut added = 0;
                        for x in from.chain(a_cap) {
                            if added >= MAX_ARCHIVE_CANDIDATES || a.count(x) < ARCHIVE_MIN_COUNT {
                                continue;
                            }
                            if acands[c0..].contains(&x) {
                                continue;
                            }
                            let id = n_vocab + extra.len();
                            if id >= NONE as usize {
                                break;
                            }
                            extra.push(x);
                            cands.push(id as u16);
                            acands.push(x);
                            added += 1;
                        }
                    }
                    if cands.len() == c0 {
                        cands.push(UNK);
                        acands.push(NO_ARCH);
                    }
                } else {
                    let own = |g: std::ops::Range<u16>, prefixed: bool| {
                        g.into_iter().find(|&id| {
                            let t = m.text(id);
                            if prefixed {
                                t.strip_prefix(CAP) == Some(normalized)
                            } else {
                                t == normalized
                            }
                        })
                    };
                    let id = if cap { own(cap_group, true) } else { None };
                    cands.push(id.or_else(|| own(group, false)).unwrap_or(UNK));
                    form.clear();
                    if cap {
                        form.push(CAP);
                    }
                    form.push_str(normalized);
                    let mut a = aid(&form);
                    if a == NO_ARCH && cap {
                        a = aid(normalized);
                    }
                    acands.push(a);
                }
                pos.push(Pos {
                    start,
                    end,
                    c0,
                    c1: cands.len(),
                    open,
                    chunk_start,
                });
                chunk_start = false;
            }
        });
        if let Some(a) = arch {
            ws.ap1.clear();
            ws.acv.clear();
            let opt = |x: u32| (x != NO_ARCH).then_some(x);
            for &x in &ws.acands {
                ws.ap1.push(a.prob1(opt(x)) as f32);
                ws.acv.push(opt(x).map_or(0.0, |x| a.count(x) as f32));
            }
        }
        ws.path.clear();
        ws.path.resize(ws.pos.len(), UNK);
        ws.path_ci.clear();
        ws.path_ci.resize(ws.pos.len(), u16::MAX);
        let mut s = 0;
        while s < ws.pos.len() {
            let mut e = s + 1;
            while e < ws.pos.len() && !ws.pos[e].chunk_start {
                e += 1;
            }
            self.viterbi(ws, s, e);
            s = e;
        }
    }

    /// Best path of the chunk `s..e` into `ws.path[s..e]`.
    fn viterbi(&self, ws: &mut Workspace, s: usize, e: usize) {
        let m = &self.model;
        ws.states.clear();
        ws.level.clear();
        ws.states.push(State {
            u: NONE,
            v: BOUNDARY,
            av: archive::BOUNDARY,
            vi: 0,
            bi: None,
            score: 1.0,
            back: 0,
        });
        ws.level.push(0); // level k holds the states after position s + k - 1
        for i in s..e {
            let p = ws.pos[i];
            let prev = *ws.level.last().unwrap_or(&0)..ws.states.len();
            ws.next.clear();
            let n_prev = if i == s {
                1
            } else {
                ws.pos[i - 1].c1 - ws.pos[i - 1].c0
            };
            let n_cur = p.c1 - p.c0;
            // P2(w | v) of the model by (previous candidate, candidate): the same for
            // every state ending in v (the decoder multiplies probabilities: no
            // `exp` and `ln` to mix in the archive's)
            ws.bmemo.clear();
            ws.bmemo.resize(n_prev * n_cur, f32::NAN);
            ws.lmemo.clear();
            ws.lmemo.resize(n_prev * n_cur, f32::NAN);
            ws.memo.clear();
            ws.aranges.clear();
            // the archive ids of this position's candidates lie in lo..=hi
            let (mut lo, mut hi) = (u32::MAX, 0u32);
            if self.archive.is_some() {
                ws.memo.resize(n_prev * n_cur, f32::NAN);
                ws.aranges.resize(n_prev, None);
                for &x in ws.acands.get(p.c0..p.c1).unwrap_or_default() {
                    if x != NO_ARCH {
                        lo = lo.min(x);
                        hi = hi.max(x);
                    }
                }
            }
            let n_vocab = m.vocab_len();
            // the model's lookups of the whole position at once: the candidates in
            // ascending id order, looked up in each context's ascending list
            model_order(
                ws.cands.get(p.c0..p.c1).unwrap_or_default(),
                n_vocab,
                &mut ws.order,
                &mut ws.sorted,
            );
            let n_sorted = ws.sorted.len();
            ws.found.resize(n_sorted, u32::MAX);
            ws.row.resize(n_sorted, 0.0);
            ws.row2.resize(n_sorted, 0.0);
            ws.tmemo.clear();
            ws.tmemo.resize(prev.len() * n_cur, f32::NAN);
            ws.brow_done.clear();
            ws.brow_done.resize(n_prev, false);
            for si in prev.clone() {
                let st = ws.states[si];
                let vi = st.vi as usize;
                if ws.brow_done.get(vi).is_some_and(|d| !*d) {
                    ws.brow_done[vi] = true;
                    m.bi_row_p(self.base_id(st.v), &ws.sorted, &mut ws.found, &mut ws.row);
                    for (o, x) in ws.order.iter().zip(&ws.row) {
                        if let Some(y) = ws.bmemo.get_mut(vi * n_cur + o.1 as usize) {
                            *y = *x;
                        }
                    }
                }
                if let Some(b) = st.bi {
                    for (o, y) in ws.order.iter().zip(ws.row2.iter_mut()) {
                        *y = ws
                            .bmemo
                            .get(vi * n_cur + o.1 as usize)
                            .copied()
                            .unwrap_or(0.0);
                    }
                    m.tri_row_p(b, &ws.sorted, &ws.row2, &mut ws.found, &mut ws.row);
                    let at = (si - prev.start) * n_cur;
                    for (o, x) in ws.order.iter().zip(&ws.row) {
                        if let Some(y) = ws.tmemo.get_mut(at + o.1 as usize) {
                            *y = *x;
                        }
                    }
                }
            }
            for ci in p.c0..p.c1 {
                let (w, aw) = (ws.cands[ci], ws.acands[ci]);
                let extra = w as usize >= n_vocab;
                // the state of (v, w) for each previous candidate v, once made
                ws.slot.clear();
                ws.slot.resize(n_prev, u32::MAX);
                for si in prev.clone() {
                    let st = ws.states[si];
                    let k = st.vi as usize * n_cur + (ci - p.c0);
                    // without a trigram context (or for a form only the archive
                    // knows) the step depends on (v, w) alone: computed once
                    let same_for_v = extra || st.bi.is_none();
                    if same_for_v
                        && let Some(&lp) = ws.lmemo.get(k)
                        && !lp.is_nan()
                    {
                        let sc = st.score * lp as f64;
                        recombine(&mut ws.slot, &mut ws.next, st, si, w, aw, ci - p.c0, sc);
                        continue;
                    }
                    // the model's probability (none for a form only the archive knows)
                    let base = if extra {
                        0.0
                    } else if st.bi.is_some() {
                        let t = (si - prev.start) * n_cur + (ci - p.c0);
                        ws.tmemo.get(t).copied().unwrap_or(0.0)
                    } else {
                        ws.bmemo.get(k).copied().unwrap_or(0.0)
                    };
                    let lp = match ws.memo.get_mut(k) {
                        Some(pa) => {
                            if pa.is_nan() {
                                *pa = match &self.archive {
                                    Some(a) if st.av != NO_ARCH && aw != NO_ARCH => {
                                        let cv = match i == s {
                                            true => a.count(archive::BOUNDARY) as f32,
                                            false => ws
                                                .acv
                                                .get(ws.pos[i - 1].c0 + st.vi as usize)
                                                .copied()
                                                .unwrap_or(0.0),
                                        };
                                        let r = match ws.aranges.get_mut(st.vi as usize) {
                                            Some(Some(r)) => r.clone(),
                                            Some(slot) => {
                                                let r = a.pair_range(st.av, lo, hi);
                                                *slot = Some(r.clone());
                                                r
                                            }
                                            None => a.pair_range(st.av, lo, hi),
                                        };
                                        let p1 = ws.ap1.get(ci).copied().unwrap_or(0.0);
                                        ArchiveStats::prob_of_count(a.pair_in(r, aw), cv, p1)
                                    }
                                    _ => ws.ap1.get(ci).copied().unwrap_or(0.0),
                                };
                            }
                            self.mix_p(base, *pa)
                        }
                        None => base,
                    };
                    if same_for_v && let Some(x) = ws.lmemo.get_mut(k) {
                        *x = lp;
                    }
                    let sc = st.score * lp as f64;
                    recombine(&mut ws.slot, &mut ws.next, st, si, w, aw, ci - p.c0, sc);
                }
            }
            // states too far below the best can no longer win
            let best = ws.next.iter().map(|x| x.score).fold(0.0, f64::max);
            let floor = best * (-MARGIN as f64).exp();
            ws.next.retain(|x| x.score >= floor);
            if ws.next.len() > BEAM {
                ws.next
                    .select_nth_unstable_by(BEAM - 1, |a, b| b.score.total_cmp(&a.score));
                ws.next.truncate(BEAM);
            }
            // scores relative to the best, so that long chunks do not underflow
            let scale = if best > 0.0 { best.recip() } else { 1.0 };
            for x in ws.next.iter_mut() {
                x.bi = m.bigram(self.base_id(x.u), self.base_id(x.v));
                x.score *= scale;
            }
            ws.level.push(ws.states.len());
            ws.states.extend_from_slice(&ws.next);
        }
        // end of chunk
        let last = *ws.level.last().unwrap_or(&0)..ws.states.len();
        let mut best = last.start;
        let mut best_score = f64::NEG_INFINITY;
        for si in last {
            let st = ws.states[si];
            let end = self.score(st.bi, st.v, st.av, BOUNDARY, archive::BOUNDARY);
            let sc = st.score * (end as f64).exp();
            if sc > best_score {
                best_score = sc;
                best = si;
            }
        }
        let mut si = best;
        for i in (s..e).rev() {
            let st = ws.states[si];
            ws.path[i] = st.v;
            ws.path_ci[i] = st.vi;
            si = st.back as usize;
        }
    }
}

/// The model's candidates among `cands` (ids below `n_vocab`; the others are forms
/// only the archive knows) in ascending id order, for the row lookups
/// ([`Model::bi_row`]): (id, index in `cands`) into `order`, the ids into `sorted`.
fn model_order(cands: &[u16], n_vocab: usize, order: &mut Vec<(u16, u16)>, sorted: &mut Vec<u16>) {
    order.clear();
    order.extend(
        cands
            .iter()
            .enumerate()
            .filter(|x| (*x.1 as usize) < n_vocab)
            .map(|(j, &c)| (c, j as u16)),
    );
    order.sort_unstable();
    sorted.clear();
    sorted.extend(order.iter().map(|x| x.0));
}

thread_local! {
    static WORKSPACE: std::cell::RefCell<Workspace> = std::cell::RefCell::default();
}

/// Runs `f` with this thread's workspace, as the segmenter does: its buffers and
/// its cache of each folded form's candidates serve the next call too (a query
/// typed without accents is analyzed on every search). The cache belongs to one
/// restorer at a time: `decode` clears it for another. A nested call gets a fresh
/// workspace.
fn with_workspace<T>(f: impl FnOnce(&mut Workspace) -> T) -> T {
    WORKSPACE.with(|ws| match ws.try_borrow_mut() {
        Ok(mut ws) => f(&mut ws),
        Err(_) => f(&mut Workspace::default()),
    })
}

/// Adds the step from state `st` (index `si`) to candidate `w` (archive id `aw`,
/// index `vi` at its position) with score `sc` to `next`, recombining states that
/// share (v, w): a previous candidate is one id, so its index (`slot`) stands for v.
#[inline]
#[allow(clippy::too_many_arguments)]
fn recombine(
    slot: &mut [u32],
    next: &mut Vec<State>,
    st: State,
    si: usize,
    w: u16,
    aw: u32,
    vi: usize,
    sc: f64,
) {
    match slot.get_mut(st.vi as usize) {
        Some(s) if *s != u32::MAX => {
            if let Some(x) = next.get_mut(*s as usize)
                && sc > x.score
            {
                x.score = sc;
                x.back = si as u32;
            }
        }
        s => {
            if let Some(s) = s {
                *s = next.len() as u32;
            }
            next.push(State {
                u: st.v,
                v: w,
                av: aw,
                vi: vi as u16,
                bi: None,
                score: sc,
                back: si as u32,
            })
        }
    }
}

/// A model form without the [`CAP`] prefix.
fn plain(form: &str) -> &str {
    form.strip_prefix(CAP).unwrap_or(form)
}

/// Appends `form` (lower case) with the case of `typed`: letter by letter when they
/// have as many letters, else by the typed word's shape (all capitals, capitalized).
pub fn apply_case(typed: &str, form: &str, out: &mut String) {
    let tn = typed.chars().count();
    let fnn = form.chars().count();
    if tn == fnn {
        for (t, f) in typed.chars().zip(form.chars()) {
            if t.is_uppercase() {
                out.extend(f.to_uppercase());
            } else {
                out.push(f);
            }
        }
        return;
    }
    let mut tc = typed.chars().filter(|c| c.is_alphabetic());
    let first_upper = tc.next().is_some_and(char::is_uppercase);
    let all_upper = first_upper && tc.all(char::is_uppercase);
    if all_upper {
        out.extend(form.chars().flat_map(char::to_uppercase));
    } else if first_upper {
        let mut fc = form.chars();
        if let Some(c) = fc.next() {
            out.extend(c.to_uppercase());
        }
        out.push_str(fc.as_str());
    } else {
        out.push_str(form);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_follows_the_typed_word() {
        let mut s = String::new();
        apply_case("Dang", "đảng", &mut s);
        assert_eq!(s, "Đảng");
        s.clear();
        apply_case("HA", "hà", &mut s);
        assert_eq!(s, "HÀ");
        s.clear();
        apply_case("Hoa", "hoà", &mut s);
        assert_eq!(s, "Hoà");
    }

    #[test]
    fn embedded_model_is_intact() {
        assert!(Model::checksum_ok(MODEL_BYTES), "data/model.bin is damaged");
        // the structure in full (`from_static` checks only the header)
        assert!(Model::from_bytes(MODEL_BYTES).is_ok());
        assert!(Restorer::embedded().is_ok());
    }

    #[test]
    fn restores_common_phrases() {
        let r = Restorer::global();
        assert_eq!(r.restore("gia vang the gioi"), "giá vàng thế giới");
        assert_eq!(r.restore("Thu tuong Chinh phu"), "Thủ tướng Chính phủ");
        assert_eq!(r.restore("HA NOI"), "HÀ NỘI");
    }

    #[test]
    fn leaves_numbers_punctuation_accents_and_codes() {
        let r = Restorer::global();
        assert_eq!(r.restore("ngay 22/6, UBND"), "ngày 22/6, UBND");
        // typed accents are kept, and guide the rest
        assert_eq!(r.restore("Đảng"), "Đảng");
        assert_eq!(r.restore("  "), "  ");
        assert_eq!(r.restore(""), "");
        assert_eq!(r.restore("xyzzyq"), "xyzzyq");
    }

    /// A code in capitals keeps its letters but may take its `Đ` back, where the
    /// model knows it so; a code the model knows only with a `D` stays.
    #[test]
    fn codes_take_back_their_d_bar_only() {
        let r = Restorer::global();
        assert_eq!(r.restore("Chu tich HDND tinh"), "Chủ tịch HĐND tỉnh");
        assert_eq!(r.restore("Truong DH Bach khoa"), "Trường ĐH Bách khoa");
        assert_eq!(
            r.restore("ngay cang nhieu canh dong hoang o DBSCL"),
            "ngày càng nhiều cánh đồng hoang ở ĐBSCL"
        );
        // no other mark is ever added to a code, and codes without a D stay
        assert_eq!(r.restore("BOT cao toc"), "BOT cao tốc");
        assert_eq!(r.restore("Washington DC"), "Washington DC");
        assert_eq!(r.restore("UBND TP.HCM"), "UBND TP.HCM");
        let a = r.analyze("Cac DBQH cho rang");
        assert_eq!(a[1].restored, "ĐBQH");
        assert!(a[1].changed && a[1].open);
    }

    /// An archive that writes a code with a `D` keeps it so.
    #[test]
    fn the_archive_keeps_a_code_it_writes_with_d() {
        let mut an = crate::analysis::Analyzer::default();
        let mut c = archive::Counts::new(archive::Limits::default());
        for _ in 0..5 {
            let mut s = String::new();
            archive::stream(&mut an, "Các DBQH cho rằng", &mut s);
            c.add_stream(&s);
        }
        let r = Restorer::global().with_archive(Arc::new(c.freeze()));
        assert_eq!(r.restore("Cac DBQH cho rang"), "Các DBQH cho rằng");
        assert_eq!(
            Restorer::global().restore("Cac DBQH cho rang"),
            "Các ĐBQH cho rằng"
        );
    }

    fn archive_of(texts: &[(&str, usize)]) -> Arc<ArchiveStats> {
        let mut an = crate::analysis::Analyzer::default();
        let mut c = archive::Counts::new(archive::Limits::default());
        for &(t, n) in texts {
            for _ in 0..n {
                let mut s = String::new();
                archive::stream(&mut an, t, &mut s);
                c.add_stream(&s);
            }
        }
        Arc::new(c.freeze())
    }

    /// An archive's own names restore as it writes them, but a few odd pairs in it
    /// do not outweigh the base model on common words: on titles held out from the
    /// archive, the old even mix (0.5) restored 96.76 % of syllables against the base
    /// model's 97.20 %, the weight of today 97.28 %.
    #[test]
    fn the_archive_teaches_names_without_overruling_the_base_model() {
        let base = Restorer::global();
        assert_eq!(base.restore("xa Thuong Tho"), "xã Thượng Thơ");
        let names = archive_of(&[("Người dân xã Thượng Thọ đón Tết", 20)]);
        let learned = base.with_archive(names);
        assert_eq!(learned.restore("xa Thuong Tho"), "xã Thượng Thọ");
        // `analyze` keeps one workspace per thread, and its cached candidates belong
        // to one restorer: switching restorers on the same thread changes nothing
        let form = |r: &Restorer| r.analyze("xa Thuong Tho")[2].form.clone();
        assert_eq!(form(base), "thơ");
        assert_eq!(form(&learned), "thọ");
        assert_eq!(form(base), "thơ");
        let odd = archive_of(&[("súng không nổ cò nhưng vẫn kẹt", 5)]);
        assert_eq!(base.restore("co nhung nguoi"), "có những người");
        assert_eq!(
            base.with_archive(odd.clone()).restore("co nhung nguoi"),
            "có những người"
        );
        // the old even mix took the archive's five odd pairs over the common phrase
        assert_ne!(
            base.with_archive(odd)
                .with_base_weight(0.5)
                .restore("co nhung nguoi"),
            "có những người"
        );
    }

    #[test]
    fn rows_give_the_single_lookups() {
        let m = Restorer::global().model();
        let mut ids: Vec<u16> = ["dang", "co", "nhung", "nguoi", "viet", "nam", "thi", "ha"]
            .iter()
            .flat_map(|f| m.group(f))
            .collect();
        ids.push(BOUNDARY);
        ids.sort_unstable();
        ids.dedup();
        let n = ids.len();
        let (mut found, mut row, mut row2) = (vec![0; n], vec![0.0; n], vec![0.0; n]);
        let (mut row_p, mut row2_p) = (vec![0.0; n], vec![0.0; n]);
        let mut contexts = 0;
        for &v in &ids {
            m.bi_row(v, &ids, &mut found, &mut row);
            for (w, x) in ids.iter().zip(&row) {
                assert_eq!(*x, m.bi(v, *w), "bi({v}, {w})");
            }
            // the decoder's rows, in probabilities: exp of the above up to rounding
            m.bi_row_p(v, &ids, &mut found, &mut row_p);
            for (w, (x, y)) in ids.iter().zip(row.iter().zip(&row_p)) {
                assert!(
                    (x.exp() - y).abs() <= 1e-5 * y,
                    "bi_p({v}, {w}): {y} vs {x}"
                );
            }
            for &u in &ids {
                let Some(b) = m.bigram(u, v) else { continue };
                contexts += 1;
                m.tri_row(b, &ids, &row, &mut found, &mut row2);
                for (w, x) in ids.iter().zip(&row2) {
                    assert_eq!(*x, m.tri(Some(b), v, *w), "tri({u}, {v}, {w})");
                }
                m.tri_row_p(b, &ids, &row_p, &mut found, &mut row2_p);
                for (w, (x, y)) in ids.iter().zip(row2.iter().zip(&row2_p)) {
                    assert!((x.exp() - y).abs() <= 1e-5 * y, "tri_p({u}, {v}, {w})");
                }
            }
        }
        assert!(contexts > 20, "{contexts} trigram contexts");
    }

    #[test]
    fn alternatives_leave_out_only_the_hopeless() {
        let r = Restorer::global();
        let text = "Chinh phu yeu cau cac bo nganh khan truong thuc hien ke hoach phat trien kinh te nam nay";
        let syl = r.analyze(text);
        let mut left_out = 0;
        for s in &syl {
            assert!(s.choices >= s.alternatives.len().max(1), "{s:?}");
            if s.alternatives.is_empty() {
                continue;
            }
            let sum: f32 = s.alternatives.iter().map(|x| x.1).sum();
            assert!((sum - 1.0).abs() < 1e-3, "{s:?}");
            assert_eq!(s.alternatives[0].0, s.form, "{s:?}");
            left_out += s.choices - s.alternatives.len();
        }
        // some forms were too unlikely to list, and still count as choices (the
        // search planner boosts only syllables with a choice)
        assert!(left_out > 0);
        // against no margin at all: the same choices and confidences, the same
        // forms with their probabilities, and only near-zero ones left out
        with_workspace(|ws| {
            r.decode(text, ws);
            let mut bufs = AltBufs::default();
            let mut compared = 0;
            for i in 0..ws.pos.len() {
                let p = ws.pos[i];
                if !p.open || p.c1 - p.c0 < 2 {
                    continue;
                }
                let (kept, conf, choices) = r.alternatives(ws, &mut bufs, i);
                let (all, conf_all, choices_all) =
                    r.alternatives_within(ws, &mut bufs, i, f32::INFINITY);
                assert_eq!(choices, choices_all);
                assert_eq!(choices_all, all.len());
                assert!((conf - conf_all).abs() < 1e-5, "{conf} vs {conf_all}");
                for (form, q) in &all {
                    match kept.iter().find(|x| &x.0 == form) {
                        Some((_, k)) => assert!((k - q).abs() < 1e-5, "{form}: {k} vs {q}"),
                        None => assert!(*q < 1e-5, "{form} left out at {q}"),
                    }
                }
                compared += 1;
            }
            assert!(compared > 10, "{compared} syllables compared");
        });
        assert_eq!(
            r.restore(text),
            "Chính phủ yêu cầu các bộ ngành khẩn trương thực hiện kế hoạch phát triển kinh tế năm nay"
        );
    }

    #[test]
    fn alternatives_are_probabilities() {
        let r = Restorer::global();
        let a = r.analyze("dang vien");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].restored, "đảng");
        assert!(a[0].alternatives.len() > 1);
        let sum: f32 = a[0].alternatives.iter().map(|x| x.1).sum();
        assert!((sum - 1.0).abs() < 1e-3);
        assert!(a[0].confidence > 0.5);
        assert!(a[0].changed && a[0].open);
    }
}
