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
use crate::domain::UserRole;
use crate::domain::{jalali, DiscountKind, ProductKind, StageKind, SystemListKey, ValidationCode};
use crate::entity::{campaigns, identities as identity_rows, product_categories, products as product_rows};
use crate::entity::{stages as stage_rows, system_items, users as user_rows};
use crate::error::{AppError, AppResult};
use crate::service::identities::{self, IdentityInput};
use crate::service::lines::LineInput;
use crate::service::opportunities::NewOpportunity;
use crate::service::opportunities::{self, History, OpportunityInput};
use crate::service::products::{self, CategoryInput, ProductInput};
use crate::service::refs::Refs;
use crate::service::system_lists::{self, SystemItemInput};
use crate::service::users::{self, UserInput};
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
        FirstName = "first_name",
        LastName = "last_name",
        IdentityKind = "identity_kind",
        NationalCode = "national_code",
        EconomicCode = "economic_code",
        Phone = "phone",
        Mobile = "mobile",
        Email = "email",
        City = "city",
        Address = "address",
        PostalCode = "postal_code",
        Notes = "notes",
        Category = "category",
        Unit = "unit",
        Taxable = "taxable",
        Active = "active",
        Username = "username",
        DisplayName = "display_name",
        Role = "role",
        Team = "team",
        Pipeline = "pipeline",
    }
);

string_enum!(
    /// What a file holds: opportunities (the default), or customers, products or
    /// users to add to the app.
    ImportKind {
        Opportunities = "opportunities",
        Identities = "identities",
        Products = "products",
        Users = "users",
    }
);

// string_enum! takes no attributes on its variants, so no #[default] there.
#[allow(clippy::derivable_impls)]
impl Default for ImportKind {
    fn default() -> Self {
        ImportKind::Opportunities
    }
}

impl ImportKind {
    /// The fields a file of this kind may feed, in the order the mapping offers them.
    pub fn fields(self) -> &'static [ImportField] {
        use ImportField as F;
        match self {
            ImportKind::Opportunities => &[
                F::Title,
                F::IdentityName,
                F::IdentityCode,
                F::Pipeline,
                F::Stage,
                F::AssignedUser,
                F::Type,
                F::Source,
                F::Campaign,
                F::CloseDate,
                F::CreatedOn,
                F::ClosedOn,
                F::EstimatedAmount,
                F::Probability,
                F::Reason,
                F::ReasonNote,
                F::ProductCode,
                F::ProductName,
                F::Quantity,
                F::UnitPrice,
            ],
            ImportKind::Identities => &[
                F::IdentityName,
                F::IdentityKind,
                F::FirstName,
                F::LastName,
                F::NationalCode,
                F::EconomicCode,
                F::Phone,
                F::Mobile,
                F::Email,
                F::City,
                F::Address,
                F::PostalCode,
                F::Source,
                F::AssignedUser,
                F::Notes,
            ],
            ImportKind::Products => &[
                F::ProductCode,
                F::ProductName,
                F::Category,
                F::UnitPrice,
                F::Unit,
                F::Taxable,
                F::Active,
            ],
            ImportKind::Users => &[F::Username, F::DisplayName, F::Role, F::Team],
        }
    }

    /// Header words a field is also known by in a file of this kind only ("name" is
    /// the customer's in a customer list, the product's in a catalogue).
    fn extra_names(self, f: ImportField) -> &'static [&'static str] {
        match (self, f) {
            (ImportKind::Identities, ImportField::IdentityName) => {
                &["name", "نام", "full name", "نام کامل", "display name"]
            }
            (ImportKind::Products, ImportField::ProductName) => {
                &["name", "نام", "title", "عنوان", "item", "description"]
            }
            (ImportKind::Products, ImportField::ProductCode) => &["code", "کد", "sku", "item code", "part number"],
            (ImportKind::Products, ImportField::UnitPrice) => &["sale price", "list price", "قیمت فروش"],
            (ImportKind::Users, ImportField::DisplayName) => &["name", "نام", "full name", "agent", "sales agent"],
            _ => &[],
        }
    }
}

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
    /// Create the agents the file names that are not users yet (inactive, without a
    /// password, until an administrator gives them one).
    #[serde(default)]
    pub create_missing_users: bool,
    /// Rows without any customer go to this one (a placeholder such as "Unknown").
    #[serde(default)]
    pub placeholder_identity_id: Option<i32>,
    /// The reason given to won / lost rows whose file has none.
    #[serde(default)]
    pub default_win_reason_id: Option<i32>,
    #[serde(default)]
    pub default_loss_reason_id: Option<i32>,
    /// The value mapping step's choices.
    #[serde(default)]
    pub values: Vec<ValueChoice>,
    /// What the file holds.
    #[serde(default)]
    pub kind: ImportKind,
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
    /// The options of the user's last good import, offered again.
    pub options: Option<ImportOptions>,
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
    /// Agents created as (inactive) users.
    pub created_users: u32,
    /// Types, sources and reasons created from the file's values.
    pub created_values: u32,
    pub dry_run: bool,
    /// True only when the rows are now in the database.
    pub written: bool,
    pub cancelled: bool,
    /// Fields that matter for the pipeline and its reports (stage, assigned user,
    /// amount, close date) that no column feeds: every row takes the default or stays
    /// empty there, which a clean check should not hide.
    pub unmapped: Vec<ImportField>,
}

