//! The opportunity filter: what the list, the board, the exports and the bulk edit
//! work on, checked and resolved once (`resolve`), then applied as SQL (`Resolved::apply`).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Cond, Expr, ExprTrait, LikeExpr, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::clock::Clock;
use crate::domain::validate::{normalize_digits, search_fold};
use crate::domain::{to_storage, CustomFieldType, StageKind, ValidationCode, Validator};
use crate::entity::{custom_fields as cf_rows, product_categories, stages as stage_rows};
use crate::error::AppResult;
use crate::service::sql::{as_number, days_between};
use crate::service::{conditions, like_pattern, like_term, settings, Actor};

/// The longest search text accepted in a filter.
pub const FILTER_TEXT_MAX: usize = 200;
/// The most ids one filter list may hold (more than any list of users, stages or
/// campaigns an office has; far below the database's limit on query parameters).
pub const FILTER_IDS_MAX: usize = 1000;
/// The most custom-field conditions in one filter.
pub const FILTER_CUSTOM_MAX: usize = 50;

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
    /// Only the opportunities of this pipeline (in its stages).
    pub pipeline_id: Option<i32>,
    /// Open opportunities with no planned activity ("no next step").
    pub no_next_step: bool,
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
    pipeline_stage_ids: Option<Vec<i32>>,
    category_ids: Option<Vec<i32>>,
    custom: Vec<(CustomFilter, CustomFieldType)>,
    today: NaiveDate,
    /// The configured clock: date filters on timestamps start at its midnight.
    clock: Clock,
    backend: DbBackend,
}

pub(super) fn a(name: &str) -> Alias {
    Alias::new(name)
}

pub(super) fn col(c: &str) -> Expr {
    Expr::col((a("o"), a(c)))
}

pub(super) fn parse_amount(v: &mut Validator, field: &str, text: Option<&str>, decimals: u32) -> Option<i64> {
    let d = v.number(field, text?)?;
    Some(to_storage(v.money(field, d, decimals, false)))
}

pub(super) fn check_range<T: PartialOrd>(v: &mut Validator, field: &str, from: Option<T>, to: Option<T>) {
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            v.push(field, ValidationCode::OutOfRange);
        }
    }
}

/// Checks a filter (amounts, ranges, text length, custom fields) and resolves what it
/// refers to. Bad input is a validation error naming the filter's field.
pub async fn resolve<C: ConnectionTrait>(db: &C, filter: &OpportunityFilter) -> AppResult<Resolved> {
    let settings = settings::get(db).await?;
    let decimals = settings.currency_decimals;
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
    for (field, ids) in [
        ("stageIds", &filter.stage_ids),
        ("assignedUserIds", &filter.assigned_user_ids),
        ("typeIds", &filter.type_ids),
        ("sourceIds", &filter.source_ids),
        ("campaignIds", &filter.campaign_ids),
        ("reasonIds", &filter.reason_ids),
    ] {
        if ids.len() > FILTER_IDS_MAX {
            v.push_limit(field, ValidationCode::TooLong, None, Some(FILTER_IDS_MAX.to_string()));
        }
    }
    if filter.custom.len() > FILTER_CUSTOM_MAX {
        v.push_limit(
            "custom",
            ValidationCode::TooLong,
            None,
            Some(FILTER_CUSTOM_MAX.to_string()),
        );
    }
    for (field, date) in [
        ("closeFrom", filter.close_from),
        ("closeTo", filter.close_to),
        ("createdFrom", filter.created_from),
        ("createdTo", filter.created_to),
        ("wonFrom", filter.won_from),
        ("wonTo", filter.won_to),
        ("lostFrom", filter.lost_from),
        ("lostTo", filter.lost_to),
    ] {
        v.date(field, date);
    }
    check_range(&mut v, "closeTo", filter.close_from, filter.close_to);
    check_range(&mut v, "createdTo", filter.created_from, filter.created_to);
    check_range(&mut v, "wonTo", filter.won_from, filter.won_to);
    check_range(&mut v, "lostTo", filter.lost_from, filter.lost_to);
    let status_stage_ids = match filter.status {
        None => None,
        Some(kind) => Some(stage_ids_of(db, &[kind]).await?),
    };
    let pipeline_stage_ids = match filter.pipeline_id {
        None => None,
        Some(id) => {
            if crate::entity::pipelines::Entity::find_by_id(id)
                .one(db)
                .await?
                .is_none()
            {
                v.push("pipelineId", ValidationCode::UnknownReference);
            }
            Some(pipeline_stage_ids(db, id).await?)
        }
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
    if !filter.custom.is_empty() && filter.custom.len() <= FILTER_CUSTOM_MAX {
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
                            match v.number(&field, b) {
                                Some(d) => *b = d.to_string(),
                                None if b.trim().is_empty() => v.push(&field, ValidationCode::Invalid),
                                None => {}
                            }
                        }
                    }
                }
                CustomFieldType::Date => {
                    for bound in [&c.min, &c.max].into_iter().flatten() {
                        match NaiveDate::parse_from_str(bound.trim(), "%Y-%m-%d") {
                            Ok(d) => v.date(&field, Some(d)),
                            Err(_) => v.push(&field, ValidationCode::Invalid),
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
        pipeline_stage_ids,
        category_ids,
        custom,
        today: settings.clock().today(),
        clock: settings.clock(),
        backend: db.get_database_backend(),
    })
}

