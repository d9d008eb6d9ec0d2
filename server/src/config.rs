//! Configuration: environment variables, typed and read once at start.
//!
//! Every variable is documented here, in `esafety --help` and in the README. A wrong value
//! stops the start with one line naming the variable (exit code 2).

use app::state::SecretKey;
use lettre::message::Mailbox;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The variables, with their meaning, for `--help` and error messages.
pub const VARIABLES: &str = "\
Environment variables (all optional in development):
  ESAFETY_DATABASE_URL  sqlite://PATH or postgres://USER:PASS@HOST:PORT/DB
                        (default: sqlite://ESAFETY_DATA_DIR/esafety.db)
  ESAFETY_DATA_DIR      folder for the SQLite file, sent mail and the dev secret (default: ./data)
  ESAFETY_ADDR          address to listen on (default: 127.0.0.1:3000)
  ESAFETY_BASE_URL      public address used in emailed links (default: http://ESAFETY_ADDR)
  ESAFETY_SMTP_URL      smtp://HOST:PORT, smtp://USER:PASS@HOST:587?tls=required or smtps://...
                        (unset: each email is written as an .eml file to ESAFETY_DATA_DIR/mail;
                        required in production)
  ESAFETY_MAIL_FROM     sender, e.g. 'E-safety <no-reply@example.org>' (default: E-safety <no-reply@localhost>)
  ESAFETY_MAIL_RETENTION_DAYS  days a sent email's record is kept before it is deleted,
                        1 to 3650 (default: 30)
  ESAFETY_ENV           development (default) or production. Production requires
                        ESAFETY_SECRET_KEY, an https ESAFETY_BASE_URL and ESAFETY_SMTP_URL, sets
                        Secure cookies and HSTS, and never creates the demo organisation.
  ESAFETY_SECRET_KEY    at least 32 characters; keys the hashes of emailed links and encrypts
                        queued email
                        (development: generated once into ESAFETY_DATA_DIR/secret.key)
  ESAFETY_DEMO_PASSWORD password for the demo accounts (development; default: random, printed)
  ESAFETY_SITE_DIR      the built site (CSS, JS, WebAssembly) (default: target/site)
  ESAFETY_CONTENT_DIR   the content folder: modules, policies, Safe Internet page (default: content)
  ESAFETY_DEFAULT_ORG   slug of the organisation /safe-internet shows (default: the first created)
  ESAFETY_TRUSTED_PROXIES
                        addresses or CIDR ranges of your reverse proxies, e.g. '127.0.0.1, 10.0.0.0/8'
                        (default: none). Only for connections from these is the client address
                        read from X-Forwarded-For (the right-most address not in this list).
  ESAFETY_MAX_CONNECTIONS  connections open at once, 16 to 100000 (default: 16384); more wait
                        until one closes. An idle connection is closed after 30 seconds.";

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

fn bad(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub addr: SocketAddr,
    pub base_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: Mailbox,
    /// How long the record of a sent email is kept (its bodies are cleared at once).
    pub mail_retention: chrono::Duration,
    pub production: bool,
    pub secret_key: SecretKey,
    pub demo_password: Option<String>,
    pub site_dir: PathBuf,
    pub content_dir: PathBuf,
    pub default_org: Option<String>,
    pub trusted_proxies: app::client_address::TrustedProxies,
    /// Connections open at once (see `connections.rs`).
    pub max_connections: usize,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The database and SMTP URLs may hold passwords: show only their schemes.
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("addr", &self.addr)
            .field("base_url", &self.base_url)
            .field("production", &self.production)
            .finish_non_exhaustive()
    }
}

/// Read the configuration from a lookup (the process environment, or a map in tests).
pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    let var = |name: &str| {
        get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };

    let production = match var("ESAFETY_ENV").as_deref() {
        None | Some("development") => false,
        Some("production") => true,
        Some(other) => {
            return Err(bad(
                "ESAFETY_ENV",
                format!("'{other}' is not 'development' or 'production'"),
            ))
        }
    };
    let data_dir = PathBuf::from(var("ESAFETY_DATA_DIR").unwrap_or_else(|| "./data".into()));
    let addr_text = var("ESAFETY_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
    let addr: SocketAddr = addr_text.parse().map_err(|_| {
        bad(
            "ESAFETY_ADDR",
            format!("'{addr_text}' is not an address like 127.0.0.1:3000"),
        )
    })?;
    let database_url = var("ESAFETY_DATABASE_URL")
        .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("esafety.db").display()));
    if app::db::Backend::of_url(&database_url).is_none() {
        return Err(bad(
            "ESAFETY_DATABASE_URL",
            "must start with sqlite:// or postgres://",
        ));
    }
    let base_url = var("ESAFETY_BASE_URL")
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_string();
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return Err(bad(
            "ESAFETY_BASE_URL",
            format!("'{base_url}' must start with http:// or https://"),
        ));
    }
    if production && !base_url.starts_with("https://") {
        return Err(bad(
            "ESAFETY_BASE_URL",
            "must be https:// in production (cookies are Secure)",
        ));
    }
    let smtp_url = var("ESAFETY_SMTP_URL");
    if let Some(url) = &smtp_url {
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            return Err(bad(
                "ESAFETY_SMTP_URL",
                "must start with smtp:// or smtps://",
            ));
        }
    }
    let from_text =
        var("ESAFETY_MAIL_FROM").unwrap_or_else(|| "E-safety <no-reply@localhost>".into());
    let mail_from: Mailbox = from_text.parse().map_err(|_| {
        bad(
            "ESAFETY_MAIL_FROM",
            format!("'{from_text}' is not an address like 'E-safety <no-reply@example.org>'"),
        )
    })?;
    let mail_retention = mail_retention(var("ESAFETY_MAIL_RETENTION_DAYS"))?;
    let secret_key = match var("ESAFETY_SECRET_KEY") {
        Some(key) if key.len() >= 32 => Some(SecretKey::new(key.into_bytes())),
        Some(_) => return Err(bad("ESAFETY_SECRET_KEY", "must be at least 32 characters")),
        None if production => return Err(bad("ESAFETY_SECRET_KEY", "is required in production")),
        None => None,
    };
    let demo_password = var("ESAFETY_DEMO_PASSWORD");
    if production && demo_password.is_some() {
        return Err(bad(
            "ESAFETY_DEMO_PASSWORD",
            "must not be set in production (no demo organisation)",
        ));
    }
    if let Some(p) = &demo_password {
        if p.chars().count() < app::auth::password::MIN_LENGTH {
            return Err(bad(
                "ESAFETY_DEMO_PASSWORD",
                "must be at least 10 characters",
            ));
        }
    }
    if production && smtp_url.is_none() {
        // Without SMTP every email, with its live sign-in links, would sit in files.
        return Err(bad(
            "ESAFETY_SMTP_URL",
            "is required in production (without it, email would be written to files in ESAFETY_DATA_DIR/mail)",
        ));
    }
    let site_dir = PathBuf::from(var("ESAFETY_SITE_DIR").unwrap_or_else(|| "target/site".into()));
    let content_dir = PathBuf::from(var("ESAFETY_CONTENT_DIR").unwrap_or_else(|| "content".into()));
    let default_org = var("ESAFETY_DEFAULT_ORG");
    let trusted_proxies = app::client_address::TrustedProxies::parse(
        &var("ESAFETY_TRUSTED_PROXIES").unwrap_or_default(),
    )
    .map_err(|m| bad("ESAFETY_TRUSTED_PROXIES", m))?;
    let max_connections = max_connections(var("ESAFETY_MAX_CONNECTIONS"))?;
    let secret_key = match secret_key {
        Some(k) => k,
        None => development_secret(&data_dir)?,
    };
    Ok(Config {
        database_url,
        data_dir,
        addr,
        base_url,
        smtp_url,
        mail_from,
        mail_retention,
        production,
        secret_key,
        demo_password,
        site_dir,
        content_dir,
        default_org,
        trusted_proxies,
        max_connections,
    })
}

