//! The authorisation matrix: every server function and page, called signed out, as each
//! role, and as an administrator of another organisation, gets exactly the right answer.

use crate::helpers::*;
use app::auth::{Capability, Role};
use reqwest::{Client, StatusCode};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    SignedOut,
    Demo(Role),
    OtherAdmin,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Ok,
    NotSignedIn,
    Forbidden,
    NotFound,
    /// A page that sends the visitor to sign in.
    ToSignIn,
    /// Allowed to ask, but the input is refused (400).
    Invalid,
}

/// A server function, its form, and the answer expected.
type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>, Expect);

fn is_admin(caller: Caller) -> bool {
    caller == Caller::Demo(Role::Admin) || caller == Caller::OtherAdmin
}

/// Whether the caller's role has `capability`, by the app's own access rule
/// (`app::auth::access`): the tests keep no role lists of their own.
fn may(caller: Caller, capability: Capability) -> bool {
    match caller {
        Caller::SignedOut => false,
        Caller::OtherAdmin => capability.roles().contains(&Role::Admin),
        Caller::Demo(role) => capability.roles().contains(&role),
    }
}

/// Allowed with `capability`, in the caller's own organisation's data.
fn with(caller: Caller, capability: Capability) -> Expect {
    match caller {
        Caller::SignedOut => Expect::NotSignedIn,
        c if may(c, capability) => Expect::Ok,
        _ => Expect::Forbidden,
    }
}

/// Allowed with `capability`, about someone in the demo organisation: another
/// organisation's administrator cannot find them.
fn with_on_demo_person(caller: Caller, capability: Capability) -> Expect {
    match caller {
        Caller::OtherAdmin => Expect::NotFound,
        c => with(c, capability),
    }
}

/// Admin-only, about a person in the demo organisation.
fn admin_on_demo_person(caller: Caller) -> Expect {
    with_on_demo_person(caller, Capability::ManageUsers)
}

fn admin_only(caller: Caller) -> Expect {
    with(caller, Capability::ManageUsers)
}

/// For the administrator or the DSL of any organisation (their own organisation's data).
fn admin_or_dsl(caller: Caller) -> Expect {
    with(caller, Capability::ManageModules)
}

/// Signed in, whoever they are.
fn anyone_signed_in(caller: Caller) -> Expect {
    match caller {
        Caller::SignedOut => Expect::NotSignedIn,
        _ => Expect::Ok,
    }
}

/// A learners' module of the demo organisation (the other organisation's admin has no
/// learner role; staff are not assigned learner modules).
fn learner_module(caller: Caller) -> Expect {
    match caller {
        Caller::SignedOut => Expect::NotSignedIn,
        Caller::Demo(Role::Learner) => Expect::Ok,
        _ => Expect::NotFound,
    }
}

/// Tutors, the DSL, the People department and administrators follow who has signed.
fn report_reader(caller: Caller) -> Expect {
    with(caller, Capability::ReadSigningReport)
}

/// Tutors, the DSL and administrators follow up parents' acknowledgements of the demo
/// organisation's learners (another organisation's admin cannot find them).
fn parent_follow_up(caller: Caller) -> Expect {
    with_on_demo_person(caller, Capability::FollowUpParents)
}

/// The People department and administrators keep staff records (their own organisation's).
fn staff_records(caller: Caller) -> Expect {
    with(caller, Capability::ManageStaffRecords)
}

/// A staff record of the demo organisation: another organisation's administrator cannot
/// find it.
fn staff_records_on_demo_person(caller: Caller) -> Expect {
    with_on_demo_person(caller, Capability::ManageStaffRecords)
}

/// The People department and administrators record training (their own organisation's).
fn records_training(caller: Caller) -> Expect {
    with(caller, Capability::RecordTraining)
}

/// The demo cohort (taught by the demo tutor): those who see every cohort may look, its
/// tutor too; another organisation's administrator cannot find it.
fn demo_cohort(caller: Caller) -> Expect {
    with_on_demo_person(caller, Capability::ViewCohorts)
}

/// Enrolling in the demo cohort: administrators (any cohort) and its tutor; the DSL and
/// the People department see it but may not change it.
fn demo_cohort_enrol(caller: Caller) -> Expect {
    match caller {
        Caller::Demo(Role::Tutor) => Expect::Ok,
        Caller::Demo(Role::Dsl | Role::People) => Expect::Forbidden,
        c => with_on_demo_person(c, Capability::ManageCohorts),
    }
}

/// A file of learners for the enrolment preview (checked, never enrolled in the matrix).
const ENROLMENT_FILE: &str =
    "First name,Last name,Email,Cohort,Start date\nKim,Ng,kim@example.org,Demo cohort,01/09/2026\n";

