//! The incident coordinator's end of the day on a live `triaje run` with the real Dovecot + Postfix (issue 18,
//! 002 §8.3.2.3): incidents arrive and are triaged, the report's hour passes, and the coordinator's mailbox
//! receives exactly one mail with the day's consolidated workbook attached — also after the daemon restarts.

mod common;

use std::io::Cursor;
use std::time::Duration;

use calamine::{Data, Reader, Xlsx};
use chrono::{NaiveTime, TimeZone, Utc};
use common::installation::Installation;
use common::{citizen_mail, MailStack, StackOptions};
use mail_parser::MimeHeaders;
use triaje::calendar::{BusinessCalendar, LIMA};
use triaje::report::incidents::report_day;

const CONSULTAS: &str = "consultas@osce.test";
const COORDINATOR: &str = "incidencias@osce.test";
const WAIT: Duration = Duration::from_secs(60);

fn text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

fn number(range: &calamine::Range<Data>, row: u32, col: u32) -> f64 {
    match range.get_value((row, col)) {
        Some(Data::Float(v)) => *v,
        Some(Data::Int(v)) => *v as f64,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_incident_coordinator_gets_the_days_workbook_once_at_the_end_of_the_day() {
    let stack = MailStack::start_with(StackOptions {
        users: vec![COORDINATOR.to_string()],
        ..StackOptions::default()
    });
    // The report's hour is 23:59: the day reported is the last business day before today (today's, only in the
    // last minute of a business day). The incidents arrived that day, mid-morning.
    let send_at = NaiveTime::from_hms_opt(23, 59, 0).unwrap();
    let day =
        report_day(&BusinessCalendar::peru_default(), send_at, Utc::now()).expect("a business day");
    let at = |hour: u32| {
        LIMA.from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap())
            .single()
            .unwrap()
            .fixed_offset()
    };
    for (hour, raw) in [
        (
            10,
            citizen_mail(
                "Hilda Rojas <ciudadano1@example.test>",
                "SEACE caído",
                "Buenas tardes, el SEACE está caído desde las 9: no carga y sale pantalla blanca con error 503. \
                 Hoy cierra la presentación de ofertas de la subasta inversa.",
                "incidencia1",
            ),
        ),
        (
            11,
            citizen_mail(
                "Marco Saldaña <ciudadano2@example.test>",
                "No puedo generar mi constancia",
                "Buenas tardes, la página del RNP no funciona: al generar la constancia me sale un error y dice \
                 servicio no disponible.",
                "incidencia2",
            ),
        ),
        (
            12,
            citizen_mail(
                "Logística <ciudadano3@example.test>",
                "Registro del contrato en el SEACE",
                "Buenos días, ¿cómo registro el contrato de la adjudicación simplificada en el SEACE? El sistema \
                 no me deja registrar el contrato. ¿Qué paso me falta?",
                "consulta",
            ),
        ),
    ] {
        stack.append(CONSULTAS, "INBOX", &raw, Some(at(hour))).await;
    }
    let installed = Installation::new(&stack)
        .extra(&format!(
            "[incidents]\ncoordinator = \"{COORDINATOR}\"\nsend_at = \"23:59\""
        ))
        .write();
    // Triage what arrived first, so the report finds it recorded.
    let out = installed.once();
    assert!(
        out.status.success(),
        "{}",
        common::installation::output_text(&out)
    );
    stack.wait_for(CONSULTAS, "Incidencias", 2, WAIT).await;

    let mut daemon = installed.spawn_run();
    let inbox = stack.wait_for(COORDINATOR, "INBOX", 1, WAIT).await;
    assert_eq!(inbox.len(), 1);
    let date = day.format("%d/%m/%Y");
    assert_eq!(
        inbox[0].subject,
        format!("Incidencias del {date}: 2 ingresadas, 0 solucionadas")
    );
    let parsed = mail_parser::MessageParser::default()
        .parse(&inbox[0].raw)
        .expect("a readable mail");
    let body = parsed.body_text(0).expect("a text").to_string();
    assert!(body.contains("Ingresadas en el día: 2"), "{body}");
    let attachment = parsed.attachments().next().expect("the workbook");
    assert_eq!(
        attachment.attachment_name(),
        Some(format!("incidencias-{day}.xlsx").as_str())
    );
    let mut book =
        Xlsx::new(Cursor::new(attachment.contents().to_vec())).expect("an xlsx workbook");
    let received = book.worksheet_range("Ingresadas").expect("Ingresadas");
    assert_eq!(
        received.get_size().0,
        3,
        "the header and the two incidents, not the consultation"
    );
    let subjects: Vec<String> = (1..3).map(|r| text(&received, r, 5)).collect();
    assert_eq!(subjects, ["SEACE caído", "No puedo generar mi constancia"]);
    assert_eq!(text(&received, 1, 6), "SEACE");
    assert_eq!(text(&received, 2, 6), "RNP");
    assert_eq!(text(&received, 1, 8), "Primer nivel");
    assert!(text(&received, 1, 1).contains("-"), "a ticket");
    let origin = book.worksheet_range("Por origen").expect("Por origen");
    assert_eq!(number(&origin, 1, 1) + number(&origin, 2, 1), 2.0);
    assert_eq!(number(&origin, 2, 3), 2.0, "cumulative frequency");

    // A daemon restarted later the same day does not send the day's report again.
    daemon.stop();
    daemon.spawn();
    tokio::time::sleep(Duration::from_secs(5)).await;
    daemon.stop();
    assert_eq!(stack.messages(COORDINATOR, "INBOX").await.len(), 1);
}
