//! The one error type that crosses the server-function boundary.
//!
//! Every message here is written for the person using the app. Database and other
//! unexpected errors are logged on the server with a reference and shown only as
//! `Internal(reference)`, never with their own text.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    NotSignedIn,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("We could not find that.")]
    NotFound,
    /// Bad input: the message says exactly what to fix.
    #[error("{0}")]
    Invalid(String),
    #[error("Too many attempts. Please wait 15 minutes, then try again.")]
    RateLimited,
    /// Too much is happening at once (sign-ins queue for the password check).
    #[error("The site is very busy just now. Please wait a minute, then try again.")]
    Busy,
    /// The person has an Acceptable Use Policy to sign before doing this.
    #[error("Please read and sign the Acceptable Use Policy first.")]
    PolicyToSign,
    #[error("Something went wrong on our side (reference {0}). Please try again. If it keeps happening, tell your administrator and quote the reference.")]
    Internal(String),
    /// The request itself was malformed (missing or undecodable fields).
    #[error("The request could not be read: {0}")]
    BadRequest(String),
}

impl AppError {
    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Invalid(message.into())
    }

    /// The HTTP status for this error when a program (not a browser form) called.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotSignedIn => 401,
            AppError::Forbidden | AppError::PolicyToSign => 403,
            AppError::Busy => 503,
            AppError::NotFound => 404,
            AppError::Invalid(_) | AppError::BadRequest(_) => 400,
            AppError::RateLimited => 429,
            AppError::Internal(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                AppError::BadRequest(m)
            }
            ServerFnErrorErr::Request(m) | ServerFnErrorErr::MissingArg(m) => {
                AppError::BadRequest(m)
            }
            other => {
                let reference = short_reference(&other.to_string());
                // The reference a person quotes must lead to the error in the log.
                #[cfg(feature = "ssr")]
                tracing::error!(%reference, error = %other, "internal error in the framework");
                AppError::Internal(reference)
            }
        }
    }
}

/// A short reference a person can quote to an administrator.
fn short_reference(seed: &str) -> String {
    let mut hash: u32 = 2166136261;
    for b in seed.bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(16777619);
    }
    format!("{hash:08x}")
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    impl AppError {
        /// Log an unexpected error with its chain and hand back an opaque reference.
        pub fn internal(err: impl std::fmt::Display) -> Self {
            let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
            tracing::error!(%reference, error = %err, "internal error");
            AppError::Internal(reference)
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            AppError::internal(err)
        }
    }

    impl From<tower_sessions::session::Error> for AppError {
        fn from(err: tower_sessions::session::Error) -> Self {
            AppError::internal(err)
        }
    }

    /// Finish a server function: on error, give programs the right HTTP status.
    ///
    /// A browser form post (Accept: text/html) is answered with a redirect back to the
    /// form carrying the error, so the status is left alone for those.
    pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(err) = &result {
            let from_form = leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
                parts
                    .headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.contains("text/html"))
            })
            .flatten()
            .unwrap_or(false);
            if !from_form {
                if let Some(options) =
                    leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                {
                    if let Ok(status) = http::StatusCode::from_u16(err.status()) {
                        options.set_status(status);
                    }
                }
            }
        }
        result
    }
}

#[cfg(feature = "ssr")]
pub use server::finish;
