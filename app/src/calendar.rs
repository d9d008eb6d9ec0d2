//! Calendar days as people in the UK live them: one "today" in Europe/London for the whole
//! app, whatever the server's own time zone, and local hours that follow BST and GMT.
//!
//! Stored times stay UTC (see `db::timestamp`); this is only for deciding which day it is.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;

/// Today in London.
pub fn today() -> NaiveDate {
    today_at(Utc::now())
}

/// The London date at the instant `now`.
pub fn today_at(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&London).date_naive()
}

/// The hour London clocks show at `now` (0 to 23).
pub fn local_hour(now: DateTime<Utc>) -> u32 {
    use chrono::Timelike;
    now.with_timezone(&London).hour()
}

/// A stored time (`db::timestamp`) as London clocks showed it, like "3 December 2026 at
/// 10:15"; empty for anything else.
pub fn london_time(stored: &str) -> String {
    crate::db::parse_timestamp(stored)
        .map(|t| {
            t.with_timezone(&London)
                .format("%-d %B %Y at %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// A day as stored in date columns, like 2026-12-02 (it sorts as text in date order).
pub fn day_key(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// A day stored as text, like 2026-12-02 (None if it is not one).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// The ISO week of a day, like 2026-W49 (weeks start on Monday; week 1 holds a Thursday).
pub fn iso_week_key(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// The first instant after `now` when London clocks show `hour`:00 (0 to 23).
pub fn next_local_hour(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let today = today_at(now);
    // Today's if still to come, else tomorrow's: every London day has each hour (see below).
    (0..3)
        .filter_map(|n| today.checked_add_days(Days::new(n)))
        .filter_map(|day| local_hour_on(day, hour.min(23)))
        .find(|at| *at > now)
        .unwrap_or(now + chrono::Duration::days(1))
}

/// The instant `day` ends in London (the next day's midnight): records written before it
/// are those that stood at the end of `day`.
pub fn end_of_day(day: NaiveDate) -> Option<DateTime<Utc>> {
    local_hour_on(day.checked_add_days(Days::new(1))?, 0)
}

/// The instant London clocks show `hour`:00 on `day`. An hour skipped when the clocks go
/// forward (01:00 in late March) counts as the first hour after the gap; of an hour that
/// happens twice (01:00 in late October), the first.
fn local_hour_on(day: NaiveDate, hour: u32) -> Option<DateTime<Utc>> {
    let local = day.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?);
    let found = London.from_local_datetime(&local).earliest().or_else(|| {
        let after_gap = local.checked_add_signed(chrono::Duration::hours(1))?;
        London.from_local_datetime(&after_gap).earliest()
    })?;
    Some(found.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("a valid time")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    #[test]
    fn today_is_the_london_date_not_the_utc_one() {
        // Summer (BST, UTC+1): 23:30 UTC is already tomorrow in London.
        assert_eq!(today_at(utc(2026, 7, 14, 23, 30)), date(2026, 7, 15));
        assert_eq!(today_at(utc(2026, 7, 14, 22, 59)), date(2026, 7, 14));
        // Winter (GMT): London and UTC agree.
        assert_eq!(today_at(utc(2026, 1, 14, 23, 30)), date(2026, 1, 14));
    }

    #[test]
    fn week_keys_follow_iso_weeks_across_the_new_year() {
        assert_eq!(iso_week_key(date(2026, 12, 2)), "2026-W49");
        // 1 January 2027 is a Friday: still in week 53 of 2026.
        assert_eq!(iso_week_key(date(2027, 1, 1)), "2026-W53");
        assert_eq!(iso_week_key(date(2027, 1, 4)), "2027-W01");
        assert_eq!(day_key(date(2026, 3, 5)), "2026-03-05");
        assert_eq!(parse_day("2026-03-05"), Some(date(2026, 3, 5)));
        assert_eq!(parse_day("5 March"), None);
    }

    #[test]
    fn eight_in_the_morning_in_summer_is_seven_utc() {
        assert_eq!(
            next_local_hour(utc(2026, 7, 14, 5, 0), 8),
            utc(2026, 7, 14, 7, 0)
        );
        // Once it has passed, the next one is tomorrow's.
        assert_eq!(
            next_local_hour(utc(2026, 7, 14, 7, 0), 8),
            utc(2026, 7, 15, 7, 0)
        );
    }

    #[test]
    fn eight_in_the_morning_in_winter_is_eight_utc() {
        assert_eq!(
            next_local_hour(utc(2026, 1, 14, 7, 59), 8),
            utc(2026, 1, 14, 8, 0)
        );
        assert_eq!(
            next_local_hour(utc(2026, 1, 14, 9, 0), 8),
            utc(2026, 1, 15, 8, 0)
        );
    }

    #[test]
    fn the_days_the_clocks_change() {
        // 29 March 2026: clocks go forward at 01:00 GMT; 08:00 is BST, 07:00 UTC.
        assert_eq!(
            next_local_hour(utc(2026, 3, 28, 9, 0), 8),
            utc(2026, 3, 29, 7, 0)
        );
        // 25 October 2026: clocks go back at 02:00 BST; 08:00 is GMT, 08:00 UTC.
        assert_eq!(
            next_local_hour(utc(2026, 10, 24, 9, 0), 8),
            utc(2026, 10, 25, 8, 0)
        );
        // 01:00 does not exist on 29 March: the first hour after the gap is taken.
        assert_eq!(
            next_local_hour(utc(2026, 3, 28, 9, 0), 1),
            utc(2026, 3, 29, 1, 0)
        );
        // 01:00 happens twice on 25 October: the first, still BST (00:00 UTC).
        assert_eq!(
            next_local_hour(utc(2026, 10, 24, 9, 0), 1),
            utc(2026, 10, 25, 0, 0)
        );
    }
}
