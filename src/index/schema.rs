//! The index schema: which fields exist, how each is analyzed, what is stored.
//!
//! Every text field of an [`Article`](crate::Article) is indexed twice, with the same
//! positions: `<name>_x` under the exact analyzer ([`EXACT`]) and `<name>_f` under the
//! folded one ([`FOLDED`]). Nothing but the original article (as JSON, in `doc`) and a
//! few fast fields is stored.
//!
//! | field | kind | what for |
//! |---|---|---|
//! | `id` | raw term, fast | the upsert key; `get ID` |
//! | `url` | raw term | lookups by URL |
//! | `source_key` | raw term, fast | per-source counts and facets, exact source filters |
//! | `category_key` | raw term, fast | per-category facets, exact category filters |
//! | `date` | date (seconds), indexed, fast | the instant: sorting, date range in `stats` |
//! | `local` | date (seconds), indexed, fast | the publisher's wall-clock time read as UTC: day filters, histograms |
//! | `hash` | u64, fast | [`crate::Article::content_hash`]: tells an unchanged article |
//! | `fingerprint` | u64, fast | [`super::fingerprint`]: collapses syndicated copies (`0` = none) |
//! | `doc` | bytes, stored | the original [`crate::Article`] as JSON: `get`, snippets, `reindex` |
//! | `<field>_x`, `<field>_f` | text, freqs and positions | every [`TextField`], exact and folded |
//!
//! Changing this layout (or what goes into `hash` or `fingerprint`) bumps
//! [`SCHEMA_VERSION`](super::meta::SCHEMA_VERSION): an older index then asks for `tintuc reindex`.

use tantivy::IndexSettings;
use tantivy::schema::{
    BytesOptions, DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STRING,
    Schema, TextFieldIndexing, TextOptions,
};
use tantivy::store::{Compressor, ZstdCompressor};

use crate::analysis::tantivy::{EXACT, FOLDED};

/// The searchable text fields of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    Title,
    Kicker,
    Lead,
    Body,
    Author,
    Category,
    Source,
}

impl TextField {
    pub const ALL: [TextField; 7] = [
        TextField::Title,
        TextField::Kicker,
        TextField::Lead,
        TextField::Body,
        TextField::Author,
        TextField::Category,
        TextField::Source,
    ];

    /// The field's name in queries (`title:word`) and in the schema prefix.
    pub fn name(self) -> &'static str {
        match self {
            TextField::Title => "title",
            TextField::Kicker => "kicker",
            TextField::Lead => "lead",
            TextField::Body => "body",
            TextField::Author => "author",
            TextField::Category => "category",
            TextField::Source => "source",
        }
    }

    /// The article's text for this field.
    pub fn text(self, a: &crate::Article) -> Option<&str> {
        match self {
            TextField::Title => a.title.as_deref(),
            TextField::Kicker => a.kicker.as_deref(),
            TextField::Lead => a.lead.as_deref(),
            TextField::Body => Some(a.body.as_str()),
            TextField::Author => a.author.as_deref(),
            TextField::Category => a.category.as_deref(),
            TextField::Source => a.source.as_deref(),
        }
    }
}

/// Handles of every schema field.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Article id, raw (one term) and fast: the upsert key (not stored on its
    /// own; the stored article JSON holds it).
    pub id: Field,
    /// URL, raw, for lookups by URL.
    pub url: Field,
    /// Source, raw and fast: per-source counts.
    pub source_key: Field,
    /// Category, raw and fast: per-category facets (`None` in an index of schema
    /// version 1, which only `stats`, `get` and `delete` open).
    pub category_key: Option<Field>,
    /// Publication date (the instant): indexed and fast (sorting, statistics).
    pub date: Field,
    /// The publication date's wall-clock time at the publisher's offset, stored as if
    /// it were UTC ([`crate::article::PubDate::local_seconds`]): a calendar day of the
    /// publisher is one 86,400-second span, so day filters and histograms read it.
    pub local: Field,
    /// [`crate::Article::content_hash`], fast: tells an unchanged article.
    pub hash: Field,
    /// Near-duplicate fingerprint of the body, fast: collapses syndicated copies.
    pub fingerprint: Field,
    /// The original article as JSON, stored: rebuilds the index without the sources.
    pub doc: Field,
    /// `(field, exact, folded)` for every [`TextField`].
    pub text: Vec<(TextField, Field, Field)>,
}

impl Fields {
    /// The exact-analyzer field of `f`.
    pub fn exact(&self, f: TextField) -> Field {
        self.text
            .iter()
            .find(|t| t.0 == f)
            .map(|t| t.1)
            .expect("every TextField is in the schema")
    }
    /// The folded-analyzer field of `f`.
    pub fn folded(&self, f: TextField) -> Field {
        self.text
            .iter()
            .find(|t| t.0 == f)
            .map(|t| t.2)
            .expect("every TextField is in the schema")
    }
}

