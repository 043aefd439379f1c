//! Master-key rotation: every report's data key (and every TOTP secret) re-wrapped under the
//! current master key, in small transactions, while the portal keeps serving. Servers started
//! with `ROCKET_PREVIOUS_MASTER_KEYS` read rows under either key, so nothing is unreadable at
//! any moment; the files and texts themselves never need re-encrypting (envelope encryption).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::platform::config::Config;
use crate::platform::crypto;
use crate::platform::persistence::entities::{app_user, report_key};
use crate::platform::persistence::Db;

const BATCH: u64 = 200;

/// Why rotation stopped. Rows already re-wrapped stay re-wrapped; running again resumes.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error(
        "the data key of report {0} is wrapped under master key {1}, which is neither \
         ROCKET_MASTER_KEY nor in ROCKET_PREVIOUS_MASTER_KEYS"
    )]
    UnknownKey(i32, String),
    #[error("the two-factor secret of user {0} opens with no configured master key")]
    TotpUnreadable(i32),
}

/// What a rotation did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rotation {
    pub data_keys: u64,
    pub totp_secrets: u64,
}

/// Re-wraps everything not yet under the current master key; `progress(done, total)` after
/// every batch.
pub async fn rotate(
    db: &Db,
    config: &Config,
    mut progress: impl FnMut(u64, u64),
) -> Result<Rotation, RotateError> {
    let current_id = config.master_key.key_id();
    let stale = || {
        report_key::Entity::find().filter(report_key::Column::MasterKeyId.ne(current_id.clone()))
    };
    let total = stale().count(db.conn()).await?;
    let mut done = 0;
    progress(0, total);
    loop {
        let batch = stale()
            .order_by_asc(report_key::Column::Id)
            .limit(BATCH)
            .all(db.conn())
            .await?;
        if batch.is_empty() {
            break;
        }
        let tx = db.begin_write().await?;
        for row in batch {
            let data_key = config
                .unwrap_report_key(&row)
                .map_err(|_| RotateError::UnknownKey(row.report_id, row.master_key_id.clone()))?;
            let report_id = row.report_id;
            let mut active = row.into_active_model();
            active.wrapped_key = Set(crypto::wrap_data_key(
                &config.master_key,
                report_id,
                &data_key,
            ));
            active.master_key_id = Set(current_id.clone());
            active.update(&*tx).await?;
            done += 1;
        }
        tx.commit().await?;
        progress(done, total);
    }

    let mut totp_secrets = 0;
    let users = app_user::Entity::find()
        .filter(app_user::Column::TotpSecret.is_not_null())
        .all(db.conn())
        .await?;
    for user in users {
        let Some(sealed) = user.totp_secret.clone() else {
            continue;
        };
        let context = crate::platform::crypto::totp_context(user.id);
        if crypto::open(&config.master_key, &context, &sealed).is_ok() {
            continue;
        }
        let plain = config
            .open_with_master(&context, &sealed)
            .map_err(|_| RotateError::TotpUnreadable(user.id))?;
        // Only if the secret is still the one read: a re-enrolment meanwhile wins.
        let tx = db.begin_write().await?;
        let updated = app_user::Entity::update_many()
            .col_expr(
                app_user::Column::TotpSecret,
                sea_orm::sea_query::Expr::value(crypto::seal(&config.master_key, &context, &plain)),
            )
            .filter(app_user::Column::Id.eq(user.id))
            .filter(app_user::Column::TotpSecret.eq(sealed))
            .exec(&*tx)
            .await?;
        tx.commit().await?;
        totp_secrets += updated.rows_affected;
    }
    Ok(Rotation {
        data_keys: done,
        totp_secrets,
    })
}
