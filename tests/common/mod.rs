//! The test harness: a private, real mail stack per test (Dovecot IMAP + Postfix SMTP on 127.0.0.1, started by
//! `scripts/mailstack/up.sh`), a real PostgreSQL database per test, and a client that plays the person's mail
//! client. Nothing here reuses triaje's own IMAP code, so a bug there cannot hide itself in the tests.
//!
//! Beside it: [`installation`] writes a test's configuration and runs triaje on it, [`daemon`] is the running
//! `triaje run`, [`register`] a register filled by hand, [`web`] the web server inside the test, [`http`] the one
//! HTTP client.
#![allow(dead_code)]

pub mod daemon;
pub mod drafts;
pub mod http;
pub mod installation;
pub mod register;
pub mod web;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use async_imap::types::Flag;
use chrono::{DateTime, FixedOffset};
use futures::TryStreamExt;

pub mod oauth_provider;

/// Users every stack has (password `secret` unless [`StackOptions::password`] says otherwise).
pub const USERS: &[&str] = &[
    "consultas@osce.test",
    "contacto@osce.test",
    "supervisor@osce.test",
    "coordinador@osce.test",
    "ciudadano1@example.test",
    "ciudadano2@example.test",
    "ciudadano3@example.test",
    "ciudadano4@example.test",
    "ciudadano5@example.test",
];

/// How a stack differs from the default.
#[derive(Debug, Default, Clone)]
pub struct StackOptions {
    /// Dovecot does not announce MOVE, so clients must fall back to COPY + \Deleted + UID EXPUNGE.
    pub no_move: bool,
    /// Extra users beyond [`USERS`].
    pub users: Vec<String>,
    /// A server certificate and its key (PEM files): Dovecot then also offers STARTTLS on the IMAP port and
    /// implicit TLS on [`MailStack::imaps_port`], and Postfix offers STARTTLS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Every user's password instead of `secret`.
    pub password: Option<String>,
    /// Postfix offers SMTP AUTH (PLAIN, LOGIN) with the users' passwords.
    pub smtp_auth: bool,
    /// Dovecot (and Postfix's SMTP AUTH through it, when [`StackOptions::smtp_auth`]) also accepts OAuth 2.0
    /// access tokens (XOAUTH2, OAUTHBEARER), checked at this token introspection URL (see
    /// [`oauth_provider::OAuthProvider::introspection_url`]).
    pub oauth_introspection: Option<String>,
    /// Dovecot enforces folder permissions (RFC 4314) from these lines of a global ACL file
    /// (`<mailbox> <identifier> <rights>`, e.g. `Aprobadas user=supervisor@osce.test lrswipkxtecda`), and
    /// shows each user the folders shared with them under `shared/<owner>/`.
    pub acl: Option<String>,
    /// Dovecot's `imap_idle_notify_interval`: how often it sends «* OK Still here» to an idling client
    /// (Dovecot's default: 2 minutes; some servers use 10 s).
    pub idle_keepalive_seconds: Option<u32>,
}

/// A running private mail stack; stopped and removed on drop.
pub struct MailStack {
    /// IMAP port on 127.0.0.1.
    pub imap_port: u16,
    /// SMTP port on 127.0.0.1.
    pub smtp_port: u16,
    /// LMTP port on 127.0.0.1 (Postfix → Dovecot).
    pub lmtp_port: u16,
    /// IMAPS (implicit TLS) port on 127.0.0.1, when the stack was started with a certificate.
    pub imaps_port: Option<u16>,
    /// Every user's password (`secret` unless [`StackOptions::password`] said otherwise).
    pub password: String,
    /// Where everything of the stack lives.
    pub dir: PathBuf,
    _tmp: tempfile::TempDir,
}

/// A message as a mail client sees it in a folder.
#[derive(Debug, Clone)]
pub struct StoredMessage {
    /// UID in the folder.
    pub uid: u32,
    /// System flags as `\Seen`, keywords as they are.
    pub flags: Vec<String>,
    /// The server's arrival time.
    pub internal_date: DateTime<FixedOffset>,
    /// Decoded subject.
    pub subject: String,
    /// `Message-ID`, if any.
    pub message_id: Option<String>,
    /// The whole message.
    pub raw: Vec<u8>,
}