/// The default limit on open connections.
/// 16,384: a quiz-day run of 3,250 learners (thinking 3 to 9 seconds between steps) needed
/// more than 4,096 open at once: 1,600 requests failed at that limit, none with it lifted.
/// At about 27 KB each that is at most about 440 MB of connections.
pub const MAX_CONNECTIONS: usize = 16_384;

fn max_connections(value: Option<String>) -> Result<usize, ConfigError> {
    let Some(text) = value else {
        return Ok(MAX_CONNECTIONS);
    };
    match text.parse::<usize>() {
        Ok(n) if (16..=100_000).contains(&n) => Ok(n),
        _ => Err(bad(
            "ESAFETY_MAX_CONNECTIONS",
            format!("'{text}' is not a whole number from 16 to 100000"),
        )),
    }
}

/// Whole days, within limits a mistyped value cannot pass (a year of days in hours, say).
const MAX_RETENTION_DAYS: i64 = 3650;

fn mail_retention(value: Option<String>) -> Result<chrono::Duration, ConfigError> {
    let Some(text) = value else {
        return Ok(chrono::Duration::days(30));
    };
    match text.parse::<i64>() {
        Ok(days) if (1..=MAX_RETENTION_DAYS).contains(&days) => Ok(chrono::Duration::days(days)),
        _ => Err(bad(
            "ESAFETY_MAIL_RETENTION_DAYS",
            format!("'{text}' is not a whole number of days from 1 to {MAX_RETENTION_DAYS}"),
        )),
    }
}

pub fn from_env() -> Result<Config, ConfigError> {
    from_lookup(|name| std::env::var(name).ok())
}

