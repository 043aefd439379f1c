//! Property: for random data, no two dashboard views (any periods, a corporation and a company
//! scope) nor their files let a count of 1–4 below corporation level be worked out — by a shown
//! figure, by a total minus its shown rows, by one period minus a period inside it, or by a
//! share times its base. The auditor here knows nothing of `protect.rs`: it reads the tables.

use std::collections::HashMap;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use super::{build, Filters, Reference, Sums};
use crate::analytics::metrics::{Counters, Month};
use crate::analytics::service::sums::Detail;
use crate::analytics::table::{Cell, Table};
use crate::analytics::tree::OrgTree;
use crate::platform::persistence::entities::org_unit;
use crate::web::i18n::Lang;

const CORP: i32 = 10;
const COMPANIES: [i32; 3] = [100, 101, 102];
const CATEGORIES: [i32; 2] = [1, 2];
const MONTHS: [i32; 3] = [202601, 202602, 202603];

fn tree() -> OrgTree {
    let unit = |id: i32, parent: Option<i32>| org_unit::Model {
        id,
        parent_id: parent,
        kind: "unit".into(),
        code: format!("U{id}"),
        name_vi: format!("Đơn vị {id}"),
        name_en: format!("Unit {id}"),
        active_from: None,
        active_to: None,
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        updated_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    };
    let mut rows = vec![unit(1, None), unit(CORP, Some(1))];
    for c in COMPANIES {
        rows.push(unit(c, Some(CORP)));
        rows.push(unit(c * 10, Some(c)));
        rows.push(unit(c * 10 + 1, Some(c)));
    }
    OrgTree::from_rows(rows)
}

/// Counters per (month, office, category).
type Data = Vec<(Month, i32, i32, Counters)>;

fn data() -> impl Strategy<Value = Data> {
    let cell = (0i64..7, 0i64..7, 0i64..7).prop_map(|(received, a, b)| {
        let closed = a.min(received);
        let on_time = b.min(closed);
        Counters {
            received,
            accepted: received,
            open: received - closed,
            closed,
            closed_on_time: on_time,
            ..Counters::default()
        }
    });
    let n = MONTHS.len() * COMPANIES.len() * 2 * CATEGORIES.len();
    proptest::collection::vec(cell, n).prop_map(|cells| {
        let mut out = Vec::new();
        let mut it = cells.into_iter();
        for m in MONTHS {
            for c in COMPANIES {
                for office in [c * 10, c * 10 + 1] {
                    for cat in CATEGORIES {
                        out.push((Month(m), office, cat, it.next().unwrap_or_default()));
                    }
                }
            }
        }
        out
    })
}

/// What `load_sums` would read for `filters`.
fn sums(tree: &OrgTree, data: &Data, filters: &Filters) -> Sums {
    let subtree = tree.subtree_of(filters.unit_id);
    let mut sums = Sums::default();
    let mut detail = Detail::default();
    for (m, unit, cat, c) in data {
        if *m < filters.from || *m > filters.to || !subtree.contains(unit) {
            continue;
        }
        let cell = sums.cells.entry((*unit, *cat)).or_default();
        *cell = cell.plus(*c);
        let month = sums.months.entry(*m).or_default();
        *month = month.plus(*c);
        detail.cells.push((*m, *unit, *cat, *c));
    }
    sums.detail = Some(detail);
    sums
}

fn view(tree: &OrgTree, data: &Data, unit: i32, from: i32, to: i32) -> Vec<Table> {
    let reference = Reference {
        categories: CATEGORIES.iter().map(|c| (*c, format!("C{c}"))).collect(),
        articles: vec![
            ("a1".into(), "A1".into(), vec![1]),
            ("a2".into(), "A2".into(), vec![1, 2]),
        ],
    };
    let filters = Filters {
        from: Month(from),
        to: Month(to),
        unit_id: unit,
        category_id: None,
    };
    let sums = sums(tree, data, &filters);
    let d = build(Lang::En, tree, &reference, &filters, &sums, &|u| {
        format!("/{u}")
    });
    vec![
        d.summary,
        d.months,
        d.units,
        d.categories,
        d.articles,
        d.heat,
    ]
}

fn count(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Count(n) => Some(*n),
        _ => None,
    }
}

/// (table, row label, column) → count, for the protected figures of a view.
fn figures(tables: &[Table]) -> HashMap<(String, String, usize), i64> {
    let mut out = HashMap::new();
    for t in tables {
        for row in t.rows.iter().filter(|r| r.suppressed) {
            for (i, cell) in row.cells.iter().enumerate() {
                if let Some(n) = count(cell) {
                    out.insert((t.id.to_string(), row.label.clone(), i), n);
                }
            }
        }
    }
    out
}

fn small(n: i64) -> bool {
    (1..5).contains(&n)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn no_two_views_give_back_a_count_of_one_to_four(data in data()) {
        let tree = tree();
        let ranges: Vec<(i32, i32)> = (0..MONTHS.len())
            .flat_map(|a| (a..MONTHS.len()).map(move |b| (MONTHS[a], MONTHS[b])))
            .collect();
        for unit in [CORP, COMPANIES[0]] {
            let views: Vec<((i32, i32), Vec<Table>)> =
                ranges.iter().map(|r| (*r, view(&tree, &data, unit, r.0, r.1))).collect();
            for ((from, to), tables) in &views {
                // Shown: never 1–4. Totals minus shown rows: never 1–4 below the corporation.
                for (key, n) in figures(tables) {
                    prop_assert!(!small(n), "{unit} {from}-{to} {key:?} = {n}");
                }
                let summary = &tables[0];
                let units = &tables[2];
                for (col, kpi) in [(0usize, 0usize), (1, 2), (3, 6)] {
                    let Some(total) = count(&summary.rows[kpi].cells[0]) else { continue };
                    let shown: i64 = units.rows.iter().filter_map(|r| count(&r.cells[col])).sum();
                    let hidden = units.rows.iter().filter(|r| count(&r.cells[col]).is_none()).count();
                    // All of the total withheld is the total itself, which is shown anyway.
                    if hidden > 0 && shown > 0 {
                        prop_assert!(!small(total - shown), "{unit} {from}-{to} col {col}: {total} − {shown}");
                    }
                }
                // A share times its shown base gives no count of 1–4, nor does its complement.
                for row in units.rows.iter().filter(|r| r.suppressed) {
                    if let (Some(closed), Cell::Percent(p)) = (count(&row.cells[3]), &row.cells[4]) {
                        let on_time = (p * closed as f64 / 100.0).round() as i64;
                        prop_assert!(!small(on_time) && !small(closed - on_time), "{}: {p} % of {closed}", row.label);
                    }
                }
            }
            // One period inside another: the difference of a figure shown in both.
            for ((a_from, a_to), a) in &views {
                for ((b_from, b_to), b) in &views {
                    if (a_from, a_to) == (b_from, b_to) || b_from < a_from || b_to > a_to {
                        continue;
                    }
                    let (fa, fb) = (figures(a), figures(b));
                    for (key, n) in &fa {
                        if let Some(m) = fb.get(key) {
                            prop_assert!(!small(n - m), "{unit} {key:?}: {a_from}-{a_to} {n} − {b_from}-{b_to} {m}");
                        }
                    }
                }
            }
        }
    }
}
