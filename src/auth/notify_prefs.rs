//! `/staff/account/notifications`: each staff member chooses how the portal tells them of
//! their cases — at once, in one daily digest, or not at all (`platform::notify::Mode`). The
//! change is audited.

use rocket::form::Form;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use rocket_dyn_templates::Template;
use serde::Serialize;
use serde_json::json;

use super::StaffUser;
use crate::platform::audit::{self, Entry};
use crate::platform::notify::{self, Mode};
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![show_notification_mode, set_notification_mode]
}

/// `staff/notifications`.
#[derive(Debug, Serialize)]
pub struct ModeView {
    pub mode: Mode,
    pub modes: [Mode; 3],
    pub digest_hour: u32,
}

#[get("/staff/account/notifications")]
async fn show_notification_mode(
    page: PageCtx,
    state: &State<AppState>,
    user: StaffUser,
) -> AppResult<Template> {
    let view = ModeView {
        mode: notify::mode_of(state.db.conn(), user.id).await?,
        modes: Mode::ALL,
        digest_hour: state.config.notify.notify_digest_hour,
    };
    Ok(page.render("staff/notifications", view))
}

#[derive(Debug, FromForm)]
struct ModeForm {
    mode: Option<String>,
}

#[post("/staff/account/notifications", data = "<form>")]
async fn set_notification_mode(
    state: &State<AppState>,
    user: StaffUser,
    form: Form<ModeForm>,
) -> AppResult<Flash<Redirect>> {
    let back = Redirect::to("/staff/account/notifications");
    let Some(mode) = form.mode.as_deref().and_then(Mode::parse) else {
        return Ok(Flash::error(back, "error-staff-notify-mode"));
    };
    save(state, &user, mode).await?;
    Ok(Flash::success(back, "flash-staff-notify-saved"))
}

async fn save(state: &AppState, user: &StaffUser, mode: Mode) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    notify::set_mode(&*tx, user.id, mode, now).await?;
    let entry = Entry {
        actor: &user.actor(),
        action: "notification_mode_set",
        object_type: "user",
        object_id: Some(user.id.to_string()),
        details: json!({"mode": mode.as_str()}),
    };
    audit::record_and_commit(tx, now, entry).await?;
    Ok(())
}
