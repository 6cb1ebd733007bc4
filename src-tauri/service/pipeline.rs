//! The pipeline: the opportunity list (filters, sorting, derived columns, totals), the
//! kanban board by stage, moving cards and bulk edits.
//!
//! Filtering, sorting, paging and totals are all done by the database so the list stays
//! responsive at a million opportunities; Rust only shapes the page it gets back.
//! Every write goes through the opportunity service's own update, so the stage rules,
//! the change log, visibility and version checks hold here exactly as in the form.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Cond, Expr, ExprTrait, JoinType, LikeExpr, Order, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, QueryResult, TransactionSession, TransactionTrait};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::sql::{as_number, days_between, read_money_sum, select_money_sum};
use super::{like_pattern, paging, settings, Actor, Page};
use crate::domain::validate::{normalize_digits, search_fold};
use crate::domain::{
    from_storage, to_storage, CustomFieldType, FinancialKind, RecordStatus, StageKind, ValidationCode, Validator,
};
use crate::entity::{custom_fields as cf_rows, product_categories, stages as stage_rows};
use crate::error::{AppError, AppResult};

/// The longest search text accepted in a filter.
pub const FILTER_TEXT_MAX: usize = 200;
/// How many opportunities one bulk edit may touch.
pub const BULK_MAX: usize = 5000;
/// How many cards one board request may return.
pub const BOARD_PAGE_MAX: u32 = 200;

/// A filter on one custom field: `value` matches exactly (choice, yes/no, user,
/// identity) or as a substring (text); `min` / `max` bound numbers, money and dates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomFilter {
    pub field_id: i32,
    pub value: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
}

/// What the list, the board, the exports and the bulk edit work on. Empty lists and
/// `None` mean "any". Dates are inclusive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct OpportunityFilter {
    /// Part of the title or of the identity's name, number or phone.
    pub text: Option<String>,
    pub identity_id: Option<i32>,
    pub stage_ids: Vec<i32>,
    /// Open, won or lost (the stage's kind).
    pub status: Option<StageKind>,
    pub assigned_user_ids: Vec<i32>,
    /// Include the opportunities nobody is assigned to.
    pub unassigned: bool,
    pub type_ids: Vec<i32>,
    pub source_ids: Vec<i32>,
    pub campaign_ids: Vec<i32>,
    /// Win or loss reasons.
    pub reason_ids: Vec<i32>,
    /// Opportunities with a line of this product.
    pub product_id: Option<i32>,
    /// Opportunities with a line of a product in this category or below it.
    pub category_id: Option<i32>,
    pub competitor_id: Option<i32>,
    pub custom: Vec<CustomFilter>,
    /// Estimated amount range, decimal strings.
    pub amount_min: Option<String>,
    pub amount_max: Option<String>,
    pub close_from: Option<NaiveDate>,
    pub close_to: Option<NaiveDate>,
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
    pub won_from: Option<NaiveDate>,
    pub won_to: Option<NaiveDate>,
    pub lost_from: Option<NaiveDate>,
    pub lost_to: Option<NaiveDate>,
    /// Open and past the close date.
    pub overdue: bool,
}

crate::domain::enums::string_enum!(
    /// The list's columns, in their default order.
    ListColumn {
        Title = "title",
        Identity = "identity",
        Stage = "stage",
        AssignedTo = "assigned_to",
        Type = "type",
        Source = "source",
        Campaign = "campaign",
        Estimated = "estimated",
        Probability = "probability",
        Expected = "expected",
        Realized = "realized",
        CloseDate = "close_date",
        Created = "created",
        DaysOpen = "days_open",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SortKey {
    pub column: ListColumn,
    pub desc: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ListRequest {
    pub filter: OpportunityFilter,
    /// First key first; the id breaks ties so pages never overlap.
    pub sort: Vec<SortKey>,
    pub page: u32,
    pub page_size: u32,
}

/// One row of the list or one card of the board.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpportunityRow {
    pub id: i32,
    pub version: i32,
    pub title: String,
    pub identity_id: i32,
    pub identity_name: String,
    pub stage_id: i32,
    pub stage_kind: StageKind,
    pub assigned_user_id: Option<i32>,
    pub assigned_user_name: Option<String>,
    pub type_id: i32,
    pub source_id: i32,
    pub campaign_id: Option<i32>,
    pub campaign_name: Option<String>,
    pub win_reason_id: Option<i32>,
    pub loss_reason_id: Option<i32>,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub estimated_amount: Decimal,
    pub probability: i32,
    /// Estimated × probability.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub expected_amount: Decimal,
    /// Approved invoices of the opportunity.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub realized_amount: Decimal,
    pub close_date: Option<NaiveDate>,
    pub overdue: bool,
    pub won_on: Option<NaiveDate>,
    pub lost_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    /// Days from creation to today, or to the win / loss date once closed.
    pub days_open: i32,
}

/// Sums over the whole filtered set (not just the page).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ListTotals {
    pub count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub estimated: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub expected: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub realized: Decimal,
}

/// A filter checked and resolved against the database (category subtree, stage kinds,
/// custom field types), ready to be turned into SQL.
#[derive(Debug, Clone)]
pub struct Resolved {
    f: OpportunityFilter,
    text: Option<String>,
    amount_min: Option<i64>,
    amount_max: Option<i64>,
    status_stage_ids: Option<Vec<i32>>,
    category_ids: Option<Vec<i32>>,
    custom: Vec<(CustomFilter, CustomFieldType)>,
    today: NaiveDate,
    backend: DbBackend,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn col(c: &str) -> Expr {
    Expr::col((a("o"), a(c)))
}

fn parse_amount(v: &mut Validator, field: &str, text: Option<&str>, decimals: u32) -> Option<i64> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    let plain = normalize_digits(text).replace([',', '٬', '،'], "");
    match plain.parse::<Decimal>() {
        Ok(d) => Some(to_storage(v.money(field, d, decimals, false))),
        Err(_) => {
            v.push(field, ValidationCode::Invalid);
            None
        }
    }
}

fn check_range<T: PartialOrd>(v: &mut Validator, field: &str, from: Option<T>, to: Option<T>) {
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            v.push(field, ValidationCode::OutOfRange);
        }
    }
}

