//! Settings, extracted once from Rocket's figment (`Rocket.toml` profiles overridden by
//! `ROCKET_*` variables) and validated before launch. Secrets come from the environment; when a
//! key is missing, a development key is generated into the data directory with a loud warning.

use std::path::{Path, PathBuf};

use rocket::figment::Figment;
use serde::Deserialize;

use crate::domain::calendar::DeadlineSettings;
use crate::domain::discipline::DisciplineSettings;
use crate::domain::retention::RetentionSettings;
use crate::domain::roles::Role;
use crate::platform::crypto::{Argon2Cost, SecretKey32};
pub use crate::platform::evidence::settings::EvidenceSettings;
use crate::platform::net::Cidr;
use crate::platform::notify::NotifySettings;
use crate::platform::privacy::PrivacySettings;

mod limits;
pub use limits::{ApiSettings, RateSettings, ThrottleSettings};

/// The raw settings as they appear in the figment.
#[derive(Debug, Deserialize)]
struct RawSettings {
    #[serde(default = "default_data_dir")]
    data_dir: PathBuf,
    database_url: Option<String>,
    master_key: Option<String>,
    /// Master keys being rotated away from, comma-separated hex; read, never used to wrap.
    previous_master_keys: Option<String>,
    receipt_key: Option<String>,
    #[serde(default = "default_db_max_connections")]
    database_max_connections: u32,
    #[serde(default = "default_sqlite_mmap_mib")]
    sqlite_mmap_mib: u64,
    #[serde(default = "default_follow_up_minutes")]
    follow_up_session_minutes: i64,
    #[serde(default = "default_argon2_concurrency")]
    argon2_concurrency: usize,
    /// The test suite's cheap Argon2 parameters; refused in the release profile.
    #[serde(default)]
    argon2_test_cost: bool,
    #[serde(default)]
    throttle: ThrottleSettings,
    #[serde(default = "default_sign_in_throttle")]
    sign_in_throttle: ThrottleSettings,
    #[serde(default)]
    commend_limit: RateSettings,
    #[serde(default = "default_session_idle")]
    session_idle_minutes: i64,
    #[serde(default = "default_session_absolute")]
    session_absolute_hours: i64,
    #[serde(default = "default_two_factor_roles")]
    two_factor_roles: Vec<String>,
    public_url: Option<String>,
    /// Reverse proxies (CIDR ranges) allowed to name the client's address and scheme.
    #[serde(default, deserialize_with = "crate::platform::net::string_or_list")]
    trusted_proxies: Vec<String>,
    #[serde(default)]
    deadlines: DeadlineSettings,
    #[serde(default)]
    discipline: DisciplineSettings,
    #[serde(default)]
    evidence: EvidenceSettings,
    #[serde(default)]
    retention: RetentionSettings,
    #[serde(default)]
    privacy: PrivacySettings,
    #[serde(flatten)]
    notify: NotifySettings,
    #[serde(default)]
    api: ApiSettings,
}

