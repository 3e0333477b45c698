//! Reading a stored article without building a `TantivyDocument`.
//!
//! Every read of a stored article (search hits, `Archive::get`, the article view,
//! `reindex`) needs only its stored JSON (the schema's one stored bytes field, `doc`). Deserializing into a `TantivyDocument` copies every stored value
//! into the document's own arena first; [`StoredJson`] keeps the bytes value as
//! tantivy hands it over and drops the rest (the stored `id` string).

use tantivy::schema::document::{
    ArrayAccess, DeserializeError, DocumentDeserialize, DocumentDeserializer, ObjectAccess,
    ValueDeserialize, ValueDeserializer, ValueVisitor,
};

/// The first stored bytes value of a document: the article's JSON (empty when
/// the document has none).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StoredJson(pub Vec<u8>);

impl DocumentDeserialize for StoredJson {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut out = None;
        while let Some((_, value)) = deserializer.next_field::<Stored>()? {
            if let (None, Stored::Bytes(b)) = (&out, value) {
                out = Some(b);
            }
        }
        Ok(StoredJson(out.unwrap_or_default()))
    }
}

/// One stored value: bytes kept, anything else read and dropped.
enum Stored {
    Bytes(Vec<u8>),
    Other,
}

impl ValueDeserialize for Stored {
    fn deserialize<'de, D>(deserializer: D) -> Result<Self, DeserializeError>
    where
        D: ValueDeserializer<'de>,
    {
        deserializer.deserialize_any(Visitor)
    }
}

struct Visitor;

impl ValueVisitor for Visitor {
    type Value = Stored;

    fn visit_null(&self) -> Result<Stored, DeserializeError> {
        Ok(Stored::Other)
    }
    fn visit_string(&self, _: String) -> Result<Stored, DeserializeError> {
        Ok(Stored::Other)
    }
    fn visit_u64(&self, _: u64) -> Result<Stored, DeserializeError> {
        Ok(Stored::Other)
    }
    fn visit_i64(&self, _: i64) -> Result<Stored, DeserializeError> {
        Ok(Stored::Other)
    }
    fn visit_f64(&self, _: f64) -> Result<Stored, DeserializeError> {
        Ok(Stored::Other)
    }
    fn visit_bool(&self, _: bool) -> Result<Stored, DeserializeError> {
        Ok(Stored::Other)
    }
    fn visit_datetime(&self, _: tantivy::DateTime) -> Result<Stored, DeserializeError> {
        Ok(Stored::Other)
    }
    fn visit_ip_address(&self, _: std::net::Ipv6Addr) -> Result<Stored, DeserializeError> {
        Ok(Stored::Other)
    }
    fn visit_facet(&self, _: tantivy::schema::Facet) -> Result<Stored, DeserializeError> {
        Ok(Stored::Other)
    }
    fn visit_bytes(&self, b: Vec<u8>) -> Result<Stored, DeserializeError> {
        Ok(Stored::Bytes(b))
    }
    fn visit_pre_tokenized_string(
        &self,
        _: tantivy::tokenizer::PreTokenizedString,
    ) -> Result<Stored, DeserializeError> {
        Ok(Stored::Other)
    }
    fn visit_array<'de, A>(&self, mut access: A) -> Result<Stored, DeserializeError>
    where
        A: ArrayAccess<'de>,
    {
        while access.next_element::<Stored>()?.is_some() {}
        Ok(Stored::Other)
    }
    fn visit_object<'de, A>(&self, mut access: A) -> Result<Stored, DeserializeError>
    where
        A: ObjectAccess<'de>,
    {
        while access.next_entry::<Stored>()?.is_some() {}
        Ok(Stored::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{BytesOptions, STORED, STRING, Schema};
    use tantivy::{DocAddress, Index, TantivyDocument, doc};

    #[test]
    fn keeps_the_bytes_of_the_stored_document() {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING | STORED);
        let bytes = b.add_bytes_field("doc", BytesOptions::default().set_stored());
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        w.add_document(doc!(id => "a", bytes => b"{\"id\":\"a\"}".to_vec()))
            .unwrap();
        w.add_document(doc!(id => "b")).unwrap();
        w.commit().unwrap();
        let s = index.reader().unwrap().searcher();
        let first: StoredJson = s.doc(DocAddress::new(0, 0)).unwrap();
        assert_eq!(first.0, b"{\"id\":\"a\"}");
        // The same bytes as through a TantivyDocument.
        let full: TantivyDocument = s.doc(DocAddress::new(0, 0)).unwrap();
        use tantivy::schema::Value;
        let via = full.get_first(bytes).and_then(|v| v.as_bytes()).unwrap();
        assert_eq!(first.0, via);
        let none: StoredJson = s.doc(DocAddress::new(0, 1)).unwrap();
        assert!(none.0.is_empty());
    }
}
