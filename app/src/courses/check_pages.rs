//! `/training/courses/check`: the People department's list of external courses awaiting a
//! check, oldest first, each with its certificate and Verify / Reject (reason required).

use super::{
    awaiting_courses, day_text, hours_text, size_text, AwaitingCourse, AwaitingList, RejectCourse,
    VerifyCourse,
};
use crate::people::Pager;
use crate::ui::{page, query_value, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

/// The notice after a decision or a course recorded for someone: fixed words only.
fn notice() -> Option<String> {
    let text = match query_value("done")?.as_str() {
        "verified" => "Course verified. It now counts towards the requirement.",
        "rejected" => {
            "Course rejected. The member of staff sees your reason and can record it again."
        }
        "recorded" => "Course recorded. It is in the list below, awaiting a check.",
        _ => return None,
    };
    Some(text.to_string())
}

#[component]
pub fn CheckCoursesPage() -> impl IntoView {
    let verify = ServerAction::<VerifyCourse>::new();
    let reject = ServerAction::<RejectCourse>::new();
    let error = verify
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| reject.value().get_untracked().and_then(|r| r.err()));
    let page_number = query_value("page");
    page(
        move || awaiting_courses(page_number.clone()),
        move |AwaitingList { rows, paging }| {
            let count = paging.total;
            view! {
                <Title text="Check external courses"/>
                <h1>"Check external courses"</h1>
                <Notice text=notice()/>
                <ErrorMessage error=error.clone()/>
                <p>"Courses staff have recorded with their certificates, oldest first. Open the certificate, then verify the course (it counts towards the requirement from then on) or reject it with a reason the member of staff will see."</p>
                <p><a href="/training/courses/new">"Record a course for a member of staff"</a></p>
                <p role="status">{format!("{count} {} awaiting a check", if count == 1 { "course" } else { "courses" })}</p>
                {rows.into_iter().map(|c| view! { <Awaiting c verify reject/> }).collect_view()}
                <Pager paging base="/training/courses/check".to_string()/>
            }
        },
    )
}

#[component]
fn Awaiting(
    c: AwaitingCourse,
    verify: ServerAction<VerifyCourse>,
    reject: ServerAction<RejectCourse>,
) -> impl IntoView {
    let id = c.id.to_string();
    let heading = format!("course-{id}");
    let heading_ref = heading.clone();
    let reason_id = format!("reason-{id}");
    let hint_id = format!("{reason_id}-hint");
    let typed = Typed::of::<RejectCourse>().for_row("course_id", &id);
    let what = format!("{} for {}", c.title, c.person);
    let (verify_id, reject_id) = (id.clone(), id.clone());
    let (verify_what, reject_what, reason_what) =
        (format!(" {what}"), format!(" {what}"), format!(" {what}"));
    let reason_value = typed.text("reason", "");
    let reject_fields = move || {
        view! {
            <input type="hidden" name="course_id" value=reject_id.clone()/>
            <div class="field">
                <label for=reason_id.clone()>"Reason for rejecting"<span class="visually-hidden">{reason_what.clone()}</span></label>
                <p class="hint" id=hint_id.clone()>"Required. The member of staff sees it, so say what to do instead (for example, \"The certificate does not show your name\")."</p>
                <input id=reason_id.clone() name="reason" type="text" maxlength="1000" autocomplete="off" aria-describedby=hint_id.clone() value=reason_value.clone()/>
            </div>
            <button type="submit" class="secondary">"Reject"<span class="visually-hidden">{reject_what.clone()}</span></button>
        }
    };
    view! {
        <section class="role-section" aria-labelledby=heading_ref>
            <h2 id=heading>{what}</h2>
            <dl>
                <dt>"Person"</dt><dd>{format!("{} ({})", c.person, c.email)}</dd>
                <dt>"Requirement"</dt><dd>{c.requirement.clone()}</dd>
                <dt>"Provider"</dt><dd>{c.provider.clone()}</dd>
                <dt>"Course title"</dt><dd>{c.title.clone()}</dd>
                <dt>"Date completed"</dt><dd>{day_text(&c.completed_on)}</dd>
                <dt>"Hours"</dt><dd>{hours_text(c.hours_tenths)}</dd>
                <dt>"Recorded"</dt><dd>{day_text(&c.recorded_on)}</dd>
                <dt>"Certificate"</dt>
                <dd><a href=format!("/training/courses/{id}/certificate") download="">{format!("Download {} ({})", c.file_name, size_text(c.size_bytes))}</a></dd>
            </dl>
            <ActionForm action=verify attr:class="inline-form">
                <input type="hidden" name="course_id" value=verify_id.clone()/>
                <button type="submit">"Verify"<span class="visually-hidden">{verify_what.clone()}</span></button>
            </ActionForm>
            <ActionForm action=reject>
                {reject_fields.clone()}
            </ActionForm>
        </section>
    }
}
