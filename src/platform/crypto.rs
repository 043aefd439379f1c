//! Cryptographic building blocks: keys, the AEAD that seals identities and data keys, the keyed
//! lookup hash for receipt codes, and Argon2id run on a few threads of its own that yield the
//! processor to request handling.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::Sha256;

/// A 256-bit secret. Its `Debug` never prints the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey32([u8; 32]);

impl std::fmt::Debug for SecretKey32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey32(***)")
    }
}

impl SecretKey32 {
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = hex::decode(text).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A fresh key from the operating system's random number generator.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A short, non-secret name for the key, stored beside what it wraps so rotation can tell
    /// which master key a row still depends on.
    pub fn key_id(&self) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable_hmac());
        mac.update(b"conduct-portal key id");
        hex::encode(&mac.finalize().into_bytes()[..8])
    }
}

/// HMAC accepts keys of any length, so this cannot happen; kept out of line for clarity.
fn unreachable_hmac() -> Hmac<Sha256> {
    unreachable!("HMAC-SHA256 accepts keys of every length")
}

const SEALED_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// Failure to open sealed data: wrong key, wrong context or tampered bytes. Carries no detail.
#[derive(Debug, thiserror::Error)]
#[error("sealed data could not be opened")]
pub struct OpenError;

/// Encrypts `plaintext` under `key`, binding it to `context` (e.g. the owning row), as
/// `version ‖ nonce ‖ ciphertext+tag`.
pub fn seal(key: &SecretKey32, context: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: context,
            },
        )
        // XChaCha20-Poly1305 only fails for messages beyond 256 GiB.
        .unwrap_or_default();
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
    out.push(SEALED_VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    out
}

/// Opens what [`seal`] produced with the same key and context.
pub fn open(key: &SecretKey32, context: &[u8], sealed: &[u8]) -> Result<Vec<u8>, OpenError> {
    if sealed.len() < 1 + NONCE_LEN + 16 || sealed[0] != SEALED_VERSION {
        return Err(OpenError);
    }
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    cipher
        .decrypt(
            XNonce::from_slice(&sealed[1..1 + NONCE_LEN]),
            Payload {
                msg: &sealed[1 + NONCE_LEN..],
                aad: context,
            },
        )
        .map_err(|_| OpenError)
}

/// A per-report data key wrapped under the master key (envelope encryption).
pub fn wrap_data_key(master: &SecretKey32, report_id: i32, data_key: &SecretKey32) -> Vec<u8> {
    seal(master, &data_key_context(report_id), data_key.as_bytes())
}

pub fn unwrap_data_key(
    master: &SecretKey32,
    report_id: i32,
    wrapped: &[u8],
) -> Result<SecretKey32, OpenError> {
    let bytes = open(master, &data_key_context(report_id), wrapped)?;
    let array: [u8; 32] = bytes.try_into().map_err(|_| OpenError)?;
    Ok(SecretKey32::from_bytes(array))
}

fn data_key_context(report_id: i32) -> Vec<u8> {
    format!("report-data-key:{report_id}").into_bytes()
}

/// The keyed lookup hash of a secret (HMAC-SHA256, hex): lets the server find a row by a
/// receipt code without storing anything an attacker with the database could test offline.
pub fn lookup_hash(key: &SecretKey32, purpose: &str, secret: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes())
        .unwrap_or_else(|_| unreachable_hmac());
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(secret.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Argon2id hashing on `concurrency` threads of its own, queued in order of arrival, so a burst of
/// sign-ins or receipt checks cannot starve the async workers. The threads run at a lower
/// scheduling priority ([`HASH_NICE`]): a hash (≈ 70 ms of processor) then waits while a page
/// is being answered instead of the page waiting for the hash, so staff pages keep their
/// latency while customers submit, and an idle server still hashes at full speed.
#[derive(Clone)]
pub struct SlowHasher {
    jobs: mpsc::Sender<Job>,
    params: Params,
    dummy_hash: Arc<str>,
    dummy_runs: Arc<AtomicU64>,
}

type Job = Box<dyn FnOnce() + Send>;

/// The nice value of the hashing threads (Linux; 0 is the server's own, 19 the lowest).
pub const HASH_NICE: i32 = 10;

/// The hasher's own failure (a thread or parameter problem), never "wrong secret".
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// How much work one Argon2id hash costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argon2Cost {
    /// OWASP's minimum for Argon2id (19 MiB of memory, 2 iterations, 1 lane): every server.
    Owasp,
    /// 1 MiB, 1 iteration: only for the test suite, whose hundreds of accounts and receipt
    /// codes would otherwise spend most of its time hashing. Refused in the release profile.
    Test,
}

