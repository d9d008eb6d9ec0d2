//! A page's data loaded once per render on the server.
//!
//! Server rendering runs a `<Suspense>`'s children twice: a first run to find what the
//! page waits for, which is polled once and dropped, and the run whose output is sent.
//! A loader called in each run read the database twice for every page, and the dropped
//! first run could cancel a query half-way (sqlx then throws its connection away). Here
//! the first run starts the loader and every later run waits on that same load.

use futures::future::{BoxFuture, FutureExt, Shared};
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};

/// Where the one load leaves its result for the run that shows it.
type Slot<T> = Arc<Mutex<Option<T>>>;

/// Wraps `load` so that all the calls made during one render share a single load.
///
/// The result is handed to the first caller that finishes waiting; a caller after it
/// (a page shown again in the same render, which server rendering never does) loads
/// afresh, so nobody ever sees a result twice or a missing one.
pub fn load_once<T, Fut>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
) -> impl Fn() -> BoxFuture<'static, T> + Send + Sync + 'static
where
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let load = Arc::new(load);
    let started: Arc<OnceLock<Shared<BoxFuture<'static, Slot<T>>>>> = Arc::default();
    move || {
        let shared = started
            .get_or_init(|| {
                let loading = load();
                async move { Arc::new(Mutex::new(Some(loading.await))) }
                    .boxed()
                    .shared()
            })
            .clone();
        let load = load.clone();
        async move {
            let slot = shared.await;
            let taken = slot.lock().ok().and_then(|mut result| result.take());
            match taken {
                Some(result) => result,
                None => load().await,
            }
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn counting_loader(
        runs: Arc<AtomicUsize>,
    ) -> impl Fn() -> BoxFuture<'static, Result<usize, AppError>> + Send + Sync + 'static {
        load_once(move || {
            let runs = runs.clone();
            async move {
                tokio::task::yield_now().await;
                Ok(runs.fetch_add(1, Ordering::SeqCst) + 1)
            }
        })
    }

    #[tokio::test]
    async fn a_dropped_first_run_and_the_shown_run_share_one_load() {
        let runs = Arc::new(AtomicUsize::new(0));
        let load = counting_loader(runs.clone());
        // The first run is polled once, as the server's first pass does, then dropped.
        let mut first = load();
        assert!(futures::poll!(&mut first).is_pending());
        drop(first);
        assert_eq!(load().await.ok(), Some(1));
        assert_eq!(runs.load(Ordering::SeqCst), 1, "the data was read once");
    }

    #[tokio::test]
    async fn a_later_call_after_the_result_was_taken_loads_afresh() {
        let runs = Arc::new(AtomicUsize::new(0));
        let load = counting_loader(runs.clone());
        assert_eq!(load().await.ok(), Some(1));
        assert_eq!(load().await.ok(), Some(2));
    }

    #[tokio::test]
    async fn an_error_reaches_the_page() {
        let load = load_once(|| async { Err::<(), _>(AppError::NotFound) });
        assert_eq!(load().await.err(), Some(AppError::NotFound));
    }
}
