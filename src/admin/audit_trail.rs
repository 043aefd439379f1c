//! `/audit`: what an auditor can do with the audit trail — read it filtered and paged (newest
//! first), download the same selection as CSV, and check the hash chain. Every route takes
//! `Authorized<Auditors>`.
//!
//! The trail is only read here; the one write is the export's own `audit_exported` entry,
//! committed before the file is returned, so nobody takes a copy of the trail unrecorded.
//! Date filters are Hà Nội days: `from` is inclusive from that day's midnight, `to` includes the
//! whole day. The actor filter is a case-insensitive substring of the actor label (SQLite's
//! `LOWER` folds ASCII only, which covers e-mail addresses).

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use rocket::http::{ContentType, Header, Status};
use rocket::{get, routes, uri, Responder, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::sea_query::{Expr, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::{json, Value};

use crate::auth::{Auditors, Authorized};
use crate::platform::audit::{Entry, Verification};
use crate::platform::persistence::entities::audit_log::{self, Column};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![list_entries, export_entries, verify_chain]
}

/// Entries per page of the list.
const PAGE_SIZE: u64 = 50;
/// The most rows one CSV file holds; a final comment row says when a selection was cut.
pub const EXPORT_CAP: u64 = 100_000;
/// Rows read per query while exporting, so memory stays bounded by the file, not the table.
const EXPORT_CHUNK: u64 = 1_000;
/// Escape character for `LIKE` patterns; not special in either database's string literals.
const LIKE_ESCAPE: char = '!';

#[get("/audit?<query..>")]
async fn list_entries(
    page: PageCtx,
    state: &State<AppState>,
    _user: Authorized<Auditors>,
    query: AuditQuery,
) -> AppResult<(Status, Template)> {
    let query = query.normalised();
    let db = state.db.conn();
    let filters = match Filters::parse(&query) {
        Ok(filters) => filters,
        Err(errors) => return invalid_filters(&page, db, &query, &errors).await,
    };
    let listing = Listing::load(db, &filters, query.page.unwrap_or(1)).await?;
    let choices = Choices::load(db, &query).await?;
    Ok((
        Status::Ok,
        page.render(
            "audit/list",
            list_context(&page, &query, &choices, Some(&listing), &[]),
        ),
    ))
}

/// The downloaded file: CSV with its type and an attachment name.
#[derive(Responder)]
struct CsvDownload {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
}

#[get("/audit/export.csv?<query..>")]
async fn export_entries(
    page: PageCtx,
    state: &State<AppState>,
    user: Authorized<Auditors>,
    query: AuditQuery,
) -> AppResult<Result<CsvDownload, (Status, Template)>> {
    let query = query.normalised();
    let db = state.db.conn();
    let filters = match Filters::parse(&query) {
        Ok(filters) => filters,
        Err(errors) => return invalid_filters(&page, db, &query, &errors).await.map(Err),
    };
    let now = state.clock.now();
    let body = export_csv(db, &filters, EXPORT_CAP, page.lang).await?;
    let tx = state.db.begin_write().await?;
    crate::platform::audit::record(
        &*tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "audit_exported",
            object_type: "audit_log",
            object_id: None,
            details: query.details(),
        },
    )
    .await?;
    tx.commit().await?;
    let filename = format!(
        "audit-{}.csv",
        now.with_timezone(&Ho_Chi_Minh).format("%Y%m%d")
    );
    Ok(Ok(CsvDownload {
        body,
        content_type: ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        disposition: Header::new(
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ),
    }))
}

#[get("/audit/verify")]
async fn verify_chain(
    page: PageCtx,
    state: &State<AppState>,
    _user: Authorized<Auditors>,
) -> AppResult<Template> {
    let db = state.db.conn();
    let context = match crate::platform::audit::verify(db).await? {
        Verification::Intact { entries } => json!({"intact": true, "count": entries}),
        Verification::BrokenAt { id, reason } => {
            let entry = audit_log::Entity::find_by_id(id).one(db).await?;
            json!({
                "intact": false,
                "broken": {"id": id, "reason": reason},
                "entries": entry.as_ref().map(entry_view).into_iter().collect::<Vec<_>>(),
            })
        }
    };
    Ok(page.render("audit/verify", context))
}

/// The list page again with the filters as typed, their errors and no results.
async fn invalid_filters<C: ConnectionTrait>(
    page: &PageCtx,
    db: &C,
    query: &AuditQuery,
    errors: &[FieldError],
) -> AppResult<(Status, Template)> {
    let choices = Choices::load(db, query).await?;
    Ok(page.render_status(
        Status::UnprocessableEntity,
        "audit/list",
        list_context(page, query, &choices, None, errors),
    ))
}

