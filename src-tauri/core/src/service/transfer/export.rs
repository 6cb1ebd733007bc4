//! Exporting the filtered, sorted opportunity list to CSV / XLSX, streamed from the
//! list query and written as it is read (a cancelled export leaves no file).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use futures_util::StreamExt;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, StreamTrait};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::clock::Clock;
use crate::domain::enums::string_enum;
use crate::domain::{jalali, Calendar, Language, ValidationCode};
use crate::entity::{stages as stage_rows, system_items};
use crate::error::{AppError, AppResult};
use crate::service::pipeline::{self, ListColumn, OpportunityFilter, SortKey};
use crate::service::{settings, Actor};

use super::*;

string_enum!(ExportFormat { Csv = "csv", Xlsx = "xlsx" });

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    pub filter: OpportunityFilter,
    pub sort: Vec<SortKey>,
    /// The columns, in order; empty = every column.
    pub columns: Vec<ListColumn>,
    pub format: ExportFormat,
    /// Headers and list values (stage, type, source) in this language.
    pub language: Language,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    pub path: String,
    pub rows: u32,
}

pub(super) fn column_title(c: ListColumn, lang: Language) -> &'static str {
    let (fa, en) = match c {
        ListColumn::Title => ("عنوان", "Title"),
        ListColumn::Identity => ("مرتبط با", "Related to"),
        ListColumn::Stage => ("مرحله فروش", "Sales stage"),
        ListColumn::AssignedTo => ("تخصیص داده شده به", "Assigned to"),
        ListColumn::Type => ("نوع", "Type"),
        ListColumn::Source => ("منبع", "Source"),
        ListColumn::Campaign => ("کمپین", "Campaign"),
        ListColumn::Estimated => ("مبلغ برآورد", "Estimated amount"),
        ListColumn::Probability => ("احتمال موفقیت", "Probability"),
        ListColumn::Expected => ("مبلغ مورد انتظار", "Expected amount"),
        ListColumn::Realized => ("مبلغ محقق شده", "Realized amount"),
        ListColumn::CloseDate => ("تاریخ بسته شدن", "Close date"),
        ListColumn::Created => ("تاریخ ایجاد", "Created"),
        ListColumn::DaysOpen => ("روزهای باز", "Days open"),
        ListColumn::Reason => ("دلیل موفقیت/شکست", "Win/loss reason"),
        ListColumn::ReasonNote => ("توضیح دلیل", "Reason note"),
        ListColumn::ClosedOn => ("تاریخ موفقیت/شکست", "Won/lost on"),
        ListColumn::Pipeline => ("قیف فروش", "Pipeline"),
    };
    match lang {
        Language::Fa => fa,
        Language::En => en,
    }
}

pub(super) enum Cell {
    Text(String),
    Number(Decimal),
    Empty,
}

pub(super) struct Names {
    stages: HashMap<i32, (String, String)>,
    /// Each stage's pipeline's names (an opportunity's pipeline is its stage's).
    stage_pipelines: HashMap<i32, (String, String)>,
    items: HashMap<i32, (String, String)>,
}

impl Names {
    async fn load<C: ConnectionTrait>(db: &C) -> AppResult<Self> {
        let pipelines: HashMap<i32, (String, String)> = crate::entity::pipelines::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, (p.name_fa, p.name_en)))
            .collect();
        let stages = stage_rows::Entity::find().all(db).await?;
        Ok(Self {
            stage_pipelines: stages
                .iter()
                .filter_map(|s| Some((s.id, pipelines.get(&s.pipeline_id)?.clone())))
                .collect(),
            stages: stages.into_iter().map(|s| (s.id, (s.title_fa, s.title_en))).collect(),
            items: system_items::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|s| (s.id, (s.title_fa, s.title_en)))
                .collect(),
        })
    }

    fn pick(map: &HashMap<i32, (String, String)>, id: i32, lang: Language) -> String {
        map.get(&id)
            .map(|(fa, en)| if lang == Language::Fa { fa.clone() } else { en.clone() })
            .unwrap_or_default()
    }
}

pub(super) fn date_text(d: NaiveDate, calendar: Calendar) -> String {
    match calendar {
        Calendar::Jalali => {
            let (y, m, dd) = jalali::from_gregorian(d);
            format!("{y:04}/{m:02}/{dd:02}")
        }
        Calendar::Gregorian => d.format("%Y-%m-%d").to_string(),
    }
}

