//! Parsing real-looking messages: what the register and the rules will see.

use super::*;

fn eml(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

#[test]
fn plain_message_gives_addresses_subject_date_and_ids() {
    let raw = eml(
        "Message-ID: <abc@gmail.com>\nFrom: \"Juan Pérez\" <Juan.Perez@Gmail.com>\nTo: consultas@osce.gob.pe\nCc: Otro <otro@x.pe>\nReply-To: jp@empresa.pe\nSubject: =?UTF-8?Q?Renovaci=C3=B3n_de_inscripci=C3=B3n?=\nDate: Fri, 7 Nov 2025 16:29:00 -0500\nIn-Reply-To: <prev@osce.gob.pe>\nReferences: <first@osce.gob.pe> <prev@osce.gob.pe>\nX-Origen: =?UTF-8?Q?formulario_web_p=C3=BAblico?=\n\n¿Cómo renuevo?\n",
    );
    let m = parse(&raw).expect("a message");
    assert_eq!(m.message_id.as_deref(), Some("abc@gmail.com"));
    assert_eq!(m.subject, "Renovación de inscripción");
    let from = m.from.as_ref().expect("from");
    assert_eq!(from.email, "juan.perez@gmail.com");
    assert_eq!(from.name.as_deref(), Some("Juan Pérez"));
    assert_eq!(
        m.reply_to.as_ref().map(|a| a.email.as_str()),
        Some("jp@empresa.pe")
    );
    assert_eq!(m.to[0].email, "consultas@osce.gob.pe");
    assert_eq!(m.cc[0].email, "otro@x.pe");
    assert_eq!(
        m.date.map(|d| d.to_rfc3339()),
        Some("2025-11-07T21:29:00+00:00".into())
    );
    assert_eq!(m.in_reply_to.as_deref(), Some("prev@osce.gob.pe"));
    assert_eq!(m.references, vec!["first@osce.gob.pe", "prev@osce.gob.pe"]);
    assert_eq!(m.header("x-origen"), Some("formulario web público"));
    assert_eq!(m.body_text.trim(), "¿Cómo renuevo?");
    assert_eq!(m.auto_submitted, None);
    let v = m.view();
    assert_eq!(v.from, vec!["juan.perez@gmail.com"]);
    assert_eq!(v.to, vec!["consultas@osce.gob.pe", "otro@x.pe"]);
}

#[test]
fn html_only_message_is_read_as_text() {
    let raw = eml("From: a@b.pe\nSubject: consulta\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Quisiera saber sobre la <b>inscripci&oacute;n</b> en el RNP</p><blockquote>Respuesta anterior del SEACE</blockquote></body></html>\n");
    let m = parse(&raw).expect("a message");
    assert!(
        m.body_text
            .contains("Quisiera saber sobre la inscripción en el RNP"),
        "{}",
        m.body_text
    );
    assert!(!m.fresh_text.contains("SEACE"), "{}", m.fresh_text);
}

#[test]
fn iso_8859_1_body_is_decoded() {
    let mut raw = b"From: a@b.pe\r\nSubject: =?ISO-8859-1?Q?inscripci=F3n?=\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".to_vec();
    raw.extend_from_slice(b"Renovaci\xf3n de inscripci\xf3n, a\xf1o 2025\r\n");
    let m = parse(&raw).expect("a message");
    assert_eq!(m.subject, "inscripción");
    assert_eq!(m.body_text.trim(), "Renovación de inscripción, año 2025");
}

#[test]
fn alternative_message_prefers_plain_text_and_lists_attachments() {
    let raw = eml("From: a@b.pe\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"M\"\n\n--M\nContent-Type: multipart/alternative; boundary=\"A\"\n\n--A\nContent-Type: text/plain; charset=utf-8\n\nTexto plano\n--A\nContent-Type: text/html; charset=utf-8\n\n<p>Texto HTML</p>\n--A--\n--M\nContent-Type: application/pdf; name=\"constancia RNP.pdf\"\nContent-Disposition: attachment; filename=\"constancia RNP.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--M--\n");
    let m = parse(&raw).expect("a message");
    assert_eq!(m.body_text.trim(), "Texto plano");
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].name, "constancia RNP.pdf");
    assert_eq!(m.attachments[0].content_type, "application/pdf");
    assert_eq!(m.view().attachments, vec!["constancia RNP.pdf"]);
}

#[test]
fn reply_quotes_and_signature_are_not_fresh_text() {
    let raw = eml("From: a@b.pe\nSubject: RE: consulta\n\nSigo sin poder ingresar.\n\nSaludos cordiales\nIng. Pedro\nConsultor de obras\n\nEl lun., 3 nov. 2025 a las 10:00, Consultas <consultas@osce.gob.pe> escribió:\n> Sobre la penalidad...\n");
    let m = parse(&raw).expect("a message");
    assert_eq!(m.fresh_text, "Sigo sin poder ingresar.\n");
    assert!(m.body_text.contains("penalidad"));
}

#[test]
fn non_messages_are_rejected_with_a_spanish_reason() {
    let err = parse(b"\x00\x01\x02 not a message at all \xff\xfe").unwrap_err();
    assert!(err.to_string().contains("no tiene encabezados de correo"));
    assert_eq!(parse(b"").unwrap_err(), MailError::Empty);
    assert_eq!(parse(b"  \r\n").unwrap_err(), MailError::Empty);
    assert_eq!(
        parse(b"hola que tal\n\ncuerpo").unwrap_err(),
        MailError::NoHeaders
    );
}

