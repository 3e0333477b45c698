//! The index as a crawl [`Sink`]: `ArchiveWriter::upsert` and `commit`.

use super::sink::{Sink, SinkError, Stored};
use crate::article::Article;
use crate::index::{ArchiveWriter, Upsert};

impl Sink for ArchiveWriter<'_> {
    fn put(&mut self, article: &Article) -> Result<Stored, SinkError> {
        match self.upsert(article) {
            Ok(Upsert::Added) => Ok(Stored::Added),
            Ok(Upsert::Updated) => Ok(Stored::Updated),
            Ok(Upsert::Unchanged) => Ok(Stored::Unchanged),
            Err(e) => Err(SinkError(e.to_string())),
        }
    }

    fn commit(&mut self) -> Result<(), SinkError> {
        ArchiveWriter::commit(self).map_err(|e| SinkError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Archive;

    #[test]
    fn archive_writer_is_a_sink() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open_or_create(dir.path()).unwrap();
        let mut w = archive.writer(50).unwrap();
        let mut a = Article {
            url: Some("http://127.0.0.1/a".into()),
            body: "Giá vàng giảm".into(),
            ..Default::default()
        };
        a.ensure_id();
        assert_eq!(Sink::put(&mut w, &a).unwrap(), Stored::Added);
        Sink::commit(&mut w).unwrap();
        assert_eq!(Sink::put(&mut w, &a).unwrap(), Stored::Unchanged);
        a.body.push_str(" mạnh");
        assert_eq!(Sink::put(&mut w, &a).unwrap(), Stored::Updated);
        Sink::commit(&mut w).unwrap();
        assert_eq!(archive.get(&a.id).unwrap().unwrap().body, a.body);
    }
}
