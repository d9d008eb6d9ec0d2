//! Where a learner's parent or carer acknowledgement stands: for the learner's own
//! `/policies`, the tutor's case page and the signing report.

use super::parent_queries::{self as store, AcknowledgementRow, LearnerRow};
use super::queries::VersionRow;
use super::rules::covering;
use super::types::*;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::ids::{OrganisationId, PersonId};
use crate::state::AppState;
use chrono::NaiveDate;

/// Age in whole years on `today`, from a stored date of birth (`2009-05-14`).
pub fn age_on(date_of_birth: &str, today: NaiveDate) -> Option<u32> {
    let born = NaiveDate::parse_from_str(date_of_birth, "%Y-%m-%d").ok()?;
    today.years_since(born)
}

/// Today in Europe/London, where ages are counted.
pub(crate) fn today() -> NaiveDate {
    crate::calendar::today()
}

/// The learner's age today, if their date of birth is recorded.
pub(crate) fn age_today(learner: &LearnerRow) -> Option<u32> {
    learner
        .date_of_birth
        .as_deref()
        .and_then(|d| age_on(d, today()))
}

/// Where a learner's parent acknowledgement stands. `acknowledgements` are this learner's.
pub(crate) fn status_for(
    date_of_birth: Option<&str>,
    versions: &[VersionRow],
    current: &VersionRow,
    acknowledgements: &[AcknowledgementRow],
    today: NaiveDate,
) -> ParentStatus {
    let Some(age) = date_of_birth.and_then(|d| age_on(d, today)) else {
        return ParentStatus::NoDateOfBirth;
    };
    if age >= 18 {
        return ParentStatus::NotNeeded;
    }
    acknowledgements
        .iter()
        .find(|a| covering(versions, current).any(|v| v.id == a.version_id))
        .map(|a| ParentStatus::Acknowledged(summary(a, versions)))
        .unwrap_or(ParentStatus::Waiting)
}

pub(crate) fn summary(a: &AcknowledgementRow, versions: &[VersionRow]) -> ParentAcknowledgement {
    let how = if a.method == "paper" {
        let scanned = if a.scanned.as_deref() == Some("yes") {
            "scanned copy kept"
        } else {
            "not scanned"
        };
        format!(
            "on paper, recorded by {} ({scanned})",
            a.recorded_by_name.as_deref().unwrap_or("a member of staff")
        )
    } else {
        "by email".to_string()
    };
    ParentAcknowledgement {
        parent_name: a.parent_name.clone(),
        relationship: a.relationship.clone(),
        version: versions
            .iter()
            .find(|v| v.id == a.version_id)
            .and_then(|v| u32::try_from(v.number).ok())
            .unwrap_or(0),
        on: long_date(&a.acknowledged_on),
        how,
    }
}

/// "2026-11-25" as "25 November 2026".
pub(crate) fn long_date(date: &str) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| date.to_string())
}

/// Status of each listed learner (id, date of birth), by id, for the signing report.
/// `versions` and `current` are the learner policy's, which the caller has loaded.
pub(crate) async fn statuses(
    state: &AppState,
    org_id: &OrganisationId,
    learners: &[(PersonId, Option<String>)],
    versions: &[VersionRow],
    current: &VersionRow,
) -> Result<std::collections::HashMap<PersonId, ParentStatus>, AppError> {
    let ids: Vec<PersonId> = learners.iter().map(|(id, _)| id.clone()).collect();
    let all = store::acknowledgements_of(&state.db, org_id, &ids).await?;
    let today = today();
    let mut out = std::collections::HashMap::new();
    for (id, dob) in learners {
        let theirs: Vec<AcknowledgementRow> = all
            .iter()
            .filter(|a| a.learner_id == *id)
            .cloned()
            .collect();
        let status = status_for(dob.as_deref(), versions, current, &theirs, today);
        out.insert(id.clone(), status);
    }
    Ok(out)
}

/// For the learner's own `/policies`: shown only when their parent is asked.
/// `versions` and `current` are the learner policy's, which the caller has loaded.
pub(crate) async fn status_of_learner(
    state: &AppState,
    user: &CurrentUser,
    versions: &[VersionRow],
    current: &VersionRow,
) -> Result<Option<ParentStatus>, AppError> {
    let Some(learner) = store::learner(&state.db, &user.org_id, &user.id).await? else {
        return Ok(None);
    };
    let theirs = store::acknowledgements(&state.db, &user.org_id, Some(&user.id)).await?;
    let status = status_for(
        learner.date_of_birth.as_deref(),
        versions,
        current,
        &theirs,
        today(),
    );
    Ok(matches!(
        status,
        ParentStatus::Waiting | ParentStatus::Acknowledged(_)
    )
    .then_some(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn age_counts_whole_years_up_to_the_birthday() {
        assert_eq!(age_on("2008-11-26", date("2026-11-25")), Some(17));
        assert_eq!(age_on("2008-11-25", date("2026-11-25")), Some(18));
        assert_eq!(age_on("2008-02-29", date("2026-02-28")), Some(17));
        assert_eq!(age_on("not a date", date("2026-11-25")), None);
        assert_eq!(age_on("2030-01-01", date("2026-11-25")), None);
    }
}
