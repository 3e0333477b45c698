//! End to end through a real in-RAM tantivy index: the exact and folded analyzers index
//! a document, queries are analyzed with the same functions the search planner uses,
//! and every way of typing a word finds it.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, TantivyDocument, Term, doc};
use tintuc::analysis::tantivy::{EXACT, FOLDED, register};
use tintuc::analysis::{has_diacritics, tokenize};
use unicode_normalization::UnicodeNormalization;

struct Fixture {
    index: Index,
    exact: Field,
    folded: Field,
}

fn text_options(analyzer: &str) -> TextOptions {
    TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// An index of `docs`, each indexed in an exact and a folded field.
fn index(docs: &[&str]) -> Fixture {
    let mut builder = Schema::builder();
    let exact = builder.add_text_field("body_x", text_options(EXACT));
    let folded = builder.add_text_field("body_f", text_options(FOLDED) | STORED);
    let index = Index::create_in_ram(builder.build());
    register(index.tokenizers());
    let mut writer = index.writer(15_000_000).unwrap();
    for d in docs {
        writer
            .add_document(doc!(exact => *d, folded => *d))
            .unwrap();
    }
    writer.commit().unwrap();
    Fixture {
        index,
        exact,
        folded,
    }
}

/// The query the planner builds for a plain query string: its tokens as a phrase,
/// in the exact field when they carry diacritics, else in the folded field.
fn query(f: &Fixture, q: &str) -> Box<dyn Query> {
    let tokens = tokenize(q);
    let exact = tokens.iter().any(|t| has_diacritics(&t.normalized));
    let terms: Vec<Term> = tokens
        .iter()
        .map(|t| {
            if exact {
                Term::from_field_text(f.exact, &t.normalized)
            } else {
                Term::from_field_text(f.folded, &t.folded)
            }
        })
        .collect();
    match terms.len() {
        0 => Box::new(BooleanQuery::new(vec![])),
        1 => Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqsAndPositions,
        )),
        _ => Box::new(PhraseQuery::new(terms)),
    }
}

fn hits(f: &Fixture, q: &str) -> Vec<u32> {
    let reader = f.index.reader().unwrap();
    let searcher = reader.searcher();
    let mut docs: Vec<u32> = searcher
        .search(&*query(f, q), &TopDocs::with_limit(10).order_by_score())
        .unwrap()
        .into_iter()
        .map(|(_, a)| a.doc_id)
        .collect();
    docs.sort();
    docs
}

const DOC0: &str = "Lãnh đạo Đảng ủy Khối Cơ quan Dân chính Đảng TP Cần Thơ họp ngày 16/06/2013.";
const DOC1: &str =
    "Giá vàng tại TP.HCM tăng 22,06% trong giai đoạn 2012-2015; COVID-19 làm thủy điện khỏe lại.";
const DOC2: &str = "Chính phủ đang uỷ quyền cho các bộ.";

#[test]
fn every_way_of_typing_dang_uy_finds_it() {
    let f = index(&[DOC0, DOC1, DOC2]);
    for q in [
        "Đảng ủy",
        "ĐẢNG ỦY",
        "Đảng uỷ",
        "đảng ủy",
        "Ðảng ủy",
        "ÐẢNG UỶ",
    ] {
        assert_eq!(hits(&f, q), [0], "{q}");
    }
    let nfd: String = "Đảng ủy".nfd().collect();
    assert_eq!(hits(&f, &nfd), [0]);
    // Without accents the folded field matches every accent pattern: "đang uỷ"
    // (DOC2) too.
    for q in ["dang uy", "DANG UY", "Dang Uy"] {
        assert_eq!(hits(&f, q), [0, 2], "{q}");
    }
    // Accents are precise when typed: "đang uỷ" is only in DOC2.
    assert_eq!(hits(&f, "đang uỷ"), [2]);
    assert_eq!(hits(&f, "đang ủy"), [2]);
}

#[test]
fn numbers_codes_and_abbreviations() {
    let f = index(&[DOC0, DOC1, DOC2]);
    assert_eq!(hits(&f, "2012"), [1]);
    assert_eq!(hits(&f, "2015"), [1]);
    assert_eq!(hits(&f, "2012-2015"), [1]);
    assert_eq!(hits(&f, "2013"), [0]);
    assert_eq!(hits(&f, "16/06/2013"), [0]);
    assert_eq!(hits(&f, "22,06"), [1]);
    assert_eq!(hits(&f, "22,06%"), [1]);
    assert_eq!(hits(&f, "tp hcm"), [1]);
    assert_eq!(hits(&f, "TP.HCM"), [1]);
    assert_eq!(hits(&f, "tphcm"), [1]);
    assert_eq!(hits(&f, "covid 19"), [1]);
    assert_eq!(hits(&f, "COVID-19"), [1]);
    assert_eq!(hits(&f, "tp can tho"), [0]);
}

#[test]
fn old_and_new_tone_placement_match() {
    let f = index(&[DOC0, DOC1, DOC2]);
    for q in ["thủy điện", "thuỷ điện", "thuy dien", "khỏe", "khoẻ"] {
        assert_eq!(hits(&f, q), [1], "{q}");
    }
}

#[test]
fn snippets_highlight_the_original_characters_also_in_nfd() {
    let nfd: String = DOC0.nfd().collect();
    let f = index(&[&nfd]);
    let reader = f.index.reader().unwrap();
    let searcher = reader.searcher();
    let q = query(&f, "Cần Thơ");
    assert_eq!(
        searcher
            .search(&*q, &TopDocs::with_limit(1).order_by_score())
            .unwrap()
            .len(),
        1
    );
    let generator = SnippetGenerator::create(&searcher, &*q, f.exact).unwrap();
    let snippet = generator.snippet(&nfd);
    let marked: Vec<String> = snippet
        .highlighted()
        .iter()
        .map(|r| snippet.fragment()[r.clone()].nfc().collect())
        .collect();
    assert_eq!(marked, ["Cần", "Thơ"]);
    // The folded field's offsets are the same.
    let stored: TantivyDocument = searcher
        .doc(
            searcher
                .search(&*q, &TopDocs::with_limit(1).order_by_score())
                .unwrap()[0]
                .1,
        )
        .unwrap();
    let text = stored.get_first(f.folded).and_then(|v| v.as_str()).unwrap();
    assert_eq!(text, nfd);
}
