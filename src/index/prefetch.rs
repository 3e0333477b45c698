//! A search's directory: tantivy's memory-mapped files, read at random, except that
//! what a search opens to read front to back is asked for ahead, once.
//!
//! Searches map the index with `MADV_RANDOM` (see `index::open_data`): a page fault
//! reads the one page it needs, not the kernel's read-ahead window around it (8 MiB on
//! this machine's disk). That keeps a cold first search from reading megabytes it does
//! not use, but posting lists, positions and a field's norms are read in order, page
//! after page, each a fault and a disk round trip of its own (about 90 µs here, while
//! the same disk reads 1.5 GB/s in sequence). A cold title query on the 1M index
//! faulted in 974 pages of postings in 194 runs of consecutive pages; `giá vàng` read
//! 1,467 pages of field norms in three runs.
//!
//! [`PrefetchDirectory`] asks the kernel (`MADV_WILLNEED`) for what tantivy opens of
//! those files (`.idx`, `.pos`, `.fieldnorm`), up to [`MAX_PREFETCH`] bytes from the
//! start of each read, in chunks of [`CHUNK`] bytes, each chunk once in the life of the
//! process: one sequential request instead of a fault per page, and a warm search pays
//! a bit test, not a system call. The other files (term dictionaries, the store, fast
//! fields) are read as before.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// At most this many bytes of one read are asked for ahead (from its start, where a
/// posting list's skip data and first blocks are). At 1M articles a field's norms are
/// 1 MB; a common word's postings and positions are megabytes, of which a query with
/// rarer words reads only the blocks it skips to.
pub const MAX_PREFETCH: usize = 1 << 20;

/// The unit of prefetching: a chunk of a file is asked for at most once.
pub const CHUNK: usize = 64 << 10;

/// Reads smaller than this are left to their page faults.
const MIN_PREFETCH: usize = 8 << 10;

/// An [`MmapDirectory`] whose postings, positions and field norms prefetch what is
/// read from them. Everything else is the inner directory's.
#[derive(Clone, Debug)]
pub struct PrefetchDirectory {
    inner: MmapDirectory,
}

impl PrefetchDirectory {
    /// Wraps `inner`.
    pub fn new(inner: MmapDirectory) -> PrefetchDirectory {
        PrefetchDirectory { inner }
    }
}

/// Whether the file at `path` is one that searches read in order: postings,
/// positions, field norms.
fn is_sequential(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "idx" || e == "pos" || e == "fieldnorm")
}

