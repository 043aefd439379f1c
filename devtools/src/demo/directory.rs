//! The people side of the demo: inspection teams for some provincial companies, a staff
//! directory of a few thousand employees, and demo accounts (a team lead and two inspectors per
//! team, a custodian, a leadership user, an auditor) created through the normal account service.
//! Idempotent: a second run reuses what the first created.

use std::collections::{BTreeMap, HashMap, HashSet};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    Value,
};

use super::batch::Rows;
use super::text;
use conduct_portal::auth::service::{create_account, AccountError, NewAccount};
use conduct_portal::domain::roles::Role;
use conduct_portal::domain::text::fold;
use conduct_portal::platform::audit::Actor;
use conduct_portal::platform::persistence::entities::{
    app_user, inspection_team, org_unit, staff_member, team_member, violation_category,
};
use conduct_portal::web::error::{AppError, AppResult};
use conduct_portal::web::state::AppState;

/// Provincial companies that get their own inspection team in the demo.
const TEAM_COMPANIES: &[&str] = &[
    "PCHAIPHONG",
    "PCQUANGNINH",
    "PCDANANG",
    "PCCANTHO",
    "PCHOANKIEM",
    "PCDONGDA",
    "PCSAIGON",
    "PCCHOLON",
    "PCDONGNAI",
    "PCBINHDUONG",
];

/// Employee numbers of the demo directory start here (`NV100001`, …).
const FIRST_EMPLOYEE_NUMBER: u32 = 100_001;

/// The e-mail domain of demo accounts.
pub const DEMO_DOMAIN: &str = "demo.evn.vn";

/// One employee of the directory, as the generator needs it.
#[derive(Debug, Clone)]
pub struct StaffRef {
    pub id: i32,
    pub unit_id: i32,
    pub number: String,
    pub name: String,
}

/// A demo account and where it works.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub team_id: Option<i32>,
    pub staff_member_id: Option<i32>,
}

/// Everything the report generator draws from.
pub struct Directory {
    pub units: Vec<org_unit::Model>,
    pub categories: Vec<violation_category::Model>,
    pub teams: Vec<inspection_team::Model>,
    pub staff: Vec<StaffRef>,
    pub accounts: Vec<DemoAccount>,
}

/// Creates (or finds) the demo teams, directory and accounts.
pub async fn prepare(state: &AppState, password: &str) -> AppResult<Directory> {
    let conn = state.db.conn();
    let units = org_unit::Entity::find().all(conn).await?;
    let categories = violation_category::Entity::find()
        .filter(violation_category::Column::Active.eq(true))
        .all(conn)
        .await?;
    if units.is_empty() || categories.is_empty() {
        return Err(AppError::Internal(
            "the reference data (units, categories) is missing".into(),
        ));
    }
    ensure_teams(state, &units).await?;
    let teams = inspection_team::Entity::find()
        .filter(inspection_team::Column::Active.eq(true))
        .all(conn)
        .await?;
    let staff = ensure_staff(state, &units).await?;
    let accounts = ensure_accounts(state, &units, &teams, &staff, password).await?;
    Ok(Directory {
        units,
        categories,
        teams,
        staff,
        accounts,
    })
}

