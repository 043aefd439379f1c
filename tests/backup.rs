//! Backup and restore (`conduct-portal backup --to`, `restore --from`; issue 13 item 4): a
//! backup taken while reports keep arriving restores every report, file, message and audit
//! entry of its snapshot exactly, with an intact audit trail; erasures recorded after it are
//! replayed; damaged backups and non-empty targets are refused; keys and the erasure ledger
//! never enter a backup.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use conduct_portal::app::{self, LaunchError};
use conduct_portal::case_management::retention::{self, identity, purge, Origin};
use conduct_portal::domain::roles::Role;
use conduct_portal::platform::audit::{self, CheckpointVerification, Verification};
use conduct_portal::platform::backup::{self, Backup, BackupError, Manifest, Silent};
use conduct_portal::platform::clock::FixedClock;
use conduct_portal::platform::config::Config;
use conduct_portal::platform::persistence::entities::{
    audit_log, case_event, evidence_file, message, report, report_key, reporter_identity,
};
use conduct_portal::platform::privacy::{Erasure, Ledger, LedgerEntry};
use rocket::http::Status;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::support::*;

const INSPECTOR: &str = "sao.luu@evn.vn";

fn pdf(marker: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n({marker})\n%%EOF\n").into_bytes()
}

/// Files a report with one attached file and returns its receipt code.
async fn report_with_file(app: &TestApp, marker: &str, name: &str, bytes: &[u8]) -> String {
    let unit = unit_id(app, "PCHK-PGDHANGBAC").await.to_string();
    let category = category_id(app, "rude").await.to_string();
    let description =
        format!("Nhân viên thu tiền điện đòi thêm tiền mới ghi hoá đơn, mã ghi nhớ {marker}.");
    let fields = [
        ("unit_id", unit.as_str()),
        ("occurred_on", "2026-11-20"),
        ("category_id", category.as_str()),
        ("description", description.as_str()),
        ("identity", "anonymous"),
    ];
    let file = Part {
        field: "files",
        file_name: name,
        bytes,
    };
    let response = app.post_multipart("/report", &fields, &[file]).await;
    assert_eq!(response.status(), Status::SeeOther, "report with {name}");
    let (_, receipt) = app.get_text("/report/receipt").await;
    receipt_from(&receipt).expect("a receipt code")
}

/// The reporter of `code` replies on the follow-up page.
async fn reply(app: &TestApp, code: &str, body: &str) {
    assert_eq!(open_follow_up(app, code).await, Status::SeeOther);
    let response = app.post_form("/follow-up/reply", &[("body", body)]).await;
    assert_eq!(response.status(), Status::SeeOther, "reply {body}");
}

async fn download(app: &TestApp, path: &str) -> (Status, Vec<u8>) {
    let response = app.client.get(path.to_string()).dispatch().await;
    let status = response.status();
    (status, response.into_bytes().await.unwrap_or_default())
}

/// Every row of the tables a restore must bring back identically, by table and id.
async fn compared_rows(conn: &DatabaseConnection) -> BTreeMap<&'static str, BTreeMap<i32, String>> {
    macro_rules! by_id {
        ($entity:ident) => {
            $entity::Entity::find()
                .all(conn)
                .await
                .unwrap()
                .into_iter()
                .map(|row| (row.id, format!("{row:?}")))
                .collect::<BTreeMap<i32, String>>()
        };
    }
    BTreeMap::from([
        ("report", by_id!(report)),
        ("evidence_file", by_id!(evidence_file)),
        ("message", by_id!(message)),
        ("case_event", by_id!(case_event)),
        ("audit_log", by_id!(audit_log)),
    ])
}