pub(super) fn cells(
    row: &pipeline::OpportunityRow,
    columns: &[ListColumn],
    names: &Names,
    lang: Language,
    cal: Calendar,
    clock: &Clock,
) -> Vec<Cell> {
    columns
        .iter()
        .map(|c| match c {
            ListColumn::Title => Cell::Text(row.title.clone()),
            ListColumn::Identity => Cell::Text(row.identity_name.clone()),
            ListColumn::Stage => Cell::Text(Names::pick(&names.stages, row.stage_id, lang)),
            ListColumn::Pipeline => Cell::Text(Names::pick(&names.stage_pipelines, row.stage_id, lang)),
            ListColumn::AssignedTo => row.assigned_user_name.clone().map(Cell::Text).unwrap_or(Cell::Empty),
            ListColumn::Type => Cell::Text(Names::pick(&names.items, row.type_id, lang)),
            ListColumn::Source => Cell::Text(Names::pick(&names.items, row.source_id, lang)),
            ListColumn::Campaign => row.campaign_name.clone().map(Cell::Text).unwrap_or(Cell::Empty),
            ListColumn::Estimated => Cell::Number(row.estimated_amount),
            ListColumn::Probability => Cell::Number(row.probability.into()),
            ListColumn::Expected => Cell::Number(row.expected_amount),
            ListColumn::Realized => Cell::Number(row.realized_amount),
            ListColumn::CloseDate => row
                .close_date
                .map(|d| Cell::Text(date_text(d, cal)))
                .unwrap_or(Cell::Empty),
            ListColumn::Created => Cell::Text(date_text(clock.date_of(row.created_at), cal)),
            ListColumn::DaysOpen => Cell::Number(row.days_open.into()),
            ListColumn::Reason => row
                .win_reason_id
                .or(row.loss_reason_id)
                .map(|id| Cell::Text(Names::pick(&names.items, id, lang)))
                .unwrap_or(Cell::Empty),
            ListColumn::ReasonNote => row.reason_note.clone().map(Cell::Text).unwrap_or(Cell::Empty),
            ListColumn::ClosedOn => row
                .won_on
                .or(row.lost_on)
                .map(|d| Cell::Text(date_text(d, cal)))
                .unwrap_or(Cell::Empty),
        })
        .collect()
}

