//! Who has signed: the report for tutors, the DSL, the People department and
//! administrators, one page at a time, and its CSV export (every matching row). Status,
//! search and paging are done in SQL by the shared people query, so a page never loads the
//! whole organisation.

use super::common::versions;
use super::queries::{self, SignatureRow, VersionRow};
use super::report_queries::{self as store, Signing};
use super::rules::{current, number, roles_asked, standing, Standing};
use super::types::*;
use crate::auth::{guard, Capability, CurrentUser, Role};
use crate::db::display_day as day;
use crate::error::AppError;
use crate::ids::{OrganisationId, PersonId};
use crate::people::queries::{self as people, PeopleQuery, PersonRow, Sort, Sql};
use crate::people::{parse_page, PER_PAGE};
use crate::state::{app_state, AppState};
use chrono::{DateTime, Utc};

/// A policy as the report needs it, loaded once per request.
pub(crate) struct Policy {
    pub kind: PolicyKind,
    pub versions: Vec<VersionRow>,
    pub current: VersionRow,
    pub every_months: Option<u32>,
    pub now: DateTime<Utc>,
}

impl Policy {
    pub async fn load(
        state: &AppState,
        org_id: &OrganisationId,
        kind: PolicyKind,
        now: DateTime<Utc>,
    ) -> Result<Policy, AppError> {
        let versions = versions(state, org_id, kind).await?;
        let current = current(&versions).cloned().ok_or(AppError::NotFound)?;
        let every_months = queries::resign_every_months(&state.db, org_id).await?;
        Ok(Policy {
            kind,
            versions,
            current,
            every_months,
            now,
        })
    }

    /// Where a person stands, from their signatures (newest first, any policy).
    pub fn status(&self, theirs: &[SignatureRow]) -> SignStatus {
        match standing(
            &self.versions,
            &self.current,
            theirs,
            self.every_months,
            self.now,
        ) {
            Standing::Signed => SignStatus::Signed,
            Standing::Due => SignStatus::Due,
            Standing::Older => SignStatus::SignedOlder,
            Standing::Never => SignStatus::NotSigned,
        }
    }

    /// A person's signatures of this policy, newest first, out of `all`.
    pub fn signatures_of(&self, person_id: &PersonId, all: &[SignatureRow]) -> Vec<SignatureRow> {
        all.iter()
            .filter(|s| {
                s.user_id == *person_id && self.versions.iter().any(|v| v.id == s.version_id)
            })
            .cloned()
            .collect()
    }

    /// The report's row for a person (`parent` for the learner policy).
    pub fn row(
        &self,
        person: &PersonRow,
        theirs: &[SignatureRow],
        parent: Option<ParentStatus>,
    ) -> ReportRow {
        let last_signed = theirs.first().and_then(|s| {
            let v = self.versions.iter().find(|v| v.id == s.version_id)?;
            Some((number(v), day(&s.signed_at)))
        });
        ReportRow {
            person_id: person.id.clone(),
            full_name: person.full_name.clone(),
            email: person.email.clone(),
            status: self.status(theirs),
            last_signed,
            parent,
        }
    }
}

/// The people the `kind` policy applies to: active, holding a role that asks them, by name;
/// for a tutor, only the learners of the cohorts they teach (`taught_by`).
pub(super) fn asked<'a>(
    org_id: &'a OrganisationId,
    roles: &'a [Role],
    taught_by: Option<&'a PersonId>,
) -> PeopleQuery<'a> {
    PeopleQuery {
        org_id,
        search: "",
        roles,
        active_only: true,
        also: None,
        taught_by,
        sort: Sort::Name,
        page: None,
        per_page: PER_PAGE,
    }
}

/// What the reader asked for: a status, a name or email, a page (None: every row).
pub struct Filter<'a> {
    pub status: Option<&'a str>,
    pub q: Option<&'a str>,
    pub page: Option<u32>,
}

pub(super) async fn reader(kind: &str) -> Result<(CurrentUser, AppState, PolicyKind), AppError> {
    let user = guard::allowed(Capability::ReadSigningReport).await?;
    let kind = PolicyKind::parse(kind).ok_or(AppError::NotFound)?;
    Ok((user, app_state()?, kind))
}

