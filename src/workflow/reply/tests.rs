//! The lifecycle and the draft decision, every path, without a mail server.

use super::legal::{attempt, DraftAuthor};
use super::*;
use crate::workflow::draft::{DraftFacts, DraftProblem, Standing};

fn victor() -> Supervisor {
    Supervisor {
        address: "supervisor@osce.test".into(),
        names: vec!["Víctor Campos".into()],
    }
}

const ANA: DraftAuthor<'static> = DraftAuthor {
    address: Some("consultas@osce.test"),
    name: None,
    signature: Some("Ana Torres"),
};

const VICTOR: DraftAuthor<'static> = DraftAuthor {
    address: Some("consultas@osce.test"),
    name: None,
    signature: Some("Víctor Campos\nSupervisor de Calidad"),
};

fn recipients() -> Vec<String> {
    vec!["juan@example.test".to_string()]
}

fn facts(to: &[String]) -> DraftFacts<'_> {
    DraftFacts {
        fresh_text: "Su constancia está lista.\n",
        signature: Some("Ana Torres"),
        recipients: to,
        citizen: Some("juan@example.test"),
        require_signature: true,
        standing: Standing::Open,
    }
}

fn input(to: &[String], legal: bool) -> DraftInput<'_> {
    DraftInput {
        facts: Some(facts(to)),
        found: vec![],
        legal,
        supervisor_configured: true,
        open_reply: None,
    }
}

fn waiting() -> Reply {
    Reply::from_draft(&DraftDecision::AwaitValidation, true, "Ana Torres").reply
}

#[test]
fn a_good_draft_of_an_ordinary_consultation_is_sent_at_once() {
    let to = recipients();
    assert_eq!(decide_draft(&input(&to, false)), DraftDecision::Send);
    let t = Reply::from_draft(&DraftDecision::Send, false, "Ana Torres");
    assert_eq!(t.reply.state, ReplyState::Queued);
    assert!(t.reply.may_be_sent());
    assert!(t.effects.contains(&Effect::QueueReply));
    assert!(t.effects.contains(&Effect::MoveDraft(DraftPlace::Answered)));
}

#[test]
fn a_good_legal_draft_waits_for_the_supervisor_and_is_never_sent_from_the_decision() {
    let to = recipients();
    assert_eq!(
        decide_draft(&input(&to, true)),
        DraftDecision::AwaitValidation
    );
    let t = Reply::from_draft(&DraftDecision::AwaitValidation, true, "Ana Torres");
    assert_eq!(t.reply.state, ReplyState::AwaitingValidation);
    assert!(!t.reply.may_be_sent());
    assert!(!t.effects.contains(&Effect::QueueReply));
    assert!(t.effects.contains(&Effect::NotifySupervisor));
    assert!(t
        .effects
        .contains(&Effect::MoveDraft(DraftPlace::Validation)));
    assert!(t.reply.clone().mark_sent().is_err());
}

#[test]
fn a_legal_draft_without_a_supervisor_is_refused_not_sent() {
    let to = recipients();
    let mut i = input(&to, true);
    i.supervisor_configured = false;
    assert_eq!(
        decide_draft(&i),
        DraftDecision::Refuse(vec![DraftProblem::NoSupervisor])
    );
}

#[test]
fn every_refusal_reason_is_given_at_once_with_a_note_and_the_draft_returned() {
    let to = vec!["otro@example.test".to_string()];
    let mut i = input(&to, false);
    if let Some(f) = i.facts.as_mut() {
        f.fresh_text = "";
        f.signature = None;
    }
    i.open_reply = Some(ReplyState::Queued);
    let d = decide_draft(&i);
    let DraftDecision::Refuse(problems) = &d else {
        panic!("{d:?}")
    };
    assert_eq!(
        problems,
        // (Empty and unsigned: «no text of its own» alone, the signature is asked of an answer.)
        &vec![
            DraftProblem::Empty,
            DraftProblem::WrongRecipient {
                expected: "juan@example.test".into()
            },
            DraftProblem::ReplyQueued,
        ]
    );
    let t = Reply::from_draft(&d, false, "Ana Torres");
    assert_eq!(t.reply.state, ReplyState::Refused);
    let note = t
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::NoteForAssistant(n) => Some(n.clone()),
            _ => None,
        })
        .expect("a note");
    assert!(note.contains("no tiene texto propio"), "{note}");
    assert!(!note.contains("no está firmado"), "{note}");
    assert!(t.effects.contains(&Effect::MoveDraft(DraftPlace::Returned)));
}

#[test]
fn an_unlinked_or_unreadable_or_misplaced_draft_is_refused_with_its_reason() {
    let no_link = DraftInput {
        facts: None,
        found: vec![],
        legal: false,
        supervisor_configured: true,
        open_reply: None,
    };
    assert_eq!(
        decide_draft(&no_link),
        DraftDecision::Refuse(vec![DraftProblem::Unlinked])
    );
    let elsewhere = DraftInput {
        found: vec![DraftProblem::OtherMailbox {
            ticket: "CONS-2026-000001".into(),
            mailbox: "contacto@osce.test".into(),
        }],
        ..no_link.clone()
    };
    let DraftDecision::Refuse(p) = decide_draft(&elsewhere) else {
        panic!()
    };
    assert!(p[0].describe().contains("contacto@osce.test"));
    let to = recipients();
    let mut waiting_reply = input(&to, true);
    waiting_reply.open_reply = Some(ReplyState::AwaitingValidation);
    assert_eq!(
        decide_draft(&waiting_reply),
        DraftDecision::Refuse(vec![DraftProblem::ReplyAwaitingValidation])
    );
}

