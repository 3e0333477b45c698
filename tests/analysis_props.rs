//! Property tests of the analysis pipeline: no input panics, offsets are always on
//! character boundaries, and every way of writing the same word gives the same terms.

use proptest::prelude::*;
use tintuc::analysis::{fold, has_diacritics, normalize, tokenize};
use unicode_normalization::UnicodeNormalization;

/// Characters news text is made of, and the odd ones around it.
fn vietnamese_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY".chars().collect::<Vec<_>>()),
        4 => prop::sample::select("àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ".chars().collect::<Vec<_>>()),
        2 => prop::sample::select(" ,.-/%:;\"'()“”…0123456789\n\t".chars().collect::<Vec<_>>()),
        1 => prop::sample::select(vec!['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}', '\u{0302}', '\u{0306}', '\u{031B}', '\u{0308}', '\u{00AD}', '\u{200D}', 'Ð', 'ð', 'Ɖ', 'ß', 'İ', 'ﬁ', '😀', '🇻', '中', 'я', 'ñ', '\u{FEFF}']),
    ]
}

fn vietnamese_text() -> impl Strategy<Value = String> {
    prop::collection::vec(vietnamese_char(), 0..40).prop_map(|v| v.into_iter().collect())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![vietnamese_text(), any::<String>(), "\\PC*"]
}

/// The invariants every token list must satisfy.
fn check_tokens(text: &str) -> Result<(), TestCaseError> {
    let tokens = tokenize(text);
    let mut last_end = 0;
    for (i, t) in tokens.iter().enumerate() {
        prop_assert!(t.start < t.end && t.end <= text.len());
        prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        prop_assert!(t.start >= last_end, "tokens overlap in {text:?}");
        last_end = t.end;
        prop_assert_eq!(t.position as usize, i);
        prop_assert!(!t.normalized.is_empty());
        prop_assert!(t.normalized.len() <= tintuc::analysis::tokenize::MAX_TOKEN_BYTES);
        // The tokenizer's fast path and the general path behind `normalize` agree.
        let piece = &text[t.start..t.end];
        prop_assert_eq!(&t.normalized, &normalize(piece), "normalize({:?})", piece);
        prop_assert_eq!(&t.folded, &fold(piece), "fold({:?})", piece);
        prop_assert_eq!(&fold(&t.normalized), &t.folded);
        prop_assert_eq!(&normalize(&t.normalized), &t.normalized, "not idempotent");
        prop_assert_eq!(has_diacritics(&t.normalized), t.normalized != t.folded);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn tokens_are_well_formed(text in any_text()) {
        check_tokens(&text)?;
    }

    #[test]
    fn normalize_and_fold_never_panic(text in any_text()) {
        let n = normalize(&text);
        prop_assert_eq!(normalize(&n), n.clone());
        let _ = fold(&text);
        let _ = has_diacritics(&text);
    }

    #[test]
    fn nfd_and_nfc_give_the_same_terms(text in vietnamese_text()) {
        let nfc: String = text.nfc().collect();
        let nfd: String = text.nfd().collect();
        let a: Vec<_> = tokenize(&nfc).into_iter().map(|t| (t.normalized, t.folded, t.position)).collect();
        let b: Vec<_> = tokenize(&nfd).into_iter().map(|t| (t.normalized, t.folded, t.position)).collect();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn case_does_not_matter(text in vietnamese_text()) {
        // Letters whose case mapping changes their length or identity are left out.
        let text: String = text
            .chars()
            .map(|c| if matches!(c, 'ß' | 'İ' | 'ﬁ') { 'a' } else { c })
            .collect();
        let upper = text.to_uppercase();
        let a: Vec<_> = tokenize(&text).into_iter().map(|t| t.normalized).collect();
        let b: Vec<_> = tokenize(&upper).into_iter().map(|t| t.normalized).collect();
        prop_assert_eq!(a, b);
    }

    /// Wherever a single tone mark sits in a syllable's vowels, the canonical form is
    /// the same.
    #[test]
    fn tone_mark_position_does_not_matter(
        onset in prop::sample::select(vec!["", "b", "ch", "đ", "g", "gi", "h", "kh", "l", "ng", "ngh", "nh", "ph", "qu", "th", "tr", "x"]),
        rhyme in prop::sample::select(vec!["a", "oa", "oe", "uy", "ai", "ao", "au", "ay", "ia", "ua", "ưa", "oai", "oay", "uya", "uyu", "oeo", "iêu", "yêu", "ươi", "ươu", "uôi", "oan", "oang", "uyên", "uyêt", "ương", "ươc", "iêng", "uân", "oach", "uynh", "ưu", "ơi"]),
        tone in prop::sample::select(vec!['\u{0300}', '\u{0301}', '\u{0309}', '\u{0303}', '\u{0323}']),
    ) {
        let word = format!("{onset}{rhyme}");
        let chars: Vec<char> = word.chars().collect();
        let mut forms = Vec::new();
        for (k, c) in chars.iter().enumerate() {
            if "aăâeêioôơuưy".contains(*c) {
                let mut w: String = chars[..=k].iter().collect();
                w.push(tone);
                w.extend(&chars[k + 1..]);
                forms.push(normalize(&w.nfc().collect::<String>()));
            }
        }
        let first = forms[0].clone();
        for f in &forms {
            prop_assert_eq!(f, &first, "{}", word);
        }
        prop_assert!(has_diacritics(&first));
        prop_assert_eq!(fold(&first), fold(&word));
    }
}
