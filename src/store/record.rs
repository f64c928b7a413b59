//! Recording a batch of triaged messages: one transaction, idempotent, with the cursor.
//!
//! Round trips for a batch of N new messages: one lookup, one ticket reservation, one insert and one event
//! insert per 200 messages, one cursor upsert — never one per message.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::beside_mail;
use super::consultations::{ack, recorded_columns, recorded_from_row};
use super::cursor::{self, Cursor};
use super::events::{self, NewEvent};
use super::sql::{keep_prepared, millis, Placeholders, ROWS_PER_STATEMENT};
use super::tickets;
use super::{Backend, NewConsultation, Recorded, Store, StoreError};
use crate::vocabulary::{format_ticket, ticket_year, ConsultationState};

/// Columns bound per inserted consultation (see `insert_new`).
const INSERT_COLUMNS: usize = 26;

/// What triage knows of a message besides its row, recorded in the same transaction. Kept apart from
/// [`NewConsultation`] so that code building consultations by hand (tests, other passes) needs none of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriageExtras {
    /// Machine mail: recorded in state `automatic` with this reason (event `automatic`); not a consultation,
    /// due nowhere, counted in no register or indicator.
    pub machine_reason: Option<String>,
    /// An event for another consultation (a bounce or an auto-reply of the mail triaje sent about it).
    pub related: Option<RelatedEvent>,
    /// Machine mail filed beside a consultation (in its folder): that consultation's id. The register keeps the
    /// pair, so the message follows the consultation when it moves (`Store::beside_mail_to_move`).
    pub beside: Option<i64>,
    /// What the message says, whoever delivered it (`workflow::Decision::content_fingerprint`).
    pub content_fingerprint: Option<String>,
}

/// An event about another consultation, written with the message that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedEvent {
    /// The consultation it is about.
    pub consultation_id: i64,
    /// Its kind (`reply_undelivered`, `ack_undelivered`, `auto_reply_received`).
    pub kind: &'static str,
    /// The particulars, in Spanish; the causing message's ticket is added.
    pub detail: String,
}

/// What the register already holds that concerns a batch.
#[derive(Default)]
struct Known {
    /// Rows with the same (UIDVALIDITY, UID) as an input: recorded before (a repeated batch).
    by_uid: HashMap<(u32, u32), Recorded>,
    /// Unfiled rows under another UIDVALIDITY, by (the input's UIDVALIDITY, fingerprint), oldest first:
    /// the same message, renumbered by the server before we moved it.
    renumbered: HashMap<(u32, String), Vec<Recorded>>,
}

/// What to do with one input.
enum Plan {
    /// Already decided: the row is there (or a repeat of an earlier input of this batch).
    Known,
    /// Give an existing unfiled row this input's new UIDVALIDITY and UID.
    Rebind(Recorded),
    /// Insert a new row with a new ticket.
    Insert,
}

