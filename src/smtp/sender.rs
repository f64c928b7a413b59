//! Draining the outbox: claim what is due, send it one message at a time, record each outcome at once.
//!
//! One message at a time on purpose: a message is `sending` (claimed) before its SMTP transaction and `sent`
//! right after the server's 250, so a crash can leave at most ONE message accepted by the server but not yet
//! recorded — the only case in which triaje sends something twice (see the README).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::{watch, Notify};
use tracing::Instrument;

use super::transport::{Mailer, SendFailure};
use super::SmtpError;
use crate::config::OutboxSettings;
use crate::store::{Outgoing, Store};

/// Longest pause between two looks at the outbox when nobody wakes the sender.
const IDLE_POLL: Duration = Duration::from_secs(5);
/// Pause after the register itself failed, before trying again.
const STORE_ERROR_PAUSE: Duration = Duration::from_secs(5);

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    /// Accepted by the server and marked `sent`.
    pub sent: usize,
    /// Failed temporarily and queued again for later.
    pub retried: usize,
    /// Refused for good (or out of retries) and marked `failed`.
    pub failed: usize,
}

impl SendReport {
    /// Adds another pass's counts.
    fn add(&mut self, other: SendReport) {
        self.sent += other.sent;
        self.retried += other.retried;
        self.failed += other.failed;
    }
}

/// Sends what is due now, claim after claim, until nothing due is left or the servers stop accepting
/// (a batch that settled nothing ends the pass: what failed waits for its retry time). For `triaje once` and tests.
///
/// `instance` names this sender in the claims (unique per process, e.g. `host:pid`).
pub async fn send_due_once(
    store: &Store,
    mailers: &HashMap<String, Mailer>,
    settings: &OutboxSettings,
    instance: &str,
) -> Result<SendReport, SmtpError> {
    let mut total = SendReport::default();
    loop {
        let (report, claimed) = send_batch(store, mailers, settings, instance, None).await?;
        total.add(report);
        if claimed < settings.batch || report.sent + report.failed == 0 {
            return Ok(total);
        }
    }
}

/// The daemon's sender: sends what is due, then waits until `wake` is notified (the composer calls
/// `wake.notify_one()` after queueing), a retry falls due, or a few seconds pass. Stops when `shutdown` turns
/// true (or its sender is dropped), after finishing the message in hand; the rest of its claim is handed back.
pub async fn run_outbox(
    store: Store,
    mailers: HashMap<String, Mailer>,
    settings: OutboxSettings,
    instance: String,
    mut shutdown: watch::Receiver<bool>,
    wake: Arc<Notify>,
) {
    let poll = IDLE_POLL.min(settings.retry_first);
    tracing::info!(instance = %instance, mailboxes = mailers.len(), "outbox sender started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        let pause = match send_batch(&store, &mailers, &settings, &instance, Some(&shutdown)).await
        {
            // A full batch that made progress: there may be more waiting right now.
            Ok((report, claimed))
                if claimed == settings.batch && report.sent + report.failed > 0 =>
            {
                continue
            }
            Ok(_) => poll,
            Err(error) => {
                tracing::error!(error = %error, "outbox pass failed; trying again shortly");
                STORE_ERROR_PAUSE
            }
        };
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(pause) => {}
            changed = shutdown.changed() => {
                if changed.is_err() {
                    // The shutdown sender is gone: nobody can stop us any more, so stop now.
                    break;
                }
            }
        }
    }
    match store.release_claims(&instance).await {
        Ok(0) => {}
        Ok(released) => tracing::info!(released, "handed back claimed messages on shutdown"),
        Err(error) => {
            tracing::warn!(error = %error, "could not hand back claimed messages; they wait for their lease")
        }
    }
    tracing::info!(instance = %instance, "outbox sender stopped");
}

