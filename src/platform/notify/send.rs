//! The sender: claims due messages, finds each recipient's address at send time (a staff
//! account's e-mail; a named denouncer's phone opened from the sealed identity), renders the
//! content-free text and delivers it by SMTP or the SMS gateway. Digest messages of one person
//! leave together as one e-mail. Nothing personal is logged or kept in `last_error`.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter};

use super::outbox::{self, BATCH};
use super::texts::render;
use super::{Channel, Params};
use crate::domain::report::ReporterIdentity;
use crate::platform::clock::SharedClock;
use crate::platform::config::Config;
use crate::platform::crypto::{self, identity_context};
use crate::platform::persistence::entities::{
    app_user, notification, report_key, reporter_identity,
};
use crate::platform::persistence::Db;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub sent: usize,
    pub failed: usize,
}

/// Why a delivery did not happen; `permanent` ones are not retried.
struct Failure {
    reason: String,
    permanent: bool,
}

impl Failure {
    fn retry(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            permanent: false,
        }
    }
    fn permanent(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            permanent: true,
        }
    }
}

/// The channels this process can deliver on: e-mail with `smtp_url`, SMS with a gateway.
pub fn channels(config: &Config) -> Vec<Channel> {
    let mut out = Vec::new();
    if config.notify.smtp_url.is_some() {
        out.push(Channel::Email);
    }
    if config.notify.sms_gateway.url.is_some() {
        out.push(Channel::Sms);
    }
    out
}

/// Sends every message due at `now`, batch after batch, until none is left.
pub async fn send_due(db: &Db, config: &Config, now: DateTime<Utc>) -> Result<Summary, DbErr> {
    let channels = channels(config);
    let mut summary = Summary::default();
    loop {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let rows = outbox::claim(db, &config.notify, &channels, &token, now, BATCH).await?;
        if rows.is_empty() {
            return Ok(summary);
        }
        let (digests, singles): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r.digest);
        let mut groups: Vec<Vec<&notification::Model>> =
            singles.into_iter().map(|r| vec![r]).collect();
        let mut by_user: BTreeMap<Option<i32>, Vec<&notification::Model>> = BTreeMap::new();
        for row in digests {
            by_user.entry(row.user_id).or_default().push(row);
        }
        groups.extend(by_user.into_values());
        for group in groups {
            match deliver(db, config, &group).await {
                Ok(()) => {
                    let ids: Vec<i32> = group.iter().map(|r| r.id).collect();
                    outbox::mark_sent(db, &ids, &token, now).await?;
                    summary.sent += group.len();
                }
                Err(failure) => {
                    tracing::warn!(
                        notifications = ?group.iter().map(|r| r.id).collect::<Vec<_>>(),
                        reason = %failure.reason,
                        "a notification was not delivered"
                    );
                    outbox::mark_failed(
                        db,
                        &config.notify,
                        &group,
                        &token,
                        now,
                        &failure.reason,
                        failure.permanent,
                    )
                    .await?;
                    summary.failed += group.len();
                }
            }
        }
    }
}

/// The sender's pass as a background job: every `notify_poll_seconds`, one node of all sends
/// what is due (`job_lease`). The lease is short (four polls, at least 30 s) so that a node dying
/// mid-pass delays messages by seconds, not by the claim timeout; a pass that outlives its lease
/// runs beside the next one harmlessly, since the outbox's per-row claims stay.
pub fn job(settings: &super::settings::NotifySettings) -> crate::platform::coordination::jobs::Job {
    let every = settings.notify_poll_seconds.max(1);
    crate::platform::coordination::jobs::Job {
        name: "notify_send",
        every: chrono::Duration::seconds(every as i64),
        lease: chrono::Duration::seconds((4 * every as i64).max(30)),
        poll: Duration::from_secs(every),
        first_poll_after: Duration::ZERO,
    }
}

