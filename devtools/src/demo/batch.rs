//! Multi-row INSERTs for bulk loading: rows are collected per table in memory and turned into
//! as few statements as the databases' bound-parameter limits allow (SQLite 32,766,
//! PostgreSQL 65,535). Same statement shapes repeat, so the drivers' statement caches hold them.

use sea_orm::{DatabaseBackend, Statement, Value};

/// Bound parameters per statement, below both databases' limits.
const MAX_PARAMS: usize = 30_000;

/// The rows of one table waiting to be inserted.
pub struct Rows {
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<Value>,
}

impl Rows {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            table,
            columns,
            values: Vec::new(),
        }
    }

    /// Adds one row; `row` holds one value per column, in order.
    pub fn push<const N: usize>(&mut self, row: [Value; N]) {
        debug_assert_eq!(N, self.columns.len(), "row width of {}", self.table);
        self.values.extend(row);
    }

    pub fn len(&self) -> usize {
        self.values.len() / self.columns.len().max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The INSERT statements for every row collected, emptying the buffer.
    pub fn take_statements(&mut self, backend: DatabaseBackend) -> Vec<Statement> {
        let width = self.columns.len().max(1);
        let per_statement = (MAX_PARAMS / width).max(1);
        let mut left = self.len();
        let mut values = std::mem::take(&mut self.values).into_iter();
        let mut statements = Vec::new();
        let mut full_sql: Option<String> = None;
        while left > 0 {
            let rows = left.min(per_statement);
            let sql = if rows == per_statement {
                full_sql
                    .get_or_insert_with(|| insert_sql(backend, self.table, self.columns, rows))
                    .clone()
            } else {
                insert_sql(backend, self.table, self.columns, rows)
            };
            let chunk: Vec<Value> = values.by_ref().take(rows * width).collect();
            statements.push(Statement::from_sql_and_values(backend, sql, chunk));
            left -= rows;
        }
        statements
    }
}

/// `INSERT INTO "t" ("a", "b") VALUES (?, ?), (?, ?)` with the backend's placeholders.
fn insert_sql(backend: DatabaseBackend, table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = String::with_capacity(64 + rows * columns.len() * 7);
    sql.push_str("INSERT INTO \"");
    sql.push_str(table);
    sql.push_str("\" (");
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('"');
        sql.push_str(column);
        sql.push('"');
    }
    sql.push_str(") VALUES ");
    let mut n = 0usize;
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push('(');
        for column in 0..columns.len() {
            if column > 0 {
                sql.push(',');
            }
            n += 1;
            match backend {
                DatabaseBackend::Postgres => {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_split_at_the_parameter_limit_with_backend_placeholders() {
        let mut rows = Rows::new("t", &["a", "b"]);
        for i in 0..(MAX_PARAMS / 2 + 3) {
            rows.push([Value::from(i as i32), Value::from("x")]);
        }
        let pg = rows.take_statements(DatabaseBackend::Postgres);
        assert_eq!(pg.len(), 2);
        assert!(pg[1]
            .sql
            .starts_with("INSERT INTO \"t\" (\"a\", \"b\") VALUES ($1,$2),"));
        assert!(pg[1].sql.ends_with("($5,$6)"));
        assert!(rows.is_empty());

        rows.push([Value::from(1), Value::from("y")]);
        let lite = rows.take_statements(DatabaseBackend::Sqlite);
        assert_eq!(lite.len(), 1);
        assert_eq!(lite[0].sql, "INSERT INTO \"t\" (\"a\", \"b\") VALUES (?,?)");
    }
}
