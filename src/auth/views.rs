//! What the `/staff` sign-in and account pages show: one typed view per template under
//! `templates/staff/`, built from the signed-in user and the service's answers. Used only by
//! `auth::routes`; field names are exactly those the templates read.

use serde::Serialize;
use serde_json::Value;

use super::guards::{SignedIn, StaffUser};
use super::service;
use super::session::Stage;
use super::totp;
use crate::domain::report::FieldErrors;
use crate::domain::roles::Role;
use crate::platform::persistence::entities::{setup_token, staff_session};
use crate::web::error::AppResult;
use crate::web::format::local_time;
use crate::web::forms::translate;
use crate::web::i18n::Lang;
use crate::web::state::AppState;

/// `staff/sign_in`: the e-mail as typed and the refusal, if any.
#[derive(Serialize)]
pub struct SignInView {
    pub email: String,
    pub error: Option<String>,
}

/// `staff/code`: the second-factor form.
#[derive(Serialize)]
pub struct CodeView {
    pub error: Option<String>,
}

/// `staff/password`: the password change, forced at first sign-in or chosen.
#[derive(Serialize)]
pub struct PasswordView {
    pub forced: bool,
    pub error: Option<String>,
}

impl PasswordView {
    /// The form for this session, with the problem's message if any.
    pub fn new(signed_in: &SignedIn, error: Option<String>) -> Self {
        Self {
            forced: signed_in.stage == Stage::ChangePassword,
            error,
        }
    }
}

/// `staff/two_factor`: either "already enabled" or the enrolment form with the pending secret.
#[derive(Serialize, Default)]
pub struct TwoFactorView {
    pub enabled: bool,
    pub required: bool,
    pub qr_svg: String,
    pub secret_text: String,
    pub error: Option<String>,
}

impl TwoFactorView {
    /// The page for a user who has two-factor sign-in on, or else the enrolment form.
    pub async fn load(state: &AppState, signed_in: &SignedIn) -> AppResult<Self> {
        if signed_in.user.totp_enabled {
            return Ok(Self {
                enabled: true,
                ..Self::default()
            });
        }
        Self::enrolment(state, signed_in, None).await
    }

    /// The enrolment form with the pending secret (created on first view) and an error.
    pub async fn enrolment(
        state: &AppState,
        signed_in: &SignedIn,
        error: Option<String>,
    ) -> AppResult<Self> {
        let secret = service::pending_totp_secret(state, &signed_in.user).await?;
        Ok(Self {
            enabled: false,
            required: signed_in.stage == Stage::Enrol,
            qr_svg: totp::qr_svg(&secret, &signed_in.user.email).unwrap_or_default(),
            secret_text: totp::secret_text(&secret),
            error,
        })
    }
}

/// `staff/recovery_codes`: the codes, shown once, and where to go next.
#[derive(Serialize)]
pub struct RecoveryCodesView {
    pub codes: Vec<String>,
    pub next: &'static str,
}

/// The signed-in user on the home page.
#[derive(Serialize)]
pub struct HomeUser {
    pub name: String,
    pub email: String,
}

/// One role badge.
#[derive(Serialize)]
pub struct RoleBadge {
    pub code: &'static str,
    pub name: String,
}

/// `staff/home`: who is signed in and which tiles they see.
#[derive(Serialize)]
pub struct HomeView {
    pub user: HomeUser,
    pub roles: Vec<RoleBadge>,
    pub is_admin: bool,
    pub is_auditor: bool,
    pub is_investigator: bool,
    pub is_team_lead: bool,
    pub is_custodian: bool,
}

impl HomeView {
    /// The home page of `user`, role names in `lang`.
    pub fn build(user: &StaffUser, lang: Lang) -> Self {
        Self {
            user: HomeUser {
                name: user.display_name.clone(),
                email: user.email.clone(),
            },
            roles: user
                .roles
                .iter()
                .map(|r| RoleBadge {
                    code: r.as_str(),
                    name: lang.t(&r.label_key()),
                })
                .collect(),
            is_admin: user.has(Role::Admin),
            is_auditor: user.has(Role::Auditor),
            is_investigator: user.has(Role::Inspector) || user.has(Role::TeamLead),
            is_team_lead: user.has(Role::TeamLead),
            is_custodian: user.has(Role::Custodian),
        }
    }
}

/// One of the user's sessions.
#[derive(Serialize)]
pub struct SessionRow {
    pub id: i32,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub current: bool,
}

/// `staff/sessions`: the user's own sessions, most recently used first.
#[derive(Serialize)]
pub struct SessionsView {
    pub sessions: Vec<SessionRow>,
}

impl SessionsView {
    /// The sessions of `user`, the current one marked.
    pub async fn load(state: &AppState, user: &StaffUser) -> AppResult<Self> {
        let rows = service::sessions_of(state, user.id).await?;
        Ok(Self {
            sessions: rows
                .into_iter()
                .map(|s: staff_session::Model| SessionRow {
                    id: s.id,
                    created_at: local_time(s.created_at),
                    last_seen_at: local_time(s.last_seen_at),
                    expires_at: local_time(s.expires_at),
                    current: s.id == user.session_id,
                })
                .collect(),
        })
    }
}

/// The setup form's fields as typed.
#[derive(Serialize)]
pub struct SetupFields {
    pub email: String,
    pub display_name: String,
}

/// `staff/setup`: the first admin's account or a password for an existing account.
#[derive(Serialize)]
pub struct SetupView {
    pub token: String,
    pub admin: bool,
    pub form: SetupFields,
    /// Field name → message.
    pub errors: Value,
}

impl SetupView {
    /// The form for `setup`, with what was typed and the errors to correct.
    pub fn build(
        lang: Lang,
        token: &str,
        setup: &setup_token::Model,
        form: SetupFields,
        errors: &FieldErrors,
    ) -> Self {
        Self {
            token: token.to_string(),
            admin: setup.purpose == service::SETUP_ADMIN,
            form,
            errors: translate(lang, errors),
        }
    }
}
