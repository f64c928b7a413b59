//! The Message-ID protocol: how triaje names the mail it sends, and how an answer is told apart by the id it
//! quotes (`In-Reply-To`, `References`).
//!
//! An id is `kind.about[.token]@domain`. `kind` says what the mail was (`respuesta`, `validacion`, …); `about`
//! is the ticket (or the day, for the digests). The acknowledgement, the ticket note and the digests have no
//! token: one per ticket or per day, so a round repeated after a crash produces the same id and the outbox (or
//! the folder) keeps the first. Replies and notices carry a random token, which makes them unguessable: an
//! answer must quote the id it got. The token is passed in, so this stays pure.

use chrono::NaiveDate;

/// What a mail triaje sent was, as its Message-ID says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnMail {
    /// The acknowledgement of a consultation (`acuse.TICKET@domain`).
    Acknowledgement,
    /// The note filed beside a consultation in its folder (`ficha.TICKET@domain`).
    TicketNote,
    /// The reply to a citizen, carrying its survey: a number answering it is a rating (`respuesta.…`).
    Reply,
    /// The notice asking the supervisor to validate a Legal reply: an answer is a verdict (`validacion.…`).
    ValidationNotice,
    /// A notice to the supervisor about a reply (`aviso.…`).
    SupervisorNotice,
    /// A note to the assistant about a draft (`nota.…`).
    DraftNote,
    /// The coordinator's morning list of what falls due (`vencimientos.DAY@domain`).
    DueDigest,
    /// The day's register sent to the coordinator (`registro.DAY@domain`).
    RegisterDigest,
    /// The daily consolidated incident report sent to the incident coordinator (`incidencias.DAY@domain`).
    IncidentReport,
    /// A consultation forwarded to a unit (`derivacion.…`): an answer to it is the unit's (002 §7.4.1.1, «la/el
    /// responsable del órgano y unidad orgánica debe brindar la información solicitada por la/el asistente»).
    Derivation,
}

impl OwnMail {
    /// Every kind.
    pub const ALL: [OwnMail; 10] = [
        OwnMail::Acknowledgement,
        OwnMail::TicketNote,
        OwnMail::Reply,
        OwnMail::ValidationNotice,
        OwnMail::SupervisorNotice,
        OwnMail::DraftNote,
        OwnMail::DueDigest,
        OwnMail::RegisterDigest,
        OwnMail::IncidentReport,
        OwnMail::Derivation,
    ];

    /// The first part of its ids.
    pub const fn prefix(self) -> &'static str {
        match self {
            OwnMail::Acknowledgement => "acuse",
            OwnMail::TicketNote => "ficha",
            OwnMail::Reply => "respuesta",
            OwnMail::ValidationNotice => "validacion",
            OwnMail::SupervisorNotice => "aviso",
            OwnMail::DraftNote => "nota",
            OwnMail::DueDigest => "vencimientos",
            OwnMail::RegisterDigest => "registro",
            OwnMail::IncidentReport => "incidencias",
            OwnMail::Derivation => "derivacion",
        }
    }

    /// Whether its ids carry a random token.
    const fn has_token(self) -> bool {
        matches!(
            self,
            OwnMail::Reply
                | OwnMail::ValidationNotice
                | OwnMail::SupervisorNotice
                | OwnMail::DraftNote
                | OwnMail::Derivation
        )
    }
}

/// A Message-ID read back: what triaje sent, and about which ticket (or day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnId<'a> {
    /// What the mail was.
    pub kind: OwnMail,
    /// The ticket (or the day) it was about, as written in the id.
    pub about: &'a str,
}

