//! Derivation from the mail client: the assistant drags a filed consultation (or incident) into
//! `Derivar/<unidad>`; triaje forwards it to the unit (the citizen's message attached untouched, the ticket in
//! the subject, what is asked and by when), records who holds it since when and until when, and files it in
//! `En unidades`. A message dragged there that is no known attention goes to the returned folder with a note
//! saying why, never lost.
//!
//! 002 §7.4.1.1 («Cuando corresponde a un seguimiento…»: the assistant asks the unit; «La/el responsable del
//! órgano y unidad orgánica debe brindar la información solicitada») and §9.3.3 (the levels' limits).

use chrono::{DateTime, Utc};

use super::locate::{fingerprint_of, readings, uids_of_consultation};
use super::reply_mail::{note, outgoing};
use super::{DaemonError, Office};
use crate::calendar::BusinessCalendar;
use crate::config::{MailboxConfig, Unit};
use crate::imap::Session;
use crate::mail::compose::{domain_of, random_hex};
use crate::mail::derivation::{forward_to_unit, ForwardToUnit};
use crate::store::{ConsultationRow, Derivation, DerivationRecord, NewDerivation, OutgoingKind};
use crate::workflow::{
    dropped_step, message_ids, not_derivable, raised_days_late, unit_due, DeriveRefusal, DropStep,
};

/// Creates the derivation folders of every unit (`Derivar/<unidad>` with the server's delimiter) and returns
/// them with their unit's name, for the pass.
pub async fn ensure_derive_folders(
    session: &mut Session,
    office: &Office,
) -> Result<Vec<(String, String)>, DaemonError> {
    if office.config.units.is_empty() {
        return Ok(Vec::new());
    }
    let delimiter = session.hierarchy_delimiter().await?;
    let folders: Vec<(String, String)> = office
        .config
        .units
        .iter()
        .map(|u| {
            (
                office
                    .config
                    .folders
                    .derive_folder(delimiter.as_deref(), &u.name),
                u.name.clone(),
            )
        })
        .collect();
    let mut all: Vec<String> = Vec::new();
    if delimiter.is_some() {
        // The parent first: some servers do not create it on their own.
        all.push(office.config.folders.derive_prefix.clone());
    }
    all.extend(folders.iter().map(|(f, _)| f.clone()));
    session.ensure_folders(&all).await?;
    Ok(folders)
}

/// Looks at every derivation folder and derives what the assistants dropped there; returns how many were derived.
pub async fn derivation_pass(
    session: &mut Session,
    office: &Office,
    calendar: &BusinessCalendar,
    mailbox: &MailboxConfig,
    derive_folders: &[(String, String)],
) -> Result<usize, DaemonError> {
    let mut derived = 0;
    for (folder, unit_name) in derive_folders {
        let Some(unit) = office.config.unit(unit_name) else {
            continue;
        };
        let selected = session.select(folder).await?;
        if selected.exists == 0 {
            continue;
        }
        let dropped = session.new_message_identities(0).await?;
        for message in dropped {
            let now = Utc::now();
            let Some(raw) = session.fetch_one(message.uid).await? else {
                continue;
            };
            match consultation_of(session, office, mailbox, message.uid, message.size, &raw).await?
            {
                Some(c) => {
                    derived += derive_dropped(
                        session,
                        office,
                        calendar,
                        mailbox,
                        unit,
                        folder,
                        message.uid,
                        &c,
                        &raw,
                        now,
                    )
                    .await?;
                }
                None => {
                    refuse(
                        session,
                        office,
                        mailbox,
                        folder,
                        message.uid,
                        None,
                        &raw,
                        &format!(
                            "No es una consulta registrada de este buzón (triaje no la reconoce por su Message-ID \
                             ni por su contenido), así que no se derivó a {}. Solo se derivan las consultas \
                             archivadas por triaje: arrastre el mensaje del ciudadano, no una copia, una ficha ni \
                             una respuesta.",
                            unit.display_name
                        ),
                        now,
                    )
                    .await?;
                }
            }
        }
    }
    Ok(derived)
}

