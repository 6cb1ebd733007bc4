//! The product catalogue: a category tree and products (domain §6).

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::{like_pattern, now, paging, settings, system_lists, Actor, Page};
use crate::domain::validate::parse_money;
use crate::domain::validate::{search_fold, NAME_MAX, TITLE_MAX};
use crate::domain::{ChangeAction, ProductKind, SystemListKey, ValidationCode, Validator};
use crate::entity::{financial_lines, opportunity_lines, product_categories as cats, products, system_items, Fixed4};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub name: String,
    pub sort_order: i32,
    pub version: i32,
    /// Products directly in this category.
    pub product_count: u32,
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CategoryInput {
    pub name: String,
    pub parent_id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub category_id: i32,
    pub kind: ProductKind,
    pub unit_id: Option<i32>,
    pub unit_fa: Option<String>,
    pub unit_en: Option<String>,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub sale_price: Decimal,
    pub taxable: bool,
    pub saleable: bool,
    pub active: bool,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductInput {
    pub code: String,
    pub name: String,
    pub category_id: i32,
    pub kind: ProductKind,
    pub unit_id: Option<i32>,
    /// A decimal string.
    pub sale_price: String,
    pub taxable: bool,
    pub saleable: bool,
    pub active: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductQuery {
    /// Name or code, Persian or Latin.
    pub search: Option<String>,
    /// The category and everything below it.
    pub category_id: Option<i32>,
    /// Only active, saleable products (what the selector offers).
    pub for_sale: bool,
    pub page: u32,
    pub page_size: u32,
}

fn require_manager(actor: &Actor) -> AppResult<()> {
    if actor.manages() {
        Ok(())
    } else {
        Err(AppError::forbidden("catalogue_managers_only"))
    }
}

pub async fn categories<C: ConnectionTrait>(db: &C) -> AppResult<Vec<Category>> {
    let counts: HashMap<i32, i64> = products::Entity::find()
        .select_only()
        .column(products::Column::CategoryId)
        .column_as(products::Column::Id.count(), "n")
        .group_by(products::Column::CategoryId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(cats::Entity::find()
        .order_by_asc(cats::Column::SortOrder)
        .order_by_asc(cats::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| Category {
            product_count: counts.get(&c.id).copied().unwrap_or(0) as u32,
            id: c.id,
            parent_id: c.parent_id,
            name: c.name,
            sort_order: c.sort_order,
            version: c.version,
        })
        .collect())
}

/// The category and all its descendants.
async fn subtree<C: ConnectionTrait>(db: &C, root: i32) -> AppResult<HashSet<i32>> {
    let all = cats::Entity::find().all(db).await?;
    let mut out = HashSet::from([root]);
    loop {
        let before = out.len();
        for c in &all {
            if c.parent_id.is_some_and(|p| out.contains(&p)) {
                out.insert(c.id);
            }
        }
        if out.len() == before {
            return Ok(out);
        }
    }
}

async fn check_category<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    input: &CategoryInput,
    id: Option<i32>,
) -> AppResult<String> {
    let name = v.required_text("name", &input.name, NAME_MAX);
    if let Some(parent) = input.parent_id {
        if cats::Entity::find_by_id(parent).one(db).await?.is_none() {
            v.push("parentId", ValidationCode::UnknownReference);
        } else if let Some(id) = id {
            if subtree(db, id).await?.contains(&parent) {
                v.push("parentId", ValidationCode::Invalid);
            }
        }
    }
    Ok(name)
}

pub async fn create_category<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: CategoryInput,
) -> AppResult<Category> {
    require_manager(actor)?;
    let mut v = Validator::new();
    let name = check_category(db, &mut v, &input, None).await?;
    v.finish()?;
    let txn = crate::service::begin(db).await?;
    let last = cats::Entity::find()
        .filter(match input.parent_id {
            Some(p) => cats::Column::ParentId.eq(p),
            None => cats::Column::ParentId.is_null(),
        })
        .order_by_desc(cats::Column::SortOrder)
        .one(&txn)
        .await?
        .map(|c| c.sort_order)
        .unwrap_or(0);
    let m = cats::ActiveModel {
        parent_id: Set(input.parent_id),
        name: Set(name.clone()),
        sort_order: Set(last + 1),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::new();
    changes.set("name", &name);
    changes.set("parentId", &input.parent_id);
    changes
        .write(&txn, actor, "product_category", m.id, ChangeAction::Create)
        .await?;
    txn.commit().await?;
    Ok(Category {
        id: m.id,
        parent_id: m.parent_id,
        name: m.name,
        sort_order: m.sort_order,
        version: m.version,
        product_count: 0,
    })
}

/// Renames or moves a category (never under itself or its descendants).
pub async fn update_category<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: CategoryInput,
) -> AppResult<Category> {
    require_manager(actor)?;
    let old = cats::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("product_category", id))?;
    if old.version != version {
        return Err(AppError::conflict("product_category", id));
    }
    let mut v = Validator::new();
    let name = check_category(db, &mut v, &input, Some(id)).await?;
    v.finish()?;
    let txn = crate::service::begin(db).await?;
    let res = cats::Entity::update_many()
        .col_expr(cats::Column::Name, Expr::value(name.clone()))
        .col_expr(cats::Column::ParentId, Expr::value(input.parent_id))
        .col_expr(cats::Column::Version, Expr::value(version + 1))
        .filter(cats::Column::Id.eq(id))
        .filter(cats::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict("product_category", id));
    }
    let mut changes = Changes::new();
    changes.diff("name", &old.name, &name);
    changes.diff("parentId", &old.parent_id, &input.parent_id);
    changes
        .write(&txn, actor, "product_category", id, ChangeAction::Update)
        .await?;
    txn.commit().await?;
    categories(db)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| AppError::not_found("product_category", id))
}

