//! The evidence store's work on both backends: the local file system and a real S3-compatible
//! server (moto, `support::s3`): upload with its cleaned copy, download, key rotation, and the
//! orphan sweep, including multipart uploads a dead process never finished.

use conduct_portal::platform::evidence::{self, store::EvidenceStore};
use conduct_portal::platform::persistence::entities::{evidence_file, report_key};
use rocket::figment::Figment;
use rocket::http::Status;
use sea_orm::EntityTrait;

use crate::support::*;

const GPS: &str = "GPS-21.0285N-105.8542E";

type Adjust = Box<dyn Fn(Figment) -> Figment + Send>;

/// The stores a test runs on: always the local one, and S3 when moto is there.
pub async fn stores(test: &str) -> Vec<(&'static str, Adjust)> {
    let mut out: Vec<(&'static str, Adjust)> = vec![("local", Box::new(|f| f))];
    if let Some(server) = moto(test) {
        let bucket = server.bucket().await;
        out.push(("s3", Box::new(server.settings(&bucket))));
    }
    out
}

/// Files a report with `photo` on `app` and returns its receipt code.
pub async fn report_with_photo(app: &TestApp, photo: &[u8]) -> String {
    let fields = [
        ("unit_id", unit_id(app, "PCHK-PGDHANGBAC").await.to_string()),
        ("occurred_on", "2026-11-20".to_string()),
        ("category_id", category_id(app, "rude").await.to_string()),
        (
            "description",
            "Nhân viên thu tiền điện đòi thêm tiền mới ghi hoá đơn.".to_string(),
        ),
        ("identity", "anonymous".to_string()),
    ];
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let files = [Part {
        field: "files",
        file_name: "IMG_0001.JPG",
        bytes: photo,
    }];
    let response = app.post_multipart("/report", &borrowed, &files).await;
    assert_eq!(response.status(), Status::SeeOther);
    let (_, receipt) = app.get_text("/report/receipt").await;
    receipt_from(&receipt).expect("a receipt code")
}

/// The reporter's download of the first file listed on the follow-up page.
pub async fn reporter_download(app: &TestApp) -> Vec<u8> {
    let (_, page) = app.get_text("/follow-up/status").await;
    let at = page.find("/follow-up/files/").expect("a file link") + "/follow-up/files/".len();
    let id: String = page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let response = app
        .client
        .get(format!("/follow-up/files/{id}"))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
    response.into_bytes().await.unwrap()
}

#[rocket::async_test]
async fn a_photo_is_stored_cleaned_and_downloaded_on_the_local_and_the_s3_store() {
    for (store, adjust) in stores("photo upload").await {
        let app = TestApp::spawn_with(adjust).await;
        assert_eq!(app.state().evidence.store.s3().is_some(), store == "s3");
        let photo = jpeg_with_exif(GPS);
        let code = report_with_photo(&app, &photo).await;
        assert_eq!(
            open_follow_up(&app, &code).await,
            Status::SeeOther,
            "{store}"
        );
        let cleaned = reporter_download(&app).await;
        assert!(cleaned.starts_with(&[0xFF, 0xD8]), "{store}");
        assert!(!contains(&cleaned, GPS.as_bytes()), "{store}: no GPS");

        let state = app.state();
        let row = evidence_file::Entity::find()
            .one(state.db.conn())
            .await
            .unwrap()
            .unwrap();
        let key_row = report_key::Entity::find_by_id(row.report_id)
            .one(state.db.conn())
            .await
            .unwrap()
            .unwrap();
        let data_key = state.config.unwrap_report_key(&key_row).unwrap();
        let original = state
            .evidence
            .store
            .read_all(&row.object_key, &data_key, 1 << 20)
            .await
            .unwrap();
        assert_eq!(original, photo, "{store}: the original, byte for byte");
        let other = conduct_portal::platform::crypto::SecretKey32::generate();
        assert!(
            state
                .evidence
                .store
                .read_all(&row.object_key, &other, 1 << 20)
                .await
                .is_err(),
            "{store}: only ciphertext is stored"
        );
    }
}

#[rocket::async_test]
async fn key_rotation_leaves_files_readable_on_the_local_and_the_s3_store() {
    for (store, adjust) in stores("key rotation").await {
        let app = TestApp::spawn_with(adjust).await;
        let photo = jpeg_with_exif(GPS);
        report_with_photo(&app, &photo).await;
        let state = app.state();
        let mut rotated = state.config.clone();
        rotated.master_key = conduct_portal::platform::crypto::SecretKey32::generate();
        rotated.previous_master_keys = vec![state.config.master_key.clone()];
        let outcome = evidence::keys::rotate(&state.db, &rotated, |_, _| {})
            .await
            .unwrap();
        assert_eq!(outcome.data_keys, 1, "{store}");
        rotated.previous_master_keys.clear();
        let row = evidence_file::Entity::find()
            .one(state.db.conn())
            .await
            .unwrap()
            .unwrap();
        let key_row = report_key::Entity::find_by_id(row.report_id)
            .one(state.db.conn())
            .await
            .unwrap()
            .unwrap();
        let data_key = rotated.unwrap_report_key(&key_row).unwrap();
        for key in [Some(row.object_key.clone()), row.cleaned_object_key.clone()]
            .into_iter()
            .flatten()
        {
            let bytes = state
                .evidence
                .store
                .read_all(&key, &data_key, 1 << 20)
                .await
                .unwrap();
            assert!(bytes.starts_with(&[0xFF, 0xD8]), "{store}: {key}");
        }
    }
}

/// Local staging files of unfinished uploads (`evidence/<name>#<n>`).
fn staged_files(app: &TestApp) -> usize {
    let dir = app.data_dir.path().join("objects").join("evidence");
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter(|e| {
                    e.as_ref()
                        .is_ok_and(|e| e.file_name().to_string_lossy().contains('#'))
                })
                .count()
        })
        .unwrap_or(0)
}

