//! The two plain axum routes of external courses: the upload form's POST (a file does not
//! fit a server function, and the form must work without JavaScript) and the certificate
//! download. Both check the session's person, role and organisation with the same guard
//! as every server function; cross-site POSTs are refused for every route by the server's
//! `Sec-Fetch-Site`/`Origin` check, this one included.

use super::input::{Fields, Received};
use super::service;
use super::types::{MAX_FILE_BYTES, UPLOAD_PATH};
use crate::auth::{guard, Capability, CurrentUser};
use crate::error::AppError;
use crate::ids::ExternalCourseId;
use crate::state::AppState;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The whole request may be a little over the file's limit (the other fields and the
/// multipart framing); anything larger is cut off before it is read, by its length.
const BODY_LIMIT: usize = MAX_FILE_BYTES + 64 * 1024;
/// The most bytes kept of any text field.
const MAX_FIELD_BYTES: usize = 4 * 1024;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            UPLOAD_PATH,
            axum::routing::post(upload).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route(
            "/training/courses/{id}/certificate",
            axum::routing::get(download),
        )
}

/// A browser's form post (it accepts HTML) gets redirects; a program gets the typed error
/// and its status, as from a server function.
fn from_browser(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

fn error_response(error: AppError, browser: bool) -> Response {
    if browser && error == AppError::NotSignedIn {
        return Redirect::to("/login?next=%2Ftraining%2Fcourses%2Fnew").into_response();
    }
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if browser {
        return (status, error.to_string()).into_response();
    }
    let body = serde_json::to_string(&error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Signed in, allowed to record courses, and with no policy left to sign (the gate that
/// stops server functions stops this form too).
async fn recorder(state: &AppState, session: &Session) -> Result<CurrentUser, AppError> {
    let user = guard::allowed_in(state, session, Capability::RecordExternalCourses).await?;
    if crate::policies::service::pending_for_gate(state, &user.id)
        .await?
        .is_some()
    {
        return Err(AppError::PolicyToSign);
    }
    Ok(user)
}

async fn upload(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let browser = from_browser(&headers);
    let user = match recorder(&state, &session).await {
        Ok(user) => user,
        Err(e) => return error_response(e, browser),
    };
    let Ok(multipart) = multipart else {
        let e = AppError::BadRequest("the form was not sent as multipart/form-data".into());
        return error_response(e, browser);
    };
    let (typed, file) = match read(multipart).await {
        Ok(read) => read,
        Err(e) => return error_response(e, browser),
    };
    match service::record(&state, &user, &typed, &file).await {
        Ok(to) => {
            if let Err(e) = service::forget_refused(&session).await {
                // The course is recorded; an old message showing again is the only cost.
                tracing::warn!(error = %e, "could not forget a refused upload");
            }
            Redirect::to(to).into_response()
        }
        Err(AppError::Invalid(message)) if browser => {
            match service::keep_refused(&session, message, &typed).await {
                Ok(id) => {
                    Redirect::to(&format!("/training/courses/new?refused={id}")).into_response()
                }
                Err(e) => error_response(e, browser),
            }
        }
        Err(e) => error_response(e, browser),
    }
}

/// Read the form as it arrives. The file is kept only while it is within the limit: past
/// it, its bytes are dropped and the rest of the field (at most the little the body
/// limit allows) is read and thrown away, so the browser gets the answer.
async fn read(mut multipart: Multipart) -> Result<(Fields, Received), AppError> {
    let mut typed = Fields::default();
    let mut file = Received::default();
    let mut seen_file = false;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "certificate" {
            if seen_file {
                return Err(AppError::invalid("Choose one certificate file."));
            }
            seen_file = true;
            file.name = field.file_name().unwrap_or_default().to_string();
            // A form sent without a file chosen has an empty part with an empty name.
            file.chosen = !file.name.is_empty();
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                if file.too_large {
                    continue;
                }
                if file.bytes.len() + chunk.len() > MAX_FILE_BYTES {
                    file.too_large = true;
                    file.bytes = Vec::new();
                    continue;
                }
                file.bytes.extend_from_slice(&chunk);
            }
            file.chosen |= !file.bytes.is_empty() || file.too_large;
        } else {
            let mut value = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                if value.len() + chunk.len() > MAX_FIELD_BYTES {
                    return Err(AppError::invalid(
                        "One of the fields is far too long. Check what was typed.",
                    ));
                }
                value.extend_from_slice(&chunk);
            }
            let value = String::from_utf8(value)
                .map_err(|_| AppError::BadRequest(format!("{name} is not text")))?;
            typed.set(&name, value);
        }
    }
    Ok((typed, file))
}

/// A body that broke off or passed the limit.
fn unreadable(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::invalid(format!(
            "The certificate file is larger than {} MB. Choose a smaller file.",
            MAX_FILE_BYTES / (1024 * 1024)
        ))
    } else {
        AppError::BadRequest(format!("the form could not be read: {}", e.body_text()))
    }
}

/// `GET /training/courses/{id}/certificate`: the file as a download, to those who may see
/// it; 404 for everyone else, signed in or not, so nobody learns that a course exists.
async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "We could not find that.").into_response();
    let user = match guard::user_of_session(&state, &session).await {
        Ok(Some(user)) => user,
        Ok(None) => return not_found(),
        Err(e) => return error_response(e, true),
    };
    let id = ExternalCourseId::from_param(id);
    let file = match service::certificate_for(&state, &user, &id).await {
        Ok(Some(file)) => file,
        Ok(None) => return not_found(),
        Err(e) => return error_response(e, true),
    };
    let Some(kind) = super::evidence::FileKind::from_content_type(&file.content_type) else {
        return error_response(
            AppError::internal("a stored file has an unknown type"),
            true,
        );
    };
    (
        [
            (header::CONTENT_TYPE, kind.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                super::evidence::content_disposition(&file.file_name, kind),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        file.bytes,
    )
        .into_response()
}
