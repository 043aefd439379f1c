//! `/admin/holidays?year=`: public holidays, one row per calendar day off, named in both
//! languages. Working-day deadlines (accept within 7 working days, notify within 5) skip them,
//! so Tết — whose dates change every year — and the day added next to 2/9 are kept here as data
//! an admin corrects when the government publishes its notice. Admins add and delete days
//! (after a confirmation page); a day is a holiday at most once. Deadlines already computed are
//! not recalculated. Every change is audited.

use chrono::{Datelike, NaiveDate};
use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use serde_json::{json, Value};

use crate::auth::{Admins, Authorized, StaffUser};
use crate::domain::calendar::local_date;
use crate::domain::culture_code::parse_date;
use crate::domain::ids::HolidayId;
use crate::domain::report::{clean_text, FieldErrors};
use crate::platform::audit::{self, Entry};
use crate::platform::persistence::entities::holiday;
use crate::platform::persistence::is_duplicate;
use crate::web::error::{AppError, AppResult};
use crate::web::format::show_date;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::page::{AppResultPage, PageCtx};
use crate::web::state::AppState;

/// The routes of this screen.
pub fn routes() -> Vec<Route> {
    routes![
        list_holidays,
        new_holiday,
        create_holiday,
        confirm_delete_holiday,
        delete_holiday,
    ]
}

/// Longest holiday name, in either language (the column's width).
pub const NAME_MAX: usize = 200;
/// The years the screen pages through.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// The holiday form's fields as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HolidayInput {
    pub day: String,
    pub name_vi: String,
    pub name_en: String,
}

/// A holiday to add, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHoliday {
    pub day: NaiveDate,
    pub name_vi: String,
    pub name_en: String,
}

fn name(errors: &mut FieldErrors, field: &'static str, raw: &str) -> String {
    let text = clean_text(raw);
    if text.is_empty() {
        errors.insert(field, "error-admin-holiday-name-required");
    } else if text.chars().count() > NAME_MAX {
        errors.insert(field, "error-admin-holiday-name-long");
    }
    text
}

