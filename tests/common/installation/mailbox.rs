//! One `[[mailbox]]` of a test installation: on the private mail stack by default, any key changed by the test
//! (TLS, OAuth, a password from the environment, a mailbox triaje only reads).

use super::table::Tables;
use crate::common::MailStack;

/// One `[[mailbox]]`: its own keys, then `[mailbox.imap]`, `[mailbox.smtp]` and any other `[mailbox.*]` table.
#[derive(Debug, Clone)]
pub struct Mailbox {
    tables: Tables,
}

impl Mailbox {
    /// `<name>@osce.test` on the stack's IMAP and SMTP without TLS, logging in with the stack's password.
    pub fn new(name: &str, stack: &MailStack) -> Mailbox {
        Mailbox::on(
            name,
            stack.imap_port,
            Some(stack.smtp_port),
            &stack.password,
        )
    }

    /// `<name>@osce.test` on IMAP at 127.0.0.1:`imap_port` (and SMTP at `smtp_port`, if any) without TLS,
    /// logging in with `password`: for a server that is not a [`MailStack`].
    pub fn on(name: &str, imap_port: u16, smtp_port: Option<u16>, password: &str) -> Mailbox {
        let address = format!("{name}@osce.test");
        let mailbox = Mailbox::empty()
            .set("", &format!("name = \"{name}\""))
            .set("", &format!("address = \"{address}\""))
            .set("imap", "host = \"127.0.0.1\"")
            .set("imap", &format!("port = {imap_port}"))
            .set("imap", "tls = \"none\"")
            .set("imap", &format!("username = \"{address}\""))
            .set("imap", &format!("password = \"{password}\""));
        match smtp_port {
            Some(port) => mailbox
                .set("smtp", "host = \"127.0.0.1\"")
                .set("smtp", &format!("port = {port}"))
                .set("smtp", "tls = \"none\""),
            None => mailbox,
        }
    }

    /// The same, displayed as «Name OSCE» (how the daemon tests' acknowledgements are signed).
    pub fn displayed(name: &str, stack: &MailStack) -> Mailbox {
        Mailbox::new(name, stack).set(
            "",
            &format!("display_name = \"{} OSCE\"", capitalised(name)),
        )
    }

    /// A mailbox with no key at all, for a test that writes every line itself.
    pub fn empty() -> Mailbox {
        let mut tables = Tables::default();
        tables.table("");
        Mailbox { tables }
    }

    /// Sets `line` in `table`: `""` for the `[[mailbox]]` itself, `"imap"`, `"smtp"`, `"oauth"`…
    pub fn set(mut self, table: &str, line: &str) -> Mailbox {
        self.tables.table(table).set(line);
        self
    }

    /// Sets each non-empty line of `lines` in `table`.
    pub fn set_lines(mut self, table: &str, lines: &str) -> Mailbox {
        self.tables.table(table).set_lines(lines);
        self
    }

    /// Removes `key` from `table`.
    pub fn unset(mut self, table: &str, key: &str) -> Mailbox {
        self.tables.table(table).unset(key);
        self
    }

    /// Removes a whole table (`"smtp"` for a mailbox triaje only reads).
    pub fn without(mut self, table: &str) -> Mailbox {
        self.tables.remove(table);
        self
    }

    pub(super) fn render(&self) -> String {
        let mut text = String::new();
        for (name, table) in &self.tables.0 {
            match name.as_str() {
                "" => text.push_str("\n[[mailbox]]\n"),
                sub => text.push_str(&format!("[mailbox.{sub}]\n")),
            }
            text.push_str(&table.render());
        }
        text
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
