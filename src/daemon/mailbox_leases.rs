//! Which mailboxes this daemon works on, when several daemons share one PostgreSQL store.
//!
//! Every daemon announces itself with an `instance:` lease and takes at most its fair share of the mailboxes
//! (`⌈mailboxes / live instances⌉`) as `mailbox:` leases, renewed every [`LEASE_ROUND`]. A daemon that dies
//! stops renewing: its leases lapse after [`LEASE_TTL`] and the others take its mailboxes within one more round
//! (at most 25 s). A daemon that starts later gets its share as the others hand mailboxes over between batches.
//! With SQLite there is one daemon (the instance lock) and it takes every mailbox.
//!
//! Two daemons never work on one mailbox knowingly; if one stalls past its lease (a frozen VM) and wakes up
//! while another works, its next renewal fails and its worker is stopped at once. The work they could then
//! overlap on is the work a crash repeats, which is idempotent (record before move; acknowledgements and
//! replies are claimed in the store).

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{run_mailbox, Installation};
use crate::store::{instance_lease, mailbox_lease, Store, StoreError};

/// How long a lease lasts without renewal.
pub const LEASE_TTL: Duration = Duration::from_secs(20);
/// How often leases are renewed and the share recomputed.
pub const LEASE_ROUND: Duration = Duration::from_secs(5);
/// How long a mailbox handed over may take to finish its batch before its worker is stopped hard.
const HANDOVER_GRACE: Duration = Duration::from_secs(10);

/// One mailbox worked on by this daemon.
struct Worker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// Works on this daemon's share of the mailboxes until `shutdown`, then hands them all back. Each worker it
/// starts gets the whole installation's triage context and counters.
pub async fn run_mailboxes(
    installation: Installation,
    holder: String,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut workers: BTreeMap<String, Worker> = BTreeMap::new();
    let mut confirmed = Instant::now();
    loop {
        match lease_round(&installation, &holder, &mut workers).await {
            Ok(()) => confirmed = Instant::now(),
            Err(e) => {
                tracing::warn!(error = %e, "could not renew the mailbox leases; will retry");
                // Past this point another daemon may already hold them: working on would be working blind.
                if confirmed.elapsed() + LEASE_ROUND >= LEASE_TTL && !workers.is_empty() {
                    tracing::error!(
                        mailboxes = workers.len(),
                        "mailbox leases unconfirmed for too long; stopping their workers"
                    );
                    for (_, w) in std::mem::take(&mut workers) {
                        w.task.abort();
                    }
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(LEASE_ROUND) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            break;
        }
    }
    // A clean stop: let each worker finish the batch in hand, then give its mailbox back at once.
    let handovers: Vec<_> = std::mem::take(&mut workers)
        .into_iter()
        .map(|(name, w)| hand_over(installation.store().clone(), holder.clone(), name, w))
        .collect();
    futures::future::join_all(handovers).await;
    if let Err(e) = installation
        .store()
        .release_lease(&instance_lease(&holder), &holder)
        .await
    {
        tracing::warn!(error = %e, "could not release this instance's lease");
    }
}

/// Renews what this daemon holds, gives back what exceeds its share, and takes free mailboxes up to it.
async fn lease_round(
    installation: &Installation,
    holder: &str,
    workers: &mut BTreeMap<String, Worker>,
) -> Result<(), StoreError> {
    let store = installation.store();
    store
        .take_lease(&instance_lease(holder), holder, LEASE_TTL)
        .await?;
    let names: Vec<String> = workers.keys().cloned().collect();
    for name in names {
        let lost = !store
            .take_lease(&mailbox_lease(&name), holder, LEASE_TTL)
            .await?;
        let finished = workers[&name].task.is_finished();
        if lost || finished {
            let w = workers.remove(&name).expect("listed above");
            w.task.abort();
            if lost {
                tracing::warn!(mailbox = %name, "mailbox lease taken by another instance; worker stopped");
            } else {
                // Only a panic ends a worker early; give the mailbox back so it is started again.
                tracing::error!(mailbox = %name, "mailbox worker ended unexpectedly; handing the mailbox back");
                store.release_lease(&mailbox_lease(&name), holder).await?;
            }
        }
    }
    store.sweep_expired_leases().await?;
    let live = store.live_leases().await?;
    let instances = live
        .iter()
        .filter(|l| l.name.starts_with("instance:"))
        .count()
        .max(1);
    let share = installation.config().mailboxes.len().div_ceil(instances);
    // Hand over the excess between batches; the lease stays ours until the worker has stopped.
    while workers.len() > share {
        let (name, w) = workers.pop_last().expect("more than the share");
        tracing::info!(mailbox = %name, share, instances, "handing a mailbox over to balance the work");
        tokio::spawn(hand_over(store.clone(), holder.to_string(), name, w));
    }
    if workers.len() < share {
        let taken: HashSet<&str> = live
            .iter()
            .filter(|l| l.holder != holder)
            .map(|l| l.name.as_str())
            .collect();
        for mailbox in in_preferred_order(&installation.config().mailboxes, holder) {
            if workers.len() >= share {
                break;
            }
            let lease = mailbox_lease(&mailbox.name);
            if workers.contains_key(&mailbox.name) || taken.contains(lease.as_str()) {
                continue;
            }
            if store.take_lease(&lease, holder, LEASE_TTL).await? {
                tracing::info!(mailbox = %mailbox.name, "mailbox taken");
                let (stop, stopped) = watch::channel(false);
                let task =
                    tokio::spawn(run_mailbox(installation.clone(), mailbox.clone(), stopped));
                workers.insert(mailbox.name.clone(), Worker { stop, task });
            }
        }
    }
    Ok(())
}

/// Stops a worker after its batch (hard after [`HANDOVER_GRACE`]) and releases its mailbox's lease.
async fn hand_over(store: Store, holder: String, name: String, mut worker: Worker) {
    let _ = worker.stop.send(true);
    if tokio::time::timeout(HANDOVER_GRACE, &mut worker.task)
        .await
        .is_err()
    {
        worker.task.abort();
    }
    if let Err(e) = store.release_lease(&mailbox_lease(&name), &holder).await {
        // It lapses by itself within LEASE_TTL.
        tracing::warn!(mailbox = %name, error = %e, "could not release a mailbox lease");
    }
}

/// The mailboxes starting at a point that depends on the holder, so daemons starting together do not all
/// race for the same first mailbox.
fn in_preferred_order<'a, T>(mailboxes: &'a [T], holder: &str) -> impl Iterator<Item = &'a T> {
    let start = if mailboxes.is_empty() {
        0
    } else {
        holder
            .bytes()
            .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize))
            % mailboxes.len()
    };
    mailboxes[start..].iter().chain(mailboxes[..start].iter())
}

