//! The reference data every page reads, served from memory: units (the form's unit tree with
//! its folded search paths, each unit's path and corporation), categories, culture-code
//! versions, holidays and the corporations' hotlines (every footer). Changed a few times a
//! year, read on every page, so public pages touch the database only to write.
//!
//! [`Reference`] holds one immutable [`Catalogue`] behind an `Arc`, replaced whole when the
//! `reference_version` counter (bumped by triggers in the transaction of every change, on any
//! node) differs from the one it was read at. The counter is read at most once a second per
//! node, and on the next request after a state-changing `/admin` request of this node
//! ([`ReferenceFairing`]), so an admin sees their own change at once and other nodes within a
//! second. A failed check keeps the catalogue in hand: a page never fails for reference data
//! it already has.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Method;
use rocket::{Request, Response};
use serde::{Serialize, Serializer};

use crate::domain::calendar::WorkingCalendar;
use crate::domain::org::UnitKind;
use crate::domain::phone::Hotline;
use crate::platform::persistence::entities::{org_unit, violation_category};
use crate::platform::persistence::snapshot::{self, ReferenceData};
use crate::platform::persistence::Db;
use crate::web::hotlines::HotlineView;
use crate::web::i18n::Lang;
use crate::web::units::{self, UnitGroup};

/// How long a node serves a catalogue before asking the database whether it changed.
pub const RECHECK: Duration = Duration::from_secs(1);

/// An active category as the forms offer it.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryOption {
    pub id: i32,
    pub name: String,
    pub description: String,
    pub severity: String,
}

/// What one language's pages show, worked out once per catalogue.
#[derive(Debug)]
struct Shown {
    unit_groups: Vec<UnitGroup>,
    /// `unit_groups` as HTML, escaped once: group by group, option by option.
    unit_html: Vec<GroupHtml>,
    categories: Vec<CategoryOption>,
    hotlines: Vec<HotlineView>,
}

impl Shown {
    fn build(data: &ReferenceData, day: NaiveDate, lang: Lang) -> Self {
        let open: Vec<org_unit::Model> = data
            .units
            .iter()
            .filter(|u| u.active_to.is_none_or(|to| to >= day))
            .cloned()
            .collect();
        let unit_groups = units::grouped(&open, lang, "");
        Self {
            unit_html: unit_groups.iter().map(GroupHtml::of).collect(),
            unit_groups,
            categories: data
                .categories
                .iter()
                .filter(|c| c.active)
                .map(|c| CategoryOption {
                    id: c.id,
                    name: lang.pick(&c.name_vi, &c.name_en),
                    description: lang.pick(&c.description_vi, &c.description_en),
                    severity: c.severity.clone(),
                })
                .collect(),
            hotlines: data
                .units
                .iter()
                .filter(|u| u.kind == UnitKind::Corporation.as_str())
                .filter(|u| !crate::domain::org::is_closed(u.active_to, day))
                .filter_map(|u| hotline_view(u, lang))
                .collect(),
        }
    }
}

/// A group of the unit select as HTML, its text escaped as the templates escape it.
#[derive(Debug)]
struct GroupHtml {
    open: String,
    options: Vec<OptionHtml>,
}

/// One `<option>`: `<option value="id"`, ` data-search="…"`, then `>label</option>`, so that
/// ` selected` and the search path can be put in or left out per page.
#[derive(Debug)]
struct OptionHtml {
    id: i32,
    value: String,
    search: String,
    rest: String,
}

impl GroupHtml {
    fn of(group: &UnitGroup) -> Self {
        use rocket_dyn_templates::tera::escape_html;
        Self {
            open: format!("<optgroup label=\"{}\">", escape_html(&group.label)),
            options: group
                .options
                .iter()
                .map(|o| OptionHtml {
                    id: o.id,
                    value: format!("<option value=\"{}\"", o.id),
                    search: format!(" data-search=\"{}\"", escape_html(&o.search)),
                    rest: format!(">{}</option>", escape_html(&o.label)),
                })
                .collect(),
        }
    }
}

/// A unit's hotline numbers as pages show them, when it has any.
pub fn hotline_view(unit: &org_unit::Model, lang: Lang) -> Option<HotlineView> {
    let hotline = Hotline::from_stored(unit.hotline.as_deref())?;
    Some(HotlineView {
        code: unit.code.clone(),
        name: lang.pick(&unit.name_vi, &unit.name_en),
        numbers: hotline.numbers(),
    })
}

/// The reference data of one version, with what pages show of it on one day.
#[derive(Debug)]
pub struct Catalogue {
    data: ReferenceData,
    by_id: HashMap<i32, usize>,
    calendar: WorkingCalendar,
    day: NaiveDate,
    vi: Shown,
    en: Shown,
}

