//! The life of a reply, from the assistant's draft to the message the citizen receives.
//!
//! A reply to a Legal consultation must be approved by a supervisor before it can be queued; any other reply is
//! queued as soon as its draft is accepted. Every transition is a method that consumes the reply and either
//! returns the next one or says, in Spanish, why the step is not allowed — so "a legal reply reaches the citizen
//! without an approval" cannot be written, only refused.

use chrono::{DateTime, Utc};

/// Where a reply is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyState {
    /// A Legal reply waiting in `Validación legal` for the supervisor.
    AwaitingValidation,
    /// The supervisor sent it back; the assistant must correct it and submit again.
    Returned {
        /// What the supervisor asked to change.
        observations: String,
    },
    /// Ready to go out; waiting for the SMTP server to accept it.
    Queued,
    /// The SMTP server accepted it.
    Sent {
        /// When the server accepted it.
        at: DateTime<Utc>,
    },
    /// Withdrawn (the assistant replaced it with another draft, or the consultation was closed otherwise).
    Withdrawn,
}

/// One recorded step: who did what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it: an address, or `triaje` for the daemon itself.
    pub by: String,
    /// What happened, in Spanish, for the consultation's history.
    pub what: String,
}

/// A reply and its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Whether the consultation is Legal (then a supervisor must approve).
    pub legal: bool,
    /// Who wrote the draft.
    pub author: String,
    /// Who approved it, once approved.
    pub approved_by: Option<String>,
    /// Where it is now.
    pub state: ReplyState,
    /// Every step, oldest first.
    pub history: Vec<Step>,
}

/// A step that is not allowed from where the reply is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransitionError(pub String);

impl Reply {
    /// An accepted draft: Legal replies wait for the supervisor, the others are queued at once.
    pub fn submit(legal: bool, author: &str, at: DateTime<Utc>) -> Reply {
        let (state, what) = if legal {
            (
                ReplyState::AwaitingValidation,
                "borrador enviado a validación legal",
            )
        } else {
            (
                ReplyState::Queued,
                "borrador aceptado y puesto en cola de envío",
            )
        };
        Reply {
            legal,
            author: author.to_string(),
            approved_by: None,
            state,
            history: vec![Step {
                at,
                by: author.to_string(),
                what: what.to_string(),
            }],
        }
    }

    /// The supervisor approves a Legal reply; it is queued for sending.
    pub fn approve(
        mut self,
        supervisor: &str,
        at: DateTime<Utc>,
    ) -> Result<Reply, TransitionError> {
        if self.state != ReplyState::AwaitingValidation {
            return Err(self.refuse("aprobar"));
        }
        if supervisor.eq_ignore_ascii_case(&self.author) {
            return Err(TransitionError(format!(
                "{supervisor} escribió esta respuesta y no puede aprobarla también: la validación legal \
                 debe hacerla otra persona"
            )));
        }
        self.approved_by = Some(supervisor.to_string());
        self.state = ReplyState::Queued;
        self.push(
            at,
            supervisor,
            "aprobada por el supervisor; en cola de envío",
        );
        Ok(self)
    }

    /// The supervisor returns a Legal reply with observations for the assistant.
    pub fn send_back(
        mut self,
        supervisor: &str,
        observations: &str,
        at: DateTime<Utc>,
    ) -> Result<Reply, TransitionError> {
        if self.state != ReplyState::AwaitingValidation {
            return Err(self.refuse("devolver con observaciones"));
        }
        let observations = observations.trim();
        if observations.is_empty() {
            return Err(TransitionError(
                "para devolver una respuesta escriba las observaciones: el asistente necesita saber qué corregir"
                    .into(),
            ));
        }
        self.push(
            at,
            supervisor,
            &format!("devuelta con observaciones: {observations}"),
        );
        self.state = ReplyState::Returned {
            observations: observations.to_string(),
        };
        Ok(self)
    }

    /// The assistant submits a corrected draft after it was returned.
    pub fn resubmit(mut self, author: &str, at: DateTime<Utc>) -> Result<Reply, TransitionError> {
        if !matches!(self.state, ReplyState::Returned { .. }) {
            return Err(self.refuse("volver a enviar a validación"));
        }
        self.author = author.to_string();
        self.state = ReplyState::AwaitingValidation;
        self.push(
            at,
            author,
            "borrador corregido enviado otra vez a validación legal",
        );
        Ok(self)
    }

    /// The SMTP server accepted the reply. Refused unless queued, which (for Legal) means approved.
    pub fn mark_sent(mut self, at: DateTime<Utc>) -> Result<Reply, TransitionError> {
        if self.state != ReplyState::Queued {
            return Err(self.refuse("enviar al ciudadano"));
        }
        if self.legal && self.approved_by.is_none() {
            // Unreachable through the methods above; kept so the invariant does not rest on them alone.
            return Err(TransitionError(
                "una respuesta legal no puede enviarse sin la aprobación del supervisor".into(),
            ));
        }
        self.state = ReplyState::Sent { at };
        self.push(at, "triaje", "enviada al ciudadano");
        Ok(self)
    }

