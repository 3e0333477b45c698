//! The tokenizer, normalizer and word segmenter on any text: `analysis::tokenize`, the
//! streaming `Analyzer` (with joined tokens), `normalize`, `fold`, `Segmenter`.
use honggfuzz::fuzz;

fn main() {
    let seg = tintuc::analysis::Segmenter::global();
    let mut analyzer = tintuc::analysis::Analyzer::new().with_joined(true);
    loop {
        fuzz!(|data: &[u8]| {
            let s = tintuc_fuzz::text(data);
            let tokens = tintuc::analysis::tokenize(&s);
            for t in &tokens {
                assert!(t.start <= t.end && t.end <= s.len(), "offsets inside the text");
                assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
            }
            let mut stream = analyzer.tokens(&s);
            while stream.advance() {
                let (a, b) = stream.offsets();
                assert!(a <= b && b <= s.len());
            }
            let n = tintuc::analysis::normalize(&s);
            let _ = tintuc::analysis::fold(&n);
            let _ = tintuc::analysis::has_diacritics(&s);
            let _ = seg.segment_tokens(&s, &tokens);
            for line in s.lines().take(64) {
                let _ = seg.segment_line(line);
            }
        });
    }
}