/// Checks a filter (amounts, ranges, text length, custom fields) and resolves what it
/// refers to. Bad input is a validation error naming the filter's field.
pub async fn resolve<C: ConnectionTrait>(db: &C, filter: &OpportunityFilter) -> AppResult<Resolved> {
    let decimals = settings::get(db).await?.currency_decimals;
    let mut v = Validator::new();
    let text = match filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > FILTER_TEXT_MAX => {
            v.push_limit("text", ValidationCode::TooLong, None, Some(FILTER_TEXT_MAX.to_string()));
            None
        }
        Some(t) => Some(search_fold(t)),
        None => None,
    };
    let amount_min = parse_amount(&mut v, "amountMin", filter.amount_min.as_deref(), decimals);
    let amount_max = parse_amount(&mut v, "amountMax", filter.amount_max.as_deref(), decimals);
    check_range(&mut v, "amountMax", amount_min, amount_max);
    check_range(&mut v, "closeTo", filter.close_from, filter.close_to);
    check_range(&mut v, "createdTo", filter.created_from, filter.created_to);
    check_range(&mut v, "wonTo", filter.won_from, filter.won_to);
    check_range(&mut v, "lostTo", filter.lost_from, filter.lost_to);
    let status_stage_ids = match filter.status {
        None => None,
        Some(kind) => Some(stage_ids_of(db, &[kind]).await?),
    };
    let category_ids = match filter.category_id {
        None => None,
        Some(root) => {
            let cats = product_categories::Entity::find().all(db).await?;
            if !cats.iter().any(|c| c.id == root) {
                v.push("categoryId", ValidationCode::UnknownReference);
            }
            let mut ids = vec![root];
            let mut i = 0;
            while i < ids.len() {
                let parent = ids[i];
                ids.extend(cats.iter().filter(|c| c.parent_id == Some(parent)).map(|c| c.id));
                i += 1;
            }
            Some(ids)
        }
    };
    let mut custom = vec![];
    if !filter.custom.is_empty() {
        let defs: HashMap<i32, cf_rows::Model> = cf_rows::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect();
        for (i, c) in filter.custom.iter().enumerate() {
            let field = format!("custom.{i}");
            let Some(def) = defs.get(&c.field_id) else {
                v.push(field, ValidationCode::UnknownReference);
                continue;
            };
            let kind = CustomFieldType::parse(&def.field_type).unwrap_or(CustomFieldType::Text);
            for bound in [&c.min, &c.max, &c.value].into_iter().flatten() {
                if bound.chars().count() > FILTER_TEXT_MAX {
                    v.push_limit(&field, ValidationCode::TooLong, None, Some(FILTER_TEXT_MAX.to_string()));
                }
            }
            let mut c = c.clone();
            match kind {
                CustomFieldType::Number | CustomFieldType::Money => {
                    for bound in [&mut c.min, &mut c.max] {
                        if let Some(b) = bound.as_mut() {
                            *b = normalize_digits(b.trim()).replace([',', '٬'], "");
                            if b.parse::<Decimal>().is_err() {
                                v.push(&field, ValidationCode::Invalid);
                            }
                        }
                    }
                }
                CustomFieldType::Date => {
                    for bound in [&c.min, &c.max].into_iter().flatten() {
                        if NaiveDate::parse_from_str(bound.trim(), "%Y-%m-%d").is_err() {
                            v.push(&field, ValidationCode::Invalid);
                        }
                    }
                }
                _ => {}
            }
            custom.push((c, kind));
        }
    }
    v.finish()?;
    Ok(Resolved {
        f: filter.clone(),
        text,
        amount_min,
        amount_max,
        status_stage_ids,
        category_ids,
        custom,
        today: today(),
        backend: db.get_database_backend(),
    })
}

