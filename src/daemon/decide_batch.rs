//! Deciding a batch of fetched messages on every core, off the async runtime, while the next batch downloads.
//!
//! Parsing and classifying is most of triage's CPU (MIME decoding, normalisation, the rules); done inline it
//! left the IMAP connection idle and one core unused. The decisions are pure, so the batch is split across
//! threads and the results come back in the batch's order.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;

use super::Triage;
use crate::config::MailboxConfig;
use crate::imap::MessageMeta;
use crate::rules::RuleSet;
use crate::workflow::{decide, Decision, TriageContext, TriageInput};

/// A batch to decide: the listed messages, the bytes fetched for them, and everything the decision needs.
pub(crate) struct DecideJob {
    /// Settings, calendar, own addresses and the slots deciding threads take.
    pub triage: Triage,
    /// The mailbox's policies.
    pub mailbox: MailboxConfig,
    /// The rules in force when the batch started (a reload in between applies to the next batch).
    pub rules: Arc<RuleSet>,
    /// The batch, in UID order.
    pub metas: Vec<MessageMeta>,
    /// What was fetched of each message, by UID.
    pub bodies: HashMap<u32, Fetched>,
    /// When the batch was seen.
    pub now: DateTime<Utc>,
}

/// What was downloaded of one message.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fetched {
    /// The whole message; or its header, text parts and empty attachments (read by sections); or its header.
    pub raw: Vec<u8>,
    /// For a message read by sections: the length of its header, which is what its fingerprint is taken of.
    pub fingerprint_len: Option<usize>,
}

/// What a message costs in memory while its batch is held: its size when it is downloaded whole, else what is
/// fetched of it (its header and the beginning of a few text parts).
pub(crate) fn held_bytes(size: u64, whole_message_bytes: u64, max_message_bytes: u64) -> u64 {
    const SECTIONED: u64 = 64 * 1024 + 8 * crate::imap::TEXT_PART_BYTES as u64;
    const HEADER_ONLY: u64 = 64 * 1024;
    if size > max_message_bytes {
        HEADER_ONLY.min(size)
    } else if size > whole_message_bytes {
        SECTIONED.min(size)
    } else {
        size
    }
}

