//! The register of attentions (001 Anexo 1): one row per consultation with its reply and survey answer, for the
//! coordinator's daily register and the month's indicators (`crate::report` computes from these rows).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::consultations::state;
use super::outbox::OutgoingKind;
use super::replies::spelling;
use super::sql::word;
use super::sql::{instant, millis, optional_instant, Placeholders};
use super::{Store, StoreError};
use crate::vocabulary::AttentionKind;

/// One consultation as the register reports it: the facts the store holds, nothing computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    /// The consultation's row id.
    pub id: i64,
    /// The ticket number given to the citizen.
    pub ticket: String,
    /// The mailbox it arrived in (its `name` in the config).
    pub mailbox: String,
    /// The citizen's display name, if the message had one.
    pub citizen_name: Option<String>,
    /// The citizen's address, if it could be parsed.
    pub citizen_address: Option<String>,
    /// The subject.
    pub subject: String,
    /// When the message reached the mailbox (INTERNALDATE).
    pub received_at: DateTime<Utc>,
    /// When the deadline started counting (after the cut-off and non-business days).
    pub effective_received_at: DateTime<Utc>,
    /// When the answer was due.
    pub deadline_at: DateTime<Utc>,
    /// The folder triage filed it into (`SEACE`, `RNP`, `Legal`, `Por clasificar`…): the first `filed` event's
    /// folder, because answering moves the consultation to the answered folder.
    pub folder: String,
    /// The category the rules gave it (the reason of the consultation).
    pub category: String,
    /// `Alta`, `Media` or `Baja`.
    pub availability: String,
    /// `recorded`, `filed`, `error` or `answered`.
    pub state: String,
    /// When the reply was accepted by the SMTP server, once answered.
    pub answered_at: Option<DateTime<Utc>>,
    /// Whether the answer met the deadline, once answered (as recorded when it was answered).
    pub within_deadline: Option<bool>,
    /// Who wrote the reply that went out (or is queued to go out), if any.
    pub assistant: Option<String>,
    /// Whether that reply needed the supervisor's validation.
    pub legal: Option<bool>,
    /// The supervisor who approved it and how («supervisor@… (por correo, respondiendo al aviso)»), for a Legal
    /// reply.
    pub supervisor: Option<String>,
    /// The survey's stars (1 to 5), if the citizen answered.
    pub rating: Option<u8>,
    /// Consultation, incident, complaint or suggestion.
    pub kind: AttentionKind,
    /// The area the rules decided (SEACE, RNP, Legal), when one was sure; also for an incident, complaint or
    /// suggestion filed in its kind's folder.
    pub area: Option<String>,
    /// Its derivations to the agency's units, oldest first (migration 0070): who held it, when, until when.
    pub derivations: Vec<super::Derivation>,
}

