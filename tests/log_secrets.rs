//! No secrets and no citizen's words in the log, at any level (issue 6, part 7): the whole flow — a consultation
//! filed and acknowledged by `triaje once`, then under `triaje run` a reply drafted, sent with its survey, the
//! survey clicked and the dashboard logged into — with `--log trace` (and `RUST_LOG=trace`), over IMAPS and SMTP
//! with STARTTLS and AUTH (a throw-away CA), and the passwords, the survey key, the survey token, the body and the
//! reply's text looked for in everything triaje wrote.
//!
//! What it guards against is mostly the libraries: at `trace` async-imap writes every IMAP line (the LOGIN
//! command, whole messages); `cli::logging` caps them.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::http::{Client, Request, Response};
use common::installation::{output_text, Installation, Installed, Mailbox, SURVEY_KEY_ENV};
use common::{MailStack, StackOptions, StoredMessage, TestCa};

const CONSULTAS: &str = "consultas@osce.test";
const CITIZEN: &str = "ciudadano1@example.test";
/// Every account's password on this stack (IMAP and SMTP AUTH; triaje reads it from two variables).
const IMAP_PASSWORD: &str = "Clave-IMAP-9c41e7";
const SURVEY_KEY: &str = "clave-encuesta-secreta-4b7d-0123456789abcdef";
const DASHBOARD_PASSWORD: &str = "clave-panel-secreta-2e8a";
const BODY: &str = "CUERPO-SECRETO-7f3a";
const REPLY_TEXT: &str = "RESPUESTA-SECRETA-7f3a";
const COMMENT: &str = "COMENTARIO-SECRETO-7f3a";

/// The installation of the first scenario: IMAP over implicit TLS and SMTP over STARTTLS with a private CA, both
/// logging in with a password from the environment, and the dashboard on.
fn installation(stack: &MailStack, ca: &Path) -> Installed {
    let ca_file = format!("ca_file = \"{}\"", ca.display());
    Installation::new(stack)
        .set(
            "web",
            "dashboard_password_env = \"TEST_DASHBOARD_PASSWORD\"",
        )
        .each_mailbox(|m| {
            m.set(
                "imap",
                &format!("port = {}", stack.imaps_port.expect("imaps port")),
            )
            .set("imap", "tls = \"implicit\"")
            .set("imap", &ca_file)
            .unset("imap", "password")
            .set("imap", "password_env = \"TEST_IMAP_PASSWORD\"")
            .set("smtp", "tls = \"starttls\"")
            .set("smtp", &ca_file)
            .set("smtp", &format!("username = \"{CONSULTAS}\""))
            .set("smtp", "password_env = \"TEST_SMTP_PASSWORD\"")
        })
        .env("TEST_IMAP_PASSWORD", IMAP_PASSWORD)
        .env("TEST_SMTP_PASSWORD", IMAP_PASSWORD)
        .env(SURVEY_KEY_ENV, SURVEY_KEY)
        .env("TEST_DASHBOARD_PASSWORD", DASHBOARD_PASSWORD)
        .write()
}

/// `triaje` of `installed` with every log level on.
fn traced(installed: &Installed) -> Command {
    let mut c = installed.command();
    c.args(["--log", "trace"])
        .env("RUST_LOG", "trace")
        .env_remove("TRIAJE_LOG");
    c
}

/// A GET to the daemon's web server.
fn get(port: u16, path: &str) -> Response {
    Client::local(port)
        .send(&Request::get(path))
        .expect("web server")
}

/// A form POST to the daemon's web server.
fn post(port: u16, path: &str, form: &str) -> Response {
    Client::local(port)
        .send(&Request::form(path, form))
        .expect("web server")
}

