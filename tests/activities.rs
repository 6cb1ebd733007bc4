//! Following up, on both backends: activities with the opportunity's visibility, due
//! times in the configured time zone, reminders that come due (and those missed while
//! closed), completing, the change log; comments whose mentions reach the other user's
//! bell; the timeline; "my day"; the no-next-step filter; the report and the export.

mod common;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use forsat_core::clock::with_now;
use forsat_core::domain::{ActivityKind, ActivityStatus, CallDirection, CallResult, Language, TimelineKind, UserRole};
use forsat_core::error::AppError;
use forsat_core::service::activities::{self, ActivityInput, ActivityQuery, ActivityReportRequest};
use forsat_core::service::comments;
use forsat_core::service::opportunities;
use forsat_core::service::pipeline::{self, ListRequest, OpportunityFilter};
use forsat_core::service::settings::{self, SettingsPatch};
use forsat_core::service::timeline::{self, TimelineRequest};
use forsat_core::service::users::{self, UserInput};
use forsat_core::service::{changelog, Actor};
use sea_orm::DatabaseConnection;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn refused(r: Result<impl std::fmt::Debug, AppError>, fields: &[&str]) {
    match r {
        Err(AppError::Validation { fields: got }) => {
            let got: Vec<&str> = got.iter().map(|f| f.field.as_str()).collect();
            for f in fields {
                assert!(got.contains(f), "{f} not refused in {got:?}");
            }
        }
        other => panic!("expected a refusal of {fields:?}, got {other:?}"),
    }
}

