//! An induction module: `modules/ID/module.md` (the reading) and `modules/ID/quiz.toml`
//! (the quiz), checked against the rules in `content/README.md`.

use super::quiz::{self, Quiz};
use super::{front_matter, markdown, readability, Problem};
use crate::ids::{ModuleSlug, SectionSlug};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Learners,
    Staff,
    Both,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModuleSection {
    pub id: SectionSlug,
    pub title: String,
    pub html: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub id: ModuleSlug,
    pub title: String,
    pub summary: String,
    pub audience: Audience,
    pub minutes: u32,
    pub order: u32,
    pub version: u32,
    /// The module's own default pass mark (percent); organisations may change it.
    pub pass_mark: u8,
    pub intro_html: String,
    pub sections: Vec<ModuleSection>,
    pub quiz: Quiz,
    pub reading_ease: f64,
}

pub const DEFAULT_PASS_MARK: u8 = 80;
pub const REQUIRED_SECTIONS: [&str; 2] = ["Where to get help", "The law in the UK"];
const FIELDS: [&str; 7] = [
    "id", "title", "summary", "audience", "minutes", "order", "version",
];

/// Split the body at its `##` headings: the intro, then (heading, text) per section.
fn split_sections(body: &str) -> (String, Vec<(String, String)>) {
    let mut intro = String::new();
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut in_fence = false;
    for line in body.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        match line.strip_prefix("## ") {
            Some(heading) if !in_fence => {
                sections.push((heading.trim().to_string(), String::new()))
            }
            _ => match sections.last_mut() {
                Some((_, text)) => text.push_str(line),
                None => intro.push_str(line),
            },
        }
    }
    (intro, sections)
}

