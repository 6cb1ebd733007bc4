//! Record numbers from per-kind templates: `{seq:N}` is the sequence zero-padded to N
//! digits, `{gy}` the Gregorian year, `{jy}` the Jalali (Shamsi) year. A sequence
//! restarts with each distinct year token.

use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::domain::jalali;
use crate::entity::number_sequences as seq;
use crate::error::{AppError, AppResult};

/// Numbering templates per record kind and their defaults.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("identity", "C{seq:5}"),
    ("proforma", "PF-{jy}-{seq:4}"),
    ("invoice", "INV-{jy}-{seq:4}"),
    ("sales_return", "RT-{jy}-{seq:4}"),
    ("receipt", "RC-{jy}-{seq:4}"),
    ("payment", "PY-{jy}-{seq:4}"),
    ("contract", "CT-{jy}-{seq:4}"),
];

/// The widest zero-padding `{seq:N}` may ask for (settings refuse more; a stored
/// template asking for more is rendered at this width rather than failing).
pub const SEQ_WIDTH_MAX: usize = 12;

/// Whether every `{seq…}` token of a template is `{seq}` or `{seq:N}` with N in
/// 1..=[`SEQ_WIDTH_MAX`].
pub fn seq_widths_ok(template: &str) -> bool {
    template.match_indices("{seq").all(|(at, _)| {
        let token = template[at + 1..].split('}').next().unwrap_or("");
        match token.strip_prefix("seq") {
            Some("") => true,
            Some(rest) => rest
                .strip_prefix(':')
                .and_then(|w| w.parse::<usize>().ok())
                .is_some_and(|w| (1..=SEQ_WIDTH_MAX).contains(&w)),
            None => false,
        }
    })
}

/// Expands a template for a sequence value and date.
pub fn render(template: &str, value: i64, date: NaiveDate) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let token = &rest[start + 1..start + end];
        match token {
            "gy" => out.push_str(&date.year().to_string()),
            "jy" => out.push_str(&jalali::from_gregorian(date).0.to_string()),
            t if t.starts_with("seq") => {
                let width: usize = t
                    .strip_prefix("seq:")
                    .and_then(|w| w.parse().ok())
                    .unwrap_or(1)
                    .min(SEQ_WIDTH_MAX);
                out.push_str(&format!("{value:0width$}"));
            }
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// The period a template's sequence runs in: its year tokens, rendered.
fn period(template: &str, date: NaiveDate) -> String {
    let mut p = String::new();
    if template.contains("{gy}") {
        p.push_str(&date.year().to_string());
    }
    if template.contains("{jy}") {
        p.push_str(&format!("j{}", jalali::from_gregorian(date).0));
    }
    if p.is_empty() {
        p.push('-');
    }
    p
}

/// Takes the next number of `kind` (inside the caller's transaction).
pub async fn next<C: ConnectionTrait>(db: &C, kind: &str, template: &str, date: NaiveDate) -> AppResult<String> {
    let period = period(template, date);
    // Make sure the period's row exists without failing the transaction when a
    // concurrent writer creates it first.
    seq::Entity::insert(seq::ActiveModel {
        kind: Set(kind.to_owned()),
        period: Set(period.clone()),
        next_value: Set(1),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([seq::Column::Kind, seq::Column::Period])
    .exec(db)
    .await?;
    for _ in 0..50 {
        let row = seq::Entity::find()
            .filter(seq::Column::Kind.eq(kind))
            .filter(seq::Column::Period.eq(&period))
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("number_sequence", kind))?;
        // Compare-and-set, so two writers never take the same number.
        let res = seq::Entity::update_many()
            .col_expr(seq::Column::NextValue, Expr::value(row.next_value + 1))
            .filter(seq::Column::Id.eq(row.id))
            .filter(seq::Column::NextValue.eq(row.next_value))
            .exec(db)
            .await?;
        if res.rows_affected == 1 {
            return Ok(render(template, row.next_value, date));
        }
    }
    Err(AppError::conflict("number_sequence", kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tokens() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(render("C-{seq:5}", 42, d), "C-00042");
        assert_eq!(render("INV-{jy}-{seq:4}", 7, d), "INV-1405-0007");
        assert_eq!(render("{gy}/{seq}", 7, d), "2026/7");
        assert_eq!(render("X{unknown}{seq:2", 3, d), "X{unknown}{seq:2");
        // An absurd width never fails: it is held at the maximum.
        assert_eq!(render("N{seq:99999999999999}", 7, d), format!("N{:0>12}", 7));
        assert!(seq_widths_ok("INV-{jy}-{seq:4}"));
        assert!(seq_widths_ok("{seq}"));
        for bad in [
            "{seq:0}",
            "{seq:13}",
            "{seq:99999999999999}",
            "{seq:x}",
            "{seqq}",
            "{seq:-1}",
        ] {
            assert!(!seq_widths_ok(bad), "{bad}");
        }
    }
}