/// Takes a backup of `app` into `dir` while reports keep arriving through the web form (the
/// writer runs until the backup has finished); returns the manifest and how many were sent.
async fn back_up_while_reports_arrive(app: &TestApp, dir: &Path) -> (Manifest, usize) {
    let done = AtomicBool::new(false);
    let sent = AtomicUsize::new(0);
    let writer = async {
        while !done.load(Ordering::SeqCst) {
            submit_anonymous(
                app,
                "Nhân viên ghi chỉ số công tơ sai, gửi trong lúc sao lưu đang chạy.",
            )
            .await;
            sent.fetch_add(1, Ordering::SeqCst);
        }
    };
    let backup = async {
        // Reports are already flowing when the snapshot begins.
        while sent.load(Ordering::SeqCst) < 2 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let state = app.state();
        let manifest = backup::take(
            &state.config,
            &state.db,
            &state.evidence.store,
            state.clock.as_ref(),
            dir,
            &Silent,
        )
        .await
        .unwrap();
        done.store(true, Ordering::SeqCst);
        manifest
    };
    let ((), manifest) = tokio::join!(writer, backup);
    (manifest, sent.load(Ordering::SeqCst))
}

/// What `conduct-portal restore` does, step by step: check the backup, restore it into the
/// empty `target`, open the portal's database as start-up does, replay the ledger from the
/// backup's time, compare, verify the audit trail, finish. Returns the backup and how many
/// ledger entries erased something.
async fn restore_into(
    target: &EmptyTarget,
    dir: &Path,
    ledger: &Path,
) -> Result<(Backup, usize), BackupError> {
    let opened = Backup::open(dir, &Silent).await?;
    let config = Config::from_figment(&target.figment()).unwrap();
    let entries = Ledger::new(ledger.to_path_buf())
        .since(opened.replay_from())
        .unwrap();
    backup::restore(&config, &opened, &Silent).await?;
    let clock = Arc::new(FixedClock::at(t0()));
    let (_, state) = app::prepare(target.figment(), clock).await.unwrap();
    let (entries, _) = backup::entries_to_replay(state.db.conn(), entries)
        .await
        .unwrap();
    let changed = retention::replay(&state, &entries).await.unwrap();
    backup::changes_since_backup(state.db.conn(), &opened.manifest).await?;
    let verified = backup::verify_audit(state.db.conn(), &opened.manifest)
        .await
        .unwrap();
    assert!(
        matches!(verified, CheckpointVerification::Intact { .. }),
        "{verified:?}"
    );
    state.db.conn().clone().close().await.unwrap();
    backup::finish(&config.data_dir).await?;
    Ok((opened, changed))
}

fn ledger_of(app: &TestApp) -> Ledger {
    let config = &app.state().config;
    Ledger::new(config.privacy.ledger_path(&config.data_dir))
}

fn object_file(app: &TestApp, name: &str) -> PathBuf {
    app.data_dir.path().join("objects").join(name)
}

