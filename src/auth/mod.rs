//! Staff authentication and authorization: passwords, two-factor codes, server-side sessions,
//! sign-in throttling, and the layered request guards through which every back-office route
//! states the roles it admits (deny by default).
//!
//! URL prefix: `/staff` (sign-in, account, sessions, first-admin setup).

pub mod accounts;
pub mod api_reporter;
pub mod api_token;
pub mod device;
pub mod guards;
pub mod limits;
pub mod notify_prefs;
pub mod password;
pub mod reporter;
pub mod roles;
pub mod routes;
pub mod second_factor;
pub mod service;
pub mod session;
pub mod setup;
pub mod sign_in;
pub mod totp;
mod views;

pub use guards::{Authorized, RoleSet, SignedIn, StaffUser};
pub use roles::{
    Admins, Auditors, Custodians, HistoryReaders, Investigators, Leaders, Operators,
    PrivacyReaders, TeamLeads,
};
