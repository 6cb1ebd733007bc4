//! Collects every refused field of an input before anything is written.

use crate::error::{AppError, FieldError, ValidationCode};

use super::money::{normalize_exact, normalize_money, DecimalError};
use rust_decimal::Decimal;

/// Longest free text accepted in a single-line field unless a field says otherwise.
pub const NAME_MAX: usize = 200;
pub const TITLE_MAX: usize = 300;
pub const NOTE_MAX: usize = 4000;

#[derive(Default, Debug)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: impl Into<String>, code: ValidationCode) {
        self.errors.push(FieldError::new(field, code));
    }

    pub fn push_limit(
        &mut self,
        field: impl Into<String>,
        code: ValidationCode,
        min: Option<String>,
        max: Option<String>,
    ) {
        self.errors.push(FieldError {
            field: field.into(),
            code,
            min,
            max,
        });
    }

    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// A required single-line text: trimmed, not empty, at most `max` characters.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) -> String {
        let cleaned = strip_controls(value);
        let v = cleaned.trim();
        if v.is_empty() {
            self.push(field, ValidationCode::Required);
        } else {
            self.check_len(field, v, max);
        }
        v.to_owned()
    }

    /// An optional text: trimmed, empty becomes `None`, at most `max` characters.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let cleaned = strip_controls(value?);
        let v = cleaned.trim();
        if v.is_empty() {
            return None;
        }
        self.check_len(field, v, max);
        Some(v.to_owned())
    }

    fn check_len(&mut self, field: &str, v: &str, max: usize) {
        if v.chars().count() > max {
            self.push_limit(field, ValidationCode::TooLong, None, Some(max.to_string()));
        }
    }

    /// A whole number within `min..=max`.
    pub fn int_range(&mut self, field: &str, value: i64, min: i64, max: i64) -> i32 {
        if value < min || value > max {
            self.push_limit(
                field,
                ValidationCode::OutOfRange,
                Some(min.to_string()),
                Some(max.to_string()),
            );
            return min as i32;
        }
        value as i32
    }

    pub fn money(&mut self, field: &str, value: Decimal, currency_decimals: u32, allow_negative: bool) -> Decimal {
        match normalize_money(value, currency_decimals, allow_negative) {
            Ok(v) => v,
            Err(e) => {
                self.decimal_error(field, e);
                Decimal::ZERO
            }
        }
    }

    pub fn exact(&mut self, field: &str, value: Decimal, allow_negative: bool) -> Decimal {
        match normalize_exact(value, allow_negative) {
            Ok(v) => v,
            Err(e) => {
                self.decimal_error(field, e);
                Decimal::ZERO
            }
        }
    }

    fn decimal_error(&mut self, field: &str, e: DecimalError) {
        let max = super::money::max_magnitude().to_string();
        match e {
            DecimalError::OutOfRange => self.push_limit(field, ValidationCode::OutOfRange, None, Some(max)),
            DecimalError::Negative => self.push_limit(field, ValidationCode::OutOfRange, Some("0".into()), Some(max)),
        }
    }

    /// A plain e-mail shape check: one `@`, something on both sides, a dot in the domain.
    pub fn email(&mut self, field: &str, value: &str) {
        let ok = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !value.contains(char::is_whitespace)
            }
            None => false,
        };
        if !ok {
            self.push(field, ValidationCode::Invalid);
        }
    }

    /// Digits only (ASCII or Persian/Arabic), with an allowed length range.
    pub fn digits(&mut self, field: &str, value: &str, min: usize, max: usize) -> String {
        let normalized = normalize_digits(value);
        let n = normalized.chars().count();
        if !normalized.chars().all(|c| c.is_ascii_digit()) || n < min || n > max {
            self.push(field, ValidationCode::Invalid);
        }
        normalized
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation { fields: self.errors })
        }
    }
}

/// Persian (۰–۹) and Arabic-Indic (٠–٩) digits to ASCII; everything else unchanged.
pub fn normalize_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            _ => c,
        })
        .collect()
}

