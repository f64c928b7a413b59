//! Triage of one message: parse, classify, date. Values in, a decision out.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::calendar::{self, BusinessCalendar, DeadlinePolicy, Reception, LIMA};
use crate::mail::{self, AutoKind, DeliveryStatus, MessageView, ParsedMail, PersonSign};
use crate::rules::{Classification, RuleSet};
use crate::vocabulary::{AttentionKind, Availability};
use crate::workflow::acknowledge::{acknowledgement_for, AckInput};
use crate::workflow::{embeds_consultation_record, ConsultationRecord};

/// Everything triage needs besides the message: the rules, the calendar and the mailbox's policies.
pub struct TriageContext<'a> {
    /// The routing rules in force.
    pub rules: &'a RuleSet,
    /// Business days.
    pub calendar: &'a BusinessCalendar,
    /// The mailbox's opening and cut-off.
    pub reception: &'a Reception,
    /// The mailbox's deadline policy.
    pub deadline: &'a DeadlinePolicy,
    /// Folder for messages no rule is sure about.
    pub unclassified_folder: &'a str,
    /// Folder for messages that cannot be processed.
    pub errors_folder: &'a str,
    /// Category recorded when no rule matched.
    pub default_category: &'a str,
    /// Availability when no rule matched.
    pub default_availability: Availability,
    /// Largest message processed whole.
    pub max_message_bytes: u64,
    /// Every address of the office's mailboxes (lower-case): their mail is never acknowledged.
    pub own_addresses: &'a [String],
    /// Folder for mail sent by machines that no rule claims.
    pub automatic_folder: &'a str,
    /// The ticket prefix (`CONS`): a ticket in an auto-reply's subject names the consultation it answers.
    pub ticket_prefix: &'a str,
    /// Where incidents, complaints and suggestions are filed and how their deadlines count (`[kinds.*]`); a
    /// kind not listed stays in its area's folder.
    pub kinds: &'a [KindFiling],
}

/// Where one kind of attention is filed and how its deadline counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindFiling {
    /// The kind.
    pub kind: AttentionKind,
    /// Its folder (`Incidencias`).
    pub folder: String,
    /// Its deadline policy; `None`: the mailbox's.
    pub deadline: Option<DeadlinePolicy>,
}

/// Mail sent by a machine that no rule claimed: not a consultation.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineMail {
    /// What kind of machine mail.
    pub kind: AutoKind,
    /// Why it is machine mail, in Spanish, with the evidence: for the register.
    pub reason: String,
    /// `Message-ID`s of the message it reports on or answers, most telling first: a DSN's returned message,
    /// then `In-Reply-To` and `References`. How a bounce of triaje's own mail finds its consultation.
    pub about_ids: Vec<String>,
    /// Ticket numbers it names (in the returned headers or its subject).
    pub about_tickets: Vec<String>,
    /// For a bounce: the delivery status it reports.
    pub delivery: Option<DeliveryStatus>,
}

/// One message as the server gave it.
pub struct TriageInput<'a> {
    /// The bytes fetched: the whole message; or, for a big one, its header followed by its text parts and empty
    /// attachments (read by sections); or only its header when it was over the size limit.
    pub raw: &'a [u8],
    /// How many leading bytes of `raw` the fingerprint is taken of: `None` for all of them, `Some(header length)`
    /// for a message read by sections (its fingerprint is its header's, whatever was fetched of the rest).
    pub fingerprint_len: Option<usize>,
    /// RFC822.SIZE as the server reported it.
    pub size: u64,
    /// INTERNALDATE: when it reached the mailbox. Deadlines count from this, never from the sender's `Date:`.
    pub internal_date: Option<DateTime<Utc>>,
    /// When triage saw it; used only if the server gave no INTERNALDATE.
    pub now: DateTime<Utc>,
}

/// What triage decided for one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The consultation as it will be recorded: sender, subject, dates, folder, category, availability.
    pub record: ConsultationRecord,
    /// Why it matched, for the event log.
    pub explanation: String,
    /// Why the sender gets no acknowledgement whatever the hourly limit says (a machine, the office itself, a
    /// noreply sender, an unreadable message); `None` when one should be queued.
    pub ack_skip: Option<String>,
    /// `In-Reply-To` and `References` ids, most recent first: how an answer to triaje's own mail (a survey
    /// rating, the supervisor's verdict) is recognised.
    pub thread_ids: Vec<String>,
    /// The start of what the sender wrote now (at most 2 KB): a rating «4», the supervisor's observations.
    pub fresh_text: String,
    /// Set for mail sent by a machine that no rule claimed: filed in the automatic folder, no consultation.
    pub machine: Option<MachineMail>,
    /// SHA-256 of what the message says, whoever delivered it (sender, `Message-ID`, `Date`, subject, text,
    /// attachment names): the same message delivered to two mailboxes has one; two different messages sharing
    /// a `Message-ID` have two. `None` for an unreadable message.
    pub content_fingerprint: Option<String>,
    /// A machine sent it (auto-reply, bounce, list): in a conversation it closes nothing and opens nothing.
    pub automatic: bool,
    /// The `To` and `Cc` addresses, lower case: a unit's mail that addresses a higher unit raises the attention
    /// to it (002 §9.3.3).
    pub recipients: Vec<String>,
}

