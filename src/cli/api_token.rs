//! `conduct-portal api-token issue --name NAME --scopes cases:read,analytics:read [--team ID]
//! [--days N]`: a token for an integration of the JSON API, issued without the web (a CI run,
//! the first integration of a new deployment). Printed once on standard output, stored hashed,
//! audited as the command line's.

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
    /// Comma-separated scopes: cases:read, analytics:read.
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
        Ok(Ok(token)) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        Ok(Err(errors)) => refused(&errors),
        Err(error) => {
            eprintln!("cannot issue the token: {error}");
            ExitCode::FAILURE
        }
    }
}
