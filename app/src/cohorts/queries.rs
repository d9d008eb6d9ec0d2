//! The data layer for cohorts. Every query names the organisation it is about; the pages'
//! reads are a fixed number of queries whatever the number of learners.

use crate::db::{self, Db};
use crate::ids::{CohortId, ModuleSlug, OrganisationId, PersonId};
use crate::learning::queries::ProgressRow;
use crate::people::queries::{like_pattern, Sql};
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CohortRow {
    pub id: CohortId,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub learners: i64,
    /// Whether the person asking is one of its tutors.
    pub taught: i64,
}

const COHORT_COLUMNS: &str = "SELECT c.id, c.name, c.starts_on, c.ends_on,
        (SELECT COUNT(*) FROM cohort_learners m WHERE m.cohort_id = c.id AND m.left_at IS NULL) AS learners,
        (SELECT COUNT(*) FROM cohort_tutors t WHERE t.cohort_id = c.id AND t.user_id = $2) AS taught
     FROM cohorts c";

/// The organisation's cohorts by start day (newest first) then name; `only_taught` keeps
/// those `asker` teaches.
pub async fn cohorts(
    db: &Db,
    org_id: &OrganisationId,
    asker: &PersonId,
    only_taught: bool,
) -> Result<Vec<CohortRow>, sqlx::Error> {
    let rows: Vec<CohortRow> = sqlx::query_as(&format!(
        "{COHORT_COLUMNS} WHERE c.org_id = $1 ORDER BY c.starts_on DESC, c.name, c.id"
    ))
    .bind(org_id)
    .bind(asker)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| !only_taught || r.taught > 0)
        .collect())
}

/// One cohort of the organisation, if it exists there.
pub async fn cohort(
    db: &Db,
    org_id: &OrganisationId,
    cohort_id: &CohortId,
    asker: &PersonId,
) -> Result<Option<CohortRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{COHORT_COLUMNS} WHERE c.org_id = $1 AND c.id = $3"
    ))
    .bind(org_id)
    .bind(asker)
    .bind(cohort_id)
    .fetch_optional(db)
    .await
}

/// The tutors of the organisation's cohorts (or of one), as (cohort, name), by name.
pub async fn tutors(
    db: &Db,
    org_id: &OrganisationId,
    only: Option<&CohortId>,
) -> Result<Vec<(CohortId, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.cohort_id, u.full_name FROM cohort_tutors t JOIN users u ON u.id = t.user_id
         WHERE t.org_id = $1 AND ($2 IS NULL OR t.cohort_id = $2) ORDER BY u.full_name, u.id",
    )
    .bind(org_id)
    .bind(only)
    .fetch_all(db)
    .await
}

pub async fn insert_cohort(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    name: &str,
    starts_on: &str,
    ends_on: &str,
    by: &PersonId,
) -> Result<Option<CohortId>, sqlx::Error> {
    let id = CohortId::generate();
    let done = sqlx::query(
        "INSERT INTO cohorts (id, org_id, name, starts_on, ends_on, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, name) DO NOTHING",
    )
    .bind(&id)
    .bind(org_id)
    .bind(name)
    .bind(starts_on)
    .bind(ends_on)
    .bind(db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(id))
}

/// The active person of the organisation with this email and role, if any.
pub async fn person_with_role(
    db: &Db,
    org_id: &OrganisationId,
    email: &str,
    role: &str,
) -> Result<Option<PersonId>, sqlx::Error> {
    let found: Option<(PersonId,)> = sqlx::query_as(
        "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = $3
         WHERE u.org_id = $1 AND u.email = $2 AND u.deactivated_at IS NULL",
    )
    .bind(org_id)
    .bind(email)
    .bind(role)
    .fetch_optional(db)
    .await?;
    Ok(found.map(|(id,)| id))
}

