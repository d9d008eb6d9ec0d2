//! A small organisation ("acme") for the reminder tests, with one requirement and a line
//! of managers, and helpers to run the reminders on a day and read what an SMTP server
//! on loopback received.
//!
//! "Safeguarding refresher" is due 14 days after each person's start date, never again;
//! due soon is 7 days; escalation after 30 days overdue; digests on Mondays; 08:00.
//!
//! | person | role | line manager | start | due |
//! | --- | --- | --- | --- | --- |
//! | Greta Director | manager | none | 2020-01-06 | long overdue: escalated |
//! | Maria Manager | manager | Greta | 2027-03-01 | 2027-03-15 |
//! | Sam Staff | staff | Maria | 2027-03-12 | 2027-03-26 |
//! | Tia Staff | staff | Maria | 2027-03-17 | 2027-03-31 |
//! | Lou Leaver | staff | Maria, leaving 2027-03-23 | 2027-03-01 | 2027-03-15 |
//! | Olly Orphan | staff | Xav (deactivated) | 2027-03-01 | 2027-03-15 |
//! | Pat People | people | Greta | done | compliant |
//! | the administrator | admin | none | done | compliant |

use crate::helpers::*;
use app::admin::{demo, queries as org_queries};
use app::auth::Role;
use app::db;
use app::ids::{OrganisationId, PersonId, RequirementId};
use app::mail::transport::Mailer;
use app::reminders::run::{self, OrgReport};
use app::state::AppState;
use app::training::queries::{self as training, NewCompletion, Placement};
use app::training::{AppliesTo, CompletionSource, FirstDue, Renewal, Requirement, SatisfiedBy};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

pub const ACME_ADMIN: &str = "admin@acme.test";

pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date in the test")
}

/// The instant London clocks show `hour:minute` on `day` (GMT or BST as it falls).
pub fn london(text: &str, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = day(text).and_hms_opt(hour, minute, 0).expect("a time");
    chrono_tz::Europe::London
        .from_local_datetime(&local)
        .single()
        .expect("an unambiguous London time")
        .with_timezone(&Utc)
}

pub struct Acme {
    pub org: OrganisationId,
    pub requirement: RequirementId,
    pub state: AppState,
}

pub fn state_of(app: &TestApp) -> AppState {
    let content = server::load_content(&app.config).expect("content loads");
    server::app_state(&app.config, app.db.clone(), content).expect("the site files load")
}

