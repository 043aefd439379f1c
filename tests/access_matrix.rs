//! The access matrix: every route Rocket has mounted, asked by every kind of visitor, against
//! the table below. A route that is mounted but missing from the table fails the test, so a new
//! route cannot be forgotten.
//!
//! Visitors: an anonymous visitor; one account per staff role (the inspector and the team lead
//! in the team that handles the case); an inspector of another team; and an inspector of the
//! handling team who is excluded from the case because it names them. Each visitor gets a
//! fresh portal with the same records (a named report with a photo, concluded and disciplined;
//! an identity request and a request for the photo's original pending with the custodian), so a state-changing request of one visitor
//! cannot change what another is asked.
//!
//! What is asserted is the access decision, not the page: "served" is any answer that passed
//! the guards (200, a redirect other than to the sign-in page, or a form error such as 409 or
//! 422 for the deliberately empty forms this test posts); the refusals are 303 to the sign-in
//! page, 403 and 404.

use std::collections::BTreeMap;

use conduct_portal::domain::roles::Role;
use conduct_portal::platform::persistence::entities::{
    api_scope_request, api_token, app_user, canned_reply, category_article, culture_article,
    discipline_finding, holiday, routing_rule, staff_member,
};
use rocket::http::{Method, Status};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    Statement,
};

use crate::support::*;

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visitor {
    Anonymous,
    Admin,
    /// Inspector of the team that handles the case.
    Inspector,
    /// Team lead of the team that handles the case.
    TeamLead,
    Leadership,
    Custodian,
    Operator,
    Auditor,
    /// Inspector of another team.
    OtherTeam,
    /// Inspector of the handling team whom the report names.
    Excluded,
}

impl Visitor {
    fn email(self) -> Option<&'static str> {
        match self {
            Visitor::Anonymous => None,
            Visitor::Admin => Some("quan.tri@evn.vn"),
            Visitor::Inspector => Some("thanh.tra@evn.vn"),
            Visitor::TeamLead => Some("truong.doan@evn.vn"),
            Visitor::Leadership => Some("lanh.dao@evn.vn"),
            Visitor::Custodian => Some("giu.bi.mat@evn.vn"),
            Visitor::Operator => Some("tong.dai@evn.vn"),
            Visitor::Auditor => Some("kiem.toan@evn.vn"),
            Visitor::OtherTeam => Some("to.khac@evn.vn"),
            Visitor::Excluded => Some("bi.neu.ten@evn.vn"),
        }
    }

    fn role(self) -> Option<Role> {
        match self {
            Visitor::Anonymous => None,
            Visitor::Admin => Some(Role::Admin),
            Visitor::Inspector | Visitor::OtherTeam | Visitor::Excluded => Some(Role::Inspector),
            Visitor::TeamLead => Some(Role::TeamLead),
            Visitor::Leadership => Some(Role::Leadership),
            Visitor::Custodian => Some(Role::Custodian),
            Visitor::Operator => Some(Role::Operator),
            Visitor::Auditor => Some(Role::Auditor),
        }
    }

    /// May open the case: a case-handling role in the handling team, not named by it.
    fn handles_the_case(self) -> bool {
        matches!(self, Visitor::Inspector | Visitor::TeamLead)
    }
}

/// What a visitor gets back, as far as access goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Served,
    SignIn,
    /// 303 to the follow-up sign-in with a receipt code.
    FollowUp,
    Forbidden,
    NotFound,
}

/// Who a route admits. Staff refusals are 403 or 404 as `auth::roles` states per set.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Everyone, signed in or not.
    Public,
    /// A reporter holding a follow-up session; nobody in this test holds one.
    Reporter,
    /// Any signed-in staff account.
    Staff,
    /// Signed-in staff holding one of the roles; others get the refusal.
    Roles(&'static [Role], Status),
    /// The handling team's inspectors and team lead; anyone else signed in gets 404.
    Case,
    /// The handling team once a custodian has approved (nobody here has an approval: 403);
    /// anyone else signed in gets 404.
    Approved,
    /// The handling team's lead, or an admin (retention and legal holds); anyone else signed
    /// in gets 404.
    CaseLeadOrAdmin,
    /// Everyone lands on the sign-in page (signing out).
    ToSignIn,
    /// None of the visitors (an approval is missing, or the record is someone else's):
    /// signed-in staff get 404.
    Nobody,
    /// Everyone gets this status.
    Always(Status),
    /// A JSON API route for bearer tokens: every visitor, whatever their cookies, gets 401.
    Bearer,
}

