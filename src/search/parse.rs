//! The query language: our own grammar, parsed into a [`Query`] tree.
//!
//! tantivy's `QueryParser` splits on whitespace before any analyzer runs, which breaks
//! Vietnamese word segmentation and the per-term accent rule, so queries are parsed
//! here and analyzed with [`crate::analysis`] by the planner.
//!
//! | typed | meaning |
//! |---|---|
//! | `xây dựng đảng` | every word is required (as in web search) |
//! | `"xây dựng"` (also `“…”`) | the words next to each other, in order |
//! | `-word`, `-"a phrase"`, `-(a OR b)`, `NOT word` | articles without it (`-30`, a `-` before a digit, is a number: write `NOT 30`) |
//! | `a OR b` | either; binds tighter than the implicit AND: `a b OR c` is `a (b OR c)` |
//! | `title:word`, `title:"…"`, `title:(…)` | only in that field: `title`, `author`, `source`, `category`, `kicker`, `lead`, `body` |
//! | `( … )` | grouping |
//!
//! A word that analyzes into several tokens (`TP.HCM`, `COVID-19`, `2012-2015`) is
//! matched as a phrase of its tokens. `AND` is accepted and ignored. An unknown
//! `name:` prefix is part of the word (`10:30`, `http://…`).
//!
//! Malformed queries are repaired, with a warning for each repair: an unclosed quote
//! or parenthesis is closed at the end, an unmatched `)`, a dangling `OR` or a lone `-`
//! is dropped. Only a query with nothing to search for is an error.
//!
//! ```
//! use tintuc::search::parse::{parse, Query};
//! let p = parse("giá vàng -sjc").unwrap();
//! assert_eq!(p.query.to_string(), "(giá vàng -sjc)");
//! let p = parse("title:\"xây dựng\" đảng OR chính").unwrap();
//! assert_eq!(p.query.to_string(), "(title:\"xây dựng\" (đảng OR chính))");
//! let p = parse("\"unclosed phrase").unwrap();
//! assert_eq!(p.warnings.len(), 1);
//! ```

use std::fmt;

use crate::index::TextField;

use super::QueryError;

/// Deepest nesting of parentheses kept; deeper groups are flattened.
pub const MAX_DEPTH: usize = 16;
/// Most words and phrases a query may have; the rest are dropped with a warning.
pub const MAX_LEAVES: usize = 64;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// A word as typed, optionally restricted to a field.
    Word {
        field: Option<TextField>,
        text: String,
    },
    /// A quoted phrase: its words next to each other, in order.
    Phrase {
        field: Option<TextField>,
        text: String,
    },
    /// Every part must match (parts that are [`Query::Not`] must not).
    And(Vec<Query>),
    /// At least one part must match.
    Or(Vec<Query>),
    /// Must not match.
    Not(Box<Query>),
}

/// A query with the repairs made to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub query: Query,
    /// One sentence per repair (unclosed quote, dangling `OR`, ...), for the user.
    pub warnings: Vec<String>,
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = |field: &Option<TextField>| field.map(|x| format!("{}:", x.name()));
        match self {
            Query::Word { field, text } => write!(f, "{}{text}", prefix(field).unwrap_or_default()),
            Query::Phrase { field, text } => {
                write!(f, "{}\"{text}\"", prefix(field).unwrap_or_default())
            }
            Query::And(v) | Query::Or(v) => {
                let sep = if matches!(self, Query::And(_)) {
                    " "
                } else {
                    " OR "
                };
                f.write_str("(")?;
                for (i, q) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(sep)?;
                    }
                    write!(f, "{q}")?;
                }
                f.write_str(")")
            }
            Query::Not(q) => write!(f, "-{q}"),
        }
    }
}

impl Query {
    /// Visits every word and phrase that is not under a [`Query::Not`].
    pub fn positive_leaves<'a>(&'a self, out: &mut Vec<&'a Query>) {
        match self {
            Query::Word { .. } | Query::Phrase { .. } => out.push(self),
            Query::And(v) | Query::Or(v) => v.iter().for_each(|q| q.positive_leaves(out)),
            Query::Not(_) => {}
        }
    }
}

/// The field named by a `name:` prefix, if it is one.
pub fn field_named(name: &str) -> Option<TextField> {
    let lower = name.to_ascii_lowercase();
    TextField::ALL.into_iter().find(|f| f.name() == lower)
}

