//! The reference rows a save is checked against — users, list items, campaigns,
//! stages, products, custom field definitions, the settings and the actor's scope —
//! read through one cache. A form's save starts with an empty cache and reads what
//! its input names (the same queries as before); an import loads them all once
//! ([`Refs::preload`]), so every row of a file is checked by the very rules of the
//! form without asking the database the same questions a hundred thousand times.
//! Identities are never preloaded (there may be millions): each one named is looked
//! up once and remembered.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::custom_fields::{self, CustomFieldDef};
use super::settings::{self, AppSettings};
use super::{campaigns as campaign_rules, system_lists, teams, users as user_rules, Actor};
use crate::domain::{CustomFieldEntity, Scope, SystemListKey, Validator};
use crate::entity::{campaigns, identities, products, stages, system_items, users};
use crate::error::AppResult;

#[derive(Default)]
pub struct Refs {
    /// Every user, list item, campaign, stage and product is loaded: a miss means the
    /// row does not exist.
    complete: bool,
    settings: Option<AppSettings>,
    scope: Option<Scope>,
    users: HashMap<i32, Option<users::Model>>,
    items: HashMap<i32, Option<system_items::Model>>,
    campaigns: HashMap<i32, Option<campaigns::Model>>,
    stages: HashMap<i32, Option<stages::Model>>,
    products: HashMap<i32, Option<products::Model>>,
    identities: HashMap<i32, bool>,
    custom_defs: HashMap<&'static str, Vec<CustomFieldDef>>,
}

/// One cached lookup by id: the map's answer, else (unless the map is complete) the
/// database's, remembered either way.
macro_rules! cached {
    ($self:ident, $db:ident, $map:ident, $entity:path, $id:ident) => {{
        if !$self.$map.contains_key(&$id) {
            let found = if $self.complete {
                None
            } else {
                <$entity>::find_by_id($id).one($db).await?
            };
            $self.$map.insert($id, found);
        }
        Ok($self.$map.get(&$id).and_then(Option::as_ref))
    }};
}

impl Refs {
    /// An empty cache: each row is read when first asked for.
    pub fn new() -> Self {
        Self::default()
    }

    /// Everything but identities, read once (an import).
    pub async fn preload<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Self> {
        fn by_id<M>(rows: Vec<M>, id: impl Fn(&M) -> i32) -> HashMap<i32, Option<M>> {
            rows.into_iter().map(|m| (id(&m), Some(m))).collect()
        }
        let mut refs = Self {
            complete: true,
            users: by_id(users::Entity::find().all(db).await?, |m| m.id),
            items: by_id(system_items::Entity::find().all(db).await?, |m| m.id),
            campaigns: by_id(campaigns::Entity::find().all(db).await?, |m| m.id),
            stages: by_id(stages::Entity::find().all(db).await?, |m| m.id),
            products: by_id(products::Entity::find().all(db).await?, |m| m.id),
            ..Self::default()
        };
        refs.settings(db).await?;
        refs.scope(db, actor).await?;
        Ok(refs)
    }

    pub async fn settings<C: ConnectionTrait>(&mut self, db: &C) -> AppResult<&AppSettings> {
        let loaded = match self.settings.take() {
            Some(s) => s,
            None => settings::get(db).await?,
        };
        Ok(self.settings.insert(loaded))
    }

    pub async fn scope<C: ConnectionTrait>(&mut self, db: &C, actor: &Actor) -> AppResult<&Scope> {
        let loaded = match self.scope.take() {
            Some(s) => s,
            None => teams::scope(db, actor).await?,
        };
        Ok(self.scope.insert(loaded))
    }

    pub async fn user<C: ConnectionTrait>(&mut self, db: &C, id: i32) -> AppResult<Option<&users::Model>> {
        cached!(self, db, users, users::Entity, id)
    }

    pub async fn item<C: ConnectionTrait>(&mut self, db: &C, id: i32) -> AppResult<Option<&system_items::Model>> {
        cached!(self, db, items, system_items::Entity, id)
    }