/// A lease held by a one-off command (`triaje once`), renewed in the background until released.
pub struct HeldLease {
    store: Store,
    name: String,
    holder: String,
    keeper: JoinHandle<()>,
}

impl HeldLease {
    /// Takes the lease `name`, or returns `None` when another daemon holds it.
    pub async fn take(
        store: &Store,
        name: String,
        holder: &str,
    ) -> Result<Option<HeldLease>, StoreError> {
        if !store.take_lease(&name, holder, LEASE_TTL).await? {
            return Ok(None);
        }
        let keeper = {
            let (store, name, holder) = (store.clone(), name.clone(), holder.to_string());
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(LEASE_ROUND).await;
                    match store.take_lease(&name, &holder, LEASE_TTL).await {
                        Ok(true) => {}
                        Ok(false) => {
                            tracing::warn!(lease = %name, "lease taken by another instance")
                        }
                        Err(e) => {
                            tracing::warn!(lease = %name, error = %e, "could not renew a lease")
                        }
                    }
                }
            })
        };
        Ok(Some(HeldLease {
            store: store.clone(),
            name,
            holder: holder.to_string(),
            keeper,
        }))
    }

    /// Gives the lease back.
    pub async fn release(self) {
        self.keeper.abort();
        if let Err(e) = self.store.release_lease(&self.name, &self.holder).await {
            tracing::warn!(lease = %self.name, error = %e, "could not release a lease");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mailbox_is_tried_once_whatever_the_starting_point() {
        let mailboxes: Vec<u32> = (0..27).collect();
        for holder in ["a:1", "host:4242", "otro:7"] {
            let mut seen: Vec<u32> = in_preferred_order(&mailboxes, holder).copied().collect();
            seen.sort();
            assert_eq!(seen, mailboxes);
        }
        assert_eq!(in_preferred_order::<u32>(&[], "a:1").count(), 0);
    }
}
