//! `triaje purge` (Ley 29733) on SQLite and PostgreSQL: the personal data of old consultations goes, recent ones
//! are untouched, what the register and the indicators count stays the same, a dry run changes nothing, and a
//! second purge finds nothing more to remove.

mod common;

use common::installation::{output_text, Installation};
use triaje::vocabulary::{AttentionKind, Availability};
use triaje::workflow::ConsultationRecord;
use triaje::workflow::{Approval, ApprovalChannel, ReplyState};

use chrono::{DateTime, TimeZone, Utc};
use sqlx::Row;
use triaje::store::{
    Cursor, NewConsultation, NewOutgoing, NewReply, OutgoingKind, PurgeSummary, RatingSource,
    RegisterRow, Store, PURGED_TEXT,
};

/// Words only the old consultation's personal data holds; none may survive the purge anywhere in the store.
const OLD_SECRETS: &[&str] = &[
    "Rosa Quispe",
    "rosa.quispe@example.pe",
    "rosa.respuestas@example.pe",
    "ASUNTO-ANTIGUO-91c2",
    "<antiguo-91c2@example.pe>",
    "OBSERVACION-SUPERVISOR-91c2",
    "COMENTARIO-ENCUESTA-91c2",
    "CUERPO-RESPUESTA-91c2",
];

/// An instant in Lima time.
fn lima(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    triaje::calendar::LIMA
        .with_ymd_and_hms(year, month, day, hour, minute, 0)
        .single()
        .expect("valid")
        .with_timezone(&Utc)
}

/// A consultation `uid` received (and counting from) `at` by `name` <`address`> about `subject`.
fn consultation(
    uid: u32,
    at: DateTime<Utc>,
    name: &str,
    address: &str,
    subject: &str,
) -> NewConsultation {
    NewConsultation {
        uidvalidity: 1,
        uid,
        explanation: format!("«arbitraje» en el cuerpo de {address}"),
        size_bytes: 1_000,
        ack_skip: None,
        record: ConsultationRecord {
            fingerprint: format!("{uid:064x}"),
            message_id: Some(format!("<{}@example.pe>", subject.to_lowercase())),
            from_addr: Some(address.to_string()),
            from_name: Some(name.to_string()),
            subject: subject.to_string(),
            received_at: at,
            sender_date: None,
            effective_received_at: at,
            deadline_at: at + chrono::TimeDelta::days(3),
            folder: "Legal".to_string(),
            category: "Arbitraje".to_string(),
            availability: Availability::High,
            rule: Some("legal".to_string()),
            kind: AttentionKind::Consultation,
            area: None,
            error_reason: None,
            reply_to_addr: Some(address.replace('.', "-")),
        },
    }
}

