//! CPU-heavy work off the async workers, a few jobs at a time (server only).
//!
//! Password hashing, canonicalising a credential, rendering large Markdown and baking images
//! can each take tens of milliseconds to seconds of CPU. Run inline, two of them at once would
//! stop a 2-core server answering anything else (`/healthz` included). Here every such job
//! runs on tokio's blocking pool, at most [`permits`] at once (one per core); a job that cannot
//! start within [`WAIT`] is refused as [`Busy`], so the queue in front of the pool is bounded
//! in time as well as the pool in size.

use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a job may wait for a free core before it is refused.
pub const WAIT: Duration = Duration::from_secs(10);

/// The server had no core free for this job within [`WAIT`]; answer 503 and let the client
/// try again.
#[derive(Debug, thiserror::Error)]
#[error("the server is busy; please try again in a moment")]
pub struct Busy;

fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| Semaphore::new(permits()))
}

/// How many CPU-heavy jobs may run at once: the number of cores (at least 1).
pub fn permits() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Runs `job` on the blocking pool once a core is free. Errors: [`Busy`] when none became free
/// within [`WAIT`]; the job's panic as an error (never a crash of the request's task).
pub async fn cpu<T, F>(what: &'static str, job: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let permit = match tokio::time::timeout(WAIT, slots().acquire()).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) | Err(_) => {
            tracing::warn!(what, "CPU-heavy job refused: no core free");
            return Err(Busy.into());
        }
    };
    // The job reads texts in the caller's language (its thread has no request to ask).
    let lang = crate::i18n::current_lang();
    let result = tokio::task::spawn_blocking(move || crate::i18n::in_lang(lang, job)).await;
    drop(permit);
    result.map_err(|e| anyhow::anyhow!("{what}: the job failed: {e}"))
}

/// Whether an error (anywhere in its chain) is [`Busy`].
pub fn is_busy(error: &anyhow::Error) -> bool {
    error.chain().any(|e| e.is::<Busy>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_run_and_panics_become_errors() {
        assert_eq!(cpu("sum", || 2 + 2).await.expect("ran"), 4);
        let e = cpu("boom", || -> u8 { panic!("boom") })
            .await
            .expect_err("a panic is an error");
        assert!(e.to_string().contains("boom"), "{e}");
        assert!(!is_busy(&e));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_one_job_per_core_runs_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs = (0..permits() * 3).map(|_| {
            let (running, most) = (running.clone(), most.clone());
            cpu("sleep", move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
            })
        });
        for r in futures_join_all(jobs).await {
            r.expect("ran");
        }
        let most = most.load(Ordering::SeqCst);
        assert!(most >= 1 && most <= permits(), "{most} at once");
    }

    async fn futures_join_all<F>(fs: impl Iterator<Item = F>) -> Vec<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let handles: Vec<_> = fs.map(tokio::spawn).collect();
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await.expect("joined"));
        }
        out
    }
}
