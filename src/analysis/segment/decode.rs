//! Exact decoding of one chain: semi-Markov Viterbi over word lengths.

use super::features::{Chain, MAX_LEN, WordTable};

/// Reusable decoding buffers.
#[derive(Debug, Default, Clone)]
pub struct Decoder {
    gap: Vec<f32>,
    prefix: Vec<f32>,
    best: Vec<f32>,
    back: Vec<u8>,
}

impl Decoder {
    /// Best segmentation of `chain` under `weights`; appends the word lengths, in order, to `out`.
    pub fn decode(&mut self, chain: &Chain, weights: &[f32], out: &mut Vec<u8>) {
        let n = chain.n;
        self.gap.clear();
        for g in 0..n.saturating_sub(1) {
            let mut s = 0.0f32;
            chain.gap_features(g, |f| s += weights[f]);
            self.gap.push(s);
        }
        self.decode_scored(
            chain,
            |s, k| {
                let mut sc = 0.0f32;
                chain.word_features(s, k, |f| sc += weights[f]);
                sc
            },
            out,
        );
    }

    /// Like [`Decoder::decode`], with the word features folded into `wt` (faster).
    pub fn decode_fast(
        &mut self,
        chain: &Chain,
        weights: &[f32],
        wt: &WordTable,
        out: &mut Vec<u8>,
    ) {
        chain.gap_scores(weights, wt, &mut self.gap);
        chain.viterbi(&self.gap, wt, &mut self.best, &mut self.back, out);
    }

    /// Gap scores as computed by [`Decoder::decode`] (for tests and training).
    pub fn set_gap_scores(&mut self, gaps: impl IntoIterator<Item = f32>) {
        self.gap.clear();
        self.gap.extend(gaps);
    }

    /// Viterbi with the gap scores already set and `word(s, k)` scoring a word.
    pub fn decode_scored(
        &mut self,
        chain: &Chain,
        mut word: impl FnMut(usize, usize) -> f32,
        out: &mut Vec<u8>,
    ) {
        let n = chain.n;
        if n == 0 {
            return;
        }
        self.prefix.clear();
        self.prefix.push(0.0);
        let mut acc = 0.0f32;
        for &g in &self.gap {
            acc += g;
            self.prefix.push(acc);
        }
        self.best.clear();
        self.best.resize(n + 1, f32::NEG_INFINITY);
        self.back.clear();
        self.back.resize(n + 1, 1);
        self.best[0] = 0.0;
        for j in 1..=n {
            let mut bj = f32::NEG_INFINITY;
            let mut bk = 1u8;
            for k in 1..=j.min(MAX_LEN) {
                let s = j - k;
                if k > 1 && !chain.allowed(s, k) {
                    continue;
                }
                let sc = self.best[s] + (self.prefix[j - 1] - self.prefix[s]) + word(s, k);
                if sc > bj {
                    bj = sc;
                    bk = k as u8;
                }
            }
            self.best[j] = bj;
            self.back[j] = bk;
        }
        let at = out.len();
        let mut j = n;
        while j > 0 {
            let k = self.back[j];
            out.push(k);
            j -= k as usize;
        }
        out[at..].reverse();
    }
}
