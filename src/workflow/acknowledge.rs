//! Whether a citizen's message gets an acknowledgement, and if not, why (RFC 3834 and the office's limits).
//!
//! An acknowledgement goes to people only: never to a machine (auto-replies, bounces, lists, bulk mail), never to
//! the office's own mailboxes (that is how mail loops start), never to `noreply` senders, never for a message
//! that could not be processed, and never more than a configured number of times per sender per hour.
//!
//! Triage decides what it can from the message alone (`acknowledgement_for`, recorded with the consultation);
//! when the acknowledgement is due, `acknowledgement_due` decides the rest — the mailbox can send, the message is
//! not too old, the hourly limit — so the daemon only composes and queues what is decided here.

use chrono::Duration;

use crate::mail::{is_noreply, AutoKind};

/// What the decision looks at.
#[derive(Debug, Clone)]
pub struct AckInput<'a> {
    /// Where an answer would go: `Reply-To` when present, else `From` (lower-case), if any.
    pub answer_to: Option<&'a str>,
    /// Set when a machine sent the message.
    pub auto: Option<AutoKind>,
    /// Every address the office's mailboxes use (lower-case): mail from them is never answered.
    pub own_addresses: &'a [String],
    /// True when the message goes to the errors folder (unreadable, oversize).
    pub unprocessable: bool,
    /// True when the message answers something triaje sent (a survey rating, a supervisor's observations).
    pub followup: bool,
    /// Acknowledgements already queued for this address in the last hour.
    pub sent_last_hour: u32,
    /// At most this many per address per hour.
    pub limit_per_hour: u32,
}

/// Why no acknowledgement is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AckSkip {
    /// No usable sender address.
    NoSender,
    /// Sent by a machine.
    Automatic(AutoKind),
    /// From one of the office's own mailboxes.
    OwnMailbox(String),
    /// A sender that does not read answers (`noreply@…`, `mailer-daemon@…`).
    NoReplySender(String),
    /// The message could not be processed; a person handles it.
    Unprocessable,
    /// An answer to triaje's own mail, not a new consultation.
    Followup,
    /// The mailbox has no SMTP server to send it through.
    NoSmtp,
    /// The message arrived longer ago than the configured maximum: an acknowledgement now would mislead.
    TooOld {
        /// `acknowledgement.max_age_hours`.
        max_age_hours: u32,
    },
    /// The sender already got `limit` acknowledgements in the last hour.
    RateLimited {
        /// The sender.
        address: String,
        /// The limit.
        limit: u32,
    },
}

impl AckSkip {
    /// The reason in Spanish, for the register.
    pub fn describe(&self) -> String {
        match self {
            AckSkip::NoSender => "sin acuse: el mensaje no tiene una dirección de remitente válida".into(),
            AckSkip::Automatic(kind) => format!("sin acuse: {}", kind.describe()),
            AckSkip::OwnMailbox(a) => format!("sin acuse: viene de un buzón de la oficina ({a})"),
            AckSkip::NoReplySender(a) => format!("sin acuse: el remitente {a} no recibe respuestas"),
            AckSkip::Unprocessable => "sin acuse: el mensaje no se pudo procesar (carpeta de errores)".into(),
            AckSkip::Followup => "sin acuse: responde a un mensaje enviado por la oficina".into(),
            AckSkip::NoSmtp => {
                "sin acuse: el buzón no tiene servidor de envío ([mailbox.smtp])".into()
            }
            AckSkip::TooOld { max_age_hours } => format!(
                "sin acuse: el mensaje llegó hace más de {max_age_hours} horas (acknowledgement.max_age_hours)"
            ),
            AckSkip::RateLimited { address, limit } => format!(
                "sin acuse: {address} ya recibió {limit} acuses en la última hora (límite ack.per_sender_per_hour)"
            ),
        }
    }
}

/// Decides whether to acknowledge. `Ok(address)` is where the acknowledgement goes.
pub fn acknowledgement_for(input: &AckInput<'_>) -> Result<String, AckSkip> {
    if input.unprocessable {
        return Err(AckSkip::Unprocessable);
    }
    if input.followup {
        return Err(AckSkip::Followup);
    }
    if let Some(kind) = input.auto {
        return Err(AckSkip::Automatic(kind));
    }
    let Some(to) = input.answer_to.map(|a| a.trim().to_ascii_lowercase()) else {
        return Err(AckSkip::NoSender);
    };
    if to.is_empty() || !to.contains('@') {
        return Err(AckSkip::NoSender);
    }
    if input
        .own_addresses
        .iter()
        .any(|own| own.eq_ignore_ascii_case(&to))
    {
        return Err(AckSkip::OwnMailbox(to));
    }
    if is_noreply(&to) {
        return Err(AckSkip::NoReplySender(to));
    }
    if input.sent_last_hour >= input.limit_per_hour {
        return Err(AckSkip::RateLimited {
            address: to,
            limit: input.limit_per_hour,
        });
    }
    Ok(to)
}

