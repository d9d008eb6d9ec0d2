//! Acme's reminders across simulated days, through the scheduled job's check and a real
//! SMTP server on loopback: exactly the expected emails each day, nothing before the
//! sending hour, a missed week (only the latest stage goes, and the digests of the week
//! the server is back), and the clock change of 28 March 2027 (08:00 is 08:00 in London
//! on both sides of it).

use super::fixture::*;
use crate::helpers::*;

const DUE_SOON: &str = "Training due soon: Safeguarding refresher";
const OVERDUE: &str = "Training overdue: Safeguarding refresher";

/// A digest day's three digests (Greta's and Maria's teams, and Pat's escalation digest
/// with `escalated` people in it) and `others`, in the inbox's order.
fn digests_and(escalated: u32, others: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut all = vec![
        to(
            "greta@acme.test",
            "Weekly training digest: 3 people in your team need to act",
        ),
        to(
            "maria@acme.test",
            "Weekly training digest: 2 people in your team need to act",
        ),
        to(
            "pat@acme.test",
            &format!("Weekly training escalation: {escalated} overdue by more than 30 days, 2 with no manager"),
        ),
    ];
    all.extend(others);
    all.sort();
    all
}

fn acme_only(mail: Vec<(String, String)>) -> Vec<(String, String)> {
    mail.into_iter()
        .filter(|(to, _)| to.ends_with("@acme.test"))
        .collect()
}

#[tokio::test]
async fn reminders_across_simulated_days_go_once_each_at_their_stage() {
    let app = spawn_app().await;
    let acme = acme(&app).await;
    let mut inbox = Inbox::start();

    // Monday 22 March 2027, GMT. At 07:30 nothing is due to run yet.
    assert!(job_at(&acme, london("2027-03-22", 7, 30)).await.is_none());
    assert_eq!(acme_only(inbox.deliver(&app).await), vec![]);
    let monday = job_at(&acme, london("2027-03-22", 8, 30))
        .await
        .expect("runs at 08:30");
    assert_eq!(monday.queued, 8);
    assert_eq!(
        monday.emails,
        vec![],
        "the job counts them, and keeps no list"
    );
    assert_eq!(
        acme_only(inbox.deliver(&app).await),
        digests_and(
            1,
            vec![
                to("greta@acme.test", OVERDUE),
                to("lou@acme.test", OVERDUE),
                to("maria@acme.test", OVERDUE),
                to("olly@acme.test", OVERDUE),
                to("sam@acme.test", DUE_SOON),
            ]
        )
    );
    // The same day again (a later check, a restart): nothing.
    assert!(
        job_at(&acme, london("2027-03-22", 9, 0)).await.is_none(),
        "done for today"
    );

    // Tuesday: Lou's last day has come; Tia is 8 days away. Nothing new.
    let tuesday = job_at(&acme, london("2027-03-23", 8, 5))
        .await
        .expect("runs");
    assert_eq!(tuesday.queued, 0);
    // Wednesday: Tia is due within 7 days.
    job_at(&acme, london("2027-03-24", 8, 5))
        .await
        .expect("runs");
    assert_eq!(
        acme_only(inbox.deliver(&app).await),
        vec![to("tia@acme.test", DUE_SOON)]
    );

    // The server is down until Monday 5 April (BST since 28 March). 07:30 London is
    // 06:30 UTC: still too early.
    assert!(job_at(&acme, london("2027-04-05", 7, 30)).await.is_none());
    job_at(&acme, london("2027-04-05", 8, 0))
        .await
        .expect("runs at 08:00 BST");
    assert_eq!(
        acme_only(inbox.deliver(&app).await),
        digests_and(
            1,
            // Due on 26 and 31 March: only "overdue" goes, not the "due today" missed.
            vec![to("sam@acme.test", OVERDUE), to("tia@acme.test", OVERDUE)]
        )
    );

    // Saturday 17 April: Maria and Olly pass 30 days overdue; week 15's digests (Monday
    // was missed) go now.
    job_at(&acme, london("2027-04-17", 8, 0))
        .await
        .expect("runs");
    assert_eq!(
        acme_only(inbox.deliver(&app).await),
        digests_and(
            3,
            vec![
                to("maria@acme.test", OVERDUE),
                to("olly@acme.test", OVERDUE)
            ]
        )
    );
    // Sunday: the same ISO week, nothing stage-worthy.
    job_at(&acme, london("2027-04-18", 8, 0))
        .await
        .expect("runs");
    assert_eq!(acme_only(inbox.deliver(&app).await), vec![]);
}

#[tokio::test]
async fn the_emails_say_what_to_do_and_why_and_a_digest_never_lists_its_reader() {
    let app = spawn_app().await;
    let acme = acme(&app).await;
    let mut inbox = Inbox::start();
    job_at(&acme, london("2027-04-05", 8, 0))
        .await
        .expect("runs");
    inbox.deliver(&app).await;
    let message = |address: &str, subject_start: &str| -> String {
        inbox
            .messages()
            .into_iter()
            .find(|m| {
                let (to, subject) = headers(m);
                to == address && subject.starts_with(subject_start)
            })
            .map(|m| decoded(&m))
            .unwrap_or_else(|| panic!("no email to {address}"))
    };
    let sam = message("sam@acme.test", "Training overdue");
    for expected in [
        "Hello Sam Staff",
        "Safeguarding refresher: overdue since 26 Mar 2027 (10 days)",
        "/training/courses/new?requirement=",
        "Why you are getting this: acme asks its staff",
    ] {
        assert!(sam.contains(expected), "{expected:?} in {sam}");
    }
    assert!(sam.contains("Content-Type: text/html") && sam.contains("Content-Type: text/plain"));
    assert!(
        !sam.contains("Tia Staff"),
        "nobody else's name in a staff reminder"
    );

    let maria = message("maria@acme.test", "Weekly training digest");
    assert!(
        maria.contains("Sam Staff, Safeguarding refresher: overdue since 26 Mar 2027"),
        "{maria}"
    );
    assert!(
        maria.contains("Tia Staff, Safeguarding refresher"),
        "{maria}"
    );
    assert!(
        !maria.contains("Maria Manager, Safeguarding"),
        "never lists its reader: {maria}"
    );
    assert!(maria.contains("line manager"), "says why: {maria}");
    let greta = message("greta@acme.test", "Weekly training digest");
    assert!(
        greta.contains("Maria Manager, Safeguarding refresher"),
        "a manager's manager sees the manager: {greta}"
    );
    assert!(!greta.contains("Greta Director, Safeguarding"), "{greta}");

    let pat = message("pat@acme.test", "Weekly training escalation");
    assert!(
        pat.contains("Greta Director, Safeguarding refresher: overdue since 20 Jan 2020"),
        "{pat}"
    );
    assert!(
        pat.contains("Olly Orphan: their line manager has left"),
        "{pat}"
    );
    assert!(
        pat.contains("Greta Director: no line manager in their staff record"),
        "{pat}"
    );
    assert!(pat.contains("People department"), "says why: {pat}");
}
