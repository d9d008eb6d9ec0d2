//! Test harness: each test gets a fresh database (a SQLite file, or a new database on the
//! PostgreSQL server named by ESAFETY_TEST_POSTGRES_URL) and the real app on port 0.

use app::admin::{demo, queries as org_queries};
use app::auth::Role;
use app::db::Db;
use app::error::AppError;
use app::mail::outbox::{self, SendReport};
use app::mail::transport::Mailer;
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use server::config::{self, Config};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tempfile::TempDir;

pub const PASSWORD: &str = "demo-password-1";
pub const OTHER_ADMIN: &str = "admin@other.test";
pub const OTHER_LEARNER: &str = "learner@other.test";

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub config: Config,
    pub data_dir: TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

pub fn using_postgres() -> bool {
    std::env::var("ESAFETY_TEST_POSTGRES_URL").is_ok()
}

/// A database URL for a brand-new, empty database.
pub async fn fresh_database_url(data_dir: &std::path::Path) -> String {
    match std::env::var("ESAFETY_TEST_POSTGRES_URL") {
        Ok(admin_url) => {
            let name = format!("t_{}", uuid_simple());
            let admin = app::db::connect(&admin_url)
                .await
                .expect("PostgreSQL test server is reachable");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .expect("create test database");
            admin.close().await;
            let (server, _) = admin_url.rsplit_once('/').expect("URL has a database name");
            format!("{server}/{name}")
        }
        Err(_) => format!("sqlite://{}/esafety.db", data_dir.display()),
    }
}

fn uuid_simple() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..16)
        .map(|_| format!("{:x}", rng.gen_range(0..16u8)))
        .collect()
}

/// The project's real content folder.
pub fn content_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

