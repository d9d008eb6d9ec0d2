//! The rules for external courses. Every function starts with the guard and works only
//! inside the asker's own organisation: another organisation's course or person is "not
//! found", whatever its id.

use super::evidence::sha256_hex;
use super::file_queries;
use super::input::{self, Fields, Received};
use super::queries::{self, NewCourse, NewEvidence, NewReview};
use super::types::{AwaitingList, CourseForm, CourseRecord, Refused};
use crate::auth::{guard, Capability, CurrentUser};
use crate::calendar;
use crate::error::AppError;
use crate::ids::{ExternalCourseId, PersonId};
use crate::state::{app_state, AppState};
use crate::training::queries::{record_completion, NewCompletion};
use crate::training::CompletionSource;
use crate::{audit, db};

/// The session key under which a refused upload waits for its form.
const REFUSED_KEY: &str = "course_upload_refused";
/// The longest reason for a rejection.
const MAX_REASON_CHARS: usize = 1000;

pub async fn mine() -> Result<Vec<CourseRecord>, AppError> {
    let user = guard::allowed(Capability::RecordExternalCourses).await?;
    let state = app_state()?;
    Ok(queries::courses_of(&state.db, &user.org_id, &user.id).await?)
}

/// The form, with a refused upload's message and typed fields when `refused` names the
/// one waiting in the session. It stays there (a page may load its data more than once
/// while rendering) until the next refusal replaces it or an upload succeeds.
pub async fn form(refused: Option<String>) -> Result<CourseForm, AppError> {
    let user = guard::allowed(Capability::RecordExternalCourses).await?;
    let state = app_state()?;
    let requirements = queries::course_requirements(&state.db, &user.org_id).await?;
    let people = if user.can(Capability::VerifyTraining) {
        queries::staff_choices(&state.db, &user.org_id).await?
    } else {
        Vec::new()
    };
    let refused = match refused {
        Some(id) => waiting_refused(&id).await?,
        None => None,
    };
    Ok(CourseForm {
        me: user.id,
        requirements,
        people,
        refused,
    })
}

async fn waiting_refused(id: &str) -> Result<Option<Refused>, AppError> {
    let session = guard::session().await?;
    let waiting: Option<Refused> = session.get(REFUSED_KEY).await.ok().flatten();
    Ok(waiting.filter(|refused| refused.id == id))
}

/// An upload went through: a refusal shown before it is no longer shown.
pub async fn forget_refused(session: &tower_sessions::Session) -> Result<(), AppError> {
    // Looked at first: removing marks the session changed, which would save it for nothing.
    if session.get_value(REFUSED_KEY).await?.is_some() {
        session.remove_value(REFUSED_KEY).await?;
    }
    Ok(())
}

/// Keep a refused upload for the form's next view; answers the id its address carries.
pub async fn keep_refused(
    session: &tower_sessions::Session,
    message: String,
    typed: &Fields,
) -> Result<String, AppError> {
    let id = db::new_id();
    let refused = Refused {
        id: id.clone(),
        message,
        fields: crate::ui::typed::keepable(typed.pairs()),
    };
    session.insert(REFUSED_KEY, refused).await?;
    Ok(id)
}

/// Record a course from the upload form; answers where to go next. `user` is signed in
/// and may record courses (the handler checked).
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    typed: &Fields,
    file: &Received,
) -> Result<&'static str, AppError> {
    let chosen = typed.person_id.trim();
    let for_someone = !chosen.is_empty() && chosen != user.id.as_str();
    if for_someone && !user.can(Capability::VerifyTraining) {
        return Err(AppError::Forbidden);
    }
    let person_id = if for_someone {
        PersonId::from_param(chosen)
    } else {
        user.id.clone()
    };
    let (course, certificate) =
        input::check(typed, file, calendar::today()).map_err(AppError::Invalid)?;
    let org = &user.org_id;
    let mut tx = db::begin(&state.db).await?;
    let mut problems = Vec::new();
    if queries::staff_member(&mut tx, org, &person_id)
        .await?
        .is_none()
    {
        problems.push(
            "Choose the member of staff from the list: that person is not a member of staff of your organisation.",
        );
    }
    if queries::course_requirement(&mut tx, org, &course.requirement_id)
        .await?
        .is_none()
    {
        problems.push("Choose the requirement from the list: that one is not met by an external course, or is no longer in force.");
    }
    if !problems.is_empty() {
        return Err(AppError::invalid(problems.join("\n")));
    }
    let evidence_id = queries::insert_evidence(
        &mut tx,
        &NewEvidence {
            org_id: org,
            content_type: certificate.kind.content_type(),
            file_name: &certificate.name,
            sha256: &sha256_hex(&certificate.bytes),
            bytes: &certificate.bytes,
            uploaded_by: &user.id,
        },
    )
    .await?;
    let course_id = queries::insert_course(
        &mut tx,
        &NewCourse {
            org_id: org,
            user_id: &person_id,
            requirement_id: &course.requirement_id,
            provider: &course.provider,
            title: &course.title,
            completed_on: course.completed_on,
            hours_tenths: course.hours_tenths,
            evidence_id: &evidence_id,
            recorded_by: &user.id,
        },
    )
    .await?;
    let detail = format!(
        "for {person_id}; {} file of {} bytes",
        certificate.kind.content_type(),
        certificate.bytes.len()
    );
    audit::record(
        &mut tx,
        org,
        Some(&user.id),
        audit::Action::CourseRecorded,
        Some(course_id.as_str()),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(if for_someone {
        "/training/courses/check?done=recorded"
    } else {
        "/training/courses?done=recorded"
    })
}

