//! The cohort grid worked out from the learners' progress rows, their signatures of the
//! learner policy and (for under-18s) their parents' acknowledgements: a fixed number of
//! queries for a page, whatever the cohort's size.

use super::queries::{self, GridLine, GridQuery, Show, SortBy};
use super::service::{learner_modules, long_day, viewer, visible_cohort, MAX_NAME};
use super::status::{status_words, LearnerStatus};
use super::types::*;
use crate::auth::{Capability, CurrentUser};
use crate::calendar;
use crate::error::AppError;
use crate::ids::{CohortId, ModuleSlug, PersonId};
use crate::learning::queries::ProgressRow;
use crate::learning::ModuleStatus;
use crate::people::{parse_page, Paging, PER_PAGE};
use crate::policies::parent_status::statuses;
use crate::policies::queries::SignatureRow;
use crate::policies::report::Policy;
use crate::policies::report_queries::{signatures_of_people, Signing};
use crate::policies::rules::number;
use crate::policies::{ParentStatus, PolicyKind, SignStatus};
use crate::staff::service::display_date;
use crate::state::AppState;
use chrono::{NaiveDate, Utc};
use std::collections::HashMap;

/// The filter asked for, and its name as the address writes it.
fn show_of(text: &str) -> (Show, &'static str) {
    match text.trim() {
        "behind" => (Show::Behind, "behind"),
        "not-started" => (Show::NotStarted, "not-started"),
        "complete" => (Show::Complete, "complete"),
        "inactive" => (Show::Inactive, "inactive"),
        _ => (Show::Everyone, ""),
    }
}

/// The sort asked for (a known column, else by name), whether descending, and its name as
/// the address writes it.
fn sort_of(text: &str, modules: &[ModuleSlug]) -> (SortBy, bool, String) {
    let text = text.trim();
    let (descending, key) = match text.strip_prefix('-') {
        Some(key) => (true, key),
        None => (false, text),
    };
    let sort = match key {
        "name" => SortBy::Name,
        "due" => SortBy::Due,
        "active" => SortBy::LastActive,
        "passed" => SortBy::Passed,
        "status" => SortBy::Status,
        "policy" => SortBy::Policy,
        "parent" => SortBy::Parent,
        _ => match key.strip_prefix("module-") {
            Some(id) if modules.iter().any(|m| m.as_str() == id) => {
                SortBy::Module(ModuleSlug::from_param(id.to_string()))
            }
            _ => return (SortBy::Name, false, String::new()),
        },
    };
    let written = format!("{}{key}", if descending { "-" } else { "" });
    (sort, descending, written)
}

pub async fn grid(cohort_id: CohortId, asked: GridAsked) -> Result<CohortGrid, AppError> {
    let (user, state) = viewer().await?;
    let rows = if asked.page.trim() == "all" {
        Rows::All
    } else {
        Rows::OnePage
    };
    grid_of(&state, &user, &cohort_id, asked, rows).await
}

/// How much of the grid to read: one page, or every learner the filter keeps (the export
/// and print view), or every learner's progress without the words of their agreements
/// (choosing whom to nudge, which needs only who is behind or complete).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    OnePage,
    All,
    AllProgress,
}