/// The SQLite store of an installation whose `data_dir` is `<dir>/data` (as the tests' configurations write it).
pub async fn sqlite_store(dir: &Path) -> triaje::store::Store {
    triaje::store::Store::connect(&format!(
        "sqlite://{}",
        dir.join("data/triaje.db").display()
    ))
    .await
    .unwrap()
}

/// A citizen's plain-text message `from` to `consultas@osce.test`, dated Monday 23 November 2026 09:00 in Lima,
/// with `Message-ID: <id@example.test>`.
pub fn citizen_mail(from: &str, subject: &str, body: &str, id: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: consultas@osce.test\r\nSubject: {subject}\r\nDate: Mon, 23 Nov 2026 09:00:00 -0500\r\n\
         Message-ID: <{id}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         {body}\r\n"
    )
    .into_bytes()
}

/// Whether a stored message is one of triaje's ticket notes (filed beside each consultation).
pub fn is_ticket_note(raw: &[u8]) -> bool {
    let header = String::from_utf8_lossy(header_of(raw)).to_ascii_lowercase();
    header.contains("x-triaje-note: ficha de la consulta")
}

/// The header of a message as IMAP's `BODY[HEADER]` gives it: up to and including the empty line.
pub fn header_of(raw: &[u8]) -> &[u8] {
    if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
        return &raw[..i + 4];
    }
    if let Some(i) = raw.windows(2).position(|w| w == b"\n\n") {
        return &raw[..i + 2];
    }
    raw
}

/// The register's consultation for a message as a mail client sees it, found by the fingerprint triage recorded
/// (of the whole message, or of its header when it was over the size limit). The ticket is not on the message
/// (README, mailbox contract), so this is how a test, like triaje, tells which consultation a message is.
pub async fn consultation_of(
    store: &triaje::store::Store,
    m: &StoredMessage,
) -> triaje::store::ConsultationRow {
    let whole = triaje::workflow::fingerprint(&m.raw);
    let header = triaje::workflow::fingerprint(header_of(&m.raw));
    store
        .consultations(None)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.fingerprint == whole || c.fingerprint == header)
        .unwrap_or_else(|| panic!("no consultation recorded for «{}»", m.subject))
}

/// A port on 127.0.0.1 free a moment ago (for a server the test starts).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

impl MailStack {
    /// Starts a stack with the default users.
    pub fn start() -> MailStack {
        MailStack::start_with(StackOptions::default())
    }

    /// Starts a stack whose servers also speak TLS with this certificate and key (see [`StackOptions::tls`]).
    pub fn start_with_tls(cert: &Path, key: &Path) -> MailStack {
        MailStack::start_with(StackOptions {
            tls: Some((cert.to_path_buf(), key.to_path_buf())),
            ..StackOptions::default()
        })
    }

    /// Starts a stack with options.
    pub fn start_with(options: StackOptions) -> MailStack {
        let tmp = tempfile::Builder::new()
            .prefix("triaje-mail-")
            .tempdir()
            .unwrap();
        let dir = tmp.path().join("stack");
        let password = options
            .password
            .clone()
            .unwrap_or_else(|| "secret".to_string());
        let mut users: Vec<String> = USERS.iter().map(|u| u.to_string()).collect();
        users.extend(options.users.iter().cloned());
        // Ports are picked free a moment before the servers bind them; a rare collision with a parallel test
        // shows as a failed start, which is retried with new ports.
        for attempt in 0..3 {
            let (imap_port, smtp_port, lmtp_port) = (free_port(), free_port(), free_port());
            let imaps_port = options.tls.as_ref().map(|_| free_port());
            let auth_port = options.smtp_auth.then(free_port);
            let log = tmp.path().join(format!("up-{attempt}.log"));
            let mut up = Command::new(repo().join("scripts/mailstack/up.sh"));
            if let (Some((cert, key)), Some(port)) = (&options.tls, imaps_port) {
                up.env("MAILSTACK_TLS_CERT", cert)
                    .env("MAILSTACK_TLS_KEY", key)
                    .env("IMAPS_PORT", port.to_string());
            }
            if let Some(port) = auth_port {
                up.env("AUTH_PORT", port.to_string());
            }
            if let Some(url) = &options.oauth_introspection {
                up.env("OAUTH_INTROSPECTION_URL", url);
            }
            if let Some(acl) = &options.acl {
                up.env("MAILSTACK_ACL", acl);
            }
            if let Some(seconds) = options.idle_keepalive_seconds {
                up.env("IDLE_NOTIFY_SECONDS", seconds.to_string());
            }
            let status = up
                .env("MAILSTACK_DIR", &dir)
                .env("IMAP_PORT", imap_port.to_string())
                .env("SMTP_PORT", smtp_port.to_string())
                .env("LMTP_PORT", lmtp_port.to_string())
                .env("MAILSTACK_USERS", users.join(" "))
                .env("MAILSTACK_NO_MOVE", if options.no_move { "1" } else { "0" })
                .env("MAILSTACK_PASSWORD", &password)
                .env("MAILSTACK_OWNER_PID", std::process::id().to_string())
                // The script starts daemons: they must not inherit a pipe the test runner waits on.
                .stdin(Stdio::null())
                .stdout(std::fs::File::create(&log).unwrap())
                .stderr(
                    std::fs::File::create(tmp.path().join(format!("up-{attempt}.err"))).unwrap(),
                )
                .status()
                .expect("scripts/mailstack/up.sh runs");
            if status.success() {
                return MailStack {
                    imap_port,
                    smtp_port,
                    lmtp_port,
                    imaps_port,
                    password,
                    dir,
                    _tmp: tmp,
                };
            }
            let err = std::fs::read_to_string(tmp.path().join(format!("up-{attempt}.err")))
                .unwrap_or_default();
            eprintln!("mail stack did not start (attempt {attempt}): {err}");
        }
        panic!("the private mail stack did not start; see the logs above");
    }

