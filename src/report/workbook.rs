//! The Excel workbooks a coordinator hands in: the day's register (one sheet) and the month's indicators
//! (one sheet per view). Dates are real Excel dates in Lima time with a date format, not text, so a filter or a
//! formula works on them; percentages are numbers with a percent format.

use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};

use super::incidents::{
    DailyIncidentReport, Frequency, IncidentIndicators, IncidentRecord,
    CORRECTLY_DIRECTED_NOT_MEASURED,
};
use super::indicators::{Breakdown, MonthIndicators, RULE_CORRECTIONS_NOT_MEASURED};
use super::register::{RegisterEntry, CHANNEL};
use super::suggestions::SuggestionsReport;
use super::ReportError;
use crate::calendar::{BusinessCalendar, LIMA};
use crate::spanish;
use crate::vocabulary::SATISFACTION_TARGET;

/// The register sheet's name.
pub const REGISTER_SHEET: &str = "Registro";

/// One cell of the register, independent of the file format.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number (hours, days, stars).
    Number(f64),
    /// A date and time, Lima local time.
    Date(NaiveDateTime),
    /// Nothing.
    Empty,
}

/// The register's columns: header and width (in Excel's character units).
pub const REGISTER_COLUMNS: [(&str, f64); 27] = [
    ("N.º", 5.0),
    ("Ticket", 18.0),
    ("Recibido", 17.0),
    ("Recepción efectiva", 17.0),
    ("Ciudadano", 22.0),
    ("Correo del ciudadano", 28.0),
    ("Buzón", 12.0),
    ("Canal", 18.0),
    ("Asunto", 40.0),
    ("Carpeta", 14.0),
    ("Categoría", 26.0),
    ("Disponibilidad", 13.0),
    ("Plazo", 17.0),
    ("Asistente", 24.0),
    ("Supervisor (legal)", 24.0),
    ("Respondido", 17.0),
    ("Horas hábiles", 12.0),
    ("Días hábiles", 11.0),
    ("Dentro del plazo", 15.0),
    ("Encuesta (estrellas)", 18.0),
    ("Clase de atención", 16.0),
    ("Área", 10.0),
    ("Días hábiles por vencer", 14.0),
    ("Nivel", 7.0),
    ("Unidad", 14.0),
    ("Horas hábiles de la unidad", 13.0),
    ("Horas hábiles del primer nivel", 13.0),
];

/// An instant as a Lima wall-clock date and time.
fn lima(at: chrono::DateTime<chrono::Utc>) -> Cell {
    Cell::Date(at.with_timezone(&LIMA).naive_local())
}

/// Text, or nothing when absent.
fn text(value: Option<&str>) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
}

/// The cells of the register line number `n` (from 1), in `REGISTER_COLUMNS` order.
pub fn register_cells(n: usize, entry: &RegisterEntry) -> Vec<Cell> {
    let row = &entry.row;
    vec![
        Cell::Number(n as f64),
        Cell::Text(row.ticket.clone()),
        lima(row.received_at),
        lima(row.effective_received_at),
        text(row.citizen_name.as_deref()),
        text(row.citizen_address.as_deref()),
        Cell::Text(row.mailbox.clone()),
        Cell::Text(CHANNEL.to_string()),
        Cell::Text(row.subject.clone()),
        Cell::Text(row.folder.clone()),
        Cell::Text(row.category.clone()),
        Cell::Text(row.availability.clone()),
        lima(row.deadline_at),
        text(row.assistant.as_deref()),
        text(entry.supervisor()),
        entry.answered_at.map_or(Cell::Empty, lima),
        entry
            .business_hours
            .map_or(Cell::Empty, |h| Cell::Number((h * 100.0).round() / 100.0)),
        entry
            .business_days
            .map_or(Cell::Empty, |d| Cell::Number(d as f64)),
        Cell::Text(entry.compliance.spanish().to_string()),
        row.rating
            .map_or(Cell::Empty, |r| Cell::Number(f64::from(r))),
        Cell::Text(row.kind.as_str().to_string()),
        Cell::Text(entry.area().to_string()),
        entry
            .business_days_left
            .map_or(Cell::Empty, |d| Cell::Number(d as f64)),
        Cell::Number(f64::from(entry.level)),
        text(entry.unit.as_deref()),
        entry
            .unit_hours()
            .map_or(Cell::Empty, |h| Cell::Number((h * 100.0).round() / 100.0)),
        entry
            .first_level_hours
            .map_or(Cell::Empty, |h| Cell::Number((h * 100.0).round() / 100.0)),
    ]
}