fn default_sign_in_throttle() -> ThrottleSettings {
    ThrottleSettings {
        free_failures: 3,
        base_delay_seconds: 2,
        lock_after_failures: 10,
        lock_minutes: 15,
        window_minutes: 60,
    }
}
fn default_session_idle() -> i64 {
    30
}
fn default_session_absolute() -> i64 {
    12
}
/// Every role that reads case contents, identities, disciplinary histories or the audit trail:
/// leadership reads every disciplinary history, auditors every sensitive action; and the
/// operator, who enters callers' reports (names, phone numbers) and reads a caller's case by
/// their receipt code.
fn default_two_factor_roles() -> Vec<String> {
    [
        "admin",
        "inspector",
        "team_lead",
        "custodian",
        "leadership",
        "operator",
        "auditor",
    ]
    .map(String::from)
    .to_vec()
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}
fn default_db_max_connections() -> u32 {
    8
}
fn default_sqlite_mmap_mib() -> u64 {
    crate::platform::persistence::DEFAULT_SQLITE_MMAP_MIB
}
fn default_follow_up_minutes() -> i64 {
    30
}
fn default_argon2_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// The validated configuration the app runs with.
#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub database_max_connections: u32,
    /// SQLite: how much of the database file is read through a memory map (MiB; 0: none).
    pub sqlite_mmap_mib: u64,
    pub master_key: SecretKey32,
    /// Earlier master keys, still accepted for unwrapping until `keys rotate` has run.
    pub previous_master_keys: Vec<SecretKey32>,
    pub receipt_key: SecretKey32,
    pub follow_up_session_minutes: i64,
    pub argon2_concurrency: usize,
    /// Always [`Argon2Cost::Owasp`] outside the test suite.
    pub argon2_cost: Argon2Cost,
    pub throttle: ThrottleSettings,
    pub sign_in_throttle: ThrottleSettings,
    /// Commendations one client address may send (`/commend`).
    pub commend_limit: RateSettings,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    /// Roles whose holders must use two-factor sign-in.
    pub two_factor_roles: Vec<Role>,
    /// The address people reach the portal at, for links printed on the console. When it
    /// starts with `https://`, every cookie is `Secure` and HSTS is sent.
    pub public_url: Option<String>,
    /// Peers whose `X-Forwarded-For` / `X-Real-IP` / `X-Forwarded-Proto` are believed; empty
    /// by default, so no client can choose the address its attempts are counted under.
    pub trusted_proxies: Vec<Cidr>,
    /// The legal clocks (Law on Denunciations 2018, Art. 24, 29, 30), all configurable.
    pub deadlines: DeadlineSettings,
    /// Labour discipline: limitation, clearing, repeat patterns, what reporters see.
    pub discipline: DisciplineSettings,
    pub evidence: EvidenceSettings,
    /// How long closed cases keep their personal data (`domain::retention`).
    pub retention: RetentionSettings,
    /// The privacy notice's controller and contact; the erasure ledger's place.
    pub privacy: PrivacySettings,
    /// E-mail, SMS and the outbox's sender (`platform::notify`).
    pub notify: NotifySettings,
    /// The JSON API's CORS allow-list and limits.
    pub api: ApiSettings,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("follow_up_session_minutes", &self.follow_up_session_minutes)
            .finish_non_exhaustive()
    }
}

