//! Importing customers (identities with their phones, e-mails and address),
//! products and users from CSV / XLSX: the same reading, mapping and report as the
//! opportunity import, each row created by its own service (`identities::create`,
//! `products::create`, `users::create`) in a savepoint of one transaction, every
//! problem of a row reported with its column and value, all or nothing.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use sea_orm::{ConnectionTrait, EntityTrait, TransactionSession, TransactionTrait};

use super::import::{
    check_columns, problem_of, ColumnMapping, ImportField, ImportIssue, ImportKind, ImportOptions, ImportProblem,
    ImportReport, RowCtx, Table,
};
use super::{TransferProgress, PROGRESS_EVERY};
use crate::domain::validate::{normalize_digits, parse_decimal, search_fold};
use crate::domain::{IdentityKind, PhoneKind, ProductKind, SystemListKey, UserRole};
use crate::entity::{product_categories, system_items, teams as team_rows, users as user_rows};
use crate::error::{AppError, AppResult};
use crate::service::identities::{self, AddressInput, EmailInput, IdentityInput, PhoneInput};
use crate::service::products::{self, CategoryInput, ProductInput};
use crate::service::teams::{self, TeamInput};
use crate::service::users::{self, UserInput};
use crate::service::Actor;

/// A yes/no cell: yes, no, true, false, 1, 0, بله, خیر, فعال, غیرفعال.
fn yes_no(text: &str) -> Option<bool> {
    match search_fold(text.trim()).as_str() {
        "yes" | "y" | "true" | "1" | "بله" | "بلی" | "آری" | "فعال" | "active" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "خیر" | "نه" | "غیرفعال" | "غیر فعال" | "inactive" => {
            Some(false)
        }
        _ => None,
    }
}

fn role_of(text: &str) -> Option<UserRole> {
    match search_fold(text.trim()).as_str() {
        "admin" | "administrator" | "مدیر سیستم" => Some(UserRole::Admin),
        "manager" | "sales manager" | "مدیر" | "مدیر فروش" => Some(UserRole::Manager),
        "salesperson" | "sales" | "seller" | "agent" | "sales agent" | "فروشنده" | "کارشناس فروش" => {
            Some(UserRole::Salesperson)
        }
        _ => None,
    }
}

fn kind_of(text: &str) -> Option<IdentityKind> {
    match search_fold(text.trim()).as_str() {
        "person" | "individual" | "contact" | "حقیقی" | "شخص" => Some(IdentityKind::Person),
        "organization" | "organisation" | "company" | "account" | "حقوقی" | "سازمان" | "شرکت" => {
            Some(IdentityKind::Organization)
        }
        _ => None,
    }
}

/// The import field a validation path of the identity, product or user service is
/// about.
fn field_of(kind: ImportKind, path: &str) -> Option<ImportField> {
    use ImportField as F;
    Some(match (kind, path) {
        (ImportKind::Identities, "organizationName") => F::IdentityName,
        (ImportKind::Identities, "firstName") => F::FirstName,
        (ImportKind::Identities, "lastName") => F::LastName,
        (ImportKind::Identities, "nationalCode") => F::NationalCode,
        (ImportKind::Identities, "economicCode") => F::EconomicCode,
        (ImportKind::Identities, "sourceId") => F::Source,
        (ImportKind::Identities, "responsibleUserId") => F::AssignedUser,
        (ImportKind::Identities, "notes") => F::Notes,
        (ImportKind::Identities, p) if p.starts_with("phones.0") => F::Phone,
        (ImportKind::Identities, p) if p.starts_with("phones") => F::Mobile,
        (ImportKind::Identities, p) if p.starts_with("emails") => F::Email,
        (ImportKind::Identities, p) if p.ends_with("city") => F::City,
        (ImportKind::Identities, p) if p.ends_with("postalCode") => F::PostalCode,
        (ImportKind::Identities, p) if p.starts_with("addresses") => F::Address,
        (ImportKind::Products, "code") => F::ProductCode,
        (ImportKind::Products, "name") => F::ProductName,
        (ImportKind::Products, "categoryId") => F::Category,
        (ImportKind::Products, "salePrice") => F::UnitPrice,
        (ImportKind::Products, "unitId") => F::Unit,
        (ImportKind::Users, "username") => F::Username,
        (ImportKind::Users, "displayName") => F::DisplayName,
        (ImportKind::Users, "role") => F::Role,
        _ => return None,
    })
}

