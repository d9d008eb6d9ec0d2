//! Pages keep using the database connections the pool already has. A page's loaders are
//! run once and dropped by the renderer before the real run; that drop used to make the
//! pool throw a connection away, so every page opened a new one (a SQLite connection
//! parsing the whole schema, or a new PostgreSQL backend).

use crate::helpers::*;
use reqwest::StatusCode;

/// The server processes PostgreSQL runs for this database: one per open connection, a
/// new one for each connection opened. (On SQLite a connection is a thread of this test
/// process, shared with every other test running at once, so there is nothing to watch
/// reliably; the pool setting is the same for both.)
async fn backends(app: &TestApp) -> Vec<i32> {
    let rows: Vec<(i32,)> = sqlx::query_as(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() ORDER BY pid",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    rows.into_iter().map(|(pid,)| pid).collect()
}

#[tokio::test]
async fn pages_reuse_the_pools_connections() {
    if !using_postgres() {
        return;
    }
    let app = spawn_app().await;
    let learner = app.signed_in("learner@demo.test").await;
    let pages = [
        "/safe-internet",
        "/verify/AAAA-BBBB-CCCC",
        "/induction",
        "/induction/grooming",
    ];
    // Let the pool grow to what these pages need, then watch it.
    for page in pages {
        app.page(&learner, page).await;
    }
    let before = backends(&app).await;
    for _ in 0..10 {
        for page in pages {
            let (status, _) = app.page(&learner, page).await;
            assert!(
                status == StatusCode::OK || status == StatusCode::NOT_FOUND,
                "{page}: {status}"
            );
        }
    }
    // None thrown away (before the fix, every one was replaced). The pool may still grow
    // when the machine is busy: a page's loaders run side by side.
    let after = backends(&app).await;
    assert!(
        before.iter().all(|pid| after.contains(pid)),
        "connections before {before:?}, after 40 pages {after:?}"
    );
}
