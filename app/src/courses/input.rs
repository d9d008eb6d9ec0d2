//! The upload form's fields as typed, and the checks on them: every problem is listed, one
//! per line, so the person can fix them all at once. Pure functions, tested here.

use super::evidence::{clean_file_name, FileKind};
use super::types::MAX_FILE_BYTES;
use crate::ids::RequirementId;
use crate::staff::service::{display_date, parse_date};
use chrono::NaiveDate;

/// The longest provider or course title kept.
pub const MAX_TEXT_CHARS: usize = 200;
/// The most hours one course may count, in tenths (999.9 hours).
const MAX_HOURS_TENTHS: i64 = 9_999;

/// The text fields of the form, as sent.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    /// Whose course (the People department only); empty: one's own.
    pub person_id: String,
    pub requirement_id: String,
    pub provider: String,
    pub title: String,
    pub completed_on: String,
    pub hours: String,
}

impl Fields {
    /// Take a field by its name in the form; unknown names are ignored.
    pub fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "person_id" => &mut self.person_id,
            "requirement_id" => &mut self.requirement_id,
            "provider" => &mut self.provider,
            "title" => &mut self.title,
            "completed_on" => &mut self.completed_on,
            "hours" => &mut self.hours,
            _ => return,
        };
        *slot = value;
    }

    /// The fields to show again in a refused form.
    pub fn pairs(&self) -> Vec<(String, String)> {
        [
            ("person_id", &self.person_id),
            ("requirement_id", &self.requirement_id),
            ("provider", &self.provider),
            ("title", &self.title),
            ("completed_on", &self.completed_on),
            ("hours", &self.hours),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_string(), v.clone()))
        .collect()
    }
}

/// The certificate as received: its name as sent, and its bytes, or that it was too large
/// (then its bytes were never kept).
#[derive(Clone, Debug, Default)]
pub struct Received {
    pub name: String,
    pub bytes: Vec<u8>,
    pub too_large: bool,
    /// The form had a file field with a file chosen.
    pub chosen: bool,
}

/// A course that passed every check on its own (the person and requirement are checked
/// against the organisation afterwards).
#[derive(Clone, Debug, PartialEq)]
pub struct Course {
    pub requirement_id: RequirementId,
    pub provider: String,
    pub title: String,
    pub completed_on: NaiveDate,
    pub hours_tenths: i64,
}

/// A checked certificate file.
#[derive(Clone, Debug, PartialEq)]
pub struct Certificate {
    pub kind: FileKind,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Hours as typed, in tenths: `3`, `7.5`, `0.5` or `.5`; more than one decimal place,
/// zero, negatives and anything else are refused.
pub fn parse_hours(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, tenth) = match text.split_once('.') {
        Some((whole, tenth)) => (whole, tenth),
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(tenth) || tenth.len() > 1 || (whole.is_empty() && tenth.is_empty())
    {
        return None;
    }
    // At most 4 digits before the point keeps this far from overflow.
    if whole.len() > 4 {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let tenth: i64 = if tenth.is_empty() {
        0
    } else {
        tenth.parse().ok()?
    };
    let tenths = whole * 10 + tenth;
    (1..=MAX_HOURS_TENTHS).contains(&tenths).then_some(tenths)
}

fn text(value: &str, what: &str, problems: &mut Vec<String>) -> String {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        problems.push(format!("Enter the {what}."));
    } else if value.chars().count() > MAX_TEXT_CHARS {
        problems.push(format!(
            "Enter a {what} of at most {MAX_TEXT_CHARS} characters."
        ));
    } else if value.chars().any(char::is_control) {
        problems.push(format!(
            "The {what} contains characters that cannot be used."
        ));
    }
    value
}

fn day(value: &str, today: NaiveDate, problems: &mut Vec<String>) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        problems
            .push("Enter the date you completed the course, like 02/09/2024 or 2024-09-02.".into());
        return None;
    }
    let Some(day) = parse_date(value) else {
        problems
            .push("Enter the date completed as a real date, like 02/09/2024 or 2024-09-02.".into());
        return None;
    };
    if day > today {
        problems.push(format!(
            "The date completed ({}) is in the future. Enter the day the course was completed.",
            display_date(day)
        ));
        return None;
    }
    Some(day)
}