/// Why the settings cannot be used; launch stops with this message.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid settings: {}", describe(.0))]
    Figment(#[from] Box<rocket::figment::Error>),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the data directory {path} is not writable ({source}); give the portal's user write \
         access or set ROCKET_DATA_DIR"
    )]
    DataDirNotWritable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{name} must be 64 hexadecimal characters (32 bytes)")]
    BadKey { name: &'static str },
    #[error("cannot read or write the development key {path}: {source}")]
    KeyFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Reads and validates the settings; creates the data directory and development keys.
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let raw: RawSettings = figment.extract().map_err(Box::new)?;
        std::fs::create_dir_all(&raw.data_dir).map_err(|source| ConfigError::DataDir {
            path: raw.data_dir.clone(),
            source,
        })?;
        probe_writable(&raw.data_dir).map_err(|source| ConfigError::DataDirNotWritable {
            path: raw.data_dir.clone(),
            source,
        })?;
        let database_url = match raw.database_url {
            Some(url) if !url.trim().is_empty() => url,
            _ => default_sqlite_url(&raw.data_dir),
        };
        if raw.follow_up_session_minutes <= 0
            || raw.argon2_concurrency == 0
            || raw.session_idle_minutes <= 0
            || raw.session_absolute_hours <= 0
        {
            return Err(ConfigError::Invalid(
                "follow_up_session_minutes, session_idle_minutes, session_absolute_hours and \
                 argon2_concurrency must be positive"
                    .into(),
            ));
        }
        let argon2_cost = if raw.argon2_test_cost {
            if figment.profile() == rocket::Config::RELEASE_PROFILE {
                return Err(ConfigError::Invalid(
                    "argon2_test_cost weakens every password and receipt hash and is refused \
                     in the release profile"
                        .into(),
                ));
            }
            tracing::warn!("argon2_test_cost is on: hashes are weak; for the test suite only");
            Argon2Cost::Test
        } else {
            Argon2Cost::Owasp
        };
        let two_factor_roles = raw
            .two_factor_roles
            .iter()
            .map(|name| name.parse::<Role>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ConfigError::Invalid(format!("two_factor_roles: {e}")))?;
        raw.discipline.validate().map_err(ConfigError::Invalid)?;
        if raw.commend_limit.max == 0 || raw.commend_limit.window_minutes <= 0 {
            return Err(ConfigError::Invalid(
                "commend_limit.max and commend_limit.window_minutes must be positive".into(),
            ));
        }
        let trusted_proxies = crate::platform::net::parse_list(&raw.trusted_proxies)
            .map_err(|e| ConfigError::Invalid(format!("trusted_proxies: {e}")))?;
        if let Some(url) = raw.public_url.as_deref() {
            if !url.starts_with("https://") && !url.starts_with("http://") {
                return Err(ConfigError::Invalid(format!(
                    "public_url must start with https:// or http://, not {url:?}"
                )));
            }
        }
        raw.evidence.validate().map_err(ConfigError::Invalid)?;
        let limits = [&raw.api.report_limit, &raw.api.token_limit];
        if limits.iter().any(|l| l.max == 0 || l.window_minutes <= 0)
            || raw.api.follow_up_token_minutes <= 0
        {
            return Err(ConfigError::Invalid(
                "api.report_limit, api.token_limit and api.follow_up_token_minutes must be \
                 positive"
                    .into(),
            ));
        }
        if let Some(problem) = raw.notify.problem() {
            return Err(ConfigError::Invalid(problem));
        }
        if let Some(problem) = raw.retention.problem() {
            return Err(ConfigError::Invalid(format!("retention: {problem}")));
        }
        let previous_master_keys = raw
            .previous_master_keys
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| {
                SecretKey32::from_hex(k).ok_or(ConfigError::BadKey {
                    name: "ROCKET_PREVIOUS_MASTER_KEYS",
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let master_key = key_from_env_or_file(raw.master_key, "ROCKET_MASTER_KEY", &raw.data_dir)?;
        let receipt_key =
            key_from_env_or_file(raw.receipt_key, "ROCKET_RECEIPT_KEY", &raw.data_dir)?;
        Ok(Self {
            data_dir: raw.data_dir,
            database_url,
            database_max_connections: raw.database_max_connections.max(1),
            sqlite_mmap_mib: raw.sqlite_mmap_mib,
            master_key,
            previous_master_keys,
            receipt_key,
            follow_up_session_minutes: raw.follow_up_session_minutes,
            argon2_concurrency: raw.argon2_concurrency,
            argon2_cost,
            throttle: raw.throttle,
            sign_in_throttle: raw.sign_in_throttle,
            commend_limit: raw.commend_limit,
            session_idle_minutes: raw.session_idle_minutes,
            session_absolute_hours: raw.session_absolute_hours,
            two_factor_roles,
            public_url: raw.public_url,
            trusted_proxies,
            deadlines: raw.deadlines,
            discipline: raw.discipline,
            evidence: raw.evidence,
            retention: raw.retention,
            privacy: raw.privacy,
            notify: raw.notify,
            api: raw.api,
        })
    }
}

impl Config {
    /// Whether the portal is reached over HTTPS whatever the connection it sees (a proxy
    /// terminates TLS): cookies are then always `Secure` and HSTS is sent.
    pub fn public_url_is_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }

    /// The master key named `key_id`: the current one or one being rotated away from.
    pub fn master_key_by_id(&self, key_id: &str) -> Option<&SecretKey32> {
        std::iter::once(&self.master_key)
            .chain(&self.previous_master_keys)
            .find(|k| k.key_id() == key_id)
    }

    /// Unwraps a report's data key with whichever master key wrapped it.
    pub fn unwrap_report_key(
        &self,
        row: &crate::platform::persistence::entities::report_key::Model,
    ) -> Result<SecretKey32, crate::platform::crypto::OpenError> {
        let master = self
            .master_key_by_id(&row.master_key_id)
            .ok_or(crate::platform::crypto::OpenError)?;
        crate::platform::crypto::unwrap_data_key(master, row.report_id, &row.wrapped_key)
    }
}

impl Config {
    /// Opens data sealed directly under a master key (TOTP secrets), trying the current key
    /// first, then those being rotated away from.
    pub fn open_with_master(
        &self,
        context: &[u8],
        sealed: &[u8],
    ) -> Result<Vec<u8>, crate::platform::crypto::OpenError> {
        std::iter::once(&self.master_key)
            .chain(&self.previous_master_keys)
            .find_map(|key| crate::platform::crypto::open(key, context, sealed).ok())
            .ok_or(crate::platform::crypto::OpenError)
    }
}

/// A settings error and every error figment chained to it, on one line.
pub fn describe(error: &rocket::figment::Error) -> String {
    error
        .clone()
        .into_iter()
        .map(|single| single.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Creates and removes a file in `dir`, so that a directory the portal cannot write is reported
/// at start-up rather than at the first upload or key file.
fn probe_writable(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".write-probe-{}", std::process::id()));
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(&probe)
}

/// The default database: a SQLite file in the data directory, created when missing.
pub fn default_sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("portal.db").display())
}

