//! How the C allocator behind a crawl is tuned: a crawl allocates and frees a page's body and
//! tree on every page, from several threads. Called first thing by the binary and the
//! benchmarks, before any thread starts.

/// Page bodies and their parsed trees are megabytes each, allocated and freed page after
/// page. glibc raises its mmap threshold as big blocks are freed, after which they come from
/// the heap and stay there, fragmented: a crawl of 4.6 MB pages peaked at 215 MB instead of
/// 166 MB. A fixed threshold sends blocks of a megabyte or more to mmap, returned on free.
///
/// glibc also gives threads up to eight heaps a core, each keeping what it freed; pages are
/// read on the blocking pool's threads in turn, so a crawl spread its garbage over all of
/// them. Two heaps: the 50,000-page bench peaked at 132 MB instead of 148 MB.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune() {
    // SAFETY: mallopt sets a tuning parameter of the allocator; callers call this before
    // any thread starts, as glibc asks.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}
