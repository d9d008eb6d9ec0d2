//! "Previous" and "Next" under a list of people, with "Showing 1 to 50 of 312". Shown
//! only when there is more than one page, so short lists look as they always did.

use super::Paging;
use leptos::prelude::*;

/// `base` is the list's address with its filters but without `page`, such as
/// `/admin/users?q=sam`.
#[component]
pub fn Pager(paging: Paging, base: String) -> impl IntoView {
    let last = paging.last_page();
    let join = if base.contains('?') { '&' } else { '?' };
    let link = move |page: u32| format!("{base}{join}page={page}");
    (last > 1).then(|| {
        let previous = (paging.page > 1).then(|| {
            view! { <a href=link(paging.page - 1) rel="prev">"Previous"<span class="visually-hidden">" page"</span></a> }
        });
        let next = (paging.page < last).then(|| {
            view! { <a href=link(paging.page + 1) rel="next">"Next"<span class="visually-hidden">" page"</span></a> }
        });
        view! {
            <nav class="pager" aria-label="Pages">
                <p>{paging.summary()}{format!(" (page {} of {last})", paging.page)}</p>
                <p>{previous}{(paging.page > 1 && paging.page < last).then_some(" · ")}{next}</p>
            </nav>
        }
    })
}