async fn record(
    app: &TestApp,
    org: &OrganisationId,
    who: &str,
    start: &str,
    manager: Option<&str>,
    leaving: Option<&str>,
) {
    sqlx::query(
        "INSERT INTO staff_records (user_id, org_id, start_date, line_manager_id, leaving_date, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(who)
    .bind(org.as_str())
    .bind(start)
    .bind(manager)
    .bind(leaving)
    .bind(db::now())
    .execute(&app.db)
    .await
    .expect("staff record");
}

pub async fn complete(app: &TestApp, acme: &Acme, who: &str, on: &str) {
    let mut tx = db::begin(&app.db).await.unwrap();
    training::record_completion(
        &mut tx,
        &NewCompletion {
            org_id: &acme.org,
            user_id: &PersonId::from_param(who),
            requirement_id: &acme.requirement,
            completed_on: day(on),
            source: CompletionSource::ExternalCourse,
            reference: None,
            reason: None,
            recorded_by: None,
        },
    )
    .await
    .unwrap()
    .expect("recorded");
    tx.commit().await.unwrap();
}

/// Acme as in the table above (on the test app's database, beside demo and other).
pub async fn acme(app: &TestApp) -> Acme {
    demo::create_admin(&app.db, "acme", ACME_ADMIN, "Ada Admin", PASSWORD)
        .await
        .expect("acme");
    let org = org_queries::organisation_by_slug(&app.db, "acme")
        .await
        .unwrap()
        .expect("acme exists")
        .id;
    sqlx::query("UPDATE training_requirements SET retired_at = $1 WHERE org_id = $2")
        .bind(db::now())
        .bind(org.as_str())
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO training_settings (org_id, due_soon_days, updated_at) VALUES ($1, 7, $2)",
    )
    .bind(org.as_str())
    .bind(db::now())
    .execute(&app.db)
    .await
    .unwrap();
    let mut tx = db::begin(&app.db).await.unwrap();
    let requirement = training::insert_requirement(
        &mut tx,
        &Placement {
            org_id: &org,
            default_key: None,
            position: 100,
            by: None,
        },
        &Requirement {
            name: "Safeguarding refresher".into(),
            level: String::new(),
            satisfied_by: SatisfiedBy::ExternalCourse,
            applies_to: AppliesTo::AllStaff,
            first_due: FirstDue::WithinDaysOfStart { days: 14 },
            renews: Renewal::Never,
            window_days: None,
            grace: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let acme = Acme {
        org,
        requirement,
        state: state_of(app),
    };
    let add = |email: &'static str, name: &'static str, role: Role| {
        add_person(app, "acme", email, name, role)
    };
    let greta = add("greta@acme.test", "Greta Director", Role::Manager).await;
    let maria = add("maria@acme.test", "Maria Manager", Role::Manager).await;
    let xav = add("xav@acme.test", "Xav Gone", Role::Manager).await;
    let people = [
        (greta.clone(), "2020-01-06", None, None),
        (maria.clone(), "2027-03-01", Some(greta.clone()), None),
        (
            add("sam@acme.test", "Sam Staff", Role::Staff).await,
            "2027-03-12",
            Some(maria.clone()),
            None,
        ),
        (
            add("tia@acme.test", "Tia Staff", Role::Staff).await,
            "2027-03-17",
            Some(maria.clone()),
            None,
        ),
        (
            add("lou@acme.test", "Lou Leaver", Role::Staff).await,
            "2027-03-01",
            Some(maria.clone()),
            Some("2027-03-23"),
        ),
        (
            add("olly@acme.test", "Olly Orphan", Role::Staff).await,
            "2027-03-01",
            Some(xav.clone()),
            None,
        ),
        (xav.clone(), "2020-01-06", Some(greta.clone()), None),
    ];
    for (who, start, manager, leaving) in &people {
        record(app, &acme.org, who, start, manager.as_deref(), *leaving).await;
    }
    let pat = add("pat@acme.test", "Pat People", Role::People).await;
    record(app, &acme.org, &pat, "2026-01-05", Some(&greta), None).await;
    complete(app, &acme, &pat, "2026-01-10").await;
    let admin = app.user_id(ACME_ADMIN).await;
    complete(app, &acme, &admin, "2026-01-10").await;
    sqlx::query("UPDATE users SET deactivated_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(&xav)
        .execute(&app.db)
        .await
        .unwrap();
    acme
}

/// The scheduled job's check at `now`, for acme only (demo and other have their own
/// default requirements and people; their runs are not what these tests look at).
pub async fn job_at(acme: &Acme, now: DateTime<Utc>) -> Option<OrgReport> {
    run::run_due(&acme.state, now)
        .await
        .expect("the run succeeds")
        .into_iter()
        .find(|r| r.org_id == acme.org)
}

/// An SMTP server on loopback and the messages it has received, read as (to, subject).
pub struct Inbox {
    sink: SmtpSink,
    mailer: Mailer,
    seen: usize,
}

impl Inbox {
    pub fn start() -> Inbox {
        let (sink, url) = SmtpSink::start();
        Inbox {
            sink,
            mailer: Mailer::smtp(&url).expect("mailer"),
            seen: 0,
        }
    }

    /// Send everything queued, then the (to, subject) of each message new since the last
    /// call, sorted.
    pub async fn deliver(&mut self, app: &TestApp) -> Vec<(String, String)> {
        app.send_mail(&self.mailer).await;
        let all = self.sink.messages();
        let mut new: Vec<(String, String)> = all[self.seen..].iter().map(|m| headers(m)).collect();
        self.seen = all.len();
        new.sort();
        new
    }

    pub fn messages(&self) -> Vec<String> {
        self.sink.messages()
    }
}

/// The To address and Subject of a raw message (headers unfolded).
pub fn headers(message: &str) -> (String, String) {
    let head = message
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .replace("\r\n ", " ");
    let field = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    (field("To: "), field("Subject: "))
}

/// The organisation's reminders, run by the job, counted in the outbox as (to, subject).
pub fn to(address: &str, subject: &str) -> (String, String) {
    (address.to_string(), subject.to_string())
}