async fn ensure_teams(state: &AppState, units: &[org_unit::Model]) -> AppResult<()> {
    let now = state.clock.now();
    let tx = state.db.begin_write().await?;
    let existing = inspection_team::Entity::find().all(&*tx).await?;
    for code in TEAM_COMPANIES {
        let Some(unit) = units.iter().find(|u| u.code == *code) else {
            continue;
        };
        if existing.iter().any(|t| t.org_unit_id == unit.id) {
            continue;
        }
        inspection_team::ActiveModel {
            name: Set(format!("Tổ Thanh tra – Kiểm tra {}", unit.code)),
            org_unit_id: Set(unit.id),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// How many employees a unit of this kind has in the demo directory.
fn headcount(kind: &str) -> u32 {
    match kind {
        "group" => 20,
        "corporation" => 30,
        "company" => 40,
        _ => 50,
    }
}

async fn ensure_staff(state: &AppState, units: &[org_unit::Model]) -> AppResult<Vec<StaffRef>> {
    let conn = state.db.conn();
    let now = state.clock.now();
    let existing: HashSet<String> = staff_member::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.employee_number)
        .collect();
    // Deterministic, so a second run produces the same people and skips them.
    let mut rng = StdRng::seed_from_u64(0x45_56_4e);
    let mut ordered: Vec<&org_unit::Model> = units.iter().collect();
    ordered.sort_by_key(|u| u.id);
    let mut rows = Rows::new(
        "staff_member",
        &[
            "employee_number",
            "full_name",
            "full_name_folded",
            "unit_id",
            "position",
            "holds_post",
            "active",
            "created_at",
            "updated_at",
        ],
    );
    let mut number = FIRST_EMPLOYEE_NUMBER;
    for unit in ordered {
        for _ in 0..headcount(&unit.kind) {
            let female = rng.gen_bool(0.45);
            let name = text::full_name(&mut rng, female);
            let position = text::POSITIONS[rng.gen_range(0..text::POSITIONS.len())];
            let employee_number = format!("NV{number}");
            number += 1;
            if existing.contains(&employee_number) {
                continue;
            }
            rows.push([
                Value::from(employee_number),
                Value::from(name.clone()),
                Value::from(fold(&name)),
                Value::from(unit.id),
                Value::from(position),
                // A team leader holds a managerial post, so the demo can show a removal from
                // post (Labour Code Art. 124 allows it for such a person only).
                Value::from(position.starts_with("Tổ trưởng")),
                Value::from(true),
                Value::from(now),
                Value::from(now),
            ]);
        }
    }
    if !rows.is_empty() {
        let tx = state.db.begin_write().await?;
        for statement in rows.take_statements(state.db.backend()) {
            tx.execute_raw(statement).await?;
        }
        tx.commit().await?;
    }
    Ok(staff_member::Entity::find()
        .filter(staff_member::Column::Active.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| StaffRef {
            id: s.id,
            unit_id: s.unit_id,
            number: s.employee_number,
            name: s.full_name,
        })
        .collect())
}

fn email_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

/// An account to have: e-mail, roles, team, and the employee it belongs to.
type Wanted<'a> = (String, Vec<Role>, Option<i32>, Option<&'a StaffRef>);

async fn ensure_accounts(
    state: &AppState,
    units: &[org_unit::Model],
    teams: &[inspection_team::Model],
    staff: &[StaffRef],
    password: &str,
) -> AppResult<Vec<DemoAccount>> {
    let unit_code: HashMap<i32, &str> = units.iter().map(|u| (u.id, u.code.as_str())).collect();
    let mut by_unit: BTreeMap<i32, Vec<&StaffRef>> = BTreeMap::new();
    for person in staff {
        by_unit.entry(person.unit_id).or_default().push(person);
    }
    let mut wanted: Vec<Wanted> = Vec::new();
    let mut seen_codes = HashSet::new();
    let mut sorted_teams: Vec<&inspection_team::Model> = teams.iter().collect();
    sorted_teams.sort_by_key(|t| t.id);
    for team in sorted_teams {
        let mut code = email_code(unit_code.get(&team.org_unit_id).copied().unwrap_or("team"));
        if !seen_codes.insert(code.clone()) {
            code = format!("{code}{}", team.id);
        }
        let colleagues = by_unit.get(&team.org_unit_id).cloned().unwrap_or_default();
        let members = [
            (format!("truongdoan.{code}"), Role::TeamLead),
            (format!("thanhtra1.{code}"), Role::Inspector),
            (format!("thanhtra2.{code}"), Role::Inspector),
        ];
        for (i, (local, role)) in members.into_iter().enumerate() {
            wanted.push((
                format!("{local}@{DEMO_DOMAIN}"),
                vec![role],
                Some(team.id),
                colleagues.get(i).copied(),
            ));
        }
    }
    for (local, role) in [
        ("luutru", Role::Custodian),
        ("lanhdao", Role::Leadership),
        ("kiemtoan", Role::Auditor),
    ] {
        wanted.push((format!("{local}@{DEMO_DOMAIN}"), vec![role], None, None));
    }

    let conn = state.db.conn();
    let mut names = StdRng::seed_from_u64(0x4c_44);
    let mut accounts = Vec::new();
    for (email, roles, team_id, person) in wanted {
        let display_name = match person {
            Some(p) => p.name.clone(),
            None => {
                let female = names.gen_bool(0.5);
                text::full_name(&mut names, female)
            }
        };
        let existing = app_user::Entity::find()
            .filter(app_user::Column::Email.eq(email.as_str()))
            .one(conn)
            .await?;
        let user = match existing {
            Some(user) => user,
            None => create_account(
                state,
                &Actor::System,
                NewAccount {
                    email: email.clone(),
                    display_name: display_name.clone(),
                    roles: roles.clone(),
                    password: Some(password.to_string()),
                    must_change_password: false,
                },
            )
            .await
            .map_err(|e| match e {
                AccountError::Invalid(field, key) => {
                    AppError::Internal(format!("demo account {email}: {field} {key}"))
                }
                AccountError::Internal(error) => error,
            })?,
        };
        let tx = state.db.begin_write().await?;
        if let (Some(p), None) = (person, user.staff_member_id) {
            let mut active = user.clone().into_active_model();
            active.staff_member_id = Set(Some(p.id));
            active.update(&*tx).await?;
        }
        if let Some(team) = team_id {
            let member = team_member::Entity::find()
                .filter(team_member::Column::TeamId.eq(team))
                .filter(team_member::Column::UserId.eq(user.id))
                .one(&*tx)
                .await?;
            if member.is_none() {
                team_member::ActiveModel {
                    team_id: Set(team),
                    user_id: Set(user.id),
                    ..Default::default()
                }
                .insert(&*tx)
                .await?;
            }
        }
        tx.commit().await?;
        accounts.push(DemoAccount {
            id: user.id,
            email,
            display_name: user.display_name,
            roles,
            team_id,
            staff_member_id: user.staff_member_id.or(person.map(|p| p.id)),
        });
    }
    Ok(accounts)
}
