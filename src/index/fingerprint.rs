//! Near-duplicate fingerprints: syndicated copies of one story (the same text on two
//! sites) get fingerprints a few bits apart.
//!
//! **What "the same text" means.** The lead and body are read as a sequence of words
//! (runs of letters and digits), each folded: lowercase, without tone or vowel marks,
//! `đ`→`d`, whatever the Unicode form (NFC, NFD) or tone-mark placement (`hoà`/`hòa`).
//! Punctuation and spacing are ignored, and so is what sites add around a copy: lines
//! of fewer than six words (bylines, "Theo …", share footers, captions) and a short
//! source prefix before a dash at the start of a line (`(Dân trí) - `, `TTO - `). The fingerprint is a 64-bit
//! SimHash (Charikar) over the overlapping three-word shingles of that sequence. Two
//! texts that share nearly all their shingles — one copy with a site name, a byline,
//! "Theo …" or a share footer added — land within [`MAX_DISTANCE`] bits of each other;
//! different articles almost never do (see the threshold below).
//!
//! Texts shorter than [`MIN_WORDS`] words get no fingerprint (`0`): too little text to
//! tell a copy from a coincidence. `0` never matches anything.
//!
//! **Threshold.** Over all 199 million pairs of the dev corpus (`../shared/corpus/dev.jsonl.gz`,
//! 19,942 articles), the pairs within 4 bits were the three syndicated copies in it
//! (at 2, 3 and 4 bits: one site's copy with other captions and `hóa`/`hoá`); the
//! nearest pair that is not a copy was two daily gold-price reports written from one
//! template, at 6 bits, and the nearest unrelated pairs were at 9. Hence
//! [`MAX_DISTANCE`] = 4.
//!
//! ```
//! use tintuc::index::fingerprint::{near_duplicate, simhash};
//! let a = simhash("Sáng nay, mưa lớn kéo dài khiến nhiều tuyến phố ở trung tâm thành phố ngập sâu, \
//!                  giao thông ùn tắc nhiều giờ liền và hàng trăm xe chết máy giữa dòng nước.");
//! let b = simhash("(Báo Mới) - SÁNG NAY, mưa lớn kéo dài khiến nhiều tuyến phố ở trung tâm thành phố ngập sâu, \
//!                  giao thông ùn tắc nhiều giờ liền và hàng trăm xe chết máy giữa dòng nước.");
//! assert!(near_duplicate(a, b));
//! ```

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::article::Article;

/// Largest Hamming distance between the fingerprints of two copies of one text.
pub const MAX_DISTANCE: u32 = 4;

/// Fewest words a text needs to get a fingerprint.
pub const MIN_WORDS: usize = 12;

/// Words per shingle.
const SHINGLE: usize = 3;

/// Lines with fewer words are left out (bylines, credits, footers, captions).
const MIN_LINE_WORDS: usize = 6;

/// Longest source prefix (in words) dropped before a dash at the start of a line.
const MAX_PREFIX_WORDS: usize = 4;

/// What a character is to the fingerprint: [`NOT_WORD`], [`MARK`] (inside a word,
/// contributes nothing), or the folded base letter or digit itself.
type Folded = u32;
const NOT_WORD: Folded = 0;
const MARK: Folded = 1;

/// Folds one character: lowercase base letter without marks (`đ`→`d`), a digit, a
/// mark, or not part of a word.
fn fold_char_slow(c: char) -> Folded {
    if is_combining_mark(c) {
        return MARK;
    }
    if !c.is_alphanumeric() {
        return NOT_WORD;
    }
    let mut base = None;
    decompose_canonical(c, |d| {
        if base.is_none() && !is_combining_mark(d) {
            base = Some(d);
        }
    });
    let Some(base) = base else { return MARK };
    let lower = base.to_lowercase().next().unwrap_or(base);
    match lower {
        'đ' | 'ð' => 'd' as u32,
        l => l as u32,
    }
}

