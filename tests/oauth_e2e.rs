//! OAuth 2.0 logins end to end (issue 19), on the real servers: Dovecot with its oauth2 passdb checks every token
//! by introspection at a token endpoint on loopback (the only stand-in: `common::oauth_provider`), and Postfix
//! authenticates SMTP through Dovecot. triaje files over IMAP and sends acknowledgements and replies over SMTP
//! with XOAUTH2 and with OAUTHBEARER, for Microsoft 365 app-only (secret and certificate), a Google service
//! account and a refresh token obtained with `triaje oauth login`; tokens that expire under `triaje run` are
//! renewed without losing or repeating anything; a disabled application is reported and recovers.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use common::installation::{Installation, Installed, Mailbox};
use common::oauth_provider::{ClientCredential, OAuthProvider, RsaKey};
use common::{http_get, MailStack, StackOptions, StoredMessage};

const CONSULTAS: &str = "consultas@osce.test";
const CONTACTO: &str = "contacto@osce.test";
const CITIZEN: &str = "ciudadano1@example.test";
const APP: &str = "5f1c8a2e-0b7d-4c61-9e3a-triaje";
const APP_SECRET: &str = "Qx8~secreto-del-cliente-de-prueba";
const WAIT: Duration = Duration::from_secs(60);

/// A mail stack whose Dovecot and Postfix accept the provider's tokens.
fn stack_for(provider: &OAuthProvider) -> MailStack {
    MailStack::start_with(StackOptions {
        smtp_auth: true,
        oauth_introspection: Some(provider.introspection_url()),
        ..StackOptions::default()
    })
}

/// An installation of triaje: `consultas` logs in with `oauth` (the `[mailbox.oauth]` keys) and the given
/// mechanisms; `contacto`, when asked for, with its password.
fn installation(
    stack: &MailStack,
    oauth: &str,
    mechanisms: (&str, &str),
    with_contacto: bool,
) -> Installed {
    let consultas = Mailbox::displayed("consultas", stack)
        .unset("imap", "password")
        .set("imap", "auth = \"oauth2\"")
        .set("imap", &format!("mechanism = \"{}\"", mechanisms.0))
        .set("smtp", &format!("username = \"{CONSULTAS}\""))
        .set("smtp", "auth = \"oauth2\"")
        .set("smtp", &format!("mechanism = \"{}\"", mechanisms.1))
        .set_lines("oauth", oauth);
    let mut installation = Installation::new(stack)
        .unset("replies", "supervisor")
        .set("acknowledgement", "per_sender_per_hour = 100")
        .no_mailboxes()
        .mailbox(consultas)
        .env("TEST_APP_SECRET", APP_SECRET);
    if with_contacto {
        installation = installation.mailbox(Mailbox::new("contacto", stack).without("smtp"));
    }
    installation.write()
}

/// `triaje once`, which must succeed; its output.
fn once(office: &Installed) -> String {
    let (ok, text) = office.run(&["--log", "info", "once"]);
    assert!(ok, "triaje once failed:\n{text}");
    text
}

/// `triaje status`, as printed on both outputs.
fn status_of(office: &Installed) -> String {
    office.run(&["status"]).1
}

fn microsoft_secret(provider: &OAuthProvider) -> String {
    format!(
        "provider = \"microsoft\"\ntenant = \"osce.test\"\nclient_id = \"{APP}\"\n\
         client_secret_env = \"TEST_APP_SECRET\"\ntoken_url = \"{}\"\n",
        provider.token_url()
    )
}

fn consultation(id: &str, subject: &str) -> Vec<u8> {
    format!(
        "From: Ciudadano <{CITIZEN}>\r\nTo: {CONSULTAS}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         No puedo ingresar al SEACE, mi usuario esta bloqueado y olvide la contraseña.\r\n"
    )
    .into_bytes()
}

/// The draft an assistant saves after pressing Reply on consultation `id`.
fn draft(id: &str, subject: &str) -> Vec<u8> {
    format!(
        "From: Consultas OSCE <{CONSULTAS}>\r\nTo: {CITIZEN}\r\nSubject: RE: {subject}\r\n\
         Message-ID: <borrador-{id}>\r\nIn-Reply-To: <{id}>\r\nReferences: <{id}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nSu usuario ya fue desbloqueado.\r\n\r\nAtentamente,\r\n\
         Ana Torres\r\n"
    )
    .into_bytes()
}

