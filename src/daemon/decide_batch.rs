//! Deciding a batch of fetched messages on every core, off the async runtime, while the next batch downloads.
//!
//! Parsing and classifying is most of triage's CPU (MIME decoding, normalisation, the rules); done inline it
//! left the IMAP connection idle and one core unused. The decisions are pure, so the batch is split across
//! threads and the results come back in the batch's order.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;

use super::Shared;
use crate::config::MailboxConfig;
use crate::imap::MessageMeta;
use crate::rules::RuleSet;
use crate::workflow::{decide, Decision, TriageContext, TriageInput};

/// A batch to decide: the listed messages, the bytes fetched for them, and everything the decision needs.
pub(crate) struct DecideJob {
    /// Settings, calendar and own addresses.
    pub shared: Shared,
    /// The mailbox's policies.
    pub mailbox: MailboxConfig,
    /// The rules in force when the batch started (a reload in between applies to the next batch).
    pub rules: Arc<RuleSet>,
    /// The batch, in UID order.
    pub metas: Vec<MessageMeta>,
    /// Bytes by UID: the whole message, or its header when it was over the size limit.
    pub bodies: HashMap<u32, Vec<u8>>,
    /// When the batch was seen.
    pub now: DateTime<Utc>,
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
        let slots = Arc::clone(&self.shared.decide_slots);
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
                shared: self.shared.clone(),
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
        let config = &self.shared.config;
        let ctx = TriageContext {
            rules: &self.rules,
            calendar: &self.shared.calendar,
            reception: &self.mailbox.reception,
            deadline: &self.mailbox.deadline,
            unclassified_folder: &config.folders.unclassified,
            errors_folder: &config.folders.errors,
            default_category: &config.triage.default_category,
            default_availability: config.triage.default_availability,
            max_message_bytes: config.triage.max_message_bytes,
            own_addresses: &self.shared.own_addresses,
            automatic_folder: &config.folders.automatic,
            ticket_prefix: &config.ticket_prefix,
        };
        let one = |meta: &MessageMeta| {
            self.bodies.get(&meta.uid).map(|raw| {
                decide(
                    &ctx,
                    &TriageInput {
                        raw,
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
