//! Importing opportunities (with their identities and products) from CSV / XLSX: read
//! the table, suggest a mapping, and run every row through the same services as the
//! form, each in its own savepoint of one transaction — all or nothing.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::enums::string_enum;
use crate::domain::validate::{normalize_digits, parse_decimal, search_fold, NumberError};
use crate::domain::{jalali, DiscountKind, ProductKind, StageKind, SystemListKey, ValidationCode};
use crate::entity::{campaigns, identities as identity_rows, product_categories, products as product_rows};
use crate::entity::{stages as stage_rows, system_items, users as user_rows};
use crate::error::{AppError, AppResult};
use crate::service::identities::{self, IdentityInput};
use crate::service::lines::LineInput;
use crate::service::opportunities::{self, History, OpportunityInput};
use crate::service::products::{self, CategoryInput, ProductInput};
use crate::service::{settings, Actor};

use super::*;

/// The most rows one import file may hold.
pub const IMPORT_MAX_ROWS: usize = 1_000_000;
/// The most columns a file may have (CRM exports have a few dozen; a file wider than
/// this is not a list of opportunities, and reading it would take memory for nothing).
pub const IMPORT_MAX_COLUMNS: usize = 500;
/// The longest file name taken (what file systems allow).
pub const FILE_NAME_MAX: usize = 255;

string_enum!(
    /// What an imported column holds.
    ImportField {
        Title = "title",
        IdentityName = "identity_name",
        IdentityCode = "identity_code",
        Stage = "stage",
        AssignedUser = "assigned_user",
        Type = "type",
        Source = "source",
        Campaign = "campaign",
        CloseDate = "close_date",
        CreatedOn = "created_on",
        ClosedOn = "closed_on",
        EstimatedAmount = "estimated_amount",
        Probability = "probability",
        Reason = "reason",
        ReasonNote = "reason_note",
        ProductCode = "product_code",
        ProductName = "product_name",
        Quantity = "quantity",
        UnitPrice = "unit_price",
    }
);

string_enum!(
    /// Why a row (or the file) was refused.
    ImportIssue {
        Required = "required",
        TooLong = "too_long",
        OutOfRange = "out_of_range",
        Invalid = "invalid",
        InvalidDate = "invalid_date",
        InvalidNumber = "invalid_number",
        AmbiguousNumber = "ambiguous_number",
        UnknownReference = "unknown_reference",
        InactiveReference = "inactive_reference",
        NotAllowed = "not_allowed",
        Duplicate = "duplicate",
        UnknownIdentity = "unknown_identity",
        UnknownProduct = "unknown_product",
        UnknownStage = "unknown_stage",
        UnknownUser = "unknown_user",
        UnknownValue = "unknown_value",
        MissingColumn = "missing_column",
        Encoding = "encoding",
        Unreadable = "unreadable",
        EmptyFile = "empty_file",
        TooManyRows = "too_many_rows",
        TooManyColumns = "too_many_columns",
    }
);

impl From<ValidationCode> for ImportIssue {
    fn from(c: ValidationCode) -> Self {
        match c {
            ValidationCode::Required => ImportIssue::Required,
            ValidationCode::TooLong => ImportIssue::TooLong,
            ValidationCode::OutOfRange => ImportIssue::OutOfRange,
            ValidationCode::Invalid | ValidationCode::TooShort => ImportIssue::Invalid,
            ValidationCode::UnknownReference => ImportIssue::UnknownReference,
            ValidationCode::InactiveReference => ImportIssue::InactiveReference,
            ValidationCode::NotAllowed | ValidationCode::ReadOnly => ImportIssue::NotAllowed,
            ValidationCode::Duplicate => ImportIssue::Duplicate,
            ValidationCode::AmbiguousNumber => ImportIssue::AmbiguousNumber,
        }
    }
}

/// One problem: the file's line (1 = the header row), the column's header when it is
/// about one cell, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportProblem {
    pub line: u32,
    pub column: Option<String>,
    pub field: Option<ImportField>,
    pub issue: ImportIssue,
    /// The cell that was refused, as the file has it (cut to 200 characters).
    #[serde(default)]
    pub value: Option<String>,
}

/// A parsed file: its header and rows of text, each with its line number.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
}

/// Which column feeds which field (by the column's header text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMapping {
    pub field: ImportField,
    pub column: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    /// Create identities that match no customer number or name.
    pub create_missing_identities: bool,
    /// Create products that match no code or name (in the category "Imported").
    pub create_missing_products: bool,
    /// Used when the file has no type / source / stage column (or the cell is empty).
    pub default_type_id: Option<i32>,
    pub default_source_id: Option<i32>,
    pub default_stage_id: Option<i32>,
    /// How the file writes its dates (what 03/04/2026 means).
    #[serde(default)]
    pub date_format: DateFormat,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub headers: Vec<String>,
    /// The first rows, as read.
    pub sample: Vec<Vec<String>>,
    pub row_count: u32,
    /// A suggested mapping: remembered from the last import, else by header names.
    pub mapping: Vec<ColumnMapping>,
    /// The date format the suggested date columns point to (`auto`: they cannot tell).
    pub date_format: DateFormat,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub rows: u32,
    /// Rows that passed every check.
    pub good_rows: u32,
    pub problems: Vec<ImportProblem>,
    pub created_identities: u32,
    pub created_products: u32,
    pub dry_run: bool,
    /// True only when the rows are now in the database.
    pub written: bool,
    pub cancelled: bool,
    /// Fields that matter for the pipeline and its reports (stage, assigned user,
    /// amount, close date) that no column feeds: every row takes the default or stays
    /// empty there, which a clean check should not hide.
    pub unmapped: Vec<ImportField>,
}

