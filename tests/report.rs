//! The coordinator's reports end to end: a register filled through the store's public API (triage, a reply
//! sent and filed, a Legal reply approved by the supervisor, a survey answer), then `triaje report register` and
//! `triaje report indicators` run as the coordinator runs them, and the workbooks read back cell by cell.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Output;
use triaje::vocabulary::{AttentionKind, Availability, UnitLevel};
use triaje::workflow::ConsultationRecord;
use triaje::workflow::{Approval, ApprovalChannel, ReplyState};

use common::installation::{output_text, Installation, Installed};
use common::register::Register;

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use triaje::store::{
    Cursor, NewConsultation, NewOutgoing, NewReply, OutgoingKind, RatingSource, Store,
};

/// An instant in Lima time.
fn lima(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    triaje::calendar::LIMA
        .with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .single()
        .expect("valid")
        .with_timezone(&Utc)
}

/// A consultation received at `received`, counting from `effective`, due at `deadline`.
fn consultation(
    uid: u32,
    received: DateTime<Utc>,
    effective: DateTime<Utc>,
    deadline: DateTime<Utc>,
    folder: &str,
) -> NewConsultation {
    NewConsultation {
        uidvalidity: 1,
        uid,
        explanation: String::new(),
        size_bytes: 1_000,
        ack_skip: None,
        record: ConsultationRecord {
            fingerprint: format!("{uid:064x}"),
            message_id: Some(format!("<{uid}@ciudadano.example>")),
            from_addr: Some(format!("ciudadano{uid}@example.pe")),
            from_name: Some(
                if uid == 1 {
                    "María Núñez, \"Mary\""
                } else {
                    "Juan Pérez"
                }
                .to_string(),
            ),
            subject: format!("Consulta n.º {uid}"),
            received_at: received,
            sender_date: None,
            effective_received_at: effective,
            deadline_at: deadline,
            folder: folder.to_string(),
            category: format!("Categoría {folder}"),
            availability: Availability::High,
            rule: None,
            kind: AttentionKind::Consultation,
            area: None,
            error_reason: None,
            reply_to_addr: None,
        },
    }
}

/// The reply mail of consultation `id`.
fn reply_mail(id: i64, message_id: &str) -> NewOutgoing {
    NewOutgoing {
        mailbox: "consultas".into(),
        kind: OutgoingKind::Reply,
        consultation_id: Some(id),
        message_id: message_id.into(),
        envelope_from: "consultas@osce.test".into(),
        recipients: vec!["ciudadano@example.pe".into()],
        raw: b"Subject: RE\r\n\r\nx\r\n".to_vec(),
    }
}

/// A draft of consultation `id` by `author`.
fn draft(id: i64, fingerprint: &str, author: &str, legal: bool) -> NewReply {
    NewReply {
        consultation_id: Some(id),
        draft_fingerprint: fingerprint.into(),
        draft_message_id: None,
        author: author.into(),
        legal,
        state: if legal {
            ReplyState::AwaitingValidation
        } else {
            ReplyState::Queued
        },
        observations: None,
        notification_message_id: None,
        reply_message_id: (!legal).then(|| format!("{fingerprint}@osce.test")),
    }
}

/// Sends what is queued at `at` and files the answers.
async fn send_and_file(store: &Store, at: DateTime<Utc>) {
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
}

/// Records `batch` as the mailbox's messages up to UID `last_uid` and files them, all at `at`: their ids.
async fn record_and_file(
    store: &Store,
    batch: &[NewConsultation],
    last_uid: u32,
    at: DateTime<Utc>,
) -> Vec<i64> {
    let cursor = Cursor {
        uidvalidity: 1,
        last_uid,
    };
    let ids: Vec<i64> = store
        .record_batch("consultas", cursor, batch, "CONS", at)
        .await
        .expect("record")
        .iter()
        .map(|r| r.id)
        .collect();
    store.mark_filed(&ids, at).await.expect("filed");
    ids
}

/// The assistant `author`'s reply to consultation `id` (not Legal), submitted, sent and filed at `at`.
async fn answer(store: &Store, id: i64, fingerprint: &str, author: &str, at: DateTime<Utc>) {
    store
        .submit_reply(
            &draft(id, fingerprint, author, false),
            Some(&reply_mail(id, &format!("{fingerprint}@osce.test"))),
            "x",
            at,
        )
        .await
        .expect("submit");
    send_and_file(store, at).await;
}

