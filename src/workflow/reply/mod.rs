//! The life of a reply, from the assistant's draft to the message the citizen receives.
//!
//! One lifecycle, owned here and run by production: a draft is decided once ([`decide_draft`]: refuse with
//! reasons, send, or wait for the supervisor's validation), and every later step is a method that consumes the
//! reply and returns a [`Transition`] — the next reply and the [`Effect`]s the daemon must carry out (queue the
//! reply, notify the supervisor, move the draft, leave a note, answer the supervisor, write the history). A step
//! that is not allowed returns a [`Refusal`] with its own effects (the note, the answer), so "a Legal reply
//! reaches the citizen without an approval" cannot be written, only refused. Who may approve is the Legal rule,
//! in [`legal`].
//!
//! The store persists [`ReplyState`] (its spelling is the store's business); the daemon never compares strings.

mod decision;
pub mod legal;

pub use decision::{decide_draft, DraftDecision, DraftInput};
pub use legal::{
    check_approval, drag_guard, is_supervisor_authored, ApprovalAttempt, ApprovalChannel,
    ApprovalRefusal, DraftAuthor, DragGuard, Supervisor,
};

/// Where a reply is in its life; what the store persists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReplyState {
    /// A Legal reply waiting in the validation folder for the supervisor.
    AwaitingValidation,
    /// The supervisor sent it back; the assistant must correct it and drop a new draft.
    Returned,
    /// In the outbox, waiting for the SMTP server.
    Queued,
    /// The SMTP server accepted it and the consultation was filed as answered.
    Sent,
    /// Replaced by a newer draft of the same consultation.
    Withdrawn,
    /// Failed the checks; its reasons are the observations.
    Refused,
}

impl ReplyState {
    /// Whether the consultation already has a reply on its way (one at a time: a second draft would give the
    /// citizen two answers).
    pub fn is_open(self) -> bool {
        matches!(self, ReplyState::AwaitingValidation | ReplyState::Queued)
    }

    /// The state in Spanish, for messages to people.
    pub fn describe(self) -> &'static str {
        match self {
            ReplyState::AwaitingValidation => "espera la validación legal",
            ReplyState::Returned => "fue devuelta con observaciones y espera la corrección",
            ReplyState::Queued => "ya está en cola de envío",
            ReplyState::Sent => "ya fue enviada al ciudadano",
            ReplyState::Withdrawn => "fue reemplazada por un borrador más reciente",
            ReplyState::Refused => "fue devuelta al asistente por no cumplir los requisitos",
        }
    }
}

/// How an approval was given, for the register (who approved and how, truthfully).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The supervisor's address.
    pub by: String,
    /// The channel it came through.
    pub via: ApprovalChannel,
}

/// Where the draft must be put on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftPlace {
    /// The validation folder (waiting for the supervisor).
    Validation,
    /// The answered folder (its reply is queued or sent).
    Answered,
    /// The returned folder, beside the note that says why.
    Returned,
}

/// Something the daemon must do because of a step, in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Compose the reply from the draft and queue it for the citizen (in the transaction that records the step).
    QueueReply,
    /// Send the supervisor the validation notice (with the draft's text and the approval link).
    NotifySupervisor,
    /// Move the draft.
    MoveDraft(DraftPlace),
    /// Leave a note for the assistant beside the draft, saying this.
    NoteForAssistant(String),
    /// Answer the supervisor with this text (how his answer was read, or why an approval was refused).
    AnswerSupervisor(String),
    /// A line in the consultation's history.
    History(String),
}

/// A step that happened: the reply as it is now, and what must follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The reply after the step.
    pub reply: Reply,
    /// What the daemon must carry out.
    pub effects: Vec<Effect>,
}

/// A step that was not allowed: why, and what must follow anyway (the draft put back, the people told).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Why, in Spanish.
    pub reason: String,
    /// What the daemon must carry out.
    pub effects: Vec<Effect>,
}

/// A reply as the lifecycle sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Whether the consultation is Legal (then only the supervisor's approval sends it).
    pub legal: bool,
    /// Who wrote the draft (an address, or the name in its signature), for the register.
    pub author: String,
    /// Where it is.
    pub state: ReplyState,
    /// Who approved it and how, once approved.
    pub approval: Option<Approval>,
    /// The supervisor's observations, or the reasons of a refusal.
    pub observations: Option<String>,
}

impl Reply {
    /// A draft seen for the first time, decided by [`decide_draft`].
    pub fn from_draft(decision: &DraftDecision, legal: bool, author: &str) -> Transition {
        let (state, observations, effects) = match decision {
            DraftDecision::Refuse(problems) => {
                let reasons = problems
                    .iter()
                    .map(|p| format!("- {}", p.describe()))
                    .collect::<Vec<_>>()
                    .join("\n");
                (
                    ReplyState::Refused,
                    Some(reasons.clone()),
                    vec![
                        Effect::History(format!("borrador devuelto al asistente:\n{reasons}")),
                        Effect::NoteForAssistant(reasons),
                        Effect::MoveDraft(DraftPlace::Returned),
                    ],
                )
            }
            DraftDecision::Send => (
                ReplyState::Queued,
                None,
                vec![
                    Effect::History(format!(
                        "respuesta de {author} aceptada y puesta en cola de envío"
                    )),
                    Effect::QueueReply,
                    Effect::MoveDraft(DraftPlace::Answered),
                ],
            ),
            DraftDecision::AwaitValidation => (
                ReplyState::AwaitingValidation,
                None,
                vec![
                    Effect::History(format!(
                        "borrador de {author} enviado a validación legal; se avisó al supervisor"
                    )),
                    Effect::NotifySupervisor,
                    Effect::MoveDraft(DraftPlace::Validation),
                ],
            ),
        };
        Transition {
            reply: Reply {
                legal,
                author: author.to_string(),
                state,
                approval: None,
                observations,
            },
            effects,
        }
    }