const ADMINS: &[Role] = &[Role::Admin];
const AUDITORS: &[Role] = &[Role::Auditor];
const PRIVACY_READERS: &[Role] = &[Role::Admin, Role::Auditor];
const CUSTODIANS: &[Role] = &[Role::Custodian];
const LEADERS: &[Role] = &[Role::Leadership];
const HISTORY: &[Role] = &[Role::TeamLead, Role::Leadership];
const INVESTIGATORS: &[Role] = &[Role::Inspector, Role::TeamLead];
const TEAM_LEADS: &[Role] = &[Role::TeamLead];
const RETENTION_KEEPERS: &[Role] = &[Role::TeamLead, Role::Admin];
const OPERATORS: &[Role] = &[Role::Operator];

impl Rule {
    fn expected(self, visitor: Visitor) -> Answer {
        let Some(role) = visitor.role() else {
            return match self {
                Rule::Public => Answer::Served,
                Rule::Reporter => Answer::FollowUp,
                Rule::Always(status) => answer_of(status),
                _ => Answer::SignIn,
            };
        };
        match self {
            Rule::Public | Rule::Staff => Answer::Served,
            Rule::Reporter => Answer::FollowUp,
            Rule::Roles(roles, _) if roles.contains(&role) => Answer::Served,
            Rule::Roles(_, refusal) => answer_of(refusal),
            Rule::Case if visitor.handles_the_case() => Answer::Served,
            Rule::CaseLeadOrAdmin if matches!(visitor, Visitor::TeamLead | Visitor::Admin) => {
                Answer::Served
            }
            Rule::CaseLeadOrAdmin => Answer::NotFound,
            Rule::Approved if visitor.handles_the_case() => Answer::Forbidden,
            Rule::Case | Rule::Approved | Rule::Nobody => Answer::NotFound,
            Rule::ToSignIn | Rule::Bearer => Answer::SignIn,
            Rule::Always(status) => answer_of(status),
        }
    }
}

fn answer_of(status: Status) -> Answer {
    match status.code {
        403 => Answer::Forbidden,
        404 => Answer::NotFound,
        _ => Answer::Served,
    }
}