/// What a row refers to by name, loaded once.
struct Names {
    lists: HashMap<(String, String), i32>,
    users: HashMap<String, i32>,
    categories: HashMap<String, i32>,
    teams: HashMap<String, (i32, TeamInput, i32)>,
    /// Customers by folded name, and names taken by earlier rows of the file.
    identity_names: HashSet<String>,
}

impl Names {
    async fn load<C: ConnectionTrait>(db: &C, kind: ImportKind) -> AppResult<Self> {
        let mut lists = HashMap::new();
        for i in system_items::Entity::find().all(db).await? {
            for name in [&i.title_fa, &i.title_en] {
                lists
                    .entry((i.list_key.clone(), search_fold(name.trim())))
                    .or_insert(i.id);
            }
        }
        let mut users = HashMap::new();
        for u in user_rows::Entity::find().all(db).await? {
            users.insert(search_fold(&u.username), u.id);
            users.entry(search_fold(u.display_name.trim())).or_insert(u.id);
        }
        let categories = product_categories::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|c| (search_fold(c.name.trim()), c.id))
            .collect();
        let mut team_map = HashMap::new();
        if kind == ImportKind::Users {
            let rows = team_rows::Entity::find().all(db).await?;
            for t in teams::list(db).await? {
                let version = rows.iter().find(|r| r.id == t.id).map_or(1, |r| r.version);
                team_map.insert(
                    search_fold(t.name.trim()),
                    (
                        t.id,
                        TeamInput {
                            name: t.name.clone(),
                            manager_user_id: t.manager_user_id,
                            parent_id: t.parent_id,
                            member_ids: t.member_ids.clone(),
                        },
                        version,
                    ),
                );
            }
        }
        Ok(Self {
            lists,
            users,
            categories,
            teams: team_map,
            identity_names: HashSet::new(),
        })
    }

    fn list(&self, key: SystemListKey, text: &str) -> Option<i32> {
        self.lists
            .get(&(key.as_str().to_owned(), search_fold(text.trim())))
            .copied()
    }
}

struct Rows<'a> {
    kind: ImportKind,
    ctx: RowCtx<'a>,
    names: Names,
    category: Option<i32>,
}

