//! Deactivating and reactivating an intake channel: channels are deactivated, never deleted
//! (reports name theirs). The pages and routes are the generic ones of `admin::switches`; the
//! transaction and its audit entry are `web::switch`.

use serde_json::json;

use super::{channel_view, ChannelRow};
use crate::platform::persistence::entities::intake_channel;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::state::AppState;
use crate::web::switch::SwitchPage;

impl SwitchPage for intake_channel::Model {
    const LIST: &'static str = "/admin/channels";
    const FLASH_DEACTIVATED: &'static str = "flash-admin-channel-deactivated";
    const FLASH_REACTIVATED: &'static str = "flash-admin-channel-reactivated";
    const CONFIRM_TEMPLATE: &'static str = "admin/channels/confirm";
    type Shown = ChannelRow;

    async fn shown(&self, _state: &AppState, lang: Lang) -> AppResult<ChannelRow> {
        Ok(channel_view(lang, self))
    }
}

crate::switchable!(
    intake_channel,
    "intake_channel",
    "intake_channel_deactivated",
    "intake_channel_reactivated",
    |channel| json!({"code": channel.code})
);
