//! All the SQL for external courses. Every query takes the organisation, so one can never
//! read or change another's. Each page costs a fixed number of queries whatever the data.

use super::types::{
    AwaitingCourse, CourseRecord, CourseState, PersonChoice, RequirementChoice, PER_PAGE,
};
use crate::calendar::{self, day_key};
use crate::db::{self, Db};
use crate::ids::{
    CompletionId, EvidenceFileId, ExternalCourseId, OrganisationId, PersonId, RequirementId,
};
use crate::people::Paging;
use chrono::NaiveDate;
use sqlx::AnyConnection;

/// A stored time as its London day, `YYYY-MM-DD` (empty if unreadable).
fn london_day(stored: &str) -> String {
    db::parse_timestamp(stored)
        .map(|at| day_key(calendar::today_at(at)))
        .unwrap_or_default()
}

/// ` AND` the user `u` holds a role other than learner and their account is open.
const ACTIVE_STAFF: &str = " AND u.deactivated_at IS NULL AND EXISTS (SELECT 1 FROM user_roles r
     WHERE r.user_id = u.id AND r.org_id = u.org_id AND r.role <> 'learner')";

/// The organisation's requirements in force that an external course meets, in order.
pub async fn course_requirements(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Vec<RequirementChoice>, sqlx::Error> {
    let rows: Vec<(RequirementId, String)> = sqlx::query_as(
        "SELECT id, name FROM training_requirements
         WHERE org_id = $1 AND retired_at IS NULL AND satisfied_by = 'external-course'
         ORDER BY position, name, id",
    )
    .bind(org_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| RequirementChoice { id, name })
        .collect())
}

/// The name of one such requirement, if it is one.
pub async fn course_requirement(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &RequirementId,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM training_requirements
         WHERE org_id = $1 AND id = $2 AND retired_at IS NULL
           AND satisfied_by = 'external-course'",
    )
    .bind(org_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(name,)| name))
}

/// The organisation's staff with open accounts, by name.
pub async fn staff_choices(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Vec<PersonChoice>, sqlx::Error> {
    let rows: Vec<(PersonId, String, String)> = sqlx::query_as(&format!(
        "SELECT u.id, u.full_name, u.email FROM users u WHERE u.org_id = $1{ACTIVE_STAFF}
         ORDER BY u.full_name, u.email, u.id"
    ))
    .bind(org_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, full_name, email)| PersonChoice {
            id,
            full_name,
            email,
        })
        .collect())
}

/// The name of a member of staff of the organisation with an open account.
pub async fn staff_member(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &PersonId,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT u.full_name FROM users u WHERE u.org_id = $1 AND u.id = $2{ACTIVE_STAFF}"
    ))
    .bind(org_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(name,)| name))
}

/// A certificate file to keep.
pub struct NewEvidence<'a> {
    pub org_id: &'a OrganisationId,
    pub content_type: &'a str,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
    pub uploaded_by: &'a PersonId,
}

pub async fn insert_evidence(
    conn: &mut AnyConnection,
    file: &NewEvidence<'_>,
) -> Result<EvidenceFileId, sqlx::Error> {
    let id = EvidenceFileId::generate();
    let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO evidence_files
            (id, org_id, content_type, size_bytes, file_name, sha256, bytes, uploaded_by,
             uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(file.org_id)
    .bind(file.content_type)
    .bind(size)
    .bind(file.file_name)
    .bind(file.sha256)
    .bind(file.bytes.to_vec())
    .bind(file.uploaded_by)
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(id)
}

/// A course to record.
pub struct NewCourse<'a> {
    pub org_id: &'a OrganisationId,
    pub user_id: &'a PersonId,
    pub requirement_id: &'a RequirementId,
    pub provider: &'a str,
    pub title: &'a str,
    pub completed_on: NaiveDate,
    pub hours_tenths: i64,
    pub evidence_id: &'a EvidenceFileId,
    pub recorded_by: &'a PersonId,
}