pub(super) fn file_problem(issue: ImportIssue, line: u32) -> AppResult<Table> {
    Err(AppError::field_limit(
        "file",
        ValidationCode::Invalid,
        Some(issue.as_str().into()),
        Some(line.to_string()),
    ))
}

/// Reads a CSV (UTF-8, with or without a byte order mark; comma, semicolon or tab
/// separated) or an XLSX file. A file that is not UTF-8 is refused with the line of the
/// first bad byte (`file` field, `min` = issue, `max` = line).
pub fn read_table(file_name: &str, bytes: &[u8]) -> AppResult<Table> {
    if file_name.chars().count() > FILE_NAME_MAX {
        return Err(AppError::field_limit(
            "fileName",
            ValidationCode::TooLong,
            None,
            Some(FILE_NAME_MAX.to_string()),
        ));
    }
    let is_xlsx = bytes.starts_with(b"PK\x03\x04") || file_name.to_lowercase().ends_with(".xlsx");
    let mut table = if is_xlsx { read_xlsx(bytes)? } else { read_csv(bytes)? };
    if table.headers.iter().all(|h| h.trim().is_empty()) {
        return file_problem(ImportIssue::EmptyFile, 1);
    }
    table
        .rows
        .retain(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    if table.rows.len() > IMPORT_MAX_ROWS {
        return file_problem(ImportIssue::TooManyRows, IMPORT_MAX_ROWS as u32 + 2);
    }
    Ok(table)
}

pub(super) fn read_csv(bytes: &[u8]) -> AppResult<Table> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u32 + 1;
            return file_problem(ImportIssue::Encoding, line);
        }
    };
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut headers = None;
    let mut rows = vec![];
    // Lines are counted from the byte where each record starts: the reader's own line
    // count lags by one with CRLF line ends (it counts a record's "\n" only when it
    // reads the next one), and spreadsheet programs write CRLF.
    let mut counted_to = 0usize;
    let mut line_at = 1u32;
    let mut line_of = |byte: usize| {
        // With CRLF the reader reports a record as starting at the "\n" before it.
        let mut byte = byte.min(text.len());
        while byte < text.len() && matches!(text.as_bytes()[byte], b'\r' | b'\n') {
            byte += 1;
        }
        if byte > counted_to {
            line_at += text.as_bytes()[counted_to..byte]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u32;
            counted_to = byte;
        }
        line_at
    };
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| line_of(p.byte() as usize)).unwrap_or(0);
                return file_problem(ImportIssue::Unreadable, line);
            }
        };
        let line = record.position().map(|p| line_of(p.byte() as usize)).unwrap_or(0);
        if record.len() > IMPORT_MAX_COLUMNS {
            return file_problem(ImportIssue::TooManyColumns, line);
        }
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if headers.is_none() {
            headers = Some(cells);
        } else {
            rows.push((line, cells));
        }
        if rows.len() > IMPORT_MAX_ROWS {
            break;
        }
    }
    match headers {
        None => file_problem(ImportIssue::EmptyFile, 1),
        Some(headers) => Ok(Table { headers, rows }),
    }
}

pub(super) fn read_xlsx(bytes: &[u8]) -> AppResult<Table> {
    use calamine::{Data, Reader};
    let text = |c: &Data| -> String {
        match c {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{}", *f as i64)
                } else {
                    Decimal::from_f64_retain(*f)
                        .map(|d| d.round_dp(8).normalize().to_string())
                        .unwrap_or_else(|| f.to_string())
                }
            }
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(dt) => NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(dt.as_f64().max(0.0) as u64)))
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
            Data::Error(_) => String::new(),
        }
    };
    // An .xlsx sheet is read cell by cell: a rectangle of every cell between the first
    // and the last (what a whole-sheet read builds) is unbounded for a crafted file
    // with one cell in A1 and one in XFD1048576.
    if let Ok(mut book) = calamine::Xlsx::new(std::io::Cursor::new(bytes)) {
        let Some(sheet) = book.sheet_names().first().cloned() else {
            return file_problem(ImportIssue::EmptyFile, 1);
        };
        let Ok(mut cells) = book.worksheet_cells_reader(&sheet) else {
            return file_problem(ImportIssue::Unreadable, 0);
        };
        let mut by_row: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
        loop {
            let cell = match cells.next_cell() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(_) => return file_problem(ImportIssue::Unreadable, 0),
            };
            let (row, col) = cell.get_position();
            let value = text(&Data::from(cell.get_value().clone()));
            if value.is_empty() {
                continue;
            }
            if col as usize >= IMPORT_MAX_COLUMNS {
                return file_problem(ImportIssue::TooManyColumns, row + 1);
            }
            if !by_row.contains_key(&row) && by_row.len() > IMPORT_MAX_ROWS {
                return file_problem(ImportIssue::TooManyRows, IMPORT_MAX_ROWS as u32 + 2);
            }
            let cells = by_row.entry(row).or_default();
            if cells.len() <= col as usize {
                cells.resize(col as usize + 1, String::new());
            }
            cells[col as usize] = value;
        }
        let mut rows = by_row.into_iter();
        let Some((_, headers)) = rows.next() else {
            return file_problem(ImportIssue::EmptyFile, 1);
        };
        return Ok(Table {
            headers,
            rows: rows.map(|(row, cells)| (row + 1, cells)).collect(),
        });
    }
    // Other spreadsheet formats (.xls, .ods).
    let mut book = match calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())) {
        Ok(b) => b,
        Err(_) => return file_problem(ImportIssue::Unreadable, 0),
    };
    let Some(Ok(range)) = book.worksheet_range_at(0) else {
        return file_problem(ImportIssue::EmptyFile, 1);
    };
    if range.width() > IMPORT_MAX_COLUMNS {
        return file_problem(ImportIssue::TooManyColumns, 1);
    }
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows();
    let Some(headers) = rows.next() else {
        return file_problem(ImportIssue::EmptyFile, 1);
    };
    let headers = headers.iter().map(text).collect();
    let rows = rows
        .enumerate()
        .map(|(i, r)| (first_row + i as u32 + 2, r.iter().map(text).collect()))
        .collect();
    Ok(Table { headers, rows })
}