#[rocket::async_test]
async fn a_backup_taken_while_reports_arrive_restores_every_report_file_message_and_audit_entry() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, INSPECTOR, &[Role::Inspector]).await;
    let mut codes = Vec::new();
    for n in 0..3 {
        let (name, bytes) = match n {
            0 => ("anh.jpg", jpeg_with_exif("GPS-SAOLUU")),
            _ => ("hoa-don.pdf", pdf(&format!("TEPSAOLUU{n}"))),
        };
        let code = report_with_file(&app, &format!("SAOLUU{n}"), name, &bytes).await;
        reply(
            &app,
            &code,
            &format!("Tôi bổ sung TRALOISAOLUU{n} vào hôm sau."),
        )
        .await;
        codes.push(code);
    }
    // Development keys and an erasure ledger in the data directory: neither may be copied.
    let keys = app.data_dir.path().join("keys");
    std::fs::create_dir_all(&keys).unwrap();
    std::fs::write(keys.join("rocket_master_key.key"), MASTER_KEY).unwrap();
    std::fs::write(keys.join("rocket_receipt_key.key"), RECEIPT_KEY).unwrap();
    let old = LedgerEntry {
        at: t0() - chrono::Duration::days(30),
        kind: Erasure::IdentityWithdrawal,
        report: 424_242,
    };
    ledger_of(&app).append(&old).unwrap();
    let before = compared_rows(app.state().db.conn()).await;

    let work = scratch_dir();
    let dir = work.path().join("nightly");
    let (manifest, sent) = back_up_while_reports_arrive(&app, &dir).await;
    let after = compared_rows(app.state().db.conn()).await;
    assert!(sent >= 2, "reports arrived while the backup ran");
    assert!(
        (before["report"].len() as u64 + 2..=after["report"].len() as u64)
            .contains(&manifest.rows("report")),
        "the snapshot holds the reports sent before it began, and no report it never saw"
    );
    assert_eq!(manifest.rows("evidence_file"), 3, "three files");
    assert_eq!(manifest.objects().count(), 4, "three and a cleaned copy");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only its owner may read the backup");
    }
    let tree = read_tree(&dir);
    for secret in [MASTER_KEY, RECEIPT_KEY, SECRET_KEY] {
        assert!(!contains(&tree, secret.as_bytes()), "a key in hexadecimal");
        assert!(
            !contains(&tree, &hex::decode(secret).unwrap()),
            "a key's bytes"
        );
    }
    assert!(
        !contains(&tree, b"424242") && !contains(&tree, b"identity_withdrawal"),
        "the erasure ledger"
    );

    let target = EmptyTarget::new().await;
    let ledger = ledger_of(&app);
    let (opened, changed) = restore_into(&target, &dir, ledger.path()).await.unwrap();
    assert_eq!(opened.manifest, manifest);
    assert_eq!(changed, 0, "nothing was erased after the backup");
    let restored = TestApp::spawn_on(target, no_two_factor).await;
    let conn = restored.state().db.conn();
    assert_eq!(
        audit::verify(conn).await.unwrap(),
        Verification::Intact {
            entries: manifest.rows("audit_log")
        }
    );
    let restored_rows = compared_rows(conn).await;
    for (table, rows) in &restored_rows {
        assert_eq!(rows.len() as u64, manifest.rows(table), "{table}: count");
        for (id, row) in rows {
            assert_eq!(after[table].get(id), Some(row), "{table} {id} identical");
        }
        for id in before[table].keys() {
            assert!(rows.contains_key(id), "{table} {id} from before the backup");
        }
    }
    for file in evidence_file::Entity::find().all(conn).await.unwrap() {
        for name in std::iter::once(&file.object_key).chain(&file.cleaned_object_key) {
            assert_eq!(
                std::fs::read(object_file(&restored, name)).unwrap(),
                std::fs::read(object_file(&app, name)).unwrap(),
                "object {name} byte for byte"
            );
        }
    }

    // Through the web: the inspector downloads every file the same, the reporters read their
    // replies with their receipt codes.
    sign_in(&app, INSPECTOR).await;
    sign_in(&restored, INSPECTOR).await;
    for file in evidence_file::Entity::find().all(conn).await.unwrap() {
        let path = format!("/cases/{}/files/{}", file.report_id, file.id);
        let (status, original) = download(&app, &path).await;
        assert_eq!(status, Status::Ok, "{path} before");
        assert_eq!(download(&restored, &path).await, (Status::Ok, original));
    }
    for (n, code) in codes.iter().enumerate() {
        assert_eq!(open_follow_up(&restored, code).await, Status::SeeOther);
        let (_, page) = restored.get_text("/follow-up/status").await;
        assert!(page.contains(&format!("TRALOISAOLUU{n}")), "reply {n}");
    }
}

