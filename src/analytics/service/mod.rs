//! Reading the rollups into the dashboard's figures and tables, in three steps: `sums` (grouped
//! queries over the rollup rows of the chosen months, never over reports), `reference` (the
//! category and article names) and `dashboard` (the tables, small counts withheld). Used by
//! `analytics::view` (the `/dashboard` page and its exports) and `analytics::transparency`.

mod dashboard;
mod groups;
mod protect;
mod reference;
mod sums;

#[cfg(test)]
mod prop_tests;

pub use dashboard::{build, column_max, Dashboard, TABLES};
pub use protect::{Fig, Pos, Protection};
pub use reference::{known_category, Reference};
pub use sums::{counters_by_unit, load_sums, Filters, Sums, MAX_MONTHS};