#[derive(Debug, Clone, PartialEq)]
enum Lex<'a> {
    Word(&'a str),
    FieldWord(TextField, &'a str),
    /// `title:` directly followed by a quote or a parenthesis.
    Field(TextField),
    Phrase(&'a str),
    Open,
    Close,
    Or,
    And,
    Not,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

fn lex<'a>(input: &'a str, warnings: &mut Vec<String>) -> Vec<Lex<'a>> {
    let mut out = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if is_quote(c) {
            chars.next();
            let start = i + c.len_utf8();
            let mut end = None;
            for (j, d) in chars.by_ref() {
                if is_quote(d) {
                    end = Some(j);
                    break;
                }
            }
            let text = match end {
                Some(j) => &input[start..j],
                None => {
                    warnings.push("closed the unclosed quote at the end of the query".into());
                    &input[start..]
                }
            };
            if text.trim().is_empty() {
                warnings.push("ignored an empty phrase \"\"".into());
                // A `-` or `title:` waiting for it has nothing to apply to.
                if matches!(out.last(), Some(Lex::Not) | Some(Lex::Field(_))) {
                    out.pop();
                }
            } else {
                out.push(Lex::Phrase(text));
            }
        } else if c == '(' {
            chars.next();
            out.push(Lex::Open);
        } else if c == ')' {
            chars.next();
            out.push(Lex::Close);
        } else {
            // A word: up to whitespace, a quote or a parenthesis.
            let mut end = input.len();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_whitespace() || is_quote(d) || d == '(' || d == ')' {
                    end = j;
                    break;
                }
                chars.next();
            }
            let word = &input[i..end];
            let next_opens = chars.peek().is_some_and(|&(_, d)| is_quote(d) || d == '(');
            match word {
                "OR" | "|" | "||" => out.push(Lex::Or),
                "AND" | "&&" => out.push(Lex::And),
                "NOT" => out.push(Lex::Not),
                "-" if next_opens => out.push(Lex::Not),
                "-" => warnings.push("ignored a lone `-`".into()),
                _ => {
                    // `-30`, `-5°C`: a number, not an exclusion.
                    let (negated, rest) = match word.strip_prefix('-') {
                        Some(r)
                            if !r.starts_with('-')
                                && !r.starts_with(|c: char| c.is_ascii_digit()) =>
                        {
                            (true, r)
                        }
                        _ => (false, word),
                    };
                    if negated {
                        out.push(Lex::Not);
                    }
                    match rest.split_once(':') {
                        Some((name, value)) if field_named(name).is_some() => {
                            let f = field_named(name).unwrap_or(TextField::Body);
                            if !value.is_empty() {
                                out.push(Lex::FieldWord(f, value));
                            } else if next_opens {
                                out.push(Lex::Field(f));
                            } else {
                                warnings.push(format!("`{rest}` has nothing after the colon"));
                                out.push(Lex::Word(name));
                            }
                        }
                        _ => out.push(Lex::Word(rest)),
                    }
                }
            }
        }
    }
    out
}

/// Drops the parentheses nested deeper than [`MAX_DEPTH`] (keeping what they hold), so
/// the parser's recursion stays bounded.
fn flatten_deep_groups<'a>(toks: Vec<Lex<'a>>, warnings: &mut Vec<String>) -> Vec<Lex<'a>> {
    let mut depth = 0usize;
    let mut dropped = false;
    let out = toks
        .into_iter()
        .filter(|t| match t {
            Lex::Open => {
                depth += 1;
                let keep = depth <= MAX_DEPTH;
                dropped |= !keep;
                keep
            }
            Lex::Close => {
                let keep = depth <= MAX_DEPTH;
                depth = depth.saturating_sub(1);
                keep
            }
            _ => true,
        })
        .collect();
    if dropped {
        warnings.push(format!(
            "parentheses nested deeper than {MAX_DEPTH} levels were ignored"
        ));
    }
    out
}