#[rocket::async_test]
async fn a_purge_and_a_withdrawal_after_the_backup_stay_done_after_the_restore() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, INSPECTOR, &[Role::Inspector]).await;
    report_with_file(&app, "XOABOSAOLUU", "hoa-don.pdf", &pdf("TEPXOABO")).await;
    let purged = newest_case(&app).await;
    let kept_code = report_with_file(&app, "GIULAISAOLUU", "bien-ban.pdf", &pdf("TEPGIU")).await;
    let kept = newest_case(&app).await;
    let unit = unit_id(&app, "PCHK-PGDHANGBAC").await.to_string();
    let category = category_id(&app, "rude").await.to_string();
    let mut named = vec![
        ("unit_id", unit.as_str()),
        ("occurred_on", "2026-11-20"),
        ("category_id", category.as_str()),
        (
            "description",
            "Nhân viên thu ngân nhận tiền mặt nhưng không đưa biên lai, RUTTENSAOLUU.",
        ),
    ];
    named.extend(crate::case_management::NAMED);
    submit(&app, &named).await;
    let withdrawn = newest_case(&app).await;
    let state = app.state();
    let purged_objects: Vec<String> = evidence_file::Entity::find()
        .filter(evidence_file::Column::ReportId.eq(purged))
        .all(state.db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.object_key)
        .collect();
    assert_eq!(purged_objects.len(), 1);

    let work = scratch_dir();
    let dir = work.path().join("nightly");
    backup::take(
        &state.config,
        &state.db,
        &state.evidence.store,
        state.clock.as_ref(),
        &dir,
        &Silent,
    )
    .await
    .unwrap();
    // The next day: one case's retention runs out, a denouncer withdraws their identity, and
    // a report filed after the backup is purged too. Each erasure writes its ledger line.
    app.clock.advance(chrono::Duration::days(1));
    assert!(purge::purge(state, purged, Origin::Retention)
        .await
        .unwrap());
    assert!(identity::withdraw(state, withdrawn, Origin::Reporter)
        .await
        .unwrap());
    report_with_file(&app, "SAUSAOLUU", "hoa-don.pdf", &pdf("TEPSAU")).await;
    let later = newest_case(&app).await;
    assert!(purge::purge(state, later, Origin::Retention).await.unwrap());
    let ledger = ledger_of(&app);
    assert_eq!(ledger.entries().unwrap().len(), 3);

    let target = EmptyTarget::new().await;
    let (opened, changed) = restore_into(&target, &dir, ledger.path()).await.unwrap();
    assert_eq!(
        changed, 2,
        "the purge and the withdrawal were applied again"
    );
    let restored = TestApp::spawn_on(target, no_two_factor).await;
    let conn = restored.state().db.conn();
    assert_eq!(
        restored.count("report").await as u64,
        opened.manifest.rows("report"),
        "a purge keeps the case"
    );
    assert!(report::Entity::find_by_id(later)
        .one(conn)
        .await
        .unwrap()
        .is_none());
    for name in &purged_objects {
        assert!(
            dir.join("objects").join(name).exists(),
            "the backup holds object {name}"
        );
        assert!(
            !object_file(&restored, name).exists(),
            "object {name} of the purged report"
        );
    }
    let keys_left = report_key::Entity::find()
        .filter(report_key::Column::ReportId.eq(purged))
        .all(conn)
        .await
        .unwrap();
    assert!(keys_left.is_empty(), "the purged report's data key is gone");
    let identities = reporter_identity::Entity::find()
        .filter(reporter_identity::Column::ReportId.is_in([withdrawn, purged]))
        .all(conn)
        .await
        .unwrap();
    assert!(identities.is_empty(), "the withdrawn identity is gone");
    sign_in(&restored, INSPECTOR).await;
    let (_, page) = restored.get_text(&format!("/cases/{purged}")).await;
    assert!(
        !page.contains("XOABOSAOLUU"),
        "the purged text is unreadable"
    );
    let (_, page) = restored.get_text(&format!("/cases/{withdrawn}")).await;
    assert!(page.contains("RUTTENSAOLUU") && !page.contains("Phạm Thị Tố Giác"));
    let (_, page) = restored.get_text(&format!("/cases/{kept}")).await;
    assert!(
        page.contains("GIULAISAOLUU"),
        "the other report is untouched"
    );
    assert_eq!(
        open_follow_up(&restored, &kept_code).await,
        Status::SeeOther
    );
    let (again, left_out) = backup::entries_to_replay(conn, ledger.entries().unwrap())
        .await
        .unwrap();
    assert_eq!(left_out, 1, "the report filed after the backup");
    let again = retention::replay(restored.state(), &again).await.unwrap();
    assert_eq!(again, 0, "replaying twice erases nothing more");
}