/// The formats every sheet uses.
struct Formats {
    /// Header row.
    header: Format,
    /// Dates and times.
    date: Format,
    /// Hours with two decimals.
    hours: Format,
    /// Percentages.
    percent: Format,
}

impl Formats {
    /// Bold shaded header, `dd/mm/yyyy hh:mm`, two decimals, one-decimal percent.
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color("#DDEBF7"),
            date: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
            hours: Format::new().set_num_format("0.00"),
            percent: Format::new().set_num_format("0.0%"),
        }
    }
}

/// Bold header in row 0, column widths, header frozen, and a filter over `rows` data rows.
fn table(
    sheet: &mut Worksheet,
    formats: &Formats,
    columns: &[(&str, f64)],
    rows: usize,
) -> Result<(), ReportError> {
    for (col, (header, width)) in columns.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *header, &formats.header)?;
        sheet.set_column_width(col, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = columns.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, rows as u32, last_col)?;
    Ok(())
}

/// Writes `cell` at (`row`, `col`).
fn write_cell(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    col: u16,
    cell: &Cell,
) -> Result<(), ReportError> {
    match cell {
        Cell::Text(value) => {
            sheet.write_string(row, col, value)?;
        }
        Cell::Number(value) if value.fract() != 0.0 => {
            sheet.write_number_with_format(row, col, *value, &formats.hours)?;
        }
        Cell::Number(value) => {
            sheet.write_number(row, col, *value)?;
        }
        Cell::Date(value) => {
            sheet.write_datetime_with_format(row, col, value, &formats.date)?;
        }
        Cell::Empty => {}
    }
    Ok(())
}

