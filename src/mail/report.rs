//! What a bounce or an auto-reply says about the message it answers: the delivery status (RFC 3464) and the
//! identity of the returned message (its `Message-ID` and, for triaje's own mail, its ticket), wherever the
//! reporting server put it — a `message/rfc822` part, a `text/rfc822-headers` part, or pasted in the text as
//! qmail and old Exchange do.

use mail_parser::{Message, MimeHeaders};

/// The first recipient's delivery status in a DSN.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryStatus {
    /// `Final-Recipient` (or `Original-Recipient`), without its `rfc822;` type.
    pub recipient: Option<String>,
    /// `Action`: `failed`, `delayed`, `delivered`, `relayed`, `expanded`.
    pub action: Option<String>,
    /// `Status`: `5.1.1`.
    pub status: Option<String>,
    /// `Diagnostic-Code`, without its `smtp;` type: the server's own words.
    pub diagnostic: Option<String>,
}

impl DeliveryStatus {
    /// True when the report says the message will not be delivered (not a delay or a success notice).
    pub fn failed(&self) -> bool {
        match self.action.as_deref() {
            Some(a) => a.eq_ignore_ascii_case("failed"),
            None => self.status.as_deref().is_some_and(|s| s.starts_with('5')),
        }
    }

    /// One Spanish line for the register and the assistants.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.recipient {
            parts.push(format!("destinatario {r}"));
        }
        if let Some(s) = &self.status {
            parts.push(format!("estado {s}"));
        }
        if let Some(d) = &self.diagnostic {
            parts.push(format!("el servidor respondió «{d}»"));
        }
        parts.join("; ")
    }
}

/// The delivery status of a `message/delivery-status` part of `msg`, if it has one.
pub fn delivery_status(msg: &Message<'_>) -> Option<DeliveryStatus> {
    let part = msg.parts.iter().find(|p| {
        p.content_type().is_some_and(|ct| {
            ct.c_type.eq_ignore_ascii_case("message")
                && ct.c_subtype.as_deref().is_some_and(|s| {
                    s.eq_ignore_ascii_case("delivery-status")
                        || s.eq_ignore_ascii_case("global-delivery-status")
                })
        })
    })?;
    let raw = msg
        .raw_message
        .get(part.offset_body as usize..part.offset_end as usize)?;
    Some(parse_status(&String::from_utf8_lossy(raw)))
}

/// Reads RFC 3464 fields (unfolded); the first recipient's block wins.
fn parse_status(text: &str) -> DeliveryStatus {
    let mut status = DeliveryStatus::default();
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = lines.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
                continue;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    let typed = |v: &str| {
        let v = v.trim();
        match v.split_once(';') {
            Some((_, rest)) => rest.trim().to_string(),
            None => v.to_string(),
        }
    };
    for line in &lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value: String = value.chars().take(300).collect();
        match name.trim().to_ascii_lowercase().as_str() {
            "final-recipient" if status.recipient.is_none() => {
                status.recipient = Some(typed(&value))
            }
            "original-recipient" if status.recipient.is_none() => {
                status.recipient = Some(typed(&value))
            }
            "action" if status.action.is_none() => status.action = Some(value.trim().to_string()),
            "status" if status.status.is_none() => status.status = Some(value.trim().to_string()),
            "diagnostic-code" if status.diagnostic.is_none() => {
                status.diagnostic = Some(typed(&value))
            }
            _ => {}
        }
    }
    status
}

/// `Message-ID:` and `X-Triaje-Ticket:` values in header lines pasted as text (a returned header block).
pub fn header_lines_ids(text: &str) -> (Vec<String>, Vec<String>) {
    let mut ids = Vec::new();
    let mut tickets = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches(['>', ' ', '\t']);
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "message-id" => {
                let id = value.trim_matches(|c| c == '<' || c == '>').trim();
                if !id.is_empty() && id.contains('@') && !ids.iter().any(|i| i == id) {
                    ids.push(id.to_string());
                }
            }
            "x-triaje-ticket" if !value.is_empty() => tickets.push(value.to_string()),
            _ => {}
        }
    }
    (ids, tickets)
}

/// The raw text of every `text/rfc822-headers` part of `msg` (the returned message's header).
pub fn returned_headers(msg: &Message<'_>) -> String {
    let mut out = String::new();
    for part in &msg.parts {
        let is_headers = part.content_type().is_some_and(|ct| {
            ct.c_type.eq_ignore_ascii_case("text")
                && ct
                    .c_subtype
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case("rfc822-headers"))
        });
        if is_headers {
            if let Some(raw) = msg
                .raw_message
                .get(part.offset_body as usize..part.offset_end as usize)
            {
                out.push_str(&String::from_utf8_lossy(raw));
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dsn_says_who_failed_and_why() {
        let s = parse_status(
            "Reporting-MTA: dns; mx.example.test\n\nFinal-Recipient: rfc822; ciudadano@noexiste.test\n\
             Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user\n unknown\n",
        );
        assert_eq!(s.recipient.as_deref(), Some("ciudadano@noexiste.test"));
        assert!(s.failed());
        assert_eq!(s.diagnostic.as_deref(), Some("550 5.1.1 user unknown"));
        assert!(s.describe().contains("5.1.1"));
        let delayed = parse_status("Action: delayed\nStatus: 4.4.1\n");
        assert!(!delayed.failed());
    }

    #[test]
    fn returned_header_lines_name_the_message() {
        let (ids, tickets) = header_lines_ids(
            "From: consultas@osce.test\nMessage-ID: <respuesta.CONS-2026-000001.ab@osce.test>\n\
             X-Triaje-Ticket: CONS-2026-000001\n> Message-Id: <otro@x.pe>\n",
        );
        assert_eq!(
            ids,
            ["respuesta.CONS-2026-000001.ab@osce.test", "otro@x.pe"]
        );
        assert_eq!(tickets, ["CONS-2026-000001"]);
    }
}