    /// Withdraws a reply that has not gone out yet.
    pub fn withdraw(mut self, by: &str, at: DateTime<Utc>) -> Result<Reply, TransitionError> {
        if matches!(self.state, ReplyState::Sent { .. } | ReplyState::Withdrawn) {
            return Err(self.refuse("retirar"));
        }
        self.state = ReplyState::Withdrawn;
        self.push(at, by, "retirada");
        Ok(self)
    }

    /// Whether the reply may be handed to the SMTP server now.
    pub fn may_be_sent(&self) -> bool {
        self.state == ReplyState::Queued && (!self.legal || self.approved_by.is_some())
    }

    fn push(&mut self, at: DateTime<Utc>, by: &str, what: &str) {
        self.history.push(Step {
            at,
            by: by.to_string(),
            what: what.to_string(),
        });
    }

    fn refuse(&self, action: &str) -> TransitionError {
        let now = match &self.state {
            ReplyState::AwaitingValidation => "espera la validación legal".to_string(),
            ReplyState::Returned { .. } => {
                "fue devuelta con observaciones y espera la corrección del asistente".to_string()
            }
            ReplyState::Queued if self.legal => {
                "ya fue aprobada y está en cola de envío".to_string()
            }
            ReplyState::Queued => {
                "está en cola de envío (no necesita validación legal)".to_string()
            }
            ReplyState::Sent { at } => {
                format!("ya fue enviada ({})", at.format("%d/%m/%Y %H:%M UTC"))
            }
            ReplyState::Withdrawn => "fue retirada".to_string(),
        };
        TransitionError(format!("no se puede {action} esta respuesta: {now}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 15, min, 0).unwrap()
    }

    #[test]
    fn a_non_legal_reply_is_queued_at_once_and_sent() {
        let r = Reply::submit(false, "asistente@osce.test", t(0));
        assert!(r.may_be_sent());
        let r = r.mark_sent(t(1)).unwrap();
        assert_eq!(r.state, ReplyState::Sent { at: t(1) });
        assert_eq!(r.history.len(), 2);
    }

    #[test]
    fn a_legal_reply_cannot_be_sent_before_approval() {
        let r = Reply::submit(true, "asistente@osce.test", t(0));
        assert!(!r.may_be_sent());
        let err = r.mark_sent(t(1)).unwrap_err().to_string();
        assert!(err.contains("espera la validación legal"), "{err}");
    }

    #[test]
    fn returned_then_corrected_then_approved_then_sent_records_every_step() {
        let r = Reply::submit(true, "asistente@osce.test", t(0))
            .send_back(
                "supervisor@osce.test",
                "Cite el artículo 34 de la Ley.",
                t(5),
            )
            .unwrap();
        assert_eq!(
            r.state,
            ReplyState::Returned {
                observations: "Cite el artículo 34 de la Ley.".into()
            }
        );
        assert!(
            r.clone().mark_sent(t(6)).is_err(),
            "a returned reply cannot go out"
        );
        assert!(
            r.clone().approve("supervisor@osce.test", t(6)).is_err(),
            "nor be approved before correction"
        );
        let r = r
            .resubmit("asistente@osce.test", t(10))
            .unwrap()
            .approve("supervisor@osce.test", t(15))
            .unwrap();
        assert!(r.may_be_sent());
        assert_eq!(r.approved_by.as_deref(), Some("supervisor@osce.test"));
        let r = r.mark_sent(t(16)).unwrap();
        let who: Vec<&str> = r.history.iter().map(|s| s.by.as_str()).collect();
        assert_eq!(
            who,
            [
                "asistente@osce.test",
                "supervisor@osce.test",
                "asistente@osce.test",
                "supervisor@osce.test",
                "triaje"
            ]
        );
    }

    #[test]
    fn illegal_steps_are_refused_with_the_reason() {
        let plain = Reply::submit(false, "a@osce.test", t(0));
        assert!(
            plain.clone().approve("s@osce.test", t(1)).is_err(),
            "nothing to approve"
        );
        assert!(plain.clone().send_back("s@osce.test", "x", t(1)).is_err());
        assert!(plain.clone().resubmit("a@osce.test", t(1)).is_err());
        let sent = plain.mark_sent(t(2)).unwrap();
        let err = sent.clone().mark_sent(t(3)).unwrap_err().to_string();
        assert!(err.contains("ya fue enviada"), "never sent twice: {err}");
        assert!(sent.withdraw("a@osce.test", t(3)).is_err());
    }

    #[test]
    fn the_author_cannot_approve_their_own_legal_reply() {
        let r = Reply::submit(true, "Asistente@osce.test", t(0));
        let err = r
            .approve("asistente@osce.test", t(1))
            .unwrap_err()
            .to_string();
        assert!(err.contains("otra persona"), "{err}");
    }

    #[test]
    fn returning_without_observations_is_refused() {
        let r = Reply::submit(true, "a@osce.test", t(0));
        assert!(r.send_back("s@osce.test", "   ", t(1)).is_err());
    }

    #[test]
    fn a_withdrawn_reply_never_goes_out() {
        let r = Reply::submit(true, "a@osce.test", t(0))
            .withdraw("a@osce.test", t(1))
            .unwrap();
        assert!(!r.may_be_sent());
        assert!(r.clone().approve("s@osce.test", t(2)).is_err());
        assert!(r.mark_sent(t(2)).is_err());
    }
}