/// Folds the text a user searches by: lower case, ASCII digits, Arabic ي/ك as Persian
/// ی/ک, so "علي" finds "علی".
pub fn search_fold(s: &str) -> String {
    normalize_digits(s)
        .chars()
        .map(|c| match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            '\u{200c}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Why a typed number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all.
    Invalid,
    /// Separators that could mean two things (`12,5`, `1.234,5`).
    Ambiguous,
    /// More digits than any exact decimal holds.
    OutOfRange,
}

/// Reads a number as people type it: ASCII, Persian or Arabic digits; a point or the
/// Arabic decimal separator (٫) before the decimals; commas (`,` `،` `٬`), spaces and
/// underscores only as thousands separators, in groups of three, so `12,5` is refused
/// as ambiguous instead of being read as 125; a leading minus. `None` for an empty text.
/// The one parser of typed numbers: amounts, quantities, percents, filters, custom
/// fields and imported cells all go through it.
pub fn parse_decimal(raw: &str) -> Result<Option<Decimal>, NumberError> {
    let text = normalize_digits(raw.trim()).replace('٫', ".");
    if text.is_empty() {
        return Ok(None);
    }
    let (negative, body) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    let is_group = |c: char| matches!(c, ',' | '،' | '٬' | ' ' | '_' | '\u{a0}' | '\u{202f}' | '\u{2009}');
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if let Some(f) = fraction {
        if f.contains('.') {
            return Err(NumberError::Invalid);
        }
        if f.chars().any(is_group) {
            return Err(NumberError::Ambiguous);
        }
        if !f.is_empty() && !digits(f) {
            return Err(NumberError::Invalid);
        }
        if whole.is_empty() && f.is_empty() {
            return Err(NumberError::Invalid);
        }
    }
    let mut plain = String::with_capacity(body.len());
    if whole.chars().any(is_group) {
        let groups: Vec<&str> = whole.split(is_group).collect();
        if !groups.iter().all(|g| digits(g)) {
            // `1,,000`, `1, 000` or letters among the digits.
            return Err(if groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit())) {
                NumberError::Ambiguous
            } else {
                NumberError::Invalid
            });
        }
        if groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(NumberError::Ambiguous);
        }
        groups.iter().for_each(|g| plain.push_str(g));
    } else if whole.is_empty() || digits(whole) {
        plain.push_str(whole);
    } else {
        return Err(NumberError::Invalid);
    }
    if plain.is_empty() {
        plain.push('0');
    }
    if let Some(f) = fraction.filter(|f| !f.is_empty()) {
        // Beyond 20 decimals nothing survives the storage's rounding to 4.
        plain.push('.');
        plain.push_str(&f[..f.len().min(20)]);
    }
    let significant = plain.trim_start_matches('0').split('.').next().unwrap_or("").len();
    if significant > 20 {
        return Err(NumberError::OutOfRange);
    }
    let value: Decimal = plain.parse().map_err(|_| NumberError::OutOfRange)?;
    Ok(Some(if negative { -value } else { value }))
}

/// The dates Forsat works with: Gregorian 1900-01-01 to 2199-12-31 (Jalali 1278/10/11
/// to 1578/10/10). Outside them a date is a typing mistake, and on SQLite (where dates
/// are text) it would sort and filter apart from the form.
pub fn date_min() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()
}

pub fn date_max() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2199, 12, 31).unwrap_or_default()
}

pub fn date_in_range(d: chrono::NaiveDate) -> bool {
    (date_min()..=date_max()).contains(&d)
}

impl Validator {
    /// A date within the supported range (see `date_min`/`date_max`), else
    /// `out_of_range` with both limits.
    pub fn date(&mut self, field: &str, value: Option<chrono::NaiveDate>) {
        if value.is_some_and(|d| !date_in_range(d)) {
            self.push_limit(
                field,
                ValidationCode::OutOfRange,
                Some(date_min().to_string()),
                Some(date_max().to_string()),
            );
        }
    }

    /// A typed number: `None` when empty or refused (the refusal recorded on `field`).
    pub fn number(&mut self, field: &str, raw: &str) -> Option<Decimal> {
        match parse_decimal(raw) {
            Ok(v) => v,
            Err(NumberError::Invalid) => {
                self.push(field, ValidationCode::Invalid);
                None
            }
            Err(NumberError::Ambiguous) => {
                self.push(field, ValidationCode::AmbiguousNumber);
                None
            }
            Err(NumberError::OutOfRange) => {
                self.decimal_error(field, DecimalError::OutOfRange);
                None
            }
        }
    }
}

/// Parses a money string from the UI into a Decimal, reporting `field` when it is not
/// a number (zero when empty or refused).
pub fn parse_money(v: &mut Validator, field: &str, raw: &str, currency_decimals: u32) -> Decimal {
    match v.number(field, raw) {
        Some(d) => v.money(field, d, currency_decimals, false),
        None => Decimal::ZERO,
    }
}