impl Fields {
    /// Finds every field by name in an index's own schema (which may be older than
    /// this tintuc's); `Err` names the first field missing.
    pub fn from_schema(schema: &Schema) -> Result<Fields, String> {
        let get = |name: &str| schema.get_field(name).map_err(|_| name.to_string());
        let mut text = Vec::new();
        for f in TextField::ALL {
            text.push((
                f,
                get(&format!("{}_x", f.name()))?,
                get(&format!("{}_f", f.name()))?,
            ));
        }
        Ok(Fields {
            id: get("id")?,
            url: get("url")?,
            source_key: get("source_key")?,
            category_key: schema.get_field("category_key").ok(),
            date: get("date")?,
            // An index of schema 1 has no `local`; it is only opened to be read by
            // `stats`, `get`, `delete` or `reindex`, which never use it.
            local: get("local").or_else(|_| get("date"))?,
            hash: get("hash")?,
            fingerprint: get("fingerprint")?,
            doc: get("doc")?,
            text,
        })
    }
}

/// zstd level of the document store of new generations.
pub const DOCSTORE_ZSTD_LEVEL: i32 = 6;
/// Bytes of documents compressed together in the document store.
pub const DOCSTORE_BLOCK_BYTES: usize = 16_384;

/// A date field's value for `secs` seconds since the epoch, clamped to what tantivy's
/// `DateTime` holds (nanoseconds in an `i64`: the years 1677 to 2262), so a date far
/// outside that range (`--to 1020-12-31`) is a bound at its end instead of an overflow.
///
/// ```
/// use tintuc::index::schema::date_value;
/// assert_eq!(date_value(86_400).into_timestamp_secs(), 86_400);
/// assert!(date_value(-30_000_000_000) < date_value(-9_000_000_000));
/// assert_eq!(date_value(i64::MAX), tantivy::DateTime::MAX);
/// ```
pub fn date_value(secs: i64) -> tantivy::DateTime {
    const MAX_SECS: i64 = i64::MAX / 1_000_000_000;
    match secs {
        s if s > MAX_SECS => tantivy::DateTime::MAX,
        s if s < -MAX_SECS => tantivy::DateTime::MIN,
        s => tantivy::DateTime::from_timestamp_secs(s),
    }
}

/// The settings of a new index generation: the document store (each article's JSON)
/// compressed with zstd, level 6, 16 KiB blocks. On 100,000 articles the store is 30%
/// smaller than with tantivy's LZ4 default (136 MB instead of 194 MB) at level 3, for
/// about 60 µs more per stored article read (`examples/scale_bench.rs`;
/// `docs/scale.md`); level 6 takes another 6% off (`du -sm`: 130 → 122 MiB, the
/// index 351 → 343 MiB; at 1M 1.12 → 1.09 × the text) for about 10% more ingest CPU
/// at 100k (within noise at 1M), and reads as fast. An index keeps the settings it was created with,
/// so older generations (LZ4, or zstd level 3) stay readable; `tintuc reindex` moves
/// them over.
pub fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(DOCSTORE_ZSTD_LEVEL),
        }),
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..IndexSettings::default()
    }
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    build_with_tokenizers(EXACT, FOLDED)
}

/// The same layout with other tokenizers for the `_x` and `_f` fields (benchmarks
/// compare tintuc's analyzers with tantivy's `default` this way).
pub fn build_with_tokenizers(exact: &str, folded: &str) -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Not stored: the id is in the stored `doc` and in the fast field (an older index
    // that stores it stays readable; fields are found by name).
    let id = b.add_text_field("id", STRING | FAST);
    let url = b.add_text_field("url", STRING);
    let source_key = b.add_text_field("source_key", STRING | FAST);
    let category_key = b.add_text_field("category_key", STRING | FAST);
    let date = b.add_date_field(
        "date",
        DateOptions::from(INDEXED)
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    let local = b.add_date_field(
        "local",
        DateOptions::from(INDEXED)
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    let hash = b.add_u64_field("hash", FAST);
    let fingerprint = b.add_u64_field("fingerprint", FAST);
    let doc = b.add_bytes_field("doc", BytesOptions::default().set_stored());
    let mut text = Vec::new();
    for f in TextField::ALL {
        let opts = |tok: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tok)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let x = b.add_text_field(&format!("{}_x", f.name()), opts(exact));
        let fo = b.add_text_field(&format!("{}_f", f.name()), opts(folded));
        text.push((f, x, fo));
    }
    let fields = Fields {
        id,
        url,
        source_key,
        category_key: Some(category_key),
        date,
        local,
        hash,
        fingerprint,
        doc,
        text,
    };
    (b.build(), fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_found_by_name_match_the_built_ones() {
        let (schema, built) = build();
        let found = Fields::from_schema(&schema).expect("every field");
        assert_eq!(found.id, built.id);
        assert_eq!(found.doc, built.doc);
        assert_eq!(found.text, built.text);
        assert_eq!(
            schema.get_field_name(found.exact(TextField::Body)),
            "body_x"
        );
        assert_eq!(
            schema.get_field_name(found.folded(TextField::Title)),
            "title_f"
        );
    }

    #[test]
    fn only_the_article_json_is_stored() {
        // The id lives in the stored `doc` and in its fast field; storing it a second
        // time cost ~7 bytes of the store per article.
        let (schema, f) = build();
        let stored: Vec<&str> = schema
            .fields()
            .filter(|(_, e)| e.is_stored())
            .map(|(_, e)| e.name())
            .collect();
        assert_eq!(stored, ["doc"]);
        assert!(schema.get_field_entry(f.id).is_fast());
    }

    #[test]
    fn a_schema_without_a_field_names_it() {
        let mut b = Schema::builder();
        b.add_text_field("id", STRING);
        assert_eq!(
            Fields::from_schema(&b.build()).err().as_deref(),
            Some("title_x")
        );
    }
}
