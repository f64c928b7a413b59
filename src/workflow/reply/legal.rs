//! The Legal rule: a reply to a Legal consultation goes out only with the quality supervisor's approval (OSCE
//! manual 002 §7.4.1.1: «La/el supervisor/a da conformidad u observa la respuesta»), and the supervisor never
//! approves his own reply.
//!
//! An approval reaches triaje through one of three channels, and each proves the supervisor differently:
//! - **mail**: an answer to the notice (whose `Message-ID` only his mailbox received) from his address;
//! - **link**: the signed one-click link of the notice, confirmed on a page (a capability only his mailbox
//!   received);
//! - **drag**: the draft moved to the approved folder, which proves nothing unless the server lets only him put
//!   mail there (IMAP ACL, RFC 4314): [`DragGuard`] is what the server said when asked at start.
//!
//! Whatever the channel, a draft the supervisor wrote himself is refused, judged by the draft's sender address
//! and by the supervisor's configured address and names appearing as its sender or in its signature.

use super::Approval;

/// The quality supervisor as configured (`[replies] supervisor`, `supervisor_names`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervisor {
    /// His address, lower-case.
    pub address: String,
    /// The names he signs with («Víctor Campos»), as configured.
    pub names: Vec<String>,
}

/// The channel an approval came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalChannel {
    /// An answer to the validation notice.
    Mail,
    /// The signed link of the notice, confirmed on its page.
    Link,
    /// The draft dragged to the approved folder.
    Drag,
}

impl ApprovalChannel {
    /// How it was approved, in Spanish, for the history and the register.
    pub fn describe(self) -> &'static str {
        match self {
            ApprovalChannel::Mail => "por correo, respondiendo al aviso",
            ApprovalChannel::Link => "con el enlace de aprobación del aviso",
            ApprovalChannel::Drag => "moviendo el borrador a la carpeta de aprobadas",
        }
    }

    /// The stored spelling (`replies.approved_via`).
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalChannel::Mail => "mail",
            ApprovalChannel::Link => "link",
            ApprovalChannel::Drag => "drag",
        }
    }

    /// Reads the stored spelling back.
    pub fn parse(s: &str) -> Option<ApprovalChannel> {
        match s {
            "mail" => Some(ApprovalChannel::Mail),
            "link" => Some(ApprovalChannel::Link),
            "drag" => Some(ApprovalChannel::Drag),
            _ => None,
        }
    }
}

/// Whether the server lets only the supervisor put mail in the approved folder, as found at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DragGuard {
    /// Only the supervisor's account may insert there; the account triaje (and the assistants) use may not,
    /// nor change who may.
    Guarded,
    /// Not guarded, with the reason (in Spanish) for `status` and the note.
    Unguarded(String),
}

/// One attempt to approve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalAttempt<'a> {
    /// The channel.
    pub channel: ApprovalChannel,
    /// For mail: the sender's address (lower-case).
    pub from: Option<&'a str>,
    /// For drag: what the server guarantees about the approved folder.
    pub guard: &'a DragGuard,
    /// Who wrote the draft: its `From` address and display name and its signature.
    pub author: DraftAuthor<'a>,
}

/// What the draft says about who wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DraftAuthor<'a> {
    /// The draft's `From` address.
    pub address: Option<&'a str>,
    /// The draft's `From` display name.
    pub name: Option<&'a str>,
    /// The signature under the draft's text.
    pub signature: Option<&'a str>,
}

/// Why an approval does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApprovalRefusal {
    /// An answer to the notice from someone else.
    NotTheSupervisor {
        /// Who answered.
        from: String,
    },
    /// The supervisor wrote the draft himself.
    SelfApproval,
    /// The approved folder is not guarded by the server, so a drag proves nothing.
    DragNotGuarded {
        /// What the server's ACL says.
        why: String,
    },
}

impl ApprovalRefusal {
    /// Why, in Spanish, for the supervisor, the note and the history.
    pub fn describe(&self) -> String {
        match self {
            ApprovalRefusal::NotTheSupervisor { from } => format!(
                "la respuesta al aviso vino de {from}, que no es el supervisor configurado; no cuenta como \
                 aprobación ni como observaciones"
            ),
            ApprovalRefusal::SelfApproval => "esta respuesta la redactó el propio supervisor y no puede \
                 aprobarla él mismo: la validación legal debe hacerla otra persona. El borrador sigue en \
                 validación legal"
                .into(),
            ApprovalRefusal::DragNotGuarded { why } => format!(
                "mover el borrador a la carpeta de aprobadas no cuenta como aprobación porque el servidor \
                 no garantiza que solo el supervisor pueda hacerlo ({why}). El borrador volvió a validación \
                 legal: el supervisor puede aprobarlo respondiendo «Aprobado» al aviso o con el enlace de \
                 aprobación del aviso"
            ),
        }
    }
}