#[test]
fn the_supervisors_approval_queues_the_reply_and_records_who_and_how() {
    let g = DragGuard::Guarded;
    let t = waiting()
        .approve(
            &attempt(ApprovalChannel::Mail, Some("supervisor@osce.test"), &g, ANA),
            &victor(),
        )
        .expect("approved");
    assert_eq!(t.reply.state, ReplyState::Queued);
    assert_eq!(
        t.reply.approval,
        Some(Approval {
            by: "supervisor@osce.test".into(),
            via: ApprovalChannel::Mail
        })
    );
    assert!(t.reply.may_be_sent());
    assert!(t.effects.contains(&Effect::QueueReply));
    assert!(t
        .effects
        .iter()
        .any(|e| matches!(e, Effect::AnswerSupervisor(a) if a.contains("APROBACIÓN"))));
    let sent = t.reply.mark_sent().expect("sent");
    assert_eq!(sent.state, ReplyState::Sent);
    assert!(sent.mark_sent().is_err(), "never sent twice");
}

#[test]
fn self_approval_is_refused_on_every_channel_and_the_supervisor_is_told_why() {
    let g = DragGuard::Guarded;
    for (channel, from) in [
        (ApprovalChannel::Mail, Some("supervisor@osce.test")),
        (ApprovalChannel::Link, None),
        (ApprovalChannel::Drag, None),
    ] {
        let r = waiting()
            .approve(&attempt(channel, from, &g, VICTOR), &victor())
            .expect_err("self-approval");
        assert!(r.reason.contains("propio supervisor"), "{}", r.reason);
        assert!(r
            .effects
            .iter()
            .any(|e| matches!(e, Effect::AnswerSupervisor(a) if a.contains("propio supervisor"))));
        assert!(r
            .effects
            .contains(&Effect::MoveDraft(DraftPlace::Validation)));
        assert!(!r.effects.contains(&Effect::QueueReply));
    }
}

#[test]
fn an_unguarded_drag_puts_the_draft_back_with_a_note_and_sends_nothing() {
    let g = DragGuard::Unguarded("el servidor no ofrece permisos por carpeta".into());
    let r = waiting()
        .approve(&attempt(ApprovalChannel::Drag, None, &g, ANA), &victor())
        .expect_err("unguarded");
    assert!(r
        .effects
        .contains(&Effect::MoveDraft(DraftPlace::Validation)));
    assert!(r
        .effects
        .iter()
        .any(|e| matches!(e, Effect::NoteForAssistant(n) if n.contains("permisos por carpeta"))));
    assert!(!r.effects.contains(&Effect::QueueReply));
}

#[test]
fn a_forged_mail_approval_changes_nothing_and_answers_nobody() {
    let g = DragGuard::Guarded;
    let r = waiting()
        .approve(
            &attempt(ApprovalChannel::Mail, Some("ana@osce.test"), &g, ANA),
            &victor(),
        )
        .expect_err("forged");
    assert!(!r
        .effects
        .iter()
        .any(|e| matches!(e, Effect::AnswerSupervisor(_) | Effect::QueueReply)));
}

#[test]
fn returned_then_resubmitted_then_approved_then_sent() {
    let r = waiting()
        .send_back("supervisor@osce.test", Some("Cite el artículo 162."))
        .expect("returned")
        .reply;
    assert_eq!(r.state, ReplyState::Returned);
    assert_eq!(r.observations.as_deref(), Some("Cite el artículo 162."));
    let g = DragGuard::Guarded;
    assert!(
        r.clone()
            .approve(&attempt(ApprovalChannel::Link, None, &g, ANA), &victor())
            .is_err(),
        "a returned draft cannot be approved"
    );
    assert!(r.clone().mark_sent().is_err());
    // The assistant drops a corrected draft: a new reply, waiting again.
    let to = recipients();
    let mut again = input(&to, true);
    again.open_reply = Some(r.state);
    assert_eq!(decide_draft(&again), DraftDecision::AwaitValidation);
    let t = waiting()
        .approve(&attempt(ApprovalChannel::Link, None, &g, ANA), &victor())
        .expect("approved");
    assert!(t.reply.mark_sent().is_ok());
}

#[test]
fn a_drag_to_the_returned_folder_without_words_leaves_a_note_for_the_assistant() {
    let t = waiting()
        .send_back("el supervisor", None)
        .expect("returned");
    assert!(t
        .effects
        .iter()
        .any(|e| matches!(e, Effect::NoteForAssistant(n) if n.contains("consúltele"))));
    assert!(!t
        .effects
        .iter()
        .any(|e| matches!(e, Effect::AnswerSupervisor(_))));
    let t = waiting()
        .send_back("supervisor@osce.test", Some("Revise la fecha."))
        .expect("returned");
    assert!(t
        .effects
        .iter()
        .any(|e| matches!(e, Effect::AnswerSupervisor(a) if a.contains("OBSERVACIONES"))));
}

#[test]
fn a_returned_or_sent_reply_cannot_be_returned_again() {
    let sent = Reply::from_draft(&DraftDecision::Send, false, "Ana")
        .reply
        .mark_sent()
        .expect("sent");
    assert!(sent.send_back("supervisor@osce.test", Some("x")).is_err());
}

#[test]
fn stored_states_are_told_apart() {
    assert!(ReplyState::Queued.is_open());
    assert!(ReplyState::AwaitingValidation.is_open());
    for s in [
        ReplyState::Returned,
        ReplyState::Sent,
        ReplyState::Withdrawn,
        ReplyState::Refused,
    ] {
        assert!(!s.is_open(), "{s:?}");
    }
}
