//! What the public pages show: one typed view per template under `templates/public/` (report
//! form, receipt, follow-up, status, disclosure), with the loaders that gather their data.
//! Used by `routes` and `files`; field names are exactly those the templates read.

use serde::Serialize;
use serde_json::Value;

use super::forms::ReportForm;
use super::service::{self, StatusView};
use crate::domain::receipt::ReceiptCode;
use crate::domain::report::{day_as_shown, limits, FieldErrors, ReportInput};
use crate::web::error::AppResult;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::reference::{CategoryChoice, UnitChoice};
use crate::web::state::AppState;
use crate::web::upload::{upload_notes, UploadNotes};

/// `public/report_form`: the report form with what was typed and what to correct.
#[derive(Serialize)]
pub struct ReportFormView {
    pub form: ReportInput,
    /// Field name → message.
    pub errors: Value,
    pub error_count: usize,
    /// The unit select's groups and options, as HTML.
    pub unit_options: UnitChoice,
    pub unit_q: String,
    pub unit_filter_empty: bool,
    pub categories: CategoryChoice,
    pub today: String,
    pub description_max: usize,
    pub description_min: usize,
    pub staff_description_max: usize,
    pub uploads: UploadNotes,
    pub file_error: Option<String>,
}

impl ReportFormView {
    /// The form as typed, its errors, the units matching `unit_q` and the active categories.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        form: &ReportForm,
        errors: &FieldErrors,
        unit_q: &str,
    ) -> AppResult<Self> {
        let today = state.clock.today();
        let catalogue = state.reference.current(&state.db, today).await;
        let unit_options = UnitChoice::new(
            catalogue.clone(),
            lang,
            unit_q,
            form.unit_id.as_deref().unwrap_or_default(),
            true,
        );
        Ok(Self {
            form: ReportInput {
                occurred_on: day_as_shown(&form.occurred_on.clone().unwrap_or_default()),
                ..form.to_input()
            },
            errors: translate(lang, errors),
            error_count: errors.len(),
            unit_filter_empty: unit_options.is_empty(),
            unit_options,
            unit_q: unit_q.to_string(),
            categories: CategoryChoice::new(catalogue, lang),
            today: today.format("%Y-%m-%d").to_string(),
            description_max: limits::DESCRIPTION_MAX,
            description_min: limits::DESCRIPTION_MIN,
            staff_description_max: limits::STAFF_DESCRIPTION_MAX,
            uploads: upload_notes(state, lang),
            file_error: None,
        })
    }

    /// The same page with a message about the files.
    pub fn with_file_error(self, message: String) -> Self {
        Self {
            file_error: Some(message),
            ..self
        }
    }
}

/// `public/receipt`: the receipt code, shown once.
#[derive(Serialize)]
pub struct ReceiptView {
    pub groups: Vec<String>,
    pub code: String,
    /// The report's track and the dates the reporter can expect (the receipt slip).
    pub track: String,
    pub dates: Vec<super::status::DateLine>,
    /// Whom to call: the hotline of the corporation the report's unit belongs to.
    pub hotline: Option<crate::web::hotlines::HotlineView>,
}

impl ReceiptView {
    /// The code in groups and as one line, with what the reporter can expect.
    pub fn build(code: &ReceiptCode, slip: super::status::Slip) -> Self {
        Self {
            groups: code.grouped(),
            code: code.display(),
            track: slip.track,
            dates: slip.dates,
            hotline: slip.hotline,
        }
    }
}

/// `public/follow_up`: the receipt form.
#[derive(Serialize)]
pub struct FollowUpView {
    pub error: Option<String>,
}

/// `public/status`: the report, the reply form and the file form.
#[derive(Serialize)]
pub struct StatusPageView {
    pub report: StatusView,
    pub reply: String,
    pub reply_error: Option<String>,
    pub reply_max: usize,
    pub file_error: Option<String>,
    pub uploads: UploadNotes,
}

impl StatusPageView {
    /// The page with empty forms (reading it marks staff messages read).
    pub async fn load(state: &AppState, report_id: i32, lang: Lang) -> AppResult<Self> {
        Ok(Self {
            report: service::status_view(state, report_id, lang).await?,
            reply: String::new(),
            reply_error: None,
            reply_max: limits::REPLY_MAX,
            file_error: None,
            uploads: upload_notes(state, lang),
        })
    }
}

/// The disclosure form's fields as typed.
#[derive(Serialize, Default)]
pub struct IdentityFields {
    pub full_name: String,
    pub address: String,
    pub phone: String,
}

/// `public/disclose`: an anonymous reporter gives their identity.
#[derive(Serialize)]
pub struct DiscloseView {
    pub form: IdentityFields,
    /// Field name → message.
    pub errors: Value,
}

impl DiscloseView {
    /// The form with what was typed and the messages of `errors`.
    pub fn build(lang: Lang, form: IdentityFields, errors: &FieldErrors) -> Self {
        Self {
            form,
            errors: translate(lang, errors),
        }
    }
}