/// The Legal rule: whether `attempt` approves, and as whom.
pub fn check_approval(
    attempt: &ApprovalAttempt<'_>,
    supervisor: &Supervisor,
) -> Result<Approval, ApprovalRefusal> {
    match attempt.channel {
        ApprovalChannel::Mail => {
            let from = attempt.from.unwrap_or("").trim().to_ascii_lowercase();
            if from != supervisor.address {
                return Err(ApprovalRefusal::NotTheSupervisor { from });
            }
        }
        ApprovalChannel::Drag => {
            if let DragGuard::Unguarded(why) = attempt.guard {
                return Err(ApprovalRefusal::DragNotGuarded { why: why.clone() });
            }
        }
        // The link was signed for the notice only his mailbox received.
        ApprovalChannel::Link => {}
    }
    if is_supervisor_authored(&attempt.author, supervisor) {
        return Err(ApprovalRefusal::SelfApproval);
    }
    Ok(Approval {
        by: supervisor.address.clone(),
        via: attempt.channel,
    })
}

/// Whether the supervisor wrote the draft: sent from his address, under his name, or signed with his name or
/// address.
pub fn is_supervisor_authored(author: &DraftAuthor<'_>, supervisor: &Supervisor) -> bool {
    if author
        .address
        .is_some_and(|a| a.trim().eq_ignore_ascii_case(&supervisor.address))
    {
        return true;
    }
    let names: Vec<Vec<String>> = supervisor
        .names
        .iter()
        .map(|n| words(n))
        .filter(|w| !w.is_empty())
        .collect();
    let mentions = |text: &str| {
        let lower = text.to_lowercase();
        if lower.contains(&supervisor.address) {
            return true;
        }
        text.lines().any(|line| {
            let line = words(line);
            names.iter().any(|name| contains_run(&line, name))
        })
    };
    author.name.is_some_and(mentions) || author.signature.is_some_and(mentions)
}

