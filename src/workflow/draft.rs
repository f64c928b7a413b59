//! A reply draft an assistant dropped into `Por enviar`: which consultation it answers, and whether it can go.
//!
//! The checks are the ones a coordinator would make before letting an answer out: it says something, it is
//! signed, it goes to the citizen who asked, and the consultation is still open. Every problem is reported in
//! words the assistant can act on; a draft with problems is never sent.

use std::sync::LazyLock;

use regex::Regex;

/// Ticket numbers in subjects: `CONS-2026-000123` (any prefix of 1–12 letters or digits).
static TICKET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([A-Za-z0-9]{1,12}-\d{4}-\d{6})\b").expect("valid regex"));

/// How a draft points at its consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLink {
    /// Ticket numbers written in the subject, in order.
    pub tickets: Vec<String>,
    /// `In-Reply-To` and `References` ids, most recent first: a reply made with the client's Reply button
    /// carries the citizen's `Message-ID` here.
    pub message_ids: Vec<String>,
}

/// Reads the links of a draft from its subject and threading headers.
pub fn draft_link(subject: &str, in_reply_to: Option<&str>, references: &[String]) -> DraftLink {
    let tickets = TICKET
        .captures_iter(subject)
        .map(|c| c[1].to_ascii_uppercase())
        .collect();
    let mut message_ids: Vec<String> = in_reply_to.map(str::to_string).into_iter().collect();
    for r in references.iter().rev() {
        if !message_ids.contains(r) {
            message_ids.push(r.clone());
        }
    }
    DraftLink {
        tickets,
        message_ids,
    }
}

/// What the checks look at.
#[derive(Debug, Clone)]
pub struct DraftFacts<'a> {
    /// The assistant's own words (no quote, no signature).
    pub fresh_text: &'a str,
    /// The signature found under them, if any.
    pub signature: Option<&'a str>,
    /// `To` and `Cc` addresses of the draft, lower-case.
    pub recipients: &'a [String],
    /// Where the answer must go: the citizen's `Reply-To`, else `From` (lower-case).
    pub citizen: Option<&'a str>,
    /// Whether a signature is required (`[replies] require_signature`).
    pub require_signature: bool,
    /// Whether the consultation can still take a reply.
    pub standing: Standing,
}

/// Where the consultation a draft answers stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Open: waiting for its answer.
    Open,
    /// Answered already.
    Answered,
    /// Could not be processed (in the errors folder).
    Unprocessable,
}

/// One reason a draft cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftProblem {
    /// No ticket in the subject and no threading header points to a known consultation.
    Unlinked,
    /// The draft says nothing of its own.
    Empty,
    /// No signature under the text.
    Unsigned,
    /// Not addressed to the citizen who asked.
    WrongRecipient {
        /// The citizen's address.
        expected: String,
    },
    /// The consultation has no address to answer to.
    NoCitizenAddress,
    /// The consultation was answered already.
    AlreadyAnswered,
    /// The consultation could not be processed (it is in the errors folder).
    Unprocessable,
    /// The draft could not be read as a message.
    Unreadable(String),
    /// The consultation already has a reply in the outbox.
    ReplyQueued,
    /// The consultation already has a reply waiting for the supervisor.
    ReplyAwaitingValidation,
    /// The consultation is Legal and no supervisor is configured.
    NoSupervisor,
    /// The consultation belongs to another mailbox: the draft was dropped in the wrong `Por enviar`.
    OtherMailbox {
        /// The ticket found.
        ticket: String,
        /// The mailbox's address where it must be dropped.
        mailbox: String,
    },
}

