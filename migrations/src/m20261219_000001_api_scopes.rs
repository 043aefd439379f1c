//! The API, second part (issue 15): the `api` intake channel, under which reports sent through
//! `POST /api/v1/reports` are counted (they were counted as `web`, and keep that), and
//! `api_scope_request`, a scope an admin asked for on an integration token that a custodian
//! must approve before it is added to the token (`cases:text`: the report's text).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000003_staff_accounts::AppUser;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut seed = Query::insert();
        seed.into_table(IntakeChannel::Table)
            .columns([
                IntakeChannel::Code,
                IntakeChannel::NameVi,
                IntakeChannel::NameEn,
                IntakeChannel::SortOrder,
                IntakeChannel::Active,
                IntakeChannel::CreatedAt,
                IntakeChannel::UpdatedAt,
            ])
            .values([
                "api".into(),
                "Ứng dụng tích hợp (API)".into(),
                "Integrated apps (API)".into(),
                15.into(),
                true.into(),
                Expr::current_timestamp(),
                Expr::current_timestamp(),
            ])
            .map_err(|e| DbErr::Migration(e.to_string()))?;
        manager.exec_stmt(seed).await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiScopeRequest::Table)
                    .col(pk_auto(ApiScopeRequest::Id))
                    .col(integer(ApiScopeRequest::TokenId))
                    .col(string_len(ApiScopeRequest::Scope, 40))
                    .col(integer_null(ApiScopeRequest::RequestedBy))
                    .col(timestamp_with_time_zone(ApiScopeRequest::CreatedAt))
                    .col(string_len(ApiScopeRequest::Status, 20))
                    .col(integer_null(ApiScopeRequest::DecidedBy))
                    .col(timestamp_with_time_zone_null(ApiScopeRequest::DecidedAt))
                    .col(string_len_null(ApiScopeRequest::DecisionNote, 1000))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_scope_request_token")
                            .from(ApiScopeRequest::Table, ApiScopeRequest::TokenId)
                            .to(ApiToken::Table, ApiToken::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_scope_request_requested_by")
                            .from(ApiScopeRequest::Table, ApiScopeRequest::RequestedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_scope_request_decided_by")
                            .from(ApiScopeRequest::Table, ApiScopeRequest::DecidedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiScopeRequest::Table).to_owned())
            .await?;
        let mut delete = Query::delete();
        delete
            .from_table(IntakeChannel::Table)
            .and_where(Expr::col(IntakeChannel::Code).eq("api"));
        manager.exec_stmt(delete).await
    }
}

#[derive(DeriveIden)]
enum IntakeChannel {
    Table,
    Code,
    NameVi,
    NameEn,
    SortOrder,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ApiScopeRequest {
    Table,
    Id,
    TokenId,
    Scope,
    RequestedBy,
    CreatedAt,
    Status,
    DecidedBy,
    DecidedAt,
    DecisionNote,
}
