//! Staff account use cases under one path: sign-in and sessions live in [`super::sign_in`] and
//! [`super::second_factor`], accounts, password change and two-factor enrolment in
//! [`super::accounts`], setup links in [`super::setup`].
//! `crate::auth::service::X` keeps working for `admin::users`, the command line, devtools and
//! the tests.

pub use super::accounts::{
    change_password, confirm_enrolment, create_account, pending_totp_secret, temporary_password,
    valid_email, AccountError, NewAccount,
};
pub use super::second_factor::complete_second_factor;
pub use super::setup::{
    complete_setup, find_setup_token, has_admin, issue_setup_token, SetupOutcome, SETUP_ADMIN,
    SETUP_PASSWORD,
};
pub use super::sign_in::{
    must_enrol, next_stage, normalise_email, revoke_own_session, roles_of, sessions_of, sign_in,
    sign_out, Continued, SignInOutcome,
};
