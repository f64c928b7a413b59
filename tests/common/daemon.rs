//! `triaje run` as the tests start it: a configuration for the private mail stack (one mailbox `consultas`, the
//! supervisor, the survey's web server on a free port), its log, and the commands a coordinator would run.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{http_get, MailStack};

/// The shared mailbox.
pub const CONSULTAS: &str = "consultas@osce.test";
/// The quality supervisor.
pub const SUPERVISOR: &str = "supervisor@osce.test";
/// The survey key the daemon signs links with.
pub const SURVEY_KEY: &str = "clave-de-prueba-de-la-encuesta-0123456789";

/// A running `triaje run`; killed on drop.
pub struct Daemon {
    /// Its data directory's parent (config, log, SQLite store under `data/`).
    pub dir: tempfile::TempDir,
    /// Its configuration file.
    pub config: PathBuf,
    /// The web server's port on 127.0.0.1.
    pub web_port: u16,
    /// The process.
    pub child: Option<Child>,
}

impl Daemon {
    /// Starts `triaje run` with the test configuration.
    pub fn start(stack: &MailStack) -> Daemon {
        Daemon::start_with(stack, "")
    }

    /// Starts `triaje run` with `extra` settings (TOML sections) added to the test configuration.
    pub fn start_with(stack: &MailStack, extra: &str) -> Daemon {
        Daemon::start_configured(stack, extra, "")
    }

    /// Starts `triaje run` with `extra` sections and `replies` lines added to its `[replies]` section.
    pub fn start_configured(stack: &MailStack, extra: &str, replies: &str) -> Daemon {
        let dir = tempfile::tempdir().unwrap();
        let web_port = super::free_port();
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            format!(
                r#"data_dir = "{data}"
rules_dir = "{rules}"

{extra}

[triage]
poll_seconds = 1

[replies]
supervisor = "{SUPERVISOR}"
check_seconds = 1
{replies}

[outbox]
retry_first_seconds = 1
retry_max_seconds = 2

[web]
bind = "127.0.0.1:{web_port}"
public_url = "http://127.0.0.1:{web_port}"
survey_key_env = "TEST_SURVEY_KEY"

[[mailbox]]
name = "consultas"
address = "{CONSULTAS}"
display_name = "Consultas OSCE"
[mailbox.imap]
host = "127.0.0.1"
port = {imap}
tls = "none"
username = "{CONSULTAS}"
password = "secret"
[mailbox.smtp]
host = "127.0.0.1"
port = {smtp}
tls = "none"
"#,
                data = dir.path().join("data").display(),
                rules = rules.display(),
                imap = stack.imap_port,
                smtp = stack.smtp_port,
            ),
        )
        .unwrap();
        let mut d = Daemon {
            dir,
            config,
            web_port,
            child: None,
        };
        d.spawn();
        d
    }

    /// Starts the process (again), waiting until its web server answers.
    pub fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("run.log"))
            .unwrap();
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
        // Until the web server answers, the daemon is not up.
        let start = Instant::now();
        while http_get(self.web_port, "/health").is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "triaje run did not start:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Kills the process.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// What it logged so far.
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

    /// What `triaje status` prints.
    pub fn status(&self) -> String {
        String::from_utf8_lossy(&self.triaje(&["status"]).stdout).to_string()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.stop();
    }
}
