//! Markdown to safe HTML with pulldown-cmark. Raw HTML is never passed through: it is
//! shown as text and reported as a problem. Headings get stable ids from their text.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

pub struct Rendered {
    pub html: String,
    /// `##` headings: (id, text).
    pub sections: Vec<(String, String)>,
    /// The words a reader reads, for the readability figure.
    pub plain_text: String,
    /// (line within the body, message).
    pub problems: Vec<(usize, String)>,
}

/// A heading's id: lower-case words joined by hyphens ("Who to contact" -> "who-to-contact").
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Which link targets content may use.
fn link_problem(url: &str) -> Option<String> {
    if url.starts_with("https://")
        || url.starts_with('#')
        || url.starts_with('/')
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
    {
        None
    } else if url.starts_with("http://") {
        Some(format!("link '{url}' must use https://"))
    } else {
        Some(format!(
            "link '{url}' is not allowed: use https://, #section, /path, mailto: or tel:"
        ))
    }
}

pub fn render(body: &str) -> Rendered {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(body, options).into_offset_iter().collect();

    let mut problems = Vec::new();
    let mut sections = Vec::new();
    let mut used_ids = HashSet::new();
    let mut anchors = Vec::new();
    let mut plain_text = String::new();
    let mut output: Vec<Event> = Vec::with_capacity(events.len());

    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        let line = line_of(body, range.start);
        match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                // The heading's text is everything up to its end tag.
                let text: String = events[i + 1..]
                    .iter()
                    .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                        _ => None,
                    })
                    .collect();
                if *level == HeadingLevel::H1 {
                    problems.push((
                        line,
                        "use '##' for sections: the page has its own title (no '#' heading)"
                            .to_string(),
                    ));
                }
                let mut id = slug(&text);
                let base = id.clone();
                let mut n = 2;
                while !used_ids.insert(id.clone()) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                if *level == HeadingLevel::H2 {
                    sections.push((id.clone(), text.clone()));
                }
                output.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                problems.push((
                    line,
                    "raw HTML is not allowed: write Markdown instead".to_string(),
                ));
                output.push(Event::Text(raw.clone()));
            }
            Event::Start(Tag::Image { .. }) => {
                problems.push((line, "images are not allowed in this content".to_string()));
                output.push(event.clone());
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Some(message) = link_problem(dest_url) {
                    problems.push((line, message));
                    // Content with problems is refused, but the renderer never emits a
                    // dangerous address (javascript:, data:) whatever its caller does.
                    output.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: CowStr::from("#"),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                } else {
                    if let Some(anchor) = dest_url.strip_prefix('#') {
                        anchors.push((line, anchor.to_string()));
                    }
                    output.push(event.clone());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                plain_text.push_str(t);
                output.push(event.clone());
            }
            Event::SoftBreak | Event::HardBreak => {
                plain_text.push(' ');
                output.push(event.clone());
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                plain_text.push('\n');
                output.push(event.clone());
            }
            other => output.push(other.clone()),
        }
        i += 1;
    }
    for (line, anchor) in anchors {
        if !used_ids.contains(&anchor) {
            problems.push((
                line,
                format!("broken internal link '#{anchor}': no heading has that id"),
            ));
        }
    }
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, output.into_iter());
    Rendered {
        html,
        sections,
        plain_text,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped_and_reported() {
        let r = render("Hello <script>alert(1)</script>\n\n<div onclick=\"x\">hi</div>\n");
        assert!(!r.html.contains("<script>"));
        assert!(!r.html.contains("<div"));
        assert!(r.html.contains("&lt;script&gt;"));
        assert_eq!(r.problems.len(), 3, "{:?}", r.problems);
        assert_eq!(r.problems[0].0, 1);
        assert_eq!(r.problems.last().unwrap().0, 3);
    }

    #[test]
    fn headings_get_stable_unique_ids_and_sections() {
        let r = render("## Who to contact\n\ntext\n\n## Who to contact\n\n### Small\n");
        assert!(r.html.contains("<h2 id=\"who-to-contact\">"));
        assert!(r.html.contains("<h2 id=\"who-to-contact-2\">"));
        assert_eq!(r.sections.len(), 2);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn links_must_be_https_or_to_a_real_section() {
        let r = render("[a](http://x.test) [b](https://x.test) [c](#nowhere) [d](javascript:alert(1))\n\n## Here\n\n[e](#here)\n");
        let messages: Vec<_> = r.problems.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("must use https://"));
        assert!(messages[1].contains("not allowed"));
        assert!(messages[2].contains("broken internal link '#nowhere'"));
    }

    #[test]
    fn a_level_one_heading_is_reported() {
        let r = render("# Title\n");
        assert!(r.problems[0].1.contains("no '#' heading"));
    }

    /// Everything a content writer may use, and two things they may not (raw HTML and a
    /// javascript: link), rendered: reviewed by eye when it changes.
    const EVERY_FEATURE: &str = "Intro with **bold**, *italic*, `code` and a [link](https://www.childline.org.uk/).\n\n\
        ## Who to contact\n\n- Childline: [0800 1111](tel:08001111)\n- [Email us](mailto:help@example.org)\n\n\
        1. First\n2. Second\n\n> A quote.\n\n| Service | Number |\n| --- | --- |\n| Childline | 0800 1111 |\n\n\
        ## Who to contact\n\nSame heading twice. ~~Struck~~. Back to [the top](#who-to-contact).\n\n\
        <script>alert('x')</script>\n\n[bad](javascript:alert(1)) and <b onclick=\"x\">inline</b>\n";

    #[test]
    fn rendered_html_snapshot() {
        let r = render(EVERY_FEATURE);
        insta::assert_snapshot!(r.html);
    }
}
