//! Learning from the coordinator's corrections, against a real Dovecot: three misfiled consultations dragged
//! to their folder by hand teach the learned opinion, and the next one like them is filed right, with
//! `rules test` saying why; `rules evaluate --from-register` measures the rules on those confirmed filings.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::MailStack;
use triaje::rules::learned::HEADER;

/// A consultation about a procedure the shipped rules do not know, which this office answers in the RNP team.
fn consultation(n: u32, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Proveedora {n} <proveedora{n}@example.test>\r\nTo: consultas@osce.test\r\nSubject: {subject}\r\n\
         Message-ID: <adeudo-{n}-{}@example.test>\r\nDate: Wed, 04 Nov 2026 09:00:00 -0500\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        std::process::id()
    )
    .into_bytes()
}

const MISFILED: [(&str, &str); 3] = [
    (
        "no adeudo ventanilla",
        "Para la convocatoria de la municipalidad me piden el no adeudo de la ventanilla única. ¿Dónde se saca?",
    ),
    (
        "no adeudo para convocatoria",
        "Hola, ¿el no adeudo de la ventanilla única se saca en línea? Lo necesito para una convocatoria de obra.",
    ),
    (
        "Consulta convocatoria",
        "Señores, para participar en la convocatoria piden la constancia de no adeudo de la ventanilla única. \
         ¿Cómo la obtengo?",
    ),
];

const NEW: (&str, &str) = (
    "no adeudo",
    "Estimados, ¿dónde pido la constancia de no adeudo de la ventanilla única? Es para presentarme a una \
     convocatoria del hospital.",
);

fn write_config(dir: &Path, stack: &MailStack) -> PathBuf {
    let data = dir.join("data");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            r#"data_dir = "{data}"
database_url = "sqlite://{data}/triaje.db"
rules_dir = "{rules}"

[[mailbox]]
name = "consultas"
address = "consultas@osce.test"
[mailbox.imap]
host = "127.0.0.1"
port = {port}
tls = "none"
username = "consultas@osce.test"
password = "secret"
"#,
            data = data.display(),
            rules = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("rules")
                .display(),
            port = stack.imap_port,
        ),
    )
    .unwrap();
    config
}

fn triaje(config: &Path, args: &[&str]) -> String {
    let out = Command::new(common::triaje_bin())
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "triaje {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[tokio::test(flavor = "multi_thread")]
async fn three_corrections_teach_where_the_next_one_goes() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &stack);
    const USER: &str = "consultas@osce.test";

    // The rules alone do not file this kind of consultation in RNP.
    let new_file = dir.path().join("nueva.eml");
    std::fs::write(&new_file, consultation(9, NEW.0, NEW.1)).unwrap();
    let before = triaje(&config, &["rules", "test", new_file.to_str().unwrap()]);
    assert!(!before.contains("Carpeta: RNP"), "{before}");

    for (n, (subject, body)) in MISFILED.iter().enumerate() {
        stack
            .append(USER, "INBOX", &consultation(n as u32, subject, body), None)
            .await;
    }
    triaje(&config, &["once"]);
    let mut misfiled = 0;
    for folder in ["SEACE", "Legal", "Por clasificar"] {
        misfiled += stack.messages(USER, folder).await.len();
    }
    assert_eq!(
        misfiled, 3,
        "the three went to a wrong folder or to «Por clasificar»"
    );

    // The coordinator drags them to RNP; the next pass records the corrections.
    let mut coordinator = stack.imap(USER).await;
    for folder in ["SEACE", "Legal", "Por clasificar"] {
        if !coordinator.messages(folder).await.is_empty() {
            coordinator.move_all(folder, "RNP").await;
        }
    }
    coordinator.logout().await;
    triaje(&config, &["once"]);

    // `rules learn` reads them back from the server and trains.
    let learned = triaje(&config, &["rules", "learn"]);
    assert!(
        learned.contains("3 clasificaciones confirmadas (3 correcciones a mano"),
        "{learned}"
    );

    // `rules test` now files the new one in RNP, by the learned opinion, naming the words.
    let after = triaje(&config, &["rules", "test", new_file.to_str().unwrap()]);
    assert!(after.contains("Carpeta: RNP"), "{after}");
    assert!(after.contains("modelo 1 del registro"), "{after}");
    assert!(after.contains("adeudo"), "{after}");

    // The register's confirmed filings, evaluated with the new model: the three corrections are now right.
    let evaluated = triaje(
        &config,
        &["rules", "evaluate", "--from-register", "--months", "3"],
    );
    assert!(
        evaluated.contains("3 consultas con la carpeta confirmada"),
        "{evaluated}"
    );
    assert!(evaluated.contains("Aciertos: 3 (1.000)"), "{evaluated}");

    // And so does triage.
    stack
        .append(USER, "INBOX", &consultation(9, NEW.0, NEW.1), None)
        .await;
    triaje(&config, &["once"]);
    let rnp = stack.messages(USER, "RNP").await;
    assert_eq!(
        rnp.len(),
        4,
        "the three corrected and the new one are in RNP"
    );

    // An upgrade that reads texts otherwise (the learned opinion's features changed): what the older build stored —
    // features without their reading's tag, a model's counts of the first reading — is forgotten, the corrected
    // messages are read again from the server, and the opinion learns them anew instead of mixing two readings.
    {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}/data/triaje.db", dir.path().display());
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        for older in [
            "UPDATE routing_examples SET features = substr(features, 5) WHERE length(features) > 0".to_string(),
            format!("UPDATE routing_models SET counts = replace(counts, '{HEADER}', 'triaje-modelo-bayes 1')"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(older)).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }
    let relearned = triaje(&config, &["rules", "learn"]);
    assert!(
        relearned.contains("3 clasificaciones confirmadas nuevas leídas del servidor"),
        "{relearned}"
    );
    assert!(
        relearned.contains("3 clasificaciones confirmadas (3 correcciones a mano"),
        "{relearned}"
    );
    let after_upgrade = triaje(&config, &["rules", "test", new_file.to_str().unwrap()]);
    assert!(after_upgrade.contains("Carpeta: RNP"), "{after_upgrade}");
}