impl DraftProblem {
    /// What the assistant should do, in Spanish.
    pub fn describe(&self) -> String {
        match self {
            DraftProblem::Unlinked => {
                "no se encontró la consulta que responde: use «Responder» sobre el mensaje \
                del ciudadano, o escriba el número de ticket (CONS-AAAA-NNNNNN) en el asunto"
                    .into()
            }
            DraftProblem::Empty => {
                "el borrador no tiene texto propio: escriba la respuesta (encima o debajo del mensaje \
                 citado)"
                    .into()
            }
            DraftProblem::Unsigned => {
                "el borrador no está firmado: ponga su nombre al final de la respuesta (por ejemplo \
                 «Atentamente,» y su nombre, o su nombre y cargo, o una firma tras una línea «-- »); \
                 una firma que solo nombra la oficina, o el «Enviado desde mi iPhone» del teléfono, no \
                 dice quién responde"
                    .into()
            }
            DraftProblem::WrongRecipient { expected } => {
                format!("el borrador no está dirigido al ciudadano: ponga {expected} en «Para»")
            }
            DraftProblem::NoCitizenAddress => {
                "la consulta no tiene una dirección a la que responder; atiéndala por otro medio"
                    .into()
            }
            DraftProblem::AlreadyAnswered => {
                "esa consulta ya fue respondida; no se envía una segunda respuesta".into()
            }
            DraftProblem::Unprocessable => {
                "esa consulta está en Errores (no se pudo procesar); atiéndala a mano".into()
            }
            DraftProblem::Unreadable(why) => format!("no se pudo leer el borrador: {why}"),
            DraftProblem::ReplyQueued => {
                "esta consulta ya tiene una respuesta en cola de envío; no se envía otra".into()
            }
            DraftProblem::ReplyAwaitingValidation => {
                "esta consulta ya tiene una respuesta esperando la validación legal; espere la decisión \
                 del supervisor"
                    .into()
            }
            DraftProblem::NoSupervisor => {
                "la consulta es legal y necesita validación, pero no hay supervisor configurado \
                 ([replies] supervisor); avise al administrador"
                    .into()
            }
            DraftProblem::OtherMailbox { ticket, mailbox } => format!(
                "la consulta {ticket} es del buzón {mailbox}: deje el borrador en la carpeta de \
                 borradores por enviar de ese buzón"
            ),
        }
    }
}

/// Every problem of a linked draft; empty means it may go on (to the supervisor, or out).
pub fn check_draft(f: &DraftFacts<'_>) -> Vec<DraftProblem> {
    let mut problems = Vec::new();
    match f.standing {
        Standing::Answered => problems.push(DraftProblem::AlreadyAnswered),
        Standing::Unprocessable => problems.push(DraftProblem::Unprocessable),
        Standing::Open => {}
    }
    let empty = f.fresh_text.trim().is_empty();
    if empty {
        problems.push(DraftProblem::Empty);
    }
    // A draft with nothing of its own is returned for that alone: a signature is asked of an answer, and an
    // automatic signature over the bare quote would otherwise read as the fault.
    if !empty && f.require_signature && f.signature.is_none_or(|s| s.trim().is_empty()) {
        problems.push(DraftProblem::Unsigned);
    }
    match f.citizen {
        None => problems.push(DraftProblem::NoCitizenAddress),
        Some(citizen) => {
            if !f.recipients.iter().any(|r| r.eq_ignore_ascii_case(citizen)) {
                problems.push(DraftProblem::WrongRecipient {
                    expected: citizen.to_string(),
                });
            }
        }
    }
    problems
}

/// Who wrote a draft, for the register: the sender when it is a person's own address, else the first line of
/// the signature (assistants often write from the shared mailbox), else the sender anyway.
pub fn author_of(from: Option<&str>, own_addresses: &[String], signature: Option<&str>) -> String {
    let personal = from.filter(|f| !own_addresses.iter().any(|o| o.eq_ignore_ascii_case(f)));
    if let Some(f) = personal {
        return f.to_ascii_lowercase();
    }
    if let Some(name) = signature.and_then(|s| s.lines().map(str::trim).find(|l| !l.is_empty())) {
        return name.to_string();
    }
    from.unwrap_or("desconocido").to_ascii_lowercase()
}