/// The register workbook (`.xlsx` bytes): one sheet `Registro`, one row per attention.
pub fn register_workbook(entries: &[RegisterEntry]) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(REGISTER_SHEET)?;
    table(sheet, &formats, &REGISTER_COLUMNS, entries.len())?;
    for (n, entry) in entries.iter().enumerate() {
        let row = n as u32 + 1;
        for (col, cell) in register_cells(n + 1, entry).iter().enumerate() {
            write_cell(sheet, &formats, row, col as u16, cell)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// The columns of the annual suggestions report's detail, one row per suggestion.
pub const SUGGESTION_COLUMNS: [(&str, f64); 11] = [
    ("Unidad", 24.0),
    ("N.º", 5.0),
    ("Ticket", 18.0),
    ("Recibida", 17.0),
    ("Ciudadano", 28.0),
    ("Asunto", 40.0),
    ("Área", 10.0),
    ("Situación", 22.0),
    ("Respondida", 17.0),
    ("Asistente", 24.0),
    ("Acciones implementadas", 40.0),
];

/// The cells of the suggestions report's rows, unit by unit, in [`SUGGESTION_COLUMNS`] order; the last column is
/// left for the unit to write what it implemented.
pub fn suggestion_rows(report: &SuggestionsReport) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for unit in &report.units {
        for (n, e) in unit.entries.iter().enumerate() {
            rows.push(vec![
                Cell::Text(unit.unit.clone()),
                Cell::Number((n + 1) as f64),
                Cell::Text(e.row.ticket.clone()),
                lima(e.row.effective_received_at),
                Cell::Text(e.citizen()),
                Cell::Text(e.row.subject.clone()),
                Cell::Text(e.area().to_string()),
                Cell::Text(
                    if e.answered_at.is_some() {
                        "Resultado comunicado"
                    } else {
                        "Pendiente"
                    }
                    .to_string(),
                ),
                e.answered_at.map_or(Cell::Empty, lima),
                text(e.row.assistant.as_deref()),
                Cell::Empty,
            ]);
        }
    }
    rows
}

/// The annual suggestions workbook (002 §9.1): `Resumen` (received, answered and pending per unit, and the date
/// the report is due) and `Sugerencias` (one row per suggestion, with a column for the actions implemented).
pub fn suggestions_workbook(report: &SuggestionsReport) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Resumen")?;
    sheet.write_string_with_format(
        0,
        0,
        format!("Informe anual de sugerencias — {}", report.year),
        &formats.header,
    )?;
    sheet.write_string(
        1,
        0,
        format!(
            "Se remite a la Oficina de Comunicaciones a más tardar el {} (002 §9.1)",
            spanish::date(report.due_by)
        ),
    )?;
    sheet.set_column_width(0, 30.0)?;
    for (col, header) in ["Unidad", "Recibidas", "Resultado comunicado", "Pendientes"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(3, col as u16, *header, &formats.header)?;
    }
    for (n, unit) in report.units.iter().enumerate() {
        let row = n as u32 + 4;
        sheet.write_string(row, 0, &unit.unit)?;
        sheet.write_number(row, 1, unit.entries.len() as f64)?;
        sheet.write_number(row, 2, unit.answered() as f64)?;
        sheet.write_number(row, 3, (unit.entries.len() - unit.answered()) as f64)?;
    }
    let rows = suggestion_rows(report);
    let sheet = workbook.add_worksheet();
    sheet.set_name("Sugerencias")?;
    table(sheet, &formats, &SUGGESTION_COLUMNS, rows.len())?;
    for (n, cells) in rows.iter().enumerate() {
        for (col, cell) in cells.iter().enumerate() {
            write_cell(sheet, &formats, n as u32 + 1, col as u16, cell)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// The columns of the complaints sheet.
const COMPLAINT_COLUMNS: [(&str, f64); 7] = [
    ("Ticket", 18.0),
    ("Ciudadano", 28.0),
    ("Asunto", 40.0),
    ("Recepción efectiva", 17.0),
    ("Vence (30 días hábiles)", 17.0),
    ("Días hábiles por vencer", 14.0),
    ("Situación", 36.0),
];

/// The `Reclamos` sheet: each complaint of the month with its 30-business-day clock.
fn complaints_sheet(
    workbook: &mut Workbook,
    formats: &Formats,
    complaints: &[RegisterEntry],
) -> Result<(), ReportError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name("Reclamos")?;
    table(sheet, formats, &COMPLAINT_COLUMNS, complaints.len())?;
    for (n, c) in complaints.iter().enumerate() {
        let row = n as u32 + 1;
        let cells = [
            Cell::Text(c.row.ticket.clone()),
            Cell::Text(c.citizen()),
            Cell::Text(c.row.subject.clone()),
            lima(c.row.effective_received_at),
            lima(c.row.deadline_at),
            c.business_days_left
                .map_or(Cell::Empty, |d| Cell::Number(d as f64)),
            Cell::Text(super::indicators::complaint_clock(c)),
        ];
        for (col, cell) in cells.iter().enumerate() {
            write_cell(sheet, formats, row, col as u16, cell)?;
        }
    }
    Ok(())
}

/// The columns of a per-folder/category/mailbox/assistant sheet, after the key's own.
const BREAKDOWN_COLUMNS: [(&str, f64); 8] = [
    ("Recibidas", 11.0),
    ("Atendidas", 11.0),
    ("En proceso", 11.0),
    ("Vencidas sin atender", 13.0),
    ("Atendidas en plazo", 12.0),
    ("% en plazo", 11.0),
    ("Promedio (horas hábiles)", 14.0),
    ("Percentil 90 (horas hábiles)", 14.0),
];

/// Writes a number, or leaves the cell empty.
fn optional_number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<f64>,
    format: &Format,
) -> Result<(), ReportError> {
    if let Some(value) = value {
        sheet.write_number_with_format(row, col, value, format)?;
    }
    Ok(())
}

/// One sheet per view: `key` names the first column.
fn breakdown_sheet(
    workbook: &mut Workbook,
    formats: &Formats,
    name: &str,
    key: &str,
    view: &[Breakdown],
) -> Result<(), ReportError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let mut columns = vec![(key, 28.0)];
    columns.extend(BREAKDOWN_COLUMNS);
    table(sheet, formats, &columns, view.len())?;
    for (n, b) in view.iter().enumerate() {
        let row = n as u32 + 1;
        let i = &b.indicators;
        sheet.write_string(row, 0, &b.key)?;
        for (col, count) in [
            i.received,
            i.resolved,
            i.in_progress,
            i.overdue,
            i.within_deadline,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_number(row, col as u16 + 1, count as f64)?;
        }
        optional_number(sheet, row, 6, i.compliance, &formats.percent)?;
        optional_number(sheet, row, 7, i.average_hours, &formats.hours)?;
        optional_number(sheet, row, 8, i.p90_hours, &formats.hours)?;
    }
    Ok(())
}

