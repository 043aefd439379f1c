//! `conduct-portal api-token issue --name NAME --scopes cases:read,analytics:read,intake:write
//! [--team ID] [--days N]`: a token for an integration of the JSON API, issued without the web
//! (a CI run, the first integration of a new deployment). Printed once on standard output,
//! stored hashed, audited as the command line's. `cases:text` is only asked for (its request
//! id on standard error); `conduct-portal api-token approve --request ID --custodian EMAIL`
//! records a custodian's approval of it, under that custodian's account, as `/custodian` does.

use std::process::ExitCode;

use conduct_portal::admin::api_tokens::service::{self, TokenInput};
use conduct_portal::app;
use conduct_portal::web::i18n::Lang;

/// The arguments of `api-token issue`.
#[derive(clap::Args)]
pub struct IssueArgs {
    /// The integration's name (the audit trail names it for every call).
    #[arg(long)]
    name: String,
    /// Comma-separated scopes: cases:read, analytics:read, intake:write, cases:text (asked of a
    /// custodian).
    #[arg(long)]
    scopes: String,
    /// The inspection team a cases:read token reads (its id).
    #[arg(long)]
    team: Option<i32>,
    /// Days until it expires (1–366).
    #[arg(long, default_value_t = 30)]
    days: i64,
}

pub async fn issue(args: IssueArgs) -> ExitCode {
    let input = TokenInput {
        name: args.name,
        scopes: args
            .scopes
            .split(',')
            .map(|s| s.trim().to_string())
            .collect(),
        team_id: args.team.map(|t| t.to_string()).unwrap_or_default(),
        days: args.days.to_string(),
    };
    let refused = |errors: &conduct_portal::domain::report::FieldErrors| {
        for (field, key) in errors {
            eprintln!("{field}: {}", Lang::En.t(key));
        }
        ExitCode::FAILURE
    };
    let new = match input.validate() {
        Ok(new) => new,
        Err(errors) => return refused(&errors),
    };
    let (_, state) = match app::prepare(rocket::Config::figment(), app::system_clock()).await {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("cannot open the portal's database: {error}");
            return ExitCode::FAILURE;
        }
    };
    match service::issue(&state, None, &new).await {
        Ok(Ok(issued)) => {
            println!("{}", issued.token);
            for (scope, request) in issued.requests {
                eprintln!("{scope}: waits for a custodian's approval (request {request})");
            }
            ExitCode::SUCCESS
        }
        Ok(Err(errors)) => refused(&errors),
        Err(error) => {
            eprintln!("cannot issue the token: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The arguments of `api-token approve`.
#[derive(clap::Args)]
pub struct ApproveArgs {
    /// The scope request's id (printed by `api-token issue`, listed on /custodian).
    #[arg(long)]
    request: i32,
    /// The e-mail of the custodian's account the approval is recorded under.
    #[arg(long)]
    custodian: String,
    /// A note kept with the decision.
    #[arg(long, default_value = "")]
    note: String,
}

/// Records a custodian's approval of a scope request; refused unless the account is an active
/// custodian's, and never for the custodian's own request.
pub async fn approve(args: ApproveArgs) -> ExitCode {
    use conduct_portal::case_management::api_scopes::decide_as;
    let (_, state) = match app::prepare(rocket::Config::figment(), app::system_clock()).await {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("cannot open the portal's database: {error}");
            return ExitCode::FAILURE;
        }
    };
    let decider = match custodian(&state, &args.custodian).await {
        Ok(Some(decider)) => decider,
        Ok(None) => {
            eprintln!("{} is not an active custodian's account", args.custodian);
            return ExitCode::FAILURE;
        }
        Err(error) => {
            eprintln!("cannot read the account: {error}");
            return ExitCode::FAILURE;
        }
    };
    match decide_as(&state, &decider, args.request, true, &args.note).await {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(key)) => {
            eprintln!("{}", Lang::En.t(key));
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("cannot record the approval: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn custodian(
    state: &conduct_portal::web::state::AppState,
    email: &str,
) -> Result<Option<conduct_portal::case_management::api_scopes::Decider>, sea_orm::DbErr> {
    use conduct_portal::domain::roles::Role;
    use conduct_portal::platform::audit::Actor;
    use conduct_portal::platform::persistence::entities::app_user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let conn = state.db.conn();
    let Some(user) = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.trim().to_lowercase()))
        .filter(app_user::Column::Active.eq(true))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let roles = conduct_portal::auth::sign_in::roles_of(conn, user.id).await?;
    let decider = conduct_portal::case_management::api_scopes::Decider {
        user_id: user.id,
        actor: Actor::User {
            id: user.id,
            email: user.email,
        },
    };
    Ok(roles.contains(&Role::Custodian).then_some(decider))
}