struct Parser<'a> {
    toks: Vec<Lex<'a>>,
    pos: usize,
    warnings: Vec<String>,
    leaves: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Lex<'a>> {
        self.toks.get(self.pos)
    }

    fn starts_atom(t: Option<&Lex<'a>>) -> bool {
        matches!(
            t,
            Some(
                Lex::Word(_)
                    | Lex::FieldWord(..)
                    | Lex::Field(_)
                    | Lex::Phrase(_)
                    | Lex::Open
                    | Lex::Not
            )
        )
    }

    /// A sequence of items up to the end or a `)` (which the caller consumes).
    fn sequence(&mut self, depth: usize, field: Option<TextField>) -> Vec<Query> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None => break,
                Some(Lex::Close) if depth > 0 => break,
                Some(Lex::Close) => {
                    self.pos += 1;
                    self.warnings.push("ignored an unmatched `)`".into());
                }
                Some(Lex::And) => self.pos += 1,
                Some(Lex::Or) => {
                    self.pos += 1;
                    self.warnings
                        .push("ignored an `OR` with nothing before it".into());
                }
                Some(_) => {
                    if let Some(q) = self.disjunction(depth, field) {
                        items.push(q);
                    }
                }
            }
        }
        items
    }

    fn disjunction(&mut self, depth: usize, field: Option<TextField>) -> Option<Query> {
        let first = self.unary(depth, field);
        let mut alts: Vec<Query> = first.into_iter().collect();
        while self.peek() == Some(&Lex::Or) {
            self.pos += 1;
            while self.peek() == Some(&Lex::Or) {
                self.pos += 1;
            }
            if Self::starts_atom(self.peek()) {
                if let Some(q) = self.unary(depth, field) {
                    alts.push(q);
                }
            } else {
                self.warnings
                    .push("ignored an `OR` with nothing after it".into());
            }
        }
        match alts.len() {
            0 => None,
            1 => alts.pop(),
            _ => Some(Query::Or(alts)),
        }
    }

    fn unary(&mut self, depth: usize, field: Option<TextField>) -> Option<Query> {
        let mut negations = 0;
        while self.peek() == Some(&Lex::Not) {
            self.pos += 1;
            negations += 1;
        }
        if negations > 0 && !Self::starts_atom(self.peek()) {
            self.warnings
                .push("ignored a `-` or `NOT` with nothing after it".into());
            return None;
        }
        let q = self.atom(depth, field)?;
        Some(if negations % 2 == 1 {
            Query::Not(Box::new(q))
        } else {
            q
        })
    }

    fn leaf(&mut self, q: Query) -> Option<Query> {
        self.leaves += 1;
        if self.leaves == MAX_LEAVES + 1 {
            self.warnings.push(format!(
                "the query is long: only its first {MAX_LEAVES} words and phrases are used"
            ));
        }
        (self.leaves <= MAX_LEAVES).then_some(q)
    }

    fn atom(&mut self, depth: usize, field: Option<TextField>) -> Option<Query> {
        let tok = self.peek()?.clone();
        self.pos += 1;
        match tok {
            Lex::Word(w) => self.leaf(Query::Word {
                field,
                text: w.to_string(),
            }),
            Lex::FieldWord(f, w) => self.leaf(Query::Word {
                field: Some(f),
                text: w.to_string(),
            }),
            Lex::Phrase(p) => self.leaf(Query::Phrase {
                field,
                text: p.to_string(),
            }),
            Lex::Field(f) => {
                if Self::starts_atom(self.peek()) {
                    self.atom(depth, Some(f))
                } else {
                    None
                }
            }
            Lex::Open => {
                let items = self.sequence(depth + 1, field);
                if self.peek() == Some(&Lex::Close) {
                    self.pos += 1;
                } else {
                    self.warnings
                        .push("closed an unclosed `(` at the end of the query".into());
                }
                match items.len() {
                    0 => None,
                    1 => items.into_iter().next(),
                    _ => Some(Query::And(items)),
                }
            }
            Lex::Not => {
                self.pos -= 1;
                self.unary(depth, field)
            }
            Lex::Close | Lex::Or | Lex::And => None,
        }
    }
}

