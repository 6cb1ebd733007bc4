//! Gregorian to Jalali (Solar Hijri) years for numbering templates. The arithmetic is
//! the standard 33-year-cycle algorithm (as in jalaali-js); display calendars are
//! handled by the UI through Intl.

use chrono::{Datelike, NaiveDate};

/// (year, month, day) in the Jalali calendar.
pub fn from_gregorian(date: NaiveDate) -> (i32, u32, u32) {
    let gy = date.year();
    let gm = date.month() as i32;
    let gd = date.day() as i32;
    let g_d_m = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let gy2 = if gm > 2 { gy + 1 } else { gy };
    let mut days = 355666 + (365 * gy) + ((gy2 + 3) / 4) - ((gy2 + 99) / 100)
        + ((gy2 + 399) / 400)
        + gd
        + g_d_m[(gm - 1) as usize];
    let mut jy = -1595 + (33 * (days / 12053));
    days %= 12053;
    jy += 4 * (days / 1461);
    days %= 1461;
    if days > 365 {
        jy += (days - 1) / 365;
        days = (days - 1) % 365;
    }
    let (jm, jd) = if days < 186 {
        (1 + days / 31, 1 + days % 31)
    } else {
        (7 + (days - 186) / 30, 1 + (days - 186) % 30)
    };
    (jy, jm as u32, jd as u32)
}

/// The Gregorian date of a Jalali (year, month, day); `None` when no such day exists
/// (e.g. Esfand 30 of a common year).
pub fn to_gregorian(jy: i32, jm: u32, jd: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&jm) || jd == 0 || jd > if jm <= 6 { 31 } else { 30 } || !(1..=3000).contains(&jy) {
        return None;
    }
    let offset = if jm <= 6 {
        (jm - 1) * 31 + jd - 1
    } else {
        186 + (jm - 7) * 30 + jd - 1
    };
    // Farvardin 1 falls on March 20 or 21 (Gregorian); start there and settle.
    let guess = NaiveDate::from_ymd_opt(jy + 621, 3, 20)?.checked_add_days(chrono::Days::new(offset as u64))?;
    (-2i64..=2)
        .filter_map(|delta| guess.checked_add_signed(chrono::Duration::days(delta)))
        .find(|d| from_gregorian(*d) == (jy, jm, jd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(from_gregorian(d(2026, 3, 21)), (1405, 1, 1));
        assert_eq!(from_gregorian(d(2026, 3, 20)), (1404, 12, 29));
        assert_eq!(from_gregorian(d(2026, 11, 29)), (1405, 9, 8));
        assert_eq!(from_gregorian(d(2018, 3, 20)), (1396, 12, 29));
    }

    #[test]
    fn back_to_gregorian() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(to_gregorian(1405, 1, 1), Some(d(2026, 3, 21)));
        assert_eq!(to_gregorian(1405, 9, 8), Some(d(2026, 11, 29)));
        assert_eq!(to_gregorian(1403, 12, 30), Some(d(2025, 3, 20)), "1403 is a leap year");
        assert_eq!(to_gregorian(1404, 12, 30), None, "1404 is not");
        assert_eq!(to_gregorian(1404, 7, 31), None);
        assert_eq!(to_gregorian(1404, 13, 1), None);
        let mut day = d(2020, 1, 1);
        while day < d(2028, 1, 1) {
            let (y, m, dd) = from_gregorian(day);
            assert_eq!(to_gregorian(y, m, dd), Some(day));
            day = day.succ_opt().unwrap();
        }
    }
}
