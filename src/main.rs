//! `conduct-portal`: with no argument or `serve`, starts the portal; other subcommands are
//! listed by `--help`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// The demo data lives with the developers' tools (devtools/), outside the portal's library;
// `seed-demo` compiles it in here because the binary cannot depend on devtools (which depends
// on this package) without a cycle.
mod cli;
#[path = "../devtools/src/demo/mod.rs"]
#[allow(
    dead_code,
    reason = "the binary uses only `seed`; the rest serves the tests and benchmarks"
)]
mod demo;
use conduct_portal::admin::staff;
use conduct_portal::app::{self, AppState};
use conduct_portal::auth::service::{self, AccountError, NewAccount};
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::audit::Actor;
use conduct_portal::platform::telemetry;
use conduct_portal::web::i18n::Lang;

#[derive(Parser)]
#[command(name = "conduct-portal", version, about = "EVN conduct portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (the default).
    Serve,
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Inspect the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage the staff directory.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Manage encryption keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Write a consistent backup (database snapshot, evidence objects, manifest with SHA-256
    /// sums) into a new or empty directory while the portal serves. Keys and the erasure
    /// ledger are never written into it.
    Backup(cli::backup::BackupArgs),
    /// Restore a backup into an empty database and data directory, replay the erasure ledger
    /// from the backup's time on, and verify the audit trail.
    Restore(cli::backup::RestoreArgs),
    /// Warn about and purge closed cases whose retention period ran out.
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Issue tokens for integrations of the JSON API (also on /admin/api-tokens).
    #[command(subcommand)]
    ApiToken(ApiTokenCommand),
    /// Ask the running portal's /healthz (on ROCKET_ADDRESS and ROCKET_PORT); exits 0 when it
    /// answers. For container health checks on images without curl.
    Healthcheck,
    /// Fill the database with realistic synthetic cases (for demos and benchmarks).
    SeedDemo {
        /// How many reports to create.
        #[arg(long, default_value_t = 1000)]
        reports: u64,
    },
}

