//! A denunciation's procedural steps through the case page (`domain::procedure`): withdrawal
//! (Art. 33), suspension and resumption with the clock paused, termination (Art. 34), the
//! notices sent to each party, and the conclusion published on `/transparency` (Art. 40).

use chrono::{TimeZone, Utc};
use conduct_portal::domain::roles::Role;
use rocket::http::Status;

use crate::case_management::{act, case, report_at, verify, NAMED};
use crate::support::*;

/// A verified, accepted denunciation at Hàng Bạc naming `staff`, and a team with a lead
/// (signed in) and an inspector; returns the case id and the receipt code.
async fn denunciation(app: &TestApp, staff: &str) -> (i32, String) {
    let team = team_at(app, "PCHOANKIEM", "Tổ Hoàn Kiếm").await;
    member(app, team, "lead@evn.vn", &[Role::TeamLead]).await;
    member(app, team, "kiem.tra@evn.vn", &[Role::Inspector]).await;
    let mut named = NAMED.to_vec();
    named.push(("staff_name", staff));
    let (code, id) = report_at(app, "PCHK-PGDHANGBAC", "delay", &named).await;
    sign_in(app, "lead@evn.vn").await;
    verify(app, id).await;
    assert_eq!(act(app, id, "accept", &[]).await, Status::SeeOther);
    (id, code)
}

async fn refused_with(app: &TestApp, id: i32, action: &str, fields: &[(&str, &str)]) -> String {
    let response = app
        .post_form(&format!("/cases/{id}/actions/{action}"), fields)
        .await;
    assert_eq!(response.status(), Status::UnprocessableEntity, "{action}");
    response.into_string().await.unwrap()
}

async fn reporter_page(app: &TestApp, code: &str) -> String {
    app.post_form("/staff/sign-out", &[]).await;
    open_follow_up(app, code).await;
    app.get_text("/follow-up/status").await.1
}

const TERMINATE: [(&str, &str); 3] = [
    ("ground", "withdrawn"),
    ("decision_number", "21/QĐ-TTr"),
    ("confirm", "yes"),
];

#[rocket::async_test]
async fn a_withdrawn_denunciation_showing_a_violation_is_still_resolved_and_cannot_be_terminated() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let (id, code) = denunciation(&app, "Trần Văn Ghi").await;
    assert_eq!(
        act(&app, id, "start-investigation", &[]).await,
        Status::SeeOther
    );
    let page = refused_with(&app, id, "record-withdrawal", &[("scope", "whole")]).await;
    assert!(page.contains("Hãy chọn phạm vi và hình thức rút tố cáo"));
    let withdraw = [
        ("scope", "whole"),
        ("withdrawal_form", "written"),
        ("continues", "signs_of_violation"),
    ];
    assert_eq!(
        act(&app, id, "record-withdrawal", &withdraw).await,
        Status::SeeOther
    );

    let page = refused_with(&app, id, "terminate", &TERMINATE).await;
    assert!(
        page.contains("khoản 3 Điều 33 Luật Tố cáo"),
        "the refusal cites the article"
    );
    assert_eq!(case(&app, id).await.status, "investigating");
    let again = [("scope", "part"), ("withdrawal_form", "minutes")];
    let page = refused_with(&app, id, "record-withdrawal", &again).await;
    assert!(page.contains("đã rút toàn bộ tố cáo"));

    let (status, page) = app
        .get_text(&format!("/cases/{id}/documents/withdrawal"))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains("Về việc rút tố cáo")
            && page.contains("Hành vi bị tố cáo có dấu hiệu vi phạm")
    );
    assert!(page.contains("vẫn tiếp tục được giải quyết"));
    assert!(page.contains("Điều 33 Luật Tố cáo năm 2018"));
    assert!(
        !page.contains("Phạm Thị Tố Giác"),
        "the denouncer is never named"
    );

    let page = reporter_page(&app, &code).await;
    assert!(page.contains("Ghi nhận việc rút tố cáo"));
    assert!(
        page.contains("Đơn vị xử lý: Tổ Hoàn Kiếm"),
        "the body is named by its data"
    );
    assert!(page.contains("nội dung tố cáo vẫn tiếp tục được giải quyết"));
}