embeds_consultation_record!(Decision);

/// Decides folder, category, availability, effective date and deadline for one message.
///
/// Never fails: a message that cannot be parsed or is too big still gets its dates and a record, and goes to
/// the errors folder with its reason, so nothing is lost and the office still sees when it must be answered.
pub fn decide(ctx: &TriageContext<'_>, input: &TriageInput<'_>) -> Decision {
    let received_at = input.internal_date.unwrap_or(input.now);
    let effective = calendar::effective_received_at(ctx.calendar, ctx.reception, received_at);
    let fingerprinted = match input.fingerprint_len {
        Some(len) => &input.raw[..len.min(input.raw.len())],
        None => input.raw,
    };
    let fingerprint = fingerprint(fingerprinted);
    let parsed = mail::parse(input.raw);
    let oversize = input.size > ctx.max_message_bytes;

    let (message_id, from_addr, from_name, subject, sender_date) = match &parsed {
        Ok(m) => (
            m.message_id.clone(),
            m.from.as_ref().map(|a| a.email.clone()),
            // A name whose decoding is doubtful would greet the citizen with replacement characters: left out.
            m.from
                .as_ref()
                .and_then(|a| a.name.clone())
                .filter(|_| !m.name_doubtful),
            m.subject.clone(),
            m.date,
        ),
        Err(_) => (None, None, None, String::new(), None),
    };

    let error_reason = if oversize {
        Some(format!(
            "el mensaje mide {} y supera el máximo configurado de {} (triage.max_message_bytes); \
             se registró con sus encabezados y debe atenderse a mano",
            human_size(input.size),
            human_size(ctx.max_message_bytes)
        ))
    } else {
        parsed
            .as_ref()
            .err()
            .map(|e| format!("no se pudo leer el mensaje: {e}"))
    };

    let signal = parsed.as_ref().ok().and_then(|m| machine_signal(ctx, m));
    // An administrator's rule that matches on the sender or the headers alone claims machine mail (a web form
    // that sends from noreply@, a registry's notifications): it is filed by that rule, still never acknowledged.
    let claimed = match (&signal, &parsed) {
        (Some(_), Ok(m)) if error_reason.is_none() => {
            match ctx.rules.classify(&sender_and_headers(m)) {
                c @ Classification::Matched { .. } => Some(c),
                Classification::Unmatched { .. } => None,
            }
        }
        _ => None,
    };
    let machine = match (&signal, &parsed) {
        (Some((kind, evidence)), Ok(m)) if claimed.is_none() && error_reason.is_none() => {
            Some(machine_mail(ctx, m, *kind, evidence))
        }
        _ => None,
    };

    let (mut folder, mut category, availability, mut rule, explanation, kind) =
        match (&error_reason, &parsed) {
            (None, Ok(_)) if machine.is_some() => {
                let reason = machine
                    .as_ref()
                    .map(|m| m.reason.clone())
                    .unwrap_or_default();
                (
                    ctx.automatic_folder.to_string(),
                    AUTOMATIC_CATEGORY.to_string(),
                    ctx.default_availability,
                    None,
                    reason,
                    None,
                )
            }
            (None, Ok(m)) => {
                let classification = match claimed {
                    Some(c) => c,
                    None => ctx.rules.classify(&m.view()),
                };
                let explanation = crate::rules::explain(&classification);
                match classification {
                    Classification::Matched {
                        rule,
                        folder,
                        category,
                        availability,
                        kind,
                        ..
                    } => (
                        folder,
                        category,
                        availability,
                        Some(rule),
                        explanation,
                        Some(kind),
                    ),
                    Classification::Unmatched { kind, .. } => (
                        ctx.unclassified_folder.to_string(),
                        ctx.default_category.to_string(),
                        ctx.default_availability,
                        None,
                        explanation,
                        Some(kind),
                    ),
                }
            }
            (reason, _) => (
                ctx.errors_folder.to_string(),
                "Error de procesamiento".to_string(),
                ctx.default_availability,
                None,
                reason.clone().unwrap_or_default(),
                None,
            ),
        };
    // The area is what the folders' tally decided; an incident, complaint or suggestion is filed in its kind's
    // folder and counted by its kind's policy, keeping the area beside it.
    let area = rule.is_some().then(|| folder.clone());
    let mut policy = ctx.deadline;
    let kind = match kind {
        Some(decided) => {
            let filing = ctx.kinds.iter().find(|k| k.kind == decided.kind);
            if let Some(filing) = filing {
                folder = filing.folder.clone();
                if let Some(p) = &filing.deadline {
                    policy = p;
                }
                if area.is_none() {
                    // No area was sure: the kind's rule is what decided, and its reason (if it gives one).
                    if let Some(r) = decided.tally.deciding_rule() {
                        rule = Some(r.rule.clone());
                        if let Some(c) = ctx.rules.rules().get(r.order) {
                            if !c.category.is_empty() {
                                category = c.category.clone();
                            }
                        }
                    }
                }
            }
            filing
                .map(|f| f.kind)
                .unwrap_or(AttentionKind::Consultation)
        }
        None => AttentionKind::Consultation,
    };
    let deadline = calendar::deadline(ctx.calendar, policy, availability, effective);
    let (thread_ids, fresh_text) = match &parsed {
        Ok(m) => {
            let mut ids: Vec<String> = m.in_reply_to.iter().cloned().collect();
            for r in m.references.iter().rev() {
                if !ids.contains(r) {
                    ids.push(r.clone());
                }
            }
            (
                ids,
                crate::mail::cap_on_char_boundary(&m.fresh_text, 2048).to_string(),
            )
        }
        Err(_) => (Vec::new(), String::new()),
    };
    let reply_to_addr = parsed
        .as_ref()
        .ok()
        .and_then(|m| m.reply_to.as_ref())
        .map(|a| a.email.clone());
    // The hourly limit needs the outbox; everything else is decided here, once, and recorded.
    let ack_skip = acknowledgement_for(&AckInput {
        answer_to: reply_to_addr.as_deref().or(from_addr.as_deref()),
        auto: signal.as_ref().map(|(kind, _)| *kind),
        own_addresses: ctx.own_addresses,
        unprocessable: error_reason.is_some(),
        followup: false,
        sent_last_hour: 0,
        limit_per_hour: u32::MAX,
    })
    .err()
    .map(|skip| skip.describe());
    Decision {
        record: ConsultationRecord {
            message_id,
            from_addr,
            from_name,
            subject,
            reply_to_addr,
            fingerprint,
            received_at,
            sender_date,
            effective_received_at: effective.with_timezone(&Utc),
            deadline_at: deadline.with_timezone(&Utc),
            folder,
            category,
            availability,
            rule,
            kind,
            area,
            error_reason,
        },
        explanation,
        ack_skip,
        thread_ids,
        fresh_text,
        automatic: machine.is_some() || parsed.as_ref().is_ok_and(|m| m.auto_submitted.is_some()),
        content_fingerprint: parsed.as_ref().ok().map(content_fingerprint),
        recipients: parsed
            .as_ref()
            .map(|m| {
                m.to.iter()
                    .chain(&m.cc)
                    .map(|a| a.email.to_lowercase())
                    .collect()
            })
            .unwrap_or_default(),
        machine,
    }
}

