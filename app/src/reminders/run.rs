//! The daily run: for each organisation, plan the day (`plan`), leave out what was sent
//! before (`notifications_sent`), and for each email record its keys, queue it in the
//! outbox and log it, in one transaction per batch of people. A second run, a restart
//! half-way or a second server finds the keys and sends nothing again; a dry run reads
//! the same and writes nothing.

use super::emails::{self, Letterhead};
use super::plan::{self, Need, NeedAt, Plan};
use super::queries::{self, Key, LogRow, BATCH};
use super::runs::{self, Outcome};
use super::settings;
use super::types::{ReminderKind, ReminderSettings, Stage};
use crate::calendar;
use crate::ids::{OrganisationId, PersonId};
use crate::mail::{self, Draft};
use crate::state::AppState;
use crate::training::standing::{self, Scope, StaffMember};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashSet;

const STAFF_KEY: &str = ReminderKind::Staff.sent_key();

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("reminders: database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("reminders: {0}")]
    Template(#[from] crate::mail::templates::TemplateError),
    #[error("reminders: {0}")]
    Queue(#[from] crate::mail::QueueError),
}

/// One email a run queued, or (dry run) would queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub kind: ReminderKind,
    pub to_name: String,
    pub to_email: String,
    /// What it lists, in a few words: also the reminder log's summary.
    pub summary: String,
}

/// What a run keeps of the emails it queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Each email, to print or compare: the command line and a dry run.
    Every,
    /// Only how many: the daily job, which would otherwise hold an entry per email
    /// (about 25 MB over 100,000 staff) for one log line. The reminder log has them all.
    Count,
}

/// What a run did for one organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgReport {
    pub org_id: OrganisationId,
    pub org_name: String,
    pub paused: bool,
    /// How many emails were queued (with a dry run: would be).
    pub queued: u64,
    /// The emails queued (with a dry run: that would be queued), with [`Listing::Every`];
    /// empty with [`Listing::Count`].
    pub emails: Vec<Outgoing>,
    /// People with something due who had already been reminded at its stage.
    pub already: u64,
}

/// An email about to go, with the keys that allow it.
struct Pending<'a> {
    recipient: &'a StaffMember,
    keys: Vec<Key>,
    email: Draft,
    outgoing: Outgoing,
}

/// The scheduled job: every organisation whose sending hour has come at `now` (London
/// time) and whose run for today has not finished. An organisation that fails does not
/// stop the others; the first error is returned so the job is retried. The reports
/// count the emails ([`Listing::Count`]).
pub async fn run_due(state: &AppState, now: DateTime<Utc>) -> Result<Vec<OrgReport>, RunError> {
    let today = calendar::today_at(now);
    let hour = calendar::local_hour(now);
    let finished = runs::outcomes_on(&state.db, today).await?;
    let mut due = Vec::new();
    for (org_id, name, settings) in settings::all(&state.db).await? {
        let outcome = finished
            .iter()
            .find(|(id, _)| *id == org_id)
            .map(|(_, o)| o.as_str());
        let done = match outcome {
            Some("sent") => true,
            // A run that found reminders paused is done only while they stay paused.
            Some(_) => settings.is_paused(),
            None => false,
        };
        if hour >= settings.send_hour && !done {
            due.push((org_id, name, settings));
        }
    }
    let how = How {
        dry_run: false,
        listing: Listing::Count,
    };
    run_each(state, due, today, how).await
}

/// Every organisation, for `today`, whatever the hour (the command line), listing each
/// email ([`Listing::Every`]).
pub async fn run_all(
    state: &AppState,
    today: NaiveDate,
    dry_run: bool,
) -> Result<Vec<OrgReport>, RunError> {
    let all = settings::all(&state.db).await?;
    let how = How {
        dry_run,
        listing: Listing::Every,
    };
    run_each(state, all, today, how).await
}

/// How a run goes: for real or dry, and what it keeps of the emails.
#[derive(Clone, Copy, Debug)]
pub struct How {
    pub dry_run: bool,
    pub listing: Listing,
}

