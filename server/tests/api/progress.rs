//! Each person's progress per module (`module_progress`), kept by the database in the
//! same transaction as the section read or the attempt that changes it: filled from what
//! an upgraded installation already holds, and right after every kind of change.

use crate::helpers::*;
use app::db;

/// The migration that adds `module_progress`.
const PROGRESS: i64 = 20261202000022;

type Progress = (
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    String,
);

async fn progress(db: &db::Db, user: &str, module: &str) -> Option<Progress> {
    sqlx::query_as(
        "SELECT sections_read, attempts_started, attempts_submitted, best_score, best_total,
                passed_at, last_active_at
         FROM module_progress WHERE user_id = $1 AND module_id = $2",
    )
    .bind(user)
    .bind(module)
    .fetch_optional(db)
    .await
    .unwrap()
}

async fn run(db: &db::Db, statements: &[&str]) {
    for sql in statements {
        sqlx::raw_sql(sql).execute(db).await.expect(sql);
    }
}

const T: &str = "T00:00:00.000000Z";

fn attempt(id: &str, started: &str, submitted: Option<(&str, i64, i64, bool)>) -> String {
    let (submitted_at, score, total, passed_at) = match submitted {
        Some((at, score, total, passed)) => (
            format!("'2026-03-{at}{T}'"),
            score.to_string(),
            total.to_string(),
            if passed {
                format!("'2026-03-{at}{T}'")
            } else {
                "NULL".into()
            },
        ),
        None => ("NULL".into(), "NULL".into(), "NULL".into(), "NULL".into()),
    };
    format!(
        "INSERT INTO quiz_attempts (id, org_id, user_id, module_id, module_version, option_order, started_at, submitted_at, score, total, pass_mark, passed_at)
         VALUES ('{id}', 'o1', 'u1', 'grooming', 1, '[]', '2026-03-{started}{T}', {submitted_at}, {score}, {total}, 80, {passed_at})"
    )
}

#[tokio::test]
async fn an_upgrade_fills_progress_from_what_is_there_and_keeps_it_after() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let db = db::connect(&url).await.unwrap();
    migrate_before(&db, PROGRESS).await;
    let a1 = attempt("a1", "02", Some(("02", 3, 10, false)));
    let a2 = attempt("a2", "03", Some(("03", 9, 10, true)));
    let a3 = attempt("a3", "04", Some(("04", 8, 10, true)));
    run(
        &db,
        &[
            "INSERT INTO organisations (id, slug, name, created_at) VALUES ('o1', 'acme', 'Acme', '2026-01-01T00:00:00.000000Z')",
            "INSERT INTO users (id, org_id, email, full_name, created_at) VALUES ('u1', 'o1', 'a@acme.test', 'Ana Learner', '2026-01-01T00:00:00.000000Z')",
            "INSERT INTO section_progress (user_id, org_id, module_id, section_id, read_at) VALUES ('u1', 'o1', 'grooming', 'one', '2026-03-01T00:00:00.000000Z')",
            "INSERT INTO section_progress (user_id, org_id, module_id, section_id, read_at) VALUES ('u1', 'o1', 'grooming', 'two', '2026-03-01T00:00:00.000000Z')",
            "INSERT INTO section_progress (user_id, org_id, module_id, section_id, read_at) VALUES ('u1', 'o1', 'passwords', 'one', '2026-03-05T00:00:00.000000Z')",
            &a1,
            &a2,
            &a3,
        ],
    )
    .await;

    db::migrate(&db).await.expect("the upgrade runs");

    let passed = Some(format!("2026-03-03{T}"));
    assert_eq!(
        progress(&db, "u1", "grooming").await,
        Some((
            2,
            3,
            3,
            Some(9),
            Some(10),
            passed.clone(),
            format!("2026-03-04{T}")
        )),
        "sections, attempts, the best score (9 of 10, not the later 8) and the first pass"
    );
    assert_eq!(
        progress(&db, "u1", "passwords").await,
        Some((1, 0, 0, None, None, None, format!("2026-03-05{T}")))
    );

    // After the upgrade the database keeps it: a section read again changes nothing, a new
    // one counts, an opened attempt counts and a discarded one is taken back, a better
    // submission becomes the best, a worse one does not, and the first pass stays.
    let a4 = attempt("a4", "06", None);
    run(
        &db,
        &[
            "INSERT INTO section_progress (user_id, org_id, module_id, section_id, read_at) VALUES ('u1', 'o1', 'grooming', 'one', '2026-03-06T00:00:00.000000Z') ON CONFLICT (user_id, module_id, section_id) DO NOTHING",
            "INSERT INTO section_progress (user_id, org_id, module_id, section_id, read_at) VALUES ('u1', 'o1', 'grooming', 'three', '2026-03-06T00:00:00.000000Z')",
            &a4,
        ],
    )
    .await;
    assert_eq!(
        progress(&db, "u1", "grooming").await,
        Some((
            3,
            4,
            3,
            Some(9),
            Some(10),
            passed.clone(),
            format!("2026-03-06{T}")
        ))
    );
    run(&db, &["DELETE FROM quiz_attempts WHERE id = 'a4'"]).await;
    let a5 = attempt("a5", "07", None);
    let a6 = attempt("a6", "08", None);
    run(
        &db,
        &[
            &a5,
            "UPDATE quiz_attempts SET submitted_at = '2026-03-07T00:00:00.000000Z', score = 10, total = 10, passed_at = '2026-03-07T00:00:00.000000Z' WHERE id = 'a5'",
            &a6,
            "UPDATE quiz_attempts SET submitted_at = '2026-03-08T00:00:00.000000Z', score = 2, total = 10 WHERE id = 'a6'",
        ],
    )
    .await;
    assert_eq!(
        progress(&db, "u1", "grooming").await,
        Some((
            3,
            5,
            5,
            Some(10),
            Some(10),
            passed,
            format!("2026-03-08{T}")
        ))
    );
}