/// The ids of the stages of the given kinds (deleted ones too: history keeps them).
pub async fn stage_ids_of<C: ConnectionTrait>(db: &C, kinds: &[StageKind]) -> AppResult<Vec<i32>> {
    let kinds: HashSet<&str> = kinds.iter().map(|k| k.as_str()).collect();
    Ok(stage_rows::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|s| kinds.contains(s.kind.as_str()))
        .map(|s| s.id)
        .collect())
}

fn day_start(d: NaiveDate) -> Option<DateTime<Utc>> {
    d.and_hms_opt(0, 0, 0).map(|d| d.and_utc())
}

impl Resolved {
    /// The day "overdue" and "days open" are measured against.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Adds the filter and the actor's visibility to a query over `opportunities o`.
    pub fn apply(&self, q: &mut SelectStatement, actor: &Actor) {
        let f = &self.f;
        if let Some(text) = &self.text {
            let pattern = like_pattern(text);
            let mut identities = Query::select();
            identities
                .column(a("id"))
                .from(a("identities"))
                .and_where(Expr::col(a("search_text")).like(LikeExpr::new(pattern.clone()).escape('\\')));
            q.cond_where(
                Cond::any()
                    .add(Expr::cust("LOWER(o.title)").like(LikeExpr::new(pattern).escape('\\')))
                    .add(col("identity_id").in_subquery(identities)),
            );
        }
        if let Some(id) = f.identity_id {
            q.and_where(col("identity_id").eq(id));
        }
        if !f.stage_ids.is_empty() {
            q.and_where(col("stage_id").is_in(f.stage_ids.clone()));
        }
        if let Some(ids) = &self.status_stage_ids {
            q.and_where(col("stage_id").is_in(ids.clone()));
        }
        match (f.assigned_user_ids.is_empty(), f.unassigned) {
            (true, false) => {}
            (false, false) => {
                q.and_where(col("assigned_user_id").is_in(f.assigned_user_ids.clone()));
            }
            (true, true) => {
                q.and_where(col("assigned_user_id").is_null());
            }
            (false, true) => {
                q.cond_where(
                    Cond::any()
                        .add(col("assigned_user_id").is_in(f.assigned_user_ids.clone()))
                        .add(col("assigned_user_id").is_null()),
                );
            }
        }
        if !f.type_ids.is_empty() {
            q.and_where(col("type_id").is_in(f.type_ids.clone()));
        }
        if !f.source_ids.is_empty() {
            q.and_where(col("source_id").is_in(f.source_ids.clone()));
        }
        if !f.campaign_ids.is_empty() {
            q.and_where(col("campaign_id").is_in(f.campaign_ids.clone()));
        }
        if !f.reason_ids.is_empty() {
            q.cond_where(
                Cond::any()
                    .add(col("win_reason_id").is_in(f.reason_ids.clone()))
                    .add(col("loss_reason_id").is_in(f.reason_ids.clone())),
            );
        }
        if f.product_id.is_some() || self.category_ids.is_some() {
            let mut lines = Query::select();
            lines
                .column((a("l"), a("opportunity_id")))
                .from_as(a("opportunity_lines"), a("l"));
            if let Some(id) = f.product_id {
                lines.and_where(Expr::col((a("l"), a("product_id"))).eq(id));
            }
            if let Some(ids) = &self.category_ids {
                let mut products = Query::select();
                products
                    .column(a("id"))
                    .from(a("products"))
                    .and_where(Expr::col(a("category_id")).is_in(ids.clone()));
                lines.and_where(Expr::col((a("l"), a("product_id"))).in_subquery(products));
            }
            q.and_where(col("id").in_subquery(lines));
        }
        if let Some(id) = f.competitor_id {
            let mut comps = Query::select();
            comps
                .column(a("opportunity_id"))
                .from(a("opportunity_competitors"))
                .and_where(Expr::col(a("competitor_id")).eq(id));
            q.and_where(col("id").in_subquery(comps));
        }
        for (c, kind) in &self.custom {
            let mut values = Query::select();
            values
                .column(a("record_id"))
                .from(a("custom_field_values"))
                .and_where(Expr::col(a("field_id")).eq(c.field_id));
            let value = c.value.as_deref().map(str::trim).filter(|t| !t.is_empty());
            match kind {
                CustomFieldType::Number | CustomFieldType::Money => {
                    let num = as_number(self.backend, "value");
                    if let Some(min) = &c.min {
                        values.and_where(Expr::cust(num.clone()).gte(min.parse::<f64>().unwrap_or(0.0)));
                    }
                    if let Some(max) = &c.max {
                        values.and_where(Expr::cust(num.clone()).lte(max.parse::<f64>().unwrap_or(0.0)));
                    }
                    if let Some(v) = value {
                        values.and_where(Expr::col(a("value")).eq(normalize_digits(v)));
                    }
                }
                CustomFieldType::Date => {
                    if let Some(min) = &c.min {
                        values.and_where(Expr::col(a("value")).gte(min.trim()));
                    }
                    if let Some(max) = &c.max {
                        values.and_where(Expr::col(a("value")).lte(max.trim()));
                    }
                    if let Some(v) = value {
                        values.and_where(Expr::col(a("value")).eq(v));
                    }
                }
                CustomFieldType::Text | CustomFieldType::MultilineText => {
                    if let Some(v) = value {
                        values.and_where(
                            Expr::cust("LOWER(value)")
                                .like(LikeExpr::new(like_pattern(&v.to_lowercase())).escape('\\')),
                        );
                    }
                }
                _ => {
                    if let Some(v) = value {
                        values.and_where(Expr::col(a("value")).eq(v));
                    }
                }
            }
            q.and_where(col("id").in_subquery(values));
        }
        if let Some(min) = self.amount_min {
            q.and_where(col("estimated_amount").gte(min));
        }
        if let Some(max) = self.amount_max {
            q.and_where(col("estimated_amount").lte(max));
        }
        if let Some(d) = f.close_from {
            q.and_where(col("close_date").gte(d));
        }
        if let Some(d) = f.close_to {
            q.and_where(col("close_date").lte(d));
        }
        if let Some(d) = f.created_from {
            q.and_where(col("created_at").gte(day_start(d)));
        }
        if let Some(d) = f.created_to {
            q.and_where(col("created_at").lt(day_start(d.succ_opt().unwrap_or(d))));
        }
        if let Some(d) = f.won_from {
            q.and_where(col("won_on").gte(d));
        }
        if let Some(d) = f.won_to {
            q.and_where(col("won_on").lte(d));
        }
        if let Some(d) = f.lost_from {
            q.and_where(col("lost_on").gte(d));
        }
        if let Some(d) = f.lost_to {
            q.and_where(col("lost_on").lte(d));
        }
        if f.overdue {
            q.and_where(col("close_date").lt(self.today));
            q.and_where(col("won_on").is_null());
            q.and_where(col("lost_on").is_null());
        }
        if !actor.sees_all() {
            q.cond_where(
                Cond::any()
                    .add(col("assigned_user_id").eq(actor.user_id))
                    .add(col("created_by").eq(actor.user_id)),
            );
        }
    }

