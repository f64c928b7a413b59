//! No secrets and no citizen's words in the log, at any level (issue 6, part 7): the whole flow — a consultation
//! filed and acknowledged by `triaje once`, then under `triaje run` a reply drafted, sent with its survey, the
//! survey clicked and the dashboard logged into — with `--log trace` (and `RUST_LOG=trace`), over IMAPS and SMTP
//! with STARTTLS and AUTH (a throw-away CA), and the passwords, the survey key, the survey token, the body and the
//! reply's text looked for in everything triaje wrote.
//!
//! What it guards against is mostly the libraries: at `trace` async-imap writes every IMAP line (the LOGIN
//! command, whole messages); `cli::logging` caps them.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

fn config(dir: &Path, stack: &MailStack, ca: &Path, web_port: u16) -> std::path::PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            r#"data_dir = "{data}"
rules_dir = "{rules}"

[triage]
poll_seconds = 1

[replies]
supervisor = "supervisor@osce.test"
check_seconds = 1

[outbox]
retry_first_seconds = 1
retry_max_seconds = 2

[web]
bind = "127.0.0.1:{web_port}"
public_url = "http://127.0.0.1:{web_port}"
survey_key_env = "TEST_SURVEY_KEY"
dashboard_password_env = "TEST_DASHBOARD_PASSWORD"

[[mailbox]]
name = "consultas"
address = "{CONSULTAS}"
display_name = "Consultas OSCE"
[mailbox.imap]
host = "127.0.0.1"
port = {imap}
tls = "implicit"
ca_file = "{ca}"
username = "{CONSULTAS}"
password_env = "TEST_IMAP_PASSWORD"
[mailbox.smtp]
host = "127.0.0.1"
port = {smtp}
tls = "starttls"
ca_file = "{ca}"
username = "{CONSULTAS}"
password_env = "TEST_SMTP_PASSWORD"
"#,
            data = dir.join("data").display(),
            rules = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("rules")
                .display(),
            imap = stack.imaps_port.expect("imaps port"),
            smtp = stack.smtp_port,
            ca = ca.display(),
        ),
    )
    .unwrap();
    path
}

/// `triaje` with the secrets in its environment and every log level on.
fn triaje(config: &Path) -> Command {
    let mut c = Command::new(common::triaje_bin());
    c.arg("--config")
        .arg(config)
        .args(["--log", "trace"])
        .env("RUST_LOG", "trace")
        .env_remove("TRIAJE_LOG")
        .env("TEST_IMAP_PASSWORD", IMAP_PASSWORD)
        .env("TEST_SMTP_PASSWORD", IMAP_PASSWORD)
        .env("TEST_SURVEY_KEY", SURVEY_KEY)
        .env("TEST_DASHBOARD_PASSWORD", DASHBOARD_PASSWORD);
    c
}

/// One HTTP/1.1 request over a plain connection; the whole answer.
fn http(port: u16, request: &str) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("web server");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).to_string()
}

fn get(port: u16, path: &str) -> String {
    http(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    )
}

fn post(port: u16, path: &str, form: &str) -> String {
    http(
        port,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        ),
    )
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
    let dir = tempfile::tempdir().unwrap();
    let web_port = common::free_port();
    let config = config(dir.path(), &stack, &ca.cert, web_port);
    let timeout = Duration::from_secs(30);

    // 1. A consultation, filed and acknowledged by `triaje once`.
    let consultation = format!(
        "From: Ciudadano <{CITIZEN}>\r\nTo: {CONSULTAS}\r\nSubject: No puedo entrar al SEACE\r\n\
         Message-ID: <secreto-1@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         No puedo ingresar al SEACE, mi usuario esta bloqueado. {BODY}\r\n"
    );
    stack.send(CITIZEN, &[CONSULTAS], consultation.as_bytes());
    stack.wait_for(CONSULTAS, "INBOX", 1, timeout).await;
    let once = triaje(&config).arg("once").output().unwrap();
    let mut log = format!(
        "{}{}",
        String::from_utf8_lossy(&once.stdout),
        String::from_utf8_lossy(&once.stderr)
    );
    assert!(once.status.success(), "{log}");
    let filed = stack.wait_for(CONSULTAS, "SEACE", 1, timeout).await;
    let db = common::sqlite_store(dir.path()).await;
    let ticket = common::consultation_of(&db, &filed[0]).await.ticket;
    stack.wait_for(CITIZEN, "INBOX", 1, timeout).await;

    // 2. Under `triaje run`: the assistant's reply goes out with its survey.
    let run_log = dir.path().join("run.log");
    let mut child = triaje(&config)
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
    assert!(page.contains("Enviar mi calificación"), "{page}");
    let page = post(web_port, &links[3], "estrellas=4");
    assert!(page.contains("Gracias"), "{page}");
    let thanks = post(
        web_port,
        &format!("{}/comentario", links[3]),
        &format!("comentario={COMMENT}"),
    );
    assert!(thanks.starts_with("HTTP/1.1 200"), "{thanks}");
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
    assert!(login.contains("triaje_panel="), "{login}");

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
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("consultas.token");
    let first_refresh_token = provider.issue_refresh_token("cliente-refresh", CONSULTAS);
    std::fs::write(&token_file, format!("{first_refresh_token}\n")).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            r#"data_dir = "{data}"
rules_dir = "{rules}"

[[mailbox]]
name = "consultas"
address = "{CONSULTAS}"
[mailbox.imap]
host = "127.0.0.1"
port = {imap}
tls = "none"
username = "{CONSULTAS}"
auth = "oauth2"
mechanism = "xoauth2"
[mailbox.smtp]
host = "127.0.0.1"
port = {smtp}
tls = "none"
username = "{CONSULTAS}"
auth = "oauth2"
[mailbox.oauth]
provider = "refresh_token"
token_url = "{token_url}"
client_id = "cliente-refresh"
client_secret_env = "TEST_PUBLIC_SECRET"
refresh_token_file = "{token_file}"

[[mailbox]]
name = "contacto"
address = "{CONTACTO}"
[mailbox.imap]
host = "127.0.0.1"
port = {imap}
tls = "none"
username = "{CONTACTO}"
auth = "oauth2"
[mailbox.oauth]
provider = "microsoft"
tenant = "osce.test"
client_id = "app-m365"
client_secret_env = "TEST_APP_SECRET"
token_url = "{token_url}"
"#,
            data = dir.path().join("data").display(),
            rules = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("rules")
                .display(),
            imap = stack.imap_port,
            smtp = stack.smtp_port,
            token_url = provider.token_url(),
            token_file = token_file.display(),
        ),
    )
    .unwrap();
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
    let once = Command::new(common::triaje_bin())
        .arg("--config")
        .arg(&config)
        .args(["--log", "trace", "once"])
        .env("RUST_LOG", "trace")
        .env_remove("TRIAJE_LOG")
        .env("TEST_APP_SECRET", APP_SECRET)
        .env("TEST_PUBLIC_SECRET", PUBLIC_SECRET)
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&once.stdout),
        String::from_utf8_lossy(&once.stderr)
    );
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
