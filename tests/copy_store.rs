//! Moving an installation from SQLite to PostgreSQL (issue 7, deployment): `triaje copy-store --to URL` on a
//! register made by the real flow (consultations filed over IMAP, acknowledgements sent through Postfix). After
//! the copy the same status and register come out of PostgreSQL, the next consultation gets the next ticket,
//! and a second copy into the now-used database is refused.

mod common;

use common::installation::{Installation, Installed};
use common::MailStack;

const CONSULTAS: &str = "consultas@osce.test";

fn consultation(id: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Ciudadana <ciudadano1@example.test>\r\nTo: {CONSULTAS}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// `triaje status` without its first line (the instant it was taken).
fn status_body(text: &str) -> String {
    text.lines().skip(1).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_sqlite_register_copied_to_postgresql_reads_the_same_and_carries_on() {
    let stack = MailStack::start();
    let sqlite = Installation::plain(&stack).write();
    for (id, subject, body) in [
        (
            "a@example.test",
            "Clave SEACE",
            "No puedo ingresar al SEACE, olvide la contraseña.",
        ),
        (
            "b@example.test",
            "Inscripción RNP",
            "Quiero inscribirme en el Registro Nacional de Proveedores.",
        ),
        ("c@example.test", "Hola", "Buenos días."),
    ] {
        stack
            .append(CONSULTAS, "INBOX", &consultation(id, subject, body), None)
            .await;
    }
    let (ok, out) = sqlite.run(&["once"]);
    assert!(ok, "{out}");
    let (_, before) = sqlite.run(&["status"]);
    // The register of the day the consultations count from (today, or the next business day after hours).
    let store = sqlite.store().await;
    let day = store.consultations(None).await.unwrap()[0]
        .effective_received_at
        .with_timezone(&chrono_tz::America::Lima)
        .format("%Y-%m-%d")
        .to_string();
    store.close().await;
    let register = |installed: &Installed, file: &str| {
        let path = sqlite.dir.path().join(file);
        let (ok, out) = installed.run(&[
            "report",
            "register",
            "--day",
            &day,
            "--format",
            "csv",
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(ok, "{out}");
        std::fs::read_to_string(path).unwrap()
    };
    let register_before = register(&sqlite, "antes.csv");
    assert_eq!(register_before.lines().count(), 4, "{register_before}");

    let (pg_url, _pg) = common::fresh_pg_database();
    let (ok, out) = sqlite.run(&["copy-store", "--to", &pg_url]);
    assert!(ok, "{out}");
    assert!(out.contains("consultations    3 filas"), "{out}");
    assert!(out.contains("Ahora cambie database_url"), "{out}");

    let pg = Installation::plain(&stack).database(&pg_url).write();
    let (_, after) = pg.run(&["status"]);
    assert_eq!(status_body(&after), status_body(&before), "{after}");
    let register_after = register(&pg, "despues.csv");
    assert_eq!(register_after, register_before);

    // The next consultation continues the numbering on PostgreSQL.
    stack
        .append(
            CONSULTAS,
            "INBOX",
            &consultation(
                "d@example.test",
                "Clave SEACE",
                "Mi usuario del SEACE esta bloqueado.",
            ),
            None,
        )
        .await;
    let (ok, out) = pg.run(&["once"]);
    assert!(ok, "{out}");
    assert!(out.contains("-000004"), "the fourth ticket: {out}");
    let store = triaje::store::Store::connect(&pg_url).await.unwrap();
    assert_eq!(store.consultations(None).await.unwrap().len(), 4);
    store.close().await;

    // A second copy into a database in use is refused, and changes nothing.
    let (ok, out) = sqlite.run(&["copy-store", "--to", &pg_url]);
    assert!(!ok && out.contains("ya tiene consultas"), "{out}");
}