/// Puts sibling categories in the given order.
pub async fn reorder_categories<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    ids: Vec<i32>,
) -> AppResult<Vec<Category>> {
    require_manager(actor)?;
    let rows = cats::Entity::find()
        .filter(cats::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    let parents: HashSet<Option<i32>> = rows.iter().map(|c| c.parent_id).collect();
    if rows.len() != ids.len() || parents.len() > 1 {
        return Err(AppError::field("ids", ValidationCode::Invalid));
    }
    let txn = crate::service::begin(db).await?;
    for (i, id) in ids.iter().enumerate() {
        cats::Entity::update_many()
            .col_expr(cats::Column::SortOrder, Expr::value(i as i32 + 1))
            .col_expr(cats::Column::Version, Expr::col(cats::Column::Version).add(1))
            .filter(cats::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    categories(db).await
}

pub async fn delete_category<C: ConnectionTrait + TransactionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<()> {
    require_manager(actor)?;
    let old = cats::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("product_category", id))?;
    let children = cats::Entity::find()
        .filter(cats::Column::ParentId.eq(id))
        .count(db)
        .await?;
    let items = products::Entity::find()
        .filter(products::Column::CategoryId.eq(id))
        .count(db)
        .await?;
    if children + items > 0 {
        return Err(AppError::field("id", ValidationCode::NotAllowed));
    }
    let txn = crate::service::begin(db).await?;
    cats::Entity::delete_by_id(id).exec(&txn).await?;
    let mut changes = Changes::new();
    changes.diff("name", &Some(old.name), &None);
    changes
        .write(&txn, actor, "product_category", id, ChangeAction::Delete)
        .await?;
    txn.commit().await?;
    Ok(())
}

async fn units<C: ConnectionTrait>(db: &C) -> AppResult<HashMap<i32, (String, String)>> {
    Ok(system_items::Entity::find()
        .filter(system_items::Column::ListKey.eq(SystemListKey::ProductUnit.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.title_fa, u.title_en)))
        .collect())
}

fn to_dto(m: products::Model, units: &HashMap<i32, (String, String)>) -> Product {
    let unit = m.unit_id.and_then(|u| units.get(&u));
    Product {
        id: m.id,
        code: m.code,
        name: m.name,
        category_id: m.category_id,
        kind: ProductKind::parse(&m.kind).unwrap_or(ProductKind::Product),
        unit_id: m.unit_id,
        unit_fa: unit.map(|u| u.0.clone()),
        unit_en: unit.map(|u| u.1.clone()),
        sale_price: m.sale_price.0,
        taxable: m.taxable,
        saleable: m.saleable,
        active: m.active,
        version: m.version,
    }
}

pub async fn list<C: ConnectionTrait>(db: &C, query: ProductQuery) -> AppResult<Page<Product>> {
    let (page, page_size) = paging(query.page, query.page_size);
    let mut q = products::Entity::find();
    if let Some(term) = query.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = like_pattern(&search_fold(term).chars().take(100).collect::<String>());
        q = q.filter(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(products::Column::Name)))
                        .like(LikeExpr::new(pattern.clone()).escape('\\')),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(products::Column::Code)))
                        .like(LikeExpr::new(pattern).escape('\\')),
                ),
        );
    }
    if let Some(cat) = query.category_id {
        q = q.filter(products::Column::CategoryId.is_in(subtree(db, cat).await?));
    }
    if query.for_sale {
        q = q
            .filter(products::Column::Active.eq(true))
            .filter(products::Column::Saleable.eq(true));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(products::Column::Code)
        .offset(super::page_offset(page, page_size))
        .limit(page_size as u64)
        .all(db)
        .await?;
    let units = units(db).await?;
    Ok(Page {
        items: rows.into_iter().map(|m| to_dto(m, &units)).collect(),
        total: total as u32,
        page,
        page_size,
    })
}

