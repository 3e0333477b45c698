//! Query-string parameters of the API, read into a [`SearchRequest`]; a bad value is
//! a [`BadParam`] naming the parameter (a 400 for the client).

use crate::search::{Accents, DateFilter, Interval, SearchRequest, Sort, dates};

/// Longest `q` accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 2048;
/// Most hits per page.
pub const MAX_LIMIT: usize = 100;
/// Deepest page start (`offset`).
pub const MAX_OFFSET: usize = 10_000;
/// Most values per facet field.
pub const MAX_FACETS: usize = 100;
/// Values per facet field when `facets` is not given.
pub const DEFAULT_FACETS: usize = 10;

/// A parameter the client got wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{param}: {message}")]
pub struct BadParam {
    pub param: &'static str,
    pub message: String,
}

fn bad(param: &'static str, message: impl Into<String>) -> BadParam {
    BadParam {
        param,
        message: message.into(),
    }
}

/// The decoded pairs of a query string (`None`: no query string).
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect()
    })
    .unwrap_or_default()
}

/// The first value of `name`, if given.
fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A non-empty value of `name`, trimmed (an empty value counts as absent).
fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    get(pairs, name).map(str::trim).filter(|v| !v.is_empty())
}

fn number(
    pairs: &[(String, String)],
    name: &'static str,
    default: usize,
    max: usize,
) -> Result<usize, BadParam> {
    match value(pairs, name) {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(bad(
                name,
                format!("`{v}` is not a whole number from 0 to {max}"),
            )),
        },
    }
}

fn flag(pairs: &[(String, String)], name: &'static str) -> Result<bool, BadParam> {
    match value(pairs, name) {
        None => Ok(false),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(v) => Err(bad(name, format!("`{v}` is not true or false"))),
    }
}

fn period(
    pairs: &[(String, String)],
    name: &'static str,
) -> Result<Option<dates::Period>, BadParam> {
    value(pairs, name)
        .map(|v| dates::parse_period(v).map_err(|e| bad(name, e.to_string())))
        .transpose()
}

/// How the histogram was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistogramParam {
    Fixed(Interval),
    /// By day, then coarsened to suit the span ([`crate::search::Histogram::auto`]).
    Auto,
}

/// The accent rule of `accents=` (for the article view too).
pub fn accents(pairs: &[(String, String)]) -> Result<Accents, BadParam> {
    match value(pairs, "accents") {
        None | Some("strict") => Ok(Accents::Strict),
        Some("loose") => Ok(Accents::Loose),
        Some(v) => Err(bad("accents", format!("`{v}` is not strict or loose"))),
    }
}

/// The text of `q=` (empty when absent), bounded.
pub fn query(pairs: &[(String, String)]) -> Result<String, BadParam> {
    let q = get(pairs, "q").unwrap_or_default();
    if q.len() > MAX_QUERY_BYTES {
        return Err(bad(
            "q",
            format!("the query is longer than {MAX_QUERY_BYTES} bytes"),
        ));
    }
    Ok(q.to_string())
}