/// The ids of the stages of the given kinds (deleted ones too: history keeps them).
/// Every stage of a pipeline (deleted ones too: their history stays theirs).
pub async fn pipeline_stage_ids<C: ConnectionTrait>(db: &C, pipeline_id: i32) -> AppResult<Vec<i32>> {
    Ok(stage_rows::Entity::find()
        .filter(stage_rows::Column::PipelineId.eq(pipeline_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect())
}

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

/// The shortest search term the trigram indexes answer; shorter ones read the rows.
pub const INDEXED_TERM_MIN: usize = 3;

/// Opportunities whose folded title, or whose identity's search text, holds the
/// folded `text`. From the trigram indexes (`m20261204_000008_search_index`: FTS5 on
/// SQLite, pg_trgm on PostgreSQL) when the term is long enough for them; the same
/// fold and the same `LIKE` either way, so both read alike.
pub fn text_condition(text: &str, backend: DbBackend) -> Cond {
    let like = || like_term(text);
    let title = Expr::cust(migration::m20261204_000008_search_index::fold_sql("o.title"));
    let indexed = text.chars().count() >= INDEXED_TERM_MIN;
    if backend == DbBackend::Sqlite && indexed {
        return Cond::any()
            .add(col("id").in_subquery(indexed_ids("opportunity_search", text)))
            .add(col("identity_id").in_subquery(indexed_ids("identity_search", text)));
    }
    let mut identities = Query::select();
    identities
        .column(a("id"))
        .from(a("identities"))
        .and_where(Expr::col(a("search_text")).like(like()));
    if backend == DbBackend::Postgres {
        // One set of ids from both indexes (the title's trigram index, then the
        // customers' through `identity_id`): an `OR` of the two made PostgreSQL read
        // every row and fold every title (2.4 s at a million).
        let mut ids = Query::select();
        ids.column(a("id"))
            .from(a("opportunities"))
            .and_where(Expr::cust(migration::m20261204_000008_search_index::fold_sql("title")).like(like()));
        let mut of_identities = Query::select();
        of_identities
            .column(a("id"))
            .from(a("opportunities"))
            .and_where(Expr::col(a("identity_id")).in_subquery(identities));
        ids.union(sea_orm::sea_query::UnionType::Distinct, of_identities);
        return Cond::all().add(col("id").in_subquery(ids));
    }
    Cond::any()
        .add(title.like(like()))
        .add(col("identity_id").in_subquery(identities))
}

/// The ids whose folded text holds `text`, from one of SQLite's trigram tables
/// (`opportunity_search`, `identity_search`); for terms of [`INDEXED_TERM_MIN`]
/// characters or more.
pub fn indexed_ids(table: &str, text: &str) -> SelectStatement {
    let mut ids = Query::select();
    ids.column(a("rowid"))
        .from(a(table))
        .and_where(Expr::col(a("text")).like(like_term(text)));
    ids
}

impl Resolved {
    /// The day "overdue" and "days open" are measured against.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Adds the filter and the actor's visibility to a query over `opportunities o`.
    pub fn apply(&self, q: &mut SelectStatement, actor: &Actor) {
        self.apply_dimensions(q, actor);
        self.apply_rest(q);
    }

    /// Whether the filter asks only for what the report totals are keyed by (stages,
    /// users, types, sources, campaigns, reasons, the creation dates): then
    /// `service::totals::facts` with [`Self::apply_dimensions`] answers it.
    pub fn dimensions_only(&self) -> bool {
        let f = &self.f;
        self.text.is_none()
            && f.identity_id.is_none()
            && f.product_id.is_none()
            && self.category_ids.is_none()
            && f.competitor_id.is_none()
            && self.custom.is_empty()
            && self.amount_min.is_none()
            && self.amount_max.is_none()
            && f.close_from.is_none()
            && f.close_to.is_none()
            && f.won_from.is_none()
            && f.won_to.is_none()
            && f.lost_from.is_none()
            && f.lost_to.is_none()
            && !f.overdue
            && !f.no_next_step
    }

    /// Whether the filter asks for nothing and the actor sees every opportunity: then
    /// [`Self::apply`] adds no condition at all.
    pub fn is_everything(&self, actor: &Actor) -> bool {
        self.f == OpportunityFilter::default() && conditions::visible_opportunities(actor, "o").is_none()
    }

    /// The creation dates asked for (inclusive).
    pub fn created_range(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        (self.f.created_from, self.f.created_to)
    }

    /// The clock the filter's dates are read by.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The part of the filter over the report totals' dimensions, and the actor's
    /// visibility (a query over `opportunities o` or over `service::totals::facts`).
    pub fn apply_dimensions(&self, q: &mut SelectStatement, actor: &Actor) {
        let f = &self.f;
        if !f.stage_ids.is_empty() {
            q.and_where(col("stage_id").is_in(f.stage_ids.clone()));
        }
        if let Some(ids) = &self.status_stage_ids {
            q.and_where(col("stage_id").is_in(ids.clone()));
        }
        if let Some(ids) = &self.pipeline_stage_ids {
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
        if let Some(visible) = conditions::visible_opportunities(actor, "o") {
            q.cond_where(visible);
        }
    }

    /// The rest of the filter, over the rows of `opportunities o` only.
    fn apply_rest(&self, q: &mut SelectStatement) {
        let f = &self.f;
        if let Some(text) = &self.text {
            q.cond_where(text_condition(text, self.backend));
        }
        if let Some(id) = f.identity_id {
            q.and_where(col("identity_id").eq(id));
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
            q.and_where(col("created_at").gte(self.clock.day_start(d)));
        }
        if let Some(d) = f.created_to {
            q.and_where(col("created_at").lt(self.clock.day_start(d.succ_opt().unwrap_or(d))));
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
            q.and_where(conditions::overdue("o", self.today));
        }
        if f.no_next_step {
            q.and_where(conditions::open("o"));
            q.and_where(conditions::has_next_step("o").not());
        }
    }

    pub(super) fn days_open_sql(&self) -> String {
        let today = format!("'{}'", self.today.format("%Y-%m-%d"));
        days_between(
            self.backend,
            "o.created_at",
            &format!("COALESCE(o.won_on, o.lost_on, {today})"),
        )
    }
}
