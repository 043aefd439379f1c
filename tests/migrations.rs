//! The migration tree runs up, down to zero and up again on the test database.

use migrations::{Migrator, MigratorTrait};
use sea_orm::Database;

use crate::support::*;

#[rocket::async_test]
async fn the_migration_tree_runs_up_down_to_zero_and_up_again() {
    let app = TestApp::spawn().await;
    submit_anonymous(&app, "Dữ liệu sẽ bị xóa khi chạy migration xuống.").await;
    let db = Database::connect(&app.database_url).await.unwrap();
    let applied = Migrator::get_applied_migrations(&db).await.unwrap().len();
    assert_eq!(applied, Migrator::migrations().len());

    Migrator::down(&db, None).await.unwrap();
    assert!(Migrator::get_applied_migrations(&db)
        .await
        .unwrap()
        .is_empty());
    for table in APP_TABLES {
        assert!(
            !migrations::SchemaManager::new(&db)
                .has_table(*table)
                .await
                .unwrap(),
            "{table} survived the way down"
        );
    }

    Migrator::up(&db, None).await.unwrap();
    assert_eq!(
        Migrator::get_applied_migrations(&db).await.unwrap().len(),
        Migrator::migrations().len()
    );
    assert_eq!(app.count("report").await, 0);
    db.close().await.unwrap();
}
