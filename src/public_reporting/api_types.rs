//! The bodies of the public API (`public_reporting::api`), with their OpenAPI schemas derived
//! from these types. Reference lists carry both languages, so a client caches one copy; texts
//! of a report's status follow `Accept-Language` like the follow-up page.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::status::ReportSummary;
use crate::case_management::evidence::FileView;
use crate::discipline::service::ReporterOutcome;
use crate::domain::report::ReportInput;
use crate::platform::persistence::entities::{org_unit, violation_category};

/// The active organisational units a report can name.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitList {
    pub units: Vec<UnitItem>,
}

/// One unit of the EVN tree.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitItem {
    pub id: i32,
    /// The unit above it; none for the group itself.
    pub parent_id: Option<i32>,
    /// `group`, `corporation`, `company`, `branch`, … as in the unit tree.
    pub kind: String,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Customer-care hotlines, several separated by " / ".
    pub hotline: Option<String>,
}

impl From<org_unit::Model> for UnitItem {
    fn from(unit: org_unit::Model) -> Self {
        Self {
            id: unit.id,
            parent_id: unit.parent_id,
            kind: unit.kind,
            code: unit.code,
            name_vi: unit.name_vi,
            name_en: unit.name_en,
            hotline: unit.hotline,
        }
    }
}

/// The active violation categories, in the form's order.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    pub categories: Vec<CategoryItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryItem {
    pub id: i32,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub severity: String,
}

impl From<violation_category::Model> for CategoryItem {
    fn from(c: violation_category::Model) -> Self {
        Self {
            id: c.id,
            code: c.code,
            name_vi: c.name_vi,
            name_en: c.name_en,
            description_vi: c.description_vi,
            description_en: c.description_en,
            severity: c.severity,
        }
    }
}

/// A report, as the web form has it. Without `reporter` it is an anonymous tip; with it, a
/// named report, which needs `consent` to the privacy notice (`/privacy`).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReportBody {
    /// An active unit (`GET /api/v1/units`).
    pub unit_id: i32,
    /// An active category (`GET /api/v1/categories`).
    pub category_id: i32,
    /// The day it happened, `YYYY-MM-DD` (or `dd/mm/yyyy`); not in the future, at most ten
    /// years ago.
    #[schema(example = "2026-11-20")]
    pub occurred_on: String,
    /// The time it happened, `HH:MM`.
    #[serde(default)]
    #[schema(example = "14:30")]
    pub occurred_time: Option<String>,
    /// What happened: 20 to 5000 characters.
    #[schema(example = "Nhân viên ghi chỉ số yêu cầu tiền bồi dưỡng để không ghi tăng chỉ số.")]
    pub description: String,
    #[serde(default)]
    pub staff_name: Option<String>,
    #[serde(default)]
    pub staff_number: Option<String>,
    #[serde(default)]
    pub staff_description: Option<String>,
    /// The reporter's identity, for a named report; absent for an anonymous tip.
    #[serde(default)]
    pub reporter: Option<ReporterBody>,
    /// The named reporter consents to the privacy notice.
    #[serde(default)]
    pub consent: bool,
    /// Ask that a unit above the one named handle it.
    #[serde(default)]
    pub escalate: bool,
}

/// A named reporter's identity: sealed at rest, never in any API response.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReporterBody {
    pub full_name: String,
    pub address: String,
    pub phone: String,
}

impl NewReportBody {
    /// The web form's input, so both are validated by the one `ReportInput::validate`.
    pub fn to_input(&self) -> ReportInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        let reporter = self.reporter.as_ref();
        ReportInput {
            unit_id: self.unit_id.to_string(),
            occurred_on: self.occurred_on.clone(),
            occurred_time: text(&self.occurred_time),
            category_id: self.category_id.to_string(),
            description: self.description.clone(),
            staff_name: text(&self.staff_name),
            staff_number: text(&self.staff_number),
            staff_description: text(&self.staff_description),
            identity: if reporter.is_some() {
                "named"
            } else {
                "anonymous"
            }
            .into(),
            full_name: reporter.map(|r| r.full_name.clone()).unwrap_or_default(),
            address: reporter.map(|r| r.address.clone()).unwrap_or_default(),
            phone: reporter.map(|r| r.phone.clone()).unwrap_or_default(),
            escalate: self.escalate,
            consent: self.consent,
        }
    }
}