    pub async fn campaign<C: ConnectionTrait>(&mut self, db: &C, id: i32) -> AppResult<Option<&campaigns::Model>> {
        cached!(self, db, campaigns, campaigns::Entity, id)
    }

    pub async fn stage<C: ConnectionTrait>(&mut self, db: &C, id: i32) -> AppResult<Option<&stages::Model>> {
        cached!(self, db, stages, stages::Entity, id)
    }

    /// The products of `ids` that exist.
    pub async fn products<C: ConnectionTrait>(
        &mut self,
        db: &C,
        ids: &[i32],
    ) -> AppResult<HashMap<i32, products::Model>> {
        let missing: Vec<i32> = ids
            .iter()
            .copied()
            .filter(|id| !self.products.contains_key(id))
            .collect();
        if !missing.is_empty() {
            let found: HashMap<i32, products::Model> = if self.complete {
                HashMap::new()
            } else {
                products::Entity::find()
                    .filter(products::Column::Id.is_in(missing.clone()))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|p| (p.id, p))
                    .collect()
            };
            for id in missing {
                self.products.insert(id, found.get(&id).cloned());
            }
        }
        Ok(ids
            .iter()
            .filter_map(|id| self.products.get(id).cloned().flatten().map(|p| (*id, p)))
            .collect())
    }

    pub async fn identity_exists<C: ConnectionTrait>(&mut self, db: &C, id: i32) -> AppResult<bool> {
        if let Some(known) = self.identities.get(&id) {
            return Ok(*known);
        }
        let exists = identities::Entity::find_by_id(id).one(db).await?.is_some();
        self.identities.insert(id, exists);
        Ok(exists)
    }

    pub async fn custom_defs<C: ConnectionTrait>(
        &mut self,
        db: &C,
        entity: CustomFieldEntity,
    ) -> AppResult<&[CustomFieldDef]> {
        let key = entity.as_str();
        if !self.custom_defs.contains_key(key) {
            let defs = custom_fields::list(db, entity, false).await?;
            self.custom_defs.insert(key, defs);
        }
        Ok(self.custom_defs.get(key).map(Vec::as_slice).unwrap_or_default())
    }

    /// Tells the cache of a row written after it was loaded (an import creating what
    /// its file names).
    pub fn learn_identity(&mut self, id: i32) {
        self.identities.insert(id, true);
    }

    pub fn learn_product(&mut self, p: products::Model) {
        self.products.insert(p.id, Some(p));
    }

    pub fn learn_user(&mut self, u: users::Model) {
        self.users.insert(u.id, Some(u));
    }
}

/// The reference checks of a save, on the cached rows.
impl Refs {
    /// [`system_lists::check_ref`](super::system_lists::check_ref).
    pub async fn check_item<C: ConnectionTrait>(
        &mut self,
        db: &C,
        v: &mut Validator,
        field: &str,
        list: SystemListKey,
        id: Option<i32>,
        previous: Option<i32>,
    ) -> AppResult<()> {
        if let Some(id) = id {
            let item = self.item(db, id).await?;
            system_lists::check_item(v, field, list, id, item, previous);
        }
        Ok(())
    }

    /// [`campaigns::check_ref`](super::campaigns::check_ref).
    pub async fn check_campaign<C: ConnectionTrait>(
        &mut self,
        db: &C,
        v: &mut Validator,
        field: &str,
        id: Option<i32>,
        previous: Option<i32>,
    ) -> AppResult<()> {
        if let Some(id) = id {
            let found = self.campaign(db, id).await?;
            campaign_rules::check_found(v, field, id, found, previous);
        }
        Ok(())
    }

    /// [`users::check_assignable`](super::users::check_assignable).
    pub async fn check_assignable<C: ConnectionTrait>(
        &mut self,
        db: &C,
        v: &mut Validator,
        field: &str,
        id: Option<i32>,
    ) -> AppResult<()> {
        if let Some(id) = id {
            let found = self.user(db, id).await?;
            user_rules::check_assignable_found(v, field, found);
        }
        Ok(())
    }
}

impl Refs {
    pub fn learn_item(&mut self, i: system_items::Model) {
        self.items.insert(i.id, Some(i));
    }
}
