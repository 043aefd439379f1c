//! Deactivating and reactivating a category: a category is deactivated, never deleted, so old
//! reports keep theirs. The pages and routes are the generic ones of `admin::switches`; the
//! transaction and its audit entry are `web::switch`.

use serde_json::json;

use super::views::{category_view, CategoryRow};
use crate::platform::persistence::entities::violation_category;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::state::AppState;
use crate::web::switch::SwitchPage;

impl SwitchPage for violation_category::Model {
    const LIST: &'static str = "/admin/categories";
    const FLASH_DEACTIVATED: &'static str = "flash-admin-category-deactivated";
    const FLASH_REACTIVATED: &'static str = "flash-admin-category-reactivated";
    const CONFIRM_TEMPLATE: &'static str = "admin/categories/confirm";
    type Shown = CategoryRow;

    async fn shown(&self, _state: &AppState, lang: Lang) -> AppResult<CategoryRow> {
        Ok(category_view(lang, self, &[]))
    }
}

crate::switchable!(
    violation_category,
    "violation_category",
    "category_deactivated",
    "category_reactivated",
    |category| json!({"code": category.code})
);
