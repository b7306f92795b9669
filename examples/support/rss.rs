//! Peak memory of this process, for the benchmarks.

fn usage() -> libc::rusage {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    }
}

/// The peak resident set size so far, in MB.
pub fn peak_rss_mb() -> f64 {
    usage().ru_maxrss as f64 / 1024.0
}

/// CPU time this process has used so far, user and system, all threads, in seconds.
#[allow(dead_code, reason = "portfolio_bench reports memory only")]
pub fn cpu_seconds() -> f64 {
    let usage = usage();
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Page faults this process has taken without reading a disk: memory handed back to the
/// kernel and touched again, zeroed, is one each.
#[allow(dead_code, reason = "portfolio_bench reports memory only")]
pub fn minor_faults() -> i64 {
    usage().ru_minflt
}
