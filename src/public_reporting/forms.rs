//! HTML forms of the public slice: syntax only. Every field is optional here so a failed
//! submission can always be re-rendered with what the reporter typed; validation happens in
//! [`crate::domain::report`].

use rocket::FromForm;
use serde::Serialize;

use crate::domain::report::ReportInput;

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