/// The receipt: the code is shown this once (a retry with the same `Idempotency-Key` shows it
/// again); keep it to follow the report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportReceipt {
    /// 25 digits in five groups: the only key to the report.
    #[schema(example = "12345 67890 12345 67890 12345")]
    pub receipt_code: String,
    /// For `POST /api/v1/reports/{upload_token}/files`, until `upload_expires_at`.
    pub upload_token: String,
    pub upload_expires_at: DateTime<Utc>,
    /// Whether this answers a retry of an earlier submission (same `Idempotency-Key`).
    pub replayed: bool,
}

/// Files to add, as `multipart/form-data` parts named `files`.
#[derive(ToSchema)]
#[allow(
    dead_code,
    reason = "a schema only: the body is streamed, never deserialized"
)]
pub struct FilesUpload {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    pub files: Vec<Vec<u8>>,
}

/// The receipt code, to open a follow-up session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpLogin {
    #[schema(example = "12345 67890 12345 67890 12345")]
    pub receipt_code: String,
}

/// A short-lived bearer token for the follow-up endpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpSession {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until it expires (it is not renewed by use).
    pub expires_in: i64,
}

/// The report as its reporter sees it (the follow-up page's data). Instants are RFC 3339 in
/// Asia/Ho_Chi_Minh (`+07:00`), days `YYYY-MM-DD`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportStatus {
    #[serde(flatten)]
    pub summary: ReportSummary,
    #[schema(value_type = String, format = DateTime, example = "2026-12-07T09:30:00+07:00")]
    pub received_at: DateTime<FixedOffset>,
    #[schema(example = "2026-11-20")]
    pub occurred_on: NaiveDate,
    /// The dates the reporter can expect on the report's track.
    pub dates: Vec<DateItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DateItem {
    pub label: String,
    #[schema(example = "2026-12-17")]
    pub date: NaiveDate,
}

/// The events of the report its reporter may see, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    pub entries: Vec<TimelineItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineItem {
    #[schema(value_type = String, format = DateTime, example = "2026-12-07T09:30:00+07:00")]
    pub at: DateTime<FixedOffset>,
    pub text: String,
}

/// The messages between the reporter and the inspectors, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Messages {
    pub messages: Vec<MessageItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageItem {
    #[schema(value_type = String, format = DateTime, example = "2026-12-07T09:30:00+07:00")]
    pub at: DateTime<FixedOffset>,
    pub from_reporter: bool,
    pub author: String,
    pub body: String,
}

/// An instant as the API gives it: RFC 3339 in Asia/Ho_Chi_Minh.
pub fn local_instant(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .fixed_offset()
}

/// The outcome the follow-up page shows once the report is concluded; none before.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeBody {
    pub outcome: Option<OutcomeItem>,
}

/// The conclusion in plain words and whether measures were taken — never who.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeItem {
    pub finding: String,
    pub summary: Option<String>,
    /// For a (partly) substantiated report: whether measures were taken.
    pub measures_taken: Option<bool>,
    /// Which measures, without names, where the portal's setting shows them.
    pub measures: Vec<String>,
}

impl From<ReporterOutcome> for OutcomeItem {
    fn from(o: ReporterOutcome) -> Self {
        Self {
            finding: o.finding,
            summary: o.summary,
            measures_taken: o.measures_taken,
            measures: o.measures,
        }
    }
}

/// The files the reporter sent and those the inspectors shared with them, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileList {
    pub files: Vec<FileItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FileItem {
    /// For `GET /api/v1/follow-up/files/{id}`.
    pub id: i32,
    pub name: String,
    pub media_type: String,
    /// Bytes of what the download gives.
    pub size: i64,
    #[schema(value_type = String, format = DateTime, example = "2026-12-07T09:30:00+07:00")]
    pub added_at: DateTime<FixedOffset>,
    /// Sent by the reporter (else shared by the inspectors).
    pub from_reporter: bool,
    /// `cleaned` (embedded information such as location removed; the download is the cleaned
    /// copy) or `original` (kept as sent: documents, recordings, videos).
    #[schema(example = "cleaned")]
    pub status: String,
}

/// A file's bytes (`application/octet-stream`; its name in `Content-Disposition`).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code, reason = "a schema only: the body is streamed")]
pub struct FileBytes(Vec<u8>);

impl From<FileView> for FileItem {
    fn from(f: FileView) -> Self {
        Self {
            id: f.id,
            name: f.name,
            media_type: f.kind_label,
            size: f.bytes,
            added_at: local_instant(f.added_at),
            from_reporter: f.by_reporter,
            status: if f.cleaned { "cleaned" } else { "original" }.into(),
        }
    }
}

/// A reply to the inspectors: 1 to 5000 characters.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    pub body: String,
}