/// One claim and its messages, sent one after the other. Returns the outcome and how many were claimed.
async fn send_batch(
    store: &Store,
    mailers: &HashMap<String, Mailer>,
    settings: &OutboxSettings,
    instance: &str,
    shutdown: Option<&watch::Receiver<bool>>,
) -> Result<(SendReport, usize), SmtpError> {
    let claimed = store
        .claim_due(instance, Utc::now(), settings.lease, settings.batch)
        .await?;
    let count = claimed.len();
    let mut report = SendReport::default();
    // Mailboxes whose server could not be reached in this batch: their other messages are not tried again now.
    let mut unreachable: HashMap<String, String> = HashMap::new();
    for message in claimed {
        if shutdown.is_some_and(|s| *s.borrow()) {
            store.release_claims(instance).await?;
            break;
        }
        let span = tracing::info_span!(
            "outgoing",
            message_id = %message.message_id,
            kind = %message.kind,
            mailbox = %message.mailbox,
            attempt = message.attempts + 1,
        );
        let done = handle(
            store,
            mailers,
            settings,
            instance,
            &message,
            &mut unreachable,
        )
        .instrument(span)
        .await?;
        report.add(done);
    }
    Ok((report, count))
}

/// Sends one claimed message (unless its server already proved unreachable in this batch) and records the
/// outcome at once.
async fn handle(
    store: &Store,
    mailers: &HashMap<String, Mailer>,
    settings: &OutboxSettings,
    instance: &str,
    message: &Outgoing,
    unreachable: &mut HashMap<String, String>,
) -> Result<SendReport, SmtpError> {
    let mut report = SendReport::default();
    let outcome = match unreachable.get(&message.mailbox) {
        Some(reason) => Err(SendFailure::Temporary {
            reason: format!("no intentado: {reason}"),
            connection: true,
        }),
        None => match send_one(store, mailers, settings, instance, message).await? {
            Some(outcome) => outcome,
            // Another sender holds it now (our claim expired): not ours to send or record.
            None => return Ok(SendReport::default()),
        },
    };
    let now = Utc::now();
    match outcome {
        Ok(refused) => {
            store.mark_sent(message.id, instance, now).await?;
            tracing::info!("sent");
            report.sent += 1;
            for (address, reason) in refused {
                tracing::warn!(reason = %reason, "a copy was refused for good; sent to the others");
                let said = format!(
                    "la copia a {address} no se entregó (el servidor la rechazó: {reason}); \
                     el mensaje sí llegó a los demás destinatarios"
                );
                store
                    .reply_history(message.consultation_id, &[], &said, now)
                    .await?;
            }
        }
        Err(SendFailure::Permanent { reason }) => {
            store.mark_failed(message.id, &reason).await?;
            tracing::warn!(reason = %reason, "refused for good; marked failed");
            report.failed += 1;
        }
        Err(SendFailure::Temporary { reason, connection }) => {
            if connection {
                unreachable
                    .entry(message.mailbox.clone())
                    .or_insert_with(|| reason.clone());
            }
            let age = now - message.created_at;
            if age.to_std().unwrap_or_default() >= settings.give_up_after {
                let reason = format!(
                    "se dejó de reintentar tras {} h en cola; último error: {reason}",
                    age.num_hours()
                );
                store.mark_failed(message.id, &reason).await?;
                tracing::warn!(reason = %reason, "gave up retrying; marked failed");
                report.failed += 1;
            } else {
                let delay = backoff(settings, message.attempts + 1, message.id);
                let next = now + TimeDelta::from_std(delay).unwrap_or(TimeDelta::MAX);
                store.mark_retry(message.id, &reason, next).await?;
                tracing::warn!(reason = %reason, retry_in_s = delay.as_secs(), "temporary failure; will retry");
                report.retried += 1;
            }
        }
    }
    Ok(report)
}

/// What became of one message: sent (with the copies the server refused for good, each with its reason), or
/// not.
type Delivery = Result<Vec<(String, String)>, SendFailure>;

