//! HTML forms of the public slice: syntax only. Every field is optional here so a failed
//! submission can always be re-rendered with what the reporter typed; validation happens in
//! [`crate::domain::report`].

use rocket::FromForm;
use serde::Serialize;

use super::views::IdentityFields;
use crate::domain::report::{validate_identity_fields, FieldErrors, ReportInput, ReporterIdentity};

#[derive(Debug, Default, FromForm, Serialize)]
pub struct ReportForm {
    pub unit_id: Option<String>,
    pub occurred_on: Option<String>,
    pub occurred_time: Option<String>,
    pub category_id: Option<String>,
    pub description: Option<String>,
    pub staff_name: Option<String>,
    pub staff_number: Option<String>,
    pub staff_description: Option<String>,
    pub identity: Option<String>,
    pub full_name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub escalate: bool,
    pub consent: bool,
    /// The intake channel an operator chose (`intake`); the web form has none and is `web`.
    pub channel: Option<String>,
    /// A caller's phone for the receipt code by SMS, and their agreement (`intake` only).
    pub sms_phone: Option<String>,
    pub sms_agree: bool,
}

impl ReportForm {
    pub fn to_input(&self) -> ReportInput {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        ReportInput {
            unit_id: text(&self.unit_id),
            occurred_on: text(&self.occurred_on),
            occurred_time: text(&self.occurred_time),
            category_id: text(&self.category_id),
            description: text(&self.description),
            staff_name: text(&self.staff_name),
            staff_number: text(&self.staff_number),
            staff_description: text(&self.staff_description),
            identity: text(&self.identity),
            full_name: text(&self.full_name),
            address: text(&self.address),
            phone: text(&self.phone),
            escalate: self.escalate,
            consent: self.consent,
        }
    }
}

#[derive(Debug, FromForm)]
pub struct FollowUpForm {
    pub receipt: Option<String>,
}

#[derive(Debug, FromForm)]
pub struct ReplyForm {
    pub body: Option<String>,
}

/// The identity an anonymous reporter gives after the fact, with the "cannot be undone" tick.
#[derive(Debug, FromForm)]
pub struct DiscloseForm {
    pub full_name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub confirm: bool,
}

impl DiscloseForm {
    /// The identity, when every field is valid and the reporter ticked the confirmation.
    pub fn validate(&self) -> Result<ReporterIdentity, FieldErrors> {
        let fields = self.fields();
        let validated = validate_identity_fields(&fields.full_name, &fields.address, &fields.phone);
        let mut errors = match &validated {
            Ok(_) => FieldErrors::new(),
            Err(errors) => errors.clone(),
        };
        if !self.confirm {
            errors.insert("confirm", "error-disclose-confirm");
        }
        match validated {
            Ok(identity) if errors.is_empty() => Ok(identity),
            _ => Err(errors),
        }
    }

    /// The fields as typed, to show the form again.
    pub fn fields(&self) -> IdentityFields {
        let text = |field: &Option<String>| field.clone().unwrap_or_default();
        IdentityFields {
            full_name: text(&self.full_name),
            address: text(&self.address),
            phone: text(&self.phone),
        }
    }
}