async fn salesperson(db: &DatabaseConnection, admin: &Actor, name: &str) -> Actor {
    let u = users::create(
        db,
        admin,
        UserInput {
            username: name.into(),
            display_name: format!("User {name}"),
            role: UserRole::Salesperson,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap();
    Actor {
        user_id: u.id,
        role: UserRole::Salesperson,
    }
}

fn task(opportunity_id: i32, due_on: NaiveDate, time: Option<&str>) -> ActivityInput {
    ActivityInput {
        kind: ActivityKind::Task,
        subject: "Call back about the quote".into(),
        opportunity_id: Some(opportunity_id),
        identity_id: None,
        assigned_user_id: None,
        due_on: Some(due_on),
        due_time: time.map(Into::into),
        duration_minutes: Some(15),
        status: ActivityStatus::Planned,
        direction: None,
        call_result: None,
        outcome: None,
        remind_before_minutes: None,
    }
}

struct World {
    admin: Actor,
    rep: Actor,
    other: Actor,
    /// The rep's opportunity, and the other salesperson's.
    mine: i32,
    theirs: i32,
}

async fn world(db: &DatabaseConnection) -> World {
    let admin = common::admin(db).await;
    settings::update(
        db,
        &admin,
        SettingsPatch {
            time_zone: Some("Asia/Tehran".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let rep = salesperson(db, &admin, "rep").await;
    let other = salesperson(db, &admin, "sara").await;
    let mut input = common::opportunity_input(db, &admin).await;
    input.assigned_user_id = Some(rep.user_id);
    let mine = opportunities::create(db, &rep, input.clone()).await.unwrap().id;
    input.assigned_user_id = Some(other.user_id);
    input.title = "Sara's deal".into();
    let theirs = opportunities::create(db, &other, input).await.unwrap().id;
    World {
        admin,
        rep,
        other,
        mine,
        theirs,
    }
}

/// Rules of an activity: what it is on, whom it is for, when; every refusal typed and
/// nothing written; visibility as the opportunity's; the change log.
async fn activities_follow_the_rules(db: DatabaseConnection) {
    let w = world(&db).await;
    let today = day(2026, 12, 3);
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 6, 0, 0).unwrap(); // 09:30 in Tehran
    with_now(now, async {
        // Bad input, all at once: no subject, a bad time, a direction on a task, too long
        // a duration; then a reminder on a day-only task, a negative one, a planned note.
        let mut bad = task(w.mine, today, Some("25:61"));
        bad.subject = "  ".into();
        bad.direction = Some(CallDirection::Incoming);
        bad.duration_minutes = Some(100_000);
        refused(
            activities::create(&db, &w.rep, bad).await,
            &["subject", "dueTime", "direction", "durationMinutes"],
        );
        let mut day_only = task(w.mine, today, None);
        day_only.remind_before_minutes = Some(10);
        refused(
            activities::create(&db, &w.rep, day_only).await,
            &["remindBeforeMinutes"],
        );
        let mut negative = task(w.mine, today, Some("10:00"));
        negative.remind_before_minutes = Some(-5);
        refused(
            activities::create(&db, &w.rep, negative).await,
            &["remindBeforeMinutes"],
        );
        let mut note = task(w.mine, today, None);
        note.kind = ActivityKind::Note;
        refused(activities::create(&db, &w.rep, note).await, &["status"]);
        let mut undated = task(w.mine, today, None);
        undated.due_on = None;
        refused(activities::create(&db, &w.rep, undated).await, &["dueOn"]);
        let mut far = task(w.mine, day(9999, 1, 1), None);
        far.remind_before_minutes = None;
        refused(activities::create(&db, &w.rep, far).await, &["dueOn"]);
        // Not on someone else's deal, not for someone else.
        assert!(matches!(
            activities::create(&db, &w.rep, task(w.theirs, today, None)).await,
            Err(AppError::Validation { .. })
        ));
        let mut for_sara = task(w.mine, today, None);
        for_sara.assigned_user_id = Some(w.other.user_id);
        refused(activities::create(&db, &w.rep, for_sara).await, &["assignedUserId"]);
        assert!(activities::list(&db, &w.admin, &ActivityQuery::default())
            .await
            .unwrap()
            .is_empty());

        // A follow-up at 14:30 Tehran time is 11:00 UTC, due today, not overdue yet.
        let mut input = task(w.mine, today, Some("۱۴:۳۰"));
        input.assigned_user_id = Some(w.rep.user_id);
        let a = activities::create(&db, &w.rep, input.clone()).await.unwrap();
        assert_eq!(a.due_at, Some(Utc.with_ymd_and_hms(2026, 12, 3, 11, 0, 0).unwrap()));
        assert_eq!((a.due_on, a.due_time.as_deref()), (Some(today), Some("14:30")));
        assert!(!a.overdue);
        assert_eq!(a.identity_name, "Pars Office Co.");
        // Sara does not see it; the admin does.
        assert!(matches!(
            activities::get(&db, &w.other, a.id).await,
            Err(AppError::Forbidden { .. })
        ));
        assert!(activities::list(&db, &w.other, &ActivityQuery::default())
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            activities::list(&db, &w.admin, &ActivityQuery::default())
                .await
                .unwrap()
                .len(),
            1
        );
        // A stale version is a conflict; the edit and the completion are logged.
        input.subject = "Send the revised quote".into();
        let edited = activities::update(&db, &w.rep, a.id, a.version, input.clone())
            .await
            .unwrap();
        assert!(matches!(
            activities::update(&db, &w.rep, a.id, a.version, input).await,
            Err(AppError::Conflict { .. })
        ));
        let done = activities::finish(
            &db,
            &w.rep,
            a.id,
            edited.version,
            ActivityStatus::Done,
            Some("Sent".into()),
        )
        .await
        .unwrap();
        assert_eq!(
            (done.status, done.outcome.as_deref()),
            (ActivityStatus::Done, Some("Sent"))
        );
        assert_eq!(done.completed_at, Some(now));
        let log = changelog::history(&db, activities::ENTITY, a.id).await.unwrap();
        assert_eq!(log.len(), 3, "{log:?}");
        assert!(log[0].changes.iter().any(|c| c.field == "status"));
        assert!(log[1].changes.iter().any(|c| c.field == "subject"));

        // A call carries its direction and result; an identity-only note needs no day.
        let call = activities::create(
            &db,
            &w.rep,
            ActivityInput {
                kind: ActivityKind::Call,
                direction: Some(CallDirection::Outgoing),
                call_result: Some(CallResult::NoAnswer),
                status: ActivityStatus::Done,
                ..task(w.mine, today, Some("09:00"))
            },
        )
        .await
        .unwrap();
        assert_eq!(call.call_result, Some(CallResult::NoAnswer));
        let identity = call.identity_id;
        let note = activities::create(
            &db,
            &w.rep,
            ActivityInput {
                kind: ActivityKind::Note,
                opportunity_id: None,
                identity_id: Some(identity),
                due_on: None,
                status: ActivityStatus::Done,
                ..task(w.mine, today, None)
            },
        )
        .await
        .unwrap();
        assert_eq!(note.opportunity_id, None);
        let of_identity = activities::list(
            &db,
            &w.rep,
            &ActivityQuery {
                identity_id: Some(identity),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(of_identity.len(), 3);
        activities::delete(&db, &w.rep, note.id).await.unwrap();
        assert!(matches!(
            activities::delete(&db, &w.other, call.id).await,
            Err(AppError::Forbidden { .. })
        ));
    })
    .await;
}

/// Reminders: due at their time, in the bell until dismissed or done; those that came
/// while the app was closed are still there (not yet shown); another user never sees
/// them; "today" and "overdue" are the configured zone's.
async fn reminders_come_due(db: DatabaseConnection) {
    let w = world(&db).await;
    let today = day(2026, 12, 3);
    let at_0930 = Utc.with_ymd_and_hms(2026, 12, 3, 6, 0, 0).unwrap();
    let a = with_now(at_0930, async {
        let mut input = task(w.mine, today, Some("10:00"));
        input.assigned_user_id = Some(w.rep.user_id);
        input.remind_before_minutes = Some(15);
        activities::create(&db, &w.rep, input).await.unwrap()
    })
    .await;
    assert_eq!(a.remind_at, Some(Utc.with_ymd_and_hms(2026, 12, 3, 6, 15, 0).unwrap()));
    assert_eq!(a.remind_before_minutes, Some(15));
    // 09:40: upcoming, not due.
    with_now(at_0930 + Duration::minutes(10), async {
        let r = activities::reminders(&db, &w.rep).await.unwrap();
        assert!(r.due.is_empty());
        assert_eq!(r.upcoming.iter().map(|x| x.id).collect::<Vec<_>>(), vec![a.id]);
    })
    .await;
    // 11:00 (the app was closed at 09:45): due, not yet shown — the missed one.
    with_now(at_0930 + Duration::minutes(90), async {
        let r = activities::reminders(&db, &w.rep).await.unwrap();
        assert_eq!(r.due.len(), 1);
        assert!(r.due[0].reminder_shown_at.is_none());
        assert!(r.due[0].overdue, "10:00 has passed");
        assert!(activities::reminders(&db, &w.other).await.unwrap().due.is_empty());
        activities::mark_reminders_shown(&db, &w.other, vec![a.id])
            .await
            .unwrap();
        assert!(activities::reminders(&db, &w.rep).await.unwrap().due[0]
            .reminder_shown_at
            .is_none());
        activities::mark_reminders_shown(&db, &w.rep, vec![a.id]).await.unwrap();
        let r = activities::reminders(&db, &w.rep).await.unwrap();
        assert!(r.due[0].reminder_shown_at.is_some(), "shown, still in the bell");
        assert!(matches!(
            activities::dismiss_reminder(&db, &w.other, a.id).await,
            Err(AppError::Forbidden { .. })
        ));
        activities::dismiss_reminder(&db, &w.rep, a.id).await.unwrap();
        assert!(activities::reminders(&db, &w.rep).await.unwrap().due.is_empty());
    })
    .await;
    // Moving it to tomorrow arms the reminder again; doing it ends it.
    let moved = with_now(at_0930 + Duration::minutes(100), async {
        let fresh = activities::get(&db, &w.rep, a.id).await.unwrap();
        let mut input = task(w.mine, day(2026, 12, 4), Some("10:00"));
        input.assigned_user_id = Some(w.rep.user_id);
        input.remind_before_minutes = Some(0);
        activities::update(&db, &w.rep, a.id, fresh.version, input)
            .await
            .unwrap()
    })
    .await;
    assert!(moved.reminder_dismissed_at.is_none() && moved.reminder_shown_at.is_none());
    with_now(Utc.with_ymd_and_hms(2026, 12, 4, 7, 0, 0).unwrap(), async {
        assert_eq!(activities::reminders(&db, &w.rep).await.unwrap().due.len(), 1);
        activities::finish(&db, &w.rep, a.id, moved.version, ActivityStatus::Done, None)
            .await
            .unwrap();
        assert!(activities::reminders(&db, &w.rep).await.unwrap().due.is_empty());
    })
    .await;

    // 23:00 UTC on the 3rd is already the 4th in Tehran: a task due on the 4th is
    // today's, and one due on the 3rd is overdue.
    with_now(Utc.with_ymd_and_hms(2026, 12, 3, 21, 0, 0).unwrap(), async {
        for d in [day(2026, 12, 3), day(2026, 12, 4)] {
            let mut t = task(w.mine, d, None);
            t.assigned_user_id = Some(w.rep.user_id);
            activities::create(&db, &w.rep, t).await.unwrap();
        }
        let my = activities::my_day(&db, &w.rep).await.unwrap();
        assert_eq!(my.today, day(2026, 12, 4));
        assert_eq!(my.due_today.len(), 1);
        assert_eq!(my.due_today[0].due_on, Some(day(2026, 12, 4)));
        assert_eq!(my.overdue.len(), 1);
        assert!(my.overdue[0].overdue);
        // The week (Jalali: Saturday–Friday) ends on Friday the 4th.
        assert_eq!(my.week_end, day(2026, 12, 4));
    })
    .await;
}

/// A comment mentioning a user who may see the deal reaches their bell; a mention of
/// someone who may not see it (or of nobody) does not; reading clears the count.
async fn mentions_reach_the_bell(db: DatabaseConnection) {
    let w = world(&db).await;
    assert_eq!(
        comments::mentions("Hi @Sara, cc @admin. and mail x@rep.com"),
        ["admin", "sara"].into_iter().map(String::from).collect()
    );
    refused(comments::add(&db, &w.rep, w.mine, " ".into()).await, &["body"]);
    refused(comments::add(&db, &w.rep, w.mine, "x".repeat(3000)).await, &["body"]);
    assert!(matches!(
        comments::add(&db, &w.rep, w.theirs, "hello".into()).await,
        Err(AppError::Forbidden { .. })
    ));
    // Sara cannot see the rep's deal: a mention of her tells her nothing.
    comments::add(&db, &w.rep, w.mine, "@sara have a look".into())
        .await
        .unwrap();
    assert_eq!(comments::mentions_of(&db, &w.other).await.unwrap().unread, 0);
    // The administrator sees everything: the mention reaches them.
    let admin_name = users::list(&db, true)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.id == w.admin.user_id)
        .unwrap()
        .username;
    let c = comments::add(&db, &w.rep, w.mine, format!("@{admin_name} can we discount?"))
        .await
        .unwrap();
    assert_eq!(c.author_name.as_deref(), Some("User rep"));
    let bell = comments::mentions_of(&db, &w.admin).await.unwrap();
    assert_eq!(bell.unread, 1);
    assert_eq!(bell.items[0].opportunity_id, Some(w.mine));
    assert!(bell.items[0].body.contains("discount"));
    assert_eq!(
        comments::list(&db, &w.rep, w.mine).await.unwrap()[0].id,
        c.id,
        "newest first"
    );
    // Someone else cannot mark them read.
    comments::mark_read(&db, &w.rep, vec![bell.items[0].id]).await.unwrap();
    assert_eq!(comments::mentions_of(&db, &w.admin).await.unwrap().unread, 1);
    comments::mark_read(&db, &w.admin, vec![]).await.unwrap();
    let bell = comments::mentions_of(&db, &w.admin).await.unwrap();
    assert_eq!((bell.unread, bell.items[0].read), (0, true));
}

/// The timeline puts activities, comments, stage changes, field changes and records in
/// one list, newest first, filterable; "no next step" filters the list and flags rows.
async fn the_timeline_and_the_next_step(db: DatabaseConnection) {
    let w = world(&db).await;
    let today = settings::clock(&db).await.unwrap().today();
    let no_step = |actor: Actor| {
        let db = db.clone();
        async move {
            pipeline::list(
                &db,
                &actor,
                &ListRequest {
                    filter: OpportunityFilter {
                        no_next_step: true,
                        ..Default::default()
                    },
                    sort: vec![],
                    page: 1,
                    page_size: 50,
                },
            )
            .await
            .unwrap()
            .page
            .items
            .into_iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(no_step(w.rep).await, vec![w.mine]);
    let my = activities::my_day(&db, &w.rep).await.unwrap();
    assert_eq!((my.without_next_step_count, my.without_next_step[0].id), (1, w.mine));
    let mut t = task(w.mine, today, None);
    t.assigned_user_id = Some(w.rep.user_id);
    let a = activities::create(&db, &w.rep, t).await.unwrap();
    assert!(no_step(w.rep).await.is_empty());
    let all = no_step(w.admin).await;
    assert_eq!(all, vec![w.theirs]);
    let row = pipeline::list(
        &db,
        &w.admin,
        &ListRequest {
            filter: OpportunityFilter::default(),
            sort: vec![],
            page: 1,
            page_size: 50,
        },
    )
    .await
    .unwrap()
    .page
    .items
    .into_iter()
    .find(|r| r.id == w.mine)
    .unwrap();
    assert!(row.has_next_step);
    comments::add(&db, &w.rep, w.mine, "Quote sent".into()).await.unwrap();

    let items = timeline::timeline(
        &db,
        &w.rep,
        &TimelineRequest {
            opportunity_id: Some(w.mine),
            identity_id: None,
            kinds: vec![],
        },
    )
    .await
    .unwrap();
    let kinds: std::collections::HashSet<TimelineKind> = items.iter().map(|i| i.kind).collect();
    for k in [
        TimelineKind::Activity,
        TimelineKind::Comment,
        TimelineKind::Stage,
        TimelineKind::Change,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
    }
    assert!(items.windows(2).all(|p| p[0].at >= p[1].at), "newest first");
    let only = timeline::timeline(
        &db,
        &w.rep,
        &TimelineRequest {
            opportunity_id: Some(w.mine),
            identity_id: None,
            kinds: vec![TimelineKind::Activity],
        },
    )
    .await
    .unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].activity.as_ref().unwrap().id, a.id);
    assert!(matches!(
        timeline::timeline(
            &db,
            &w.rep,
            &TimelineRequest {
                opportunity_id: Some(w.theirs),
                identity_id: None,
                kinds: vec![],
            },
        )
        .await,
        Err(AppError::Forbidden { .. })
    ));
    // The identity's timeline holds the rep's deal but not Sara's, for the rep.
    let identity = a.identity_id;
    let of_identity = timeline::timeline(
        &db,
        &w.rep,
        &TimelineRequest {
            opportunity_id: None,
            identity_id: Some(identity),
            kinds: vec![],
        },
    )
    .await
    .unwrap();
    assert!(of_identity.iter().all(|i| i.opportunity_id != Some(w.theirs)));
    assert!(of_identity.iter().any(|i| i.opportunity_id == Some(w.mine)));
}

/// The activities report counts per user and kind; the export writes what the list
/// shows, formula-guarded.
async fn report_and_export(db: DatabaseConnection) {
    let w = world(&db).await;
    let today = settings::clock(&db).await.unwrap().today();
    for (status, subject) in [
        (ActivityStatus::Planned, "=cmd|' /C calc'!A0"),
        (ActivityStatus::Done, "Demo"),
        (ActivityStatus::Done, "Visit"),
    ] {
        let mut t = task(w.mine, today, None);
        t.assigned_user_id = Some(w.rep.user_id);
        t.status = status;
        t.subject = subject.into();
        activities::create(&db, &w.rep, t).await.unwrap();
    }
    let rows = activities::report(&db, &w.admin, &ActivityReportRequest::default())
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].user_id,
            rows[0].kind,
            rows[0].planned,
            rows[0].done,
            rows[0].total
        ),
        (Some(w.rep.user_id), ActivityKind::Task, 1, 2, 3)
    );
    assert!(activities::report(&db, &w.other, &ActivityReportRequest::default())
        .await
        .unwrap()
        .is_empty());
    refused(
        activities::report(
            &db,
            &w.admin,
            &ActivityReportRequest {
                from: Some(day(2026, 5, 1)),
                to: Some(day(2026, 4, 1)),
                user_ids: vec![],
            },
        )
        .await,
        &["to"],
    );
    let list = activities::list_all(&db, &w.rep, &ActivityQuery::default())
        .await
        .unwrap();
    let clock = settings::clock(&db).await.unwrap();
    let bytes = forsat_core::service::transfer::activities_csv(
        &list,
        Language::En,
        forsat_core::domain::Calendar::Gregorian,
        &clock,
    )
    .unwrap();
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("Kind,Subject,Related to,Opportunity,Assigned to,Due date"));
    assert!(text.contains("'=cmd"), "a formula is guarded: {text}");
    assert!(
        text.contains("Follow-up,Demo,Pars Office Co.,Server room,User rep"),
        "{text}"
    );
}

on_both_backends!(
    activities_follow_the_rules,
    reminders_come_due,
    mentions_reach_the_bell,
    the_timeline_and_the_next_step,
    report_and_export,
);
