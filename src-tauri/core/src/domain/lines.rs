//! Line arithmetic of opportunities, proformas, invoices and returns, in Decimal.
//!
//! Each line is rounded once, to the currency's precision; totals are sums of the
//! rounded line figures, so a document's total always equals the sum of its lines
//! (no drift, however many lines).

use rust_decimal::{Decimal, RoundingStrategy};

use super::DiscountKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    /// quantity × unit price
    pub gross: Decimal,
    pub discount: Decimal,
    /// gross − discount
    pub net: Decimal,
    pub tax: Decimal,
    /// net + tax
    pub total: Decimal,
}

fn round(v: Decimal, decimals: u32) -> Decimal {
    v.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// The amounts of one line. A percent discount is of the gross; an amount discount is
/// taken as is. Tax is a percent of the net (0 for untaxed lines).
pub fn line(
    quantity: Decimal,
    unit_price: Decimal,
    discount_kind: DiscountKind,
    discount_value: Decimal,
    tax_percent: Decimal,
    decimals: u32,
) -> LineAmounts {
    let gross = round(quantity * unit_price, decimals);
    let discount = match discount_kind {
        DiscountKind::Percent => round(gross * discount_value / Decimal::ONE_HUNDRED, decimals),
        DiscountKind::Amount => round(discount_value, decimals),
    };
    let net = gross - discount;
    let tax = round(net * tax_percent / Decimal::ONE_HUNDRED, decimals);
    LineAmounts {
        gross,
        discount,
        net,
        tax,
        total: net + tax,
    }
}

/// Sum, total discount, total tax and final total of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub sum: Decimal,
    pub discount: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
}

pub fn totals<'a>(lines: impl IntoIterator<Item = &'a LineAmounts>) -> Totals {
    lines.into_iter().fold(Totals::default(), |t, l| Totals {
        sum: t.sum + l.gross,
        discount: t.discount + l.discount,
        tax: t.tax + l.tax,
        total: t.total + l.total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn quantities_and_percent_discounts() {
        let l = line(d("2.5"), d("1000000"), DiscountKind::Percent, d("3"), d("10"), 0);
        assert_eq!(l.gross, d("2500000"));
        assert_eq!(l.discount, d("75000"));
        assert_eq!(l.net, d("2425000"));
        assert_eq!(l.tax, d("242500"));
        assert_eq!(l.total, d("2667500"));
    }

    #[test]
    fn amount_discounts_and_rounding() {
        let l = line(d("3"), d("0.335"), DiscountKind::Amount, d("0.10"), d("9"), 2);
        assert_eq!(l.gross, d("1.01"));
        assert_eq!(l.net, d("0.91"));
        assert_eq!(l.tax, d("0.08"));
    }

    #[test]
    fn no_drift_over_a_thousand_lines() {
        let lines: Vec<_> = (0..1000)
            .map(|_| line(d("1.5"), d("33333.33"), DiscountKind::Percent, d("3"), d("9"), 2))
            .collect();
        let t = totals(&lines);
        assert_eq!(t.total, lines[0].total * Decimal::from(1000));
        assert_eq!(t.sum - t.discount + t.tax, t.total);
    }
}
