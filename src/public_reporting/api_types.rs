//! The bodies of the public API (`public_reporting::api`), with their OpenAPI schemas derived
//! from these types. Reference lists carry both languages, so a client caches one copy; texts
//! of a report's status follow `Accept-Language` like the follow-up page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

/// The report as its reporter sees it (the follow-up page's data; dates as the page shows them,
/// dd/mm/yyyy in Asia/Ho_Chi_Minh).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportStatus {
    pub status_code: String,
    pub status_label: String,
    pub status_explained: String,
    pub track_label: String,
    pub handled_by: Option<String>,
    pub received_at: String,
    pub unit_path: String,
    pub category: String,
    pub occurred_on: String,
    pub occurred_time: Option<String>,
    pub description: String,
    pub staff_name: Option<String>,
    pub staff_number: Option<String>,
    pub staff_description: Option<String>,
    /// Whether the reporter gave their identity (never the identity itself).
    pub named: bool,
    pub escalate_above: bool,
    pub dates: Vec<DateItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DateItem {
    pub label: String,
    pub date: String,
}

/// The events of the report its reporter may see, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    pub entries: Vec<TimelineItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineItem {
    pub at: String,
    pub text: String,
}

/// The messages between the reporter and the inspectors, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Messages {
    pub messages: Vec<MessageItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageItem {
    pub at: String,
    pub from_reporter: bool,
    pub author: String,
    pub body: String,
}

/// A reply to the inspectors: 1 to 5000 characters.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    pub body: String,
}
