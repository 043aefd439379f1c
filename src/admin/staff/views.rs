//! What the `/admin/staff` pages show: an employee with their unit's path, the paged search
//! list, the add/edit form and the import form with its outcome.

use std::collections::HashMap;

use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::{json, Value};

use super::import::{ImportSummary, Outcome};
use super::service::{self, search_condition, unit_choices, unit_paths};
use crate::admin::staff_import;
use crate::domain::directory::StaffInput;
use crate::domain::ids::StaffId;
use crate::domain::report::FieldErrors;
use crate::platform::persistence::entities::staff_member;
use crate::web::error::AppResult;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::pagination::Pages;
use crate::web::state::AppState;
use crate::web::units::UnitGroup;

/// Employees per page of the list.
pub const PAGE_SIZE: u64 = 50;

/// An employee as the pages show them.
#[derive(Debug, Serialize)]
pub struct StaffView {
    pub id: i32,
    pub employee_number: String,
    pub full_name: String,
    /// The unit's path from the top of the tree.
    pub unit: String,
    pub position: Option<String>,
    /// Holds a managerial post (Labour Code Art. 124: removal from post applies only then).
    pub holds_post: bool,
    pub active: bool,
}

/// `member` with its unit's path from `paths`.
pub fn staff_view(member: &staff_member::Model, paths: &HashMap<i32, String>) -> StaffView {
    StaffView {
        id: member.id,
        employee_number: member.employee_number.clone(),
        full_name: member.full_name.clone(),
        unit: paths.get(&member.unit_id).cloned().unwrap_or_default(),
        position: member.position.clone(),
        holds_post: member.holds_post,
        active: member.active,
    }
}

fn input_of(member: &staff_member::Model) -> StaffInput {
    StaffInput {
        employee_number: member.employee_number.clone(),
        full_name: member.full_name.clone(),
        unit_id: member.unit_id.to_string(),
        position: member.position.clone().unwrap_or_default(),
        holds_post: member.holds_post,
    }
}

/// `admin/staff/list`: one page of the directory, searched.
#[derive(Debug, Serialize)]
pub struct ListView {
    pub staff: Vec<StaffView>,
    pub q: String,
    #[serde(flatten)]
    pub pages: Pages,
}

impl ListView {
    /// Page `page` (clamped) of the employees matching `q`, by folded name then number.
    pub async fn load(state: &AppState, lang: Lang, q: &str, page: Option<u64>) -> AppResult<Self> {
        let mut query = staff_member::Entity::find()
            .order_by_asc(staff_member::Column::FullNameFolded)
            .order_by_asc(staff_member::Column::EmployeeNumber);
        if let Some(condition) = search_condition(q) {
            query = query.filter(condition);
        }
        let paginator = query.paginate(state.db.conn(), PAGE_SIZE);
        let pages = Pages::of(paginator.num_items().await?, PAGE_SIZE, page);
        let members = paginator.fetch_page(pages.page - 1).await?;
        let paths = unit_paths(&service::all_units(state).await?, lang);
        Ok(Self {
            staff: members.iter().map(|m| staff_view(m, &paths)).collect(),
            q: q.trim().to_string(),
            pages,
        })
    }
}

/// `admin/staff/form`: add an employee (no `member`) or edit one.
#[derive(Debug, Serialize)]
pub struct FormView {
    pub member: Option<StaffView>,
    pub form: StaffInput,
    pub errors: Value,
    pub unit_groups: Vec<UnitGroup>,
}

impl FormView {
    /// The form with `input` and `errors`; `member` is the employee being edited, whose unit
    /// stays offered even when it has closed since.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        member: Option<&staff_member::Model>,
        input: StaffInput,
        errors: &FieldErrors,
    ) -> AppResult<Self> {
        let units = service::all_units(state).await?;
        let today = state.clock.today();
        let paths = unit_paths(&units, lang);
        Ok(Self {
            member: member.map(|m| staff_view(m, &paths)),
            form: input,
            errors: translate(lang, errors),
            unit_groups: unit_choices(&units, lang, today, member.map(|m| m.unit_id)),
        })
    }

    /// The edit form of employee `id` with their stored values.
    pub async fn edit(state: &AppState, lang: Lang, id: StaffId) -> AppResult<Self> {
        let member = service::find_staff(state, id.0).await?;
        Self::load(
            state,
            lang,
            Some(&member),
            input_of(&member),
            &FieldErrors::new(),
        )
        .await
    }
}

/// A line of the file that cannot be imported.
#[derive(Debug, Serialize)]
pub struct BadLineView {
    pub line: u64,
    pub reason: String,
}

/// `admin/staff/import`: the import form, with the outcome of an attempt.
#[derive(Debug, Serialize)]
pub struct ImportView {
    /// The largest upload, as text ("2 MiB").
    pub limit: String,
    pub columns: [&'static str; 6],
    pub summary: Option<ImportSummary>,
    pub bad_count: usize,
    pub bad_lines: Vec<BadLineView>,
    /// `{"file": message}` when the upload itself is wrong, else empty.
    pub errors: Value,
    /// Whether the attempt was refused: the page then goes out as 422.
    #[serde(skip)]
    pub refused: bool,
}

/// The largest file the import form takes: Rocket's `file` limit (`file/csv` when set).
fn upload_limit(config: &rocket::Config) -> rocket::data::ByteUnit {
    config
        .limits
        .find(["file", "csv"])
        .unwrap_or(rocket::data::Limits::FILE)
}

impl ImportView {
    /// The form, after `outcome` when there was an attempt.
    pub fn build(lang: Lang, config: &rocket::Config, outcome: Option<Outcome>) -> Self {
        let limit = upload_limit(config).to_string();
        let refused = matches!(outcome, Some(Outcome::BadLines(_) | Outcome::File(_)));
        let (summary, bad, file_error) = match outcome {
            None => (None, Vec::new(), None),
            Some(Outcome::Done(summary)) => (Some(summary), Vec::new(), None),
            Some(Outcome::BadLines(bad)) => (None, bad, None),
            Some(Outcome::File(key)) => (None, Vec::new(), Some(key)),
        };
        let bad_lines: Vec<BadLineView> = bad
            .iter()
            .map(|b| BadLineView {
                line: b.line,
                reason: b.message(lang),
            })
            .collect();
        let errors = match file_error {
            Some(key) => json!({"file": lang.t_args(key, &[("limit", limit.clone())])}),
            None => json!({}),
        };
        Self {
            limit,
            columns: staff_import::COLUMNS,
            summary,
            bad_count: bad_lines.len(),
            bad_lines,
            errors,
            refused,
        }
    }
}