/// The table: every mounted route by method and URI pattern (as Rocket prints it).
fn table() -> BTreeMap<&'static str, Rule> {
    use Rule::*;
    let admin = Roles(ADMINS, Status::Forbidden);
    let investigators = Roles(INVESTIGATORS, Status::NotFound);
    BTreeMap::from([
        // Public pages and the reporter's side.
        ("GET /", Public),
        ("GET /healthz", Public),
        ("GET /static/<path..>", Public),
        ("GET /report?<unit_q>", Public),
        ("POST /report", Public),
        ("GET /report/receipt", Public),
        ("GET /commend", Public),
        ("POST /commend", Public),
        ("GET /commend/thanks", Public),
        ("GET /transparency?<page>", Public),
        ("GET /privacy", Public),
        ("GET /follow-up", Public),
        ("POST /follow-up", Public),
        ("GET /follow-up/disclose", Reporter),
        ("GET /follow-up/my-data", Reporter),
        ("POST /follow-up/my-data/contact", Reporter),
        ("POST /follow-up/my-data/withdraw", Reporter),
        ("POST /follow-up/disclose", Reporter),
        ("POST /follow-up/files", Reporter),
        ("GET /follow-up/files/<file_id>", Reporter),
        ("GET /follow-up/files/<file_id>/preview", Reporter),
        ("POST /follow-up/leave", Public),
        ("GET /follow-up/rating", Reporter),
        ("POST /follow-up/rating", Reporter),
        ("POST /follow-up/reply", Reporter),
        ("GET /follow-up/status", Reporter),
        ("POST /__rejected/csrf", Always(Status::Forbidden)),
        // The JSON API: public endpoints answer everyone (a form body is 415, still served);
        // the rest need a bearer token, which no visitor here has.
        ("GET /api/v1/openapi.json", Public),
        ("GET /api/v1/docs", Public),
        ("OPTIONS /api/v1/<_..>", Public),
        ("GET /api/v1/units", Public),
        ("GET /api/v1/categories", Public),
        ("POST /api/v1/reports", Public),
        (
            "POST /api/v1/reports/<upload_token>/files",
            Always(Status::NotFound),
        ),
        ("POST /api/v1/follow-up/session", Public),
        ("GET /api/v1/follow-up/status", Bearer),
        ("GET /api/v1/follow-up/timeline", Bearer),
        ("GET /api/v1/follow-up/messages", Bearer),
        ("POST /api/v1/follow-up/messages", Bearer),
        ("GET /api/v1/follow-up/outcome", Bearer),
        ("GET /api/v1/follow-up/files", Bearer),
        ("GET /api/v1/follow-up/files/<id>", Bearer),
        ("POST /api/v1/intake", Bearer),
        ("GET /api/v1/cases/<id>/text", Bearer),
        ("GET /api/v1/cases?<query..>", Bearer),
        ("GET /api/v1/cases/<id>", Bearer),
        ("GET /api/v1/analytics/dashboard?<query..>", Bearer),
        ("GET /api/v1/analytics/transparency", Bearer),
        // Signing in and one's own account.
        ("GET /staff/sign-in", Public),
        ("POST /staff/sign-in", Public),
        ("GET /staff/sign-in/code", Staff),
        ("POST /staff/sign-in/code", Staff),
        ("POST /staff/sign-out", ToSignIn),
        ("GET /staff/setup/<token>", Public),
        ("POST /staff/setup/<token>", Always(Status::NotFound)),
        ("GET /staff", Staff),
        ("GET /staff/account/password", Staff),
        ("POST /staff/account/password", Staff),
        ("GET /staff/account/sessions", Staff),
        ("GET /staff/account/notifications", Staff),
        ("POST /staff/account/notifications", Staff),
        ("POST /staff/account/sessions/<id>/revoke", Nobody),
        ("GET /staff/account/two-factor", Staff),
        ("POST /staff/account/two-factor", Staff),
        // Cases.
        ("GET /cases?<query..>", investigators),
        ("GET /cases/overview", Roles(TEAM_LEADS, Status::NotFound)),
        (
            "GET /cases/retention?<page>",
            Roles(RETENTION_KEEPERS, Status::NotFound),
        ),
        ("POST /cases/<id>/legal-hold", CaseLeadOrAdmin),
        ("POST /cases/<id>/legal-hold/lift", CaseLeadOrAdmin),
        (
            "GET /cases/commendations",
            Roles(TEAM_LEADS, Status::NotFound),
        ),
        ("GET /cases/<id>?<canned>", Case),
        ("POST /cases/<id>/actions/<action>", Case),
        ("POST /cases/<id>/messages", Case),
        ("POST /cases/<id>/links", Case),
        ("POST /cases/<id>/staff-member", Case),
        ("POST /cases/<id>/files", Case),
        ("GET /cases/<id>/files/<file_id>", Case),
        ("GET /cases/<id>/files/<file_id>/preview", Case),
        ("GET /cases/<id>/files/<file_id>/original", Approved),
        ("POST /cases/<id>/files/<file>/original-request", Case),
        ("GET /cases/<id>/identity", Nobody),
        ("GET /cases/<id>/documents/<document>", Case),
        ("POST /cases/<id>/identity-requests", Case),
        ("GET /cases/<id>/discipline", Case),
        ("GET /cases/<id>/discipline/findings/new", Case),
        ("POST /cases/<id>/discipline/findings", Case),
        (
            "GET /cases/<id>/discipline/findings/<finding>/decision",
            Case,
        ),
        (
            "POST /cases/<id>/discipline/findings/<finding>/decision",
            Case,
        ),
        ("GET /cases/<id>/discipline/findings/<finding>/delete", Case),
        (
            "POST /cases/<id>/discipline/findings/<finding>/delete",
            Case,
        ),
        (
            "GET /cases/<id>/discipline/decisions/<decision>/print",
            Case,
        ),
        (
            "POST /cases/<id>/discipline/decisions/<decision>/appeal",
            Case,
        ),
        ("GET /custodian", Roles(CUSTODIANS, Status::Forbidden)),
        (
            "POST /custodian/requests/<id>/<decision>",
            Roles(CUSTODIANS, Status::Forbidden),
        ),
        (
            "POST /custodian/originals/<id>/<decision>",
            Roles(CUSTODIANS, Status::Forbidden),
        ),
        (
            "GET /custodian/api-scopes/<id>",
            Roles(CUSTODIANS, Status::Forbidden),
        ),
        (
            "POST /custodian/api-scopes/<id>/<decision>",
            Roles(CUSTODIANS, Status::Forbidden),
        ),
        ("GET /staff-history?<q>", Roles(HISTORY, Status::NotFound)),
        ("GET /staff-history/<id>", Roles(HISTORY, Status::NotFound)),
        // Leadership and auditors.
        (
            "GET /dashboard?<query..>",
            Roles(LEADERS, Status::Forbidden),
        ),
        (
            "GET /dashboard/export?<query..>",
            Roles(LEADERS, Status::Forbidden),
        ),
        ("GET /audit?<query..>", Roles(AUDITORS, Status::Forbidden)),
        (
            "GET /audit/export.csv?<query..>",
            Roles(AUDITORS, Status::Forbidden),
        ),
        ("GET /audit/verify", Roles(AUDITORS, Status::Forbidden)),
        // Operators: intake for a caller, look-up by receipt code.
        ("GET /intake?<unit_q>", Roles(OPERATORS, Status::Forbidden)),
        ("POST /intake", Roles(OPERATORS, Status::Forbidden)),
        ("GET /intake/receipt", Roles(OPERATORS, Status::Forbidden)),
        ("GET /intake/lookup", Roles(OPERATORS, Status::Forbidden)),
        ("POST /intake/lookup", Roles(OPERATORS, Status::Forbidden)),
        ("GET /intake/case", Roles(OPERATORS, Status::Forbidden)),
        (
            "POST /intake/case/reply",
            Roles(OPERATORS, Status::Forbidden),
        ),
        (
            "POST /intake/case/leave",
            Roles(OPERATORS, Status::Forbidden),
        ),
        // Administration.
        ("GET /admin/<kind>/<id>/<direction>", admin),
        ("POST /admin/<kind>/<id>/<direction>", admin),
        ("GET /admin/articles", admin),
        ("GET /admin/articles/<key>", admin),
        ("GET /admin/articles/<key>/edit", admin),
        ("POST /admin/articles/<key>/edit", admin),
        ("GET /admin/articles/chapters/<chapter>/new", admin),
        ("POST /admin/articles/chapters/<chapter>/new", admin),
        ("GET /admin/channels", admin),
        ("POST /admin/channels", admin),
        ("GET /admin/channels/new", admin),
        ("GET /admin/channels/<id>/edit", admin),
        ("POST /admin/channels/<id>/edit", admin),
        ("GET /admin/canned-replies", admin),
        ("POST /admin/canned-replies", admin),
        ("GET /admin/canned-replies/new", admin),
        ("GET /admin/canned-replies/<id>/edit", admin),
        ("POST /admin/canned-replies/<id>/edit", admin),
        ("GET /admin/categories", admin),
        ("POST /admin/categories", admin),
        ("GET /admin/categories/new", admin),
        ("GET /admin/categories/<id>/edit", admin),
        ("POST /admin/categories/<id>/edit", admin),
        ("GET /admin/holidays?<year>", admin),
        ("GET /admin/api-tokens", admin),
        ("POST /admin/api-tokens", admin),
        ("GET /admin/api-tokens/<id>/revoke", admin),
        ("POST /admin/api-tokens/<id>/revoke", admin),
        ("GET /admin/labour-rules?<page>", admin),
        ("POST /admin/labour-rules", admin),
        ("GET /admin/labour-rules/new", admin),
        ("GET /admin/labour-rules/<id>/edit", admin),
        ("POST /admin/labour-rules/<id>/edit", admin),
        ("POST /admin/holidays", admin),
        ("GET /admin/holidays/new?<year>", admin),
        ("GET /admin/holidays/<id>/delete", admin),
        ("POST /admin/holidays/<id>/delete", admin),
        (
            "GET /admin/privacy",
            Roles(PRIVACY_READERS, Status::Forbidden),
        ),
        ("GET /admin/notifications?<page>", admin),
        ("POST /admin/notifications/<id>/retry", admin),
        ("POST /admin/notifications/test", admin),
        ("GET /admin/measures", admin),
        ("POST /admin/measures", admin),
        ("GET /admin/measures/new", admin),
        ("GET /admin/measures/<id>/edit", admin),
        ("POST /admin/measures/<id>/edit", admin),
        ("GET /admin/routing", admin),
        ("POST /admin/routing", admin),
        ("GET /admin/routing/new", admin),
        ("GET /admin/routing/<id>/delete", admin),
        ("POST /admin/routing/<id>/delete", admin),
        ("GET /admin/staff?<q>&<page>", admin),
        ("POST /admin/staff", admin),
        ("GET /admin/staff/new", admin),
        ("GET /admin/staff/import", admin),
        ("POST /admin/staff/import", admin),
        ("GET /admin/staff/<id>/edit", admin),
        ("POST /admin/staff/<id>/edit", admin),
        ("GET /admin/teams", admin),
        ("POST /admin/teams", admin),
        ("GET /admin/teams/new", admin),
        ("GET /admin/teams/<id>", admin),
        ("POST /admin/teams/<id>", admin),
        ("POST /admin/teams/<id>/members", admin),
        ("POST /admin/teams/<id>/members/<user_id>/remove", admin),
        ("GET /admin/units", admin),
        ("POST /admin/units", admin),
        ("GET /admin/units/new?<parent>", admin),
        ("GET /admin/units/<id>/edit", admin),
        ("POST /admin/units/<id>/edit", admin),
        ("GET /admin/units/<id>/move", admin),
        ("POST /admin/units/<id>/move", admin),
        ("GET /admin/units/<id>/deactivate", admin),
        ("POST /admin/units/<id>/deactivate", admin),
        ("GET /admin/users?<q>&<page>", admin),
        ("POST /admin/users", admin),
        ("GET /admin/users/new", admin),
        ("GET /admin/users/<id>", admin),
        ("POST /admin/users/<id>", admin),
        ("POST /admin/users/<id>/<action>", admin),
        ("GET /admin/users/<id>/<action>/confirm", admin),
    ])
}