/// Reads an id (without angle brackets) triaje may have written; `None` for anybody else's.
///
/// Only the shape is checked: whether triaje really sent it is the store's answer (the id is looked up).
pub fn parse(id: &str) -> Option<OwnId<'_>> {
    let (local, _domain) = id.rsplit_once('@')?;
    let (prefix, rest) = local.split_once('.')?;
    let kind = OwnMail::ALL.into_iter().find(|k| k.prefix() == prefix)?;
    let about = if kind.has_token() {
        rest.rsplit_once('.')?.0
    } else {
        rest
    };
    (!about.is_empty()).then_some(OwnId { kind, about })
}

/// What kind of triaje's mail `id` claims to be, by its first part alone: enough to choose which of the
/// store's lookups answers it (`parse` checks the whole shape).
pub fn kind_of(id: &str) -> Option<OwnMail> {
    let (prefix, _) = id.split_once('.')?;
    OwnMail::ALL.into_iter().find(|k| k.prefix() == prefix)
}

/// Whether `id` claims to name a reply to a citizen (an answer to it may be a rating).
pub fn is_reply(id: &str) -> bool {
    kind_of(id) == Some(OwnMail::Reply)
}

/// Whether `id` claims to name a validation notice (an answer to it is the supervisor's verdict).
pub fn is_validation_notice(id: &str) -> bool {
    kind_of(id) == Some(OwnMail::ValidationNotice)
}

/// The acknowledgement's id: derived from the ticket only, so there is one per consultation.
pub fn acknowledgement(ticket: &str, domain: &str) -> String {
    format!("{}.{ticket}@{domain}", OwnMail::Acknowledgement.prefix())
}

/// The ticket note's id: one per consultation, found again in its folder after a crash.
pub fn ticket_note(ticket: &str, domain: &str) -> String {
    format!("{}.{ticket}@{domain}", OwnMail::TicketNote.prefix())
}

/// The morning list's id: one per day.
pub fn due_digest(day: NaiveDate, domain: &str) -> String {
    format!("{}.{day}@{domain}", OwnMail::DueDigest.prefix())
}

/// The day's register's id: one per day.
pub fn register_digest(day: NaiveDate, domain: &str) -> String {
    format!("{}.{day}@{domain}", OwnMail::RegisterDigest.prefix())
}

/// The daily incident report's id: one per business day, so a restarted daemon or a second one sends it once.
pub fn incident_report(day: NaiveDate, domain: &str) -> String {
    format!("{}.{day}@{domain}", OwnMail::IncidentReport.prefix())
}

/// A reply's id; `token` is random (lower-case hex), so nobody can guess it.
pub fn reply(ticket: &str, domain: &str, token: &str) -> String {
    with_token(OwnMail::Reply, ticket, domain, token)
}

/// A validation notice's id; see `reply`.
pub fn validation_notice(ticket: &str, domain: &str, token: &str) -> String {
    with_token(OwnMail::ValidationNotice, ticket, domain, token)
}

/// A notice to the supervisor; see `reply`.
pub fn supervisor_notice(ticket: &str, domain: &str, token: &str) -> String {
    with_token(OwnMail::SupervisorNotice, ticket, domain, token)
}

/// A derivation's forward to a unit; see `reply` (the token makes each holder's forward its own, so an
/// escalation's forward is told apart from the first).
pub fn derivation(ticket: &str, domain: &str, token: &str) -> String {
    with_token(OwnMail::Derivation, ticket, domain, token)
}

/// Whether `id` claims to name a derivation's forward (an answer to it is a unit's).
pub fn is_derivation(id: &str) -> bool {
    kind_of(id) == Some(OwnMail::Derivation)
}

/// A note to the assistant about a draft, which may have no ticket yet; see `reply`.
pub fn draft_note(ticket: Option<&str>, domain: &str, token: &str) -> String {
    with_token(
        OwnMail::DraftNote,
        ticket.unwrap_or("sin-ticket"),
        domain,
        token,
    )
}

/// `kind.ticket.token@domain`, keeping only what may stand in an id.
fn with_token(kind: OwnMail, ticket: &str, domain: &str, token: &str) -> String {
    format!(
        "{}.{}.{}@{}",
        kind.prefix(),
        id_safe(ticket),
        id_safe(token),
        id_safe(domain)
    )
}

