//! Line arithmetic of opportunities, proformas, invoices and returns, in Decimal.
//!
//! Each line is rounded once, to the currency's precision; totals are sums of the
//! rounded line figures, so a document's total always equals the sum of its lines
//! (no drift, however many lines).

use rust_decimal::{Decimal, RoundingStrategy};

use super::money::max_magnitude;
use super::DiscountKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
/// taken as is. Tax is a percent of the net (0 for untaxed lines). `None` when a figure
/// leaves the range of an exact decimal (see `money::max_magnitude`): the line is
/// refused, never stored saturated.
pub fn line(
    quantity: Decimal,
    unit_price: Decimal,
    discount_kind: DiscountKind,
    discount_value: Decimal,
    tax_percent: Decimal,
    decimals: u32,
) -> Option<LineAmounts> {
    let gross = round(quantity.checked_mul(unit_price)?, decimals);
    let discount = match discount_kind {
        DiscountKind::Percent => round(percent_of(gross, discount_value)?, decimals),
        DiscountKind::Amount => round(discount_value, decimals),
    };
    let net = gross.checked_sub(discount)?;
    let tax = round(percent_of(net, tax_percent)?, decimals);
    let amounts = LineAmounts {
        gross,
        discount,
        net,
        tax,
        total: net.checked_add(tax)?,
    };
    [gross, discount, net, tax, amounts.total]
        .iter()
        .all(|v| in_range(*v))
        .then_some(amounts)
}

fn percent_of(value: Decimal, percent: Decimal) -> Option<Decimal> {
    value.checked_mul(percent)?.checked_div(Decimal::ONE_HUNDRED)
}

fn in_range(v: Decimal) -> bool {
    v.abs() <= max_magnitude()
}

/// Sum, total discount, total tax and final total of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub sum: Decimal,
    pub discount: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
}

/// The totals of a document's lines; `None` when a total leaves the range of an exact
/// decimal (many lines near the limit).
pub fn totals<'a>(lines: impl IntoIterator<Item = &'a LineAmounts>) -> Option<Totals> {
    let t = lines.into_iter().try_fold(Totals::default(), |t, l| {
        Some(Totals {
            sum: t.sum.checked_add(l.gross)?,
            discount: t.discount.checked_add(l.discount)?,
            tax: t.tax.checked_add(l.tax)?,
            total: t.total.checked_add(l.total)?,
        })
    })?;
    [t.sum, t.discount, t.tax, t.total]
        .iter()
        .all(|v| in_range(*v))
        .then_some(t)
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
        let l = line(d("2.5"), d("1000000"), DiscountKind::Percent, d("3"), d("10"), 0).unwrap();
        assert_eq!(l.gross, d("2500000"));
        assert_eq!(l.discount, d("75000"));
        assert_eq!(l.net, d("2425000"));
        assert_eq!(l.tax, d("242500"));
        assert_eq!(l.total, d("2667500"));
    }

    #[test]
    fn amount_discounts_and_rounding() {
        let l = line(d("3"), d("0.335"), DiscountKind::Amount, d("0.10"), d("9"), 2).unwrap();
        assert_eq!(l.gross, d("1.01"));
        assert_eq!(l.net, d("0.91"));
        assert_eq!(l.tax, d("0.08"));
    }

    #[test]
    fn no_drift_over_a_thousand_lines() {
        let lines: Vec<_> = (0..1000)
            .map(|_| line(d("1.5"), d("33333.33"), DiscountKind::Percent, d("3"), d("9"), 2).unwrap())
            .collect();
        let t = totals(&lines).unwrap();
        assert_eq!(t.total, lines[0].total * Decimal::from(1000));
        assert_eq!(t.sum - t.discount + t.tax, t.total);
    }

    #[test]
    fn figures_beyond_the_range_are_refused_not_saturated() {
        let big = d("99999999999999");
        // quantity × price far beyond the range (and × 100 for the percent beyond Decimal's).
        assert_eq!(line(big, big, DiscountKind::Percent, d("50"), d("9"), 0), None);
        assert_eq!(
            line(d("2"), d("60000000000000"), DiscountKind::Percent, d("0"), d("0"), 0),
            None
        );
        // The tax pushes the total over.
        assert_eq!(line(d("1"), big, DiscountKind::Percent, d("0"), d("10"), 0), None);
        let near = line(d("1"), d("60000000000000"), DiscountKind::Percent, d("0"), d("0"), 0).unwrap();
        assert_eq!(totals(&[near]).map(|t| t.total), Some(d("60000000000000")));
        assert_eq!(totals(&[near, near]), None);
    }
}