    fn days_open_sql(&self) -> String {
        let today = format!("'{}'", self.today.format("%Y-%m-%d"));
        days_between(
            self.backend,
            "o.created_at",
            &format!("COALESCE(o.won_on, o.lost_on, {today})"),
        )
    }
}

const REALIZED_SQL: &str = "(SELECT CAST(COALESCE(SUM(fr.amount), 0) AS BIGINT) FROM financial_records fr \
     WHERE fr.opportunity_id = o.id AND fr.kind = 'invoice' AND fr.status = 'approved')";

/// The SELECT of a list row: opportunities `o` with the names joined in.
fn row_select(r: &Resolved) -> SelectStatement {
    let mut q = Query::select();
    q.columns([
        (a("o"), a("id")),
        (a("o"), a("version")),
        (a("o"), a("title")),
        (a("o"), a("identity_id")),
        (a("o"), a("stage_id")),
        (a("o"), a("assigned_user_id")),
        (a("o"), a("type_id")),
        (a("o"), a("source_id")),
        (a("o"), a("campaign_id")),
        (a("o"), a("win_reason_id")),
        (a("o"), a("loss_reason_id")),
        (a("o"), a("estimated_amount")),
        (a("o"), a("probability")),
        (a("o"), a("close_date")),
        (a("o"), a("won_on")),
        (a("o"), a("lost_on")),
        (a("o"), a("created_at")),
    ])
    .expr_as(Expr::col((a("i"), a("display_name"))), a("identity_name"))
    .expr_as(Expr::col((a("s"), a("kind"))), a("stage_kind"))
    .expr_as(Expr::col((a("u"), a("display_name"))), a("user_name"))
    .expr_as(Expr::col((a("c"), a("name"))), a("campaign_name"))
    .expr_as(Expr::cust(REALIZED_SQL), a("realized"))
    .expr_as(Expr::cust(r.days_open_sql()), a("days_open"))
    .from_as(a("opportunities"), a("o"))
    .join_as(
        JoinType::InnerJoin,
        a("identities"),
        a("i"),
        Expr::col((a("i"), a("id"))).equals((a("o"), a("identity_id"))),
    )
    .join_as(
        JoinType::InnerJoin,
        a("stages"),
        a("s"),
        Expr::col((a("s"), a("id"))).equals((a("o"), a("stage_id"))),
    )
    .join_as(
        JoinType::LeftJoin,
        a("users"),
        a("u"),
        Expr::col((a("u"), a("id"))).equals((a("o"), a("assigned_user_id"))),
    )
    .join_as(
        JoinType::LeftJoin,
        a("campaigns"),
        a("c"),
        Expr::col((a("c"), a("id"))).equals((a("o"), a("campaign_id"))),
    );
    q
}

