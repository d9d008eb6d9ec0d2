//! The cohort grid costs the same number of database statements for 5 learners as for
//! 500, on SQLite and PostgreSQL: statements are counted per request from sqlx's own
//! statement log (target `sqlx::query`), matched to the request by its `x-request-id`
//! (the span the server opens for each request carries it).

use crate::cohorts::{create, enrolled};
use crate::helpers::*;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// Statements seen per request id, by their summaries.
fn counts() -> &'static Mutex<HashMap<String, Vec<String>>> {
    static COUNTS: OnceLock<Mutex<HashMap<String, Vec<String>>>> = OnceLock::new();
    COUNTS.get_or_init(Default::default)
}

struct RequestId(String);

struct IdField(Option<String>);

impl Visit for IdField {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "id" {
            self.0 = Some(format!("{value:?}"));
        }
    }
}

/// A statement's summary (its first words), to leave out a new connection's setup.
struct Summary(String);

impl Visit for Summary {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
}

/// Counts `sqlx::query` events under each request span.
struct Counting;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Counting {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "request" {
            return;
        }
        let mut field = IdField(None);
        attrs.record(&mut field);
        if let (Some(request), Some(span)) = (field.0, ctx.span(id)) {
            span.extensions_mut().insert(RequestId(request));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        // Opening a pool connection is not the page's work (and happens when it happens).
        let mut summary = Summary(String::new());
        event.record(&mut summary);
        if summary.0.contains("PRAGMA") {
            return;
        }
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        for span in scope.from_root() {
            if let Some(RequestId(request)) = span.extensions().get::<RequestId>() {
                let mut counts = counts().lock().unwrap();
                counts
                    .entry(request.clone())
                    .or_default()
                    .push(summary.0.clone());
            }
        }
    }
}

fn count_statements() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let only = Targets::new()
            .with_target("sqlx::query", tracing::Level::DEBUG)
            .with_target("server", tracing::Level::INFO);
        let subscriber = tracing_subscriber::registry().with(Counting.with_filter(only));
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    });
}

/// How many statements one request for `path` ran.
async fn statements_for(app: &TestApp, client: &reqwest::Client, path: &str, label: &str) -> usize {
    statements_run(app, client, path, label).await.len()
}

/// The statements one request for `path` ran, by their summaries.
async fn statements_run(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    label: &str,
) -> Vec<String> {
    let request = format!("{label}-{}", std::process::id());
    let r = client
        .get(app.url(path))
        .header("x-request-id", &request)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), reqwest::StatusCode::OK, "{path}");
    r.text().await.expect("the page");
    counts()
        .lock()
        .unwrap()
        .get(&request)
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn the_grid_costs_the_same_statements_for_5_learners_as_for_500() {
    count_statements();
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let small = create(&app, &admin, "Five").await;
    let large = create(&app, &admin, "Five hundred").await;
    for n in 0..5 {
        enrolled(
            &app,
            &small,
            &format!("Small Learner{n:03}"),
            "2020-01-01",
            "2020-01-29",
        )
        .await;
    }
    for n in 0..500 {
        enrolled(
            &app,
            &large,
            &format!("Large Learner{n:03}"),
            "2020-01-01",
            "2020-01-29",
        )
        .await;
    }
    sqlx::query(
        "INSERT INTO section_progress (user_id, org_id, module_id, section_id, read_at)
         SELECT id, org_id, 'grooming', 'any', '2026-11-02T10:00:00.000000Z' FROM users
         WHERE full_name LIKE '%Learner%'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    // Warm: the first pages after signing in settle the session and the caches.
    for warm in ["warm-1", "warm-2"] {
        statements_for(&app, &admin, &format!("/cohorts/{large}"), warm).await;
    }
    let five = statements_for(&app, &admin, &format!("/cohorts/{small}"), "five").await;
    let hundreds = statements_for(&app, &admin, &format!("/cohorts/{large}"), "five-hundred").await;
    let sorted = statements_for(
        &app,
        &admin,
        &format!("/cohorts/{large}?show=behind&sort=-module-grooming&page=3"),
        "five-hundred-sorted",
    )
    .await;
    assert!(five > 0, "statements are counted");
    assert_eq!(five, hundreds, "5 learners: {five}, 500: {hundreds}");
    assert_eq!(five, sorted, "filtered, sorted and on page 3: {sorted}");
    assert!(
        five <= 16,
        "a grid page stays a handful of statements: {five}"
    );
}

#[tokio::test]
async fn module_and_section_pages_read_the_session_with_its_person_in_one_statement() {
    count_statements();
    let app = spawn_app().await;
    let learner = app.signed_in("learner@demo.test").await;
    for warm in ["module-warm-1", "module-warm-2"] {
        statements_for(&app, &learner, "/induction/grooming", warm).await;
    }
    let module = statements_run(&app, &learner, "/induction/grooming", "module").await;
    // The session with the signed-in person and their policy stamp, the sections they
    // read, and their attempts with the certificate: nothing else once caches are warm.
    assert_eq!(module.len(), 3, "statements for a module page: {module:#?}");
    let section = "/induction/grooming/read/what-grooming-and-exploitation-are";
    let section = statements_run(&app, &learner, section, "section").await;
    // The session with its person, and the sections they read.
    assert_eq!(
        section.len(),
        2,
        "statements for a section page: {section:#?}"
    );
}
