//! The initial schema: the whole data model of the domain specification.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000001_initial"
    }
}

fn id() -> ColumnDef {
    pk_auto("id")
}

/// Optimistic-concurrency counter of editable records.
fn version() -> ColumnDef {
    integer("version").default(1).take()
}

fn fk(from: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{col}"))
        .from(from, col)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

fn fk_cascade(from: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    fk(from, col, to).on_delete(ForeignKeyAction::Cascade).take()
}

fn fk_set_null(from: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    fk(from, col, to).on_delete(ForeignKeyAction::SetNull).take()
}

/// created/updated stamps shared by the records.
fn audit(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(timestamp_with_time_zone("created_at"))
        .col(integer_null("created_by"))
        .col(timestamp_with_time_zone("updated_at"))
        .col(integer_null("updated_by"))
}

fn audit_fks(t: &mut TableCreateStatement, table: &'static str) {
    t.foreign_key(&mut fk_set_null(table, "created_by", "users"))
        .foreign_key(&mut fk_set_null(table, "updated_by", "users"));
}

async fn index(m: &SchemaManager<'_>, table: &'static str, cols: &[&'static str], unique: bool) -> Result<(), DbErr> {
    let name = format!("{}_{}_{}", if unique { "ux" } else { "ix" }, table, cols.join("_"));
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for c in cols {
        stmt.col(*c);
    }
    if unique {
        stmt.unique();
    }
    m.create_index(stmt).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // --- users and settings -------------------------------------------------
        m.create_table(
            Table::create()
                .table("users")
                .col(id())
                .col(string_len_uniq("username", 64))
                .col(string_len("display_name", 200))
                .col(string_len("role", 20))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone("created_at"))
                .col(version())
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("settings")
                .col(string_len("key", 100).primary_key())
                .col(text("value"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("user_settings")
                .col(id())
                .col(integer("user_id"))
                .col(string_len("key", 100))
                .col(text("value"))
                .foreign_key(&mut fk_cascade("user_settings", "user_id", "users"))
                .take(),
        )
        .await?;
        index(m, "user_settings", &["user_id", "key"], true).await?;

        m.create_table(
            Table::create()
                .table("number_sequences")
                .col(id())
                .col(string_len("kind", 40))
                .col(string_len("period", 20))
                .col(big_integer("next_value"))
                .take(),
        )
        .await?;
        index(m, "number_sequences", &["kind", "period"], true).await?;

        // --- system lists and stages -------------------------------------------
        m.create_table(
            Table::create()
                .table("system_items")
                .col(id())
                .col(string_len("list_key", 40))
                .col(string_len_null("key", 64))
                .col(string_len("title_fa", 200))
                .col(string_len("title_en", 200))
                .col(integer("sort_order"))
                .col(boolean("active").default(true))
                .col(version())
                .take(),
        )
        .await?;
        index(m, "system_items", &["list_key", "sort_order"], false).await?;
        index(m, "system_items", &["list_key", "key"], true).await?;

        m.create_table(
            Table::create()
                .table("stages")
                .col(id())
                .col(string_len_uniq("key", 64))
                .col(string_len("title_fa", 200))
                .col(string_len("title_en", 200))
                .col(string_len("kind", 10))
                .col(integer("sort_order"))
                .col(boolean("active").default(true))
                .col(integer_null("default_probability"))
                .col(boolean("deleted").default(false))
                .col(version())
                .take(),
        )
        .await?;

        // --- campaigns, products -------------------------------------------------
        let mut t = Table::create();
        t.table("campaigns")
            .col(id())
            .col(string_len("name", 200))
            .col(date_null("start_date"))
            .col(date_null("end_date"))
            .col(text_null("description"))
            .col(big_integer("cost").default(0))
            .col(boolean("active").default(true))
            .col(version());
        audit(&mut t);
        audit_fks(&mut t, "campaigns");
        m.create_table(t).await?;

        m.create_table(
            Table::create()
                .table("product_categories")
                .col(id())
                .col(integer_null("parent_id"))
                .col(string_len("name", 200))
                .col(integer("sort_order"))
                .col(version())
                .foreign_key(&mut fk("product_categories", "parent_id", "product_categories"))
                .take(),
        )
        .await?;
        index(m, "product_categories", &["parent_id", "sort_order"], false).await?;

        let mut t = Table::create();
        t.table("products")
            .col(id())
            .col(string_len_uniq("code", 64))
            .col(string_len("name", 300))
            .col(integer("category_id"))
            .col(string_len("kind", 10))
            .col(integer_null("unit_id"))
            .col(big_integer("sale_price"))
            .col(boolean("taxable").default(true))
            .col(boolean("saleable").default(true))
            .col(boolean("active").default(true))
            .col(version())
            .foreign_key(&mut fk("products", "category_id", "product_categories"))
            .foreign_key(&mut fk("products", "unit_id", "system_items"));
        audit(&mut t);
        audit_fks(&mut t, "products");
        m.create_table(t).await?;
        index(m, "products", &["category_id"], false).await?;
        index(m, "products", &["name"], false).await?;

        // --- identities ---------------------------------------------------------
        let mut t = Table::create();
        t.table("identities")
            .col(id())
            .col(string_len("kind", 20))
            .col(integer_null("prefix_id"))
            .col(string_len_null("first_name", 200))
            .col(string_len_null("last_name", 200))
            .col(string_len_null("organization_name", 300))
            .col(string_len("display_name", 420))
            .col(string_len("search_text", 1000))
            .col(string_len_null("national_code", 20))
            .col(string_len_null("economic_code", 20))
            .col(string_len_uniq("customer_number", 40))
            .col(boolean("is_customer").default(true))
            .col(boolean("is_competitor").default(false))
            .col(boolean("is_supplier").default(false))
            .col(integer_null("source_id"))
            .col(integer_null("campaign_id"))
            .col(integer_null("responsible_user_id"))
            .col(text_null("notes"))
            .col(version())
            .foreign_key(&mut fk("identities", "prefix_id", "system_items"))
            .foreign_key(&mut fk("identities", "source_id", "system_items"))
            .foreign_key(&mut fk_set_null("identities", "campaign_id", "campaigns"))
            .foreign_key(&mut fk_set_null("identities", "responsible_user_id", "users"));
        audit(&mut t);
        audit_fks(&mut t, "identities");
        m.create_table(t).await?;
        index(m, "identities", &["display_name"], false).await?;
        index(m, "identities", &["kind", "display_name"], false).await?;
        index(m, "identities", &["is_competitor"], false).await?;
        index(m, "identities", &["created_at"], false).await?;

        m.create_table(
            Table::create()
                .table("identity_phones")
                .col(id())
                .col(integer("identity_id"))
                .col(string_len("kind", 10))
                .col(string_len("number", 40))
                .col(boolean("is_default").default(false))
                .foreign_key(&mut fk_cascade("identity_phones", "identity_id", "identities"))
                .take(),
        )
        .await?;
        index(m, "identity_phones", &["identity_id"], false).await?;
        index(m, "identity_phones", &["number"], false).await?;

        m.create_table(
            Table::create()
                .table("identity_emails")
                .col(id())
                .col(integer("identity_id"))
                .col(string_len("address", 254))
                .col(boolean("is_default").default(false))
                .foreign_key(&mut fk_cascade("identity_emails", "identity_id", "identities"))
                .take(),
        )
        .await?;
        index(m, "identity_emails", &["identity_id"], false).await?;

        m.create_table(
            Table::create()
                .table("identity_addresses")
                .col(id())
                .col(integer("identity_id"))
                .col(string_len_null("city", 100))
                .col(string_len("text", 1000))
                .col(string_len_null("postal_code", 20))
                .col(boolean("is_default").default(false))
                .foreign_key(&mut fk_cascade("identity_addresses", "identity_id", "identities"))
                .take(),
        )
        .await?;
        index(m, "identity_addresses", &["identity_id"], false).await?;

        // --- custom fields ----------------------------------------------------------
        m.create_table(
            Table::create()
                .table("custom_fields")
                .col(id())
                .col(string_len("entity", 20))
                .col(string_len("key", 64))
                .col(string_len("title_fa", 200))
                .col(string_len("title_en", 200))
                .col(string_len("field_type", 20))
                .col(boolean("required").default(false))
                .col(text_null("help_fa"))
                .col(text_null("help_en"))
                .col(string_len_null("group_fa", 200))
                .col(string_len_null("group_en", 200))
                .col(integer("sort_order"))
                .col(text_null("options"))
                .col(boolean("active").default(true))
                .col(version())
                .take(),
        )
        .await?;
        index(m, "custom_fields", &["entity", "key"], true).await?;

        // --- opportunities ----------------------------------------------------------
        let mut t = Table::create();
        t.table("opportunities")
            .col(id())
            .col(integer("identity_id"))
            .col(string_len("title", 300))
            .col(integer_null("assigned_user_id"))
            .col(integer("type_id"))
            .col(integer("source_id"))
            .col(integer_null("campaign_id"))
            .col(date_null("close_date"))
            .col(big_integer("estimated_amount").default(0))
            .col(boolean("amount_is_manual").default(false))
            .col(integer("probability").default(0))
            .col(boolean("probability_is_manual").default(false))
            .col(integer_null("win_reason_id"))
            .col(integer_null("loss_reason_id"))
            .col(text_null("reason_note"))
            .col(integer_null("purchase_process_id"))
            .col(integer("stage_id"))
            .col(date_null("won_on"))
            .col(date_null("lost_on"))
            .col(timestamp_with_time_zone_null("closed_at"))
            .col(version())
            .foreign_key(&mut fk("opportunities", "identity_id", "identities"))
            .foreign_key(&mut fk_set_null("opportunities", "assigned_user_id", "users"))
            .foreign_key(&mut fk("opportunities", "type_id", "system_items"))
            .foreign_key(&mut fk("opportunities", "source_id", "system_items"))
            .foreign_key(&mut fk_set_null("opportunities", "campaign_id", "campaigns"))
            .foreign_key(&mut fk("opportunities", "win_reason_id", "system_items"))
            .foreign_key(&mut fk("opportunities", "loss_reason_id", "system_items"))
            .foreign_key(&mut fk("opportunities", "purchase_process_id", "system_items"))
            .foreign_key(&mut fk("opportunities", "stage_id", "stages"));
        audit(&mut t);
        audit_fks(&mut t, "opportunities");
        m.create_table(t).await?;
        for cols in [
            &["identity_id", "created_at"][..],
            &["stage_id", "created_at"],
            &["assigned_user_id", "stage_id"],
            &["created_by"],
            &["close_date"],
            &["created_at"],
            &["campaign_id"],
            &["source_id"],
            &["type_id"],
            &["won_on"],
            &["lost_on"],
            &["win_reason_id"],
            &["loss_reason_id"],
        ] {
            index(m, "opportunities", cols, false).await?;
        }

        m.create_table(
            Table::create()
                .table("opportunity_lines")
                .col(id())
                .col(integer("opportunity_id"))
                .col(integer("position"))
                .col(integer("product_id"))
                .col(big_integer("quantity"))
                .col(big_integer("unit_price"))
                .col(string_len("discount_kind", 10))
                .col(big_integer("discount_value").default(0))
                .col(big_integer("final_price"))
                .col(text_null("description"))
                .foreign_key(&mut fk_cascade("opportunity_lines", "opportunity_id", "opportunities"))
                .foreign_key(&mut fk("opportunity_lines", "product_id", "products"))
                .take(),
        )
        .await?;
        index(m, "opportunity_lines", &["opportunity_id", "position"], false).await?;
        index(m, "opportunity_lines", &["product_id"], false).await?;

        m.create_table(
            Table::create()
                .table("opportunity_competitors")
                .col(id())
                .col(integer("opportunity_id"))
                .col(integer("competitor_id"))
                .col(string_len_null("note", 1000))
                .foreign_key(&mut fk_cascade(
                    "opportunity_competitors",
                    "opportunity_id",
                    "opportunities",
                ))
                .foreign_key(&mut fk("opportunity_competitors", "competitor_id", "identities"))
                .take(),
        )
        .await?;
        index(m, "opportunity_competitors", &["opportunity_id", "competitor_id"], true).await?;
        index(m, "opportunity_competitors", &["competitor_id"], false).await?;

        m.create_table(
            Table::create()
                .table("custom_field_values")
                .col(id())
                .col(integer("field_id"))
                .col(integer("record_id"))
                .col(text("value"))
                .foreign_key(&mut fk_cascade("custom_field_values", "field_id", "custom_fields"))
                .take(),
        )
        .await?;
        index(m, "custom_field_values", &["field_id", "record_id"], true).await?;
        index(m, "custom_field_values", &["record_id"], false).await?;

        m.create_table(
            Table::create()
                .table("stage_history")
                .col(id())
                .col(integer("opportunity_id"))
                .col(integer_null("from_stage_id"))
                .col(integer("to_stage_id"))
                .col(timestamp_with_time_zone("changed_at"))
                .col(integer_null("changed_by"))
                .col(string_len_null("note", 1000))
                .foreign_key(&mut fk_cascade("stage_history", "opportunity_id", "opportunities"))
                .foreign_key(&mut fk("stage_history", "from_stage_id", "stages"))
                .foreign_key(&mut fk("stage_history", "to_stage_id", "stages"))
                .foreign_key(&mut fk_set_null("stage_history", "changed_by", "users"))
                .take(),
        )
        .await?;
        index(m, "stage_history", &["opportunity_id", "changed_at"], false).await?;
        index(m, "stage_history", &["to_stage_id", "changed_at"], false).await?;

        // --- financial records ------------------------------------------------------
        let mut t = Table::create();
        t.table("financial_records")
            .col(id())
            .col(string_len("kind", 20))
            .col(string_len("number", 40))
            .col(string_len("title", 300))
            .col(integer("identity_id"))
            .col(integer_null("opportunity_id"))
            .col(integer_null("parent_record_id"))
            .col(date("issue_date"))
            .col(string_len("status", 10))
            .col(text_null("description"))
            .col(date_null("expiry_date"))
            .col(string_len_null("method", 20))
            .col(string_len_null("reference_no", 100))
            .col(string_len_null("contract_kind", 10))
            .col(date_null("start_date"))
            .col(date_null("end_date"))
            .col(big_integer("total_sum").default(0))
            .col(big_integer("total_discount").default(0))
            .col(big_integer("total_tax").default(0))
            .col(big_integer("amount").default(0))
            .col(version())
            .foreign_key(&mut fk("financial_records", "identity_id", "identities"))
            .foreign_key(&mut fk("financial_records", "opportunity_id", "opportunities"))
            .foreign_key(&mut fk("financial_records", "parent_record_id", "financial_records"));
        audit(&mut t);
        audit_fks(&mut t, "financial_records");
        m.create_table(t).await?;
        index(m, "financial_records", &["kind", "number"], true).await?;
        index(m, "financial_records", &["identity_id", "status"], false).await?;
        index(m, "financial_records", &["opportunity_id", "status"], false).await?;
        index(m, "financial_records", &["parent_record_id"], false).await?;
        index(m, "financial_records", &["issue_date"], false).await?;

        m.create_table(
            Table::create()
                .table("financial_lines")
                .col(id())
                .col(integer("record_id"))
                .col(integer("position"))
                .col(integer("product_id"))
                .col(integer_null("source_line_id"))
                .col(big_integer("quantity"))
                .col(big_integer("unit_price"))
                .col(string_len("discount_kind", 10))
                .col(big_integer("discount_value").default(0))
                .col(big_integer("tax_percent").default(0))
                .col(big_integer("tax_amount").default(0))
                .col(big_integer("final_price"))
                .col(text_null("description"))
                .foreign_key(&mut fk_cascade("financial_lines", "record_id", "financial_records"))
                .foreign_key(&mut fk("financial_lines", "product_id", "products"))
                .foreign_key(&mut fk_set_null("financial_lines", "source_line_id", "financial_lines"))
                .take(),
        )
        .await?;
        index(m, "financial_lines", &["record_id", "position"], false).await?;
        index(m, "financial_lines", &["product_id"], false).await?;

        // --- tags and the change log ---------------------------------------------------
        m.create_table(
            Table::create()
                .table("record_tags")
                .col(id())
                .col(string_len("entity", 30))
                .col(integer("record_id"))
                .col(string_len("tag", 100))
                .take(),
        )
        .await?;
        index(m, "record_tags", &["entity", "record_id", "tag"], true).await?;
        index(m, "record_tags", &["tag"], false).await?;

        m.create_table(
            Table::create()
                .table("change_log")
                .col(big_pk_auto("id"))
                .col(string_len("entity", 30))
                .col(integer("record_id"))
                .col(string_len("action", 10))
                .col(text("changes"))
                .col(integer_null("user_id"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk_set_null("change_log", "user_id", "users"))
                .take(),
        )
        .await?;
        index(m, "change_log", &["entity", "record_id", "at"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "change_log",
            "record_tags",
            "financial_lines",
            "financial_records",
            "stage_history",
            "custom_field_values",
            "opportunity_competitors",
            "opportunity_lines",
            "opportunities",
            "custom_fields",
            "identity_addresses",
            "identity_emails",
            "identity_phones",
            "identities",
            "products",
            "product_categories",
            "campaigns",
            "stages",
            "system_items",
            "number_sequences",
            "user_settings",
            "settings",
            "users",
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