/// The grid as `user` (who may view cohorts) may see it.
pub async fn grid_of(
    state: &AppState,
    user: &CurrentUser,
    cohort_id: &CohortId,
    asked: GridAsked,
    rows: Rows,
) -> Result<CohortGrid, AppError> {
    let cohort = visible_cohort(state, user, cohort_id).await?;
    let tutors = queries::tutors(&state.db, &user.org_id, Some(&cohort.id))
        .await?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    let modules = learner_modules(state, &user.org_id).await?;
    let ids: Vec<ModuleSlug> = modules.iter().map(|m| m.module.id.clone()).collect();
    let (show, show_written) = show_of(&asked.show);
    let (sort, descending, sort_written) = sort_of(&asked.sort, &ids);
    let search: String = asked.q.trim().chars().take(MAX_NAME).collect();
    let today = calendar::today();
    let today_key = calendar::day_key(today);
    let adult_born_by = calendar::day_key(adult_born_by(today));
    let policy = Policy::load(state, &user.org_id, PolicyKind::Learner, Utc::now()).await?;
    let signing = Signing::new(
        &policy.versions,
        &policy.current,
        policy.every_months,
        policy.now,
    );
    let mut query = GridQuery {
        org_id: &user.org_id,
        cohort_id: &cohort.id,
        modules: &ids,
        today: &today_key,
        signing: Some(&signing),
        adult_born_by: &adult_born_by,
        show,
        search: &search,
        sort: &sort,
        descending,
        offset: 0,
        limit: PER_PAGE,
    };
    let [learners, behind, not_started, complete, inactive, matched] =
        queries::grid_counts(&state.db, &query).await?;
    let matched = u64::try_from(matched).unwrap_or(0);
    let paging = match rows {
        Rows::OnePage => Paging::new(parse_page(Some(&asked.page)), PER_PAGE, matched),
        Rows::All | Rows::AllProgress => {
            Paging::new(1, u32::try_from(matched).unwrap_or(u32::MAX), matched)
        }
    };
    query.offset = paging.offset();
    query.limit = paging.per_page;
    let lines = queries::grid(&state.db, &query).await?;
    let agreements = match rows {
        Rows::AllProgress => HashMap::new(),
        Rows::OnePage | Rows::All => {
            let listed: Vec<(PersonId, Option<String>)> = lines
                .chunk_by(|a, b| a.learner_id == b.learner_id)
                .map(|l| (l[0].learner_id.clone(), l[0].date_of_birth.clone()))
                .collect();
            agreements(state, user, &policy, &listed).await?
        }
    };
    let sections: Vec<(ModuleSlug, usize)> = modules
        .iter()
        .map(|m| (m.module.id.clone(), m.module.sections.len()))
        .collect();
    Ok(CohortGrid {
        asked: GridAsked {
            show: show_written.to_string(),
            q: search.clone(),
            sort: sort_written,
            page: paging.page.to_string(),
        },
        totals: GridTotals {
            learners,
            behind,
            not_started,
            complete,
            inactive,
        },
        paging,
        rows: rows_of(&lines, &sections, &agreements, today),
        columns: modules
            .iter()
            .map(|m| GridColumn {
                id: m.module.id.clone(),
                title: m.module.title.clone(),
            })
            .collect(),
        today: display_date(today),
        nudges: match rows {
            Rows::OnePage => super::nudges::service::recent(state, user, &cohort.id).await?,
            Rows::All | Rows::AllProgress => Vec::new(),
        },
        id: cohort.id,
        name: cohort.name,
        starts_on: long_day(&cohort.starts_on),
        ends_on: long_day(&cohort.ends_on),
        tutors,
        can_enrol: user.can(Capability::ManageCohorts) || cohort.taught > 0,
        induction_days: cohort.induction_days,
        can_add_tutor: user.can(Capability::ManageCohorts),
    })
}

/// The latest birthday of someone 18 or over on `today` (a 29 February birthday counts
/// from 1 March in other years, as `NaiveDate::years_since` does).
pub fn adult_born_by(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(chrono::Months::new(18 * 12))
        .unwrap_or(NaiveDate::MIN)
}

/// What a learner has agreed to: the learner policy and, under 18, their parent's
/// acknowledgement, in words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Agreement {
    pub policy: String,
    pub parent: String,
    /// Their signature of the learner policy stands (signed, not due again).
    pub signed: bool,
}

fn policy_words(policy: &Policy, theirs: &[SignatureRow]) -> String {
    let status = policy.status(theirs);
    let last = theirs.first().and_then(|s| {
        let v = policy.versions.iter().find(|v| v.id == s.version_id)?;
        Some((number(v), crate::db::display_day(&s.signed_at)))
    });
    match (status, last) {
        (SignStatus::NotSigned, _) | (_, None) => status.label().to_string(),
        (status, Some((version, on))) => format!("{} (version {version}, {on})", status.label()),
    }
}

fn parent_words(status: &ParentStatus) -> String {
    match status {
        ParentStatus::Acknowledged(a) => format!("Acknowledged {}", a.on),
        ParentStatus::Waiting => "Waiting (under 18)".to_string(),
        other => other.label(),
    }
}

