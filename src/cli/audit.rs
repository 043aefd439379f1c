//! `conduct-portal audit verify [--checkpoint FILE]` and `audit checkpoint [--append FILE]
//! [--post URL]`: the hash chain checked, and its head written where the portal cannot reach.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use conduct_portal::app;
use conduct_portal::platform::audit::{self, CheckpointVerification, Verification};

pub async fn verify_audit(checkpoint_file: Option<PathBuf>) -> ExitCode {
    let checkpoints = match &checkpoint_file {
        None => Vec::new(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|error| error.to_string())
            .and_then(|text| audit::parse_checkpoints(&text))
        {
            Ok(checkpoints) => checkpoints,
            Err(error) => {
                eprintln!("cannot use the checkpoint file {}: {error}", path.display());
                return ExitCode::FAILURE;
            }
        },
    };
    let (_, state) = match app::prepare(rocket::Config::figment(), app::system_clock()).await {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("cannot open the portal's database: {error}");
            return ExitCode::FAILURE;
        }
    };
    match audit::verify_with_checkpoints(state.db.conn(), &checkpoints).await {
        Ok(CheckpointVerification::Intact {
            entries,
            checkpoints,
        }) => {
            if checkpoint_file.is_some() {
                println!(
                    "Audit trail intact: {entries} entries verified, {checkpoints} checkpoints found."
                );
            } else {
                println!("Audit trail intact: {entries} entries verified.");
            }
            ExitCode::SUCCESS
        }
        Ok(CheckpointVerification::Broken(Verification::BrokenAt { id, reason })) => {
            println!("Audit trail BROKEN at entry {id} ({reason} does not match).");
            ExitCode::FAILURE
        }
        Ok(CheckpointVerification::Broken(Verification::Intact { .. })) => ExitCode::FAILURE,
        Ok(CheckpointVerification::Missing { seq, at }) => {
            let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            println!(
                "Audit trail TRUNCATED: entry {seq}, recorded by the checkpoint of {at}, is gone \
                 (entries were removed from the end of the trail)."
            );
            ExitCode::FAILURE
        }
        Ok(CheckpointVerification::Differs { seq, at }) => {
            let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            println!(
                "Audit trail REWRITTEN: entry {seq} no longer has the hash recorded by the \
                 checkpoint of {at}."
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("could not read the audit trail: {error}");
            ExitCode::FAILURE
        }
    }
}

pub async fn audit_checkpoint(append: Option<PathBuf>, post: Option<String>) -> ExitCode {
    if let Some(url) = &post {
        if !url.starts_with("https://") && !url.starts_with("http://") {
            eprintln!("--post needs an http:// or https:// URL, not {url:?}");
            return ExitCode::FAILURE;
        }
    }
    let (_, state) = match app::prepare(rocket::Config::figment(), app::system_clock()).await {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("cannot open the portal's database: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &append {
        if audit::is_inside(&state.config.data_dir, path) {
            eprintln!(
                "refusing to write the checkpoint to {}: it lies inside the data directory {}, \
                 where whoever removes audit entries can remove it too. Keep it elsewhere.",
                path.display(),
                state.config.data_dir.display()
            );
            return ExitCode::FAILURE;
        }
    }
    let line = match audit::checkpoint(state.db.conn(), state.clock.now()).await {
        Ok(point) => point.line(),
        Err(error) => {
            eprintln!("could not read the audit trail: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("{line}");
    if let Some(path) = append {
        if let Err(error) = append_line(&path, &line) {
            eprintln!("cannot append to {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if let Some(url) = post {
        if let Err(error) = post_line(&url, &line).await {
            eprintln!("cannot post the checkpoint to {url}: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// Sends `line` to `url` as a text/plain POST; anything but a 2xx answer is an error.
async fn post_line(url: &str, line: &str) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|error| error.to_string())?;
    let response = client
        .post(url)
        .header("Content-Type", "text/plain; charset=utf-8")
        .body(format!("{line}\n"))
        .send()
        .await
        .map_err(|error| error.to_string())?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("the server answered {}", response.status()))
    }
}

/// Appends `line` to `path` (created when missing) and waits until it is on disk.
fn append_line(path: &std::path::Path, line: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(file, "{line}")?;
    file.sync_all()
}