/// The indicators workbook (`.xlsx` bytes): `Resumen`, `Por carpeta`, `Por categoría`, `Por buzón`,
/// `Por asistente`, `Reclamos`, `Incidencias` (when the caller computed them, 002 §9.3.4), `Encuesta` and
/// `Por unidad`.
pub fn indicators_workbook(month: &MonthIndicators) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let t = &month.total;

    let sheet = workbook.add_worksheet();
    sheet.set_name("Resumen")?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "Indicadores del canal virtual — {} de {}",
            spanish::month(month.month),
            month.year
        ),
        &formats.header,
    )?;
    sheet.write_string(1, 0, "Calculado al (hora de Lima)")?;
    sheet.write_datetime_with_format(
        1,
        1,
        month.as_of.with_timezone(&LIMA).naive_local(),
        &formats.date,
    )?;
    sheet.set_column_width(0, 44)?;
    sheet.set_column_width(1, 18)?;
    let counts: [(&str, u64); 5] = [
        ("Consultas recibidas", t.received),
        ("Atendidas", t.resolved),
        ("En proceso", t.in_progress),
        ("Vencidas sin atender", t.overdue),
        ("Atendidas dentro del plazo", t.within_deadline),
    ];
    let mut row = 3;
    sheet.write_string_with_format(row, 0, "Indicador", &formats.header)?;
    sheet.write_string_with_format(row, 1, "Valor", &formats.header)?;
    for (label, value) in counts {
        row += 1;
        sheet.write_string(row, 0, label)?;
        sheet.write_number(row, 1, value as f64)?;
    }
    let ratios: [(&str, Option<f64>, &Format); 5] = [
        (
            "% atendidas dentro del plazo",
            t.compliance,
            &formats.percent,
        ),
        (
            "Tiempo de respuesta promedio (horas hábiles)",
            t.average_hours,
            &formats.hours,
        ),
        (
            "Tiempo de respuesta, percentil 90 (horas hábiles)",
            t.p90_hours,
            &formats.hours,
        ),
        (
            "Satisfacción (3 a 5 estrellas)",
            month.survey.satisfied_share,
            &formats.percent,
        ),
        (
            "Meta de satisfacción",
            Some(SATISFACTION_TARGET),
            &formats.percent,
        ),
    ];
    for (label, value, format) in ratios {
        row += 1;
        sheet.write_string(row, 0, label)?;
        match value {
            Some(value) => sheet.write_number_with_format(row, 1, value, format)?,
            None => sheet.write_string(row, 1, "—")?,
        };
    }
    row += 1;
    sheet.write_string(row, 0, "Correcciones de las reglas")?;
    match month.rule_corrections {
        Some(n) => sheet.write_number(row, 1, n as f64)?,
        None => sheet.write_string(row, 1, RULE_CORRECTIONS_NOT_MEASURED)?,
    };
    row += 2;
    sheet.write_string(
        row,
        0,
        "Horas hábiles: de la apertura al corte de cada buzón (08:30–16:30 en OSCE), solo en días hábiles.",
    )?;
    sheet.write_string(
        row + 1,
        0,
        "Cada consulta cuenta en el mes de su recepción efectiva (después del corte o en día no hábil: el siguiente día hábil).",
    )?;

    breakdown_sheet(
        &mut workbook,
        &formats,
        "Por clase",
        "Clase de atención",
        &month.by_kind,
    )?;
    breakdown_sheet(
        &mut workbook,
        &formats,
        "Por carpeta",
        "Carpeta",
        &month.by_folder,
    )?;
    breakdown_sheet(
        &mut workbook,
        &formats,
        "Por categoría",
        "Categoría",
        &month.by_category,
    )?;
    breakdown_sheet(
        &mut workbook,
        &formats,
        "Por buzón",
        "Buzón",
        &month.by_mailbox,
    )?;
    breakdown_sheet(
        &mut workbook,
        &formats,
        "Por asistente",
        "Asistente",
        &month.by_assistant,
    )?;
    complaints_sheet(&mut workbook, &formats, &month.complaints)?;
    if let Some(incidents) = &month.incidents {
        month_incidents_sheet(&mut workbook, &formats, incidents)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name("Encuesta")?;
    table(
        sheet,
        &formats,
        &[("Estrellas", 12.0), ("Respuestas", 12.0)],
        5,
    )?;
    for (n, count) in month.survey.counts.iter().enumerate() {
        let row = n as u32 + 1;
        sheet.write_number(row, 0, (n + 1) as f64)?;
        sheet.write_number(row, 1, *count as f64)?;
    }
    sheet.write_string(7, 0, "Total")?;
    sheet.write_number(7, 1, month.survey.total as f64)?;
    sheet.write_string(8, 0, "Satisfechas (3 a 5)")?;
    sheet.write_number(8, 1, month.survey.satisfied as f64)?;
    sheet.write_string(9, 0, "% satisfechas")?;
    optional_number(sheet, 9, 1, month.survey.satisfied_share, &formats.percent)?;
    sheet.write_string(10, 0, "Meta")?;
    sheet.write_number_with_format(10, 1, SATISFACTION_TARGET, &formats.percent)?;
    sheet.write_string(11, 0, "¿Cumple la meta?")?;
    sheet.write_string(
        11,
        1,
        match month.survey.meets_target() {
            Some(true) => "Sí",
            Some(false) => "No",
            None => "—",
        },
    )?;
    sheet.set_column_width(0, 20)?;
    units_sheet(&mut workbook, &formats, month)?;
    Ok(workbook.save_to_buffer()?)
}

