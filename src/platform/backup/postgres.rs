//! PostgreSQL backups through the server's own tools: `pg_dump` in its custom format, reading
//! the snapshot a repeatable-read transaction of ours exports, so the manifest's counts come
//! from exactly what was dumped; `pg_restore` into an empty database. The tools receive the
//! URL without its password, which travels in `PGPASSWORD`: never on a command line that
//! `ps` shows, never printed.

use std::path::Path;
use std::process::Command;

use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DbErr, IsolationLevel, Statement,
    TransactionTrait,
};

use super::database::{self, Facts};
use super::BackupError;

/// A database URL split for libpq's tools.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Target {
    /// The URL with the password taken out.
    url: String,
    password: Option<String>,
}

impl Target {
    pub(super) fn parse(url: &str) -> Self {
        let unchanged = || Self {
            url: url.to_string(),
            password: None,
        };
        let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
            return unchanged();
        };
        let rest = &url[scheme_end..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let Some(at) = authority.rfind('@') else {
            return unchanged();
        };
        let Some((user, password)) = authority[..at].split_once(':') else {
            return unchanged();
        };
        Self {
            url: format!(
                "{}{user}@{}{}",
                &url[..scheme_end],
                &authority[at + 1..],
                &rest[authority_end..]
            ),
            password: Some(percent_decode(password)),
        }
    }

    fn command(&self, tool: &str) -> Command {
        let mut command = Command::new(tool);
        if let Some(password) = &self.password {
            command.env("PGPASSWORD", password);
        }
        command
    }
}

/// `%XX` escapes decoded (a URL's password may hold any character).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs `command` off the async threads and returns its standard output, or its standard
/// error as the failure.
async fn run(tool: &'static str, mut command: Command) -> Result<String, BackupError> {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|e| BackupError::Tool {
            tool,
            message: e.to_string(),
        })?
        .map_err(|e| BackupError::Tool {
            tool,
            message: format!("cannot run it ({e}); install the PostgreSQL client tools"),
        })?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    } else {
        Err(BackupError::Tool {
            tool,
            message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        })
    }
}

/// Dumps the database at `url` into `file` and returns the snapshot's facts and the version
/// of `pg_dump` that wrote it.
pub(super) async fn dump(
    live: &DatabaseConnection,
    url: &str,
    file: &Path,
) -> Result<(Facts, String), BackupError> {
    let version = run("pg_dump", {
        let mut command = Command::new("pg_dump");
        command.arg("--version");
        command
    })
    .await?;
    let target = Target::parse(url);
    let tx = live
        .begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await?;
    let snapshot = tx
        .query_one_raw(Statement::from_string(
            tx.get_database_backend(),
            "SELECT pg_export_snapshot() AS s",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("pg_export_snapshot()".into()))?
        .try_get::<String>("", "s")?;
    let facts = database::facts(&tx).await?;
    let mut command = target.command("pg_dump");
    command
        .arg("--format=custom")
        .arg(format!("--snapshot={snapshot}"))
        .arg("--file")
        .arg(file)
        .arg("--dbname")
        .arg(&target.url);
    // The exported snapshot lives as long as our transaction: it ends only after pg_dump.
    let dumped = run("pg_dump", command).await;
    tx.rollback().await?;
    dumped?;
    super::sync_file(file).await?;
    Ok((facts, version))
}

/// Whether the database has no table yet (a new, empty database).
pub(super) async fn is_empty(conn: &DatabaseConnection) -> Result<bool, DbErr> {
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT COUNT(*) AS n FROM information_schema.tables \
             WHERE table_schema = current_schema()",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the table count".into()))?;
    Ok(row.try_get::<i64>("", "n")? == 0)
}

/// Restores the archive `file` into the (empty) database at `url`, in one transaction: either
/// all of it is there or nothing. Owners and grants are left out, so the configured user owns
/// what it restores.
pub(super) async fn restore(url: &str, file: &Path) -> Result<(), BackupError> {
    let target = Target::parse(url);
    let mut command = target.command("pg_restore");
    command
        .arg("--no-owner")
        .arg("--no-acl")
        .arg("--exit-on-error")
        .arg("--single-transaction")
        .arg("--dbname")
        .arg(&target.url)
        .arg(file);
    run("pg_restore", command).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_and_is_decoded() {
        assert_eq!(
            Target::parse("postgres://portal:s%40cr%3At@db.evn.vn:5432/conduct?sslmode=require"),
            Target {
                url: "postgres://portal@db.evn.vn:5432/conduct?sslmode=require".into(),
                password: Some("s@cr:t".into()),
            }
        );
        assert_eq!(
            Target::parse("postgres://postgres@127.0.0.1:5432/postgres"),
            Target {
                url: "postgres://postgres@127.0.0.1:5432/postgres".into(),
                password: None,
            }
        );
        assert_eq!(
            Target::parse("postgresql://u:p@h/db"),
            Target {
                url: "postgresql://u@h/db".into(),
                password: Some("p".into()),
            }
        );
    }

    #[test]
    fn a_lone_percent_sign_stays_as_it_is() {
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
    }
}
