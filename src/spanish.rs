//! Spanish text as the office reads it, written in one place: weekdays and months, dates and times in Lima,
//! numbers with a decimal comma (percentages, hours), and HTML escaping of text that came from outside.
//!
//! Every message, page, note and report that shows one of these takes it from here, so a ticket note, the
//! acknowledgement, `triaje status` and the dashboard write «lun 23/11/2026 08:30» and «87,5 %» alike.
//! A leaf: it imports nothing of triaje. Pure.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Weekday};

/// The office's time zone (the same as `calendar::LIMA`; named here so this module stays a leaf).
const LIMA: chrono_tz::Tz = chrono_tz::America::Lima;

/// The name of a weekday, lower case as written mid-sentence (`lunes`, `miércoles`).
pub fn weekday(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "lunes",
        Weekday::Tue => "martes",
        Weekday::Wed => "miércoles",
        Weekday::Thu => "jueves",
        Weekday::Fri => "viernes",
        Weekday::Sat => "sábado",
        Weekday::Sun => "domingo",
    }
}

/// The first three letters of a weekday (`lun`, `mié`, `sáb`), as lists and subjects show it.
pub fn weekday_short(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lun",
        Weekday::Tue => "mar",
        Weekday::Wed => "mié",
        Weekday::Thu => "jue",
        Weekday::Fri => "vie",
        Weekday::Sat => "sáb",
        Weekday::Sun => "dom",
    }
}

/// The name of a month (1–12), lower case (`noviembre`; `setiembre`, as Peru writes it); `?` out of range.
pub fn month(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "setiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    NAMES
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

/// A day as `23/11/2026`.
pub fn date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// A day with its weekday: `lun 23/11/2026`.
pub fn day_and_date(day: NaiveDate) -> String {
    format!("{} {}", weekday_short(day.weekday()), date(day))
}

/// A moment in Lima as `23/11/2026 08:30`.
pub fn date_time<Tz: TimeZone>(at: &DateTime<Tz>) -> String {
    at.with_timezone(&LIMA).format("%d/%m/%Y %H:%M").to_string()
}

/// A moment in Lima with its weekday: `lun 23/11/2026 08:30` (ticket notes, acknowledgements, the terminal).
pub fn day_date_time<Tz: TimeZone>(at: &DateTime<Tz>) -> String {
    let lima = at.with_timezone(&LIMA);
    format!("{} {}", weekday_short(lima.weekday()), date_time(&lima))
}

/// The day and month of a moment in Lima: `23/11` (a chart's week).
pub fn day_month<Tz: TimeZone>(at: &DateTime<Tz>) -> String {
    at.with_timezone(&LIMA).format("%d/%m").to_string()
}

/// The hour of a moment in Lima: `16:30`.
pub fn time<Tz: TimeZone>(at: &DateTime<Tz>) -> String {
    at.with_timezone(&LIMA).format("%H:%M").to_string()
}

/// One decimal with a decimal comma, as written in Peru (`87,5`; `100` without decimals when whole).
pub fn decimal(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}").replace('.', ",")
    }
}

/// A share (0–1) as `87,5 %`, or `—` when there is nothing to divide.
pub fn percent(share: Option<f64>) -> String {
    match share {
        Some(share) => format!("{} %", decimal(share * 100.0)),
        None => "—".to_string(),
    }
}

/// Hours as `2,5 h`, or `—`.
pub fn hours(hours: Option<f64>) -> String {
    match hours {
        Some(hours) => format!("{} h", decimal(hours)),
        None => "—".to_string(),
    }
}

/// `text` made safe to place in HTML text or in a double- or single-quoted attribute (the HTML of a reply;
/// the web pages escape through their templates).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn a_moment_reads_in_lima_with_its_weekday() {
        // 2026-11-23 13:30 UTC is Monday 08:30 in Lima (UTC−5, no summer time).
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 13, 30, 0).unwrap();
        assert_eq!(day_date_time(&at), "lun 23/11/2026 08:30");
        assert_eq!(date_time(&at), "23/11/2026 08:30");
        assert_eq!(time(&at), "08:30");
        assert_eq!(day_month(&at), "23/11");
        // Late evening in Lima is already tomorrow in UTC: the Lima day is the one shown.
        let evening = Utc.with_ymd_and_hms(2026, 11, 26, 3, 59, 0).unwrap();
        assert_eq!(day_date_time(&evening), "mié 25/11/2026 22:59");
    }

    #[test]
    fn short_weekdays_are_the_first_three_letters_with_their_accents() {
        for day in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ] {
            let three: String = weekday(day).chars().take(3).collect();
            assert_eq!(weekday_short(day), three);
        }
        let day = NaiveDate::from_ymd_opt(2026, 7, 28).unwrap();
        assert_eq!(day_and_date(day), "mar 28/07/2026");
    }

    #[test]
    fn months_are_spanish_and_peruvian() {
        assert_eq!(month(9), "setiembre");
        assert_eq!(month(12), "diciembre");
        assert_eq!(month(0), "?");
        assert_eq!(month(13), "?");
    }

    #[test]
    fn numbers_use_a_decimal_comma() {
        assert_eq!(decimal(87.54), "87,5");
        assert_eq!(decimal(100.0), "100");
        assert_eq!(percent(Some(0.875)), "87,5 %");
        assert_eq!(percent(None), "—");
        assert_eq!(hours(Some(2.25)), "2,3 h");
        assert_eq!(hours(None), "—");
    }

    #[test]
    fn html_special_characters_are_escaped() {
        assert_eq!(
            escape_html(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape_html("Atención rápida"), "Atención rápida");
    }
}
