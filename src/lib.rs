//! triaje: files, dates and records the consultations that reach a citizen-attention office's mailboxes.
//!
//! The office's words are types in `vocabulary`. The pure core (`rules`, `calendar`, `mail`, `workflow` decisions) takes values and returns values;
//! IMAP, SQL and the command line sit at the edge. See `DESIGN.md` in the shared folder and the README.

pub mod calendar;
pub mod cli;
pub mod config;
pub mod counters;
pub mod daemon;
#[doc(hidden)]
pub mod fuzzing;
pub mod imap;
pub mod mail;
pub mod oauth;
pub mod report;
pub mod rules;
pub mod smtp;
pub mod spanish;
pub mod store;
pub mod survey;
pub mod tls;
pub mod toml_error;
pub mod vocabulary;
pub mod web;
pub mod workflow;
