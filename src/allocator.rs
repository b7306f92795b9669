//! How the C allocator behind a crawl is tuned: a crawl allocates and frees a page's body and
//! tree on every page, from several threads. Called first thing by the binary and the
//! benchmarks, before any thread starts.

/// Page bodies and their parsed trees are megabytes each, allocated and freed page after
/// page. glibc raises its mmap threshold as big blocks are freed, after which they come from
/// the heap and stay there, fragmented: a crawl of 4.6 MB pages peaked at 215 MB instead of
/// 166 MB. A fixed threshold sends blocks of a megabyte or more to mmap, returned on free.
///
/// Setting that threshold also pins the trim threshold at 128 KB: a heap whose free top grew
/// past it was handed back to the kernel after every page, and the next page faulted it back
/// in, zeroed — 83,000–101,000 page faults on the 10,000-page benchmark. Each heap now keeps
/// up to 8 MB of free top (a page's tree takes a few): ~15,000 faults, 3–7% less CPU a page
/// in alternating runs, ~3 MB more at the peak; with the few heaps below, at most ~60 MB more.
///
/// glibc also gives threads up to eight heaps (arenas) a core, each keeping what it freed.
/// A crawl's threads are few and fixed — the main one, tokio's workers (one a core) and the
/// page threads ([`crate::crawl::page_thread_count`]) — and each gets a heap to itself: with
/// fewer, threads queue on each other's heap locks, with more, garbage spreads over heaps
/// nobody uses.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune() {
    // SAFETY: mallopt sets a tuning parameter of the allocator; callers call this before
    // any thread starts, as glibc asks.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 8 << 20);
        libc::mallopt(libc::M_ARENA_MAX, arenas());
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn arenas() -> libc::c_int {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let threads = 1 + cores + crate::crawl::page_thread_count();
    libc::c_int::try_from(threads).unwrap_or(libc::c_int::MAX)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}
