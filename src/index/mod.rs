//! The tantivy index: schema, ingest (upsert by id), dedup fingerprints, stats, reindex.
//! (Skeleton; the index work fills it.)
