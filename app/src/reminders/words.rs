//! The reminder pages' words: a stored time as London clocks show it, an email's delivery
//! from its outbox row, and the week filter read from the address. Pure functions.

use crate::db;
use chrono::{DateTime, NaiveDate, Utc, Weekday};
use chrono_tz::Europe::London;

/// The longest last error shown: an SMTP server's answer can run on.
const MAX_ERROR_CHARS: usize = 300;

/// An instant as London clocks show it: "2 Dec 2026, 08:01".
pub fn london_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&London)
        .format("%-d %b %Y, %H:%M")
        .to_string()
}

/// A stored time (see `db::timestamp`) in London time; empty if it is not one.
pub fn london_time_of(stored: &str) -> String {
    db::parse_timestamp(stored)
        .map(london_time)
        .unwrap_or_default()
}

/// An email's outbox row, as the log reads it (every column NULL when the row is gone).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: Option<String>,
    pub sent_at: Option<String>,
    pub failed_at: Option<String>,
    pub attempts: Option<i64>,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
}

fn tries(n: i64) -> String {
    if n == 1 {
        "1 try".to_string()
    } else {
        format!("{n} tries")
    }
}

fn times(n: i64) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

/// " Last error: ..." (shortened), or nothing.
fn last_error(row: &OutboxRow) -> String {
    let Some(error) = row.last_error.as_deref().map(str::trim) else {
        return String::new();
    };
    if error.is_empty() {
        return String::new();
    }
    let mut shown: String = error.chars().take(MAX_ERROR_CHARS).collect();
    if error.chars().count() > MAX_ERROR_CHARS {
        shown.push('…');
    }
    format!(" Last error: {shown}")
}

/// When it will be tried again: "09:15" on `today` (London), else with its day.
fn retry_time(stored: &str, today: NaiveDate) -> String {
    match db::parse_timestamp(stored) {
        Some(at) if crate::calendar::today_at(at) == today => {
            at.with_timezone(&London).format("%H:%M").to_string()
        }
        Some(at) => london_time(at),
        None => "a later time".to_string(),
    }
}

/// Where an email stands, in words. An outbox row that is gone was sent and purged after
/// `keep_sent_days` (the outbox only deletes sent rows).
pub fn delivery(row: &OutboxRow, keep_sent_days: i64, today: NaiveDate) -> String {
    if row.id.is_none() {
        return format!("Sent (details removed after {keep_sent_days} days)");
    }
    let attempts = row.attempts.unwrap_or(0);
    if let Some(sent) = &row.sent_at {
        return format!("Sent {}", london_time_of(sent));
    }
    if row.failed_at.is_some() {
        let after = if attempts > 0 {
            format!("gave up after {}", tries(attempts))
        } else {
            "it could not be sent".to_string()
        };
        return format!("Failed: {after}.{}", last_error(row));
    }
    if attempts == 0 {
        return "Waiting to be sent".to_string();
    }
    let next = row.next_attempt_at.as_deref().unwrap_or_default();
    format!(
        "Not sent yet: tried {}, trying again at {}.{}",
        times(attempts),
        retry_time(next, today),
        last_error(row)
    )
}

/// The week filter: an ISO week as `<input type="week">` sends it (2026-W49), or a message
/// saying what was wrong.
pub fn read_week(text: &str) -> Result<String, String> {
    let refused = || {
        format!(
            "\"{}\" is not a week. Choose a week, or type it like 2026-W49 (the year, W and the week number), so the week was left out.",
            text.chars().take(40).collect::<String>()
        )
    };
    let upper = text.trim().to_ascii_uppercase();
    let (year, week) = upper.split_once("-W").ok_or_else(refused)?;
    let all_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(year, 4) || !all_digits(week, 2) {
        return Err(refused());
    }
    let (year, week) = (
        year.parse::<i32>().map_err(|_| refused())?,
        week.parse::<u32>().map_err(|_| refused())?,
    );
    // A week 53 only some years have, or week 0, is not a week.
    NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(refused)?;
    Ok(format!("{year:04}-W{week:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn row(f: impl FnOnce(&mut OutboxRow)) -> OutboxRow {
        let mut row = OutboxRow {
            id: Some("e-1".into()),
            attempts: Some(0),
            ..OutboxRow::default()
        };
        f(&mut row);
        row
    }

    #[test]
    fn times_are_shown_as_london_clocks_show_them() {
        assert_eq!(london_time(utc(2026, 12, 2, 8, 1)), "2 Dec 2026, 08:01");
        // Summer: an hour ahead of UTC.
        assert_eq!(london_time(utc(2026, 7, 14, 23, 30)), "15 Jul 2026, 00:30");
        assert_eq!(
            london_time_of(&db::timestamp(utc(2026, 12, 2, 8, 2))),
            "2 Dec 2026, 08:02"
        );
        assert_eq!(london_time_of("yesterday"), "");
    }

    #[test]
    fn each_delivery_state_is_said_in_words() {
        let today = day(2026, 12, 2);
        let sent = row(|r| r.sent_at = Some(db::timestamp(utc(2026, 12, 2, 8, 2))));
        assert_eq!(delivery(&sent, 30, today), "Sent 2 Dec 2026, 08:02");
        assert_eq!(delivery(&row(|_| ()), 30, today), "Waiting to be sent");
        let retrying = row(|r| {
            r.attempts = Some(3);
            r.next_attempt_at = Some(db::timestamp(utc(2026, 12, 2, 9, 15)));
            r.last_error = Some("connection refused".into());
        });
        assert_eq!(
            delivery(&retrying, 30, today),
            "Not sent yet: tried 3 times, trying again at 09:15. Last error: connection refused"
        );
        let tomorrow = row(|r| {
            r.attempts = Some(1);
            r.next_attempt_at = Some(db::timestamp(utc(2026, 12, 3, 1, 0)));
        });
        assert_eq!(
            delivery(&tomorrow, 30, today),
            "Not sent yet: tried once, trying again at 3 Dec 2026, 01:00."
        );
        let failed = row(|r| {
            r.attempts = Some(10);
            r.failed_at = Some(db::timestamp(utc(2026, 12, 2, 20, 0)));
            r.last_error = Some("550 mailbox unavailable".into());
        });
        assert_eq!(
            delivery(&failed, 30, today),
            "Failed: gave up after 10 tries. Last error: 550 mailbox unavailable"
        );
        assert_eq!(
            delivery(&OutboxRow::default(), 14, today),
            "Sent (details removed after 14 days)"
        );
    }

    #[test]
    fn a_long_error_is_shortened() {
        let long = row(|r| {
            r.failed_at = Some("x".into());
            r.attempts = Some(1);
            r.last_error = Some("e".repeat(1000));
        });
        let words = delivery(&long, 30, day(2026, 12, 2));
        assert!(words.starts_with("Failed: gave up after 1 try. Last error: eee"));
        assert!(words.ends_with('…') && words.chars().count() < 400);
    }

    #[test]
    fn weeks_are_read_as_the_week_box_sends_them() {
        assert_eq!(read_week("2026-W49").as_deref(), Ok("2026-W49"));
        assert_eq!(read_week(" 2026-w01 ").as_deref(), Ok("2026-W01"));
        assert_eq!(read_week("2026-W53").as_deref(), Ok("2026-W53"));
        for bad in [
            "2027-W53",
            "2026-W00",
            "2026-W54",
            "2026-49",
            "W49",
            "2026-W4",
            "next week",
        ] {
            let message = read_week(bad).expect_err(bad);
            assert!(message.contains("like 2026-W49"), "{bad}: {message}");
        }
    }
}