/// The backlog cut into batches of at most `max_count` messages and `max_bytes` bytes held (a single message
/// heavier than that is a batch of its own), in order.
pub(crate) fn batches(
    waiting: &[MessageMeta],
    max_count: usize,
    max_bytes: u64,
    held: impl Fn(&MessageMeta) -> u64,
) -> Vec<&[MessageMeta]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0u64;
    for (i, m) in waiting.iter().enumerate() {
        let cost = held(m);
        let count = i - start;
        if count > 0 && (count >= max_count.max(1) || bytes + cost > max_bytes) {
            out.push(&waiting[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += cost;
    }
    if start < waiting.len() {
        out.push(&waiting[start..]);
    }
    out
}

/// One permit per core, shared by every mailbox: each deciding thread keeps its own regex caches and allocator
/// arena, so deciding more parts at once than there are cores would only cost memory.
pub struct DecideSlots {
    /// The cores this process may use, read once at start (the standard library reads cgroup files each time).
    cores: usize,
    /// Taken by each part while it is decided.
    permits: Arc<Semaphore>,
}

impl DecideSlots {
    /// As many slots as the process has cores.
    pub fn one_per_core() -> DecideSlots {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        DecideSlots {
            cores,
            permits: Arc::new(Semaphore::new(cores)),
        }
    }
}

/// Fewer messages than this are decided on one thread: handing work to another would cost more than it saves.
const PARALLEL_FROM: usize = 16;

impl DecideJob {
    /// Decides the batch on the runtime's blocking threads, one part per core, and returns the decisions in
    /// the batch's order. The blocking pool keeps its threads, so the regex caches and the allocator's arenas
    /// warmed by one batch serve the next (threads started per batch doubled the CPU and tripled the memory).
    pub(crate) async fn run_parallel(
        self,
    ) -> Result<Vec<(MessageMeta, Option<Decision>)>, tokio::task::JoinError> {
        let slots = Arc::clone(&self.triage.decide_slots);
        let parts = if self.metas.len() < PARALLEL_FROM {
            1
        } else {
            slots.cores
        };
        let mut tasks = Vec::with_capacity(parts);
        for job in self.split(parts) {
            // Never closed, so acquiring only waits for another mailbox's part to finish.
            let permit = Arc::clone(&slots.permits).acquire_owned().await.ok();
            tasks.push(tokio::task::spawn_blocking(move || {
                let decided = job.run();
                drop(permit);
                decided
            }));
        }
        let mut decisions = Vec::new();
        for task in tasks {
            decisions.extend(task.await?);
        }
        Ok(decisions)
    }

    /// The batch cut into `parts` consecutive jobs, each with its own messages' bytes.
    fn split(mut self, parts: usize) -> Vec<DecideJob> {
        let per_part = self.metas.len().div_ceil(parts.max(1)).max(1);
        let mut jobs = Vec::with_capacity(parts);
        while self.metas.len() > per_part {
            let rest = self.metas.split_off(per_part);
            let bodies = self
                .metas
                .iter()
                .filter_map(|m| self.bodies.remove(&m.uid).map(|b| (m.uid, b)))
                .collect();
            jobs.push(DecideJob {
                triage: self.triage.clone(),
                mailbox: self.mailbox.clone(),
                rules: Arc::clone(&self.rules),
                metas: std::mem::replace(&mut self.metas, rest),
                bodies,
                now: self.now,
            });
        }
        jobs.push(self);
        jobs
    }

    /// Decides every message on this thread, in order; `None` for one that was listed but not fetched (it left
    /// the inbox).
    fn run(self) -> Vec<(MessageMeta, Option<Decision>)> {
        let config = &self.triage.office.config;
        let kinds = config.kinds.filings();
        let ctx = TriageContext {
            rules: &self.rules,
            calendar: &self.triage.calendar,
            reception: &self.mailbox.reception,
            deadline: &self.mailbox.deadline,
            unclassified_folder: &config.folders.unclassified,
            errors_folder: &config.folders.errors,
            default_category: &config.triage.default_category,
            default_availability: config.triage.default_availability,
            max_message_bytes: config.triage.max_message_bytes,
            own_addresses: &self.triage.office.own_addresses,
            automatic_folder: &config.folders.automatic,
            ticket_prefix: &config.ticket_prefix,
            kinds: &kinds,
        };
        let one = |meta: &MessageMeta| {
            self.bodies.get(&meta.uid).map(|fetched| {
                decide(
                    &ctx,
                    &TriageInput {
                        raw: &fetched.raw,
                        fingerprint_len: fetched.fingerprint_len,
                        size: u64::from(meta.size),
                        internal_date: meta.internal_date,
                        now: self.now,
                    },
                )
            })
        };
        let decisions: Vec<Option<Decision>> = self.metas.iter().map(one).collect();
        self.metas.into_iter().zip(decisions).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(uid: u32, size: u32) -> MessageMeta {
        MessageMeta {
            uid,
            size,
            internal_date: None,
            flags: Vec::new(),
        }
    }

    #[test]
    fn a_backlog_of_big_messages_is_cut_by_bytes() {
        let mb = 1024 * 1024;
        let waiting: Vec<MessageMeta> = (1..=10).map(|uid| meta(uid, 6 * mb)).collect();
        let cut = batches(&waiting, 250, 32 * u64::from(mb), |m| u64::from(m.size));
        assert_eq!(cut.iter().map(|b| b.len()).collect::<Vec<_>>(), [5, 5]);
        // One message over the byte bound is a batch of its own, never skipped.
        let huge = [meta(1, 40 * mb), meta(2, 10), meta(3, 10)];
        let cut = batches(&huge, 250, 32 * u64::from(mb), |m| u64::from(m.size));
        assert_eq!(cut.iter().map(|b| b.len()).collect::<Vec<_>>(), [1, 2]);
        // The count still bounds small messages.
        let small: Vec<MessageMeta> = (1..=600).map(|uid| meta(uid, 4000)).collect();
        let cut = batches(&small, 250, 32 * u64::from(mb), |m| u64::from(m.size));
        assert_eq!(
            cut.iter().map(|b| b.len()).collect::<Vec<_>>(),
            [250, 250, 100]
        );
    }

    #[test]
    fn a_message_read_by_sections_costs_its_sections_not_its_size() {
        let mb = 1024 * 1024;
        assert_eq!(held_bytes(3 * mb, 8 * mb, 25 * mb), 3 * mb);
        assert!(held_bytes(24 * mb, 8 * mb, 25 * mb) < 3 * mb);
        assert!(held_bytes(30 * mb, 8 * mb, 25 * mb) <= 64 * 1024);
    }
}