pub async fn awaiting(page: Option<String>) -> Result<AwaitingList, AppError> {
    let user = guard::allowed(Capability::VerifyTraining).await?;
    let state = app_state()?;
    let page = crate::people::parse_page(page.as_deref());
    let (rows, paging) = queries::awaiting(&state.db, &user.org_id, page).await?;
    Ok(AwaitingList { rows, paging })
}

/// Verify or reject (with `reason`): one decision per course, in one transaction with
/// the completion that verifying adds.
pub async fn decide(course_id: ExternalCourseId, reason: Option<String>) -> Result<(), AppError> {
    let user = guard::allowed(Capability::VerifyTraining).await?;
    let state = app_state()?;
    let org = &user.org_id;
    let mut tx = db::begin(&state.db).await?;
    let course = queries::to_decide(&mut tx, org, &course_id.trimmed())
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = match reason {
        Some(reason) => Some(check_reason(&reason)?),
        None => None,
    };
    if let Some(decision) = &course.decision {
        return Err(AppError::invalid(format!(
            "\"{}\" has already been checked ({decision}). Refresh the list.",
            course.title
        )));
    }
    if course.user_id == user.id {
        return Err(AppError::invalid(format!(
            "\"{}\" is your own course: someone else in the People department, or an administrator, must check it.",
            course.title
        )));
    }
    let course_id = course_id.trimmed();
    let completion_id = match reason {
        Some(_) => None,
        None => {
            let completed_on = calendar::parse_day(&course.completed_on)
                .ok_or_else(|| AppError::internal("a stored course day is unreadable"))?;
            let completion = NewCompletion {
                org_id: org,
                user_id: &course.user_id,
                requirement_id: &course.requirement_id,
                completed_on,
                source: CompletionSource::ExternalCourse,
                reference: Some(course_id.as_str()),
                reason: None,
                recorded_by: Some(&user.id),
            };
            let id = record_completion(&mut tx, &completion)
                .await?
                .ok_or_else(|| AppError::internal("the course's person or requirement is gone"))?;
            Some(id)
        }
    };
    let review = NewReview {
        org_id: org,
        course_id: &course_id,
        verified: completion_id.is_some(),
        reason: reason.as_deref(),
        completion_id: completion_id.as_ref(),
        reviewed_by: &user.id,
    };
    match queries::insert_review(&mut tx, &review).await {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(AppError::invalid(format!(
                "\"{}\" has just been checked by someone else. Refresh the list.",
                course.title
            )))
        }
        other => other?,
    }
    let (action, detail, done) = match &completion_id {
        Some(id) => (
            audit::Action::CourseVerified,
            format!("completion {id}"),
            "verified",
        ),
        None => (
            audit::Action::CourseRejected,
            "rejected with a reason".to_string(),
            "rejected",
        ),
    };
    audit::record(
        &mut tx,
        org,
        Some(&user.id),
        action,
        Some(course_id.as_str()),
        &detail,
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/training/courses/check?done={done}"));
    Ok(())
}

fn check_reason(reason: &str) -> Result<String, AppError> {
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.is_empty() {
        return Err(AppError::invalid(
            "Give a reason for rejecting the course: the member of staff will see it, so say what to do instead.",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::invalid(format!(
            "Give a reason of at most {MAX_REASON_CHARS} characters."
        )));
    }
    if reason.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "The reason contains characters that cannot be used.",
        ));
    }
    Ok(reason)
}

/// A course's certificate for `user`, if they may open it: the person, anyone above them
/// in the line-manager chain, and the People department and administrators. Anyone else
/// (including another organisation) gets `None`, as if there were no such course.
pub async fn certificate_for(
    state: &AppState,
    user: &CurrentUser,
    course_id: &ExternalCourseId,
) -> Result<Option<file_queries::CertificateFile>, AppError> {
    let org = &user.org_id;
    let Some(owner) = file_queries::course_owner(&state.db, org, course_id).await? else {
        return Ok(None);
    };
    let allowed = owner == user.id
        || user.can(Capability::VerifyTraining)
        || file_queries::is_above(&state.db, org, &user.id, &owner).await?;
    if !allowed {
        return Ok(None);
    }
    Ok(file_queries::certificate(&state.db, org, course_id).await?)
}