/// Removes what no name, title or note should carry: NUL and the other control
/// characters (line breaks and tabs stay), and the bidirectional embedding, override
/// and isolate controls that can make a text read differently from what it holds.
/// The zero-width non-joiner (U+200C) that Persian writing needs is kept.
pub fn strip_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let unwanted = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if text.chars().any(unwanted) {
        std::borrow::Cow::Owned(text.chars().filter(|c| !unwanted(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_typed_and_ambiguous_separators_refused() {
        let n = |s: &str| parse_decimal(s).map(|d| d.map(|d| d.to_string()));
        assert_eq!(n("12.5"), Ok(Some("12.5".into())));
        assert_eq!(n("۱۲٫۵"), Ok(Some("12.5".into())));
        assert_eq!(n("١٢٫٥"), Ok(Some("12.5".into())));
        assert_eq!(n("1,234,567.89"), Ok(Some("1234567.89".into())));
        assert_eq!(n("۱٬۲۳۴٬۵۶۷"), Ok(Some("1234567".into())));
        assert_eq!(n("1 234 567"), Ok(Some("1234567".into())));
        assert_eq!(n("-1,000"), Ok(Some("-1000".into())));
        assert_eq!(n(".5"), Ok(Some("0.5".into())));
        assert_eq!(n("7."), Ok(Some("7".into())));
        assert_eq!(n("  "), Ok(None));
        assert_eq!(n("12,5"), Err(NumberError::Ambiguous));
        assert_eq!(n("1.234,5"), Err(NumberError::Ambiguous));
        assert_eq!(n("1234,567"), Err(NumberError::Ambiguous));
        assert_eq!(n("1,,000"), Err(NumberError::Ambiguous));
        assert_eq!(n("1.2.3"), Err(NumberError::Invalid));
        assert_eq!(n("1e5"), Err(NumberError::Invalid));
        assert_eq!(n("abc"), Err(NumberError::Invalid));
        assert_eq!(n("."), Err(NumberError::Invalid));
        assert_eq!(n("--1"), Err(NumberError::Invalid));
        assert_eq!(n("NaN"), Err(NumberError::Invalid));
        assert_eq!(n(&"9".repeat(40)), Err(NumberError::OutOfRange));
        assert_eq!(n(&format!("0.{}", "1".repeat(40))).map(|d| d.is_some()), Ok(true));
        let mut v = Validator::new();
        assert_eq!(v.number("a", "12,5"), None);
        assert_eq!(
            v.finish().unwrap_err().field_codes(),
            vec![("a".into(), ValidationCode::AmbiguousNumber)]
        );
    }

    #[test]
    fn controls_are_stripped_and_persian_joiners_kept() {
        let mut v = Validator::new();
        assert_eq!(v.required_text("a", "Server\0 room", 50), "Server room");
        assert_eq!(v.required_text("b", "\u{202E}gnp.exe", 50), "gnp.exe");
        assert_eq!(v.required_text("c", "می\u{200C}خواهم", 50), "می\u{200C}خواهم");
        assert_eq!(
            v.optional_text("d", Some("line one\nline two"), 50).as_deref(),
            Some("line one\nline two")
        );
        assert_eq!(v.optional_text("e", Some("\0\u{2066}"), 50), None);
        v.required_text("f", "\0\u{1b}", 50);
        assert_eq!(
            v.finish().unwrap_err().field_codes(),
            vec![("f".into(), ValidationCode::Required)]
        );
    }

    #[test]
    fn texts_are_trimmed_and_limited() {
        let mut v = Validator::new();
        assert_eq!(v.required_text("a", "  x ", 5), "x");
        v.required_text("b", "   ", 5);
        v.required_text("c", &"ب".repeat(6), 5);
        assert_eq!(v.optional_text("d", Some("  "), 5), None);
        let err = v.finish().unwrap_err();
        assert_eq!(
            err.field_codes(),
            vec![
                ("b".into(), ValidationCode::Required),
                ("c".into(), ValidationCode::TooLong)
            ]
        );
    }

    #[test]
    fn digits_and_search_folding() {
        assert_eq!(normalize_digits("۰۹۱۲-٣٤"), "0912-34");
        assert_eq!(search_fold("علي ۱۲"), "علی 12");
    }

    #[test]
    fn email_shapes() {
        let mut v = Validator::new();
        v.email("ok", "a@b.ir");
        v.email("bad1", "a@b");
        v.email("bad2", "@b.ir");
        v.email("bad3", "a b@c.ir");
        let codes: Vec<_> = v
            .finish()
            .unwrap_err()
            .field_codes()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(codes, vec!["bad1", "bad2", "bad3"]);
    }
}
