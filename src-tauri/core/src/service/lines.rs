//! Product lines shared by opportunities (field 15) and financial documents.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::lines::{line, totals, LineAmounts, Totals};
use crate::domain::money::max_magnitude;
use crate::domain::{DiscountKind, ValidationCode, Validator};
use crate::entity::{products, system_items};
use crate::error::AppResult;

/// Most lines one document may carry.
pub const MAX_LINES: usize = 2000;

#[derive(Debug, Clone, PartialEq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LineInput {
    pub product_id: i32,
    /// Decimal strings, as typed.
    pub quantity: String,
    /// Empty or null: the product's sale price.
    pub unit_price: Option<String>,
    pub discount_kind: DiscountKind,
    pub discount_value: String,
    pub description: Option<String>,
    /// Sales returns: the invoice line being returned.
    pub source_line_id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LineOut {
    pub id: i32,
    pub position: i32,
    pub product_id: i32,
    pub product_code: String,
    pub product_name: String,
    pub unit_fa: Option<String>,
    pub unit_en: Option<String>,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub quantity: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub unit_price: Decimal,
    pub discount_kind: DiscountKind,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub discount_value: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub discount_amount: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub tax_percent: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub tax_amount: Decimal,
    /// quantity × unit price − discount
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub net: Decimal,
    /// net + tax
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub total: Decimal,
    pub description: Option<String>,
    pub source_line_id: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TotalsOut {
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub sum: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub discount: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub tax: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub total: Decimal,
}

impl From<Totals> for TotalsOut {
    fn from(t: Totals) -> Self {
        Self {
            sum: t.sum,
            discount: t.discount,
            tax: t.tax,
            total: t.total,
        }
    }
}

/// A validated line, ready to store.
#[derive(Debug, Clone)]
pub struct CleanLine {
    pub product_id: i32,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_kind: DiscountKind,
    pub discount_value: Decimal,
    pub tax_percent: Decimal,
    pub amounts: LineAmounts,
    pub description: Option<String>,
    pub source_line_id: Option<i32>,
}

fn parse(v: &mut Validator, field: &str, raw: &str) -> Option<Decimal> {
    if raw.trim().is_empty() {
        v.push(field, ValidationCode::Invalid);
        return None;
    }
    v.number(field, raw)
}

/// Validates lines: known products (active and saleable unless already on the
/// record), positive quantities, non-negative prices, discounts within the line.
/// `tax_rate` applies to taxable products (None: no tax, as on opportunities).
pub async fn validate<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    input: &[LineInput],
    allowed_inactive: &[i32],
    tax_rate: Option<Decimal>,
    decimals: u32,
) -> AppResult<Vec<CleanLine>> {
    if input.len() > MAX_LINES {
        v.push_limit("lines", ValidationCode::TooLong, None, Some(MAX_LINES.to_string()));
        return Ok(vec![]);
    }
    let ids: Vec<i32> = input.iter().map(|l| l.product_id).collect();
    let found: HashMap<i32, products::Model> = products::Entity::find()
        .filter(products::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(validate_against(&found, v, input, allowed_inactive, tax_rate, decimals))
}

/// [`validate`] against products already read (`found`: those of the lines that exist).
pub fn validate_against(
    found: &HashMap<i32, products::Model>,
    v: &mut Validator,
    input: &[LineInput],
    allowed_inactive: &[i32],
    tax_rate: Option<Decimal>,
    decimals: u32,
) -> Vec<CleanLine> {
    if input.len() > MAX_LINES {
        v.push_limit("lines", ValidationCode::TooLong, None, Some(MAX_LINES.to_string()));
        return vec![];
    }
    let mut out = vec![];
    for (i, l) in input.iter().enumerate() {
        let f = |name: &str| format!("lines.{i}.{name}");
        let product = match found.get(&l.product_id) {
            None => {
                v.push(f("productId"), ValidationCode::UnknownReference);
                continue;
            }
            Some(p) if (!p.active || !p.saleable) && !allowed_inactive.contains(&p.id) => {
                v.push(f("productId"), ValidationCode::InactiveReference);
                continue;
            }
            Some(p) => p,
        };
        let quantity = parse(v, &f("quantity"), &l.quantity).map(|q| v.exact(&f("quantity"), q, false));
        if quantity.is_some_and(|q| q.is_zero()) {
            v.push(f("quantity"), ValidationCode::OutOfRange);
        }
        let unit_price = match l.unit_price.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(product.sale_price.0),
            Some(raw) => parse(v, &f("unitPrice"), raw).map(|p| v.money(&f("unitPrice"), p, decimals, false)),
        };
        let discount_value = if l.discount_value.trim().is_empty() {
            Some(Decimal::ZERO)
        } else {
            parse(v, &f("discountValue"), &l.discount_value).map(|d| v.exact(&f("discountValue"), d, false))
        };
        let description = v.optional_text(&f("description"), l.description.as_deref(), 1000);
        let (Some(quantity), Some(unit_price), Some(discount_value)) = (quantity, unit_price, discount_value) else {
            continue;
        };
        let tax_percent = match tax_rate {
            Some(rate) if product.taxable => rate,
            _ => Decimal::ZERO,
        };
        let Some(amounts) = line(
            quantity,
            unit_price,
            l.discount_kind,
            discount_value,
            tax_percent,
            decimals,
        ) else {
            // quantity × price (with its tax) beyond what an amount may be.
            v.push_limit(
                f("total"),
                ValidationCode::OutOfRange,
                None,
                Some(max_magnitude().to_string()),
            );
            continue;
        };
        let too_much = match l.discount_kind {
            DiscountKind::Percent => discount_value > Decimal::ONE_HUNDRED,
            DiscountKind::Amount => amounts.discount > amounts.gross,
        };
        if too_much {
            v.push(f("discountValue"), ValidationCode::OutOfRange);
        }
        out.push(CleanLine {
            product_id: l.product_id,
            quantity,
            unit_price,
            discount_kind: l.discount_kind,
            discount_value,
            tax_percent,
            amounts,
            description,
            source_line_id: l.source_line_id,
        });
    }
    if totals(out.iter().map(|l| &l.amounts)).is_none() {
        v.push_limit(
            "lines",
            ValidationCode::OutOfRange,
            None,
            Some(max_magnitude().to_string()),
        );
    }
    out
}

