//! The report's free text at rest: sealed under the report's data key, with keyed hashes of its
//! words so the inbox can still find a case by a word of its description. Someone with the
//! database but not the keys learns neither the text nor which words it contains.

use std::collections::BTreeSet;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use crate::domain::text::fold;
use crate::platform::crypto::{self, OpenError, SecretKey32};
use crate::platform::persistence::entities::{case_file, message, report, report_key};

/// What a reporter wrote in their own words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportText {
    pub description: String,
    pub staff_description: Option<String>,
}

fn context(report_id: i32) -> Vec<u8> {
    format!("report-text:{report_id}").into_bytes()
}

pub fn seal(data_key: &SecretKey32, report_id: i32, text: &ReportText) -> Vec<u8> {
    let plain = serde_json::to_vec(text).unwrap_or_default();
    crypto::seal(data_key, &context(report_id), &plain)
}

/// The text of `row`: opened from `sealed_text`, or read from the legacy plain columns.
pub fn open(data_key: &SecretKey32, row: &report::Model) -> Result<ReportText, OpenError> {
    match &row.sealed_text {
        Some(sealed) => {
            let plain = crypto::open(data_key, &context(row.id), sealed)?;
            serde_json::from_slice(&plain).map_err(|_| OpenError)
        }
        None => Ok(ReportText {
            description: row.description.clone(),
            staff_description: row.staff_description.clone(),
        }),
    }
}

fn reply_context(report_id: i32) -> Vec<u8> {
    format!("reporter-reply:{report_id}").into_bytes()
}

/// A reporter's reply, sealed for `message.sealed_body`.
pub fn seal_reply(data_key: &SecretKey32, report_id: i32, body: &str) -> Vec<u8> {
    crypto::seal(data_key, &reply_context(report_id), body.as_bytes())
}

/// The text of a message: opened when sealed (reporters' replies), as stored otherwise.
pub fn message_body(data_key: &SecretKey32, row: &message::Model) -> Result<String, OpenError> {
    match &row.sealed_body {
        Some(sealed) => {
            let plain = crypto::open(data_key, &reply_context(row.report_id), sealed)?;
            String::from_utf8(plain).map_err(|_| OpenError)
        }
        None => Ok(row.body.clone()),
    }
}

const TOKEN_PURPOSE: &str = "report-text-token";
const TOKEN_HEX: usize = 16;

/// The keyed hash of one folded word.
pub fn token(search_key: &SecretKey32, word: &str) -> String {
    let mut hash = crypto::lookup_hash(search_key, TOKEN_PURPOSE, word);
    hash.truncate(TOKEN_HEX);
    hash
}

/// ` h1 h2 … ` for the distinct folded words of `text` (delimited so `LIKE '% h %'` matches
/// whole tokens only).
pub fn tokens(search_key: &SecretKey32, text: &ReportText) -> String {
    let folded = fold(&format!(
        "{} {}",
        text.description,
        text.staff_description.as_deref().unwrap_or_default()
    ));
    let words: BTreeSet<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| token(search_key, w))
        .collect();
    let mut out = String::from(" ");
    for word in words {
        out.push_str(&word);
        out.push(' ');
    }
    out
}

/// Seals the text of reports stored before sealing existed (plain columns, no `sealed_text`)
/// and indexes it, then reporters' plain replies, in batches; returns how many rows were
/// sealed. Runs at start-up.
pub async fn seal_legacy_rows(
    db: &crate::platform::persistence::Db,
    config: &crate::platform::config::Config,
) -> Result<u64, sea_orm::DbErr> {
    let reports = seal_legacy_reports(db, config).await?;
    Ok(reports + seal_legacy_replies(db, config).await?)
}

async fn data_key_of<C: ConnectionTrait>(
    conn: &C,
    config: &crate::platform::config::Config,
    report_id: i32,
) -> Result<SecretKey32, sea_orm::DbErr> {
    let key_row = report_key::Entity::find()
        .filter(report_key::Column::ReportId.eq(report_id))
        .one(conn)
        .await?;
    key_row
        .and_then(|k| config.unwrap_report_key(&k).ok())
        .ok_or_else(|| {
            sea_orm::DbErr::Custom(format!(
                "report {report_id} has no usable data key; is ROCKET_MASTER_KEY right?"
            ))
        })
}

async fn seal_legacy_replies(
    db: &crate::platform::persistence::Db,
    config: &crate::platform::config::Config,
) -> Result<u64, sea_orm::DbErr> {
    let mut sealed = 0;
    loop {
        let batch = message::Entity::find()
            .filter(message::Column::AuthorKind.eq("reporter"))
            .filter(message::Column::SealedBody.is_null())
            .limit(500)
            .all(db.conn())
            .await?;
        if batch.is_empty() {
            return Ok(sealed);
        }
        let tx = db.begin_write().await?;
        for row in batch {
            let data_key = data_key_of(&*tx, config, row.report_id).await?;
            let mut active = row.clone().into_active_model();
            active.sealed_body = Set(Some(seal_reply(&data_key, row.report_id, &row.body)));
            active.body = Set(String::new());
            active.update(&*tx).await?;
            sealed += 1;
        }
        tx.commit().await?;
    }
}

