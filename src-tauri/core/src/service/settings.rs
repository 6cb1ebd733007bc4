//! Application settings: language, calendar, currency, tax rate, numbering, time zone.

use rust_decimal::Decimal;
use sea_orm::{sea_query::OnConflict, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::HashMap;
use std::str::FromStr;

use super::Actor;
use crate::clock::{self, Clock};
use crate::domain::{Calendar, Language, Validator};
use crate::entity::{settings, user_settings};
use crate::error::{AppError, AppResult, ValidationCode};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppSettings {
    pub language: Language,
    pub calendar: Calendar,
    /// ISO 4217 code (IRR by default; IRT is used for Toman).
    pub currency_code: String,
    /// Decimal places money is kept at (Rial: 0).
    pub currency_decimals: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub tax_percent: Decimal,
    /// The company header printed on proformas and invoices.
    pub company_name: String,
    pub company_header: String,
    /// Numbering template per record kind: `{seq:N}`, `{jy}` (Jalali year), `{gy}`.
    pub numbering: Vec<NumberingTemplate>,
    /// The IANA time zone "today" is taken in (e.g. `Asia/Tehran`): the configured one,
    /// else the operating system's.
    pub time_zone: String,
    /// Whether `time_zone` was configured (`false`: it follows the operating system).
    pub time_zone_configured: bool,
    /// Whether Forsat may look for updates here at all: an administrator turns this off
    /// for an office without internet, or one that installs updates itself.
    pub updates_allowed: bool,
    /// This user's choice: look quietly for an update after signing in.
    pub check_updates_at_start: bool,
}

impl AppSettings {
    /// The clock of these settings' time zone.
    pub fn clock(&self) -> Clock {
        Clock::new(clock::parse_zone(&self.time_zone).unwrap_or_else(clock::os_zone))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct NumberingTemplate {
    pub kind: String,
    pub template: String,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            language: Language::Fa,
            calendar: Calendar::Jalali,
            currency_code: "IRR".into(),
            currency_decimals: 0,
            tax_percent: Decimal::from(10),
            company_name: String::new(),
            company_header: String::new(),
            numbering: vec![],
            time_zone: clock::os_zone().name().to_owned(),
            time_zone_configured: false,
            updates_allowed: true,
            check_updates_at_start: true,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsPatch {
    pub language: Option<Language>,
    pub calendar: Option<Calendar>,
    pub currency_code: Option<String>,
    pub currency_decimals: Option<u32>,
    pub tax_percent: Option<String>,
    pub company_name: Option<String>,
    pub company_header: Option<String>,
    pub numbering: Option<Vec<NumberingTemplate>>,
    /// An IANA zone name; an empty text goes back to the operating system's zone.
    pub time_zone: Option<String>,
    /// Administrators only: update checks allowed in this office.
    pub updates_allowed: Option<bool>,
    /// Anyone, for themselves: the quiet update check after signing in.
    pub check_updates_at_start: Option<bool>,
}

pub async fn get<C: ConnectionTrait>(db: &C) -> AppResult<AppSettings> {
    let rows: HashMap<String, String> = settings::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.key, r.value))
        .collect();
    let mut s = AppSettings::default();
    if let Some(v) = rows.get("language").and_then(|v| Language::parse(v)) {
        s.language = v;
    }
    if let Some(v) = rows.get("calendar").and_then(|v| Calendar::parse(v)) {
        s.calendar = v;
    }
    if let Some(v) = rows.get("currency_code") {
        s.currency_code = v.clone();
    }
    if let Some(v) = rows.get("currency_decimals").and_then(|v| v.parse().ok()) {
        s.currency_decimals = v;
    }
    if let Some(v) = rows.get("tax_percent").and_then(|v| Decimal::from_str(v).ok()) {
        s.tax_percent = v;
    }
    if let Some(zone) = rows.get("time_zone").and_then(|z| clock::parse_zone(z)) {
        s.time_zone = zone.name().to_owned();
        s.time_zone_configured = true;
    }
    s.updates_allowed = rows.get(UPDATES_ALLOWED).map(|v| v != "false").unwrap_or(true);
    s.company_name = rows.get("company_name").cloned().unwrap_or_default();
    s.company_header = rows.get("company_header").cloned().unwrap_or_default();
    s.numbering = super::numbering::TEMPLATES
        .iter()
        .map(|(kind, default)| NumberingTemplate {
            kind: (*kind).to_owned(),
            template: rows
                .get(&format!("numbering.{kind}"))
                .cloned()
                .unwrap_or_else(|| (*default).to_owned()),
        })
        .collect();
    Ok(s)
}

/// The settings as `actor` sees them: the office's, with their own language and
/// calendar where they chose one.
pub async fn for_user<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<AppSettings> {
    let mut s = get(db).await?;
    for r in user_settings::Entity::find()
        .filter(user_settings::Column::UserId.eq(actor.user_id))
        .filter(user_settings::Column::Key.is_in([PERSONAL_LANGUAGE, PERSONAL_CALENDAR, PERSONAL_UPDATE_CHECK]))
        .all(db)
        .await?
    {
        match r.key.as_str() {
            PERSONAL_LANGUAGE => s.language = Language::parse(&r.value).unwrap_or(s.language),
            PERSONAL_UPDATE_CHECK => s.check_updates_at_start = r.value != "false",
            _ => s.calendar = Calendar::parse(&r.value).unwrap_or(s.calendar),
        }
    }
    Ok(s)
}

const PERSONAL_LANGUAGE: &str = "language";
const PERSONAL_CALENDAR: &str = "calendar";
const PERSONAL_UPDATE_CHECK: &str = "check_updates_at_start";
const UPDATES_ALLOWED: &str = "updates_allowed";

/// Everything here is the office's and the administrator's to change, except that
/// anyone may choose their own language and calendar: an administrator's choice is the
/// office default, anyone else's is kept as their own preference.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    patch: SettingsPatch,
) -> AppResult<AppSettings> {
    let zone_changes = patch.time_zone.is_some();
    let mut v = Validator::new();
    let mut writes: Vec<(&str, String)> = vec![];
    let mut personal: Vec<(&str, &str)> = vec![];
    if !actor.is_admin() {
        if let Some(l) = patch.language {
            personal.push((PERSONAL_LANGUAGE, l.as_str()));
        }
        if let Some(c) = patch.calendar {
            personal.push((PERSONAL_CALENDAR, c.as_str()));
        }
    } else {
        if let Some(l) = patch.language {
            writes.push(("language", l.as_str().into()));
        }
        if let Some(c) = patch.calendar {
            writes.push(("calendar", c.as_str().into()));
        }
    }
    if let Some(on) = patch.check_updates_at_start {
        personal.push((PERSONAL_UPDATE_CHECK, if on { "true" } else { "false" }));
    }
    if let Some(on) = patch.updates_allowed {
        writes.push((UPDATES_ALLOWED, on.to_string()));
    }
    let admin_only = patch.updates_allowed.is_some()
        || patch.currency_code.is_some()
        || patch.currency_decimals.is_some()
        || patch.tax_percent.is_some()
        || patch.company_name.is_some()
        || patch.company_header.is_some()
        || patch.numbering.is_some()
        || patch.time_zone.is_some();
    if admin_only && !actor.is_admin() {
        return Err(AppError::forbidden("settings_admin_only"));
    }
    if let Some(code) = patch.currency_code {
        let code = code.trim().to_uppercase();
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
            v.push("currencyCode", ValidationCode::Invalid);
        }
        writes.push(("currency_code", code));
    }
    if let Some(d) = patch.currency_decimals {
        if d > 4 {
            v.push_limit(
                "currencyDecimals",
                ValidationCode::OutOfRange,
                Some("0".into()),
                Some("4".into()),
            );
        }
        writes.push(("currency_decimals", d.to_string()));
    }
    if let Some(t) = patch.tax_percent {
        match v.number("taxPercent", &t) {
            Some(p) if p >= Decimal::ZERO && p <= Decimal::from(100) => {
                writes.push(("tax_percent", p.normalize().to_string()))
            }
            Some(_) => v.push_limit(
                "taxPercent",
                ValidationCode::OutOfRange,
                Some("0".into()),
                Some("100".into()),
            ),
            None if t.trim().is_empty() => v.push("taxPercent", ValidationCode::Invalid),
            None => {}
        }
    }
    if let Some(zone) = patch.time_zone.as_deref() {
        if zone.trim().is_empty() {
            writes.push(("time_zone", String::new()));
        } else if zone.len() > 64 {
            v.push_limit("timeZone", ValidationCode::TooLong, None, Some("64".into()));
        } else {
            match clock::parse_zone(zone) {
                Some(tz) => writes.push(("time_zone", tz.name().to_owned())),
                None => v.push("timeZone", ValidationCode::Invalid),
            }
        }
    }
    let mut owned: Vec<(String, String)> = vec![];
    if let Some(name) = patch.company_name.as_deref() {
        owned.push((
            "company_name".into(),
            v.optional_text("companyName", Some(name), 200).unwrap_or_default(),
        ));
    }
    if let Some(header) = patch.company_header.as_deref() {
        owned.push((
            "company_header".into(),
            v.optional_text("companyHeader", Some(header), 1000).unwrap_or_default(),
        ));
    }
    if let Some(templates) = &patch.numbering {
        for (i, t) in templates.iter().enumerate() {
            if !super::numbering::TEMPLATES.iter().any(|(k, _)| *k == t.kind) {
                v.push(format!("numbering.{i}.kind"), ValidationCode::UnknownReference);
                continue;
            }
            let template = v.required_text(&format!("numbering.{i}.template"), &t.template, 60);
            if !template.is_empty() && !template.contains("{seq") {
                v.push(format!("numbering.{i}.template"), ValidationCode::Invalid);
            } else if !template.is_empty() && !super::numbering::seq_widths_ok(&template) {
                v.push_limit(
                    format!("numbering.{i}.template"),
                    ValidationCode::OutOfRange,
                    Some("1".into()),
                    Some(super::numbering::SEQ_WIDTH_MAX.to_string()),
                );
            }
            owned.push((format!("numbering.{}", t.kind), template));
        }
    }
    v.finish()?;
    for (k, val) in &owned {
        put(db, k, val).await?;
    }
    for (k, val) in writes {
        put(db, k, &val).await?;
    }
    for (k, val) in personal {
        put_user(db, actor, k, Some(val)).await?;
    }
    if zone_changes {
        // The report periods start at midnight in the configured zone.
        super::totals::ensure(db, &clock(db).await?).await?;
    }
    for_user(db, actor).await
}

