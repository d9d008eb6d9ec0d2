//! A page's data loaded once per render on the server.
//!
//! Server rendering runs a `<Suspense>`'s children twice: a first run to find what the
//! page waits for, which is polled once and dropped, and the run whose output is sent.
//! A loader called in each run read the database twice for every page, and the dropped
//! first run could cancel a query half-way (sqlx then throws its connection away). Here
//! the first run starts the loader and every later run waits on that same load.
//!
//! Every run gets its own copy of the one result. (An earlier version handed the result
//! to the first run that finished and loaded afresh for any later one; but a first pass
//! that happens to find the load finished takes it and is then dropped, so a module page
//! read its data three times. A query-count test now holds a page to its statements.)

use futures::future::{BoxFuture, FutureExt, Shared};
use std::future::Future;
use std::sync::{Arc, OnceLock};

/// Wraps `load` so that all the calls made during one render share a single load, each
/// getting a copy of its result.
pub fn load_once<T, Fut>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
) -> impl Fn() -> BoxFuture<'static, T> + Send + Sync + 'static
where
    Fut: Future<Output = T> + Send + 'static,
    T: Clone + Send + Sync + 'static,
{
    let started: Arc<OnceLock<Shared<BoxFuture<'static, T>>>> = Arc::default();
    move || {
        started
            .get_or_init(|| load().boxed().shared())
            .clone()
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
    async fn a_pass_that_finds_the_load_finished_leaves_it_for_the_shown_run() {
        let runs = Arc::new(AtomicUsize::new(0));
        let load = counting_loader(runs.clone());
        // A first pass that happens to see the load done (then is dropped)...
        assert_eq!(load().await.ok(), Some(1));
        // ...and the run that is shown still gets the same result, without a second read.
        assert_eq!(load().await.ok(), Some(1));
        assert_eq!(runs.load(Ordering::SeqCst), 1, "the data was read once");
    }

    #[tokio::test]
    async fn an_error_reaches_the_page() {
        let load = load_once(|| async { Err::<(), _>(AppError::NotFound) });
        assert_eq!(load().await.err(), Some(AppError::NotFound));
    }
}