#[derive(Subcommand)]
enum ApiTokenCommand {
    /// Issue a token and print it (once).
    Issue(cli::api_token::IssueArgs),
    /// Record a custodian's approval of a scope asked for on a token (cases:text).
    Approve(cli::api_token::ApproveArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from standard input, or with --setup-link a
    /// one-time link (valid 24 h) is printed for the person to set it.
    Add {
        #[arg(long)]
        email: String,
        /// A role (admin, inspector, team_lead, leadership, custodian, operator, auditor);
        /// repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Display name; defaults to the e-mail address.
        #[arg(long)]
        name: Option<String>,
        /// Print a one-time setup link instead of reading a password.
        #[arg(long)]
        setup_link: bool,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Warn the team leads of the purges due within `retention.warn_days`, then purge (by
    /// crypto-shredding) what was warned about long enough ago and is due; held cases stay.
    Run {
        /// Only count, per kind of case, what a run would warn, purge and keep.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Re-wrap every report's data key and every two-factor secret under the current
    /// ROCKET_MASTER_KEY, reporting progress. Set ROCKET_MASTER_KEY to the new key and
    /// ROCKET_PREVIOUS_MASTER_KEYS to the old one, here and on the running servers (which then
    /// read rows under either key, so there is no downtime); when this has finished, drop the
    /// old key everywhere. Safe to interrupt and run again.
    Rotate,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain and report the first broken entry; with --checkpoint, also that
    /// every entry a checkpoint names is still there with its hash, so that entries removed
    /// from the end of the trail are noticed.
    Verify {
        /// A file of lines written by `audit checkpoint`.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Print the chain's head (`seq=… hash=… at=…`) to keep outside the portal; run it on a
    /// schedule (README, "Audit checkpoints").
    Checkpoint {
        /// Also append the line to this file, which must lie outside the data directory.
        #[arg(long)]
        append: Option<PathBuf>,
        /// Also POST the line (text/plain) to this http(s) URL, e.g. a log collector on
        /// another machine; any answer but 2xx is a failure.
        #[arg(long)]
        post: Option<String>,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Import an HR export (UTF-8 CSV, comma-separated, header
    /// employee_number,full_name,unit_code[,position][,active]). All or nothing: with one bad
    /// line nothing is imported and every bad line is listed. Messages are in Vietnamese, or in
    /// English when LANG starts with "en".
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}

/// Makes glibc serve large allocations (Argon2id's 19 MiB, an image being cleaned) from `mmap`
/// and give them back on free. By default glibc raises this threshold after the first such free
/// and keeps later ones on the heap for good, which roughly triples the resident memory of a
/// busy server (README, Performance).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_allocations_to_the_os() {
    // SAFETY: mallopt only sets an allocator parameter; glibc serialises it internally.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_allocations_to_the_os() {}

fn main() -> ExitCode {
    return_large_allocations_to_the_os();
    telemetry::init();
    let cli = Cli::parse();
    // Rocket's runtime reads its own settings (workers, shutdown, …) before any of ours and
    // panics with a backtrace on a bad one: check them all first and say what is wrong in one line.
    if let Err(error) = app::server_settings(&rocket::Config::figment()) {
        eprintln!("conduct-portal cannot start: {}", one_line(&error));
        return ExitCode::FAILURE;
    }
    rocket::execute(run(cli))
}

/// An error and its causes on one console line (settings errors can list several).
fn one_line(error: &dyn std::fmt::Display) -> String {
    let text = error.to_string();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("; ")
}

async fn run(cli: Cli) -> ExitCode {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
        Command::User(UserCommand::Add {
            email,
            roles,
            name,
            setup_link,
        }) => add_user(email, roles, name, setup_link).await,
        Command::Audit(AuditCommand::Verify { checkpoint }) => {
            cli::audit::verify_audit(checkpoint).await
        }
        Command::Audit(AuditCommand::Checkpoint { append, post }) => {
            cli::audit::audit_checkpoint(append, post).await
        }
        Command::Staff(StaffCommand::Import { file }) => import_staff(file).await,
        Command::Keys(KeysCommand::Rotate) => rotate_keys().await,
        Command::Backup(args) => cli::backup::backup(args).await,
        Command::Restore(args) => cli::backup::restore(args).await,
        Command::Retention(RetentionCommand::Run { dry_run }) => retention_run(dry_run).await,
        Command::ApiToken(ApiTokenCommand::Issue(args)) => cli::api_token::issue(args).await,
        Command::ApiToken(ApiTokenCommand::Approve(args)) => cli::api_token::approve(args).await,
        Command::SeedDemo { reports } => seed_demo(reports).await,
        Command::Healthcheck => cli::health::healthcheck().await,
    }
}

fn base_url(figment: &rocket::figment::Figment, state: &AppState) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let config = rocket::Config::try_from(figment).unwrap_or_default();
    format!("http://{}:{}", config.address, config.port)
}

async fn serve() -> ExitCode {
    let rocket = match app::build(rocket::Config::figment(), app::system_clock()).await {
        Ok(rocket) => rocket,
        Err(error) => {
            eprintln!("conduct-portal cannot start: {}", one_line(&error));
            return ExitCode::FAILURE;
        }
    };
    if let Some(state) = rocket.state::<AppState>() {
        if let Err(error) = announce_setup_link(rocket.figment(), state).await {
            eprintln!("conduct-portal cannot start: {}", one_line(&error));
            return ExitCode::FAILURE;
        }
    }
    let listen = rocket::Config::try_from(rocket.figment())
        .map(|c| format!("{}:{}", c.address, c.port))
        .unwrap_or_default();
    match rocket.launch().await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            let message = match error.kind() {
                rocket::error::ErrorKind::Bind(cause) => format!(
                    "conduct-portal cannot start: cannot listen on {listen} ({cause}); is another \
                     server using the port? Set ROCKET_PORT or ROCKET_ADDRESS"
                ),
                rocket::error::ErrorKind::FailedFairings(failed) => {
                    let names: Vec<&str> = failed.iter().map(|f| f.name).collect();
                    format!(
                        "conduct-portal cannot start: {} failed (the templates?)",
                        names.join(", ")
                    )
                }
                other => format!("conduct-portal stopped: {}", one_line(other)),
            };
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// With no administrator yet, prints a one-time link to create the first one. Only the newest
/// link works: issuing it revokes the links printed at earlier start-ups.
async fn announce_setup_link(
    figment: &rocket::figment::Figment,
    state: &AppState,
) -> Result<(), conduct_portal::web::error::AppError> {
    if service::has_admin(state).await? {
        println!("Sign in at {}/staff/sign-in", base_url(figment, state));
        return Ok(());
    }
    let token = service::issue_setup_token(state, service::SETUP_ADMIN, None).await?;
    println!();
    println!("No administrator account exists yet. Open this one-time link (valid 24 hours)");
    println!("to create the first one, then sign in at /staff/sign-in. Links printed at");
    println!("earlier start-ups no longer work:");
    println!();
    println!("    {}/staff/setup/{token}", base_url(figment, state));
    println!();
    println!("(Or run: conduct-portal user add --email you@example.vn --role admin)");
    Ok(())
}

async fn add_user(
    email: String,
    roles: Vec<String>,
    name: Option<String>,
    setup_link: bool,
) -> ExitCode {
    let roles: Result<Vec<Role>, _> = roles.iter().map(|r| r.parse::<Role>()).collect();
    let roles = match roles {
        Ok(roles) => roles,
        Err(error) => {
            eprintln!("{error}; roles are admin, inspector, team_lead, leadership, custodian, operator, auditor");
            return ExitCode::FAILURE;
        }
    };
    let (figment, state) = match app::prepare(rocket::Config::figment(), app::system_clock()).await
    {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("cannot open the portal's database: {}", one_line(&error));
            return ExitCode::FAILURE;
        }
    };
    let password = if setup_link {
        None
    } else {
        if std::io::stdin().is_terminal() {
            eprint!("Password for {email} (12–128 characters): ");
            let _ = std::io::stderr().flush();
        }
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line).is_err() {
            eprintln!("could not read the password from standard input");
            return ExitCode::FAILURE;
        }
        Some(line.trim_end_matches(['\r', '\n']).to_string())
    };
    let created = service::create_account(
        &state,
        &Actor::System,
        NewAccount {
            display_name: name.unwrap_or_else(|| email.clone()),
            email: email.clone(),
            roles,
            password,
            must_change_password: false,
        },
    )
    .await;
    match created {
        Ok(user) => {
            println!("Created account {} (id {}).", user.email, user.id);
            if setup_link {
                match service::issue_setup_token(&state, service::SETUP_PASSWORD, Some(user.id)).await {
                    Ok(token) => println!(
                        "One-time link to set the password (valid 24 hours):\n    {}/staff/setup/{token}",
                        base_url(&figment, &state)
                    ),
                    Err(error) => {
                        eprintln!("could not issue the setup link: {error}");
                        return ExitCode::FAILURE;
                    }
                }
            } else {
                println!("Sign in at {}/staff/sign-in", base_url(&figment, &state));
            }
            ExitCode::SUCCESS
        }
        Err(AccountError::Invalid(field, key)) => {
            eprintln!("{field}: {}", conduct_portal::web::i18n::Lang::En.t(key));
            ExitCode::FAILURE
        }
        Err(AccountError::Internal(error)) => {
            eprintln!("could not create the account: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The language of the command line's messages: English when `LANG` starts with `en`.
fn cli_lang() -> Lang {
    match std::env::var("LANG") {
        Ok(lang) if lang.starts_with("en") => Lang::En,
        _ => Lang::Vi,
    }
}

async fn import_staff(file: PathBuf) -> ExitCode {
    let lang = cli_lang();
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("cannot read {}: {error}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let (_, state) = match app::prepare(rocket::Config::figment(), app::system_clock()).await {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("cannot open the portal's database: {}", one_line(&error));
            return ExitCode::FAILURE;
        }
    };
    match staff::import_staff(&state, &Actor::System, "cli", &bytes).await {
        Ok(Ok(summary)) => {
            let count = |n: usize| n.to_string();
            println!(
                "{}",
                lang.t_args(
                    "admin-staff-import-done",
                    &[
                        ("rows", count(summary.rows)),
                        ("inserted", count(summary.inserted)),
                        ("updated", count(summary.updated)),
                        ("unchanged", count(summary.unchanged)),
                    ],
                )
            );
            ExitCode::SUCCESS
        }
        Ok(Err(bad_lines)) => {
            eprintln!(
                "{}",
                lang.t_args(
                    "admin-staff-import-refused",
                    &[("count", bad_lines.len().to_string())],
                )
            );
            for bad in &bad_lines {
                eprintln!(
                    "{}",
                    lang.t_args(
                        "admin-staff-import-line",
                        &[
                            ("line", bad.line.to_string()),
                            ("reason", bad.message(lang))
                        ],
                    )
                );
            }
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("the import failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn retention_run(dry_run: bool) -> ExitCode {
    let (_, state) = match app::prepare(rocket::Config::figment(), app::system_clock()).await {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("cannot open the portal's database: {}", one_line(&error));
            return ExitCode::FAILURE;
        }
    };
    match conduct_portal::case_management::retention::run::run(&state, dry_run).await {
        Ok(counts) => {
            let verb = if dry_run { "would be" } else { "were" };
            println!(
                "{:<28} {:>7} {:>7} {:>7} {:>7}",
                "kind of case", "warned", "purged", "held", "waiting"
            );
            for (class, c) in &counts {
                println!(
                    "{class:<28} {:>7} {:>7} {:>7} {:>7}",
                    c.warned, c.purged, c.held, c.waiting
                );
            }
            println!("(counts of cases that {verb} warned or purged by this run)");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "the retention run stopped: {error}. What was done stays done; run it again."
            );
            ExitCode::FAILURE
        }
    }
}

async fn seed_demo(reports: u64) -> ExitCode {
    let (_, state) = match app::prepare(rocket::Config::figment(), app::system_clock()).await {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("cannot open the portal's database: {}", one_line(&error));
            return ExitCode::FAILURE;
        }
    };
    match demo::seed(&state, reports).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("seeding failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn rotate_keys() -> ExitCode {
    let (_, state) = match app::prepare(rocket::Config::figment(), app::system_clock()).await {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("cannot open the portal's database: {}", one_line(&error));
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Re-wrapping data keys under master key {}…",
        state.config.master_key.key_id()
    );
    let outcome = conduct_portal::platform::evidence::keys::rotate(
        &state.db,
        &state.config,
        |done, total| {
            println!("  {done}/{total} data keys re-wrapped");
        },
    )
    .await;
    match outcome {
        Ok(rotation) => {
            println!(
                "Done: {} data keys and {} two-factor secrets now under the current master key. \
                 You can remove ROCKET_PREVIOUS_MASTER_KEYS.",
                rotation.data_keys, rotation.totp_secrets
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("key rotation stopped: {error}. Rows done so far stay done; run it again.");
            ExitCode::FAILURE
        }
    }
}