/// Hides a password in a database URL before it is shown anywhere.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Takes a key from the environment, or from (or into) a development key file under the data
/// directory. The file fallback warns loudly: it is fine on a laptop, never in production.
fn key_from_env_or_file(
    configured: Option<String>,
    name: &'static str,
    data_dir: &Path,
) -> Result<SecretKey32, ConfigError> {
    if let Some(hex_key) = configured.filter(|k| !k.trim().is_empty()) {
        return SecretKey32::from_hex(hex_key.trim()).ok_or(ConfigError::BadKey { name });
    }
    let path = data_dir
        .join("keys")
        .join(format!("{}.key", name.to_lowercase()));
    let key = read_or_create_key_file(&path, name)?;
    SecretKey32::from_hex(key.trim()).ok_or(ConfigError::BadKey { name })
}

/// Rocket's cookie secret: from `ROCKET_SECRET_KEY`, else a development key in the data dir.
pub fn cookie_secret(figment: &Figment, data_dir: &Path) -> Result<Option<String>, ConfigError> {
    let configured = figment
        .extract_inner::<rocket::config::SecretKey>("secret_key")
        .is_ok_and(|key| !key.is_zero());
    if configured {
        return Ok(None);
    }
    let path = data_dir.join("keys").join("rocket_secret_key.key");
    read_or_create_key_file(&path, "ROCKET_SECRET_KEY").map(Some)
}

/// Keys are stored as 64 hexadecimal characters, a form Rocket's `secret_key` also accepts.
fn read_or_create_key_file(path: &Path, name: &str) -> Result<String, ConfigError> {
    let io_error = |source| ConfigError::KeyFile {
        path: path.to_path_buf(),
        source,
    };
    if let Ok(existing) = std::fs::read_to_string(path) {
        tracing::warn!(
            "{name} is not set: using the development key in {}. Set {name} in production.",
            path.display()
        );
        return Ok(existing.trim().to_string());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_error)?;
    }
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let encoded = hex::encode(bytes);
    write_private_file(path, &encoded).map_err(io_error)?;
    tracing::warn!(
        "!!! {name} is not set: generated a DEVELOPMENT key into {}. \
         Anyone with this file can read protected data. Set {name} in production. !!!",
        path.display()
    );
    Ok(encoded)
}

fn write_private_file(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_settings_name_what_is_wrong() {
        assert!(EvidenceSettings::default().validate().is_ok());
        let no_bucket = EvidenceSettings {
            store: "s3".into(),
            ..EvidenceSettings::default()
        };
        assert!(no_bucket.validate().unwrap_err().contains("s3_bucket"));
        let unknown = EvidenceSettings {
            store: "ftp".into(),
            ..EvidenceSettings::default()
        };
        assert!(unknown
            .validate()
            .unwrap_err()
            .contains("\"local\" or \"s3\""));
        let zero = EvidenceSettings {
            max_files: 0,
            ..EvidenceSettings::default()
        };
        assert!(zero.validate().is_err());
    }

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://user:secret@localhost/db"),
            "postgres://user:***@localhost/db"
        );
        assert_eq!(
            redact_url("sqlite://data/portal.db"),
            "sqlite://data/portal.db"
        );
    }

    fn figment(profile: &str, dir: &std::path::Path) -> Figment {
        Figment::from(rocket::Config::default())
            .merge(("data_dir", dir.display().to_string()))
            .merge(("master_key", "11".repeat(32)))
            .merge(("receipt_key", "22".repeat(32)))
            .select(profile)
    }

    #[test]
    fn servers_hash_at_the_owasp_minimum_and_the_test_cost_is_refused_in_release() {
        let dir = tempfile::tempdir().unwrap();
        let plain = Config::from_figment(&figment("release", dir.path())).unwrap();
        assert_eq!(plain.argon2_cost, Argon2Cost::Owasp);
        let release = figment("release", dir.path()).merge(("argon2_test_cost", true));
        assert!(matches!(
            Config::from_figment(&release),
            Err(ConfigError::Invalid(message)) if message.contains("argon2_test_cost")
        ));
        let debug = figment("debug", dir.path()).merge(("argon2_test_cost", true));
        assert_eq!(
            Config::from_figment(&debug).unwrap().argon2_cost,
            Argon2Cost::Test
        );
    }
}