/// Header words each field is recognised by (folded; Persian and English).
pub(super) fn field_names(f: ImportField) -> &'static [&'static str] {
    match f {
        ImportField::Title => &[
            "title",
            "عنوان",
            "opportunity",
            "فرصت",
            "name of opportunity",
            "opportunity name",
            "deal",
            "deal name",
            "subject",
            "opportunity id",
            "deal id",
            "عنوان فرصت",
        ],
        ImportField::IdentityName => &[
            "identity",
            "customer",
            "related to",
            "مرتبط با",
            "مشتری",
            "شخص",
            "account",
            "account name",
            "company",
            "company name",
            "organization",
            "organisation",
            "client",
            "شرکت",
            "نام مشتری",
        ],
        ImportField::IdentityCode => &["customer number", "customer code", "شماره مشتری", "کد مشتری"],
        ImportField::Stage => &[
            "stage",
            "sales stage",
            "deal stage",
            "pipeline stage",
            "opportunity stage",
            "مرحله",
            "مرحله فروش",
        ],
        ImportField::AssignedUser => &[
            "assigned to",
            "owner",
            "deal owner",
            "opportunity owner",
            "sales agent",
            "agent",
            "salesperson",
            "sales rep",
            "assigned user",
            "ارجاع به",
            "مسئول",
            "کارشناس فروش",
            "فروشنده",
            "user",
        ],
        ImportField::Type => &["type", "نوع"],
        ImportField::Source => &["source", "منبع", "lead source"],
        ImportField::Campaign => &["campaign", "کمپین"],
        ImportField::CloseDate => &[
            "close date",
            "closing date",
            "expected close",
            "expected close date",
            "تاریخ بسته شدن",
            "تاریخ بستن",
        ],
        ImportField::CreatedOn => &[
            "created",
            "created on",
            "created date",
            "date created",
            "opened",
            "opened on",
            "date opened",
            "create date",
            "created time",
            "engage date",
            "تاریخ ایجاد",
            "تاریخ ثبت",
        ],
        ImportField::ClosedOn => &[
            "won/lost on",
            "closed on",
            "won on",
            "lost on",
            "win/loss date",
            "تاریخ برد/باخت",
            "تاریخ برد",
            "تاریخ باخت",
        ],
        ImportField::EstimatedAmount => &[
            "estimated amount",
            "amount",
            "value",
            "deal value",
            "close value",
            "opportunity amount",
            "expected revenue",
            "revenue",
            "مبلغ",
            "مبلغ برآورد",
            "مبلغ تخمینی",
            "ارزش",
        ],
        ImportField::Probability => &["probability", "احتمال", "احتمال موفقیت"],
        ImportField::Reason => &["reason", "علت", "دلیل", "علت برد/باخت", "win/loss reason"],
        ImportField::ReasonNote => &["reason note", "توضیح علت"],
        ImportField::ProductCode => &["product code", "کد کالا", "کد محصول", "sku"],
        ImportField::ProductName => &["product", "product name", "کالا", "محصول", "نام کالا"],
        ImportField::Quantity => &["quantity", "qty", "تعداد", "مقدار"],
        ImportField::UnitPrice => &["unit price", "price", "قیمت", "قیمت واحد", "فی"],
    }
}

/// The key under which the last good mapping is remembered per user.
pub const MAPPING_KEY: &str = "ui.import.mapping";

/// A header as names are compared: folded, and deal_stage, Deal-Stage and "Deal
/// stage" alike.
pub(super) fn header_key(header: &str) -> String {
    search_fold(header.trim().replace(['_', '-'], " ").trim())
}