pub async fn put<C: ConnectionTrait>(db: &C, key: &str, value: &str) -> AppResult<()> {
    settings::Entity::insert(settings::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
    })
    .on_conflict(
        OnConflict::column(settings::Column::Key)
            .update_column(settings::Column::Value)
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

pub async fn get_raw<C: ConnectionTrait>(db: &C, key: &str) -> AppResult<Option<String>> {
    Ok(settings::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|r| r.value))
}

/// Per-user preferences the app remembers. Field 16 of the product selector is shown
/// as the source words it, "clear the product group after choosing a product",
/// checked by default: kept here as its inverse, `keep_category_open`, off by default.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UserPrefs {
    pub keep_category_open: bool,
}

pub async fn user_prefs<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<UserPrefs> {
    let value = user_settings::Entity::find()
        .filter(user_settings::Column::UserId.eq(actor.user_id))
        .filter(user_settings::Column::Key.eq("keep_category_open"))
        .one(db)
        .await?
        .map(|r| r.value == "true")
        .unwrap_or(false);
    Ok(UserPrefs {
        keep_category_open: value,
    })
}

pub async fn set_keep_category_open<C: ConnectionTrait>(db: &C, actor: &Actor, on: bool) -> AppResult<UserPrefs> {
    put_user(db, actor, "keep_category_open", Some(&on.to_string())).await?;
    user_prefs(db, actor).await
}

