//! The query parser and planner: `search::search` with the fuzzed query string (and
//! option flags) against a small index built once per process in a temporary folder.
use honggfuzz::fuzz;
use tintuc::index::Archive;
use tintuc::search::{Accents, Interval, SearchRequest, Sort, search};

const ARTICLES: &str = include_str!("../../../tests/fixtures/search_articles.jsonl");
const COPIES: &str = include_str!("../../../tests/fixtures/search_copies.jsonl");

fn build(dir: &std::path::Path) -> Archive {
    let archive = Archive::open_or_create(dir).expect("create the fuzz index");
    let mut w = archive.writer(64).expect("writer");
    for line in ARTICLES.lines().chain(COPIES.lines()) {
        let a = tintuc::extract::jsonl::parse_article(line.as_bytes()).expect("fixture line");
        w.upsert(&a).expect("upsert");
    }
    w.finish().expect("commit");
    Archive::open(dir).expect("open the fuzz index")
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let archive = build(tmp.path());
    loop {
        fuzz!(|data: &[u8]| {
            let (f, rest) = tintuc_fuzz::flags(data);
            let mut req = SearchRequest::new(tintuc_fuzz::text(rest));
            req.accents = if f & 1 != 0 { Accents::Loose } else { Accents::Strict };
            req.sort = match (f >> 1) & 3 {
                1 => Sort::Newest,
                2 => Sort::Oldest,
                _ => Sort::Relevance,
            };
            req.collapse = f & 8 != 0;
            req.histogram = (f & 16 != 0).then_some(Interval::Month);
            req.limit = if f & 32 != 0 { 0 } else { 20 };
            match search(&archive, &req) {
                Ok(r) => assert!(r.hits.len() <= req.limit, "at most `limit` hits"),
                Err(e) => assert!(e.is_usage(), "only the query may be at fault: {e}"),
            }
        });
    }
}
