//! What every server function and page may use on the server, built once at start.

use crate::db::versioned::ByVersion;
use crate::db::Db;
use std::sync::Arc;

/// Installation-wide settings the app needs (the rest of the configuration is wiring).
#[derive(Clone)]
pub struct Settings {
    /// Public address used in emailed links, without a trailing slash.
    pub base_url: String,
    /// Production refuses insecure defaults and sets Secure cookies and HSTS.
    pub production: bool,
    /// Key for hashing emailed one-time tokens (never printed).
    pub secret_key: SecretKey,
    /// The organisation `/safe-internet` shows (its slug); else the first created.
    pub default_org: Option<String>,
    /// Proxies whose `X-Forwarded-For` names the client (see `client_address`).
    pub trusted_proxies: crate::client_address::TrustedProxies,
    /// Days a sent email's outbox row is kept (ESAFETY_MAIL_RETENTION_DAYS): the reminder
    /// log says a reminder whose row is gone was sent, and when such rows go.
    pub mail_retention_days: i64,
}

/// A secret that never shows up in logs or debug output.
#[derive(Clone)]
pub struct SecretKey(Arc<Vec<u8>>);

impl SecretKey {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Arc::new(bytes))
    }
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

/// HMAC-SHA256 of `parts` (fed in order, as one message) under `key`, as hex. The one
/// keyed hash of the installation: emailed tokens and signed form errors both use it.
pub fn keyed_hash(key: &[u8], parts: &[&[u8]]) -> String {
    use hmac::{Hmac, Mac};
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// What the app shares, behind one `Arc`: the state is cloned several times a request
/// (each extractor, context and server function takes its own copy), and one reference
/// count is far cheaper than one per field (a profile of `/login` under load found
/// about 12% of the CPU in cloning and dropping the fields one by one).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Leptos's handlers take their options from the router's state.
impl axum::extract::FromRef<AppState> for leptos::config::LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub struct Shared {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// The checked content folder, loaded at start.
    pub content: Arc<crate::content::Library>,
    /// Who had no policy left to sign a moment ago (see `policies::gate`).
    pub signed_recently: Arc<crate::policies::gate::SignedRecently>,
    /// Each organisation's modules with its choices, and its contacts, kept per settings
    /// version (see `db::versioned`).
    pub org_modules: Arc<ByVersion<Vec<crate::learning::catalogue::OrgModule>>>,
    pub org_contacts: Arc<ByVersion<crate::safe_internet::OrganisationContacts>>,
    /// The built stylesheet, script and WebAssembly, in memory (see `site_files`).
    pub site_files: Arc<crate::site_files::SiteFiles>,
    pub leptos_options: leptos::config::LeptosOptions,
}

/// The state inside a server function or a server-rendered page.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::internal("AppState missing from context"))
}