impl Catalogue {
    /// Works out every page's lists of `data` as they stand on `day`.
    pub fn new(data: ReferenceData, day: NaiveDate) -> Self {
        Self {
            by_id: data
                .units
                .iter()
                .enumerate()
                .map(|(i, u)| (u.id, i))
                .collect(),
            calendar: data.calendar(),
            vi: Shown::build(&data, day, Lang::Vi),
            en: Shown::build(&data, day, Lang::En),
            day,
            data,
        }
    }

    fn shown(&self, lang: Lang) -> &Shown {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// The `reference_version` this catalogue was read at.
    pub fn version(&self) -> i64 {
        self.data.version
    }

    /// The rows as stored (every unit, category, chapter, article version and holiday).
    pub fn data(&self) -> &ReferenceData {
        &self.data
    }

    /// A unit by id, open or closed.
    pub fn unit(&self, id: i32) -> Option<&org_unit::Model> {
        self.by_id.get(&id).map(|&i| &self.data.units[i])
    }

    /// A category by id, active or not.
    pub fn category(&self, id: i32) -> Option<&violation_category::Model> {
        self.data.categories.iter().find(|c| c.id == id)
    }

    /// The working calendar (weekends and stored holidays).
    pub fn calendar(&self) -> &WorkingCalendar {
        &self.calendar
    }

    /// The active categories in the forms' order.
    pub fn categories(&self, lang: Lang) -> &[CategoryOption] {
        &self.shown(lang).categories
    }

    /// The hotlines of the corporations still open, in id order (every page's footer).
    pub fn hotlines(&self, lang: Lang) -> &[HotlineView] {
        &self.shown(lang).hotlines
    }

    /// The open units grouped under their corporation, as the forms list them.
    pub fn unit_groups(&self, lang: Lang) -> &[UnitGroup] {
        &self.shown(lang).unit_groups
    }

    /// "EVN › EVNHANOI › Công ty Điện lực Hoàn Kiếm" for a unit.
    pub fn unit_path(&self, unit_id: i32, lang: Lang) -> String {
        let mut names = Vec::new();
        let mut next = Some(unit_id);
        while let Some(unit) = next.take().and_then(|id| self.unit(id)) {
            names.push(lang.pick(&unit.name_vi, &unit.name_en));
            next = unit.parent_id;
            if names.len() > 16 {
                break;
            }
        }
        names.reverse();
        names.join(" › ")
    }

    /// The hotline of the corporation `unit_id` belongs to (itself or the nearest corporation
    /// above it), when it has one.
    pub fn hotline_of_unit(&self, unit_id: i32, lang: Lang) -> Option<HotlineView> {
        let mut current = self.unit(unit_id);
        // Bounded by the number of units, so a corrupt cycle cannot loop forever.
        for _ in 0..=self.data.units.len() {
            let unit = current?;
            if unit.kind == UnitKind::Corporation.as_str() {
                return hotline_view(unit, lang);
            }
            current = unit.parent_id.and_then(|id| self.unit(id));
        }
        None
    }
}

/// The open units of a form's select, all of them or those whose folded path contains the
/// folded query, with the chosen one selected: serialized as the select's `<optgroup>`s, HTML
/// put together from pieces escaped once per catalogue (a template loop over a hundred units
/// cost most of the report form's time: docs/performance.md).
pub struct UnitChoice {
    catalogue: Arc<Catalogue>,
    lang: Lang,
    needle: String,
    selected: Option<i32>,
    with_search: bool,
}

impl UnitChoice {
    /// The units matching `query`, `selected` (as the form holds it) chosen; `with_search`
    /// adds each option's folded path for the page's filter script.
    pub fn new(
        catalogue: Arc<Catalogue>,
        lang: Lang,
        query: &str,
        selected: &str,
        with_search: bool,
    ) -> Self {
        Self {
            catalogue,
            lang,
            needle: crate::domain::text::fold(query.trim()),
            selected: selected.trim().parse().ok(),
            with_search,
        }
    }

    fn shows(&self, option: &crate::web::units::UnitOption) -> bool {
        self.needle.is_empty() || option.search.contains(&self.needle)
    }

    /// True when no unit matches the query.
    pub fn is_empty(&self) -> bool {
        !self
            .catalogue
            .unit_groups(self.lang)
            .iter()
            .any(|group| group.options.iter().any(|o| self.shows(o)))
    }

