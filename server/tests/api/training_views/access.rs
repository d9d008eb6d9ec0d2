//! Who may open which training view, over HTTP: pages, the CSV and the server functions
//! behind them, for each kind of caller. A person outside one's own line of management,
//! or in another organisation, is "not found", never "forbidden": the answer does not
//! reveal that they exist.

use super::*;
use reqwest::Client;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Ok,
    Forbidden,
    NotFound,
    /// A page: sent to sign in.
    ToSignIn,
    /// A program or a download: 401.
    NotSignedIn,
}
use Expect::*;

/// A server function, its form, and what each caller gets.
type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>, [Expect; 9]);

/// The callers, in the order of every row below.
const CALLERS: [(&str, Option<&str>); 9] = [
    ("Jordan (staff)", Some(STAFF)),
    ("Mia (Jordan's manager)", Some(MID)),
    ("Priya (Jordan's manager's manager)", Some(TOP)),
    ("Oona (another manager)", Some(OONA)),
    ("People", Some("people@demo.test")),
    ("admin", Some("admin@demo.test")),
    ("a learner", Some("learner@demo.test")),
    ("another organisation's People", Some(OTHER_PEOPLE)),
    ("signed out", None),
];

fn met(expect: Expect, status: StatusCode, location: &str) -> bool {
    match expect {
        Ok => status == StatusCode::OK,
        Forbidden => status == StatusCode::FORBIDDEN,
        NotFound => status == StatusCode::NOT_FOUND,
        ToSignIn => status == StatusCode::FOUND && location.starts_with("/login?next="),
        NotSignedIn => status == StatusCode::UNAUTHORIZED,
    }
}

async fn clients(app: &TestApp) -> Vec<Client> {
    let mut clients = Vec::new();
    for (_, email) in CALLERS {
        clients.push(match email {
            Some(email) => app.signed_in(email).await,
            None => browser(),
        });
    }
    clients
}

#[tokio::test]
async fn training_views_open_to_exactly_the_right_people() {
    let app = spawn_app().await;
    let org = small_org(&app).await;
    let other_people = app.user_id(OTHER_PEOPLE).await;
    let page = |id: &str| format!("/training/people/{id}");
    let everyone_on_staff = [Ok, Ok, Ok, Ok, Ok, Ok, Forbidden, Ok, ToSignIn];
    let dashboard = [
        Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Forbidden, Ok, ToSignIn,
    ];
    let pages: Vec<(String, [Expect; 9])> = vec![
        ("/training".into(), everyone_on_staff),
        (
            page(&org.staff),
            [Ok, Ok, Ok, NotFound, Ok, Ok, Forbidden, NotFound, ToSignIn],
        ),
        // A colleague with the same manager.
        (
            page(&org.formula),
            [
                NotFound, Ok, Ok, NotFound, Ok, Ok, Forbidden, NotFound, ToSignIn,
            ],
        ),
        // Above, never below: nobody sees their own manager's training.
        (
            page(&org.top),
            [
                NotFound, NotFound, Ok, NotFound, Ok, Ok, Forbidden, NotFound, ToSignIn,
            ],
        ),
        (
            page(&org.olly),
            [
                NotFound, NotFound, NotFound, Ok, Ok, Ok, Forbidden, NotFound, ToSignIn,
            ],
        ),
        (
            page(&other_people),
            [
                NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, Forbidden, Ok, ToSignIn,
            ],
        ),
        (
            page("no-such-person"),
            [
                NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, Forbidden, NotFound,
                ToSignIn,
            ],
        ),
        ("/team".into(), everyone_on_staff),
        ("/team?all=1".into(), everyone_on_staff),
        ("/training/dashboard".into(), dashboard),
        (
            "/training/dashboard?status=overdue&page=2".into(),
            dashboard,
        ),
        (
            "/training/dashboard.csv".into(),
            [
                Forbidden,
                Forbidden,
                Forbidden,
                Forbidden,
                Ok,
                Ok,
                Forbidden,
                Ok,
                NotSignedIn,
            ],
        ),
    ];
    let clients = clients(&app).await;
    for (path, row) in &pages {
        for ((who, _), (client, expect)) in CALLERS.iter().zip(clients.iter().zip(row)) {
            let response = app.get(client, path).await;
            let (status, to) = (response.status(), location(&response));
            assert!(
                met(*expect, status, &to),
                "{path} as {who}: expected {expect:?}, got {status} {to}"
            );
        }
    }

    // The server functions behind the pages answer programs the same way.
    let program = |row: [Expect; 9]| row.map(|e| if e == ToSignIn { NotSignedIn } else { e });
    let functions: Vec<Call> = vec![
        ("training/mine", vec![], program(everyone_on_staff)),
        (
            "training/person",
            vec![("person_id", org.staff.as_str())],
            program([Ok, Ok, Ok, NotFound, Ok, Ok, Forbidden, NotFound, ToSignIn]),
        ),
        (
            "training/team",
            vec![("all", "1")],
            program(everyone_on_staff),
        ),
        ("training/dashboard", vec![], program(dashboard)),
    ];
    for (function, form, row) in &functions {
        for ((who, _), (client, expect)) in CALLERS.iter().zip(clients.iter().zip(row)) {
            let response = app.call(client, function, form).await;
            let status = response.status();
            assert!(
                met(*expect, status, ""),
                "{function} as {who}: expected {expect:?}, got {status}"
            );
        }
    }

    // Another organisation's People see their own organisation only.
    let other = &clients[7];
    let (_, html) = app.page(other, "/training/dashboard").await;
    assert!(!html.contains("demo.test") && !html.contains("Jordan Staff"));
    let csv = app
        .get(other, "/training/dashboard.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("demo.test"), "{csv}");
    assert!(csv.contains(OTHER_PEOPLE), "{csv}");
}