impl Directory for PrefetchDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let handle = self.inner.get_file_handle(path)?;
        if is_sequential(path) {
            Ok(Arc::new(Prefetching::new(handle)))
        } else {
            Ok(handle)
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// A file handle that asks for the bytes it hands out before they are touched.
#[derive(Debug)]
struct Prefetching {
    inner: Arc<dyn FileHandle>,
    /// One bit per [`CHUNK`] of the file: asked for already.
    asked: Vec<AtomicU64>,
}

impl Prefetching {
    /// Wraps `inner`, no chunk of it asked for yet.
    fn new(inner: Arc<dyn FileHandle>) -> Prefetching {
        let words = inner.len().div_ceil(CHUNK).div_ceil(64);
        Prefetching {
            inner,
            asked: (0..words).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Marks chunk `c` asked for; false when it already was.
    fn first_ask(&self, c: usize) -> bool {
        let Some(word) = self.asked.get(c / 64) else {
            return false;
        };
        let bit = 1u64 << (c % 64);
        // a plain load first: once asked, warm reads (from many server threads) do not
        // write to the shared word
        word.load(Ordering::Relaxed) & bit == 0 && word.fetch_or(bit, Ordering::Relaxed) & bit == 0
    }
}

impl HasLen for Prefetching {
    fn len(&self) -> usize {
        self.inner.len()
    }
}

impl FileHandle for Prefetching {
    fn read_bytes(&self, range: Range<usize>) -> std::io::Result<OwnedBytes> {
        let start = range.start;
        let bytes = self.inner.read_bytes(range)?;
        let len = bytes.len().min(MAX_PREFETCH);
        if len >= MIN_PREFETCH {
            // the chunks the first `len` bytes overlap, each asked for once
            let slice = &bytes.as_slice()[..len];
            let (first, last) = (start / CHUNK, (start + len - 1) / CHUNK);
            for c in first..=last {
                if self.first_ask(c) {
                    let from = (c * CHUNK).max(start) - start;
                    let to = ((c + 1) * CHUNK).min(start + len) - start;
                    will_need(&slice[from..to]);
                }
            }
        }
        Ok(bytes)
    }
}

/// Tells the kernel that the pages under `bytes` will be read soon.
fn will_need(bytes: &[u8]) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const PAGE: usize = 4096;
        let start = bytes.as_ptr() as usize;
        let aligned = start & !(PAGE - 1);
        let len = bytes.len() + (start - aligned);
        // SAFETY: madvise only gives advice about the pages of the range; it reads
        // and writes no memory of this process. The range starts at the page holding
        // `bytes` and ends at its end; were any of it not a mapping (memory that is
        // not a mapped file), the call fails with an error that is ignored.
        unsafe {
            libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_WILLNEED);
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = bytes;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_read_in_order_prefetch() {
        assert!(is_sequential(Path::new("0a1b.idx")));
        assert!(is_sequential(Path::new("0a1b.pos")));
        assert!(is_sequential(Path::new("0a1b.fieldnorm")));
        assert!(!is_sequential(Path::new("0a1b.term")));
        assert!(!is_sequential(Path::new("0a1b.store")));
        assert!(!is_sequential(Path::new("meta.json")));
    }

    /// A handle over `chunks` chunks of zeros, nothing asked for yet.
    fn handle(chunks: usize) -> Prefetching {
        Prefetching::new(Arc::new(OwnedBytes::new(vec![0u8; chunks * CHUNK])))
    }

    /// The chunks marked asked for, in order.
    fn asked(p: &Prefetching) -> Vec<usize> {
        (0..p.asked.len() * 64)
            .filter(|&c| p.asked[c / 64].load(Ordering::Relaxed) & (1 << (c % 64)) != 0)
            .collect()
    }

    #[test]
    fn each_chunk_is_asked_for_once() {
        let p = handle(3);
        assert!(p.first_ask(0));
        assert!(p.first_ask(2));
        assert!(!p.first_ask(0));
        assert!(p.first_ask(1));
        assert!(!p.first_ask(2));
        // past the bitmap: never asked
        assert!(!p.first_ask(64));
    }

    #[test]
    fn a_read_asks_for_the_chunks_of_its_first_mebibyte() {
        let chunks = 2 * MAX_PREFETCH / CHUNK;
        let p = handle(chunks);
        // below the minimum: left to its faults
        let b = p.read_bytes(100..100 + MIN_PREFETCH - 1).expect("read");
        assert_eq!(b.len(), MIN_PREFETCH - 1);
        assert_eq!(asked(&p), Vec::<usize>::new());
        // the chunks it overlaps, from the one it starts in
        let b = p.read_bytes(CHUNK + 100..3 * CHUNK + 5).expect("read");
        assert_eq!(b.len(), 2 * CHUNK - 95);
        assert_eq!(asked(&p), vec![1, 2, 3]);
        // a longer read: only its first MAX_PREFETCH bytes, and not chunk 1 again
        let b = p.read_bytes(CHUNK + 100..chunks * CHUNK).expect("read");
        assert_eq!(b.len(), (chunks - 1) * CHUNK - 100);
        let want: Vec<usize> = (1..=(CHUNK + 100 + MAX_PREFETCH - 1) / CHUNK).collect();
        assert_eq!(asked(&p), want);
        assert!(want.len() < chunks - 1);
    }

    #[test]
    fn reads_are_the_inner_directory_s() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.path().join("x.idx"), &data).expect("write");
        std::fs::write(dir.path().join("x.pos"), &data[..10]).expect("write");
        let d = PrefetchDirectory::new(MmapDirectory::open(dir.path()).expect("open"));
        let idx = d.open_read(Path::new("x.idx")).expect("read idx");
        assert_eq!(idx.len(), data.len());
        let part = idx.read_bytes_slice(1_000..60_000).expect("slice");
        assert_eq!(part.as_slice(), &data[1_000..60_000]);
        let all = idx.read_bytes().expect("all");
        assert_eq!(all.as_slice(), &data[..]);
        let pos = d.open_read(Path::new("x.pos")).expect("read pos");
        assert_eq!(pos.read_bytes().expect("pos").as_slice(), &data[..10]);
        assert!(d.exists(Path::new("x.idx")).expect("exists"));
        assert!(!d.exists(Path::new("y.idx")).expect("exists"));
    }
}