/// Lower-case words without accents, for comparing names as people write them («VICTOR  Campos»).
fn words(text: &str) -> Vec<String> {
    crate::rules::normalize(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `needle` appears as consecutive words of `hay`.
fn contains_run(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// What the server's rights on the approved folder mean for drag approval (RFC 4314).
///
/// `my_rights` are the rights of the account triaje logs in with (`MYRIGHTS`), which is the shared account the
/// assistants use too; `None` when the server has no ACL. `acl` is the folder's access list (`GETACL`), `None`
/// when the server would not show it (it needs the administer right, which that account should not have).
/// `supervisor_accounts` are the IMAP identifiers of the supervisor.
pub fn drag_guard(
    my_rights: Option<&str>,
    acl: Option<&[(String, String)]>,
    supervisor_accounts: &[String],
) -> DragGuard {
    let Some(mine) = my_rights else {
        return DragGuard::Unguarded(
            "el servidor no ofrece permisos por carpeta (IMAP ACL, RFC 4314)".into(),
        );
    };
    if mine.contains('i') {
        return DragGuard::Unguarded(
            "la cuenta compartida del buzón puede poner mensajes en la carpeta de aprobadas (permiso «i»)"
                .into(),
        );
    }
    if mine.contains('a') {
        return DragGuard::Unguarded(
            "la cuenta compartida del buzón puede cambiar los permisos de la carpeta de aprobadas \
             (permiso «a»)"
                .into(),
        );
    }
    if !(mine.contains('t') || mine.contains('d')) || !mine.contains('r') {
        return DragGuard::Unguarded(format!(
            "la cuenta compartida del buzón no puede leer y vaciar la carpeta de aprobadas (tiene «{mine}»; \
             necesita «lrte»)"
        ));
    }
    if let Some(acl) = acl {
        let others: Vec<&str> = acl
            .iter()
            .filter(|(_, rights)| rights.contains('i') || rights.contains('a'))
            .map(|(who, _)| who.as_str())
            .filter(|who| {
                !supervisor_accounts
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(who))
            })
            .collect();
        if !others.is_empty() {
            return DragGuard::Unguarded(format!(
                "además del supervisor pueden poner mensajes en la carpeta de aprobadas: {}",
                others.join(", ")
            ));
        }
        if !acl.iter().any(|(who, rights)| {
            rights.contains('i')
                && supervisor_accounts
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(who))
        }) {
            return DragGuard::Unguarded(
                "el supervisor no tiene permiso para poner mensajes en la carpeta de aprobadas"
                    .into(),
            );
        }
    }
    DragGuard::Guarded
}

/// An attempt, as the tests write one.
#[cfg(test)]
pub(super) fn attempt<'a>(
    channel: ApprovalChannel,
    from: Option<&'a str>,
    guard: &'a DragGuard,
    author: DraftAuthor<'a>,
) -> ApprovalAttempt<'a> {
    ApprovalAttempt {
        channel,
        from,
        guard,
        author,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn victor() -> Supervisor {
        Supervisor {
            address: "supervisor@osce.test".into(),
            names: vec!["Víctor Campos".into()],
        }
    }

    fn author<'a>(
        address: Option<&'a str>,
        name: Option<&'a str>,
        signature: Option<&'a str>,
    ) -> DraftAuthor<'a> {
        DraftAuthor {
            address,
            name,
            signature,
        }
    }

    const ANA: DraftAuthor<'static> = DraftAuthor {
        address: Some("consultas@osce.test"),
        name: Some("Consultas OSCE"),
        signature: Some("Ana Torres\nAsistente de atención"),
    };

    #[test]
    fn the_supervisor_approves_an_assistants_draft_by_mail_link_or_guarded_drag() {
        let guarded = DragGuard::Guarded;
        for (channel, from) in [
            (ApprovalChannel::Mail, Some("Supervisor@osce.test")),
            (ApprovalChannel::Link, None),
            (ApprovalChannel::Drag, None),
        ] {
            let approval = check_approval(&attempt(channel, from, &guarded, ANA), &victor())
                .unwrap_or_else(|e| panic!("{channel:?}: {}", e.describe()));
            assert_eq!(approval.by, "supervisor@osce.test");
            assert_eq!(approval.via, channel);
        }
    }

    #[test]
    fn an_answer_to_the_notice_from_anyone_else_does_not_approve() {
        let g = DragGuard::Guarded;
        let r = check_approval(
            &attempt(ApprovalChannel::Mail, Some("ana@osce.test"), &g, ANA),
            &victor(),
        );
        assert_eq!(
            r,
            Err(ApprovalRefusal::NotTheSupervisor {
                from: "ana@osce.test".into()
            })
        );
    }

    #[test]
    fn a_drag_where_the_server_does_not_guard_the_folder_does_not_approve() {
        let g = DragGuard::Unguarded("sin ACL".into());
        let r = check_approval(&attempt(ApprovalChannel::Drag, None, &g, ANA), &victor());
        let Err(ApprovalRefusal::DragNotGuarded { why }) = r else {
            panic!("{r:?}")
        };
        assert_eq!(why, "sin ACL");
    }

    #[test]
    fn the_supervisor_cannot_approve_his_own_draft_on_any_channel() {
        let g = DragGuard::Guarded;
        let own = [
            author(Some("supervisor@osce.test"), None, None),
            author(Some("consultas@osce.test"), Some("Víctor Campos"), None),
            author(
                Some("consultas@osce.test"),
                Some("Consultas OSCE"),
                Some("Dr. VICTOR CAMPOS\nSupervisor de Calidad"),
            ),
            author(
                Some("consultas@osce.test"),
                None,
                Some("Atentamente\nsupervisor@osce.test"),
            ),
        ];
        for by in own {
            for (channel, from) in [
                (ApprovalChannel::Mail, Some("supervisor@osce.test")),
                (ApprovalChannel::Link, None),
                (ApprovalChannel::Drag, None),
            ] {
                assert_eq!(
                    check_approval(&attempt(channel, from, &g, by), &victor()),
                    Err(ApprovalRefusal::SelfApproval),
                    "{by:?} via {channel:?}"
                );
            }
        }
    }

    #[test]
    fn a_colleague_with_a_similar_name_is_not_the_supervisor() {
        let by = author(
            Some("consultas@osce.test"),
            None,
            Some("Víctor Camposano\nAsistente"),
        );
        assert!(!is_supervisor_authored(&by, &victor()));
    }

    #[test]
    fn drag_is_guarded_only_when_the_shared_account_can_neither_insert_nor_grant() {
        let sup = vec!["supervisor@osce.test".to_string()];
        assert!(matches!(
            drag_guard(None, None, &sup),
            DragGuard::Unguarded(_)
        ));
        assert!(matches!(
            drag_guard(Some("lrswipkxtecda"), None, &sup),
            DragGuard::Unguarded(w) if w.contains("«i»")
        ));
        assert!(matches!(
            drag_guard(Some("lrswtea"), None, &sup),
            DragGuard::Unguarded(w) if w.contains("«a»")
        ));
        assert_eq!(drag_guard(Some("lrswte"), None, &sup), DragGuard::Guarded);
        let acl = vec![
            ("owner".to_string(), "lrswte".to_string()),
            ("supervisor@osce.test".to_string(), "lrswite".to_string()),
        ];
        assert_eq!(
            drag_guard(Some("lrswte"), Some(&acl), &sup),
            DragGuard::Guarded
        );
        let mut open = acl.clone();
        open.push(("anyone".into(), "lri".into()));
        assert!(matches!(
            drag_guard(Some("lrswte"), Some(&open), &sup),
            DragGuard::Unguarded(w) if w.contains("anyone")
        ));
        assert!(matches!(
            drag_guard(Some("lrs"), None, &sup),
            DragGuard::Unguarded(w) if w.contains("vaciar")
        ));
    }
}
