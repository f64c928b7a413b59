//! Incidents, complaints and suggestions on a live `triaje run` with the real Dovecot + Postfix (issue 18):
//! each filed in its kind's folder with its area recorded, acknowledged with its kind's template and dated by
//! its kind's deadline; a consultation that also reports an incident is the incident; an operational question
//! stays a consultation in its area; the register shows the kinds; a drag out of a kind's folder makes the
//! message a consultation again.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::installation::Installation;
use common::{citizen_mail, consultation_of, MailStack, StoredMessage};
use triaje::calendar::{deadline, BusinessCalendar, DeadlinePolicy, LIMA};
use triaje::store::{ConsultationRow, Store};
use triaje::vocabulary::{AttentionKind, Availability};

const CONSULTAS: &str = "consultas@osce.test";
const WAIT: Duration = Duration::from_secs(60);
const BOOK: &str = "https://reclamos.example.test/osce";

/// The one message of `folder`, once it is there and recorded as filed.
async fn filed(stack: &MailStack, store: &Store, folder: &str) -> (StoredMessage, ConsultationRow) {
    let m = stack.wait_for(CONSULTAS, folder, 1, WAIT).await.remove(0);
    let start = Instant::now();
    loop {
        let c = consultation_of(store, &m).await;
        if c.filed_at.is_some() {
            return (m, c);
        }
        assert!(
            start.elapsed() < WAIT,
            "«{}» never recorded as filed",
            m.subject
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The acknowledgement `citizen` received: its subject and its text, decoded.
async fn acknowledgement_to(stack: &MailStack, citizen: &str) -> (String, String) {
    let got = stack.wait_for(citizen, "INBOX", 1, WAIT).await;
    let mail = triaje::mail::parse(&got[0].raw).expect("a readable acknowledgement");
    // The text as written, lines joined: a long line of the template may be wrapped.
    (
        mail.subject,
        mail.body_text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The deadline `policy` gives a consultation that counts from `c`'s effective received time.
fn due_by(c: &ConsultationRow, policy: &DeadlinePolicy) -> chrono::DateTime<Utc> {
    deadline(
        &BusinessCalendar::peru_default(),
        policy,
        Availability::Medium,
        c.effective_received_at.with_timezone(&LIMA),
    )
    .with_timezone(&Utc)
}

#[tokio::test]
async fn incidents_complaints_and_suggestions_are_filed_apart_and_acknowledged_by_kind() {
    let stack = MailStack::start();
    let mut daemon = Installation::new(&stack)
        .set(
            "kinds.reclamo",
            &format!("libro_de_reclamaciones = \"{BOOK}\""),
        )
        .write()
        .spawn_run();
    let store = daemon.store().await;

    // A supplier whose bid is due today: the platform is down. The first level tells him the same day.
    stack.send(
        "ciudadano1@example.test",
        &[CONSULTAS],
        &citizen_mail(
            "Hilda Rojas <ciudadano1@example.test>",
            "SEACE caído",
            "Buenas tardes, el SEACE está caído desde las 9: no carga y sale pantalla blanca con error 503. \
             Hoy cierra la presentación de ofertas de la subasta inversa.",
            "incidencia",
        ),
    );
    let (_, incident) = filed(&stack, &store, "Incidencias").await;
    assert_eq!(incident.kind, AttentionKind::Incident);
    assert_eq!(
        incident.area.as_deref(),
        Some("SEACE"),
        "the area is still recorded"
    );
    // 002 §9.3.3: the levels answer within at most 5 business days.
    assert_eq!(
        incident.deadline_at,
        due_by(&incident, &DeadlinePolicy::BusinessDays(5))
    );
    let (subject, ack) = acknowledgement_to(&stack, "ciudadano1@example.test").await;
    let expected = format!("Reportamos su incidencia {}", incident.ticket);
    assert!(subject.starts_with(&expected), "{subject}");
    assert!(ack.contains("hoy mismo la hemos reportado"), "{ack}");

    // A citizen who is dissatisfied with the office: a complaint, 30 business days, the Libro de Reclamaciones.
    stack.send(
        "ciudadano2@example.test",
        &[CONSULTAS],
        &citizen_mail(
            "Lourdes Espinoza <ciudadano2@example.test>",
            "Reclamo: nadie contesta",
            "Señores, llevo dos días llamando a la central de consultas del RNP y nadie contesta. Es la segunda \
             vez que escribo y no me responden. Exijo una respuesta sobre mi inscripción.",
            "reclamo",
        ),
    );
    let (_, complaint) = filed(&stack, &store, "Reclamos").await;
    assert_eq!(complaint.kind, AttentionKind::Complaint);
    assert_eq!(
        complaint.deadline_at,
        due_by(&complaint, &DeadlinePolicy::BusinessDays(30))
    );
    let (subject, ack) = acknowledgement_to(&stack, "ciudadano2@example.test").await;
    let expected = format!("Recibimos su reclamo {}", complaint.ticket);
    assert!(subject.starts_with(&expected), "{subject}");
    assert!(ack.contains("Libro de Reclamaciones"), "{ack}");
    assert!(ack.contains("treinta días hábiles"), "{ack}");
    assert!(
        ack.contains(BOOK),
        "the configured address of the book: {ack}"
    );

    // A proposal to improve the service.
    stack.send(
        "ciudadano3@example.test",
        &[CONSULTAS],
        &citizen_mail(
            "Iván Salinas <ciudadano3@example.test>",
            "Buscador de procedimientos",
            "Buenas tardes. Les sugiero que el buscador de procedimientos del SEACE permita filtrar por distrito \
             de la entidad. Sería de mucha ayuda para los proveedores de provincia.",
            "sugerencia",
        ),
    );
    let (_, suggestion) = filed(&stack, &store, "Sugerencias").await;
    assert_eq!(suggestion.kind, AttentionKind::Suggestion);
    let (subject, ack) = acknowledgement_to(&stack, "ciudadano3@example.test").await;
    assert!(subject.starts_with("Recibimos su sugerencia"), "{subject}");
    assert!(ack.contains("le comunicará el resultado"), "{ack}");

    // An operational question stays a consultation in its area, however much it speaks of the system.
    stack.send(
        "ciudadano4@example.test",
        &[CONSULTAS],
        &citizen_mail(
            "Logística <ciudadano4@example.test>",
            "Registro del contrato en el SEACE",
            "Buenos días, ¿cómo registro el contrato de la adjudicación simplificada en el SEACE? El sistema no \
             me deja registrar el contrato. ¿Qué paso me falta?",
            "consulta",
        ),
    );
    let (_, question) = filed(&stack, &store, "SEACE").await;
    assert_eq!(question.kind, AttentionKind::Consultation);
    assert_eq!(question.area.as_deref(), Some("SEACE"));
    assert!(
        stack
            .wait_for("ciudadano4@example.test", "INBOX", 1, WAIT)
            .await[0]
            .subject
            .starts_with("Recibimos su consulta"),
        "a consultation keeps the consultation's acknowledgement"
    );

    // A consultation that also reports an incident is the incident.
    stack.send(
        "ciudadano5@example.test",
        &[CONSULTAS],
        &citizen_mail(
            "Marco Saldaña <ciudadano5@example.test>",
            "Consulta sobre mi constancia del RNP",
            "Buenas tardes, ¿cuánto demora la constancia de inscripción en el RNP? Además, la página del RNP no \
             funciona: al generar la constancia me sale un error y dice servicio no disponible.",
            "ambas",
        ),
    );
    stack.wait_for(CONSULTAS, "Incidencias", 2, WAIT).await;
    let both = wait_row(&store, |c| {
        c.from_addr.as_deref() == Some("ciudadano5@example.test")
    })
    .await;
    assert_eq!(both.kind, AttentionKind::Incident, "{both:?}");
    assert_eq!(both.folder, "Incidencias");

    // The day's register shows each attention's kind and area.
    let day = incident
        .effective_received_at
        .with_timezone(&LIMA)
        .format("%Y-%m-%d")
        .to_string();
    let csv = daemon.register_csv(&day);
    let header = csv.lines().next().unwrap_or_default().to_string();
    assert!(
        header.contains("Clase de atención,Área,Días hábiles por vencer,"),
        "{header}"
    );
    for (ticket, kind, area) in [
        (&incident.ticket, "incidencia", "SEACE"),
        (
            &complaint.ticket,
            "reclamo",
            complaint.area.as_deref().unwrap_or(""),
        ),
        (&question.ticket, "consulta", "SEACE"),
    ] {
        let line = csv
            .lines()
            .find(|l| l.contains(ticket.as_str()))
            .unwrap_or_else(|| panic!("{ticket} not in the register of {day}: {csv}"));
        assert!(line.contains(&format!(",{kind},{area},")), "{line}");
    }

    // The coordinator drags the suggestion into «RNP»: the kind follows the folder.
    let mut client = stack.imap(CONSULTAS).await;
    client.move_all("Sugerencias", "RNP").await;
    client.logout().await;
    let moved = wait_row(&store, |c| {
        c.id == suggestion.id && c.kind == AttentionKind::Consultation
    })
    .await;
    assert_eq!(moved.folder, "RNP");
    assert_eq!(moved.area.as_deref(), Some("RNP"));

    daemon.stop();
}

/// Waits for the consultation that `found` picks.
async fn wait_row(store: &Store, found: impl Fn(&ConsultationRow) -> bool) -> ConsultationRow {
    let start = Instant::now();
    loop {
        if let Some(c) = store
            .consultations(None)
            .await
            .unwrap()
            .into_iter()
            .find(|c| found(c) && c.filed_at.is_some())
        {
            return c;
        }
        assert!(
            start.elapsed() < WAIT,
            "the consultation never reached the expected state"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The shipped kind rules on the tuning part of the development corpus (`tests/routing/tune`, the only part
/// they were written against): the figures reached when they were tuned, less a message's worth, so a change
/// that makes them worse fails. The held-out part is the coordinator's to measure.
#[test]
fn the_shipped_kind_rules_hold_on_the_tuning_corpus() {
    use triaje::rules::corpus::load_labelled;
    use triaje::rules::evaluation::{evaluate_labelled, Evaluation};
    use triaje::rules::RuleSet;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let targets: Vec<String> = ["SEACE", "RNP", "Legal"].map(String::from).to_vec();
    let shipped =
        RuleSet::load_dir(&root.join("rules"), &targets).unwrap_or_else(|e| panic!("{e}"));
    let mut labels = targets.clone();
    labels.push("Por clasificar".into());
    let messages =
        load_labelled(&root.join("tests/routing/tune"), &labels).unwrap_or_else(|e| panic!("{e}"));
    // Without the kind's learned vote: the rules' own figures. Tuned on all 613 messages of the tuning part
    // (issue 16, after the third writer's batches 10–12): consulta 523/530 and 523/527, incidencia 42/46 and
    // 42/47, reclamo 23/23 and 23/25, sugerencia 14/14; each floor is one message fewer; filed 593 of 613.
    // With the kind's vote (its seed trained on these same messages, so in-sample): consulta 523/524 and
    // 523/527, incidencia 46/50 and 46/47, reclamo 25/25, sugerencia 14/14; filed 599 of 613.
    // Then a fourth and a fifth writer added 225 messages to the tuning part (data/13–16), which no kind rule was
    // written on: on all 838, rules alone consulta 685/718 and 685/690, incidencia 58/63 and 58/78, reclamo 33/34
    // and 33/43, sugerencia 23/23 and 23/27, filed 790; with the vote (seed trained again on the 838) consulta
    // 685/706, incidencia 68/73 and 68/78, reclamo 35/36 and 35/43, sugerencia 23/23 and 23/27, filed 802. The
    // floors are these less about a message.
    // Then three more writers added 340 (data/17–22), on which no kind rule was written either: on all 1,178, rules
    // alone consulta 935/1010 and 935/944, incidencia 78/84 and 78/121, reclamo 45/49 and 45/64, sugerencia 35/35
    // and 35/49, filed 1,073; with the vote (seed trained again) consulta 934/983 and 934/944, incidencia 100/107
    // and 100/121, reclamo 49/53 and 49/64, sugerencia 35/35 and 35/49, filed 1,098. Floors: about a message less.
    // Three more writers added 317 (data/23–28), no kind rule written on them: on all 1,495, rules alone consulta
    // 1163/1267 and 1163/1172, incidencia 107/116 and 107/170, reclamo 58/62 and 58/85, sugerencia 50/50 and 50/68,
    // filed 1,360; with the vote (seed trained again) consulta 1162/1228 and 1162/1172, incidencia 139/148 and
    // 139/170, reclamo 66/69 and 66/85, sugerencia 50/50 and 50/68, filed 1,399. Floors: a few messages less.
    // Three more writers added 321 (data/29–34), no kind rule written on them: on all 1,816, rules alone consulta
    // 1398/1542 and 1398/1410, incidencia 124/135 and 124/211, reclamo 73/78 and 73/109, sugerencia 61/61 and
    // 61/86, filed 1,649; with the vote (seed trained again) consulta 1397/1485 and 1397/1410, incidencia 172/183
    // and 172/211, reclamo 83/87 and 83/109, sugerencia 61/61 and 61/86, filed 1,706. Floors: a few messages less.
    // Three more writers added 358 (data/35–40), no kind rule written on them: on all 2,174, rules alone consulta
    // 1670/1855 and 1670/1686, incidencia 140/154 and 140/248, reclamo 84/91 and 84/133, sugerencia 74/74 and 74/107,
    // filed 1,960; with the vote (seed trained again) consulta 1669/1785 and 1669/1686, incidencia 197/211 and
    // 197/248, reclamo 99/104 and 99/133, sugerencia 74/74 and 74/107, filed 2,031. Floors: a few messages less.
    // Three more writers added 337 (data/41–46), no kind rule written on them: on all 2,511, rules alone consulta
    // 1917/2140 and 1917/1936, incidencia 162/179 and 162/294, reclamo 95/102 and 95/151, sugerencia 90/90 and 90/130,
    // filed 2,250; with the vote (seed trained again) consulta 1915/2054 and 1915/1936, incidencia 232/250 and
    // 232/294, reclamo 112/117 and 112/151, sugerencia 90/90 and 90/130, filed 2,335. Floors: a few messages less
    // (incidencia's precision with the vote 0.93 → 0.92, its recall by rules alone 0.55 → 0.54).
    // Three more writers added 326 (data/47–52): on all 2,837, rules alone consulta 2151/2412 and 2151/2176,
    // incidencia 176/198 and 176/334, reclamo 109/118 and 109/173, sugerencia 109/109 and 109/154, filed 2,523;
    // with the vote consulta 2149/2313 and 2149/2176,
    // incidencia 256/279 and 256/334, reclamo 129/136 and 129/173, sugerencia 109/109 and 109/154, filed 2,621. Floors:
    // a few messages less (by rules alone incidencia 0.90 / 0.54 → 0.88 / 0.52; with the vote consulta's precision
    // 0.93 → 0.92, incidencia 0.92 / 0.78 → 0.91 / 0.75).
    // Three more writers added 324 (data/53–58): on all 3,161, rules alone consulta 2397/2697 and 2397/2422,
    // incidencia 193/217 and 193/377, reclamo 118/127 and 118/190, sugerencia 120/120 and 120/172, filed 2,801; with
    // the vote consulta 2395/2586 and 2395/2422, incidencia 282/307 and 282/377, reclamo 141/148 and 141/190,
    // sugerencia 120/120 and 120/172, filed 2,911. Floors: a few messages less (by rules alone incidencia's recall
    // 0.52 → 0.50, reclamo's 0.62 → 0.61; with the vote incidencia's 0.75 → 0.74).
    // Then the kind rules were written again (issue 18, fifth round) on the 2,837 messages of writers 1–23, by
    // classes of misses (the screen's own error text quoted, its symptoms, a code that never arrives; a complaint's
    // insistence, judgement and the channel that does not answer; every form of proposing), and `kind_weight` went
    // from 1.5 to 1.75 (cross-validated, examples/routing_cv.rs); the 324 of writers 24–26 (ids y53-…a58-) were
    // held back and only measured. On all 3,161, rules alone consulta 2378/2520 and 2378/2422, incidencia 277/315
    // and 277/377, reclamo 153/159 and 153/190, sugerencia 164/167 and 164/172, filed 2,291; with the vote (seed
    // unchanged) consulta 2390/2445 and 2390/2422, incidencia 342/367 and 342/377, reclamo 173/178 and 173/190,
    // sugerencia 168/171 and 168/172, filed 3,046. On the 324 held back alone, rules alone incidencia 24/28 and
    // 24/43 (before 17/19 and 17/43), reclamo 13/13 and 13/17 (9/9, 9/17), sugerencia 15/16 and 15/18 (11/11,
    // 11/18), consulta 242/267 and 242/246 (246/285, 246/246). The consultation's recall by rules alone fell
    // 0.990 → 0.982 (quotes of an error screen the writers label either way), with the vote 0.989 → 0.987.
    // Floors: about a message less.
    // Then three more writers added 320 (data/59–64), on which no kind rule was written (and whose 540 messages,
    // read by no one, the rules of this round filed before they were merged: incidencia recall 0.508 → 0.677 with
    // the vote, 0.385 → 0.585 alone; reclamo 0.710 → 0.742; sugerencia 0.667 → 0.867; consulta's precision 0.890 →
    // 0.926 at the same recall 0.993). On all 3,481, rules alone consulta 2623/2784 and 2623/2672, incidencia
    // 298/340 and 298/411, reclamo 167/174 and 167/206, sugerencia 180/183 and 180/192; with the vote (seed trained
    // with them) consulta 2637/2704 and 2637/2672, incidencia 369/396 and 369/411, reclamo 188/194 and 188/206,
    // sugerencia 184/187 and 184/192. Floors: incidencia's recall alone 0.73 → 0.72, with the vote 0.93 / 0.90 →
    // 0.92 / 0.89; sugerencia's recall 0.95 → 0.93 alone, 0.97 → 0.95 with the vote.
    // Then three more writers added 319 (data/65–70), on which no kind rule was written. On all 3,800, rules alone
    // consulta 2862/3043 and 2862/2918, incidencia 323/372 and 323/449, reclamo 176/184 and 176/222, sugerencia
    // 198/201 and 198/211, filed 3,519; with the vote (seed trained with them) consulta 2880/2959 and 2880/2918,
    // incidencia 402/431 and 402/449, reclamo 198/205 and 198/222, sugerencia 202/205 and 202/211, filed 3,642.
    // Floors lowered to about a message under these where they were above (rules alone: consulta, incidencia,
    // reclamo; with the vote: reclamo's recall); the filed floors, stale since the area opinion joined, raised.
    // Then three more writers added 309 (data/71–76; the thirty-fourth wrote mostly incidents and complaints), on
    // which no kind rule was written. On all 4,109, rules alone consulta 3067/3271 and 3067/3126, incidencia
    // 354/406 and 354/501, reclamo 194/205 and 194/244, sugerencia 224/227 and 224/238, filed 3,821; with the vote
    // (seed trained with them) consulta 3086/3175 and 3086/3126, incidencia 446/476 and 446/501, reclamo 218/226 and
    // 218/244, sugerencia 229/232 and 229/238, filed 3,961. Floors lowered to under these where they were above
    // (rules alone: incidencia's recall 0.71 → 0.70, reclamo's precision 0.95 → 0.94).
    // Then the kind rules of incidents and complaints were widened (sixth round), written on the tuning part without
    // the thirty-fourth writer's messages (kept unseen to measure them: recall by rules alone incidencia 0.386 →
    // 0.409, reclamo 0.500 → 0.500; over writers 33–35 incidencia 0.517 → 0.596, reclamo 0.582 → 0.636, precision
    // not lower), and the opinion reads more (seed trained again). On all 4,109, rules alone consulta 3067/3208 and
    // 3067/3126, incidencia 394/445 and 394/501, reclamo 218/229 and 218/244, sugerencia 224/227 and 224/238, filed
    // 3,902; with the vote consulta 3089/3154 and 3089/3126, incidencia 460/487 and 460/501, reclamo 228/236 and
    // 228/244, sugerencia 229/232 and 229/238, filed 4,005. Floors kept (all above them).
    // Then (thirteenth session) writers 42–44 joined the tuning part, on which no kind rule was written; the
    // forty-third writes angry and anxious mail, with more complaints than any batch before (37, most of them told
    // as a consultation's story; by the rules of the time their recall at first sight was 0.32). On all 5,115, with
    // the vote (seed trained with them) reclamo 290/300 and 290/330: its recall floor 0.885 → 0.87.
    for (rules, floors, filed_floor) in [
        (
            shipped.clone().with_kind_learned(None),
            [(0.93, 0.975), (0.86, 0.70), (0.94, 0.78), (0.97, 0.93)],
            3505,
        ),
        (
            shipped,
            [(0.97, 0.985), (0.92, 0.89), (0.96, 0.87), (0.97, 0.95)],
            3630,
        ),
    ] {
        let evaluation = Evaluation {
            targets: targets.clone(),
            unclassified: "Por clasificar".into(),
            legal: vec!["Legal".into()],
            cases: messages
                .iter()
                .map(|m| evaluate_labelled(&rules, m, "Por clasificar"))
                .collect(),
        };
        let folders = triaje::config::Kinds::default().folders();
        let summary = evaluation
            .kind_summary(&folders)
            .expect("the labels say kinds");
        println!("{summary}");
        for (kind, (precision, recall)) in AttentionKind::ALL.into_iter().zip(floors) {
            let f = evaluation.kind_figures(kind);
            assert!(
                f.precision() >= precision && f.recall() >= recall,
                "{kind}: precision {:.3} (at least {precision}), recall {:.3} (at least {recall})\n{summary}",
                f.precision(),
                f.recall()
            );
        }
        let filed: usize = summary
            .lines()
            .find_map(|l| l.strip_prefix("Carpeta de archivo"))
            .and_then(|l| l.split("): ").nth(1))
            .and_then(|l| l.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no filed-folder figure in:\n{summary}"));
        assert!(
            filed >= filed_floor,
            "filed in the right folder: {filed} of {} (at least {filed_floor})\n{summary}",
            messages.len()
        );
    }
}
