//! Upgrading an installation that already holds signatures: the migration that rebuilt
//! `policy_signatures` (to allow signing a version again on a schedule) must keep every
//! signature exactly, and the database must still refuse to change or delete them.

use crate::helpers::*;
use app::db;

/// The first migration after the one whose database is being upgraded.
const REBUILD: i64 = 20261125000006;

/// The triggers the previous release installed (signatures only).
const OLD_SQLITE_TRIGGERS: [&str; 2] = [
    "CREATE TRIGGER policy_signatures_no_update BEFORE UPDATE ON policy_signatures
     BEGIN SELECT RAISE(ABORT, 'policy signatures cannot be changed or deleted'); END",
    "CREATE TRIGGER policy_signatures_no_delete BEFORE DELETE ON policy_signatures
     BEGIN SELECT RAISE(ABORT, 'policy signatures cannot be changed or deleted'); END",
];
const OLD_POSTGRES_TRIGGERS: [&str; 2] = [
    "CREATE OR REPLACE FUNCTION esafety_refuse_signature_change() RETURNS trigger
     LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'policy signatures cannot be changed or deleted'; END $$",
    "CREATE TRIGGER policy_signatures_fixed BEFORE UPDATE OR DELETE ON policy_signatures
     FOR EACH ROW EXECUTE FUNCTION esafety_refuse_signature_change()",
];

async fn run(db: &db::Db, statements: &[&str]) {
    for sql in statements {
        sqlx::raw_sql(sql).execute(db).await.expect(sql);
    }
}

#[tokio::test]
async fn upgrading_keeps_every_signature_and_its_protection() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let db = db::connect(&url).await.unwrap();

    // The database as the previous release left it: migrations up to 5, its triggers, and
    // one signature.
    migrate_before(&db, REBUILD).await;
    if using_postgres() {
        run(&db, &OLD_POSTGRES_TRIGGERS).await;
    } else {
        run(&db, &OLD_SQLITE_TRIGGERS).await;
    }
    run(
        &db,
        &[
            "INSERT INTO organisations (id, slug, name, created_at) VALUES ('o1', 'acme', 'Acme', '2026-01-01T00:00:00.000000Z')",
            "INSERT INTO users (id, org_id, email, full_name, created_at) VALUES ('u1', 'o1', 'a@acme.test', 'Ana Learner', '2026-01-01T00:00:00.000000Z')",
            "INSERT INTO policy_versions (id, org_id, kind, number, title, body, what_changed, effective_from, sign_again, created_at, published_at)
             VALUES ('v1', 'o1', 'learner', 1, 'Policy', 'The text.', 'First.', '2026-01-01', 'everyone', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
            "INSERT INTO policy_signatures (id, org_id, user_id, version_id, text_sha256, typed_name, signed_at, address, user_agent)
             VALUES ('s1', 'o1', 'u1', 'v1', 'abc123', 'Ana Learner', '2026-02-03T04:05:06.000007Z', '192.0.2.1', 'Browser/1.0')",
        ],
    )
    .await;

    // Upgrade, as `esafety serve` does at start.
    db::migrate(&db).await.expect("the upgrade runs");

    type Kept = (
        String,
        String,
        String,
        i64,
        String,
        String,
        String,
        String,
        String,
    );
    let kept: Vec<Kept> = sqlx::query_as(
        "SELECT id, user_id, version_id, round, text_sha256, typed_name, signed_at, address, user_agent
         FROM policy_signatures",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        kept,
        vec![(
            "s1".into(),
            "u1".into(),
            "v1".into(),
            0,
            "abc123".into(),
            "Ana Learner".into(),
            "2026-02-03T04:05:06.000007Z".into(),
            "192.0.2.1".into(),
            "Browser/1.0".into()
        )]
    );
    for sql in [
        "UPDATE policy_signatures SET typed_name = 'Changed'",
        "DELETE FROM policy_signatures",
    ] {
        assert!(
            sqlx::query(sql).execute(&db).await.is_err(),
            "{sql} must still be refused after the upgrade"
        );
    }
    // The same version signed again is a new round; the same round twice is refused.
    let again = "INSERT INTO policy_signatures (id, org_id, user_id, version_id, round, text_sha256, typed_name, signed_at, address, user_agent)
         VALUES ($1, 'o1', 'u1', 'v1', $2, 'abc123', 'Ana Learner', '2027-02-03T00:00:00.000000Z', '192.0.2.1', 'Browser/1.0')";
    sqlx::query(again)
        .bind("s2")
        .bind(1_i64)
        .execute(&db)
        .await
        .unwrap();
    let duplicate = sqlx::query(again).bind("s3").bind(1_i64).execute(&db).await;
    assert!(duplicate.is_err_and(|e| db::is_unique_violation(&e)));

    // Accounts are kept, and an address may now have one in another organisation.
    let kept: (String, String) = sqlx::query_as("SELECT org_id, email FROM users WHERE id = 'u1'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(kept, ("o1".into(), "a@acme.test".into()));
    run(
        &db,
        &[
            "INSERT INTO organisations (id, slug, name, created_at) VALUES ('o2', 'beta', 'Beta', '2026-01-01T00:00:00.000000Z')",
            "INSERT INTO users (id, org_id, email, full_name, created_at) VALUES ('u2', 'o2', 'a@acme.test', 'Ana at Beta', '2026-01-01T00:00:00.000000Z')",
        ],
    )
    .await;
    // References are still enforced after the rebuild.
    let dangling = sqlx::query(
        "INSERT INTO user_roles (user_id, org_id, role, granted_at) VALUES ('nobody', 'o1', 'learner', '2026-01-01T00:00:00.000000Z')",
    )
    .execute(&db)
    .await;
    assert!(dangling.is_err(), "a role for a missing account is refused");
    db.close().await;
}
