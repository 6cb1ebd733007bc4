//! The report totals (`service::totals`, kept by the database's triggers) are provably
//! the truth: after random creates, edits, stage moves, bulk edits, imports, raw SQL
//! writes and deletes — spread over Jalali and Gregorian month boundaries and around
//! midnight in the configured zone — the kept buckets equal the ones recomputed from
//! the rows (`totals::verify`), and every report (sales status, win / loss, campaigns,
//! the dashboard), board and list total that reads them answers
//! exactly what the same question answers from the rows alone (the totals switched
//! off). The same for the stage flows (kept per opportunity and stage from the stage
//! history, and per bucket), the close durations, and the stage-history and
//! follow-up duration reports, through raw writes to the history and reorders of the
//! stages too. On SQLite and PostgreSQL.

mod common;

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use forsat_core::clock::with_now;
use forsat_core::domain::{Calendar, StageKind, SystemListKey, UserRole};
use forsat_core::report::campaigns::campaigns as campaigns_report;
use forsat_core::report::dashboard::dashboard;
use forsat_core::report::durations::durations;
use forsat_core::report::forecast::forecast;
use forsat_core::report::sales_status::sales_status;
use forsat_core::report::stage_history::stage_history;
use forsat_core::report::win_loss::win_loss;
use forsat_core::report::ReportFilter;
use forsat_core::service::campaigns::{self, CampaignInput};
use forsat_core::service::opportunities::{self as opps, BulkChange, Lane, OpportunityInput};
use forsat_core::service::pipeline::{self, BoardRequest, BulkItem, MoveInput, OpportunityFilter};
use forsat_core::service::settings::{self, SettingsPatch};
use forsat_core::service::totals;
use forsat_core::service::transfer::{self, ImportOptions, TransferProgress};
use forsat_core::service::users::{self as user_service, UserInput};
use forsat_core::service::{stages, system_lists, Actor};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// A small deterministic generator (the seed is printed when a case fails).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

struct World {
    admin: Actor,
    sellers: Vec<Actor>,
    identity: i32,
    types: Vec<i32>,
    sources: Vec<i32>,
    campaigns: Vec<i32>,
    open: Vec<i32>,
    won: i32,
    lost: i32,
    win_reasons: Vec<i32>,
    loss_reasons: Vec<i32>,
    /// English names of a type, a source and a win reason, for the imported files.
    names: (String, String, String),
}

async fn world(db: &DatabaseConnection) -> World {
    let admin = common::admin(db).await;
    let mut sellers = vec![];
    for name in ["ali", "sara"] {
        let u = user_service::create(
            db,
            &admin,
            UserInput {
                username: name.into(),
                display_name: name.into(),
                role: UserRole::Salesperson,
                active: true,
                password: None,
            },
        )
        .await
        .unwrap();
        sellers.push(common::salesperson(u.id));
    }
    let input = common::opportunity_input(db, &admin).await;
    let ids = |l| async move {
        system_lists::list(db, l, false)
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect::<Vec<_>>()
    };
    let name = |l| async move { system_lists::list(db, l, false).await.unwrap()[0].title_en.clone() };
    let all = stages::list(db, true).await.unwrap();
    let of = |k: StageKind| all.iter().filter(|s| s.kind == k).map(|s| s.id).collect::<Vec<_>>();
    let mut camps = vec![];
    for name in ["Spring fair", "Newsletter"] {
        camps.push(
            campaigns::create(
                db,
                &admin,
                CampaignInput {
                    name: name.into(),
                    start_date: None,
                    end_date: None,
                    description: None,
                    cost: "0".into(),
                    active: true,
                },
            )
            .await
            .unwrap()
            .id,
        );
    }
    World {
        admin,
        sellers,
        identity: input.identity_id,
        types: ids(SystemListKey::OpportunityType).await,
        sources: ids(SystemListKey::Source).await,
        campaigns: camps,
        open: of(StageKind::Open),
        won: of(StageKind::Won)[0],
        lost: of(StageKind::Lost)[0],
        win_reasons: ids(SystemListKey::WinReason).await,
        loss_reasons: ids(SystemListKey::LossReason).await,
        names: (
            name(SystemListKey::OpportunityType).await,
            name(SystemListKey::Source).await,
            name(SystemListKey::WinReason).await,
        ),
    }
}

