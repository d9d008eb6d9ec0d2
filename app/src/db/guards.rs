//! Append-only records, enforced by the database itself whatever code path (or person
//! with a SQL prompt) writes to it: a signature, a parent's or carer's acknowledgement, a
//! published policy version, the audit trail, a training completion and the history of
//! requirements, staff records, roles and accounts are never changed or removed.
//!
//! A table is declared append-only once, in [`APPEND_ONLY`]; the triggers for each
//! database are made from that list and installed after the portable migrations,
//! idempotently, at every start. On SQLite, `REPLACE` removes a conflicting row without
//! firing delete triggers unless recursive triggers are on: `db::connect` turns them on
//! for every connection. On PostgreSQL, `TRUNCATE` skips row triggers, so it gets a
//! statement trigger of its own.

use super::Db;
use sqlx::Executor;

/// A table whose rows, once written (and, with `once`, once that condition on the row
/// holds), never change and are never deleted.
pub struct AppendOnly {
    pub table: &'static str,
    /// The stem of the trigger names (kept from the first release, so an upgrade
    /// replaces the old triggers instead of adding more).
    trigger: &'static str,
    /// The message the database gives when refusing.
    message: &'static str,
    /// A condition on the existing row (`OLD`); none means every row.
    once: Option<&'static str>,
}

pub const APPEND_ONLY: [AppendOnly; 13] = [
    AppendOnly {
        table: "policy_signatures",
        trigger: "policy_signatures",
        message: "policy signatures cannot be changed or deleted",
        once: None,
    },
    AppendOnly {
        table: "policy_versions",
        trigger: "policy_versions_published",
        message: "a published policy version cannot be changed or deleted",
        once: Some("OLD.published_at IS NOT NULL"),
    },
    AppendOnly {
        table: "parent_acknowledgements",
        trigger: "parent_acknowledgements",
        message: "acknowledgements cannot be changed or deleted",
        once: None,
    },
    AppendOnly {
        table: "audit_events",
        trigger: "audit_events",
        message: "the audit trail cannot be changed or deleted",
        once: None,
    },
    // A correction is a new row that supersedes an old one (see `training::queries`).
    AppendOnly {
        table: "training_completions",
        trigger: "training_completions",
        message: "training completions cannot be changed or deleted: record a correction",
        once: None,
    },
    // The history the inspection evidence pack is rebuilt from (written by triggers).
    AppendOnly {
        table: "training_requirement_history",
        trigger: "training_requirement_history",
        message: "the history of training requirements cannot be changed or deleted",
        once: None,
    },
    AppendOnly {
        table: "staff_record_history",
        trigger: "staff_record_history",
        message: "the history of staff records cannot be changed or deleted",
        once: None,
    },
    AppendOnly {
        table: "role_history",
        trigger: "role_history",
        message: "the history of roles cannot be changed or deleted",
        once: None,
    },
    AppendOnly {
        table: "account_history",
        trigger: "account_history",
        message: "the history of accounts cannot be changed or deleted",
        once: None,
    },
    // Its attendees' completions refer to it; they are corrected, the briefing stays.
    AppendOnly {
        table: "training_briefings",
        trigger: "training_briefings",
        message:
            "briefings cannot be changed or deleted: correct the completions of those who attended",
        once: None,
    },
    // External courses and their files: a rejected course is recorded again, never edited.
    AppendOnly {
        table: "evidence_files",
        trigger: "evidence_files",
        message: "evidence files cannot be changed or deleted",
        once: None,
    },
    AppendOnly {
        table: "external_courses",
        trigger: "external_courses",
        message: "external courses cannot be changed or deleted: record the course again",
        once: None,
    },
    AppendOnly {
        table: "external_course_reviews",
        trigger: "external_course_reviews",
        message: "a decision on an external course cannot be changed or deleted",
        once: None,
    },
];

fn sqlite_statements(t: &AppendOnly) -> Vec<String> {
    let when = t.once.map(|c| format!("WHEN {c}")).unwrap_or_default();
    ["UPDATE", "DELETE"]
        .iter()
        .map(|op| {
            format!(
                "CREATE TRIGGER IF NOT EXISTS {trigger}_no_{lower} BEFORE {op} ON {table} {when}
                 BEGIN SELECT RAISE(ABORT, '{message}'); END",
                trigger = t.trigger,
                lower = op.to_lowercase(),
                table = t.table,
                message = t.message,
            )
        })
        .collect()
}

fn postgres_statements(t: &AppendOnly) -> Vec<String> {
    let condition = t.once.unwrap_or("TRUE");
    vec![
        format!(
            "CREATE OR REPLACE FUNCTION esafety_append_only_{table}() RETURNS trigger
             LANGUAGE plpgsql AS $$
             BEGIN
                 IF TG_LEVEL = 'STATEMENT' OR ({condition}) THEN
                     RAISE EXCEPTION '{message}';
                 END IF;
                 IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                 RETURN NEW;
             END $$",
            table = t.table,
            message = t.message,
        ),
        format!(
            "CREATE OR REPLACE TRIGGER {trigger}_fixed BEFORE UPDATE OR DELETE ON {table}
             FOR EACH ROW EXECUTE FUNCTION esafety_append_only_{table}()",
            trigger = t.trigger,
            table = t.table,
        ),
        format!(
            "CREATE OR REPLACE TRIGGER {trigger}_no_truncate BEFORE TRUNCATE ON {table}
             FOR EACH STATEMENT EXECUTE FUNCTION esafety_append_only_{table}()",
            trigger = t.trigger,
            table = t.table,
        ),
    ]
}

pub async fn install(db: &Db) -> Result<(), sqlx::Error> {
    let mut conn = db.acquire().await?;
    let sqlite = conn.backend_name().eq_ignore_ascii_case("sqlite");
    for table in &APPEND_ONLY {
        let statements = if sqlite {
            sqlite_statements(table)
        } else {
            postgres_statements(table)
        };
        for statement in statements {
            conn.execute(sqlx::raw_sql(&statement)).await?;
        }
    }
    Ok(())
}
