//! One organisation's run under way, batch by batch: leave out who was reminded at their
//! stage before (`notifications_sent`), write each email, then claim its keys, queue it
//! in the outbox and log it, in one transaction per batch of people.

use super::emails::{self, Letterhead};
use super::plan::{Need, NeedAt, Plan};
use super::queries::{self, Key, LogRow, BATCH};
use super::run::{How, Listing, OrgReport, Outgoing, RunError};
use super::types::{ReminderKind, Stage};
use crate::calendar;
use crate::ids::{OrganisationId, PersonId};
use crate::mail::{self, Draft};
use crate::state::AppState;
use crate::training::standing::StaffMember;
use chrono::NaiveDate;
use std::collections::HashSet;

const STAFF_KEY: &str = ReminderKind::Staff.sent_key();

/// An email about to go, with the keys that allow it.
struct Pending<'a> {
    recipient: &'a StaffMember,
    keys: Vec<Key>,
    email: Draft,
    outgoing: Outgoing,
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
pub(super) struct Run<'a> {
    state: &'a AppState,
    org_id: &'a OrganisationId,
    day: String,
    week: String,
    how: How,
}

impl<'a> Run<'a> {
    pub(super) fn new(
        state: &'a AppState,
        org_id: &'a OrganisationId,
        today: NaiveDate,
        how: How,
    ) -> Self {
        Run {
            state,
            org_id,
            day: calendar::day_key(today),
            week: calendar::iso_week_key(today),
            how,
        }
    }

    /// Each member of staff's reminder. While one batch is written, the next is read
    /// and its emails written out, so the database and the templates work at once.
    pub(super) async fn staff(
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

    pub(super) async fn managers(
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

    pub(super) async fn people(
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
        if self.how.dry_run || pending.is_empty() {
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
        if self.how.listing == Listing::Every {
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