fn sort_expr(r: &Resolved, column: ListColumn) -> SimpleExpr {
    match column {
        ListColumn::Title => Expr::cust("LOWER(o.title)"),
        ListColumn::Identity => Expr::cust("LOWER(i.display_name)"),
        ListColumn::Stage => Expr::cust("s.sort_order"),
        ListColumn::AssignedTo => Expr::cust("LOWER(u.display_name)"),
        ListColumn::Type => Expr::cust("(SELECT t.sort_order FROM system_items t WHERE t.id = o.type_id)"),
        ListColumn::Source => Expr::cust("(SELECT t.sort_order FROM system_items t WHERE t.id = o.source_id)"),
        ListColumn::Campaign => Expr::cust("LOWER(c.name)"),
        ListColumn::Estimated => Expr::cust("o.estimated_amount"),
        ListColumn::Probability => Expr::cust("o.probability"),
        ListColumn::Expected => Expr::cust("(o.estimated_amount / 100) * o.probability"),
        ListColumn::Realized => Expr::cust(REALIZED_SQL),
        ListColumn::CloseDate => Expr::cust("o.close_date"),
        ListColumn::Created => Expr::cust("o.created_at"),
        ListColumn::DaysOpen => Expr::cust(r.days_open_sql()),
    }
}

fn expected_of(estimated: Decimal, probability: i32) -> Decimal {
    (estimated * Decimal::from(probability) / Decimal::ONE_HUNDRED).normalize()
}

pub fn read_row(row: &QueryResult, today: NaiveDate) -> AppResult<OpportunityRow> {
    let estimated = from_storage(row.try_get("", "estimated_amount")?);
    let probability: i32 = row.try_get("", "probability")?;
    let kind = StageKind::parse(&row.try_get::<String>("", "stage_kind")?).unwrap_or(StageKind::Open);
    let close_date: Option<NaiveDate> = row.try_get("", "close_date")?;
    let days_open: i64 = row.try_get("", "days_open")?;
    Ok(OpportunityRow {
        id: row.try_get("", "id")?,
        version: row.try_get("", "version")?,
        title: row.try_get("", "title")?,
        identity_id: row.try_get("", "identity_id")?,
        identity_name: row.try_get("", "identity_name")?,
        stage_id: row.try_get("", "stage_id")?,
        stage_kind: kind,
        assigned_user_id: row.try_get("", "assigned_user_id")?,
        assigned_user_name: row.try_get("", "user_name")?,
        type_id: row.try_get("", "type_id")?,
        source_id: row.try_get("", "source_id")?,
        campaign_id: row.try_get("", "campaign_id")?,
        campaign_name: row.try_get("", "campaign_name")?,
        win_reason_id: row.try_get("", "win_reason_id")?,
        loss_reason_id: row.try_get("", "loss_reason_id")?,
        estimated_amount: estimated,
        probability,
        expected_amount: expected_of(estimated, probability),
        realized_amount: from_storage(row.try_get("", "realized")?),
        overdue: kind == StageKind::Open && close_date.is_some_and(|d| d < today),
        close_date,
        won_on: row.try_get("", "won_on")?,
        lost_on: row.try_get("", "lost_on")?,
        created_at: row.try_get("", "created_at")?,
        days_open: days_open as i32,
    })
}

fn apply_sort(q: &mut SelectStatement, r: &Resolved, sort: &[SortKey]) {
    for key in sort.iter().take(4) {
        let order = if key.desc { Order::Desc } else { Order::Asc };
        q.order_by_expr(sort_expr(r, key.column), order);
    }
    if sort.is_empty() {
        q.order_by((a("o"), a("created_at")), Order::Desc);
    }
    q.order_by((a("o"), a("id")), Order::Desc);
}

/// The query of the list's rows, filtered and sorted (no paging): also what exports read.
pub fn rows_query(r: &Resolved, actor: &Actor, sort: &[SortKey]) -> SelectStatement {
    let mut q = row_select(r);
    r.apply(&mut q, actor);
    apply_sort(&mut q, r, sort);
    q
}