impl Argon2Cost {
    /// (memory in KiB, iterations, lanes).
    pub fn parameters(self) -> (u32, u32, u32) {
        match self {
            Argon2Cost::Owasp => (19 * 1024, 2, 1),
            Argon2Cost::Test => (1024, 1, 1),
        }
    }
}

impl SlowHasher {
    /// A hasher running at most `concurrency` hashes at once, each costing `cost`.
    pub fn new(concurrency: usize, cost: Argon2Cost) -> Result<Self, HashError> {
        let (memory, iterations, lanes) = cost.parameters();
        let params =
            Params::new(memory, iterations, lanes, None).map_err(|e| HashError(e.to_string()))?;
        let dummy_hash = hash_blocking(&params, "conduct-portal dummy secret")?;
        Ok(Self {
            jobs: hashing_threads(concurrency.max(1))?,
            params,
            dummy_hash: dummy_hash.into(),
            dummy_runs: Arc::new(AtomicU64::new(0)),
        })
    }

    pub async fn hash(&self, secret: String) -> Result<String, HashError> {
        let params = self.params.clone();
        self.run(move || hash_blocking(&params, &secret)).await?
    }

    /// True when `secret` matches `phc`. A malformed stored hash counts as no match.
    pub async fn verify(&self, secret: String, phc: String) -> Result<bool, HashError> {
        self.run(move || verify_blocking(&secret, &phc)).await
    }

    /// Spends the same work as a real verification against a hash that never matches, so a
    /// caller can answer "unknown" as slowly as "wrong".
    pub async fn verify_dummy(&self, secret: String) -> Result<(), HashError> {
        self.dummy_runs.fetch_add(1, Ordering::Relaxed);
        let phc = self.dummy_hash.to_string();
        self.run(move || verify_blocking(&secret, &phc)).await?;
        Ok(())
    }

    /// How many dummy verifications ran; tests observe the timing defence through it.
    pub fn dummy_runs(&self) -> u64 {
        self.dummy_runs.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                // The caller may have gone (a closed connection): nobody to tell.
                let _ = done.send(work());
            }))
            .map_err(|_| HashError("the hashing threads stopped".into()))?;
        result
            .await
            .map_err(|_| HashError("a hash was abandoned".into()))
    }
}