#[rocket::async_test]
async fn a_backup_with_an_altered_missing_or_foreign_file_is_refused_naming_it() {
    let app = TestApp::spawn().await;
    report_with_file(&app, "HONGSAOLUU", "hoa-don.pdf", &pdf("TEPHONG")).await;
    let work = scratch_dir();
    let dir = work.path().join("nightly");
    let state = app.state();
    let manifest = backup::take(
        &state.config,
        &state.db,
        &state.evidence.store,
        state.clock.as_ref(),
        &dir,
        &Silent,
    )
    .await
    .unwrap();
    assert!(Backup::open(&dir, &Silent).await.is_ok());
    let (_, object) = manifest.objects().next().expect("one object");
    let object_path = dir.join(&object.path);
    let original = std::fs::read(&object_path).unwrap();

    let mut altered = original.clone();
    altered[original.len() / 2] ^= 0x01;
    std::fs::write(&object_path, &altered).unwrap();
    let refused = Backup::open(&dir, &Silent).await.unwrap_err();
    assert!(
        matches!(&refused, BackupError::FileHash { path } if *path == object.path),
        "{refused}"
    );
    assert!(refused.to_string().contains(&object.path), "{refused}");

    std::fs::write(&object_path, &original[..original.len() - 1]).unwrap();
    let refused = Backup::open(&dir, &Silent).await.unwrap_err();
    assert!(
        matches!(&refused, BackupError::FileSize { path, .. } if *path == object.path),
        "{refused}"
    );
    std::fs::remove_file(&object_path).unwrap();
    let refused = Backup::open(&dir, &Silent).await.unwrap_err();
    assert!(
        matches!(&refused, BackupError::FileMissing { path } if *path == object.path),
        "{refused}"
    );
    std::fs::write(&object_path, &original).unwrap();

    let snapshot = dir.join(&manifest.database_file);
    let database = std::fs::read(&snapshot).unwrap();
    let mut altered = database.clone();
    let last = altered.len() - 1;
    altered[last] ^= 0x01;
    std::fs::write(&snapshot, &altered).unwrap();
    let refused = Backup::open(&dir, &Silent).await.unwrap_err();
    assert!(
        matches!(&refused, BackupError::FileHash { path } if *path == manifest.database_file),
        "{refused}"
    );
    std::fs::write(&snapshot, &database).unwrap();

    // A manifest that points outside the backup is not followed.
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).unwrap();
    let foreign = text.replace(&format!("\"{}\"", object.path), "\"../../etc/passwd\"");
    std::fs::write(&manifest_path, foreign).unwrap();
    let refused = Backup::open(&dir, &Silent).await.unwrap_err();
    assert!(matches!(refused, BackupError::BadManifest(_)), "{refused}");
    std::fs::remove_file(&manifest_path).unwrap();
    let refused = Backup::open(&dir, &Silent).await.unwrap_err();
    assert!(
        matches!(refused, BackupError::NoManifest { .. }),
        "{refused}"
    );
    std::fs::write(&manifest_path, text).unwrap();
    assert!(Backup::open(&dir, &Silent).await.is_ok(), "whole again");
}