/// Precomputed [`fold_char_slow`] for U+0000–U+036F (Latin, Latin-1, Extended-A/B,
/// combining marks) and U+1E00–U+1EFF (Latin Extended Additional: `ạ`…`ỹ`), which
/// hold every Vietnamese letter.
struct FoldTables {
    low: Vec<Folded>,
    viet: Vec<Folded>,
}

const LOW_END: u32 = 0x370;
const VIET_START: u32 = 0x1E00;
const VIET_END: u32 = 0x1F00;

fn tables() -> &'static FoldTables {
    static TABLES: std::sync::OnceLock<FoldTables> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let fold = |range: std::ops::Range<u32>| {
            range
                .map(|u| char::from_u32(u).map_or(NOT_WORD, fold_char_slow))
                .collect()
        };
        FoldTables {
            low: fold(0..LOW_END),
            viet: fold(VIET_START..VIET_END),
        }
    })
}

#[inline]
fn fold_char(t: &FoldTables, c: char) -> Folded {
    let u = c as u32;
    if u < LOW_END {
        t.low[u as usize]
    } else if (VIET_START..VIET_END).contains(&u) {
        t.viet[(u - VIET_START) as usize]
    } else {
        fold_char_slow(c)
    }
}

fn count_words(text: &str) -> usize {
    let t = tables();
    let mut n = 0;
    let mut inside = false;
    for c in text.chars() {
        let w = fold_char(t, c) != NOT_WORD;
        if w && !inside {
            n += 1;
        }
        inside = w;
    }
    n
}

/// `(Dân trí) - Sáng nay…` → `Sáng nay…`: a prefix of at most [`MAX_PREFIX_WORDS`]
/// words ended by a dash and a space, within the first 48 bytes of a line.
fn strip_source_prefix(line: &str) -> &str {
    let head_end = line
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| i >= 48)
        .unwrap_or(line.len());
    let head = &line[..head_end];
    for (i, c) in head.char_indices() {
        if matches!(c, '-' | '–' | '—') {
            let after = &line[i + c.len_utf8()..];
            if after.starts_with(char::is_whitespace) && count_words(&line[..i]) <= MAX_PREFIX_WORDS
            {
                return after.trim_start();
            }
        }
    }
    line
}

/// Whether two fingerprints denote copies of the same text (within [`MAX_DISTANCE`]
/// bits). `0` (no fingerprint) is never a duplicate of anything, not even of `0`.
///
/// ```
/// use tintuc::index::fingerprint::near_duplicate;
/// assert!(near_duplicate(0b1011, 0b1001));
/// assert!(!near_duplicate(0, 0));
/// assert!(!near_duplicate(u64::MAX, 0x00ff_00ff_00ff_00ff));
/// ```
pub fn near_duplicate(a: u64, b: u64) -> bool {
    a != 0 && b != 0 && (a ^ b).count_ones() <= MAX_DISTANCE
}

/// The fingerprint of an article: [`simhash`] of its lead and body (not its title,
/// which sites often rewrite). `0` when the text is too short.
pub fn fingerprint(a: &Article) -> u64 {
    let mut acc = SimHash::default();
    if let Some(lead) = &a.lead {
        acc.feed(lead);
    }
    acc.feed(&a.body);
    acc.finish()
}

/// SimHash of one text's folded three-word shingles; `0` when it has fewer than
/// [`MIN_WORDS`] words.
pub fn simhash(text: &str) -> u64 {
    let mut acc = SimHash::default();
    acc.feed(text);
    acc.finish()
}

/// Incremental SimHash: words may come from several texts in a row (lead, then body).
struct SimHash {
    /// Per bit, how many shingle hashes had it set, up to the last [`SimHash::spill`].
    counts: [u32; 64],
    /// The counts since: bit-sliced, plane `p` holds bit `p` of each of the 64
    /// counters, so adding a shingle hash is a few word-wide operations instead of 64
    /// additions. At most [`SPILL_EVERY`] shingles, so a counter fits in the planes.
    planes: [u64; PLANES],
    in_planes: u32,
    shingles: u32,
    /// The last [`SHINGLE`] word hashes, oldest first once full.
    window: [u64; SHINGLE],
    words: usize,
    /// Word hashes of the line being read (reused buffer).
    line: Vec<u64>,
}

