//! The one place the Rocket application is assembled, used by `main` and by the tests:
//! settings → database (migrations, reference data) → managed state → fairings → routes.

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::fs::FileServer;
use rocket::{Build, Rocket};
use rocket_dyn_templates::Template;

use crate::platform::clock::SharedClock;
use crate::platform::config::{self, Config, ConfigError};
use crate::platform::crypto::{HashError, SlowHasher};
use crate::platform::persistence::reference::{self, ReferenceError};
use crate::platform::persistence::Db;
use crate::web::health;
pub use crate::web::state::AppState;
use crate::web::throttle::AttemptLimiter;
use crate::web::{catchers, csrf, headers, i18n, proxy};
use crate::{admin, analytics, auth, case_management, discipline, public_reporting};

/// Why the portal could not start. Each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot connect to the database {url}: {source}")]
    Database { url: String, source: sea_orm::DbErr },
    #[error("a database migration failed, so the portal will not start: {0}")]
    Migration(sea_orm::DbErr),
    #[error("the analytics rollups could not be rebuilt: {0}")]
    Rollups(sea_orm::DbErr),
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error("the reference data could not be read: {0}")]
    ReferenceCache(sea_orm::DbErr),
    #[error(transparent)]
    Hasher(#[from] HashError),
    #[error("the evidence store is not usable: {0}")]
    Evidence(#[from] crate::platform::evidence::store::StoreError),
    #[error("sealing the text of earlier reports failed: {0}")]
    SealText(sea_orm::DbErr),
    #[error("indexing the staff names of earlier reports failed: {0}")]
    NameKeys(sea_orm::DbErr),
    #[error(
        "a restore into this data directory has not finished ({0}): run `conduct-portal \
         restore` again into an empty database and data directory; serving now could show \
         data whose erasure has not been replayed"
    )]
    UnfinishedRestore(std::path::PathBuf),
    #[error("cannot write the pages compiled into the binary under the data directory: {0}")]
    Assets(std::io::Error),
    #[error("invalid setting {name}: {source}")]
    Setting {
        name: &'static str,
        source: Box<rocket::figment::Error>,
    },
    #[error("invalid server setting: {}", config::describe(.0))]
    Server(Box<rocket::figment::Error>),
}

/// Rocket's own settings (address, port, workers, limits, TLS, secret key…), checked before
/// anything reads them: Rocket itself would panic with a backtrace on a bad one.
pub fn server_settings(figment: &Figment) -> Result<rocket::Config, LaunchError> {
    rocket::Config::try_from(figment).map_err(|error| LaunchError::Server(Box::new(error)))
}

/// Builds the application from `figment` (normally `rocket::Config::figment()`), connecting
/// to the database and bringing it up to date first.
pub async fn build(figment: Figment, clock: SharedClock) -> Result<Rocket<Build>, LaunchError> {
    let (figment, state) = prepare(figment, clock).await?;
    if let Some(marker) = crate::platform::backup::unfinished(&state.config.data_dir) {
        return Err(LaunchError::UnfinishedRestore(marker));
    }
    // Only a starting server sweeps: the other subcommands run beside live servers, whose
    // uploads in flight must not lose their objects.
    let swept = state
        .evidence
        .sweep_orphans(&state.db, &state.config)
        .await?;
    if swept > 0 {
        tracing::warn!(
            objects = swept,
            "deleted evidence objects no file row named"
        );
    }
    // Templates and static files from the checkout, or the copies compiled into the binary.
    let (figment, static_dir) = crate::web::assets::resolve(figment, &state.config.data_dir)
        .map_err(LaunchError::Assets)?;
    let background = state
        .config
        .retention
        .run_daily
        .then(|| state.background_copy())
        .transpose()?;
    let notifier = state
        .config
        .notify
        .notify_worker
        .then(|| (state.db.clone(), state.config.clone(), state.clock.clone()));
    let housekeeping = (
        state.db.clone(),
        state.config.clone(),
        state.clock.clone(),
        state.evidence.clone(),
    );
    Ok(assemble(figment, state, static_dir)
        .attach(AdHoc::on_liftoff("Hourly housekeeping", move |_| {
            Box::pin(async move {
                let (db, config, clock, evidence) = housekeeping;
                spawn_housekeeping(db, config, clock, evidence);
            })
        }))
        .attach(AdHoc::on_liftoff("Daily retention run", move |_| {
            Box::pin(async move {
                if let Some(state) = background {
                    case_management::retention::spawn_daily(state);
                }
            })
        }))
        .attach(AdHoc::on_liftoff("Notification sender", move |_| {
            Box::pin(async move {
                if let Some((db, config, clock)) = notifier {
                    let scan = (db.clone(), config.clone(), clock.clone());
                    case_management::deadline_alerts::spawn_hourly(scan.0, scan.1, scan.2);
                    crate::platform::notify::send::spawn(db, config, clock);
                }
            })
        })))
}