impl Store {
    /// Records `batch` (messages of `mailbox`) and moves the mailbox's cursor to `cursor`, in ONE transaction.
    ///
    /// Returns one `Recorded` per input, in input order:
    /// - a message already recorded under the same UIDVALIDITY and UID comes back as it was (`is_new` false),
    ///   so a batch repeated after a crash records nothing twice and keeps its tickets;
    /// - a message recorded under another UIDVALIDITY, with the same fingerprint and not yet filed, is the same
    ///   message renumbered by the server: its row moves to the new UID (event `rebound`, `is_new` false);
    /// - anything else gets a new row and the next ticket `{ticket_prefix}-{year}-{seq:06}` (year of `now` in
    ///   Lima), in state `error` with event `error` when it carries an error reason, else `recorded`.
    ///
    /// The cursor only moves forward under the same UIDVALIDITY and is replaced under a new one.
    pub async fn record_batch(
        &self,
        mailbox: &str,
        cursor: Cursor,
        batch: &[NewConsultation],
        ticket_prefix: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Recorded>, StoreError> {
        self.record_triaged(mailbox, cursor, batch, &[], ticket_prefix, now)
            .await
    }

    /// [`Store::record_batch`] with what triage knows besides the rows: `extras[i]` belongs to `batch[i]`
    /// (missing entries mean none). Machine mail is recorded in state `automatic`; a related event is written
    /// for a new row only, so a batch repeated after a crash writes it once.
    pub async fn record_triaged(
        &self,
        mailbox: &str,
        cursor: Cursor,
        batch: &[NewConsultation],
        extras: &[TriageExtras],
        ticket_prefix: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Recorded>, StoreError> {
        let none = TriageExtras::default();
        let extra = |index: usize| extras.get(index).unwrap_or(&none);
        let mut tx = self.begin_write().await?;
        let known = lookup(&mut tx, self.backend, mailbox, batch).await?;
        let (mut results, plans, repeats) = plan(batch, known);

        let mut log = Vec::with_capacity(batch.len());
        let mut new_rows = Vec::new();
        for (index, plan) in plans.into_iter().enumerate() {
            match plan {
                Plan::Known => {}
                Plan::Rebind(old) => {
                    let input = &batch[index];
                    rebind(&mut tx, old.id, input).await?;
                    log.push(NewEvent {
                        consultation_id: old.id,
                        kind: "rebound",
                        detail: format!(
                            "el servidor renumeró el buzón: UIDVALIDITY {} UID {} → UIDVALIDITY {} UID {}",
                            old.uidvalidity, old.uid, input.uidvalidity, input.uid
                        ),
                    });
                    results[index] = Some(Recorded {
                        uid: input.uid,
                        uidvalidity: input.uidvalidity,
                        ..old
                    });
                }
                Plan::Insert => new_rows.push(index),
            }
        }

        if !new_rows.is_empty() {
            let year = ticket_year(now);
            let first = tickets::reserve(&mut tx, ticket_prefix, year, new_rows.len()).await?;
            let new: Vec<(usize, String)> = new_rows
                .iter()
                .zip(first..)
                .map(|(&index, seq)| (index, format_ticket(ticket_prefix, year, seq)))
                .collect();
            let ids = insert_new(&mut tx, self.backend, mailbox, batch, extras, &new, now).await?;
            for (index, ticket) in new {
                let input = &batch[index];
                match ids.get(&ticket) {
                    Some(&id) => {
                        log.push(recorded_event(id, input, extra(index)));
                        if let Some(related) = &extra(index).related {
                            log.push(NewEvent {
                                consultation_id: related.consultation_id,
                                kind: related.kind,
                                detail: format!(
                                    "{} (mensaje registrado como {ticket})",
                                    related.detail
                                ),
                            });
                        }
                        // One statement per such message: machine mail answering triaje's own mail is rare.
                        if let Some(consultation_id) = extra(index).beside {
                            if initial_state(input, extra(index)) == ConsultationState::Automatic {
                                beside_mail::filed_beside(
                                    &mut tx,
                                    id,
                                    consultation_id,
                                    &input.folder,
                                    now,
                                )
                                .await?;
                            }
                        }
                        if let Some(reason) = &input.ack_skip {
                            log.push(NewEvent {
                                consultation_id: id,
                                kind: "ack_skipped",
                                detail: reason.clone(),
                            });
                        }
                        results[index] = Some(inserted(id, ticket, input, extra(index)));
                    }
                    // Another daemon recorded this UID between our lookup and our insert (PostgreSQL only;
                    // SQLite write transactions are exclusive): take its row, leave a gap in the tickets.
                    None => results[index] = Some(fetch_one(&mut tx, mailbox, input).await?),
                }
            }
        }

        // Events in input order, so a consultation's history and the log read like the batch.
        events::append(&mut tx, self.backend, &log, now).await?;
        cursor::save(&mut tx, mailbox, cursor, now).await?;
        tx.commit()
            .await
            .map_err(StoreError::query("confirmar el registro de un lote"))?;

        for (index, first) in repeats {
            let earlier = results[first].clone();
            results[index] = earlier.map(|recorded| Recorded {
                is_new: false,
                ..recorded
            });
        }
        Ok(results.into_iter().flatten().collect())
    }
}

/// Decides each input's fate from what the register holds.
///
/// Returns the results known so far (per input), the plan per input, and `(index, earlier index)` of inputs
/// that repeat an earlier input's UID within the batch.
#[allow(clippy::type_complexity)]
fn plan(
    batch: &[NewConsultation],
    mut known: Known,
) -> (Vec<Option<Recorded>>, Vec<Plan>, Vec<(usize, usize)>) {
    let mut results: Vec<Option<Recorded>> = vec![None; batch.len()];
    let mut plans: Vec<Plan> = Vec::with_capacity(batch.len());
    let mut repeats = Vec::new();
    let mut first_of: HashMap<(u32, u32), usize> = HashMap::new();
    // Rows already claimed by an input, so one row is never given to two messages.
    let mut claimed: HashSet<i64> = HashSet::new();

    // First the exact matches, so a renumbering candidate that is some other input's own row stays with it.
    for (index, input) in batch.iter().enumerate() {
        let key = (input.uidvalidity, input.uid);
        if let Some(&first) = first_of.get(&key) {
            repeats.push((index, first));
            plans.push(Plan::Known);
            continue;
        }
        first_of.insert(key, index);
        match known.by_uid.remove(&key) {
            Some(row) => {
                claimed.insert(row.id);
                results[index] = Some(row);
                plans.push(Plan::Known);
            }
            None => plans.push(Plan::Insert),
        }
    }
    for (index, input) in batch.iter().enumerate() {
        if !matches!(plans[index], Plan::Insert) {
            continue;
        }
        let candidates = known
            .renumbered
            .get_mut(&(input.uidvalidity, input.fingerprint.clone()));
        if let Some(candidates) = candidates {
            if let Some(position) = candidates.iter().position(|row| !claimed.contains(&row.id)) {
                let row = candidates.remove(position);
                claimed.insert(row.id);
                plans[index] = Plan::Rebind(row);
            }
        }
    }
    (results, plans, repeats)
}

/// Reads, in one statement per 200 inputs, the rows matching the batch's UIDs and the unfiled rows under
/// another UIDVALIDITY with the batch's fingerprints.
async fn lookup(
    conn: &mut AnyConnection,
    backend: Backend,
    mailbox: &str,
    batch: &[NewConsultation],
) -> Result<Known, StoreError> {
    let mut known = Known::default();
    let mut seen: HashSet<i64> = HashSet::new();
    // A batch normally has one UIDVALIDITY; group anyway so each lookup compares against the right one.
    let mut groups: Vec<u32> = batch.iter().map(|input| input.uidvalidity).collect();
    groups.sort_unstable();
    groups.dedup();
    for uidvalidity in groups {
        let inputs: Vec<&NewConsultation> = batch
            .iter()
            .filter(|input| input.uidvalidity == uidvalidity)
            .collect();
        for chunk in inputs.chunks(ROWS_PER_STATEMENT) {
            // The UIDs' range besides their list: a PostgreSQL register that has no statistics yet (a new one's
            // first backlog, before autovacuum analysed it) otherwise reads every row of the mailbox and filters
            // the list, once per batch, so a first backlog cost the square of its size. The range keeps the
            // index scan to the batch's own UIDs whatever the planner believes.
            let lowest = chunk.iter().map(|input| input.uid).min().unwrap_or(0);
            let highest = chunk.iter().map(|input| input.uid).max().unwrap_or(0);
            // Placeholders are numbered in order of appearance; values are bound in that order.
            let mut p = Placeholders::new(backend);
            let sql = format!(
                "SELECT {columns}, fingerprint FROM consultations \
                   WHERE mailbox = {} AND uidvalidity = {} AND uid BETWEEN {} AND {} AND uid IN ({}) \
                 UNION ALL \
                 SELECT {columns}, fingerprint FROM consultations \
                   WHERE mailbox = {} AND uidvalidity <> {} AND filed_at IS NULL \
                     AND fingerprint IN ({}) \
                 ORDER BY 1",
                p.one(),
                p.one(),
                p.one(),
                p.one(),
                p.list(chunk.len()),
                p.one(),
                p.one(),
                p.list(chunk.len()),
                columns = recorded_columns!(),
            );
            // Only column names and placeholders are interpolated; every value is bound.
            let mut query = sqlx::query(AssertSqlSafe(sql))
                .persistent(keep_prepared(chunk.len(), ROWS_PER_STATEMENT))
                .bind(mailbox)
                .bind(i64::from(uidvalidity))
                .bind(i64::from(lowest))
                .bind(i64::from(highest));
            for input in chunk {
                query = query.bind(i64::from(input.uid));
            }
            query = query.bind(mailbox).bind(i64::from(uidvalidity));
            for input in chunk {
                query = query.bind(input.fingerprint.as_str());
            }
            let rows = query
                .fetch_all(&mut *conn)
                .await
                .map_err(StoreError::query("buscar mensajes ya registrados"))?;
            for row in &rows {
                let recorded = recorded_from_row(row, false)?;
                if recorded.uidvalidity == uidvalidity {
                    known
                        .by_uid
                        .insert((recorded.uidvalidity, recorded.uid), recorded);
                } else if seen.insert(recorded.id) {
                    let fingerprint: String = row.get(8);
                    known
                        .renumbered
                        .entry((uidvalidity, fingerprint))
                        .or_default()
                        .push(recorded);
                }
            }
        }
    }
    Ok(known)
}

/// Moves row `id` to `input`'s UIDVALIDITY and UID.
async fn rebind(
    conn: &mut AnyConnection,
    id: i64,
    input: &NewConsultation,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE consultations SET uidvalidity = $1, uid = $2 WHERE id = $3")
        .bind(i64::from(input.uidvalidity))
        .bind(i64::from(input.uid))
        .bind(id)
        .execute(conn)
        .await
        .map_err(StoreError::query(
            "actualizar el UID de un mensaje renumerado",
        ))?;
    Ok(())
}

/// Inserts the inputs `new` (index into `batch`, ticket) and returns the id of each ticket inserted.
///
/// A UID another daemon recorded meanwhile is skipped (`ON CONFLICT … DO NOTHING`) and absent from the map.
async fn insert_new(
    conn: &mut AnyConnection,
    backend: Backend,
    mailbox: &str,
    batch: &[NewConsultation],
    extras: &[TriageExtras],
    new: &[(usize, String)],
    now: DateTime<Utc>,
) -> Result<HashMap<String, i64>, StoreError> {
    let none = TriageExtras::default();
    let mut ids = HashMap::with_capacity(new.len());
    for chunk in new.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO consultations (ticket, mailbox, uidvalidity, uid, fingerprint, message_id, from_addr, \
               from_name, subject, received_at, sender_date, effective_received_at, deadline_at, folder, \
               category, availability, rule, state, error_reason, size_bytes, created_at, reply_to_addr, ack, \
               content_fingerprint, kind, area) \
             VALUES {} \
             ON CONFLICT (mailbox, uidvalidity, uid) DO NOTHING \
             RETURNING id, ticket",
            Placeholders::new(backend).tuples(chunk.len(), INSERT_COLUMNS)
        );
        // Only placeholders are interpolated; every value is bound.
        let mut query = sqlx::query(AssertSqlSafe(sql))
            .persistent(keep_prepared(chunk.len(), ROWS_PER_STATEMENT));
        for (index, ticket) in chunk {
            let input = &batch[*index];
            let extra = extras.get(*index).unwrap_or(&none);
            query = query
                .bind(ticket.as_str())
                .bind(mailbox)
                .bind(i64::from(input.uidvalidity))
                .bind(i64::from(input.uid))
                .bind(input.fingerprint.as_str())
                .bind(input.message_id.as_deref())
                .bind(input.from_addr.as_deref())
                .bind(input.from_name.as_deref())
                .bind(input.subject.as_str())
                .bind(millis(input.received_at))
                .bind(input.sender_date.map(millis))
                .bind(millis(input.effective_received_at))
                .bind(millis(input.deadline_at))
                .bind(input.folder.as_str())
                .bind(input.category.as_str())
                .bind(input.availability.spanish())
                .bind(input.rule.as_deref())
                .bind(initial_state(input, extra).as_str())
                .bind(input.error_reason.as_deref())
                .bind(input.size_bytes)
                .bind(millis(now))
                .bind(input.reply_to_addr.as_deref())
                .bind(if input.ack_skip.is_some() {
                    ack::SKIPPED
                } else {
                    ack::PENDING
                })
                .bind(extra.content_fingerprint.as_deref())
                .bind(input.kind.as_str())
                .bind(input.area.as_deref());
        }
        let rows = query
            .fetch_all(&mut *conn)
            .await
            .map_err(StoreError::query("registrar consultas nuevas"))?;
        // RETURNING order is not guaranteed: match rows to inputs by their (unique) ticket.
        for row in &rows {
            ids.insert(row.get::<String, _>(1), row.get::<i64, _>(0));
        }
    }
    Ok(ids)
}

