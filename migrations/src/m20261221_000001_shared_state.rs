//! State that several portal nodes share on PostgreSQL (issue 16, item 3).
//!
//! `shared_counter`: the throttles' and rate limits' per-key state (wrong receipt codes,
//! sign-in guesses, the anonymous upload budget, the API's and commendations' rates), one row
//! per scope and key. The key is only ever a keyed hash of the client address, e-mail or token
//! it counts; `state` is the counter's own JSON; `expires_at` says when the row holds nothing
//! back any more, so the hourly sweep can delete it. SQLite keeps these counters in memory.
//!
//! `job_lease`: one row per background job (retention, deadline alerts, notification sending,
//! the orphan and counter sweeps). A node runs a job only after claiming its row with one
//! `UPDATE … WHERE next_run_at <= now AND lease expired`; a crashed node's lease expires.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SharedCounter {
    Table,
    Scope,
    KeyHash,
    State,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum JobLease {
    Table,
    Name,
    Holder,
    LeaseUntil,
    NextRunAt,
    LastStartedAt,
    LastFinishedAt,
    Runs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SharedCounter::Table)
                    .col(string_len(SharedCounter::Scope, 32))
                    .col(string_len(SharedCounter::KeyHash, 64))
                    .col(text(SharedCounter::State))
                    .col(timestamp_with_time_zone(SharedCounter::ExpiresAt))
                    .primary_key(
                        Index::create()
                            .col(SharedCounter::Scope)
                            .col(SharedCounter::KeyHash),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_shared_counter_expires_at")
                    .table(SharedCounter::Table)
                    .col(SharedCounter::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLease::Table)
                    .col(string_len(JobLease::Name, 64).primary_key())
                    .col(string_len_null(JobLease::Holder, 80))
                    .col(timestamp_with_time_zone_null(JobLease::LeaseUntil))
                    .col(timestamp_with_time_zone_null(JobLease::NextRunAt))
                    .col(timestamp_with_time_zone_null(JobLease::LastStartedAt))
                    .col(timestamp_with_time_zone_null(JobLease::LastFinishedAt))
                    .col(big_integer(JobLease::Runs).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JobLease::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SharedCounter::Table).to_owned())
            .await
    }
}