impl Default for SimHash {
    fn default() -> Self {
        SimHash {
            counts: [0; 64],
            planes: [0; PLANES],
            in_planes: 0,
            shingles: 0,
            window: [0; SHINGLE],
            words: 0,
            line: Vec::new(),
        }
    }
}

/// Bit planes of [`SimHash::planes`].
const PLANES: usize = 8;
/// Shingles counted in the planes before they are spilled: the most an 8-bit
/// counter holds.
const SPILL_EVERY: u32 = (1 << PLANES) - 1;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl SimHash {
    /// Feeds a text paragraph by paragraph (lines), leaving out what syndication
    /// changes: short lines (bylines, "Theo …", share footers, captions) and a short
    /// source prefix before a dash (`(Dân trí) - `, `TTO - `).
    fn feed(&mut self, text: &str) {
        let t = tables();
        let mut line = std::mem::take(&mut self.line);
        for para in text.split('\n') {
            line.clear();
            word_hashes(t, strip_source_prefix(para), &mut line);
            if line.len() >= MIN_LINE_WORDS {
                for &w in &line {
                    self.push_word(w);
                }
            }
        }
        self.line = line;
    }

    fn push_word(&mut self, w: u64) {
        self.window.rotate_left(1);
        self.window[SHINGLE - 1] = w;
        self.words += 1;
        if self.words >= SHINGLE {
            let mut h = 0u64;
            for w in self.window {
                h = mix(h ^ w);
            }
            // A ripple-carry addition of h's bits to the bit-sliced counters (usually
            // one or two planes); the counts are compared with half the shingles at
            // the end.
            let mut carry = h;
            for plane in &mut self.planes {
                let c = *plane & carry;
                *plane ^= carry;
                carry = c;
                if carry == 0 {
                    break;
                }
            }
            self.in_planes += 1;
            if self.in_planes == SPILL_EVERY {
                self.spill();
            }
            self.shingles += 1;
        }
    }

    /// Adds the bit-sliced counters to `counts` and clears them.
    fn spill(&mut self) {
        for (bit, count) in self.counts.iter_mut().enumerate() {
            let mut n = 0u32;
            for (p, plane) in self.planes.iter().enumerate() {
                n |= (((plane >> bit) & 1) as u32) << p;
            }
            *count += n;
        }
        self.planes = [0; PLANES];
        self.in_planes = 0;
    }

    fn finish(mut self) -> u64 {
        if self.words < MIN_WORDS {
            return 0;
        }
        self.spill();
        let mut out = 0u64;
        for (bit, count) in self.counts.iter().enumerate() {
            // More shingles with the bit set than without.
            if 2 * *count > self.shingles {
                out |= 1 << bit;
            }
        }
        // 0 means "no fingerprint"; a real all-zero SimHash becomes 1.
        out.max(1)
    }
}

/// Appends the hash (FNV-1a over folded characters) of each word of `text`.
fn word_hashes(t: &FoldTables, text: &str, out: &mut Vec<u64>) {
    let mut current = FNV_OFFSET;
    let mut in_word = false;
    for c in text.chars() {
        match fold_char(t, c) {
            NOT_WORD => {
                // A run of marks alone is no word.
                if in_word && current != FNV_OFFSET {
                    out.push(current);
                }
                in_word = false;
            }
            f => {
                if !in_word {
                    in_word = true;
                    current = FNV_OFFSET;
                }
                if f != MARK {
                    current = (current ^ f as u64).wrapping_mul(FNV_PRIME);
                }
            }
        }
    }
    if in_word && current != FNV_OFFSET {
        out.push(current);
    }
}

