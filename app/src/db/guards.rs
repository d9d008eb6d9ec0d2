//! Rules the database itself enforces, whatever code path writes to it: a signature (and a
//! parent's or carer's acknowledgement) is never changed or deleted, and a published
//! policy version never changes. Trigger syntax
//! differs between SQLite and PostgreSQL, so they are installed here after the portable
//! migrations, idempotently, at every start.

use super::Db;
use sqlx::Executor;

const SQLITE: [&str; 6] = [
    "CREATE TRIGGER IF NOT EXISTS policy_signatures_no_update BEFORE UPDATE ON policy_signatures
     BEGIN SELECT RAISE(ABORT, 'policy signatures cannot be changed or deleted'); END",
    "CREATE TRIGGER IF NOT EXISTS policy_signatures_no_delete BEFORE DELETE ON policy_signatures
     BEGIN SELECT RAISE(ABORT, 'policy signatures cannot be changed or deleted'); END",
    "CREATE TRIGGER IF NOT EXISTS policy_versions_published_no_update BEFORE UPDATE ON policy_versions
     WHEN OLD.published_at IS NOT NULL
     BEGIN SELECT RAISE(ABORT, 'a published policy version cannot be changed or deleted'); END",
    "CREATE TRIGGER IF NOT EXISTS policy_versions_published_no_delete BEFORE DELETE ON policy_versions
     WHEN OLD.published_at IS NOT NULL
     BEGIN SELECT RAISE(ABORT, 'a published policy version cannot be changed or deleted'); END",
    "CREATE TRIGGER IF NOT EXISTS parent_acknowledgements_no_update BEFORE UPDATE ON parent_acknowledgements
     BEGIN SELECT RAISE(ABORT, 'acknowledgements cannot be changed or deleted'); END",
    "CREATE TRIGGER IF NOT EXISTS parent_acknowledgements_no_delete BEFORE DELETE ON parent_acknowledgements
     BEGIN SELECT RAISE(ABORT, 'acknowledgements cannot be changed or deleted'); END",
];

const POSTGRES: [&str; 6] = [
    "CREATE OR REPLACE FUNCTION esafety_refuse_signature_change() RETURNS trigger
     LANGUAGE plpgsql AS $$
     BEGIN
         RAISE EXCEPTION 'policy signatures cannot be changed or deleted';
     END $$",
    "CREATE OR REPLACE TRIGGER policy_signatures_fixed BEFORE UPDATE OR DELETE ON policy_signatures
     FOR EACH ROW EXECUTE FUNCTION esafety_refuse_signature_change()",
    "CREATE OR REPLACE FUNCTION esafety_refuse_published_version_change() RETURNS trigger
     LANGUAGE plpgsql AS $$
     BEGIN
         IF OLD.published_at IS NOT NULL THEN
             RAISE EXCEPTION 'a published policy version cannot be changed or deleted';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
     END $$",
    "CREATE OR REPLACE TRIGGER policy_versions_published_fixed BEFORE UPDATE OR DELETE ON policy_versions
     FOR EACH ROW EXECUTE FUNCTION esafety_refuse_published_version_change()",
    "CREATE OR REPLACE FUNCTION esafety_refuse_acknowledgement_change() RETURNS trigger
     LANGUAGE plpgsql AS $$
     BEGIN
         RAISE EXCEPTION 'acknowledgements cannot be changed or deleted';
     END $$",
    "CREATE OR REPLACE TRIGGER parent_acknowledgements_fixed BEFORE UPDATE OR DELETE ON parent_acknowledgements
     FOR EACH ROW EXECUTE FUNCTION esafety_refuse_acknowledgement_change()",
];

pub async fn install(db: &Db) -> Result<(), sqlx::Error> {
    let mut conn = db.acquire().await?;
    let statements: &[&str] = if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        &SQLITE
    } else {
        &POSTGRES
    };
    for statement in statements {
        conn.execute(sqlx::raw_sql(statement)).await?;
    }
    Ok(())
}
