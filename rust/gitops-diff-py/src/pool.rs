//! The worker pool, per process: a process forked after using the engine gets a new
//! pool (the parent's worker threads do not exist in the child), and the thread count
//! can be set with `GITOPS_DIFF_THREADS` or `set_threads`.

use std::sync::{Arc, Mutex};

use rayon::{ThreadPool, ThreadPoolBuilder};

struct Pool {
    pid: u32,
    threads: usize,
    pool: Arc<ThreadPool>,
}

static POOL: Mutex<Option<Pool>> = Mutex::new(None);
static REQUESTED_THREADS: Mutex<usize> = Mutex::new(0);

fn configured_threads() -> usize {
    let requested = REQUESTED_THREADS.lock().map(|g| *g).unwrap_or(0);
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
    if let Ok(mut guard) = REQUESTED_THREADS.lock() {
        *guard = threads;
    }
}

fn current() -> Option<Arc<ThreadPool>> {
    let pid = std::process::id();
    let threads = configured_threads();
    let mut guard = POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match guard.as_ref() {
        Some(p) if p.pid == pid && p.threads == threads => Some(p.pool.clone()),
        _ => {
            let pool = Arc::new(
                ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(|i| format!("gitops-diff-{i}"))
                    .build()
                    .ok()?,
            );
            // A pool inherited through fork has no threads behind it: forget it
            // without joining (dropping only signals the workers).
            let stale = guard.replace(Pool { pid, threads, pool: pool.clone() });
            if let Some(stale) = stale {
                if stale.pid != pid {
                    std::mem::forget(stale);
                }
            }
            Some(pool)
        }
    }
}

/// Runs `work` inside the process's pool (or on the calling thread if no pool can be built).
pub fn install<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match current() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}
