//! The conclusions published on `/transparency` (Law on Denunciations 2018, Art. 40): each
//! summary the team lead wrote and the portal checked for identifying words
//! (`domain::procedure::check_publication`), with the month it was published, the employer
//! (company or corporation, never the district or office, which could narrow the person down),
//! the category and the finding. Newest first, [`PAGE_SIZE`] a page.

use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde::Serialize;

use crate::domain::workflow::Finding;
use crate::platform::persistence::entities::{published_conclusion, violation_category};
use crate::web::error::AppResult;
use crate::web::format::show_date;
use crate::web::i18n::Lang;
use crate::web::state::AppState;
use crate::web::units::{all_units, employer_of};

pub const PAGE_SIZE: u64 = 10;

/// One published conclusion.
#[derive(Debug, Serialize)]
pub struct PublishedView {
    published_on: String,
    unit: String,
    category: String,
    finding: String,
    summary: String,
}

/// A page of them.
#[derive(Debug, Serialize)]
pub struct PublishedPage {
    pub items: Vec<PublishedView>,
    pub page: u64,
    pub pages: u64,
}

/// Page `page` (from 1; past the end reads as the last).
pub async fn list(state: &AppState, lang: Lang, page: u64) -> AppResult<PublishedPage> {
    let conn = state.db.conn();
    let paginator = published_conclusion::Entity::find()
        .order_by_desc(published_conclusion::Column::PublishedOn)
        .order_by_desc(published_conclusion::Column::Id)
        .paginate(conn, PAGE_SIZE);
    let pages = paginator.num_pages().await?.max(1);
    let page = page.clamp(1, pages);
    let rows = paginator.fetch_page(page - 1).await?;
    if rows.is_empty() {
        return Ok(PublishedPage {
            items: Vec::new(),
            page,
            pages,
        });
    }
    let units = all_units(conn).await?;
    let categories = violation_category::Entity::find().all(conn).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let unit = employer_of(&units, row.unit_id)
                .0
                .map(|u| lang.pick(&u.name_vi, &u.name_en))
                .unwrap_or_default();
            let category = categories
                .iter()
                .find(|c| c.id == row.category_id)
                .map(|c| lang.pick(&c.name_vi, &c.name_en))
                .unwrap_or_default();
            let finding = Finding::parse(&row.finding)
                .map(|f| lang.t(&f.label_key()))
                .unwrap_or_default();
            PublishedView {
                published_on: show_date(row.published_on),
                unit,
                category,
                finding,
                summary: row.summary,
            }
        })
        .collect();
    Ok(PublishedPage { items, page, pages })
}
