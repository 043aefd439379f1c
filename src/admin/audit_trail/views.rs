//! What the auditors' templates read (`templates/audit/`): one page of matching entries with the
//! filter form and its select options (`audit/list`), and the chain check (`audit/verify`).
//! Times show in Hà Nội to the second; the ISO form in UTC to the microsecond is what the hash
//! covers (and what the CSV holds).

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use rocket::http::Status;
use rocket::uri;
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use super::export::EXPORT_CAP;
use super::filters::{AuditQuery, FieldError, Filters};
use crate::platform::audit::Verification;
use crate::platform::persistence::entities::audit_log::{self, Column};
use crate::web::i18n::Lang;

/// Entries per page of the list.
const PAGE_SIZE: u64 = 50;

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
pub(super) fn iso_utc(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// One entry as the table of `audit/macros` shows it.
#[derive(Debug, Serialize)]
struct EntryView {
    id: i32,
    at: String,
    at_iso: String,
    actor: String,
    actor_user_id: Option<i32>,
    action: String,
    object_type: String,
    object_id: Option<String>,
    details: Option<String>,
}

fn entry_view(row: &audit_log::Model) -> EntryView {
    EntryView {
        id: row.id,
        at: local_seconds(row.at),
        at_iso: iso_utc(row.at),
        actor: row.actor_label.clone(),
        actor_user_id: row.actor_user_id,
        action: row.action.clone(),
        object_type: row.object_type.clone(),
        object_id: row.object_id.clone(),
        details: row.details.clone(),
    }
}

/// The filters as typed, empty for a filter not set.
#[derive(Debug, Serialize)]
struct QueryView {
    actor: String,
    action: String,
    object_type: String,
    object_id: String,
    from: String,
    to: String,
}

impl QueryView {
    fn of(query: &AuditQuery) -> Self {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        Self {
            actor: text(&query.actor),
            action: text(&query.action),
            object_type: text(&query.object_type),
            object_id: text(&query.object_id),
            from: text(&query.from),
            to: text(&query.to),
        }
    }
}

/// The page of results of valid filters.
#[derive(Debug, Serialize)]
struct ResultsView {
    entries: Vec<EntryView>,
    total: u64,
    page: u64,
    pages: u64,
    /// 1-based positions of the first and last entry shown.
    first: u64,
    last: u64,
    prev_url: Option<String>,
    next_url: Option<String>,
}

impl ResultsView {
    fn of(listing: &Listing, query: &AuditQuery) -> Self {
        let first = (listing.page - 1) * PAGE_SIZE;
        let link = |page: u64| uri!(super::list_entries(query = query.at_page(page))).to_string();
        Self {
            entries: listing.rows.iter().map(entry_view).collect(),
            total: listing.total,
            page: listing.page,
            pages: listing.pages,
            first: first + 1,
            last: first + listing.rows.len() as u64,
            prev_url: (listing.page > 1).then(|| link(listing.page - 1)),
            next_url: (listing.page < listing.pages).then(|| link(listing.page + 1)),
        }
    }
}

/// `audit/list`: the filter form, its errors, and the results when the filters were valid.
#[derive(Debug, Serialize)]
pub(super) struct ListView {
    query: QueryView,
    /// Field → message in the page's language.
    errors: BTreeMap<&'static str, String>,
    actions: Vec<String>,
    object_types: Vec<String>,
    results: Option<ResultsView>,
    export_url: String,
    export_cap: u64,
}

impl ListView {
    /// The list for a normalised query: 200 with one page of entries, or 422 with the filters'
    /// mistakes and no results.
    pub(super) async fn load<C: ConnectionTrait>(
        db: &C,
        lang: Lang,
        query: &AuditQuery,
    ) -> Result<(Status, Self), DbErr> {
        let filters = match Filters::parse(query) {
            Ok(filters) => filters,
            Err(errors) => return Self::invalid(db, lang, query, &errors).await,
        };
        let listing = Listing::load(db, &filters, query.page.unwrap_or(1)).await?;
        let choices = Choices::load(db, query).await?;
        let view = Self::build(lang, query, &choices, Some(&listing), &[]);
        Ok((Status::Ok, view))
    }

    /// The list again with the filters as typed, their errors and no results (422).
    pub(super) async fn invalid<C: ConnectionTrait>(
        db: &C,
        lang: Lang,
        query: &AuditQuery,
        errors: &[FieldError],
    ) -> Result<(Status, Self), DbErr> {
        let choices = Choices::load(db, query).await?;
        let view = Self::build(lang, query, &choices, None, errors);
        Ok((Status::UnprocessableEntity, view))
    }

    fn build(
        lang: Lang,
        query: &AuditQuery,
        choices: &Choices,
        listing: Option<&Listing>,
        errors: &[FieldError],
    ) -> Self {
        Self {
            query: QueryView::of(query),
            errors: errors
                .iter()
                .map(|(field, key)| (*field, lang.t(key)))
                .collect(),
            actions: choices.actions.clone(),
            object_types: choices.object_types.clone(),
            results: listing.map(|listing| ResultsView::of(listing, query)),
            export_url: uri!(super::export_entries(query = query.at_page(1))).to_string(),
            export_cap: EXPORT_CAP,
        }
    }
}

/// Where the chain first breaks.
#[derive(Debug, Serialize)]
struct BrokenView {
    id: i32,
    reason: &'static str,
}

/// `audit/verify`: the chain intact with its length, or where it breaks and that entry.
#[derive(Debug, Serialize)]
pub(super) struct VerifyView {
    intact: bool,
    /// Entries checked, when intact.
    count: Option<u64>,
    broken: Option<BrokenView>,
    /// The entry where the chain breaks, if it still exists.
    entries: Vec<EntryView>,
}

impl VerifyView {
    /// Checks the whole chain.
    pub(super) async fn load<C: ConnectionTrait>(db: &C) -> Result<Self, DbErr> {
        Ok(match crate::platform::audit::verify(db).await? {
            Verification::Intact { entries } => Self {
                intact: true,
                count: Some(entries),
                broken: None,
                entries: Vec::new(),
            },
            Verification::BrokenAt { id, reason } => {
                let entry = audit_log::Entity::find_by_id(id).one(db).await?;
                Self {
                    intact: false,
                    count: None,
                    broken: Some(BrokenView { id, reason }),
                    entries: entry.as_ref().map(entry_view).into_iter().collect(),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn times_are_shown_in_hanoi_to_the_second_and_exported_in_utc() {
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 23, 30, 5).unwrap();
        assert_eq!(local_seconds(at), "28/11/2026 06:30:05");
        assert_eq!(iso_utc(at), "2026-11-27T23:30:05.000000Z");
    }
}
