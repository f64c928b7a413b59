//! The register as CSV for other tools: RFC 4180 (comma separator, CRLF line ends, fields with a comma, quote or
//! line break in double quotes, quotes doubled), UTF-8 with a byte-order mark so that Excel opens accents
//! (`Atención`, `Núñez`) correctly instead of guessing a legacy code page. Dates are `AAAA-MM-DD HH:MM` in Lima
//! time; decimals use a point.

use super::incidents::DailyIncidentReport;
use super::register::RegisterEntry;
use super::suggestions::SuggestionsReport;
use super::workbook::{
    incident_cells, register_cells, suggestion_rows, Cell, INCIDENTS_RECEIVED_SHEET,
    INCIDENTS_SOLVED_SHEET, INCIDENT_COLUMNS, REGISTER_COLUMNS, SUGGESTION_COLUMNS,
};
use crate::calendar::BusinessCalendar;

/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";

/// One field, quoted when RFC 4180 requires it.
fn field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// One record and its CRLF.
fn record<'a>(out: &mut String, values: impl IntoIterator<Item = std::borrow::Cow<'a, str>>) {
    for (n, value) in values.into_iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        field(out, &value);
    }
    out.push_str("\r\n");
}

/// A cell as CSV text.
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(value) => value.clone(),
        Cell::Number(value) if value.fract() == 0.0 => format!("{value:.0}"),
        Cell::Number(value) => format!("{value:.2}"),
        Cell::Date(value) => value.format("%Y-%m-%d %H:%M").to_string(),
        Cell::Empty => String::new(),
    }
}

/// The register as CSV bytes (BOM, header line, one line per attention).
pub fn register_csv(entries: &[RegisterEntry]) -> Vec<u8> {
    let mut out = String::from(BOM);
    record(&mut out, REGISTER_COLUMNS.iter().map(|(h, _)| (*h).into()));
    for (n, entry) in entries.iter().enumerate() {
        let cells = register_cells(n + 1, entry);
        record(&mut out, cells.iter().map(|c| cell_text(c).into()));
    }
    out.into_bytes()
}

/// The annual suggestions report's rows as CSV bytes (BOM, header line, one line per suggestion).
pub fn suggestions_csv(report: &SuggestionsReport) -> Vec<u8> {
    let mut out = String::from(BOM);
    record(
        &mut out,
        SUGGESTION_COLUMNS.iter().map(|(h, _)| (*h).into()),
    );
    for cells in suggestion_rows(report) {
        record(&mut out, cells.iter().map(|c| cell_text(c).into()));
    }
    out.into_bytes()
}

/// The daily incident report's rows as CSV bytes (BOM, header line, one line per incident): first column
/// `Movimiento`, «Ingresadas» for the day's incidents and «Solucionadas» for those answered that day (an incident
/// that came in and was solved the same day is on both). The statistics are in the workbook.
pub fn incidents_csv(report: &DailyIncidentReport, calendar: &BusinessCalendar) -> Vec<u8> {
    let mut out = String::from(BOM);
    record(
        &mut out,
        std::iter::once("Movimiento".into())
            .chain(INCIDENT_COLUMNS.iter().map(|(h, _)| (*h).into())),
    );
    for (movement, records) in [
        (INCIDENTS_RECEIVED_SHEET, &report.received),
        (INCIDENTS_SOLVED_SHEET, &report.solved),
    ] {
        for (n, r) in records.iter().enumerate() {
            let cells = incident_cells(n + 1, r, calendar, report.date, report.as_of);
            record(
                &mut out,
                std::iter::once(movement.into()).chain(cells.iter().map(|c| cell_text(c).into())),
            );
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_rfc_4180_requires_it() {
        let mut out = String::new();
        record(
            &mut out,
            ["plain", "a, b", "dijo \"hola\"", "dos\nlíneas", "Núñez"]
                .into_iter()
                .map(Into::into),
        );
        assert_eq!(
            out,
            "plain,\"a, b\",\"dijo \"\"hola\"\"\",\"dos\nlíneas\",Núñez\r\n"
        );
    }

    #[test]
    fn an_empty_register_is_a_bom_and_the_header() {
        let bytes = register_csv(&[]);
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = String::from_utf8(bytes).expect("utf-8");
        assert!(text.starts_with("\u{feff}N.º,Ticket,Recibido,Recepción efectiva,"));
        assert!(text.ends_with(
            "Encuesta (estrellas),Clase de atención,Área,Días hábiles por vencer,Nivel,Unidad,\
             Horas hábiles de la unidad,Horas hábiles del primer nivel\r\n"
        ));
    }
}