/// Suggests a mapping: the user's remembered choices first, then header names.
pub fn suggest(headers: &[String], remembered: &HashMap<String, ImportField>) -> Vec<ColumnMapping> {
    let mut out: Vec<ColumnMapping> = vec![];
    for h in headers {
        let key = header_key(h);
        let field = remembered.get(&key).copied().or_else(|| {
            ImportField::ALL
                .iter()
                .copied()
                .find(|f| field_names(*f).iter().any(|n| search_fold(n) == key) || header_key(f.as_str()) == key)
        });
        if let Some(field) = field {
            if !out.iter().any(|m| m.field == field) {
                out.push(ColumnMapping {
                    field,
                    column: h.clone(),
                });
            }
        }
    }
    out
}

pub(super) async fn remembered_mapping<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> AppResult<HashMap<String, ImportField>> {
    Ok(settings::user_value(db, actor, MAPPING_KEY)
        .await?
        .and_then(|v| serde_json::from_str::<HashMap<String, String>>(&v).ok())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| ImportField::parse(&v).map(|f| (k, f)))
        .collect())
}

pub async fn preview<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<ImportPreview> {
    let table = read_table(file_name, bytes)?;
    let remembered = remembered_mapping(db, actor).await?;
    let mapping = suggest(&table.headers, &remembered);
    Ok(ImportPreview {
        date_format: table_date_format(&table, &mapping),
        mapping,
        sample: table.rows.iter().take(20).map(|(_, r)| r.clone()).collect(),
        row_count: table.rows.len() as u32,
        headers: table.headers,
    })
}

/// Lookup tables for the names a file uses (folded text → id).
pub(super) struct Lookups {
    stages: HashMap<String, (i32, StageKind)>,
    first_open_stage: Option<i32>,
    users: HashMap<String, i32>,
    lists: HashMap<(String, String), i32>,
    campaigns: HashMap<String, i32>,
    /// Today by the configured clock.
    today: NaiveDate,
}

impl Lookups {
    async fn load<C: ConnectionTrait>(db: &C) -> AppResult<Self> {
        let mut stages = HashMap::new();
        let mut all = stage_rows::Entity::find().all(db).await?;
        all.sort_by_key(|s| (s.sort_order, s.id));
        let mut first_open_stage = None;
        for s in all.iter().filter(|s| !s.deleted) {
            let kind = StageKind::parse(&s.kind).unwrap_or(StageKind::Open);
            if kind == StageKind::Open && s.active && first_open_stage.is_none() {
                first_open_stage = Some(s.id);
            }
            for name in [&s.title_fa, &s.title_en, &s.key] {
                stages.entry(search_fold(name.trim())).or_insert((s.id, kind));
            }
        }
        let mut users = HashMap::new();
        for u in user_rows::Entity::find().all(db).await? {
            users.insert(search_fold(u.username.trim()), u.id);
            users.entry(search_fold(u.display_name.trim())).or_insert(u.id);
        }
        let mut lists = HashMap::new();
        for i in system_items::Entity::find().all(db).await? {
            for name in [&i.title_fa, &i.title_en] {
                lists
                    .entry((i.list_key.clone(), search_fold(name.trim())))
                    .or_insert(i.id);
            }
            if let Some(key) = &i.key {
                lists.entry((i.list_key.clone(), search_fold(key))).or_insert(i.id);
            }
        }
        let campaigns = campaigns::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|c| (search_fold(c.name.trim()), c.id))
            .collect();
        Ok(Self {
            today: settings::clock(db).await?.today(),
            stages,
            first_open_stage,
            users,
            lists,
            campaigns,
        })
    }

    fn list(&self, key: SystemListKey, text: &str) -> Option<i32> {
        self.lists.get(&(key.as_str().to_owned(), search_fold(text))).copied()
    }
}

string_enum!(
    /// How a file writes its dates. Year-first dates (2026-11-29, Jalali 1405/09/08:
    /// years below 1700 are Jalali) read the same under every choice; the choice
    /// decides what 03/04/2026 means: `auto` tells day from month per cell when a part
    /// is above 12, `mdy` is month/day/year (US exports), `dmy` day/month/year.
    DateFormat {
        Auto = "auto",
        Iso = "iso",
        Mdy = "mdy",
        Dmy = "dmy",
        Jalali = "jalali",
    }
);

// string_enum! takes no attributes on its variants, so no #[default] there.
#[allow(clippy::derivable_impls)]
impl Default for DateFormat {
    fn default() -> Self {
        DateFormat::Auto
    }
}

/// The three numbers of a date cell (time of day dropped), in Latin digits.
fn date_parts(text: &str) -> Option<[(u32, usize); 3]> {
    let t = normalize_digits(text.trim());
    let t = t.split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let num = |p: &str| -> Option<(u32, usize)> {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((p.parse().ok()?, p.len()))
    };
    Some([num(a)?, num(b)?, num(c)?])
}

fn ymd(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    let y = i32::try_from(y).ok()?;
    if y < 1700 {
        jalali::to_gregorian(y, m, d)
    } else {
        NaiveDate::from_ymd_opt(y, m, d)
    }
}