/// Parses a query; repairs what it can (see the module documentation).
pub fn parse(input: &str) -> Result<Parsed, QueryError> {
    if input.trim().is_empty() {
        return Err(QueryError::Empty);
    }
    let mut warnings = Vec::new();
    let toks = flatten_deep_groups(lex(input, &mut warnings), &mut warnings);
    let mut p = Parser {
        toks,
        pos: 0,
        warnings,
        leaves: 0,
    };
    let items = p.sequence(0, None);
    let query = match items.len() {
        0 => {
            return Err(QueryError::NothingToSearch {
                query: input.to_string(),
            });
        }
        1 => items.into_iter().next().unwrap_or(Query::And(Vec::new())),
        _ => Query::And(items),
    };
    Ok(Parsed {
        query,
        warnings: p.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> String {
        parse(s).unwrap().query.to_string()
    }

    fn warns(s: &str) -> Vec<String> {
        parse(s).unwrap().warnings
    }

    #[test]
    fn words_are_all_required() {
        assert_eq!(show("xây dựng đảng"), "(xây dựng đảng)");
        assert_eq!(show("  đảng  "), "đảng");
        assert_eq!(show("a AND b"), "(a b)");
    }

    #[test]
    fn phrases_and_curly_quotes() {
        assert_eq!(show("\"xây dựng\" đảng"), "(\"xây dựng\" đảng)");
        assert_eq!(show("“xây dựng” đảng"), "(\"xây dựng\" đảng)");
        assert_eq!(show("a\"b c\"d"), "(a \"b c\" d)");
    }

    #[test]
    fn or_binds_tighter_than_and() {
        assert_eq!(show("a b OR c"), "(a (b OR c))");
        assert_eq!(show("a OR b c"), "((a OR b) c)");
        assert_eq!(show("a OR b OR c"), "(a OR b OR c)");
        assert_eq!(show("(a b) OR c"), "((a b) OR c)");
        assert_eq!(show("a | b"), "(a OR b)");
    }

    #[test]
    fn exclusions() {
        assert_eq!(show("vàng -sjc"), "(vàng -sjc)");
        assert_eq!(show("vàng -\"giá vàng\""), "(vàng -\"giá vàng\")");
        assert_eq!(show("vàng -(a OR b)"), "(vàng -(a OR b))");
        assert_eq!(show("vàng - (a b)"), "(vàng (a b))");
        assert_eq!(show("vàng NOT sjc"), "(vàng -sjc)");
        assert_eq!(show("vàng --sjc"), "(vàng --sjc)");
        let w = |t: &str| Query::Word {
            field: None,
            text: t.into(),
        };
        assert_eq!(
            parse("Su -30 NOT 40").unwrap().query,
            Query::And(vec![w("Su"), w("-30"), Query::Not(Box::new(w("40")))])
        );
        assert_eq!(show("NOT NOT a b"), "(a b)");
        // A hyphen inside a word is part of it.
        assert_eq!(show("COVID-19 2012-2015"), "(COVID-19 2012-2015)");
    }

    #[test]
    fn fields() {
        assert_eq!(show("title:đảng"), "title:đảng");
        assert_eq!(show("Title:đảng"), "title:đảng");
        assert_eq!(show("author:\"Nguyễn Văn A\""), "author:\"Nguyễn Văn A\"");
        assert_eq!(show("source:(a OR b)"), "(source:a OR source:b)");
        assert_eq!(show("category:(a body:b)"), "(category:a body:b)");
        assert_eq!(show("-title:x y"), "(-title:x y)");
        // Not a field: part of the word.
        assert_eq!(show("10:30 http://a.vn"), "(10:30 http://a.vn)");
        assert_eq!(show("title: x"), "(title x)");
    }

    #[test]
    fn repairs_are_reported() {
        assert_eq!(show("\"xây dựng"), "\"xây dựng\"");
        assert_eq!(warns("\"xây dựng").len(), 1);
        assert_eq!(show("(a b"), "(a b)");
        assert_eq!(warns("(a b").len(), 1);
        assert_eq!(show("a b)"), "(a b)");
        assert_eq!(show("OR a"), "a");
        assert_eq!(show("a OR"), "a");
        assert_eq!(show("a OR OR b"), "(a OR b)");
        assert_eq!(show("a - b"), "(a b)");
        assert_eq!(show("a \"\" b"), "(a b)");
        assert_eq!(show("a -\"\" b"), "(a b)");
        assert!(!warns("a OR").is_empty());
    }

    #[test]
    fn nothing_to_search_is_an_error() {
        assert!(matches!(parse(""), Err(QueryError::Empty)));
        assert!(matches!(parse("   "), Err(QueryError::Empty)));
        for q in ["()", "OR", "\"\"", "-", "( ) OR", ")"] {
            assert!(
                matches!(parse(q), Err(QueryError::NothingToSearch { .. })),
                "{q:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_and_long_queries_are_bounded() {
        let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(show(&deep), "x");
        let long = "a ".repeat(1000);
        let p = parse(&long).unwrap();
        match p.query {
            Query::And(v) => assert_eq!(v.len(), MAX_LEAVES),
            q => panic!("{q}"),
        }
        assert_eq!(p.warnings.len(), 1);
    }

    #[test]
    fn positive_leaves_skip_exclusions() {
        let p = parse("a (b OR c) -d -(e f)").unwrap();
        let mut v = Vec::new();
        p.query.positive_leaves(&mut v);
        let names: Vec<String> = v.iter().map(|q| q.to_string()).collect();
        assert_eq!(names, ["a", "b", "c"]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }

        #[test]
        fn never_panics_on_operators(s in "[ ()\"a-c:OR\\-NT“]{0,30}") {
            let _ = parse(&s);
        }
    }
}
