//! Analytics: every figure is aggregated by the database (COUNT / SUM / GROUP BY);
//! Rust only shapes the rows for the wire. Filters and visibility are applied in one
//! place ([`ReportFilter::apply`]) so every report honours them.

pub mod campaigns;
pub mod competitors;
pub mod dashboard;
pub mod durations;
pub mod forecast;
pub mod sales_status;
pub mod slots;
pub mod stage_history;
pub mod win_loss;

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use specta::Type;

use crate::clock::Clock;
use crate::entity::{system_items, users};
use crate::error::AppResult;
use crate::service::{conditions, Actor};

/// The fa and en names of the system-list values and of the users, by id, for the
/// reports that group by them.
pub(crate) struct Names {
    pub items: HashMap<i32, (String, String)>,
    pub people: HashMap<i32, (String, String)>,
}

impl Names {
    pub async fn load<C: ConnectionTrait>(db: &C) -> AppResult<Self> {
        let items = system_items::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.id, (i.title_fa, i.title_en)))
            .collect();
        let people = users::Entity::find()
            .filter(users::Column::Id.gt(0))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, (u.display_name.clone(), u.display_name)))
            .collect();
        Ok(Self { items, people })
    }
}

/// The common filters of the reports. Dates bound the opportunities' creation date
/// (inclusive); the UI turns a Jalali or Gregorian month, quarter or year into them.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReportFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub assigned_user_id: Option<i32>,
    pub type_id: Option<i32>,
    pub source_id: Option<i32>,
    pub campaign_id: Option<i32>,
    /// Only the opportunities of this pipeline (funnels per pipeline; without it the
    /// counts and amounts of every pipeline are summed).
    #[serde(default)]
    pub pipeline_id: Option<i32>,
}

impl ReportFilter {
    /// Refuses a period outside the dates Forsat supports (`from`, `to`); every report
    /// starts with it, through [`clock_for`].
    pub fn check(&self) -> AppResult<()> {
        let mut v = crate::domain::Validator::new();
        v.date("from", self.from);
        v.date("to", self.to);
        v.finish()
    }

    /// Adds the filter and the actor's visibility to a query over `opportunities o`.
    /// The period's days start at midnight by `clock` (the configured time zone).
    pub fn apply(&self, q: &mut SelectStatement, actor: &Actor, clock: &Clock) {
        let col = |c: &str| Expr::col((Alias::new("o"), Alias::new(c)));
        let (from, until) = clock.day_range(self.from, self.to);
        if let Some(from) = from {
            q.and_where(col("created_at").gte(from));
        }
        if let Some(until) = until {
            q.and_where(col("created_at").lt(until));
        }
        self.apply_dimensions(q, actor);
    }

    /// The filter without its period, and the actor's visibility: for a query over
    /// [`crate::service::totals::facts`] (which holds the period) as `o`.
    pub fn apply_dimensions(&self, q: &mut SelectStatement, actor: &Actor) {
        let col = |c: &str| Expr::col((Alias::new("o"), Alias::new(c)));
        if let Some(id) = self.assigned_user_id {
            q.and_where(col("assigned_user_id").eq(id));
        }
        if let Some(id) = self.type_id {
            q.and_where(col("type_id").eq(id));
        }
        if let Some(id) = self.source_id {
            q.and_where(col("source_id").eq(id));
        }
        if let Some(id) = self.campaign_id {
            q.and_where(col("campaign_id").eq(id));
        }
        if let Some(id) = self.pipeline_id {
            q.and_where(
                col("stage_id").in_subquery(
                    Query::select()
                        .column(Alias::new("id"))
                        .from(Alias::new("stages"))
                        .and_where(Expr::col(Alias::new("pipeline_id")).eq(id))
                        .to_owned(),
                ),
            );
        }
        if let Some(visible) = conditions::visible_opportunities(actor, "o") {
            q.cond_where(visible);
        }
    }
}

/// The opportunities of the filter's period as buckets ([`crate::service::totals::facts`]), for
/// `FROM … AS o`; the rest of the filter goes on with [`ReportFilter::apply_dimensions`].
pub async fn facts<C: ConnectionTrait>(db: &C, filter: &ReportFilter, clock: &Clock) -> AppResult<SelectStatement> {
    crate::service::totals::facts(db, clock, filter.from, filter.to).await
}

/// The start of every report: the filter checked, then the configured clock.
pub async fn clock_for<C: ConnectionTrait>(db: &C, filter: &ReportFilter) -> AppResult<Clock> {
    filter.check()?;
    crate::service::settings::clock(db).await
}