/// The hourly housekeeping job, run by one node of all (`job_lease`): evidence objects and
/// incomplete uploads no file row names once older than `orphan_grace_minutes` (so a node that
/// died mid-upload leaves nothing behind even when no node restarts), and shared counters that
/// hold nothing back any more.
pub const HOUSEKEEPING_JOB: crate::platform::coordination::jobs::Job =
    crate::platform::coordination::jobs::Job {
        name: "housekeeping",
        every: chrono::Duration::hours(1),
        lease: chrono::Duration::minutes(30),
        poll: std::time::Duration::from_secs(5 * 60),
        first_poll_after: std::time::Duration::from_secs(10 * 60),
    };

/// One housekeeping pass; errors are logged.
pub async fn housekeeping(
    db: &Db,
    config: &Config,
    clock: &SharedClock,
    evidence: &crate::platform::evidence::Evidence,
) {
    match evidence.sweep_orphans(db, config).await {
        Ok(0) => {}
        Ok(swept) => tracing::warn!(
            objects = swept,
            "deleted evidence objects no file row named"
        ),
        Err(error) => tracing::error!(error = %error, "the orphan sweep failed"),
    }
    if let Err(error) =
        crate::platform::coordination::counters::sweep_expired(db, clock.now()).await
    {
        tracing::error!(error = %error, "sweeping expired counters failed");
    }
}

fn spawn_housekeeping(
    db: Db,
    config: Config,
    clock: SharedClock,
    evidence: crate::platform::evidence::Evidence,
) {
    let (job_db, job_clock) = (db.clone(), clock.clone());
    crate::platform::coordination::jobs::spawn(job_db, job_clock, HOUSEKEEPING_JOB, move || {
        let (db, config, clock, evidence) =
            (db.clone(), config.clone(), clock.clone(), evidence.clone());
        async move { housekeeping(&db, &config, &clock, &evidence).await }
    });
}

/// Settings, database (migrated, reference data loaded) and shared state, without Rocket's
/// server: what `main`'s other subcommands need too.
pub async fn prepare(
    figment: Figment,
    clock: SharedClock,
) -> Result<(Figment, AppState), LaunchError> {
    let mut figment = figment;
    server_settings(&figment)?;
    let config = Config::from_figment(&figment)?;
    if let Some(secret) = config::cookie_secret(&figment, &config.data_dir)? {
        figment = figment.merge(("secret_key", secret));
    }
    let db = Db::connect_mapped(
        &config.database_url,
        config.database_max_connections,
        config.sqlite_mmap_mib,
    )
    .await
    .map_err(|source| LaunchError::Database {
        url: config::redact_url(&config.database_url),
        source,
    })?;
    db.migrate().await.map_err(LaunchError::Migration)?;
    let data = reference::parse(reference::REFERENCE_TOML)?;
    let inserted = reference::load(&db, &data, clock.now()).await?;
    if inserted > 0 {
        tracing::info!(rows = inserted, "reference data loaded");
    }
    analytics::rollups::ensure_built(&db)
        .await
        .map_err(LaunchError::Rollups)?;
    let keyed = crate::case_management::name_keys::backfill(&db)
        .await
        .map_err(LaunchError::NameKeys)?;
    if keyed > 0 {
        tracing::info!(
            reports = keyed,
            "indexed the staff names of earlier reports"
        );
    }
    let sealed = crate::platform::evidence::text::seal_legacy_rows(&db, &config)
        .await
        .map_err(LaunchError::SealText)?;
    if sealed > 0 {
        crate::platform::evidence::text::scrub(&db)
            .await
            .map_err(LaunchError::SealText)?;
        tracing::info!(reports = sealed, "sealed the free text of earlier reports");
    }
    let evidence = crate::platform::evidence::Evidence::for_database(&config, &db)?;

    let hasher = SlowHasher::new(config.argon2_concurrency, config.argon2_cost)?;
    let reference = crate::web::reference::Reference::load(&db, clock.today())
        .await
        .map_err(LaunchError::ReferenceCache)?;
    let state = AppState {
        reference: Arc::new(reference),
        receipt_limiter: AttemptLimiter::for_database(
            "receipt",
            config.throttle.clone(),
            &db,
            &config.receipt_key,
        ),
        sign_in_account_limiter: AttemptLimiter::for_database(
            "sign_in_account",
            config.sign_in_throttle.clone(),
            &db,
            &config.receipt_key,
        ),
        sign_in_address_limiter: AttemptLimiter::for_database(
            "sign_in_address",
            config.sign_in_throttle.clone(),
            &db,
            &config.receipt_key,
        ),
        tls: figment.find_value("tls").is_ok(),
        db,
        config,
        hasher,
        clock,
        evidence,
    };
    Ok((figment, state))
}