    /// Sends a message over real SMTP to Postfix, which delivers it into Dovecot.
    pub fn send(&self, from: &str, to: &[&str], raw: &[u8]) {
        if let Err(e) = smtp_send(self.smtp_port, from, to, raw) {
            let log = std::fs::read_to_string(self.dir.join("log/postfix.log")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(15).collect();
            panic!(
                "SMTP delivery failed: {e}\nPostfix log (newest first):\n{}",
                tail.join("\n")
            );
        }
    }

    /// Logs in as `user` (with the stack's password).
    pub async fn imap(&self, user: &str) -> ImapClient {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.imap_port))
            .await
            .unwrap();
        let mut client = async_imap::Client::new(tcp);
        client
            .read_response()
            .await
            .unwrap()
            .expect("IMAP greeting");
        let session = client
            .login(user, &self.password)
            .await
            .map_err(|(e, _)| e)
            .unwrap();
        ImapClient { session }
    }

    /// Puts a message into a folder with the arrival time given (IMAP APPEND), creating the folder if needed.
    pub async fn append(
        &self,
        user: &str,
        folder: &str,
        raw: &[u8],
        internal_date: Option<DateTime<FixedOffset>>,
    ) {
        let mut c = self.imap(user).await;
        c.append(folder, raw, internal_date).await;
        c.logout().await;
    }

    /// triaje's ticket notes in a folder of `user`.
    pub async fn ticket_notes(&self, user: &str, folder: &str) -> Vec<StoredMessage> {
        let mut c = self.imap(user).await;
        let notes = c.ticket_notes(folder).await;
        c.logout().await;
        notes
    }

    /// Every message of a folder, oldest first; empty when the folder does not exist.
    pub async fn messages(&self, user: &str, folder: &str) -> Vec<StoredMessage> {
        let mut c = self.imap(user).await;
        let out = c.messages(folder).await;
        c.logout().await;
        out
    }

    /// Stops Dovecot (IMAP and LMTP) abruptly, as a crash of the server would; the mail stays on disk.
    pub fn stop_imap(&self) {
        let pid = std::fs::read_to_string(self.dir.join("run/master.pid")).unwrap_or_default();
        let pid = pid.trim().to_string();
        assert!(!pid.is_empty(), "no Dovecot pid file");
        // The master and every process it started (open IMAP sessions included), as a crash would.
        let children = Command::new("pgrep")
            .args(["-P", &pid])
            .output()
            .map(|o| o.stdout)
            .unwrap_or_default();
        let children = String::from_utf8_lossy(&children).to_string();
        let mut kill = Command::new("kill");
        kill.args(["-KILL", &pid]).args(children.split_whitespace());
        let _ = kill.status();
        let _ = std::fs::remove_file(self.dir.join("run/master.pid"));
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.imap_port)).is_ok() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "Dovecot still answers after stop"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts Dovecot again with the same configuration and mail.
    pub fn start_imap(&self) {
        let status = Command::new("dovecot")
            .arg("-c")
            .arg(self.dir.join("dovecot.conf"))
            .env("TZ", "America/Lima")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("dovecot runs");
        assert!(
            status.success(),
            "dovecot did not start; see {}/log",
            self.dir.display()
        );
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.imap_port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "Dovecot does not answer after start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops only Postfix (Dovecot keeps serving IMAP), as an SMTP outage; returns once the port refuses.
    pub fn stop_smtp(&self) {
        let out = Command::new("postfix")
            .args([
                "-c",
                &self.dir.join("postfix").display().to_string(),
                "stop",
            ])
            .stdin(Stdio::null())
            .output()
            .expect("postfix stop runs");
        assert!(
            out.status.success(),
            "postfix stop failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.smtp_port)).is_ok() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "Postfix still answers on port {} after stop",
                self.smtp_port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts Postfix again after [`MailStack::stop_smtp`]; returns once it answers on its port.
    pub fn start_smtp(&self) {
        let out = Command::new("postfix")
            .args([
                "-c",
                &self.dir.join("postfix").display().to_string(),
                "start",
            ])
            .env("TZ", "America/Lima")
            // Postfix's master stays running: it must not inherit a pipe the test waits on.
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("postfix start runs");
        assert!(
            out.success(),
            "postfix start failed; see {}/log",
            self.dir.display()
        );
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.smtp_port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "Postfix does not answer on port {} after start",
                self.smtp_port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `folder` holds exactly `count` messages and returns them; on timeout, panics saying what every
    /// folder of the user holds.
    pub async fn wait_for(
        &self,
        user: &str,
        folder: &str,
        count: usize,
        timeout: Duration,
    ) -> Vec<StoredMessage> {
        let start = Instant::now();
        loop {
            let got = self.messages(user, folder).await;
            if got.len() == count {
                return got;
            }
            if start.elapsed() > timeout {
                let mut c = self.imap(user).await;
                let mut report = String::new();
                for f in c.folders().await {
                    let n = c.messages(&f).await.len();
                    report.push_str(&format!("  {f}: {n}\n"));
                }
                panic!(
                    "after {timeout:?}, «{folder}» of {user} holds {} messages, not {count}; folders:\n{report}",
                    got.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for MailStack {
    fn drop(&mut self) {
        let _ = Command::new(repo().join("scripts/mailstack/down.sh"))
            .env("MAILSTACK_DIR", &self.dir)
            .env("MAILSTACK_DISCARD", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// A person's mail client: just enough IMAP to look and to act as an assistant or supervisor would.
pub struct ImapClient {
    session: async_imap::Session<tokio::net::TcpStream>,
}

/// An IMAP date-time, quoted: async-imap passes the APPEND date through as written.
fn imap_date(t: DateTime<FixedOffset>) -> String {
    t.format("\"%d-%b-%Y %H:%M:%S %z\"").to_string()
}

impl ImapClient {
    /// Folder names of the account.
    pub async fn folders(&mut self) -> Vec<String> {
        let names: Vec<_> = self
            .session
            .list(Some(""), Some("*"))
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        names.iter().map(|n| n.name().to_string()).collect()
    }

    /// Creates a folder unless it exists.
    pub async fn create(&mut self, folder: &str) {
        if !self.folders().await.iter().any(|f| f == folder) {
            self.session.create(folder).await.unwrap();
        }
    }

    /// APPEND with an arrival time.
    pub async fn append(
        &mut self,
        folder: &str,
        raw: &[u8],
        internal_date: Option<DateTime<FixedOffset>>,
    ) {
        self.create(folder).await;
        let date = internal_date.map(imap_date);
        self.session
            .append(folder, None, date.as_deref(), raw)
            .await
            .unwrap();
    }

    /// Saves a draft as mail clients do (APPEND with `\Draft` and `\Seen`), creating the folder if needed.
    pub async fn append_draft(&mut self, folder: &str, raw: &[u8]) {
        self.try_append_draft(folder, raw)
            .await
            .unwrap_or_else(|e| panic!("APPEND to {folder} refused: {e}"));
    }

    /// APPEND with the flags a client saves the message with (`(\\Draft \\Seen)`), creating the folder if needed.
    pub async fn append_flagged(&mut self, folder: &str, flags: &str, raw: &[u8]) {
        self.create(folder).await;
        self.session
            .append(folder, Some(flags), None, raw)
            .await
            .unwrap_or_else(|e| panic!("APPEND to {folder} refused: {e}"));
    }

    /// [`ImapClient::append_draft`], saying what the server answered instead of panicking.
    pub async fn try_append_draft(&mut self, folder: &str, raw: &[u8]) -> Result<(), String> {
        self.create(folder).await;
        self.session
            .append(folder, Some("(\\Draft \\Seen)"), None, raw)
            .await
            .map_err(|e| e.to_string())
    }

    /// Moves every message of `from` to `to` (both names as the server spells them), saying what the server
    /// answered; nothing to move is no error.
    pub async fn try_move_all(&mut self, from: &str, to: &str) -> Result<(), String> {
        let selected = self.session.select(from).await.map_err(|e| e.to_string())?;
        if selected.exists == 0 {
            return Ok(());
        }
        self.session
            .uid_mv("1:*", to)
            .await
            .map_err(|e| e.to_string())
    }

    /// Every message of a folder, read without marking it seen — but triaje's ticket notes, the office's
    /// annotation filed beside each consultation (see [`ImapClient::ticket_notes`]): the tests that count a
    /// folder's mail count the citizens' messages, drafts and notes about drafts.
    pub async fn messages(&mut self, folder: &str) -> Vec<StoredMessage> {
        self.all_messages(folder)
            .await
            .into_iter()
            .filter(|m| !is_ticket_note(&m.raw))
            .collect()
    }

    /// triaje's ticket notes in a folder (header `X-Triaje-Note: ficha de la consulta`).
    pub async fn ticket_notes(&mut self, folder: &str) -> Vec<StoredMessage> {
        self.all_messages(folder)
            .await
            .into_iter()
            .filter(|m| is_ticket_note(&m.raw))
            .collect()
    }

    /// Selects `folder`; false when it does not exist or is empty.
    async fn select_if_any(&mut self, folder: &str) -> bool {
        if !self.folders().await.iter().any(|f| f == folder) {
            return false;
        }
        // A folder triaje is creating at this very moment is listed before Dovecot can open it (SELECT answers
        // NO [ALREADYEXISTS] while its own lazy creation races triaje's): try again shortly.
        let mut tries = 0;
        loop {
            match self.session.select(folder).await {
                Ok(mailbox) => return mailbox.exists > 0,
                Err(e) if tries < 10 => {
                    tries += 1;
                    eprintln!("SELECT {folder} refused ({e}); trying again");
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
                Err(e) => panic!("SELECT {folder} refused: {e}"),
            }
        }
    }

    /// Every message of a folder, ticket notes included, read without marking it seen.
    pub async fn all_messages(&mut self, folder: &str) -> Vec<StoredMessage> {
        if !self.select_if_any(folder).await {
            return Vec::new();
        }
        let fetches: Vec<_> = self
            .session
            .uid_fetch("1:*", "(UID FLAGS INTERNALDATE BODY.PEEK[])")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        // A daemon working on the folder at the same time makes the server interleave unsolicited FETCH
        // responses (flag changes) without a body or date: they are not messages of this listing.
        let mut out: Vec<StoredMessage> = fetches
            .iter()
            .filter(|f| f.uid.is_some() && f.internal_date().is_some() && f.body().is_some())
            .map(|f| {
                let raw = f.body().unwrap_or_default().to_vec();
                let parsed = mail_parser::MessageParser::default().parse(&raw);
                StoredMessage {
                    uid: f.uid.unwrap_or(0),
                    flags: f.flags().map(flag_text).collect(),
                    internal_date: f.internal_date().expect("INTERNALDATE"),
                    subject: parsed
                        .as_ref()
                        .and_then(|m| m.subject())
                        .unwrap_or_default()
                        .to_string(),
                    message_id: parsed
                        .as_ref()
                        .and_then(|m| m.message_id())
                        .map(str::to_string),
                    raw,
                }
            })
            .collect();
        out.sort_by_key(|m| m.uid);
        out.dedup_by_key(|m| m.uid);
        out
    }

    /// UID, RFC822.SIZE and flags of every message of a folder, without downloading (or parsing) the messages;
    /// empty when the folder does not exist.
    pub async fn summaries(&mut self, folder: &str) -> Vec<(u32, u32, Vec<String>)> {
        if !self.select_if_any(folder).await {
            return Vec::new();
        }
        let fetches: Vec<_> = self
            .session
            .uid_fetch("1:*", "(UID RFC822.SIZE FLAGS)")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        // Without triaje's ticket notes, as `messages` (found by a search: nothing is downloaded).
        let notes = self
            .session
            .uid_search("HEADER X-Triaje-Note \"ficha de la consulta\"")
            .await
            .unwrap();
        let mut out: Vec<(u32, u32, Vec<String>)> = fetches
            .iter()
            .filter(|f| !f.uid.is_some_and(|uid| notes.contains(&uid)))
            .map(|f| {
                (
                    f.uid.unwrap_or(0),
                    f.size.unwrap_or(0),
                    f.flags().map(flag_text).collect(),
                )
            })
            .collect();
        out.sort_by_key(|m| m.0);
        out
    }

    /// Marks every message of a folder `\Seen`, as a colleague opening them would.
    pub async fn mark_seen_all(&mut self, folder: &str) {
        self.store_flags(folder, "1:*", "+FLAGS (\\Seen)").await;
    }

    /// Runs a UID STORE (e.g. `+FLAGS (Aprobado)`) on `uids` of `folder`.
    pub async fn store_flags(&mut self, folder: &str, uids: &str, what: &str) {
        self.session.select(folder).await.unwrap();
        let _: Vec<_> = self
            .session
            .uid_store(uids, what)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
    }

    /// Moves every message of `from` to `to`, as a person dragging them would.
    pub async fn move_all(&mut self, from: &str, to: &str) {
        self.move_uids(from, "1:*", to).await;
    }

    /// Moves the messages `uids` (a UID set) of `from` to `to`, as a person dragging them would.
    pub async fn move_uids(&mut self, from: &str, uids: &str, to: &str) {
        self.create(to).await;
        self.session.select(from).await.unwrap();
        self.session.uid_mv(uids, to).await.unwrap();
    }

    /// Ends the session.
    pub async fn logout(mut self) {
        let _ = self.session.logout().await;
    }
}

fn flag_text(f: Flag<'_>) -> String {
    match f {
        Flag::Seen => "\\Seen".into(),
        Flag::Answered => "\\Answered".into(),
        Flag::Flagged => "\\Flagged".into(),
        Flag::Deleted => "\\Deleted".into(),
        Flag::Draft => "\\Draft".into(),
        Flag::Recent => "\\Recent".into(),
        Flag::MayCreate => "\\*".into(),
        Flag::Custom(c) => c.to_string(),
    }
}

/// A minimal SMTP client (RFC 5321 dialogue with dot-stuffing), independent of triaje's own code.
pub fn smtp_send(port: u16, from: &str, to: &[&str], raw: &[u8]) -> Result<(), String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let mut writer = stream;
    let expect = |reader: &mut BufReader<TcpStream>, code: &str| -> Result<(), String> {
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            if !line.starts_with(code) {
                return Err(format!("expected {code}, server said: {}", line.trim_end()));
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(());
            }
        }
    };
    expect(&mut reader, "220")?;
    let cmd = |w: &mut TcpStream, r: &mut BufReader<TcpStream>, line: &str, code: &str| {
        w.write_all(format!("{line}\r\n").as_bytes())
            .map_err(|e| e.to_string())?;
        expect(r, code)
    };
    cmd(&mut writer, &mut reader, "EHLO test.local", "250")?;
    cmd(
        &mut writer,
        &mut reader,
        &format!("MAIL FROM:<{from}>"),
        "250",
    )?;
    for rcpt in to {
        cmd(
            &mut writer,
            &mut reader,
            &format!("RCPT TO:<{rcpt}>"),
            "250",
        )?;
    }
    cmd(&mut writer, &mut reader, "DATA", "354")?;
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let mut body = String::with_capacity(text.len() + 64);
    for line in text.split('\n') {
        if line.starts_with('.') {
            body.push('.');
        }
        body.push_str(line);
        body.push_str("\r\n");
    }
    writer
        .write_all(body.as_bytes())
        .map_err(|e| e.to_string())?;
    cmd(&mut writer, &mut reader, ".", "250")?;
    let _ = cmd(&mut writer, &mut reader, "QUIT", "221");
    Ok(())
}

/// A throw-away certificate authority for one test, and the server certificates it issues, made with Debian's
/// `openssl` command line (P-256 keys, valid two days); removed on drop.
pub struct TestCa {
    /// The CA's certificate (PEM): what `ca_file` names to trust the servers it issued.
    pub cert: PathBuf,
    /// Where the files live (the CA's key beside its certificate).
    dir: tempfile::TempDir,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the openssl command line is installed (scripts/check installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestCa {
    /// A new CA named `name`.
    pub fn new(name: &str) -> TestCa {
        let dir = tempfile::Builder::new()
            .prefix("triaje-ca-")
            .tempdir()
            .unwrap();
        openssl(
            dir.path(),
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                &format!("/CN={name}"),
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        TestCa {
            cert: dir.path().join("ca.pem"),
            dir,
        }
    }

    /// A server certificate for `names` (IP addresses or DNS names, as subjectAltName) signed by this CA;
    /// returns the certificate and key files, `<file>.pem` and `<file>.key`.
    pub fn issue(&self, file: &str, names: &[&str]) -> (PathBuf, PathBuf) {
        let dir = self.dir.path();
        let sans: Vec<String> = names
            .iter()
            .map(|n| match n.parse::<std::net::IpAddr>() {
                Ok(_) => format!("IP:{n}"),
                Err(_) => format!("DNS:{n}"),
            })
            .collect();
        std::fs::write(
            dir.join(format!("{file}.ext")),
            format!(
                "subjectAltName={}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n\
                 extendedKeyUsage=serverAuth\n",
                sans.join(",")
            ),
        )
        .unwrap();
        let (key, csr, pem, ext) = (
            format!("{file}.key"),
            format!("{file}.csr"),
            format!("{file}.pem"),
            format!("{file}.ext"),
        );
        openssl(
            dir,
            &[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &key,
                "-out",
                &csr,
                "-subj",
                &format!("/CN={}", names[0]),
            ],
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &pem,
                "-days",
                "2",
                "-extfile",
                &ext,
            ],
        );
        (dir.join(pem), dir.join(key))
    }
}

/// The triaje binary Cargo built for these tests.
pub fn triaje_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_triaje"))
}

/// A PostgreSQL database of its own for one test; dropped with the guard.
pub struct PgGuard {
    name: String,
    admin: String,
}

impl Drop for PgGuard {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args([
                &self.admin,
                "-qc",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            ])
            .output();
    }
}

/// Creates a fresh database on the PostgreSQL at 127.0.0.1:5432 and returns its URL. Panics when PostgreSQL is
/// not there: a test that needs it must fail, not pass without having run (`scripts/check` starts it).
pub fn fresh_pg_database() -> (String, PgGuard) {
    // Unique across processes (the pid) and across the tests of one process (the counter).
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "triaje_t_{}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            % 1_000_000_000,
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    for user in ["root", "postgres"] {
        let admin = format!("postgres://{user}@127.0.0.1:5432/test");
        let out = Command::new("psql")
            .args([&admin, "-qc", &format!("CREATE DATABASE {name}")])
            .output();
        if let Ok(out) = out {
            if out.status.success() {
                let url = format!("postgres://{user}@127.0.0.1:5432/{name}");
                return (url, PgGuard { name, admin });
            }
        }
    }
    panic!(
        "PostgreSQL no responde en 127.0.0.1:5432 (usuario root o postgres, base test): \
         scripts/check lo instala y arranca; estas pruebas no se omiten"
    );
}

/// A request with an empty body (`POST`, `HEAD`…) to 127.0.0.1:`port`: (status code, body), `None` when nothing
/// answers.
pub fn http_request(port: u16, method: &str, path: &str) -> Option<(u16, String)> {
    http::Client::local(port)
        .send(&http::Request::empty(method, path))
        .map(|r| (r.status, r.body))
}

/// A GET to 127.0.0.1:`port`: (status code, body), `None` when nothing answers.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    http::Client::local(port)
        .send(&http::Request::get(path))
        .map(|r| (r.status, r.body))
}

/// A form POST to 127.0.0.1:`port`: (status code, body), `None` when nothing answers. How a citizen's click on
/// the survey page reaches the server.
pub fn http_post(port: u16, path: &str, form: &str) -> Option<(u16, String)> {
    http::Client::local(port)
        .send(&http::Request::form(path, form))
        .map(|r| (r.status, r.body))
}

/// A PostgreSQL server of a test's own (Debian's binaries, a cluster in a temp dir, 127.0.0.1 on a free port,
/// trust login as `root`), for tests that stop and restart the database under the daemon — which they must
/// not do to the machine's shared server. Stopped on drop.
pub struct PrivatePostgres {
    /// Port on 127.0.0.1.
    pub port: u16,
    bin: PathBuf,
    data: PathBuf,
    _tmp: tempfile::TempDir,
}

impl PrivatePostgres {
    /// Creates the cluster and starts it.
    pub fn start() -> PrivatePostgres {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("Debian's PostgreSQL server (scripts/check installs it)")
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin"))
            .find(|p| p.join("initdb").exists())
            .expect("initdb under /usr/lib/postgresql/*/bin");
        let tmp = tempfile::Builder::new()
            .prefix("triaje-pg-")
            .tempdir()
            .unwrap();
        // The server refuses to run as root: the cluster belongs to the `postgres` user.
        Command::new("chown")
            .args(["postgres:postgres"])
            .arg(tmp.path())
            .status()
            .unwrap();
        let data = tmp.path().join("data");
        let out = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(bin.join("initdb"))
            .args(["-A", "trust", "-U", "root", "-E", "UTF8", "--no-sync", "-D"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let pg = PrivatePostgres {
            port: free_port(),
            bin,
            data,
            _tmp: tmp,
        };
        pg.start_server();
        let out = Command::new("psql")
            .arg(format!("postgres://root@127.0.0.1:{}/postgres", pg.port))
            .args(["-qc", "CREATE DATABASE triaje"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        pg
    }

    /// The database URL.
    pub fn url(&self) -> String {
        format!("postgres://root@127.0.0.1:{}/triaje", self.port)
    }

    /// Starts the server again (after [`PrivatePostgres::crash`]), waiting until it answers.
    pub fn start_server(&self) {
        let socket_dir = self.data.parent().unwrap();
        let out = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(socket_dir.join("server.log"))
            .arg("-o")
            .arg(format!(
                "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
                self.port,
                socket_dir.display()
            ))
            .args(["-w", "start"])
            // pg_ctl leaves the server running: it must not hold the test runner's pipes.
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl start: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(socket_dir.join("server.log")).unwrap_or_default()
        );
    }

    /// Stops the server the way a crash or a killed machine would (`immediate`: no checkpoint, connections cut).
    pub fn crash(&self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdin(Stdio::null())
            .output();
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.crash();
    }
}

/// Runs `triaje once` as a child process and returns its output and peak RSS in KiB: measured by
/// `/usr/bin/time -v` where it exists, else by polling the child's `VmHWM` every 10 ms.
pub fn run_once_measured(config: &Path) -> (std::process::Output, u64) {
    let time = Path::new("/usr/bin/time");
    if time.exists() {
        let out = Command::new(time)
            .arg("-v")
            .arg(triaje_bin())
            .arg("--config")
            .arg(config)
            .arg("once")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let kib = stderr
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("Maximum resident set size (kbytes):")
                    .map(|v| v.trim().parse::<u64>().unwrap())
            })
            .expect("/usr/bin/time -v reports the maximum resident set size");
        return (out, kib);
    }
    let mut child = Command::new(triaje_bin())
        .arg("--config")
        .arg(config)
        .arg("once")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    // Pipes are drained by threads so a chatty child never blocks on a full pipe while we poll.
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut so, &mut v).unwrap();
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut se, &mut v).unwrap();
        v
    });
    let mut peak = 0u64;
    let exit = loop {
        if let Ok(s) = std::fs::read_to_string(&status) {
            if let Some(kib) = s.lines().find_map(|l| {
                l.strip_prefix("VmHWM:")
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            }) {
                peak = peak.max(kib);
            }
        }
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = std::process::Output {
        status: exit,
        stdout: t_out.join().unwrap(),
        stderr: t_err.join().unwrap(),
    };
    (out, peak)
}

/// The config of a test installation of `consultas@osce.test` in `dir` (IMAP only, shipped rules, SQLite store
/// unless `db_url` names another) and its store URL.
pub fn consultas_installation(
    stack: &MailStack,
    dir: &Path,
    db_url: Option<String>,
) -> (PathBuf, String) {
    let mut installation = installation::Installation::plain_at(stack, dir)
        .set("triage", "poll_seconds = 1")
        .each_mailbox(|m| {
            m.without("smtp")
                .set("", "cutoff = \"16:30\"")
                .set("", "deadline = \"disponibilidad\"")
        });
    if let Some(url) = db_url {
        installation = installation.database(&url);
    }
    let installed = installation.write();
    (installed.config.clone(), installed.database_url.clone())
}
