//! The one shape of a record with a unique code (a unit's code, a category's code, a canned
//! reply's code, an employee number, an internal labour regulation article's code): the form
//! reports a taken code together with its other mistakes, and an insert (or the edit of a code
//! that may change) that loses a race for the same code answers with the same form error
//! instead of a server error.

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
};

use crate::domain::report::FieldErrors;
use crate::platform::persistence::is_duplicate;
use crate::web::error::AppResult;

/// Where a taken code is reported: the form field and the message key.
#[derive(Debug, Clone, Copy)]
pub struct CodeField {
    pub field: &'static str,
    pub taken: &'static str,
}

impl CodeField {
    /// `validated` as it is when it passed. When it failed, its mistakes plus "taken" on the
    /// code field if `code` (the normalised code, when it is well-formed) is already used, so
    /// the admin fixes everything in one go.
    pub async fn with_taken<T>(
        self,
        validated: Result<T, FieldErrors>,
        code: Option<String>,
        is_taken: impl AsyncFnOnce(&str) -> AppResult<bool>,
    ) -> AppResult<Result<T, FieldErrors>> {
        let Err(mut errors) = validated else {
            return Ok(validated);
        };
        if let Some(code) = code {
            if is_taken(&code).await? {
                errors.insert(self.field, self.taken);
            }
        }
        Ok(Err(errors))
    }

    /// Saves the edited `row`; a unique-key clash becomes "taken" on the code field.
    pub async fn update<A, C>(
        self,
        conn: &C,
        row: A,
    ) -> AppResult<Result<<A::Entity as EntityTrait>::Model, FieldErrors>>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
        C: ConnectionTrait,
    {
        match row.update(conn).await {
            Ok(model) => Ok(Ok(model)),
            Err(e) if is_duplicate(&e) => Ok(Err(FieldErrors::from([(self.field, self.taken)]))),
            Err(e) => Err(e.into()),
        }
    }

    /// Inserts `row`; a unique-key clash becomes "taken" on the code field, added to `errors`.
    pub async fn insert<A, C>(
        self,
        conn: &C,
        row: A,
        mut errors: FieldErrors,
    ) -> AppResult<Result<<A::Entity as EntityTrait>::Model, FieldErrors>>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
        C: ConnectionTrait,
    {
        match row.insert(conn).await {
            Ok(model) => Ok(Ok(model)),
            Err(e) if is_duplicate(&e) => {
                errors.insert(self.field, self.taken);
                Ok(Err(errors))
            }
            Err(e) => Err(e.into()),
        }
    }
}
