//! The cohort's insights worked out: completion week by week, and the topics most often
//! wrong on first attempts. The arithmetic is pure (tested below); the page is two queries
//! plus the cached module list and policy.

use super::queries::{self, Completion};
use super::*;
use crate::calendar;
use crate::cohorts::service::{learner_modules, viewer, visible_cohort};
use crate::content::quiz::Quiz;
use crate::db;
use crate::ids::ModuleSlug;
use crate::learning::catalogue::OrgModule;
use crate::policies::report::Policy;
use crate::policies::rules::covering;
use crate::policies::PolicyKind;
use crate::staff::service::display_date;
use chrono::{Datelike, Days, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The most weeks the chart shows (the latest ones).
const MAX_WEEKS: usize = 26;
/// The most topics listed.
const MAX_GAPS: usize = 8;

/// The London day a learner became fully inducted: their last first pass or their
/// signature, whichever came later; None while not complete.
pub fn completed_on(c: &Completion, modules: usize) -> Option<NaiveDate> {
    if c.passed < i64::try_from(modules).unwrap_or(i64::MAX) {
        return None;
    }
    let signed = db::parse_timestamp(c.signed_at.as_deref()?)?;
    let last = match c.last_pass.as_deref().and_then(db::parse_timestamp) {
        Some(pass) => pass.max(signed),
        None => signed,
    };
    Some(calendar::today_at(last))
}

/// Week by week from the week `starts` falls in to the week of `today` (at most the
/// latest [`MAX_WEEKS`]): each week's last day (Sunday, or today) and how many of the
/// `done` days fall on or before it, of `active` learners.
pub fn weeks(
    starts: NaiveDate,
    today: NaiveDate,
    done: &[NaiveDate],
    active: i64,
) -> Vec<WeekPoint> {
    if starts > today || active <= 0 {
        return Vec::new();
    }
    let sunday = |d: NaiveDate| d + Days::new(u64::from(6 - d.weekday().num_days_from_monday()));
    let mut ends = Vec::new();
    let mut end = sunday(starts);
    while end < today {
        ends.push(end);
        end = end + Days::new(7);
    }
    ends.push(today);
    let skip = ends.len().saturating_sub(MAX_WEEKS);
    ends.into_iter()
        .skip(skip)
        .map(|end| {
            let complete = i64::try_from(done.iter().filter(|d| **d <= end).count()).unwrap_or(0);
            WeekPoint {
                ending: display_date(end),
                complete,
                percent: u32::try_from(complete * 100 / active).unwrap_or(100),
            }
        })
        .collect()
}

/// Right and wrong first answers per topic, from first attempts' answers (JSON: question
/// id to the option ids chosen), marked against the modules' quizzes as they are now.
pub fn gaps(attempts: &[(ModuleSlug, Option<String>)], modules: &[OrgModule]) -> Vec<TopicGap> {
    let quizzes: HashMap<&ModuleSlug, (&str, &Quiz)> = modules
        .iter()
        .map(|m| (&m.module.id, (m.module.title.as_str(), &m.module.quiz)))
        .collect();
    // (topic, risks, module title) -> (answered, wrong)
    let mut tally: BTreeMap<(String, Vec<String>, String), (i64, i64)> = BTreeMap::new();
    for (module, answers) in attempts {
        let Some((title, quiz)) = quizzes.get(module) else {
            continue;
        };
        let chosen: BTreeMap<String, BTreeSet<String>> = answers
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or_default();
        for q in &quiz.questions {
            let Some(picked) = chosen.get(&q.id) else {
                continue;
            };
            let correct: BTreeSet<String> = q
                .options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect();
            let entry = tally
                .entry((q.topic.clone(), q.risks.clone(), title.to_string()))
                .or_default();
            entry.0 += 1;
            entry.1 += i64::from(*picked != correct);
        }
    }
    let mut out: Vec<TopicGap> = tally
        .into_iter()
        .filter(|(_, (_, wrong))| *wrong > 0)
        .map(|((topic, risks, module), (answered, wrong))| TopicGap {
            percent_wrong: u32::try_from(wrong * 100 / answered.max(1)).unwrap_or(100),
            topic,
            risks,
            module,
            answered,
            wrong,
        })
        .collect();
    out.sort_by(|a, b| {
        b.percent_wrong
            .cmp(&a.percent_wrong)
            .then(b.wrong.cmp(&a.wrong))
            .then(a.topic.cmp(&b.topic))
    });
    out.truncate(MAX_GAPS);
    out
}

pub async fn insights(cohort_id: CohortId) -> Result<CohortInsights, AppError> {
    let (user, state) = viewer().await?;
    let cohort = visible_cohort(&state, &user, &cohort_id).await?;
    let modules = learner_modules(&state, &user.org_id).await?;
    let ids: Vec<ModuleSlug> = modules.iter().map(|m| m.module.id.clone()).collect();
    let policy = Policy::load(&state, &user.org_id, PolicyKind::Learner, Utc::now()).await?;
    let covers: Vec<_> = covering(&policy.versions, &policy.current)
        .map(|v| v.id.clone())
        .collect();
    let (org, id) = (&user.org_id, &cohort.id);
    let completions = queries::completions(&state.db, org, id, &ids, &covers).await?;
    let attempts = queries::first_attempts(&state.db, org, id).await?;
    let done: Vec<NaiveDate> = completions
        .iter()
        .filter_map(|c| completed_on(c, ids.len()))
        .collect();
    let active = i64::try_from(completions.len()).unwrap_or(i64::MAX);
    let starts = calendar::parse_day(&cohort.starts_on).unwrap_or_else(calendar::today);
    Ok(CohortInsights {
        weeks: weeks(starts, calendar::today(), &done, active),
        gaps: gaps(&attempts, &modules),
        first_attempts: i64::try_from(attempts.len()).unwrap_or(i64::MAX),
        active,
        id: cohort.id,
        name: cohort.name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
    }

    #[test]
    fn weeks_end_on_sundays_up_to_today() {
        // Tuesday 1 September 2026 to Wednesday 16 September 2026.
        let done = [day("2026-09-05"), day("2026-09-07"), day("2026-09-16")];
        let got = weeks(day("2026-09-01"), day("2026-09-16"), &done, 4);
        let summary: Vec<(&str, i64, u32)> = got
            .iter()
            .map(|w| (w.ending.as_str(), w.complete, w.percent))
            .collect();
        assert_eq!(
            summary,
            [
                ("6 September 2026", 1, 25),
                ("13 September 2026", 2, 50),
                ("16 September 2026", 3, 75)
            ]
        );
    }

    #[test]
    fn no_chart_before_the_start_or_without_learners() {
        assert!(weeks(day("2026-10-01"), day("2026-09-16"), &[], 3).is_empty());
        assert!(weeks(day("2026-09-01"), day("2026-09-16"), &[], 0).is_empty());
        let long = weeks(day("2020-01-01"), day("2026-09-16"), &[], 3);
        assert_eq!(long.len(), MAX_WEEKS, "the latest weeks only");
    }

    #[test]
    fn complete_means_every_module_and_the_signature_whichever_came_later() {
        let c = Completion {
            passed: 3,
            last_pass: Some("2026-09-10T10:00:00.000000Z".into()),
            signed_at: Some("2026-09-02T10:00:00.000000Z".into()),
        };
        assert_eq!(completed_on(&c, 3), Some(day("2026-09-10")));
        assert_eq!(completed_on(&c, 4), None, "a module still to pass");
        let unsigned = Completion {
            signed_at: None,
            ..c
        };
        assert_eq!(completed_on(&unsigned, 3), None, "the policy still to sign");
        // 23:30 UTC on 10 September is the 11th in London (BST).
        let late = Completion {
            passed: 1,
            last_pass: Some("2026-09-10T23:30:00.000000Z".into()),
            signed_at: Some("2026-09-01T10:00:00.000000Z".into()),
        };
        assert_eq!(completed_on(&late, 1), Some(day("2026-09-11")));
    }
}
