//! The survey's web side against a real server on 127.0.0.1 and a real register (SQLite; one scenario on
//! PostgreSQL), spoken to in plain HTTP/1.1 over a socket, the way a citizen's browser would.

mod common;

use std::net::SocketAddr;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use triaje::store::{Cursor, NewConsultation, Recorded, Store};
use triaje::survey::{survey_link, SurveyKey, SurveyToken};
use triaje::vocabulary::{AttentionKind, Availability};
use triaje::web::{RatingSource, WebState};
use triaje::workflow::ConsultationRecord;

use common::http::{form_encode, Request, Response};
use common::register::Register;
use common::web::WebServer;

// ---------------------------------------------------------------------------------------------------------
// Harness

/// A running survey server over its own register; stopped by `finish`.
struct Site {
    /// Where it listens.
    address: SocketAddr,
    /// The server.
    server: WebServer,
    /// The register it writes to (a second handle on the same pool).
    store: Store,
    /// The key its links are signed with.
    key: SurveyKey,
    /// Two consultations to rate.
    consultations: Vec<Recorded>,
    /// Keeps the register's file or database.
    _register: Register,
}

impl Site {
    /// A server over a fresh SQLite register.
    async fn sqlite() -> Site {
        Site::start(Register::sqlite().await).await
    }

    /// A server over a fresh PostgreSQL database.
    async fn postgres() -> Site {
        Site::start(Register::postgres().await).await
    }

    async fn start(register: Register) -> Site {
        let store = register.store.clone();
        let batch: Vec<NewConsultation> = [1, 2].into_iter().map(consultation).collect();
        let now = Utc::now();
        let consultations = store
            .record_batch(
                "consultas",
                Cursor {
                    uidvalidity: 1,
                    last_uid: 2,
                },
                &batch,
                "CONS",
                now,
            )
            .await
            .expect("record two consultations");
        let key = SurveyKey::from_bytes(b"una clave de prueba de 32 bytes o mas!").expect("key");
        let state = WebState {
            store: store.clone(),
            key: key.clone(),
            dashboard: None,
            counters: None,
        };
        let server = WebServer::start(state, "encuesta.test").await;
        Site {
            address: server.address,
            server,
            store,
            key,
            consultations,
            _register: register,
        }
    }

    /// The signed token for consultation `n` (0 or 1) with `stars`, valid for 30 days.
    fn token(&self, n: usize, stars: u8) -> String {
        self.token_expiring(n, stars, Utc::now() + TimeDelta::days(30))
    }

    fn token_expiring(&self, n: usize, stars: u8, expires_at: DateTime<Utc>) -> String {
        self.key.sign(&SurveyToken {
            consultation_id: self.consultations[n].id,
            ticket: self.consultations[n].ticket.clone(),
            rating: stars,
            expires_at,
        })
    }

    /// The answer recorded for consultation `n` (0 or 1), which must be there.
    async fn answer(&self, n: usize) -> triaje::store::SurveyRating {
        self.store
            .survey_rating(self.consultations[n].id)
            .await
            .expect("read the answer")
            .expect("an answer recorded")
    }

    /// The stars recorded for consultation `n`, if any.
    async fn rating(&self, n: usize) -> Option<u8> {
        self.store
            .survey_rating(self.consultations[n].id)
            .await
            .expect("read the rating")
            .map(|r| r.rating)
    }

    async fn get(&self, path: &str) -> Response {
        self.server.fetch(Request::get(path)).await
    }

    /// A HEAD request, as link checkers and some gateways send.
    async fn head(&self, path: &str) -> Response {
        self.server.fetch(Request::head(path)).await
    }

    /// The citizen's click on the stars page: a POST of the stars chosen to the link's address.
    async fn click(&self, token: &str, stars: u8) -> Response {
        self.post_form(&format!("/encuesta/{token}"), &format!("estrellas={stars}"))
            .await
    }

    async fn post_form(&self, path: &str, form: &str) -> Response {
        self.server.fetch(Request::form(path, form)).await
    }

    async fn finish(mut self) {
        self.server.stop();
        self.store.close().await;
    }
}

/// A consultation received yesterday.
fn consultation(uid: u32) -> NewConsultation {
    let received = Utc::now() - TimeDelta::days(1);
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
            from_name: Some("Rosa Quispe".into()),
            subject: "Consulta sobre el RNP".into(),
            received_at: received,
            sender_date: None,
            effective_received_at: received,
            deadline_at: received + TimeDelta::days(3),
            folder: "RNP".into(),
            category: "rnp".into(),
            availability: Availability::Medium,
            rule: None,
            kind: AttentionKind::Consultation,
            area: None,
            error_reason: None,
            reply_to_addr: None,
        },
    }
}

