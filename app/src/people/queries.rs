//! The one query for lists of an organisation's people. Portable SQL for SQLite and
//! PostgreSQL: LIKE with its wildcards escaped and both sides lower-cased, LIMIT and
//! OFFSET. Every query takes the organisation, so nobody else's people can appear.

use super::Paging;
use crate::auth::Role;
use crate::db::{self, Db};
use crate::ids::{OrganisationId, PersonId};
use std::collections::HashMap;

/// Rows per query when loading something for a list of people (keeps every database
/// well under its limit on bound values).
pub const CHUNK: usize = 500;

/// SQL being written with its bound values, numbered `$1`, `$2`... as they are added.
/// On SQLite they are sent as anonymous `?` instead (see [`Sql::text_for`]).
#[derive(Default)]
pub struct Sql {
    text: String,
    binds: Vec<String>,
    /// Where each bound value's `$N` stands in `text` (start and end).
    marks: Vec<(usize, usize)>,
    /// Rows written so far by [`Sql::values_row`].
    rows: usize,
    /// The values each row carries, after [`Sql::rows_sharing`].
    row_width: Option<usize>,
}

impl Sql {
    /// Rows per multi-row INSERT: a few hundred values to a statement, well under
    /// either database's cap, and never one statement for a whole run.
    pub const ROWS_AT_ONCE: usize = 32;

    /// Starts the rows of an `INSERT INTO table (columns)` whose first `width` columns
    /// differ from row to row and whose last ones are the same in every row: those are
    /// `shared`, bound once, then `literals` as written. The rows follow as
    /// [`Sql::values_row`]s (of `width` values each, no literals), then [`Sql::end_rows`].
    /// A bulk insert then binds about half as many values (binding is most of its cost).
    pub fn rows_sharing(&mut self, width: usize, shared: &[&str], literals: &str) -> &mut Self {
        self.row_width = Some(width);
        self.push("SELECT ");
        for i in 1..=width {
            // SQLite and PostgreSQL both name the columns of a VALUES list column1, ...
            self.push(if i > 1 { ", column" } else { "column" })
                .push(&i.to_string());
        }
        for value in shared {
            self.push(", ").bind(value);
        }
        if !literals.is_empty() {
            self.push(", ").push(literals);
        }
        self.push(" FROM (VALUES ")
    }

    /// Ends the rows begun by [`Sql::rows_sharing`]. The `WHERE true` lets an
    /// `ON CONFLICT` follow: SQLite would otherwise read its `ON` as a join's.
    pub fn end_rows(&mut self) -> &mut Self {
        self.push(") AS batch WHERE true")
    }

    /// One `(...)` row of a multi-row `VALUES`: `values` bound in order, then
    /// `literals` as written (e.g. `0`, for a column that is not text); rows after the
    /// first are separated by commas.
    pub fn values_row(&mut self, values: &[&str], literals: &str) -> &mut Self {
        // Rows after `rows_sharing` carry exactly its width: one value short would shift
        // every later column of the insert.
        debug_assert!(self
            .row_width
            .is_none_or(|w| w == values.len() && literals.is_empty()));
        self.push(if self.rows == 0 { "(" } else { ", (" });
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(value);
        }
        if !literals.is_empty() {
            self.push(", ").push(literals);
        }
        self.rows += 1;
        self.push(")")
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// A bound value, in place.
    pub fn bind(&mut self, value: &str) -> &mut Self {
        use std::fmt::Write;
        self.binds.push(value.to_string());
        let n = self.binds.len();
        let start = self.text.len();
        // Writing to a String cannot fail.
        let _ = write!(self.text, "${n}");
        self.marks.push((start, self.text.len()));
        self
    }