/// Letters, digits, `-`, `.` and `_` only: nothing that would end or break the id.
fn id_safe(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TICKET: &str = "CONS-2026-000123";

    #[test]
    fn every_id_triaje_writes_reads_back_as_its_kind_and_ticket() {
        let token = "0a1b2c3d4e5f60718293a4b5";
        let written = [
            (
                OwnMail::Acknowledgement,
                acknowledgement(TICKET, "osce.test"),
            ),
            (OwnMail::TicketNote, ticket_note(TICKET, "osce.test")),
            (OwnMail::Reply, reply(TICKET, "osce.test", token)),
            (
                OwnMail::ValidationNotice,
                validation_notice(TICKET, "osce.test", token),
            ),
            (
                OwnMail::SupervisorNotice,
                supervisor_notice(TICKET, "osce.test", token),
            ),
            (
                OwnMail::DraftNote,
                draft_note(Some(TICKET), "osce.test", token),
            ),
            (OwnMail::Derivation, derivation(TICKET, "osce.test", token)),
        ];
        for (kind, id) in written {
            assert_eq!(
                parse(&id),
                Some(OwnId {
                    kind,
                    about: TICKET
                }),
                "{id}"
            );
        }
        let day = NaiveDate::from_ymd_opt(2026, 6, 10).expect("valid");
        assert_eq!(
            parse(&due_digest(day, "osce.test")),
            Some(OwnId {
                kind: OwnMail::DueDigest,
                about: "2026-06-10"
            })
        );
        assert_eq!(
            parse(&register_digest(day, "osce.test")).map(|o| o.kind),
            Some(OwnMail::RegisterDigest)
        );
        assert_eq!(
            parse(&incident_report(day, "osce.test")),
            Some(OwnId {
                kind: OwnMail::IncidentReport,
                about: "2026-06-10"
            })
        );
    }

    #[test]
    fn ids_keep_the_spelling_answers_already_quote() {
        assert_eq!(
            acknowledgement(TICKET, "osce.test"),
            "acuse.CONS-2026-000123@osce.test"
        );
        assert_eq!(
            reply(TICKET, "osce.test", "ab"),
            "respuesta.CONS-2026-000123.ab@osce.test"
        );
        assert_eq!(
            validation_notice(TICKET, "osce.test", "ab"),
            "validacion.CONS-2026-000123.ab@osce.test"
        );
        assert_eq!(
            draft_note(None, "osce.test", "ab"),
            "nota.sin-ticket.ab@osce.test"
        );
    }

    #[test]
    fn nothing_in_a_ticket_or_domain_can_break_out_of_the_id() {
        let id = reply("CONS-1>\r\nBcc: x", "osce.test>", "ab");
        assert_eq!(id, "respuesta.CONS-1Bccx.ab@osce.test");
    }

    #[test]
    fn only_replies_and_validation_notices_are_recognised_as_such() {
        assert!(is_reply("respuesta.CONS-2026-000001.ab@osce.test"));
        assert!(!is_reply("validacion.CONS-2026-000001.ab@osce.test"));
        assert!(is_validation_notice(
            "validacion.CONS-2026-000001.ab@osce.test"
        ));
        assert!(!is_validation_notice(
            "respuesta.CONS-2026-000001.ab@osce.test"
        ));
        // A citizen's own ids are nobody's of triaje; a claimed reply without its token is not one triaje wrote.
        assert!(!is_reply("CAB123@mail.example.com"));
        assert!(!is_reply("respuestas.CONS-2026-000001.ab@osce.test"));
        assert_eq!(parse("respuesta.sinmarca@osce.test"), None);
        assert_eq!(parse("acuse.@osce.test"), None);
        assert_eq!(parse("sin-arroba"), None);
    }
}