pub fn config_for(
    data_dir: &std::path::Path,
    database_url: &str,
    addr: &str,
    extra: &[(&'static str, &str)],
) -> Config {
    let mut vars: HashMap<&str, String> = HashMap::new();
    vars.insert("ESAFETY_DATA_DIR", data_dir.display().to_string());
    vars.insert("ESAFETY_DATABASE_URL", database_url.to_string());
    vars.insert("ESAFETY_ADDR", addr.to_string());
    vars.insert("ESAFETY_BASE_URL", format!("http://{addr}"));
    vars.insert("ESAFETY_CONTENT_DIR", content_dir().display().to_string());
    for (name, value) in extra {
        vars.insert(name, value.to_string());
    }
    config::from_lookup(|k| vars.get(k).cloned()).expect("test configuration is valid")
}

/// The app with the demo organisation and a second organisation ("other").
/// A setting for `spawn_app_with` (not an environment variable of the app): how long a
/// connection may wait for a request's headers, in milliseconds.
pub const TEST_HEADER_TIMEOUT_MS: &str = "TEST_HEADER_TIMEOUT_MS";

pub async fn spawn_app() -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(data_dir.path()).await;
    let app = start(data_dir, &url).await;
    seed(&app.db).await;
    app
}

/// The seeded app with some settings overridden (e.g. trusted proxies).
pub async fn spawn_app_with(extra: &[(&'static str, &str)]) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(data_dir.path()).await;
    let app = start_with(data_dir, &url, extra).await;
    seed(&app.db).await;
    app
}

/// Start the server on an existing database (used to test restarts).
pub async fn start(data_dir: TempDir, database_url: &str) -> TestApp {
    start_with(data_dir, database_url, &[]).await
}

/// Start the server with some settings overridden.
pub async fn start_with(
    data_dir: TempDir,
    database_url: &str,
    extra: &[(&'static str, &str)],
) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let config = config_for(data_dir.path(), database_url, &addr, extra);
    let db = server::open_database(&config)
        .await
        .expect("database opens and migrates");
    let content = server::load_content(&config).expect("the content folder is valid");
    let state = server::app_state(&config, db.clone(), content).expect("the site files load");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let mut limits = server::connections::Limits::new(config.max_connections);
    // Tests of the connection limits wait a second, not thirty.
    if let Some((_, ms)) = extra.iter().find(|(k, _)| *k == TEST_HEADER_TIMEOUT_MS) {
        let ms: u64 = ms.parse().expect("milliseconds");
        limits.header_timeout = std::time::Duration::from_millis(ms);
    }
    let handle = tokio::spawn(server::serve(listener, state, limits, async {
        let _ = rx.await;
    }));
    TestApp {
        base: format!("http://{addr}"),
        db,
        config,
        data_dir,
        shutdown: Some(tx),
        server: Some(handle),
    }
}

async fn seed(db: &Db) {
    demo::seed_demo_if_empty(db, PASSWORD)
        .await
        .expect("demo seeded");
    demo::create_admin(db, "other", OTHER_ADMIN, "Olu Other", PASSWORD)
        .await
        .expect("other org");
    let other = org_queries::organisation_by_slug(db, "other")
        .await
        .unwrap()
        .unwrap();
    let hash = app::auth::password::hash(app::auth::password::Password::new(PASSWORD.into()))
        .await
        .unwrap();
    let mut conn = db.acquire().await.unwrap();
    let id = org_queries::insert_user(
        &mut conn,
        &other.id,
        OTHER_LEARNER,
        "Lee Other",
        Some(&hash),
    )
    .await
    .unwrap();
    org_queries::add_role(&mut conn, &other.id, &id, Role::Learner)
        .await
        .unwrap();
}

impl TestApp {
    /// Stop serving and hand back the data folder (the database stays).
    pub async fn stop(mut self) -> TempDir {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.server.take() {
            let _ = handle.await;
        }
        self.db.close().await;
        self.data_dir
    }

    /// A second app server on this app's database, as behind a load balancer: what either
    /// keeps in memory must not hide a change made through the other.
    pub async fn second_server(&self) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temp dir");
        start(data_dir, &self.config.database_url).await
    }

    /// A redirect's target as a path on this app (error redirects carry the full address).
    pub fn path_of(&self, location: &str) -> String {
        location
            .strip_prefix(&self.base)
            .unwrap_or(location)
            .to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A program calling a server function (JSON answers, real status codes).
    pub async fn call(&self, client: &Client, function: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(self.url(&format!("/api/{function}")))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// A browser submitting a form on `from_page` (answers with redirects).
    pub async fn submit(
        &self,
        client: &Client,
        function: &str,
        form: &[(&str, &str)],
        from_page: &str,
    ) -> Response {
        client
            .post(self.url(&format!("/api/{function}")))
            .header("Accept", "text/html,application/xhtml+xml")
            .header("Referer", self.url(from_page))
            .header("Origin", self.base.clone())
            .form(form)
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn page(&self, client: &Client, path: &str) -> (StatusCode, String) {
        let response = self.get(client, path).await;
        let status = response.status();
        (status, response.text().await.unwrap_or_default())
    }

    /// A browser signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> Client {
        self.signed_in_with(email, PASSWORD).await
    }

    /// Signed in, with the Acceptable Use Policies they must sign signed, as most tests
    /// need; `signed_in_only` leaves them unsigned.
    pub async fn signed_in_with(&self, email: &str, password: &str) -> Client {
        let client = self.signed_in_only(email, password).await;
        self.sign_policies(&client, email).await;
        client
    }

    /// Signed in as `email` with their policies signed, and the session cookie's value as
    /// the browser holds it (to present by hand, or to look for in the database).
    pub async fn signed_in_with_cookie(&self, email: &str) -> (Client, String) {
        let (client, response) = self.sign_in(email, PASSWORD).await;
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("esafety_session="))
            .and_then(|v| v.split(';').next())
            .expect("sign-in sets the session cookie")
            .to_string();
        self.sign_policies(&client, email).await;
        (client, cookie)
    }

    pub async fn signed_in_only(&self, email: &str, password: &str) -> Client {
        self.sign_in(email, password).await.0
    }

    /// A new browser signing in, and the sign-in's answer (checked to be a success).
    async fn sign_in(&self, email: &str, password: &str) -> (Client, Response) {
        let client = browser();
        let response = self
            .submit(
                &client,
                "auth/sign_in",
                &[("email", email), ("password", password)],
                "/login",
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::FOUND,
            "sign-in of {email} redirects"
        );
        assert_eq!(location(&response), "/home", "sign-in of {email} succeeds");
        (client, response)
    }

    /// Sign every policy the gate asks for, as the person would.
    pub async fn sign_policies(&self, client: &Client, email: &str) {
        let (name,): (String,) = sqlx::query_as("SELECT full_name FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.db)
            .await
            .expect("user exists");
        for _ in 0..3 {
            let r = self.get(client, "/home").await;
            let to = location(&r);
            let Some(kind) = to.strip_prefix("/policies/sign/") else {
                return;
            };
            let policy = self
                .call(client, "policies/to_sign", &[("kind", kind)])
                .await;
            let policy: serde_json::Value = policy.json().await.expect("policy JSON");
            let version = policy["version_id"]
                .as_str()
                .expect("version id")
                .to_string();
            let r = self
                .call(
                    client,
                    "policies/sign",
                    &[
                        ("version_id", &version),
                        ("agree", "on"),
                        ("full_name", &name),
                    ],
                )
                .await;
            assert_eq!(
                r.status(),
                StatusCode::OK,
                "{email} signs the {kind} policy"
            );
        }
    }

    pub async fn user_id(&self, email: &str) -> String {
        let (id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.db)
            .await
            .expect("user exists");
        id
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .fetch_one(&self.db)
            .await
            .expect("count query");
        n
    }

    pub async fn send_mail(&self, mailer: &Mailer) -> SendReport {
        outbox::send_due(
            &self.db,
            mailer,
            &self.config.mail_from,
            &self.config.secret_key,
            self.config.mail_retention,
        )
        .await
        .expect("outbox runs")
    }
}

pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The typed error a server function answered with.
pub async fn app_error(response: Response) -> AppError {
    let body = response.text().await.expect("body");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

/// The text of a page with tags removed and whitespace collapsed, as a person reads it.
pub fn visible_text(html: &str) -> String {
    let without_scripts = regex_lite_strip(html, "<script", "</script>");
    let mut text = String::new();
    let mut in_tag = false;
    for c in without_scripts.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn regex_lite_strip(html: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        match rest[start..].find(close) {
            Some(end) => rest = &rest[start + end + close.len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A real SMTP server on loopback that keeps every message it receives.
#[derive(Clone, Default)]
pub struct SmtpSink {
    messages: Arc<Mutex<Vec<String>>>,
    current: Vec<u8>,
}

impl mailin_embedded::Handler for SmtpSink {
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let message = String::from_utf8_lossy(&std::mem::take(&mut self.current)).to_string();
        if let Ok(mut all) = self.messages.lock() {
            all.push(message);
        }
        mailin_embedded::response::OK
    }
}

impl SmtpSink {
    /// Start the server; returns the sink and an `smtp://` URL for it.
    pub fn start() -> (SmtpSink, String) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind smtp");
        let url = format!("smtp://{}", listener.local_addr().expect("addr"));
        let sink = SmtpSink::default();
        let mut server = mailin_embedded::Server::new(sink.clone());
        server
            .with_name("smtp.test")
            // A thread per connection, and each mailer keeps its pooled connections open
            // for a while: room for a few mailers in one test.
            .with_num_threads(4 * app::mail::transport::SMTP_CONNECTIONS)
            .with_ssl(mailin_embedded::SslConfig::None)
            .expect("no tls")
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        (sink, url)
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

/// The decoded text of an email (quoted-printable soft breaks undone).
pub fn decoded(message: &str) -> String {
    message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// The first link in an email that points at `path`.
pub fn link_in(message: &str, path: &str) -> String {
    let text = decoded(message);
    let start = text
        .find(path)
        .unwrap_or_else(|| panic!("no {path} link in: {text}"));
    let tail = &text[start..];
    let end = tail
        .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .unwrap_or(tail.len());
    tail[..end].to_string()
}

/// Another person with a password, in the organisation `slug`.
pub async fn add_person(app: &TestApp, slug: &str, email: &str, name: &str, role: Role) -> String {
    let org = org_queries::organisation_by_slug(&app.db, slug)
        .await
        .unwrap()
        .expect("organisation exists");
    let hash = app::auth::password::hash(app::auth::password::Password::new(PASSWORD.into()))
        .await
        .unwrap();
    let mut conn = app.db.acquire().await.unwrap();
    let id = org_queries::insert_user(&mut conn, &org.id, email, name, Some(&hash))
        .await
        .unwrap();
    org_queries::add_role(&mut conn, &org.id, &id, role)
        .await
        .unwrap();
    id.to_string()
}

/// The value of the first `name="NAME" value="..."` in a page (hidden form fields).
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// The database as an earlier release left it: every migration before `version`, run
/// the way `esafety serve` runs them.
pub async fn migrate_before(db: &Db, version: i64) {
    let all = app::db::migrator(app::db::backend_of(db));
    let earlier = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(
            all.migrations
                .iter()
                .filter(|m| m.version < version)
                .cloned()
                .collect(),
        ),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    app::db::run_migrations(db, &earlier)
        .await
        .expect("the earlier migrations run");
}