async fn put_user<C: ConnectionTrait>(db: &C, actor: &Actor, key: &str, value: Option<&str>) -> AppResult<()> {
    user_settings::Entity::delete_many()
        .filter(user_settings::Column::UserId.eq(actor.user_id))
        .filter(user_settings::Column::Key.eq(key))
        .exec(db)
        .await?;
    if let Some(value) = value {
        user_settings::Entity::insert(user_settings::ActiveModel {
            user_id: Set(actor.user_id),
            key: Set(key.into()),
            value: Set(value.into()),
            ..Default::default()
        })
        .exec(db)
        .await?;
    }
    Ok(())
}

/// What the screens remember per user under their own keys (the list's columns, its
/// last filter, import mappings). Keys are `ui.` + letters, digits, `.`, `_`, `-`.
pub const USER_VALUE_MAX: usize = 20_000;

fn check_user_key(key: &str) -> AppResult<()> {
    let ok = key.starts_with("ui.")
        && key.len() <= 100
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(AppError::field("key", ValidationCode::Invalid))
    }
}

pub async fn user_value<C: ConnectionTrait>(db: &C, actor: &Actor, key: &str) -> AppResult<Option<String>> {
    check_user_key(key)?;
    Ok(user_settings::Entity::find()
        .filter(user_settings::Column::UserId.eq(actor.user_id))
        .filter(user_settings::Column::Key.eq(key))
        .one(db)
        .await?
        .map(|r| r.value))
}

