//! Notification settings: the SMTP server, the SMS gateway, the daily digest hour and the
//! sender's pace. Top-level keys (`smtp_url`, `mail_from`, `notify_*`) and `[default.sms_gateway]`.

use serde::Deserialize;

/// Everything the outbox and its sender read from the settings.
#[derive(Clone, Deserialize)]
#[serde(default)]
pub struct NotifySettings {
    /// `smtp://host:port` (plain, e.g. a local relay), `smtp://host:587?tls=required`
    /// (STARTTLS) or `smtps://host:465` (TLS); credentials in the URL
    /// (`smtps://user:password@host`), best given as `ROCKET_SMTP_URL`. Without it e-mails
    /// stay pending and the admin page says so.
    pub smtp_url: Option<String>,
    /// The From address of every e-mail.
    pub mail_from: String,
    pub sms_gateway: SmsGateway,
    /// The hour (Hà Nội, 0–23) at which daily digests leave.
    pub notify_digest_hour: u32,
    /// Whether this process runs the sender (tests call `send_due` themselves).
    pub notify_worker: bool,
    /// How often the sender looks for due messages.
    pub notify_poll_seconds: u64,
    /// Attempts before a message is marked failed.
    pub notify_max_attempts: i32,
    /// The first retry's delay, doubled after each failure up to `notify_backoff_cap_seconds`.
    pub notify_backoff_seconds: i64,
    pub notify_backoff_cap_seconds: i64,
    /// A claim older than this belongs to a node that died: the message is taken again.
    pub notify_claim_timeout_seconds: i64,
}

/// An HTTP SMS gateway, as Vietnamese brand-name SMS providers offer.
#[derive(Clone, Deserialize, Default)]
#[serde(default)]
pub struct SmsGateway {
    /// Where the JSON body is POSTed; without it SMS stay pending.
    pub url: Option<String>,
    /// One header line, `Name: value` (e.g. `Authorization: Bearer …`), from the environment.
    pub auth_header: Option<String>,
    /// The JSON body with `{phone}` and `{text}` placeholders inside string literals.
    pub body_template: String,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            mail_from: "Cổng phản ánh EVN <no-reply@localhost>".into(),
            sms_gateway: SmsGateway {
                body_template: r#"{"to":"{phone}","text":"{text}"}"#.into(),
                ..SmsGateway::default()
            },
            notify_digest_hour: 7,
            notify_worker: true,
            notify_poll_seconds: 5,
            notify_max_attempts: 8,
            notify_backoff_seconds: 60,
            notify_backoff_cap_seconds: 6 * 3600,
            notify_claim_timeout_seconds: 600,
        }
    }
}

impl std::fmt::Debug for NotifySettings {
    /// Never prints the SMTP URL (it may hold a password) nor the gateway's header.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotifySettings")
            .field("smtp_url", &self.smtp_url.is_some())
            .field("sms_gateway", &self.sms_gateway.url.is_some())
            .field("notify_digest_hour", &self.notify_digest_hour)
            .finish_non_exhaustive()
    }
}

impl NotifySettings {
    /// Why the settings cannot be used, if they cannot.
    pub fn problem(&self) -> Option<String> {
        if self.notify_digest_hour > 23 {
            return Some("notify_digest_hour must be 0–23".into());
        }
        if self.notify_max_attempts < 1
            || self.notify_backoff_seconds < 1
            || self.notify_backoff_cap_seconds < self.notify_backoff_seconds
            || self.notify_claim_timeout_seconds < 1
            || self.notify_poll_seconds == 0
        {
            return Some(
                "notify_max_attempts, notify_backoff_seconds, notify_poll_seconds and \
                 notify_claim_timeout_seconds must be positive, and the cap at least the first \
                 delay"
                    .into(),
            );
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Some("mail_from is not an e-mail address".into());
        }
        if let Some(url) = self.smtp_url.as_deref() {
            if lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url).is_err() {
                return Some("smtp_url is not an smtp:// or smtps:// URL".into());
            }
        }
        if let Some(header) = self.sms_gateway.auth_header.as_deref() {
            if !header.contains(':') {
                return Some("sms_gateway.auth_header must read `Name: value`".into());
            }
        }
        if self.sms_gateway.url.is_some() {
            let probe = self
                .sms_gateway
                .body_template
                .replace("{phone}", "0")
                .replace("{text}", "t");
            if serde_json::from_str::<serde_json::Value>(&probe).is_err() {
                return Some("sms_gateway.body_template is not JSON".into());
            }
        }
        None
    }
}
