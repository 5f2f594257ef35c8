//! The worker pool, per process: a process forked after using the engine gets a new
//! pool (the parent's worker threads do not exist in the child), and the thread count
//! can be set with `GITOPS_DIFF_THREADS` or `set_threads`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::{ThreadPool, ThreadPoolBuilder};

struct Pool {
    pid: u32,
    threads: usize,
    pool: Arc<ThreadPool>,
}

static POOL: Mutex<Option<Pool>> = Mutex::new(None);
static REQUESTED_THREADS: AtomicUsize = AtomicUsize::new(0);

fn configured_threads() -> usize {
    let requested = REQUESTED_THREADS.load(Ordering::Relaxed);
    if requested > 0 {
        return requested;
    }
    std::env::var("GITOPS_DIFF_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Sets the number of worker threads for later calls (0: back to the default).
pub fn set_threads(threads: usize) {
    REQUESTED_THREADS.store(threads, Ordering::Relaxed);
}

fn lock_pool() -> std::sync::MutexGuard<'static, Option<Pool>> {
    POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The pool of this process with the configured thread count, built when missing.
///
/// The lock is held only to read or swap a pointer, never while threads start: a
/// `fork` taken by another thread at any moment leaves the child a lock it can take.
fn current() -> Option<Arc<ThreadPool>> {
    let pid = std::process::id();
    let threads = configured_threads();
    if let Some(p) = lock_pool().as_ref().filter(|p| p.pid == pid && p.threads == threads) {
        return Some(p.pool.clone());
    }
    let pool = Arc::new(
        ThreadPoolBuilder::new().num_threads(threads).thread_name(|i| format!("gitops-diff-{i}")).build().ok()?,
    );
    let mut guard = lock_pool();
    if let Some(p) = guard.as_ref().filter(|p| p.pid == pid && p.threads == threads) {
        // Another thread built one meanwhile; ours is dropped unused.
        return Some(p.pool.clone());
    }
    // A pool inherited through fork has no threads behind it: forget it without
    // joining (dropping only signals the workers).
    let stale = guard.replace(Pool { pid, threads, pool: pool.clone() });
    drop(guard);
    if let Some(stale) = stale {
        if stale.pid != pid {
            std::mem::forget(stale);
        }
    }
    Some(pool)
}

/// Runs `work` inside the process's pool (or on the calling thread if no pool can be built).
pub fn install<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match current() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}
