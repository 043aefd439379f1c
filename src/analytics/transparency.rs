//! `/transparency`: what anyone can see without signing in — per power corporation, over the
//! last 12 months (the current month and the 11 before it, by month of receipt): reports
//! received, closed, the share closed within the legal deadline and the median days to close.
//!
//! Invariants: no count of 1–4 is ever shown (it reads "<5"; zero is shown), shares and medians
//! over fewer than 5 closed reports are withheld, and so is a share whose numerator or
//! complement is 1–4. The page has no total row, so no complementary suppression is needed. The figures are computed from the rollups at most
//! once every [`REFRESH`] and served from memory in between: [`TransparencyCache`] is managed
//! state holding the last result and the time (from the managed clock) it was computed; the
//! first request after it expires recomputes while the others wait for that result.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use tokio::sync::Mutex;

use super::metrics::{percentile, Counters, Month};
use super::service;
use super::table::{localise_decimal, Cell, Rule};
use super::tree::OrgTree;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// How long a computed result is served.
pub const REFRESH: Duration = Duration::minutes(15);

/// One corporation's figures, language-independent.
#[derive(Debug, Clone)]
pub struct CorporationFigures {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub received: Cell,
    pub closed: Cell,
    pub on_time: Cell,
    pub median_days: Cell,
}

/// The public figures as computed at `computed_at`.
#[derive(Debug, Clone)]
pub struct PublicStats {
    pub computed_at: DateTime<Utc>,
    pub from: Month,
    pub to: Month,
    pub corporations: Vec<CorporationFigures>,
}

/// The last result, shared by every request.
#[derive(Default)]
pub struct TransparencyCache {
    slot: Mutex<Option<Arc<PublicStats>>>,
}

impl TransparencyCache {
    /// The cached result while it is younger than [`REFRESH`] (and not from the future, which
    /// happens only when a test moves the clock back); otherwise a freshly computed one.
    pub async fn get(&self, state: &AppState) -> AppResult<Arc<PublicStats>> {
        let mut slot = self.slot.lock().await;
        let now = state.clock.now();
        if let Some(stats) = slot.as_ref() {
            if stats.computed_at <= now && now - stats.computed_at < REFRESH {
                return Ok(stats.clone());
            }
        }
        let stats = Arc::new(compute(state, now).await?);
        *slot = Some(stats.clone());
        Ok(stats)
    }
}

/// Computes the figures from the rollups.
pub async fn compute(state: &AppState, now: DateTime<Utc>) -> AppResult<PublicStats> {
    let conn = state.db.conn();
    let to = Month::of(now);
    let from = to.plus(-11);
    let tree = OrgTree::load(conn).await?;
    let (by_unit, histogram) = service::counters_by_unit(conn, from, to).await?;
    let mut counters: HashMap<i32, Counters> = HashMap::new();
    for (unit, c) in by_unit {
        if let Some(corporation) = tree.corporation_of(unit) {
            let entry = counters.entry(corporation).or_default();
            *entry = entry.plus(c);
        }
    }
    let mut histograms: HashMap<i32, BTreeMap<i32, i64>> = HashMap::new();
    for (unit, bucket, n) in histogram {
        if let Some(corporation) = tree.corporation_of(unit) {
            *histograms
                .entry(corporation)
                .or_default()
                .entry(bucket)
                .or_default() += n;
        }
    }
    // Public figures: the small-count rule applies at every level.
    let rule = Rule { suppress: true };
    let corporations = tree
        .corporations()
        .into_iter()
        .map(|unit| {
            let c = counters.get(&unit.id).copied().unwrap_or_default();
            let median = histograms.get(&unit.id).and_then(|h| percentile(h, 50));
            CorporationFigures {
                code: unit.code.clone(),
                name_vi: unit.name_vi.clone(),
                name_en: unit.name_en.clone(),
                received: rule.count(c.received),
                closed: rule.count(c.closed),
                on_time: rule.percent(c.closed_on_time, c.closed),
                median_days: rule.days(median, c.closed),
            }
        })
        .collect();
    Ok(PublicStats {
        computed_at: now,
        from,
        to,
        corporations,
    })
}

#[derive(Debug, Serialize)]
struct RowView {
    code: String,
    name: String,
    received: String,
    closed: String,
    on_time: String,
    median_days: String,
}

fn shown(cell: &Cell, lang: Lang) -> String {
    match cell {
        Cell::Blank => "—".to_string(),
        Cell::Percent(p) => format!("{} %", localise_decimal(&format!("{p:.1}"), lang)),
        other => other.text(),
    }
}

/// The page's view (`analytics/transparency.html.tera`).
#[derive(Debug, Serialize)]
pub struct TransparencyView {
    rows: Vec<RowView>,
    from: String,
    to: String,
    computed_at: String,
    refresh_minutes: i64,
    /// The conclusions published under Art. 40 (`super::published`), a page of them.
    published: super::published::PublishedPage,
}

/// The template context of the page.
pub fn view(
    stats: &PublicStats,
    lang: Lang,
    published: super::published::PublishedPage,
) -> TransparencyView {
    let rows: Vec<RowView> = stats
        .corporations
        .iter()
        .map(|c| RowView {
            code: c.code.clone(),
            name: lang.pick(&c.name_vi, &c.name_en),
            received: shown(&c.received, lang),
            closed: shown(&c.closed, lang),
            on_time: shown(&c.on_time, lang),
            median_days: shown(&c.median_days, lang),
        })
        .collect();
    TransparencyView {
        rows,
        from: stats.from.label(),
        to: stats.to.label(),
        computed_at: crate::web::format::local_time(stats.computed_at),
        refresh_minutes: REFRESH.num_minutes(),
        published,
    }
}
