//! The reference data as one immutable value: every org unit (with its hotline), violation
//! category, culture-code chapter and article version and holiday, read together with the
//! `reference_version` counter they were read at. `web::reference` keeps one in memory and
//! reloads it when the counter moves; triggers on these tables bump the counter in the
//! transaction of every change (migration `m20261218_000001`).

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryOrder, Statement};

use crate::domain::calendar::WorkingCalendar;
use crate::platform::persistence::entities::{
    culture_article, culture_chapter, holiday, org_unit, violation_category,
};

/// Reference data as stored, read at one version.
#[derive(Debug, Clone)]
pub struct ReferenceData {
    /// The `reference_version` counter read before the rows.
    pub version: i64,
    /// Every unit, open or closed, in id order.
    pub units: Vec<org_unit::Model>,
    /// Every category, active or not, in sort order.
    pub categories: Vec<violation_category::Model>,
    pub chapters: Vec<culture_chapter::Model>,
    /// Every version of every culture-code article.
    pub articles: Vec<culture_article::Model>,
    /// Public holidays by day.
    pub holidays: Vec<holiday::Model>,
}

impl ReferenceData {
    /// The working calendar these holidays make.
    pub fn calendar(&self) -> WorkingCalendar {
        WorkingCalendar::new(self.holidays.iter().map(|h| h.day))
    }
}

#[derive(FromQueryResult)]
struct VersionRow {
    version: i64,
}

/// The counter alone: one primary-key read.
pub async fn version<C: ConnectionTrait>(conn: &C) -> Result<i64, DbErr> {
    let row = VersionRow::find_by_statement(Statement::from_string(
        conn.get_database_backend(),
        "SELECT version FROM reference_version WHERE id = 1",
    ))
    .one(conn)
    .await?;
    Ok(row.map_or(0, |r| r.version))
}

/// Reads the counter, then the rows. A change committed in between leaves an older version
/// beside newer rows, which only causes one reload more; never the reverse.
pub async fn load<C: ConnectionTrait>(conn: &C) -> Result<ReferenceData, DbErr> {
    let version = version(conn).await?;
    Ok(ReferenceData {
        version,
        units: org_unit::Entity::find()
            .order_by_asc(org_unit::Column::Id)
            .all(conn)
            .await?,
        categories: violation_category::Entity::find()
            .order_by_asc(violation_category::Column::SortOrder)
            .order_by_asc(violation_category::Column::Id)
            .all(conn)
            .await?,
        chapters: culture_chapter::Entity::find()
            .order_by_asc(culture_chapter::Column::Id)
            .all(conn)
            .await?,
        articles: culture_article::Entity::find()
            .order_by_asc(culture_article::Column::Id)
            .all(conn)
            .await?,
        holidays: holiday::Entity::find()
            .order_by_asc(holiday::Column::Day)
            .all(conn)
            .await?,
    })
}