/// The records the requests name.
struct Records {
    case: i32,
    file: i32,
    finding: i32,
    decision: i32,
    identity_request: i32,
    original_request: i32,
    staff: i32,
    other_user: i32,
    other_session: i32,
    team: i32,
    leaf_unit: i32,
    category: i32,
    canned_reply: i32,
    holiday: i32,
    measure: i32,
    labour_rule: i32,
    routing_rule: i32,
    api_token: i32,
    api_scope_request: i32,
    article_key: String,
    chapter: i32,
}

impl Records {
    /// The concrete path for a route's URI pattern.
    fn path(&self, pattern: &str) -> String {
        if pattern.starts_with("/dashboard/export") {
            return "/dashboard/export?table=units&format=csv".into();
        }
        let path = pattern.split('?').next().unwrap_or(pattern);
        let segments: Vec<&str> = path.split('/').collect();
        let mut out = Vec::with_capacity(segments.len());
        for (i, segment) in segments.iter().enumerate() {
            let before = if i > 0 { segments[i - 1] } else { "" };
            out.push(match *segment {
                "<id>" => match before {
                    "cases" => self.case.to_string(),
                    "requests" => self.identity_request.to_string(),
                    "originals" => self.original_request.to_string(),
                    "staff-history" | "staff" => self.staff.to_string(),
                    "sessions" => self.other_session.to_string(),
                    "canned-replies" => self.canned_reply.to_string(),
                    "api-tokens" => self.api_token.to_string(),
                    "api-scopes" => self.api_scope_request.to_string(),
                    // The seeded hotline channel.
                    "channels" => "2".to_string(),
                    "categories" => self.category.to_string(),
                    "holidays" => self.holiday.to_string(),
                    "measures" => self.measure.to_string(),
                    "labour-rules" => self.labour_rule.to_string(),
                    "routing" => self.routing_rule.to_string(),
                    "teams" => self.team.to_string(),
                    "units" => self.leaf_unit.to_string(),
                    "users" => self.other_user.to_string(),
                    _ => self.category.to_string(),
                },
                "<kind>" => "categories".to_string(),
                "<direction>" => "deactivate".to_string(),
                "<action>" if before == "actions" => "accept".to_string(),
                "<action>" => "reset-password".to_string(),
                "<decision>" if before == "decisions" => self.decision.to_string(),
                "<decision>" => "approve".to_string(),
                "<finding>" => self.finding.to_string(),
                "<document>" => "acceptance".to_string(),
                "<file_id>" | "<file>" => self.file.to_string(),
                "<user_id>" => self.other_user.to_string(),
                "<key>" => self.article_key.clone(),
                "<chapter>" => self.chapter.to_string(),
                "<token>" => "khong-phai-ma-thiet-lap".to_string(),
                "<upload_token>" => "upl_00".to_string(),
                "<_..>" => "reports".to_string(),
                "<path..>" => "css/site.css".to_string(),
                other => other.to_string(),
            });
        }
        out.join("/")
    }
}

