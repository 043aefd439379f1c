//! A counter of reference-data changes (issue 17, item 1). Every node keeps the units,
//! categories, culture code, holidays and hotlines in memory (`web::reference`) and compares
//! this one row with the version it loaded, at most once a second, to reload after an admin's
//! change made through any node.
//!
//! The counter is bumped by triggers on the reference tables, so it moves in the same
//! transaction as every change, whichever code makes it (admin pages, the reference loader,
//! a restore). Triggers are not part of the portable DSL: SQLite has row triggers only,
//! PostgreSQL runs one statement trigger calling a shared function.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose rows the in-memory reference data is made of.
const TABLES: [&str; 5] = [
    "org_unit",
    "violation_category",
    "holiday",
    "culture_chapter",
    "culture_article",
];

const BUMP: &str = "UPDATE reference_version SET version = version + 1 WHERE id = 1";

#[derive(DeriveIden)]
enum ReferenceVersion {
    Table,
    Id,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReferenceVersion::Table)
                    .col(
                        ColumnDef::new(ReferenceVersion::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ReferenceVersion::Version)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("INSERT INTO reference_version (id, version) VALUES (1, 1)")
            .await?;
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION bump_reference_version() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN {BUMP}; RETURN NULL; END $$"
                ))
                .await?;
                for table in TABLES {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_reference_version \
                         AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} \
                         FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version()"
                    ))
                    .await?;
                }
            }
            _ => {
                for table in TABLES {
                    for event in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_reference_version_{event} \
                             AFTER {event} ON {table} BEGIN {BUMP}; END"
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                for table in TABLES {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER {table}_reference_version ON {table}"
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP FUNCTION bump_reference_version()")
                    .await?;
            }
            _ => {
                for table in TABLES {
                    for event in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER {table}_reference_version_{event}"
                        ))
                        .await?;
                    }
                }
            }
        }
        manager
            .drop_table(Table::drop().table(ReferenceVersion::Table).to_owned())
            .await
    }
}
