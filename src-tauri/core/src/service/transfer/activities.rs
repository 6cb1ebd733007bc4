//! The activities list as CSV (UTF-8 with a byte order mark, as the opportunity
//! export): one row per activity, in the language's headers and values.

use crate::clock::Clock;
use crate::domain::{ActivityKind, ActivityStatus, Calendar, CallDirection, CallResult, Language};
use crate::error::AppResult;
use crate::service::activities::Activity;

use super::export::{csv_text, date_text};
use super::io_error;

fn pick(lang: Language, fa: &'static str, en: &'static str) -> &'static str {
    match lang {
        Language::Fa => fa,
        Language::En => en,
    }
}

pub fn kind_title(k: ActivityKind, lang: Language) -> &'static str {
    match k {
        ActivityKind::Task => pick(lang, "پیگیری", "Follow-up"),
        ActivityKind::Call => pick(lang, "تماس تلفنی", "Phone call"),
        ActivityKind::Meeting => pick(lang, "جلسه", "Meeting"),
        ActivityKind::Note => pick(lang, "یادداشت", "Note"),
    }
}

fn status_title(s: ActivityStatus, lang: Language) -> &'static str {
    match s {
        ActivityStatus::Planned => pick(lang, "برنامه‌ریزی شده", "Planned"),
        ActivityStatus::Done => pick(lang, "انجام شده", "Done"),
        ActivityStatus::Cancelled => pick(lang, "لغو شده", "Cancelled"),
    }
}

fn direction_title(d: CallDirection, lang: Language) -> &'static str {
    match d {
        CallDirection::Incoming => pick(lang, "ورودی", "Incoming"),
        CallDirection::Outgoing => pick(lang, "خروجی", "Outgoing"),
    }
}

fn result_title(r: CallResult, lang: Language) -> &'static str {
    match r {
        CallResult::Reached => pick(lang, "پاسخ داده شد", "Reached"),
        CallResult::NoAnswer => pick(lang, "پاسخ نداد", "No answer"),
        CallResult::Busy => pick(lang, "اشغال", "Busy"),
        CallResult::Voicemail => pick(lang, "پیغام گذاشته شد", "Left a voicemail"),
        CallResult::WrongNumber => pick(lang, "شماره اشتباه", "Wrong number"),
    }
}

/// The CSV of `rows`.
pub fn activities_csv(rows: &[Activity], lang: Language, cal: Calendar, clock: &Clock) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let headers = [
        pick(lang, "نوع", "Kind"),
        pick(lang, "موضوع", "Subject"),
        pick(lang, "مرتبط با", "Related to"),
        pick(lang, "فرصت", "Opportunity"),
        pick(lang, "تخصیص داده شده به", "Assigned to"),
        pick(lang, "تاریخ سررسید", "Due date"),
        pick(lang, "ساعت", "Time"),
        pick(lang, "مدت (دقیقه)", "Duration (minutes)"),
        pick(lang, "وضعیت", "Status"),
        pick(lang, "جهت تماس", "Call direction"),
        pick(lang, "نتیجه تماس", "Call result"),
        pick(lang, "نتیجه", "Outcome"),
        pick(lang, "تاریخ انجام", "Completed on"),
        pick(lang, "تاریخ ایجاد", "Created"),
    ];
    w.write_record(headers).map_err(io_error)?;
    for a in rows {
        let record = [
            kind_title(a.kind, lang).to_owned(),
            csv_text(&a.subject),
            csv_text(&a.identity_name),
            a.opportunity_title.as_deref().map(csv_text).unwrap_or_default(),
            a.assigned_user_name.as_deref().map(csv_text).unwrap_or_default(),
            a.due_on.map(|d| date_text(d, cal)).unwrap_or_default(),
            a.due_time.clone().unwrap_or_default(),
            a.duration_minutes.map(|m| m.to_string()).unwrap_or_default(),
            status_title(a.status, lang).to_owned(),
            a.direction
                .map(|d| direction_title(d, lang).to_owned())
                .unwrap_or_default(),
            a.call_result
                .map(|r| result_title(r, lang).to_owned())
                .unwrap_or_default(),
            a.outcome.as_deref().map(csv_text).unwrap_or_default(),
            a.completed_at
                .map(|t| date_text(clock.date_of(t), cal))
                .unwrap_or_default(),
            date_text(clock.date_of(a.created_at), cal),
        ];
        w.write_record(&record).map_err(io_error)?;
    }
    w.into_inner().map_err(io_error)
}