/// The input that reproduces stored lines (copying a document, re-validating it).
pub fn to_inputs(lines: &[LineOut]) -> Vec<LineInput> {
    lines
        .iter()
        .map(|l| LineInput {
            product_id: l.product_id,
            quantity: l.quantity.to_string(),
            unit_price: Some(l.unit_price.to_string()),
            discount_kind: l.discount_kind,
            discount_value: l.discount_value.to_string(),
            description: l.description.clone(),
            source_line_id: l.source_line_id,
        })
        .collect()
}

/// The totals of lines that passed `validate`, which refused any whose totals leave
/// the range (so there is nothing to refuse here).
pub fn sum(lines: &[CleanLine]) -> Totals {
    totals(lines.iter().map(|l| &l.amounts)).unwrap_or_default()
}

/// Product code, name and unit titles for display.
pub async fn product_labels<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i32>,
) -> AppResult<HashMap<i32, (String, String, Option<String>, Option<String>)>> {
    let prods = products::Entity::find()
        .filter(products::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let unit_ids: Vec<i32> = prods.iter().filter_map(|p| p.unit_id).collect();
    let units: HashMap<i32, system_items::Model> = system_items::Entity::find()
        .filter(system_items::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(prods
        .into_iter()
        .map(|p| {
            let unit = p.unit_id.and_then(|u| units.get(&u));
            (
                p.id,
                (
                    p.code,
                    p.name,
                    unit.map(|u| u.title_fa.clone()),
                    unit.map(|u| u.title_en.clone()),
                ),
            )
        })
        .collect())
}