/// A date as a file may hold it: year first (2026-11-29, 2026/11/29, Jalali
/// 1405/09/08), or year last as `format` says (M/D/YYYY, D/M/YYYY), in Persian or
/// Latin digits. `None` for a cell that is no date, or whose day and month cannot be
/// told apart under [`DateFormat::Auto`].
pub fn parse_date_as(text: &str, format: DateFormat) -> Option<NaiveDate> {
    let [(a, la), (b, _), (c, lc)] = date_parts(text)?;
    if la == 4 {
        return ymd(a, b, c);
    }
    if lc != 4 {
        return None;
    }
    match format {
        DateFormat::Mdy => ymd(c, a, b),
        DateFormat::Dmy => ymd(c, b, a),
        _ if a > 12 && b <= 12 => ymd(c, b, a),
        _ if b > 12 && a <= 12 => ymd(c, a, b),
        _ => None,
    }
}

/// The date format of a table's date columns under `mapping` ([`detect_date_format`]).
pub fn table_date_format(table: &Table, mapping: &[ColumnMapping]) -> DateFormat {
    let columns: Vec<usize> = mapping
        .iter()
        .filter(|m| {
            matches!(
                m.field,
                ImportField::CloseDate | ImportField::CreatedOn | ImportField::ClosedOn
            )
        })
        .filter_map(|m| table.headers.iter().position(|h| h.trim() == m.column.trim()))
        .collect();
    detect_date_format(
        table
            .rows
            .iter()
            .flat_map(|(_, r)| columns.iter().filter_map(|i| r.get(*i).map(String::as_str))),
    )
}

/// [`parse_date_as`] with the format left to the cell.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    parse_date_as(text, DateFormat::Auto)
}

/// The date format a file's date cells point to: year-first (Jalali when every year
/// is below 1700) when every cell is, M/D/Y or D/M/Y when some cell has a part above
/// 12 in one place and none in the other; `Auto` when the cells cannot tell.
pub fn detect_date_format<'a>(cells: impl IntoIterator<Item = &'a str>) -> DateFormat {
    let (mut year_first, mut jalali, mut year_last, mut mdy, mut dmy) = (0, 0, 0, 0, 0);
    for cell in cells {
        let Some([(a, la), (b, _), (_, lc)]) = date_parts(cell) else {
            continue;
        };
        if la == 4 {
            year_first += 1;
            if a < 1700 {
                jalali += 1;
            }
        } else if lc == 4 {
            year_last += 1;
            if a > 12 {
                dmy += 1;
            }
            if b > 12 {
                mdy += 1;
            }
        }
    }
    match (year_first, year_last) {
        (0, 0) => DateFormat::Auto,
        (_, 0) if jalali == year_first => DateFormat::Jalali,
        // Year-first, Gregorian or mixed with Jalali: read alike under any choice.
        (_, 0) => DateFormat::Iso,
        (0, _) if mdy > 0 && dmy == 0 => DateFormat::Mdy,
        (0, _) if dmy > 0 && mdy == 0 => DateFormat::Dmy,
        _ => DateFormat::Auto,
    }
}

pub(super) fn plain_number(text: &str) -> String {
    normalize_digits(text.trim())
        .replace([',', '٬', '،', ' '], "")
        .replace('٫', ".")
}

pub(super) struct RowCtx<'a> {
    map: &'a HashMap<ImportField, usize>,
    headers: &'a [String],
}

impl RowCtx<'_> {
    fn get<'r>(&self, row: &'r [String], f: ImportField) -> Option<&'r str> {
        self.map
            .get(&f)
            .and_then(|i| row.get(*i))
            .map(|s| unguarded(s.trim()))
            .filter(|s| !s.is_empty())
    }

    fn header(&self, f: ImportField) -> Option<String> {
        self.map.get(&f).map(|i| self.headers[*i].clone())
    }

    fn problem(&self, line: u32, row: &[String], f: ImportField, issue: ImportIssue) -> ImportProblem {
        ImportProblem {
            line,
            column: self.header(f),
            field: Some(f),
            issue,
            value: self.get(row, f).map(|v| v.chars().take(200).collect()),
        }
    }
}

/// The import field a validation error of the opportunity service is about.
pub(super) fn field_of(path: &str) -> Option<ImportField> {
    Some(match path {
        "title" => ImportField::Title,
        "identityId" => ImportField::IdentityName,
        "assignedUserId" => ImportField::AssignedUser,
        "typeId" => ImportField::Type,
        "sourceId" => ImportField::Source,
        "campaignId" => ImportField::Campaign,
        "closeDate" => ImportField::CloseDate,
        "createdOn" => ImportField::CreatedOn,
        "closedOn" => ImportField::ClosedOn,
        "estimatedAmount" => ImportField::EstimatedAmount,
        "probability" => ImportField::Probability,
        "winReasonId" | "lossReasonId" => ImportField::Reason,
        "reasonNote" => ImportField::ReasonNote,
        "stageId" => ImportField::Stage,
        p if p.ends_with(".quantity") => ImportField::Quantity,
        p if p.ends_with(".unitPrice") => ImportField::UnitPrice,
        p if p.starts_with("lines") => ImportField::ProductCode,
        _ => return None,
    })
}

#[derive(Default)]
pub(super) struct Created {
    identities: u32,
    products: u32,
}

