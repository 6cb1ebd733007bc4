//! Following up: activities (follow-up tasks, calls, meetings, notes) on an opportunity
//! or directly on an identity, with a due time, a status and an optional reminder;
//! comments on an opportunity; and the notifications a mention in a comment sends.
//!
//! An activity of an opportunity also names the opportunity's identity, so the
//! identity's Records tab and timeline find every activity with one index. Reminders
//! are not rows of their own: an activity's `remind_at`, with the instant it was shown
//! (`reminder_shown_at`) and dismissed (`reminder_dismissed_at`) by its assignee.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000007_activities"
    }
}

fn fk(from: &'static str, col: &'static str, to: &'static str, action: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{col}"))
        .from(from, col)
        .to(to, "id")
        .on_delete(action)
        .take()
}

async fn index(m: &SchemaManager<'_>, table: &'static str, cols: &[&'static str]) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{}_{}", table, cols.join("_"))).table(table);
    for c in cols {
        stmt.col(*c);
    }
    m.create_index(stmt).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        m.create_table(
            Table::create()
                .table("activities")
                .col(pk_auto("id"))
                .col(string_len("kind", 20))
                .col(string_len("subject", 300))
                .col(integer("identity_id"))
                .col(integer_null("opportunity_id"))
                .col(integer_null("assigned_user_id"))
                .col(timestamp_with_time_zone_null("due_at"))
                .col(boolean("all_day").default(false))
                .col(integer_null("duration_minutes"))
                .col(string_len("status", 12))
                .col(string_len_null("direction", 10))
                .col(string_len_null("call_result", 20))
                .col(text_null("outcome"))
                .col(timestamp_with_time_zone_null("remind_at"))
                .col(timestamp_with_time_zone_null("reminder_shown_at"))
                .col(timestamp_with_time_zone_null("reminder_dismissed_at"))
                .col(timestamp_with_time_zone_null("completed_at"))
                .col(integer("version").default(1))
                .col(timestamp_with_time_zone("created_at"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(integer_null("updated_by"))
                .foreign_key(&mut fk("activities", "identity_id", "identities", Restrict))
                .foreign_key(&mut fk("activities", "opportunity_id", "opportunities", Cascade))
                .foreign_key(&mut fk("activities", "assigned_user_id", "users", SetNull))
                .foreign_key(&mut fk("activities", "created_by", "users", SetNull))
                .foreign_key(&mut fk("activities", "updated_by", "users", SetNull))
                .take(),
        )
        .await?;
        index(m, "activities", &["opportunity_id", "status"]).await?;
        index(m, "activities", &["identity_id"]).await?;
        index(m, "activities", &["assigned_user_id", "status", "due_at"]).await?;
        index(m, "activities", &["status", "remind_at"]).await?;

        m.create_table(
            Table::create()
                .table("comments")
                .col(pk_auto("id"))
                .col(integer("opportunity_id"))
                .col(integer_null("author_id"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("comments", "opportunity_id", "opportunities", Cascade))
                .foreign_key(&mut fk("comments", "author_id", "users", SetNull))
                .take(),
        )
        .await?;
        index(m, "comments", &["opportunity_id", "created_at"]).await?;

        m.create_table(
            Table::create()
                .table("notifications")
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string_len("kind", 20))
                .col(integer_null("actor_id"))
                .col(integer_null("opportunity_id"))
                .col(integer_null("comment_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("read_at"))
                .foreign_key(&mut fk("notifications", "user_id", "users", Cascade))
                .foreign_key(&mut fk("notifications", "actor_id", "users", SetNull))
                .foreign_key(&mut fk("notifications", "opportunity_id", "opportunities", Cascade))
                .foreign_key(&mut fk("notifications", "comment_id", "comments", Cascade))
                .take(),
        )
        .await?;
        index(m, "notifications", &["user_id", "read_at"]).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["notifications", "comments", "activities"] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