impl ImportReport {
    /// A report of nothing done yet.
    pub(super) fn empty(rows: u32, dry_run: bool) -> Self {
        Self {
            rows,
            good_rows: 0,
            problems: vec![],
            created_identities: 0,
            created_products: 0,
            created_users: 0,
            created_values: 0,
            dry_run,
            written: false,
            cancelled: false,
            unmapped: vec![],
        }
    }
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
            "تخصیص داده شده به",
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
            "تاریخ موفقیت/شکست",
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
        ImportField::Reason => &[
            "reason",
            "علت",
            "دلیل",
            "دلیل موفقیت/شکست",
            "علت برد/باخت",
            "win/loss reason",
        ],
        ImportField::ReasonNote => &["reason note", "توضیح دلیل", "توضیح علت"],
        ImportField::ProductCode => &["product code", "کد کالا", "کد محصول", "sku"],
        ImportField::ProductName => &["product", "product name", "کالا", "محصول", "نام کالا"],
        ImportField::Quantity => &["quantity", "qty", "تعداد", "مقدار"],
        ImportField::UnitPrice => &["unit price", "price", "قیمت", "قیمت واحد", "فی"],
        ImportField::FirstName => &["first name", "given name", "نام", "firstname"],
        ImportField::LastName => &["last name", "surname", "family name", "نام خانوادگی", "lastname"],
        ImportField::IdentityKind => &["kind", "type", "نوع", "person or organization", "حقیقی/حقوقی"],
        ImportField::NationalCode => &["national code", "national id", "کد ملی", "شناسه ملی"],
        ImportField::EconomicCode => &["economic code", "tax id", "vat number", "کد اقتصادی"],
        ImportField::Phone => &["phone", "telephone", "tel", "تلفن", "phone number", "office phone"],
        ImportField::Mobile => &["mobile", "cell", "cell phone", "موبایل", "تلفن همراه", "همراه"],
        ImportField::Email => &["email", "e-mail", "e mail", "ایمیل", "پست الکترونیک", "email address"],
        ImportField::City => &["city", "شهر", "billing city"],
        ImportField::Address => &[
            "address",
            "نشانی",
            "آدرس",
            "street",
            "billing street",
            "billing address",
        ],
        ImportField::PostalCode => &["postal code", "zip", "zip code", "postcode", "کد پستی"],
        ImportField::Notes => &["notes", "note", "description", "یادداشت", "توضیحات"],
        ImportField::Category => &["category", "group", "product group", "گروه", "گروه کالا", "دسته"],
        ImportField::Unit => &["unit", "unit of measure", "uom", "واحد"],
        ImportField::Taxable => &["taxable", "tax", "مشمول مالیات", "مالیات"],
        ImportField::Active => &["active", "status", "فعال", "وضعیت"],
        ImportField::Username => &["username", "user name", "login", "نام کاربری"],
        ImportField::DisplayName => &["display name", "نام نمایشی"],
        ImportField::Role => &["role", "نقش"],
        ImportField::Team => &["team", "تیم", "sales team"],
        ImportField::Pipeline => &[
            "pipeline",
            "sales pipeline",
            "pipeline name",
            "قیف فروش",
            "قیف",
            "فرآیند فروش",
        ],
    }
}

/// The key under which the last good mapping is remembered per user.
pub const MAPPING_KEY: &str = "ui.import.mapping";

/// A header as names are compared: folded, and deal_stage, Deal-Stage and "Deal
/// stage" alike.
pub(super) fn header_key(header: &str) -> String {
    search_fold(header.trim().replace(['_', '-'], " ").trim())
}

/// Suggests a mapping of an opportunity file ([`suggest_for`]).
pub fn suggest(headers: &[String], remembered: &HashMap<String, ImportField>) -> Vec<ColumnMapping> {
    suggest_for(ImportKind::Opportunities, headers, remembered)
}

