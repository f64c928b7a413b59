//! Easter Sunday, from which Holy Thursday and Good Friday are counted.

use chrono::NaiveDate;

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian computus, valid for any year
/// after 1582). Holy Thursday is three days before, Good Friday two.
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    // The algorithm always yields a day in March or April, so the date exists.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
        .unwrap_or_else(|| unreachable!("computus gave {year}-{month}-{day}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_matches_the_published_dates() {
        assert_eq!(easter_sunday(2019), ymd(2019, 4, 21));
        assert_eq!(easter_sunday(2023), ymd(2023, 4, 9));
        assert_eq!(easter_sunday(2024), ymd(2024, 3, 31));
        assert_eq!(easter_sunday(2025), ymd(2025, 4, 20));
        assert_eq!(easter_sunday(2026), ymd(2026, 4, 5));
        assert_eq!(easter_sunday(2027), ymd(2027, 3, 28));
        // Extremes of the range: earliest (22 March) and latest (25 April) possible Easter.
        assert_eq!(easter_sunday(2285), ymd(2285, 3, 22));
        assert_eq!(easter_sunday(2038), ymd(2038, 4, 25));
    }

    #[test]
    fn easter_is_always_a_sunday() {
        for year in 1900..2200 {
            assert_eq!(
                easter_sunday(year).weekday(),
                chrono::Weekday::Sun,
                "{year}"
            );
        }
    }
}