/// Two consultations, both Legal, each answered after the supervisor returned a first draft and approved the
/// second, each rated with a comment: one received on 10 March 2026 (old), one on 10 October 2026 (recent).
/// Returns their ids.
async fn fill(store: &Store) -> (i64, i64) {
    let mut old = consultation(
        1,
        lima(2026, 3, 10, 10, 0),
        "Rosa Quispe",
        "rosa.quispe@example.pe",
        "ASUNTO-ANTIGUO-91c2",
    );
    old.message_id = Some("<antiguo-91c2@example.pe>".into());
    old.reply_to_addr = Some("rosa.respuestas@example.pe".into());
    let recent = consultation(
        2,
        lima(2026, 10, 10, 10, 0),
        "Juan Pérez",
        "juan.perez@example.pe",
        "ASUNTO-RECIENTE-5d1e",
    );
    let cursor = Cursor {
        uidvalidity: 1,
        last_uid: 2,
    };
    let ids: Vec<i64> = store
        .record_batch(
            "consultas",
            cursor,
            &[old, recent],
            "CONS",
            lima(2026, 3, 10, 10, 1),
        )
        .await
        .expect("record")
        .iter()
        .map(|r| r.id)
        .collect();
    store
        .mark_filed(&ids, lima(2026, 3, 10, 10, 2))
        .await
        .expect("filed");
    for (n, (&id, (tag, address))) in ids
        .iter()
        .zip([
            ("91c2", "rosa.respuestas@example.pe"),
            ("5d1e", "juan-perez@example-pe"),
        ])
        .enumerate()
    {
        let at = if n == 0 {
            lima(2026, 3, 11, 9, 0)
        } else {
            lima(2026, 10, 11, 9, 0)
        };
        let draft = |fingerprint: String| NewReply {
            consultation_id: Some(id),
            draft_fingerprint: fingerprint,
            draft_message_id: None,
            author: "luis@osce.test".into(),
            legal: true,
            state: ReplyState::AwaitingValidation,
            observations: None,
            notification_message_id: None,
            reply_message_id: None,
        };
        let first = store
            .submit_reply(&draft(format!("a{n}")), None, "a validación", at)
            .await
            .expect("submit")
            .expect("new");
        assert!(store
            .return_reply(
                first,
                &format!("OBSERVACION-SUPERVISOR-{tag}"),
                &[],
                "devuelta",
                at
            )
            .await
            .expect("return"));
        let second = store
            .submit_reply(&draft(format!("b{n}")), None, "a validación", at)
            .await
            .expect("submit")
            .expect("new");
        let mail = NewOutgoing {
            mailbox: "consultas".into(),
            kind: OutgoingKind::Reply,
            consultation_id: Some(id),
            message_id: format!("respuesta-{tag}@osce.test"),
            envelope_from: "consultas@osce.test".into(),
            recipients: vec![address.into()],
            raw: format!("To: {address}\r\nSubject: RE\r\n\r\nCUERPO-RESPUESTA-{tag}\r\n")
                .into_bytes(),
        };
        assert!(store
            .approve_reply(
                second,
                &Approval {
                    by: "supervisor@osce.test".into(),
                    via: ApprovalChannel::Mail
                },
                &mail,
                &[],
                "aprobada",
                at
            )
            .await
            .expect("approve"));
        for out in store
            .claim_due("t", at, std::time::Duration::from_secs(60), 10)
            .await
            .expect("claim")
        {
            store.mark_sent(out.id, "t", at).await.expect("sent");
        }
        for sent in store
            .sent_replies_to_file("consultas")
            .await
            .expect("to file")
        {
            store
                .mark_answered(&sent, "Atendidas", at)
                .await
                .expect("answered");
        }
        store
            .record_rating(id, 4, RatingSource::Web, at)
            .await
            .expect("rate");
        assert!(store
            .record_comment(id, &format!("COMENTARIO-ENCUESTA-{tag}"), at)
            .await
            .expect("comment"));
    }
    (ids[0], ids[1])
}

/// What the indicators count of a register row: everything but the citizen's name, address and subject.
fn anonymous(row: &RegisterRow) -> String {
    format!(
        "{} {} {} {} {} {} {} {} {} {:?} {:?} {:?} {:?} {:?} {:?}",
        row.ticket,
        row.mailbox,
        row.received_at,
        row.effective_received_at,
        row.deadline_at,
        row.folder,
        row.category,
        row.availability,
        row.state,
        row.answered_at,
        row.within_deadline,
        row.assistant,
        row.legal,
        row.supervisor,
        row.rating
    )
}

/// The whole year's register.
async fn register(store: &Store) -> Vec<RegisterRow> {
    store
        .register_rows(lima(2026, 1, 1, 0, 0), lima(2027, 1, 1, 0, 0))
        .await
        .expect("register")
}