/// Suggests a mapping: the user's remembered choices first, then header names (the
/// kind's own words first: "name" is a customer's in a customer list).
pub fn suggest_for(
    kind: ImportKind,
    headers: &[String],
    remembered: &HashMap<String, ImportField>,
) -> Vec<ColumnMapping> {
    let fields = kind.fields();
    let mut out: Vec<ColumnMapping> = vec![];
    for h in headers {
        let key = header_key(h);
        let named = |names: &[&str]| names.iter().any(|n| search_fold(n) == key);
        let field = remembered
            .get(&key)
            .copied()
            .filter(|f| fields.contains(f))
            .or_else(|| fields.iter().copied().find(|f| named(kind.extra_names(*f))))
            .or_else(|| {
                fields
                    .iter()
                    .copied()
                    .find(|f| named(field_names(*f)) || header_key(f.as_str()) == key)
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
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<ImportPreview> {
    let table = read_table(file_name, bytes)?;
    let remembered = remembered_mapping(db, actor).await?;
    let mapping = suggest_for(kind, &table.headers, &remembered);
    Ok(ImportPreview {
        options: remembered_options(db, actor).await?,
        date_format: table_date_format(&table, &mapping),
        mapping,
        sample: table.rows.iter().take(20).map(|(_, r)| r.clone()).collect(),
        row_count: table.rows.len() as u32,
        headers: table.headers,
    })
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

/// What becomes of one value of the file, as the value mapping step chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ValueChoice {
    pub field: ImportField,
    /// The value as the file writes it.
    pub value: String,
    /// The existing stage, user, list item, campaign, product or identity it stands for
    /// (for a customer: the placeholder its rows go to).
    pub target_id: Option<i32>,
    /// Create it instead (customers, products, users, types, sources, reasons).
    #[serde(default)]
    pub create: bool,
}

/// One distinct value of a mapped column, and what it reads as without a choice.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileValue {
    pub field: ImportField,
    pub value: String,
    /// Rows holding it.
    pub rows: u32,
    /// The existing value it names, if any.
    pub match_id: Option<i32>,
    pub match_name: Option<String>,
    /// The match is a near one (spacing, punctuation), not the same name.
    pub near: bool,
}

/// An existing value a file value may be mapped to.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ValueTarget {
    pub field: ImportField,
    pub id: i32,
    pub name_fa: String,
    pub name_en: String,
}

/// The value mapping step: the file's values of every mapped field that names
/// something (stage, user, type, source, campaign, reason, product, customer).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportValues {
    pub values: Vec<FileValue>,
    /// What the small lists hold (stages, users, types, sources, campaigns, reasons).
    pub targets: Vec<ValueTarget>,
    /// Rows with no customer at all (neither name nor number).
    pub rows_without_identity: u32,
    /// More distinct values than are listed ([`VALUES_MAX`] per field): the others
    /// read as they would without a choice.
    pub truncated: Vec<ImportField>,
}

/// The most distinct values listed per field.
pub const VALUES_MAX: usize = 1_000;
/// Rows written per batch of multi-row statements.
const BATCH: usize = 1_000;
pub const OPTIONS_KEY: &str = "ui.import.options";

/// The fields whose values name something the app holds, in the order the value
/// mapping step shows them.
pub const VALUE_FIELDS: [ImportField; 10] = [
    ImportField::Pipeline,
    ImportField::Stage,
    ImportField::AssignedUser,
    ImportField::Type,
    ImportField::Source,
    ImportField::Campaign,
    ImportField::Reason,
    ImportField::ProductName,
    ImportField::ProductCode,
    ImportField::IdentityName,
];

/// A name as near matches compare it: folded (case, Arabic and Persian letters,
/// digits) and without spaces or punctuation.
fn near_key(text: &str) -> String {
    search_fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Existing values by the names a file may use for them.
#[derive(Default)]
struct Names {
    exact: HashMap<String, i32>,
    /// `None`: two values share the near key (no suggestion).
    near: HashMap<String, Option<i32>>,
}

impl Names {
    fn add(&mut self, name: &str, id: i32) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        self.exact.entry(search_fold(name)).or_insert(id);
        let key = near_key(name);
        match self.near.get(&key) {
            None => {
                self.near.insert(key, Some(id));
            }
            Some(Some(other)) if *other != id => {
                self.near.insert(key, None);
            }
            _ => {}
        }
    }

    /// The value `text` names: `(id, near)`.
    fn find(&self, text: &str) -> Option<(i32, bool)> {
        if let Some(id) = self.exact.get(&search_fold(text.trim())) {
            return Some((*id, false));
        }
        self.near.get(&near_key(text)).copied().flatten().map(|id| (id, true))
    }
}

/// What the file's names stand for: the app's stages, users, lists, campaigns,
/// products, and the customers the file names.
pub(super) struct Lookups {
    stages: Names,
    stage_kind: HashMap<i32, StageKind>,
    first_open_stage: Option<i32>,
    pipelines: Names,
    /// Each pipeline's stages by name, and its first open stage (a file with a
    /// pipeline column finds its stages there: "Won" is every pipeline's).
    pipeline_stages: HashMap<i32, Names>,
    pipeline_first_open: HashMap<i32, i32>,
    stage_pipeline: HashMap<i32, i32>,
    users: Names,
    usernames: std::collections::HashSet<String>,
    lists: HashMap<&'static str, Names>,
    campaigns: Names,
    product_codes: HashMap<String, i32>,
    products: Names,
    identity_codes: HashMap<String, i32>,
    identity_names: HashMap<String, i32>,
    /// Display names for the value mapping step: (field kind, id) → (fa, en).
    names: HashMap<(&'static str, i32), (String, String)>,
    /// Today by the configured clock.
    today: NaiveDate,
}

impl Lookups {
    async fn load<C: ConnectionTrait>(db: &C, table: &Table, map: &HashMap<ImportField, usize>) -> AppResult<Self> {
        let mut look = Lookups {
            stages: Names::default(),
            stage_kind: HashMap::new(),
            first_open_stage: None,
            pipelines: Names::default(),
            pipeline_stages: HashMap::new(),
            pipeline_first_open: HashMap::new(),
            stage_pipeline: HashMap::new(),
            users: Names::default(),
            usernames: Default::default(),
            lists: HashMap::new(),
            campaigns: Names::default(),
            product_codes: HashMap::new(),
            products: Names::default(),
            identity_codes: HashMap::new(),
            identity_names: HashMap::new(),
            names: HashMap::new(),
            today: settings::clock(db).await?.today(),
        };
        let mut all = stage_rows::Entity::find().all(db).await?;
        all.sort_by_key(|s| (s.sort_order, s.id));
        for s in all.iter().filter(|s| !s.deleted) {
            let kind = StageKind::parse(&s.kind).unwrap_or(StageKind::Open);
            if kind == StageKind::Open && s.active && look.first_open_stage.is_none() {
                look.first_open_stage = Some(s.id);
            }
            look.stage_kind.insert(s.id, kind);
            look.stage_pipeline.insert(s.id, s.pipeline_id);
            if kind == StageKind::Open && s.active {
                look.pipeline_first_open.entry(s.pipeline_id).or_insert(s.id);
            }
            let own = look.pipeline_stages.entry(s.pipeline_id).or_default();
            for name in [&s.title_fa, &s.title_en, &s.key] {
                look.stages.add(name, s.id);
                own.add(name, s.id);
            }
            look.names
                .insert(("stage", s.id), (s.title_fa.clone(), s.title_en.clone()));
        }
        for p in crate::entity::pipelines::Entity::find().all(db).await? {
            look.pipelines.add(&p.name_fa, p.id);
            look.pipelines.add(&p.name_en, p.id);
            look.names
                .insert(("pipeline", p.id), (p.name_fa.clone(), p.name_en.clone()));
        }
        for u in user_rows::Entity::find().all(db).await? {
            look.users.add(&u.username, u.id);
            look.users.add(&u.display_name, u.id);
            look.usernames.insert(u.username.clone());
            look.names
                .insert(("user", u.id), (u.display_name.clone(), u.display_name.clone()));
        }
        for i in system_items::Entity::find().all(db).await? {
            let Some(key) = SystemListKey::parse(&i.list_key) else {
                continue;
            };
            let names = look.lists.entry(key.as_str()).or_default();
            for name in [&i.title_fa, &i.title_en] {
                names.add(name, i.id);
            }
            if let Some(k) = &i.key {
                names.add(k, i.id);
            }
            look.names
                .insert(("item", i.id), (i.title_fa.clone(), i.title_en.clone()));
        }
        for c in campaigns::Entity::find().all(db).await? {
            look.campaigns.add(&c.name, c.id);
            look.names.insert(("campaign", c.id), (c.name.clone(), c.name.clone()));
        }
        for p in product_rows::Entity::find().all(db).await? {
            look.product_codes.entry(p.code.trim().to_owned()).or_insert(p.id);
            look.products.add(&p.name, p.id);
            look.names.insert(("product", p.id), (p.name.clone(), p.name.clone()));
        }
        // Customers: only those the file names, by number and by name, a few hundred
        // per query.
        let cells = |f: ImportField| -> Vec<String> {
            let Some(i) = map.get(&f) else { return vec![] };
            let mut seen: Vec<String> = table
                .rows
                .iter()
                .filter_map(|(_, r)| r.get(*i))
                .map(|s| unguarded(s.trim()))
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            seen.sort();
            seen.dedup();
            seen
        };
        let codes: Vec<String> = cells(ImportField::IdentityCode)
            .iter()
            .map(|c| normalize_digits(c))
            .collect();
        for chunk in codes.chunks(500) {
            for i in identity_rows::Entity::find()
                .filter(identity_rows::Column::CustomerNumber.is_in(chunk.to_vec()))
                .order_by_asc(identity_rows::Column::Id)
                .all(db)
                .await?
            {
                look.identity_codes.entry(i.customer_number.clone()).or_insert(i.id);
            }
        }
        let mut keys: Vec<String> = cells(ImportField::IdentityName)
            .iter()
            .map(|n| identities::name_key(n))
            .collect();
        keys.sort();
        keys.dedup();
        for chunk in keys.chunks(500) {
            for i in identity_rows::Entity::find()
                .filter(identity_rows::Column::NameKey.is_in(chunk.to_vec()))
                .order_by_asc(identity_rows::Column::Id)
                .all(db)
                .await?
            {
                look.identity_names.entry(i.name_key.clone()).or_insert(i.id);
            }
        }
        Ok(look)
    }

    fn list(&self, key: SystemListKey) -> Option<&Names> {
        self.lists.get(key.as_str())
    }

    /// What a value of `field` names without a choice: `(id, near)`. Reasons are
    /// looked up among win reasons, then loss reasons.
    fn find(&self, field: ImportField, text: &str) -> Option<(i32, bool)> {
        let list = |k: SystemListKey| self.list(k).and_then(|n| n.find(text));
        match field {
            ImportField::Stage => self.stages.find(text),
            ImportField::Pipeline => self.pipelines.find(text),
            ImportField::AssignedUser => self.users.find(text),
            ImportField::Type => list(SystemListKey::OpportunityType),
            ImportField::Source => list(SystemListKey::Source),
            ImportField::Campaign => self.campaigns.find(text),
            ImportField::Reason => list(SystemListKey::WinReason).or_else(|| list(SystemListKey::LossReason)),
            ImportField::ProductCode => self
                .product_codes
                .get(text.trim())
                .map(|id| (*id, false))
                .or_else(|| self.products.find(text)),
            ImportField::ProductName => self.products.find(text),
            ImportField::IdentityName => self
                .identity_names
                .get(&identities::name_key(text))
                .map(|id| (*id, false)),
            ImportField::IdentityCode => self
                .identity_codes
                .get(&normalize_digits(text.trim()))
                .map(|id| (*id, false)),
            _ => None,
        }
    }

    fn name_of(&self, field: ImportField, id: i32) -> Option<&(String, String)> {
        let kind = match field {
            ImportField::Pipeline => "pipeline",
            ImportField::Stage => "stage",
            ImportField::AssignedUser => "user",
            ImportField::Type | ImportField::Source | ImportField::Reason => "item",
            ImportField::Campaign => "campaign",
            ImportField::ProductCode | ImportField::ProductName => "product",
            _ => return None,
        };
        self.names.get(&(kind, id))
    }
}

pub(super) struct RowCtx<'a> {
    map: &'a HashMap<ImportField, usize>,
    headers: &'a [String],
}

impl<'a> RowCtx<'a> {
    pub(super) fn new(map: &'a HashMap<ImportField, usize>, headers: &'a [String]) -> Self {
        Self { map, headers }
    }

    pub(super) fn get<'r>(&self, row: &'r [String], f: ImportField) -> Option<&'r str> {
        self.map
            .get(&f)
            .and_then(|i| row.get(*i))
            .map(|s| unguarded(s.trim()))
            .filter(|s| !s.is_empty())
    }

    pub(super) fn header(&self, f: ImportField) -> Option<String> {
        self.map.get(&f).map(|i| self.headers[*i].clone())
    }

    pub(super) fn problem(&self, line: u32, row: &[String], f: ImportField, issue: ImportIssue) -> ImportProblem {
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

/// A username for an agent the file brings: the name's Latin letters and digits
/// (`agent` when it has none), made unique.
pub(super) fn username_for(name: &str, taken: &std::collections::HashSet<String>) -> String {
    let mut base = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c);
        } else if !base.is_empty() && !base.ends_with('.') && (c.is_whitespace() || "._-".contains(c)) {
            base.push('.');
        }
    }
    let base: String = base.trim_matches('.').chars().take(56).collect();
    let base = if base.is_empty() { "agent".to_owned() } else { base };
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|u| !taken.contains(u))
        .unwrap_or(base)
}