/// The request of `/api/search`, and how its histogram is to be shown.
pub fn search_request(
    pairs: &[(String, String)],
) -> Result<(SearchRequest, Option<HistogramParam>), BadParam> {
    let mut r = SearchRequest::new(query(pairs)?);
    let on = period(pairs, "on")?;
    let (from, to) = (period(pairs, "from")?, period(pairs, "to")?);
    r.dates = match on {
        Some(p) if from.is_none() && to.is_none() => DateFilter::on(p),
        Some(_) => return Err(bad("on", "`on` cannot be combined with `from` or `to`")),
        None => DateFilter::between(from, to).map_err(|e| bad("from", e.to_string()))?,
    };
    r.sort = match value(pairs, "sort") {
        None | Some("relevance") => Sort::Relevance,
        Some("newest") => Sort::Newest,
        Some("oldest") => Sort::Oldest,
        Some(v) => {
            return Err(bad(
                "sort",
                format!("`{v}` is not relevance, newest or oldest"),
            ));
        }
    };
    r.limit = number(pairs, "limit", 10, MAX_LIMIT)?;
    r.offset = number(pairs, "offset", 0, MAX_OFFSET)?;
    r.accents = accents(pairs)?;
    r.collapse = flag(pairs, "collapse")?;
    // Accent restoration is on unless `restore=0` (as `--no-restore`).
    r.restore = value(pairs, "restore").is_none() || flag(pairs, "restore")?;
    r.facets = number(pairs, "facets", DEFAULT_FACETS, MAX_FACETS)?;
    r.source = value(pairs, "source").map(str::to_string);
    r.category = value(pairs, "category").map(str::to_string);
    let histogram = match value(pairs, "histogram") {
        None => None,
        Some("year") => Some(HistogramParam::Fixed(Interval::Year)),
        Some("month") => Some(HistogramParam::Fixed(Interval::Month)),
        Some("day") => Some(HistogramParam::Fixed(Interval::Day)),
        Some("auto") => Some(HistogramParam::Auto),
        Some(v) => {
            return Err(bad(
                "histogram",
                format!("`{v}` is not year, month, day or auto"),
            ));
        }
    };
    r.histogram = histogram.map(|h| match h {
        HistogramParam::Fixed(i) => i,
        HistogramParam::Auto => Interval::Day,
    });
    Ok((r, histogram))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(q: &str) -> Result<SearchRequest, BadParam> {
        search_request(&pairs(Some(q))).map(|(r, _)| r)
    }

    #[test]
    fn defaults_and_values() {
        let r = req("q=gi%C3%A1+v%C3%A0ng").expect("ok");
        assert_eq!(r.query, "giá vàng");
        assert_eq!((r.limit, r.offset, r.facets), (10, 0, DEFAULT_FACETS));
        assert_eq!(r.sort, Sort::Relevance);
        let r =
            req("q=x&sort=newest&limit=5&offset=20&accents=loose&collapse=1&source=a.vn&facets=0")
                .expect("ok");
        assert_eq!((r.sort, r.limit, r.offset), (Sort::Newest, 5, 20));
        assert_eq!((r.accents, r.collapse, r.facets), (Accents::Loose, true, 0));
        assert!(r.restore);
        assert!(!req("q=x&restore=0").expect("ok").restore);
        assert!(req("q=x&restore=1").expect("ok").restore);
        assert_eq!(r.source.as_deref(), Some("a.vn"));
        // Empty values are absent.
        let r = req("q=x&from=&sort=&limit=").expect("ok");
        assert!(r.dates.is_open());
        let (_, h) = search_request(&pairs(Some("q=x&histogram=auto"))).expect("ok");
        assert_eq!(h, Some(HistogramParam::Auto));
    }

    #[test]
    fn bad_values_name_the_parameter() {
        for (q, param) in [
            ("q=x&limit=-1", "limit"),
            ("q=x&limit=101", "limit"),
            ("q=x&offset=abc", "offset"),
            ("q=x&sort=best", "sort"),
            ("q=x&from=2013-13", "from"),
            ("q=x&to=hôm+qua", "to"),
            ("q=x&from=2014&to=2013", "from"),
            ("q=x&on=2013&from=2012", "on"),
            ("q=x&accents=maybe", "accents"),
            ("q=x&collapse=2", "collapse"),
            ("q=x&restore=maybe", "restore"),
            ("q=x&histogram=week", "histogram"),
            ("q=x&facets=1000", "facets"),
        ] {
            let e = req(q).expect_err(q);
            assert_eq!(e.param, param, "{q}: {e}");
            assert!(e.to_string().starts_with(param), "{e}");
        }
        let long = format!("q={}", "a".repeat(MAX_QUERY_BYTES + 1));
        assert_eq!(req(&long).expect_err("long").param, "q");
    }
}
