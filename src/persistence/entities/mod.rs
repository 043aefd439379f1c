//! sea-orm entities, one per table. Repositories map them to domain types; an entity is never
//! used as an HTML form or a template context.

pub mod app_user;
pub mod audit_log;
pub mod case_event;
pub mod category_article;
pub mod culture_article;
pub mod culture_chapter;
pub mod holiday;
pub mod inspection_team;
pub mod message;
pub mod org_unit;
pub mod recovery_code;
pub mod reference_seed;
pub mod report;
pub mod report_key;
pub mod reporter_identity;
pub mod setup_token;
pub mod staff_member;
pub mod staff_session;
pub mod team_member;
pub mod user_role;
pub mod violation_category;