/// One page of the filtered, sorted list, with the totals of the whole filtered set.
pub async fn list<C: ConnectionTrait>(db: &C, actor: &Actor, req: &ListRequest) -> AppResult<ListPage> {
    let r = resolve(db, &req.filter).await?;
    let (page, page_size) = paging(req.page, req.page_size);
    let totals = totals_of(db, actor, &r).await?;
    let mut q = rows_query(&r, actor, &req.sort);
    q.limit(page_size as u64).offset(((page - 1) * page_size) as u64);
    let items = db
        .query_all(&q)
        .await?
        .iter()
        .map(|row| read_row(row, r.today))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(ListPage {
        page: Page {
            items,
            total: totals.count,
            page,
            page_size,
        },
        totals,
    })
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ListPage {
    pub page: Page<OpportunityRow>,
    pub totals: ListTotals,
}

/// Count, estimated, expected and realized sums of the filtered set.
pub async fn totals<C: ConnectionTrait>(db: &C, actor: &Actor, filter: &OpportunityFilter) -> AppResult<ListTotals> {
    let r = resolve(db, filter).await?;
    totals_of(db, actor, &r).await
}

async fn totals_of<C: ConnectionTrait>(db: &C, actor: &Actor, r: &Resolved) -> AppResult<ListTotals> {
    let mut q = Query::select();
    q.expr_as(Expr::cust("COUNT(*)"), a("n"))
        .from_as(a("opportunities"), a("o"));
    select_money_sum(&mut q, "o.estimated_amount", "est");
    // Estimated × probability, summed exactly: whole units × percent, then the
    // ten-thousandths × percent; divided by 100 in Rust.
    q.expr_as(
        Expr::cust("CAST(COALESCE(SUM((o.estimated_amount / 10000) * o.probability), 0) AS BIGINT)"),
        a("exp_w"),
    )
    .expr_as(
        Expr::cust("CAST(COALESCE(SUM((o.estimated_amount % 10000) * o.probability), 0) AS BIGINT)"),
        a("exp_f"),
    );
    r.apply(&mut q, actor);
    let row = db
        .query_one(&q)
        .await?
        .ok_or_else(|| AppError::database("no totals row"))?;
    let count: i64 = row.try_get("", "n")?;
    let estimated = read_money_sum(&row, "est")?;
    let expected = (read_money_sum(&row, "exp")? / Decimal::ONE_HUNDRED).normalize();

    // Approved invoices joined to the filtered opportunities: the planner drives from
    // whichever side is smaller (an `IN (SELECT id …)` over a million ids was slow
    // and its plan unstable on SQLite — see docs/benchmarks.md).
    let mut q = Query::select();
    q.from_as(a("financial_records"), a("fr"))
        .join_as(
            JoinType::InnerJoin,
            a("opportunities"),
            a("o"),
            Expr::col((a("o"), a("id"))).equals((a("fr"), a("opportunity_id"))),
        )
        .and_where(Expr::col((a("fr"), a("kind"))).eq(FinancialKind::Invoice.as_str()))
        .and_where(Expr::col((a("fr"), a("status"))).eq(RecordStatus::Approved.as_str()));
    r.apply(&mut q, actor);
    select_money_sum(&mut q, "fr.amount", "real");
    let row = db
        .query_one(&q)
        .await?
        .ok_or_else(|| AppError::database("no totals row"))?;
    Ok(ListTotals {
        count: count as u32,
        estimated: estimated.normalize(),
        expected,
        realized: read_money_sum(&row, "real")?.normalize(),
    })
}

// --- the board ------------------------------------------------------------------

/// Which part of the pipeline the board shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BoardRequest {
    pub filter: OpportunityFilter,
    /// Won and lost columns show the opportunities closed in the last this-many days;
    /// `None` shows them all.
    pub closed_within_days: Option<u32>,
    /// One row of columns per assigned user (and one for "unassigned").
    pub by_user: bool,
}

/// A swimlane: one assigned user, or nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Lane {
    pub user_id: Option<i32>,
}