pub async fn add_tutor(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    cohort_id: &CohortId,
    tutor: &PersonId,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cohort_tutors (cohort_id, user_id, org_id, added_at, added_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (cohort_id, user_id) DO NOTHING",
    )
    .bind(cohort_id)
    .bind(tutor)
    .bind(org_id)
    .bind(db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Put the learner in the cohort (ending their time in any other) and record their
/// start date. Their progress is theirs and is not touched.
pub async fn enrol(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    cohort_id: &CohortId,
    learner: &PersonId,
    start_on: &str,
    due_on: &str,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    let now = db::now();
    sqlx::query(
        "UPDATE cohort_learners SET left_at = $3
         WHERE user_id = $1 AND left_at IS NULL AND cohort_id <> $2",
    )
    .bind(learner)
    .bind(cohort_id)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO cohort_learners (cohort_id, user_id, org_id, joined_at, added_by)
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (
             SELECT 1 FROM cohort_learners WHERE cohort_id = $1 AND user_id = $2 AND left_at IS NULL)",
    )
    .bind(cohort_id)
    .bind(learner)
    .bind(org_id)
    .bind(&now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO learner_records (user_id, org_id, start_on, due_on, updated_at, updated_by)
         VALUES ($1, $2, $3, $6, $4, $5)
         ON CONFLICT (user_id) DO UPDATE SET start_on = $3, due_on = $6, updated_at = $4,
             updated_by = $5",
    )
    .bind(learner)
    .bind(org_id)
    .bind(start_on)
    .bind(&now)
    .bind(by)
    .bind(due_on)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How many days after their start a learner's induction is due, in this organisation.
pub async fn induction_days(db: &Db, org_id: &OrganisationId) -> Result<i64, sqlx::Error> {
    let (days,): (i64,) = sqlx::query_as("SELECT induction_days FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_one(db)
        .await?;
    Ok(days)
}

/// One learner of the cohort with their progress in one module (no module: none yet).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GridLine {
    pub learner_id: PersonId,
    pub full_name: String,
    pub due_on: Option<String>,
    pub last_active: Option<String>,
    pub module_id: Option<ModuleSlug>,
    pub sections_read: Option<i64>,
    pub attempts_started: Option<i64>,
    pub best_score: Option<i64>,
    pub best_total: Option<i64>,
    pub passed_at: Option<String>,
}

impl GridLine {
    /// The learner's progress row for the line's module, if they have one.
    pub fn progress(&self) -> Option<ProgressRow> {
        Some(ProgressRow {
            module_id: self.module_id.clone()?,
            sections_read: self.sections_read.unwrap_or(0),
            attempts_started: self.attempts_started.unwrap_or(0),
            best_score: self.best_score,
            best_total: self.best_total,
            passed_at: self.passed_at.clone(),
        })
    }
}

/// Which learners the grid shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    Everyone,
    /// Past their due day with a module still to pass.
    Behind,
    NotStarted,
    /// Every module passed.
    Complete,
}

/// What the grid is sorted by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortBy {
    Name,
    Due,
    LastActive,
    Passed,
    /// Not started, then in progress, then passed.
    Module(ModuleSlug),
}

/// One page of a cohort's grid, as asked for.
pub struct GridQuery<'a> {
    pub org_id: &'a OrganisationId,
    pub cohort_id: &'a CohortId,
    /// The grid's columns: the modules that count.
    pub modules: &'a [ModuleSlug],
    pub today: &'a str,
    pub show: Show,
    pub search: &'a str,
    pub sort: &'a SortBy,
    pub descending: bool,
    pub offset: u64,
    pub limit: u32,
}

