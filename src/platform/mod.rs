//! Infrastructure every room stands on, with no knowledge of pages or audiences: settings,
//! the clock, cryptography, logging, the database (connection, migrations, entities, reference
//! data), the audit writer, the encrypted evidence store, and backup and restore.
//!
//! Invariants: nothing here imports `web`, `auth` or a slice; secrets come only from settings
//! and are never logged.

pub mod audit;
pub mod backup;
pub mod clock;
pub mod config;
pub mod coordination;
pub mod crypto;
pub mod evidence;
pub mod net;
pub mod notify;
pub mod persistence;
pub mod privacy;
pub mod telemetry;