impl Store {
    /// The register of the consultations that count as received (effective received time) in `from..to`,
    /// by effective received time, then ticket.
    ///
    /// Answers to triaje's own mail (state `followup`) and machine mail (state `automatic`) are not
    /// consultations and are left out. The reply shown
    /// is the latest one queued or sent (a withdrawn, returned or refused draft is not the answer).
    pub async fn register_rows(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<RegisterRow>, StoreError> {
        self.register_rows_where("c.effective_received_at", from, to)
            .await
    }

    /// The register rows of the consultations **answered** in `from..to` (whenever they were received), by
    /// effective received time, then ticket: the incidents solved on a day (002 §8.3.2.3).
    pub async fn register_rows_answered(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<RegisterRow>, StoreError> {
        self.register_rows_where("c.answered_at", from, to).await
    }

    /// When each of `ids` had its acknowledgement accepted by the SMTP server (the first one), for those that
    /// did: the first level's «same day» answer to an incident (002 §9.3.2).
    pub async fn acknowledged_at(
        &self,
        ids: &[i64],
    ) -> Result<BTreeMap<i64, DateTime<Utc>>, StoreError> {
        let mut out = BTreeMap::new();
        for chunk in ids.chunks(super::sql::ROWS_PER_STATEMENT) {
            let mut p = Placeholders::new(self.backend);
            let kind = p.one();
            let list = p.list(chunk.len());
            let sql = format!(
                "SELECT consultation_id, MIN(sent_at) FROM outbox \
                 WHERE kind = {kind} AND sent_at IS NOT NULL AND consultation_id IN ({list}) \
                 GROUP BY consultation_id"
            );
            let mut q =
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(OutgoingKind::Acknowledgement.as_str());
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("leer cuándo salieron los acuses"))?
            {
                out.insert(row.get(0), instant("outbox.sent_at", row.get(1))?);
            }
        }
        Ok(out)
    }

    /// The register rows whose `column` (an instant column of `consultations c`) is in `from..to`.
    async fn register_rows_where(
        &self,
        column: &'static str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<RegisterRow>, StoreError> {
        let sql = format!(
            "SELECT c.id, c.ticket, c.mailbox, c.from_name, c.from_addr, c.subject, c.received_at, \
               c.effective_received_at, c.deadline_at, \
               COALESCE((SELECT e.detail FROM events e WHERE e.consultation_id = c.id AND e.kind = 'filed' \
                         ORDER BY e.id LIMIT 1), c.folder), \
               c.category, c.availability, c.state, c.answered_at, c.within_deadline, \
               r.author, r.legal, r.approved_by, s.rating, r.approved_via, c.kind, c.area \
             FROM consultations c \
             LEFT JOIN replies r ON r.id = (SELECT MAX(r2.id) FROM replies r2 \
               WHERE r2.consultation_id = c.id AND r2.state IN ($3, $4)) \
             LEFT JOIN survey_ratings s ON s.consultation_id = c.id \
             WHERE {column} >= $1 AND {column} < $2 AND c.state NOT IN ($5, $6) \
             ORDER BY c.effective_received_at, c.ticket"
        );
        // `column` is one of two fixed names chosen by the callers above, never input.
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(millis(from))
            .bind(millis(to))
            .bind(spelling::QUEUED)
            .bind(spelling::SENT)
            .bind(state::FOLLOWUP)
            .bind(state::AUTOMATIC)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("leer el registro de atenciones"))?;
        let mut register = rows
            .iter()
            .map(|row| {
                let rating: Option<i64> = row.get(18);
                Ok(RegisterRow {
                    id: row.get(0),
                    ticket: row.get(1),
                    mailbox: row.get(2),
                    citizen_name: row.get(3),
                    citizen_address: row.get(4),
                    subject: row.get(5),
                    received_at: instant("consultations.received_at", row.get(6))?,
                    effective_received_at: instant(
                        "consultations.effective_received_at",
                        row.get(7),
                    )?,
                    deadline_at: instant("consultations.deadline_at", row.get(8))?,
                    folder: row.get(9),
                    category: row.get(10),
                    availability: row.get(11),
                    state: row.get(12),
                    answered_at: optional_instant("consultations.answered_at", row.get(13))?,
                    within_deadline: row.get::<Option<i64>, _>(14).map(|v| v != 0),
                    assistant: row.get(15),
                    legal: row.get::<Option<i64>, _>(16).map(|v| v != 0),
                    // Who approved, and how (by answering the notice, with its link, or by a guarded drag).
                    supervisor: row.get::<Option<String>, _>(17).map(|by| {
                        match row
                            .get::<Option<String>, _>(19)
                            .as_deref()
                            .and_then(crate::workflow::ApprovalChannel::parse)
                        {
                            Some(via) => format!("{by} ({})", via.describe()),
                            None => by,
                        }
                    }),
                    kind: word("consultations.kind", row.get(20))?,
                    area: row.get(21),
                    rating: match rating {
                        None => None,
                        Some(value) => {
                            Some(u8::try_from(value).map_err(|_| StoreError::Corrupt {
                                what: "survey_ratings.rating",
                                value,
                            })?)
                        }
                    },
                    derivations: Vec::new(),
                })
            })
            .collect::<Result<Vec<RegisterRow>, StoreError>>()?;
        let ids: Vec<i64> = register.iter().map(|r| r.id).collect();
        for d in self.derivations_of(&ids).await? {
            if let Some(r) = register.iter_mut().find(|r| r.id == d.consultation_id) {
                r.derivations.push(d);
            }
        }
        Ok(register)
    }
}
