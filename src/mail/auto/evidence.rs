//! Weighing what a message shows: a strong machine signal decides alone; weak ones must outweigh the signs that a
//! person wrote it.
//!
//! A careful assistant reading the inbox does the same: `Auto-Submitted: auto-replied` or a bounce report settles
//! it, but a subject starting «Respuesta automática:» or an `X-Auto-Response-Suppress` header only raises a
//! doubt, which a question written to the office, a signature or a person to answer at dispels. Outlook stamps
//! `X-Auto-Response-Suppress` on every meeting request, corporate gateways on all mail, CRMs add
//! `List-Unsubscribe` to a salesman's mail, a municipality shares one `noresponder@` account among its staff.

use super::{AutoKind, AutoSignal};

/// A machine signal that a person's mail may also carry, so it decides only with others or with no sign of a
/// person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weak {
    /// The subject starts with an auto-reply's prefix («Respuesta automática:», «Acuse de recibo automático»).
    Subject,
    /// `X-Auto-Response-Suppress`: Exchange sets it on its automatic mail, Outlook on meeting requests, some
    /// gateways on everything.
    ResponseSuppress,
    /// `Precedence: bulk`, `list` or `junk`: mass mailing, but also some universities' relays.
    Precedence,
    /// `List-Unsubscribe` (or another `List-*` field) without `List-Id`: bulk senders, and CRMs on a person's mail.
    Unsubscribe,
    /// A sender that reads no answers (`noreply@`): notifications, and some shared institutional accounts.
    NoReplySender,
    /// The text announces an absence («Estaré fuera de la oficina hasta…»): counted only beside another weak
    /// signal, since a person writes it too.
    AbsenceText,
    /// The text carries an unsubscribe footer («Si no desea recibir más correos…»): counted only beside another
    /// weak signal, since a salesman's CRM adds one too.
    UnsubscribeText,
}

impl Weak {
    /// How much the signal weighs: a bulk precedence and a noreply sender, which a person's own mail rarely
    /// carries, two; what tools stamp on people's mail, or people write themselves (a subject starting «Auto:»,
    /// an absence), one.
    pub fn weight(self) -> u32 {
        match self {
            Weak::Precedence | Weak::NoReplySender => 2,
            Weak::Subject
            | Weak::ResponseSuppress
            | Weak::Unsubscribe
            | Weak::AbsenceText
            | Weak::UnsubscribeText => 1,
        }
    }
}

/// A sign that a person wrote the message to the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonSign {
    /// What the sender wrote now asks something («¿…?», «quisiera saber»).
    Question,
    /// `Reply-To` names a person's own address, other than the sender's: someone waits for the answer there.
    PersonReplyTo,
    /// The text ends with a signature that names a person.
    Signature,
    /// `In-Reply-To` names mail triaje sent: the sender answers the office (so do auto-responders, hence one).
    AnswersOurs,
}

impl PersonSign {
    /// How much the sign weighs against weak machine signals.
    pub fn weight(self) -> u32 {
        match self {
            PersonSign::Question | PersonSign::PersonReplyTo => 2,
            PersonSign::Signature | PersonSign::AnswersOurs => 1,
        }
    }

    /// A short Spanish description, for the register.
    pub fn describe(self) -> &'static str {
        match self {
            PersonSign::Question => "el texto pregunta algo",
            PersonSign::PersonReplyTo => "Reply-To de una persona",
            PersonSign::Signature => "firma de una persona",
            PersonSign::AnswersOurs => "responde a un correo de la oficina",
        }
    }
}

/// Everything a message shows for and against a machine having sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// A signal that decides alone (RFC 3834, a null return path, a delivery report, a list's `List-Id`).
    pub strong: Option<AutoSignal>,
    /// Signals that decide only together or with no sign of a person, in the order found.
    pub weak: Vec<(Weak, AutoSignal)>,
    /// Signs that a person wrote it.
    pub person: Vec<PersonSign>,
}

