//! Records the slices' tests start from: accounts, teams and members, units and categories by
//! code, the newest case, audit counts, and files with planted markers.

use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{
    case_file, inspection_team, org_unit, team_member, violation_category,
};
use rocket::figment::Figment;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::app::TestApp;
use super::browser::sign_in;

/// The password every test account gets.
pub const TEST_PASSWORD: &str = "mây trắng bay trên núi cao";

/// Creates an account with `roles` (directly, as the command line would).
pub async fn create_user(
    app: &TestApp,
    email: &str,
    roles: &[conduct_portal::domain::roles::Role],
) -> i32 {
    use conduct_portal::auth::service::{create_account, NewAccount};
    use conduct_portal::platform::audit::Actor;
    create_account(
        app.state(),
        &Actor::System,
        NewAccount {
            email: email.to_string(),
            display_name: format!("Người dùng {email}"),
            roles: roles.to_vec(),
            password: Some(TEST_PASSWORD.to_string()),
            must_change_password: false,
        },
    )
    .await
    .unwrap()
    .id
}

/// Creates an account with `roles` and signs this client in with it.
pub async fn sign_in_as(
    app: &TestApp,
    email: &str,
    roles: &[conduct_portal::domain::roles::Role],
) -> i32 {
    let id = create_user(app, email, roles).await;
    sign_in(app, email).await;
    id
}

/// Two-factor sign-in off, so tests sign in with a password alone.
pub fn no_two_factor(f: Figment) -> Figment {
    f.merge(("two_factor_roles", Vec::<String>::new()))
}

pub async fn unit_id(app: &TestApp, code: &str) -> i32 {
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id
}

pub async fn category_id(app: &TestApp, code: &str) -> i32 {
    violation_category::Entity::find()
        .filter(violation_category::Column::Code.eq(code))
        .one(app.state().db.conn())
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A new inspection team attached to the unit `unit_code`.
pub async fn team_at(app: &TestApp, unit_code: &str, name: &str) -> i32 {
    let now = app.state().clock.now();
    inspection_team::ActiveModel {
        name: Set(name.into()),
        org_unit_id: Set(unit_id(app, unit_code).await),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap()
    .id
}

/// A new account with `roles`, member of `team`.
pub async fn member(app: &TestApp, team: i32, email: &str, roles: &[Role]) -> i32 {
    let id = create_user(app, email, roles).await;
    team_member::ActiveModel {
        team_id: Set(team),
        user_id: Set(id),
        ..Default::default()
    }
    .insert(app.state().db.conn())
    .await
    .unwrap();
    id
}

/// How many audit entries have `action`.
pub async fn audited(app: &TestApp, action: &str) -> u64 {
    use conduct_portal::platform::persistence::entities::audit_log;
    use sea_orm::PaginatorTrait;
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .count(app.state().db.conn())
        .await
        .unwrap()
}

/// The newest case's report id.
pub async fn newest_case(app: &TestApp) -> i32 {
    case_file::Entity::find()
        .all(app.state().db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.report_id)
        .max()
        .unwrap()
}

/// A structurally valid JPEG whose EXIF segment carries `marker` (standing for GPS data).
pub fn jpeg_with_exif(marker: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let segment = |out: &mut Vec<u8>, m: u8, body: &[u8]| {
        out.extend([0xFF, m]);
        out.extend(((body.len() + 2) as u16).to_be_bytes());
        out.extend(body);
    };
    segment(&mut out, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let mut exif =
        b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0".to_vec();
    exif.extend(marker.as_bytes());
    segment(&mut out, 0xE1, &exif);
    segment(&mut out, 0xDB, &[0u8; 65]);
    segment(&mut out, 0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
    segment(&mut out, 0xDA, &[1, 1, 0, 0, 0x3F, 0]);
    out.extend([0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]);
    out
}

/// Every file under `dir`, recursively, concatenated (for "nothing in plaintext on disk").
pub fn read_tree(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(read_tree(&path));
        } else {
            out.extend(std::fs::read(&path).unwrap_or_default());
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