impl Rows<'_> {
    fn problem(&self, line: u32, row: &[String], f: ImportField, issue: ImportIssue) -> ImportProblem {
        self.ctx.problem(line, row, f, issue)
    }

    /// The service's refusal as problems of the row, each on its column.
    fn refused(&self, line: u32, row: &[String], e: AppError) -> Vec<ImportProblem> {
        match e {
            AppError::Validation { fields } => fields
                .into_iter()
                .map(|f| match field_of(self.kind, &f.field) {
                    Some(field) => self.problem(line, row, field, f.code.into()),
                    None => ImportProblem {
                        line,
                        column: None,
                        field: None,
                        issue: f.code.into(),
                        value: None,
                    },
                })
                .collect(),
            e => vec![problem_of(line, None, e)],
        }
    }

    async fn identity<C: ConnectionTrait + TransactionTrait>(
        &mut self,
        db: &C,
        actor: &Actor,
        line: u32,
        row: &[String],
    ) -> Result<(), Vec<ImportProblem>> {
        use ImportField as F;
        let get = |f| self.ctx.get(row, f).map(str::to_owned);
        let mut problems = vec![];
        let (first, last, name) = (get(F::FirstName), get(F::LastName), get(F::IdentityName));
        let kind = match get(F::IdentityKind) {
            Some(text) => kind_of(&text).unwrap_or_else(|| {
                problems.push(self.problem(line, row, F::IdentityKind, ImportIssue::UnknownValue));
                IdentityKind::Organization
            }),
            // A row with a first or last name and no organisation name is a person.
            None if name.is_none() && (first.is_some() || last.is_some()) => IdentityKind::Person,
            None => IdentityKind::Organization,
        };
        let mut input = match kind {
            IdentityKind::Person => {
                // A person named in one column: the last word is the last name.
                let (f, l) = match (first, last, name.clone()) {
                    (f, Some(l), _) => (f, l),
                    (f, None, Some(full)) => match full.trim().rsplit_once(' ') {
                        Some((a, b)) => (Some(a.to_owned()), b.to_owned()),
                        None => (f, full),
                    },
                    (f, None, None) => (f, String::new()),
                };
                IdentityInput::person(f.as_deref().unwrap_or(""), &l)
            }
            IdentityKind::Organization => IdentityInput::organization(name.as_deref().unwrap_or("")),
        };
        if input.first_name.as_deref() == Some("") {
            input.first_name = None;
        }
        input.national_code = get(F::NationalCode).map(|c| normalize_digits(&c));
        input.economic_code = get(F::EconomicCode).map(|c| normalize_digits(&c));
        input.notes = get(F::Notes);
        for (f, kind) in [(F::Phone, PhoneKind::Phone), (F::Mobile, PhoneKind::Mobile)] {
            if let Some(number) = get(f) {
                input.phones.push(PhoneInput {
                    kind,
                    number,
                    is_default: input.phones.is_empty(),
                });
            }
        }
        if let Some(address) = get(F::Email) {
            input.emails.push(EmailInput {
                address,
                is_default: true,
            });
        }
        let (city, postal) = (get(F::City), get(F::PostalCode));
        if let Some(text) = get(F::Address).or_else(|| city.clone()) {
            input.addresses.push(AddressInput {
                city,
                text,
                postal_code: postal,
                is_default: true,
            });
        }
        if let Some(text) = get(F::Source) {
            input.source_id = self.names.list(SystemListKey::Source, &text);
            if input.source_id.is_none() {
                problems.push(self.problem(line, row, F::Source, ImportIssue::UnknownValue));
            }
        }
        if let Some(text) = get(F::AssignedUser) {
            input.responsible_user_id = self.names.users.get(&search_fold(text.trim())).copied();
            if input.responsible_user_id.is_none() {
                problems.push(self.problem(line, row, F::AssignedUser, ImportIssue::UnknownUser));
            }
        }
        // A customer the app (or an earlier row) already has is not made twice.
        let display = match kind {
            IdentityKind::Person => format!(
                "{} {}",
                input.first_name.as_deref().unwrap_or(""),
                input.last_name.as_deref().unwrap_or("")
            ),
            IdentityKind::Organization => input.organization_name.clone().unwrap_or_default(),
        };
        let key = identities::name_key(display.trim());
        if !key.is_empty() {
            let exists = !self.names.identity_names.insert(key)
                || !identities::same_name(db, display.trim(), None)
                    .await
                    .map_err(|e| vec![problem_of(line, None, e)])?
                    .is_empty();
            if exists {
                let field = if kind == IdentityKind::Person && name.is_none() {
                    F::LastName
                } else {
                    F::IdentityName
                };
                problems.push(self.problem(line, row, field, ImportIssue::Duplicate));
            }
        }
        let created = identities::create(db, actor, input).await;
        match created {
            Ok(_) if problems.is_empty() => Ok(()),
            Ok(_) => Err(problems),
            Err(e) => {
                problems.extend(self.refused(line, row, e));
                Err(problems)
            }
        }
    }

    async fn product<C: ConnectionTrait + TransactionTrait>(
        &mut self,
        db: &C,
        actor: &Actor,
        line: u32,
        row: &[String],
    ) -> Result<(), Vec<ImportProblem>> {
        use ImportField as F;
        let get = |f| self.ctx.get(row, f).map(str::to_owned);
        let mut problems = vec![];
        let category_id = match get(F::Category) {
            Some(name) => match self.names.categories.get(&search_fold(name.trim())) {
                Some(id) => *id,
                None => {
                    let c = products::create_category(
                        db,
                        actor,
                        CategoryInput {
                            name: name.trim().to_owned(),
                            parent_id: None,
                        },
                    )
                    .await
                    .map_err(|e| self.refused(line, row, e))?;
                    self.names.categories.insert(search_fold(name.trim()), c.id);
                    c.id
                }
            },
            None => match self.category {
                Some(id) => id,
                None => {
                    let id = super::import::imported_category(db, actor)
                        .await
                        .map_err(|e| vec![problem_of(line, None, e)])?;
                    self.category = Some(id);
                    id
                }
            },
        };
        let flag = |f: ImportField, default: bool, problems: &mut Vec<ImportProblem>| match get(f) {
            None => default,
            Some(text) => yes_no(&text).unwrap_or_else(|| {
                problems.push(self.problem(line, row, f, ImportIssue::Invalid));
                default
            }),
        };
        let taxable = flag(F::Taxable, true, &mut problems);
        let active = flag(F::Active, true, &mut problems);
        let unit_id = match get(F::Unit) {
            Some(text) => {
                let id = self.names.list(SystemListKey::ProductUnit, &text);
                if id.is_none() {
                    problems.push(self.problem(line, row, F::Unit, ImportIssue::UnknownValue));
                }
                id
            }
            None => None,
        };
        let price = match get(F::UnitPrice) {
            Some(text) => match parse_decimal(&text) {
                Ok(d) => d.map(|d| d.to_string()).unwrap_or_else(|| "0".into()),
                Err(_) => {
                    problems.push(self.problem(line, row, F::UnitPrice, ImportIssue::InvalidNumber));
                    "0".into()
                }
            },
            None => "0".into(),
        };
        let input = ProductInput {
            code: get(F::ProductCode).unwrap_or_default(),
            name: get(F::ProductName).unwrap_or_default(),
            category_id,
            kind: ProductKind::Product,
            unit_id,
            sale_price: price,
            taxable,
            saleable: true,
            active,
        };
        match products::create(db, actor, input).await {
            Ok(_) if problems.is_empty() => Ok(()),
            Ok(_) => Err(problems),
            Err(e) => {
                problems.extend(self.refused(line, row, e));
                Err(problems)
            }
        }
    }

    async fn user<C: ConnectionTrait + TransactionTrait>(
        &mut self,
        db: &C,
        actor: &Actor,
        line: u32,
        row: &[String],
    ) -> Result<(), Vec<ImportProblem>> {
        use ImportField as F;
        let get = |f| self.ctx.get(row, f).map(str::to_owned);
        let mut problems = vec![];
        let role = match get(F::Role) {
            Some(text) => role_of(&text).unwrap_or_else(|| {
                problems.push(self.problem(line, row, F::Role, ImportIssue::UnknownValue));
                UserRole::Salesperson
            }),
            None => UserRole::Salesperson,
        };
        let display_name = get(F::DisplayName).or_else(|| get(F::Username)).unwrap_or_default();
        let username = match get(F::Username) {
            Some(u) => u,
            None => {
                let taken: HashSet<String> = self.names.users.keys().cloned().collect();
                super::import::username_for(&display_name, &taken)
            }
        };
        let team = match get(F::Team) {
            Some(text) => {
                let found = self.names.teams.get(&search_fold(text.trim())).cloned();
                if found.is_none() {
                    problems.push(self.problem(line, row, F::Team, ImportIssue::UnknownValue));
                }
                found
            }
            None => None,
        };
        // Inactive until an administrator gives them a password.
        let input = UserInput {
            username: username.clone(),
            display_name,
            role,
            active: false,
            password: None,
        };
        let created = match users::create(db, actor, input).await {
            Ok(u) => u,
            Err(e) => {
                problems.extend(self.refused(line, row, e));
                return Err(problems);
            }
        };
        self.names.users.insert(search_fold(&username), created.id);
        if let Some((team_id, mut team, version)) = team {
            team.member_ids.push(created.id);
            match teams::update(db, actor, team_id, version, team.clone()).await {
                Ok(t) => {
                    self.names
                        .teams
                        .insert(search_fold(team.name.trim()), (team_id, team, t.version));
                }
                Err(e) => problems.extend(self.refused(line, row, e).into_iter().map(|mut p| {
                    p.field = Some(F::Team);
                    p.column = self.ctx.header(F::Team);
                    p
                })),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// The fields a file of `kind` must map.
fn required(kind: ImportKind, map: &HashMap<ImportField, usize>) -> Vec<ImportField> {
    use ImportField as F;
    let has = |f: &F| map.contains_key(f);
    match kind {
        ImportKind::Identities if !has(&F::IdentityName) && !has(&F::LastName) => vec![F::IdentityName],
        ImportKind::Products => [F::ProductCode, F::ProductName]
            .into_iter()
            .filter(|f| !has(f))
            .collect(),
        ImportKind::Users if !has(&F::Username) && !has(&F::DisplayName) => vec![F::DisplayName],
        _ => vec![],
    }
}

/// Runs an import of customers, products or users (`options.kind`): a dry run
/// reports every row's problems and writes nothing; a real run writes everything or,
/// when any row has a problem, nothing.
#[allow(clippy::too_many_arguments)]
pub async fn run<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    table: &Table,
    mapping: &[ColumnMapping],
    options: &ImportOptions,
    dry_run: bool,
    progress: &mut (dyn FnMut(TransferProgress) + Send),
    cancel: &AtomicBool,
) -> AppResult<ImportReport> {
    let kind = options.kind;
    let rows = table.rows.len() as u32;
    let mut report = ImportReport::empty(rows, dry_run);
    let (map, mut problems) = check_columns(table, mapping, kind);
    problems.extend(required(kind, &map).into_iter().map(|f| ImportProblem {
        line: 1,
        column: None,
        field: Some(f),
        issue: ImportIssue::MissingColumn,
        value: None,
    }));
    if !problems.is_empty() {
        report.problems = problems;
        return Ok(report);
    }
    let txn = crate::service::begin(db).await?;
    let mut r = Rows {
        kind,
        ctx: RowCtx::new(&map, &table.headers),
        names: Names::load(&txn, kind).await?,
        category: None,
    };
    for (i, (line, row)) in table.rows.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            txn.rollback().await?;
            report.cancelled = true;
            return Ok(report);
        }
        let sp = txn.begin().await?;
        let result = match kind {
            ImportKind::Identities => r.identity(&sp, actor, *line, row).await,
            ImportKind::Products => r.product(&sp, actor, *line, row).await,
            ImportKind::Users => r.user(&sp, actor, *line, row).await,
            ImportKind::Opportunities => Err(vec![]),
        };
        match result {
            Ok(()) => {
                sp.commit().await?;
                report.good_rows += 1;
                match kind {
                    ImportKind::Identities => report.created_identities += 1,
                    ImportKind::Products => report.created_products += 1,
                    _ => report.created_users += 1,
                }
            }
            Err(p) => {
                sp.rollback().await?;
                report.problems.extend(p);
            }
        }
        if (i as u32 + 1) % PROGRESS_EVERY == 0 {
            progress(TransferProgress {
                done: i as u32 + 1,
                total: rows,
            });
        }
    }
    progress(TransferProgress {
        done: rows,
        total: rows,
    });
    if dry_run || !report.problems.is_empty() || rows == 0 {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
        report.written = true;
    }
    Ok(report)
}