/// The category recorded for machine mail (it counts in no indicator).
pub const AUTOMATIC_CATEGORY: &str = "Correo automático";

/// The machine signal of a message, if any: a loop only the office's addresses reveal (`X-Loop` or an Exchange
/// inbox rule naming one of its mailboxes, a `Delivered-To` of one of them below the server's own, triaje's own
/// header coming back), or the parser's evidence weighed again with what only the office knows (the message
/// answers its own mail, a sign of a person).
fn machine_signal(ctx: &TriageContext<'_>, m: &ParsedMail) -> Option<(AutoKind, String)> {
    let names_own = |value: &str| {
        let value = value.to_lowercase();
        ctx.own_addresses
            .iter()
            .any(|own| !own.is_empty() && value.contains(own.as_str()))
    };
    for name in ["x-loop", "x-ms-exchange-inbox-rules-loop"] {
        for (n, v) in &m.headers {
            if n == name && names_own(v) {
                return Some((AutoKind::Loop, format!("{}: {v}", header_display(name))));
            }
        }
    }
    if let Some(v) = mail::delivered_to_loop(&m.headers, ctx.own_addresses) {
        return Some((
            AutoKind::Loop,
            format!("Delivered-To: {v} ya estaba en el mensaje antes de llegar (bucle de reenvío)"),
        ));
    }
    if let Some(ticket) = m.header("x-triaje-ticket") {
        return Some((
            AutoKind::Loop,
            format!("lleva la cabecera X-Triaje-Ticket: {ticket} de un correo de triaje"),
        ));
    }
    let answers_ours = m
        .in_reply_to
        .iter()
        .chain(m.references.iter())
        .any(|id| !tickets_in(id, ctx.ticket_prefix).is_empty());
    let more: &[PersonSign] = if answers_ours {
        &[PersonSign::AnswersOurs]
    } else {
        &[]
    };
    let signal = m.machine_evidence.verdict(more)?;
    Some((signal.kind, signal.evidence))
}

