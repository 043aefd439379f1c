//! One page of a long admin list: the page shown (a page past the end shows the last one), how
//! many there are and the neighbours to link to. Templates read the fields by name (`page`,
//! `pages`, `prev`, `next`, `total`), so a view flattens it.

use serde::Serialize;

/// Where a list is, page-wise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pages {
    /// The page shown, from 1.
    pub page: u64,
    /// At least 1, even for an empty list.
    pub pages: u64,
    pub prev: Option<u64>,
    pub next: Option<u64>,
    /// Rows in the whole list.
    pub total: u64,
}

impl Pages {
    /// Page `requested` (1 when absent, clamped) of `total` rows, `per_page` a page.
    pub fn of(total: u64, per_page: u64, requested: Option<u64>) -> Self {
        let pages = total.div_ceil(per_page.max(1)).max(1);
        let page = requested.unwrap_or(1).clamp(1, pages);
        Self {
            page,
            pages,
            prev: (page > 1).then(|| page - 1),
            next: (page < pages).then(|| page + 1),
            total,
        }
    }

    /// The rows of the page shown, for a list already in memory.
    pub fn slice<'a, T>(&self, rows: &'a [T], per_page: u64) -> &'a [T] {
        let per_page = usize::try_from(per_page).unwrap_or(usize::MAX);
        let start = usize::try_from(self.page - 1)
            .unwrap_or(usize::MAX)
            .saturating_mul(per_page)
            .min(rows.len());
        let end = start.saturating_add(per_page).min(rows.len());
        &rows[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_past_either_end_shows_the_nearest_one() {
        assert_eq!(
            Pages::of(0, 25, None),
            Pages {
                page: 1,
                pages: 1,
                prev: None,
                next: None,
                total: 0
            }
        );
        let last = Pages::of(51, 25, Some(9));
        assert_eq!(
            (last.page, last.pages, last.prev, last.next),
            (3, 3, Some(2), None)
        );
        let first = Pages::of(51, 25, Some(0));
        assert_eq!((first.page, first.prev, first.next), (1, None, Some(2)));
    }

    #[test]
    fn the_slice_holds_the_rows_of_the_page_shown() {
        let rows: Vec<u32> = (1..=51).collect();
        assert_eq!(Pages::of(51, 25, Some(2)).slice(&rows, 25), &rows[25..50]);
        assert_eq!(Pages::of(51, 25, Some(3)).slice(&rows, 25), &[51]);
        assert!(Pages::of(0, 25, None).slice(&rows[..0], 25).is_empty());
    }
}
