//! Who has signed: the report for tutors, the DSL, the People department and
//! administrators, its CSV export, and reminder emails to those who have not signed.

use super::common::versions;
use super::queries::{self, SignatureRow, VersionRow};
use super::report_queries::{self as store, Person};
use super::rules::{current, kinds_for_roles, required_since, standing, Standing};
use super::types::*;
use crate::auth::{guard, CurrentUser, Role};
use crate::calendar;
use crate::db;
use crate::db::display_day as day;
use crate::error::AppError;
use crate::mail;
use crate::notifications::{self, Notification};
use crate::state::{app_state, AppState};
use chrono::{DateTime, NaiveDate, Utc};

/// The roles that follow who has signed.
pub const REPORT_ROLES: [Role; 4] = [Role::Tutor, Role::Dsl, Role::People, Role::Admin];

/// Active people of the organisation (with a password: invited people cannot sign yet)
/// the `kind` policy applies to, each with the day they were first given a role that asks
/// them to sign it.
async fn people(
    db: &db::Db,
    org_id: &str,
    kind: PolicyKind,
) -> Result<Vec<(Person, NaiveDate)>, AppError> {
    let all = store::people_who_can_sign(db, org_id).await?;
    let roles = store::roles_given(db, org_id).await?;
    let asks = |roles: Vec<Role>| kinds_for_roles(&roles).contains(&kind);
    Ok(all
        .into_iter()
        .filter_map(|p| {
            let theirs: Vec<(Role, &str)> = roles
                .iter()
                .filter(|(id, _, _)| *id == p.id)
                .filter_map(|(_, r, at)| Some((Role::parse(r)?, at.as_str())))
                .collect();
            if !asks(theirs.iter().map(|(r, _)| *r).collect()) {
                return None;
            }
            let given = theirs
                .iter()
                .filter(|(r, _)| asks(vec![*r]))
                .filter_map(|(_, at)| db::parse_timestamp(at))
                .min()
                .map_or(NaiveDate::MIN, calendar::today_at);
            Some((p, given))
        })
        .collect())
}

/// The whole report of the organisation `org_id` at `now`, unfiltered.
pub(super) struct Built {
    pub current: VersionRow,
    pub rows: Vec<Reportee>,
}

/// A person in the report, with what reminders need.
pub(super) struct Reportee {
    pub id: String,
    pub row: ReportRow,
    /// The day since which they have had to sign the current version (if they have not).
    pub asked_since: NaiveDate,
}

pub(super) async fn build(
    state: &AppState,
    org_id: &str,
    kind: PolicyKind,
    now: DateTime<Utc>,
) -> Result<Built, AppError> {
    let versions = versions(state, org_id, kind).await?;
    let current = current(&versions).ok_or(AppError::NotFound)?;
    let signatures = store::signatures_in(&state.db, org_id).await?;
    let every_months = queries::resign_every_months(&state.db, org_id).await?;
    let parents = match kind {
        PolicyKind::Learner => {
            Some(super::parent_status::statuses(state, org_id, &versions, current).await?)
        }
        PolicyKind::Staff => None,
    };
    let rows = people(&state.db, org_id, kind)
        .await?
        .into_iter()
        .map(|(p, role_given)| {
            let theirs: Vec<SignatureRow> = signatures
                .iter()
                .filter(|s| s.user_id == p.id && versions.iter().any(|v| v.id == s.version_id))
                .cloned()
                .collect();
            let last_signed = theirs.first().and_then(|s| {
                let v = versions.iter().find(|v| v.id == s.version_id)?;
                Some((u32::try_from(v.number).unwrap_or(0), day(&s.signed_at)))
            });
            let status = match standing(&versions, current, &theirs, every_months, now) {
                Standing::Signed => SignStatus::Signed,
                Standing::Due => SignStatus::Due,
                Standing::Older => SignStatus::SignedOlder,
                Standing::Never => SignStatus::NotSigned,
            };
            let parent = parents.as_ref().map(|all| {
                all.get(&p.id)
                    .cloned()
                    .unwrap_or(ParentStatus::NoDateOfBirth)
            });
            let asked_since = required_since(&versions, current, &theirs, every_months, role_given);
            let row = ReportRow {
                person_id: p.id.clone(),
                full_name: p.full_name,
                email: p.email,
                status,
                last_signed,
                parent,
            };
            Reportee {
                id: p.id,
                row,
                asked_since,
            }
        })
        .collect();
    Ok(Built {
        current: current.clone(),
        rows,
    })
}

async fn reader(kind: &str) -> Result<(CurrentUser, AppState, PolicyKind), AppError> {
    let user = guard::require(&REPORT_ROLES).await?;
    let kind = PolicyKind::parse(kind).ok_or(AppError::NotFound)?;
    Ok((user, app_state()?, kind))
}

/// The report for `user` (who must hold a report role), filtered.
pub async fn report_for(
    state: &AppState,
    user: &CurrentUser,
    kind: PolicyKind,
    status: Option<&str>,
    q: Option<&str>,
) -> Result<SigningReport, AppError> {
    let built = build(state, &user.org_id, kind, Utc::now()).await?;
    let current_number = u32::try_from(built.current.number).unwrap_or(0);
    let all = built.rows;
    let total = all.len();
    let signed = all
        .iter()
        .filter(|r| r.row.status == SignStatus::Signed)
        .count();
    let status = status.and_then(SignStatus::parse);
    let q = q.map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
    let rows = all
        .into_iter()
        .map(|r| r.row)
        .filter(|r| status.is_none_or(|s| r.status == s))
        .filter(|r| {
            q.as_ref().is_none_or(|q| {
                r.full_name.to_lowercase().contains(q) || r.email.to_lowercase().contains(q)
            })
        })
        .collect();
    Ok(SigningReport {
        can_follow_up_parents: super::parents::PARENT_ROLES.iter().any(|r| user.has(*r)),
        kind,
        current_number,
        rows,
        signed,
        total,
    })
}