fn body(m: &StoredMessage) -> String {
    mail_parser::MessageParser::default()
        .parse(&m.raw)
        .and_then(|p| p.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_secret_or_personal_reaches_the_log_even_at_trace() {
    let ca = TestCa::new("CA de prueba triaje");
    let (cert, key) = ca.issue("mail", &["127.0.0.1"]);
    let stack = MailStack::start_with(StackOptions {
        password: Some(IMAP_PASSWORD.to_string()),
        tls: Some((cert, key)),
        smtp_auth: true,
        ..StackOptions::default()
    });
    let installed = installation(&stack, &ca.cert);
    let dir = &installed.dir;
    let web_port = installed.web_port;
    let timeout = Duration::from_secs(30);

    // 1. A consultation, filed and acknowledged by `triaje once`.
    let consultation = format!(
        "From: Ciudadano <{CITIZEN}>\r\nTo: {CONSULTAS}\r\nSubject: No puedo entrar al SEACE\r\n\
         Message-ID: <secreto-1@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         No puedo ingresar al SEACE, mi usuario esta bloqueado. {BODY}\r\n"
    );
    stack.send(CITIZEN, &[CONSULTAS], consultation.as_bytes());
    stack.wait_for(CONSULTAS, "INBOX", 1, timeout).await;
    let once = traced(&installed).arg("once").output().unwrap();
    let mut log = output_text(&once);
    assert!(once.status.success(), "{log}");
    let filed = stack.wait_for(CONSULTAS, "SEACE", 1, timeout).await;
    let db = installed.store().await;
    let ticket = common::consultation_of(&db, &filed[0]).await.ticket;
    stack.wait_for(CITIZEN, "INBOX", 1, timeout).await;

    // 2. Under `triaje run`: the assistant's reply goes out with its survey.
    let run_log = dir.path().join("run.log");
    let mut child = traced(&installed)
        .arg("run")
        .stdout(std::fs::File::create(dir.path().join("run.out")).unwrap())
        .stderr(std::fs::File::create(&run_log).unwrap())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let draft = format!(
        "From: Consultas OSCE <{CONSULTAS}>\r\nTo: {CITIZEN}\r\nSubject: RE: No puedo entrar al SEACE\r\n\
         Message-ID: <borrador-secreto@osce.test>\r\nIn-Reply-To: <secreto-1@example.test>\r\n\
         References: <secreto-1@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Su usuario ya fue desbloqueado. {REPLY_TEXT}\r\n\r\nAtentamente,\r\nAna Torres\r\n"
    );
    stack
        .append(CONSULTAS, "Por enviar", draft.as_bytes(), None)
        .await;
    let inbox = stack.wait_for(CITIZEN, "INBOX", 2, timeout).await;
    let reply = inbox
        .iter()
        .find(|m| m.subject.starts_with("RE:"))
        .expect("the reply");
    let links: Vec<String> = body(reply)
        .lines()
        .filter_map(|l| l.split_once(&format!("http://127.0.0.1:{web_port}")))
        .map(|(_, path)| path.trim().to_string())
        .collect();
    assert_eq!(links.len(), 5, "{}", body(reply));
    let token = links[3]
        .strip_prefix("/encuesta/")
        .expect("a survey link")
        .to_string();
    assert!(token.len() >= 20, "the token of {}", links[3]);

    // 3. The citizen clicks four stars and comments; the coordinator logs in (once wrong, once right).
    let page = get(web_port, &links[3]);
    assert!(page.body.contains("Enviar mi calificación"), "{page:?}");
    let page = post(web_port, &links[3], "estrellas=4");
    assert!(page.body.contains("Gracias"), "{page:?}");
    let thanks = post(
        web_port,
        &format!("{}/comentario", links[3]),
        &format!("comentario={COMMENT}"),
    );
    assert_eq!(thanks.status, 200, "{thanks:?}");
    post(
        web_port,
        "/panel/ingreso",
        "usuario=coordinador&contrasena=clave-equivocada-1234",
    );
    let login = post(
        web_port,
        "/panel/ingreso",
        &format!("usuario=coordinador&contrasena={DASHBOARD_PASSWORD}"),
    );
    assert!(
        login
            .header("set-cookie")
            .is_some_and(|c| c.contains("triaje_panel=")),
        "{login:?}"
    );

    // Let the daemon finish its passes (the reply filed as answered), then stop it.
    let start = Instant::now();
    while !stack
        .messages(CONSULTAS, "Atendidas")
        .await
        .iter()
        .any(|m| m.message_id.as_deref() == Some("secreto-1@example.test"))
    {
        assert!(start.elapsed() < timeout, "the answer was not filed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    log.push_str(&std::fs::read_to_string(&run_log).unwrap());
    log.push_str(&std::fs::read_to_string(dir.path().join("run.out")).unwrap());

    // triaje did log in to the SMTP server (so its password was in play)…
    let postfix = std::fs::read_to_string(stack.dir.join("log/postfix.log")).unwrap_or_default();
    assert!(
        postfix.contains(&format!("sasl_username={CONSULTAS}")),
        "triaje sent without SMTP AUTH:\n{postfix}"
    );
    // …the log is there (it names the ticket)…
    assert!(log.contains(&ticket), "the log names the ticket:\n{log}");
    // …and holds none of these.
    for (what, secret) in [
        ("the IMAP and SMTP password", IMAP_PASSWORD),
        ("the survey key", SURVEY_KEY),
        ("the dashboard password", DASHBOARD_PASSWORD),
        ("the survey token", token.as_str()),
        ("the consultation's body", BODY),
        ("the reply's text", REPLY_TEXT),
        ("the survey comment", COMMENT),
    ] {
        if let Some(at) = log.find(secret) {
            let from = log[..at].rfind('\n').map_or(0, |n| n + 1);
            let to = log[at..].find('\n').map_or(log.len(), |n| at + n);
            panic!("{what} is in the log: {}", &log[from..to]);
        }
    }
}

/// OAuth (issue 19): the client secret, the refresh tokens (the one in the file and the one it was rotated to),
/// every access token, and the SASL messages that carry them, in none of what `triaje --log trace once` wrote
/// while it filed and acknowledged over IMAP and SMTP with OAuth.
#[tokio::test(flavor = "multi_thread")]
async fn no_oauth_secret_or_token_reaches_the_log_even_at_trace() {
    use common::oauth_provider::{ClientCredential, OAuthProvider};
    const CONTACTO: &str = "contacto@osce.test";
    const APP_SECRET: &str = "Secreto-App-M365-5d9e";
    const PUBLIC_SECRET: &str = "Secreto-Cliente-Refresh-8a1f";
    let provider = OAuthProvider::start();
    provider.register_client(
        "app-m365",
        ClientCredential::Secret(APP_SECRET.into()),
        Some(CONTACTO),
    );
    provider.register_client("cliente-refresh", ClientCredential::Public, None);
    let stack = MailStack::start_with(StackOptions {
        smtp_auth: true,
        oauth_introspection: Some(provider.introspection_url()),
        ..StackOptions::default()
    });
    let installation = Installation::plain(&stack);
    let token_file = installation.dir().join("consultas.token");
    let first_refresh_token = provider.issue_refresh_token("cliente-refresh", CONSULTAS);
    std::fs::write(&token_file, format!("{first_refresh_token}\n")).unwrap();
    let token_url = format!("token_url = \"{}\"", provider.token_url());
    let installed = installation
        .no_mailboxes()
        .mailbox(
            Mailbox::new("consultas", &stack)
                .unset("imap", "password")
                .set("imap", "auth = \"oauth2\"")
                .set("imap", "mechanism = \"xoauth2\"")
                .set("smtp", &format!("username = \"{CONSULTAS}\""))
                .set("smtp", "auth = \"oauth2\"")
                .set("oauth", "provider = \"refresh_token\"")
                .set("oauth", &token_url)
                .set("oauth", "client_id = \"cliente-refresh\"")
                .set("oauth", "client_secret_env = \"TEST_PUBLIC_SECRET\"")
                .set(
                    "oauth",
                    &format!("refresh_token_file = \"{}\"", token_file.display()),
                ),
        )
        .mailbox(
            Mailbox::new("contacto", &stack)
                .without("smtp")
                .unset("imap", "password")
                .set("imap", "auth = \"oauth2\"")
                .set("oauth", "provider = \"microsoft\"")
                .set("oauth", "tenant = \"osce.test\"")
                .set("oauth", "client_id = \"app-m365\"")
                .set("oauth", "client_secret_env = \"TEST_APP_SECRET\"")
                .set("oauth", &token_url),
        )
        .env("TEST_APP_SECRET", APP_SECRET)
        .env("TEST_PUBLIC_SECRET", PUBLIC_SECRET)
        .write();
    for to in [CONSULTAS, CONTACTO] {
        let message = format!(
            "From: Ciudadano <{CITIZEN}>\r\nTo: {to}\r\nSubject: No puedo entrar al SEACE\r\n\
             Message-ID: <oauth-{to}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             No puedo ingresar al SEACE, mi usuario esta bloqueado.\r\n"
        );
        stack.send(CITIZEN, &[to], message.as_bytes());
        stack
            .wait_for(to, "INBOX", 1, Duration::from_secs(30))
            .await;
    }
    let once = traced(&installed).arg("once").output().unwrap();
    let log = output_text(&once);
    assert!(once.status.success(), "{log}");
    stack
        .wait_for(CONSULTAS, "SEACE", 1, Duration::from_secs(30))
        .await;
    stack
        .wait_for(CONTACTO, "SEACE", 1, Duration::from_secs(30))
        .await;
    stack
        .wait_for(CITIZEN, "INBOX", 1, Duration::from_secs(30))
        .await;
    // The tokens were really used: the file was rotated, Postfix saw the OAuth login.
    let rotated = std::fs::read_to_string(&token_file)
        .unwrap()
        .trim()
        .to_string();
    assert_ne!(rotated, first_refresh_token);
    let postfix = std::fs::read_to_string(stack.dir.join("log/postfix.log")).unwrap_or_default();
    assert!(
        postfix.contains(&format!("sasl_username={CONSULTAS}")),
        "{postfix}"
    );
    assert!(log.contains("obtained an access token"), "{log}");

    let mut secrets: Vec<(String, String)> = vec![
        ("the application's client secret".into(), APP_SECRET.into()),
        ("the refresh client's secret".into(), PUBLIC_SECRET.into()),
    ];
    let b64 = |bytes: &[u8]| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    // The SASL messages exactly as they went to IMAP and SMTP (OAUTHBEARER names the server's port).
    for token in provider.tokens() {
        for mechanism in [
            triaje::oauth::Mechanism::XOAuth2,
            triaje::oauth::Mechanism::OAuthBearer,
        ] {
            for account in [CONSULTAS, CONTACTO] {
                for port in [stack.imap_port, stack.smtp_port] {
                    let exchange = triaje::oauth::SaslExchange::new(
                        mechanism,
                        account,
                        &triaje::config::Secret::new(token.clone()),
                        "127.0.0.1",
                        port,
                    );
                    secrets.push((
                        format!("a {} message", mechanism.name()),
                        b64(exchange.initial_response()),
                    ));
                }
            }
        }
        secrets.push(("a token".into(), token));
    }
    for (what, secret) in &secrets {
        if let Some(at) = log.find(secret.as_str()) {
            let from = log[..at].rfind('\n').map_or(0, |n| n + 1);
            let to = log[at..].find('\n').map_or(log.len(), |n| at + n);
            panic!("{what} is in the log: {}", &log[from..to]);
        }
    }
}