fn certificate(file: &Received, problems: &mut Vec<String>) -> Option<Certificate> {
    let limit_mb = MAX_FILE_BYTES / (1024 * 1024);
    if file.too_large {
        problems.push(format!(
            "The certificate file is larger than {limit_mb} MB. Choose a smaller file: scan at a lower resolution, or save the PDF again at a smaller size."
        ));
        return None;
    }
    if !file.chosen {
        problems.push("Choose the certificate file: a PDF, PNG or JPEG.".into());
        return None;
    }
    if file.bytes.is_empty() {
        problems.push("The certificate file is empty. Choose the file again.".into());
        return None;
    }
    let Some(kind) = FileKind::sniff(&file.bytes) else {
        problems.push(
            "The certificate must be a PDF, PNG or JPEG file, and this file is none of those (whatever its name says). Save or scan the certificate as a PDF, PNG or JPEG and choose that file.".into(),
        );
        return None;
    };
    Some(Certificate {
        kind,
        name: clean_file_name(&file.name),
        bytes: file.bytes.clone(),
    })
}

/// Check the form on its own: the course and its file, or every problem, one per line.
pub fn check(
    typed: &Fields,
    file: &Received,
    today: NaiveDate,
) -> Result<(Course, Certificate), String> {
    let mut problems = Vec::new();
    let requirement_id = typed.requirement_id.trim();
    if requirement_id.is_empty() {
        problems.push("Choose the requirement this course is for.".to_string());
    }
    let provider = text(
        &typed.provider,
        "provider (who ran the course)",
        &mut problems,
    );
    let title = text(&typed.title, "course title", &mut problems);
    let completed_on = day(&typed.completed_on, today, &mut problems);
    let hours = parse_hours(&typed.hours);
    if hours.is_none() {
        problems.push(
            "Enter the hours as a number greater than 0 with at most one decimal place, like 3 or 7.5 (at most 999.9).".into(),
        );
    }
    let certificate = certificate(file, &mut problems);
    match (completed_on, hours, certificate) {
        (Some(completed_on), Some(hours_tenths), Some(certificate)) if problems.is_empty() => Ok((
            Course {
                requirement_id: RequirementId::from_param(requirement_id),
                provider,
                title,
                completed_on,
                hours_tenths,
            },
            certificate,
        )),
        _ => Err(problems.join("\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    fn good() -> (Fields, Received) {
        let typed = Fields {
            person_id: String::new(),
            requirement_id: "r1".into(),
            provider: "  Local  Authority ".into(),
            title: "Prevent awareness".into(),
            completed_on: "02/12/2026".into(),
            hours: "7.5".into(),
        };
        let file = Received {
            name: "C:\\scans\\cert.pdf".into(),
            bytes: b"%PDF-1.4 ...".to_vec(),
            too_large: false,
            chosen: true,
        };
        (typed, file)
    }

    #[test]
    fn hours_take_at_most_one_decimal_place() {
        assert_eq!(parse_hours("3"), Some(30));
        assert_eq!(parse_hours(" 7.5 "), Some(75));
        assert_eq!(parse_hours(".5"), Some(5));
        assert_eq!(parse_hours("999.9"), Some(9_999));
        for refused in [
            "", "0", "0.0", "-1", "7.25", "1000", "7,5", "seven", "1e3", ".",
        ] {
            assert_eq!(parse_hours(refused), None, "{refused}");
        }
    }

    #[test]
    fn a_good_form_is_a_course_and_a_certificate() {
        let (typed, file) = good();
        let (course, certificate) = check(&typed, &file, today()).unwrap();
        assert_eq!(course.provider, "Local Authority");
        assert_eq!(course.hours_tenths, 75);
        assert_eq!(course.completed_on, today());
        assert_eq!(certificate.kind, FileKind::Pdf);
        assert_eq!(certificate.name, "cert.pdf");
    }

    #[test]
    fn every_problem_is_listed() {
        let typed = Fields {
            completed_on: "03/12/2026".into(),
            hours: "0".into(),
            ..Fields::default()
        };
        let file = Received {
            name: "certificate.pdf".into(),
            bytes: b"MZ\x90\0".to_vec(),
            too_large: false,
            chosen: true,
        };
        let message = check(&typed, &file, today()).unwrap_err();
        for expected in [
            "Choose the requirement",
            "Enter the provider",
            "Enter the course title",
            "3 December 2026) is in the future",
            "Enter the hours",
            "must be a PDF, PNG or JPEG",
        ] {
            assert!(message.contains(expected), "{expected}: {message}");
        }
        assert_eq!(message.lines().count(), 6);
    }

    #[test]
    fn file_problems_are_specific() {
        let (typed, mut file) = good();
        file.too_large = true;
        assert!(check(&typed, &file, today())
            .unwrap_err()
            .contains("larger than 5 MB"));
        let (typed, mut file) = good();
        file.chosen = false;
        assert!(check(&typed, &file, today())
            .unwrap_err()
            .contains("Choose the certificate file"));
        let (typed, mut file) = good();
        file.bytes.clear();
        assert!(check(&typed, &file, today()).unwrap_err().contains("empty"));
    }
}