/// In development the key is made once and kept in the data folder, so emailed links
/// keep working across restarts.
fn development_secret(data_dir: &Path) -> Result<SecretKey, ConfigError> {
    use rand::RngCore;
    let path = data_dir.join("secret.key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if existing.trim().len() >= 32 {
            return Ok(SecretKey::new(existing.trim().as_bytes().to_vec()));
        }
    }
    std::fs::create_dir_all(data_dir).map_err(|e| {
        bad(
            "ESAFETY_DATA_DIR",
            format!("cannot create {}: {e}", data_dir.display()),
        )
    })?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let key = hex::encode(bytes);
    std::fs::write(&path, &key).map_err(|e| {
        bad(
            "ESAFETY_DATA_DIR",
            format!("cannot write {}: {e}", path.display()),
        )
    })?;
    Ok(SecretKey::new(key.into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let mut map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.entry("ESAFETY_DATA_DIR".into())
            .or_insert(dir.path().display().to_string());
        from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_sqlite_on_localhost() {
        let config = read(&[]).unwrap();
        assert!(config.database_url.starts_with("sqlite://"));
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.base_url, "http://127.0.0.1:3000");
        assert!(!config.production);
        assert_eq!(config.mail_retention, chrono::Duration::days(30));
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases = [
            ("ESAFETY_ADDR", "not-an-address"),
            ("ESAFETY_ENV", "staging"),
            ("ESAFETY_DATABASE_URL", "mysql://x"),
            ("ESAFETY_BASE_URL", "ftp://x"),
            ("ESAFETY_SMTP_URL", "http://mail"),
            ("ESAFETY_MAIL_FROM", "not an address"),
            ("ESAFETY_SECRET_KEY", "short"),
            ("ESAFETY_DEMO_PASSWORD", "short"),
            ("ESAFETY_TRUSTED_PROXIES", "10.0.0.1, proxy.local"),
            ("ESAFETY_MAIL_RETENTION_DAYS", "0"),
            ("ESAFETY_MAIL_RETENTION_DAYS", "3651"),
            ("ESAFETY_MAIL_RETENTION_DAYS", "30 days"),
            ("ESAFETY_MAX_CONNECTIONS", "15"),
            ("ESAFETY_MAX_CONNECTIONS", "lots"),
            ("ESAFETY_MAIL_RETENTION_DAYS", "-5"),
        ];
        for (variable, value) in cases {
            let err = read(&[(variable, value)]).unwrap_err();
            assert_eq!(err.variable, variable, "{value}");
        }
    }

    #[test]
    fn production_refuses_insecure_defaults() {
        let err = read(&[
            ("ESAFETY_ENV", "production"),
            ("ESAFETY_BASE_URL", "https://x.test"),
        ])
        .unwrap_err();
        assert_eq!(err.variable, "ESAFETY_SECRET_KEY");
        let key = "k".repeat(40);
        let err = read(&[("ESAFETY_ENV", "production"), ("ESAFETY_SECRET_KEY", &key)]).unwrap_err();
        assert_eq!(err.variable, "ESAFETY_BASE_URL");
        let err = read(&[
            ("ESAFETY_ENV", "production"),
            ("ESAFETY_SECRET_KEY", &key),
            ("ESAFETY_BASE_URL", "https://x.test"),
            ("ESAFETY_SMTP_URL", "smtp://mail.x.test:25"),
            ("ESAFETY_DEMO_PASSWORD", "demo-password-1"),
        ])
        .unwrap_err();
        assert_eq!(err.variable, "ESAFETY_DEMO_PASSWORD");
        let ok = read(&[
            ("ESAFETY_ENV", "production"),
            ("ESAFETY_SECRET_KEY", &key),
            ("ESAFETY_BASE_URL", "https://x.test"),
            ("ESAFETY_SMTP_URL", "smtp://mail.x.test:25"),
        ]);
        assert!(ok.unwrap().production);
    }

    #[test]
    fn production_never_writes_email_to_files() {
        let key = "k".repeat(40);
        let production = [
            ("ESAFETY_ENV", "production"),
            ("ESAFETY_SECRET_KEY", key.as_str()),
            ("ESAFETY_BASE_URL", "https://x.test"),
        ];
        let err = read(&production).unwrap_err();
        assert_eq!(err.variable, "ESAFETY_SMTP_URL");
        assert!(err.message.contains("required in production"), "{err}");
        // Development keeps the files, so a new installation shows what it would send.
        let dev = read(&[("ESAFETY_SECRET_KEY", key.as_str())]).unwrap();
        assert!(dev.smtp_url.is_none() && !dev.production);
    }

    #[test]
    fn mail_retention_is_read_in_days() {
        let config = read(&[("ESAFETY_MAIL_RETENTION_DAYS", "7")]).unwrap();
        assert_eq!(config.mail_retention, chrono::Duration::days(7));
    }
}
