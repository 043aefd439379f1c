//! Other cases on the case page: those naming the same person (a repeat pattern) and the cases
//! linked by hand. Both show only the cases the viewer may open ([`Viewer::visible`], the
//! filter [`load_case`] uses): a case of another team, or one the viewer is excluded from,
//! does not reveal its reference, status or finding here.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::Serialize;

use crate::case_management::access::{load_case, Viewer};
use crate::case_management::reference_of;
use crate::domain::conflict::same_name_key;
use crate::domain::status::CaseStatus;
use crate::domain::text::fold;
use crate::domain::workflow::Finding;
use crate::platform::persistence::entities::{case_file, case_link, case_name_key, report};
use crate::web::error::AppResult;
use crate::web::format::local_time;
use crate::web::i18n::Lang;

/// A case naming the same person.
#[derive(Serialize)]
pub struct RelatedView {
    id: i32,
    reference: String,
    received: String,
    status: String,
    finding: Option<String>,
}

/// A case linked by hand.
#[derive(Serialize)]
pub struct LinkView {
    id: i32,
    reference: String,
    status: String,
}

fn status_label(lang: Lang, case: &case_file::Model) -> String {
    case.status
        .parse::<CaseStatus>()
        .map(|s| lang.t(&s.label_key()))
        .unwrap_or_default()
}

/// The other cases about the same person: by employee number, or the same normalised name in
/// the same unit. `None` when the report names nobody.
async fn same_person<C: ConnectionTrait>(
    conn: &C,
    case: &case_file::Model,
    report: &report::Model,
) -> Result<Option<Select<case_file::Entity>>, DbErr> {
    let others = case_file::Entity::find().filter(case_file::Column::ReportId.ne(report.id));
    if let Some(staff) = case.named_staff_member_id {
        return Ok(Some(
            others.filter(case_file::Column::NamedStaffMemberId.eq(staff)),
        ));
    }
    let Some(name) = report.staff_name.as_deref().filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    // The reports giving the same folded name (`name_keys`), then compared: only those few
    // are read, however many named reports the unit has.
    let folded = fold(name);
    let same_name = Query::select()
        .column(case_name_key::Column::ReportId)
        .from(case_name_key::Entity)
        .and_where(Expr::col(case_name_key::Column::Key).eq(same_name_key(name)))
        .to_owned();
    let ids: Vec<i32> = report::Entity::find()
        .select_only()
        .column(report::Column::Id)
        .column(report::Column::StaffName)
        .filter(report::Column::Id.in_subquery(same_name))
        .filter(report::Column::UnitId.eq(report.unit_id))
        .filter(report::Column::Id.ne(report.id))
        .into_tuple::<(i32, Option<String>)>()
        .all(conn)
        .await?
        .into_iter()
        .filter(|(_, staff_name)| staff_name.as_deref().map(fold).as_deref() == Some(&folded))
        .map(|(id, _)| id)
        .collect();
    Ok(Some(others.filter(case_file::Column::ReportId.is_in(ids))))
}

/// Other cases naming the same person, newest first.
pub async fn related<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    viewer: &Viewer,
    case: &case_file::Model,
    report: &report::Model,
) -> Result<Vec<RelatedView>, DbErr> {
    let Some(query) = same_person(conn, case, report).await? else {
        return Ok(Vec::new());
    };
    let others = query
        .filter(viewer.visible())
        .order_by_desc(case_file::Column::ReceivedAt)
        .all(conn)
        .await?;
    Ok(others
        .into_iter()
        .map(|other| RelatedView {
            id: other.report_id,
            reference: reference_of(&other),
            received: local_time(other.received_at),
            status: status_label(lang, &other),
            finding: other
                .finding
                .as_deref()
                .and_then(Finding::parse)
                .map(|f| lang.t(&f.label_key())),
        })
        .collect())
}

/// The cases linked to `report_id` (either way round) that the viewer may see.
pub async fn links<C: ConnectionTrait>(
    conn: &C,
    lang: Lang,
    viewer: &Viewer,
    report_id: i32,
) -> AppResult<Vec<LinkView>> {
    let rows = case_link::Entity::find()
        .filter(
            Condition::any()
                .add(case_link::Column::ReportId.eq(report_id))
                .add(case_link::Column::LinkedReportId.eq(report_id)),
        )
        .all(conn)
        .await?;
    let mut out = Vec::new();
    for link in rows {
        let other = if link.report_id == report_id {
            link.linked_report_id
        } else {
            link.report_id
        };
        if let Ok((other_case, _)) = load_case(conn, viewer, other).await {
            out.push(LinkView {
                id: other,
                reference: reference_of(&other_case),
                status: status_label(lang, &other_case),
            });
        }
    }
    Ok(out)
}