/// Starts `count` hashing threads taking jobs from the returned queue in turn; they end when
/// every sender is gone (the last clone of the hasher dropped).
fn hashing_threads(count: usize) -> Result<mpsc::Sender<Job>, HashError> {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = Arc::new(Mutex::new(receiver));
    for i in 0..count {
        let receiver = receiver.clone();
        std::thread::Builder::new()
            .name(format!("argon2-{i}"))
            .spawn(move || {
                yield_to_requests();
                loop {
                    let job = match receiver.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    // A panicking job drops its reply (its caller gets an error); the thread
                    // carries on with the next.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            })
            .map_err(|e| HashError(e.to_string()))?;
    }
    Ok(sender)
}

/// Lowers the calling thread's scheduling priority to [`HASH_NICE`] (unless the whole server
/// already runs lower). Raising one's own nice value needs no privilege.
#[cfg(target_os = "linux")]
fn yield_to_requests() {
    // SAFETY: getpriority and setpriority only read and change a scheduling attribute. On
    // Linux, PRIO_PROCESS with who = 0 means the calling thread alone (threads have their own
    // nice values); -1 from getpriority is also a valid value, and only errs for bad arguments.
    let changed = unsafe {
        let now = libc::getpriority(libc::PRIO_PROCESS, 0);
        if now >= HASH_NICE {
            return;
        }
        libc::setpriority(libc::PRIO_PROCESS, 0, HASH_NICE)
    };
    if changed != 0 {
        tracing::warn!("the hashing threads keep the server's priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn yield_to_requests() {}

/// The calling thread's nice value (Linux).
#[cfg(all(test, target_os = "linux"))]
fn current_nice() -> i32 {
    // SAFETY: getpriority only reads a scheduling attribute of the calling thread.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
}

fn hash_blocking(params: &Params, secret: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError(e.to_string()))
}

fn verify_blocking(secret: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(secret.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// The associated data a staff member's TOTP secret is sealed with, binding it to the account.
pub fn totp_context(user_id: i32) -> Vec<u8> {
    format!("totp-secret:{user_id}").into_bytes()
}

/// The associated data a denouncer's sealed identity is bound to its report with.
pub fn identity_context(report_id: i32) -> Vec<u8> {
    format!("reporter-identity:{report_id}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_data_opens_only_with_the_same_key_and_context() {
        let key = SecretKey32::generate();
        let sealed = seal(&key, b"row:1", b"Nguyen Van A");
        assert_eq!(open(&key, b"row:1", &sealed).unwrap(), b"Nguyen Van A");
        assert!(open(&key, b"row:2", &sealed).is_err());
        assert!(open(&SecretKey32::generate(), b"row:1", &sealed).is_err());
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(open(&key, b"row:1", &tampered).is_err());
    }

    #[test]
    fn data_keys_unwrap_only_for_their_report() {
        let master = SecretKey32::generate();
        let data_key = SecretKey32::generate();
        let wrapped = wrap_data_key(&master, 7, &data_key);
        assert_eq!(unwrap_data_key(&master, 7, &wrapped).unwrap(), data_key);
        assert!(unwrap_data_key(&master, 8, &wrapped).is_err());
    }

    #[test]
    fn lookup_hash_depends_on_key_and_purpose() {
        let key = SecretKey32::from_bytes([1; 32]);
        let a = lookup_hash(&key, "receipt", "ABCD");
        assert_eq!(a, lookup_hash(&key, "receipt", "ABCD"));
        assert_ne!(a, lookup_hash(&key, "other", "ABCD"));
        assert_ne!(
            a,
            lookup_hash(&SecretKey32::from_bytes([2; 32]), "receipt", "ABCD")
        );
    }

    #[test]
    fn the_production_cost_is_the_owasp_minimum_for_argon2id() {
        // OWASP Password Storage Cheat Sheet: m=19456 (19 MiB), t=2, p=1.
        assert_eq!(Argon2Cost::Owasp.parameters(), (19456, 2, 1));
    }

    #[tokio::test]
    async fn slow_hasher_round_trips_and_counts_dummy_runs() {
        let hasher = SlowHasher::new(2, Argon2Cost::Owasp).unwrap();
        let phc = hasher.hash("correct horse".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(hasher
            .verify("correct horse".into(), phc.clone())
            .await
            .unwrap());
        assert!(!hasher.verify("wrong".into(), phc).await.unwrap());
        assert!(!hasher
            .verify("x".into(), "not a hash".into())
            .await
            .unwrap());
        hasher.verify_dummy("x".into()).await.unwrap();
        assert_eq!(hasher.dummy_runs(), 1);
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashes_run_below_the_servers_priority_and_a_panic_leaves_the_threads_working() {
        let hasher = SlowHasher::new(1, Argon2Cost::Test).unwrap();
        let caller = current_nice();
        assert_eq!(
            hasher.run(current_nice).await.unwrap(),
            caller.max(HASH_NICE)
        );
        assert_eq!(current_nice(), caller, "the caller keeps its priority");
        assert!(hasher.run(|| panic!("a failing job")).await.is_err());
        let phc = hasher.hash("still here".into()).await.unwrap();
        assert!(hasher.verify("still here".into(), phc).await.unwrap());
    }
}