/// A column of the board (or one cell of a swimlane): how many cards and their sums.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BoardCell {
    pub stage_id: i32,
    /// Set when the board has swimlanes.
    pub lane: Option<Lane>,
    pub count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub estimated: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub expected: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BoardStage {
    pub id: i32,
    pub title_fa: String,
    pub title_en: String,
    pub kind: StageKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BoardSummary {
    /// Active open stages in order, then the won and the lost stages.
    pub stages: Vec<BoardStage>,
    pub cells: Vec<BoardCell>,
    /// The lanes, in order (users by name, "unassigned" last), when asked for.
    pub lanes: Vec<LaneInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LaneInfo {
    pub lane: Lane,
    pub name: Option<String>,
}

impl BoardRequest {
    fn apply_closed_window(&self, q: &mut SelectStatement, r: &Resolved) {
        if let Some(days) = self.closed_within_days {
            let since = r.today - chrono::Days::new(days as u64);
            q.cond_where(
                Cond::any()
                    .add(Cond::all().add(col("won_on").is_null()).add(col("lost_on").is_null()))
                    .add(col("won_on").gte(since))
                    .add(col("lost_on").gte(since)),
            );
        }
    }
}

/// The board's columns with each one's count and sums (one GROUP BY).
pub async fn board<C: ConnectionTrait>(db: &C, actor: &Actor, req: &BoardRequest) -> AppResult<BoardSummary> {
    let r = resolve(db, &req.filter).await?;
    let mut all = stage_rows::Entity::find().all(db).await?;
    all.sort_by_key(|s| (s.sort_order, s.id));
    let mut stages: Vec<BoardStage> = vec![];
    for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
        stages.extend(
            all.iter()
                .filter(|s| s.active && !s.deleted && s.kind == kind.as_str())
                .map(|s| BoardStage {
                    id: s.id,
                    title_fa: s.title_fa.clone(),
                    title_en: s.title_en.clone(),
                    kind,
                }),
        );
    }
    let mut q = Query::select();
    q.column((a("o"), a("stage_id")))
        .expr_as(Expr::cust("COUNT(*)"), a("n"))
        .from_as(a("opportunities"), a("o"))
        .group_by_col((a("o"), a("stage_id")));
    select_money_sum(&mut q, "o.estimated_amount", "est");
    q.expr_as(
        Expr::cust("CAST(COALESCE(SUM((o.estimated_amount / 10000) * o.probability), 0) AS BIGINT)"),
        a("exp_w"),
    )
    .expr_as(
        Expr::cust("CAST(COALESCE(SUM((o.estimated_amount % 10000) * o.probability), 0) AS BIGINT)"),
        a("exp_f"),
    );
    if req.by_user {
        q.column((a("o"), a("assigned_user_id")))
            .group_by_col((a("o"), a("assigned_user_id")));
    }
    r.apply(&mut q, actor);
    req.apply_closed_window(&mut q, &r);
    let mut cells = vec![];
    let mut lane_ids: HashSet<Option<i32>> = HashSet::new();
    for row in db.query_all(&q).await? {
        let n: i64 = row.try_get("", "n")?;
        let lane = if req.by_user {
            let user: Option<i32> = row.try_get("", "assigned_user_id")?;
            lane_ids.insert(user);
            Some(Lane { user_id: user })
        } else {
            None
        };
        let stage_id: i32 = row.try_get("", "stage_id")?;
        if !stages.iter().any(|s| s.id == stage_id) {
            // A card in an inactive stage: show that stage too, where its kind belongs.
            if let Some(s) = all.iter().find(|s| s.id == stage_id) {
                let kind = StageKind::parse(&s.kind).unwrap_or(StageKind::Open);
                let at = stages.iter().rposition(|x| x.kind == kind).map(|p| p + 1).unwrap_or(0);
                stages.insert(
                    at,
                    BoardStage {
                        id: s.id,
                        title_fa: s.title_fa.clone(),
                        title_en: s.title_en.clone(),
                        kind,
                    },
                );
            }
        }
        cells.push(BoardCell {
            stage_id,
            lane,
            count: n as u32,
            estimated: read_money_sum(&row, "est")?.normalize(),
            expected: (read_money_sum(&row, "exp")? / Decimal::ONE_HUNDRED).normalize(),
        });
    }
    let mut lanes = vec![];
    if req.by_user {
        let users = crate::entity::users::Entity::find().all(db).await?;
        let mut named: Vec<LaneInfo> = users
            .into_iter()
            .filter(|u| lane_ids.contains(&Some(u.id)) || (u.active && actor.sees_all()) || u.id == actor.user_id)
            .map(|u| LaneInfo {
                lane: Lane { user_id: Some(u.id) },
                name: Some(u.display_name),
            })
            .collect();
        named.sort_by(|x, y| x.name.cmp(&y.name));
        lanes = named;
        lanes.push(LaneInfo {
            lane: Lane { user_id: None },
            name: None,
        });
    }
    Ok(BoardSummary { stages, cells, lanes })
}

/// The cards of one column (or one swimlane cell), a slice at a time: open stages by
/// close date (soonest first), closed ones by the date they closed (latest first).
pub async fn board_cards<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    req: &BoardRequest,
    stage_id: i32,
    lane: Option<Lane>,
    offset: u32,
    limit: u32,
) -> AppResult<Vec<OpportunityRow>> {
    let r = resolve(db, &req.filter).await?;
    let mut q = row_select(&r);
    r.apply(&mut q, actor);
    req.apply_closed_window(&mut q, &r);
    q.and_where(col("stage_id").eq(stage_id));
    if let Some(lane) = lane {
        match lane.user_id {
            Some(id) => q.and_where(col("assigned_user_id").eq(id)),
            None => q.and_where(col("assigned_user_id").is_null()),
        };
    }
    q.order_by_expr(Expr::cust("COALESCE(o.won_on, o.lost_on) IS NULL"), Order::Asc)
        .order_by_expr(Expr::cust("COALESCE(o.won_on, o.lost_on)"), Order::Desc)
        .order_by_expr(Expr::cust("o.close_date IS NULL"), Order::Asc)
        .order_by((a("o"), a("close_date")), Order::Asc)
        .order_by((a("o"), a("id")), Order::Desc)
        .limit(limit.clamp(1, BOARD_PAGE_MAX) as u64)
        .offset(offset as u64);
    db.query_all(&q)
        .await?
        .iter()
        .map(|row| read_row(row, r.today))
        .collect()
}

/// One row by id, as the list shows it (after a move or an edit).
pub async fn row<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<OpportunityRow> {
    let r = resolve(db, &OpportunityFilter::default()).await?;
    let mut q = row_select(&r);
    r.apply(&mut q, actor);
    q.and_where(col("id").eq(id));
    match db.query_one(&q).await? {
        Some(row) => read_row(&row, r.today),
        None => Err(AppError::not_found(super::opportunities::ENTITY, id)),
    }
}