fn log_of(stack: &MailStack, server: &str) -> String {
    std::fs::read_to_string(stack.dir.join(format!("log/{server}.log"))).unwrap_or_default()
}

/// The citizen's mail: acknowledgements and replies, by subject.
fn replies(inbox: &[StoredMessage]) -> usize {
    inbox
        .iter()
        .filter(|m| m.subject.starts_with("RE:"))
        .count()
}

/// Files a consultation and sends its acknowledgement with `triaje once`, then its reply; checks which SASL
/// mechanism the servers saw.
async fn files_acknowledges_and_replies(
    stack: &MailStack,
    office: &Installed,
    imap_method: &str,
    smtp_method: &str,
) {
    stack.send(
        CITIZEN,
        &[CONSULTAS],
        &consultation("q1@example.test", "Clave del SEACE"),
    );
    stack.wait_for(CONSULTAS, "INBOX", 1, WAIT).await;
    once(office);
    stack.wait_for(CONSULTAS, "SEACE", 1, WAIT).await;
    let inbox = stack.wait_for(CITIZEN, "INBOX", 1, WAIT).await;
    assert!(inbox[0].subject.contains("CONS-"), "{}", inbox[0].subject);

    stack
        .append(
            CONSULTAS,
            "Por enviar",
            &draft("q1@example.test", "Clave del SEACE"),
            None,
        )
        .await;
    once(office);
    let inbox = stack.wait_for(CITIZEN, "INBOX", 2, WAIT).await;
    assert_eq!(replies(&inbox), 1);
    stack.wait_for(CONSULTAS, "Enviados", 1, WAIT).await;

    let dovecot = log_of(stack, "dovecot");
    assert!(
        dovecot.contains(&format!("user=<{CONSULTAS}>, method={imap_method}")),
        "Dovecot saw no {imap_method} login:\n{dovecot}"
    );
    let postfix = log_of(stack, "postfix");
    assert!(
        postfix.contains(&format!(
            "sasl_method={smtp_method}, sasl_username={CONSULTAS}"
        )),
        "Postfix saw no {smtp_method} login:\n{postfix}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn microsoft_app_only_with_a_secret_files_and_replies_over_xoauth2() {
    let provider = OAuthProvider::start();
    provider.register_client(
        APP,
        ClientCredential::Secret(APP_SECRET.into()),
        Some(CONSULTAS),
    );
    let stack = stack_for(&provider);
    let office = installation(
        &stack,
        &microsoft_secret(&provider),
        ("xoauth2", "xoauth2"),
        false,
    );
    files_acknowledges_and_replies(&stack, &office, "XOAUTH2", "XOAUTH2").await;
    // One token per run of `once` (IMAP and SMTP share it), none per message.
    assert_eq!(
        provider.issued("client_credentials"),
        2,
        "{:?}",
        provider.requests()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn google_service_account_files_and_replies_over_oauthbearer() {
    let provider = OAuthProvider::start();
    let keys = tempfile::tempdir().unwrap();
    let key = RsaKey::new(keys.path(), "google");
    let email = "triaje@entidad-triaje.iam.gserviceaccount.com";
    provider.register_service_account(email, &key.public_key, true);
    let file = key.service_account_file(keys.path(), email, &provider.token_url());
    let stack = stack_for(&provider);
    let oauth = format!(
        "provider = \"google\"\nservice_account_file = \"{}\"\n",
        file.display()
    );
    let office = installation(&stack, &oauth, ("oauthbearer", "oauthbearer"), false);
    files_acknowledges_and_replies(&stack, &office, "OAUTHBEARER", "OAUTHBEARER").await;
    assert!(provider.issued("urn:ietf:params:oauth:grant-type:jwt-bearer") >= 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn microsoft_certificate_assertion_logs_in_with_the_mechanism_the_server_prefers() {
    let provider = OAuthProvider::start();
    let keys = tempfile::tempdir().unwrap();
    let key = RsaKey::new(keys.path(), "entra");
    provider.register_client(
        APP,
        ClientCredential::Certificate {
            public_key: key.public_key.clone(),
            x5t: key.x5t.clone(),
        },
        Some(CONSULTAS),
    );
    let stack = stack_for(&provider);
    let oauth = format!(
        "provider = \"microsoft\"\ntenant = \"osce.test\"\nclient_id = \"{APP}\"\ncertificate_file = \"{}\"\n\
         private_key_file = \"{}\"\ntoken_url = \"{}\"\n",
        key.certificate.display(),
        key.key.display(),
        provider.token_url()
    );
    let office = installation(&stack, &oauth, ("auto", "auto"), false);
    stack.send(
        CITIZEN,
        &[CONSULTAS],
        &consultation("q1@example.test", "Clave del SEACE"),
    );
    stack.wait_for(CONSULTAS, "INBOX", 1, WAIT).await;
    once(&office);
    stack.wait_for(CONSULTAS, "SEACE", 1, WAIT).await;
    stack.wait_for(CITIZEN, "INBOX", 1, WAIT).await;
    // Dovecot offers both: the standard one is chosen.
    assert!(log_of(&stack, "dovecot").contains(&format!("user=<{CONSULTAS}>, method=OAUTHBEARER")));
    assert!(log_of(&stack, "postfix").contains(&format!(
        "sasl_method=OAUTHBEARER, sasl_username={CONSULTAS}"
    )));
    assert_eq!(
        provider.issued("client_credentials"),
        1,
        "{:?}",
        provider.requests()
    );

    // A certificate Entra ID does not know (rotated on one side only) is refused with the code and what to do.
    let other = RsaKey::new(keys.path(), "otra");
    provider.register_client(
        APP,
        ClientCredential::Certificate {
            public_key: other.public_key.clone(),
            x5t: other.x5t.clone(),
        },
        Some(CONSULTAS),
    );
    provider.revoke_access_tokens();
    stack.send(
        CITIZEN,
        &[CONSULTAS],
        &consultation("q2@example.test", "Otra consulta"),
    );
    stack.wait_for(CONSULTAS, "INBOX", 1, WAIT).await;
    let out = office.command().arg("once").output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("AADSTS700027"), "{text}");
    assert!(
        text.contains("suba el certificado de certificate_file"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_that_expire_under_triaje_run_are_renewed_and_nothing_is_lost_or_repeated() {
    let provider = OAuthProvider::start();
    provider.register_client(
        APP,
        ClientCredential::Secret(APP_SECRET.into()),
        Some(CONSULTAS),
    );
    // Tokens of 20 s: renewed after 15 s (a quarter of their life early), so the waves below that wait 21 s need
    // new ones, and the one that does not wait still has a valid token in memory.
    provider.set_token_lifetime(Duration::from_secs(20));
    let stack = stack_for(&provider);
    let office = installation(
        &stack,
        &microsoft_secret(&provider),
        ("auto", "xoauth2"),
        false,
    );
    let office = office.spawn_run();

    let mut sent = 0;
    for wave in 0..3 {
        for i in 0..3 {
            let id = format!("w{wave}-{i}@example.test");
            stack.send(
                CITIZEN,
                &[CONSULTAS],
                &consultation(&id, &format!("Consulta {wave}-{i}")),
            );
            sent += 1;
        }
        office
            .wait_for(&stack, CONSULTAS, "SEACE", sent, WAIT)
            .await;
        // Each consultation's acknowledgement goes out over SMTP with whatever token is current.
        office.wait_for(&stack, CITIZEN, "INBOX", sent, WAIT).await;
        match wave {
            // Past the tokens' life, the IMAP connection breaks (a server restart): the worker logs in again
            // with a new token.
            0 => {
                tokio::time::sleep(Duration::from_secs(21)).await;
                stack.stop_imap();
                stack.start_imap();
            }
            // The provider revokes the tokens it issued and the connection breaks at once: the token in memory
            // is still within its life but the server refuses it, so it is replaced and the login tried again.
            1 => {
                provider.revoke_access_tokens();
                stack.stop_imap();
                stack.start_imap();
            }
            // Past the tokens' life, the SMTP server restarts: the replies below need a new SMTP login.
            _ => {
                tokio::time::sleep(Duration::from_secs(21)).await;
                stack.stop_smtp();
                stack.start_smtp();
            }
        }
    }
    // The replies go out too, with fresh tokens.
    for i in 0..3 {
        let id = format!("w2-{i}@example.test");
        stack
            .append(
                CONSULTAS,
                "Por enviar",
                &draft(&id, &format!("Consulta 2-{i}")),
                None,
            )
            .await;
    }
    let inbox = office
        .wait_for(&stack, CITIZEN, "INBOX", sent + 3, WAIT)
        .await;
    assert_eq!(replies(&inbox), 3);

    // Nothing lost, nothing twice: nine filed (three of them answered, beside their drafts), nine
    // acknowledgements, three replies, one record each.
    office
        .wait_for(&stack, CONSULTAS, "Atendidas", 6, WAIT)
        .await;
    assert_eq!(stack.messages(CONSULTAS, "SEACE").await.len(), 6);
    assert!(stack.messages(CONSULTAS, "INBOX").await.is_empty());
    let acks = inbox
        .iter()
        .filter(|m| !m.subject.starts_with("RE:"))
        .count();
    assert_eq!(acks, 9);
    let mut ids: Vec<_> = inbox.iter().map(|m| m.message_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12, "a message arrived twice");
    let db = common::sqlite_store(office.dir.path()).await;
    assert_eq!(db.consultations(None).await.unwrap().len(), 9);
    assert!(stack.messages(CONSULTAS, "Errores").await.is_empty());
    assert!(
        provider.issued("client_credentials") >= 4,
        "the tokens were not renewed: {:?}",
        provider.requests()
    );
    assert!(
        !status_of(&office).contains("no funciona"),
        "{}",
        status_of(&office)
    );
    let log = office.log();
    assert!(
        log.contains("the server refused the access token; asking for a new one"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disabled_application_is_reported_while_the_other_mailbox_works_and_recovers_when_enabled(
) {
    let provider = OAuthProvider::start();
    provider.register_client(
        APP,
        ClientCredential::Secret(APP_SECRET.into()),
        Some(CONSULTAS),
    );
    let stack = stack_for(&provider);
    let office = installation(&stack, &microsoft_secret(&provider), ("auto", "auto"), true);
    let office = office.spawn_run();
    stack.send(
        CITIZEN,
        &[CONSULTAS],
        &consultation("a1@example.test", "Antes"),
    );
    office.wait_for(&stack, CONSULTAS, "SEACE", 1, WAIT).await;

    // The tenant's administrator disables the application (which also revokes its tokens); the mailbox's
    // connection breaks, and triaje cannot get in again.
    provider.set_client_enabled(APP, false);
    stack.stop_imap();
    stack.start_imap();
    let status = office
        .eventually(
            "status says why consultas does not work, and contacto works",
            Duration::from_secs(150),
            || {
                // The restart itself breaks both connections for a moment; then only consultas stays out.
                let s = status_of(&office);
                (s.contains("ATENCIÓN: el buzón consultas no funciona")
                    && s.contains("AADSTS7000112")
                    && !s.contains("el buzón contacto no funciona"))
                .then_some(s)
            },
        )
        .await;
    assert!(status.contains("AADSTS7000112"), "{status}");
    assert!(
        status.contains("Microsoft 365 no entregó un token de acceso"),
        "{status}"
    );
    assert!(status.contains("habilítela en Entra ID"), "{status}");
    assert!(
        !status.contains("el buzón contacto no funciona"),
        "{status}"
    );
    let (code, health) = http_get(office.web_port, "/health").unwrap();
    assert_eq!(code, 503, "{health}");
    assert!(
        health.contains("consultas") && health.contains("AADSTS7000112"),
        "{health}"
    );
    let (_, metrics) = http_get(office.web_port, "/metrics").unwrap();
    let failures = metrics
        .lines()
        .find(|l| l.starts_with("triaje_mailbox_failures_total{mailbox=\"consultas\"}"))
        .unwrap_or_else(|| panic!("{metrics}"));
    assert!(!failures.ends_with(" 0"), "{failures}");

    // The other mailbox keeps working; consultas' mail waits in its inbox.
    stack.send(
        CITIZEN,
        &[CONTACTO],
        &consultation("c1@example.test", "Por contacto"),
    );
    office.wait_for(&stack, CONTACTO, "SEACE", 1, WAIT).await;
    stack.send(
        CITIZEN,
        &[CONSULTAS],
        &consultation("a2@example.test", "Durante"),
    );
    office.wait_for(&stack, CONSULTAS, "INBOX", 1, WAIT).await;

    // Enabled again: within the refused-login back-off (a minute) it works again, and says so.
    provider.set_client_enabled(APP, true);
    stack
        .wait_for(CONSULTAS, "SEACE", 2, Duration::from_secs(150))
        .await;
    office
        .eventually("the warning goes away", Duration::from_secs(150), || {
            (!status_of(&office).contains("no funciona")).then_some(())
        })
        .await;
    let (code, _) = http_get(office.web_port, "/health").unwrap();
    assert_eq!(code, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn oauth_login_saves_a_refresh_token_that_is_rotated_atomically_as_it_is_used() {
    let provider = OAuthProvider::start();
    provider.register_client("triaje-publico", ClientCredential::Public, None);
    let stack = stack_for(&provider);
    let keys = tempfile::tempdir().unwrap();
    let token_file = keys.path().join("consultas.token");
    let oauth = format!(
        "provider = \"refresh_token\"\nclient_id = \"triaje-publico\"\ntoken_url = \"{}\"\n\
         device_authorization_url = \"{}\"\nscope = \"imap smtp offline_access\"\nrefresh_token_file = \"{}\"\n",
        provider.token_url(),
        provider.device_authorization_url(),
        token_file.display()
    );
    let office = installation(&stack, &oauth, ("auto", "xoauth2"), false);

    // Before any login, triaje says what to do.
    let out = office.command().arg("once").output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(text.contains("triaje oauth login --mailbox"), "{text}");

    // The administrator runs the login and approves it at the provider's page, logged in as the mailbox.
    let mut login = office
        .command()
        .args(["oauth", "login", "--mailbox", "consultas"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut shown = String::new();
    let mut lines = BufReader::new(login.stdout.take().unwrap()).lines();
    let code = loop {
        let line = lines.next().expect("the login prints a code").unwrap();
        shown.push_str(&line);
        shown.push('\n');
        if let Some(code) = line.trim().strip_prefix("2. Escriba el código ") {
            break code.trim().to_string();
        }
    };
    assert!(
        shown.contains(&format!("http://127.0.0.1:{}/device", provider.port)),
        "{shown}"
    );
    assert!(provider.approve_device(&code, CONSULTAS));
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = login.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut login.stderr.take().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{shown}{}\n{err}", rest.join("\n"));
    assert!(
        rest.iter().any(|l| l.contains("aceptó el acceso")),
        "{rest:?}"
    );
    let first = std::fs::read_to_string(&token_file)
        .unwrap()
        .trim()
        .to_string();
    assert!(provider.refresh_token_valid(&first));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the token file is readable by others: {mode:o}"
        );
    }

    // Each use rotates the token: the file always holds the one the provider accepts.
    stack.send(
        CITIZEN,
        &[CONSULTAS],
        &consultation("q1@example.test", "Clave del SEACE"),
    );
    stack.wait_for(CONSULTAS, "INBOX", 1, WAIT).await;
    once(&office);
    stack.wait_for(CONSULTAS, "SEACE", 1, WAIT).await;
    stack.wait_for(CITIZEN, "INBOX", 1, WAIT).await;
    let second = std::fs::read_to_string(&token_file)
        .unwrap()
        .trim()
        .to_string();
    assert_ne!(first, second);
    assert!(!provider.refresh_token_valid(&first));
    assert!(provider.refresh_token_valid(&second));
    let leftovers: Vec<_> = std::fs::read_dir(keys.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".nuevo-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The provider revokes the grant: triaje asks for a new login, naming the command.
    provider.revoke_access_tokens();
    std::fs::write(&token_file, "rt-que-nadie-emitio\n").unwrap();
    let out = office.command().arg("once").output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(text.contains("invalid_grant"), "{text}");
    assert!(text.contains("triaje oauth login --mailbox"), "{text}");
}
