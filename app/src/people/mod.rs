//! Lists of an organisation's people, one page at a time: the one query behind the users
//! list and the policy signing report (search, roles, status, sort and paging all done
//! in SQL, so a page never loads the whole organisation), and the pager shown under them.

mod pager;
#[cfg(feature = "ssr")]
pub mod queries;

pub use pager::Pager;

use serde::{Deserialize, Serialize};

/// People per page on lists of people.
pub const PER_PAGE: u32 = 50;

/// Where a page sits in a list: which page, how many per page, how many in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

impl Paging {
    /// The page asked for, brought into range: past the end means the last page, so an
    /// old link or a typed number always shows something.
    pub fn new(asked: u32, per_page: u32, total: u64) -> Paging {
        let per_page = per_page.max(1);
        let last = last_page(total, per_page);
        Paging {
            page: asked.clamp(1, last),
            per_page,
            total,
        }
    }

    pub fn last_page(&self) -> u32 {
        last_page(self.total, self.per_page)
    }

    /// How many rows come before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }

    /// "Showing 1 to 50 of 312".
    pub fn summary(&self) -> String {
        if self.total == 0 {
            return "Showing 0 of 0".to_string();
        }
        let first = self.offset() + 1;
        let last = (self.offset() + u64::from(self.per_page)).min(self.total);
        format!("Showing {first} to {last} of {}", self.total)
    }
}

fn last_page(total: u64, per_page: u32) -> u32 {
    let pages = total.div_ceil(u64::from(per_page.max(1)));
    u32::try_from(pages).unwrap_or(u32::MAX).max(1)
}

/// A page number from the address: anything but a whole number counts as page 1 (and
/// [`Paging::new`] brings a number past the end back to the last page).
pub fn parse_page(text: Option<&str>) -> u32 {
    let text = text.unwrap_or("").trim();
    match text.parse::<u64>() {
        Ok(n) => u32::try_from(n).unwrap_or(u32::MAX),
        // All digits but too long for a number: as far as can be, so the last page.
        Err(_) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => u32::MAX,
        Err(_) => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_brought_into_range() {
        assert_eq!(Paging::new(0, 50, 312).page, 1);
        assert_eq!(Paging::new(3, 50, 312).page, 3);
        assert_eq!(Paging::new(99, 50, 312).page, 7);
        assert_eq!(Paging::new(u32::MAX, 50, 0).page, 1);
        assert_eq!(Paging::new(2, 50, 100).last_page(), 2);
    }

    #[test]
    fn the_summary_says_which_rows_are_shown() {
        assert_eq!(Paging::new(1, 50, 312).summary(), "Showing 1 to 50 of 312");
        assert_eq!(
            Paging::new(7, 50, 312).summary(),
            "Showing 301 to 312 of 312"
        );
        assert_eq!(Paging::new(1, 50, 0).summary(), "Showing 0 of 0");
    }

    #[test]
    fn page_numbers_from_the_address_never_fail() {
        assert_eq!(parse_page(None), 1);
        assert_eq!(parse_page(Some("abc")), 1);
        assert_eq!(parse_page(Some("-3")), 1);
        assert_eq!(parse_page(Some(" 4 ")), 4);
        assert_eq!(parse_page(Some("99999999999999999999999")), u32::MAX);
    }
}