/// Reads the row of `input`'s UID (recorded by someone else meanwhile).
async fn fetch_one(
    conn: &mut AnyConnection,
    mailbox: &str,
    input: &NewConsultation,
) -> Result<Recorded, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        recorded_columns!(),
        " FROM consultations WHERE mailbox = $1 AND uidvalidity = $2 AND uid = $3"
    ))
    .bind(mailbox)
    .bind(i64::from(input.uidvalidity))
    .bind(i64::from(input.uid))
    .fetch_one(conn)
    .await
    .map_err(StoreError::query(
        "leer un mensaje registrado por otra instancia",
    ))?;
    recorded_from_row(&row, false)
}

/// `error` when the message could not be processed, `automatic` for machine mail, else `recorded`.
fn initial_state(input: &NewConsultation, extra: &TriageExtras) -> ConsultationState {
    if input.error_reason.is_some() {
        ConsultationState::Error
    } else if extra.machine_reason.is_some() {
        ConsultationState::Automatic
    } else {
        ConsultationState::Recorded
    }
}

/// The `Recorded` of a row this call inserted.
fn inserted(id: i64, ticket: String, input: &NewConsultation, extra: &TriageExtras) -> Recorded {
    Recorded {
        id,
        ticket,
        uid: input.uid,
        uidvalidity: input.uidvalidity,
        folder: input.folder.clone(),
        availability: input.availability,
        deadline_at: input.deadline_at,
        state: initial_state(input, extra),
        is_new: true,
    }
}

