//! Process-wide tuning of glibc's allocator for the long-running, many-threaded
//! commands (`ingest`, `reindex`, `crawl`).
//!
//! glibc's defaults suit short programs. Two of them make a long ingest or crawl hold
//! far more heap than it uses:
//!
//! * **Arenas.** Every thread that allocates gets an arena of its own (up to eight per
//!   core). With the readers', the extractors' and tantivy's indexing and merging
//!   threads each fragmenting its own arena, freed memory stays spread over all of
//!   them. Two arenas are enough for two cores.
//! * **The mmap threshold.** Allocations above the threshold are mapped and unmapped
//!   on their own, and their memory goes back to the kernel when freed. glibc raises
//!   the threshold (up to 32 MiB) every time such a block is freed, so after a while
//!   the large buffers of indexing (tantivy's per-thread memory pages, document
//!   batches, merge buffers) are carved out of the heap instead, where a free leaves
//!   a hole. A fixed 1 MiB threshold keeps them mapped.
//!
//! Measured on 2 cores; the heap is the peak of `RssAnon` in `/proc/PID/status`,
//! sampled every 50 ms unless marked (`docs/scale.md` has the commands):
//!
//! | run | glibc defaults | two arenas | two arenas + 1 MiB threshold |
//! |---|---:|---:|---:|
//! | `ingest` of 1,000,000 articles (`scripts/scale-corpus.sh 1000000`) | 533 MiB (sampled every 10 s) | 422 MiB (every 0.3 s) | 380 MiB |
//! | `ingest` of 200,000 articles | 452 MiB (one run, every 0.3 s) | 388–411 MiB | 360–365 MiB |
//! | `examples/crawl_bench 30000`, anonymous RSS | 250–280 MB | ~125 MB | not measured |
//!
//! at the same speed (the fixed threshold adds about 2 % of system time for the extra
//! `mmap`/`munmap` calls). Elsewhere than on glibc these calls do nothing.

/// The mmap threshold: blocks at least this large are mapped on their own.
pub const MMAP_THRESHOLD: usize = 1 << 20;

/// The number of malloc arenas.
pub const ARENAS: usize = 2;

/// Limits glibc's malloc to [`ARENAS`] arenas and fixes its mmap threshold at
/// [`MMAP_THRESHOLD`]. Call it once at process start, before other threads exist.
///
/// ```
/// tintuc::malloc::limit_slack();
/// let v = vec![0u8; 4 << 20]; // mapped on its own, returned to the kernel on drop
/// drop(v);
/// ```
pub fn limit_slack() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator tunables; it is safe to call at any time
    // and has no effect on memory already handed out. Both values are in range.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS as libc::c_int);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD as libc::c_int);
    }
}
