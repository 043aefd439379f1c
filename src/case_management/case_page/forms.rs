//! The choices the case page's forms offer: the workflow actions the viewer's roles allow in
//! the current state, the team's eligible assignees (workers not excluded for a conflict of
//! interest), other active teams for a transfer, findings, canned replies (one may prefill the
//! reply box), and the viewer's own identity requests.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::case_management::access::{user_may_see, Viewer};
use crate::case_management::intake::team_workers;
use crate::case_management::names::Names;
use crate::domain::status::CaseStatus;
use crate::domain::track::{self, Track};
use crate::domain::workflow::{self, Action, Finding};
use crate::platform::persistence::entities::{
    canned_reply, case_file, identity_request, inspection_team,
};
use crate::web::format::local_time;
use crate::web::i18n::Lang;

/// A code with its label (workflow actions, findings).
#[derive(Serialize)]
pub struct Choice {
    code: String,
    label: String,
}

/// A person or team to pick.
#[derive(Serialize)]
pub struct Pick {
    id: i32,
    name: Option<String>,
}

/// A canned reply.
#[derive(Serialize)]
pub struct CannedView {
    code: String,
    title: String,
    body: String,
}

/// One of the viewer's identity requests.
#[derive(Serialize)]
pub struct IdentityRequestView {
    status: String,
    status_label: String,
    at: String,
}

/// The workflow actions `viewer` may take on a case in `status` on `track`. Only a
/// denunciation is accepted (thụ lý) or declined; a tip is taken up or not: its actions read so.
pub fn actions(lang: Lang, viewer: &Viewer, status: CaseStatus, track: Track) -> Vec<Choice> {
    workflow::available(status, &viewer.user.roles)
        .into_iter()
        .filter(|a| track::offers(track, *a))
        .map(|a| {
            let code = a.slug();
            let key = match (a, track.is_denunciation()) {
                (Action::Accept | Action::Decline, false) => format!("action-{code}-tip"),
                _ => format!("action-{code}"),
            };
            Choice {
                label: lang.t(&key),
                code,
            }
        })
        .collect()
}

/// Every finding a conclusion may state.
pub fn findings(lang: Lang) -> Vec<Choice> {
    Finding::ALL
        .iter()
        .map(|f| Choice {
            code: f.as_str().to_string(),
            label: lang.t(&f.label_key()),
        })
        .collect()
}

/// Who in the case's team may take it on.
pub async fn assignees<C: ConnectionTrait>(
    conn: &C,
    names: &Names,
    case: &case_file::Model,
) -> Result<Vec<Pick>, DbErr> {
    let Some(team) = case.team_id else {
        return Ok(Vec::new());
    };
    let mut picks = Vec::new();
    for id in team_workers(conn, team).await? {
        if user_may_see(conn, id, case.report_id).await? {
            picks.push(Pick {
                id,
                name: names.users.get(&id).cloned(),
            });
        }
    }
    Ok(picks)
}

/// The active teams a case may be transferred to (not its own).
pub async fn transfer_teams<C: ConnectionTrait>(
    conn: &C,
    case: &case_file::Model,
) -> Result<Vec<Pick>, DbErr> {
    Ok(inspection_team::Entity::find()
        .filter(inspection_team::Column::Active.eq(true))
        .order_by_asc(inspection_team::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .filter(|t| Some(t.id) != case.team_id)
        .map(|t| Pick {
            id: t.id,
            name: Some(t.name),
        })
        .collect())
}

/// The active canned replies and the body of the one asked for (empty when none).
pub async fn canned_replies<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    canned: Option<&str>,
) -> Result<(Vec<CannedView>, String), DbErr> {
    let replies: Vec<CannedView> = canned_reply::Entity::find()
        .filter(canned_reply::Column::Active.eq(true))
        .order_by_asc(canned_reply::Column::Code)
        .all(conn)
        .await?
        .into_iter()
        .map(|c| CannedView {
            code: c.code,
            title: lang.pick(&c.title_vi, &c.title_en),
            body: lang.pick(&c.body_vi, &c.body_en),
        })
        .collect();
    let prefill = canned
        .and_then(|code| replies.iter().find(|c| c.code == code))
        .map(|c| c.body.clone())
        .unwrap_or_default();
    Ok((replies, prefill))
}

/// The viewer's identity requests on a case, newest first.
pub async fn identity_requests<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    viewer: &Viewer,
    report_id: i32,
) -> Result<Vec<IdentityRequestView>, DbErr> {
    Ok(identity_request::Entity::find()
        .filter(identity_request::Column::ReportId.eq(report_id))
        .filter(identity_request::Column::RequestedBy.eq(viewer.user.id))
        .order_by_desc(identity_request::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| IdentityRequestView {
            status_label: lang.t(&format!("identity-status-{}", r.status)),
            status: r.status,
            at: local_time(r.created_at),
        })
        .collect())
}