/// An instant in 2025–2026, often minutes from midnight in Tehran or on the first
/// day of a Jalali or Gregorian month.
fn instant(r: &mut Lcg) -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Duration::days(r.below(730) as i64);
    let near = [
        NaiveDate::from_ymd_opt(2026, 3, 21).unwrap(), // 1 Farvardin 1405
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2025, 12, 22).unwrap(), // 1 Dey 1404
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(), // 1 Azar 1405
    ];
    let day = if r.below(3) == 0 { r.pick(&near) } else { day };
    // 20:25–20:35 UTC is 23:55–00:05 in Tehran (UTC+3:30).
    let minute = if r.below(2) == 0 {
        20 * 60 + 25 + r.below(10)
    } else {
        r.below(24 * 60)
    };
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap()) + Duration::minutes(minute as i64)
}

fn input(w: &World, r: &mut Lcg) -> (OpportunityInput, Actor) {
    let who = if r.below(3) == 0 { w.admin } else { r.pick(&w.sellers) };
    let stage = match r.below(5) {
        0 => w.won,
        1 => w.lost,
        _ => r.pick(&w.open),
    };
    let input = OpportunityInput {
        identity_id: w.identity,
        title: format!("Deal {}", r.next() % 1000),
        assigned_user_id: match r.below(4) {
            0 => None,
            _ => Some(r.pick(&w.sellers).user_id),
        },
        type_id: Some(r.pick(&w.types)),
        source_id: Some(r.pick(&w.sources)),
        campaign_id: if r.below(2) == 0 {
            Some(r.pick(&w.campaigns))
        } else {
            None
        },
        // Around the starts of Gregorian and Jalali months (the close periods' edges).
        close_date: match r.below(4) {
            0 => None,
            _ => {
                let starts = [
                    (2026, 1, 1),
                    (2026, 3, 21),
                    (2026, 4, 21),
                    (2025, 12, 22),
                    (2026, 12, 1),
                ];
                let (y, m, d) = starts[r.below(starts.len())];
                let day = NaiveDate::from_ymd_opt(y, m, d).unwrap() + Duration::days(r.below(5) as i64 - 2);
                Some(day)
            }
        },
        // Up to 999 billion with four decimals: the whole and fractional parts both move.
        estimated_amount: format!("{}.{:04}", r.next() % 999_000_000_000, r.next() % 10_000),
        amount_is_manual: true,
        probability: Some((r.below(11) * 10).to_string()),
        probability_is_manual: true,
        win_reason_id: (stage == w.won).then(|| r.pick(&w.win_reasons)),
        loss_reason_id: (stage == w.lost).then(|| r.pick(&w.loss_reasons)),
        reason_note: None,
        purchase_process_id: None,
        won_on: None,
        lost_on: None,
        custom_fields: vec![],
        competitors: vec![],
        lines: vec![],
        stage_id: stage,
    };
    // A salesperson may only create what they can see.
    let input = if who.role == UserRole::Salesperson {
        OpportunityInput {
            assigned_user_id: Some(who.user_id),
            ..input
        }
    } else {
        input
    };
    (input, who)
}