pub async fn set_user_value<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    key: &str,
    value: Option<&str>,
) -> AppResult<()> {
    check_user_key(key)?;
    if value.is_some_and(|v| v.chars().count() > USER_VALUE_MAX) {
        let mut v = Validator::new();
        v.push_limit("value", ValidationCode::TooLong, None, Some(USER_VALUE_MAX.to_string()));
        v.finish()?;
    }
    put_user(db, actor, key, value).await
}

/// Set to `off` on a computer (or by the office's deployment) to turn update checks
/// off whatever the settings say.
pub const UPDATES_ENV: &str = "FORSAT_UPDATES";

/// Update checks are turned off on this computer (`FORSAT_UPDATES=off`).
pub fn updates_off_here() -> bool {
    std::env::var(UPDATES_ENV)
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "off" | "0" | "false" | "no"))
}

/// Whether updates may be looked for: not when this computer or the office turned them
/// off (`forbidden("updates_off")`). Before anyone signs in (`db` is `None`) the
/// office's setting is not known yet, and only the computer's counts.
pub async fn ensure_updates_allowed<C: ConnectionTrait>(db: Option<&C>) -> AppResult<()> {
    if updates_off_here() {
        return Err(AppError::forbidden("updates_off"));
    }
    if let Some(db) = db {
        if !get(db).await?.updates_allowed {
            return Err(AppError::forbidden("updates_off"));
        }
    }
    Ok(())
}

/// The clock of the configured time zone: every "today" the app stamps or compares.
pub async fn clock<C: ConnectionTrait>(db: &C) -> AppResult<Clock> {
    Ok(get(db).await?.clock())
}

/// The numbering template of a record kind.
pub async fn numbering_template<C: ConnectionTrait>(db: &C, kind: &str) -> AppResult<String> {
    let fallback = super::numbering::TEMPLATES
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, t)| *t)
        .unwrap_or("{seq:5}");
    Ok(get_raw(db, &format!("numbering.{kind}"))
        .await?
        .unwrap_or_else(|| fallback.to_owned()))
}
