//! `conduct-portal`: with no argument or `serve`, starts the portal; other subcommands are
//! listed by `--help`.

use clap::{Parser, Subcommand};
use conduct_portal::{app, telemetry};

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
}

#[rocket::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
    }
}

async fn serve() -> std::process::ExitCode {
    let rocket = match app::build(rocket::Config::figment(), app::system_clock()).await {
        Ok(rocket) => rocket,
        Err(error) => {
            eprintln!("conduct-portal cannot start: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rocket.launch().await {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("conduct-portal stopped: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