#[rocket::async_test]
async fn a_denunciation_withdrawn_outright_is_terminated_by_a_confirmed_numbered_decision() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let (id, code) = denunciation(&app, "Trần Văn Ghi").await;
    let page = refused_with(&app, id, "terminate", &TERMINATE).await;
    assert!(
        page.contains("điểm a khoản 3 Điều 34"),
        "nothing withdrawn yet"
    );
    let withdraw = [("scope", "whole"), ("withdrawal_form", "minutes")];
    assert_eq!(
        act(&app, id, "record-withdrawal", &withdraw).await,
        Status::SeeOther
    );

    become_user(&app, "kiem.tra@evn.vn").await;
    assert_eq!(
        act(&app, id, "terminate", &TERMINATE).await,
        Status::Forbidden
    );
    become_user(&app, "lead@evn.vn").await;
    let unconfirmed = &TERMINATE[..2];
    let page = refused_with(&app, id, "terminate", unconfirmed).await;
    assert!(page.contains("không thể hoàn tác"));
    let page = refused_with(
        &app,
        id,
        "terminate",
        &[("ground", "withdrawn"), ("confirm", "yes")],
    )
    .await;
    assert!(page.contains("Ghi số của quyết định"));
    assert_eq!(
        act(&app, id, "terminate", &TERMINATE).await,
        Status::SeeOther
    );
    let ended = case(&app, id).await;
    assert_eq!(ended.status, "terminated");
    assert!(ended.closed_at.is_some());
    assert_eq!(audited(&app, "case_terminate").await, 1);
    // Terminated is final.
    assert_eq!(
        act(&app, id, "reopen", &[("reason", "Mở lại hồ sơ")]).await,
        Status::Conflict
    );

    let (status, page) = app
        .get_text(&format!("/cases/{id}/documents/termination"))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Về việc đình chỉ việc giải quyết tố cáo"));
    assert!(
        page.contains("21&#x2F;QĐ-TTr")
            && page.contains("Người tố cáo rút toàn bộ nội dung tố cáo")
    );
    assert!(page.contains("khoản 3 và 4 Điều 34 Luật Tố cáo năm 2018"));

    let page = reporter_page(&app, &code).await;
    assert!(page.contains("Đình chỉ giải quyết"));
    assert!(page.contains("Quyết định đình chỉ được gửi cho Quý khách"));
}

#[rocket::async_test]
async fn a_suspension_stops_the_resolution_clock_and_the_resumption_adds_the_days_back() {
    let app = TestApp::spawn_with(no_two_factor).await;
    // Accepted Friday 27/11/2026: resolution due Monday 28/12/2026 (27/12 is a Sunday).
    let (id, code) = denunciation(&app, "Trần Văn Ghi").await;
    let mut named = NAMED.to_vec();
    named.push(("staff_name", "Lê Văn Khác"));
    let (_, other) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &named).await;
    verify(&app, other).await;
    act(&app, other, "accept", &[]).await;
    assert_eq!(
        case(&app, id).await.resolution_due.unwrap().to_string(),
        "2026-12-28"
    );

    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap());
    become_user(&app, "lead@evn.vn").await;
    let page = refused_with(&app, id, "suspend", &[("decision_number", "15/QĐ-TTr")]).await;
    assert!(page.contains("Hãy chọn căn cứ của quyết định (Điều 34 Luật Tố cáo)"));
    let suspend = [("ground", "assessment"), ("decision_number", "15/QĐ-TTr")];
    assert_eq!(act(&app, id, "suspend", &suspend).await, Status::SeeOther);
    let paused = case(&app, id).await;
    assert_eq!(paused.status, "suspended");
    assert_eq!(paused.suspended_on.unwrap().to_string(), "2026-12-01");

    // Past the old due date, the suspended case is not overdue; the other one is.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 29, 3, 0, 0).unwrap());
    become_user(&app, "lead@evn.vn").await;
    let (_, page) = app.get_text("/cases?deadline=overdue").await;
    assert!(
        page.contains(&format!("/cases/{other}\"")),
        "running clock overdue"
    );
    assert!(
        !page.contains(&format!("/cases/{id}\"")),
        "a paused clock is never overdue"
    );

    // 28 days suspended: 27/11 + 30 + 28 days is Sunday 24/01/2027 → Monday 25/01/2027.
    let resume = [("decision_number", "19/QĐ-TTr")];
    assert_eq!(
        act(&app, id, "resume-resolution", &resume).await,
        Status::SeeOther
    );
    let resumed = case(&app, id).await;
    assert_eq!(resumed.status, "investigating");
    assert_eq!(resumed.paused_days, 28);
    assert_eq!(resumed.suspended_on, None);
    assert_eq!(resumed.resolution_due.unwrap().to_string(), "2027-01-25");
    // An extension adds to the period itself, not to the rolled-off date: 24/01 + 10 days is
    // Wednesday 03/02/2027.
    let extend = [
        ("days", "10"),
        ("reason", "Cần xác minh tại ba điện lực"),
        ("complexity", "complex"),
        ("decision_number", "20/QĐ-TTr"),
    ];
    assert_eq!(
        act(&app, id, "extend-deadline", &extend).await,
        Status::SeeOther
    );
    assert_eq!(
        case(&app, id).await.resolution_due.unwrap().to_string(),
        "2027-02-03"
    );

    for (kind, words) in [
        (
            "suspension",
            "Cần đợi kết quả giám định bổ sung, giám định lại",
        ),
        ("resumption", "25&#x2F;01&#x2F;2027"),
    ] {
        let (status, page) = app.get_text(&format!("/cases/{id}/documents/{kind}")).await;
        assert_eq!(status, Status::Ok, "{kind}");
        assert!(page.contains(words), "{kind}");
        assert!(page.contains("Điều 34 Luật Tố cáo năm 2018"), "{kind}");
    }
    let (_, page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(page.contains("Các bước thủ tục") && page.contains("15&#x2F;QĐ-TTr"));
    assert!(page.contains("28 ngày, không tính vào thời hạn giải quyết"));

    let page = reporter_page(&app, &code).await;
    assert!(page.contains("Tạm đình chỉ việc giải quyết tố cáo"));
    assert!(page.contains("Tiếp tục giải quyết tố cáo"));
}