/// October 2026 (Thursday 8 is a holiday) in `dir/data/triaje.db`:
/// 1. Mon 5 10:00, SEACE, answered 12:00 by ana (2 business hours, in time), 5 stars;
/// 2. Mon 5 15:00, Legal, approved by the supervisor, sent Fri 9 09:30 (1.5 + 8 + 8 + 1 = 18.5 business hours:
///    nothing on the holiday),
///    after its deadline of Wed 7: late, 2 stars;
/// 3. Mon 5 at 17:00 (after the cut-off): counts from Tue 6 08:30; not answered, due Wed 7: overdue.
async fn fill(installed: &Installed) {
    let store = installed.store().await;
    store.migrate().await.expect("migrate");
    let batch = vec![
        consultation(
            1,
            lima(10, 5, 10, 0),
            lima(10, 5, 10, 0),
            lima(10, 7, 23, 59),
            "SEACE",
        ),
        consultation(
            2,
            lima(10, 5, 15, 0),
            lima(10, 5, 15, 0),
            lima(10, 7, 23, 59),
            "Legal",
        ),
        consultation(
            3,
            lima(10, 5, 17, 0),
            lima(10, 6, 8, 30),
            lima(10, 7, 23, 59),
            "RNP",
        ),
    ];
    let ids = record_and_file(&store, &batch, 3, lima(10, 5, 17, 1)).await;

    answer(&store, ids[0], "d1", "ana@osce.test", lima(10, 5, 12, 0)).await;
    store
        .record_rating(ids[0], 5, RatingSource::Web, lima(10, 6, 9, 0))
        .await
        .expect("rate");

    let legal = store
        .submit_reply(
            &draft(ids[1], "d2", "luis@osce.test", true),
            None,
            "a validación",
            lima(10, 6, 9, 0),
        )
        .await
        .expect("submit")
        .expect("new");
    assert!(store
        .approve_reply(
            legal,
            &Approval {
                by: "supervisor@osce.test".into(),
                via: ApprovalChannel::Mail
            },
            &reply_mail(ids[1], "d2@osce.test"),
            &[],
            "aprobada",
            lima(10, 9, 9, 30)
        )
        .await
        .expect("approve"));
    send_and_file(&store, lima(10, 9, 9, 30)).await;
    store
        .record_rating(ids[1], 2, RatingSource::Email, lima(10, 9, 12, 0))
        .await
        .expect("rate");
    store.close().await;
}

/// `triaje <args>` on the installation, which must succeed.
fn triaje(installed: &Installed, args: &[&str]) -> Output {
    let out = installed.triaje(args);
    assert!(
        out.status.success(),
        "triaje {args:?} failed:\n{}",
        output_text(&out)
    );
    out
}

