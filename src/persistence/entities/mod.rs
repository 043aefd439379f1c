//! sea-orm entities, one per table. Repositories map them to domain types; an entity is never
//! used as an HTML form or a template context.

pub mod case_event;
pub mod category_article;
pub mod culture_article;
pub mod culture_chapter;
pub mod holiday;
pub mod message;
pub mod org_unit;
pub mod reference_seed;
pub mod report;
pub mod report_key;
pub mod reporter_identity;
pub mod violation_category;
