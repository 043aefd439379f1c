//! `conduct-portal backup --to DIR` and `conduct-portal restore --from DIR [--ledger FILE]`:
//! `platform::backup` with progress bars. The restore also replays the erasure ledger
//! (`case_management::retention::replay`, a slice's work the platform cannot call) and checks
//! the audit trail before it lets the portal serve.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use conduct_portal::app;
use conduct_portal::case_management::retention;
use conduct_portal::platform::audit::{CheckpointVerification, Verification};
use conduct_portal::platform::backup::{self, Backup, Progress, Step};
use conduct_portal::platform::clock::SystemClock;
use conduct_portal::platform::config::{redact_url, Config};
use conduct_portal::platform::evidence::store::EvidenceStore;
use conduct_portal::platform::persistence::Db;
use conduct_portal::platform::privacy::Ledger;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(clap::Args)]
pub struct BackupArgs {
    /// A new or empty directory to write the backup into.
    #[arg(long)]
    to: PathBuf,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// A directory written by `conduct-portal backup`.
    #[arg(long)]
    from: PathBuf,
    /// The erasure ledger kept beside the keys; by default the configured one
    /// (`privacy.erasure_ledger`, else `<data_dir>/erasure-ledger.jsonl`).
    #[arg(long)]
    ledger: Option<PathBuf>,
}

