//! Documents to read and acknowledge: the forms with JavaScript off, and who may read,
//! acknowledge, create and publish over HTTP, for every server function and page (staff,
//! a manager, People, the DSL, an administrator, a tutor, a learner, another
//! organisation, signed out).

use crate::documents::{
    create, publish, start_edition, today, FIRST_TEXT, KEY, PEOPLE, SECOND_TEXT, TITLE,
};
use crate::helpers::*;
use app::auth::{Capability, Role};
use reqwest::StatusCode;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    SignedOut,
    Demo(Role),
    OtherAdmin,
}

/// A server function, its form, and the answer expected.
type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>, Expect);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Ok,
    NotSignedIn,
    Forbidden,
    NotFound,
}

/// Reading and acknowledging: any member of staff of the organisation.
fn reader(caller: Caller, on_demo: bool) -> Expect {
    match caller {
        Caller::SignedOut => Expect::NotSignedIn,
        Caller::Demo(Role::Learner) => Expect::Forbidden,
        Caller::OtherAdmin if on_demo => Expect::NotFound,
        _ => Expect::Ok,
    }
}

/// Creating and publishing: the access rule's `PublishDocuments`.
fn editor(caller: Caller, on_demo: bool) -> Expect {
    match caller {
        Caller::SignedOut => Expect::NotSignedIn,
        Caller::OtherAdmin if on_demo => Expect::NotFound,
        Caller::OtherAdmin => Expect::Ok,
        Caller::Demo(role) if Capability::PublishDocuments.roles().contains(&role) => Expect::Ok,
        Caller::Demo(_) => Expect::Forbidden,
    }
}

fn check(what: &str, caller: Caller, expect: Expect, status: StatusCode, to: &str, page: bool) {
    let ok = match expect {
        Expect::Ok => {
            status.is_success() || status == StatusCode::FOUND && !to.starts_with("/login")
        }
        Expect::NotSignedIn if page => {
            status == StatusCode::FOUND && to.starts_with("/login?next=")
        }
        Expect::NotSignedIn => status == StatusCode::UNAUTHORIZED,
        Expect::Forbidden => status == StatusCode::FORBIDDEN,
        Expect::NotFound => status == StatusCode::NOT_FOUND,
    };
    assert!(
        ok,
        "{what} as {caller:?}: expected {expect:?}, got {status} {to}"
    );
}

