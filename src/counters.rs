//! What the running daemon counts in memory, for `/metrics`: connections and failures per mailbox, messages
//! filed and sent to the errors folder since the start. (The register's own numbers come from the store.)

use std::collections::BTreeMap;
use std::sync::Mutex;

/// One mailbox's counters since the daemon started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailboxCounters {
    /// IMAP connections opened (the first one and every reconnection).
    pub connections: u64,
    /// Times the mailbox's worker failed and had to reconnect (server down, login refused, timeout…).
    pub failures: u64,
    /// Messages moved to their folder.
    pub filed: u64,
    /// Messages moved to the errors folder.
    pub errors: u64,
    /// Why the mailbox's worker fails right now (in Spanish); `None` while it works. Kept in memory as well as
    /// in the store, so `/health` still tells when the store itself is what fails (a full disk).
    pub failing: Option<String>,
}

/// A counter's name, help text, and how to read it from a mailbox's counters.
type Series = (&'static str, &'static str, fn(&MailboxCounters) -> u64);

/// The daemon's counters, shared by the mailbox workers and the web server.
#[derive(Debug, Default)]
pub struct Counters {
    by_mailbox: Mutex<BTreeMap<String, MailboxCounters>>,
}

impl Counters {
    /// Changes the counters of `mailbox`.
    pub fn update(&self, mailbox: &str, change: impl FnOnce(&mut MailboxCounters)) {
        // A poisoned lock only means a worker panicked while counting: the numbers are still usable.
        let mut map = self.by_mailbox.lock().unwrap_or_else(|p| p.into_inner());
        change(map.entry(mailbox.to_string()).or_default());
    }

    /// A copy of every mailbox's counters.
    pub fn snapshot(&self) -> BTreeMap<String, MailboxCounters> {
        self.by_mailbox
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The counters as Prometheus text (appended to `/metrics`).
    pub fn render(&self) -> String {
        let snapshot = self.snapshot();
        let mut out = String::new();
        let series: [Series; 4] = [
            (
                "triaje_imap_connections_total",
                "IMAP connections opened since the start (reconnections included)",
                |c| c.connections,
            ),
            (
                "triaje_mailbox_failures_total",
                "Times a mailbox worker failed and will reconnect",
                |c| c.failures,
            ),
            (
                "triaje_messages_filed_total",
                "Messages moved to their folder since the start",
                |c| c.filed,
            ),
            (
                "triaje_messages_errors_total",
                "Messages moved to the errors folder since the start",
                |c| c.errors,
            ),
        ];
        for (name, help, get) in series {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} counter\n"));
            for (mailbox, c) in &snapshot {
                let mailbox = mailbox.replace('\\', "\\\\").replace('"', "\\\"");
                out.push_str(&format!("{name}{{mailbox=\"{mailbox}\"}} {}\n", get(c)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_as_prometheus_series_per_mailbox() {
        let c = Counters::default();
        c.update("consultas", |m| m.connections += 2);
        c.update("consultas", |m| m.failures += 1);
        c.update("contacto", |m| m.filed += 7);
        let text = c.render();
        assert!(
            text.contains("triaje_imap_connections_total{mailbox=\"consultas\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("triaje_mailbox_failures_total{mailbox=\"consultas\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("triaje_messages_filed_total{mailbox=\"contacto\"} 7\n"),
            "{text}"
        );
        assert!(
            text.contains("# TYPE triaje_messages_errors_total counter\n"),
            "{text}"
        );
    }
}
