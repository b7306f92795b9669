//! The threads a crawl reads its pages on: a fixed few ([`super::page_thread_count`]), fed
//! through a queue. Decoding and extracting a page is CPU work that must stay off the async
//! workers so fetches keep flowing.
//!
//! tokio's blocking pool did this before, behind a semaphore. It hands each page to whichever
//! of its threads is idle, and each thread allocates from a malloc arena of its own: the
//! threads outnumbered the arenas the crawl can afford, and they queued on each other's arena
//! locks (a third of the threads' sleeps in a scheduler trace of the 10,000-page bench). The
//! same few threads, each with an arena to itself, take turns without waiting on one another.
//!
//! One set serves the whole process: `audit --sites --parallel 16` runs sixteen crawls, and
//! sixteen sets of threads would again outnumber the arenas and the cores.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock, mpsc};

type Job = Box<dyn FnOnce() + Send>;

pub(super) fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZero::get)
}

/// How many threads read pages: two more than there are cores. The crawl loop and the network
/// share the cores, and a page is handed to a thread and back: with one thread a core the
/// cores sat idle between pages (10,000-page bench, 2 cores: 8.5 s against 7.0 s), and two
/// more were 5% faster than one more. Huge pages are fewer at once (`BIG_PAGE_BYTES`).
pub fn page_thread_count() -> usize {
    cores() + 2
}

/// A page this long or longer is huge: at most one a core is read at once. Four 3 MB pages of
/// 50,000 links read at once took a link flood (`tests/hostile.rs`) to 216 MB; two, 165 MB.
pub(super) const BIG_PAGE_BYTES: usize = 1 << 20;

pub struct PageThreads {
    jobs: mpsc::Sender<Job>,
}

/// Why a page's work gave no result.
#[derive(Debug, PartialEq, Eq)]
pub enum WorkLost {
    /// The work panicked, with this message.
    Panicked(String),
    /// No thread could run it: the threads are gone.
    NoThread,
}

impl PageThreads {
    /// Starts `count` threads (at least one). They end when the last handle is dropped and
    /// the queue is empty.
    ///
    /// # Errors
    /// When the system refuses a new thread.
    pub fn start(count: usize) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..count.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("doorbell-page-{n}"))
                .spawn(move || {
                    loop {
                        // The guard is dropped at the end of this statement: the job runs
                        // without it, so a panic in a job cannot poison the queue.
                        let job = queue
                            .lock()
                            .map_err(|_| ())
                            .and_then(|q| q.recv().map_err(|_| ()));
                        match job {
                            Ok(job) => job(),
                            Err(()) => return,
                        }
                    }
                })?;
        }
        Ok(Self { jobs })
    }

    /// Runs `work` on one of the threads and waits for its result without blocking the async
    /// worker. A panic in `work` is caught: the thread goes on with the next page.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WorkLost> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(work))
                .map_err(|panic| WorkLost::Panicked(panic_message(panic.as_ref())));
            // The visit may have been dropped (the crawl's deadline): nobody waits then.
            let _ = done.send(outcome);
        });
        self.jobs.send(job).map_err(|_| WorkLost::NoThread)?;
        result.await.unwrap_or(Err(WorkLost::NoThread))
    }
}

/// The process's page threads, `count` of them, started by the first crawl.
///
/// # Errors
/// When the system refused a thread, then and on every later call.
pub fn shared(count: usize) -> Result<&'static PageThreads, String> {
    static THREADS: OnceLock<Result<PageThreads, String>> = OnceLock::new();
    THREADS
        .get_or_init(|| PageThreads::start(count).map_err(|error| error.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_page_leaves_the_threads_working() {
        let threads = PageThreads::start(1).expect("a thread");
        let lost = threads.run(|| -> u32 { panic!("bad page") }).await;
        assert_eq!(lost, Err(WorkLost::Panicked("bad page".to_string())));
        // The one thread survived its panic and reads the next page.
        assert_eq!(threads.run(|| 2 + 2).await, Ok(4));
    }

    /// Every crawl of the process (`--sites --parallel 16` runs sixteen) hands its pages to
    /// the one set of threads the first started.
    #[tokio::test]
    async fn every_crawl_shares_the_first_crawls_threads() {
        let first = shared(2).expect("threads");
        let again = shared(5).expect("threads");
        assert!(std::ptr::eq(first, again));
        let name = again
            .run(|| std::thread::current().name().map(ToString::to_string))
            .await
            .expect("ran");
        assert!(name.is_some_and(|n| n.starts_with("doorbell-page-")));
    }

    #[tokio::test]
    async fn pages_run_on_the_same_few_threads() {
        let threads = PageThreads::start(2).expect("threads");
        let mut names = std::collections::HashSet::new();
        for _ in 0..50 {
            let name = threads
                .run(|| std::thread::current().name().map(ToString::to_string))
                .await
                .expect("ran");
            names.insert(name.expect("named"));
        }
        assert!(names.len() <= 2, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("doorbell-page-")));
    }
}
