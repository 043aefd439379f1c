//! Reports by intake channel (`channel_rollup`: received month × unit × category × channel
//! code → reports), kept like the other rollups: `rollups::Tracker` adds the difference of a
//! report's place before and after a change (a report's channel never changes, but its unit
//! or category may), and `rollups::rebuild` recomputes it. A report counts here exactly when
//! it counts in `case_rollup.received`, so the channels of a scope add up to its received.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QuerySelect};

use super::metrics::CellKey;
use crate::platform::persistence::entities::channel_rollup;

/// Where one report counts: its cell and its channel's code.
pub type ChannelKey = (CellKey, String);

/// Changes to `channel_rollup`.
#[derive(Default)]
pub struct ChannelDelta(pub BTreeMap<ChannelKey, i64>);

impl ChannelDelta {
    pub fn add(&mut self, key: &ChannelKey, sign: i64) {
        *self.0.entry(key.clone()).or_default() += sign;
    }

    /// Writes the non-zero changes, in batches of `batch` rows.
    pub async fn write<C: ConnectionTrait>(self, conn: &C, batch: usize) -> Result<(), DbErr> {
        let rows: Vec<_> = self.0.into_iter().filter(|(_, n)| *n != 0).collect();
        for chunk in rows.chunks(batch.max(1)) {
            upsert(conn, chunk).await?;
        }
        Ok(())
    }
}

async fn upsert<C: ConnectionTrait>(conn: &C, rows: &[(ChannelKey, i64)]) -> Result<(), DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table(channel_rollup::Entity)
        .columns(["month", "unit_id", "category_id", "channel", "n"].map(Alias::new));
    for ((key, channel), n) in rows {
        let values: [SimpleExpr; 5] = [
            key.month.0.into(),
            key.unit_id.into(),
            key.category_id.into(),
            channel.clone().into(),
            (*n).into(),
        ];
        insert
            .values(values)
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    let key = ["month", "unit_id", "category_id", "channel"].map(Alias::new);
    let n = Expr::col((Alias::new("channel_rollup"), Alias::new("n")))
        .add(Expr::col((Alias::new("excluded"), Alias::new("n"))));
    insert.on_conflict(
        OnConflict::columns(key)
            .value(Alias::new("n"), n)
            .to_owned(),
    );
    conn.execute(&insert).await?;
    Ok(())
}

/// Empties the table before a rebuild.
pub async fn clear<C: ConnectionTrait>(conn: &C) -> Result<(), DbErr> {
    channel_rollup::Entity::delete_many().exec(conn).await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct Total {
    n: Option<i64>,
}

/// The reports the table counts.
pub async fn counted<C: ConnectionTrait>(conn: &C) -> Result<i64, DbErr> {
    Ok(channel_rollup::Entity::find()
        .select_only()
        .column_as(
            Expr::col(channel_rollup::Column::N).sum().cast_as("BIGINT"),
            "n",
        )
        .into_model::<Total>()
        .one(conn)
        .await?
        .and_then(|t| t.n)
        .unwrap_or(0))
}
