//! The member of staff's pages: `/training/courses` (my external courses and where each
//! stands) and `/training/courses/new` (record one, with its certificate file: a plain
//! multipart form, so it works with JavaScript off).

use super::{
    day_text, hours_text, load_course_form, my_courses, CourseForm, CourseRecord, CourseState,
    UPLOAD_PATH,
};
use crate::error::AppError;
use crate::ui::{page, query_value, ErrorMessage, Notice};
use leptos::prelude::*;
use leptos_meta::Title;

fn state_cell(course: &CourseRecord) -> AnyView {
    let decided = course
        .decided_on
        .as_deref()
        .map(day_text)
        .unwrap_or_default();
    match course.state {
        CourseState::AwaitingCheck => view! { <p>"Awaiting check by the People department"</p> }.into_any(),
        CourseState::Verified => view! { <p><strong>"Verified"</strong>{format!(" on {decided}. It counts towards the requirement.")}</p> }.into_any(),
        CourseState::Rejected => view! {
            <p><strong>"Rejected"</strong>{format!(" on {decided}.")}</p>
            <p>{format!("Reason: {}", course.reason.clone().unwrap_or_default())}</p>
            <p><a href="/training/courses/new">"Record the course again with a new file"</a></p>
        }
        .into_any(),
    }
}

/// `/training/courses`
#[component]
pub fn MyCoursesPage() -> impl IntoView {
    let done = query_value("done")
        .filter(|d| d == "recorded")
        .map(|_| "Your course has been recorded. The People department will check it: it counts towards the requirement once it is verified.".to_string());
    page(my_courses, move |courses: Vec<CourseRecord>| {
        let count = courses.len();
        view! {
            <Title text="My external courses"/>
            <h1>"My external courses"</h1>
            <Notice text=done.clone()/>
            <p>"Courses you took outside this site, such as Prevent awareness or Designated Safeguarding Lead training, recorded with their certificates. The People department checks each one; a course counts towards your training once it is verified."</p>
            <p><a href="/training/courses/new">"Record an external course"</a></p>
            <h2>"Courses you have recorded"</h2>
            {if count == 0 {
                view! { <p>"You have not recorded any external courses yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" role="region" tabindex="0" aria-label="Your external courses">
                        <table>
                            <caption class="visually-hidden">"Your external courses"</caption>
                            <thead><tr>
                                <th scope="col">"Course"</th>
                                <th scope="col">"Requirement"</th>
                                <th scope="col">"Completed"</th>
                                <th scope="col">"Hours"</th>
                                <th scope="col">"Certificate"</th>
                                <th scope="col">"Where it stands"</th>
                            </tr></thead>
                            <tbody>
                                {courses.into_iter().map(|c| view! {
                                    <tr>
                                        <td>{c.title.clone()}<br/><span class="meta">{c.provider.clone()}</span></td>
                                        <td>{c.requirement.clone()}</td>
                                        <td>{day_text(&c.completed_on)}</td>
                                        <td>{hours_text(c.hours_tenths)}</td>
                                        <td><a href=format!("/training/courses/{}/certificate", c.id) download="">{format!("Download {}", c.file_name)}</a></td>
                                        <td>{state_cell(&c)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        }
    })
}

/// `/training/courses/new`
#[component]
pub fn RecordCoursePage() -> impl IntoView {
    let refused = query_value("refused");
    page(
        move || load_course_form(refused.clone()),
        |form: CourseForm| view! { <RecordForm form/> },
    )
}

#[component]
fn RecordForm(form: CourseForm) -> impl IntoView {
    let CourseForm {
        me,
        requirements,
        people,
        refused,
    } = form;
    let error = refused
        .as_ref()
        .map(|r| AppError::invalid(r.message.clone()));
    let typed = refused.unwrap_or_default();
    if requirements.is_empty() {
        return view! {
            <Title text="Record an external course"/>
            <h1>"Record an external course"</h1>
            <p>"Your organisation has no training requirement that an external course meets, so there is nothing to record a course against. Ask your People department."</p>
            <p><a href="/training/courses">"My external courses"</a></p>
        }
        .into_any();
    }
    let chosen_person = typed.value("person_id");
    let chosen_requirement = typed.value("requirement_id");
    let person_field = (!people.is_empty()).then(|| {
        let me = me.to_string();
        view! {
            <div class="field">
                <label for="person_id">"Whose course is this?"</label>
                <p class="hint" id="person_id-hint">"As the People department you can record a course for any member of staff."</p>
                <select id="person_id" name="person_id" aria-describedby="person_id-hint">
                    {people.into_iter().map(|p| {
                        let id = p.id.to_string();
                        let selected = if chosen_person.is_empty() { id == me } else { id == chosen_person };
                        view! { <option value=id selected=selected>{format!("{} ({})", p.full_name, p.email)}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    });
    view! {
        <Title text="Record an external course"/>
        <p><a href="/training/courses">"My external courses"</a></p>
        <h1>"Record an external course"</h1>
        <ErrorMessage error/>
        <p>"Record a course you took outside this site, with its certificate. The People department checks it; it counts towards the requirement once it is verified."</p>
        <form method="post" action=UPLOAD_PATH enctype="multipart/form-data" aria-labelledby="course-form-heading">
            <h2 id="course-form-heading" class="visually-hidden">"The course"</h2>
            {person_field}
            <div class="field">
                <label for="requirement_id">"Requirement it is for"</label>
                <select id="requirement_id" name="requirement_id" required>
                    <option value="" selected=chosen_requirement.is_empty()>"Choose a requirement"</option>
                    {requirements.into_iter().map(|r| {
                        let id = r.id.to_string();
                        let selected = id == chosen_requirement;
                        view! { <option value=id selected=selected>{r.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="provider">"Provider"</label>
                <p class="hint" id="provider-hint">"Who ran the course, for example your local authority or the Home Office."</p>
                <input id="provider" name="provider" type="text" required maxlength="200" autocomplete="off" aria-describedby="provider-hint" value=typed.value("provider")/>
            </div>
            <div class="field">
                <label for="title">"Course title"</label>
                <input id="title" name="title" type="text" required maxlength="200" autocomplete="off" value=typed.value("title")/>
            </div>
            <div class="field">
                <label for="completed_on">"Date completed"</label>
                <p class="hint" id="completed_on-hint">"For example, 02/09/2024 or 2024-09-02. Not in the future."</p>
                <input id="completed_on" name="completed_on" type="text" inputmode="numeric" required maxlength="20" autocomplete="off" aria-describedby="completed_on-hint" value=typed.value("completed_on")/>
            </div>
            <div class="field">
                <label for="hours">"Hours"</label>
                <p class="hint" id="hours-hint">"How long the course took, for example 3 or 7.5."</p>
                <input id="hours" name="hours" type="text" inputmode="decimal" required maxlength="10" autocomplete="off" aria-describedby="hours-hint" value=typed.value("hours")/>
            </div>
            <div class="field">
                <label for="certificate">"Certificate"</label>
                <p class="hint" id="certificate-hint">"A PDF, PNG or JPEG file, at most 5 MB: the certificate itself, or a scan or photo of it."
                    {(!typed.message.is_empty()).then_some(" Choose the file again: files are not kept when a form is refused.")}</p>
                <input id="certificate" name="certificate" type="file" required accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg" aria-describedby="certificate-hint"/>
            </div>
            <button type="submit">"Record the course"</button>
        </form>
    }
    .into_any()
}
