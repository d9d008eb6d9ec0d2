//! The cohort grid's SQL: the cohort's learners with their progress rows, filtered,
//! searched, sorted and paged in the database. A fixed number of queries whatever the
//! cohort's size.

use crate::db::Db;
use crate::ids::{CohortId, ModuleSlug, OrganisationId, PersonId};
use crate::learning::queries::ProgressRow;
use crate::people::queries::{like_pattern, Sql};
use crate::policies::report_queries::Signing;

/// One learner of the cohort with their progress in one module (no module: none yet).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GridLine {
    pub learner_id: PersonId,
    pub full_name: String,
    pub due_on: Option<String>,
    pub date_of_birth: Option<String>,
    /// 1 when their signature of the learner policy stands.
    pub signed: i64,
    pub status: String,
    pub break_from: Option<String>,
    pub break_to: Option<String>,
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
    /// Active, past their due day with a module still to pass.
    Behind,
    /// Active, with no module started.
    NotStarted,
    /// Active, every module passed and the learner policy signed.
    Complete,
    /// On a break, withdrawn or completed.
    Inactive,
}

/// What the grid is sorted by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortBy {
    Name,
    Due,
    LastActive,
    Passed,
    Status,
    /// Signed the learner policy or not.
    Policy,
    /// Waiting for a parent, no date of birth, acknowledged, not needed (18 or over).
    Parent,
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
    /// Who stands signed with the learner policy (None: no policy to sign).
    pub signing: Option<&'a Signing>,
    /// Learners born on or before this day are 18 or over today: no parent is asked.
    pub adult_born_by: &'a str,
    pub show: Show,
    pub search: &'a str,
    pub sort: &'a SortBy,
    pub descending: bool,
    pub offset: u64,
    pub limit: u32,
}

/// The cohort's current learners with what the filters and sorting need, one row each
/// (as `l`): status (`active` when none is recorded), passed, started, sort_rank (the
/// sorted module's state, 0 to 2), signed and parent_rank (see [`SortBy::Parent`]).
fn learners(sql: &mut Sql, q: &GridQuery<'_>, with_search: bool) {
    let module_sorted = match q.sort {
        SortBy::Module(m) => m.as_str(),
        _ => "",
    };
    sql.push(
        "(SELECT u.id AS learner_id, u.full_name, r.due_on, u.date_of_birth,
            COALESCE(r.status, 'active') AS status, r.break_from, r.break_to,
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
    .push("), 0) AS sort_rank, ");
    match q.signing {
        Some(signing) => {
            sql.push("CASE WHEN ");
            signing.signed_now(sql);
            sql.push(" THEN 1 ELSE 0 END AS signed")
        }
        None => sql.push("1 AS signed"),
    };
    parent_rank(sql, q);
    sql.push(
        "
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

/// `, ... AS parent_rank`: 0 waiting for a parent, 1 no date of birth, 2 acknowledged,
/// 3 not needed; the order a tutor acts in. Dates are stored as `YYYY-MM-DD` text.
fn parent_rank(sql: &mut Sql, q: &GridQuery<'_>) {
    sql.push(
        ", CASE WHEN u.date_of_birth IS NULL THEN 1
               WHEN u.date_of_birth <= ",
    )
    .bind(q.adult_born_by)
    .push(" THEN 3");
    if let Some(signing) = q.signing {
        sql.push(" WHEN ");
        signing.parent_acknowledged(sql);
        sql.push(" THEN 2");
    }
    sql.push(" ELSE 0 END AS parent_rank");
}

/// A learner (`l`) whose induction is complete: every module passed, the policy signed.
fn complete(modules: &str) -> String {
    format!("(l.passed >= {modules} AND l.signed = 1)")
}

/// ` WHERE ...` keeping the learners `show` asks for.
fn shown(sql: &mut Sql, q: &GridQuery<'_>) {
    let all = q.modules.len().to_string();
    match q.show {
        Show::Everyone => sql.push(" WHERE 1 = 1"),
        Show::Behind => sql
            .push(" WHERE l.status = 'active' AND l.due_on < ")
            .bind(q.today)
            .push(&format!(" AND NOT ({})", complete(&all))),
        Show::NotStarted => sql.push(" WHERE l.status = 'active' AND l.started = 0"),
        Show::Complete => sql.push(&format!(
            " WHERE l.status = 'active' AND {}",
            complete(&all)
        )),
        Show::Inactive => sql.push(" WHERE l.status <> 'active'"),
    };
}

/// The whole cohort at a glance: active learners, behind, not started, complete and
/// inactive; and how many match the filter and search (for paging). Two queries.
pub async fn grid_counts(db: &Db, q: &GridQuery<'_>) -> Result<[i64; 6], sqlx::Error> {
    let done = complete(&q.modules.len().to_string());
    let mut sql = Sql::default();
    sql.push(
        "SELECT COALESCE(SUM(CASE WHEN l.status = 'active' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN l.status = 'active' AND l.due_on < ",
    )
    .bind(q.today)
    .push(&format!(
        " AND NOT {done} THEN 1 ELSE 0 END), 0),
             COALESCE(SUM(CASE WHEN l.status = 'active' AND l.started = 0 THEN 1 ELSE 0 END), 0),
             COALESCE(SUM(CASE WHEN l.status = 'active' AND {done} THEN 1 ELSE 0 END), 0),
             COALESCE(SUM(CASE WHEN l.status <> 'active' THEN 1 ELSE 0 END), 0) FROM "
    ));
    learners(&mut sql, q, false);
    let mut matching = Sql::default();
    matching.push("SELECT COUNT(*) FROM ");
    learners(&mut matching, q, true);
    shown(&mut matching, q);
    let totals: Vec<(i64, i64, i64, i64, i64)> = sql.fetch_all(db).await?;
    let (active, behind, not_started, complete, inactive) =
        totals.first().copied().unwrap_or_default();
    let matched = i64::try_from(matching.count(db).await?).unwrap_or(i64::MAX);
    Ok([active, behind, not_started, complete, inactive, matched])
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
        SortBy::Status => "l.status",
        SortBy::Policy => "l.signed",
        SortBy::Parent => "l.parent_rank",
        SortBy::Module(_) => "l.sort_rank",
    };
    let order = format!("{key} {direction}, LOWER(l.full_name), l.learner_id");
    let mut sql = Sql::default();
    sql.push(
        "SELECT l.learner_id, l.full_name, l.due_on, l.date_of_birth, l.signed, l.status,
                l.break_from, l.break_to, l.last_active, p.module_id,
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