    /// `IN (...)` of the values; matches nothing when there are none.
    pub fn bind_in<T: AsRef<str>>(&mut self, values: &[T]) -> &mut Self {
        if values.is_empty() {
            return self.push("IN (NULL)");
        }
        self.push("IN (");
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(value.as_ref());
        }
        self.push(")")
    }

    /// The statement as `text` (from [`Sql::text_for`]) with its values bound.
    fn query_as<'q, T>(
        &'q self,
        text: &'q str,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, T, sqlx::any::AnyArguments<'q>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut query = sqlx::query_as::<_, T>(text);
        for value in &self.binds {
            query = query.bind(value);
        }
        query
    }

    pub async fn fetch_all<T>(&self, db: &Db) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        let text = self.text_for(db::backend_of(db));
        self.query_as(&text).fetch_all(db).await
    }

    /// [`Sql::fetch_all`], making each row into `U` as it arrives: a large result is
    /// never held twice over (its rows and what is made of them).
    pub async fn fetch_map<T, U>(
        &self,
        db: &Db,
        mut make: impl FnMut(T) -> Result<U, sqlx::Error>,
    ) -> Result<Vec<U>, sqlx::Error>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        use futures::TryStreamExt;
        let text = self.text_for(db::backend_of(db));
        let mut rows = self.query_as::<T>(&text).fetch(db);
        let mut made = Vec::new();
        while let Some(row) = rows.try_next().await? {
            made.push(make(row)?);
        }
        Ok(made)
    }

    /// [`Sql::fetch_all`] inside a transaction.
    pub async fn fetch_all_on<T>(
        &self,
        conn: &mut sqlx::AnyConnection,
    ) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        let text = self.text_for(db::backend_of_connection(conn));
        self.query_as(&text).fetch_all(conn).await
    }

    /// Run the statement inside a transaction; returns the rows it changed.
    pub async fn execute_on(&self, conn: &mut sqlx::AnyConnection) -> Result<u64, sqlx::Error> {
        let text = self.text_for(db::backend_of_connection(conn));
        let mut query = sqlx::query(&text);
        for value in &self.binds {
            query = query.bind(value);
        }
        Ok(query.execute(conn).await?.rows_affected())
    }

    /// The statement as `backend` is sent it. SQLite finds a numbered value by looking
    /// its name up in a list, for each value of a statement: a cost that grows with the
    /// square of the values of a bulk insert. Anonymous `?` are bound by position instead.
    fn text_for(&self, backend: db::Backend) -> std::borrow::Cow<'_, str> {
        if backend == db::Backend::Postgres {
            return std::borrow::Cow::Borrowed(&self.text);
        }
        let mut text = String::with_capacity(self.text.len());
        let mut at = 0;
        for (start, end) in &self.marks {
            text.push_str(&self.text[at..*start]);
            text.push('?');
            at = *end;
        }
        text.push_str(&self.text[at..]);
        std::borrow::Cow::Owned(text)
    }

    /// How many values are bound so far (both databases cap them per statement).
    pub fn bound(&self) -> usize {
        self.binds.len()
    }

    pub async fn count(&self, db: &Db) -> Result<u64, sqlx::Error> {
        let text = self.text_for(db::backend_of(db));
        let mut query = sqlx::query_as::<_, (i64,)>(&text);
        for value in &self.binds {
            query = query.bind(value);
        }
        let (n,) = query.fetch_one(db).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// By name whatever its case, then email.
    Name,
    Email,
}

/// More conditions on `u` (the `users` row), written by the caller, such as the signing
/// report's "not signed". Each starts with ` AND `.
pub type Condition<'a> = &'a (dyn Fn(&mut Sql) + Send + Sync);

/// Which people, in what order, which page.
pub struct PeopleQuery<'a> {
    pub org_id: &'a OrganisationId,
    /// Part of the name or email, any case; empty for everyone.
    pub search: &'a str,
    /// People holding at least one of these roles; empty for any role or none.
    pub roles: &'a [Role],
    /// Only active accounts: not deactivated, password chosen.
    pub active_only: bool,
    pub also: Option<Condition<'a>>,
    /// Only the learners of the cohorts this tutor teaches (see `cohorts::access`).
    pub taught_by: Option<&'a PersonId>,
    pub sort: Sort,
    /// The page asked for (brought into range), or None for every match (CSV exports).
    pub page: Option<u32>,
    pub per_page: u32,
}

/// A person in a list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PersonRow {
    pub id: PersonId,
    pub email: String,
    pub full_name: String,
    pub date_of_birth: Option<String>,
    pub deactivated_at: Option<String>,
    /// 1 once they have chosen a password (0: invited).
    pub has_password: i64,
}

/// One page of a list, with where it sits.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub paging: Paging,
}