/// Allowed to ask about a record that does not exist: not found.
fn not_found_if_allowed(expect: Expect) -> Expect {
    match expect {
        Expect::Ok => Expect::NotFound,
        other => other,
    }
}

/// A demo member of staff's training history: theirs to read, and the People
/// department's and administrators'; another organisation's administrator cannot find it.
fn own_training_history(caller: Caller) -> Expect {
    match caller {
        Caller::Demo(Role::Staff) => Expect::Ok,
        c => with_on_demo_person(c, Capability::RecordTraining),
    }
}

/// Allowed to ask, but there is nothing to act on: the input is refused.
fn invalid_if_allowed(expect: Expect) -> Expect {
    match expect {
        Expect::Ok => Expect::Invalid,
        other => other,
    }
}

/// The page form of an answer: a signed-out visitor is sent to sign in.
fn as_page(expect: Expect) -> Expect {
    match expect {
        Expect::NotSignedIn => Expect::ToSignIn,
        other => other,
    }
}

fn check(what: &str, caller: Caller, expect: Expect, status: StatusCode, location: &str) {
    let ok = match expect {
        Expect::Ok => {
            status.is_success() || status == StatusCode::FOUND && !location.starts_with("/login")
        }
        Expect::NotSignedIn => status == StatusCode::UNAUTHORIZED,
        Expect::Forbidden => status == StatusCode::FORBIDDEN,
        Expect::NotFound => status == StatusCode::NOT_FOUND,
        Expect::ToSignIn => status == StatusCode::FOUND && location.starts_with("/login?next="),
        Expect::Invalid => status == StatusCode::BAD_REQUEST,
    };
    assert!(
        ok,
        "{what} as {caller:?}: expected {expect:?}, got {status} {location}"
    );
}

async fn client_for(app: &TestApp, caller: Caller) -> Client {
    match caller {
        Caller::SignedOut => browser(),
        Caller::Demo(role) => app.signed_in(&format!("{}@demo.test", role.as_str())).await,
        Caller::OtherAdmin => app.signed_in(OTHER_ADMIN).await,
    }
}