pub async fn report(
    kind: String,
    status: Option<String>,
    q: Option<String>,
) -> Result<SigningReport, AppError> {
    let (user, state, kind) = reader(&kind).await?;
    report_for(&state, &user, kind, status.as_deref(), q.as_deref()).await
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return first) starts with an apostrophe instead, so it shows as text.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The report as CSV, for the same people the page shows.
pub fn to_csv(report: &SigningReport) -> Result<String, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "Name",
        "Email",
        "Status",
        "Last version signed",
        "Signed on",
    ];
    if report.kind == PolicyKind::Learner {
        header.push("Parent or carer");
    }
    out.write_record(header).map_err(AppError::internal)?;
    for r in &report.rows {
        let (version, on) = match &r.last_signed {
            Some((n, on)) => (n.to_string(), on.clone()),
            None => (String::new(), String::new()),
        };
        let parent = r.parent.as_ref().map(ParentStatus::label);
        let mut record = vec![
            r.full_name.as_str(),
            r.email.as_str(),
            r.status.label(),
            version.as_str(),
            on.as_str(),
        ];
        if let Some(parent) = &parent {
            record.push(parent.as_str());
        }
        out.write_record(record.iter().map(|c| neutralise(c)))
            .map_err(AppError::internal)?;
    }
    let bytes = out.into_inner().map_err(AppError::internal)?;
    String::from_utf8(bytes).map_err(AppError::internal)
}

/// What a reminder says: why this person is asked.
pub(super) fn reason(status: SignStatus, org_name: &str, every_months: Option<u32>) -> String {
    match (status, every_months) {
        (SignStatus::Due, Some(months)) => format!(
            "{org_name} asks everyone to read its Acceptable Use Policy and sign it again every {months} months, and it is time for you to sign again."
        ),
        _ => format!(
            "{org_name} asks everyone to read and sign its Acceptable Use Policy. You have not signed the current version yet."
        ),
    }
}

/// A reminder to sign, from the shared email templates.
pub(super) fn reminder(
    to: &str,
    full_name: &str,
    org_name: &str,
    reason: &str,
    link: &str,
) -> Result<crate::mail::Email, crate::mail::templates::TemplateError> {
    crate::mail::templates::policy_reminder(to, full_name, org_name, reason, link)
}

/// Where a reminder takes its reader: the policy to sign.
pub(super) fn sign_link(state: &AppState, kind: PolicyKind) -> String {
    format!(
        "{}/policies/sign/{}",
        state.settings.base_url,
        kind.as_str()
    )
}

/// The kind of notification the report's button sends: once a day per person and policy.
pub const BUTTON_REMINDER: &str = "policy-reminder";

pub async fn remind(kind: String) -> Result<(), AppError> {
    let (user, state, kind) = reader(&kind).await?;
    let rows = build(&state, &user.org_id, kind, Utc::now()).await?.rows;
    let today = calendar::day_key(calendar::today());
    let link = sign_link(&state, kind);
    let every_months = queries::resign_every_months(&state.db, &user.org_id).await?;
    let mut tx = state.db.begin().await?;
    let mut sent = 0;
    for Reportee { id, row, .. } in rows.iter().filter(|r| r.row.status != SignStatus::Signed) {
        let key = Notification {
            recipient_id: id,
            org_id: Some(&user.org_id),
            kind: BUTTON_REMINDER,
            subject: kind.as_str(),
            period: &today,
        };
        if notifications::first_time(&mut tx, &key).await? {
            let why = reason(row.status, &user.org_name, every_months);
            let email = reminder(&row.email, &row.full_name, &user.org_name, &why, &link)?;
            mail::enqueue(
                &mut tx,
                &state.settings.secret_key,
                Some(&user.org_id),
                &email,
            )
            .await?;
            sent += 1;
        }
    }
    crate::audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        "policy.reminders",
        None,
        &format!("{}: {sent} sent", kind.as_str()),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/policies/report?kind={}&reminded={sent}",
        kind.as_str()
    ));
    Ok(())
}

/// For the CSV route: the signed-in reader from the session, or the error to answer with.
pub async fn csv_for(
    state: &AppState,
    user_id: Option<String>,
    kind: &str,
    status: Option<&str>,
    q: Option<&str>,
) -> Result<String, AppError> {
    let user_id = user_id.ok_or(AppError::NotSignedIn)?;
    let user = crate::auth::queries::current_user(&state.db, &user_id)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    if !REPORT_ROLES.iter().any(|r| user.has(*r)) {
        return Err(AppError::Forbidden);
    }
    let kind = PolicyKind::parse(kind).ok_or(AppError::NotFound)?;
    to_csv(&report_for(state, &user, kind, status, q).await?)
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn spreadsheet_formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for start in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(start).starts_with('\''), "{start:?}");
        }
        assert_eq!(neutralise("Alex Learner"), "Alex Learner");
        assert_eq!(neutralise(""), "");
    }
}