#[rocket::async_test]
async fn a_backup_goes_only_into_an_empty_directory_and_a_restore_only_into_an_empty_portal() {
    let app = TestApp::spawn().await;
    report_with_file(&app, "DAYSAOLUU", "hoa-don.pdf", &pdf("TEPDAY")).await;
    let state = app.state();
    let work = scratch_dir();
    let busy = work.path().join("busy");
    std::fs::create_dir_all(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), "not a backup").unwrap();
    let take = |dir: PathBuf| async move {
        backup::take(
            &state.config,
            &state.db,
            &state.evidence.store,
            state.clock.as_ref(),
            &dir,
            &Silent,
        )
        .await
    };
    let refused = take(busy.clone()).await.unwrap_err();
    assert!(matches!(&refused, BackupError::DirectoryNotEmpty(d) if *d == busy));
    assert_eq!(
        std::fs::read_dir(&busy).unwrap().count(),
        1,
        "nothing added"
    );
    let dir = work.path().join("nightly");
    take(dir.clone()).await.unwrap();
    let opened = Backup::open(&dir, &Silent).await.unwrap();

    // Into the portal it came from: its store and database hold data.
    let refused = backup::restore(&state.config, &opened, &Silent)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, BackupError::TargetNotEmpty(_)),
        "{refused}"
    );

    // An empty database, but an object store with something in it.
    let target = EmptyTarget::new().await;
    let stray = target.data_dir.path().join("objects").join("evidence");
    std::fs::create_dir_all(&stray).unwrap();
    std::fs::write(stray.join("0123456789abcdef"), b"left over").unwrap();
    let config = Config::from_figment(&target.figment()).unwrap();
    let refused = backup::restore(&config, &opened, &Silent)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, BackupError::TargetNotEmpty(m) if m.contains("evidence store")),
        "{refused}"
    );

    // An empty portal given other keys: they could read nothing, so nothing is restored.
    let target = EmptyTarget::new().await;
    let other_keys = target
        .figment()
        .merge(("master_key", "44".repeat(32)))
        .merge(("receipt_key", "55".repeat(32)));
    let config = Config::from_figment(&other_keys).unwrap();
    let refused = backup::restore(&config, &opened, &Silent)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, BackupError::Keys(m) if m.contains("master key")),
        "{refused}"
    );
    assert!(backup::unfinished(target.data_dir.path()).is_none());

    // A portal does not serve from a data directory whose restore has not finished.
    std::fs::write(target.data_dir.path().join(backup::UNFINISHED), "").unwrap();
    let clock = Arc::new(FixedClock::at(t0()));
    match app::build(target.figment(), clock).await {
        Err(LaunchError::UnfinishedRestore(marker)) => {
            assert_eq!(marker, target.data_dir.path().join(backup::UNFINISHED))
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("served during an unfinished restore"),
    }
}

/// Runs the real binary with the suite's keys against `data_dir` and `database_url`.
fn run_cli(data_dir: &Path, database_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_conduct-portal"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ROCKET_DATA_DIR", data_dir)
        .env("ROCKET_DATABASE_URL", database_url)
        .env("ROCKET_MASTER_KEY", MASTER_KEY)
        .env("ROCKET_RECEIPT_KEY", RECEIPT_KEY)
        .env("ROCKET_SECRET_KEY", SECRET_KEY)
        .env("ROCKET_ARGON2_TEST_COST", "true")
        .env("CONDUCT_LOG", "error")
        .output()
        .unwrap()
}

#[rocket::async_test]
async fn the_command_line_backs_up_and_restores_with_a_verified_audit_trail() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let team = team_at(&app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(&app, team, INSPECTOR, &[Role::Inspector]).await;
    let code = report_with_file(&app, "DONGLENH", "hoa-don.pdf", &pdf("TEPDONGLENH")).await;
    let case = newest_case(&app).await;
    let work = scratch_dir();
    let dir = work.path().join("nightly");
    let dir_text = dir.display().to_string();

    let out = run_cli(
        app.data_dir.path(),
        &app.database_url,
        &["backup", "--to", &dir_text],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Backup written to"), "{stdout}");
    assert!(dir.join("manifest.json").exists());

    let target = EmptyTarget::new().await;
    let out = run_cli(
        target.data_dir.path(),
        &target.database_url,
        &["restore", "--from", &dir_text],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Audit trail intact"), "{stdout}");
    assert!(stdout.contains("Restore finished"), "{stdout}");

    let out = run_cli(
        target.data_dir.path(),
        &target.database_url,
        &["restore", "--from", &dir_text],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("refusing to restore"), "{stderr}");

    let restored = TestApp::spawn_on(target, no_two_factor).await;
    sign_in(&restored, INSPECTOR).await;
    let (_, page) = restored.get_text(&format!("/cases/{case}")).await;
    assert!(page.contains("DONGLENH"), "the report's text is readable");
    let file = evidence_file::Entity::find()
        .one(restored.state().db.conn())
        .await
        .unwrap()
        .unwrap();
    let (status, bytes) = download(&restored, &format!("/cases/{case}/files/{}", file.id)).await;
    assert_eq!((status, bytes), (Status::Ok, pdf("TEPDONGLENH")));
    assert_eq!(open_follow_up(&restored, &code).await, Status::SeeOther);
}