    /// The select's groups and options as HTML.
    pub fn html(&self) -> String {
        let shown = self.catalogue.shown(self.lang);
        let mut out = String::with_capacity(64 * 1024);
        for (group, html) in shown.unit_groups.iter().zip(&shown.unit_html) {
            let mut opened = false;
            for (option, piece) in group.options.iter().zip(&html.options) {
                if !self.shows(option) {
                    continue;
                }
                if !opened {
                    out.push_str(&html.open);
                    opened = true;
                }
                out.push_str(&piece.value);
                if self.with_search {
                    out.push_str(&piece.search);
                }
                if self.selected == Some(piece.id) {
                    out.push_str(" selected");
                }
                out.push_str(&piece.rest);
            }
            if opened {
                out.push_str("</optgroup>");
            }
        }
        out
    }
}

impl Serialize for UnitChoice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.html())
    }
}

/// The active categories for a form, serialized without copying the catalogue's list.
pub struct CategoryChoice {
    catalogue: Arc<Catalogue>,
    lang: Lang,
}

impl CategoryChoice {
    pub fn new(catalogue: Arc<Catalogue>, lang: Lang) -> Self {
        Self { catalogue, lang }
    }
}

impl Serialize for CategoryChoice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.catalogue.categories(self.lang).serialize(serializer)
    }
}

/// One node's catalogue and when it last asked the database about it.
pub struct Reference {
    current: RwLock<Arc<Catalogue>>,
    checked: Mutex<Instant>,
    /// Set after a state-changing admin request: check on the next read, not a second later.
    stale: std::sync::atomic::AtomicBool,
    /// One check or reload at a time; the others serve the catalogue in hand meanwhile.
    reloading: tokio::sync::Mutex<()>,
}

impl Reference {
    /// Reads the reference data for `today`.
    pub async fn load(db: &Db, today: NaiveDate) -> Result<Self, sea_orm::DbErr> {
        let data = snapshot::load(db.conn()).await?;
        Ok(Self {
            current: RwLock::new(Arc::new(Catalogue::new(data, today))),
            checked: Mutex::new(Instant::now()),
            stale: std::sync::atomic::AtomicBool::new(false),
            reloading: tokio::sync::Mutex::new(()),
        })
    }

    /// The catalogue in hand, without asking the database (error pages).
    pub fn cached(&self) -> Arc<Catalogue> {
        match self.current.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Asks for a check on the next read.
    pub fn mark_stale(&self) {
        self.stale.store(true, std::sync::atomic::Ordering::Release);
    }

    fn due(&self) -> bool {
        self.stale.load(std::sync::atomic::Ordering::Acquire)
            || self
                .checked
                .lock()
                .map_or(true, |checked| checked.elapsed() >= RECHECK)
    }

    /// The current catalogue for `today`: the one in hand, unless a check is due (then one
    /// primary-key read, and a reload when the version moved) or the day changed.
    pub async fn current(&self, db: &Db, today: NaiveDate) -> Arc<Catalogue> {
        let catalogue = self.cached();
        if catalogue.day == today && !self.due() {
            return catalogue;
        }
        // Another request is checking: serve what is in hand unless it is for another day.
        let Ok(_guard) = self.reloading.try_lock() else {
            if catalogue.day == today {
                return catalogue;
            }
            let _guard = self.reloading.lock().await;
            return self.refresh(db, today).await;
        };
        self.refresh(db, today).await
    }

    /// Checks the version and reloads when it moved or the day changed; the caller holds
    /// `reloading`.
    async fn refresh(&self, db: &Db, today: NaiveDate) -> Arc<Catalogue> {
        let catalogue = self.cached();
        let stale = self.stale.swap(false, std::sync::atomic::Ordering::AcqRel);
        if catalogue.day == today && !stale && !self.due() {
            return catalogue;
        }
        if let Ok(mut checked) = self.checked.lock() {
            *checked = Instant::now();
        }
        let next = match snapshot::version(db.conn()).await {
            Ok(version) if version == catalogue.version() && catalogue.day == today => {
                return catalogue
            }
            Ok(_) => snapshot::load(db.conn()).await,
            Err(error) => Err(error),
        };
        match next {
            Ok(data) => {
                let fresh = Arc::new(Catalogue::new(data, today));
                if let Ok(mut current) = self.current.write() {
                    *current = fresh.clone();
                }
                fresh
            }
            Err(error) => {
                tracing::warn!(%error, "the reference data could not be reloaded");
                if stale {
                    self.mark_stale();
                }
                catalogue
            }
        }
    }
}

/// Marks the reference data for a check after every state-changing `/admin` request, so the
/// admin's next page (and everyone's on this node) shows their change.
pub struct ReferenceFairing;

#[rocket::async_trait]
impl Fairing for ReferenceFairing {
    fn info(&self) -> Info {
        Info {
            name: "Reference data freshness",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, _res: &mut Response<'r>) {
        if req.method() == Method::Get || req.method() == Method::Head {
            return;
        }
        if !req.uri().path().as_str().starts_with("/admin") {
            return;
        }
        if let Some(state) = req.rocket().state::<crate::web::state::AppState>() {
            state.reference.mark_stale();
        }
    }
}
