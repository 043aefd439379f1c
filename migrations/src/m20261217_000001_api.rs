//! The JSON API (`/api/v1`): integration tokens and the idempotency records of report
//! submissions.
//!
//! `api_token`: a token an admin (or the command line: no `created_by`) issued to a named
//! integration, with its scopes (comma-separated
//! names), the team a `cases:read` token reads, an expiry and a revocation. The token itself is
//! shown once; the row holds only its SHA-256.
//!
//! `api_idempotency`: one row per `Idempotency-Key` a report submission came with, for a day.
//! The key is stored only as a keyed hash, and the receipt code only sealed under a key derived
//! from the client's key, so the row alone (even with the server's keys) gives the code back to
//! nobody but the client that chose the key.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000002_reports::Report;
use crate::m20261127_000003_staff_accounts::{AppUser, InspectionTeam};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .col(pk_auto(ApiToken::Id))
                    .col(string_len(ApiToken::Name, 80))
                    .col(string_len_uniq(ApiToken::TokenHash, 64))
                    .col(string_len(ApiToken::Scopes, 200))
                    .col(integer_null(ApiToken::TeamId))
                    .col(integer_null(ApiToken::CreatedBy))
                    .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                    .col(timestamp_with_time_zone(ApiToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiToken::RevokedAt))
                    .col(integer_null(ApiToken::RevokedBy))
                    .col(timestamp_with_time_zone_null(ApiToken::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_token_team")
                            .from(ApiToken::Table, ApiToken::TeamId)
                            .to(InspectionTeam::Table, InspectionTeam::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_token_created_by")
                            .from(ApiToken::Table, ApiToken::CreatedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_token_revoked_by")
                            .from(ApiToken::Table, ApiToken::RevokedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiIdempotency::Table)
                    .col(pk_auto(ApiIdempotency::Id))
                    .col(string_len_uniq(ApiIdempotency::KeyHash, 64))
                    .col(string_len(ApiIdempotency::RequestHash, 64))
                    .col(integer(ApiIdempotency::ReportId))
                    .col(blob(ApiIdempotency::SealedReceipt))
                    .col(timestamp_with_time_zone(ApiIdempotency::CreatedAt))
                    .col(timestamp_with_time_zone(ApiIdempotency::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_idempotency_report")
                            .from(ApiIdempotency::Table, ApiIdempotency::ReportId)
                            .to(Report::Table, Report::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiIdempotency::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ApiToken::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    Name,
    TokenHash,
    Scopes,
    TeamId,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    RevokedBy,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum ApiIdempotency {
    Table,
    Id,
    KeyHash,
    RequestHash,
    ReportId,
    SealedReceipt,
    CreatedAt,
    ExpiresAt,
}