/// What is known when a recorded consultation's acknowledgement falls due.
#[derive(Debug, Clone)]
pub struct DueAck<'a> {
    /// Where an answer would go: `Reply-To` when present, else `From`, if any.
    pub answer_to: Option<&'a str>,
    /// Every address the office's mailboxes use (lower-case).
    pub own_addresses: &'a [String],
    /// Whether the mailbox has an SMTP server.
    pub can_send: bool,
    /// How long ago the message reached the mailbox.
    pub age: Duration,
    /// `acknowledgement.max_age_hours`: older messages get none.
    pub max_age_hours: u32,
    /// Acknowledgements already queued for this address in the window (this round's included).
    pub sent_last_hour: u32,
    /// At most this many per address per window.
    pub limit_per_hour: u32,
}

/// Decides a due acknowledgement, whole: the mailbox can send, the message is recent enough, and then everything
/// `acknowledgement_for` checks, the hourly limit included. `Ok(address)` is where it goes.
pub fn acknowledgement_due(due: &DueAck<'_>) -> Result<String, AckSkip> {
    if !due.can_send {
        return Err(AckSkip::NoSmtp);
    }
    if due.age > Duration::hours(i64::from(due.max_age_hours)) {
        return Err(AckSkip::TooOld {
            max_age_hours: due.max_age_hours,
        });
    }
    acknowledgement_for(&AckInput {
        answer_to: due.answer_to,
        auto: None,
        own_addresses: due.own_addresses,
        unprocessable: false,
        followup: false,
        sent_last_hour: due.sent_last_hour,
        limit_per_hour: due.limit_per_hour,
    })
}

