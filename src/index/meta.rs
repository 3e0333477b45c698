//! `tintuc.json`: what built an index folder, and where its current data lives.
//!
//! ```json
//! {"analyzer_version": 1, "schema_version": 2, "created_by": "tintuc 0.1.0", "data": "gen-1"}
//! ```
//!
//! The file is the index folder's single point of truth. It is replaced atomically
//! (written beside, synced, renamed), so a reader sees either the old or the new
//! generation, never a mix: `reindex` builds `gen-N+1` next to `gen-N` and swaps by
//! rewriting this file.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::IndexError;
use crate::analysis::ANALYZER_VERSION;

/// Version of the index layout ([`super::schema`]) and of the values derived at
/// indexing time (`hash`, `fingerprint`). Bumping it asks for `tintuc reindex`.
///
/// 2: the `local` field (the publisher's calendar day for day filters and histograms),
/// a `hash` that covers the date's offset, the author list and the credit, and the raw
/// `category_key` fast field (facets and exact category filters).
pub const SCHEMA_VERSION: u32 = 2;

/// Name of the file in the index folder.
pub const META_FILE: &str = "tintuc.json";

/// Prefix of the generation folders holding the tantivy index (`gen-1`, `gen-2`, ...).
pub const GENERATION_PREFIX: &str = "gen-";

/// The contents of `tintuc.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexMeta {
    /// [`ANALYZER_VERSION`] of the tintuc that built the data.
    pub analyzer_version: u32,
    /// [`SCHEMA_VERSION`] of the tintuc that built the data.
    pub schema_version: u32,
    /// `tintuc` and its version.
    pub created_by: String,
    /// The generation folder (inside the index folder) with the tantivy index.
    pub data: String,
}

impl IndexMeta {
    /// The meta of a generation built now, by this tintuc.
    pub fn current(generation: u64) -> IndexMeta {
        IndexMeta {
            analyzer_version: ANALYZER_VERSION,
            schema_version: SCHEMA_VERSION,
            created_by: format!("tintuc {}", env!("CARGO_PKG_VERSION")),
            data: generation_name(generation),
        }
    }

    /// Reads `dir/tintuc.json`; `None` when there is none (no index there).
    pub fn read(dir: &Path) -> Result<Option<IndexMeta>, IndexError> {
        let path = dir.join(META_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(IndexError::Io { path, source }),
        };
        let meta: IndexMeta = serde_json::from_slice(&bytes).map_err(|e| IndexError::BadMeta {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        if meta.generation().is_none() {
            return Err(IndexError::BadMeta {
                path: dir.to_path_buf(),
                message: format!("\"data\" is {:?}, not a generation folder", meta.data),
            });
        }
        Ok(Some(meta))
    }

    /// Writes `dir/tintuc.json` atomically (temporary file, sync, rename, sync folder).
    pub fn write(&self, dir: &Path) -> Result<(), IndexError> {
        let mut json = serde_json::to_vec_pretty(self).map_err(|e| IndexError::Io {
            path: dir.join(META_FILE),
            source: e.into(),
        })?;
        json.push(b'\n');
        write_atomic(dir, META_FILE, &json)
    }

    /// `Err` when the data was built by another analyzer or schema version.
    pub fn check(&self, dir: &Path) -> Result<(), IndexError> {
        if self.analyzer_version != ANALYZER_VERSION {
            return Err(IndexError::AnalyzerVersion {
                path: dir.to_path_buf(),
                found: self.analyzer_version,
                expected: ANALYZER_VERSION,
            });
        }
        if self.schema_version != SCHEMA_VERSION {
            return Err(IndexError::SchemaVersion {
                path: dir.to_path_buf(),
                found: self.schema_version,
                expected: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    /// The generation number of [`data`](Self::data) (`gen-3` → 3).
    pub fn generation(&self) -> Option<u64> {
        parse_generation(&self.data)
    }

    /// The folder with the tantivy index.
    pub fn data_dir(&self, dir: &Path) -> PathBuf {
        dir.join(&self.data)
    }
}

/// `gen-N`.
pub fn generation_name(n: u64) -> String {
    format!("{GENERATION_PREFIX}{n}")
}

/// `gen-N` → N; anything else → `None`.
pub fn parse_generation(name: &str) -> Option<u64> {
    let digits = name.strip_prefix(GENERATION_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The generation folders present in `dir`, by number.
pub fn generations(dir: &Path) -> Vec<(u64, PathBuf)> {
    let mut out: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| Some((parse_generation(e.file_name().to_str()?)?, e.path())))
        .collect();
    out.sort();
    out
}

/// Writes `dir/name` atomically: a temporary file beside it, synced, renamed over it,
/// and the folder synced (a crash leaves the old file or the new one, never a part).
pub(crate) fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), IndexError> {
    let path = dir.join(name);
    let tmp = dir.join(format!("{name}.tmp"));
    let io = |source| IndexError::Io {
        path: path.clone(),
        source,
    };
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    drop(f);
    std::fs::rename(&tmp, &path).map_err(io)?;
    sync_dir(dir);
    Ok(())
}

/// Best-effort fsync of a folder (makes a rename durable on Linux).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_checks() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(IndexMeta::read(dir.path()).unwrap(), None);
        let m = IndexMeta::current(3);
        m.write(dir.path()).unwrap();
        let back = IndexMeta::read(dir.path()).unwrap().unwrap();
        assert_eq!(back, m);
        assert_eq!(back.generation(), Some(3));
        assert!(back.check(dir.path()).is_ok());
        let text = std::fs::read_to_string(dir.path().join(META_FILE)).unwrap();
        assert!(text.contains("\"analyzer_version\""), "{text}");
        assert!(!dir.path().join("tintuc.json.tmp").exists());
    }

    #[test]
    fn another_version_asks_for_reindex() {
        let dir = Path::new("idx");
        let mut m = IndexMeta::current(1);
        m.analyzer_version = ANALYZER_VERSION + 1;
        let e = m.check(dir).unwrap_err();
        assert!(matches!(e, IndexError::AnalyzerVersion { .. }));
        assert!(e.to_string().contains("tintuc reindex"), "{e}");
        let mut m = IndexMeta::current(1);
        m.schema_version = 0;
        let e = m.check(dir).unwrap_err();
        assert!(e.to_string().contains("tintuc reindex"), "{e}");
    }

    #[test]
    fn bad_files_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(META_FILE), "{not json").unwrap();
        assert!(matches!(
            IndexMeta::read(dir.path()),
            Err(IndexError::BadMeta { .. })
        ));
        let mut m = IndexMeta::current(1);
        m.data = "../elsewhere".into();
        std::fs::write(
            dir.path().join(META_FILE),
            serde_json::to_string(&m).unwrap(),
        )
        .unwrap();
        assert!(matches!(
            IndexMeta::read(dir.path()),
            Err(IndexError::BadMeta { .. })
        ));
    }

    #[test]
    fn generation_names() {
        assert_eq!(parse_generation("gen-12"), Some(12));
        assert_eq!(parse_generation(&generation_name(7)), Some(7));
        for bad in ["gen-", "gen-x", "gen--1", "data", "gen-1/..", ""] {
            assert_eq!(parse_generation(bad), None, "{bad}");
        }
    }
}
