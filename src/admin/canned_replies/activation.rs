//! Deactivating and reactivating a canned reply: replies are deactivated, never deleted. The
//! pages and routes are the generic ones of `admin::switches`; the transaction and its audit
//! entry are `web::switch`.

use serde_json::json;

use super::{reply_view, ReplyRow};
use crate::platform::persistence::entities::canned_reply;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::state::AppState;
use crate::web::switch::SwitchPage;

impl SwitchPage for canned_reply::Model {
    const LIST: &'static str = "/admin/canned-replies";
    const FLASH_DEACTIVATED: &'static str = "flash-admin-canned-deactivated";
    const FLASH_REACTIVATED: &'static str = "flash-admin-canned-reactivated";
    const CONFIRM_TEMPLATE: &'static str = "admin/canned_replies/confirm";
    type Shown = ReplyRow;

    async fn shown(&self, _state: &AppState, lang: Lang) -> AppResult<ReplyRow> {
        Ok(reply_view(lang, self))
    }
}

crate::switchable!(
    canned_reply,
    "canned_reply",
    "canned_reply_deactivated",
    "canned_reply_reactivated",
    |reply| json!({"code": reply.code})
);