#[test]
fn weird_inputs_never_panic() {
    let cases: Vec<&[u8]> = vec![
        b"From: x\n",
        b"Subject:\n\n",
        b"a:\n\n\xff\xfe\xfd",
        b"From a@b Mon\nSubject: mbox\n\nbody",
        b"Content-Type: multipart/mixed; boundary=x\n\n--x\n--x\n--x--",
        b"Content-Type: text/html\n\n<<<&#99999999;<p",
        b"Date: 99 Foo 99999 99:99:99 +9999\nFrom: <>\nTo: ,,,;;\n\n",
        b"Content-Type: text/plain; charset=unknown-charset\n\n\x80\x81",
        b"Content-Type: message/rfc822\n\nSubject: inner\n\ninner body",
    ];
    for raw in cases {
        if let Ok(m) = parse(raw) {
            let _ = m.view();
        }
    }
    // Properties: arbitrary bytes never panic.
    let mut seed = 7u64;
    for _ in 0..2000 {
        let len = (seed % 200) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let pick = (seed >> 33) as usize % 12;
                b"a:\n\r<>&;-= \xc3\xff"[pick]
            })
            .collect();
        let _ = parse(&bytes);
    }
}

#[test]
fn view_caps_the_text_on_a_char_boundary() {
    let m = ParsedMail {
        fresh_text: "ñ".repeat(BODY_LIMIT),
        ..Default::default()
    };
    let v = m.view();
    assert!(v.text.len() <= BODY_LIMIT && v.text.len() >= BODY_LIMIT - 1);
    assert!(v.text.chars().all(|c| c == 'ñ'));
}

#[test]
fn machine_sent_mail_is_recognised() {
    let kind = |headers: &str| {
        parse(&eml(&format!("From: a@b.pe\n{headers}\n\nx\n")))
            .expect("a message")
            .auto_submitted
    };
    assert_eq!(
        kind("Subject: x\nAuto-Submitted: auto-replied"),
        Some(AutoKind::AutoReplied)
    );
    assert_eq!(
        kind("Subject: x\nAuto-Submitted: auto-generated"),
        Some(AutoKind::AutoGenerated)
    );
    assert_eq!(kind("Subject: x\nAuto-Submitted: no"), None);
    assert_eq!(kind("Subject: x\nPrecedence: bulk"), Some(AutoKind::Bulk));
    assert_eq!(
        kind("Subject: x\nList-Id: <lista.example.pe>"),
        Some(AutoKind::List)
    );
    assert_eq!(
        kind("Subject: Respuesta automática: consulta"),
        Some(AutoKind::OutOfOffice)
    );
    assert_eq!(
        kind("Subject: Automatic reply: consulta"),
        Some(AutoKind::OutOfOffice)
    );
    assert_eq!(
        kind("Subject: x\nX-Auto-Response-Suppress: All"),
        Some(AutoKind::OutOfOffice)
    );
    let bounce = parse(&eml(
        "From: MAILER-DAEMON@mx.osce.gob.pe\nSubject: Undelivered Mail\n\nx\n",
    ))
    .expect("msg");
    assert_eq!(bounce.auto_submitted, Some(AutoKind::DeliveryReport));
    let report = parse(&eml("From: a@b.pe\nSubject: x\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nfallo\n--B\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n--B--\n")).expect("msg");
    assert_eq!(report.auto_submitted, Some(AutoKind::DeliveryReport));
    assert!(AutoKind::DeliveryReport.describe().contains("rebote"));
}

#[test]
fn bare_cr_line_ends_are_read_as_line_ends() {
    // tests/hostile/38_bare_cr.eml: before, the whole message read as one header (no sender, subject or text).
    let raw =
        b"From: Ana Torres <ana@example.test>\rTo: consultas@osce.test\rSubject: Consulta con CR\r\
Content-Type: text/plain; charset=utf-8\r\rNo puedo ingresar al SEACE.\rAtentamente,\rAna\r";
    let m = parse(raw).expect("a message");
    assert_eq!(m.subject, "Consulta con CR");
    assert_eq!(
        m.from.as_ref().map(|a| a.email.as_str()),
        Some("ana@example.test")
    );
    assert!(
        m.body_text.contains("No puedo ingresar al SEACE."),
        "{:?}",
        m.body_text
    );
}

#[test]
fn control_characters_never_reach_header_text_and_nul_never_reaches_the_body() {
    // tests/hostile/35_nul_in_headers.eml, 36_nul_in_body.eml, 39_mixed_line_endings.eml: NUL (which PostgreSQL
    // refuses in text) and a bare CR inside the subject used to come through as they were.
    let raw = b"From: Mar\x00ia <maria\x00@example.test>\r\nTo: consultas@osce.test\r\n\
Subject: Consulta\x00 sobre\rSEACE\r\nMessage-ID: <id\x00@example.test>\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nNo puedo\x00 ingresar.\r\n";
    let m = parse(raw).expect("a message");
    assert_eq!(m.subject, "Consulta sobre SEACE");
    let from = m.from.as_ref().expect("from");
    assert_eq!(from.email, "maria@example.test");
    assert_eq!(from.name.as_deref(), Some("Mar ia"));
    assert_eq!(m.message_id.as_deref(), Some("id @example.test"));
    assert!(!m.body_text.contains('\0'), "{:?}", m.body_text);
    for (name, value) in &m.headers {
        assert!(!value.chars().any(char::is_control), "{name}: {value:?}");
    }
}
