//! Staff account use cases under one path: sign-in and sessions live in [`super::sign_in`],
//! accounts, setup links, password change and two-factor enrolment in [`super::accounts`].
//! `crate::auth::service::X` keeps working for `admin::users`, the command line, devtools and
//! the tests.

pub use super::accounts::{
    change_password, complete_setup, confirm_enrolment, create_account, find_setup_token,
    has_admin, issue_setup_token, pending_totp_secret, temporary_password, valid_email,
    AccountError, NewAccount, SETUP_ADMIN, SETUP_PASSWORD,
};
pub use super::sign_in::{
    complete_second_factor, next_stage, normalise_email, revoke_own_session, roles_of, sessions_of,
    sign_in, sign_out, SignInOutcome,
};