pub(super) async fn imported_category<C: ConnectionTrait + TransactionTrait>(db: &C, actor: &Actor) -> AppResult<i32> {
    const NAME: &str = "Imported / وارد شده";
    if let Some(c) = product_categories::Entity::find()
        .filter(product_categories::Column::Name.eq(NAME))
        .one(db)
        .await?
    {
        return Ok(c.id);
    }
    Ok(products::create_category(
        db,
        actor,
        CategoryInput {
            name: NAME.into(),
            parent_id: None,
        },
    )
    .await?
    .id)
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn import_row<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    ctx: &RowCtx<'_>,
    look: &Lookups,
    options: &ImportOptions,
    line: u32,
    row: &[String],
    created: &mut Created,
) -> Result<(), Vec<ImportProblem>> {
    let db_err = |e: AppError| vec![problem_of(line, None, e)];
    // A Mutex, not a RefCell: the future must stay Send across the awaits below.
    let problems = std::sync::Mutex::new(vec![]);
    let p = |f: ImportField, issue: ImportIssue| {
        problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(ctx.problem(line, row, f, issue))
    };

    // Related to: by customer number, then by name; created when asked.
    let mut identity_id = None;
    if let Some(code) = ctx.get(row, ImportField::IdentityCode) {
        identity_id = identity_rows::Entity::find()
            .filter(identity_rows::Column::CustomerNumber.eq(normalize_digits(code)))
            .one(db)
            .await
            .map_err(|e| db_err(e.into()))?
            .map(|i| i.id);
    }
    let name = ctx.get(row, ImportField::IdentityName);
    if identity_id.is_none() {
        if let Some(name) = name {
            identity_id = identity_rows::Entity::find()
                .filter(identity_rows::Column::NameKey.eq(identities::name_key(name)))
                .order_by_asc(identity_rows::Column::Id)
                .one(db)
                .await
                .map_err(|e| db_err(e.into()))?
                .map(|i| i.id);
            if identity_id.is_none() && options.create_missing_identities {
                match identities::create(db, actor, IdentityInput::organization(name)).await {
                    Ok(i) => {
                        identity_id = Some(i.id);
                        created.identities += 1;
                    }
                    Err(AppError::Validation { fields }) => {
                        for f in fields {
                            p(ImportField::IdentityName, f.code.into());
                        }
                    }
                    Err(e) => return Err(db_err(e)),
                }
            }
        }
    }
    if identity_id.is_none()
        && !problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|x| x.field == Some(ImportField::IdentityName))
    {
        match (name, ctx.get(row, ImportField::IdentityCode)) {
            (None, None) => p(
                if ctx.map.contains_key(&ImportField::IdentityName) {
                    ImportField::IdentityName
                } else {
                    ImportField::IdentityCode
                },
                ImportIssue::Required,
            ),
            (Some(_), _) => p(ImportField::IdentityName, ImportIssue::UnknownIdentity),
            (None, Some(_)) => p(ImportField::IdentityCode, ImportIssue::UnknownIdentity),
        }
    }

    let (stage_id, kind) = match ctx.get(row, ImportField::Stage) {
        Some(text) => match look.stages.get(&search_fold(text)) {
            Some((id, kind)) => (Some(*id), *kind),
            None => {
                p(ImportField::Stage, ImportIssue::UnknownStage);
                (None, StageKind::Open)
            }
        },
        None => (options.default_stage_id.or(look.first_open_stage), StageKind::Open),
    };
    let kind = match (ctx.get(row, ImportField::Stage), options.default_stage_id) {
        (None, Some(id)) => look
            .stages
            .values()
            .find(|(s, _)| *s == id)
            .map(|(_, k)| *k)
            .unwrap_or(kind),
        _ => kind,
    };
    let list_value = |f: ImportField, key: SystemListKey, default: Option<i32>| -> Option<i32> {
        match ctx.get(row, f) {
            Some(text) => {
                let id = look.list(key, text);
                if id.is_none() {
                    p(f, ImportIssue::UnknownValue);
                }
                id
            }
            None => default,
        }
    };
    let type_id = list_value(
        ImportField::Type,
        SystemListKey::OpportunityType,
        options.default_type_id,
    );
    let source_id = list_value(ImportField::Source, SystemListKey::Source, options.default_source_id);
    let reason = match kind {
        StageKind::Won => list_value(ImportField::Reason, SystemListKey::WinReason, None),
        StageKind::Lost => list_value(ImportField::Reason, SystemListKey::LossReason, None),
        StageKind::Open => {
            if ctx.get(row, ImportField::Reason).is_some() {
                p(ImportField::Reason, ImportIssue::NotAllowed);
            }
            None
        }
    };
    let assigned_user_id = match ctx.get(row, ImportField::AssignedUser) {
        Some(text) => {
            let id = look.users.get(&search_fold(text)).copied();
            if id.is_none() {
                p(ImportField::AssignedUser, ImportIssue::UnknownUser);
            }
            id
        }
        None => (!actor.manages()).then_some(actor.user_id),
    };
    let campaign_id = match ctx.get(row, ImportField::Campaign) {
        Some(text) => {
            let id = look.campaigns.get(&search_fold(text)).copied();
            if id.is_none() {
                p(ImportField::Campaign, ImportIssue::UnknownValue);
            }
            id
        }
        None => None,
    };
    let date = |f: ImportField| match ctx.get(row, f) {
        Some(text) => {
            let d = parse_date_as(text, options.date_format);
            if d.is_none() {
                p(f, ImportIssue::InvalidDate);
            }
            d
        }
        None => None,
    };
    let close_date = date(ImportField::CloseDate);
    let mut history = History {
        created_on: date(ImportField::CreatedOn),
        closed_on: date(ImportField::ClosedOn),
    };
    // A won or lost row without its own win/loss day closed on its close date, when
    // that is a day it can have closed on (not ahead of today, not before it opened).
    if kind != StageKind::Open && !ctx.map.contains_key(&ImportField::ClosedOn) {
        history.closed_on = close_date.filter(|d| *d <= look.today && history.created_on.is_none_or(|c| c <= *d));
    }
    // The service refuses this too; said here so a row with other problems reports it
    // as well.
    if history.closed_on.is_some() && kind == StageKind::Open {
        p(ImportField::ClosedOn, ImportIssue::NotAllowed);
    }
    let number = |f: ImportField| -> Option<String> {
        let text = ctx.get(row, f)?;
        match parse_decimal(text) {
            Ok(d) => d.map(|d| d.to_string()),
            Err(NumberError::Ambiguous) => {
                p(f, ImportIssue::AmbiguousNumber);
                None
            }
            Err(_) => {
                p(f, ImportIssue::InvalidNumber);
                None
            }
        }
    };
    let amount = number(ImportField::EstimatedAmount);
    // Said here too, so a row with other problems reports this one as well.
    if amount.as_deref().is_some_and(|a| a.starts_with('-')) {
        p(ImportField::EstimatedAmount, ImportIssue::OutOfRange);
    }
    let probability = ctx
        .get(row, ImportField::Probability)
        .map(|t| plain_number(t).trim_end_matches('%').to_owned());
    let quantity = number(ImportField::Quantity);
    let unit_price = number(ImportField::UnitPrice);

    // The product line.
    let mut lines = vec![];
    let code = ctx.get(row, ImportField::ProductCode);
    let pname = ctx.get(row, ImportField::ProductName);
    if code.is_some() || pname.is_some() {
        let mut product = None;
        if let Some(code) = code {
            product = product_rows::Entity::find()
                .filter(product_rows::Column::Code.eq(code))
                .one(db)
                .await
                .map_err(|e| db_err(e.into()))?;
        }
        if product.is_none() {
            if let Some(name) = pname {
                product = product_rows::Entity::find()
                    .filter(product_rows::Column::Name.eq(name))
                    .one(db)
                    .await
                    .map_err(|e| db_err(e.into()))?;
            }
        }
        let product_id = match product {
            Some(p) => Some(p.id),
            None if options.create_missing_products => {
                let category = imported_category(db, actor).await.map_err(db_err)?;
                let input = ProductInput {
                    code: code.map(str::to_owned).unwrap_or_else(|| {
                        format!("IMP-{line}-{}", crate::clock::now().timestamp_micros() % 1_000_000)
                    }),
                    name: pname.or(code).unwrap_or_default().to_owned(),
                    category_id: category,
                    kind: ProductKind::Product,
                    unit_id: None,
                    sale_price: unit_price.clone().unwrap_or_else(|| "0".into()),
                    taxable: true,
                    saleable: true,
                    active: true,
                };
                match products::create(db, actor, input).await {
                    Ok(p) => {
                        created.products += 1;
                        Some(p.id)
                    }
                    Err(AppError::Validation { fields }) => {
                        for f in fields {
                            let field = if f.field == "salePrice" {
                                ImportField::UnitPrice
                            } else if code.is_some() {
                                ImportField::ProductCode
                            } else {
                                ImportField::ProductName
                            };
                            p(field, f.code.into());
                        }
                        None
                    }
                    Err(e) => return Err(db_err(e)),
                }
            }
            None => {
                p(
                    if code.is_some() {
                        ImportField::ProductCode
                    } else {
                        ImportField::ProductName
                    },
                    ImportIssue::UnknownProduct,
                );
                None
            }
        };
        if let Some(product_id) = product_id {
            lines.push(LineInput {
                product_id,
                quantity: quantity.clone().unwrap_or_else(|| "1".into()),
                unit_price: unit_price.clone(),
                discount_kind: DiscountKind::Percent,
                discount_value: "0".into(),
                description: None,
                source_line_id: None,
            });
        }
    }
    let problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(identity_id), Some(stage_id)) = (identity_id, stage_id) else {
        return Err(vec![ctx.problem(line, row, ImportField::Stage, ImportIssue::Required)]);
    };
    let has_lines = !lines.is_empty();
    let input = OpportunityInput {
        identity_id,
        title: ctx.get(row, ImportField::Title).unwrap_or_default().to_owned(),
        assigned_user_id,
        type_id,
        source_id,
        campaign_id,
        close_date,
        estimated_amount: amount.clone().unwrap_or_else(|| "0".into()),
        amount_is_manual: amount.is_some() || !has_lines,
        probability_is_manual: probability.is_some(),
        probability,
        win_reason_id: (kind == StageKind::Won).then_some(reason).flatten(),
        loss_reason_id: (kind == StageKind::Lost).then_some(reason).flatten(),
        reason_note: ctx.get(row, ImportField::ReasonNote).map(str::to_owned),
        purchase_process_id: None,
        won_on: None,
        lost_on: None,
        custom_fields: vec![],
        competitors: vec![],
        lines,
        stage_id,
    };
    match opportunities::create_with_history(db, actor, input, history).await {
        Ok(_) => Ok(()),
        Err(AppError::Validation { fields }) => Err(fields
            .into_iter()
            .map(|f| {
                let field = field_of(&f.field);
                ImportProblem {
                    line,
                    column: field.and_then(|x| ctx.header(x)),
                    field,
                    issue: f.code.into(),
                    value: field
                        .and_then(|x| ctx.get(row, x))
                        .map(|v| v.chars().take(200).collect()),
                }
            })
            .collect()),
        Err(e) => Err(db_err(e)),
    }
}

