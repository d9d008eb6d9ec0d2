//! The data layer for modules: the organisation's choices, reading progress, quiz attempts
//! and certificates. Every query names the person or organisation it is about.

use crate::db::{self, Db};
use crate::ids::{AttemptId, ModuleSlug, OrganisationId, PersonId, SectionSlug};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SettingRow {
    pub module_id: ModuleSlug,
    pub switched_off_at: Option<String>,
    pub pass_mark: Option<i64>,
}

/// The organisation's module settings (switched off, pass mark), by module.
pub async fn module_settings(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<HashMap<ModuleSlug, SettingRow>, sqlx::Error> {
    let rows: Vec<SettingRow> = sqlx::query_as(
        "SELECT module_id, switched_off_at, pass_mark FROM module_settings WHERE org_id = $1",
    )
    .bind(org_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.module_id.clone(), r)).collect())
}

/// Make sure the organisation has a settings row for the module, so the updates below
/// only ever change one column.
async fn ensure_setting(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    module_id: &ModuleSlug,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO module_settings (org_id, module_id, switched_off_at, pass_mark, updated_at, updated_by)
         VALUES ($1, $2, NULL, NULL, $3, $4) ON CONFLICT (org_id, module_id) DO NOTHING",
    )
    .bind(org_id)
    .bind(module_id)
    .bind(db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_switched_off(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    module_id: &ModuleSlug,
    off: bool,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    ensure_setting(conn, org_id, module_id, by).await?;
    let now = db::now();
    sqlx::query(
        "UPDATE module_settings SET switched_off_at = $3, updated_at = $4, updated_by = $5
         WHERE org_id = $1 AND module_id = $2",
    )
    .bind(org_id)
    .bind(module_id)
    .bind(off.then_some(now.clone()))
    .bind(&now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_pass_mark(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    module_id: &ModuleSlug,
    pass_mark: u8,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    ensure_setting(conn, org_id, module_id, by).await?;
    sqlx::query(
        "UPDATE module_settings SET pass_mark = $3, updated_at = $4, updated_by = $5
         WHERE org_id = $1 AND module_id = $2",
    )
    .bind(org_id)
    .bind(module_id)
    .bind(i64::from(pass_mark))
    .bind(db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnModuleRow {
    pub module_id: ModuleSlug,
    pub module_text: String,
    pub quiz_text: String,
}

pub async fn own_modules(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Vec<OwnModuleRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT module_id, module_text, quiz_text FROM organisation_modules WHERE org_id = $1",
    )
    .bind(org_id)
    .fetch_all(db)
    .await
}

/// How many own modules the organisation has and their total size in bytes, leaving out
/// `except_id` (the one being replaced).
pub async fn own_modules_size(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    except_id: &ModuleSlug,
) -> Result<(i64, i64), sqlx::Error> {
    let (count, bytes): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), SUM(LENGTH(module_text) + LENGTH(quiz_text)) FROM organisation_modules
         WHERE org_id = $1 AND module_id <> $2",
    )
    .bind(org_id)
    .bind(except_id)
    .fetch_one(conn)
    .await?;
    Ok((count, bytes.unwrap_or(0)))
}

/// Add the organisation's module, or replace its texts. Returns true when it was new.
pub async fn save_own_module(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    module_id: &ModuleSlug,
    module_text: &str,
    quiz_text: &str,
    by: &PersonId,
) -> Result<bool, sqlx::Error> {
    let now = db::now();
    let updated = sqlx::query(
        "UPDATE organisation_modules SET module_text = $3, quiz_text = $4, updated_at = $5, updated_by = $6
         WHERE org_id = $1 AND module_id = $2",
    )
    .bind(org_id)
    .bind(module_id)
    .bind(module_text)
    .bind(quiz_text)
    .bind(&now)
    .bind(by)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated > 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO organisation_modules (org_id, module_id, module_text, quiz_text, created_at, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(org_id)
    .bind(module_id)
    .bind(module_text)
    .bind(quiz_text)
    .bind(&now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(true)
}

/// The sections of one module a person has read.
pub async fn sections_read(
    db: &Db,
    user_id: &PersonId,
    module_id: &ModuleSlug,
) -> Result<HashSet<SectionSlug>, sqlx::Error> {
    let rows: Vec<(SectionSlug,)> = sqlx::query_as(
        "SELECT section_id FROM section_progress WHERE user_id = $1 AND module_id = $2",
    )
    .bind(user_id)
    .bind(module_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(section_id,)| section_id).collect())
}

/// A person's progress in one module, as the database keeps it (migration 22).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProgressRow {
    pub module_id: ModuleSlug,
    pub sections_read: i64,
    pub attempts_started: i64,
    pub best_score: Option<i64>,
    pub best_total: Option<i64>,
    pub passed_at: Option<String>,
}

/// A person's progress in every module they have touched: one row each, one round trip.
pub async fn progress_of(
    db: &Db,
    user_id: &PersonId,
) -> Result<HashMap<ModuleSlug, ProgressRow>, sqlx::Error> {
    let rows: Vec<ProgressRow> = sqlx::query_as(
        "SELECT module_id, sections_read, attempts_started, best_score, best_total, passed_at
         FROM module_progress WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.module_id.clone(), r)).collect())
}