fn header_display(lower: &str) -> &'static str {
    match lower {
        "x-loop" => "X-Loop",
        _ => "X-MS-Exchange-Inbox-Rules-Loop",
    }
}

/// What a rule may look at to claim machine mail: the sender and the headers, nothing the machine wrote.
fn sender_and_headers(m: &ParsedMail) -> MessageView<'_> {
    MessageView {
        subject: "",
        from: m.from.iter().map(|a| a.email.as_str()).collect(),
        to: Vec::new(),
        headers: &m.headers,
        text: "",
        attachments: Vec::new(),
    }
}

/// The machine mail's record: its reason, and what it may be about.
fn machine_mail(
    ctx: &TriageContext<'_>,
    m: &ParsedMail,
    kind: AutoKind,
    evidence: &str,
) -> MachineMail {
    let mut about_ids = m.returned_ids.clone();
    for id in m.in_reply_to.iter().chain(m.references.iter().rev()) {
        if !about_ids.contains(id) {
            about_ids.push(id.clone());
        }
    }
    let mut about_tickets: Vec<String> = m.returned_tickets.clone();
    about_tickets.extend(tickets_in(&m.subject, ctx.ticket_prefix));
    about_tickets.dedup();
    let mut reason = format!("correo automático: {}", kind.describe());
    if !evidence.is_empty() && !kind.describe().contains(evidence) {
        reason.push_str(&format!(" ({evidence})"));
    }
    if let Some(d) = m.delivery.as_ref().filter(|d| !d.describe().is_empty()) {
        reason.push_str(&format!("; {}", d.describe()));
    }
    MachineMail {
        kind,
        reason,
        about_ids,
        about_tickets,
        delivery: m.delivery.clone(),
    }
}

/// Ticket numbers (`CONS-2026-000123`) in a text.
fn tickets_in(text: &str, prefix: &str) -> Vec<String> {
    if prefix.is_empty() {
        return Vec::new();
    }
    let upper = text.to_ascii_uppercase();
    let wanted = prefix.to_ascii_uppercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = upper[from..].find(&wanted) {
        let start = from + pos;
        let rest = &upper[start + wanted.len()..];
        let b = rest.as_bytes();
        let shape = b.len() >= 12
            && b[0] == b'-'
            && b[1..5].iter().all(u8::is_ascii_digit)
            && b[5] == b'-'
            && b[6..12].iter().all(u8::is_ascii_digit);
        if shape {
            out.push(format!("{prefix}{}", &rest[..12]));
        }
        from = start + wanted.len();
    }
    out
}

/// SHA-256 over what a message says, the same whichever mailbox it was delivered to.
fn content_fingerprint(m: &ParsedMail) -> String {
    let mut h = Sha256::new();
    let from = m.from.as_ref().map(|a| a.email.as_str()).unwrap_or("");
    for field in [
        from,
        m.message_id.as_deref().unwrap_or(""),
        &m.date
            .map(|d| d.timestamp().to_string())
            .unwrap_or_default(),
        &m.subject,
        &m.body_text,
    ] {
        h.update(field.as_bytes());
        h.update([0u8]);
    }
    for a in &m.attachments {
        h.update(a.name.as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize())
}

/// The IMAP keywords that make a filed message readable in a plain mail client: its availability and its due
/// date (`Alta`, `Vence_2026-11-25`).
///
/// Not its ticket: a server never forgets a keyword and sends a folder's whole keyword list again each time a
/// new one appears, so one keyword per message made a backlog of N messages cost N² bytes (and every client's
/// tag list grow for ever). Availabilities are three and due dates one per business day; the ticket is in the
/// acknowledgement, the reply's subject and the register.
pub fn keywords_for(availability: Availability, deadline_at: DateTime<Utc>) -> Vec<String> {
    let due = deadline_at.with_timezone(&LIMA).format("%Y-%m-%d");
    vec![availability.spanish().to_string(), format!("Vence_{due}")]
}

/// SHA-256 (hex) of a message's bytes: recognises the same message again (after the server renumbers a folder,
/// or a draft seen again after a crash).
pub fn fingerprint(raw: &[u8]) -> String {
    hex(&Sha256::digest(raw))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KB", (bytes as f64 / 1024.0).ceil())
    }
}
