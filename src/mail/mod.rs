//! Parsing a raw message into what triage needs: addresses, dates, threading ids, the citizen's own words
//! (without quoted earlier messages or the signature) and whether the message was sent by a machine.
//!
//! Parsing is lenient — citizens' mail clients produce every kind of broken MIME — and never panics. The rules
//! never see a `ParsedMail`, only a [`MessageView`], so they can be tested without building messages.

pub mod acknowledgement;
mod address;
mod auto;
mod body;
pub mod charset;
pub mod compose;
pub mod derivation;
mod encoded_words;
mod error;
mod forward;
mod fresh;
mod html;
mod parse;
mod pass_on;
pub mod reply;
mod report;
mod signature;
pub mod template;
mod transfer;

pub use address::{first_mailbox, Sender};
pub use auto::{delivered_to_loop, is_noreply, AutoKind, AutoSignal, Evidence, PersonSign, Weak};
pub use encoded_words::decode_header;
pub use error::MailError;
pub use forward::Embedded;
pub use fresh::{answer, fresh_text, signature, Answer};
pub use html::html_to_text;
pub use parse::{message_id, parse};
pub use report::DeliveryStatus;

use chrono::{DateTime, Utc};

/// The most body text (in bytes) the rules look at; longer bodies are cut on a character boundary.
///
/// A consultation's question is in its first lines; a 2 MB pasted log would only slow every rule down.
pub const BODY_LIMIT: usize = 32 * 1024;

/// A message reduced to what triage, the register and the acknowledgement need.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedMail {
    /// `Message-ID` without angle brackets, when the message has one.
    pub message_id: Option<String>,
    /// Decoded subject; empty when there is none.
    pub subject: String,
    /// The first `From` address.
    pub from: Option<Address>,
    /// The first `Reply-To` address (where an answer should go when present).
    pub reply_to: Option<Address>,
    /// Every `To` address.
    pub to: Vec<Address>,
    /// Every `Cc` address.
    pub cc: Vec<Address>,
    /// The sender's `Date:` header, when valid. Only for `rules test`: arrival time comes from the server.
    pub date: Option<DateTime<Utc>>,
    /// Every top-level header: lower-case name and decoded value, in message order.
    pub headers: Vec<(String, String)>,
    /// The text/plain body, or the text extracted from HTML when there is no plain part; charsets decoded.
    pub body_text: String,
    /// `body_text` without quoted earlier messages and without the signature: what the citizen wrote now.
    pub fresh_text: String,
    /// Attached files (names and types; never their content, which is not even decoded).
    pub attachments: Vec<Attachment>,
    /// `In-Reply-To` id without angle brackets.
    pub in_reply_to: Option<String>,
    /// `References` ids without angle brackets, oldest first.
    pub references: Vec<String>,
    /// Set when a machine sent the message (auto-reply, bounce, list); such mail is never answered automatically.
    pub auto_submitted: Option<AutoKind>,
    /// What gave the machine away (`Auto-Submitted: auto-replied`), when `auto_submitted` is set.
    pub auto_evidence: Option<String>,
    /// Every machine signal and sign of a person the message shows, which `auto_submitted` weighs; triage
    /// weighs them again with what only it can see (an answer to the office's own mail).
    pub machine_evidence: Evidence,
    /// True when the sender's display name could not be decoded with confidence: it is not shown to citizens.
    pub name_doubtful: bool,
    /// True when some of the text was damaged (bad base64) or its charset guessed without confidence.
    pub text_doubtful: bool,
    /// Messages inside this one (a forwarded consultation as `message/rfc822` or `.eml`; a bounce's returned
    /// message), depth first.
    pub embedded: Vec<Embedded>,
    /// What the rules classify when the message carries a forwarded one: the forwarder's words, then each
    /// forwarded message's subject and words. Empty when there is nothing embedded (then `fresh_text` is it).
    pub question_text: String,
    /// For machine mail: the `Message-ID`s of the message it reports on or answers (from a DSN's returned
    /// message or headers, or header lines pasted in its text).
    pub returned_ids: Vec<String>,
    /// For machine mail: triaje tickets (`X-Triaje-Ticket`) found in what it returned.
    pub returned_tickets: Vec<String>,
    /// For a delivery report: the first recipient's status.
    pub delivery: Option<DeliveryStatus>,
}

/// A mail address as written in a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// The address itself, lower-case (`juan.perez@gmail.com`).
    pub email: String,
    /// The display name, when one was given (`Juan Pérez`).
    pub name: Option<String>,
}

/// An attached file, described without its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file name as sent (`constancia RNP.pdf`); empty when the sender gave none.
    pub name: String,
    /// MIME type, lower-case (`application/pdf`).
    pub content_type: String,
}

/// What the routing rules may look at: borrowed, cheap to build, and easy to write by hand in tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageView<'a> {
    /// The decoded subject.
    pub subject: &'a str,
    /// Sender addresses (lower-case e-mail addresses).
    pub from: Vec<&'a str>,
    /// Recipient addresses, `To` and `Cc` together.
    pub to: Vec<&'a str>,
    /// Top-level headers, lower-case names.
    pub headers: &'a [(String, String)],
    /// The citizen's fresh text (no quotes, no signature), at most [`BODY_LIMIT`] bytes.
    pub text: &'a str,
    /// Attachment file names.
    pub attachments: Vec<&'a str>,
}

impl ParsedMail {
    /// The view the routing rules classify.
    pub fn view(&self) -> MessageView<'_> {
        // A bare `RV:` over an attached consultation, or no subject at all: the forwarded message's subject is
        // what the rules can use.
        let own = self.subject.trim();
        let bare = own.is_empty() || parse::is_forward_subject(own) && own.len() <= 6;
        let subject = match self.embedded.first() {
            Some(e) if bare => e.subject.as_str(),
            _ => self.subject.as_str(),
        };
        let text = if self.question_text.is_empty() {
            &self.fresh_text
        } else {
            &self.question_text
        };
        MessageView {
            subject,
            from: self.from.iter().map(|a| a.email.as_str()).collect(),
            to: self
                .to
                .iter()
                .chain(self.cc.iter())
                .map(|a| a.email.as_str())
                .collect(),
            headers: &self.headers,
            text: cap_on_char_boundary(text, BODY_LIMIT),
            attachments: self.attachments.iter().map(|a| a.name.as_str()).collect(),
        }
    }

    /// The value of the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The longest prefix of `s` of at most `limit` bytes that ends on a character boundary.
pub(crate) fn cap_on_char_boundary(s: &str, limit: usize) -> &str {
    if s.len() <= limit {
        return s;
    }
    let mut end = limit;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests;