#[tokio::test]
async fn every_server_function_and_page_checks_who_is_asking() {
    let app = spawn_app().await;
    // A person who has been invited but not yet chosen a password, to resend to.
    let demo = app::admin::queries::organisation_by_slug(&app.db, "demo")
        .await
        .unwrap()
        .unwrap();
    let mut conn = app.db.acquire().await.unwrap();
    let invitee = app::admin::queries::insert_user(
        &mut conn,
        &demo.id,
        "invitee@demo.test",
        "Ira Invitee",
        None,
    )
    .await
    .unwrap()
    .to_string();
    drop(conn);
    let learner = app.user_id("learner@demo.test").await;
    let staff_member = app.user_id("staff@demo.test").await;
    let staff_record_page = format!("/staff/{staff_member}");
    let parent_page = format!("/policies/parents/{learner}");
    let history_page = format!("/training/people/{staff_member}/history");
    let made_up_briefing_page = "/training/briefings/no-such-briefing".to_string();
    let library = app::content::load_library(&content_dir()).unwrap();
    let grooming = library
        .modules
        .iter()
        .find(|m| m.id.as_str() == "grooming")
        .unwrap();
    let first_section = grooming.sections[0].id.to_string();
    let (demo_cohort_id,): (String,) =
        sqlx::query_as("SELECT id FROM cohorts WHERE name = 'Demo cohort'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let cohort_page = format!("/cohorts/{demo_cohort_id}");
    let cohort_csv = format!("/cohorts/{demo_cohort_id}/grid.csv");
    let learner_page = format!("/learners/{learner}");
    let cohort_print = format!("/cohorts/{demo_cohort_id}/print");
    let cohort_nudge = format!("/cohorts/{demo_cohort_id}/nudge");
    let cohort_insights = format!("/cohorts/{demo_cohort_id}/insights");
    let section_path = format!("/induction/grooming/read/{first_section}");

    let mut callers = vec![Caller::SignedOut, Caller::OtherAdmin];
    callers.extend(Role::ALL.into_iter().map(Caller::Demo));
    for (n, caller) in callers.into_iter().enumerate() {
        let client = client_for(&app, caller).await;
        let new_email = format!("new{n}@demo.test");
        let nobody = format!("nobody{n}@demo.test");
        let cohort_name = format!("Matrix cohort {n}");
        let made_up = "0000000000000000000000000000000000000000000000000000000000000000";
        let functions: Vec<Call> = vec![
            ("admin/list_users", vec![("q", "")], admin_only(caller)),
            (
                "admin/user",
                vec![("user_id", &learner)],
                admin_on_demo_person(caller),
            ),
            (
                "admin/grant_role",
                vec![("user_id", &learner), ("role", "tutor")],
                admin_on_demo_person(caller),
            ),
            (
                "admin/revoke_role",
                vec![("user_id", &learner), ("role", "tutor")],
                admin_on_demo_person(caller),
            ),
            (
                "admin/resend_invitation",
                vec![("user_id", &invitee)],
                admin_on_demo_person(caller),
            ),
            (
                "admin/deactivate_user",
                vec![("user_id", &invitee)],
                admin_on_demo_person(caller),
            ),
            (
                "admin/reactivate_user",
                vec![("user_id", &invitee)],
                admin_on_demo_person(caller),
            ),
            (
                "admin/invite_user",
                vec![
                    ("full_name", "New Person"),
                    ("email", &new_email),
                    ("role", "learner"),
                ],
                admin_only(caller),
            ),
            ("staff/list", vec![("q", "")], staff_records(caller)),
            // Cohorts (a tutor of another cohort: `cohorts.rs`).
            ("cohorts/list", vec![], with(caller, Capability::ViewCohorts)),
            (
                "cohorts/create",
                vec![
                    ("name", &cohort_name),
                    ("starts_on", "01/09/2026"),
                    ("ends_on", "31/07/2027"),
                ],
                with(caller, Capability::ManageCohorts),
            ),
            (
                "cohorts/grid",
                vec![("cohort_id", &demo_cohort_id)],
                demo_cohort(caller),
            ),
            (
                "cohorts/enrol",
                vec![
                    ("cohort_id", &demo_cohort_id),
                    ("email", "learner@demo.test"),
                    ("start_on", "01/09/2026"),
                ],
                demo_cohort_enrol(caller),
            ),
            (
                "cohorts/add_tutor",
                vec![("cohort_id", &demo_cohort_id), ("email", "tutor@demo.test")],
                with_on_demo_person(caller, Capability::ManageCohorts),
            ),
            (
                "cohorts/induction_days",
                vec![("days", "28")],
                with(caller, Capability::ManageCohorts),
            ),
            (
                "cohorts/learner",
                vec![("learner_id", &learner)],
                demo_cohort(caller),
            ),
            (
                "cohorts/set_status",
                vec![("learner_id", &learner), ("status", "active")],
                demo_cohort_enrol(caller),
            ),
            (
                "cohorts/insights",
                vec![("cohort_id", &demo_cohort_id)],
                demo_cohort(caller),
            ),
            (
                "cohorts/nudge_page",
                vec![("cohort_id", &demo_cohort_id), ("who", "behind")],
                demo_cohort_enrol(caller),
            ),
            (
                "cohorts/nudge",
                vec![("cohort_id", &demo_cohort_id), ("learners", &learner)],
                demo_cohort_enrol(caller),
            ),
            (
                "cohorts/enrolment_state",
                vec![],
                with(caller, Capability::EnrolLearners),
            ),
            (
                "cohorts/enrolment_upload",
                vec![("csv", ENROLMENT_FILE)],
                with(caller, Capability::EnrolLearners),
            ),
            (
                "cohorts/enrolment_cancel",
                vec![],
                with(caller, Capability::EnrolLearners),
            ),
            (
                "cohorts/enrolment_confirm",
                vec![],
                invalid_if_allowed(with(caller, Capability::EnrolLearners)),
            ),
            // Training views (the person page's matrix: `training_views/access.rs`).
            (
                "training/mine",
                vec![],
                with(caller, Capability::ViewOwnTraining),
            ),
            (
                "training/team",
                vec![],
                with(caller, Capability::ViewOwnTraining),
            ),
            (
                "training/dashboard",
                vec![],
                with(caller, Capability::ViewTrainingDashboard),
            ),
            (
                "training/person",
                vec![("person_id", made_up)],
                not_found_if_allowed(with(caller, Capability::ViewOwnTraining)),
            ),
            (
                "training/evidence_pack",
                vec![("on", "")],
                with(caller, Capability::ViewTrainingDashboard),
            ),
            // Training requirements (a made-up id is "not found" to those allowed; the
            // matrix with real ids is `training_requirements_access.rs`).
            (
                "training/requirements",
                vec![],
                with(caller, Capability::ManageTrainingRequirements),
            ),
            (
                "training/requirement_page",
                vec![("requirement_id", made_up), ("check", "false")],
                not_found_if_allowed(with(caller, Capability::ManageTrainingRequirements)),
            ),
            (
                "training/save_requirement",
                vec![("requirement_id", made_up), ("name", "Made up")],
                not_found_if_allowed(with(caller, Capability::ManageTrainingRequirements)),
            ),
            (
                "training/retire_requirement",
                vec![("requirement_id", made_up)],
                not_found_if_allowed(with(caller, Capability::ManageTrainingRequirements)),
            ),
            (
                "training/bring_back_requirement",
                vec![("requirement_id", made_up)],
                not_found_if_allowed(with(caller, Capability::ManageTrainingRequirements)),
            ),
            (
                "training/set_due_soon_days",
                vec![("due_soon_days", "400")],
                invalid_if_allowed(with(caller, Capability::ManageTrainingRequirements)),
            ),
            // Staff training reminders: the log and the settings (`reminder_log.rs`).
            (
                "reminders/log",
                vec![("week", "2026-W49")],
                with(caller, Capability::ViewTrainingDashboard),
            ),
            (
                "reminders/settings",
                vec![],
                with(caller, Capability::ManageTrainingRequirements),
            ),
            (
                "reminders/save_settings",
                vec![
                    ("due_soon_days", "400"),
                    ("digest_weekday", "1"),
                    ("escalate_after_days", "30"),
                    ("send_hour", "8"),
                ],
                invalid_if_allowed(with(caller, Capability::ManageTrainingRequirements)),
            ),
            // Documents (the matrix with a real document is `documents_access.rs`).
            (
                "documents/mine",
                vec![],
                with(caller, Capability::ViewOwnTraining),
            ),
            (
                "documents/read",
                vec![("key", "no-such-document")],
                not_found_if_allowed(with(caller, Capability::ViewOwnTraining)),
            ),
            (
                "documents/acknowledge",
                vec![("version_id", made_up), ("understood", "on")],
                not_found_if_allowed(with(caller, Capability::ViewOwnTraining)),
            ),
            (
                "documents/list",
                vec![],
                with(caller, Capability::PublishDocuments),
            ),
            (
                "documents/create",
                vec![("title", "A document"), ("key", "Not A Key!")],
                invalid_if_allowed(with(caller, Capability::PublishDocuments)),
            ),
            (
                "documents/editions",
                vec![("key", "no-such-document")],
                not_found_if_allowed(with(caller, Capability::PublishDocuments)),
            ),
            (
                "documents/start_edition",
                vec![("key", "no-such-document")],
                not_found_if_allowed(with(caller, Capability::PublishDocuments)),
            ),
            (
                "documents/draft",
                vec![("draft_id", made_up)],
                not_found_if_allowed(with(caller, Capability::PublishDocuments)),
            ),
            (
                "documents/save_draft",
                vec![
                    ("draft_id", made_up),
                    ("title", "A document"),
                    ("body", "Text."),
                    ("what_changed", "Nothing."),
                    ("effective_from", "2026-12-02"),
                ],
                not_found_if_allowed(with(caller, Capability::PublishDocuments)),
            ),
            (
                "staff/record",
                vec![("person_id", &staff_member)],
                staff_records_on_demo_person(caller),
            ),
            (
                "staff/save_record",
                vec![
                    ("person_id", &staff_member),
                    ("employee_number", ""),
                    ("job_title", ""),
                    ("department", ""),
                    ("start_date", "not a date"),
                    ("line_manager_id", ""),
                    ("leaving_date", ""),
                ],
                match staff_records_on_demo_person(caller) {
                    Expect::Ok => Expect::Invalid,
                    other => other,
                },
            ),
            // The HR import: nothing is waiting at first, so mapping and confirming are
            // refused as input for those allowed; the upload comes last.
            (
                "staff/import_state",
                vec![],
                with(caller, Capability::ManageStaffRecords),
            ),
            (
                "staff/import_map",
                vec![("email", "Email")],
                invalid_if_allowed(with(caller, Capability::ManageStaffRecords)),
            ),
            (
                "staff/import_confirm",
                vec![("send_invitations", "on")],
                invalid_if_allowed(with(caller, Capability::ManageStaffRecords)),
            ),
            (
                "staff/import_cancel",
                vec![],
                with(caller, Capability::ManageStaffRecords),
            ),
            (
                "staff/import_upload",
                vec![("csv", "Name,Email\nNew Person,new.import@example.org\n")],
                with(caller, Capability::ManageStaffRecords),
            ),
            // Training recorded by hand: briefings, the completion editor, the back-fill
            // (nothing waits at first; the upload comes last).
            ("training/briefing_form", vec![], records_training(caller)),
            ("training/briefings", vec![], records_training(caller)),
            (
                "training/briefing",
                vec![("briefing_id", made_up)],
                not_found_if_allowed(records_training(caller)),
            ),
            (
                "training/record_briefing",
                vec![
                    ("held_on", "not a date"),
                    ("title", "T"),
                    ("led_by", "L"),
                    ("requirement_id", made_up),
                ],
                invalid_if_allowed(records_training(caller)),
            ),
            (
                "training/history",
                vec![("person_id", &staff_member)],
                own_training_history(caller),
            ),
            (
                "training/record_completion",
                vec![
                    ("person_id", &staff_member),
                    ("requirement_id", made_up),
                    ("completed_on", "01/01/2025"),
                    ("reason", "Seen"),
                ],
                invalid_if_allowed(with_on_demo_person(caller, Capability::RecordTraining)),
            ),
            (
                "training/correct_completion",
                vec![
                    ("person_id", &staff_member),
                    ("completion_id", made_up),
                    ("change", "withdraw"),
                    ("reason", "Wrong"),
                ],
                not_found_if_allowed(records_training(caller)),
            ),
            ("training/import_state", vec![], records_training(caller)),
            (
                "training/import_confirm",
                vec![],
                invalid_if_allowed(records_training(caller)),
            ),
            ("training/import_cancel", vec![], records_training(caller)),
            (
                "training/import_upload",
                vec![(
                    "csv",
                    "Email,Requirement,Completion date\nstaff@demo.test,Prevent awareness,01/01/2025\n",
                )],
                records_training(caller),
            ),
            ("learning/my_induction", vec![], anyone_signed_in(caller)),
            (
                "learning/module",
                vec![("module_id", "grooming")],
                learner_module(caller),
            ),
            (
                "learning/section",
                vec![("module_id", "grooming"), ("section_id", &first_section)],
                learner_module(caller),
            ),
            (
                "learning/quiz",
                vec![("module_id", "grooming")],
                learner_module(caller),
            ),
            (
                "learning/attempt",
                vec![("attempt_id", "no-such-attempt")],
                match caller {
                    Caller::SignedOut => Expect::NotSignedIn,
                    _ => Expect::NotFound,
                },
            ),
            (
                "learning/certificate",
                vec![("code", "ABCD-EFGH-JKLM")],
                match caller {
                    Caller::SignedOut => Expect::NotSignedIn,
                    _ => Expect::NotFound,
                },
            ),
            (
                "learning/verify",
                vec![("code", "ABCD-EFGH-JKLM")],
                Expect::NotFound,
            ),
            ("learning/settings", vec![], admin_or_dsl(caller)),
            ("learning/module_draft", vec![], admin_or_dsl(caller)),
            (
                "learning/switch",
                vec![("module_id", "grooming"), ("switch", "on")],
                admin_or_dsl(caller),
            ),
            (
                "learning/pass_mark",
                vec![("module_id", "grooming"), ("pass_mark", "80")],
                admin_or_dsl(caller),
            ),
            (
                "learning/add_module",
                vec![("module_text", "not a module"), ("quiz_text", "")],
                match admin_or_dsl(caller) {
                    Expect::Ok => Expect::Invalid,
                    other => other,
                },
            ),
            ("policies/mine", vec![], anyone_signed_in(caller)),
            // External courses (more in training_courses.rs, with a real course).
            (
                "courses/mine",
                vec![],
                with(caller, Capability::RecordExternalCourses),
            ),
            (
                "courses/form",
                vec![],
                with(caller, Capability::RecordExternalCourses),
            ),
            (
                "courses/reject",
                vec![("course_id", "no-such-course"), ("reason", "Not readable")],
                match with(caller, Capability::VerifyTraining) {
                    Expect::Ok => Expect::NotFound,
                    other => other,
                },
            ),
            (
                "courses/awaiting",
                vec![("page", "")],
                with(caller, Capability::VerifyTraining),
            ),
            (
                "courses/verify",
                vec![("course_id", "no-such-course")],
                match with(caller, Capability::VerifyTraining) {
                    Expect::Ok => Expect::NotFound,
                    other => other,
                },
            ),
            (
                "policies/to_sign",
                vec![("kind", "learner")],
                learner_module(caller),
            ),
            (
                "policies/signed_copy",
                vec![("signature_id", "no-such-signature")],
                match caller {
                    Caller::SignedOut => Expect::NotSignedIn,
                    _ => Expect::NotFound,
                },
            ),
            (
                "policies/check",
                vec![("signature_id", "no-such-signature")],
                Expect::NotFound,
            ),
            ("policies/versions", vec![], admin_or_dsl(caller)),
            ("policies/schedule", vec![], admin_or_dsl(caller)),
            (
                "policies/set_schedule",
                vec![("months", "not a number")],
                match admin_or_dsl(caller) {
                    Expect::Ok => Expect::Invalid,
                    other => other,
                },
            ),
            (
                "policies/parent_case",
                vec![("learner_id", &learner)],
                parent_follow_up(caller),
            ),
            (
                "policies/email_parent",
                vec![("learner_id", &learner), ("email", "not an email")],
                match parent_follow_up(caller) {
                    Expect::Ok => Expect::Invalid,
                    other => other,
                },
            ),
            (
                "policies/record_paper",
                vec![
                    ("learner_id", &learner),
                    ("parent_name", ""),
                    ("relationship", ""),
                    ("signed_on", ""),
                ],
                match parent_follow_up(caller) {
                    Expect::Ok => Expect::Invalid,
                    other => other,
                },
            ),
            (
                "admin/set_date_of_birth",
                vec![("user_id", &learner), ("date_of_birth", "not a date")],
                match admin_on_demo_person(caller) {
                    Expect::Ok => Expect::Invalid,
                    other => other,
                },
            ),
            // Public: whoever holds a link. A made-up one is refused for everyone.
            (
                "parent/request",
                vec![(
                    "token",
                    "0000000000000000000000000000000000000000000000000000000000000000",
                )],
                Expect::Invalid,
            ),
            (
                "policies/report",
                vec![("kind", "learner")],
                report_reader(caller),
            ),
            (
                "policies/remind",
                vec![("kind", "staff")],
                report_reader(caller),
            ),
            (
                "policies/start_draft",
                vec![("kind", "staff")],
                admin_or_dsl(caller),
            ),
            (
                "policies/draft",
                vec![("draft_id", "no-such-draft")],
                match admin_or_dsl(caller) {
                    Expect::Ok => Expect::NotFound,
                    other => other,
                },
            ),
            (
                "learning/mark_read",
                vec![("module_id", "grooming"), ("section_id", &first_section)],
                learner_module(caller),
            ),
            (
                "learning/submit",
                vec![("attempt_id", "no-such-attempt")],
                match caller {
                    Caller::SignedOut => Expect::NotSignedIn,
                    _ => Expect::NotFound,
                },
            ),
            (
                "policies/save_draft",
                vec![
                    ("draft_id", "no-such-draft"),
                    ("title", "T"),
                    ("body", "B"),
                    ("what_changed", "W"),
                    ("effective_from", "2026-12-01"),
                    ("sign_again", "no"),
                ],
                match admin_or_dsl(caller) {
                    Expect::Ok => Expect::NotFound,
                    other => other,
                },
            ),
            ("safe_internet/contacts", vec![], admin_or_dsl(caller)),
            (
                "safe_internet/save_contacts",
                vec![
                    ("dsl_name", "Dee Lead"),
                    ("dsl_phone", "0161 496 0000"),
                    ("dsl_email", "not an email"),
                    ("raise_concern", ""),
                    ("policy_links", ""),
                ],
                match admin_or_dsl(caller) {
                    Expect::Ok => Expect::Invalid,
                    other => other,
                },
            ),
            // Public, for anyone: the Safe Internet page, signing in (a wrong password is
            // a 400 for everyone), a reset request (the same answer for any address), and
            // links with a made-up token (refused for everyone).
            ("safe_internet/page", vec![], Expect::Ok),
            (
                "auth/sign_in",
                vec![("email", &nobody), ("password", "not the password")],
                Expect::Invalid,
            ),
            (
                "auth/request_password_reset",
                vec![("email", &nobody)],
                Expect::Ok,
            ),
            ("auth/check_link", vec![("token", made_up)], Expect::Invalid),
            // Choosing an organisation needs a sign-in that opened several accounts:
            // without one, a real account id (a learner's here) gets nobody in.
            ("auth/sign_in_choices", vec![], Expect::Invalid),
            (
                "auth/choose_organisation",
                vec![("account_id", &learner)],
                Expect::Invalid,
            ),
            (
                "auth/set_password",
                vec![
                    ("token", made_up),
                    ("new_password", "three random words"),
                    ("confirm_password", "three random words"),
                ],
                Expect::Invalid,
            ),
            (
                "parent/acknowledge",
                vec![
                    ("token", made_up),
                    ("parent_name", "Pat Parent"),
                    ("relationship", "Mother"),
                    ("agree", "on"),
                ],
                Expect::Invalid,
            ),
        ];
        for (function, form, expect) in functions {
            let response = app.call(&client, function, &form).await;
            check(
                function,
                caller,
                expect,
                response.status(),
                &location(&response),
            );
        }
        // Changing a password needs a signed-in person (the wrong current password is then a 400).
        let response = app
            .call(
                &client,
                "auth/change_password",
                &[
                    ("current_password", "wrong wrong wrong"),
                    ("new_password", "whatever words"),
                    ("confirm_password", "whatever words"),
                ],
            )
            .await;
        let expected = if caller == Caller::SignedOut {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        assert_eq!(
            response.status(),
            expected,
            "auth/change_password as {caller:?}"
        );
        // `me` answers for anyone, and only ever about the caller.
        let me = app.call(&client, "auth/me", &[]).await;
        assert_eq!(me.status(), StatusCode::OK);
        let body = me.text().await.unwrap();
        match caller {
            Caller::SignedOut => assert_eq!(body, "null"),
            Caller::Demo(role) => assert!(body.contains(&format!("{}@demo.test", role.as_str()))),
            Caller::OtherAdmin => assert!(body.contains(OTHER_ADMIN)),
        }

        // Signing out answers everyone (last: it ends this caller's session).
        let out = app.call(&client, "auth/sign_out", &[]).await;
        check(
            "auth/sign_out",
            caller,
            Expect::Ok,
            out.status(),
            &location(&out),
        );
        let client = client_for(&app, caller).await;

        let signed_in = if caller == Caller::SignedOut {
            Expect::ToSignIn
        } else {
            Expect::Ok
        };
        let admin_page = match caller {
            Caller::SignedOut => Expect::ToSignIn,
            c if is_admin(c) => Expect::Ok,
            _ => Expect::Forbidden,
        };
        let person_page = match caller {
            Caller::SignedOut => Expect::ToSignIn,
            Caller::OtherAdmin => Expect::NotFound,
            c if is_admin(c) => Expect::Ok,
            _ => Expect::Forbidden,
        };
        let person_path = format!("/admin/users/{learner}");
        let contacts_page = match admin_or_dsl(caller) {
            Expect::NotSignedIn => Expect::ToSignIn,
            other => other,
        };
        let pages: Vec<(&str, Expect)> = vec![
            ("/home", signed_in),
            ("/account", signed_in),
            ("/admin/users", admin_page),
            (
                "/staff/import",
                as_page(with(caller, Capability::ManageStaffRecords)),
            ),
            (&person_path, person_page),
            ("/login", Expect::Ok),
            // Without a sign-in waiting for a choice: "sign in again", as a 400.
            ("/login/organisation", Expect::Invalid),
            ("/forgot-password", Expect::Ok),
            ("/healthz", Expect::Ok),
            ("/admin/safe-internet", contacts_page),
            ("/safe-internet", Expect::Ok),
            ("/o/other/safe-internet", Expect::Ok),
            ("/no-such-page", Expect::NotFound),
            ("/induction", as_page(anyone_signed_in(caller))),
            ("/induction/grooming", as_page(learner_module(caller))),
            (&section_path, as_page(learner_module(caller))),
            ("/induction/grooming/quiz", as_page(learner_module(caller))),
            (
                "/induction/no-such-module",
                as_page(match caller {
                    Caller::SignedOut => Expect::NotSignedIn,
                    _ => Expect::NotFound,
                }),
            ),
            ("/admin/modules", as_page(admin_or_dsl(caller))),
            ("/admin/modules/new", as_page(admin_or_dsl(caller))),
            ("/verify", Expect::Ok),
            ("/policies", as_page(anyone_signed_in(caller))),
            ("/admin/policies", as_page(admin_or_dsl(caller))),
            (
                "/policies/report?kind=staff",
                as_page(report_reader(caller)),
            ),
            ("/policies/report.csv?kind=staff", report_reader(caller)),
            (&parent_page, as_page(parent_follow_up(caller))),
            ("/staff", as_page(staff_records(caller))),
            ("/cohorts", as_page(with(caller, Capability::ViewCohorts))),
            (&cohort_page, as_page(demo_cohort(caller))),
            (&cohort_csv, demo_cohort(caller)),
            (&learner_page, as_page(demo_cohort(caller))),
            (&cohort_print, as_page(demo_cohort(caller))),
            (&cohort_nudge, as_page(demo_cohort_enrol(caller))),
            (&cohort_insights, as_page(demo_cohort(caller))),
            (
                "/cohorts/enrol",
                as_page(with(caller, Capability::EnrolLearners)),
            ),
            ("/staff?show=exceptions", as_page(staff_records(caller))),
            (
                &staff_record_page,
                as_page(staff_records_on_demo_person(caller)),
            ),
            ("/training/briefings", as_page(records_training(caller))),
            ("/training/briefings/new", as_page(records_training(caller))),
            (
                &made_up_briefing_page,
                as_page(not_found_if_allowed(records_training(caller))),
            ),
            (&history_page, as_page(own_training_history(caller))),
            ("/training/import", as_page(records_training(caller))),
            (
                "/training",
                as_page(with(caller, Capability::ViewOwnTraining)),
            ),
            ("/team", as_page(with(caller, Capability::ViewOwnTraining))),
            (
                "/training/dashboard",
                as_page(with(caller, Capability::ViewTrainingDashboard)),
            ),
            (
                "/training/dashboard.csv",
                with(caller, Capability::ViewTrainingDashboard),
            ),
            (
                "/training/reminders",
                as_page(with(caller, Capability::ViewTrainingDashboard)),
            ),
            (
                "/training/reminders?person=x&week=2026-W49&page=2",
                as_page(with(caller, Capability::ViewTrainingDashboard)),
            ),
            (
                "/training/reminders/settings",
                as_page(with(caller, Capability::ManageTrainingRequirements)),
            ),
            ("/parent/thanks", Expect::Ok),
            (
                "/training/courses",
                as_page(with(caller, Capability::RecordExternalCourses)),
            ),
            (
                "/training/courses/new",
                as_page(with(caller, Capability::RecordExternalCourses)),
            ),
            (
                "/training/courses/check",
                as_page(with(caller, Capability::VerifyTraining)),
            ),
            // Nobody learns whether a course exists, signed in or not.
            (
                "/training/courses/no-such-course/certificate",
                Expect::NotFound,
            ),
            ("/verify/ABCD-EFGH-JKLM", Expect::NotFound),
        ];
        for (path, expect) in pages {
            let response = app.get(&client, path).await;
            check(
                path,
                caller,
                expect,
                response.status(),
                &location(&response),
            );
        }
    }
}

#[tokio::test]
async fn a_learner_opening_an_admin_page_is_refused_with_a_clear_page() {
    let app = spawn_app().await;
    let learner = app.signed_in("learner@demo.test").await;
    let (status, html) = app.page(&learner, "/admin/users").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(visible_text(&html).contains("You do not have access to this page"));
    assert!(
        !html.contains("admin@demo.test"),
        "no user data on the refusal page"
    );
}

#[tokio::test]
async fn an_organisation_never_sees_another_organisations_people() {
    let app = spawn_app().await;
    let other = app.signed_in(OTHER_ADMIN).await;
    let (_, html) = app.page(&other, "/admin/users").await;
    assert!(html.contains(OTHER_LEARNER));
    assert!(
        !html.contains("demo.test"),
        "no demo organisation people listed"
    );
    let demo_admin = app.signed_in("admin@demo.test").await;
    let (_, html) = app.page(&demo_admin, "/admin/users").await;
    assert!(!html.contains("other.test"));
    // Changing another organisation's person by id fails and changes nothing.
    let target = app.user_id(OTHER_LEARNER).await;
    let r = app
        .call(
            &demo_admin,
            "admin/deactivate_user",
            &[("user_id", &target)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    app.signed_in(OTHER_LEARNER).await;
}

/// The home page's links come from the access rule: each role sees a link exactly when
/// the rule gives it the capability behind it, and every link it sees opens for it.
#[tokio::test]
async fn the_home_page_links_each_role_to_what_the_access_rule_allows() {
    let app = spawn_app().await;
    let destinations = [
        ("/admin/users", Capability::ManageUsers),
        ("/admin/modules", Capability::ManageModules),
        ("/admin/policies", Capability::PublishPolicies),
        ("/policies/report", Capability::ReadSigningReport),
        ("/admin/safe-internet", Capability::EditSafeInternetContacts),
        ("/staff", Capability::ManageStaffRecords),
        ("/admin/documents", Capability::PublishDocuments),
        ("/training/courses", Capability::RecordExternalCourses),
        ("/training", Capability::ViewOwnTraining),
        ("/team", Capability::LeadTeam),
        ("/training/dashboard", Capability::ViewTrainingDashboard),
        ("/training/reminders", Capability::ViewTrainingDashboard),
        (
            "/training/reminders/settings",
            Capability::ManageTrainingRequirements,
        ),
    ];
    for role in Role::ALL {
        let client = client_for(&app, Caller::Demo(role)).await;
        let (status, html) = app.page(&client, "/home").await;
        assert_eq!(status, StatusCode::OK);
        // The page's own content, after the menu.
        let content = &html[html.find("<h1").expect("a heading")..];
        assert!(
            content.contains("href=\"/induction\""),
            "{role:?}: My induction"
        );
        for (path, capability) in destinations {
            let marker = format!("href=\"{path}");
            let shown = content.find(&marker);
            assert_eq!(
                shown.is_some(),
                capability.roles().contains(&role),
                "{role:?} and {path}"
            );
            if let Some(at) = shown {
                let start = at + "href=\"".len();
                let end = start + content[start..].find('"').unwrap();
                let link = content[start..end].replace("&amp;", "&");
                let (status, _) = app.page(&client, &link).await;
                assert_eq!(status, StatusCode::OK, "{role:?} opens {link}");
            }
        }
    }
}
