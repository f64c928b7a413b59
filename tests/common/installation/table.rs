//! The TOML a test installation is written in: tables of `key = value` lines in which a test sets, replaces or
//! removes one key without restating the others.

/// A TOML table as its `key = value` lines, in the order first set; setting a key again replaces its line, so a
/// test changes one default without restating the others.
#[derive(Debug, Clone, Default)]
pub struct Table(Vec<String>);

impl Table {
    /// Sets `line` (`key = value`), replacing the line of the same key if there is one.
    pub fn set(&mut self, line: &str) {
        let key = key_of(line);
        match self.0.iter_mut().find(|l| key_of(l) == key) {
            Some(old) => *old = line.to_string(),
            None => self.0.push(line.to_string()),
        }
    }

    /// Sets each non-empty line of `lines`.
    pub fn set_lines(&mut self, lines: &str) {
        for line in lines.lines().filter(|l| !l.trim().is_empty()) {
            self.set(line);
        }
    }

    /// Removes the line of `key`.
    pub fn unset(&mut self, key: &str) {
        self.0.retain(|l| key_of(l) != key);
    }

    /// The lines, each ended by a newline.
    pub(super) fn render(&self) -> String {
        self.0.iter().map(|l| format!("{l}\n")).collect()
    }
}

/// The key of a `key = value` line.
fn key_of(line: &str) -> &str {
    line.split('=').next().unwrap_or_default().trim()
}

/// Named tables in order (`[triage]`, `[mailbox.imap]`…), each written only when present.
#[derive(Debug, Clone, Default)]
pub(super) struct Tables(pub(super) Vec<(String, Table)>);

impl Tables {
    pub(super) fn table(&mut self, name: &str) -> &mut Table {
        if let Some(i) = self.0.iter().position(|(n, _)| n == name) {
            return &mut self.0[i].1;
        }
        self.0.push((name.to_string(), Table::default()));
        &mut self.0.last_mut().unwrap().1
    }

    pub(super) fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| n != name);
    }
}