async fn ids_and_versions(db: &DatabaseConnection) -> Vec<(i32, i32)> {
    db.query_all_raw(sea_orm::Statement::from_string(
        db.get_database_backend(),
        "SELECT id, version FROM opportunities ORDER BY id",
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| (row.try_get("", "id").unwrap(), row.try_get("", "version").unwrap()))
    .collect()
}

/// Random writes through every path that changes opportunities.
async fn write_randomly(db: &DatabaseConnection, w: &World, r: &mut Lcg, rounds: usize) {
    for _ in 0..rounds {
        let at = instant(r);
        let existing = ids_and_versions(db).await;
        match r.below(13) {
            0..=3 => {
                let (input, who) = input(w, r);
                with_now(at, opps::create(db, &who, input)).await.unwrap();
            }
            4 if !existing.is_empty() => {
                // An edit of every bucket dimension and of the amount.
                let (id, version) = r.pick(&existing);
                let (input, _) = input(w, r);
                let old = opps::get(db, &w.admin, id).await.unwrap();
                let input = OpportunityInput {
                    identity_id: old.identity_id,
                    ..input
                };
                with_now(at, opps::update(db, &w.admin, id, version, input))
                    .await
                    .unwrap();
            }
            5 if !existing.is_empty() => {
                let (id, version) = r.pick(&existing);
                let stage = match r.below(3) {
                    0 => w.won,
                    1 => w.lost,
                    _ => r.pick(&w.open),
                };
                let reason = if stage == w.won {
                    Some(r.pick(&w.win_reasons))
                } else if stage == w.lost {
                    Some(r.pick(&w.loss_reasons))
                } else {
                    None
                };
                let assign = (r.below(2) == 0).then(|| Lane {
                    user_id: Some(r.pick(&w.sellers).user_id),
                });
                let moved = with_now(
                    at,
                    pipeline::move_to_stage(
                        db,
                        &w.admin,
                        MoveInput {
                            id,
                            version,
                            stage_id: stage,
                            reason_id: reason,
                            reason_note: None,
                            assign,
                        },
                    ),
                )
                .await;
                // A move the rules refuse (e.g. into the stage it is in) changes nothing.
                if let Err(e) = moved {
                    assert!(matches!(e, forsat_core::error::AppError::Validation { .. }), "{e:?}");
                }
            }
            6 if existing.len() > 3 => {
                let items: Vec<BulkItem> = existing
                    .iter()
                    .filter(|_| r.below(3) == 0)
                    .map(|&(id, version)| BulkItem { id, version })
                    .collect();
                if items.is_empty() {
                    continue;
                }
                let change = BulkChange {
                    assign: Some(Lane {
                        user_id: (r.below(3) != 0).then(|| r.pick(&w.sellers).user_id),
                    }),
                    stage_id: None,
                    reason_id: None,
                    reason_note: None,
                    type_id: Some(r.pick(&w.types)),
                    source_id: None,
                    campaign: None,
                };
                pipeline::bulk_update(db, &w.admin, &items, &change).await.unwrap();
            }
            7 => {
                // An import with creation dates from another system.
                let mut csv = String::from("Title,Customer,Stage,Type,Source,Amount,Created on,Reason\n");
                let (kind, source, reason) = &w.names;
                for i in 0..1 + r.below(4) {
                    let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap() + Duration::days(r.below(600) as i64);
                    let won = r.below(2) == 0;
                    csv.push_str(&format!(
                        "Imported {i},Pars Office Co.,{stage},{kind},{source},{amount},{day},{reason}\n",
                        stage = if won { "Won" } else { "Proposal" },
                        amount = r.next() % 50_000_000,
                        reason = if won { reason.as_str() } else { "" },
                    ));
                }
                let table = transfer::read_table("deals.csv", csv.as_bytes()).unwrap();
                let mapping = transfer::suggest(&table.headers, &Default::default());
                let report = transfer::run(
                    db,
                    &w.admin,
                    &table,
                    &mapping,
                    &ImportOptions::default(),
                    false,
                    &mut |_: TransferProgress| {},
                    &AtomicBool::new(false),
                )
                .await
                .unwrap();
                assert!(report.problems.is_empty(), "{:?}", report.problems);
            }
            8 if !existing.is_empty() => {
                // A write outside the services: the triggers keep up all the same.
                let (id, _) = r.pick(&existing);
                let close = match r.below(3) {
                    0 => "NULL".to_owned(),
                    _ => format!("'2026-{:02}-{:02}'", 1 + r.below(12), 1 + r.below(28)),
                };
                db.execute_unprepared(&format!(
                    "UPDATE opportunities SET estimated_amount = estimated_amount + 12345, probability = {}, \
                     close_date = {close} WHERE id = {id}",
                    r.below(101)
                ))
                .await
                .unwrap();
                // One statement moving many rows, some between buckets that others leave
                // (PostgreSQL's statement triggers sum them per bucket).
                db.execute_unprepared(&format!(
                    "UPDATE opportunities SET source_id = {}, assigned_user_id = CASE WHEN id % 3 = 0 THEN NULL \
                     ELSE assigned_user_id END WHERE id % 2 = {}",
                    r.pick(&w.sources),
                    r.below(2)
                ))
                .await
                .unwrap();
                // Closing days moved by hand (the days to close change).
                db.execute_unprepared(&format!(
                    "UPDATE opportunities SET lost_on = '2026-{:02}-{:02}' WHERE id % 5 = {} AND lost_on IS NOT NULL",
                    1 + r.below(12),
                    1 + r.below(28),
                    r.below(5)
                ))
                .await
                .unwrap();
            }
            9 if !existing.is_empty() => {
                let (id, version) = r.pick(&existing);
                // One with invoices is not deleted (a validation error, nothing changed).
                if let Err(e) = opps::delete(db, &w.admin, id, version).await {
                    assert!(matches!(e, forsat_core::error::AppError::Validation { .. }), "{e:?}");
                }
            }
            10 if !existing.is_empty() => {
                // Writes to the history outside the services: an entry moved in time,
                // one added, one removed, and one statement moving many.
                let (id, _) = r.pick(&existing);
                let day = format!(
                    "2026-{:02}-{:02} 0{}:30:00",
                    1 + r.below(12),
                    1 + r.below(28),
                    r.below(10)
                );
                let open = r.pick(&w.open);
                let stage = r.pick(&[w.won, w.lost, open]);
                let stmts = [
                    format!(
                        "UPDATE stage_history SET changed_at = '{day}' WHERE id = \
                         (SELECT MIN(id) FROM stage_history WHERE opportunity_id = {id})"
                    ),
                    format!(
                        "INSERT INTO stage_history (opportunity_id, from_stage_id, to_stage_id, changed_at) \
                         VALUES ({id}, NULL, {stage}, '{day}')"
                    ),
                    format!(
                        "DELETE FROM stage_history WHERE id = (SELECT MAX(id) FROM stage_history \
                         WHERE opportunity_id = {id})"
                    ),
                    format!(
                        "UPDATE stage_history SET to_stage_id = {stage} WHERE opportunity_id % 4 = {} \
                         AND id % 3 = 0",
                        r.below(4)
                    ),
                ];
                let stmt = &stmts[r.below(stmts.len())];
                let stmt = if db.get_database_backend() == sea_orm::DbBackend::Postgres {
                    stmt.replace(&format!("'{day}'"), &format!("CAST('{day}+00' AS timestamptz)"))
                } else {
                    stmt.replace(&format!("'{day}'"), &format!("'{day} +00:00'"))
                };
                db.execute_unprepared(&stmt).await.unwrap();
            }
            12 if !existing.is_empty() => {
                // Invoices written by hand: the opportunities' realized sums keep up.
                let (id, _) = r.pick(&existing);
                let (other, _) = r.pick(&existing);
                let number = r.next() % 1_000_000_000;
                let stmts = [
                    format!(
                        "INSERT INTO financial_records (kind, number, title, identity_id, opportunity_id, issue_date, \
                         status, amount, version, created_at, updated_at) SELECT 'invoice', 'T-{number}', 'invoice', \
                         identity_id, id, '2026-10-01', 'approved', {amount}, 1, created_at, created_at \
                         FROM opportunities WHERE id = {id}",
                        amount = r.next() % 90_000_000_000
                    ),
                    "UPDATE financial_records SET status = CASE WHEN status = 'approved' THEN 'draft' ELSE 'approved' END \
                     WHERE id = (SELECT MIN(id) FROM financial_records)"
                        .to_owned(),
                    "UPDATE financial_records SET amount = amount + 70000 WHERE id % 2 = 0".to_owned(),
                    format!(
                        "UPDATE financial_records SET opportunity_id = {other} WHERE id = (SELECT MAX(id) FROM financial_records)"
                    ),
                    "DELETE FROM financial_records WHERE id = (SELECT MAX(id) FROM financial_records)".to_owned(),
                ];
                // An invoice added, then one more change of any kind.
                for stmt in [&stmts[0], &stmts[1 + r.below(stmts.len() - 1)]] {
                    db.execute_unprepared(stmt).await.unwrap();
                }
            }
            11 if r.below(3) == 0 => {
                // The stages in another order: "went on to a later stage" changes.
                let mut ids: Vec<i32> = stages::list(db, true).await.unwrap().iter().map(|s| s.id).collect();
                let (i, j) = (r.below(ids.len()), r.below(ids.len()));
                ids.swap(i, j);
                stages::reorder(db, &w.admin, ids).await.unwrap();
                assert!(
                    totals::flows_built_for(db).await.unwrap().is_some(),
                    "rebuilt with the new order"
                );
            }
            _ => {}
        }
    }
}

fn filters(w: &World) -> Vec<ReportFilter> {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
    let period = |from, to| ReportFilter {
        from,
        to,
        ..Default::default()
    };
    vec![
        ReportFilter::default(),
        period(d(2026, 1, 1), d(2026, 12, 31)),  // a Gregorian year
        period(d(2026, 3, 21), d(2027, 3, 20)),  // Jalali 1405
        period(d(2025, 12, 22), d(2026, 1, 20)), // Dey 1404
        period(d(2025, 2, 7), d(2026, 8, 13)),   // days at both edges
        period(d(2026, 5, 9), d(2026, 5, 9)),    // one day
        period(None, d(2025, 10, 2)),
        period(d(2026, 2, 2), None),
        ReportFilter {
            assigned_user_id: Some(w.sellers[0].user_id),
            ..period(d(2026, 1, 1), d(2026, 6, 30))
        },
        ReportFilter {
            type_id: Some(w.types[0]),
            source_id: Some(w.sources[0]),
            ..Default::default()
        },
        ReportFilter {
            campaign_id: Some(w.campaigns[1]),
            pipeline_id: Some(stages::DEFAULT_PIPELINE),
            ..period(d(2025, 6, 1), d(2026, 6, 1))
        },
    ]
}

fn boards(w: &World) -> Vec<BoardRequest> {
    let f = |filter: OpportunityFilter| BoardRequest {
        filter,
        closed_within_days: None,
        by_user: false,
    };
    vec![
        f(OpportunityFilter::default()),
        BoardRequest {
            closed_within_days: Some(30),
            by_user: true,
            ..f(OpportunityFilter::default())
        },
        BoardRequest {
            closed_within_days: Some(400),
            ..f(OpportunityFilter::default())
        },
        f(OpportunityFilter {
            created_from: NaiveDate::from_ymd_opt(2025, 12, 22),
            created_to: NaiveDate::from_ymd_opt(2026, 4, 30),
            assigned_user_ids: vec![w.sellers[1].user_id],
            unassigned: true,
            ..Default::default()
        }),
        f(OpportunityFilter {
            type_ids: w.types.clone(),
            campaign_ids: vec![w.campaigns[0]],
            reason_ids: w.win_reasons.clone(),
            ..Default::default()
        }),
    ]
}

/// Every report and board that reads the totals, for every filter and actor.
async fn answers(db: &DatabaseConnection, w: &World) -> String {
    let mut out = String::new();
    let actors: Vec<Actor> = std::iter::once(w.admin).chain(w.sellers.iter().copied()).collect();
    for actor in &actors {
        for filter in filters(w) {
            out.push_str(&format!("{:?}\n", sales_status(db, actor, &filter).await.unwrap()));
            out.push_str(&format!("{:?}\n", win_loss(db, actor, &filter).await.unwrap()));
            out.push_str(&format!("{:?}\n", campaigns_report(db, actor, &filter).await.unwrap()));
            out.push_str(&format!("{:?}\n", durations(db, actor, &filter).await.unwrap()));
            for calendar in [Calendar::Jalali, Calendar::Gregorian] {
                out.push_str(&format!(
                    "{:?}\n",
                    forecast(db, actor, &filter, calendar).await.unwrap()
                ));
            }
            // Today on a period's first day, and two days into one (the overdue count
            // then adds rows of today's period to the totals of the periods before).
            for today in [(2026, 6, 1), (2026, 3, 23)] {
                let today = NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap();
                out.push_str(&format!(
                    "{:?}\n",
                    dashboard(db, actor, &filter, Calendar::Jalali, today).await.unwrap()
                ));
                out.push_str(&format!(
                    "{:?}\n",
                    stage_history(db, actor, &filter, today).await.unwrap()
                ));
            }
        }
        for req in boards(w) {
            out.push_str(&format!("{:?}\n", pipeline::board(db, actor, &req).await.unwrap()));
            out.push_str(&format!(
                "{:?}\n",
                pipeline::totals(db, actor, &req.filter).await.unwrap()
            ));
        }
    }
    out
}

async fn assert_exact(db: &DatabaseConnection, w: &World, seed: u64, after: &str) {
    let check = totals::verify(db).await.unwrap();
    assert!(
        check.mismatches.is_empty(),
        "seed {seed}, after {after}: {:?}",
        check.mismatches
    );
    assert!(check.zone.is_some(), "the totals are built");
    assert!(check.flows_zone.is_some(), "the stage flows are kept");
    assert!(check.flow_buckets > 0, "there are stage flows");
    let kept = answers(db, w).await;
    // The same questions with the totals switched off: every answer from the rows.
    db.execute_unprepared("DELETE FROM report_totals_state").await.unwrap();
    db.execute_unprepared("DELETE FROM stage_flows_state").await.unwrap();
    let from_rows = answers(db, w).await;
    totals::ensure(db, &settings::clock(db).await.unwrap()).await.unwrap();
    for (i, (a, b)) in kept.lines().zip(from_rows.lines()).enumerate() {
        assert_eq!(
            a, b,
            "seed {seed}, after {after}: answer {i} differs (totals, then rows)"
        );
    }
    assert_eq!(kept.lines().count(), from_rows.lines().count());
}

async fn the_totals_are_the_rows_after_random_writes(db: DatabaseConnection) {
    let seed = std::env::var("FORSAT_TOTALS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261205);
    let mut r = Lcg(seed);
    let w = world(&db).await;
    settings::update(
        &db,
        &w.admin,
        SettingsPatch {
            time_zone: Some("Asia/Tehran".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(totals::built_for(&db).await.unwrap().as_deref(), Some("Asia/Tehran"));
    write_randomly(&db, &w, &mut r, 60).await;
    assert_exact(&db, &w, seed, "60 random writes").await;
    // Another zone moves the period boundaries: rebuilt, still exact.
    settings::update(
        &db,
        &w.admin,
        SettingsPatch {
            time_zone: Some("America/Toronto".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        totals::built_for(&db).await.unwrap().as_deref(),
        Some("America/Toronto")
    );
    write_randomly(&db, &w, &mut r, 40).await;
    assert_exact(&db, &w, seed, "a new time zone and 40 more writes").await;
    // Deleting everything leaves no bucket behind.
    db.execute_unprepared("DELETE FROM stage_history").await.unwrap();
    db.execute_unprepared("DELETE FROM opportunity_lines").await.unwrap();
    db.execute_unprepared("DELETE FROM financial_lines").await.unwrap();
    db.execute_unprepared("DELETE FROM financial_records").await.unwrap();
    db.execute_unprepared("DELETE FROM opportunities").await.unwrap();
    let check = totals::verify(&db).await.unwrap();
    assert!(check.mismatches.is_empty(), "{:?}", check.mismatches);
    assert_eq!(check.buckets, 0);
    assert_eq!(check.flow_buckets, 0);
}

/// The periods cover every Gregorian and Jalali month start, in order, at midnight of
/// the zone.
#[test]
fn periods_start_every_month_in_both_calendars() {
    let clock = forsat_core::clock::Clock::new("Asia/Tehran".parse().unwrap());
    let periods = totals::period_starts(&clock);
    assert!(periods.windows(2).all(|p| p[0].0 < p[1].0));
    assert!(periods.iter().all(|(day, at)| clock.day_start(*day) == *at));
    let starts: Vec<_> = periods.iter().map(|(_, at)| *at).collect();
    assert!(starts.windows(2).all(|p| p[0] < p[1]));
    let at = |y, m, d| clock.day_start(NaiveDate::from_ymd_opt(y, m, d).unwrap());
    for day in [
        at(2026, 1, 1),
        at(2026, 3, 21),
        at(2026, 4, 21),
        at(2025, 12, 22),
        at(1900, 1, 1),
    ] {
        assert!(starts.contains(&day), "{day}");
    }
    assert!(!starts.contains(&at(2026, 1, 2)));
    // About 24 a year for three centuries.
    assert!((7000..7400).contains(&starts.len()), "{}", starts.len());
}

/// `forsat check-totals` finds a bucket that no longer equals its rows, and
/// `--rebuild` puts it right.
async fn the_check_command_finds_and_repairs_a_difference(db: DatabaseConnection) {
    let mut r = Lcg(7);
    let w = world(&db).await;
    write_randomly(&db, &w, &mut r, 20).await;
    forsat_core::service::auth::set_password(&db, &w.admin, w.admin.user_id, "admin-secret")
        .await
        .unwrap();
    let run = |args: &'static [&'static str]| {
        let db = db.clone();
        async move {
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            let (mut out, mut err) = (vec![], vec![]);
            let password = |_: &str| Ok("admin-secret".to_owned());
            let code = forsat_core::cli::execute_with(&db, &args, &password, &mut out, &mut err)
                .await
                .unwrap();
            (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
        }
    };
    let (code, out, _) = run(&["check-totals"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("the report totals equal the rows"), "{out}");
    // Tampered with behind the triggers' back (only the owner of the tables could).
    db.execute_unprepared("UPDATE opportunity_totals SET n = n + 1 WHERE k = (SELECT MIN(k) FROM opportunity_totals)")
        .await
        .unwrap();
    let (code, out, err) = run(&["check-totals"]).await;
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("differs:"), "{err}");
    let (code, out, _) = run(&["check-totals", "--rebuild"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(totals::verify(&db).await.unwrap().mismatches.is_empty());
    // The stage flows too: a flow row and a flow bucket forged.
    for forged in [
        "UPDATE opportunity_stage_flows SET stays = stays + 1 WHERE opportunity_id = \
         (SELECT MIN(opportunity_id) FROM opportunity_stage_flows)",
        "UPDATE stage_flow_totals SET cur_day = cur_day - 3 WHERE k = (SELECT MAX(k) FROM stage_flow_totals)",
    ] {
        db.execute_unprepared(forged).await.unwrap();
        let check = totals::verify(&db).await.unwrap();
        assert!(
            check.mismatches.iter().any(|m| m.key.starts_with("flow ")),
            "{forged}: {:?}",
            check.mismatches
        );
        let (code, out, err) = run(&["check-totals"]).await;
        assert_eq!(code, 1, "{out}");
        assert!(err.contains("differs: flow"), "{err}");
        let (code, out, _) = run(&["check-totals", "--rebuild"]).await;
        assert_eq!(code, 0, "{out}");
        assert!(totals::verify(&db).await.unwrap().mismatches.is_empty());
    }
}

on_both_backends!(
    the_totals_are_the_rows_after_random_writes,
    the_check_command_finds_and_repairs_a_difference
);
