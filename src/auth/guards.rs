//! Layered request guards: [`SignedIn`] (a live session at any sign-in stage) → [`StaffUser`]
//! (fully signed in) → [`Authorized<R>`] (holds one of the roles of `R`). A handler's signature
//! states who may call it. Without a session the request ends in 401, which the catcher turns
//! into a redirect to sign-in (or to the pending sign-in step); with the wrong role, 403.

use std::marker::PhantomData;

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::session::{self, Stage, SESSION_COOKIE};
use super::sign_in::must_enrol;
use crate::domain::roles::Role;
use crate::platform::persistence::entities::{app_user, staff_session, user_role};
use crate::web::state::AppState;

/// A live session and its (active) user, at whatever sign-in stage.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session: staff_session::Model,
    pub user: app_user::Model,
    pub roles: Vec<Role>,
    pub stage: Stage,
}

pub use crate::web::catchers::ContinueAt;

async fn load(req: &Request<'_>) -> Option<SignedIn> {
    let state = req.rocket().state::<AppState>()?;
    let token = req
        .cookies()
        .get_private(SESSION_COOKIE)?
        .value()
        .to_string();
    let now = state.clock.now();
    let conn = state.db.conn();
    let session = session::find_live(conn, &state.config, &token, now)
        .await
        .ok()
        .flatten()?;
    let user = app_user::Entity::find_by_id(session.user_id)
        .one(conn)
        .await
        .ok()
        .flatten()
        .filter(|user| user.active)?;
    let roles: Vec<Role> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user.id))
        .all(conn)
        .await
        .ok()?
        .into_iter()
        .filter_map(|row| row.role.parse().ok())
        .collect();
    let mut stage = Stage::parse(&session.stage)?;
    // A role that requires two-factor sign-in, given after this session signed in, holds the
    // session at enrolment from the next request on.
    if stage == Stage::Active && must_enrol(&user, &roles, &state.config.two_factor_roles) {
        stage = Stage::Enrol;
    }
    if session::touch(conn, &session, now).await.is_err() {
        return None;
    }
    Some(SignedIn {
        session,
        user,
        roles,
        stage,
    })
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SignedIn {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match req.local_cache_async(load(req)).await {
            Some(signed_in) => Outcome::Success(signed_in.clone()),
            None => Outcome::Error((Status::Unauthorized, ())),
        }
    }
}

/// A fully signed-in staff member.
#[derive(Debug, Clone)]
pub struct StaffUser {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub session_id: i32,
}

impl StaffUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn actor(&self) -> crate::platform::audit::Actor {
        crate::platform::audit::Actor::User {
            id: self.id,
            email: self.email.clone(),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for StaffUser {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let signed_in = match req.guard::<SignedIn>().await {
            Outcome::Success(signed_in) => signed_in,
            _ => return Outcome::Error((Status::Unauthorized, ())),
        };
        if signed_in.stage != Stage::Active {
            req.local_cache(|| ContinueAt(signed_in.stage.path()));
            return Outcome::Error((Status::Unauthorized, ()));
        }
        Outcome::Success(StaffUser {
            id: signed_in.user.id,
            email: signed_in.user.email,
            display_name: signed_in.user.display_name,
            roles: signed_in.roles,
            session_id: signed_in.session.id,
        })
    }
}

/// A set of roles a route admits.
pub trait RoleSet: Send + Sync + 'static {
    const ROLES: &'static [Role];
    /// How a signed-in user without one of the roles is refused. Areas that hold objects
    /// (cases) answer 404, so that nothing about them is revealed; others answer 403.
    const REFUSAL: Status = Status::Forbidden;
}

/// A staff member holding at least one role of `R`.
#[derive(Debug, Clone)]
pub struct Authorized<R: RoleSet> {
    pub user: StaffUser,
    _roles: PhantomData<R>,
}

impl<R: RoleSet> std::ops::Deref for Authorized<R> {
    type Target = StaffUser;
    fn deref(&self) -> &StaffUser {
        &self.user
    }
}

#[rocket::async_trait]
impl<'r, R: RoleSet> FromRequest<'r> for Authorized<R> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let user = match req.guard::<StaffUser>().await {
            Outcome::Success(user) => user,
            Outcome::Error(e) => return Outcome::Error(e),
            Outcome::Forward(s) => return Outcome::Forward(s),
        };
        if R::ROLES.iter().any(|role| user.has(*role)) {
            Outcome::Success(Authorized {
                user,
                _roles: PhantomData,
            })
        } else {
            Outcome::Error((R::REFUSAL, ()))
        }
    }
}