/// The first event of a new row: `error` with its reason, `automatic` with why it is machine mail, or `recorded`
/// with the folder, rule and explanation.
fn recorded_event(id: i64, input: &NewConsultation, extra: &TriageExtras) -> NewEvent {
    match (&input.error_reason, &extra.machine_reason) {
        (Some(reason), _) => NewEvent {
            consultation_id: id,
            kind: "error",
            detail: reason.clone(),
        },
        (None, Some(reason)) => NewEvent {
            consultation_id: id,
            kind: "automatic",
            detail: format!("carpeta: {}; sin plazo ni acuse: {reason}", input.folder),
        },
        (None, None) => NewEvent {
            consultation_id: id,
            kind: "recorded",
            detail: format!(
                "carpeta: {}; regla: {}; {}",
                input.folder,
                input.rule.as_deref().unwrap_or("ninguna"),
                input.explanation
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::{AttentionKind, Availability};
    use crate::workflow::ConsultationRecord;

    fn input(uidvalidity: u32, uid: u32, fingerprint: &str) -> NewConsultation {
        let at = DateTime::from_timestamp(1_781_000_000, 0).expect("valid");
        NewConsultation {
            uidvalidity,
            uid,
            explanation: String::new(),
            size_bytes: 0,
            ack_skip: None,
            record: ConsultationRecord {
                fingerprint: fingerprint.to_string(),
                message_id: None,
                from_addr: None,
                from_name: None,
                subject: String::new(),
                received_at: at,
                sender_date: None,
                effective_received_at: at,
                deadline_at: at,
                folder: "SEACE".into(),
                category: "seace".into(),
                availability: Availability::High,
                rule: None,
                kind: AttentionKind::Consultation,
                area: None,
                error_reason: None,
                reply_to_addr: None,
            },
        }
    }

    fn row(id: i64, uidvalidity: u32, uid: u32) -> Recorded {
        Recorded {
            id,
            ticket: format!("CONS-2026-{id:06}"),
            uid,
            uidvalidity,
            folder: "SEACE".into(),
            availability: Availability::High,
            deadline_at: DateTime::from_timestamp(1_781_000_000, 0).expect("valid"),
            state: ConsultationState::Recorded,
            is_new: false,
        }
    }

    #[test]
    fn a_row_is_never_given_to_two_messages() {
        // Row 1 (UIDVALIDITY 1, UID 5) is both an exact match for the first input and a renumbering candidate
        // for the second (same bytes, UIDVALIDITY 2): it stays with its own UID.
        let batch = [input(1, 5, "aa"), input(2, 1, "aa")];
        let mut known = Known::default();
        known.by_uid.insert((1, 5), row(1, 1, 5));
        known
            .renumbered
            .insert((2, "aa".into()), vec![row(1, 1, 5)]);
        let (results, plans, repeats) = plan(&batch, known);
        assert_eq!(results[0].as_ref().map(|r| r.id), Some(1));
        assert!(matches!(plans[1], Plan::Insert));
        assert!(repeats.is_empty());
    }

    #[test]
    fn identical_messages_rebind_one_row_each_oldest_first() {
        let batch = [input(2, 1, "aa"), input(2, 2, "aa"), input(2, 3, "aa")];
        let mut known = Known::default();
        known
            .renumbered
            .insert((2, "aa".into()), vec![row(3, 1, 7), row(4, 1, 8)]);
        let (_, plans, _) = plan(&batch, known);
        let ids: Vec<Option<i64>> = plans
            .iter()
            .map(|plan| match plan {
                Plan::Rebind(old) => Some(old.id),
                _ => None,
            })
            .collect();
        assert_eq!(ids, [Some(3), Some(4), None]);
    }

    #[test]
    fn the_same_uid_twice_in_a_batch_is_one_message() {
        let batch = [input(1, 5, "aa"), input(1, 6, "bb"), input(1, 5, "aa")];
        let (_, plans, repeats) = plan(&batch, Known::default());
        assert!(matches!(plans[0], Plan::Insert));
        assert!(matches!(plans[2], Plan::Known));
        assert_eq!(repeats, [(2, 0)]);
    }
}