    /// An approval through any channel. The Legal rule ([`legal::check_approval`]) decides whether it counts;
    /// a refused one leaves the draft waiting and tells the people concerned why.
    pub fn approve(
        self,
        attempt: &ApprovalAttempt<'_>,
        supervisor: &Supervisor,
    ) -> Result<Transition, Refusal> {
        if self.state != ReplyState::AwaitingValidation {
            let reason = format!(
                "no se puede aprobar esta respuesta: {}",
                self.state.describe()
            );
            let mut effects = vec![Effect::History(reason.clone())];
            if attempt.channel == ApprovalChannel::Mail {
                effects.push(Effect::AnswerSupervisor(reason.clone()));
            }
            return Err(Refusal { reason, effects });
        }
        match legal::check_approval(attempt, supervisor) {
            Ok(approval) => {
                let how = approval.via.describe();
                let mut effects = vec![
                    Effect::History(format!(
                        "respuesta aprobada por {} ({how}) y puesta en cola de envío",
                        approval.by
                    )),
                    Effect::QueueReply,
                    Effect::MoveDraft(DraftPlace::Answered),
                ];
                if attempt.channel == ApprovalChannel::Mail {
                    effects.push(Effect::AnswerSupervisor(
                        "Su respuesta se leyó como APROBACIÓN: la respuesta se envió al ciudadano."
                            .into(),
                    ));
                }
                Ok(Transition {
                    reply: Reply {
                        state: ReplyState::Queued,
                        approval: Some(approval),
                        ..self
                    },
                    effects,
                })
            }
            Err(refusal) => {
                let reason = refusal.describe();
                let mut effects = vec![
                    Effect::History(format!("aprobación rechazada: {reason}")),
                    Effect::MoveDraft(DraftPlace::Validation),
                ];
                match refusal {
                    // A drag the server does not guard could be anybody's: the draft goes back and the
                    // mailbox says why beside it; the supervisor is told as well, since it may have been him.
                    ApprovalRefusal::DragNotGuarded { .. } => {
                        effects.push(Effect::NoteForAssistant(reason.clone()));
                        effects.push(Effect::AnswerSupervisor(reason.clone()));
                    }
                    ApprovalRefusal::SelfApproval => {
                        effects.push(Effect::AnswerSupervisor(reason.clone()));
                    }
                    // Someone else answering the notice: nothing is said to them.
                    ApprovalRefusal::NotTheSupervisor { .. } => {}
                }
                Err(Refusal { reason, effects })
            }
        }
    }

    /// The supervisor returns a Legal reply with observations (by answering the notice, or by dragging the draft
    /// to the returned folder, then `observations` is `None`).
    pub fn send_back(self, by: &str, observations: Option<&str>) -> Result<Transition, Refusal> {
        if self.state != ReplyState::AwaitingValidation {
            let reason = format!(
                "no se puede devolver esta respuesta: {}",
                self.state.describe()
            );
            return Err(Refusal {
                effects: vec![
                    Effect::History(reason.clone()),
                    Effect::AnswerSupervisor(reason.clone()),
                ],
                reason,
            });
        }
        let written = observations.map(str::trim).filter(|o| !o.is_empty());
        let text = match written {
            Some(o) => o.to_string(),
            None => {
                "el supervisor devolvió el borrador sin escribir observaciones; consúltele qué \
                     corregir"
                    .to_string()
            }
        };
        let mut effects = vec![
            Effect::History(format!(
                "respuesta devuelta por {by} con observaciones: {text}"
            )),
            Effect::MoveDraft(DraftPlace::Returned),
        ];
        match written {
            // His own message lies beside the draft; he is told how it was read.
            Some(_) => effects.push(Effect::AnswerSupervisor(
                "Su respuesta se leyó como OBSERVACIONES: el borrador volvió al asistente y no se envió \
                 nada al ciudadano. Si quería aprobarla, responda al aviso solo con «Aprobado»."
                    .into(),
            )),
            None => effects.push(Effect::NoteForAssistant(text.clone())),
        }
        Ok(Transition {
            reply: Reply {
                state: ReplyState::Returned,
                observations: Some(text),
                ..self
            },
            effects,
        })
    }

    /// The SMTP server accepted the reply and the consultation was filed. Refused unless queued, which for a
    /// Legal reply means approved.
    pub fn mark_sent(self) -> Result<Reply, String> {
        if self.state != ReplyState::Queued {
            return Err(format!(
                "no se puede enviar esta respuesta: {}",
                self.state.describe()
            ));
        }
        if self.legal && self.approval.is_none() {
            // Unreachable through the steps above; kept so the invariant does not rest on them alone.
            return Err(
                "una respuesta legal no puede enviarse sin la aprobación del supervisor".into(),
            );
        }
        Ok(Reply {
            state: ReplyState::Sent,
            ..self
        })
    }

    /// Whether the reply may be handed to the SMTP server.
    pub fn may_be_sent(&self) -> bool {
        self.state == ReplyState::Queued && (!self.legal || self.approval.is_some())
    }
}

#[cfg(test)]
mod tests;