// ---------------------------------------------------------------------------------------------
// Filters: as typed, then validated.

pub use query::AuditQuery;

#[expect(
    clippy::needless_borrows_for_generic_args,
    reason = "in the code Rocket's UriDisplayQuery derive generates for `page`"
)]
mod query {
    use rocket::{FromForm, UriDisplayQuery};

    /// The filter form as typed. Every filter is text so that a bad value can be shown back;
    /// Rocket ignores query fields it does not know (`lang`) and a page that is not a number.
    #[derive(Debug, Clone, Default, PartialEq, FromForm, UriDisplayQuery)]
    pub struct AuditQuery {
        pub actor: Option<String>,
        pub action: Option<String>,
        pub object_type: Option<String>,
        pub object_id: Option<String>,
        pub from: Option<String>,
        pub to: Option<String>,
        pub page: Option<u64>,
    }
}

impl AuditQuery {
    /// Trimmed, with empty fields and page 1 dropped, so links carry only what filters.
    pub fn normalised(self) -> Self {
        let clean = |field: Option<String>| {
            field
                .map(|text| text.trim().to_string())
                .filter(|text| !text.is_empty())
        };
        Self {
            actor: clean(self.actor),
            action: clean(self.action),
            object_type: clean(self.object_type),
            object_id: clean(self.object_id),
            from: clean(self.from),
            to: clean(self.to),
            page: self.page.filter(|page| *page > 1),
        }
    }

    /// The same filters at another page.
    fn at_page(&self, page: u64) -> Self {
        Self {
            page: Some(page).filter(|page| *page > 1),
            ..self.clone()
        }
    }

    /// The filters as recorded in the export's audit entry.
    pub fn details(&self) -> Value {
        json!({
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "from": self.from,
            "to": self.to,
        })
    }
}

/// A filter field that failed: its name and the message key.
pub type FieldError = (&'static str, &'static str);

/// Filters that passed validation; each `None` matches everything.
#[derive(Debug, Default, PartialEq)]
pub struct Filters {
    /// Lower-cased substring of the actor label.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// Inclusive lower bound.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive upper bound.
    pub before: Option<DateTime<Utc>>,
}

impl Filters {
    /// Validates a normalised query: dates must be `yyyy-mm-dd` and in order.
    pub fn parse(query: &AuditQuery) -> Result<Self, Vec<FieldError>> {
        let from = day_bound(query.from.as_deref(), "from", Some);
        let to = day_bound(query.to.as_deref(), "to", |day| day.succ_opt());
        let mut errors: Vec<FieldError> = Vec::new();
        if let (Ok(Some((from, _))), Ok(Some((to, _)))) = (&from, &to) {
            if from > to {
                errors.push(("to", "error-audit-range"));
            }
        }
        let (from, to) = match (from, to) {
            (Ok(from), Ok(to)) if errors.is_empty() => (from, to),
            (from, to) => {
                let mut all: Vec<FieldError> = from.err().into_iter().chain(to.err()).collect();
                all.extend(errors);
                return Err(all);
            }
        };
        Ok(Self {
            actor: query.actor.as_deref().map(str::to_lowercase),
            action: query.action.clone(),
            object_type: query.object_type.clone(),
            object_id: query.object_id.clone(),
            since: from.map(|(_, at)| at),
            before: to.map(|(_, at)| at),
        })
    }

    /// The `WHERE` clause, portable across SQLite and PostgreSQL.
    pub fn condition(&self) -> Condition {
        // In scope here only: its `min`/`max` would shadow the integers' elsewhere.
        use sea_orm::sea_query::ExprTrait;
        let mut condition = Condition::all();
        if let Some(actor) = &self.actor {
            let pattern = format!("%{}%", escape_like(actor));
            condition = condition.add(
                Func::lower(Expr::col(Column::ActorLabel))
                    .like(LikeExpr::new(pattern).escape(LIKE_ESCAPE)),
            );
        }
        if let Some(action) = &self.action {
            condition = condition.add(Column::Action.eq(action.as_str()));
        }
        if let Some(object_type) = &self.object_type {
            condition = condition.add(Column::ObjectType.eq(object_type.as_str()));
        }
        if let Some(object_id) = &self.object_id {
            condition = condition.add(Column::ObjectId.eq(object_id.as_str()));
        }
        if let Some(since) = self.since {
            condition = condition.add(Column::At.gte(since));
        }
        if let Some(before) = self.before {
            condition = condition.add(Column::At.lt(before));
        }
        condition
    }
}

