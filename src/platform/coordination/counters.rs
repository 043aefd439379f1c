//! Per-key counter state (throttles, rate limits, the upload budget) with two backends chosen
//! from the database kind at start-up: in this process's memory (SQLite: one node), or one
//! `shared_counter` row per key in PostgreSQL (several nodes).
//!
//! Every change is one read-modify-write of a key's state. In memory it happens under a mutex;
//! in PostgreSQL inside a transaction that first takes the row with
//! `INSERT … ON CONFLICT DO UPDATE … RETURNING state`, which creates the row or locks the
//! existing one, so concurrent changes of one key from any node run one after another and the
//! same pure function (the caller's closure) decides in both backends. Keys are stored only as
//! a keyed hash (HMAC under the receipt key): the table never holds an address or an e-mail.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement, TransactionTrait};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::platform::crypto::{self, SecretKey32};
use crate::platform::persistence::Db;

/// Keys kept in memory before expired ones are dropped.
const MAX_TRACKED_KEYS: usize = 50_000;

/// When a key's state stops holding anything back (`None`: it holds nothing, drop it).
pub type Expiry<T> = Box<dyn Fn(&T) -> Option<DateTime<Utc>> + Send + Sync>;

enum Backend<T> {
    Memory(Mutex<HashMap<String, T>>),
    Shared { db: Db, hash_key: SecretKey32 },
}

/// The state of every key of one scope (`receipt`, `sign_in_account`, `upload_budget`, …).
pub struct Counters<T> {
    scope: &'static str,
    expiry: Expiry<T>,
    backend: Backend<T>,
}

impl<T> Counters<T>
where
    T: Default + Clone + Serialize + DeserializeOwned + Send + 'static,
{
    /// Counters in this process's memory.
    pub fn in_memory(scope: &'static str, expiry: Expiry<T>) -> Self {
        Self {
            scope,
            expiry,
            backend: Backend::Memory(Mutex::new(HashMap::new())),
        }
    }

    /// Shared in the database when it is PostgreSQL, in memory otherwise.
    pub fn for_database(
        scope: &'static str,
        expiry: Expiry<T>,
        db: &Db,
        hash_key: &SecretKey32,
    ) -> Self {
        if db.backend() != DatabaseBackend::Postgres {
            return Self::in_memory(scope, expiry);
        }
        Self {
            scope,
            expiry,
            backend: Backend::Shared {
                db: db.clone(),
                hash_key: hash_key.clone(),
            },
        }
    }

    /// Whether the state lives in the database.
    pub fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::Shared { .. })
    }

    /// Looks at `key`'s state without keeping any change `f` makes to it in the database
    /// (in memory, housekeeping such as forgetting old failures is kept, as before).
    pub async fn read<R>(&self, key: &str, f: impl FnOnce(&mut T) -> R) -> Result<R, DbErr> {
        match &self.backend {
            Backend::Memory(map) => {
                let mut map = lock(map);
                Ok(match map.get_mut(key) {
                    Some(state) => f(state),
                    None => f(&mut T::default()),
                })
            }
            Backend::Shared { db, hash_key } => {
                let row = db
                    .conn()
                    .query_one_raw(Statement::from_sql_and_values(
                        DatabaseBackend::Postgres,
                        "SELECT state FROM shared_counter WHERE scope = $1 AND key_hash = $2",
                        [self.scope.into(), self.hashed(hash_key, key).into()],
                    ))
                    .await?;
                let mut state = match row {
                    Some(row) => decode(&row.try_get::<String>("", "state")?),
                    None => T::default(),
                };
                Ok(f(&mut state))
            }
        }
    }

    /// Changes `key`'s state with `f`, atomically with respect to every other change of the
    /// key on any node. `now` only decides which expired keys memory may drop.
    pub async fn update<R>(
        &self,
        key: &str,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut T) -> R,
    ) -> Result<R, DbErr> {
        match &self.backend {
            Backend::Memory(map) => {
                let mut map = lock(map);
                if map.len() >= MAX_TRACKED_KEYS && !map.contains_key(key) {
                    map.retain(|_, state| (self.expiry)(state).is_some_and(|until| until > now));
                }
                let state = map.entry(key.to_string()).or_default();
                let result = f(state);
                if (self.expiry)(state).is_none() {
                    map.remove(key);
                }
                Ok(result)
            }
            Backend::Shared { db, hash_key } => {
                let hashed = self.hashed(hash_key, key);
                let tx = db.conn().begin().await?;
                // Creates the row or locks the existing one until the transaction ends.
                let row = tx
                    .query_one_raw(Statement::from_sql_and_values(
                        DatabaseBackend::Postgres,
                        "INSERT INTO shared_counter (scope, key_hash, state, expires_at) \
                         VALUES ($1, $2, '', $3) ON CONFLICT (scope, key_hash) \
                         DO UPDATE SET state = shared_counter.state RETURNING state",
                        [self.scope.into(), hashed.clone().into(), now.into()],
                    ))
                    .await?
                    .ok_or_else(|| DbErr::RecordNotFound("shared_counter".into()))?;
                let mut state: T = decode(&row.try_get::<String>("", "state")?);
                let result = f(&mut state);
                let statement = match (self.expiry)(&state) {
                    None => Statement::from_sql_and_values(
                        DatabaseBackend::Postgres,
                        "DELETE FROM shared_counter WHERE scope = $1 AND key_hash = $2",
                        [self.scope.into(), hashed.into()],
                    ),
                    Some(until) => Statement::from_sql_and_values(
                        DatabaseBackend::Postgres,
                        "UPDATE shared_counter SET state = $3, expires_at = $4 \
                         WHERE scope = $1 AND key_hash = $2",
                        [
                            self.scope.into(),
                            hashed.into(),
                            serde_json::to_string(&state).unwrap_or_default().into(),
                            until.into(),
                        ],
                    ),
                };
                tx.execute_raw(statement).await?;
                tx.commit().await?;
                Ok(result)
            }
        }
    }

    /// Forgets `key`.
    pub async fn remove(&self, key: &str) -> Result<(), DbErr> {
        match &self.backend {
            Backend::Memory(map) => {
                lock(map).remove(key);
                Ok(())
            }
            Backend::Shared { db, hash_key } => {
                db.conn()
                    .execute_raw(Statement::from_sql_and_values(
                        DatabaseBackend::Postgres,
                        "DELETE FROM shared_counter WHERE scope = $1 AND key_hash = $2",
                        [self.scope.into(), self.hashed(hash_key, key).into()],
                    ))
                    .await?;
                Ok(())
            }
        }
    }

    fn hashed(&self, hash_key: &SecretKey32, key: &str) -> String {
        crypto::lookup_hash(hash_key, &format!("counter:{}", self.scope), key)
    }
}

/// Deletes the shared counters of every scope that hold nothing back any more (the hourly
/// `counter_sweep` job). Memory counters drop their own expired keys as they fill up.
pub async fn sweep_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, DbErr> {
    if db.backend() != DatabaseBackend::Postgres {
        return Ok(0);
    }
    let done = db
        .conn()
        .execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "DELETE FROM shared_counter WHERE expires_at <= $1",
            [now.into()],
        ))
        .await?;
    Ok(done.rows_affected())
}

fn decode<T: Default + DeserializeOwned>(text: &str) -> T {
    if text.is_empty() {
        return T::default();
    }
    serde_json::from_str(text).unwrap_or_default()
}

fn lock<T>(map: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    map.lock().unwrap_or_else(|p| p.into_inner())
}