/// Runs the sender every `notify_poll_seconds`, on whichever node claims the pass, until the
/// process ends.
pub fn spawn(db: Db, config: Config, clock: SharedClock) {
    let job = job(&config.notify);
    let (job_db, job_clock) = (db.clone(), clock.clone());
    crate::platform::coordination::jobs::spawn(job_db, job_clock, job, move || {
        let (db, config, clock) = (db.clone(), config.clone(), clock.clone());
        async move {
            if let Err(error) = send_due(&db, &config, clock.now()).await {
                tracing::error!(error = %error, "the notification sender failed");
            }
        }
    });
}

fn link(config: &Config, path: &str) -> String {
    let base = config
        .public_url
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/');
    format!("{base}{path}")
}

fn params(row: &notification::Model) -> Params {
    serde_json::from_str(&row.params).unwrap_or_default()
}

/// Delivers one message, or one digest of several for the same person.
async fn deliver(db: &Db, config: &Config, group: &[&notification::Model]) -> Result<(), Failure> {
    let first = group.first().ok_or_else(|| Failure::permanent("empty"))?;
    let line = |row: &notification::Model| {
        let p = params(row);
        render(
            "vi",
            &format!("notify-{}", row.kind),
            &p.reference,
            &link(config, &p.path),
        )
    };
    match first.channel.as_str() {
        "email" => {
            let user = match first.user_id {
                Some(id) => app_user::Entity::find_by_id(id)
                    .one(db.conn())
                    .await
                    .map_err(|_| Failure::retry("database"))?,
                None => None,
            }
            .filter(|u| u.active)
            .ok_or_else(|| Failure::permanent("recipient inactive or gone"))?;
            let (subject, body) = if first.digest {
                let lines: Vec<String> = group.iter().map(|r| format!("- {}", line(r))).collect();
                (
                    render("vi", "notify-digest-subject", "", ""),
                    format!(
                        "{}\n\n{}\n",
                        render("vi", "notify-digest-intro", "", ""),
                        lines.join("\n")
                    ),
                )
            } else {
                let reference = params(first).reference;
                (
                    render("vi", "notify-subject", &reference, ""),
                    format!("{}\n", line(first)),
                )
            };
            send_email(config, &user.email, &subject, body).await
        }
        "sms" if first.kind == super::RECEIPT_CODE => {
            let sms = receipt_sms(db, config, first).await?;
            let text = render(
                "vi",
                "notify-receipt-code",
                &sms.code,
                &link(config, "/follow-up"),
            );
            send_sms(config, &sms.phone, &text).await
        }
        "sms" => {
            let report = first
                .report_id
                .ok_or_else(|| Failure::permanent("no report"))?;
            let phone = reporter_phone(db, config, report).await?;
            send_sms(config, &phone, &line(first)).await
        }
        _ => Err(Failure::permanent("unknown channel")),
    }
}

/// A caller's phone and receipt code, opened with the report's data key.
async fn receipt_sms(
    db: &Db,
    config: &Config,
    row: &notification::Model,
) -> Result<super::ReceiptSms, Failure> {
    let report_id = row
        .report_id
        .ok_or_else(|| Failure::permanent("no report"))?;
    let sealed = row
        .sealed
        .as_ref()
        .ok_or_else(|| Failure::permanent("nothing sealed"))?;
    let key = report_key::Entity::find()
        .filter(report_key::Column::ReportId.eq(report_id))
        .one(db.conn())
        .await
        .map_err(|_| Failure::retry("database"))?
        .ok_or_else(|| Failure::permanent("no data key"))?;
    let data_key = config
        .unwrap_report_key(&key)
        .map_err(|_| Failure::permanent("data key cannot be opened"))?;
    let plain = crypto::open(&data_key, &super::receipt_sms_context(report_id), sealed)
        .map_err(|_| Failure::permanent("receipt message cannot be opened"))?;
    serde_json::from_slice(&plain).map_err(|_| Failure::permanent("receipt message unreadable"))
}