/// `token` with one character of its payload changed.
fn edited(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    chars[5] = if chars[5] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------------------
// Scenarios

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_link_records_the_rating_and_thanks_the_citizen() {
    let site = Site::sqlite().await;
    let reply = site.click(&site.token(0, 4), 4).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body.contains("Gracias por su respuesta"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("4 de 5 estrellas"), "{}", reply.body);
    assert!(reply.body.contains(&site.consultations[0].ticket));
    assert!(reply.body.contains("<label for=\"comentario\">"));
    assert!(reply
        .header("content-type")
        .is_some_and(|v| v.starts_with("text/html")));
    assert_eq!(
        reply.header("content-security-policy"),
        Some("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    );
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let kept = site.answer(0).await;
    assert_eq!((kept.rating, kept.source), (4, RatingSource::Web));
    assert_eq!(
        site.rating(1).await,
        None,
        "the other consultation is untouched"
    );
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_click_or_another_star_keeps_the_first_answer() {
    let site = Site::sqlite().await;
    let first = site.click(&site.token(0, 2), 2).await;
    assert_eq!(first.status, 200);
    let again = site.click(&site.token(0, 2), 2).await;
    assert_eq!(again.status, 200);
    assert!(
        again.body.contains("ya estaba registrada"),
        "{}",
        again.body
    );
    assert!(again.body.contains("2 estrellas"), "{}", again.body);
    let other_star = site.click(&site.token(0, 5), 5).await;
    assert_eq!(other_star.status, 200);
    assert!(other_star
        .body
        .contains("Conservamos la primera respuesta: 2 estrellas"));
    assert_eq!(site.rating(0).await, Some(2));
    let summary = site.store.survey_summary().await.expect("summary");
    assert_eq!(summary.total, 1);
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edited_moved_and_expired_links_are_refused_and_change_nothing() {
    let site = Site::sqlite().await;
    // One character changed.
    let reply = site
        .get(&format!("/encuesta/{}", edited(&site.token(0, 5))))
        .await;
    assert_eq!(reply.status, 400);
    assert!(
        reply.body.contains("Este enlace no es válido"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("número del 1 al 5"), "{}", reply.body);
    // Signed, but naming consultation 0 with consultation 1's ticket: does not match the register.
    let moved = site.key.sign(&SurveyToken {
        consultation_id: site.consultations[0].id,
        ticket: site.consultations[1].ticket.clone(),
        rating: 5,
        expires_at: Utc::now() + TimeDelta::days(1),
    });
    assert_eq!(site.get(&format!("/encuesta/{moved}")).await.status, 400);
    // Signed with another key.
    let foreign = SurveyKey::from_bytes(&[3; 32])
        .expect("key")
        .sign(&SurveyToken {
            consultation_id: site.consultations[0].id,
            ticket: site.consultations[0].ticket.clone(),
            rating: 5,
            expires_at: Utc::now() + TimeDelta::days(1),
        });
    assert_eq!(site.get(&format!("/encuesta/{foreign}")).await.status, 400);
    // Garbage.
    assert_eq!(site.get("/encuesta/hola").await.status, 400);
    // Expired.
    let expired = site.token_expiring(0, 5, Utc::now() - TimeDelta::minutes(1));
    let reply = site.get(&format!("/encuesta/{expired}")).await;
    assert_eq!(reply.status, 410);
    assert!(reply.body.contains("venció"), "{}", reply.body);
    // Nor can they be answered.
    assert_eq!(site.click(&expired, 5).await.status, 410);
    assert_eq!(site.click(&edited(&site.token(0, 5)), 5).await.status, 400);
    // Nor can they comment.
    let comment = site
        .post_form(
            &format!("/encuesta/{expired}/comentario"),
            "comentario=hola",
        )
        .await;
    assert_eq!(comment.status, 410);
    let comment = site
        .post_form(
            &format!("/encuesta/{}/comentario", edited(&site.token(0, 5))),
            "comentario=hola",
        )
        .await;
    assert_eq!(comment.status, 400);
    assert_eq!(site.rating(0).await, None);
    assert_eq!(site.rating(1).await, None);
    assert_eq!(site.store.survey_summary().await.expect("summary").total, 0);
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_is_stored_and_its_html_is_escaped_when_shown() {
    let site = Site::sqlite().await;
    let token = site.token(0, 3);
    assert_eq!(site.click(&token, 3).await.status, 200);
    let written = "Buena atención <script>alert('x')</script> & gracias";
    let reply = site
        .post_form(
            &format!("/encuesta/{token}/comentario"),
            &format!("comentario={}", form_encode(written)),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body.contains("Gracias por su comentario"),
        "{}",
        reply.body
    );
    assert!(
        // Escaped as text: `'` needs no escaping outside an attribute (the templates quote attributes with `"`).
        reply
            .body
            .contains("Buena atención &lt;script&gt;alert('x')&lt;/script&gt; &amp; gracias"),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("<script>"), "{}", reply.body);
    assert_eq!(
        reply.header("content-security-policy"),
        Some("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    );
    let kept = site.answer(0).await;
    assert_eq!(kept.comment.as_deref(), Some(written));
    // A second comment does not replace the first.
    let second = site
        .post_form(&format!("/encuesta/{token}/comentario"), "comentario=otro")
        .await;
    assert_eq!(second.status, 200);
    assert!(
        second.body.contains("conservamos el primero"),
        "{}",
        second.body
    );
    let kept = site.answer(0).await;
    assert_eq!(kept.comment.as_deref(), Some(written));
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_ok_and_503_when_the_register_is_gone() {
    let site = Site::sqlite().await;
    let reply = site.get("/health").await;
    assert_eq!((reply.status, reply.body.trim()), (200, "ok"));
    assert_eq!(site.get("/nada").await.status, 404);
    site.store.close().await;
    assert_eq!(site.get("/health").await.status, 503);
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_megabyte_post_is_refused_with_413() {
    let site = Site::sqlite().await;
    let token = site.token(0, 5);
    assert_eq!(site.click(&token, 5).await.status, 200);
    let size = 1024 * 1024;
    let stream = TcpStream::connect(site.address).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST /encuesta/{token}/comentario HTTP/1.1\r\nHost: encuesta.test\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {size}\r\n\r\ncomentario="
    );
    // Write the body while reading: the server answers before reading it all and may close early.
    let sender = tokio::spawn(async move {
        let _ = writer.write_all(head.as_bytes()).await;
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..16 {
            if writer.write_all(&chunk).await.is_err() {
                break;
            }
        }
    });
    let mut answer = Vec::new();
    let _ = reader.read_to_end(&mut answer).await;
    let reply = Response::parse(&answer).expect("an HTTP answer");
    assert_eq!(reply.status, 413, "{}", reply.body);
    let _ = sender.await;
    let kept = site.answer(0).await;
    assert_eq!(kept.comment, None);
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_the_first_answer_counts_and_bad_links_change_nothing() {
    let site = Site::postgres().await;
    let link = survey_link(
        &format!("http://{}", site.address),
        &site.key,
        &SurveyToken {
            consultation_id: site.consultations[1].id,
            ticket: site.consultations[1].ticket.clone(),
            rating: 5,
            expires_at: Utc::now() + TimeDelta::days(30),
        },
    );
    let path = link
        .strip_prefix(&format!("http://{}", site.address))
        .expect("link on this server");
    assert_eq!(site.get(path).await.status, 200);
    assert_eq!(
        site.rating(1).await,
        None,
        "opening the page records nothing"
    );
    assert_eq!(site.post_form(path, "estrellas=5").await.status, 200);
    assert_eq!(site.click(&site.token(1, 1), 1).await.status, 200);
    assert_eq!(
        site.get(&format!("/encuesta/{}", edited(&site.token(0, 1))))
            .await
            .status,
        400
    );
    assert_eq!(site.rating(1).await, Some(5));
    assert_eq!(site.rating(0).await, None);
    let comment = site
        .post_form(&format!("{path}/comentario"), "comentario=Muy+bien")
        .await;
    assert_eq!(comment.status, 200);
    assert_eq!(site.get("/health").await.status, 200);
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scanners_opening_every_link_record_nothing_and_the_citizens_click_does() {
    let site = Site::sqlite().await;
    // A mail gateway, Safe Links and a preview open all five links, with GET and with HEAD, some twice.
    for stars in 1..=5 {
        let path = format!("/encuesta/{}", site.token(0, stars));
        for _ in 0..2 {
            let page = site.get(&path).await;
            assert_eq!(page.status, 200, "{}", page.body);
            assert!(
                page.body.contains("Enviar mi calificación"),
                "{}",
                page.body
            );
            assert!(
                page.body.contains(&format!("value=\"{stars}\" checked")),
                "the link's stars are preselected: {}",
                page.body
            );
            let head = site.head(&path).await;
            assert_eq!(head.status, 200);
            assert!(head.body.is_empty(), "{}", head.body);
        }
    }
    assert_eq!(site.rating(0).await, None, "no scanner's request counted");
    assert_eq!(site.store.survey_summary().await.expect("summary").total, 0);

    // The citizen opens the four-star link, changes her mind on the page, picks five and writes a comment.
    let token = site.token(0, 4);
    let reply = site
        .post_form(
            &format!("/encuesta/{token}"),
            "estrellas=5&comentario=Muy+clara+la+respuesta",
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("5 de 5 estrellas"), "{}", reply.body);
    assert!(
        reply.body.contains("Muy clara la respuesta"),
        "{}",
        reply.body
    );
    let kept = site.answer(0).await;
    assert_eq!(kept.rating, 5);
    assert_eq!(kept.comment.as_deref(), Some("Muy clara la respuesta"));

    // A scanner that comes back later still records nothing and sees the answer kept.
    let again = site.get(&format!("/encuesta/{}", site.token(0, 1))).await;
    assert!(
        again.body.contains("ya estaba registrada"),
        "{}",
        again.body
    );
    assert_eq!(site.rating(0).await, Some(5));
    // A form without stars (or with a number out of range) records nothing.
    assert_eq!(
        site.post_form(&format!("/encuesta/{}", site.token(1, 3)), "estrellas=9")
            .await
            .status,
        400
    );
    assert_eq!(
        site.post_form(&format!("/encuesta/{}", site.token(1, 3)), "")
            .await
            .status,
        400
    );
    assert_eq!(site.rating(1).await, None);
    site.finish().await;
}