pub async fn insert_course(
    conn: &mut AnyConnection,
    course: &NewCourse<'_>,
) -> Result<ExternalCourseId, sqlx::Error> {
    let id = ExternalCourseId::generate();
    sqlx::query(
        "INSERT INTO external_courses
            (id, org_id, user_id, requirement_id, provider, title, completed_on, hours_tenths,
             evidence_id, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(course.org_id)
    .bind(course.user_id)
    .bind(course.requirement_id)
    .bind(course.provider)
    .bind(course.title)
    .bind(day_key(course.completed_on))
    .bind(course.hours_tenths)
    .bind(course.evidence_id)
    .bind(course.recorded_by)
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(id)
}

type CourseRow = (
    ExternalCourseId,
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A person's own courses, newest first, with where each stands.
pub async fn courses_of(
    db: &Db,
    org_id: &OrganisationId,
    user_id: &PersonId,
) -> Result<Vec<CourseRecord>, sqlx::Error> {
    let rows: Vec<CourseRow> = sqlx::query_as(
        "SELECT c.id, t.name, c.provider, c.title, c.completed_on, c.hours_tenths, f.file_name,
                v.decision, v.reason, v.reviewed_at
         FROM external_courses c
         JOIN training_requirements t ON t.id = c.requirement_id AND t.org_id = c.org_id
         JOIN evidence_files f ON f.id = c.evidence_id AND f.org_id = c.org_id
         LEFT JOIN external_course_reviews v ON v.course_id = c.id AND v.org_id = c.org_id
         WHERE c.org_id = $1 AND c.user_id = $2
         ORDER BY c.recorded_at DESC, c.id",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CourseRecord {
            id: r.0,
            requirement: r.1,
            provider: r.2,
            title: r.3,
            completed_on: r.4,
            hours_tenths: r.5,
            file_name: r.6,
            state: match r.7.as_deref() {
                Some("verified") => CourseState::Verified,
                Some(_) => CourseState::Rejected,
                None => CourseState::AwaitingCheck,
            },
            reason: r.8,
            decided_on: r.9.as_deref().map(london_day),
        })
        .collect())
}

const AWAITING: &str = " FROM external_courses c
     JOIN users u ON u.id = c.user_id AND u.org_id = c.org_id
     JOIN training_requirements t ON t.id = c.requirement_id AND t.org_id = c.org_id
     JOIN evidence_files f ON f.id = c.evidence_id AND f.org_id = c.org_id
     WHERE c.org_id = $1
       AND NOT EXISTS (SELECT 1 FROM external_course_reviews v WHERE v.course_id = c.id)";

type AwaitingRow = (
    ExternalCourseId,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    i64,
    String,
);

/// One page of the courses awaiting a check, oldest first: two queries.
pub async fn awaiting(
    db: &Db,
    org_id: &OrganisationId,
    page: u32,
) -> Result<(Vec<AwaitingCourse>, Paging), sqlx::Error> {
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*){AWAITING}"))
        .bind(org_id)
        .fetch_one(db)
        .await?;
    let paging = Paging::new(page, PER_PAGE, u64::try_from(total).unwrap_or(0));
    let rows: Vec<AwaitingRow> = sqlx::query_as(&format!(
        "SELECT c.id, u.full_name, u.email, t.name, c.provider, c.title, c.completed_on,
                c.hours_tenths, f.file_name, f.size_bytes, c.recorded_at{AWAITING}
         ORDER BY c.recorded_at, c.id LIMIT $2 OFFSET $3"
    ))
    .bind(org_id)
    .bind(i64::from(paging.per_page))
    .bind(i64::try_from(paging.offset()).unwrap_or(i64::MAX))
    .fetch_all(db)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| AwaitingCourse {
            id: r.0,
            person: r.1,
            email: r.2,
            requirement: r.3,
            provider: r.4,
            title: r.5,
            completed_on: r.6,
            hours_tenths: r.7,
            file_name: r.8,
            size_bytes: r.9,
            recorded_on: london_day(&r.10),
        })
        .collect();
    Ok((rows, paging))
}

/// What a decision on a course needs to know about it.
#[derive(Debug, sqlx::FromRow)]
pub struct ToDecide {
    pub user_id: PersonId,
    pub requirement_id: RequirementId,
    pub completed_on: String,
    pub title: String,
    /// "verified" or "rejected" once decided.
    pub decision: Option<String>,
}

pub async fn to_decide(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &ExternalCourseId,
) -> Result<Option<ToDecide>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.user_id, c.requirement_id, c.completed_on, c.title, v.decision
         FROM external_courses c
         LEFT JOIN external_course_reviews v ON v.course_id = c.id
         WHERE c.org_id = $1 AND c.id = $2",
    )
    .bind(org_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A decision to record.
pub struct NewReview<'a> {
    pub org_id: &'a OrganisationId,
    pub course_id: &'a ExternalCourseId,
    pub verified: bool,
    pub reason: Option<&'a str>,
    pub completion_id: Option<&'a CompletionId>,
    pub reviewed_by: &'a PersonId,
}

/// Record the decision; a second decision on the same course breaks the unique rule.
pub async fn insert_review(
    conn: &mut AnyConnection,
    review: &NewReview<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO external_course_reviews
            (id, org_id, course_id, decision, reason, completion_id, reviewed_by, reviewed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(db::new_id())
    .bind(review.org_id)
    .bind(review.course_id)
    .bind(if review.verified {
        "verified"
    } else {
        "rejected"
    })
    .bind(review.reason)
    .bind(review.completion_id)
    .bind(review.reviewed_by)
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(())
}