impl HolidayInput {
    /// Validates a new holiday; whether the day is free is checked against the database.
    pub fn validate(&self) -> Result<NewHoliday, FieldErrors> {
        let mut errors = FieldErrors::new();
        let day = parse_date(&mut errors, "day", &self.day);
        if day.is_some_and(|d| !YEARS.contains(&d.year())) {
            errors.insert("day", "error-admin-holiday-year-range");
        }
        let name_vi = name(&mut errors, "name_vi", &self.name_vi);
        let name_en = name(&mut errors, "name_en", &self.name_en);
        match day {
            Some(day) if errors.is_empty() => Ok(NewHoliday {
                day,
                name_vi,
                name_en,
            }),
            _ => Err(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// The catalogue keys of the weekdays, Monday first.
const WEEKDAYS: [&str; 7] = [
    "admin-holiday-weekday-mon",
    "admin-holiday-weekday-tue",
    "admin-holiday-weekday-wed",
    "admin-holiday-weekday-thu",
    "admin-holiday-weekday-fri",
    "admin-holiday-weekday-sat",
    "admin-holiday-weekday-sun",
];

/// A holiday as the pages show it.
#[derive(Debug, Serialize)]
pub struct HolidayView {
    pub id: i32,
    /// The day as people read it.
    pub date: String,
    /// The day as `YYYY-MM-DD`, for `<time datetime>`.
    pub iso: String,
    pub weekday: Option<String>,
    /// Saturday or Sunday: a day off anyway.
    pub weekend: bool,
    pub name_vi: String,
    pub name_en: String,
}

impl HolidayView {
    fn build(lang: Lang, day: &holiday::Model) -> Self {
        let weekday = day.day.weekday().num_days_from_monday() as usize;
        Self {
            id: day.id,
            date: show_date(day.day),
            iso: day.day.to_string(),
            weekday: WEEKDAYS.get(weekday).map(|key| lang.t(key)),
            weekend: weekday >= 5,
            name_vi: day.name_vi.clone(),
            name_en: day.name_en.clone(),
        }
    }
}

/// `admin/holidays/list`: one year's holidays.
#[derive(Debug, Serialize)]
pub struct ListView {
    pub year: i32,
    pub prev: Option<i32>,
    pub next: Option<i32>,
    pub count: usize,
    pub holidays: Vec<HolidayView>,
    /// Holidays that fall on a weekday, the ones that move deadlines.
    pub weekdays: usize,
}

impl ListView {
    /// The holidays of `year` (this year by default), by day.
    async fn load(state: &AppState, lang: Lang, year: Option<i32>) -> AppResult<Self> {
        let year = chosen_year(state, year)?;
        let (first, last) = match (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) {
            (Some(first), Some(last)) => (first, last),
            _ => return Err(AppError::NotFound),
        };
        let days = holiday::Entity::find()
            .filter(holiday::Column::Day.between(first, last))
            .order_by_asc(holiday::Column::Day)
            .all(state.db.conn())
            .await?;
        let holidays: Vec<HolidayView> = days.iter().map(|d| HolidayView::build(lang, d)).collect();
        Ok(Self {
            year,
            prev: (year > *YEARS.start()).then(|| year - 1),
            next: (year < *YEARS.end()).then(|| year + 1),
            count: holidays.len(),
            weekdays: holidays.iter().filter(|h| !h.weekend).count(),
            holidays,
        })
    }
}

/// `admin/holidays/new`: the form to add a day.
#[derive(Debug, Serialize)]
pub struct NewView {
    /// The year the form came from and returns to.
    pub year: i32,
    pub form: HolidayInput,
    pub errors: Value,
}

impl NewView {
    fn build(lang: Lang, year: i32, input: HolidayInput, errors: &FieldErrors) -> Self {
        Self {
            year,
            form: input,
            errors: translate(lang, errors),
        }
    }
}

/// `admin/holidays/delete`: the confirmation.
#[derive(Debug, Serialize)]
pub struct DeleteView {
    pub holiday: HolidayView,
    pub year: i32,
}

impl DeleteView {
    async fn load(state: &AppState, lang: Lang, id: HolidayId) -> AppResult<Self> {
        let day = find_holiday(state.db.conn(), id.0).await?;
        Ok(Self {
            holiday: HolidayView::build(lang, &day),
            year: day.day.year(),
        })
    }
}

fn list_url(year: i32) -> String {
    format!("/admin/holidays?year={year}")
}

async fn find_holiday<C: ConnectionTrait>(conn: &C, id: i32) -> AppResult<holiday::Model> {
    holiday::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The year asked for, this year by default; a year outside [`YEARS`] is not found.
fn chosen_year(state: &AppState, year: Option<i32>) -> AppResult<i32> {
    let year = year.unwrap_or_else(|| local_date(state.clock.now()).year());
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(AppError::NotFound)
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

#[get("/admin/holidays?<year>")]
async fn list_holidays(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    year: Option<i32>,
) -> AppResult<Template> {
    let view = ListView::load(state, page.lang, year).await?;
    Ok(page.render("admin/holidays/list", view))
}

#[get("/admin/holidays/new?<year>")]
async fn new_holiday(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    year: Option<i32>,
) -> AppResult<Template> {
    let year = chosen_year(state, year)?;
    let view = NewView::build(
        page.lang,
        year,
        HolidayInput::default(),
        &FieldErrors::new(),
    );
    Ok(page.render("admin/holidays/new", view))
}

#[derive(Debug, Default, FromForm)]
struct HolidayForm {
    day: Option<String>,
    name_vi: Option<String>,
    name_en: Option<String>,
}

impl HolidayForm {
    fn to_input(&self) -> HolidayInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        HolidayInput {
            day: text(&self.day),
            name_vi: text(&self.name_vi),
            name_en: text(&self.name_en),
        }
    }
}

#[post("/admin/holidays", data = "<form>")]
async fn create_holiday(
    user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    form: Form<HolidayForm>,
) -> Result<Flash<Redirect>, AppResultPage> {
    let input = form.to_input();
    match create(state, &user, &input)
        .await
        .map_err(AppResultPage::Error)?
    {
        Ok(day) => Ok(Flash::success(
            Redirect::to(list_url(day.year())),
            "flash-admin-holiday-created",
        )),
        Err(errors) => {
            let year = local_date(state.clock.now()).year();
            let view = NewView::build(page.lang, year, input, &errors);
            Err(AppResultPage::Page(page.render_status(
                Status::UnprocessableEntity,
                "admin/holidays/new",
                view,
            )))
        }
    }
}

/// Validates and adds a holiday; returns the day.
async fn create(
    state: &AppState,
    user: &StaffUser,
    input: &HolidayInput,
) -> AppResult<Result<NaiveDate, FieldErrors>> {
    match input.validate() {
        Ok(new) => insert_holiday(state, user, new).await,
        Err(errors) => Ok(Err(errors)),
    }
}

/// Adds a holiday on a day that is not one yet; returns the day.
async fn insert_holiday(
    state: &AppState,
    user: &StaffUser,
    new: NewHoliday,
) -> AppResult<Result<NaiveDate, FieldErrors>> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let taken = FieldErrors::from([("day", "error-admin-holiday-day-taken")]);
    let existing = holiday::Entity::find()
        .filter(holiday::Column::Day.eq(new.day))
        .one(&*tx)
        .await?;
    if existing.is_some() {
        return Ok(Err(taken));
    }
    let inserted = holiday::ActiveModel {
        day: Set(new.day),
        name_vi: Set(new.name_vi.clone()),
        name_en: Set(new.name_en.clone()),
        ..Default::default()
    }
    .insert(&*tx)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(e) if is_duplicate(&e) => return Ok(Err(taken)),
        Err(e) => return Err(e.into()),
    };
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "holiday_created",
            object_type: "holiday",
            object_id: Some(row.id.to_string()),
            details: json!({
                "day": new.day.to_string(),
                "name_vi": new.name_vi,
                "name_en": new.name_en,
            }),
        },
    )
    .await?;
    Ok(Ok(new.day))
}

#[get("/admin/holidays/<id>/delete")]
async fn confirm_delete_holiday(
    _user: Authorized<Admins>,
    page: PageCtx,
    state: &State<AppState>,
    id: HolidayId,
) -> AppResult<Template> {
    let view = DeleteView::load(state, page.lang, id).await?;
    Ok(page.render("admin/holidays/delete", view))
}

#[post("/admin/holidays/<id>/delete")]
async fn delete_holiday(
    user: Authorized<Admins>,
    state: &State<AppState>,
    id: HolidayId,
) -> AppResult<Flash<Redirect>> {
    let day = remove_holiday(state, &user, id).await?;
    Ok(Flash::success(
        Redirect::to(list_url(day.year())),
        "flash-admin-holiday-deleted",
    ))
}

/// Deletes a holiday; returns its day.
async fn remove_holiday(state: &AppState, user: &StaffUser, id: HolidayId) -> AppResult<NaiveDate> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let day = find_holiday(&*tx, id.0).await?;
    holiday::Entity::delete_by_id(id.0).exec(&*tx).await?;
    audit::record_and_commit(
        tx,
        now,
        Entry {
            actor: &user.actor(),
            action: "holiday_deleted",
            object_type: "holiday",
            object_id: Some(id.to_string()),
            details: json!({
                "day": day.day.to_string(),
                "name_vi": day.name_vi,
                "name_en": day.name_en,
            }),
        },
    )
    .await?;
    Ok(day.day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_holiday_is_accepted() {
        let new = HolidayInput {
            day: "2027-09-03".into(),
            name_vi: " Quốc khánh (nghỉ bù) ".into(),
            name_en: "National Day (extra day)".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(new.day, NaiveDate::from_ymd_opt(2027, 9, 3).unwrap());
        assert_eq!(new.name_vi, "Quốc khánh (nghỉ bù)");
    }

    #[test]
    fn every_bad_holiday_field_is_reported() {
        let errors = HolidayInput {
            day: "03/09/2027".into(),
            name_vi: "".into(),
            name_en: "n".repeat(201),
        }
        .validate()
        .unwrap_err();
        assert_eq!(errors["day"], "error-admin-date-invalid");
        assert_eq!(errors["name_vi"], "error-admin-holiday-name-required");
        assert_eq!(errors["name_en"], "error-admin-holiday-name-long");
        let errors = HolidayInput {
            day: "1999-01-01".into(),
            name_vi: "x".into(),
            name_en: "x".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(errors["day"], "error-admin-holiday-year-range");
    }
}
