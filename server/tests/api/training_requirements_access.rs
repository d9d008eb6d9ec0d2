//! Who may manage training requirements, over HTTP on SQLite and PostgreSQL: every page
//! and server function as staff, a line manager, a learner, a tutor, the DSL, another
//! organisation's People department, signed out, and the People department and
//! administrator who may.

use crate::helpers::*;
use crate::training_requirements::{org_id, save, stored};
use app::auth::Role;
use app::training::queries as training;
use reqwest::StatusCode;

#[derive(Clone, Copy, Debug)]
enum Caller {
    SignedOut,
    Demo(Role),
    OtherPeople,
}

#[tokio::test]
async fn only_people_and_administrators_of_the_organisation_manage_requirements() {
    let app = spawn_app().await;
    add_person(
        &app,
        "other",
        "people@other.test",
        "Oli People",
        Role::People,
    )
    .await;
    let org = org_id(&app, "demo").await;
    let id = training::requirements_of(&app.db, &org).await.unwrap()[0]
        .id
        .to_string();
    let edit_page = format!("/training/requirements/{id}");
    let callers = [
        Caller::SignedOut,
        Caller::Demo(Role::Staff),
        Caller::Demo(Role::Manager),
        Caller::Demo(Role::Learner),
        Caller::Demo(Role::Tutor),
        Caller::Demo(Role::Dsl),
        Caller::OtherPeople,
        Caller::Demo(Role::People),
        Caller::Demo(Role::Admin),
    ];
    for caller in callers {
        let client = match caller {
            Caller::SignedOut => browser(),
            Caller::Demo(role) => app.signed_in(&format!("{}@demo.test", role.as_str())).await,
            Caller::OtherPeople => app.signed_in("people@other.test").await,
        };
        let allowed = matches!(caller, Caller::Demo(Role::People | Role::Admin));
        // (status for our organisation's things, status for its own pages)
        let (ours, own) = match caller {
            Caller::SignedOut => (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED),
            Caller::OtherPeople => (StatusCode::NOT_FOUND, StatusCode::OK),
            _ if allowed => (StatusCode::OK, StatusCode::OK),
            _ => (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
        };
        let ok = |s: StatusCode| {
            if s == StatusCode::OK {
                "ok"
            } else {
                s.as_str()
            }
            .to_string()
        };
        let answer = |r: &reqwest::Response| {
            let s = r.status();
            if s == StatusCode::FOUND {
                "ok".to_string()
            } else {
                ok(s)
            }
        };
        let mut got = Vec::new();
        let mut want = Vec::new();
        let r = app.call(&client, "training/requirements", &[]).await;
        got.push(answer(&r));
        want.push(ok(own));
        let r = app
            .call(
                &client,
                "training/requirement_page",
                &[("requirement_id", &id), ("check", "false")],
            )
            .await;
        got.push(answer(&r));
        want.push(ok(ours));
        let r = app
            .call(
                &client,
                "training/requirement_page",
                &[("requirement_id", "new"), ("check", "false")],
            )
            .await;
        got.push(answer(&r));
        want.push(ok(own));
        let r = save(&app, &client, &id, &[("name", "Renamed")]).await;
        got.push(answer(&r));
        want.push(ok(ours));
        for function in [
            "training/retire_requirement",
            "training/bring_back_requirement",
        ] {
            let r = app
                .call(&client, function, &[("requirement_id", &id)])
                .await;
            got.push(answer(&r));
            want.push(ok(ours));
        }
        let r = app
            .call(
                &client,
                "training/set_due_soon_days",
                &[("due_soon_days", "20")],
            )
            .await;
        got.push(answer(&r));
        want.push(ok(own));
        assert_eq!(got, want, "{caller:?}: functions");
        // Pages: the list, a new one, and our requirement.
        for (path, expected) in [
            ("/training/requirements", own),
            ("/training/requirements/new", own),
            (edit_page.as_str(), ours),
        ] {
            let r = app.get(&client, path).await;
            if matches!(caller, Caller::SignedOut) {
                assert!(location(&r).starts_with("/login?next="), "{path}");
            } else {
                assert_eq!(r.status(), expected, "{caller:?} {path}");
            }
        }
        if matches!(caller, Caller::OtherPeople) {
            let (_, html) = app.page(&client, "/training/requirements").await;
            assert!(!html.contains(&id), "another organisation's ids never show");
        }
    }
    // Only People and the administrator changed anything here: renamed, the setting saved.
    assert!(stored(&app, "Renamed").await.is_some());
    assert_eq!(training::due_soon_days(&app.db, &org).await.unwrap(), 20);
    let changes = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'training.%' AND org_id = (SELECT id FROM organisations WHERE slug = 'demo')")
        .await;
    // Per allowed caller: the save, retire, bring back and the setting.
    assert_eq!(changes, 8);
}
