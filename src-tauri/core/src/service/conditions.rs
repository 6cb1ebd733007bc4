//! The SQL twins of the opportunity rules in `domain::opportunity`: who may see an
//! opportunity and which ones are overdue, as conditions over `opportunities` under an
//! alias. The form, the list, the board, the exports and the reports all use these, so
//! a salesperson's dashboard counts exactly what their list shows
//! (`tests/opportunities.rs::visibility_is_one_rule_on_every_screen` and
//! `tests/clock.rs` check the SQL against the row rules).

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Cond, Expr, ExprTrait, Query, SimpleExpr};

use crate::domain::{Actor, StageKind, UserRole};

fn col(table: &str, c: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(c)))
}

/// The rows of `opportunities` (as `table`) that `actor` may see; `None` when they see
/// all. The row rule is `domain::opportunity::visible_to` over `service::teams::scope`;
/// a manager's team comes from the same `team_oversight` view the team server's
/// policies read.
pub fn visible_opportunities(actor: &Actor, table: &str) -> Option<Cond> {
    let own = Cond::any()
        .add(col(table, "assigned_user_id").eq(actor.user_id))
        .add(col(table, "created_by").eq(actor.user_id));
    match actor.role {
        UserRole::Admin => None,
        UserRole::Salesperson => Some(own),
        UserRole::Manager => {
            let team = || {
                Query::select()
                    .column(Alias::new("user_id"))
                    .from(Alias::new("team_oversight"))
                    .and_where(Expr::col(Alias::new("manager_user_id")).eq(actor.user_id))
                    .to_owned()
            };
            let any_team = Query::select().expr(Expr::val(1)).from(Alias::new("teams")).to_owned();
            Some(
                own.add(col(table, "assigned_user_id").in_subquery(team()))
                    .add(col(table, "created_by").in_subquery(team()))
                    .add(Expr::exists(any_team).not()),
            )
        }
    }
}

/// Opportunities of `opportunities` (as `table`) in an open stage.
pub fn open(table: &str) -> SimpleExpr {
    let open_stages = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("stages"))
        .and_where(Expr::col(Alias::new("kind")).eq(StageKind::Open.as_str()))
        .to_owned();
    col(table, "stage_id").in_subquery(open_stages)
}

/// Overdue opportunities of `opportunities` (as `table`): in an open stage, with a
/// close date before `today`. The row rule is `domain::opportunity::is_overdue`.
pub fn overdue(table: &str, today: NaiveDate) -> SimpleExpr {
    open(table).and(col(table, "close_date").lt(today))
}

/// Opportunities of `opportunities` (as `table`) with a planned activity: a next step.
/// Its negation is "no next step" ("my day", the list's filter, the board's badge).
pub fn has_next_step(table: &str) -> SimpleExpr {
    Expr::cust(format!(
        "EXISTS (SELECT 1 FROM activities nx WHERE nx.opportunity_id = {table}.id AND nx.status = 'planned')"
    ))
}