#[tokio::test]
async fn who_may_read_acknowledge_and_publish() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    create(&app, &people, KEY).await;
    let first = publish(&app, &people, FIRST_TEXT, "The first edition.").await;
    let draft = start_edition(&app, &people, KEY).await;
    let today = today();
    let mut callers = vec![Caller::SignedOut, Caller::OtherAdmin];
    callers.extend(Role::ALL.into_iter().map(Caller::Demo));
    for (n, caller) in callers.into_iter().enumerate() {
        let client = match caller {
            Caller::SignedOut => browser(),
            Caller::Demo(role) => app.signed_in(&format!("{}@demo.test", role.as_str())).await,
            Caller::OtherAdmin => app.signed_in(OTHER_ADMIN).await,
        };
        let new_key = format!("new-{n}");
        let functions: Vec<Call> = vec![
            ("documents/mine", vec![], reader(caller, false)),
            ("documents/read", vec![("key", KEY)], reader(caller, true)),
            (
                "documents/acknowledge",
                vec![("version_id", &first), ("understood", "on")],
                reader(caller, true),
            ),
            ("documents/list", vec![], editor(caller, false)),
            (
                "documents/create",
                vec![("title", "New"), ("key", &new_key)],
                editor(caller, false),
            ),
            (
                "documents/editions",
                vec![("key", KEY)],
                editor(caller, true),
            ),
            (
                "documents/start_edition",
                vec![("key", KEY)],
                editor(caller, true),
            ),
            (
                "documents/draft",
                vec![("draft_id", &draft)],
                editor(caller, true),
            ),
            (
                "documents/save_draft",
                vec![
                    ("draft_id", &draft),
                    ("title", TITLE),
                    ("body", SECOND_TEXT),
                    ("what_changed", "Online safety."),
                    ("effective_from", &today),
                    ("publish", "no"),
                ],
                editor(caller, true),
            ),
        ];
        for (function, form, expect) in functions {
            let r = app.call(&client, function, &form).await;
            let (status, to) = (r.status(), location(&r));
            check(function, caller, expect, status, &to, false);
        }
        let draft_page = format!("/admin/documents/drafts/{draft}");
        let read_page = format!("/documents/{KEY}");
        let editions_page = format!("/admin/documents/{KEY}");
        let pages = [
            ("/documents", reader(caller, false)),
            (read_page.as_str(), reader(caller, true)),
            ("/admin/documents", editor(caller, false)),
            (editions_page.as_str(), editor(caller, true)),
            (draft_page.as_str(), editor(caller, true)),
        ];
        for (path, expect) in pages {
            let r = app.get(&client, path).await;
            let (status, to) = (r.status(), location(&r));
            check(path, caller, expect, status, &to, true);
        }
        // Another organisation sees none of ours.
        if caller == Caller::OtherAdmin {
            let (_, html) = app.page(&client, "/admin/documents").await;
            assert!(!html.contains(TITLE));
            let (_, html) = app.page(&client, "/documents").await;
            assert!(!html.contains(TITLE));
        }
    }
    // Every member of staff acknowledged once; the learner and the other organisation
    // recorded nothing; the draft is still a draft.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM policy_signatures s JOIN policy_versions v ON v.id = s.version_id WHERE v.kind LIKE 'document:%'")
            .await,
        Role::ALL.iter().filter(|r| **r != Role::Learner).count() as i64
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM policy_versions WHERE kind LIKE 'document:%' AND published_at IS NOT NULL")
            .await,
        1
    );
}

/// With JavaScript off: a refused form comes back with the message and what was typed,
/// and a success lands on the page that says so.
#[tokio::test]
async fn the_forms_work_as_plain_forms() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let r = app
        .submit(
            &people,
            "documents/create",
            &[("title", "Typed title"), ("key", "Not A Key")],
            "/admin/documents",
        )
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let to = app.path_of(&location(&r));
    assert!(
        to.starts_with("/admin/documents?") && to.contains("__err="),
        "{to}"
    );
    let (_, html) = app.page(&people, &to).await;
    assert!(visible_text(&html).contains("'Not A Key' will not do"));
    assert!(html.contains("value=\"Typed title\"") && html.contains("value=\"Not A Key\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM documents").await, 0);

    create(&app, &people, KEY).await;
    let first = publish(&app, &people, FIRST_TEXT, "The first edition.").await;
    let staff = app.signed_in("staff@demo.test").await;
    let page = format!("/documents/{KEY}");
    // Not ticked: back to the document with the message, nothing recorded.
    let r = app
        .submit(
            &staff,
            "documents/acknowledge",
            &[("version_id", &first)],
            &page,
        )
        .await;
    let to = app.path_of(&location(&r));
    assert!(to.starts_with(&format!("{page}?")), "{to}");
    let (_, html) = app.page(&staff, &to).await;
    assert!(visible_text(&html).contains("Tick \"I have read and understood this edition\""));
    // Ticked: recorded, and the page says so instead of offering the form again.
    let r = app
        .submit(
            &staff,
            "documents/acknowledge",
            &[("version_id", &first), ("understood", "on")],
            &page,
        )
        .await;
    let to = app.path_of(&location(&r));
    assert_eq!(to, format!("{page}?acknowledged=1"));
    let (_, html) = app.page(&staff, &to).await;
    let text = visible_text(&html);
    assert!(
        text.contains("Your acknowledgement has been recorded"),
        "{text}"
    );
    assert!(text.contains("You acknowledged this edition on"));
    assert!(!html.contains("name=\"understood\""));
}
