//! The reminder settings (saved and shown; each bad value refused with its message and
//! nothing changed) and the training dashboard's "Reminders" section (the pause, the last
//! run, and the warning after 36 hours without one).

use super::*;

const SETTINGS: &str = "/training/reminders/settings";

/// The chosen option of the select with the id `id`.
fn chosen(html: &str, id: &str) -> Option<String> {
    let start = html.find(&format!("<select id=\"{id}\""))?;
    let end = start + html[start..].find("</select>")?;
    html[start..end]
        .split("<option")
        .skip(1)
        .map(|option| &option[..option.find('>').unwrap_or(option.len())])
        .find(|tag| {
            tag.split_whitespace()
                .any(|a| a == "selected" || a.starts_with("selected="))
        })
        .and_then(|tag| tag.split("value=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .map(str::to_string)
}

/// The opening tag of the form control with the id `id`.
fn control<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .and_then(|at| html[..at].rfind('<'))
        .unwrap_or_else(|| panic!("no control {id}"));
    &html[start..start + html[start..].find('>').expect("closed")]
}

/// Whether the tick box with the id `id` is ticked.
fn ticked(html: &str, id: &str) -> bool {
    control(html, id)
        .split_whitespace()
        .any(|a| a == "checked" || a.starts_with("checked="))
}

/// The value in the text box with the id `id`.
fn typed(html: &str, id: &str) -> Option<String> {
    let tag = control(html, id);
    let rest = tag.split(" value=\"").nth(1)?;
    rest.split('"').next().map(str::to_string)
}

/// The settings form with every field, `fields` replacing some.
fn settings_form<'a>(fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("due_soon_days", "21"),
        ("digest_weekday", "3"),
        ("escalate_after_days", "45"),
        ("send_hour", "7"),
    ];
    for (name, value) in fields {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    form
}

/// The saved settings, the training setting and the audit rows about them.
async fn snapshot(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM reminder_settings").await,
        app.count("SELECT COALESCE(MAX(due_soon_days), -1) FROM training_settings")
            .await,
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'training.reminder_settings_changed'",
        )
        .await,
    )
}

#[tokio::test]
async fn the_settings_are_saved_shown_and_the_pause_is_on_the_dashboard() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let text = read(&app, &people, SETTINGS).await;
    assert!(text.contains("Reminder settings"), "{text}");
    let (_, html) = app.page(&people, SETTINGS).await;
    assert_eq!(
        chosen(&html, "digest_weekday").as_deref(),
        Some("1"),
        "Monday"
    );
    assert_eq!(chosen(&html, "send_hour").as_deref(), Some("8"), "08:00");
    assert!(!ticked(&html, "paused"));

    let r = app
        .submit(
            &people,
            "reminders/save_settings",
            &settings_form(&[("paused", "on")]),
            SETTINGS,
        )
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(app.path_of(&location(&r)), format!("{SETTINGS}?done=saved"));
    let (_, html) = app.page(&people, &format!("{SETTINGS}?done=saved")).await;
    let text = visible_text(&html);
    assert!(text.contains("Reminder settings saved."), "{text}");
    assert!(
        text.contains("Paused since") && text.contains("by Morgan People"),
        "{text}"
    );
    assert_eq!(typed(&html, "due_soon_days").as_deref(), Some("21"));
    assert_eq!(typed(&html, "escalate_after_days").as_deref(), Some("45"));
    assert_eq!(
        chosen(&html, "digest_weekday").as_deref(),
        Some("3"),
        "Wednesday"
    );
    assert_eq!(chosen(&html, "send_hour").as_deref(), Some("7"), "07:00");
    assert!(ticked(&html, "paused"));
    assert_eq!(snapshot(&app).await, (1, 21, 1));
    let org = org_id(&app, "demo").await;
    let saved = app::reminders::settings::load(&app.db, &org).await.unwrap();
    assert_eq!(
        (
            saved.digest_weekday,
            saved.escalate_after_days,
            saved.send_hour
        ),
        (3, 45, 7)
    );
    assert!(saved.is_paused());

    // While paused, the dashboard says so, for the People department and administrators.
    for reader in [PEOPLE, "admin@demo.test"] {
        let client = app.signed_in(reader).await;
        let text = read(&app, &client, "/training/dashboard").await;
        assert!(
            text.contains("Reminders are paused since"),
            "{reader}: {text}"
        );
        assert!(text.contains("nobody is being reminded. Resume them in the reminder settings"));
    }

    // Saved again while paused, the pause keeps its first time; unticked, it is gone.
    let paused_at = saved.paused_since.clone();
    app.call(
        &people,
        "reminders/save_settings",
        &settings_form(&[("paused", "on")]),
    )
    .await;
    let again = app::reminders::settings::load(&app.db, &org).await.unwrap();
    assert_eq!(again.paused_since, paused_at);
    let r = app
        .call(&people, "reminders/save_settings", &settings_form(&[]))
        .await;
    assert!(r.status().is_success() || r.status() == StatusCode::FOUND);
    let text = read(&app, &people, "/training/dashboard").await;
    assert!(!text.contains("Reminders are paused"), "{text}");
    assert!(!read(&app, &people, SETTINGS).await.contains("Paused since"));
    assert_eq!(snapshot(&app).await.2, 3, "each save is audited");
}