#[rocket::async_test]
async fn a_tip_has_no_procedure_and_notices_are_recorded_only_once_owed() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let (id, code) = denunciation(&app, "Trần Văn Ghi").await;
    let (_, tip) = report_at(&app, "PCHK-PGDHANGBAC", "delay", &[]).await;
    act(&app, tip, "accept", &[]).await;
    let page = refused_with(
        &app,
        tip,
        "record-withdrawal",
        &[("scope", "whole"), ("withdrawal_form", "written")],
    )
    .await;
    assert!(page.contains("phản ánh không thuộc Luật Tố cáo"));
    let (_, page) = app.get_text(&format!("/cases/{tip}")).await;
    assert!(!page.contains("actions/suspend") && !page.contains("actions/record-notice"));

    let early = [("notice", "conclusion_to_denouncer"), ("method", "post")];
    let page = refused_with(&app, id, "record-notice", &early).await;
    assert!(page.contains("chưa đến bước cần gửi thông báo này"));
    let page = refused_with(
        &app,
        id,
        "record-notice",
        &[("notice", "content_to_accused")],
    )
    .await;
    assert!(page.contains("Hãy chọn cách gửi thông báo"));
    for notice in ["acceptance_to_denouncer", "content_to_accused"] {
        let fields = [("notice", notice), ("method", "post")];
        assert_eq!(
            act(&app, id, "record-notice", &fields).await,
            Status::SeeOther
        );
    }
    assert_eq!(audited(&app, "case_record_notice").await, 2);
    let (_, page) = app.get_text(&format!("/cases/{id}")).await;
    assert!(page.contains("Thông báo nội dung tố cáo gửi người bị tố cáo (khoản 1 Điều 29)"));

    // The denouncer sees the notice meant for them, not the one sent to the person accused.
    let page = reporter_page(&app, &code).await;
    assert_eq!(page.matches("Đã gửi thông báo bằng văn bản").count(), 1);
}

#[rocket::async_test]
async fn a_team_lead_publishes_a_conclusion_on_transparency_only_without_identities() {
    let app = TestApp::spawn_with(no_two_factor).await;
    let (id, code) = denunciation(&app, "Trần Văn Ghi").await;
    let (_, page) = app.get_text("/transparency").await;
    assert!(page.contains("Chưa có kết luận nào được công khai."));
    act(&app, id, "start-investigation", &[]).await;
    let summary = "Nhân viên đã đòi tiền để lắp công tơ; đã đối chiếu hóa đơn.";
    let conclude = [("finding", "substantiated"), ("summary", summary)];
    assert_eq!(act(&app, id, "conclude", &conclude).await, Status::SeeOther);

    let public =
        "Nội dung tố cáo việc thu tiền ngoài quy định khi lắp công tơ là đúng; đã xử lý kỷ luật.";
    become_user(&app, "kiem.tra@evn.vn").await;
    assert_eq!(
        act(&app, id, "publish-conclusion", &[("summary", public)]).await,
        Status::Forbidden
    );
    become_user(&app, "lead@evn.vn").await;
    for naming in [
        "Bà PHAM THI TO GIAC tố cáo đúng việc thu tiền khi lắp công tơ.",
        "Nhân viên Trần Văn Ghi thu tiền khi lắp công tơ, tố cáo đúng.",
        "Liên hệ 0988 777 666 để biết thêm về việc thu tiền lắp công tơ.",
    ] {
        let page = refused_with(&app, id, "publish-conclusion", &[("summary", naming)]).await;
        assert!(page.contains("Tóm tắt có thông tin nhận dạng"), "{naming}");
    }
    assert_eq!(
        act(&app, id, "publish-conclusion", &[("summary", public)]).await,
        Status::SeeOther
    );
    let page = refused_with(&app, id, "publish-conclusion", &[("summary", public)]).await;
    assert!(page.contains("đã được công khai"));
    assert_eq!(audited(&app, "case_publish_conclusion").await, 1);

    let page = reporter_page(&app, &code).await;
    assert!(page.contains("Công khai kết luận nội dung tố cáo"));
    let (status, page) = app.get_text("/transparency").await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("thu tiền ngoài quy định khi lắp công tơ"));
    assert!(
        page.contains("Công ty Điện lực Hoàn Kiếm"),
        "named at company level"
    );
    assert!(!page.contains("Hàng Bạc"), "never the office");
    assert!(!page.contains("Trần Văn Ghi") && !page.contains("Phạm Thị Tố Giác"));
}
