//! The coordinator's morning list: what falls due today and what is overdue, oldest first, as plain text.

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::LIMA;
use crate::store::{ConsultationRow, HeldByUnit};

/// The body of the morning mail for `today`, from the open consultations due by the end of today.
pub fn due_list_text(today: NaiveDate, open: &[ConsultationRow], now: DateTime<Utc>) -> String {
    let (overdue, due_today): (Vec<&ConsultationRow>, Vec<&ConsultationRow>) =
        open.iter().partition(|c| c.deadline_at < now);
    let line = |c: &ConsultationRow| {
        let due = c.deadline_at.with_timezone(&LIMA);
        let subject: String = c.subject.chars().take(70).collect();
        format!(
            "  {}  {:<15} vence {}  {}  ({})\n",
            c.ticket,
            c.folder,
            due.format("%d/%m/%Y %H:%M"),
            subject,
            c.mailbox
        )
    };
    let mut s = format!(
        "Consultas por atender al {} (hora de Lima)\n\n",
        today.format("%d/%m/%Y")
    );
    s.push_str(&format!(
        "VENCIDAS ({}), la más antigua primero:\n",
        overdue.len()
    ));
    if overdue.is_empty() {
        s.push_str("  ninguna\n");
    }
    for c in &overdue {
        s.push_str(&line(c));
    }
    s.push_str(&format!("\nVENCEN HOY ({}):\n", due_today.len()));
    if due_today.is_empty() {
        s.push_str("  ninguna\n");
    }
    for c in &due_today {
        s.push_str(&line(c));
    }
    s.push_str(
        "\nEste es un mensaje automático de triaje. El registro completo: triaje report register; \
         los indicadores del mes: triaje report indicators.\n",
    );
    s
}

/// The part of the morning mail about the units (002 §9.3.3: each level answers within its own limit): those
/// past their deadline first, then what each unit holds. `display` gives a unit's name from its short name.
/// Empty when the units hold nothing.
pub fn units_text(
    held: &[HeldByUnit],
    display: &dyn Fn(&str) -> String,
    now: DateTime<Utc>,
) -> String {
    if held.is_empty() {
        return String::new();
    }
    let (late, waiting): (Vec<&HeldByUnit>, Vec<&HeldByUnit>) =
        held.iter().partition(|h| h.derivation.is_late(now));
    let line = |h: &HeldByUnit| {
        let d = &h.derivation;
        let subject: String = h.subject.chars().take(60).collect();
        format!(
            "  {}  {} (nivel {}, {})  derivada {}  vence {}  {}\n",
            h.ticket,
            display(&d.unit),
            d.level.number(),
            d.unit_address,
            crate::spanish::date(d.derived_at.with_timezone(&LIMA).date_naive()),
            crate::spanish::date_time(&d.due_at),
            subject
        )
    };
    let mut s = format!("\nUNIDADES CON PLAZO VENCIDO ({}):\n", late.len());
    if late.is_empty() {
        s.push_str("  ninguna\n");
    }
    for h in &late {
        s.push_str(&line(h));
    }
    s.push_str(&format!(
        "\nEN UNIDADES, DENTRO DEL PLAZO ({}):\n",
        waiting.len()
    ));
    if waiting.is_empty() {
        s.push_str("  ninguna\n");
    }
    for h in &waiting {
        s.push_str(&line(h));
    }
    s
}
