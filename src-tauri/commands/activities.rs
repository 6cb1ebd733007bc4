//! Following up: activities and their reminders, comments and mentions, the timeline,
//! "my day" and the activities report.

use tauri::State;

use super::{command, AppState};
use forsat_core::domain::{ActivityStatus, Language};
use forsat_core::error::AppResult;
use forsat_core::service::activities::{
    self, Activity, ActivityInput, ActivityQuery, ActivityReportRequest, ActivityReportRow, MyDay, Reminders,
};
use forsat_core::service::comments::{self, Comment, CommentInput, Mentions};
use forsat_core::service::timeline::{self, TimelineItem, TimelineRequest};
use forsat_core::service::transfer::{self, ExportResult};

/// The activities of an opportunity, an identity or a user that one may see.
#[command]
pub async fn list_activities(state: State<'_, AppState>, query: ActivityQuery) -> AppResult<Vec<Activity>> {
    activities::list(&state.db()?, &state.actor()?, &query).await
}

#[command]
pub async fn get_activity(state: State<'_, AppState>, id: i32) -> AppResult<Activity> {
    activities::get(&state.db()?, &state.actor()?, id).await
}

#[command]
pub async fn create_activity(state: State<'_, AppState>, input: ActivityInput) -> AppResult<Activity> {
    activities::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_activity(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: ActivityInput,
) -> AppResult<Activity> {
    activities::update(&state.db()?, &state.actor()?, id, version, input).await
}

/// Marks a planned activity done (with its outcome) or cancelled.
#[command]
pub async fn finish_activity(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    status: ActivityStatus,
    outcome: Option<String>,
) -> AppResult<Activity> {
    activities::finish(&state.db()?, &state.actor()?, id, version, status, outcome).await
}

#[command]
pub async fn delete_activity(state: State<'_, AppState>, id: i32) -> AppResult<()> {
    activities::delete(&state.db()?, &state.actor()?, id).await
}

/// The signed-in user's due (and missed) reminders, and those of the next day.
#[command]
pub async fn reminders(state: State<'_, AppState>) -> AppResult<Reminders> {
    activities::reminders(&state.db()?, &state.actor()?).await
}

/// The window showed these reminders as notifications.
#[command]
pub async fn mark_reminders_shown(state: State<'_, AppState>, ids: Vec<i32>) -> AppResult<()> {
    activities::mark_reminders_shown(&state.db()?, &state.actor()?, ids).await
}

#[command]
pub async fn dismiss_reminder(state: State<'_, AppState>, id: i32) -> AppResult<()> {
    activities::dismiss_reminder(&state.db()?, &state.actor()?, id).await
}

#[command]
pub async fn my_day(state: State<'_, AppState>) -> AppResult<MyDay> {
    activities::my_day(&state.db()?, &state.actor()?).await
}

/// Activities per user and kind over a period.
#[command]
pub async fn activity_report(
    state: State<'_, AppState>,
    request: ActivityReportRequest,
) -> AppResult<Vec<ActivityReportRow>> {
    activities::report(&state.db()?, &state.actor()?, &request).await
}

/// Writes the activities of a query to a CSV file: where the user chooses (`None`: the
/// save dialog was closed), or in the fixed export folder.
#[command]
pub async fn export_activities(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    query: ActivityQuery,
    language: Language,
) -> AppResult<Option<ExportResult>> {
    let db = state.db()?;
    let rows = activities::list_all(&db, &state.actor()?, &query).await?;
    let settings = forsat_core::service::settings::get(&db).await?;
    let bytes = transfer::activities_csv(&rows, language, settings.calendar, &settings.clock())?;
    let name = format!("activities-{}.csv", settings.clock().today().format("%Y-%m-%d"));
    let Some(path) = super::transfer::save_where_asked(&app, &name, &bytes).await? else {
        return Ok(None);
    };
    Ok(Some(ExportResult {
        path: path.display().to_string(),
        rows: rows.len() as u32,
    }))
}

#[command]
pub async fn list_comments(state: State<'_, AppState>, opportunity_id: i32) -> AppResult<Vec<Comment>> {
    comments::list(&state.db()?, &state.actor()?, opportunity_id).await
}

/// Adds a comment; the users it mentions get it in their bell.
#[command]
pub async fn add_comment(state: State<'_, AppState>, input: CommentInput) -> AppResult<Comment> {
    comments::add(&state.db()?, &state.actor()?, input.opportunity_id, input.body).await
}

#[command]
pub async fn mentions(state: State<'_, AppState>) -> AppResult<Mentions> {
    comments::mentions_of(&state.db()?, &state.actor()?).await
}

/// Marks one's mentions read (every one when `ids` is empty).
#[command]
pub async fn mark_mentions_read(state: State<'_, AppState>, ids: Vec<i32>) -> AppResult<()> {
    comments::mark_read(&state.db()?, &state.actor()?, ids).await
}

#[command]
pub async fn timeline(state: State<'_, AppState>, request: TimelineRequest) -> AppResult<Vec<TimelineItem>> {
    timeline::timeline(&state.db()?, &state.actor()?, &request).await
}

/// Shows the signed-in user's due reminders among `ids` that were not shown yet as
/// OS notifications (also when the window is in the background), and notes them
/// shown. Returns the activities it notified about; a system without a notification
/// service still gets them in the bell.
#[command]
pub async fn notify_reminders(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i32>,
    language: Language,
) -> AppResult<Vec<i32>> {
    use tauri_plugin_notification::NotificationExt;
    if ids.len() > 200 {
        return Err(forsat_core::error::AppError::field(
            "ids",
            forsat_core::domain::ValidationCode::TooLong,
        ));
    }
    let db = state.db()?;
    let actor = state.actor()?;
    let due: Vec<Activity> = activities::reminders(&db, &actor)
        .await?
        .due
        .into_iter()
        .filter(|a| ids.contains(&a.id) && a.reminder_shown_at.is_none())
        .collect();
    let title = match language {
        Language::Fa => "یادآوری",
        Language::En => "Reminder",
    };
    for a in &due {
        let mut body = a.subject.clone();
        for part in [
            a.opportunity_title.as_deref(),
            Some(a.identity_name.as_str()),
            a.due_time.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        {
            body.push_str(" · ");
            body.push_str(part);
        }
        if let Err(e) = app.notification().builder().id(a.id).title(title).body(body).show() {
            log::warn!("could not show a reminder notification: {e}");
        }
    }
    let shown: Vec<i32> = due.iter().map(|a| a.id).collect();
    activities::mark_reminders_shown(&db, &actor, shown.clone()).await?;
    Ok(shown)
}