/// The agreements of the learners listed (id, date of birth): two queries (their
/// signatures, their parents' acknowledgements) whatever the number.
pub(super) async fn agreements(
    state: &AppState,
    user: &CurrentUser,
    policy: &Policy,
    listed: &[(PersonId, Option<String>)],
) -> Result<HashMap<PersonId, Agreement>, AppError> {
    let ids: Vec<PersonId> = listed.iter().map(|(id, _)| id.clone()).collect();
    let signatures = signatures_of_people(&state.db, &user.org_id, &ids).await?;
    let (versions, current) = (&policy.versions, &policy.current);
    let parents = statuses(state, &user.org_id, listed, versions, current).await?;
    Ok(ids
        .into_iter()
        .map(|id| {
            let theirs = policy.signatures_of(&id, &signatures);
            let parent = parents
                .get(&id)
                .map(parent_words)
                .unwrap_or_else(|| ParentStatus::NoDateOfBirth.label());
            let signed = policy.status(&theirs) == SignStatus::Signed;
            let policy = policy_words(policy, &theirs);
            let agreement = Agreement {
                policy,
                parent,
                signed,
            };
            (id, agreement)
        })
        .collect())
}

/// A module's cell from the learner's progress row for it, if any.
pub fn cell(progress: Option<&ProgressRow>, sections: usize) -> CellState {
    let Some(progress) = progress else {
        return CellState::NotStarted;
    };
    match (progress.status(), &progress.passed_at) {
        (ModuleStatus::Passed, Some(passed_at)) => CellState::Passed {
            best_percent: progress.best_percent().unwrap_or(0),
            on: crate::db::display_day(passed_at),
        },
        (ModuleStatus::InProgress, _) => CellState::InProgress {
            sections_read: progress.sections_read_of(sections),
            sections,
        },
        _ => CellState::NotStarted,
    }
}

/// The grid's rows from the query's lines (grouped by learner, in the query's order).
pub fn rows_of(
    lines: &[GridLine],
    modules: &[(ModuleSlug, usize)],
    agreements: &HashMap<PersonId, Agreement>,
    today: NaiveDate,
) -> Vec<GridRow> {
    let mut rows: Vec<GridRow> = Vec::new();
    for learner in lines.chunk_by(|a, b| a.learner_id == b.learner_id) {
        let first = &learner[0];
        let by_module: HashMap<&ModuleSlug, &GridLine> = learner
            .iter()
            .filter_map(|l| l.module_id.as_ref().map(|m| (m, l)))
            .collect();
        let cells: Vec<CellState> = modules
            .iter()
            .map(|(id, sections)| {
                let progress = by_module.get(id).and_then(|l| l.progress());
                cell(progress.as_ref(), *sections)
            })
            .collect();
        let passed = cells
            .iter()
            .filter(|c| matches!(c, CellState::Passed { .. }))
            .count();
        let due = first.due_on.as_deref().and_then(calendar::parse_day);
        let status = LearnerStatus::parse(&first.status).unwrap_or(LearnerStatus::Active);
        let day = |d: &Option<String>| d.as_deref().and_then(calendar::parse_day);
        let break_days = day(&first.break_from).zip(day(&first.break_to));
        let last_active = first
            .last_active
            .as_deref()
            .map(crate::db::display_day)
            .unwrap_or_default();
        let agreement = agreements
            .get(&first.learner_id)
            .cloned()
            .unwrap_or_default();
        let complete = passed >= modules.len() && first.signed == 1;
        rows.push(GridRow {
            learner_id: first.learner_id.clone(),
            name: first.full_name.clone(),
            behind: !status.inactive() && due.is_some_and(|d| d < today) && !complete,
            complete,
            policy: agreement.policy,
            parent: agreement.parent,
            status: status_words(status, break_days),
            inactive: status.inactive(),
            due_on: due.map(display_date).unwrap_or_default(),
            passed,
            cells,
            last_active,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::adult_born_by;
    use crate::policies::parent_status::age_on;
    use chrono::{Days, NaiveDate};

    /// The SQL's "born on or before" agrees with the age shown everywhere else, on every
    /// day of a leap cycle and for birthdays around 29 February and the year's ends.
    #[test]
    fn born_by_agrees_with_age_on_every_day_of_four_years() {
        let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        for offset in 0..(4 * 366) {
            let today = start + Days::new(offset);
            let cutoff = adult_born_by(today);
            for (y, m, d) in [
                (2008, 2, 29),
                (2009, 2, 28),
                (2009, 3, 1),
                (2010, 12, 31),
                (2011, 1, 1),
            ] {
                for shift in [-1i64, 0, 1] {
                    let born =
                        NaiveDate::from_ymd_opt(y, m, d).unwrap() + chrono::Duration::days(shift);
                    let text = born.format("%Y-%m-%d").to_string();
                    let adult = age_on(&text, today).is_some_and(|a| a >= 18);
                    assert_eq!(born <= cutoff, adult, "born {born}, today {today}");
                }
            }
        }
    }
}
