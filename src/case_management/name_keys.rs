//! The index behind the conflict check by name (`access`) and the "same person" list of the case
//! page: for every report naming somebody, the hashed keys of the typed name and employee
//! number (`domain::conflict::typed_keys`) in `case_name_key`.
//!
//! The keys depend on the reporter's words only, which never change after filing (a purge
//! erases them with the words), so nothing is recomputed when staff records, accounts or units
//! change: those are read at request time, turned into a person's keys
//! (`domain::conflict::person_keys`), and the index `(key, team_id, report_id)` finds the few
//! reports of the viewer's teams that may name them. The rule itself then decides on those few.
//! Each row carries its case's current team: set when filed, and moved with the case by a
//! trigger on `case_file.team_id` (migration `m20261222_000001_name_keys`), whichever code
//! moves it.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

use crate::domain::conflict::typed_keys;
use crate::platform::persistence::entities::{
    case_file, case_name_key, case_name_key_backfill, report,
};
use crate::platform::persistence::Db;

/// Rows per insert and values per `IN (…)`: well inside SQLite's 32,766 bound parameters.
pub const CHUNK: usize = 5_000;

/// A report's key row: key, report, the case's team.
type Row = (i64, i32, Option<i32>);

/// Stores the keys of a report's typed name and number, its case being in `team_id` (in the
/// filing transaction, after the case is opened).
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    report_id: i32,
    team_id: Option<i32>,
    staff_name: Option<&str>,
    staff_number: Option<&str>,
) -> Result<(), DbErr> {
    let rows: Vec<Row> = typed_keys(staff_name, staff_number)
        .into_iter()
        .map(|key| (key, report_id, team_id))
        .collect();
    insert(conn, &rows).await
}

async fn insert<C: ConnectionTrait>(conn: &C, rows: &[Row]) -> Result<(), DbErr> {
    for chunk in rows.chunks(CHUNK) {
        case_name_key::Entity::insert_many(chunk.iter().map(|(key, report_id, team_id)| {
            case_name_key::ActiveModel {
                key: Set(*key),
                report_id: Set(*report_id),
                team_id: Set(*team_id),
            }
        }))
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

/// Deletes a report's keys (when its words are purged).
pub async fn erase<C: ConnectionTrait>(conn: &C, report_id: i32) -> Result<(), DbErr> {
    case_name_key::Entity::delete_many()
        .filter(case_name_key::Column::ReportId.eq(report_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The reports holding one of `keys` whose case belongs to one of `team_ids` (and is the case
/// of report `only`, when given): read from the index alone.
pub async fn cases_with<C: ConnectionTrait>(
    conn: &C,
    keys: &BTreeSet<i64>,
    team_ids: &[i32],
    only: Option<i32>,
) -> Result<BTreeSet<i32>, DbErr> {
    let keys: Vec<i64> = keys.iter().copied().collect();
    let mut out = BTreeSet::new();
    for chunk in keys.chunks(CHUNK) {
        out.extend(
            case_name_key::Entity::find()
                .select_only()
                .column(case_name_key::Column::ReportId)
                .distinct()
                .filter(case_name_key::Column::Key.is_in(chunk.iter().copied()))
                .filter(case_name_key::Column::TeamId.is_in(team_ids.iter().copied()))
                .apply_if(only, |query, id| {
                    query.filter(case_name_key::Column::ReportId.eq(id))
                })
                .into_tuple::<i32>()
                .all(conn)
                .await?,
        );
    }
    Ok(out)
}

/// Computes the keys of the reports filed before they existed (listed by the migration), in
/// batches, each in its own transaction; run at start-up before serving. Returns how many
/// reports it keyed; a second run finds the list empty.
pub async fn backfill(db: &Db) -> Result<usize, DbErr> {
    let mut done = 0;
    loop {
        let batch: Vec<i32> = case_name_key_backfill::Entity::find()
            .select_only()
            .column(case_name_key_backfill::Column::ReportId)
            .order_by_asc(case_name_key_backfill::Column::ReportId)
            .limit(1_000)
            .into_tuple::<i32>()
            .all(db.conn())
            .await?;
        if batch.is_empty() {
            return Ok(done);
        }
        let named = report::Entity::find()
            .select_only()
            .column(report::Column::Id)
            .column(report::Column::StaffName)
            .column(report::Column::StaffNumber)
            .filter(report::Column::Id.is_in(batch.iter().copied()))
            .into_tuple::<(i32, Option<String>, Option<String>)>()
            .all(db.conn())
            .await?;
        let teams: HashMap<i32, Option<i32>> = case_file::Entity::find()
            .select_only()
            .column(case_file::Column::ReportId)
            .column(case_file::Column::TeamId)
            .filter(case_file::Column::ReportId.is_in(batch.iter().copied()))
            .into_tuple::<(i32, Option<i32>)>()
            .all(db.conn())
            .await?
            .into_iter()
            .collect();
        let rows: Vec<Row> = named
            .iter()
            .flat_map(|(id, name, number)| {
                let team = teams.get(id).copied().flatten();
                typed_keys(name.as_deref(), number.as_deref())
                    .into_iter()
                    .map(move |key| (key, *id, team))
            })
            .collect();
        let tx = db.begin_write().await?;
        // Started again after a crash, a batch replaces what it wrote before.
        case_name_key::Entity::delete_many()
            .filter(case_name_key::Column::ReportId.is_in(batch.iter().copied()))
            .exec(&*tx)
            .await?;
        insert(&*tx, &rows).await?;
        case_name_key_backfill::Entity::delete_many()
            .filter(case_name_key_backfill::Column::ReportId.is_in(batch.iter().copied()))
            .exec(&*tx)
            .await?;
        tx.commit().await?;
        done += batch.len();
    }
}
