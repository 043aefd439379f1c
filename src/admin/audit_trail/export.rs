//! `/audit/export.csv`: the selection of the list as a UTF-8 CSV file with a byte-order mark
//! (so spreadsheet programs read Vietnamese correctly), oldest first, at most [`EXPORT_CAP`]
//! rows, read in chunks so memory stays bounded by the file, not the table. Free-text cells go
//! through [`spreadsheet_safe`]. The export's own `audit_exported` entry is committed before
//! the file is returned, so nobody takes a copy of the trail unrecorded.

use chrono_tz::Asia::Ho_Chi_Minh;
use rocket::http::{ContentType, Header};
use rocket::Responder;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::filters::{AuditQuery, Filters};
use super::views::iso_utc;
use crate::auth::StaffUser;
use crate::domain::spreadsheet::spreadsheet_safe;
use crate::platform::audit::Entry;
use crate::platform::persistence::entities::audit_log::{self, Column};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// The most rows one CSV file holds; a final comment row says when a selection was cut.
pub const EXPORT_CAP: u64 = 100_000;
/// Rows read per query while exporting, so memory stays bounded by the file, not the table.
const EXPORT_CHUNK: u64 = 1_000;

/// The downloaded file: CSV with its type and an attachment name.
#[derive(Responder)]
pub(super) struct CsvDownload {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
}

/// The file of the entries matching `filters`, after recording (and committing) that `user`
/// exported them with `query`'s filters.
pub(super) async fn download(
    state: &AppState,
    user: &StaffUser,
    query: &AuditQuery,
    filters: &Filters,
    lang: Lang,
) -> AppResult<CsvDownload> {
    let now = state.clock.now();
    let body = export_csv(state.db.conn(), filters, EXPORT_CAP, lang).await?;
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
    Ok(CsvDownload {
        body,
        content_type: ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        disposition: Header::new(
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ),
    })
}

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

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    use super::*;

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