/// The columns of the daily incident report's rows (002 §8.3.2.3), one row per incident.
pub const INCIDENT_COLUMNS: [(&str, f64); 16] = [
    ("N.º", 5.0),
    ("Ticket", 18.0),
    ("Recibida", 17.0),
    ("Recepción efectiva", 17.0),
    ("Ciudadano", 28.0),
    ("Asunto", 40.0),
    ("Origen (área)", 12.0),
    ("Clasificación", 26.0),
    ("Nivel alcanzado", 14.0),
    ("Unidad que la tiene", 26.0),
    ("Derivada", 17.0),
    ("Respuesta de la unidad", 17.0),
    ("Acuse al ciudadano", 17.0),
    ("Estado", 22.0),
    ("Días hábiles abierta", 12.0),
    ("Respondida al ciudadano", 17.0),
];

/// The cells of incident line `n` (from 1) in the report of `day` counted at `as_of`, in [`INCIDENT_COLUMNS`]
/// order.
pub fn incident_cells(
    n: usize,
    record: &IncidentRecord,
    calendar: &BusinessCalendar,
    day: NaiveDate,
    as_of: chrono::DateTime<chrono::Utc>,
) -> Vec<Cell> {
    let row = &record.entry.row;
    vec![
        Cell::Number(n as f64),
        Cell::Text(row.ticket.clone()),
        lima(row.received_at),
        lima(row.effective_received_at),
        Cell::Text(record.entry.citizen()),
        Cell::Text(row.subject.clone()),
        Cell::Text(record.origin()),
        Cell::Text(record.classification().to_string()),
        Cell::Text(record.level().spanish().to_string()),
        Cell::Text(record.holder().to_string()),
        record.derived_at().map_or(Cell::Empty, lima),
        record.unit_answered_at(as_of).map_or(Cell::Empty, lima),
        record.acknowledged_at.map_or(Cell::Empty, lima),
        Cell::Text(record.state(as_of).to_string()),
        Cell::Number(record.days_open(calendar, day) as f64),
        record.entry.answered_at.map_or(Cell::Empty, lima),
    ]
}

/// The columns of a frequency table (002 §8.3.2.2), after the key's own.
const FREQUENCY_COLUMNS: [(&str, f64); 4] = [
    ("Incidencias", 12.0),
    ("%", 9.0),
    ("Frecuencia acumulada", 13.0),
    ("% acumulado", 11.0),
];

/// Writes a frequency table with its header at `top` (rows below it), `key` naming the first column; returns the
/// row after the table.
fn frequency_table(
    sheet: &mut Worksheet,
    formats: &Formats,
    top: u32,
    key: &str,
    table: &[Frequency],
) -> Result<u32, ReportError> {
    sheet.write_string_with_format(top, 0, key, &formats.header)?;
    for (col, (header, _)) in FREQUENCY_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(top, col as u16 + 1, *header, &formats.header)?;
    }
    for (n, f) in table.iter().enumerate() {
        let row = top + 1 + n as u32;
        sheet.write_string(row, 0, &f.key)?;
        sheet.write_number(row, 1, f.count as f64)?;
        sheet.write_number_with_format(row, 2, f.share, &formats.percent)?;
        sheet.write_number(row, 3, f.cumulative as f64)?;
        sheet.write_number_with_format(row, 4, f.cumulative_share, &formats.percent)?;
    }
    Ok(top + 1 + table.len() as u32)
}

