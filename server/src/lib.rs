//! The `esafety` server: wiring only. Configuration, start-up, router, background jobs.

pub mod config;
pub mod connections;
pub mod jobs;
pub mod router;
pub mod security;
pub mod static_files;
pub mod tracing;

/// jemalloc instead of the C library's allocator, for everything that links the server:
/// the binary, its benches and tests. Measured on the daily reminder run over 100,000
/// staff (`cargo xtask bench`): about a third less CPU, since a run allocates and frees
/// millions of small strings across sqlx's SQLite thread and the async threads, and
/// glibc's per-thread arenas handled that worst.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use app::db::{self, Db};
use app::mail::transport::Mailer;
use app::state::{AppState, Settings, Shared};
use config::{Config, ConfigError};
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Why the server could not start: one line, naming what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("ESAFETY_DATABASE_URL: cannot open the database: {0}")]
    Database(#[source] sqlx::Error),
    #[error("ESAFETY_DATABASE_URL: cannot update the database tables: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("ESAFETY_DATA_DIR: {0}")]
    DataDir(String),
    #[error("ESAFETY_SITE_DIR: {0}")]
    SiteDir(String),
    #[error("ESAFETY_SMTP_URL: {0}")]
    Smtp(String),
    #[error("ESAFETY_ADDR: cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    App(#[from] app::error::AppError),
    #[error("ESAFETY_CONTENT_DIR: the content has problems, so the server will not start:\n{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    Content(Vec<app::content::Problem>),
}

/// Load and check the content folder; any problem stops the start.
pub fn load_content(config: &Config) -> Result<app::content::Library, StartError> {
    app::content::load_library(&config.content_dir).map_err(StartError::Content)
}

/// Open (creating when needed) and migrate the database.
pub async fn open_database(config: &Config) -> Result<Db, StartError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        StartError::DataDir(format!("cannot create {}: {e}", config.data_dir.display()))
    })?;
    let pool = db::connect(&config.database_url)
        .await
        .map_err(StartError::Database)?;
    db::migrate(&pool).await?;
    Ok(pool)
}

pub fn mailer(config: &Config) -> Result<Mailer, StartError> {
    match &config.smtp_url {
        Some(url) => Mailer::smtp(url).map_err(|e| StartError::Smtp(e.to_string())),
        None => {
            let dir = config.data_dir.join("mail");
            std::fs::create_dir_all(&dir).map_err(|e| {
                StartError::DataDir(format!("cannot create {}: {e}", dir.display()))
            })?;
            Ok(Mailer::files(dir))
        }
    }
}

pub fn app_state(
    config: &Config,
    db: Db,
    content: app::content::Library,
) -> Result<AppState, StartError> {
    let pkg_dir = config.site_dir.join("pkg");
    let site_files = app::site_files::SiteFiles::load(&pkg_dir)
        .map_err(|e| StartError::SiteDir(format!("cannot read {}: {e}", pkg_dir.display())))?;
    let leptos_options = LeptosOptions::builder()
        .output_name(site_files.script_stem())
        .site_root(config.site_dir.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    Ok(AppState::new(Shared {
        db,
        settings: Arc::new(Settings {
            base_url: config.base_url.clone(),
            production: config.production,
            secret_key: config.secret_key.clone(),
            default_org: config.default_org.clone(),
            trusted_proxies: config.trusted_proxies.clone(),
            mail_retention_days: config.mail_retention.num_days(),
        }),
        content: Arc::new(content),
        signed_recently: Arc::default(),
        org_modules: Arc::default(),
        org_contacts: Arc::default(),
        site_files: Arc::new(site_files),
        leptos_options,
    }))
}

/// Serve until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: connections::Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    tracing::keep_request_spans_in_tasks();
    let router = router::build(state);
    connections::serve(listener, router, limits, shutdown).await
}
