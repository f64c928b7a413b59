//! `triaje run` as the office runs it, with one or several mailboxes, against a [`MailStack`](super::MailStack): a configuration written for
//! the test (SQLite in a temporary folder, the shipped rules, the survey's web server on a free port), the
//! process's log kept for failure messages, and the process stopped on drop.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{http_get, MailStack};

/// The key the test daemons sign survey links with.
pub const SURVEY_KEY: &str = "clave-de-prueba-de-la-encuesta-0123456789";

/// How a test daemon differs from the default one.
#[derive(Debug, Clone)]
pub struct DaemonOptions {
    /// The mailboxes it serves (user part of `@osce.test`), each with its SMTP account.
    pub mailboxes: Vec<String>,
    /// `[replies] check_seconds`: how often the reply folders are looked at besides their watchers.
    pub check_seconds: u32,
    /// `[replies] supervisor`.
    pub supervisor: String,
    /// More TOML, put before the sections (top-level keys) — or whole sections.
    pub extra: String,
}

impl Default for DaemonOptions {
    fn default() -> DaemonOptions {
        DaemonOptions {
            mailboxes: vec!["consultas".into()],
            check_seconds: 1,
            supervisor: "supervisor@osce.test".into(),
            extra: String::new(),
        }
    }
}

/// A running `triaje run`; killed on drop.
pub struct Daemon {
    /// Its data folder, configuration and log.
    pub dir: tempfile::TempDir,
    /// The configuration file.
    pub config: PathBuf,
    /// Where its web server (survey, /health) listens on 127.0.0.1.
    pub web_port: u16,
    /// The process.
    child: Option<Child>,
}

impl Daemon {
    /// Starts `triaje run` on `stack` and waits until its web server answers.
    pub fn start(stack: &MailStack, options: &DaemonOptions) -> Daemon {
        let dir = tempfile::tempdir().unwrap();
        let web_port = super::free_port();
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let config = dir.path().join("config.toml");
        let mut text = format!(
            "data_dir = \"{data}\"\nrules_dir = \"{rules}\"\n\n{extra}\n\n[triage]\npoll_seconds = 1\n\n\
             [replies]\nsupervisor = \"{supervisor}\"\ncheck_seconds = {check}\n\n\
             [outbox]\nretry_first_seconds = 1\nretry_max_seconds = 2\n\n\
             [web]\nbind = \"127.0.0.1:{web_port}\"\npublic_url = \"http://127.0.0.1:{web_port}\"\n\
             survey_key_env = \"TEST_SURVEY_KEY\"\n",
            data = dir.path().join("data").display(),
            rules = rules.display(),
            extra = options.extra,
            supervisor = options.supervisor,
            check = options.check_seconds,
        );
        for name in &options.mailboxes {
            text.push_str(&format!(
                "\n[[mailbox]]\nname = \"{name}\"\naddress = \"{name}@osce.test\"\n\
                 display_name = \"{display} OSCE\"\n[mailbox.imap]\nhost = \"127.0.0.1\"\nport = {imap}\n\
                 tls = \"none\"\nusername = \"{name}@osce.test\"\npassword = \"{password}\"\n\
                 [mailbox.smtp]\nhost = \"127.0.0.1\"\nport = {smtp}\ntls = \"none\"\n",
                display = capitalised(name),
                imap = stack.imap_port,
                smtp = stack.smtp_port,
                password = stack.password,
            ));
        }
        std::fs::write(&config, text).unwrap();
        let mut daemon = Daemon {
            dir,
            config,
            web_port,
            child: None,
        };
        daemon.spawn();
        daemon
    }

    fn spawn(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("run.log")).unwrap();
        let child = Command::new(super::triaje_bin())
            .arg("--config")
            .arg(&self.config)
            .args(["--log", "info", "run"])
            .env("TEST_SURVEY_KEY", SURVEY_KEY)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
        let start = Instant::now();
        while http_get(self.web_port, "/health").is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "triaje run did not start:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What the daemon logged so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("run.log")).unwrap_or_default()
    }

    /// Runs another `triaje` command on the same configuration.
    pub fn triaje(&self, args: &[&str]) -> std::process::Output {
        Command::new(super::triaje_bin())
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("TEST_SURVEY_KEY", SURVEY_KEY)
            .output()
            .unwrap()
    }

    /// `triaje status`, as printed.
    pub fn status(&self) -> String {
        String::from_utf8_lossy(&self.triaje(&["status"]).stdout).to_string()
    }

    /// The daemon's register (a second handle on its SQLite file).
    pub async fn store(&self) -> triaje::store::Store {
        super::sqlite_store(self.dir.path()).await
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// `consultas` → `Consultas`.
fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