/// The consultation of this mailbox a dropped message is: same `Message-ID` and fingerprint, or (without one)
/// the same fingerprint.
async fn consultation_of(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    uid: u32,
    size: u32,
    raw: &[u8],
) -> Result<Option<ConsultationRow>, DaemonError> {
    let message_id = crate::mail::parse(raw).ok().and_then(|p| p.message_id);
    let max = office.config.triage.header_fingerprint_above();
    for headers_only in readings(u64::from(size), max) {
        let fp = if headers_only {
            match fingerprint_of(session, uid, true).await? {
                Some(fp) => fp,
                None => return Ok(None),
            }
        } else {
            crate::workflow::fingerprint(raw)
        };
        let candidates = match &message_id {
            Some(id) => {
                office
                    .store
                    .consultations_with_message_ids(&mailbox.name, std::slice::from_ref(id))
                    .await?
            }
            None => {
                office
                    .store
                    .consultations_with_fingerprint(&mailbox.name, &fp)
                    .await?
            }
        };
        // Of two records of the same bytes, the one still to answer first (the caller refuses the rest, saying why).
        let mut matching: Vec<ConsultationRow> = candidates
            .into_iter()
            .filter(|c| c.fingerprint == fp)
            .collect();
        matching.sort_by_key(|c| not_derivable(c.state).is_some());
        if let Some(c) = matching.into_iter().next() {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// Derives consultation `c` (dropped as `uid` in `folder`) to `unit`, or sends it back with the reason when it
/// cannot be (the workflow's [`dropped_step`]). Returns 1 when a forward was queued.
#[allow(clippy::too_many_arguments)]
async fn derive_dropped(
    session: &mut Session,
    office: &Office,
    calendar: &BusinessCalendar,
    mailbox: &MailboxConfig,
    unit: &Unit,
    folder: &str,
    uid: u32,
    c: &ConsultationRow,
    raw: &[u8],
    now: DateTime<Utc>,
) -> Result<usize, DaemonError> {
    let at_units = &office.config.folders.at_units;
    let open = office.store.open_derivation(c.id).await?;
    let held_by = open.as_ref().map(|o| (o.unit.as_str(), o));
    let why = match dropped_step(c.state, mailbox.smtp.is_some(), held_by, &unit.name) {
        DropStep::Derive => {
            derive(office, calendar, mailbox, unit, c, raw, None, now).await?;
            session.move_to(&[uid], at_units).await?;
            tracing::info!(mailbox = %mailbox.name, ticket = %c.ticket, unit = %unit.name, "derived to a unit");
            return Ok(1);
        }
        DropStep::OnlyMove => {
            session.move_to(&[uid], at_units).await?;
            return Ok(0);
        }
        DropStep::Refuse(DeriveRefusal::NotDerivable(what)) => format!(
            "El mensaje {} {what}; no se deriva a {}.",
            c.ticket, unit.display_name
        ),
        DropStep::Refuse(DeriveRefusal::CannotSend) => format!(
            "El buzón {} no tiene cuenta de envío ([mailbox.smtp] en config.toml): triaje no puede enviar la \
             derivación a {}. Pida al administrador que la configure.",
            mailbox.address, unit.display_name
        ),
        DropStep::Refuse(DeriveRefusal::HeldBy(held)) => format!(
            "La consulta {} ya está derivada a {} desde el {} (vence el {}); no se deriva también a {}. \
             Espere su respuesta, o pida a esa unidad que la eleve.",
            c.ticket,
            office.config.unit_display_name(&held.unit),
            crate::spanish::day_date_time(&held.derived_at),
            crate::spanish::day_date_time(&held.due_at),
            unit.display_name
        ),
    };
    refuse(
        session,
        office,
        mailbox,
        folder,
        uid,
        Some(c),
        raw,
        &why,
        now,
    )
    .await
    .map(|()| 0)
}

/// Queues the forward of consultation `c` (its message `original`) to `unit` and records the derivation in
/// one transaction; `raised` is the lower level's derivation and what that unit wrote, for an escalation.
#[allow(clippy::too_many_arguments)]
pub(super) async fn derive(
    office: &Office,
    calendar: &BusinessCalendar,
    mailbox: &MailboxConfig,
    unit: &Unit,
    c: &ConsultationRow,
    original: &[u8],
    raised: Option<(&Derivation, &str, &str)>,
    now: DateTime<Utc>,
) -> Result<i64, DaemonError> {
    let due_at = unit_due(calendar, &mailbox.reception, unit.deadline_days, now);
    let message_id =
        message_ids::derivation(&c.ticket, domain_of(&mailbox.address), &random_hex(12));
    let higher = unit
        .escalates_to
        .as_deref()
        .map(|name| office.config.unit_display_name(name));
    let mail = forward_to_unit(&ForwardToUnit {
        ticket: &c.ticket,
        subject: &c.subject,
        citizen: c.from_addr.as_deref(),
        received_at: c.received_at,
        unit_name: &unit.display_name,
        unit_address: &unit.address,
        level: unit.level.number(),
        deadline_days: unit.deadline_days,
        due_at,
        escalates_to: higher,
        raised_by: raised.map(|(_, by, said)| (by, said)),
        mailbox_name: &mailbox.display_name,
        mailbox_address: &mailbox.address,
        message_id: message_id.clone(),
        original,
        date: now,
    });
    let forward = outgoing(mailbox, OutgoingKind::Notification, Some(c.id), &mail)?;
    let detail = match raised {
        None => format!(
            "derivada a {} ({}, nivel {}): debe responder a más tardar el {} ({} días hábiles)",
            unit.display_name,
            unit.address,
            unit.level.number(),
            crate::spanish::day_date_time(&due_at),
            unit.deadline_days
        ),
        Some((from, by, _)) => raised_detail(calendar, mailbox, from, by, unit, due_at, now),
    };
    let id = office
        .store
        .record_derivation(
            &NewDerivation {
                record: record(
                    mailbox,
                    unit,
                    c,
                    message_id,
                    due_at,
                    raised.map(|(d, _, _)| d),
                ),
                detail,
            },
            Some(&forward),
            now,
        )
        .await?;
    office.outbox_wake.notify_one();
    Ok(id)
}

/// What the register records of a derivation of consultation `c` from `mailbox` to `unit` by the forward
/// `message_id`, due `due_at`; `raised` is the lower level's derivation, for an escalation.
fn record(
    mailbox: &MailboxConfig,
    unit: &Unit,
    c: &ConsultationRow,
    message_id: String,
    due_at: DateTime<Utc>,
    raised: Option<&Derivation>,
) -> DerivationRecord {
    DerivationRecord {
        consultation_id: c.id,
        mailbox: mailbox.name.clone(),
        unit: unit.name.clone(),
        unit_address: unit.address.clone(),
        level: unit.level,
        message_id,
        due_at,
        escalated_from: raised.map(|d| d.id),
    }
}

/// Sends a dropped message back: to the returned folder, with a note beside it that says why.
#[allow(clippy::too_many_arguments)]
async fn refuse(
    session: &mut Session,
    office: &Office,
    mailbox: &MailboxConfig,
    folder: &str,
    uid: u32,
    c: Option<&ConsultationRow>,
    raw: &[u8],
    why: &str,
    now: DateTime<Utc>,
) -> Result<(), DaemonError> {
    let returned = office.config.folders.returned.clone();
    let parsed = crate::mail::parse(raw).ok();
    let text = format!(
        "El mensaje «{}» dejado en «{folder}» no se derivó:\n\n{why}\n\nEl mensaje está aquí, en «{returned}», sin \
         cambios.\n",
        crate::mail::compose::sanitize(parsed.as_ref().map(|p| p.subject.as_str()).unwrap_or(""))
    );
    if let Some(c) = c {
        office
            .store
            .derivation_history(c.id, "derivation_refused", why, now)
            .await?;
    }
    session.move_to(&[uid], &returned).await?;
    if let Some(n) = note(
        mailbox,
        c.map(|c| c.ticket.as_str()),
        parsed.as_ref(),
        "Derivación no realizada",
        &text,
        now,
    ) {
        session.append(&returned, &["\\Flagged"], &n).await?;
    }
    tracing::warn!(mailbox = %mailbox.name, folder = %folder, uid, "message dropped for derivation sent back");
    Ok(())
}

/// The message of consultation `c` wherever the office may have it now (the units' folders first), with its UID
/// and folder; `None` when it is nowhere to be found.
pub(super) async fn find_consultation(
    session: &mut Session,
    office: &Office,
    c: &ConsultationRow,
) -> Result<Option<(String, u32)>, DaemonError> {
    let folders = &office.config.folders;
    let mut places = vec![
        folders.at_units.clone(),
        folders.unit_answers.clone(),
        c.folder.clone(),
    ];
    places.extend(folders.filed());
    places.push(folders.unclassified.clone());
    let mut seen = Vec::new();
    let max = office.config.triage.header_fingerprint_above();
    for place in places {
        if seen.contains(&place) {
            continue;
        }
        seen.push(place.clone());
        session.select(&place).await?;
        if let Some(&uid) = uids_of_consultation(session, c, max).await?.first() {
            return Ok(Some((place, uid)));
        }
    }
    Ok(None)
}

/// The history line of an escalation from `from` (raised by `by`) to `unit`, due `due_at`: whether the lower unit
/// raised it the same day it received it (002 §9.3.3: «las direcciones de segundo nivel deben elevarla el mismo
/// día en que la reciben»).
fn raised_detail(
    calendar: &BusinessCalendar,
    mailbox: &MailboxConfig,
    from: &Derivation,
    by: &str,
    unit: &Unit,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> String {
    let late = raised_days_late(calendar, &mailbox.reception, from.derived_at, now);
    let when = if late == 0 {
        "el mismo día en que la recibió".to_string()
    } else {
        format!(
            "{late} día(s) hábil(es) después de recibirla (el manual 002 §9.3.3 pide elevarla el mismo día)"
        )
    };
    format!(
        "elevada por {by} (unidad «{}», {when}) a {} ({}, nivel {}): debe responder a más tardar el {}",
        from.unit,
        unit.display_name,
        unit.address,
        unit.level.number(),
        crate::spanish::day_date_time(&due_at)
    )
}

/// Records that the lower unit of derivation `from` raised consultation `c` to `unit` itself (it sent its forward
/// there with this mailbox in copy): the higher unit holds it from now, with its own deadline, and its answer is
/// recognised by the thread of that forward (`message_id`, the copy's `Message-ID`) or by the ticket. Nothing is
/// sent: the higher unit already has what the lower one sent it.
#[allow(clippy::too_many_arguments)]
pub(super) async fn record_raised_by_unit(
    office: &Office,
    calendar: &BusinessCalendar,
    mailbox: &MailboxConfig,
    unit: &Unit,
    c: &ConsultationRow,
    from: &Derivation,
    by: &str,
    message_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, DaemonError> {
    let due_at = unit_due(calendar, &mailbox.reception, unit.deadline_days, now);
    let message_id = match message_id {
        Some(id) => id.to_string(),
        None => message_ids::derivation(&c.ticket, domain_of(&mailbox.address), &random_hex(12)),
    };
    let detail = format!(
        "{} (la unidad se la reenvió directamente, con copia a {})",
        raised_detail(calendar, mailbox, from, by, unit, due_at, now),
        mailbox.address
    );
    Ok(office
        .store
        .record_derivation(
            &NewDerivation {
                record: record(mailbox, unit, c, message_id, due_at, Some(from)),
                detail,
            },
            None,
            now,
        )
        .await?)
}