/// A cell as text, for comparisons.
fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn string(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match cell(range, row, col) {
        Data::String(s) => s,
        Data::Empty => String::new(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

fn number(range: &calamine::Range<Data>, row: u32, col: u32) -> f64 {
    match cell(range, row, col) {
        Data::Float(v) => v,
        Data::Int(v) => v as f64,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

fn date(range: &calamine::Range<Data>, row: u32, col: u32) -> chrono::NaiveDateTime {
    match cell(range, row, col) {
        Data::DateTime(d) => d.as_datetime().expect("a date"),
        other => panic!("({row}, {col}) is not a date: {other:?}"),
    }
}

fn at(day: u32, hour: u32, minute: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 10, day)
        .and_then(|d| d.and_hms_opt(hour, minute, 0))
        .expect("valid")
}

/// The XML of a part of the workbook (to see what calamine does not read: frozen panes, filters, bold).
fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("open xlsx");
    let mut archive = zip::ZipArchive::new(file).expect("an xlsx is a zip");
    let mut xml = String::new();
    archive
        .by_name(name)
        .expect("part")
        .read_to_string(&mut xml)
        .expect("xml");
    xml
}

#[tokio::test]
async fn the_days_register_is_a_workbook_a_coordinator_can_hand_in() {
    let installed = Installation::offline().write();
    fill(&installed).await;

    let out = triaje(&installed, &["report", "register", "--day", "2026-10-05"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Registro del 05/10/2026: 2 atenciones"),
        "{stdout}"
    );
    let path = installed.dir.path().join("registro-2026-10-05.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).expect("read the workbook back");
    assert_eq!(book.sheet_names(), ["Registro"]);
    let sheet = book.worksheet_range("Registro").expect("sheet");
    assert_eq!(sheet.get_size(), (3, 27), "header and two attentions");
    let headers: Vec<String> = (0..27).map(|c| string(&sheet, 0, c)).collect();
    assert_eq!(headers[1], "Ticket");
    assert_eq!(headers[18], "Dentro del plazo");
    assert_eq!(headers[20], "Clase de atención");
    assert_eq!(headers[21], "Área");
    assert_eq!(headers[23], "Nivel");
    assert_eq!(headers[24], "Unidad");

    // Row 1: SEACE, answered by ana two business hours later, in time, 5 stars.
    assert_eq!(number(&sheet, 1, 0), 1.0);
    assert_eq!(string(&sheet, 1, 1), "CONS-2026-000001");
    assert_eq!(date(&sheet, 1, 2), at(5, 10, 0), "a real date, Lima time");
    assert_eq!(date(&sheet, 1, 3), at(5, 10, 0));
    assert_eq!(string(&sheet, 1, 4), "María Núñez, \"Mary\"");
    assert_eq!(string(&sheet, 1, 5), "ciudadano1@example.pe");
    assert_eq!(string(&sheet, 1, 6), "consultas");
    assert_eq!(string(&sheet, 1, 7), "Correo electrónico");
    assert_eq!(
        string(&sheet, 1, 9),
        "SEACE",
        "the folder it was filed in, not Atendidas"
    );
    assert_eq!(string(&sheet, 1, 11), "Alta");
    assert_eq!(date(&sheet, 1, 12), at(7, 23, 59));
    assert_eq!(string(&sheet, 1, 13), "ana@osce.test");
    assert_eq!(string(&sheet, 1, 14), "", "not Legal: no supervisor");
    assert_eq!(date(&sheet, 1, 15), at(5, 12, 0));
    assert_eq!(number(&sheet, 1, 16), 2.0);
    assert_eq!(number(&sheet, 1, 17), 0.0);
    assert_eq!(string(&sheet, 1, 18), "Sí");
    assert_eq!(number(&sheet, 1, 19), 5.0);
    assert_eq!(
        number(&sheet, 1, 23),
        1.0,
        "the first level alone: never derived"
    );
    assert_eq!(string(&sheet, 1, 24), "", "no unit");

    // Row 2: Legal, validated by the supervisor, sent over the holiday after its deadline.
    assert_eq!(string(&sheet, 2, 9), "Legal");
    assert_eq!(string(&sheet, 2, 13), "luis@osce.test");
    assert_eq!(
        string(&sheet, 2, 14),
        "supervisor@osce.test (por correo, respondiendo al aviso)",
        "who approved, and how"
    );
    assert_eq!(date(&sheet, 2, 15), at(9, 9, 30));
    assert_eq!(number(&sheet, 2, 16), 18.5);
    assert_eq!(
        number(&sheet, 2, 17),
        3.0,
        "Tue 6, Wed 7, Fri 9: the 8th is a holiday"
    );
    assert_eq!(string(&sheet, 2, 18), "No");
    assert_eq!(number(&sheet, 2, 19), 2.0);

    let xml = part(&path, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains(r#"state="frozen""#),
        "header row frozen: {xml}"
    );
    assert!(
        xml.contains(r#"<autoFilter ref="A1:AA3"/>"#),
        "filters: {xml}"
    );
    assert!(xml.contains("<cols>"), "column widths: {xml}");
    assert!(
        part(&path, "xl/styles.xml").contains("<b/>"),
        "a bold header"
    );

    // The mail after the cut-off is in the next day's register, with its real arrival time.
    triaje(
        &installed,
        &[
            "report",
            "register",
            "--day",
            "2026-10-06",
            "--format",
            "csv",
            "--output",
            "martes.csv",
        ],
    );
    let csv = std::fs::read(installed.dir.path().join("martes.csv")).expect("csv");
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with BOM");
    let csv = String::from_utf8(csv).expect("utf-8");
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines.len(),
        3,
        "header, one attention, and the final CRLF: {csv}"
    );
    assert!(lines[1].starts_with(
        "1,CONS-2026-000003,2026-10-05 17:00,2026-10-06 08:30,Juan Pérez,ciudadano3@example.pe,consultas,Correo electrónico,"
    ), "{csv}");
    assert!(
        lines[1].contains(",,,,,No,,consulta,RNP,-") && lines[1].ends_with(",1,,,"),
        "not answered, overdue (business days left below zero), no rating; an RNP consultation; the first level \
         alone, no unit: {csv}"
    );

    triaje(
        &installed,
        &[
            "report",
            "register",
            "--day",
            "2026-10-05",
            "--format",
            "csv",
            "-o",
            "lunes.csv",
        ],
    );
    let monday = std::fs::read_to_string(installed.dir.path().join("lunes.csv")).expect("csv");
    assert!(
        monday.contains(",\"María Núñez, \"\"Mary\"\"\","),
        "RFC 4180 quoting: {monday}"
    );
}

#[tokio::test]
async fn the_months_indicators_are_a_workbook_and_a_summary() {
    let installed = Installation::offline().write();
    fill(&installed).await;

    let out = triaje(&installed, &["report", "indicators", "--month", "2026-10"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "Indicadores del canal virtual — octubre de 2026",
        "Consultas recibidas:  3",
        "Atendidas:            2",
        "En proceso:           1",
        "Vencidas sin atender: 1",
        "Atendidas dentro del plazo: 1 de 2 (50 %)",
        "promedio 10,3 h, percentil 90 18,5 h",
        "Satisfacción: 1 de 2 respuestas con 3 a 5 estrellas (50 %; meta 85 %) — por debajo de la meta",
        "Correcciones de las reglas: 0 (consultas que el coordinador movió a mano a otra carpeta)",
        "Libro de indicadores: indicadores-2026-10.xlsx",
    ] {
        assert!(stdout.contains(expected), "missing «{expected}» in:\n{stdout}");
    }

    let path = installed.dir.path().join("indicadores-2026-10.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).expect("read back");
    assert_eq!(
        book.sheet_names(),
        [
            "Resumen",
            "Por clase",
            "Por carpeta",
            "Por categoría",
            "Por buzón",
            "Por asistente",
            "Reclamos",
            "Incidencias",
            "Encuesta",
            "Por unidad"
        ]
    );
    let summary = book.worksheet_range("Resumen").expect("Resumen");
    assert_eq!(string(&summary, 4, 0), "Consultas recibidas");
    assert_eq!(number(&summary, 4, 1), 3.0);
    assert_eq!(number(&summary, 5, 1), 2.0);
    assert_eq!(number(&summary, 6, 1), 1.0);
    assert_eq!(number(&summary, 7, 1), 1.0);
    assert_eq!(
        number(&summary, 9, 1),
        0.5,
        "compliance as a number with a percent format"
    );
    assert_eq!(number(&summary, 10, 1), 10.25);
    assert_eq!(number(&summary, 11, 1), 18.5);
    assert_eq!(number(&summary, 12, 1), 0.5);
    assert_eq!(number(&summary, 13, 1), 0.85);
    assert_eq!(
        number(&summary, 14, 1),
        0.0,
        "no consultation was corrected by hand"
    );

    let folders = book.worksheet_range("Por carpeta").expect("Por carpeta");
    let keys: Vec<String> = (1..4).map(|r| string(&folders, r, 0)).collect();
    assert_eq!(keys, ["Legal", "RNP", "SEACE"]);
    // RNP: received 1, answered 0, in progress 1, overdue 1.
    let rnp: Vec<f64> = (1..5).map(|c| number(&folders, 2, c)).collect();
    assert_eq!(rnp, [1.0, 0.0, 1.0, 1.0]);

    let assistants = book
        .worksheet_range("Por asistente")
        .expect("Por asistente");
    let keys: Vec<String> = (1..4).map(|r| string(&assistants, r, 0)).collect();
    assert_eq!(keys, ["(sin respuesta)", "ana@osce.test", "luis@osce.test"]);

    let survey = book.worksheet_range("Encuesta").expect("Encuesta");
    let stars: Vec<f64> = (1..6).map(|r| number(&survey, r, 1)).collect();
    assert_eq!(stars, [0.0, 1.0, 0.0, 0.0, 1.0]);
    assert_eq!(string(&survey, 11, 1), "No");
}

#[test]
fn a_bad_day_or_month_is_explained() {
    let installed = Installation::offline().write();
    let out = installed.triaje(&["report", "register", "--day", "20-11-2026"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--day «20-11-2026» no es una fecha; escriba AAAA-MM-DD"),
        "{err}"
    );
    let out = installed.triaje(&["report", "indicators", "--month", "2026-13"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--month «2026-13» no es un mes"), "{err}");
}

#[tokio::test]
async fn the_annual_suggestions_report_lists_each_suggestion_under_its_unit() {
    let installed = Installation::offline().write();
    fill(&installed).await;
    // Two suggestions on top of the October consultations: one answered (the result told to the citizen), one not.
    let store = installed.store().await;
    let mut suggestions = vec![
        consultation(
            4,
            lima(11, 2, 9, 0),
            lima(11, 2, 9, 0),
            lima(11, 3, 23, 59),
            "Sugerencias",
        ),
        consultation(
            5,
            lima(11, 3, 9, 0),
            lima(11, 3, 9, 0),
            lima(11, 4, 23, 59),
            "Sugerencias",
        ),
    ];
    for s in &mut suggestions {
        s.kind = AttentionKind::Suggestion;
        s.area = Some("SEACE".into());
    }
    let ids = record_and_file(&store, &suggestions, 5, lima(11, 3, 9, 1)).await;
    answer(&store, ids[0], "s1", "ana@osce.test", lima(11, 4, 10, 0)).await;
    store.close().await;

    let out = triaje(&installed, &["report", "suggestions", "--year", "2026"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "Sugerencias de 2026: 2 recibidas",
        "a más tardar el 15/01/2027",
        "sin derivar: 2 recibidas, 1 con el resultado comunicado al ciudadano, 1 pendientes",
        "Informe de sugerencias: sugerencias-2026.xlsx",
    ] {
        assert!(
            stdout.contains(expected),
            "missing «{expected}» in:\n{stdout}"
        );
    }
    let mut book: Xlsx<_> =
        open_workbook(installed.dir.path().join("sugerencias-2026.xlsx")).expect("read back");
    assert_eq!(book.sheet_names(), ["Resumen", "Sugerencias"]);
    let rows = book.worksheet_range("Sugerencias").expect("sheet");
    assert_eq!(
        rows.get_size(),
        (3, 11),
        "header and the two suggestions, no consultation"
    );
    assert_eq!(string(&rows, 0, 10), "Acciones implementadas");
    assert_eq!(string(&rows, 1, 0), "sin derivar");
    assert_eq!(string(&rows, 1, 7), "Resultado comunicado");
    assert_eq!(string(&rows, 2, 7), "Pendiente");
    assert_eq!(string(&rows, 1, 6), "SEACE");

    triaje(
        &installed,
        &["report", "suggestions", "--year", "2026", "--format", "csv"],
    );
    let csv =
        std::fs::read_to_string(installed.dir.path().join("sugerencias-2026.csv")).expect("csv");
    assert!(csv.starts_with("\u{feff}Unidad,N.º,Ticket,"), "{csv}");
    assert_eq!(csv.lines().count(), 3, "{csv}");
}

/// November 2026, three incidents and a consultation on the register at `url`:
/// A. Mon 23 09:00, SEACE, «Caída del SEACE», acknowledged 09:01, answered Tue 24 10:00;
/// B. Tue 24 09:00, SEACE, «Caída del SEACE», acknowledged 09:01, not answered;
/// C. Tue 24 11:00, RNP, «Certificado no carga», never acknowledged, not answered;
/// D. Tue 24 10:00, a SEACE consultation (not an incident).
async fn fill_incidents(store: &Store) {
    let incident = |uid: u32, day: u32, hour: u32, area: &str, category: &str| {
        let mut c = consultation(
            uid,
            lima(11, day, hour, 0),
            lima(11, day, hour, 0),
            lima(11, day, 16, 30),
            "Incidencias",
        );
        c.record.kind = AttentionKind::Incident;
        c.record.area = Some(area.into());
        c.record.category = category.into();
        c
    };
    let mut consultation_d = consultation(
        4,
        lima(11, 24, 10, 0),
        lima(11, 24, 10, 0),
        lima(11, 26, 16, 30),
        "SEACE",
    );
    consultation_d.record.area = Some("SEACE".into());
    let batch = vec![
        incident(1, 23, 9, "SEACE", "Caída del SEACE"),
        incident(2, 24, 9, "SEACE", "Caída del SEACE"),
        incident(3, 24, 11, "RNP", "Certificado no carga"),
        consultation_d,
    ];
    let ids = record_and_file(store, &batch, 4, lima(11, 24, 11, 0)).await;
    for (id, day) in [(ids[0], 23), (ids[1], 24)] {
        store
            .enqueue(
                &NewOutgoing {
                    mailbox: "consultas".into(),
                    kind: OutgoingKind::Acknowledgement,
                    consultation_id: Some(id),
                    message_id: format!("acuse.{id}@osce.test"),
                    envelope_from: "consultas@osce.test".into(),
                    recipients: vec!["ciudadano@example.pe".into()],
                    raw: b"x".to_vec(),
                },
                lima(11, day, 9, 1),
            )
            .await
            .expect("acknowledgement");
        send_and_file(store, lima(11, day, 9, 1)).await;
    }
    // A went to the SEACE directorate (second level) at 10:00 Monday, which raised it to the OTI (third level)
    // at 12:00 the same day; the OTI answered at 09:00 Tuesday and the first level answered the citizen at 10:00.
    let derive = |level: UnitLevel, unit: &str, from: Option<i64>| triaje::store::NewDerivation {
        record: triaje::store::DerivationRecord {
            consultation_id: ids[0],
            mailbox: "consultas".into(),
            unit: unit.into(),
            unit_address: format!("{unit}@osce.test"),
            level,
            message_id: format!("derivacion.{unit}.ab@osce.test"),
            due_at: lima(11, 30, 16, 30),
            escalated_from: from,
        },
        detail: "derivada".into(),
    };
    let seace = store
        .record_derivation(
            &derive(UnitLevel::Second, "dseace", None),
            None,
            lima(11, 23, 10, 0),
        )
        .await
        .expect("derive");
    let oti = store
        .record_derivation(
            &derive(UnitLevel::Third, "oti", Some(seace)),
            None,
            lima(11, 23, 12, 0),
        )
        .await
        .expect("raise");
    assert!(store
        .close_derivation(
            oti,
            None,
            lima(11, 24, 9, 0),
            lima(11, 24, 16, 30),
            "respondida"
        )
        .await
        .expect("unit answer"));
    answer(store, ids[0], "i1", "ana@osce.test", lima(11, 24, 10, 0)).await;
}

/// The incident coordinator's day and month (002 §8.3.2, §9.3.4) on a register kept in `register`.
async fn incident_reports_on(register: Register) {
    fill_incidents(&register.store).await;
    let installed = Installation::offline().database(&register.url).write();

    let out = triaje(&installed, &["report", "incidents", "--date", "2026-11-24"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "Incidencias del 24/11/2026: 2 ingresadas, 1 solucionadas; 3 en el mes hasta ese día"
        ),
        "{stdout}"
    );
    let mut book: Xlsx<_> =
        open_workbook(installed.dir.path().join("incidencias-2026-11-24.xlsx")).expect("read back");
    assert_eq!(
        book.sheet_names(),
        [
            "Resumen",
            "Ingresadas",
            "Solucionadas",
            "Por origen",
            "Por clasificación",
            "TOP"
        ]
    );
    let received = book.worksheet_range("Ingresadas").expect("sheet");
    assert_eq!(
        received.get_size(),
        (3, 16),
        "the header and B and C; not the consultation"
    );
    assert_eq!(string(&received, 0, 9), "Unidad que la tiene");
    assert_eq!(string(&received, 1, 1), "CONS-2026-000002");
    assert_eq!(string(&received, 1, 6), "SEACE");
    assert_eq!(string(&received, 1, 7), "Caída del SEACE");
    assert_eq!(string(&received, 1, 8), "Primer nivel");
    assert_eq!(string(&received, 1, 9), "Primer nivel");
    assert_eq!(
        date(&received, 1, 12),
        NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(9, 1, 0)
            .unwrap()
    );
    assert_eq!(string(&received, 1, 13), "En el primer nivel");
    assert_eq!(string(&received, 2, 1), "CONS-2026-000003");
    assert_eq!(cell(&received, 2, 12), Data::Empty, "never acknowledged");
    let solved = book.worksheet_range("Solucionadas").expect("sheet");
    assert_eq!(solved.get_size().0, 2);
    assert_eq!(string(&solved, 1, 1), "CONS-2026-000001");
    assert_eq!(
        string(&solved, 1, 8),
        "Tercer nivel",
        "raised by the SEACE directorate"
    );
    assert_eq!(string(&solved, 1, 9), "oti");
    assert_eq!(
        date(&solved, 1, 10),
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    );
    assert_eq!(
        date(&solved, 1, 11),
        NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    );
    assert_eq!(string(&solved, 1, 13), "Atendida");
    assert_eq!(number(&solved, 1, 14), 1.0, "open from Monday to Tuesday");
    let origin = book.worksheet_range("Por origen").expect("sheet");
    assert_eq!(string(&origin, 1, 0), "SEACE");
    assert_eq!(number(&origin, 1, 1), 2.0);
    assert_eq!(string(&origin, 2, 0), "RNP");
    assert_eq!(number(&origin, 2, 3), 3.0, "cumulative frequency");
    assert!((number(&origin, 2, 4) - 1.0).abs() < 1e-9);
    let top = book.worksheet_range("TOP").expect("sheet");
    assert_eq!(string(&top, 1, 0), "Caída del SEACE");
    assert_eq!(number(&top, 1, 1), 2.0);

    triaje(
        &installed,
        &[
            "report",
            "incidents",
            "--date",
            "2026-11-24",
            "--format",
            "csv",
        ],
    );
    let csv = std::fs::read_to_string(installed.dir.path().join("incidencias-2026-11-24.csv"))
        .expect("csv");
    assert!(csv.starts_with("\u{feff}Movimiento,N.º,Ticket,"), "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines[1].starts_with("Ingresadas,1,CONS-2026-000002,"),
        "{csv}"
    );
    assert!(
        lines[3].starts_with("Solucionadas,1,CONS-2026-000001,"),
        "{csv}"
    );

    let out = triaje(&installed, &["report", "indicators", "--month", "2026-11"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "Incidencias del mes (002 §9.3.4): 3",
        // The first level's own time on A: 09:00–10:00 Monday before deriving, 09:00–10:00 Tuesday after the OTI.
        "Primer nivel: 0 resueltas (0 % del total), 2 en plazo de 3 (66,7 %), promedio 2 h",
        "Segundo nivel: 0 resueltas (0 % del total), 1 en plazo de 1 (100 %), promedio 2 h",
        "Tercer nivel: 1 resueltas (33,3 % del total), 1 en plazo de 1 (100 %), promedio 5 h",
        "dseace: 1 derivadas, 1 respondidas, 1 en plazo, promedio 2 h",
        "oti: 1 derivadas, 1 respondidas, 1 en plazo, promedio 5 h",
        "Más frecuentes: Caída del SEACE (2), Certificado no carga (1)",
    ] {
        assert!(
            stdout.contains(expected),
            "missing «{expected}» in:\n{stdout}"
        );
    }
    let mut book: Xlsx<_> =
        open_workbook(installed.dir.path().join("indicadores-2026-11.xlsx")).expect("read back");
    let sheet = book.worksheet_range("Incidencias").expect("sheet");
    assert_eq!(string(&sheet, 0, 0), "Número total de incidencias del mes");
    assert_eq!(number(&sheet, 0, 1), 3.0);
    assert_eq!(string(&sheet, 1, 0), "% direccionadas correctamente");
    assert_eq!(string(&sheet, 4, 0), "Primer nivel");
    assert_eq!(
        number(&sheet, 4, 2),
        0.0,
        "A was resolved at the third level"
    );
    assert_eq!(number(&sheet, 4, 4), 2.0, "told the citizen the same day");
    assert!((number(&sheet, 4, 5) - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(string(&sheet, 5, 0), "Segundo nivel");
    assert_eq!(number(&sheet, 5, 1), 0.0, "none stayed at the second level");
    assert_eq!(number(&sheet, 5, 4), 1.0, "raised the same day");
    assert_eq!(string(&sheet, 6, 0), "Tercer nivel");
    assert_eq!((number(&sheet, 6, 1), number(&sheet, 6, 2)), (1.0, 1.0));
    assert_eq!(
        number(&sheet, 6, 6),
        5.0,
        "12:00 Monday to 09:00 Tuesday: 4.5 + 0.5 business hours"
    );
    register.finish().await;
}

#[tokio::test]
async fn the_incident_coordinator_gets_the_days_incidents_and_the_months_statistics_on_sqlite() {
    incident_reports_on(Register::sqlite().await).await;
}

#[tokio::test]
async fn the_incident_coordinator_gets_the_days_incidents_and_the_months_statistics_on_postgres() {
    incident_reports_on(Register::postgres().await).await;
}
