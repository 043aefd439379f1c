//! Labour discipline: the admin-edited list of internal (non-disciplinary) measures, seeded
//! with defaults; the findings of a substantiated case per accused staff member with the
//! culture-code article versions violated; and the disciplinary decision per (case, staff
//! member), which may handle several of that person's findings together.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000002_reports::Report;
use crate::m20261127_000003_staff_accounts::{AppUser, StaffMember};

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

/// The internal measures shipped by default: code, Vietnamese and English names, sort order. Admins
/// rename, add and deactivate them afterwards; the seed runs once, with the migration.
const DEFAULT_MEASURES: [(&str, &str, &str, i32); 5] = [
    ("reminder", "Nhắc nhở", "Reminder", 10),
    ("criticism", "Phê bình", "Criticism", 20),
    ("retraining", "Đào tạo lại", "Retraining", 30),
    (
        "emulation_points",
        "Trừ điểm thi đua",
        "Deduction of emulation points",
        40,
    ),
    (
        "reassignment",
        "Điều chuyển vị trí không tiếp xúc khách hàng",
        "Reassignment away from customer contact",
        50,
    ),
];

async fn add_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + Copy + 'static,
    columns: &[impl IntoIden + Copy + 'static],
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    if unique {
        index.unique();
    }
    for column in columns {
        index.col(*column);
    }
    manager.create_index(index.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InternalMeasure::Table)
                    .col(pk_auto(InternalMeasure::Id))
                    .col(string_len_uniq(InternalMeasure::Code, 40))
                    .col(string_len(InternalMeasure::NameVi, 200))
                    .col(string_len(InternalMeasure::NameEn, 200))
                    .col(integer(InternalMeasure::SortOrder))
                    .col(boolean(InternalMeasure::Active))
                    .col(timestamp_with_time_zone(InternalMeasure::CreatedAt))
                    .col(timestamp_with_time_zone(InternalMeasure::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        let mut seed = Query::insert();
        seed.into_table(InternalMeasure::Table).columns([
            InternalMeasure::Code,
            InternalMeasure::NameVi,
            InternalMeasure::NameEn,
            InternalMeasure::SortOrder,
            InternalMeasure::Active,
            InternalMeasure::CreatedAt,
            InternalMeasure::UpdatedAt,
        ]);
        for (code, name_vi, name_en, sort_order) in DEFAULT_MEASURES {
            seed.values([
                code.into(),
                name_vi.into(),
                name_en.into(),
                sort_order.into(),
                true.into(),
                Expr::current_timestamp(),
                Expr::current_timestamp(),
            ])
            .map_err(|e| DbErr::Migration(e.to_string()))?;
        }
        manager.exec_stmt(seed).await?;

        manager
            .create_table(
                Table::create()
                    .table(DisciplineDecision::Table)
                    .col(pk_auto(DisciplineDecision::Id))
                    .col(integer(DisciplineDecision::ReportId))
                    .col(integer(DisciplineDecision::StaffMemberId))
                    .col(string_len(DisciplineDecision::Measure, 24))
                    .col(integer_null(DisciplineDecision::DeferralMonths))
                    .col(integer_null(DisciplineDecision::InternalMeasureId))
                    .col(string_len(DisciplineDecision::DecisionNumber, 64))
                    .col(date(DisciplineDecision::DecisionDate))
                    .col(string_len(DisciplineDecision::SignerName, 200))
                    .col(string_len(DisciplineDecision::SignerTitle, 200))
                    .col(boolean(DisciplineDecision::RepresentativeTookPart))
                    .col(boolean(DisciplineDecision::EmployeeHeard))
                    .col(string_len_null(DisciplineDecision::MinutesReference, 100))
                    .col(boolean(DisciplineDecision::ProtectedStateChecked))
                    .col(string_len(DisciplineDecision::ProtectedStateFound, 24))
                    .col(text_null(DisciplineDecision::ExtensionReason))
                    .col(text_null(DisciplineDecision::ExtensionLegalBasis))
                    .col(string_len(DisciplineDecision::AppealStatus, 16))
                    .col(date_null(DisciplineDecision::ClearsOn))
                    .col(integer(DisciplineDecision::CreatedBy))
                    .col(timestamp_with_time_zone(DisciplineDecision::CreatedAt))
                    .col(timestamp_with_time_zone(DisciplineDecision::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_discipline_decision_report",
                        (DisciplineDecision::Table, DisciplineDecision::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_discipline_decision_staff",
                        (DisciplineDecision::Table, DisciplineDecision::StaffMemberId),
                        (StaffMember::Table, StaffMember::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_discipline_decision_measure",
                        (
                            DisciplineDecision::Table,
                            DisciplineDecision::InternalMeasureId,
                        ),
                        (InternalMeasure::Table, InternalMeasure::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_discipline_decision_creator",
                        (DisciplineDecision::Table, DisciplineDecision::CreatedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // One decision per (case, staff member); a person's history reads by staff member.
        add_index(
            manager,
            "uq_discipline_decision_case_staff",
            DisciplineDecision::Table,
            &[
                DisciplineDecision::ReportId,
                DisciplineDecision::StaffMemberId,
            ],
            true,
        )
        .await?;
        add_index(
            manager,
            "idx_discipline_decision_staff",
            DisciplineDecision::Table,
            &[DisciplineDecision::StaffMemberId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(DisciplineFinding::Table)
                    .col(pk_auto(DisciplineFinding::Id))
                    .col(integer(DisciplineFinding::ReportId))
                    .col(integer(DisciplineFinding::StaffMemberId))
                    .col(date(DisciplineFinding::ViolationDate))
                    .col(integer_null(DisciplineFinding::DecisionId))
                    .col(string_len_null(DisciplineFinding::ProposedMeasure, 40))
                    .col(integer(DisciplineFinding::CreatedBy))
                    .col(timestamp_with_time_zone(DisciplineFinding::CreatedAt))
                    .col(timestamp_with_time_zone(DisciplineFinding::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_discipline_finding_report",
                        (DisciplineFinding::Table, DisciplineFinding::ReportId),
                        (Report::Table, Report::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_discipline_finding_staff",
                        (DisciplineFinding::Table, DisciplineFinding::StaffMemberId),
                        (StaffMember::Table, StaffMember::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_discipline_finding_decision",
                        (DisciplineFinding::Table, DisciplineFinding::DecisionId),
                        (DisciplineDecision::Table, DisciplineDecision::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_discipline_finding_creator",
                        (DisciplineFinding::Table, DisciplineFinding::CreatedBy),
                        (AppUser::Table, AppUser::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        add_index(
            manager,
            "uq_discipline_finding_case_staff",
            DisciplineFinding::Table,
            &[
                DisciplineFinding::ReportId,
                DisciplineFinding::StaffMemberId,
            ],
            true,
        )
        .await?;
        add_index(
            manager,
            "idx_discipline_finding_staff_date",
            DisciplineFinding::Table,
            &[
                DisciplineFinding::StaffMemberId,
                DisciplineFinding::ViolationDate,
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(DisciplineFindingArticle::Table)
                    .col(pk_auto(DisciplineFindingArticle::Id))
                    .col(integer(DisciplineFindingArticle::FindingId))
                    .col(integer(DisciplineFindingArticle::ArticleId))
                    .col(string_len(DisciplineFindingArticle::ArticleKey, 32))
                    .foreign_key(&mut fk(
                        "fk_discipline_finding_article_finding",
                        (
                            DisciplineFindingArticle::Table,
                            DisciplineFindingArticle::FindingId,
                        ),
                        (DisciplineFinding::Table, DisciplineFinding::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_discipline_finding_article_version",
                        (
                            DisciplineFindingArticle::Table,
                            DisciplineFindingArticle::ArticleId,
                        ),
                        (CultureArticle::Table, CultureArticle::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        add_index(
            manager,
            "uq_discipline_finding_article",
            DisciplineFindingArticle::Table,
            &[
                DisciplineFindingArticle::FindingId,
                DisciplineFindingArticle::ArticleKey,
            ],
            true,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DisciplineFindingArticle::Table.into_iden(),
            DisciplineFinding::Table.into_iden(),
            DisciplineDecision::Table.into_iden(),
            InternalMeasure::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Only the columns this migration refers to.
#[derive(DeriveIden, Clone, Copy)]
enum CultureArticle {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum InternalMeasure {
    Table,
    Id,
    Code,
    NameVi,
    NameEn,
    SortOrder,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DisciplineDecision {
    Table,
    Id,
    ReportId,
    StaffMemberId,
    Measure,
    DeferralMonths,
    InternalMeasureId,
    DecisionNumber,
    DecisionDate,
    SignerName,
    SignerTitle,
    RepresentativeTookPart,
    EmployeeHeard,
    MinutesReference,
    ProtectedStateChecked,
    ProtectedStateFound,
    ExtensionReason,
    ExtensionLegalBasis,
    AppealStatus,
    ClearsOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DisciplineFinding {
    Table,
    Id,
    ReportId,
    StaffMemberId,
    ViolationDate,
    DecisionId,
    ProposedMeasure,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DisciplineFindingArticle {
    Table,
    Id,
    FindingId,
    ArticleId,
    ArticleKey,
}
