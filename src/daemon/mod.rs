//! The running daemon: one worker per mailbox, rules reloaded without a restart, a clean stop on SIGTERM.
//!
//! This is the shell around the pure core: it fetches with `imap`, decides with `workflow`, records with
//! `store`, and files with `imap` again, in that order, so a crash at any point repeats only idempotent work.
//! The decisions are the workflow's: triage, where a verdict, a rating or a message of a conversation is filed
//! (`workflow::filing`), whether an acknowledgement goes (`workflow::acknowledgement_due`), the Message-IDs of
//! what triaje sends and how an answer is recognised by them (`workflow::message_ids`), and every step of a reply;
//! for the units, which attention may be derived, their deadlines, what their mail means and where it is filed
//! (`workflow::derivation`, `workflow::file_as_unit_mail`).
//! What the passes still do themselves is look things up (which consultation a message answers, by the register
//! and the server; which configured unit an escalation goes to) and carry the decisions out. The long passes read as named steps (`triage_pass`,
//! `reply_drafts::new_draft`). Each pass gets what it needs (`context`): the `Office` (settings, register,
//! outbox bell) for what records and queues mail, `Triage` on top of it for triage, plain arguments for the
//! passes that only read the settings or the register.

mod acknowledge_pass;
mod approval_guard;
mod beside_mail_pass;
mod clock_rounds;
mod confirmed_mail;
mod context;
mod conversation_pass;
mod corrections_pass;
mod decide_batch;
mod derivation_pass;
mod digests;
mod error;
mod filer;
mod followups;
mod incident_report;
mod instance_lock;
mod learning;
mod locate;
mod machine_mail;
mod mailbox_leases;
mod mailbox_worker;
mod replies_pass;
mod reply_approval;
mod reply_drafts;
mod reply_mail;
mod reply_watch;
mod rules_reload;
mod shutdown;
mod ticket_notes_pass;
mod triage_pass;
mod unit_mail;
mod verdicts;

pub use acknowledge_pass::acknowledge_pending;
pub use approval_guard::check_approval_guard;
pub use beside_mail_pass::beside_mail_pass;
pub use confirmed_mail::fetch_confirmed;
pub use context::{Installation, Office, Triage};
pub use conversation_pass::conversation_pass;
pub use corrections_pass::corrections_pass;
pub use decide_batch::DecideSlots;
pub use derivation_pass::{derivation_pass, ensure_derive_folders};
pub use digests::{digest_round, run_digests};
pub use error::DaemonError;
pub use incident_report::{
    daily_incident_report, incident_records, incident_report_round, run_incident_reports,
};
pub use instance_lock::InstanceLock;
pub use learning::{harvest_examples, load_latest, retrain, retrain_due, run_learning, Trained};
pub use mailbox_leases::{run_mailboxes, HeldLease, LEASE_ROUND, LEASE_TTL};
pub use mailbox_worker::run_mailbox;
pub use replies_pass::{replies_pass, tidy_validation, RepliesSummary};
pub use rules_reload::{watch_rules, RulesHandle};
pub use shutdown::shutdown_on_signals;
pub use ticket_notes_pass::{ticket_notes_pass, NOTES_PER_PASS};
pub use triage_pass::{triage_pass, PassSummary};
