//! Sending: the durable outbox drained through each mailbox's SMTP server.
//!
//! This module decides nothing about *what* to send or to whom: the workflow composes each message (full
//! RFC 5322 bytes with a stable `Message-ID`) and queues it with [`crate::store::Store::enqueue`], usually in the
//! same transaction that records what caused it. Here, [`run_outbox`] (the daemon) or [`send_due_once`]
//! (`triaje once`) claim what is due, hand the bytes to the server untouched, and record the outcome:
//!
//! - the server's 250 after DATA → `sent`;
//! - a temporary failure (connection refused or lost, timeout, TLS handshake, 4xx) → queued again with
//!   exponential back-off and jitter, until `give_up_hours` after it was queued, then `failed`;
//! - a permanent refusal (5xx) → `failed` with the server's reason, never retried, never deleted.
//!
//! The guarantee (and its one duplicate window) is written down in the README, "Outgoing mail and what triaje
//! guarantees".

mod error;
mod oauth_session;
mod sender;
mod transport;

pub use error::SmtpError;
pub use sender::{run_outbox, send_due_once, SendReport};
pub(crate) use transport::full_chain as error_chain;
pub use transport::{mailers, Mailer, SendFailure};