/// A sheet with one frequency table.
fn frequency_sheet(
    workbook: &mut Workbook,
    formats: &Formats,
    name: &str,
    key: &str,
    table: &[Frequency],
) -> Result<(), ReportError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let mut columns = vec![(key, 30.0)];
    columns.extend(FREQUENCY_COLUMNS);
    table_columns(sheet, &columns)?;
    frequency_table(sheet, formats, 0, key, table)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Column widths only.
fn table_columns(sheet: &mut Worksheet, columns: &[(&str, f64)]) -> Result<(), ReportError> {
    for (col, (_, width)) in columns.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    Ok(())
}

/// A sheet of incident rows.
fn incident_sheet(
    workbook: &mut Workbook,
    formats: &Formats,
    name: &str,
    records: &[IncidentRecord],
    calendar: &BusinessCalendar,
    report: &DailyIncidentReport,
) -> Result<(), ReportError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    table(sheet, formats, &INCIDENT_COLUMNS, records.len())?;
    for (n, record) in records.iter().enumerate() {
        for (col, cell) in incident_cells(n + 1, record, calendar, report.date, report.as_of)
            .iter()
            .enumerate()
        {
            write_cell(sheet, formats, n as u32 + 1, col as u16, cell)?;
        }
    }
    Ok(())
}

/// The daily consolidated incident workbook (002 §8.3.2.3): `Resumen`, `Ingresadas` (the day's incidents),
/// `Solucionadas` (answered that day), `Por origen` and `Por clasificación` (distribution with cumulative
/// frequency over the month so far) and `TOP` (the most frequent, 002 §8.3.2.2).
pub fn incidents_workbook(
    report: &DailyIncidentReport,
    calendar: &BusinessCalendar,
) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Resumen")?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "Reporte consolidado de incidencias del {}",
            report.date.format("%d/%m/%Y")
        ),
        &formats.header,
    )?;
    sheet.set_column_width(0, 52)?;
    let stats = &report.statistics;
    for (n, (label, value)) in [
        ("Incidencias ingresadas en el día", report.received.len()),
        (
            "Incidencias solucionadas y atendidas en el día",
            report.solved.len(),
        ),
        (
            "Incidencias del mes hasta el día (base de las estadísticas)",
            stats.total as usize,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        sheet.write_string(n as u32 + 2, 0, label)?;
        sheet.write_number(n as u32 + 2, 1, value as f64)?;
    }
    sheet.write_string(
        6,
        0,
        "Estadísticas de 002 §8.3.2.2: (i) distribución por tipificación de origen, (ii) frecuencia acumulada, \
         (iii) TOP de las más frecuentes.",
    )?;
    incident_sheet(
        &mut workbook,
        &formats,
        INCIDENTS_RECEIVED_SHEET,
        &report.received,
        calendar,
        report,
    )?;
    incident_sheet(
        &mut workbook,
        &formats,
        INCIDENTS_SOLVED_SHEET,
        &report.solved,
        calendar,
        report,
    )?;
    frequency_sheet(
        &mut workbook,
        &formats,
        "Por origen",
        "Origen",
        &stats.by_origin,
    )?;
    frequency_sheet(
        &mut workbook,
        &formats,
        "Por clasificación",
        "Clasificación",
        &stats.by_classification,
    )?;
    frequency_sheet(&mut workbook, &formats, "TOP", "Clasificación", &stats.top)?;
    Ok(workbook.save_to_buffer()?)
}

/// The daily report's sheet of the incidents that came in.
pub const INCIDENTS_RECEIVED_SHEET: &str = "Ingresadas";
/// The daily report's sheet of the incidents solved and answered.
pub const INCIDENTS_SOLVED_SHEET: &str = "Solucionadas";