/// Complaints about the «ventanilla única» that the kind rules see only half of («sin respuesta», 1.5 points of
/// the 2 a complaint needs) and the shipped kind seed reads as consultations (its words are a procedure's, and each
/// ends on a question; a seed trained on more complaints reads the angrier wordings as complaints by itself).
const COMPLAINTS: [(&str, &str); 2] = [
    (
        "Constancia de no adeudo",
        "Pedí la constancia de no adeudo en la ventanilla única de proveedores y sin respuesta. ¿Cuánto demora el \
         trámite del no adeudo?",
    ),
    (
        "Trámite de no adeudo",
        "Otra vez la ventanilla única: pedí el no adeudo y sin respuesta. ¿Cuánto demora el trámite de la \
         ventanilla única de proveedores?",
    ),
];

const NEW_COMPLAINT: (&str, &str) = (
    "Ventanilla única de proveedores",
    "Pedí el no adeudo a la ventanilla única y sin respuesta. ¿Qué pasa con ese trámite?",
);

#[tokio::test(flavor = "multi_thread")]
async fn two_complaints_dragged_into_reclamos_teach_the_kind_of_the_third() {
    let stack = MailStack::start();
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &stack);
    const USER: &str = "consultas@osce.test";

    // Before: the rules give the complaint 1.5 points, the seed's vote says consultation.
    let new_file = dir.path().join("reclamo.eml");
    std::fs::write(
        &new_file,
        consultation(29, NEW_COMPLAINT.0, NEW_COMPLAINT.1),
    )
    .unwrap();
    let before = triaje(&config, &["rules", "test", new_file.to_str().unwrap()]);
    assert!(before.contains("Clase de atención: consulta"), "{before}");

    for (n, (subject, body)) in COMPLAINTS.iter().enumerate() {
        stack
            .append(
                USER,
                "INBOX",
                &consultation(20 + n as u32, subject, body),
                None,
            )
            .await;
    }
    triaje(&config, &["once"]);
    assert!(
        stack.messages(USER, "Reclamos").await.is_empty(),
        "the rules missed both complaints"
    );

    // The coordinator drags them into «Reclamos»; the next pass records the corrections of the kind.
    let mut coordinator = stack.imap(USER).await;
    for folder in ["SEACE", "RNP", "Legal", "Por clasificar"] {
        if !coordinator.messages(folder).await.is_empty() {
            coordinator.move_all(folder, "Reclamos").await;
        }
    }
    coordinator.logout().await;
    triaje(&config, &["once"]);

    let learned = triaje(&config, &["rules", "learn"]);
    assert!(
        learned.contains("2 clasificaciones confirmadas (2 correcciones a mano"),
        "{learned}"
    );
    assert!(learned.contains("Clases de atención:"), "{learned}");

    // `rules test` now reads the third as a complaint, the kind's vote naming the words.
    let after = triaje(&config, &["rules", "test", new_file.to_str().unwrap()]);
    assert!(after.contains("Clase de atención: reclamo"), "{after}");
    assert!(
        after.contains("opinión aprendida sobre la clase"),
        "{after}"
    );

    // And triage files it in «Reclamos».
    stack
        .append(
            USER,
            "INBOX",
            &consultation(29, NEW_COMPLAINT.0, NEW_COMPLAINT.1),
            None,
        )
        .await;
    triaje(&config, &["once"]);
    assert_eq!(
        stack.messages(USER, "Reclamos").await.len(),
        3,
        "the two corrected and the new one are in «Reclamos»"
    );
}
