//! The small header at the top of a content file:
//!
//! ```text
//! ---
//! title: Keeping young people safe online
//! summary: ...
//! ---
//! ```
//!
//! `key: value`, one per line. Unknown, repeated and missing keys are problems.

use std::collections::HashMap;

pub struct Header {
    values: HashMap<String, (usize, String)>,
}

impl Header {
    pub fn get(&self, key: &str) -> Option<&String> {
        self.values.get(key).map(|(_, v)| v)
    }

    pub fn line_of(&self, key: &str) -> usize {
        self.values.get(key).map(|(l, _)| *l).unwrap_or(1)
    }
}

/// A file split into its header and body, with any problems found in the header.
pub struct Parsed<'a> {
    pub header: Header,
    pub body: &'a str,
    /// The line number the body starts on.
    pub body_line: usize,
    pub problems: Vec<(usize, String)>,
}

/// Split a file into its header and body. Fails only when there is no header to read.
pub fn parse<'a>(
    text: &'a str,
    keys: &[&str],
    optional: &[&str],
) -> Result<Parsed<'a>, Vec<(usize, String)>> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(vec![(
            1,
            "the file must start with a front-matter line '---'".into(),
        )]);
    }
    let mut problems = Vec::new();
    let mut values: HashMap<String, (usize, String)> = HashMap::new();
    let mut offset = first.len();
    let mut line_no = 1;
    let mut closed = false;
    for line in lines {
        line_no += 1;
        offset += line.len();
        let content = line.trim_end();
        if content == "---" {
            closed = true;
            break;
        }
        if content.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = content.split_once(':') else {
            problems.push((line_no, format!("expected 'key: value', found '{content}'")));
            continue;
        };
        let key = key.trim();
        if !keys.contains(&key) && !optional.contains(&key) {
            let allowed: Vec<&str> = keys.iter().chain(optional).copied().collect();
            problems.push((
                line_no,
                format!("unknown field '{key}' (allowed: {})", allowed.join(", ")),
            ));
        } else if values.contains_key(key) {
            problems.push((line_no, format!("field '{key}' appears twice")));
        } else if value.trim().is_empty() {
            problems.push((line_no, format!("field '{key}' is empty")));
        } else {
            values.insert(key.to_string(), (line_no, value.trim().to_string()));
        }
    }
    if !closed {
        return Err(vec![(
            1,
            "the front matter is not closed with a '---' line".into(),
        )]);
    }
    for key in keys {
        if !values.contains_key(*key)
            && !problems
                .iter()
                .any(|(_, m)| m.contains(&format!("'{key}'")))
        {
            problems.push((1, format!("missing field '{key}'")));
        }
    }
    Ok(Parsed {
        header: Header { values },
        body: &text[offset..],
        body_line: line_no + 1,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn header_and_body_are_split_with_the_body_line() {
        let parsed = parse("---\ntitle: Hi\n---\nBody\n", &["title"], &[])
            .ok()
            .unwrap();
        assert_eq!(parsed.header.get("title").unwrap(), "Hi");
        assert_eq!(parsed.body, "Body\n");
        assert_eq!(parsed.body_line, 4);
        assert!(parsed.problems.is_empty());
    }

    #[test]
    fn unknown_missing_and_repeated_fields_are_problems_with_lines() {
        let problems = parse(
            "---\ntitle: A\ntitle: B\ncolour: red\n---\n",
            &["title", "summary"],
            &[],
        )
        .ok()
        .unwrap()
        .problems;
        assert!(problems.contains(&(3, "field 'title' appears twice".into())));
        assert!(problems.contains(&(4, "unknown field 'colour' (allowed: title, summary)".into())));
        assert!(problems.contains(&(1, "missing field 'summary'".into())));
    }
}