/// The report for `user` (who must hold a report role), filtered.
pub async fn report_for(
    state: &AppState,
    user: &CurrentUser,
    kind: PolicyKind,
    filter: &Filter<'_>,
) -> Result<SigningReport, AppError> {
    let policy = Policy::load(state, &user.org_id, kind, Utc::now()).await?;
    let signing = Signing::new(
        &policy.versions,
        &policy.current,
        policy.every_months,
        policy.now,
    );
    let roles = roles_asked(kind);
    let taught_by = crate::cohorts::access::narrowed_to(user);
    let everyone = asked(&user.org_id, &roles, taught_by);
    let total = people::count(&state.db, &everyone).await?;
    let only_signed = |sql: &mut Sql| signing.only(sql, SignStatus::Signed);
    let signed = people::count(
        &state.db,
        &PeopleQuery {
            also: Some(&only_signed),
            ..asked(&user.org_id, &roles, taught_by)
        },
    )
    .await?;
    let status = filter.status.and_then(SignStatus::parse);
    let only_status = |sql: &mut Sql| {
        if let Some(status) = status {
            signing.only(sql, status);
        }
    };
    let found = people::list(
        &state.db,
        &PeopleQuery {
            search: filter.q.unwrap_or("").trim(),
            also: Some(&only_status),
            page: filter.page,
            ..asked(&user.org_id, &roles, taught_by)
        },
    )
    .await?;
    Ok(SigningReport {
        can_follow_up_parents: user.can(Capability::FollowUpParents),
        narrowed: taught_by.is_some(),
        kind,
        current_number: number(&policy.current),
        rows: rows(state, &user.org_id, &policy, &found.rows).await?,
        signed: usize::try_from(signed).unwrap_or(usize::MAX),
        total: usize::try_from(total).unwrap_or(usize::MAX),
        paging: found.paging,
    })
}

/// The rows for the listed people: their signatures and parents' acknowledgements, loaded
/// for them alone.
async fn rows(
    state: &AppState,
    org_id: &OrganisationId,
    policy: &Policy,
    listed: &[PersonRow],
) -> Result<Vec<ReportRow>, AppError> {
    let ids: Vec<PersonId> = listed.iter().map(|p| p.id.clone()).collect();
    let signatures = store::signatures_of_people(&state.db, org_id, &ids).await?;
    let parents = match policy.kind {
        PolicyKind::Learner => {
            let learners: Vec<(PersonId, Option<String>)> = listed
                .iter()
                .map(|p| (p.id.clone(), p.date_of_birth.clone()))
                .collect();
            let (versions, current) = (&policy.versions, &policy.current);
            Some(super::parent_status::statuses(state, org_id, &learners, versions, current).await?)
        }
        PolicyKind::Staff => None,
    };
    Ok(listed
        .iter()
        .map(|p| {
            let theirs = policy.signatures_of(&p.id, &signatures);
            let parent = parents.as_ref().map(|all| {
                all.get(&p.id)
                    .cloned()
                    .unwrap_or(ParentStatus::NoDateOfBirth)
            });
            policy.row(p, &theirs, parent)
        })
        .collect())
}

/// `page`: as typed in the address (anything but a number is page 1, past the end the last).
pub async fn report(
    kind: String,
    status: Option<String>,
    q: Option<String>,
    page: Option<String>,
) -> Result<SigningReport, AppError> {
    let (user, state, kind) = reader(&kind).await?;
    let filter = Filter {
        status: status.as_deref(),
        q: q.as_deref(),
        page: Some(parse_page(page.as_deref())),
    };
    report_for(&state, &user, kind, &filter).await
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

/// For the CSV route (the reader was let in by the same guard as the page): every
/// matching row, not one page.
pub async fn csv_for(
    state: &AppState,
    user: &CurrentUser,
    kind: &str,
    status: Option<&str>,
    q: Option<&str>,
) -> Result<String, AppError> {
    let kind = PolicyKind::parse(kind).ok_or(AppError::NotFound)?;
    let filter = Filter {
        status,
        q,
        page: None,
    };
    to_csv(&report_for(state, user, kind, &filter).await?)
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