fn assemble(figment: Figment, state: AppState, static_dir: std::path::PathBuf) -> Rocket<Build> {
    let commend_limiter = public_reporting::commend::CommendLimiter::new(&state);
    let api_limits =
        crate::web::api::ApiLimits::new(&state.config.api, &state.db, &state.config.receipt_key);
    rocket::custom(figment)
        .manage(api_limits)
        .manage(api_document())
        .attach(crate::web::api::cors::Cors)
        .mount("/", public_reporting::api::routes())
        .mount("/", case_management::api::routes())
        .mount("/", analytics::api::routes())
        .mount("/", crate::web::api::docs::routes())
        .mount("/", crate::web::api::cors::routes())
        .register("/api", crate::web::api::problem::catchers())
        .manage(state)
        .manage(commend_limiter)
        .manage(analytics::transparency::TransparencyCache::default())
        .attach(Template::custom(|engines| {
            let loader = fluent_templates::FluentLoader::new(&*i18n::LOCALES)
                .with_default_lang(i18n::Lang::Vi.langid());
            engines.tera.register_function("t", loader);
        }))
        .attach(headers::SecurityHeaders)
        .attach(proxy::SecureTransport)
        .attach(csrf::CsrfFairing)
        .attach(crate::web::reference::ReferenceFairing)
        .attach(AdHoc::on_liftoff("Announce address", |rocket| {
            Box::pin(async move {
                let config = rocket.config();
                let scheme = if config.tls_enabled() {
                    "https"
                } else {
                    "http"
                };
                println!(
                    "EVN conduct portal is listening on {scheme}://{}:{}",
                    config.address, config.port
                );
            })
        }))
        .mount("/", public_reporting::routes())
        .mount("/", auth::routes::routes())
        .mount("/", admin::routes())
        .mount("/", case_management::routes::routes())
        .mount("/", case_management::staff_link::routes())
        .mount("/", case_management::custodian::routes())
        .mount("/", case_management::documents::routes())
        .mount("/", admin::audit_trail::routes())
        .mount("/", discipline::routes())
        .mount("/", analytics::routes())
        .mount("/", public_reporting::rating::routes())
        .mount("/", public_reporting::commend::routes())
        .mount("/", public_reporting::privacy_notice::routes())
        .mount("/", case_management::commendations::routes())
        .mount("/", case_management::files::routes())
        .mount("/", public_reporting::files::routes())
        .mount("/", health::routes())
        .mount("/static", FileServer::from(static_dir))
        .register("/", catchers::all())
}

/// The OpenAPI document of `/api/v1`: every slice's part, merged.
pub fn api_document() -> crate::web::api::docs::ApiDocument {
    crate::web::api::docs::ApiDocument::assemble(vec![
        public_reporting::api::openapi(),
        case_management::api::openapi(),
        analytics::api::openapi(),
    ])
}

/// The production clock.
pub fn system_clock() -> SharedClock {
    Arc::new(crate::platform::clock::SystemClock)
}
