//! `triaje run` as the tests start it, on an [`Installation`]: the process with its log kept in `run.log` for
//! failure messages, restarted or killed as a test needs, killed on drop. Everything an installation on disk
//! offers (`triaje(…)`, `status()`, `store()`, `dir`, `config`, `web_port`) is there through the daemon.

use std::ops::Deref;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::installation::{Installation, Installed};
use super::{http_get, MailStack, StoredMessage};

/// The shared mailbox.
pub const CONSULTAS: &str = "consultas@osce.test";
/// The quality supervisor.
pub const SUPERVISOR: &str = "supervisor@osce.test";

/// A running `triaje run`; killed on drop.
pub struct Daemon {
    /// The installation it runs.
    installed: Installed,
    /// `--log` level.
    level: String,
    /// The process, while it runs.
    pub child: Option<Child>,
}

impl Deref for Daemon {
    type Target = Installed;

    fn deref(&self) -> &Installed {
        &self.installed
    }
}

impl Daemon {
    /// Starts `triaje run` on the daemon tests' installation ([`Installation::new`]).
    pub fn start(stack: &MailStack) -> Daemon {
        Installation::new(stack).write().spawn_run()
    }

    /// Starts `triaje run` with `extra` settings (TOML sections) added to the daemon tests' installation.
    pub fn start_with(stack: &MailStack, extra: &str) -> Daemon {
        Daemon::start_configured(stack, extra, "")
    }

    /// Starts `triaje run` with `extra` sections and `replies` lines (`key = value`) added to its `[replies]`.
    pub fn start_configured(stack: &MailStack, extra: &str, replies: &str) -> Daemon {
        Installation::new(stack)
            .extra(extra)
            .set_lines("replies", replies)
            .write()
            .spawn_run()
    }

    /// Starts `triaje --log <level> run` on `installed`.
    pub fn spawn_on(installed: Installed, level: &str) -> Daemon {
        let mut daemon = Daemon {
            installed,
            level: level.to_string(),
            child: None,
        };
        daemon.spawn();
        daemon
    }

    /// Starts the process (again), waiting until its web server answers when it has one.
    pub fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("run.log"))
            .unwrap();
        let child = self
            .command()
            .args(["--log", &self.level, "run"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
        if self.web_port == 0 {
            return;
        }
        // Until the web server answers, the daemon is not up.
        let start = Instant::now();
        while http_get(self.web_port, "/health").is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "triaje run did not start:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Kills the process (as a crash or `kill -9` would).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Whether the process is still running (it did not exit on its own).
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().unwrap().is_none())
    }

    /// The process id, while it runs.
    pub fn id(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    /// What it logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("run.log")).unwrap_or_default()
    }

    /// The last `n` lines of its log (for a failure message).
    pub fn log_tail(&self, n: usize) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }

    /// Polls `check` every 300 ms until it gives `Some`; after `limit`, fails saying `what` did not happen and
    /// what the daemon logged last.
    pub async fn eventually<T>(
        &self,
        what: &str,
        limit: Duration,
        mut check: impl FnMut() -> Option<T>,
    ) -> T {
        let start = Instant::now();
        loop {
            if let Some(v) = check() {
                return v;
            }
            if start.elapsed() > limit {
                panic!("{what}: not within {limit:?}\n{}", self.log_tail(30));
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    /// Waits until `folder` of `user` holds exactly `count` messages and returns them; after `limit`, fails with
    /// what the daemon logged last (where [`MailStack::wait_for`] would show the user's folders instead).
    pub async fn wait_for(
        &self,
        stack: &MailStack,
        user: &str,
        folder: &str,
        count: usize,
        limit: Duration,
    ) -> Vec<StoredMessage> {
        let start = Instant::now();
        loop {
            let got = stack.messages(user, folder).await;
            if got.len() == count {
                return got;
            }
            if start.elapsed() > limit {
                panic!(
                    "«{folder}» of {user} holds {} messages, not {count}; the daemon's log:\n{}",
                    got.len(),
                    self.log_tail(40)
                );
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.stop();
    }
}