/// Every text the store holds about people, as one string per row: what the purge must have cleared.
async fn personal_texts(url: &str) -> String {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url)
        .await
        .expect("open a second pool");
    let mut out = String::new();
    for sql in [
        "SELECT COALESCE(from_addr, '') || ' ' || COALESCE(from_name, '') || ' ' || subject || ' ' || \
         COALESCE(message_id, '') || ' ' || COALESCE(reply_to_addr, '') FROM consultations",
        "SELECT detail FROM events",
        "SELECT recipients || ' ' || COALESCE(last_error, '') FROM outbox",
        "SELECT COALESCE(observations, '') FROM replies",
        "SELECT COALESCE(comment, '') FROM survey_ratings",
    ] {
        for row in sqlx::query(sql).fetch_all(&pool).await.expect(sql) {
            out.push_str(&row.get::<String, _>(0));
            out.push('\n');
        }
    }
    for row in sqlx::query("SELECT raw FROM outbox")
        .fetch_all(&pool)
        .await
        .expect("raw")
    {
        out.push_str(&String::from_utf8_lossy(&row.get::<Vec<u8>, _>(0)));
        out.push('\n');
    }
    pool.close().await;
    out
}

async fn old_data_goes_recent_stays_and_counts_do_not_change(url: &str) {
    let store = Store::connect(url).await.expect("open");
    store.migrate().await.expect("migrate");
    let (old, recent) = fill(&store).await;
    let before_rows = register(&store).await;
    let before_survey = store.survey_summary().await.expect("survey");
    let before_corrections = store
        .manual_corrections(lima(2026, 1, 1, 0, 0), lima(2027, 1, 1, 0, 0))
        .await
        .expect("corrections");
    let recent_events = store.events_for(recent).await.expect("events");
    let texts = personal_texts(url).await;
    for secret in OLD_SECRETS {
        assert!(texts.contains(secret), "the fixture holds «{secret}»");
    }

    // The dry run counts and changes nothing.
    let cutoff = lima(2026, 6, 1, 0, 0);
    let preview = store.purge_preview(cutoff).await.expect("preview");
    assert_eq!(preview.consultations, 1, "{preview:?}");
    assert!(
        preview.events > 0 && preview.outgoing_messages == 1,
        "{preview:?}"
    );
    assert_eq!(preview.reply_observations, 1, "{preview:?}");
    assert_eq!(preview.survey_comments, 1, "{preview:?}");
    assert_eq!(
        register(&store).await,
        before_rows,
        "the dry run changed the register"
    );
    assert_eq!(
        personal_texts(url).await,
        texts,
        "the dry run changed the store"
    );

    // The purge removes exactly what the dry run counted.
    let now = lima(2026, 11, 23, 10, 0);
    let done = store.purge_personal_data(cutoff, now).await.expect("purge");
    assert_eq!(done, preview);
    let texts = personal_texts(url).await;
    for secret in OLD_SECRETS {
        assert!(
            !texts.contains(secret),
            "«{secret}» survived the purge:\n{texts}"
        );
    }
    for kept in [
        "Juan Pérez",
        "ASUNTO-RECIENTE-5d1e",
        "OBSERVACION-SUPERVISOR-5d1e",
        "COMENTARIO-ENCUESTA-5d1e",
        "CUERPO-RESPUESTA-5d1e",
    ] {
        assert!(
            texts.contains(kept),
            "the recent consultation lost «{kept}»"
        );
    }

    // The register still has both rows with the same anonymous facts; the old one's personal columns are gone.
    let after_rows = register(&store).await;
    assert_eq!(
        after_rows.iter().map(anonymous).collect::<Vec<_>>(),
        before_rows.iter().map(anonymous).collect::<Vec<_>>()
    );
    let old_row = after_rows.iter().find(|r| r.id == old).expect("old row");
    assert_eq!(old_row.subject, PURGED_TEXT);
    assert_eq!(
        (
            old_row.citizen_name.as_deref(),
            old_row.citizen_address.as_deref()
        ),
        (None, None)
    );
    assert_eq!(
        old_row.folder, "Legal",
        "the folder it was filed in survives"
    );
    let recent_row = after_rows
        .iter()
        .find(|r| r.id == recent)
        .expect("recent row");
    assert_eq!(
        recent_row,
        before_rows.iter().find(|r| r.id == recent).expect("row")
    );
    assert_eq!(
        store.events_for(recent).await.expect("events"),
        recent_events
    );
    assert_eq!(store.survey_summary().await.expect("survey"), before_survey);
    assert_eq!(
        store
            .manual_corrections(lima(2026, 1, 1, 0, 0), lima(2027, 1, 1, 0, 0))
            .await
            .expect("corrections"),
        before_corrections
    );
    let old_events = store.events_for(old).await.expect("events");
    assert!(
        old_events
            .iter()
            .any(|e| e.kind == "filed" && e.detail == "Legal"),
        "{old_events:?}"
    );

    // Idempotent: nothing more to remove, nothing changes.
    assert_eq!(
        store.purge_personal_data(cutoff, now).await.expect("again"),
        PurgeSummary::default()
    );
    assert_eq!(
        store.purge_preview(cutoff).await.expect("preview"),
        PurgeSummary::default()
    );
    assert_eq!(register(&store).await, after_rows);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purge_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/data/triaje.db", dir.path().display());
    old_data_goes_recent_stays_and_counts_do_not_change(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purge_on_postgres() {
    let (url, _guard) = common::fresh_pg_database();
    old_data_goes_recent_stays_and_counts_do_not_change(&url).await;
}

// ---------------------------------------------------------------------------------------------------------
// The command

#[test]
fn purging_everything_is_refused_with_a_reason() {
    let installed = Installation::offline().write();
    let out = installed.triaje(&["purge", "--older-than", "0"]);
    let text = output_text(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("--older-than 0"), "{text}");
    assert!(text.contains("meses"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_says_what_it_removed_and_the_reports_still_run() {
    let installed = Installation::offline().write();
    let store = installed.store().await;
    store.migrate().await.expect("migrate");
    // Relative to today: one consultation received 14 months ago, one yesterday.
    let old_at = Utc::now() - chrono::TimeDelta::days(430);
    let recent_at = Utc::now() - chrono::TimeDelta::days(1);
    let batch = [
        consultation(
            1,
            old_at,
            "Rosa Quispe",
            "rosa.quispe@example.pe",
            "ASUNTO-ANTIGUO-91c2",
        ),
        consultation(
            2,
            recent_at,
            "Juan Pérez",
            "juan.perez@example.pe",
            "ASUNTO-RECIENTE-5d1e",
        ),
    ];
    let cursor = Cursor {
        uidvalidity: 1,
        last_uid: 2,
    };
    store
        .record_batch("consultas", cursor, &batch, "CONS", old_at)
        .await
        .expect("record");
    store.close().await;
    let month = triaje::calendar::LIMA
        .from_utc_datetime(&old_at.naive_utc())
        .format("%Y-%m")
        .to_string();
    let indicators = || {
        let out = installed.triaje(&["report", "indicators", "--month", &month, "-o", "i.xlsx"]);
        assert!(out.status.success(), "{}", output_text(&out));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let before = indicators();

    let out = installed.triaje(&["purge", "--older-than", "12", "--dry-run"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("Simulación"),
        "{}",
        output_text(&out)
    );
    assert!(
        output_text(&out).contains("  1 consultas"),
        "{}",
        output_text(&out)
    );

    let out = installed.triaje(&["purge", "--older-than", "12"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("Datos personales eliminados"),
        "{}",
        output_text(&out)
    );
    assert!(
        output_text(&out).contains("  1 consultas"),
        "{}",
        output_text(&out)
    );
    assert_eq!(indicators(), before, "the indicators changed");

    let day = triaje::calendar::LIMA
        .from_utc_datetime(&old_at.naive_utc())
        .format("%Y-%m-%d")
        .to_string();
    let out = installed.triaje(&[
        "report", "register", "--day", &day, "--format", "csv", "-o", "r.csv",
    ]);
    assert!(out.status.success(), "{}", output_text(&out));
    let csv = std::fs::read_to_string(installed.dir.path().join("r.csv")).expect("csv");
    assert!(csv.contains(PURGED_TEXT), "{csv}");
    assert!(
        !csv.contains("Rosa Quispe") && !csv.contains("ASUNTO-ANTIGUO"),
        "{csv}"
    );

    let out = installed.triaje(&["purge", "--older-than", "12"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("No había datos personales"),
        "{}",
        output_text(&out)
    );
}
