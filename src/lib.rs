//! EVN conduct portal: customers report misconduct by electricity staff, inspection teams
//! investigate, leadership watches trends. See ARCHITECTURE.md for the map.

pub mod admin;
pub mod analytics;
pub mod app;
pub mod audit;
pub mod auth;
pub mod case_management;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod custodian;
pub mod demo;
pub mod discipline;
pub mod domain;
pub mod error;
pub mod evidence;
pub mod health;
pub mod persistence;
pub mod public_reporting;
pub mod staff_import;
pub mod telemetry;
pub mod web;