/// What one value resolved to.
enum Pick {
    Id(i32),
    Create,
    /// Names nothing the app has.
    Unknown,
    /// The value mapping step said to leave it: the row is refused, nothing created.
    Leave,
}

/// An import under way: the lookups, the choices of the value mapping step, and
/// what it created (each created value once).
struct Importer<'a> {
    ctx: RowCtx<'a>,
    look: Lookups,
    options: &'a ImportOptions,
    choices: HashMap<(ImportField, String), &'a ValueChoice>,
    refs: Refs,
    created_identities: HashMap<String, i32>,
    created_products: HashMap<String, i32>,
    created_users: HashMap<String, i32>,
    created_items: HashMap<(&'static str, String), i32>,
    counts: Created,
}

#[derive(Default, Clone, Copy)]
pub(super) struct Created {
    identities: u32,
    products: u32,
    users: u32,
    values: u32,
}

impl<'a> Importer<'a> {
    fn pick(&self, field: ImportField, text: &str, creatable: bool) -> Pick {
        if let Some(c) = self.choices.get(&(field, search_fold(text.trim()))) {
            if let Some(id) = c.target_id {
                return Pick::Id(id);
            }
            if c.create && creatable {
                return Pick::Create;
            }
            if !c.create {
                return Pick::Leave;
            }
        }
        match self.look.find(field, text) {
            Some((id, _)) => Pick::Id(id),
            None => Pick::Unknown,
        }
    }

    async fn create_item<C: ConnectionTrait + TransactionTrait>(
        &mut self,
        db: &C,
        actor: &Actor,
        list: SystemListKey,
        text: &str,
    ) -> AppResult<i32> {
        let key = (list.as_str(), search_fold(text.trim()));
        if let Some(id) = self.created_items.get(&key) {
            return Ok(*id);
        }
        let item = system_lists::create_item(
            db,
            actor,
            list,
            SystemItemInput {
                title_fa: text.trim().to_owned(),
                title_en: text.trim().to_owned(),
                active: true,
            },
        )
        .await?;
        if let Some(m) = system_items::Entity::find_by_id(item.id).one(db).await? {
            self.refs.learn_item(m);
        }
        self.counts.values += 1;
        self.created_items.insert(key, item.id);
        Ok(item.id)
    }