/// The denouncer's phone, opened from the sealed identity with the report's data key.
async fn reporter_phone(db: &Db, config: &Config, report_id: i32) -> Result<String, Failure> {
    let database = |_| Failure::retry("database");
    let sealed = reporter_identity::Entity::find()
        .filter(reporter_identity::Column::ReportId.eq(report_id))
        .one(db.conn())
        .await
        .map_err(database)?
        .ok_or_else(|| Failure::permanent("no identity (withdrawn or purged)"))?;
    let key = report_key::Entity::find()
        .filter(report_key::Column::ReportId.eq(report_id))
        .one(db.conn())
        .await
        .map_err(database)?
        .ok_or_else(|| Failure::permanent("no data key"))?;
    let data_key = config
        .unwrap_report_key(&key)
        .map_err(|_| Failure::permanent("data key cannot be opened"))?;
    let plain = crypto::open(&data_key, &identity_context(report_id), &sealed.sealed)
        .map_err(|_| Failure::permanent("identity cannot be opened"))?;
    let identity: ReporterIdentity =
        serde_json::from_slice(&plain).map_err(|_| Failure::permanent("identity unreadable"))?;
    let phone = identity.phone.trim().to_string();
    if phone.is_empty() {
        return Err(Failure::permanent("no phone"));
    }
    Ok(phone)
}

async fn send_email(config: &Config, to: &str, subject: &str, body: String) -> Result<(), Failure> {
    let url = config
        .notify
        .smtp_url
        .as_deref()
        .ok_or_else(|| Failure::retry("smtp_url is not set"))?;
    let message = Message::builder()
        .from(
            config
                .notify
                .mail_from
                .parse()
                .map_err(|_| Failure::permanent("mail_from"))?,
        )
        .to(to
            .parse()
            .map_err(|_| Failure::permanent("recipient address invalid"))?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|_| Failure::permanent("message could not be built"))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|_| Failure::permanent("smtp_url invalid"))?
        .timeout(Some(Duration::from_secs(15)))
        .build();
    match transport.send(message).await {
        Ok(_) => Ok(()),
        // The server's own words may quote the address: only the code is kept.
        Err(error) => {
            let code = error.status().map(|c| c.to_string()).unwrap_or_default();
            let reason = if error.is_permanent() {
                format!("smtp refused {code}")
            } else if error.is_transient() {
                format!("smtp deferred {code}")
            } else {
                "smtp server unreachable".to_string()
            };
            Err(Failure::retry(reason))
        }
    }
}

/// Puts `value` into a JSON string literal's body.
fn json_escaped(value: &str) -> String {
    let quoted = serde_json::to_string(value).unwrap_or_default();
    quoted[1..quoted.len().saturating_sub(1).max(1)].to_string()
}

/// The gateway's body: the template with `{phone}` and `{text}` escaped for JSON strings.
pub fn sms_body(template: &str, phone: &str, text: &str) -> String {
    template
        .replace("{phone}", &json_escaped(phone))
        .replace("{text}", &json_escaped(text))
}

async fn send_sms(config: &Config, phone: &str, text: &str) -> Result<(), Failure> {
    let gateway = &config.notify.sms_gateway;
    let url = gateway
        .url
        .as_deref()
        .ok_or_else(|| Failure::retry("sms_gateway.url is not set"))?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(|_| Failure::retry("http client"))?;
    let mut request = client
        .post(url)
        .header("Content-Type", "application/json")
        .body(sms_body(&gateway.body_template, phone, text));
    if let Some((name, value)) = gateway
        .auth_header
        .as_deref()
        .and_then(|h| h.split_once(':'))
    {
        request = request.header(name.trim(), value.trim());
    }
    match request.send().await {
        Ok(response) if response.status().is_success() => Ok(()),
        Ok(response) => Err(Failure::retry(format!(
            "sms gateway HTTP {}",
            response.status().as_u16()
        ))),
        Err(_) => Err(Failure::retry("sms gateway unreachable")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sms_body_escapes_quotes_and_newlines_for_json() {
        let body = sms_body(r#"{"to":"{phone}","text":"{text}"}"#, "+84 9", "a \"b\"\nc");
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["to"], "+84 9");
        assert_eq!(value["text"], "a \"b\"\nc");
    }
}
