//! The reminder settings form read into settings, with a message for each field that is
//! wrong (all of them at once, so one round trip fixes everything). Pure.

use super::types::ReminderSettings;

/// The form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsInput {
    pub due_soon_days: String,
    pub digest_weekday: String,
    pub escalate_after_days: String,
    pub send_hour: String,
    /// The "Pause all reminders" box: sent (as "on") only when ticked.
    pub paused: Option<String>,
}

/// The settings chosen, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub due_soon_days: u32,
    pub digest_weekday: u32,
    pub escalate_after_days: u32,
    pub send_hour: u32,
    pub paused: bool,
}

fn whole_number(text: &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
}

/// Read the form: the settings, or every problem in words (one line each).
pub fn read(input: &SettingsInput) -> Result<Chosen, Vec<String>> {
    let mut problems = Vec::new();
    let mut field = |value: &str, range, message: &str| {
        let read = whole_number(value, range);
        if read.is_none() {
            problems.push(message.to_string());
        }
        read.unwrap_or_default()
    };
    let chosen = Chosen {
        due_soon_days: field(
            &input.due_soon_days,
            0..=365,
            "Due soon: enter the number of days as a whole number from 0 to 365.",
        ),
        digest_weekday: field(
            &input.digest_weekday,
            1..=7,
            "Weekly digests: choose a day of the week, from Monday to Sunday.",
        ),
        escalate_after_days: field(
            &input.escalate_after_days,
            1..=365,
            "Escalation: enter the number of days overdue as a whole number from 1 to 365.",
        ),
        send_hour: field(
            &input.send_hour,
            0..=23,
            "Sending time: choose an hour from 00:00 to 23:00.",
        ),
        paused: input.paused.is_some(),
    };
    if problems.is_empty() {
        Ok(chosen)
    } else {
        Err(problems)
    }
}

impl Chosen {
    /// As the reminder settings to save (the pause time is set when saved).
    pub fn settings(&self, paused_since: Option<String>) -> ReminderSettings {
        ReminderSettings {
            due_soon_days: self.due_soon_days,
            digest_weekday: self.digest_weekday,
            escalate_after_days: self.escalate_after_days,
            send_hour: self.send_hour,
            paused_since: if self.paused { paused_since } else { None },
        }
    }

    /// What changed from `before`, for the audit trail: "due soon days, sending time;
    /// paused", or "nothing changed".
    pub fn changes_from(&self, before: &ReminderSettings) -> String {
        let fields = [
            (self.due_soon_days != before.due_soon_days, "due soon days"),
            (self.digest_weekday != before.digest_weekday, "digest day"),
            (
                self.escalate_after_days != before.escalate_after_days,
                "escalation days",
            ),
            (self.send_hour != before.send_hour, "sending time"),
        ];
        let mut changed: Vec<&str> = fields
            .into_iter()
            .filter_map(|(differs, name)| differs.then_some(name))
            .collect();
        let pause = match (before.is_paused(), self.paused) {
            (false, true) => Some("paused"),
            (true, false) => Some("resumed"),
            _ => None,
        };
        changed.extend(pause);
        if changed.is_empty() {
            "saved, nothing changed".to_string()
        } else {
            format!("changed: {}", changed.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(f: impl FnOnce(&mut SettingsInput)) -> SettingsInput {
        let mut input = SettingsInput {
            due_soon_days: "30".into(),
            digest_weekday: "1".into(),
            escalate_after_days: "30".into(),
            send_hour: "8".into(),
            paused: None,
        };
        f(&mut input);
        input
    }

    #[test]
    fn a_good_form_is_read() {
        let chosen = read(&input(|i| i.paused = Some("on".into()))).unwrap();
        assert_eq!(
            chosen,
            Chosen {
                due_soon_days: 30,
                digest_weekday: 1,
                escalate_after_days: 30,
                send_hour: 8,
                paused: true
            }
        );
        assert!(read(&input(|i| i.due_soon_days = "0".into())).is_ok());
        assert!(read(&input(|i| i.send_hour = "23".into())).is_ok());
        assert!(read(&input(|i| i.digest_weekday = "7".into())).is_ok());
    }

    #[test]
    fn each_bad_field_has_its_own_message() {
        type Change = fn(&mut SettingsInput);
        let cases: [(Change, &str); 6] = [
            (|i| i.due_soon_days = "366".into(), "Due soon:"),
            (|i| i.due_soon_days = "-1".into(), "Due soon:"),
            (|i| i.digest_weekday = "8".into(), "Weekly digests:"),
            (|i| i.escalate_after_days = "0".into(), "Escalation:"),
            (|i| i.escalate_after_days = "a month".into(), "Escalation:"),
            (|i| i.send_hour = "24".into(), "Sending time:"),
        ];
        for (change, start) in cases {
            let problems = read(&input(change)).unwrap_err();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].starts_with(start), "{problems:?}");
        }
        let all = read(&SettingsInput::default()).unwrap_err();
        assert_eq!(all.len(), 4);
    }

    #[test]
    fn the_audit_says_what_changed() {
        let before = ReminderSettings::defaults(30);
        let same = read(&input(|_| ())).unwrap();
        assert_eq!(same.changes_from(&before), "saved, nothing changed");
        let changed = read(&input(|i| {
            i.send_hour = "7".into();
            i.paused = Some("on".into());
        }))
        .unwrap();
        assert_eq!(
            changed.changes_from(&before),
            "changed: sending time, paused"
        );
        let paused = ReminderSettings {
            paused_since: Some("t".into()),
            ..before
        };
        assert_eq!(same.changes_from(&paused), "changed: resumed");
    }
}
