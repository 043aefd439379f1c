//! Form plumbing shared by every slice: a failed form is shown again with the user's values
//! and one translated message per field.

use serde_json::Value;

use super::i18n::Lang;
pub use crate::domain::report::FieldErrors;

/// Field name → the message in the reader's language, for a template.
pub fn translate(lang: Lang, errors: &FieldErrors) -> Value {
    Value::Object(
        errors
            .iter()
            .map(|(field, key)| ((*field).to_string(), Value::String(lang.t(key))))
            .collect(),
    )
}