/// Renews the claim and sends one message; `None` when the claim is no longer ours.
async fn send_one(
    store: &Store,
    mailers: &HashMap<String, Mailer>,
    settings: &OutboxSettings,
    instance: &str,
    message: &Outgoing,
) -> Result<Option<Delivery>, SmtpError> {
    let now = Utc::now();
    let until: DateTime<Utc> = now + TimeDelta::from_std(settings.lease).unwrap_or(TimeDelta::MAX);
    if !store.renew_claim(message.id, instance, until).await? {
        tracing::warn!("claim expired and was taken by another sender; skipping");
        return Ok(None);
    }
    let Some(mailer) = mailers.get(&message.mailbox) else {
        return Ok(Some(Err(SendFailure::Temporary {
            reason: format!(
                "el buzón «{}» no tiene sección [mailbox.smtp] en config.toml: agréguela para enviar su correo",
                message.mailbox
            ),
            connection: true,
        })));
    };
    // Never outlive our own claim: stop waiting well before it expires (lease ≥ 60 s, each step ≤ 30 s).
    let guard = settings.lease * 3 / 4;
    let send = |recipients: Vec<String>| async move {
        let sent = tokio::time::timeout(
            guard,
            mailer.send_raw(&message.envelope_from, &recipients, &message.raw),
        )
        .await;
        match sent {
            Ok(outcome) => outcome,
            Err(_) => Err(SendFailure::Temporary {
                reason: format!(
                    "el envío por {} no terminó en {} s; se reintentará",
                    mailer.server(),
                    guard.as_secs()
                ),
                connection: true,
            }),
        }
    };
    let whole = send(message.recipients.clone()).await;
    let Err(SendFailure::Permanent { .. }) = &whole else {
        return Ok(Some(whole.map(|()| Vec::new())));
    };
    if message.recipients.len() < 2 {
        return Ok(Some(whole.map(|()| Vec::new())));
    }
    // The server refused the transaction for good, and with several recipients one refused address is enough
    // (a `RCPT` refused ends it before `DATA`, so nobody received it): a reply must not be lost to the citizen
    // because its `Cc` names a mistyped or foreign address. Each recipient is tried alone; the message counts as
    // sent when the first — whom it is addressed to: the citizen, the supervisor — took it.
    let mut refused = Vec::new();
    for (i, recipient) in message.recipients.iter().enumerate() {
        match send(vec![recipient.clone()]).await {
            Ok(()) => {}
            Err(failure) if i == 0 => return Ok(Some(Err(failure))),
            Err(SendFailure::Permanent { reason } | SendFailure::Temporary { reason, .. }) => {
                refused.push((recipient.clone(), reason))
            }
        }
    }
    Ok(Some(Ok(refused)))
}

/// Wait before attempt `attempts + 1`: `retry_first · 2^(attempts-1)`, at most `retry_max`, plus up to 10%
/// jitter so that many messages failing together do not all come back at the same instant.
fn backoff(settings: &OutboxSettings, attempts: i64, salt: i64) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let base = settings
        .retry_first
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(settings.retry_max);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_i64(salt);
    let jitter_ms = (base.as_millis() / 10) as u64;
    let jitter = if jitter_ms == 0 {
        0
    } else {
        hasher.finish() % (jitter_ms + 1)
    };
    base + Duration::from_millis(jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> OutboxSettings {
        OutboxSettings {
            retry_first: Duration::from_secs(30),
            retry_max: Duration::from_secs(1800),
            ..OutboxSettings::default()
        }
    }

    #[test]
    fn smtp_backoff_doubles_from_the_first_wait_and_stops_at_the_maximum() {
        let s = settings();
        for (attempts, base) in [(1, 30), (2, 60), (3, 120), (6, 960), (7, 1800), (40, 1800)] {
            let wait = backoff(&s, attempts, 7);
            let base = Duration::from_secs(base);
            assert!(
                wait >= base && wait <= base + base / 10,
                "attempt {attempts}: {wait:?} not within 10% above {base:?}"
            );
        }
    }

    #[test]
    fn smtp_report_adds_passes() {
        let mut total = SendReport::default();
        total.add(SendReport {
            sent: 2,
            retried: 1,
            failed: 0,
        });
        total.add(SendReport {
            sent: 1,
            retried: 0,
            failed: 1,
        });
        assert_eq!(
            total,
            SendReport {
                sent: 3,
                retried: 1,
                failed: 1
            }
        );
    }
}