pub(super) fn problem_of(line: u32, field: Option<ImportField>, e: AppError) -> ImportProblem {
    ImportProblem {
        line,
        column: None,
        field,
        value: None,
        issue: match e {
            AppError::Validation { fields } => fields.first().map(|f| f.code.into()).unwrap_or(ImportIssue::Invalid),
            AppError::Forbidden { .. } => ImportIssue::NotAllowed,
            _ => ImportIssue::Unreadable,
        },
    }
}

/// Checks the mapping against the file: every mapped column exists; the title and the
/// identity (name or number) are mapped; type and source are mapped or defaulted.
pub(super) fn check_mapping(
    table: &Table,
    mapping: &[ColumnMapping],
    options: &ImportOptions,
) -> Result<HashMap<ImportField, usize>, Vec<ImportProblem>> {
    let mut problems = vec![];
    let mut map = HashMap::new();
    for m in mapping {
        match table.headers.iter().position(|h| h.trim() == m.column.trim()) {
            Some(i) => {
                map.insert(m.field, i);
            }
            None => problems.push(ImportProblem {
                line: 1,
                column: Some(m.column.clone()),
                field: Some(m.field),
                issue: ImportIssue::MissingColumn,
                value: None,
            }),
        }
    }
    let missing = |f: ImportField| ImportProblem {
        line: 1,
        column: None,
        field: Some(f),
        issue: ImportIssue::MissingColumn,
        value: None,
    };
    if !map.contains_key(&ImportField::Title) {
        problems.push(missing(ImportField::Title));
    }
    if !map.contains_key(&ImportField::IdentityName) && !map.contains_key(&ImportField::IdentityCode) {
        problems.push(missing(ImportField::IdentityName));
    }
    if !map.contains_key(&ImportField::Type) && options.default_type_id.is_none() {
        problems.push(missing(ImportField::Type));
    }
    if !map.contains_key(&ImportField::Source) && options.default_source_id.is_none() {
        problems.push(missing(ImportField::Source));
    }
    if problems.is_empty() {
        Ok(map)
    } else {
        Err(problems)
    }
}