impl Evidence {
    /// The verdict: the machine signal that decides, or `None` for a person's mail.
    ///
    /// `more` are signs of a person only the caller can see (an answer to the office's own mail). Weak signals
    /// must weigh more than the signs of a person: a tie is a person's, since a citizen filed as machine mail
    /// loses the acknowledgement and the deadline.
    pub fn verdict(&self, more: &[PersonSign]) -> Option<AutoSignal> {
        if let Some(strong) = &self.strong {
            return Some(strong.clone());
        }
        let machine: u32 = self.weak.iter().map(|(w, _)| w.weight()).sum();
        let person: u32 = self.person.iter().chain(more).map(|p| p.weight()).sum();
        if machine == 0 || machine <= person {
            return None;
        }
        // The heaviest signal names the kind; the evidence lists every signal, and what spoke for a person.
        let (_, first) = self.weak.iter().rev().max_by_key(|(w, _)| w.weight())?;
        let mut evidence = self
            .weak
            .iter()
            .map(|(_, s)| s.evidence.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let against: Vec<&str> = self
            .person
            .iter()
            .chain(more)
            .map(|p| p.describe())
            .collect();
        if !against.is_empty() {
            evidence.push_str(&format!(", pese a: {}", against.join(", ")));
        }
        Some(AutoSignal {
            kind: first.kind,
            evidence: evidence.chars().take(200).collect(),
        })
    }

    /// True when the message shows any machine signal at all, strong or weak.
    pub fn any_signal(&self) -> bool {
        self.strong.is_some() || !self.weak.is_empty()
    }
}

/// A weak signal of `kind` with its evidence.
pub(super) fn weak(which: Weak, kind: AutoKind, evidence: String) -> (Weak, AutoSignal) {
    (
        which,
        AutoSignal {
            kind,
            evidence: evidence.chars().take(120).collect(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(weak_signals: &[Weak], person: &[PersonSign]) -> Evidence {
        Evidence {
            strong: None,
            weak: weak_signals
                .iter()
                .map(|w| weak(*w, AutoKind::OutOfOffice, format!("{w:?}")))
                .collect(),
            person: person.to_vec(),
        }
    }

    #[test]
    fn a_strong_signal_decides_whatever_a_person_seems_to_write() {
        let e = Evidence {
            strong: Some(AutoSignal {
                kind: AutoKind::AutoReplied,
                evidence: "Auto-Submitted: auto-replied".into(),
            }),
            weak: Vec::new(),
            person: vec![PersonSign::Question, PersonSign::Signature],
        };
        assert_eq!(
            e.verdict(&[PersonSign::AnswersOurs]).map(|s| s.kind),
            Some(AutoKind::AutoReplied)
        );
    }

    #[test]
    fn one_weak_signal_decides_only_with_no_sign_of_a_person() {
        for w in [
            Weak::Subject,
            Weak::ResponseSuppress,
            Weak::Precedence,
            Weak::Unsubscribe,
            Weak::NoReplySender,
            Weak::AbsenceText,
            Weak::UnsubscribeText,
        ] {
            assert!(with(&[w], &[]).verdict(&[]).is_some(), "{w:?} alone");
            assert!(
                with(&[w], &[PersonSign::Question]).verdict(&[]).is_none(),
                "{w:?} with a question"
            );
            assert!(
                with(&[w], &[PersonSign::PersonReplyTo])
                    .verdict(&[])
                    .is_none(),
                "{w:?} with a person's Reply-To"
            );
        }
    }

    #[test]
    fn a_signature_or_an_answer_to_us_outweighs_one_light_signal_only() {
        for sign in [PersonSign::Signature, PersonSign::AnswersOurs] {
            for light in [Weak::ResponseSuppress, Weak::Unsubscribe, Weak::Subject] {
                assert!(with(&[light], &[sign]).verdict(&[]).is_none(), "{light:?}");
                assert!(with(&[light], &[]).verdict(&[sign]).is_none(), "{light:?}");
            }
            assert!(with(&[Weak::NoReplySender], &[sign]).verdict(&[]).is_some());
            assert!(with(&[Weak::Precedence], &[sign]).verdict(&[]).is_some());
            assert!(with(&[Weak::Subject, Weak::AbsenceText], &[sign])
                .verdict(&[])
                .is_some());
        }
    }

    #[test]
    fn weak_signals_together_outweigh_a_signature_and_an_answer_to_us() {
        // Exchange's out-of-office to the office's acknowledgement: «Respuesta automática:»,
        // X-Auto-Response-Suppress and a text announcing an absence, signed by its owner, in reply to our mail.
        let ooo = with(
            &[Weak::Subject, Weak::ResponseSuppress, Weak::AbsenceText],
            &[PersonSign::Signature],
        );
        let verdict = ooo.verdict(&[PersonSign::AnswersOurs]).expect("machine");
        assert!(verdict.evidence.contains("Subject"));
        assert!(verdict.evidence.contains("ResponseSuppress"));
        assert!(verdict.evidence.contains("pese a"));
        // A newsletter: bulk precedence and an unsubscribe link, whatever it asks.
        assert!(with(
            &[Weak::Precedence, Weak::Unsubscribe],
            &[PersonSign::Question]
        )
        .verdict(&[])
        .is_some());
    }

    #[test]
    fn a_question_and_a_signature_outweigh_two_stamped_headers() {
        // A salesman's mail through a CRM (List-Unsubscribe) from Outlook (X-Auto-Response-Suppress).
        let e = with(
            &[Weak::Unsubscribe, Weak::ResponseSuppress],
            &[PersonSign::Question, PersonSign::Signature],
        );
        assert!(e.verdict(&[]).is_none());
    }

    #[test]
    fn no_signal_is_a_person() {
        assert!(with(&[], &[]).verdict(&[]).is_none());
        assert!(!with(&[], &[]).any_signal());
        assert!(with(&[Weak::Unsubscribe], &[]).any_signal());
    }

    #[test]
    fn the_heaviest_signal_names_the_kind() {
        let e = Evidence {
            strong: None,
            weak: vec![
                weak(
                    Weak::ResponseSuppress,
                    AutoKind::OutOfOffice,
                    "X-ARS".into(),
                ),
                weak(Weak::Precedence, AutoKind::Bulk, "Precedence: bulk".into()),
            ],
            person: Vec::new(),
        };
        assert_eq!(e.verdict(&[]).map(|s| s.kind), Some(AutoKind::Bulk));
    }
}
