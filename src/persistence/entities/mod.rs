//! sea-orm entities, one per table. Repositories map them to domain types; an entity is never
//! used as an HTML form or a template context.

pub mod app_user;
pub mod audit_log;
pub mod canned_reply;
pub mod case_event;
pub mod case_exclusion;
pub mod case_file;
pub mod case_link;
pub mod case_rollup;
pub mod category_article;
pub mod close_histogram;
pub mod commendation;
pub mod commendation_rollup;
pub mod culture_article;
pub mod culture_chapter;
pub mod deadline_extension;
pub mod due_rollup;
pub mod holiday;
pub mod identity_request;
pub mod inspection_team;
pub mod message;
pub mod org_unit;
pub mod recovery_code;
pub mod reference_seed;
pub mod report;
pub mod report_key;
pub mod reporter_identity;
pub mod routing_rule;
pub mod satisfaction_rating;
pub mod setup_token;
pub mod staff_member;
pub mod staff_session;
pub mod team_member;
pub mod user_role;
pub mod violation_category;
