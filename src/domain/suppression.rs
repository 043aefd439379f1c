//! Small-count suppression that no combination of views can undo: the rule behind every
//! dashboard table below corporation level and its CSV/XLSX export
//! (`analytics::service::protect` applies it).
//!
//! The rule, on *families*: the members of a family are the units one level below a parent
//! (and the parent's own reports, when the parent is itself below corporation level); a
//! member's *bundle* is every count a page could show or imply about it in one month — the
//! totals, the split by category, the differences between them (received − open − closed,
//! open − overdue, closed − on time, received − accepted), commendations, measures by form,
//! reports by intake channel.
//!
//! - A member is **clean** in a month when no count of its bundle is 1–4.
//! - The members of a family are shown in a month **all or none**: only when the parent is
//!   shown (a corporation always is) and every member is clean.
//! - A figure over several months is shown only when it is shown in **each** of them.
//!
//! Why that holds against any number of views (scopes, category filters, periods, files):
//! every figure a page shows for a unit is a sum of bundle entries of one member in whole
//! months, so the only things a reader learns are shown bundles, each free of 1–4 (a sum or a
//! difference of them is again a count of a union of such entries, 0 or at least 5), and for a
//! withheld family only that its members add up to the parent's shown figures. With two
//! members or more, one report of a withheld member could as well be another's, so no
//! withheld figure of 1–4 is fixed — not by subtraction, periods or filters. Zero is shown: it
//! names nobody. Corporation figures stay exact by design; a corporation with a single company
//! would therefore show that company's figures (EVN has none).
//!
//! Pure and deterministic.

/// Counts below this are never shown nor derivable below corporation level.
pub const SMALL_COUNT: i64 = 5;

/// Whether `n` is a count that could single someone out (1–4).
pub fn is_small(n: i64) -> bool {
    (1..SMALL_COUNT).contains(&n)
}

/// Whether a member's bundle in one month may be shown: none of its counts is 1–4.
pub fn is_clean(bundle: impl IntoIterator<Item = i64>) -> bool {
    bundle.into_iter().all(|n| !is_small(n))
}

/// Whether the members of a family are shown in one month: all or none, and only under a
/// shown parent.
pub fn family_shown(parent_shown: bool, members_clean: impl IntoIterator<Item = bool>) -> bool {
    parent_shown && members_clean.into_iter().all(|clean| clean)
}

/// Whether a figure over several months is shown: when it is shown in every one of them.
pub fn period_shown(months: impl IntoIterator<Item = bool>) -> bool {
    months.into_iter().all(|shown| shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_to_four_is_small_zero_and_five_are_not() {
        assert!(!is_small(0));
        assert!(is_small(1) && is_small(4));
        assert!(!is_small(5));
        assert!(!is_small(-3), "a difference below zero is no count");
    }

    #[test]
    fn a_bundle_is_clean_only_when_every_count_is_zero_or_five_and_more() {
        assert!(is_clean([0, 5, 12]));
        assert!(is_clean([]));
        assert!(!is_clean([7, 0, 3]), "closed 7, on time 4 leaves 3 late");
    }

    #[test]
    fn a_family_is_shown_all_or_none_and_never_under_a_withheld_parent() {
        assert!(family_shown(true, [true, true, true]));
        assert!(!family_shown(true, [true, false, true]));
        assert!(!family_shown(false, [true, true]));
        assert!(family_shown(true, []));
    }

    #[test]
    fn a_period_is_shown_only_when_each_month_is() {
        assert!(period_shown([true, true]));
        assert!(!period_shown([true, false, true]));
    }
}