/// splitmix64's finalizer: spreads every input bit over the whole word.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    const STORY: &str = "Chiều 12/3, tại xã Tân Phú, huyện Đồng Xoài, hơn hai trăm hộ dân đã nhận \
        giấy chứng nhận quyền sử dụng đất sau nhiều năm chờ đợi. Ông Nguyễn Văn Hoà, một người \
        dân trong xã, cho biết gia đình ông đã làm hồ sơ từ năm 2009 nhưng vướng quy hoạch thuỷ \
        lợi nên chưa được cấp. Lãnh đạo huyện cho biết sẽ hoàn tất việc cấp giấy cho các hộ còn \
        lại trước cuối năm, đồng thời rà soát các dự án chậm triển khai trên địa bàn.";

    #[test]
    fn same_words_same_fingerprint_whatever_the_form() {
        let a = simhash(STORY);
        assert_ne!(a, 0);
        let nfd: String = STORY.nfd().collect();
        assert_eq!(simhash(&nfd), a);
        assert_eq!(simhash(&STORY.to_uppercase()), a);
        let respaced = STORY.replace(", ", " ,  ").replace(". ", "...\n");
        assert_eq!(simhash(&respaced), a);
        // Old and new tone placement, and no diacritics at all, fold alike.
        assert_eq!(
            simhash(&STORY.replace("Hoà", "Hòa").replace("thuỷ", "thủy")),
            a
        );
        assert_eq!(simhash(&crate::analysis::fold(STORY)), a);
    }

    #[test]
    fn boilerplate_around_a_copy_stays_near() {
        let a = simhash(STORY);
        let b = simhash(&format!(
            "(Dân trí) - {STORY}\nTheo Báo Bình Phước\nChia sẻ bài viết"
        ));
        let d = (a ^ b).count_ones();
        assert!(near_duplicate(a, b), "distance {d}");
        // A copy with one sentence reworded is still a copy.
        let c = simhash(&STORY.replace("sau nhiều năm chờ đợi", "sau bao năm mong mỏi"));
        let d = (a ^ c).count_ones();
        assert!(near_duplicate(a, c), "distance {d}");
    }

    #[test]
    fn tables_agree_with_the_slow_fold() {
        let t = tables();
        for u in (0..LOW_END).chain(VIET_START..VIET_END) {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(fold_char(t, c), fold_char_slow(c), "U+{u:04X}");
            }
        }
        assert_eq!(fold_char(t, 'Ự'), 'u' as u32);
        assert_eq!(fold_char(t, 'Đ'), 'd' as u32);
        assert_eq!(fold_char(t, '\u{0301}'), MARK);
        assert_eq!(fold_char(t, ','), NOT_WORD);
        assert_eq!(fold_char(t, '7'), '7' as u32);
        assert_eq!(fold_char(t, 'Ж'), 'ж' as u32);
    }

    #[test]
    fn source_prefixes_are_dropped() {
        assert_eq!(strip_source_prefix("(Dân trí) - Sáng nay"), "Sáng nay");
        assert_eq!(strip_source_prefix("TTO – Sáng nay"), "Sáng nay");
        assert_eq!(strip_source_prefix("VOV.VN - Sáng nay"), "Sáng nay");
        assert_eq!(
            strip_source_prefix("Covid-19 lan rộng"),
            "Covid-19 lan rộng"
        );
        let long = "Một hai ba bốn năm sáu - bảy";
        assert_eq!(strip_source_prefix(long), long);
        assert_eq!(strip_source_prefix(""), "");
    }

    #[test]
    fn different_stories_are_far_apart() {
        let other = "Đội tuyển bóng đá nữ Việt Nam đã giành chiến thắng 3-0 trước Myanmar \
            trong trận bán kết diễn ra tối qua trên sân Cẩm Phả. Huấn luyện viên trưởng cho biết \
            các cầu thủ đã thi đấu đúng chiến thuật, kiểm soát bóng tốt và tận dụng hiệu quả các \
            tình huống cố định. Trận chung kết sẽ diễn ra vào cuối tuần này.";
        let d = (simhash(STORY) ^ simhash(other)).count_ones();
        assert!(
            !near_duplicate(simhash(STORY), simhash(other)),
            "distance {d}"
        );
        assert!(d > 16, "distance {d}");
    }

    /// The SimHash as first written: 64 counters, one addition per bit and shingle.
    fn simhash_by_counters(text: &str) -> u64 {
        let t = tables();
        let mut words = Vec::new();
        for para in text.split('\n') {
            let mut line = Vec::new();
            word_hashes(t, strip_source_prefix(para), &mut line);
            if line.len() >= MIN_LINE_WORDS {
                words.extend(line);
            }
        }
        if words.len() < MIN_WORDS {
            return 0;
        }
        let mut counts = [0u32; 64];
        let mut shingles = 0u32;
        for w in words.windows(SHINGLE) {
            let h = w.iter().fold(0u64, |h, &x| mix(h ^ x));
            for (bit, c) in counts.iter_mut().enumerate() {
                *c += ((h >> bit) & 1) as u32;
            }
            shingles += 1;
        }
        let mut out = 0u64;
        for (bit, c) in counts.iter().enumerate() {
            if 2 * c > shingles {
                out |= 1 << bit;
            }
        }
        out.max(1)
    }

    #[test]
    fn bit_sliced_counts_are_the_counters() {
        // Lengths around the spills (every 255 shingles), several texts.
        let words: Vec<String> = (0..3000u64)
            .map(|i| format!("từ{}", mix(i) % 977))
            .collect();
        for n in [12, 13, 200, 256, 257, 258, 510, 511, 766, 1000, 2999] {
            let text = words[..n].join(" ");
            assert_eq!(simhash(&text), simhash_by_counters(&text), "{n} words");
        }
        assert_eq!(simhash(STORY), simhash_by_counters(STORY));
    }

    #[test]
    fn short_texts_have_none() {
        assert_eq!(simhash("Giá vàng giảm mạnh trong phiên sáng nay"), 0);
        assert_eq!(simhash(""), 0);
        assert!(!near_duplicate(simhash("x"), simhash("x")));
    }

    #[test]
    fn lead_and_body_both_count() {
        let mut a = Article {
            lead: Some("Hơn hai trăm hộ dân ở xã Tân Phú đã nhận giấy chứng nhận.".into()),
            body: STORY.into(),
            ..Default::default()
        };
        let with_lead = fingerprint(&a);
        a.lead = None;
        assert_eq!(fingerprint(&a), simhash(STORY));
        assert_ne!(with_lead, simhash(STORY));
    }

    /// On the real corpus: how many pairs fall within the threshold, and do they look
    /// like copies? (Prints the figures; asserts only that near pairs share most of
    /// their words, i.e. that the threshold does not join different stories.)
    #[test]
    fn corpus_near_pairs_are_copies() {
        let Some(dir) = crate::test_support::shared_dir("corpus_near_pairs_are_copies") else {
            return;
        };
        let path = dir.join("corpus/sample-1k.jsonl");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipping: {} unreadable", path.display());
            return;
        };
        let mut docs: Vec<(String, u64)> = Vec::new();
        for line in text.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let lead = v["lead"].as_str().unwrap_or("");
            let body = v["body"].as_str().unwrap_or("");
            let t = format!("{lead}\n{body}");
            let fp = simhash(&t);
            if fp != 0 {
                docs.push((t, fp));
            }
        }
        let words = |t: &str| -> std::collections::HashSet<String> {
            crate::analysis::fold(t)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        };
        let mut near = 0;
        for i in 0..docs.len() {
            for j in i + 1..docs.len() {
                if near_duplicate(docs[i].1, docs[j].1) {
                    near += 1;
                    let (a, b) = (words(&docs[i].0), words(&docs[j].0));
                    let jacc = a.intersection(&b).count() as f64 / a.union(&b).count() as f64;
                    assert!(
                        jacc > 0.5,
                        "pair {i},{j} within threshold with word Jaccard {jacc}"
                    );
                }
            }
        }
        eprintln!(
            "{} fingerprinted articles, {near} near-duplicate pairs",
            docs.len()
        );
    }
}
