//! The index schema: which fields exist, how each is analyzed, what is stored.
//!
//! Every text field of an [`Article`](crate::Article) is indexed twice, with the same
//! positions: `<name>_x` under the exact analyzer ([`EXACT`]) and `<name>_f` under the
//! folded one ([`FOLDED`]). Nothing but the original article (as JSON, in `doc`) and a
//! few fast fields is stored.

use tantivy::schema::{
    BytesOptions, DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED,
    STRING, Schema, TextFieldIndexing, TextOptions,
};

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
    /// Article id, raw (one term), stored: the upsert key.
    pub id: Field,
    /// URL, raw, for lookups by URL.
    pub url: Field,
    /// Source, raw and fast: per-source counts.
    pub source_key: Field,
    /// Publication date: indexed and fast (ranges, sorting, histograms).
    pub date: Field,
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

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED | FAST);
    let url = b.add_text_field("url", STRING);
    let source_key = b.add_text_field("source_key", STRING | FAST);
    let date = b.add_date_field(
        "date",
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
        let x = b.add_text_field(&format!("{}_x", f.name()), opts(EXACT));
        let fo = b.add_text_field(&format!("{}_f", f.name()), opts(FOLDED));
        text.push((f, x, fo));
    }
    let fields = Fields {
        id,
        url,
        source_key,
        date,
        hash,
        fingerprint,
        doc,
        text,
    };
    (b.build(), fields)
}
