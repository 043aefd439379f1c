//! Names by id for the staff pages of `/cases` (inbox rows, the case page): categories and units
//! in the reader's language, users by display name. Read once per page, so a page of rows costs
//! three queries rather than three per row.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use crate::platform::persistence::entities::{app_user, org_unit, violation_category};
use crate::web::i18n::Lang;

/// Category, unit and user names by id.
pub struct Names {
    pub categories: HashMap<i32, String>,
    pub units: HashMap<i32, String>,
    pub users: HashMap<i32, String>,
}

impl Names {
    /// Every name, in `lang`.
    pub async fn load<C: ConnectionTrait>(conn: &C, lang: Lang) -> Result<Self, DbErr> {
        let categories = violation_category::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|c| (c.id, lang.pick(&c.name_vi, &c.name_en)))
            .collect();
        let units = org_unit::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, lang.pick(&u.name_vi, &u.name_en)))
            .collect();
        let users = app_user::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        Ok(Self {
            categories,
            units,
            users,
        })
    }

    /// A user's display name, when there is a user.
    pub fn user(&self, id: Option<i32>) -> Option<String> {
        id.and_then(|id| self.users.get(&id).cloned())
    }
}
