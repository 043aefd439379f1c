//! `GET /privacy`: the privacy notice (Law on Personal Data Protection No. 91/2025/QH15) for
//! everyone, no account: who the controller is, what each track collects, why and on which
//! legal basis, who sees what, how long it is kept, the person's rights and where to use them.
//!
//! Invariants: the controller, the contact and every retention period come from the settings
//! (`[default.privacy]`, `[default.retention]`), never from the text, so the notice cannot
//! drift from what the portal does; the version shown is `platform::privacy::NOTICE_VERSION`,
//! the one a consent records.

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::Template;
use serde::Serialize;

use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::privacy::{retention_rows, NoticeVersion, RetentionRow};
use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![show_privacy_notice]
}

/// The page `public/privacy`.
#[derive(Debug, Serialize)]
pub struct PrivacyNoticeView {
    /// The controller's name in the reader's language.
    pub controller: String,
    pub contact: String,
    pub retention: Vec<RetentionRow>,
    /// Days before a purge that the team leads are warned.
    pub warn_days: u32,
    /// Idle minutes after which a follow-up session ends.
    pub session_minutes: i64,
    pub notice: NoticeVersion,
}

impl PrivacyNoticeView {
    pub fn new(state: &AppState, lang: Lang) -> Self {
        let privacy = &state.config.privacy;
        Self {
            controller: lang.pick(&privacy.controller_vi, &privacy.controller_en),
            contact: privacy.contact.clone(),
            retention: retention_rows(&state.config.retention, lang),
            warn_days: state.config.retention.warn_days,
            session_minutes: state.config.follow_up_session_minutes,
            notice: NoticeVersion::current(),
        }
    }
}

#[get("/privacy")]
fn show_privacy_notice(page: PageCtx, state: &State<AppState>) -> Template {
    page.render("public/privacy", PrivacyNoticeView::new(state, page.lang))
}