async fn run_each(
    state: &AppState,
    orgs: Vec<(OrganisationId, String, ReminderSettings)>,
    today: NaiveDate,
    how: How,
) -> Result<Vec<OrgReport>, RunError> {
    let mut reports = Vec::new();
    let mut first_error = None;
    for (org_id, name, settings) in orgs {
        match run_organisation(state, &org_id, &name, &settings, today, how).await {
            Ok(report) => reports.push(report),
            Err(error) => {
                tracing::warn!(org_id = org_id.as_str(), %error, "staff reminders failed");
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(reports),
    }
}

/// One organisation's run for `today`.
pub async fn run_organisation(
    state: &AppState,
    org_id: &OrganisationId,
    org_name: &str,
    settings: &ReminderSettings,
    today: NaiveDate,
    how: How,
) -> Result<OrgReport, RunError> {
    let dry_run = how.dry_run;
    let mut report = OrgReport {
        org_id: org_id.clone(),
        org_name: org_name.to_string(),
        paused: settings.is_paused(),
        queued: 0,
        emails: Vec::new(),
        already: 0,
    };
    if settings.is_paused() {
        if !dry_run {
            runs::record(&state.db, org_id, today, Outcome::Paused, 0).await?;
        }
        return Ok(report);
    }
    let standing = standing::load_on(&state.db, org_id, Scope::Organisation, today).await?;
    let plan = plan::plan(&standing, settings, today);
    let title =
        |by: &crate::training::SatisfiedBy| crate::training::views_service::module_title(state, by);
    let head = Letterhead {
        org_name,
        base_url: &state.settings.base_url,
        escalate_after_days: settings.escalate_after_days,
        module_title: &title,
    };
    let run = Run {
        state,
        org_id,
        day: calendar::day_key(today),
        week: calendar::iso_week_key(today),
        dry_run,
        listing: how.listing,
    };
    run.staff(&head, &plan, &mut report).await?;
    if let Some(week) = &plan.digest_week {
        run.managers(&head, &plan, week, &mut report).await?;
        run.people(&head, &plan, week, &mut report).await?;
    }
    if !dry_run {
        runs::record(&state.db, org_id, today, Outcome::Sent, report.queued).await?;
    }
    Ok(report)
}

/// Whether `need` was already reminded at its stage or a later one (for the same due
/// date: a later stage sent first, then an earlier one, would read backwards).
fn reminded(sent: &HashSet<(PersonId, String, String)>, need: &Need<'_>) -> bool {
    let subject = need.subject();
    Stage::ALL
        .iter()
        .filter(|stage| **stage >= need.stage)
        .any(|stage| {
            sent.contains(&(
                need.person.id.clone(),
                subject.clone(),
                stage.as_str().to_string(),
            ))
        })
}

/// Whether `key` is among the keys `sent` (as `queries::sent` gives them).
fn was_sent(sent: &HashSet<(PersonId, String, String)>, key: &Key) -> bool {
    sent.contains(&(
        key.recipient.clone(),
        key.subject.clone(),
        key.period.clone(),
    ))
}

fn staff_summary(needs: &[Need<'_>]) -> String {
    needs
        .iter()
        .map(|n| {
            format!(
                "{}: {}",
                n.requirement.requirement.name,
                emails::when(&n.status)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One organisation's run, under way.
struct Run<'a> {
    state: &'a AppState,
    org_id: &'a OrganisationId,
    day: String,
    week: String,
    dry_run: bool,
    listing: Listing,
}

impl Run<'_> {
    /// Each member of staff's reminder. While one batch is written, the next is read
    /// and its emails written out, so the database and the templates work at once.
    async fn staff(
        &self,
        head: &Letterhead<'_>,
        plan: &Plan<'_>,
        report: &mut OrgReport,
    ) -> Result<(), RunError> {
        let mut batches = plan.staff.chunks(BATCH);
        let mut ready = match batches.next() {
            Some(batch) => Some(self.staff_batch(head, batch).await?),
            None => None,
        };
        while let Some((pending, already)) = ready.take() {
            report.already += already;
            let next = batches.next();
            let (delivered, prepared) = tokio::join!(self.deliver(pending, report), async {
                match next {
                    Some(batch) => self.staff_batch(head, batch).await.map(Some),
                    None => Ok(None),
                }
            });
            delivered?;
            ready = prepared?;
        }
        Ok(())
    }

    /// The reminders of one batch of people not yet sent at their stage, and how many
    /// people had been reminded already.
    async fn staff_batch<'p>(
        &self,
        head: &Letterhead<'_>,
        batch: &'p [(&'p StaffMember, Vec<Need<'p>>)],
    ) -> Result<(Vec<Pending<'p>>, u64), RunError> {
        let ids: Vec<&PersonId> = batch.iter().map(|(p, _)| &p.id).collect();
        let sent = queries::sent(&self.state.db, STAFF_KEY, &ids).await?;
        let mut pending = Vec::new();
        let mut already = 0;
        for (person, needs) in batch {
            let keys: Vec<Key> = needs
                .iter()
                .filter(|need| !reminded(&sent, need))
                .map(|need| Key {
                    recipient: person.id.clone(),
                    kind: STAFF_KEY,
                    subject: need.subject(),
                    period: need.stage.as_str().to_string(),
                })
                .collect();
            if keys.is_empty() {
                already += 1;
                continue;
            }
            pending.push(Pending {
                recipient: person,
                keys,
                email: emails::staff_reminder(head, person, needs)?,
                outgoing: outgoing(ReminderKind::Staff, person, staff_summary(needs)),
            });
        }
        Ok((pending, already))
    }

    async fn managers(
        &self,
        head: &Letterhead<'_>,
        plan: &Plan<'_>,
        week: &str,
        report: &mut OrgReport,
    ) -> Result<(), RunError> {
        let write = |(manager, places): &(&StaffMember, Vec<NeedAt>)| {
            let needs = plan.needs_at(places);
            let summary = format!(
                "{} in their team overdue or due soon",
                count_people(emails::people_in(&needs))
            );
            Ok((emails::manager_digest(head, manager, &needs)?, summary))
        };
        let kind = ReminderKind::ManagerDigest;
        self.weekly(kind, week, &plan.managers, |(m, _)| m, write, report)
            .await
    }

    async fn people(
        &self,
        head: &Letterhead<'_>,
        plan: &Plan<'_>,
        week: &str,
        report: &mut OrgReport,
    ) -> Result<(), RunError> {
        if plan.escalated.is_empty() && plan.exceptions.is_empty() {
            return Ok(());
        }
        let escalated = plan.needs_at(&plan.escalated);
        let summary = format!(
            "{} overdue by more than {} days; {} with no line manager",
            count_people(emails::people_in(&escalated)),
            head.escalate_after_days,
            count_people(plan.exceptions.len())
        );
        let write = |reader: &&StaffMember| {
            let email = emails::people_digest(head, reader, &escalated, &plan.exceptions)?;
            Ok((email, summary.clone()))
        };
        let kind = ReminderKind::PeopleDigest;
        let readers = &plan.people_department;
        self.weekly(kind, week, readers, |reader| reader, write, report)
            .await
    }

    /// A weekly digest of `kind` to each reader not yet sent one this week: `reader`
    /// names the reader of an entry, `write` writes its email and log summary.
    async fn weekly<'p, T>(
        &self,
        kind: ReminderKind,
        week: &str,
        entries: &'p [T],
        reader: impl Fn(&'p T) -> &&'p StaffMember,
        write: impl Fn(&'p T) -> Result<(Draft, String), RunError>,
        report: &mut OrgReport,
    ) -> Result<(), RunError> {
        for batch in entries.chunks(BATCH) {
            let ids: Vec<&PersonId> = batch.iter().map(|e| &reader(e).id).collect();
            let sent = queries::sent(&self.state.db, kind.sent_key(), &ids).await?;
            let mut pending = Vec::new();
            for entry in batch {
                let to: &StaffMember = reader(entry);
                let key = self.weekly_key(to, kind.sent_key(), week);
                if was_sent(&sent, &key) {
                    continue;
                }
                let (email, summary) = write(entry)?;
                pending.push(Pending {
                    recipient: to,
                    keys: vec![key],
                    email,
                    outgoing: outgoing(kind, to, summary),
                });
            }
            self.deliver(pending, report).await?;
        }
        Ok(())
    }

    fn weekly_key(&self, recipient: &StaffMember, kind: &'static str, week: &str) -> Key {
        Key {
            recipient: recipient.id.clone(),
            kind,
            subject: self.org_id.as_str().to_string(),
            period: week.to_string(),
        }
    }

    /// Record the keys, queue the emails whose keys this run won, and log them, in one
    /// transaction; a dry run only reports them.
    async fn deliver(
        &self,
        pending: Vec<Pending<'_>>,
        report: &mut OrgReport,
    ) -> Result<(), RunError> {
        if self.dry_run || pending.is_empty() {
            self.report_queued(report, pending);
            return Ok(());
        }
        let mut tx = crate::db::begin(&self.state.db).await?;
        let keys: Vec<&Key> = pending.iter().flat_map(|p| p.keys.iter()).collect();
        let won = queries::claim(&mut tx, self.org_id, &keys).await?;
        let (going, beaten): (Vec<Pending>, Vec<Pending>) = pending
            .into_iter()
            .partition(|p| p.keys.iter().any(|k| won.contains(k)));
        report.already += u64::try_from(beaten.len()).unwrap_or(0);
        // Both split their rows into statements themselves.
        let drafts: Vec<&Draft> = going.iter().map(|p| &p.email).collect();
        let ids = mail::enqueue_drafts(
            &mut tx,
            &self.state.settings.secret_key,
            self.org_id,
            &drafts,
        )
        .await?;
        let rows: Vec<LogRow> = going
            .iter()
            .zip(&ids)
            .map(|(p, id)| LogRow {
                recipient: &p.recipient.id,
                kind: p.outgoing.kind.as_str(),
                summary: &p.outgoing.summary,
                outbox_id: id,
            })
            .collect();
        queries::log(&mut tx, self.org_id, &self.day, &self.week, &rows).await?;
        tx.commit().await?;
        self.report_queued(report, going);
        Ok(())
    }

    fn report_queued(&self, report: &mut OrgReport, queued: Vec<Pending<'_>>) {
        report.queued += u64::try_from(queued.len()).unwrap_or(u64::MAX);
        if self.listing == Listing::Every {
            report.emails.extend(queued.into_iter().map(|p| p.outgoing));
        }
    }
}

fn outgoing(kind: ReminderKind, to: &StaffMember, summary: String) -> Outgoing {
    Outgoing {
        kind,
        to_name: to.name.clone(),
        to_email: to.email.clone(),
        summary,
    }
}

fn count_people(n: usize) -> String {
    if n == 1 {
        "1 person".to_string()
    } else {
        format!("{n} people")
    }
}

// A run fails only on the installation's faults (database, templates), never on input.
impl From<RunError> for crate::error::AppError {
    fn from(error: RunError) -> Self {
        crate::error::AppError::internal(error)
    }
}
