//! The integration suite: one binary, files mirroring the slices. Every test gets a fresh
//! portal and database (SQLite, or PostgreSQL with `TEST_DATABASE_URL`).

mod support;

mod access_matrix;
mod admin_accounts;
mod admin_directory;
mod admin_labour_rules;
mod admin_reference;
mod analytics;
mod api;
mod api_intake;
mod api_staff;
mod audit;
mod auth;
mod backup;
mod case_management;
mod demo;
mod discipline;
mod evidence;
mod evidence_s3;
mod i18n;
mod inbox_search;
mod intake;
mod migrations;
mod nodes;
mod nodes_process;
mod notifications;
mod personal_data;
mod phone;
mod platform;
mod privacy_notice;
mod procedure;
mod public_reporting;
mod reference_data;
mod startup;