#[tokio::test]
async fn each_bad_setting_is_refused_with_its_message_and_nothing_changes() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let before = snapshot(&app).await;
    for (field, value, message) in [
        (
            "due_soon_days",
            "366",
            "Due soon: enter the number of days as a whole number from 0 to 365.",
        ),
        ("due_soon_days", "-1", "Due soon:"),
        (
            "digest_weekday",
            "8",
            "Weekly digests: choose a day of the week, from Monday to Sunday.",
        ),
        ("digest_weekday", "", "Weekly digests:"),
        (
            "escalate_after_days",
            "0",
            "Escalation: enter the number of days overdue as a whole number from 1 to 365.",
        ),
        ("escalate_after_days", "a month", "Escalation:"),
        (
            "send_hour",
            "24",
            "Sending time: choose an hour from 00:00 to 23:00.",
        ),
    ] {
        let form = settings_form(&[(field, value), ("paused", "on")]);
        let r = app.call(&people, "reminders/save_settings", &form).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{field}={value}");
        let error = app_error(r).await.to_string();
        assert!(error.contains(message), "{field}={value}: {error}");
        assert_eq!(
            snapshot(&app).await,
            before,
            "{field}={value}: nothing changed"
        );
    }
    // From the page: back to the form with the message and what was typed.
    let form = settings_form(&[("escalate_after_days", "400")]);
    let r = app
        .submit(&people, "reminders/save_settings", &form, SETTINGS)
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let back = app.path_of(&location(&r));
    let (_, html) = app.page(&people, &back).await;
    assert!(visible_text(&html).contains("Escalation: enter the number of days overdue"));
    assert_eq!(typed(&html, "escalate_after_days").as_deref(), Some("400"));
    assert_eq!(snapshot(&app).await, before);
    // Not allowed to change them: the same refusal whatever the values.
    let staff = app.signed_in("staff@demo.test").await;
    let r = app
        .call(&staff, "reminders/save_settings", &settings_form(&[]))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&app).await, before);
}

/// Record the demo organisation's last run as finished `hours` ago.
async fn last_run_hours_ago(app: &TestApp, hours: i64) -> DateTime<Utc> {
    let at = Utc::now() - Duration::hours(hours);
    sqlx::query("DELETE FROM reminder_runs")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO reminder_runs (org_id, day, finished_at, outcome, emails)
         VALUES ($1, $2, $3, 'sent', 0)",
    )
    .bind(org_id(app, "demo").await)
    .bind(app::calendar::day_key(app::calendar::today_at(at)))
    .bind(db::timestamp(at))
    .execute(&app.db)
    .await
    .unwrap();
    at
}

#[tokio::test]
async fn the_dashboard_warns_when_reminders_have_not_run_for_36_hours() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    const WARNING: &str = "Reminders have not run successfully for more than 36 hours";

    // A new organisation: not run yet, and not late.
    let text = read(&app, &people, "/training/dashboard").await;
    assert!(text.contains("Reminders have not run yet."), "{text}");
    assert!(!text.contains(WARNING), "{text}");
    assert!(text.contains("Reminder log") && text.contains("Reminder settings"));

    let at = last_run_hours_ago(&app, 35).await;
    let text = read(&app, &people, "/training/dashboard").await;
    let when = app::reminders::words::london_time(at);
    assert!(
        text.contains(&format!("Last successful run: {when}")),
        "{text}"
    );
    assert!(!text.contains(WARNING), "{text}");

    let at = last_run_hours_ago(&app, 37).await;
    let when = app::reminders::words::london_time(at);
    for reader in [PEOPLE, "admin@demo.test"] {
        let client = app.signed_in(reader).await;
        let text = read(&app, &client, "/training/dashboard").await;
        assert!(
            text.contains(&format!(
                "Warning: {WARNING} (last: {when}). Check the server's scheduled jobs ( /healthz )"
            )),
            "{reader}: {text}"
        );
    }

    // Never run, with the organisation and the job older than 36 hours: late too.
    sqlx::query("DELETE FROM reminder_runs")
        .execute(&app.db)
        .await
        .unwrap();
    let long_ago = db::timestamp(Utc::now() - Duration::hours(40));
    for table in ["organisations", "jobs"] {
        sqlx::query(&format!("UPDATE {table} SET created_at = $1"))
            .bind(&long_ago)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let text = read(&app, &people, "/training/dashboard").await;
    assert!(text.contains(&format!("{WARNING} (last: never)")), "{text}");
    assert!(text.contains("Reminders have not run yet."), "{text}");
}