/// Text a spreadsheet would run as a formula gets a leading apostrophe.
pub(super) fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// The text [`csv_text`] guarded, as it was: what Forsat exports imports back unchanged.
pub(super) fn unguarded(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

pub(super) trait SheetWriter {
    fn row(&mut self, cells: &[Cell]) -> AppResult<()>;
    fn finish(self: Box<Self>) -> AppResult<()>;
}

pub(super) struct CsvOut(csv::Writer<std::io::BufWriter<std::fs::File>>);

impl SheetWriter for CsvOut {
    fn row(&mut self, cells: &[Cell]) -> AppResult<()> {
        let record: Vec<String> = cells
            .iter()
            .map(|c| match c {
                Cell::Text(t) => csv_text(t),
                Cell::Number(n) => n.normalize().to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        self.0.write_record(&record).map_err(io_error)
    }

    fn finish(mut self: Box<Self>) -> AppResult<()> {
        self.0.flush().map_err(io_error)
    }
}

pub(super) struct XlsxOut {
    book: rust_xlsxwriter::Workbook,
    path: std::path::PathBuf,
    row: u32,
    rtl: bool,
}

impl SheetWriter for XlsxOut {
    fn row(&mut self, cells: &[Cell]) -> AppResult<()> {
        let header = self.row == 0;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let sheet = match self.book.worksheet_from_index(0) {
            Ok(s) => s,
            Err(e) => return Err(AppError::database(&e.to_string())),
        };
        if header && self.rtl {
            sheet.set_right_to_left(true);
        }
        for (i, c) in cells.iter().enumerate() {
            let col = i as u16;
            let res = match c {
                Cell::Text(t) if header => sheet.write_string_with_format(self.row, col, t, &bold).map(|_| ()),
                Cell::Text(t) => sheet.write_string(self.row, col, t).map(|_| ()),
                Cell::Number(n) => sheet.write_number(self.row, col, n.to_f64().unwrap_or(0.0)).map(|_| ()),
                Cell::Empty => Ok(()),
            };
            res.map_err(|e| AppError::database(&e.to_string()))?;
        }
        self.row += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> AppResult<()> {
        self.book
            .save(&self.path)
            .map_err(|e| AppError::database(&e.to_string()))
    }
}

/// An XLSX sheet holds at most this many rows (one is the header).
pub const XLSX_MAX_ROWS: u32 = 1_048_575;

/// Writes the filtered, sorted list to `path`, streaming rows from the database.
/// `progress(done, total)` is called as rows are written; setting `cancel` stops the
/// export and removes the partial file.
pub async fn export(
    db: &DatabaseConnection,
    actor: &Actor,
    req: &ExportRequest,
    path: &Path,
    progress: &mut (dyn FnMut(TransferProgress) + Send),
    cancel: &AtomicBool,
) -> AppResult<ExportResult> {
    let r = pipeline::resolve(db, &req.filter).await?;
    let total = pipeline::totals(db, actor, &req.filter).await?.count;
    if req.format == ExportFormat::Xlsx && total > XLSX_MAX_ROWS {
        let mut v = crate::domain::Validator::new();
        v.push_limit("format", ValidationCode::TooLong, None, Some(XLSX_MAX_ROWS.to_string()));
        v.finish()?;
    }
    let columns: Vec<ListColumn> = if req.columns.is_empty() {
        ListColumn::ALL.to_vec()
    } else {
        req.columns.clone()
    };
    let names = Names::load(db).await?;
    let cal = settings::get(db).await?.calendar;
    // Creation days in the configured zone, as the list shows them.
    let clock = settings::clock(db).await?;
    let mut out: Box<dyn SheetWriter + Send> = match req.format {
        ExportFormat::Csv => {
            let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(io_error)?);
            // A byte order mark, so spreadsheet programs read the Persian text as UTF-8.
            file.write_all("\u{feff}".as_bytes()).map_err(io_error)?;
            Box::new(CsvOut(
                csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(file),
            ))
        }
        ExportFormat::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            book.add_worksheet_with_constant_memory();
            Box::new(XlsxOut {
                book,
                path: path.to_owned(),
                row: 0,
                rtl: req.language == Language::Fa,
            })
        }
    };
    let header: Vec<Cell> = columns
        .iter()
        .map(|c| Cell::Text(column_title(*c, req.language).to_owned()))
        .collect();
    out.row(&header)?;
    let q = pipeline::rows_query(&r, actor, &req.sort);
    let mut done = 0u32;
    progress(TransferProgress { done, total });
    let result = async {
        let mut stream = db.stream(&q).await?;
        while let Some(row) = stream.next().await {
            if cancel.load(Ordering::Relaxed) {
                return Err(AppError::Conflict {
                    entity: "export".into(),
                    id: "cancelled".into(),
                });
            }
            let row = pipeline::read_row(&row?, r.today())?;
            out.row(&cells(&row, &columns, &names, req.language, cal, &clock))?;
            done += 1;
            if done % (PROGRESS_EVERY * 4) == 0 {
                progress(TransferProgress { done, total });
            }
        }
        Ok::<_, AppError>(())
    }
    .await;
    if let Err(e) = result {
        std::fs::remove_file(path).ok();
        return Err(e);
    }
    out.finish()?;
    progress(TransferProgress { done, total: done });
    Ok(ExportResult {
        path: path.display().to_string(),
        rows: done,
    })
}

/// A file name for an export made on `today`, e.g. `opportunities-2026-11-29.csv`.
pub fn export_file_name(format: ExportFormat, today: NaiveDate) -> String {
    format!("opportunities-{}.{}", today.format("%Y-%m-%d"), format.as_str())
}

/// A free path in the export folder (created when missing) for an export made today,
/// by the configured clock.
pub async fn export_path<C: ConnectionTrait>(db: &C, format: ExportFormat) -> AppResult<PathBuf> {
    let dir = export_dir();
    std::fs::create_dir_all(&dir).map_err(|e| AppError::database(&format!("export folder: {e}")))?;
    let today = settings::clock(db).await?.today();
    Ok(free_path(&dir, &export_file_name(format, today)))
}
