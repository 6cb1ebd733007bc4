//! Exact decimals: money, quantities and percents.
//!
//! Every exact decimal is stored as a whole number of ten-thousandths (scale 4) in a
//! BIGINT column, so it is exact on SQLite and PostgreSQL alike and can be summed by
//! the database. Money is additionally rounded to the currency's precision when it
//! enters the system (Rial: 0 decimals, Toman: 0, USD/EUR: 2, …).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places kept in storage.
pub const STORAGE_SCALE: u32 = 4;

/// The largest magnitude an exact decimal may have: 99,999,999,999,999.9999,
/// which still fits an i64 at scale 4 with room for sums.
pub fn max_magnitude() -> Decimal {
    Decimal::new(999_999_999_999_999_999, STORAGE_SCALE)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalError {
    OutOfRange,
    Negative,
}

/// Round money to the currency's precision and check its range.
pub fn normalize_money(value: Decimal, currency_decimals: u32, allow_negative: bool) -> Result<Decimal, DecimalError> {
    let rounded = value.round_dp_with_strategy(
        currency_decimals.min(STORAGE_SCALE),
        RoundingStrategy::MidpointAwayFromZero,
    );
    check(rounded, allow_negative)
}

/// A quantity or percent: kept at storage precision.
pub fn normalize_exact(value: Decimal, allow_negative: bool) -> Result<Decimal, DecimalError> {
    let rounded = value.round_dp_with_strategy(STORAGE_SCALE, RoundingStrategy::MidpointAwayFromZero);
    check(rounded, allow_negative)
}

fn check(value: Decimal, allow_negative: bool) -> Result<Decimal, DecimalError> {
    if value.abs() > max_magnitude() {
        return Err(DecimalError::OutOfRange);
    }
    if !allow_negative && value.is_sign_negative() && !value.is_zero() {
        return Err(DecimalError::Negative);
    }
    Ok(value.normalize())
}

/// The stored integer of an exact decimal. Values are range-checked before they get
/// here; anything beyond i64 saturates rather than wrapping.
pub fn to_storage(value: Decimal) -> i64 {
    let scaled =
        value.round_dp_with_strategy(STORAGE_SCALE, RoundingStrategy::MidpointAwayFromZero) * Decimal::from(10_000);
    scaled
        .trunc()
        .to_i64()
        .unwrap_or(if value.is_sign_negative() { i64::MIN } else { i64::MAX })
}

pub fn from_storage(raw: i64) -> Decimal {
    Decimal::new(raw, STORAGE_SCALE).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn storage_round_trip_is_exact() {
        for s in ["0.10", "1234567.89", "99999999999999.99", "-42.5", "0"] {
            assert_eq!(from_storage(to_storage(d(s))), d(s), "{s}");
        }
    }

    #[test]
    fn money_rounds_to_currency_precision() {
        assert_eq!(normalize_money(d("1234567.891"), 2, false), Ok(d("1234567.89")));
        assert_eq!(normalize_money(d("1234567.895"), 2, false), Ok(d("1234567.90")));
        assert_eq!(normalize_money(d("1234567.5"), 0, false), Ok(d("1234568")));
    }

    #[test]
    fn money_range_and_sign() {
        assert_eq!(
            normalize_money(d("99999999999999.99"), 2, false),
            Ok(d("99999999999999.99"))
        );
        assert_eq!(
            normalize_money(d("100000000000000"), 2, false),
            Err(DecimalError::OutOfRange)
        );
        assert_eq!(normalize_money(d("-1"), 2, false), Err(DecimalError::Negative));
        assert_eq!(normalize_money(d("-1"), 2, true), Ok(d("-1")));
    }
}