pub async fn get<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<Product> {
    let m = products::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("product", id))?;
    Ok(to_dto(m, &units(db).await?))
}

async fn check_product<C: ConnectionTrait>(
    db: &C,
    input: &ProductInput,
    old: Option<&products::Model>,
) -> AppResult<(String, String, Decimal)> {
    let decimals = settings::get(db).await?.currency_decimals;
    let mut v = Validator::new();
    let code = v.required_text("code", &input.code, 64);
    let name = v.required_text("name", &input.name, TITLE_MAX);
    if !code.is_empty() {
        let clash = products::Entity::find()
            .filter(products::Column::Code.eq(&code))
            .one(db)
            .await?;
        if clash.is_some_and(|c| Some(c.id) != old.map(|o| o.id)) {
            v.push("code", ValidationCode::Duplicate);
        }
    }
    if cats::Entity::find_by_id(input.category_id).one(db).await?.is_none() {
        v.push("categoryId", ValidationCode::UnknownReference);
    }
    system_lists::check_ref(
        db,
        &mut v,
        "unitId",
        SystemListKey::ProductUnit,
        input.unit_id,
        old.and_then(|o| o.unit_id),
    )
    .await?;
    let price = parse_money(&mut v, "salePrice", &input.sale_price, decimals);
    v.finish()?;
    Ok((code, name, price))
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: ProductInput,
) -> AppResult<Product> {
    require_manager(actor)?;
    let (code, name, price) = check_product(db, &input, None).await?;
    let txn = crate::service::begin(db).await?;
    let at = now();
    let m = products::ActiveModel {
        code: Set(code.clone()),
        name: Set(name.clone()),
        category_id: Set(input.category_id),
        kind: Set(input.kind.as_str().into()),
        unit_id: Set(input.unit_id),
        sale_price: Set(Fixed4(price)),
        taxable: Set(input.taxable),
        saleable: Set(input.saleable),
        active: Set(input.active),
        version: Set(1),
        created_at: Set(at),
        created_by: Set(Some(actor.user_id)),
        updated_at: Set(at),
        updated_by: Set(Some(actor.user_id)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::new();
    changes.set("code", &code);
    changes.set("name", &name);
    changes.set("salePrice", &price);
    changes
        .write(&txn, actor, "product", m.id, ChangeAction::Create)
        .await?;
    txn.commit().await?;
    get(db, m.id).await
}

pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: ProductInput,
) -> AppResult<Product> {
    require_manager(actor)?;
    let old = products::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("product", id))?;
    if old.version != version {
        return Err(AppError::conflict("product", id));
    }
    let (code, name, price) = check_product(db, &input, Some(&old)).await?;
    let txn = crate::service::begin(db).await?;
    let res = products::Entity::update_many()
        .set(products::ActiveModel {
            code: Set(code.clone()),
            name: Set(name.clone()),
            category_id: Set(input.category_id),
            kind: Set(input.kind.as_str().into()),
            unit_id: Set(input.unit_id),
            sale_price: Set(Fixed4(price)),
            taxable: Set(input.taxable),
            saleable: Set(input.saleable),
            active: Set(input.active),
            version: Set(version + 1),
            updated_at: Set(now()),
            updated_by: Set(Some(actor.user_id)),
            ..Default::default()
        })
        .filter(products::Column::Id.eq(id))
        .filter(products::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict("product", id));
    }
    let mut changes = Changes::new();
    changes.diff("code", &old.code, &code);
    changes.diff("name", &old.name, &name);
    changes.diff("categoryId", &old.category_id, &input.category_id);
    changes.diff("salePrice", &old.sale_price.0, &price);
    changes.diff("taxable", &old.taxable, &input.taxable);
    changes.diff("saleable", &old.saleable, &input.saleable);
    changes.diff("active", &old.active, &input.active);
    changes.write(&txn, actor, "product", id, ChangeAction::Update).await?;
    txn.commit().await?;
    get(db, id).await
}

/// Deletes a product no record uses; a used product can only be deactivated.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<()> {
    require_manager(actor)?;
    let old = products::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("product", id))?;
    let used = opportunity_lines::Entity::find()
        .filter(opportunity_lines::Column::ProductId.eq(id))
        .count(db)
        .await?
        + financial_lines::Entity::find()
            .filter(financial_lines::Column::ProductId.eq(id))
            .count(db)
            .await?;
    if used > 0 {
        return Err(AppError::field("id", ValidationCode::NotAllowed));
    }
    let txn = crate::service::begin(db).await?;
    products::Entity::delete_by_id(id).exec(&txn).await?;
    let mut changes = Changes::new();
    changes.diff("code", &Some(old.code), &None);
    changes.write(&txn, actor, "product", id, ChangeAction::Delete).await?;
    txn.commit().await?;
    Ok(())
}