/// The cohort's current learners with what the filters and sorting need, one row each
/// (as `l`): passed, started and sort_rank (the sorted module's state, 0 to 2).
fn learners(sql: &mut Sql, q: &GridQuery<'_>, with_search: bool) {
    let module_sorted = match q.sort {
        SortBy::Module(m) => m.as_str(),
        _ => "",
    };
    sql.push(
        "(SELECT u.id AS learner_id, u.full_name, r.due_on,
            (SELECT MAX(p.last_active_at) FROM module_progress p WHERE p.user_id = u.id) AS last_active,
            (SELECT COUNT(*) FROM module_progress p WHERE p.user_id = u.id
               AND p.passed_at IS NOT NULL AND p.module_id ",
    )
    .bind_in(q.modules)
    .push(
        ") AS passed,
            (SELECT COUNT(*) FROM module_progress p WHERE p.user_id = u.id
               AND (p.sections_read > 0 OR p.attempts_started > 0) AND p.module_id ",
    )
    .bind_in(q.modules)
    .push(
        ") AS started,
            COALESCE((SELECT CASE WHEN p.passed_at IS NOT NULL THEN 2
                                  WHEN p.sections_read > 0 OR p.attempts_started > 0 THEN 1
                                  ELSE 0 END
                      FROM module_progress p WHERE p.user_id = u.id AND p.module_id = ",
    )
    .bind(module_sorted)
    .push(
        "), 0) AS sort_rank
         FROM cohort_learners m
         JOIN users u ON u.id = m.user_id
         LEFT JOIN learner_records r ON r.user_id = m.user_id
         WHERE m.cohort_id = ",
    )
    .bind(q.cohort_id.as_str())
    .push(" AND m.org_id = ")
    .bind(q.org_id.as_str())
    .push(" AND m.left_at IS NULL");
    let search = q.search.trim();
    if with_search && !search.is_empty() {
        sql.push(" AND LOWER(u.full_name) LIKE ")
            .bind(&like_pattern(search))
            .push(" ESCAPE '\\'");
    }
    sql.push(") l");
}

/// ` WHERE ...` keeping the learners `show` asks for.
fn shown(sql: &mut Sql, q: &GridQuery<'_>) {
    let all = q.modules.len().to_string();
    match q.show {
        Show::Everyone => sql.push(" WHERE 1 = 1"),
        Show::Behind => sql
            .push(" WHERE l.due_on < ")
            .bind(q.today)
            .push(&format!(" AND l.passed < {all}")),
        Show::NotStarted => sql.push(" WHERE l.started = 0"),
        Show::Complete => sql.push(&format!(" WHERE l.passed >= {all}")),
    };
}

/// The whole cohort at a glance: learners, behind, not started, complete; and how many
/// match the filter and search (for paging). One query.
pub async fn grid_counts(db: &Db, q: &GridQuery<'_>) -> Result<[i64; 5], sqlx::Error> {
    let all = q.modules.len().to_string();
    let mut sql = Sql::default();
    sql.push("SELECT COUNT(*), COALESCE(SUM(CASE WHEN l.due_on < ")
        .bind(q.today)
        .push(&format!(
            " AND l.passed < {all} THEN 1 ELSE 0 END), 0),
             COALESCE(SUM(CASE WHEN l.started = 0 THEN 1 ELSE 0 END), 0),
             COALESCE(SUM(CASE WHEN l.passed >= {all} THEN 1 ELSE 0 END), 0) FROM "
        ));
    learners(&mut sql, q, false);
    let mut matching = Sql::default();
    matching.push("SELECT COUNT(*) FROM ");
    learners(&mut matching, q, true);
    shown(&mut matching, q);
    let totals: Vec<(i64, i64, i64, i64)> = sql.fetch_all(db).await?;
    let (everyone, behind, not_started, complete) = totals.first().copied().unwrap_or_default();
    let matched = i64::try_from(matching.count(db).await?).unwrap_or(i64::MAX);
    Ok([everyone, behind, not_started, complete, matched])
}

/// One page of the grid: the learners the query asks for, in its order, each with their
/// progress rows. One query whatever the cohort's size.
pub async fn grid(db: &Db, q: &GridQuery<'_>) -> Result<Vec<GridLine>, sqlx::Error> {
    let direction = if q.descending { "DESC" } else { "ASC" };
    let key = match q.sort {
        SortBy::Name => "LOWER(l.full_name)",
        SortBy::Due => "COALESCE(l.due_on, '9999-12-31')",
        SortBy::LastActive => "COALESCE(l.last_active, '')",
        SortBy::Passed => "l.passed",
        SortBy::Module(_) => "l.sort_rank",
    };
    let order = format!("{key} {direction}, LOWER(l.full_name), l.learner_id");
    let mut sql = Sql::default();
    sql.push(
        "SELECT l.learner_id, l.full_name, l.due_on, l.last_active, p.module_id,
                p.sections_read, p.attempts_started, p.best_score, p.best_total, p.passed_at
         FROM (SELECT * FROM ",
    );
    learners(&mut sql, q, true);
    shown(&mut sql, q);
    // Numbers we computed and a fixed list of sort keys, not text from the request.
    sql.push(&format!(
        " ORDER BY {order} LIMIT {} OFFSET {}) l
         LEFT JOIN module_progress p ON p.user_id = l.learner_id
         ORDER BY {order}",
        q.limit, q.offset
    ));
    sql.fetch_all(db).await
}