    /// Reads one row into a checked new opportunity, or every problem it has.
    async fn row<C: ConnectionTrait + TransactionTrait>(
        &mut self,
        db: &C,
        actor: &Actor,
        line: u32,
        row: &[String],
    ) -> Result<NewOpportunity, Vec<ImportProblem>> {
        let db_err = |e: AppError| vec![problem_of(line, None, e)];
        let mut problems: Vec<ImportProblem> = vec![];
        let ctx = &self.ctx;
        let options = self.options;
        macro_rules! p {
            ($f:expr, $issue:expr) => {
                problems.push(self.ctx.problem(line, row, $f, $issue))
            };
        }

        // Related to: by customer number, then by name (or its choice); created or sent
        // to the placeholder when asked.
        let code = ctx.get(row, ImportField::IdentityCode);
        let name = ctx.get(row, ImportField::IdentityName);
        let mut identity_id = code.and_then(|c| self.look.find(ImportField::IdentityCode, c).map(|(id, _)| id));
        if identity_id.is_none() {
            if let Some(name) = name {
                let key = identities::name_key(name);
                let pick = match self.created_identities.get(&key) {
                    Some(id) => Pick::Id(*id),
                    None => match self.pick(ImportField::IdentityName, name, true) {
                        Pick::Unknown if options.create_missing_identities => Pick::Create,
                        pick => pick,
                    },
                };
                match pick {
                    Pick::Id(id) => identity_id = Some(id),
                    Pick::Create => match identities::create(db, actor, IdentityInput::organization(name)).await {
                        Ok(i) => {
                            identity_id = Some(i.id);
                            self.refs.learn_identity(i.id);
                            self.created_identities.insert(key, i.id);
                            self.counts.identities += 1;
                        }
                        Err(AppError::Validation { fields }) => {
                            for f in fields {
                                p!(ImportField::IdentityName, f.code.into());
                            }
                        }
                        Err(e) => return Err(db_err(e)),
                    },
                    Pick::Unknown | Pick::Leave => p!(ImportField::IdentityName, ImportIssue::UnknownIdentity),
                }
            } else if code.is_some() {
                p!(ImportField::IdentityCode, ImportIssue::UnknownIdentity);
            } else if let Some(id) = options.placeholder_identity_id {
                identity_id = Some(id);
            } else {
                p!(
                    if self.ctx.map.contains_key(&ImportField::IdentityName) {
                        ImportField::IdentityName
                    } else {
                        ImportField::IdentityCode
                    },
                    ImportIssue::Required
                );
            }
        }

        // The pipeline, when the file names one: its stages are the ones looked in.
        let pipeline = match self.ctx.get(row, ImportField::Pipeline) {
            Some(text) => match self.pick(ImportField::Pipeline, text, false) {
                Pick::Id(id) => Some(id),
                _ => {
                    p!(ImportField::Pipeline, ImportIssue::UnknownValue);
                    None
                }
            },
            None => None,
        };
        // The stage and what kind it is.
        let in_pipeline = |look: &Lookups, text: &str| {
            pipeline
                .and_then(|id| look.pipeline_stages.get(&id))
                .and_then(|n| n.find(text))
                .map(|(id, _)| id)
        };
        let chosen_stage = self.ctx.get(row, ImportField::Stage).and_then(|text| {
            // A value choice wins; else, with a pipeline, the stage of that name in it.
            let chosen = self
                .choices
                .contains_key(&(ImportField::Stage, search_fold(text.trim())));
            (!chosen).then(|| in_pipeline(&self.look, text)).flatten()
        });
        let (stage_id, kind) = match (self.ctx.get(row, ImportField::Stage), chosen_stage) {
            (Some(_), Some(id)) => (
                Some(id),
                self.look.stage_kind.get(&id).copied().unwrap_or(StageKind::Open),
            ),
            (Some(text), None) => match self.pick(ImportField::Stage, text, false) {
                Pick::Id(id) => (
                    Some(id),
                    self.look.stage_kind.get(&id).copied().unwrap_or(StageKind::Open),
                ),
                _ => {
                    p!(ImportField::Stage, ImportIssue::UnknownStage);
                    (None, StageKind::Open)
                }
            },
            (None, _) => {
                let id = match pipeline {
                    // The default stage if it is this pipeline's, else its first open stage.
                    Some(p) => options
                        .default_stage_id
                        .filter(|s| self.look.stage_pipeline.get(s) == Some(&p))
                        .or_else(|| self.look.pipeline_first_open.get(&p).copied()),
                    None => options.default_stage_id.or(self.look.first_open_stage),
                };
                (
                    id,
                    id.and_then(|id| self.look.stage_kind.get(&id).copied())
                        .unwrap_or(StageKind::Open),
                )
            }
        };

        // A stage of another pipeline than the row's is not one it can be in.
        if let (Some(p), Some(id)) = (pipeline, stage_id) {
            if self.look.stage_pipeline.get(&id) != Some(&p) {
                p!(ImportField::Stage, ImportIssue::UnknownStage);
            }
        }

        // Types, sources, reasons: the list's value, its choice, or created.
        let mut list_values = [None, None, None];
        for (slot, (f, list, default)) in [
            (
                ImportField::Type,
                SystemListKey::OpportunityType,
                options.default_type_id,
            ),
            (ImportField::Source, SystemListKey::Source, options.default_source_id),
            (
                ImportField::Reason,
                match kind {
                    StageKind::Lost => SystemListKey::LossReason,
                    _ => SystemListKey::WinReason,
                },
                match kind {
                    StageKind::Won => options.default_win_reason_id,
                    StageKind::Lost => options.default_loss_reason_id,
                    StageKind::Open => None,
                },
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let Some(text) = self.ctx.get(row, f) else {
                list_values[slot] = default;
                continue;
            };
            if f == ImportField::Reason && kind == StageKind::Open {
                p!(f, ImportIssue::NotAllowed);
                continue;
            }
            let pick = match self.pick(f, text, true) {
                // A reason is looked up in the list of the row's outcome.
                Pick::Id(_)
                    if f == ImportField::Reason && !self.choices.contains_key(&(f, search_fold(text.trim()))) =>
                {
                    match self.look.list(list).and_then(|n| n.find(text)) {
                        Some((id, _)) => Pick::Id(id),
                        None => Pick::Unknown,
                    }
                }
                pick => pick,
            };
            list_values[slot] = match pick {
                Pick::Id(id) => Some(id),
                Pick::Create => match self.create_item(db, actor, list, text).await {
                    Ok(id) => Some(id),
                    Err(AppError::Forbidden { .. }) => {
                        p!(f, ImportIssue::NotAllowed);
                        None
                    }
                    Err(AppError::Validation { fields }) => {
                        for x in fields {
                            p!(f, x.code.into());
                        }
                        None
                    }
                    Err(e) => return Err(db_err(e)),
                },
                Pick::Unknown | Pick::Leave => {
                    p!(f, ImportIssue::UnknownValue);
                    None
                }
            };
        }
        let [type_id, source_id, reason] = list_values;

        let assigned_user_id = match self.ctx.get(row, ImportField::AssignedUser) {
            Some(text) => {
                let key = search_fold(text.trim());
                let pick = match self.created_users.get(&key) {
                    Some(id) => Pick::Id(*id),
                    None => match self.pick(ImportField::AssignedUser, text, true) {
                        Pick::Unknown if options.create_missing_users => Pick::Create,
                        pick => pick,
                    },
                };
                match pick {
                    Pick::Id(id) => Some(id),
                    Pick::Create => {
                        let username = username_for(text, &self.look.usernames);
                        let input = UserInput {
                            username: username.clone(),
                            display_name: text.trim().to_owned(),
                            role: UserRole::Salesperson,
                            active: false,
                            password: None,
                        };
                        match users::create(db, actor, input).await {
                            Ok(u) => {
                                self.look.usernames.insert(username);
                                if let Some(mut m) = user_rows::Entity::find_by_id(u.id)
                                    .one(db)
                                    .await
                                    .map_err(|e| db_err(e.into()))?
                                {
                                    // An agent the file brings is inactive only until an
                                    // administrator gives them a password: the rows of
                                    // this file may be assigned to them.
                                    m.active = true;
                                    self.refs.learn_user(m);
                                }
                                self.created_users.insert(key, u.id);
                                self.counts.users += 1;
                                Some(u.id)
                            }
                            Err(AppError::Forbidden { .. }) => {
                                p!(ImportField::AssignedUser, ImportIssue::NotAllowed);
                                None
                            }
                            Err(AppError::Validation { fields }) => {
                                for x in fields {
                                    p!(ImportField::AssignedUser, x.code.into());
                                }
                                None
                            }
                            Err(e) => return Err(db_err(e)),
                        }
                    }
                    Pick::Unknown | Pick::Leave => {
                        p!(ImportField::AssignedUser, ImportIssue::UnknownUser);
                        None
                    }
                }
            }
            None => (!actor.manages()).then_some(actor.user_id),
        };
        let campaign_id = match self.ctx.get(row, ImportField::Campaign) {
            Some(text) => match self.pick(ImportField::Campaign, text, false) {
                Pick::Id(id) => Some(id),
                _ => {
                    p!(ImportField::Campaign, ImportIssue::UnknownValue);
                    None
                }
            },
            None => None,
        };
        let date_format = options.date_format;
        let mut date = |f: ImportField| match self.ctx.get(row, f) {
            Some(text) => {
                let d = parse_date_as(text, date_format);
                if d.is_none() {
                    problems.push(self.ctx.problem(line, row, f, ImportIssue::InvalidDate));
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
        // A won or lost row without its own win/loss day closed on its close date,
        // when that is a day it can have closed on (not ahead of today, not before it
        // opened).
        if kind != StageKind::Open && !self.ctx.map.contains_key(&ImportField::ClosedOn) {
            let today = self.look.today;
            history.closed_on = close_date.filter(|d| *d <= today && history.created_on.is_none_or(|c| c <= *d));
        }
        // The service refuses this too; said here so that a row with other problems
        // reports it as well.
        if history.closed_on.is_some() && kind == StageKind::Open {
            p!(ImportField::ClosedOn, ImportIssue::NotAllowed);
        }
        let mut number = |f: ImportField| -> Option<String> {
            let text = self.ctx.get(row, f)?;
            match parse_decimal(text) {
                Ok(d) => d.map(|d| d.to_string()),
                Err(NumberError::Ambiguous) => {
                    problems.push(self.ctx.problem(line, row, f, ImportIssue::AmbiguousNumber));
                    None
                }
                Err(_) => {
                    problems.push(self.ctx.problem(line, row, f, ImportIssue::InvalidNumber));
                    None
                }
            }
        };
        let amount = number(ImportField::EstimatedAmount);
        let quantity = number(ImportField::Quantity);
        let unit_price = number(ImportField::UnitPrice);
        // Said here too, so that a row with other problems reports this one as well.
        if amount.as_deref().is_some_and(|a| a.starts_with('-')) {
            p!(ImportField::EstimatedAmount, ImportIssue::OutOfRange);
        }
        let probability = self
            .ctx
            .get(row, ImportField::Probability)
            .map(|t| plain_number(t).trim_end_matches('%').to_owned());

        // The product line: by code, then by name (or their choices); created when asked.
        let mut lines = vec![];
        let code = self.ctx.get(row, ImportField::ProductCode);
        let pname = self.ctx.get(row, ImportField::ProductName);
        if code.is_some() || pname.is_some() {
            let field = if code.is_some() {
                ImportField::ProductCode
            } else {
                ImportField::ProductName
            };
            let key = search_fold(code.or(pname).unwrap_or_default());
            let mut pick = match self.created_products.get(&key) {
                Some(id) => Pick::Id(*id),
                None => Pick::Unknown,
            };
            if matches!(pick, Pick::Unknown) {
                if let Some(code) = code {
                    pick = self.pick(ImportField::ProductCode, code, true);
                }
            }
            if matches!(pick, Pick::Unknown) {
                if let Some(name) = pname {
                    pick = self.pick(ImportField::ProductName, name, true);
                }
            }
            if matches!(pick, Pick::Unknown) && options.create_missing_products {
                pick = Pick::Create;
            }
            let product_id = match pick {
                Pick::Id(id) => Some(id),
                Pick::Create => {
                    let input = ProductInput {
                        code: code.map(str::to_owned).unwrap_or_else(|| {
                            format!("IMP-{line}-{}", crate::clock::now().timestamp_micros() % 1_000_000)
                        }),
                        name: pname.or(code).unwrap_or_default().to_owned(),
                        category_id: imported_category(db, actor).await.map_err(db_err)?,
                        kind: ProductKind::Product,
                        unit_id: None,
                        sale_price: unit_price.clone().unwrap_or_else(|| "0".into()),
                        taxable: true,
                        saleable: true,
                        active: true,
                    };
                    match products::create(db, actor, input).await {
                        Ok(created) => {
                            if let Some(m) = product_rows::Entity::find_by_id(created.id)
                                .one(db)
                                .await
                                .map_err(|e| db_err(e.into()))?
                            {
                                self.refs.learn_product(m);
                            }
                            self.created_products.insert(key, created.id);
                            self.counts.products += 1;
                            Some(created.id)
                        }
                        Err(AppError::Validation { fields }) => {
                            for f in fields {
                                let at = if f.field == "salePrice" {
                                    ImportField::UnitPrice
                                } else {
                                    field
                                };
                                p!(at, f.code.into());
                            }
                            None
                        }
                        Err(AppError::Forbidden { .. }) => {
                            p!(field, ImportIssue::NotAllowed);
                            None
                        }
                        Err(e) => return Err(db_err(e)),
                    }
                }
                Pick::Unknown | Pick::Leave => {
                    p!(field, ImportIssue::UnknownProduct);
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
        if !problems.is_empty() {
            return Err(problems);
        }
        let (Some(identity_id), Some(stage_id)) = (identity_id, stage_id) else {
            return Err(vec![self.ctx.problem(
                line,
                row,
                ImportField::Stage,
                ImportIssue::Required,
            )]);
        };
        // The file's amount is the amount, empty meaning none; only a file without an
        // amount column lets the product lines make it, as the form does.
        let amount_mapped = self.ctx.map.contains_key(&ImportField::EstimatedAmount);
        let input = OpportunityInput {
            identity_id,
            title: self.ctx.get(row, ImportField::Title).unwrap_or_default().to_owned(),
            assigned_user_id,
            type_id,
            source_id,
            campaign_id,
            close_date,
            amount_is_manual: amount_mapped || lines.is_empty(),
            estimated_amount: amount.unwrap_or_else(|| "0".into()),
            probability_is_manual: probability.is_some(),
            probability,
            win_reason_id: (kind == StageKind::Won).then_some(reason).flatten(),
            loss_reason_id: (kind == StageKind::Lost).then_some(reason).flatten(),
            reason_note: self.ctx.get(row, ImportField::ReasonNote).map(str::to_owned),
            purchase_process_id: None,
            won_on: None,
            lost_on: None,
            custom_fields: vec![],
            competitors: vec![],
            lines,
            stage_id,
        };
        match opportunities::check_new(db, &mut self.refs, actor, input, history).await {
            Ok(new) => Ok(new),
            Err(AppError::Validation { fields }) => Err(fields
                .into_iter()
                .map(|f| {
                    let field = field_of(&f.field);
                    ImportProblem {
                        line,
                        column: field.and_then(|x| self.ctx.header(x)),
                        field,
                        issue: f.code.into(),
                        value: field
                            .and_then(|x| self.ctx.get(row, x))
                            .map(|v| v.chars().take(200).collect()),
                    }
                })
                .collect()),
            Err(e) => Err(db_err(e)),
        }
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

/// The columns of `mapping` found in the file (by header).
fn columns_of(table: &Table, mapping: &[ColumnMapping]) -> HashMap<ImportField, usize> {
    mapping
        .iter()
        .filter_map(|m| {
            table
                .headers
                .iter()
                .position(|h| h.trim() == m.column.trim())
                .map(|i| (m.field, i))
        })
        .collect()
}

/// The mapped columns found in the file, and a problem for each mapped column the file
/// lacks or whose field a file of `kind` does not have.
pub(super) fn check_columns(
    table: &Table,
    mapping: &[ColumnMapping],
    kind: ImportKind,
) -> (HashMap<ImportField, usize>, Vec<ImportProblem>) {
    let mut problems = vec![];
    for m in mapping {
        let issue = if !kind.fields().contains(&m.field) {
            ImportIssue::NotAllowed
        } else if !table.headers.iter().any(|h| h.trim() == m.column.trim()) {
            ImportIssue::MissingColumn
        } else {
            continue;
        };
        problems.push(ImportProblem {
            line: 1,
            column: Some(m.column.clone()),
            field: Some(m.field),
            issue,
            value: None,
        });
    }
    let map = columns_of(table, mapping)
        .into_iter()
        .filter(|(f, _)| kind.fields().contains(f))
        .collect();
    (map, problems)
}

/// Checks the mapping against the file: every mapped column exists; the title and the
/// identity (name or number) are mapped; type and source are mapped or defaulted.
pub(super) fn check_mapping(
    table: &Table,
    mapping: &[ColumnMapping],
    options: &ImportOptions,
) -> Result<HashMap<ImportField, usize>, Vec<ImportProblem>> {
    let (map, mut problems) = check_columns(table, mapping, ImportKind::Opportunities);
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

/// The value mapping step: the distinct values of every mapped field that names
/// something, each with what it reads as (exactly or nearly), and the small lists'
/// values to map them to. Customers are listed only when no customer has their name
/// (the others are simply theirs).
pub async fn values<C: ConnectionTrait>(db: &C, table: &Table, mapping: &[ColumnMapping]) -> AppResult<ImportValues> {
    let map = columns_of(table, mapping);
    let look = Lookups::load(db, table, &map).await?;
    let ctx = RowCtx {
        map: &map,
        headers: &table.headers,
    };
    let mut out = ImportValues {
        values: vec![],
        targets: vec![],
        rows_without_identity: 0,
        truncated: vec![],
    };
    for field in VALUE_FIELDS {
        if !map.contains_key(&field) {
            continue;
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut values: Vec<FileValue> = vec![];
        for (_, row) in &table.rows {
            let Some(text) = ctx.get(row, field) else { continue };
            if let Some(i) = seen.get(&search_fold(text)) {
                values[*i].rows += 1;
                continue;
            }
            let found = look.find(field, text);
            if field == ImportField::IdentityName && found.is_some() {
                continue;
            }
            if values.len() >= VALUES_MAX {
                if !out.truncated.contains(&field) {
                    out.truncated.push(field);
                }
                continue;
            }
            seen.insert(search_fold(text), values.len());
            values.push(FileValue {
                field,
                value: text.chars().take(200).collect(),
                rows: 1,
                match_id: found.map(|(id, _)| id),
                match_name: found
                    .and_then(|(id, _)| look.name_of(field, id))
                    .map(|(fa, _)| fa.clone()),
                near: found.is_some_and(|(_, near)| near),
            });
        }
        values.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.value.cmp(&b.value)));
        out.values.extend(values);
    }
    if map.contains_key(&ImportField::IdentityName) || map.contains_key(&ImportField::IdentityCode) {
        out.rows_without_identity = table
            .rows
            .iter()
            .filter(|(_, r)| {
                ctx.get(r, ImportField::IdentityName).is_none() && ctx.get(r, ImportField::IdentityCode).is_none()
            })
            .count() as u32;
    }
    for p in crate::service::pipelines::list(db, false).await? {
        out.targets.push(ValueTarget {
            field: ImportField::Pipeline,
            id: p.id,
            name_fa: p.name_fa,
            name_en: p.name_en,
        });
    }
    let mut stages = stage_rows::Entity::find().all(db).await?;
    stages.sort_by_key(|s| (s.sort_order, s.id));
    for s in stages.into_iter().filter(|s| !s.deleted && s.active) {
        out.targets.push(ValueTarget {
            field: ImportField::Stage,
            id: s.id,
            name_fa: s.title_fa,
            name_en: s.title_en,
        });
    }
    for u in user_rows::Entity::find()
        .order_by_asc(user_rows::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .filter(|u| u.active)
    {
        out.targets.push(ValueTarget {
            field: ImportField::AssignedUser,
            id: u.id,
            name_fa: u.display_name.clone(),
            name_en: u.display_name,
        });
    }
    let mut items = system_items::Entity::find()
        .filter(system_items::Column::Active.eq(true))
        .all(db)
        .await?;
    items.sort_by_key(|i| (i.sort_order, i.id));
    for i in items {
        let field = match SystemListKey::parse(&i.list_key) {
            Some(SystemListKey::OpportunityType) => ImportField::Type,
            Some(SystemListKey::Source) => ImportField::Source,
            Some(SystemListKey::WinReason | SystemListKey::LossReason) => ImportField::Reason,
            _ => continue,
        };
        out.targets.push(ValueTarget {
            field,
            id: i.id,
            name_fa: i.title_fa,
            name_en: i.title_en,
        });
    }
    for c in campaigns::Entity::find()
        .filter(campaigns::Column::Active.eq(true))
        .order_by_asc(campaigns::Column::Name)
        .all(db)
        .await?
    {
        out.targets.push(ValueTarget {
            field: ImportField::Campaign,
            id: c.id,
            name_fa: c.name.clone(),
            name_en: c.name,
        });
    }
    Ok(out)
}

/// Runs an import: a dry run reports every row's problems and writes nothing; a real
/// run writes everything or, when any row has a problem, nothing. Rows are read and
/// checked in memory against lookups loaded once (the form's own rules:
/// `opportunities::check_new`) and written a thousand at a time in multi-row
/// statements, all in one transaction. `cancel` stops it between rows (nothing
/// written).
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
    if options.kind != ImportKind::Opportunities {
        return super::records::run(db, actor, table, mapping, options, dry_run, progress, cancel).await;
    }
    let rows = table.rows.len() as u32;
    let mut report = ImportReport {
        unmapped: [
            ImportField::Stage,
            ImportField::AssignedUser,
            ImportField::EstimatedAmount,
            ImportField::CloseDate,
        ]
        .into_iter()
        .filter(|f| !mapping.iter().any(|m| m.field == *f))
        .collect(),
        ..ImportReport::empty(rows, dry_run)
    };
    let map = match check_mapping(table, mapping, options) {
        Ok(m) => m,
        Err(problems) => {
            report.problems = problems;
            return Ok(report);
        }
    };
    let txn = crate::service::begin(db).await?;
    let mut imp = Importer {
        ctx: RowCtx {
            map: &map,
            headers: &table.headers,
        },
        look: Lookups::load(&txn, table, &map).await?,
        options,
        choices: options
            .values
            .iter()
            .map(|c| ((c.field, search_fold(c.value.trim())), c))
            .collect(),
        refs: Refs::preload(&txn, actor).await?,
        created_identities: HashMap::new(),
        created_products: HashMap::new(),
        created_users: HashMap::new(),
        created_items: HashMap::new(),
        counts: Created::default(),
    };
    let mut batch = Vec::with_capacity(BATCH);
    for (i, (line, row)) in table.rows.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            txn.rollback().await?;
            report.cancelled = true;
            return Ok(report);
        }
        match imp.row(&txn, actor, *line, row).await {
            Ok(new) => {
                report.good_rows += 1;
                // Once a row is refused nothing will be written: the others are only
                // checked.
                if !dry_run && report.problems.is_empty() {
                    batch.push(new);
                    if batch.len() >= BATCH {
                        opportunities::insert_new(&txn, actor, std::mem::take(&mut batch)).await?;
                    }
                }
            }
            Err(problems) => {
                batch.clear();
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
    report.created_identities = imp.counts.identities;
    report.created_products = imp.counts.products;
    report.created_users = imp.counts.users;
    report.created_values = imp.counts.values;
    if dry_run || !report.problems.is_empty() || rows == 0 {
        txn.rollback().await?;
        return Ok(report);
    }
    opportunities::insert_new(&txn, actor, batch).await?;
    txn.commit().await?;
    report.written = true;
    remember(db, actor, mapping, options).await;
    Ok(report)
}

/// After a good import: the user's mapping (by header) and options, offered the next
/// time. Failing to remember is not failing the import.
async fn remember<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    mapping: &[ColumnMapping],
    options: &ImportOptions,
) {
    let remembered: HashMap<String, String> = mapping
        .iter()
        .map(|m| (header_key(&m.column), m.field.as_str().to_owned()))
        .collect();
    if let Ok(json) = serde_json::to_string(&remembered) {
        settings::set_user_value(db, actor, MAPPING_KEY, Some(&json)).await.ok();
    }
    // The choices too, when they fit (a file of thousands of agents' names may not).
    let mut options = options.clone();
    for _ in 0..2 {
        if let Ok(json) = serde_json::to_string(&options) {
            if json.chars().count() <= settings::USER_VALUE_MAX {
                settings::set_user_value(db, actor, OPTIONS_KEY, Some(&json)).await.ok();
                return;
            }
        }
        options.values.clear();
    }
}

/// The options of the user's last good import.
pub(super) async fn remembered_options<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Option<ImportOptions>> {
    Ok(settings::user_value(db, actor, OPTIONS_KEY)
        .await?
        .and_then(|v| serde_json::from_str::<ImportOptions>(&v).ok()))
}