pub async fn backup(args: BackupArgs) -> ExitCode {
    // Not `app::prepare`: a backup only reads, so it never migrates or fixes up the database
    // of a running server (perhaps an older version than this binary).
    let opened = async {
        let config = Config::from_figment(&rocket::Config::figment()).map_err(|e| e.to_string())?;
        let db = Db::connect(&config.database_url, 2)
            .await
            .map_err(|e| format!("{}: {e}", redact_url(&config.database_url)))?;
        let store = EvidenceStore::from_settings(&config.evidence, &config.data_dir)
            .map_err(|e| e.to_string())?;
        Ok::<_, String>((config, db, store))
    };
    let (config, db, store) = match opened.await {
        Ok(opened) => opened,
        Err(error) => {
            eprintln!("cannot open the portal's database: {error}");
            return ExitCode::FAILURE;
        }
    };
    let bars = Bars::default();
    let taken = backup::take(&config, &db, &store, &SystemClock, &args.to, &bars).await;
    let manifest = match taken {
        Ok(manifest) => manifest,
        Err(error) => {
            eprintln!("backup failed: {error}");
            if !matches!(error, backup::BackupError::DirectoryNotEmpty(_)) {
                eprintln!(
                    "{} holds an unfinished backup (it has no manifest.json): delete it.",
                    args.to.display()
                );
            }
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Backup written to {}: {} database, taken at {}, {} reports, {} evidence objects, \
         audit trail up to entry {}.",
        args.to.display(),
        manifest.database.name(),
        manifest
            .taken_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        manifest.rows("report"),
        manifest.objects().count(),
        manifest.audit_head.seq
    );
    if !manifest.objects_missing.is_empty() {
        println!(
            "{} objects named by the snapshot were already deleted when copied (erased after \
             the backup began; the ledger's replay removes their rows on restore).",
            manifest.objects_missing.len()
        );
    }
    println!("The keys and the erasure ledger are not in it: keep them apart (README).");
    ExitCode::SUCCESS
}

pub async fn restore(args: RestoreArgs) -> ExitCode {
    match run_restore(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run_restore(args: RestoreArgs) -> Result<(), String> {
    let bars = Bars::default();
    let backup = Backup::open(&args.from, &bars)
        .await
        .map_err(|e| format!("cannot use {}: {e}", args.from.display()))?;
    let figment = rocket::Config::figment();
    let config = Config::from_figment(&figment).map_err(|e| e.to_string())?;
    let ledger = Ledger::new(
        args.ledger
            .unwrap_or_else(|| config.privacy.ledger_path(&config.data_dir)),
    );
    // Read before anything is written: a damaged ledger stops the restore here.
    let entries = ledger
        .since(backup.replay_from())
        .map_err(|e| format!("refusing to restore: {e}"))?;
    if !ledger.path().exists() {
        println!(
            "WARNING: there is no erasure ledger at {}. Nothing erased after this backup will \
             be erased again. If the portal ran after the backup was taken, stop here and pass \
             --ledger with the ledger kept beside the keys.",
            ledger.path().display()
        );
    }
    let restored = backup::restore(&config, &backup, &bars)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "Restored {} rows in {} tables and {} evidence objects from the backup of {}.",
        restored.rows,
        restored.tables,
        restored.objects,
        backup
            .manifest
            .taken_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    let (_, state) = app::prepare(figment, app::system_clock())
        .await
        .map_err(|e| format!("the restored database cannot be opened: {e}"))?;
    let (entries, newer) = backup::entries_to_replay(state.db.conn(), entries)
        .await
        .map_err(|e| format!("could not read the restored reports: {e}"))?;
    let changed = retention::replay(&state, &entries)
        .await
        .map_err(|e| format!("replaying the erasure ledger failed: {e}"))?;
    println!(
        "Erasure ledger {}: {} entries from {} on replayed, {changed} of them erased something          ({newer} left out: about reports filed after the backup, which it does not hold).",
        ledger.path().display(),
        entries.len(),
        backup
            .replay_from()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    let changes = backup::changes_since_backup(state.db.conn(), &backup.manifest)
        .await
        .map_err(|e| e.to_string())?;
    if !changes.is_empty() {
        println!("Tables changed since the backup by start-up and the replay:");
    }
    for change in &changes {
        println!(
            "  {}: {} rows in the backup, {} now",
            change.table, change.backup, change.now
        );
    }
    let verified = backup::verify_audit(state.db.conn(), &backup.manifest)
        .await
        .map_err(|e| format!("could not read the audit trail: {e}"))?;
    match verified {
        CheckpointVerification::Intact { entries, .. } => println!(
            "Audit trail intact: {entries} entries verified, the backup's newest (entry {}) \
             among them.",
            backup.manifest.audit_head.seq
        ),
        CheckpointVerification::Broken(Verification::BrokenAt { id, reason }) => {
            return Err(format!(
                "Audit trail BROKEN at entry {id} ({reason} does not match)."
            ))
        }
        other => {
            return Err(format!(
                "Audit trail does not hold the backup's newest entry: {other:?}"
            ))
        }
    }
    backup::finish(&config.data_dir)
        .await
        .map_err(|e| e.to_string())?;
    println!("Restore finished: the portal may be started.");
    Ok(())
}

/// One progress bar per step on standard error, hidden when it is not a terminal.
#[derive(Default)]
struct Bars {
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<ProgressBar>> {
        self.current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Progress for Bars {
    fn begin(&self, step: Step, total: Option<u64>) {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(total, target);
        let (label, template) = match step {
            Step::Database => ("database snapshot", "{spinner} {msg} {elapsed}"),
            Step::Hashing => ("hashing", BYTES),
            Step::CopyingObjects => ("objects copied", COUNT),
            Step::Verifying => ("verifying", BYTES),
            Step::RestoringObjects => ("objects restored", COUNT),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(label);
        if total.is_none() {
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        *self.slot() = Some(bar);
    }

    fn advance(&self, done: u64) {
        if let Some(bar) = self.slot().as_ref() {
            bar.inc(done);
        }
    }

    fn end(&self) {
        if let Some(bar) = self.slot().take() {
            bar.finish();
            // Keep the finished bar as a line of its own under the next one.
            if !bar.is_hidden() {
                eprintln!();
            }
        }
    }
}

const BYTES: &str =
    "{msg} [{wide_bar}] {binary_bytes}/{binary_total_bytes} · {binary_bytes_per_sec} · ETA {eta}";
const COUNT: &str = "{msg} [{wide_bar}] {human_pos}/{human_len} · ETA {eta}";
