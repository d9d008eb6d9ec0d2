//! The cohort pages: the list of cohorts (with the form to create one) and a cohort's
//! grid of its learners' induction progress.

use super::{
    list_cohorts, load_cohort_grid, AddCohortTutor, CellState, CohortGrid, CohortList,
    CreateCohort, EnrolLearner, GridTotals, SetInductionDays,
};
use crate::ids::CohortId;
use crate::people::Pager;
use crate::ui::{encode_component, page, query_value, route_param, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CohortsPage() -> impl IntoView {
    let create = ServerAction::<CreateCohort>::new();
    let days = ServerAction::<SetInductionDays>::new();
    let error = create
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| days.value().get_untracked().and_then(|r| r.err()));
    let done = query_value("done").filter(|d| d == "days").map(|_| {
        "Saved. Learners enrolled from now on are due that many days after they start.".to_string()
    });
    page(list_cohorts, move |list| {
        view! { <CohortListView list error=error.clone() done=done.clone() create days/> }
    })
}

#[component]
fn CohortListView(
    list: CohortList,
    error: Option<crate::error::AppError>,
    done: Option<String>,
    create: ServerAction<CreateCohort>,
    days: ServerAction<SetInductionDays>,
) -> impl IntoView {
    let CohortList {
        cohorts,
        all,
        induction_days,
        can_create,
        can_enrol,
    } = list;
    let typed_days = Typed::of::<SetInductionDays>();
    let intro = if all {
        "Every cohort of your organisation. Open one to see its learners' induction progress."
    } else {
        "The cohorts you teach. Open one to see its learners' induction progress."
    };
    let typed = Typed::of::<CreateCohort>();
    view! {
        <Title text="Cohorts"/>
        <h1>"Cohorts"</h1>
        <p>{intro}</p>
        <Notice text=done/>
        {can_enrol.then(|| view! { <p><a href="/cohorts/enrol">"Enrol learners from a file"</a></p> })}
        <p>{format!("A learner's induction is due {induction_days} days after their start date.")}</p>
        {if cohorts.is_empty() {
            view! { <p>"There are no cohorts yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" role="region" tabindex="0" aria-label="Cohorts">
                    <table>
                        <caption class="visually-hidden">"Cohorts"</caption>
                        <thead><tr>
                            <th scope="col">"Cohort"</th>
                            <th scope="col">"Starts"</th>
                            <th scope="col">"Ends"</th>
                            <th scope="col">"Tutors"</th>
                            <th scope="col">"Learners"</th>
                        </tr></thead>
                        <tbody>
                            {cohorts.into_iter().map(|c| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/cohorts/{}", c.id)>{c.name.clone()}</a></th>
                                    <td>{c.starts_on.clone()}</td>
                                    <td>{c.ends_on.clone()}</td>
                                    <td>{if c.tutors.is_empty() { "None yet".to_string() } else { c.tutors.join(", ") }}</td>
                                    <td>{c.learners}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {can_create.then(|| view! {
            <h2 id="new-cohort-heading">"Create a cohort"</h2>
            <ErrorMessage error/>
            <ActionForm action=create attr:aria-labelledby="new-cohort-heading">
                <div class="field">
                    <label for="name">"Name"</label>
                    <input id="name" name="name" type="text" autocomplete="off" maxlength="100" required value=typed.text("name", String::new())/>
                </div>
                <div class="field">
                    <label for="starts_on">"Start date"</label>
                    <p class="hint" id="starts_on-hint">"For example, 01/09/2026."</p>
                    <input id="starts_on" name="starts_on" type="text" inputmode="numeric" autocomplete="off" maxlength="20" required aria-describedby="starts_on-hint" value=typed.text("starts_on", String::new())/>
                </div>
                <div class="field">
                    <label for="ends_on">"End date"</label>
                    <p class="hint" id="ends_on-hint">"For example, 31/07/2027."</p>
                    <input id="ends_on" name="ends_on" type="text" inputmode="numeric" autocomplete="off" maxlength="20" required aria-describedby="ends_on-hint" value=typed.text("ends_on", String::new())/>
                </div>
                <button type="submit">"Create cohort"</button>
            </ActionForm>
            <h2 id="days-heading">"Days to complete the induction"</h2>
            <ActionForm action=days attr:aria-labelledby="days-heading">
                <div class="field">
                    <label for="days">"Days from a learner's start date to their induction's due day"</label>
                    <p class="hint" id="days-hint">"From 1 to 365. Learners already enrolled keep the day they were given."</p>
                    <input id="days" name="days" type="text" inputmode="numeric" autocomplete="off" maxlength="3" required aria-describedby="days-hint" value=typed_days.text("days", induction_days.to_string())/>
                </div>
                <button type="submit">"Save days"</button>
            </ActionForm>
        })}
    }
}

#[component]
pub fn CohortPage() -> impl IntoView {
    let cohort_id = CohortId::from_param(route_param("id"));
    let enrol = ServerAction::<EnrolLearner>::new();
    let add_tutor = ServerAction::<AddCohortTutor>::new();
    let error = enrol
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| add_tutor.value().get_untracked().and_then(|r| r.err()));
    let done = query_value("done").and_then(|d| match d.as_str() {
        "created" => {
            Some("Cohort created. Now choose its tutors and enrol its learners.".to_string())
        }
        "tutor" => Some("Tutor added.".to_string()),
        "enrolled" => Some("Learner enrolled.".to_string()),
        "nudged" => Some(nudged_words(
            query_value("sent").unwrap_or_default(),
            query_value("skipped").unwrap_or_default(),
        )),
        _ => None,
    });
    let asked = (
        query_value("show"),
        query_value("q"),
        query_value("sort"),
        query_value("page"),
    );
    page(
        move || {
            let (show, q, sort, page) = asked.clone();
            load_cohort_grid(cohort_id.clone(), show, q, sort, page)
        },
        move |grid| view! { <GridView grid error=error.clone() done=done.clone() enrol add_tutor/> },
    )
}

/// What a nudge did, from the address it comes back to.
fn nudged_words(sent: String, skipped: String) -> String {
    let sent = sent.parse::<u32>().unwrap_or(0);
    let skipped = skipped.parse::<u32>().unwrap_or(0);
    let plural = |n: u32| if n == 1 { "" } else { "s" };
    let mut words = format!("Reminder sent to {sent} learner{}.", plural(sent));
    if skipped > 0 {
        words.push_str(&format!(
            " {skipped} skipped (reminded in the last day, inactive or complete)."
        ));
    }
    words
}

/// The latest nudges, and how many of those nudged made progress within 7 days.
#[component]
fn NudgesSent(nudges: Vec<super::nudges::NudgeSent>) -> impl IntoView {
    (!nudges.is_empty()).then(|| view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label="Reminders sent">
            <table>
                <caption>"Reminders sent, and who made progress within 7 days (read a section, started a quiz or signed the policy)"</caption>
                <thead><tr>
                    <th scope="col">"Sent"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"Learners reminded"</th>
                    <th scope="col">"Made progress within 7 days"</th>
                </tr></thead>
                <tbody>
                    {nudges.into_iter().map(|n| view! {
                        <tr>
                            <th scope="row">{n.sent.clone()}</th>
                            <td>{n.by.clone()}</td>
                            <td>{n.nudged}</td>
                            <td>{format!("{} of {}{}", n.progressed, n.nudged, if n.measuring { " so far" } else { "" })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

/// The legend: what each state in the grid means, in words.
#[component]
fn Legend() -> impl IntoView {
    view! {
        <h2 id="legend-heading">"What the grid shows"</h2>
        <dl class="legend">
            <dt>"Not started"</dt><dd>"No section of the module read and no quiz opened."</dd>
            <dt>"In progress"</dt><dd>"Some sections read (how many of how many), or the quiz opened, but not passed yet."</dd>
            <dt>"Passed"</dt><dd>"The quiz passed: the best score so far, and the day of the first pass."</dd>
            <dt>"Learner policy"</dt><dd>"Whether they have signed the Acceptable Use Policy version in force (and, on a re-signing schedule, not yet due again), with the version and day."</dd>
            <dt>"Parent or carer"</dt><dd>"For learners under 18, whether a parent or carer has acknowledged the policy. Not needed at 18 or over; unknown until their date of birth is recorded."</dd>
            <dt>"Complete"</dt><dd>"Every module passed and the learner policy signed."</dd>
            <dt>"Behind"</dt><dd>"Active, past the day their induction was due, and not complete."</dd>
            <dt>"Inactive"</dt><dd>"On a break in learning, withdrawn or completed their programme: listed, but not counted in the totals or as behind. A break moves the due day on by its length."</dd>
        </dl>
    }
}

/// The filters offered, as (value in the address, label).
const SHOWS: [(&str, &str); 5] = [
    ("", "Everyone"),
    ("behind", "Behind: past their due day and not complete"),
    ("not-started", "Not started"),
    ("complete", "Complete: every module passed, policy signed"),
    ("inactive", "Inactive: on a break, withdrawn or completed"),
];

pub(super) fn totals_text(t: &GridTotals) -> String {
    let learners = if t.learners == 1 {
        "learner"
    } else {
        "learners"
    };
    let inactive = match t.inactive {
        0 => String::new(),
        n => format!(" {n} more inactive (on a break, withdrawn or completed)."),
    };
    format!(
        "{} active {learners} in this cohort: {} behind, {} not started, {} complete.{inactive}",
        t.learners, t.behind, t.not_started, t.complete
    )
}

/// A column heading that sorts by its column: ascending first, then descending; the
/// column in force says which way (`aria-sort`).
#[component]
fn SortHeader(label: String, key: String, sort: String, link: String) -> impl IntoView {
    let (now, next, next_words) = if sort == key || (sort.is_empty() && key == "name") {
        ("ascending", format!("-{key}"), "descending")
    } else if sort == format!("-{key}") {
        ("descending", key.clone(), "ascending")
    } else {
        ("none", key.clone(), "ascending")
    };
    let href = format!("{link}&sort={}", encode_component(&next));
    let hint = format!(", sort {next_words}");
    view! {
        <th scope="col" aria-sort=now>
            <a href=href>{label}<span class="visually-hidden">{hint}</span></a>
        </th>
    }
}

/// The grid itself: one row per learner, a sortable heading per column. Shared by the
/// cohort page and its print view.
#[component]
pub(super) fn GridTable(grid: CohortGrid, sort: String, link: String) -> impl IntoView {
    let modules = grid.columns.len();
    let caption = format!("{}: induction progress of each learner", grid.name);
    view! {
        <div class="table-wrap grid-wrap" role="region" tabindex="0" aria-label=caption.clone()>
            <table class="progress-grid">
                <caption>{caption.clone()}" (select a column heading to sort by it)"</caption>
                <thead><tr>
                    <SortHeader label="Learner".into() key="name".into() sort=sort.clone() link=link.clone()/>
                    <SortHeader label="Status".into() key="status".into() sort=sort.clone() link=link.clone()/>
                    {grid.columns.iter().map(|c| view! {
                        <SortHeader label=c.title.clone() key=format!("module-{}", c.id) sort=sort.clone() link=link.clone()/>
                    }).collect_view()}
                    <SortHeader label="Learner policy".into() key="policy".into() sort=sort.clone() link=link.clone()/>
                    <SortHeader label="Parent or carer".into() key="parent".into() sort=sort.clone() link=link.clone()/>
                    <SortHeader label="Overall".into() key="passed".into() sort=sort.clone() link=link.clone()/>
                    <SortHeader label="Induction due by".into() key="due".into() sort=sort.clone() link=link.clone()/>
                    <SortHeader label="Last active".into() key="active".into() sort=sort.clone() link=link.clone()/>
                </tr></thead>
                <tbody>
                    {grid.rows.clone().into_iter().map(|row| view! {
                        <tr class:inactive=row.inactive>
                            <th scope="row"><a href=format!("/learners/{}", row.learner_id)>{row.name.clone()}</a></th>
                            <td>{row.status.clone()}</td>
                            {row.cells.iter().map(|c| view! { <td class=cell_class(c)>{c.words()}</td> }).collect_view()}
                            <td>{row.policy.clone()}</td>
                            <td>{row.parent.clone()}</td>
                            <td>{overall(&row, modules)}</td>
                            <td>{row.due_on.clone()}{row.behind.then(|| view! { " " <strong>"(behind)"</strong> })}</td>
                            <td>{if row.last_active.is_empty() { "Never".to_string() } else { row.last_active.clone() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The overall column: complete, or what is left.
fn overall(row: &super::GridRow, modules: usize) -> String {
    if row.complete {
        "Complete".to_string()
    } else if row.policy.starts_with("Signed (") {
        format!("{} of {modules} modules passed", row.passed)
    } else {
        format!(
            "{} of {modules} modules passed; policy not signed",
            row.passed
        )
    }
}

fn cell_class(state: &CellState) -> &'static str {
    match state {
        CellState::NotStarted => "cell-not-started",
        CellState::InProgress { .. } => "cell-in-progress",
        CellState::Passed { .. } => "cell-passed",
    }
}

/// The grid's addresses: the cohort's own, with the filter and search in force (for the
/// sort links), and with the sort too (for paging, the CSV and the print view).
pub(super) struct GridAddresses {
    pub base: String,
    pub link: String,
    pub with_sort: String,
}

pub(super) fn addresses(grid: &CohortGrid) -> GridAddresses {
    let base = format!("/cohorts/{}", grid.id);
    let mut link = format!("{base}?q={}", encode_component(&grid.asked.q));
    if !grid.asked.show.is_empty() {
        link.push_str(&format!("&show={}", grid.asked.show));
    }
    let with_sort = match grid.asked.sort.as_str() {
        "" => link.clone(),
        sort => format!("{link}&sort={}", encode_component(sort)),
    };
    GridAddresses {
        base,
        link,
        with_sort,
    }
}

#[component]
fn GridView(
    grid: CohortGrid,
    error: Option<crate::error::AppError>,
    done: Option<String>,
    enrol: ServerAction<EnrolLearner>,
    add_tutor: ServerAction<AddCohortTutor>,
) -> impl IntoView {
    let tutors = if grid.tutors.is_empty() {
        "No tutor yet.".to_string()
    } else {
        format!("Tutors: {}.", grid.tutors.join(", "))
    };
    let GridAddresses {
        base,
        link,
        with_sort,
    } = addresses(&grid);
    let sort = grid.asked.sort.clone();
    let csv_link = with_sort.replacen(&base, &format!("{base}/grid.csv"), 1);
    let print_link = with_sort.replacen(&base, &format!("{base}/print"), 1);
    let typed_enrol = Typed::of::<EnrolLearner>();
    let typed_tutor = Typed::of::<AddCohortTutor>();
    let (enrol_id, tutor_id) = (grid.id.to_string(), grid.id.to_string());
    view! {
        <Title text=grid.name.clone()/>
        <p><a href="/cohorts">"All cohorts"</a></p>
        <h1>{grid.name.clone()}</h1>
        <p>{format!("{} to {}. {tutors}", grid.starts_on, grid.ends_on)}</p>
        <Notice text=done/>
        <ErrorMessage error/>
        <p>{totals_text(&grid.totals)}</p>
        <form method="get" action=base.clone() class="search-form" role="search" aria-label="Filter learners">
            <div class="field">
                <label for="show">"Show"</label>
                <select id="show" name="show">
                    {SHOWS.iter().map(|(value, label)| view! {
                        <option value=*value selected=grid.asked.show == *value>{*label}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="q">"Search by name"</label>
                <input id="q" name="q" type="search" value=grid.asked.q.clone() maxlength="100"/>
            </div>
            {(!grid.asked.sort.is_empty()).then(|| view! { <input type="hidden" name="sort" value=grid.asked.sort.clone()/> })}
            <button type="submit">"Show learners"</button>
        </form>
        <p role="status">{format!("{} {} shown.", grid.paging.total, if grid.paging.total == 1 { "learner" } else { "learners" })}</p>
        <GridTable grid=grid.clone() sort=sort.clone() link=link.clone()/>
        <Pager paging=grid.paging base=with_sort.clone()/>
        <p><a href=csv_link download="">"Download these learners as CSV"</a>" or "
           <a href=print_link>"print them"</a>" (every learner the filter keeps, not only this page)"</p>
        <p><a href=format!("/cohorts/{}/insights", grid.id)>"Over time and what to revisit"</a>
           ": the cohort's completion week by week, and the quiz topics most often wrong the first time."</p>
        <Legend/>
        {grid.can_enrol.then(|| view! {
            <h2 id="nudge-heading">"Remind learners"</h2>
            <p><a href=format!("/cohorts/{}/nudge", grid.id)>"Remind learners about their induction"</a>
               ": choose who, or everyone behind, and see who it goes to before sending."</p>
        })}
        <NudgesSent nudges=grid.nudges.clone()/>
        {grid.can_enrol.then(|| view! {
            <h2 id="enrol-heading">"Enrol a learner"</h2>
            <p>"The learner needs an account with the learner role. A learner in another cohort moves to this one and keeps all their progress. "
               <a href="/cohorts/enrol">"Enrol many learners from a file"</a>", with new accounts created and invited."</p>
            <ActionForm action=enrol attr:aria-labelledby="enrol-heading">
                <input type="hidden" name="cohort_id" value=enrol_id.clone()/>
                <div class="field">
                    <label for="enrol-email">"Learner's email"</label>
                    <input id="enrol-email" name="email" type="email" autocomplete="off" maxlength="254" required value=typed_enrol.text("email", String::new())/>
                </div>
                <div class="field">
                    <label for="start_on">"Their start date"</label>
                    <p class="hint" id="start_on-hint">{format!("For example, 01/09/2026. Their induction is due {} days later.", grid.induction_days)}</p>
                    <input id="start_on" name="start_on" type="text" inputmode="numeric" autocomplete="off" maxlength="20" required aria-describedby="start_on-hint" value=typed_enrol.text("start_on", String::new())/>
                </div>
                <button type="submit">"Enrol learner"</button>
            </ActionForm>
        })}
        {grid.can_add_tutor.then(|| view! {
            <h2 id="tutor-heading">"Add a tutor"</h2>
            <ActionForm action=add_tutor attr:aria-labelledby="tutor-heading">
                <input type="hidden" name="cohort_id" value=tutor_id.clone()/>
                <div class="field">
                    <label for="tutor-email">"Tutor's email"</label>
                    <p class="hint" id="tutor-email-hint">"Someone in your organisation with the tutor role."</p>
                    <input id="tutor-email" name="email" type="email" autocomplete="off" maxlength="254" required aria-describedby="tutor-email-hint" value=typed_tutor.text("email", String::new())/>
                </div>
                <button type="submit">"Add tutor"</button>
            </ActionForm>
        })}
    }
}
