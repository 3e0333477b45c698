//! tintuc: full-text search for Vietnamese news archives.
//!
//! The library does all the work and knows nothing of the terminal; the `tintuc`
//! binary (`src/cli`) is a thin layer over it. Data flows one way:
//!
//! ```text
//! inputs ─▶ extract (Article) ─▶ analysis (terms) ─▶ index (tantivy) ─▶ search (hits)
//!   web ──▶ fetch ──┘                                                   serve (HTTP) ◀─┘
//! ```
//!
//! See `ARCHITECTURE.md` for the modules and the rules that cut across them.

pub mod analysis;
pub mod article;
pub mod extract;
pub mod fetch;
pub mod index;
pub mod malloc;
pub mod search;
pub mod serve;

pub use article::Article;

#[cfg(test)]
pub(crate) mod test_support;