/// The subject of the reply the citizen receives: `RE: <their subject> [TICKET]`, without piling up `RE:`s and
/// with the ticket once.
pub fn reply_subject(draft_subject: &str, ticket: &str) -> String {
    let mut s = draft_subject.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        let stripped = ["re:", "rv:", "fw:", "fwd:", "res:"]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map(|p| s[p.len()..].trim_start());
        match stripped {
            Some(rest) => s = rest,
            None => break,
        }
    }
    let base = s.replace(&format!("[{ticket}]"), "").replace(ticket, "");
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    if base.is_empty() {
        format!("RE: [{ticket}]")
    } else {
        format!("RE: {base} [{ticket}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(recipients: &'a [String]) -> DraftFacts<'a> {
        DraftFacts {
            fresh_text: "Su constancia está lista.\n",
            signature: Some("Ana Torres"),
            recipients,
            citizen: Some("juan@example.test"),
            require_signature: true,
            standing: Standing::Open,
        }
    }

    #[test]
    fn a_signed_answer_to_the_citizen_passes() {
        let to = vec!["juan@example.test".to_string()];
        assert_eq!(check_draft(&facts(&to)), vec![]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let to = vec!["otro@example.test".to_string()];
        let mut f = facts(&to);
        f.signature = None;
        assert_eq!(
            check_draft(&f),
            vec![
                DraftProblem::Unsigned,
                DraftProblem::WrongRecipient {
                    expected: "juan@example.test".into()
                }
            ]
        );
    }

    #[test]
    fn a_draft_with_no_words_of_its_own_is_returned_for_that_not_for_its_signature() {
        let to = vec!["juan@example.test".to_string()];
        let mut f = facts(&to);
        // Outlook's automatic signature over the bare quote: signed, but nothing to send.
        f.fresh_text = "  \n";
        assert_eq!(check_draft(&f), vec![DraftProblem::Empty]);
        // Nothing at all: empty, and not also «unsigned».
        f.signature = None;
        assert_eq!(check_draft(&f), vec![DraftProblem::Empty]);
    }

    #[test]
    fn answered_and_unprocessable_consultations_take_no_draft() {
        let to = vec!["juan@example.test".to_string()];
        let mut f = facts(&to);
        f.standing = Standing::Answered;
        assert_eq!(check_draft(&f), vec![DraftProblem::AlreadyAnswered]);
        f.standing = Standing::Unprocessable;
        assert_eq!(check_draft(&f), vec![DraftProblem::Unprocessable]);
    }

    #[test]
    fn a_signature_is_optional_when_the_office_says_so() {
        let to = vec!["juan@example.test".to_string()];
        let mut f = facts(&to);
        f.signature = None;
        f.require_signature = false;
        assert_eq!(check_draft(&f), vec![]);
    }

    #[test]
    fn drafts_link_by_ticket_and_by_threading() {
        let l = draft_link(
            "RE: Renovación [cons-2026-000123]",
            Some("q2@x"),
            &["q1@x".to_string(), "q2@x".to_string()],
        );
        assert_eq!(l.tickets, vec!["CONS-2026-000123"]);
        assert_eq!(l.message_ids, vec!["q2@x", "q1@x"]);
    }

    #[test]
    fn the_author_is_the_person_not_the_shared_mailbox() {
        let own = vec!["consultas@osce.test".to_string()];
        assert_eq!(
            author_of(Some("ana@osce.test"), &own, Some("Ana")),
            "ana@osce.test"
        );
        assert_eq!(
            author_of(
                Some("consultas@osce.test"),
                &own,
                Some("Ana Torres\nMesa de ayuda")
            ),
            "Ana Torres"
        );
        assert_eq!(
            author_of(Some("consultas@osce.test"), &own, None),
            "consultas@osce.test"
        );
    }

    #[test]
    fn reply_subjects_carry_one_re_and_one_ticket() {
        assert_eq!(
            reply_subject("Renovación RNP", "CONS-2026-000001"),
            "RE: Renovación RNP [CONS-2026-000001]"
        );
        assert_eq!(
            reply_subject(
                "RE: Re: RV: Renovación RNP [CONS-2026-000001]",
                "CONS-2026-000001"
            ),
            "RE: Renovación RNP [CONS-2026-000001]"
        );
        assert_eq!(
            reply_subject("", "CONS-2026-000001"),
            "RE: [CONS-2026-000001]"
        );
    }
}
