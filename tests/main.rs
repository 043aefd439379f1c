//! The integration suite: one binary, files mirroring the slices. Every test gets a fresh
//! portal and database (SQLite, or PostgreSQL with `TEST_DATABASE_URL`).

mod support;

mod admin_accounts;
mod admin_reference;
mod audit;
mod auth;
mod demo;
mod i18n;
mod migrations;
mod platform;
mod public_reporting;
