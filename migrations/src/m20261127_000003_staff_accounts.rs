//! Staff accounts, roles, inspection teams, the staff directory, server-side sessions, one-time
//! setup tokens, recovery codes and the hash-chained audit log.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_reference_data::OrgUnit;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffMember::Table)
                    .col(pk_auto(StaffMember::Id))
                    .col(string_len_uniq(StaffMember::EmployeeNumber, 32))
                    .col(string_len(StaffMember::FullName, 200))
                    .col(string_len(StaffMember::FullNameFolded, 200))
                    .col(integer(StaffMember::UnitId))
                    .col(string_len_null(StaffMember::Position, 200))
                    .col(boolean(StaffMember::Active))
                    .col(timestamp_with_time_zone(StaffMember::CreatedAt))
                    .col(timestamp_with_time_zone(StaffMember::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_member_unit")
                            .from(StaffMember::Table, StaffMember::UnitId)
                            .to(OrgUnit::Table, OrgUnit::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(pk_auto(AppUser::Id))
                    .col(string_len_uniq(AppUser::Email, 254))
                    .col(string_len(AppUser::DisplayName, 200))
                    .col(string_len_null(AppUser::PasswordHash, 200))
                    .col(boolean(AppUser::Active))
                    .col(boolean(AppUser::MustChangePassword))
                    .col(blob_null(AppUser::TotpSecret))
                    .col(boolean(AppUser::TotpEnabled))
                    .col(big_integer_null(AppUser::TotpLastStep))
                    .col(integer_null(AppUser::StaffMemberId))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .col(timestamp_with_time_zone(AppUser::UpdatedAt))
                    .col(timestamp_with_time_zone_null(AppUser::LastSignInAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_app_user_staff_member")
                            .from(AppUser::Table, AppUser::StaffMemberId)
                            .to(StaffMember::Table, StaffMember::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserRole::Table)
                    .col(pk_auto(UserRole::Id))
                    .col(integer(UserRole::UserId))
                    .col(string_len(UserRole::Role, 16))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_role_user")
                            .from(UserRole::Table, UserRole::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "uq_user_role",
            UserRole::Table,
            &[UserRole::UserId, UserRole::Role],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(InspectionTeam::Table)
                    .col(pk_auto(InspectionTeam::Id))
                    .col(string_len(InspectionTeam::Name, 200))
                    .col(integer(InspectionTeam::OrgUnitId))
                    .col(boolean(InspectionTeam::Active))
                    .col(timestamp_with_time_zone(InspectionTeam::CreatedAt))
                    .col(timestamp_with_time_zone(InspectionTeam::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inspection_team_unit")
                            .from(InspectionTeam::Table, InspectionTeam::OrgUnitId)
                            .to(OrgUnit::Table, OrgUnit::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TeamMember::Table)
                    .col(pk_auto(TeamMember::Id))
                    .col(integer(TeamMember::TeamId))
                    .col(integer(TeamMember::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_team_member_team")
                            .from(TeamMember::Table, TeamMember::TeamId)
                            .to(InspectionTeam::Table, InspectionTeam::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_team_member_user")
                            .from(TeamMember::Table, TeamMember::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "uq_team_member",
            TeamMember::Table,
            &[TeamMember::TeamId, TeamMember::UserId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecoveryCode::Table)
                    .col(pk_auto(RecoveryCode::Id))
                    .col(integer(RecoveryCode::UserId))
                    .col(string_len_uniq(RecoveryCode::CodeHash, 64))
                    .col(timestamp_with_time_zone_null(RecoveryCode::UsedAt))
                    .col(timestamp_with_time_zone(RecoveryCode::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_recovery_code_user")
                            .from(RecoveryCode::Table, RecoveryCode::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StaffSession::Table)
                    .col(pk_auto(StaffSession::Id))
                    .col(string_len_uniq(StaffSession::TokenHash, 64))
                    .col(integer(StaffSession::UserId))
                    .col(string_len(StaffSession::Stage, 24))
                    .col(timestamp_with_time_zone(StaffSession::CreatedAt))
                    .col(timestamp_with_time_zone(StaffSession::LastSeenAt))
                    .col(timestamp_with_time_zone(StaffSession::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_session_user")
                            .from(StaffSession::Table, StaffSession::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SetupToken::Table)
                    .col(pk_auto(SetupToken::Id))
                    .col(string_len_uniq(SetupToken::TokenHash, 64))
                    .col(string_len(SetupToken::Purpose, 24))
                    .col(integer_null(SetupToken::UserId))
                    .col(timestamp_with_time_zone(SetupToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(SetupToken::UsedAt))
                    .col(timestamp_with_time_zone(SetupToken::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_setup_token_user")
                            .from(SetupToken::Table, SetupToken::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(integer_null(AuditLog::ActorUserId))
                    .col(string_len(AuditLog::ActorLabel, 254))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::ObjectType, 32))
                    .col(string_len_null(AuditLog::ObjectId, 64))
                    .col(text_null(AuditLog::Details))
                    .col(string_len(AuditLog::PrevHash, 64))
                    .col(string_len(AuditLog::Hash, 64))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_audit_log_at", AuditLog::At),
            ("idx_audit_log_action", AuditLog::Action),
            ("idx_audit_log_actor", AuditLog::ActorUserId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditLog::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            SetupToken::Table.into_iden(),
            StaffSession::Table.into_iden(),
            RecoveryCode::Table.into_iden(),
            TeamMember::Table.into_iden(),
            InspectionTeam::Table.into_iden(),
            UserRole::Table.into_iden(),
            AppUser::Table.into_iden(),
            StaffMember::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn unique_index<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table).unique();
    for column in columns {
        index.col(*column);
    }
    manager.create_index(index.to_owned()).await
}

#[derive(DeriveIden, Clone, Copy)]
pub enum StaffMember {
    Table,
    Id,
    EmployeeNumber,
    FullName,
    FullNameFolded,
    UnitId,
    Position,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AppUser {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Active,
    MustChangePassword,
    TotpSecret,
    TotpEnabled,
    TotpLastStep,
    StaffMemberId,
    CreatedAt,
    UpdatedAt,
    LastSignInAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum UserRole {
    Table,
    Id,
    UserId,
    Role,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum InspectionTeam {
    Table,
    Id,
    Name,
    OrgUnitId,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TeamMember {
    Table,
    Id,
    TeamId,
    UserId,
}

#[derive(DeriveIden, Clone, Copy)]
enum RecoveryCode {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum StaffSession {
    Table,
    Id,
    TokenHash,
    UserId,
    Stage,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SetupToken {
    Table,
    Id,
    TokenHash,
    Purpose,
    UserId,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    ActorLabel,
    Action,
    ObjectType,
    ObjectId,
    Details,
    PrevHash,
    Hash,
}
