//! Content written by people, not programmers: Markdown files with a small front-matter
//! header, checked before the server will use them (`esafety check-content`).

pub mod front_matter;
pub mod markdown;
pub mod module;
pub mod quiz;
pub mod readability;

use std::path::{Path, PathBuf};

/// One problem in a content file, reported as `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// A checked Markdown document, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub summary: String,
    pub updated: String,
    /// Safe HTML: raw HTML in the source was escaped, never passed through.
    pub html: String,
    /// The `##` sections, for a contents list: (id, heading text).
    pub sections: Vec<(String, String)>,
    pub reading_ease: f64,
}

/// Everything the app shows from the content folder, loaded once at start.
#[derive(Debug, Clone, PartialEq)]
pub struct Library {
    pub safe_internet: Document,
    /// The built-in induction modules, in their `order`.
    pub modules: Vec<std::sync::Arc<module::Module>>,
    /// The default Acceptable Use Policies: each organisation's version 1. Kept as their
    /// Markdown text, because a signature is over the exact text signed.
    pub learner_aup: PolicyText,
    pub staff_aup: PolicyText,
}

/// A policy's default text, checked like every document.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyText {
    pub title: String,
    /// The Markdown body, without the front matter.
    pub body: String,
}

/// Where the Safe Internet page lives inside the content folder.
pub const SAFE_INTERNET_FILE: &str = "safe-internet/safe-internet.md";
pub const LEARNER_AUP_FILE: &str = "policies/learner-aup.md";
pub const STAFF_AUP_FILE: &str = "policies/staff-aup.md";
/// The folder holding one sub-folder per module.
pub const MODULES_DIR: &str = "modules";

/// Read and check one Markdown document. Problems carry the file's path.
pub fn load_document(path: &Path) -> Result<Document, Vec<Problem>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Problem {
            file: path.to_path_buf(),
            line: 1,
            message: format!("cannot read the file: {e}"),
        }]
    })?;
    parse_document(path, &text)
}

/// Check a document's text (front matter, then Markdown body).
pub fn parse_document(path: &Path, text: &str) -> Result<Document, Vec<Problem>> {
    let problem = |line: usize, message: String| Problem {
        file: path.to_path_buf(),
        line,
        message,
    };
    let parsed = match front_matter::parse(text, &["title", "summary", "updated"], &[]) {
        Ok(parsed) => parsed,
        Err(errors) => return Err(errors.into_iter().map(|(l, m)| problem(l, m)).collect()),
    };
    let header = parsed.header;
    let rendered = markdown::render(parsed.body);
    let mut problems: Vec<Problem> = parsed
        .problems
        .into_iter()
        .map(|(l, m)| problem(l, m))
        .collect();
    problems.extend(
        rendered
            .problems
            .iter()
            .map(|(line, message)| problem(line + parsed.body_line - 1, message.clone())),
    );
    let updated = header.get("updated").cloned().unwrap_or_default();
    if header.get("updated").is_some()
        && chrono::NaiveDate::parse_from_str(&updated, "%Y-%m-%d").is_err()
    {
        problems.push(problem(
            header.line_of("updated"),
            format!("updated: '{updated}' is not a date like 2026-11-25"),
        ));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(problems);
    }
    Ok(Document {
        title: header.get("title").cloned().unwrap_or_default(),
        summary: header.get("summary").cloned().unwrap_or_default(),
        updated,
        reading_ease: readability::flesch_reading_ease(&rendered.plain_text),
        html: rendered.html,
        sections: rendered.sections,
    })
}

/// Load and check the whole content folder; every problem is returned, not just the first.
pub fn load_library(dir: &Path) -> Result<Library, Vec<Problem>> {
    let mut problems = Vec::new();
    let safe_internet = load_document(&dir.join(SAFE_INTERNET_FILE))
        .map_err(|mut p| problems.append(&mut p))
        .ok();
    let mut policy = |file: &str| {
        let path = dir.join(file);
        let checked = load_document(&path)
            .map_err(|mut p| problems.append(&mut p))
            .ok()?;
        let text = std::fs::read_to_string(&path).ok()?;
        let body = front_matter::parse(&text, &["title", "summary", "updated"], &[])
            .ok()?
            .body
            .to_string();
        Some(PolicyText {
            title: checked.title,
            body,
        })
    };
    let learner_aup = policy(LEARNER_AUP_FILE);
    let staff_aup = policy(STAFF_AUP_FILE);
    let mut modules = Vec::new();
    for folder in module_folders(dir) {
        match module::load(&folder) {
            Ok(m) => modules.push(std::sync::Arc::new(m)),
            Err(mut p) => problems.append(&mut p),
        }
    }
    modules.sort_by_key(|m| (m.order, m.id.clone()));
    // Ids are unique: each must match its folder's name.
    match (safe_internet, learner_aup, staff_aup) {
        (Some(safe_internet), Some(learner_aup), Some(staff_aup)) if problems.is_empty() => {
            Ok(Library {
                safe_internet,
                modules,
                learner_aup,
                staff_aup,
            })
        }
        _ => Err(problems),
    }
}

/// Every folder under `modules/`, sorted.
fn module_folders(dir: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir.join(MODULES_DIR))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    folders
}

/// What `esafety check-content` prints for a folder: readability per document, or problems.
pub fn check_folder(dir: &Path) -> (Vec<(PathBuf, f64)>, Vec<Problem>) {
    let mut readable = Vec::new();
    let mut problems = Vec::new();
    let mut files = Vec::new();
    collect_markdown(dir, &mut files);
    let modules = module_folders(dir);
    if files.is_empty() && modules.is_empty() {
        problems.push(Problem {
            file: dir.to_path_buf(),
            line: 1,
            message: "no content files found here".into(),
        });
    }
    let expected = dir.join(SAFE_INTERNET_FILE);
    if dir.join("safe-internet").is_dir() && !expected.exists() {
        problems.push(Problem {
            file: expected.clone(),
            line: 1,
            message: "the Safe Internet page is missing".into(),
        });
    }
    files.sort();
    let modules_dir = dir.join(MODULES_DIR);
    for file in files {
        // Module files are checked as modules below; READMEs are for people.
        if file.starts_with(&modules_dir) || file.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        match load_document(&file) {
            Ok(doc) => readable.push((file, doc.reading_ease)),
            Err(mut found) => problems.append(&mut found),
        }
    }
    for folder in modules {
        match module::load(&folder) {
            Ok(m) => readable.push((folder.join("module.md"), m.reading_ease)),
            Err(mut found) => problems.append(&mut found),
        }
    }
    (readable, problems)
}

fn collect_markdown(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_markdown(&path, into);
        } else if path.extension().is_some_and(|e| e == "md") {
            into.push(path);
        }
    }
}