/// The key the hourly limit counts a sender by: the answer address in lower case (empty when there is none).
pub fn sender_key(answer_to: Option<&str>) -> String {
    answer_to.unwrap_or("").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(answer_to: Option<&str>) -> DueAck<'_> {
        DueAck {
            answer_to,
            own_addresses: &[],
            can_send: true,
            age: Duration::minutes(5),
            max_age_hours: 72,
            sent_last_hour: 0,
            limit_per_hour: 3,
        }
    }

    #[test]
    fn a_due_acknowledgement_goes_to_the_citizen() {
        assert_eq!(
            acknowledgement_due(&due(Some("Rosa@Example.pe"))),
            Ok("rosa@example.pe".to_string())
        );
    }

    #[test]
    fn a_mailbox_without_smtp_sends_none_whatever_the_message() {
        let mut d = due(Some("rosa@example.pe"));
        d.can_send = false;
        assert_eq!(acknowledgement_due(&d), Err(AckSkip::NoSmtp));
        d.answer_to = None;
        assert_eq!(acknowledgement_due(&d), Err(AckSkip::NoSmtp));
        assert!(AckSkip::NoSmtp.describe().contains("[mailbox.smtp]"));
    }

    #[test]
    fn a_message_older_than_the_maximum_gets_none_and_one_exactly_at_it_does() {
        let mut d = due(Some("rosa@example.pe"));
        d.age = Duration::hours(72);
        assert!(acknowledgement_due(&d).is_ok());
        d.age = Duration::hours(72) + Duration::seconds(1);
        let skip = acknowledgement_due(&d).unwrap_err();
        assert_eq!(skip, AckSkip::TooOld { max_age_hours: 72 });
        assert!(
            skip.describe().contains("más de 72 horas"),
            "{}",
            skip.describe()
        );
    }

    #[test]
    fn a_due_acknowledgement_still_refuses_what_triage_refuses() {
        assert_eq!(acknowledgement_due(&due(None)), Err(AckSkip::NoSender));
        assert!(matches!(
            acknowledgement_due(&due(Some("noreply@sunat.gob.pe"))),
            Err(AckSkip::NoReplySender(_))
        ));
        let own = vec!["consultas@osce.gob.pe".to_string()];
        let mut d = due(Some("consultas@osce.gob.pe"));
        d.own_addresses = &own;
        assert!(matches!(
            acknowledgement_due(&d),
            Err(AckSkip::OwnMailbox(_))
        ));
        let mut d = due(Some("rosa@example.pe"));
        d.sent_last_hour = 3;
        assert_eq!(
            acknowledgement_due(&d),
            Err(AckSkip::RateLimited {
                address: "rosa@example.pe".into(),
                limit: 3
            })
        );
    }

    #[test]
    fn every_refusal_says_sin_acuse_first() {
        let reasons = [
            AckSkip::NoSender,
            AckSkip::Automatic(AutoKind::AutoReplied),
            AckSkip::OwnMailbox("consultas@osce.gob.pe".into()),
            AckSkip::NoReplySender("noreply@x.pe".into()),
            AckSkip::Unprocessable,
            AckSkip::Followup,
            AckSkip::NoSmtp,
            AckSkip::TooOld { max_age_hours: 72 },
            AckSkip::RateLimited {
                address: "rosa@example.pe".into(),
                limit: 3,
            },
        ];
        for reason in reasons {
            assert!(reason.describe().starts_with("sin acuse: "), "{reason:?}");
        }
    }

    #[test]
    fn the_hourly_limit_counts_a_sender_in_any_case() {
        assert_eq!(sender_key(Some("Rosa@Example.PE")), "rosa@example.pe");
        assert_eq!(sender_key(None), "");
    }

    fn input(answer_to: Option<&str>) -> AckInput<'_> {
        AckInput {
            answer_to,
            auto: None,
            own_addresses: &[],
            unprocessable: false,
            followup: false,
            sent_last_hour: 0,
            limit_per_hour: 3,
        }
    }

    #[test]
    fn a_citizen_gets_an_acknowledgement() {
        assert_eq!(
            acknowledgement_for(&input(Some("Juan.Perez@Gmail.com"))),
            Ok("juan.perez@gmail.com".to_string())
        );
    }

    #[test]
    fn machines_get_none() {
        for kind in [
            AutoKind::AutoReplied,
            AutoKind::AutoGenerated,
            AutoKind::Bulk,
            AutoKind::List,
            AutoKind::DeliveryReport,
            AutoKind::OutOfOffice,
        ] {
            let mut i = input(Some("juan@gmail.com"));
            i.auto = Some(kind);
            assert_eq!(acknowledgement_for(&i), Err(AckSkip::Automatic(kind)));
        }
    }

    #[test]
    fn the_office_never_answers_itself() {
        let own = vec![
            "consultas@osce.gob.pe".to_string(),
            "contacto@osce.gob.pe".to_string(),
        ];
        let mut i = input(Some("Contacto@osce.gob.pe"));
        i.own_addresses = &own;
        assert!(matches!(
            acknowledgement_for(&i),
            Err(AckSkip::OwnMailbox(_))
        ));
    }

    #[test]
    fn noreply_senders_get_none() {
        for a in [
            "noreply@sunat.gob.pe",
            "no-reply@accounts.google.com",
            "no_reply@x.pe",
            "do-not-reply@x.pe",
            "MAILER-DAEMON@x.pe",
            "bounces+123@sendgrid.net",
        ] {
            assert!(
                matches!(
                    acknowledgement_for(&input(Some(a))),
                    Err(AckSkip::NoReplySender(_))
                ),
                "{a}"
            );
        }
        assert!(acknowledgement_for(&input(Some("noelia.reyes@gmail.com"))).is_ok());
    }

    #[test]
    fn no_sender_unprocessable_and_followups_get_none() {
        assert_eq!(acknowledgement_for(&input(None)), Err(AckSkip::NoSender));
        assert_eq!(
            acknowledgement_for(&input(Some("sin-arroba"))),
            Err(AckSkip::NoSender)
        );
        let mut i = input(Some("juan@gmail.com"));
        i.unprocessable = true;
        assert_eq!(acknowledgement_for(&i), Err(AckSkip::Unprocessable));
        let mut i = input(Some("juan@gmail.com"));
        i.followup = true;
        assert_eq!(acknowledgement_for(&i), Err(AckSkip::Followup));
    }

    #[test]
    fn at_most_the_limit_per_sender_per_hour() {
        let mut i = input(Some("juan@gmail.com"));
        i.sent_last_hour = 2;
        assert!(acknowledgement_for(&i).is_ok());
        i.sent_last_hour = 3;
        assert!(matches!(
            acknowledgement_for(&i),
            Err(AckSkip::RateLimited { limit: 3, .. })
        ));
    }
}
