//! The portal's schema as one portable migration tree for SQLite and PostgreSQL.
//!
//! Rules: append-only once released; the portable DSL only (no per-database SQL); foreign keys
//! declared inside `create_table` (SQLite cannot add them later); enums stored as short strings;
//! every migration has a working `down`. The suite runs the tree up, down to zero and up again.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_reference_data;
mod m20261127_000002_reports;
mod m20261127_000003_staff_accounts;
mod m20261127_000004_investigation;
mod m20261127_000005_performance;
mod m20261127_000006_discipline;
mod m20261127_000007_analytics;
mod m20261127_000008_evidence;
mod m20261207_000001_routing_rule_unique;
mod m20261207_000002_original_requests;
mod m20261207_000003_hearing_absence;
mod m20261208_000001_extension_period_end;
mod m20261208_000002_extension_decision;
mod m20261208_000003_tracks;
mod m20261209_000001_finding_limitation;
mod m20261209_000002_staff_post;
mod m20261209_000003_internal_measures_review;
mod m20261209_000004_dismissal_ground;
mod m20261210_000001_labour_rules;
mod m20261211_000001_procedure;
mod m20261212_000001_personal_data;
mod m20261213_000001_hotlines;
mod m20261214_000001_notifications;
mod m20261215_000001_channels;
mod m20261216_000001_receipt_sms;
mod m20261217_000001_api;
mod m20261218_000001_reference_version;
mod m20261219_000001_api_scopes;
mod m20261220_000001_text_search;
mod m20261221_000001_shared_state;
mod m20261222_000001_name_keys;
mod m20261223_000001_status_counts;
mod m20261223_000002_open_cases;
mod m20261224_000001_open_case_words;

/// The ordered list of migrations applied at launch.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_reference_data::Migration),
            Box::new(m20261127_000002_reports::Migration),
            Box::new(m20261127_000003_staff_accounts::Migration),
            Box::new(m20261127_000004_investigation::Migration),
            Box::new(m20261127_000005_performance::Migration),
            Box::new(m20261127_000006_discipline::Migration),
            Box::new(m20261127_000007_analytics::Migration),
            Box::new(m20261127_000008_evidence::Migration),
            Box::new(m20261207_000001_routing_rule_unique::Migration),
            Box::new(m20261207_000002_original_requests::Migration),
            Box::new(m20261207_000003_hearing_absence::Migration),
            Box::new(m20261208_000001_extension_period_end::Migration),
            Box::new(m20261208_000002_extension_decision::Migration),
            Box::new(m20261208_000003_tracks::Migration),
            Box::new(m20261209_000001_finding_limitation::Migration),
            Box::new(m20261209_000002_staff_post::Migration),
            Box::new(m20261209_000003_internal_measures_review::Migration),
            Box::new(m20261209_000004_dismissal_ground::Migration),
            Box::new(m20261210_000001_labour_rules::Migration),
            Box::new(m20261211_000001_procedure::Migration),
            Box::new(m20261212_000001_personal_data::Migration),
            Box::new(m20261213_000001_hotlines::Migration),
            Box::new(m20261214_000001_notifications::Migration),
            Box::new(m20261215_000001_channels::Migration),
            Box::new(m20261216_000001_receipt_sms::Migration),
            Box::new(m20261217_000001_api::Migration),
            Box::new(m20261218_000001_reference_version::Migration),
            Box::new(m20261219_000001_api_scopes::Migration),
            Box::new(m20261220_000001_text_search::Migration),
            Box::new(m20261221_000001_shared_state::Migration),
            Box::new(m20261222_000001_name_keys::Migration),
            Box::new(m20261223_000001_status_counts::Migration),
            Box::new(m20261223_000002_open_cases::Migration),
            Box::new(m20261224_000001_open_case_words::Migration),
        ]
    }
}
