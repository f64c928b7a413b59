//! An installation of triaje as a test sets one up: its `config.toml` (mailboxes on the private [`MailStack`],
//! the store, the web server on a free port, TLS and OAuth settings, any further section), its data folder and
//! its log, in a temporary folder removed on drop. From it a test runs `triaje once`, any other command, or
//! [`Installed::spawn_run`] for the running daemon. Every integration test writes its configuration here, so a
//! setting the daemon gains is added in one place.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod mailbox;
mod table;

pub use mailbox::Mailbox;
pub use table::Table;

use super::daemon::Daemon;
use super::MailStack;
use table::Tables;

/// The key test installations sign survey links with.
pub const SURVEY_KEY: &str = "clave-de-prueba-de-la-encuesta-0123456789";
/// The variable [`SURVEY_KEY`] is passed in (`[web] survey_key_env`).
pub const SURVEY_KEY_ENV: &str = "TEST_SURVEY_KEY";

/// The folder an installation lives in: a temporary one removed on drop, or one the test owns.
pub struct Folder {
    path: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

impl Folder {
    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// An installation still being described; [`Installation::write`] puts it on disk.
pub struct Installation {
    dir: Folder,
    database_url: Option<String>,
    top: Table,
    extra: String,
    sections: Tables,
    mailboxes: Vec<Mailbox>,
    /// Whether standard mailboxes are [`Mailbox::displayed`] (the daemon tests') or not.
    displayed: bool,
    web_port: Option<u16>,
    env: Vec<(String, String)>,
}

impl Installation {
    /// The installation the daemon tests share: mailbox `consultas` (IMAP and SMTP), SQLite under `data/`, the
    /// shipped rules, a one-second triage poll, the supervisor `supervisor@osce.test`, outbox retries within
    /// seconds, and the web server (survey, `/health`) on a free port with [`SURVEY_KEY`]; mailboxes are
    /// [`Mailbox::displayed`].
    pub fn new(stack: &MailStack) -> Installation {
        let web_port = super::free_port();
        let mut installation = Installation::plain(stack);
        installation.displayed = true;
        installation
            .mailboxes(stack, &["consultas"])
            .set("triage", "poll_seconds = 1")
            .set("replies", "supervisor = \"supervisor@osce.test\"")
            .set("replies", "check_seconds = 1")
            .set("outbox", "retry_first_seconds = 1")
            .set("outbox", "retry_max_seconds = 2")
            .web_on(web_port)
    }

    /// Only what every installation has: `data_dir`, the shipped rules and mailbox `consultas` (IMAP and SMTP);
    /// no section, no web server.
    pub fn plain(stack: &MailStack) -> Installation {
        Installation::bare().mailbox(Mailbox::new("consultas", stack))
    }

    /// [`Installation::plain`] without any mailbox, for a test that brings its own server.
    pub fn bare() -> Installation {
        let temp = tempfile::tempdir().unwrap();
        let dir = Folder {
            path: temp.path().to_path_buf(),
            _temp: Some(temp),
        };
        Installation::bare_in(dir)
    }

    /// An installation whose mailbox is never reached (IMAP port 1, no password): for the commands that only
    /// read the register (`report`, `purge`) and for what a configuration without a password says.
    pub fn offline() -> Installation {
        Installation::bare()
            .mailbox(Mailbox::on("consultas", 1, None, "").unset("imap", "password"))
    }

    /// [`Installation::plain`] in a folder the test owns (see [`Installation::at`]).
    pub fn plain_at(stack: &MailStack, dir: &Path) -> Installation {
        Installation::plain(stack).at(dir)
    }

    fn bare_in(dir: Folder) -> Installation {
        let mut top = Table::default();
        top.set(&format!(
            "data_dir = \"{}\"",
            dir.path().join("data").display()
        ));
        top.set(&format!(
            "rules_dir = \"{}\"",
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("rules")
                .display()
        ));
        Installation {
            dir,
            database_url: None,
            top,
            extra: String::new(),
            sections: Tables::default(),
            mailboxes: Vec::new(),
            displayed: false,
            web_port: None,
            env: Vec::new(),
        }
    }