// --- moving and bulk edits --------------------------------------------------------

/// Moves one opportunity to another stage and, on a board with swimlanes, to another
/// lane (a card dropped on a column or a swimlane cell). Won and lost need their
/// reason, exactly as in the form.
///
/// `assign` is the lane the card was dropped in: another user's lane assigns the
/// opportunity to that user, `{ userId: null }` unassigns it (the bulk edit's
/// `assign`, with the same rules). A `stage_id` equal to the current stage leaves the
/// stage (and its reason) alone, so a drop into the same column of another lane is a
/// pure reassignment; the same stage and the same lane is no move and writes nothing.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MoveInput {
    pub id: i32,
    pub version: i32,
    pub stage_id: i32,
    pub reason_id: Option<i32>,
    pub reason_note: Option<String>,
    /// The lane dropped in; `None` keeps the assignee.
    #[serde(default)]
    pub assign: Option<Lane>,
}

pub async fn move_to_stage<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: MoveInput,
) -> AppResult<OpportunityRow> {
    // What is already so is not changed again (the visibility and version checks are
    // `apply_change`'s, and `row`'s for a card that does not move).
    let current = crate::entity::opportunities::Entity::find_by_id(input.id)
        .one(db)
        .await?;
    let (stage_id, assign) = match &current {
        Some(o) => (
            Some(input.stage_id).filter(|s| *s != o.stage_id),
            input.assign.filter(|lane| lane.user_id != o.assigned_user_id),
        ),
        None => (Some(input.stage_id), input.assign),
    };
    if current.is_some() && stage_id.is_none() && assign.is_none() && input.reason_id.is_none() {
        let row = row(db, actor, input.id).await?;
        if row.version != input.version {
            return Err(AppError::conflict(super::opportunities::ENTITY, input.id));
        }
        return Ok(row);
    }
    let change = BulkChange {
        assign,
        stage_id,
        reason_id: input.reason_id,
        reason_note: input.reason_note,
        ..BulkChange::default()
    };
    let txn = db.begin().await?;
    super::opportunities::apply_change(&txn, actor, input.id, input.version, &change).await?;
    txn.commit().await?;
    // Read back without the visibility filter: the write above was allowed, and a
    // salesperson who just unassigned their card still gets the answer to the move.
    let r = resolve(db, &OpportunityFilter::default()).await?;
    let mut q = row_select(&r);
    q.and_where(col("id").eq(input.id));
    match db.query_one(&q).await? {
        Some(row) => read_row(&row, r.today),
        None => Err(AppError::not_found(super::opportunities::ENTITY, input.id)),
    }
}

/// What a bulk edit changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkChange {
    /// Set to assign; `{ userId: null }` unassigns.
    pub assign: Option<Lane>,
    pub stage_id: Option<i32>,
    /// With a won or lost stage: the reason (required there).
    pub reason_id: Option<i32>,
    pub reason_note: Option<String>,
    pub type_id: Option<i32>,
    pub source_id: Option<i32>,
    /// Set to change the campaign; `{ campaignId: null }` clears it.
    pub campaign: Option<CampaignChange>,
}

#[derive(Debug, Clone, Copy, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CampaignChange {
    pub campaign_id: Option<i32>,
}

/// One selected opportunity and the version the list showed.
#[derive(Debug, Clone, Copy, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkItem {
    pub id: i32,
    pub version: i32,
}

/// Why a bulk edit was refused: the opportunity it stopped at, and the error.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    pub updated: u32,
}

/// Applies one change to every selected opportunity in one transaction: all or none.
/// A refusal names the opportunity (`field` paths are prefixed with `items.N.`).
pub async fn bulk_update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    items: &[BulkItem],
    change: &BulkChange,
) -> AppResult<BulkResult> {
    if items.is_empty() {
        return Err(AppError::field("items", ValidationCode::Required));
    }
    if items.len() > BULK_MAX {
        let mut v = Validator::new();
        v.push_limit("items", ValidationCode::TooLong, None, Some(BULK_MAX.to_string()));
        v.finish()?;
    }
    if change.assign.is_none()
        && change.stage_id.is_none()
        && change.type_id.is_none()
        && change.source_id.is_none()
        && change.campaign.is_none()
    {
        return Err(AppError::field("change", ValidationCode::Required));
    }
    let txn = db.begin().await?;
    let mut seen = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        if !seen.insert(item.id) {
            continue;
        }
        if let Err(e) = super::opportunities::apply_change(&txn, actor, item.id, item.version, change).await {
            // Dropping the transaction rolls everything back.
            return Err(match e {
                AppError::Validation { fields } => AppError::Validation {
                    fields: fields
                        .into_iter()
                        .map(|mut f| {
                            f.field = format!("items.{i}.{}", f.field);
                            f
                        })
                        .collect(),
                },
                other => other,
            });
        }
    }
    txn.commit().await?;
    Ok(BulkResult {
        updated: seen.len() as u32,
    })
}