/// The month's `Incidencias` sheet (002 §9.3.4): total, each level's share resolved and compliance against its
/// limit (§9.3.2), each unit's time, the distribution by origin and classification with cumulative frequency,
/// and the TOP.
fn month_incidents_sheet(
    workbook: &mut Workbook,
    formats: &Formats,
    ind: &IncidentIndicators,
) -> Result<(), ReportError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name("Incidencias")?;
    table_columns(
        sheet,
        &[
            ("", 40.0),
            ("", 14.0),
            ("", 14.0),
            ("", 14.0),
            ("", 14.0),
            ("", 14.0),
            ("", 16.0),
        ],
    )?;
    sheet.write_string_with_format(0, 0, "Número total de incidencias del mes", &formats.header)?;
    sheet.write_number(0, 1, ind.statistics.total as f64)?;
    sheet.write_string(1, 0, "% direccionadas correctamente")?;
    sheet.write_string(1, 1, CORRECTLY_DIRECTED_NOT_MEASURED)?;
    let mut row = 3;
    for (col, header) in [
        "Nivel de atención",
        "Alcanzaron el nivel",
        "Resueltas en el nivel",
        "% resueltas (del total)",
        "En plazo",
        "% en plazo",
        "Promedio propio (horas hábiles)",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(row, col as u16, *header, &formats.header)?;
    }
    for l in &ind.levels {
        row += 1;
        sheet.write_string(row, 0, l.level.spanish())?;
        sheet.write_number(row, 1, l.reached as f64)?;
        sheet.write_number(row, 2, l.resolved as f64)?;
        optional_number(sheet, row, 3, l.resolved_share, &formats.percent)?;
        sheet.write_number(row, 4, l.in_time as f64)?;
        optional_number(sheet, row, 5, l.compliance, &formats.percent)?;
        optional_number(sheet, row, 6, l.average_hours, &formats.hours)?;
    }
    row += 1;
    sheet.write_string(
        row,
        0,
        "Plazos (002 §9.3.2): primer nivel, informar al ciudadano el mismo día; segundo nivel, de 1 a 5 días \
         hábiles; tercer nivel, de 2 a 5 días hábiles. El primer nivel cuenta su tiempo propio, sin el de las \
         unidades.",
    )?;
    row += 2;
    for (col, header) in [
        "Unidad",
        "Derivadas",
        "Respondidas",
        "En plazo",
        "Promedio (horas hábiles)",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(row, col as u16, *header, &formats.header)?;
    }
    if ind.units.is_empty() {
        row += 1;
        sheet.write_string(row, 0, "Ninguna incidencia derivada a una unidad")?;
    }
    for u in &ind.units {
        row += 1;
        sheet.write_string(row, 0, &u.unit)?;
        sheet.write_number(row, 1, u.derived as f64)?;
        sheet.write_number(row, 2, u.answered as f64)?;
        sheet.write_number(row, 3, u.in_time as f64)?;
        optional_number(sheet, row, 4, u.average_hours, &formats.hours)?;
    }
    row += 2;
    row = frequency_table(sheet, formats, row, "Origen", &ind.statistics.by_origin)? + 1;
    row = frequency_table(
        sheet,
        formats,
        row,
        "Clasificación",
        &ind.statistics.by_classification,
    )? + 1;
    frequency_table(
        sheet,
        formats,
        row,
        "TOP (más frecuentes)",
        &ind.statistics.top,
    )?;
    Ok(())
}

/// The sheet `Por unidad`: each unit's own time on the month's derived attentions, apart from the first
/// level's (002 §9.3.1), and the first level's own average on them.
fn units_sheet(
    workbook: &mut Workbook,
    formats: &Formats,
    month: &MonthIndicators,
) -> Result<(), ReportError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name("Por unidad")?;
    let columns = [
        ("Unidad", 22.0),
        ("Nivel", 7.0),
        ("Derivadas", 11.0),
        ("Respondidas o elevadas", 13.0),
        ("En el plazo de la unidad", 13.0),
        ("Vencidas en la unidad", 13.0),
        ("Promedio de la unidad (horas hábiles)", 16.0),
    ];
    table(sheet, formats, &columns, month.by_unit.len())?;
    for (n, u) in month.by_unit.iter().enumerate() {
        let row = n as u32 + 1;
        sheet.write_string(row, 0, &u.unit)?;
        for (col, count) in [
            u64::from(u.level),
            u.derived,
            u.answered,
            u.within_deadline,
            u.overdue,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_number(row, col as u16 + 1, count as f64)?;
        }
        optional_number(sheet, row, 6, u.average_hours, &formats.hours)?;
    }
    let row = month.by_unit.len() as u32 + 2;
    sheet.write_string(
        row,
        0,
        "Primer nivel en las derivadas (recepción → derivación + respuesta de la unidad → respuesta al ciudadano), \
         promedio en horas hábiles",
    )?;
    optional_number(
        sheet,
        row,
        6,
        month.first_level_average_hours,
        &formats.hours,
    )?;
    Ok(())
}