/// Runs an import: a dry run reports every row's problems and writes nothing; a real
/// run writes everything or, when any row has a problem, nothing. `cancel` stops it
/// between rows (nothing written).
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
    let rows = table.rows.len() as u32;
    let mut report = ImportReport {
        rows,
        good_rows: 0,
        problems: vec![],
        created_identities: 0,
        created_products: 0,
        dry_run,
        written: false,
        cancelled: false,
        unmapped: [
            ImportField::Stage,
            ImportField::AssignedUser,
            ImportField::EstimatedAmount,
            ImportField::CloseDate,
        ]
        .into_iter()
        .filter(|f| !mapping.iter().any(|m| m.field == *f))
        .collect(),
    };
    let map = match check_mapping(table, mapping, options) {
        Ok(m) => m,
        Err(problems) => {
            report.problems = problems;
            return Ok(report);
        }
    };
    let ctx = RowCtx {
        map: &map,
        headers: &table.headers,
    };
    let look = Lookups::load(db).await?;
    let mut created = Created::default();
    let txn = crate::service::begin(db).await?;
    for (i, (line, row)) in table.rows.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            txn.rollback().await?;
            report.cancelled = true;
            return Ok(report);
        }
        let sp = txn.begin().await?;
        let before = Created { ..created };
        match import_row(&sp, actor, &ctx, &look, options, *line, row, &mut created).await {
            Ok(()) => {
                sp.commit().await?;
                report.good_rows += 1;
            }
            Err(problems) => {
                sp.rollback().await?;
                created = before;
                report.problems.extend(problems);
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
    report.created_identities = created.identities;
    report.created_products = created.products;
    if dry_run || !report.problems.is_empty() || rows == 0 {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
        report.written = true;
        let remembered: HashMap<String, String> = mapping
            .iter()
            .map(|m| (header_key(&m.column), m.field.as_str().to_owned()))
            .collect();
        if let Ok(json) = serde_json::to_string(&remembered) {
            settings::set_user_value(db, actor, MAPPING_KEY, Some(&json)).await.ok();
        }
    }
    Ok(report)
}
