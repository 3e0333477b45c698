//! The query parser and planner: `search::search` with the fuzzed query string (and
//! option flags) against a small index built once per process in a temporary folder.
use honggfuzz::fuzz;
use tintuc::search::{Accents, Interval, SearchRequest, Sort, search};

fn main() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let archive = tintuc_fuzz::small_index(tmp.path());
    loop {
        fuzz!(|data: &[u8]| {
            let (f, rest) = tintuc_fuzz::flags(data);
            let mut req = SearchRequest::new(tintuc_fuzz::text(rest));
            req.accents = if f & 1 != 0 {
                Accents::Loose
            } else {
                Accents::Strict
            };
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