/// A date as the HTML date input sends it.
fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A date field: the day typed and the instant it bounds — midnight in Hà Nội at the start of
/// `boundary(day)` (the day itself for `from`, the next day for `to`).
fn day_bound(
    text: Option<&str>,
    field: &'static str,
    boundary: impl Fn(NaiveDate) -> Option<NaiveDate>,
) -> Result<Option<(NaiveDate, DateTime<Utc>)>, FieldError> {
    let Some(text) = text else {
        return Ok(None);
    };
    parse_day(text)
        .and_then(|day| Some((day, day_start(boundary(day)?)?)))
        .map(Some)
        .ok_or((field, "error-audit-date"))
}

/// Midnight at the start of `day` in Hà Nội.
fn day_start(day: NaiveDate) -> Option<DateTime<Utc>> {
    Ho_Chi_Minh
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// `text` with `LIKE`'s wildcards made literal.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '%' || c == '_' || c == LIKE_ESCAPE {
            out.push(LIKE_ESCAPE);
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reading: one page of entries, the select options.

/// One page of matching entries.
struct Listing {
    rows: Vec<audit_log::Model>,
    total: u64,
    page: u64,
    pages: u64,
}

impl Listing {
    /// Newest first (the order of appending); a page past the end shows the last one.
    async fn load<C: ConnectionTrait>(db: &C, filters: &Filters, page: u64) -> Result<Self, DbErr> {
        let select = audit_log::Entity::find().filter(filters.condition());
        let total = select.clone().count(db).await?;
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        let page = page.clamp(1, pages);
        let rows = select
            .order_by_desc(Column::Id)
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
            .all(db)
            .await?;
        Ok(Self {
            rows,
            total,
            page,
            pages,
        })
    }
}

/// The values the action and object-type selects offer.
struct Choices {
    actions: Vec<String>,
    object_types: Vec<String>,
}

impl Choices {
    /// The distinct values present, plus the one asked for if it is not among them (so a
    /// filter that matches nothing is still shown as chosen).
    async fn load<C: ConnectionTrait>(db: &C, query: &AuditQuery) -> Result<Self, DbErr> {
        Ok(Self {
            actions: with_chosen(distinct(db, Column::Action).await?, &query.action),
            object_types: with_chosen(distinct(db, Column::ObjectType).await?, &query.object_type),
        })
    }
}

async fn distinct<C: ConnectionTrait>(db: &C, column: Column) -> Result<Vec<String>, DbErr> {
    audit_log::Entity::find()
        .select_only()
        .column(column)
        .distinct()
        .order_by_asc(column)
        .into_tuple::<String>()
        .all(db)
        .await
}

fn with_chosen(mut values: Vec<String>, chosen: &Option<String>) -> Vec<String> {
    if let Some(chosen) = chosen {
        if !values.contains(chosen) {
            values.push(chosen.clone());
            values.sort();
        }
    }
    values
}

// ---------------------------------------------------------------------------------------------
// Views.

/// Hà Nội time to the second, as the list shows it.
fn local_seconds(at: DateTime<Utc>) -> String {
    at.with_timezone(&Ho_Chi_Minh)
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}

/// ISO 8601 in UTC to the microsecond: what the hash covers.
fn iso_utc(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn entry_view(row: &audit_log::Model) -> Value {
    json!({
        "id": row.id,
        "at": local_seconds(row.at),
        "at_iso": iso_utc(row.at),
        "actor": row.actor_label,
        "actor_user_id": row.actor_user_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "details": row.details,
    })
}

fn list_context(
    page: &PageCtx,
    query: &AuditQuery,
    choices: &Choices,
    listing: Option<&Listing>,
    errors: &[FieldError],
) -> Value {
    let errors: serde_json::Map<String, Value> = errors
        .iter()
        .map(|(field, key)| (field.to_string(), json!(page.lang.t(key))))
        .collect();
    let text = |field: &Option<String>| field.clone().unwrap_or_default();
    let results = listing.map(|listing| {
        let first = (listing.page - 1) * PAGE_SIZE;
        json!({
            "entries": listing.rows.iter().map(entry_view).collect::<Vec<_>>(),
            "total": listing.total,
            "page": listing.page,
            "pages": listing.pages,
            "first": first + 1,
            "last": first + listing.rows.len() as u64,
            "prev_url": (listing.page > 1)
                .then(|| uri!(list_entries(query = query.at_page(listing.page - 1))).to_string()),
            "next_url": (listing.page < listing.pages)
                .then(|| uri!(list_entries(query = query.at_page(listing.page + 1))).to_string()),
        })
    });
    json!({
        "query": {
            "actor": text(&query.actor),
            "action": text(&query.action),
            "object_type": text(&query.object_type),
            "object_id": text(&query.object_id),
            "from": text(&query.from),
            "to": text(&query.to),
        },
        "errors": errors,
        "actions": choices.actions,
        "object_types": choices.object_types,
        "results": results,
        "export_url": uri!(export_entries(query = query.at_page(1))).to_string(),
        "export_cap": EXPORT_CAP,
    })
}

// ---------------------------------------------------------------------------------------------
// CSV export.

const CSV_HEADER: [&str; 9] = [
    "id",
    "time",
    "actor_user_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "details",
    "hash",
];

/// Every entry matching `filters`, oldest first, at most `cap` of them, as a UTF-8 CSV file with
/// a byte-order mark (so spreadsheet programs read Vietnamese correctly).
async fn export_csv<C: ConnectionTrait>(
    db: &C,
    filters: &Filters,
    cap: u64,
    lang: Lang,
) -> AppResult<Vec<u8>> {
    let mut file = CsvFile::new().map_err(AppError::internal)?;
    let mut written = 0u64;
    let mut last_id = 0;
    let capped = 'read: loop {
        let chunk = audit_log::Entity::find()
            .filter(filters.condition())
            .filter(Column::Id.gt(last_id))
            .order_by_asc(Column::Id)
            .limit(EXPORT_CHUNK.min(cap + 1 - written))
            .all(db)
            .await?;
        if chunk.is_empty() {
            break false;
        }
        for row in &chunk {
            if written == cap {
                break 'read true;
            }
            file.push(row).map_err(AppError::internal)?;
            written += 1;
            last_id = row.id;
        }
    };
    let note = capped.then(|| {
        format!(
            "# {}",
            lang.t_args("audit-export-capped", &[("limit", cap.to_string())])
        )
    });
    file.finish(note)
}

/// A CSV file being written into memory.
struct CsvFile {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvFile {
    fn new() -> Result<Self, csv::Error> {
        let bom = "\u{feff}".as_bytes().to_vec();
        // Flexible: the closing comment row has one field.
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(bom);
        writer.write_record(CSV_HEADER)?;
        Ok(Self { writer })
    }

    fn push(&mut self, row: &audit_log::Model) -> Result<(), csv::Error> {
        let actor_user_id = row.actor_user_id.map(|id| id.to_string());
        self.writer.write_record([
            row.id.to_string().as_str(),
            &iso_utc(row.at),
            actor_user_id.as_deref().unwrap_or_default(),
            &spreadsheet_safe(&row.actor_label),
            &spreadsheet_safe(&row.action),
            &spreadsheet_safe(&row.object_type),
            &spreadsheet_safe(row.object_id.as_deref().unwrap_or_default()),
            &spreadsheet_safe(row.details.as_deref().unwrap_or_default()),
            &row.hash,
        ])
    }

    fn finish(mut self, note: Option<String>) -> AppResult<Vec<u8>> {
        if let Some(note) = note {
            self.writer
                .write_record([note])
                .map_err(AppError::internal)?;
        }
        self.writer
            .into_inner()
            .map_err(|error| AppError::internal(error.into_error()))
    }
}

/// Spreadsheet programs run a cell starting with one of these as a formula, and anyone can
/// choose an actor label by failing a sign-in; such cells get a leading apostrophe.
fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: Option<&str>, to: Option<&str>) -> AuditQuery {
        AuditQuery {
            from: from.map(String::from),
            to: to.map(String::from),
            ..AuditQuery::default()
        }
        .normalised()
    }

    #[test]
    fn a_date_range_covers_whole_days_in_hanoi() {
        let filters = Filters::parse(&query(Some("2026-11-27"), Some("2026-11-28"))).unwrap();
        // Midnight in Hà Nội is 17:00 UTC the day before.
        assert_eq!(
            filters.since,
            Some(Utc.with_ymd_and_hms(2026, 11, 26, 17, 0, 0).unwrap())
        );
        assert_eq!(
            filters.before,
            Some(Utc.with_ymd_and_hms(2026, 11, 28, 17, 0, 0).unwrap())
        );
        let one_day = Filters::parse(&query(Some("2026-11-27"), Some("2026-11-27"))).unwrap();
        assert_eq!(
            one_day.before.zip(one_day.since).map(|(b, s)| b - s),
            Some(chrono::Duration::days(1))
        );
    }

    #[test]
    fn a_date_not_in_the_date_input_format_is_refused_for_its_field() {
        assert_eq!(
            Filters::parse(&query(Some("27/11/2026"), Some("2026-11-28"))),
            Err(vec![("from", "error-audit-date")])
        );
        assert_eq!(
            Filters::parse(&query(None, Some("2026-02-30"))),
            Err(vec![("to", "error-audit-date")])
        );
        assert_eq!(
            Filters::parse(&query(Some("hôm qua"), Some("mai"))),
            Err(vec![
                ("from", "error-audit-date"),
                ("to", "error-audit-date")
            ])
        );
    }

    #[test]
    fn a_range_that_ends_before_it_starts_is_refused() {
        assert_eq!(
            Filters::parse(&query(Some("2026-11-28"), Some("2026-11-27"))),
            Err(vec![("to", "error-audit-range")])
        );
    }

    #[test]
    fn blank_filters_are_dropped_and_the_actor_is_lowered() {
        let typed = AuditQuery {
            actor: Some("  KiemToan@EVN.vn ".into()),
            action: Some("".into()),
            object_type: Some("   ".into()),
            object_id: None,
            from: Some("".into()),
            to: None,
            page: Some(1),
        }
        .normalised();
        assert_eq!(
            typed,
            AuditQuery {
                actor: Some("KiemToan@EVN.vn".into()),
                ..AuditQuery::default()
            }
        );
        let filters = Filters::parse(&typed).unwrap();
        assert_eq!(filters.actor.as_deref(), Some("kiemtoan@evn.vn"));
        assert_eq!(filters.action, None);
        assert_eq!(filters.since, None);
    }

    #[test]
    fn like_wildcards_in_the_actor_filter_are_literal() {
        assert_eq!(escape_like("a%b_c!d"), "a!%b!_c!!d");
        assert_eq!(escape_like("nguyễn.văn"), "nguyễn.văn");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_defused() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("+1"), "'+1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("kiemtoan@evn.vn"), "kiemtoan@evn.vn");
        assert_eq!(
            spreadsheet_safe("{\"step\":\"password\"}"),
            "{\"step\":\"password\"}"
        );
    }

    #[test]
    fn times_are_shown_in_hanoi_to_the_second_and_exported_in_utc() {
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 23, 30, 5).unwrap();
        assert_eq!(local_seconds(at), "28/11/2026 06:30:05");
        assert_eq!(iso_utc(at), "2026-11-27T23:30:05.000000Z");
    }

    #[test]
    fn the_export_messages_exist_in_both_languages() {
        for lang in Lang::ALL {
            let text = lang.t_args("audit-export-capped", &[("limit", "7".into())]);
            assert!(text.contains('7') && !text.contains("Unknown"), "{text}");
        }
    }

    /// A portal database of its own with `n` entries.
    async fn trail_of(n: usize) -> (tempfile::TempDir, crate::platform::persistence::Db) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let db = crate::platform::persistence::Db::connect(&url, 1)
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let start = Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap();
        for i in 0..n {
            let tx = db.begin_write().await.unwrap();
            crate::platform::audit::record(
                &*tx,
                start + chrono::Duration::minutes(i as i64),
                Entry {
                    actor: &crate::platform::audit::Actor::Claimed(format!("=người{i}@evn.vn")),
                    action: "sign_in_failure",
                    object_type: "account",
                    object_id: None,
                    details: json!({"step": "password"}),
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        (dir, db)
    }

    fn read_back(bytes: &[u8]) -> Vec<csv::StringRecord> {
        let text = std::str::from_utf8(bytes).unwrap();
        let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
        csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect()
    }

    #[tokio::test]
    async fn an_export_over_the_cap_stops_there_and_says_so() {
        let (_dir, db) = trail_of(5).await;
        let capped = export_csv(db.conn(), &Filters::default(), 3, Lang::En)
            .await
            .unwrap();
        let records = read_back(&capped);
        assert_eq!(records.len(), 4, "three rows and the note");
        let ids: Vec<&str> = records[..3].iter().map(|r| &r[0]).collect();
        assert_eq!(ids, ["1", "2", "3"]);
        assert_eq!(&records[0][3], "'=người0@evn.vn");
        assert!(records[3][0].starts_with("# ") && records[3][0].contains('3'));

        let whole = export_csv(db.conn(), &Filters::default(), 5, Lang::En)
            .await
            .unwrap();
        let records = read_back(&whole);
        assert_eq!(records.len(), 5, "exactly at the cap: no note");
        assert!(records.iter().all(|r| !r[0].starts_with('#')));
    }
}