/// A portal with the records, signed in as `visitor`.
async fn portal_for(visitor: Visitor) -> (TestApp, Records) {
    let app = TestApp::spawn_with(no_two_factor).await;
    let db = app.state().db.conn();
    let now = app.state().clock.now();
    let office = unit_id(&app, "PCHK-PGDHANGBAC").await;
    let accused = staff_member::ActiveModel {
        employee_number: Set("NV-0001".into()),
        full_name: Set("Nguyễn Văn Bị".into()),
        full_name_folded: Set(conduct_portal::domain::text::fold("Nguyễn Văn Bị")),
        unit_id: Set(office),
        position: Set(Some("Nhân viên ghi chỉ số".into())),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id;

    let team = team_at(&app, "PCHOANKIEM", "Tổ thanh tra PC Hoàn Kiếm").await;
    member(&app, team, "thanh.tra@evn.vn", &[Role::Inspector]).await;
    member(&app, team, "truong.doan@evn.vn", &[Role::TeamLead]).await;
    let excluded = member(&app, team, "bi.neu.ten@evn.vn", &[Role::Inspector]).await;
    let mut link = app_user::Entity::find_by_id(excluded)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    link.staff_member_id = Set(Some(accused));
    link.update(db).await.unwrap();
    let other_team = team_at(&app, "PCBADINH", "Tổ thanh tra PC Ba Đình").await;
    member(&app, other_team, "to.khac@evn.vn", &[Role::Inspector]).await;
    routing_rule::ActiveModel {
        org_unit_id: Set(unit_id(&app, "PCBADINH").await),
        category_id: Set(None),
        team_id: Set(other_team),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for visitor in [
        Visitor::Admin,
        Visitor::Leadership,
        Visitor::Custodian,
        Visitor::Operator,
        Visitor::Auditor,
    ] {
        create_user(&app, visitor.email().unwrap(), &[visitor.role().unwrap()]).await;
    }

    // A named report with a photo, naming NV-0001.
    let unit = office.to_string();
    let category = category_id(&app, "rude").await.to_string();
    let photo = jpeg_with_exif("GPS-21.0285N-105.8542E");
    let status = app
        .post_multipart(
            "/report",
            &[
                ("unit_id", unit.as_str()),
                ("occurred_on", "2026-11-20"),
                ("category_id", category.as_str()),
                (
                    "description",
                    "Nhân viên ghi chỉ số gây khó khăn, đòi bồi dưỡng mới làm.",
                ),
                ("staff_number", "nv-0001"),
                ("identity", "named"),
                ("full_name", "Phạm Thị Tố Giác"),
                ("address", "9 Hàng Bạc, Hoàn Kiếm"),
                ("phone", "0988 777 666"),
                ("consent", "true"),
            ],
            &[Part {
                field: "files",
                file_name: "IMG_0001.JPG",
                bytes: &photo,
            }],
        )
        .await
        .status();
    assert_eq!(status, Status::SeeOther, "the report is taken");
    let case = newest_case(&app).await;

    // The inspector takes it to a substantiated conclusion and asks for the identity; the team
    // lead records the finding and a decision.
    sign_in(&app, "thanh.tra@evn.vn").await;
    for (action, fields) in [
        ("verify-denouncer", vec![("method", "phone")]),
        ("accept", vec![]),
        ("start-investigation", vec![]),
        (
            "conclude",
            vec![
                ("finding", "substantiated"),
                ("summary", "Xác minh đúng nội dung phản ánh."),
            ],
        ),
    ] {
        let status = app
            .post_form(&format!("/cases/{case}/actions/{action}"), &fields)
            .await
            .status();
        assert_eq!(status, Status::SeeOther, "{action}");
    }
    let status = app
        .post_form(
            &format!("/cases/{case}/identity-requests"),
            &[("reason", "Cần đối chất trực tiếp với người tố cáo")],
        )
        .await
        .status();
    assert_eq!(status, Status::SeeOther, "identity request");
    let file = first_id(&app, "evidence_file").await;
    let status = app
        .post_form(
            &format!("/cases/{case}/files/{file}/original-request"),
            &[("reason", "Cần xem vị trí chụp ảnh để xác minh hiện trường")],
        )
        .await
        .status();
    assert_eq!(status, Status::SeeOther, "request for the original");
    become_user(&app, "truong.doan@evn.vn").await;
    let rude = category_id(&app, "rude").await;
    let cited: Vec<String> = category_article::Entity::find()
        .filter(category_article::Column::CategoryId.eq(rude))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.article_key)
        .collect();
    let mut fields = vec![
        ("employee_number", "NV-0001"),
        ("violation_date", "2026-11-20"),
    ];
    for key in &cited {
        fields.push(("articles", key.as_str()));
    }
    let status = app
        .post_form(&format!("/cases/{case}/discipline/findings"), &fields)
        .await
        .status();
    assert_eq!(status, Status::SeeOther, "finding");
    let finding = discipline_finding::Entity::find()
        .filter(discipline_finding::Column::ReportId.eq(case))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let status = app
        .post_form(
            &format!("/cases/{case}/discipline/findings/{finding}/decision"),
            &[
                ("measure", "reprimand"),
                ("decision_number", "31/QĐ-PCHK"),
                ("decision_date", "2026-11-27"),
                ("signer_name", "Lê Văn Ký"),
                ("signer_title", "Giám đốc"),
                ("representative_took_part", "true"),
                ("employee_heard", "true"),
                ("minutes_reference", "05/BB-KL"),
                ("protected_state_checked", "true"),
                ("protected_state_found", "none"),
            ],
        )
        .await
        .status();
    assert_eq!(status, Status::SeeOther, "decision");
    app.post_form("/staff/sign-out", &[]).await;

    canned_reply::ActiveModel {
        code: Set("thank_you".into()),
        title_vi: Set("Cảm ơn".into()),
        title_en: Set("Thank you".into()),
        body_vi: Set("Cảm ơn quý khách đã phản ánh.".into()),
        body_en: Set("Thank you for your report.".into()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    if first_id_or_none(&app, "holiday").await.is_none() {
        holiday::ActiveModel {
            day: Set(chrono::NaiveDate::from_ymd_opt(2027, 9, 2).unwrap()),
            name_vi: Set("Quốc khánh".into()),
            name_en: Set("National Day".into()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    // A live session of an account none of the visitors is.
    let someone = create_user(&app, "nguoi.khac@evn.vn", &[Role::Inspector]).await;
    conduct_portal::auth::session::create(
        db,
        &app.state().config,
        someone,
        conduct_portal::auth::session::Stage::Active,
        now,
    )
    .await
    .unwrap();
    let other_session = first_id(&app, "staff_session").await;
    api_token::ActiveModel {
        name: Set("CRM tổng đài".into()),
        token_hash: Set("0".repeat(64)),
        scopes: Set("cases:read".into()),
        team_id: Set(None),
        created_by: Set(Some(someone)),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::days(30)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let token_id = first_id(&app, "api_token").await;
    api_scope_request::ActiveModel {
        token_id: Set(token_id),
        scope: Set("cases:text".into()),
        requested_by: Set(Some(someone)),
        created_at: Set(now),
        status: Set("pending".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let article_key = cited[0].clone();
    let records = Records {
        case,
        file: first_id(&app, "evidence_file").await,
        finding,
        decision: first_id(&app, "discipline_decision").await,
        identity_request: first_id(&app, "identity_request").await,
        original_request: first_id(&app, "original_request").await,
        staff: accused,
        other_user: excluded,
        other_session,
        team,
        leaf_unit: unit_id(&app, "PCHP-PGDKIENAN").await,
        category: rude,
        canned_reply: first_id(&app, "canned_reply").await,
        api_token: token_id,
        api_scope_request: first_id(&app, "api_scope_request").await,
        holiday: first_id(&app, "holiday").await,
        measure: first_id(&app, "internal_measure").await,
        labour_rule: first_id(&app, "labour_rule").await,
        routing_rule: first_id(&app, "routing_rule").await,
        chapter: culture_article::Entity::find()
            .filter(culture_article::Column::ArticleKey.eq(article_key.as_str()))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .chapter_id,
        article_key,
    };
    if let Some(email) = visitor.email() {
        sign_in(&app, email).await;
    }
    (app, records)
}

/// The smallest id in `table` (every table the requests name has rows by now).
async fn first_id(app: &TestApp, table: &str) -> i32 {
    first_id_or_none(app, table)
        .await
        .unwrap_or_else(|| panic!("a row in {table}"))
}

async fn first_id_or_none(app: &TestApp, table: &str) -> Option<i32> {
    let db = app.state().db.conn();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT MIN(id) AS id FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<Option<i32>>("", "id").unwrap()
}

/// The route key as the table spells it.
fn key_of(method: Method, uri: &str) -> String {
    format!("{method} {uri}")
}

/// Every mounted route: method, URI pattern, and whether it takes a multipart body (a route
/// mounted for two kinds of body, or at two ranks, is asked once per kind).
fn mounted(app: &TestApp) -> Vec<(Method, String, bool)> {
    let mut routes: Vec<(Method, String, bool)> = app
        .client
        .rocket()
        .routes()
        .map(|route| {
            let multipart = route
                .format
                .as_ref()
                .is_some_and(|f| f.top() == "multipart");
            (route.method, route.uri.to_string(), multipart)
        })
        .collect();
    routes.sort_by_key(order);
    routes.dedup();
    routes
}

/// Reads first, then writes, then the writes that remove something, signing out last, so that
/// one request does not take away what a later one names.
fn order((method, uri, multipart): &(Method, String, bool)) -> (u8, String, bool) {
    let weight = if uri.ends_with("/sign-out") {
        3
    } else if [
        "delete",
        "remove",
        "deactivate",
        "revoke",
        "<direction>",
        "<action>",
    ]
    .iter()
    .any(|word| uri.contains(word))
        && *method == Method::Post
    {
        2
    } else if *method == Method::Post {
        1
    } else {
        0
    };
    (weight, uri.clone(), *multipart)
}

async fn ask(app: &TestApp, method: Method, path: &str, multipart: bool) -> (Answer, String) {
    let response = match method {
        Method::Get => app.client.get(path.to_string()).dispatch().await,
        Method::Post if multipart => app.post_multipart(path, &[], &[]).await,
        Method::Post => app.post_form(path, &[]).await,
        Method::Options => app.client.options(path.to_string()).dispatch().await,
        other => panic!("no request written for {other}"),
    };
    let status = response.status();
    let location = response
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_string();
    let seen = format!("{} {location}", status.code);
    let answer = match status.code {
        401 => Answer::SignIn,
        403 => Answer::Forbidden,
        404 => Answer::NotFound,
        303 if location.starts_with("/staff/sign-in") => Answer::SignIn,
        303 if location == "/follow-up" => Answer::FollowUp,
        _ => Answer::Served,
    };
    (answer, seen)
}

#[rocket::async_test]
async fn every_mounted_route_is_in_the_table_and_every_entry_is_mounted() {
    let app = TestApp::spawn().await;
    let table = table();
    let keys: Vec<String> = mounted(&app)
        .iter()
        .map(|(method, uri, _)| key_of(*method, uri))
        .collect();
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| !table.contains_key(k.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "mounted but not in the access table: {missing:#?}"
    );
    let stale: Vec<&&str> = table
        .keys()
        .filter(|k| !keys.iter().any(|m| m == *k))
        .collect();
    assert!(
        stale.is_empty(),
        "in the access table but not mounted: {stale:#?}"
    );
}

/// Asks every mounted route as `visitor` and compares with the table.
async fn check(visitor: Visitor) {
    let (app, records) = portal_for(visitor).await;
    let table = table();
    let mut wrong = Vec::new();
    for (method, uri, multipart) in mounted(&app) {
        let key = key_of(method, &uri);
        let Some(rule) = table.get(key.as_str()) else {
            wrong.push(format!("{key}: not in the table"));
            continue;
        };
        let path = records.path(&uri);
        let (answer, seen) = ask(&app, method, &path, multipart).await;
        let expected = rule.expected(visitor);
        if answer != expected {
            let body = if multipart { " multipart" } else { "" };
            wrong.push(format!(
                "{key}{body} ({path}): expected {expected:?}, got {answer:?} ({seen})"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{visitor:?}: {} of the routes answer otherwise than the table says:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

macro_rules! visitor_tests {
    ($($name:ident => $visitor:expr,)*) => {
        $(
            #[rocket::async_test]
            async fn $name() {
                check($visitor).await;
            }
        )*
    };
}

visitor_tests! {
    an_anonymous_visitor_reaches_only_public_pages => Visitor::Anonymous,
    an_admin_reaches_administration_only => Visitor::Admin,
    the_handling_inspector_reaches_the_case => Visitor::Inspector,
    the_handling_team_lead_reaches_the_case_and_decisions => Visitor::TeamLead,
    leadership_reaches_the_dashboard_and_histories => Visitor::Leadership,
    the_custodian_reaches_identity_requests_only => Visitor::Custodian,
    an_operator_reaches_no_case => Visitor::Operator,
    an_auditor_reaches_the_audit_trail_and_the_record_of_processing => Visitor::Auditor,
    an_inspector_of_another_team_gets_404_for_the_case => Visitor::OtherTeam,
    an_inspector_named_by_the_report_gets_404_for_the_case => Visitor::Excluded,
}