/// Escape LIKE wildcards so a search for "50%" means the text "50%".
pub fn like_pattern(search: &str) -> String {
    let escaped = search
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// ` FROM users u WHERE ...` for the query, its bound values in `sql`.
fn from_where(sql: &mut Sql, q: &PeopleQuery<'_>) {
    sql.push(" FROM users u WHERE u.org_id = ")
        .bind(q.org_id.as_str());
    let search = q.search.trim();
    if !search.is_empty() {
        let pattern = like_pattern(search);
        sql.push(" AND (LOWER(u.full_name) LIKE ")
            .bind(&pattern)
            .push(" ESCAPE '\\' OR LOWER(u.email) LIKE ")
            .bind(&pattern)
            .push(" ESCAPE '\\')");
    }
    if !q.roles.is_empty() {
        let roles: Vec<String> = q.roles.iter().map(|r| r.as_str().to_string()).collect();
        sql.push(
            " AND EXISTS (SELECT 1 FROM user_roles r
               WHERE r.user_id = u.id AND r.org_id = u.org_id AND r.role ",
        )
        .bind_in(&roles)
        .push(")");
    }
    if q.active_only {
        sql.push(" AND u.deactivated_at IS NULL AND u.password_hash IS NOT NULL");
    }
    if let Some(tutor) = q.taught_by {
        sql.push(
            " AND EXISTS (SELECT 1 FROM cohort_learners m
               JOIN cohort_tutors t ON t.cohort_id = m.cohort_id
               WHERE m.user_id = u.id AND m.left_at IS NULL AND t.user_id = ",
        )
        .bind(tutor.as_str())
        .push(")");
    }
    if let Some(also) = q.also {
        also(sql);
    }
}

/// How many people match (the sort and page are ignored).
pub async fn count(db: &Db, q: &PeopleQuery<'_>) -> Result<u64, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push("SELECT COUNT(*)");
    from_where(&mut sql, q);
    sql.count(db).await
}

/// The people matching `q`: the page asked for (past the end: the last page), or all.
pub async fn list(db: &Db, q: &PeopleQuery<'_>) -> Result<Page<PersonRow>, sqlx::Error> {
    let total = count(db, q).await?;
    let paging = match q.page {
        Some(asked) => Paging::new(asked, q.per_page, total),
        None => Paging::new(1, u32::try_from(total).unwrap_or(u32::MAX), total),
    };
    let mut sql = Sql::default();
    sql.push(
        "SELECT u.id, u.email, u.full_name, u.date_of_birth, u.deactivated_at,
             CAST(CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_password",
    );
    from_where(&mut sql, q);
    // The id last, so equal names keep one order and no one shows on two pages.
    sql.push(match q.sort {
        Sort::Name => " ORDER BY LOWER(u.full_name), u.email, u.id",
        Sort::Email => " ORDER BY u.email, u.id",
    });
    if q.page.is_some() {
        // Numbers we computed, not text from the request.
        sql.push(&format!(
            " LIMIT {} OFFSET {}",
            paging.per_page,
            paging.offset()
        ));
    }
    let rows = sql.fetch_all(db).await?;
    Ok(Page { rows, paging })
}

/// The roles of the listed people, by person.
pub async fn roles_of(
    db: &Db,
    org_id: &OrganisationId,
    ids: &[PersonId],
) -> Result<HashMap<PersonId, Vec<Role>>, sqlx::Error> {
    let mut by_person: HashMap<PersonId, Vec<Role>> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Sql::default();
        sql.push("SELECT user_id, role FROM user_roles WHERE org_id = ")
            .bind(org_id.as_str())
            .push(" AND user_id ")
            .bind_in(chunk);
        let rows: Vec<(PersonId, String)> = sql.fetch_all(db).await?;
        for (user_id, role) in rows {
            if let Some(role) = Role::parse(&role) {
                by_person.entry(user_id).or_default().push(role);
            }
        }
    }
    Ok(by_person)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_wildcards_are_taken_literally() {
        assert_eq!(like_pattern("50%_Off"), "%50\\%\\_off%");
        assert_eq!(like_pattern("O'Brien"), "%o'brien%");
    }

    #[test]
    fn values_are_numbered_as_they_are_bound() {
        let mut sql = Sql::default();
        sql.push("a = ")
            .bind("x")
            .push(" AND b ")
            .bind_in(&["y", "z"]);
        assert_eq!(sql.text, "a = $1 AND b IN ($2, $3)");
        assert_eq!(sql.text_for(db::Backend::Postgres), sql.text);
        // A `$` written as text (here in a string literal) is left alone on SQLite.
        sql.push(" AND c = '$4'").bind("w");
        assert_eq!(
            sql.text_for(db::Backend::Sqlite),
            "a = ? AND b IN (?, ?) AND c = '$4'?"
        );
        let mut none = Sql::default();
        none.bind_in::<&str>(&[]);
        assert_eq!(none.text, "IN (NULL)");
    }

    #[test]
    fn rows_sharing_values_bind_the_shared_ones_once_in_order() {
        let mut sql = Sql::default();
        sql.push("INSERT INTO t (a, b, org, n) ")
            .rows_sharing(2, &["org-1"], "0");
        sql.values_row(&["a1", "b1"], "")
            .values_row(&["a2", "b2"], "");
        sql.end_rows();
        assert_eq!(
            sql.text,
            "INSERT INTO t (a, b, org, n) SELECT column1, column2, $1, 0 FROM (VALUES ($2, $3), ($4, $5)) AS batch WHERE true"
        );
        assert_eq!(sql.binds, ["org-1", "a1", "b1", "a2", "b2"]);
        assert_eq!(sql.bound(), 5);
    }
}
