//! The index folder's writer lock: one writer (ingest, crawl, delete, reindex) at a
//! time; readers never take it.
//!
//! An advisory OS lock (`flock` through `fs4`) on `DIR/.lock`, released when the
//! holder exits, however it exits: a killed ingest leaves no stale lock behind.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use fs4::fs_std::FileExt;

use super::IndexError;

/// Name of the lock file in the index folder.
pub const LOCK_FILE: &str = ".lock";

/// A held writer lock; dropping it releases the lock.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
    path: PathBuf,
}

impl DirLock {
    /// Takes the lock of index folder `dir` (creating the folder), or fails at once
    /// with [`IndexError::Locked`] when another writer holds it.
    pub fn acquire(dir: &Path) -> Result<DirLock, IndexError> {
        let io = |source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match FileExt::try_lock_exclusive(&file) {
            Ok(true) => Ok(DirLock { _file: file, path }),
            Ok(false) => Err(IndexError::Locked(dir.to_path_buf())),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                Err(IndexError::Locked(dir.to_path_buf()))
            }
            Err(source) => Err(IndexError::Io { path, source }),
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire(dir.path()).unwrap();
        assert!(first.path().ends_with(LOCK_FILE));
        let second = DirLock::acquire(dir.path());
        assert!(matches!(second, Err(IndexError::Locked(_))), "{second:?}");
        drop(first);
        assert!(DirLock::acquire(dir.path()).is_ok());
    }
}
