//! Internal measures may not be fines, pay cuts or disguised sanctions (Labour Code 2019
//! Art. 127(2); the forms of discipline are only those of Art. 124). Internal measures gain a
//! description in both languages, and the two risky seeded ones are deactivated with the reason
//! in their description: deducting emulation points (it lowers bonuses, a pay cut in effect)
//! and reassignment away from customer contact (a sanction outside Art. 124). They are not
//! deleted: decisions may name them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InternalMeasure {
    Table,
    Code,
    Active,
    DescriptionVi,
    DescriptionEn,
    UpdatedAt,
}

/// Code, why in Vietnamese, why in English.
const REVIEWED: [(&str, &str, &str); 2] = [
    (
        "emulation_points",
        "Ngừng sử dụng: trừ điểm thi đua làm giảm tiền thưởng, tức là cắt giảm thu nhập thay cho xử lý kỷ luật lao động, điều bị cấm (khoản 2 Điều 127 Bộ luật Lao động 2019). Giữ lại để các quyết định cũ vẫn hiện tên.",
        "Deactivated: deducting emulation points lowers bonuses, which cuts pay instead of disciplining, and that is forbidden (Labour Code 2019, Article 127(2)). Kept so that earlier decisions still show its name.",
    ),
    (
        "reassignment",
        "Ngừng sử dụng: điều chuyển vị trí để xử lý vi phạm là hình thức kỷ luật trá hình, không có trong Điều 124 Bộ luật Lao động 2019 (khoản 2 Điều 127 cấm xử lý bằng tiền, lương thay cho kỷ luật; chuyển người lao động làm công việc khác chỉ được làm theo Điều 29). Giữ lại để các quyết định cũ vẫn hiện tên.",
        "Deactivated: reassigning someone to deal with a violation is a disguised sanction, not one of the forms of Labour Code 2019 Article 124 (Article 127(2) forbids sanctions on money or pay in place of discipline; moving an employee to other work is allowed only under Article 29). Kept so that earlier decisions still show its name.",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column at a time.
        for column in [
            InternalMeasure::DescriptionVi,
            InternalMeasure::DescriptionEn,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(InternalMeasure::Table)
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        for (code, why_vi, why_en) in REVIEWED {
            manager
                .exec_stmt(
                    Query::update()
                        .table(InternalMeasure::Table)
                        .value(InternalMeasure::Active, false)
                        .value(InternalMeasure::DescriptionVi, why_vi)
                        .value(InternalMeasure::DescriptionEn, why_en)
                        .value(InternalMeasure::UpdatedAt, Expr::current_timestamp())
                        .and_where(Expr::col(InternalMeasure::Code).eq(code))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (code, _, _) in REVIEWED {
            manager
                .exec_stmt(
                    Query::update()
                        .table(InternalMeasure::Table)
                        .value(InternalMeasure::Active, true)
                        .and_where(Expr::col(InternalMeasure::Code).eq(code))
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            InternalMeasure::DescriptionEn,
            InternalMeasure::DescriptionVi,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(InternalMeasure::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