async fn seal_legacy_reports(
    db: &crate::platform::persistence::Db,
    config: &crate::platform::config::Config,
) -> Result<u64, sea_orm::DbErr> {
    let mut sealed = 0;
    loop {
        // A purged report has no text and no data key left: nothing to seal.
        let purged = sea_orm::sea_query::Query::select()
            .column(case_file::Column::ReportId)
            .from(case_file::Entity)
            .and_where(case_file::Column::PurgedAt.is_not_null())
            .to_owned();
        let batch = report::Entity::find()
            .filter(report::Column::SealedText.is_null())
            .filter(report::Column::Id.not_in_subquery(purged))
            .limit(200)
            .all(db.conn())
            .await?;
        if batch.is_empty() {
            return Ok(sealed);
        }
        let tx = db.begin_write().await?;
        for row in batch {
            let data_key = data_key_of(&*tx, config, row.id).await?;
            let text = ReportText {
                description: row.description.clone(),
                staff_description: row.staff_description.clone(),
            };
            index_case(&*tx, &row, &tokens(&config.receipt_key, &text)).await?;
            let mut active = row.clone().into_active_model();
            active.sealed_text = Set(Some(seal(&data_key, row.id, &text)));
            active.description = Set(String::new());
            active.staff_description = Set(None);
            active.update(&*tx).await?;
            sealed += 1;
        }
        tx.commit().await?;
    }
}

/// The plain text the inbox searches by substring, folded so "nhan vien" finds "nhân viên":
/// the reference and the named staff member. The reporter's own words are sealed and searched
/// through `case_file.text_tokens` (below).
pub fn search_text(row: &report::Model, reference: &str) -> String {
    fold(&format!(
        "{} {} {}",
        reference,
        row.staff_name.as_deref().unwrap_or_default(),
        row.staff_number.as_deref().unwrap_or_default(),
    ))
}

/// Replaces a legacy case's search columns: the plain one loses the reporter's words (it held
/// them folded before sealing existed), the token one gets their keyed hashes.
async fn index_case<C: ConnectionTrait>(
    conn: &C,
    row: &report::Model,
    tokens: &str,
) -> Result<(), sea_orm::DbErr> {
    let received = crate::domain::calendar::local_date(row.received_at);
    let reference = crate::domain::case_ref::reference(row.id, chrono::Datelike::year(&received));
    case_file::Entity::update_many()
        .col_expr(
            case_file::Column::TextTokens,
            sea_orm::sea_query::Expr::value(tokens.to_string()),
        )
        .col_expr(
            case_file::Column::SearchText,
            sea_orm::sea_query::Expr::value(search_text(row, &reference)),
        )
        .filter(case_file::Column::ReportId.eq(row.id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Overwrites the free pages and dead rows that still hold text sealed a moment ago. Runs once,
/// after legacy rows were sealed (SQLite: checkpoint, then VACUUM; PostgreSQL: VACUUM FULL).
pub async fn scrub(db: &crate::platform::persistence::Db) -> Result<(), sea_orm::DbErr> {
    let conn = db.conn();
    match conn.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            conn.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await?;
            conn.execute_unprepared("VACUUM").await?;
            conn.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await?;
        }
        _ => {
            conn.execute_unprepared("VACUUM FULL report, case_file")
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_whole_folded_words_and_keyed() {
        let key = SecretKey32::from_bytes([3; 32]);
        let text = ReportText {
            description: "Nhân viên đòi tiền".into(),
            staff_description: Some("Đeo kính".into()),
        };
        let indexed = tokens(&key, &text);
        assert!(indexed.contains(&format!(" {} ", token(&key, "tien"))));
        assert!(indexed.contains(&format!(" {} ", token(&key, "kinh"))));
        assert!(!indexed.contains(&token(&key, "tie")));
        assert!(!indexed.contains("tien"));
        let other = SecretKey32::from_bytes([4; 32]);
        assert!(!indexed.contains(&token(&other, "tien")));
    }

    #[test]
    fn sealed_text_opens_only_for_its_report() {
        let key = SecretKey32::generate();
        let text = ReportText {
            description: "Mô tả bí mật".into(),
            staff_description: None,
        };
        let sealed = seal(&key, 7, &text);
        let mut row = report::Model {
            id: 7,
            unit_id: 1,
            category_id: 1,
            occurred_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
            occurred_time: None,
            description: String::new(),
            staff_name: None,
            staff_number: None,
            staff_description: None,
            submission_kind: "anonymous".into(),
            escalate_above: false,
            status: "received".into(),
            receipt_lookup: String::new(),
            receipt_hash: String::new(),
            received_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            reporter_last_seen_at: None,
            sealed_text: Some(sealed),
            consent_version: None,
            consented_on: None,
            channel: "web".into(),
        };
        assert_eq!(open(&key, &row).unwrap(), text);
        row.id = 8;
        assert!(open(&key, &row).is_err());
    }
}
