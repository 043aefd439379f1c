//! Investigation: routing rules, the case file of each report (team, assignee, clocks,
//! conclusion), conflict-of-interest exclusions, links between cases, deadline extensions,
//! identity-disclosure requests and canned replies.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_reference_data::{OrgUnit, ViolationCategory};
use crate::m20261127_000002_reports::Report;
use crate::m20261127_000003_staff_accounts::{AppUser, InspectionTeam, StaffMember};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RoutingRule::Table)
                    .col(pk_auto(RoutingRule::Id))
                    .col(integer(RoutingRule::OrgUnitId))
                    .col(integer_null(RoutingRule::CategoryId))
                    .col(integer(RoutingRule::TeamId))
                    .col(timestamp_with_time_zone(RoutingRule::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_routing_rule_unit",
                        (RoutingRule::Table, RoutingRule::OrgUnitId),
                        (OrgUnit::Table, OrgUnit::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_routing_rule_category",
                        (RoutingRule::Table, RoutingRule::CategoryId),
                        (ViolationCategory::Table, ViolationCategory::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_routing_rule_team",
                        (RoutingRule::Table, RoutingRule::TeamId),
                        (InspectionTeam::Table, InspectionTeam::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseFile::Table)
                    .col(pk_auto(CaseFile::Id))
                    .col(integer_uniq(CaseFile::ReportId))
                    .col(integer_null(CaseFile::TeamId))
                    .col(integer_null(CaseFile::AssigneeUserId))
                    .col(string_len(CaseFile::Status, 24))
                    .col(integer(CaseFile::UnitId))
                    .col(integer(CaseFile::CategoryId))
                    .col(timestamp_with_time_zone(CaseFile::ReceivedAt))
                    .col(text(CaseFile::RoutingReason))
                    .col(boolean(CaseFile::SecondLevel))
                    .col(integer_null(CaseFile::NamedStaffMemberId))
                    .col(date_null(CaseFile::AcceptedOn))
                    .col(date(CaseFile::AcceptanceDue))
                    .col(date_null(CaseFile::NotifyDue))
                    .col(date_null(CaseFile::ResolutionDue))
                    .col(string_len_null(CaseFile::Finding, 32))
                    .col(text_null(CaseFile::ConclusionSummary))
                    .col(timestamp_with_time_zone_null(CaseFile::ClosedAt))
                    .col(boolean(CaseFile::StaffUnread))
                    .col(text(CaseFile::SearchText))
                    .col(timestamp_with_time_zone(CaseFile::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_case_file_report",
                        (CaseFile::Table, CaseFile::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_file_team",
                        (CaseFile::Table, CaseFile::TeamId),
                        (InspectionTeam::Table, InspectionTeam::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_file_assignee",
                        (CaseFile::Table, CaseFile::AssigneeUserId),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_file_unit",
                        (CaseFile::Table, CaseFile::UnitId),
                        (OrgUnit::Table, OrgUnit::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_file_category",
                        (CaseFile::Table, CaseFile::CategoryId),
                        (ViolationCategory::Table, ViolationCategory::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_file_staff",
                        (CaseFile::Table, CaseFile::NamedStaffMemberId),
                        (StaffMember::Table, StaffMember::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // The inbox: a team's cases, newest first, optionally by status or category.
        for (name, columns) in [
            (
                "idx_case_file_team_received",
                vec![CaseFile::TeamId, CaseFile::ReceivedAt],
            ),
            (
                "idx_case_file_team_status_received",
                vec![CaseFile::TeamId, CaseFile::Status, CaseFile::ReceivedAt],
            ),
            (
                "idx_case_file_team_category_received",
                vec![CaseFile::TeamId, CaseFile::CategoryId, CaseFile::ReceivedAt],
            ),
            (
                "idx_case_file_staff_member",
                vec![CaseFile::NamedStaffMemberId],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(CaseFile::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(CaseExclusion::Table)
                    .col(pk_auto(CaseExclusion::Id))
                    .col(integer(CaseExclusion::ReportId))
                    .col(integer(CaseExclusion::UserId))
                    .col(string_len(CaseExclusion::Reason, 32))
                    .foreign_key(&mut fk(
                        "fk_case_exclusion_report",
                        (CaseExclusion::Table, CaseExclusion::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_exclusion_user",
                        (CaseExclusion::Table, CaseExclusion::UserId),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_case_exclusion")
                    .table(CaseExclusion::Table)
                    .col(CaseExclusion::ReportId)
                    .col(CaseExclusion::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseLink::Table)
                    .col(pk_auto(CaseLink::Id))
                    .col(integer(CaseLink::ReportId))
                    .col(integer(CaseLink::LinkedReportId))
                    .col(integer(CaseLink::CreatedBy))
                    .col(timestamp_with_time_zone(CaseLink::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_case_link_report",
                        (CaseLink::Table, CaseLink::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_link_linked",
                        (CaseLink::Table, CaseLink::LinkedReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_link_user",
                        (CaseLink::Table, CaseLink::CreatedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DeadlineExtension::Table)
                    .col(pk_auto(DeadlineExtension::Id))
                    .col(integer(DeadlineExtension::ReportId))
                    .col(integer(DeadlineExtension::Days))
                    .col(text(DeadlineExtension::Reason))
                    .col(integer(DeadlineExtension::CreatedBy))
                    .col(timestamp_with_time_zone(DeadlineExtension::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_deadline_extension_report",
                        (DeadlineExtension::Table, DeadlineExtension::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_deadline_extension_user",
                        (DeadlineExtension::Table, DeadlineExtension::CreatedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdentityRequest::Table)
                    .col(pk_auto(IdentityRequest::Id))
                    .col(integer(IdentityRequest::ReportId))
                    .col(integer(IdentityRequest::RequestedBy))
                    .col(text(IdentityRequest::Reason))
                    .col(string_len(IdentityRequest::Status, 16))
                    .col(integer_null(IdentityRequest::DecidedBy))
                    .col(timestamp_with_time_zone_null(IdentityRequest::DecidedAt))
                    .col(text_null(IdentityRequest::DecisionNote))
                    .col(timestamp_with_time_zone(IdentityRequest::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_identity_request_report",
                        (IdentityRequest::Table, IdentityRequest::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_identity_request_requester",
                        (IdentityRequest::Table, IdentityRequest::RequestedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_identity_request_decider",
                        (IdentityRequest::Table, IdentityRequest::DecidedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CannedReply::Table)
                    .col(pk_auto(CannedReply::Id))
                    .col(string_len_uniq(CannedReply::Code, 40))
                    .col(string_len(CannedReply::TitleVi, 200))
                    .col(string_len(CannedReply::TitleEn, 200))
                    .col(text(CannedReply::BodyVi))
                    .col(text(CannedReply::BodyEn))
                    .col(boolean(CannedReply::Active))
                    .col(timestamp_with_time_zone(CannedReply::CreatedAt))
                    .col(timestamp_with_time_zone(CannedReply::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CannedReply::Table.into_iden(),
            IdentityRequest::Table.into_iden(),
            DeadlineExtension::Table.into_iden(),
            CaseLink::Table.into_iden(),
            CaseExclusion::Table.into_iden(),
            CaseFile::Table.into_iden(),
            RoutingRule::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum RoutingRule {
    Table,
    Id,
    OrgUnitId,
    CategoryId,
    TeamId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CaseFile {
    Table,
    Id,
    ReportId,
    TeamId,
    AssigneeUserId,
    Status,
    UnitId,
    CategoryId,
    ReceivedAt,
    RoutingReason,
    SecondLevel,
    NamedStaffMemberId,
    AcceptedOn,
    AcceptanceDue,
    NotifyDue,
    ResolutionDue,
    Finding,
    ConclusionSummary,
    ClosedAt,
    StaffUnread,
    SearchText,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CaseExclusion {
    Table,
    Id,
    ReportId,
    UserId,
    Reason,
}

#[derive(DeriveIden, Clone, Copy)]
enum CaseLink {
    Table,
    Id,
    ReportId,
    LinkedReportId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DeadlineExtension {
    Table,
    Id,
    ReportId,
    Days,
    Reason,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum IdentityRequest {
    Table,
    Id,
    ReportId,
    RequestedBy,
    Reason,
    Status,
    DecidedBy,
    DecidedAt,
    DecisionNote,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CannedReply {
    Table,
    Id,
    Code,
    TitleVi,
    TitleEn,
    BodyVi,
    BodyEn,
    Active,
    CreatedAt,
    UpdatedAt,
}