/// Starts an upload and walks away from it as a killed process would: neither finished nor
/// aborted (`forget` skips the clean-up a drop would do).
pub async fn abandon_an_upload(store: &EvidenceStore) {
    let key = conduct_portal::platform::crypto::SecretKey32::generate();
    let mut writer = store.writer(&EvidenceStore::new_key(), &key).await.unwrap();
    writer.write(&vec![7u8; 200_000]).await.unwrap();
    std::mem::forget(writer);
}

#[rocket::async_test]
async fn the_sweep_removes_orphans_and_unfinished_uploads_after_the_grace_period_on_both_stores() {
    for (store, adjust) in stores("orphan sweep").await {
        let app = TestApp::spawn_with(adjust).await;
        report_with_photo(&app, &jpeg_with_exif(GPS)).await;
        let state = app.state();
        let objects = &state.evidence.store;
        let orphan = EvidenceStore::new_key();
        let key = conduct_portal::platform::crypto::SecretKey32::generate();
        objects
            .put(&orphan, &key, b"interrupted upload")
            .await
            .unwrap();
        abandon_an_upload(objects).await;
        let unfinished = || async {
            match objects.s3() {
                Some(_) => evidence::multipart::list(objects).await.unwrap().len(),
                None => staged_files(&app),
            }
        };
        assert_eq!(
            unfinished().await,
            1,
            "{store}: the abandoned upload is there"
        );

        let mut config = state.config.clone();
        // moto answers every incomplete upload with the same initiation date (10/11/2010,
        // a constant of its listing template), so there the upload is already old; S3 itself
        // and the local store date it when it starts.
        let dated_2010 = usize::from(store == "s3");
        assert_eq!(
            state
                .evidence
                .sweep_orphans(&state.db, &config)
                .await
                .unwrap(),
            dated_2010,
            "{store}: young objects and uploads wait out the grace period"
        );
        assert_eq!(unfinished().await, 1 - dated_2010, "{store}");
        config.evidence.orphan_grace_minutes = 0;
        assert_eq!(
            state
                .evidence
                .sweep_orphans(&state.db, &config)
                .await
                .unwrap(),
            2 - dated_2010,
            "{store}: the orphan and the unfinished upload"
        );
        assert_eq!(unfinished().await, 0, "{store}");
        // The committed report's files are untouched.
        let code = report_with_photo(&app, &jpeg_with_exif(GPS)).await;
        assert_eq!(open_follow_up(&app, &code).await, Status::SeeOther);
        assert!(reporter_download(&app).await.starts_with(&[0xFF, 0xD8]));
    }
}