    /// The same installation in `dir`, a folder the test owns and removes itself (a test that mounts a small disk
    /// as `data/` unmounts it before the folder goes). Call it before anything that writes into the folder.
    pub fn at(mut self, dir: &Path) -> Installation {
        self.dir = Folder {
            path: dir.to_path_buf(),
            _temp: None,
        };
        let line = format!("data_dir = \"{}\"", dir.join("data").display());
        self.set("", &line)
    }

    /// The temporary folder the installation lives in (its data folder is `data/` under it).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The table of `section`: `""` for the top-level keys, else `"triage"`, `"replies"`, `"web"`…
    fn section(&mut self, section: &str) -> &mut Table {
        match section {
            "" => &mut self.top,
            _ => self.sections.table(section),
        }
    }

    /// Sets `line` in `section` (`""` for a top-level key).
    pub fn set(mut self, section: &str, line: &str) -> Installation {
        self.section(section).set(line);
        self
    }

    /// Sets each non-empty line of `lines` in `section`.
    pub fn set_lines(mut self, section: &str, lines: &str) -> Installation {
        self.section(section).set_lines(lines);
        self
    }

    /// Removes `key` from `section`.
    pub fn unset(mut self, section: &str, key: &str) -> Installation {
        self.section(section).unset(key);
        self
    }

    /// Removes a whole section (`"web"` also forgets the port).
    pub fn without(mut self, section: &str) -> Installation {
        if section == "web" {
            self.web_port = None;
        }
        self.sections.remove(section);
        self
    }

    /// A private copy of the shipped rules in `rules/` (so a test can edit them under a running daemon).
    pub fn own_rules(self) -> Installation {
        let rules = self.dir.path().join("rules");
        std::fs::create_dir_all(&rules).unwrap();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        for entry in std::fs::read_dir(&shipped).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) == Some("toml") {
                std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
            }
        }
        let line = format!("rules_dir = \"{}\"", rules.display());
        self.set("", &line)
    }

    /// The store at `url` instead of SQLite under `data/`.
    pub fn database(mut self, url: &str) -> Installation {
        self.database_url = Some(url.to_string());
        self.set("", &format!("database_url = \"{url}\""))
    }

    /// The web server on 127.0.0.1:`port`, its links pointing there, signing with [`SURVEY_KEY`].
    pub fn web_on(mut self, port: u16) -> Installation {
        self.web_port = Some(port);
        self.env(SURVEY_KEY_ENV, SURVEY_KEY)
            .set("web", &format!("bind = \"127.0.0.1:{port}\""))
            .set("web", &format!("public_url = \"http://127.0.0.1:{port}\""))
            .set("web", &format!("survey_key_env = \"{SURVEY_KEY_ENV}\""))
    }

    /// More TOML written after the top-level keys: more keys, or whole sections the builder does not own.
    pub fn extra(mut self, toml: &str) -> Installation {
        self.extra.push_str(toml);
        self.extra.push('\n');
        self
    }

    /// The standard mailboxes of these names (see [`Mailbox::new`]) instead of the ones so far.
    pub fn mailboxes(mut self, stack: &MailStack, names: &[&str]) -> Installation {
        self.mailboxes = names
            .iter()
            .map(|n| match self.displayed {
                true => Mailbox::displayed(n, stack),
                false => Mailbox::new(n, stack),
            })
            .collect();
        self
    }

    /// No mailbox yet (the test adds its own with [`Installation::mailbox`]).
    pub fn no_mailboxes(mut self) -> Installation {
        self.mailboxes.clear();
        self
    }

    /// One more mailbox.
    pub fn mailbox(mut self, mailbox: Mailbox) -> Installation {
        self.mailboxes.push(mailbox);
        self
    }

    /// Changes every mailbox so far (`|m| m.without("smtp")`).
    pub fn each_mailbox(mut self, change: impl Fn(Mailbox) -> Mailbox) -> Installation {
        self.mailboxes = self.mailboxes.into_iter().map(change).collect();
        self
    }