fn number(
    header: &front_matter::Header,
    key: &str,
    range: std::ops::RangeInclusive<u32>,
    problems: &mut Vec<(usize, String)>,
) -> u32 {
    let text = header.get(key).cloned().unwrap_or_default();
    match text.parse::<u32>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            problems.push((
                header.line_of(key),
                format!(
                    "{key}: '{text}' must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            ));
            0
        }
    }
}

/// Read and check one module folder.
pub fn load(dir: &Path) -> Result<Module, Vec<Problem>> {
    let module_file = dir.join("module.md");
    let quiz_file = dir.join("quiz.toml");
    let read = |file: &PathBuf| {
        std::fs::read_to_string(file).map_err(|e| {
            vec![Problem {
                file: file.clone(),
                line: 1,
                message: format!("cannot read the file: {e}"),
            }]
        })
    };
    let text = read(&module_file)?;
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    match read(&quiz_file) {
        Ok(quiz_text) => parse(&folder, &text, &quiz_text, dir),
        Err(mut cannot_read) => {
            // Report the module's own problems too, not only the missing quiz.
            let mut problems = parse(&folder, &text, "", dir).err().unwrap_or_default();
            problems.retain(|p| p.file == module_file);
            problems.append(&mut cannot_read);
            Err(problems)
        }
    }
}

/// Check a module from its two texts, as if they were `dir/module.md` and `dir/quiz.toml`.
/// `expected_id` is the folder name (or, for a module added in the app, the id it must
/// have); problems name the two files under `dir`.
pub fn parse(
    expected_id: &str,
    text: &str,
    quiz_text: &str,
    dir: &Path,
) -> Result<Module, Vec<Problem>> {
    let module_file = dir.join("module.md");
    let quiz_file = dir.join("quiz.toml");
    let in_file = |file: &PathBuf, found: Vec<(usize, String)>| -> Vec<Problem> {
        found
            .into_iter()
            .map(|(line, message)| Problem {
                file: file.clone(),
                line,
                message,
            })
            .collect()
    };
    let mut problems = Vec::new();
    let module = parse_module(expected_id, text, &mut problems);
    problems.sort_by_key(|(line, _)| *line);
    let mut all = in_file(&module_file, problems);
    let quiz = quiz::parse(quiz_text).map_err(|found| in_file(&quiz_file, found));
    match (module, quiz) {
        (Some(mut module), Ok(quiz)) if all.is_empty() => {
            module.quiz = quiz;
            Ok(module)
        }
        (_, quiz) => {
            if let Err(mut found) = quiz {
                all.append(&mut found);
            }
            Err(all)
        }
    }
}

fn parse_module(
    expected_id: &str,
    text: &str,
    problems: &mut Vec<(usize, String)>,
) -> Option<Module> {
    let parsed = match front_matter::parse(text, &FIELDS, &["pass_mark"]) {
        Ok(parsed) => parsed,
        Err(found) => {
            problems.extend(found);
            return None;
        }
    };
    problems.extend(parsed.problems.iter().cloned());
    let header = &parsed.header;
    let id = header.get("id").cloned().unwrap_or_default();
    if header.get("id").is_some() && id != expected_id {
        problems.push((
            header.line_of("id"),
            format!("id '{id}' must match the folder name '{expected_id}'"),
        ));
    }
    let audience = match header.get("audience").map(String::as_str) {
        Some("learners") => Audience::Learners,
        Some("staff") => Audience::Staff,
        Some("both") => Audience::Both,
        Some(other) => {
            problems.push((
                header.line_of("audience"),
                format!("audience: '{other}' must be learners, staff or both"),
            ));
            Audience::Learners
        }
        None => Audience::Learners,
    };
    let minutes = number(header, "minutes", 1..=240, problems);
    let order = number(header, "order", 1..=999, problems);
    let version = number(header, "version", 1..=9999, problems);
    let pass_mark = match header.get("pass_mark") {
        Some(_) => number(header, "pass_mark", 1..=100, problems) as u8,
        None => DEFAULT_PASS_MARK,
    };

    // Problems come from rendering the whole body once, so links between sections count.
    let whole = markdown::render(parsed.body);
    problems.extend(
        whole
            .problems
            .iter()
            .map(|(line, m)| (line + parsed.body_line - 1, m.clone())),
    );
    let (intro, chunks) = split_sections(parsed.body);
    if !(4..=8).contains(&chunks.len()) {
        problems.push((
            parsed.body_line,
            format!(
                "a module has 4 to 8 '##' sections; this one has {}",
                chunks.len()
            ),
        ));
    }
    for required in REQUIRED_SECTIONS {
        if !chunks.iter().any(|(title, _)| title == required) {
            problems.push((
                parsed.body_line,
                format!("missing the section '## {required}'"),
            ));
        }
    }
    let sections = chunks
        .iter()
        .zip(&whole.sections)
        .map(|((title, text), (id, _))| ModuleSection {
            id: SectionSlug::from_param(id.as_str()),
            title: title.clone(),
            html: markdown::render(text).html,
        })
        .collect();
    Some(Module {
        id: ModuleSlug::from_param(id),
        title: header.get("title").cloned().unwrap_or_default(),
        summary: header.get("summary").cloned().unwrap_or_default(),
        audience,
        minutes,
        order,
        version,
        pass_mark,
        intro_html: markdown::render(&intro).html,
        sections,
        quiz: Quiz {
            questions: Vec::new(),
        },
        reading_ease: readability::flesch_reading_ease(&whole.plain_text),
    })
}

#[cfg(test)]
mod tests {
    use super::split_sections;

    #[test]
    fn the_body_splits_at_level_two_headings_outside_code() {
        let (intro, sections) =
            split_sections("Hi.\n\n## One\nA\n```\n## not a heading\n```\n## Two\nB\n");
        assert_eq!(intro, "Hi.\n\n");
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].0, "One");
        assert!(sections[0].1.contains("## not a heading"));
    }

    /// One built-in module rendered section by section, as learners get it.
    #[test]
    fn a_built_in_module_renders_as_reviewed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../content/modules/passwords-and-accounts");
        let module = super::load(&dir).expect("the module is valid");
        let mut html = format!("<!-- intro -->\n{}", module.intro_html);
        for s in &module.sections {
            html.push_str(&format!("\n<!-- section {} -->\n{}", s.id, s.html));
        }
        insta::assert_snapshot!(html);
    }
}