pub async fn mark_read(
    db: &Db,
    org_id: &OrganisationId,
    user_id: &PersonId,
    module_id: &ModuleSlug,
    section_id: &SectionSlug,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO section_progress (user_id, org_id, module_id, section_id, read_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, module_id, section_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(org_id)
    .bind(module_id)
    .bind(section_id)
    .bind(db::now())
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: AttemptId,
    pub org_id: OrganisationId,
    pub user_id: PersonId,
    pub module_id: ModuleSlug,
    pub module_version: i64,
    pub option_order: String,
    pub started_at: String,
    pub submitted_at: Option<String>,
    pub answers: Option<String>,
    pub score: Option<i64>,
    pub total: Option<i64>,
    pub pass_mark: Option<i64>,
    pub passed_at: Option<String>,
}

const ATTEMPT_COLUMNS: &str =
    "id, org_id, user_id, module_id, module_version, option_order, started_at, \
     submitted_at, answers, score, total, pass_mark, passed_at";

/// One attempt, only if it is `user_id`'s own.
pub async fn attempt_of(
    db: &Db,
    attempt_id: &AttemptId,
    user_id: &PersonId,
) -> Result<Option<AttemptRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE id = $1 AND user_id = $2"
    ))
    .bind(attempt_id)
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// A person's attempts at one module, oldest first.
pub async fn attempts_at(
    db: &Db,
    user_id: &PersonId,
    module_id: &ModuleSlug,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE user_id = $1 AND module_id = $2
         ORDER BY started_at, id"
    ))
    .bind(user_id)
    .bind(module_id)
    .fetch_all(db)
    .await
}

/// A module's attempts (as [`attempts_at`]) with the code of the certificate its first
/// pass earned, in one round trip for the module page.
pub async fn attempts_and_certificate_at(
    db: &Db,
    user_id: &PersonId,
    module_id: &ModuleSlug,
) -> Result<(Vec<AttemptRow>, Option<String>), sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        attempt: AttemptRow,
        certificate_code: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS},
                (SELECT c.code FROM certificates c WHERE c.attempt_id = quiz_attempts.id)
                  AS certificate_code
         FROM quiz_attempts WHERE user_id = $1 AND module_id = $2
         ORDER BY started_at, id"
    ))
    .bind(user_id)
    .bind(module_id)
    .fetch_all(db)
    .await?;
    let code = rows.iter().find_map(|r| r.certificate_code.clone());
    Ok((rows.into_iter().map(|r| r.attempt).collect(), code))
}

pub async fn insert_attempt(db: &Db, row: &AttemptRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO quiz_attempts (id, org_id, user_id, module_id, module_version, option_order, started_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.id)
    .bind(&row.org_id)
    .bind(&row.user_id)
    .bind(&row.module_id)
    .bind(row.module_version)
    .bind(&row.option_order)
    .bind(&row.started_at)
    .execute(db)
    .await?;
    Ok(())
}

/// An open attempt whose module has changed since it was opened: it was never submitted,
/// so nothing anyone acknowledged is lost.
pub async fn discard_open_attempt(db: &Db, attempt_id: &AttemptId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM quiz_attempts WHERE id = $1 AND submitted_at IS NULL")
        .bind(attempt_id)
        .execute(db)
        .await?;
    Ok(())
}

pub struct Submission<'a> {
    pub attempt_id: &'a AttemptId,
    pub answers_json: &'a str,
    pub score: i64,
    pub total: i64,
    pub pass_mark: i64,
    pub passed: bool,
}

/// Record the answers once: false when the attempt had already been submitted.
pub async fn submit(conn: &mut AnyConnection, s: &Submission<'_>) -> Result<bool, sqlx::Error> {
    let now = db::now();
    let done = sqlx::query(
        "UPDATE quiz_attempts SET submitted_at = $2, answers = $3, score = $4, total = $5,
             pass_mark = $6, passed_at = $7
         WHERE id = $1 AND submitted_at IS NULL",
    )
    .bind(s.attempt_id)
    .bind(&now)
    .bind(s.answers_json)
    .bind(s.score)
    .bind(s.total)
    .bind(s.pass_mark)
    .bind(s.passed.then_some(now.clone()))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CertificateRow {
    pub code: String,
    pub org_id: OrganisationId,
    pub user_id: PersonId,
    pub module_id: ModuleSlug,
    pub module_title: String,
    pub attempt_id: AttemptId,
    pub holder_name: String,
    pub score: i64,
    pub total: i64,
    pub issued_at: String,
}

const CERTIFICATE_COLUMNS: &str =
    "code, org_id, user_id, module_id, module_title, attempt_id, holder_name, score, total, issued_at";

pub async fn certificate_by_code(
    db: &Db,
    code: &str,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(db)
    .await
}

pub async fn certificates_of(
    db: &Db,
    user_id: &PersonId,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE user_id = $1"
    ))
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// Issue the certificate for a first pass; a later pass keeps the first certificate.
pub async fn issue_certificate(
    conn: &mut AnyConnection,
    row: &CertificateRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO certificates (code, org_id, user_id, module_id, module_title, attempt_id, holder_name, score, total, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (user_id, module_id) DO NOTHING",
    )
    .bind(&row.code)
    .bind(&row.org_id)
    .bind(&row.user_id)
    .bind(&row.module_id)
    .bind(&row.module_title)
    .bind(&row.attempt_id)
    .bind(&row.holder_name)
    .bind(row.score)
    .bind(row.total)
    .bind(&row.issued_at)
    .execute(conn)
    .await?;
    Ok(())
}