    /// An environment variable every `triaje` of this installation gets (secrets named by `*_env` keys).
    pub fn env(mut self, name: &str, value: &str) -> Installation {
        self.env.retain(|(n, _)| n != name);
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    /// The configuration as it will be written.
    pub fn config_text(&self) -> String {
        let mut text = self.top.render();
        text.push('\n');
        text.push_str(&self.extra);
        for (name, table) in &self.sections.0 {
            text.push_str(&format!("\n[{name}]\n"));
            text.push_str(&table.render());
        }
        for mailbox in &self.mailboxes {
            text.push_str(&mailbox.render());
        }
        text
    }

    /// Writes `config.toml` and returns the installation on disk.
    pub fn write(self) -> Installed {
        let config = self.dir.path().join("config.toml");
        std::fs::write(&config, self.config_text()).unwrap();
        let database_url = self.database_url.unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.dir.path().join("data/triaje.db").display()
            )
        });
        Installed {
            config,
            database_url,
            web_port: self.web_port.unwrap_or(0),
            env: self.env,
            dir: self.dir,
        }
    }
}

/// An installation on disk: its configuration, its data folder, the commands a coordinator would run on it.
pub struct Installed {
    /// The folder holding `config.toml`, `data/` and `run.log`; removed on drop when temporary.
    pub dir: Folder,
    /// The configuration file.
    pub config: PathBuf,
    /// The store's URL (SQLite under `data/` unless the installation named another).
    pub database_url: String,
    /// The web server's port on 127.0.0.1 (0 when it has none).
    pub web_port: u16,
    /// What every `triaje` of it gets in its environment.
    env: Vec<(String, String)>,
}

impl Installed {
    /// `triaje --config <config>` with the installation's environment, ready for arguments.
    pub fn command(&self) -> Command {
        let mut command = Command::new(super::triaje_bin());
        // Run from the installation's folder, as its coordinator would: relative paths (`-o informe.xlsx`) land
        // there. No test types at a prompt: a command that asked would wait forever on the runner's terminal.
        command
            .current_dir(self.dir.path())
            .arg("--config")
            .arg(&self.config)
            .env_remove("TRIAJE_CONFIG")
            .stdin(Stdio::null());
        for (name, value) in &self.env {
            command.env(name, value);
        }
        command
    }

    /// Runs `triaje <args>` to its end.
    pub fn triaje(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    /// Runs `triaje <args>` to its end: whether it succeeded, and its standard output and error one after the
    /// other (what a person at the terminal reads).
    pub fn run(&self, args: &[&str]) -> (bool, String) {
        let out = self.triaje(args);
        (out.status.success(), output_text(&out))
    }

    /// The day's register as `triaje report register --day <day> --format csv` writes it (into the
    /// installation's folder, `registro.csv`), read back as text; the command must succeed.
    pub fn register_csv(&self, day: &str) -> String {
        let (ok, out) = self.run(&[
            "report",
            "register",
            "--day",
            day,
            "--format",
            "csv",
            "-o",
            "registro.csv",
        ]);
        assert!(ok, "{out}");
        std::fs::read_to_string(self.dir.path().join("registro.csv")).expect("registro.csv")
    }

    /// The line of consultation `c` in the register of the day its deadline counted from ([`Self::register_csv`]);
    /// the consultation must be there.
    pub fn register_line(&self, c: &triaje::store::ConsultationRow) -> String {
        let day = c
            .effective_received_at
            .with_timezone(&triaje::calendar::LIMA)
            .date_naive()
            .to_string();
        let csv = self.register_csv(&day);
        csv.lines()
            .find(|l| l.contains(&c.ticket))
            .unwrap_or_else(|| panic!("{} in the register: {csv}", c.ticket))
            .to_string()
    }

    /// Runs `triaje once` to its end.
    pub fn once(&self) -> Output {
        self.triaje(&["once"])
    }

    /// What `triaje status` prints.
    pub fn status(&self) -> String {
        String::from_utf8_lossy(&self.triaje(&["status"]).stdout).to_string()
    }

    /// The data folder.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A second handle on the installation's store.
    pub async fn store(&self) -> triaje::store::Store {
        triaje::store::Store::connect(&self.database_url)
            .await
            .unwrap()
    }

    /// Starts one more `triaje --log info run` on this installation, logging into `log`, and leaves it to the
    /// caller (several daemons sharing one store, each killed its own way).
    pub fn run_process(&self, log: &Path) -> std::process::Child {
        self.command()
            .args(["--log", "info", "run"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .unwrap()
    }

    /// Starts `triaje run` (log at `info` in `run.log`), waiting until its web server answers when it has one.
    pub fn spawn_run(self) -> Daemon {
        Daemon::spawn_on(self, "info")
    }
}

/// Standard output and error of a command, one after the other (what a person at the terminal reads).
pub fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
