//! Several pipelines, on both backends: the stages that existed form the default
//! pipeline, a new pipeline starts with its own open, won and lost stages, and the
//! stage rules hold per pipeline.

mod common;

use forsat_core::domain::StageKind;
use forsat_core::error::AppError;
use forsat_core::service::pipelines::{self, PipelineInput};
use forsat_core::service::stages::{self, StageInput};
use sea_orm::DatabaseConnection;

fn input(fa: &str, en: &str) -> PipelineInput {
    PipelineInput {
        name_fa: fa.into(),
        name_en: en.into(),
        active: true,
        type_ids: None,
    }
}

fn refused(r: Result<impl std::fmt::Debug, AppError>, field: &str) {
    match r {
        Err(AppError::Validation { fields }) => assert_eq!(fields[0].field, field, "{fields:?}"),
        other => panic!("expected a refusal of {field}, got {other:?}"),
    }
}

async fn the_existing_stages_form_the_default_pipeline(db: DatabaseConnection) {
    let all = pipelines::list(&db, true).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        (all[0].id, all[0].name_en.as_str()),
        (stages::DEFAULT_PIPELINE, "Sales")
    );
    let st = stages::list(&db, true).await.unwrap();
    assert!(st.len() >= 3 && st.iter().all(|s| s.pipeline_id == stages::DEFAULT_PIPELINE));
}

async fn a_new_pipeline_has_its_own_stages_and_rules(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let before = stages::list(&db, true).await.unwrap().len();
    let services = pipelines::create(&db, &admin, input("خدمات", "Services"))
        .await
        .unwrap();
    assert_ne!(services.id, stages::DEFAULT_PIPELINE);
    let all = stages::list(&db, true).await.unwrap();
    assert_eq!(all.len(), before + 3);
    let mine: Vec<_> = all.iter().filter(|s| s.pipeline_id == services.id).collect();
    let kinds: Vec<StageKind> = mine.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, vec![StageKind::Open, StageKind::Won, StageKind::Lost]);
    // The default pipeline's stages are as they were.
    assert_eq!(
        all.iter().filter(|s| s.pipeline_id == stages::DEFAULT_PIPELINE).count(),
        before
    );

    // A stage is added to the pipeline it names; an unknown pipeline is refused.
    let stage = |pipeline_id| StageInput {
        title_fa: "مذاکره".into(),
        title_en: "Negotiation".into(),
        kind: StageKind::Open,
        default_probability: Some(60),
        active: true,
        replacement_stage_id: None,
        pipeline_id,
    };
    let added = stages::create(&db, &admin, stage(Some(services.id))).await.unwrap();
    assert_eq!(added.pipeline_id, services.id);
    refused(stages::create(&db, &admin, stage(Some(9999))).await, "pipelineId");

    // Its only won stage cannot go, though the default pipeline has won stages too.
    let won = mine.iter().find(|s| s.kind == StageKind::Won).unwrap();
    let r = stages::update(
        &db,
        &admin,
        won.id,
        won.version,
        StageInput {
            title_fa: won.title_fa.clone(),
            title_en: won.title_en.clone(),
            kind: StageKind::Won,
            default_probability: None,
            active: false,
            replacement_stage_id: None,
            pipeline_id: None,
        },
    )
    .await;
    refused(r, "id");

    // Renamed, reordered; one active pipeline always remains.
    let services = pipelines::update(
        &db,
        &admin,
        services.id,
        services.version,
        input("خدمات پس از فروش", "After-sales"),
    )
    .await
    .unwrap();
    assert_eq!(services.name_en, "After-sales");
    let order = pipelines::reorder(&db, &admin, vec![services.id, stages::DEFAULT_PIPELINE])
        .await
        .unwrap();
    assert_eq!(order[0].id, services.id);
    let services = order[0].clone();
    let off = PipelineInput {
        active: false,
        ..input("خدمات", "Services")
    };
    let services = pipelines::update(&db, &admin, services.id, services.version, off.clone())
        .await
        .unwrap();
    let sales = pipelines::list(&db, true)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id == stages::DEFAULT_PIPELINE)
        .unwrap();
    refused(
        pipelines::update(
            &db,
            &admin,
            sales.id,
            sales.version,
            PipelineInput {
                active: false,
                ..input("فروش", "Sales")
            },
        )
        .await,
        "active",
    );
    assert_eq!(pipelines::list(&db, false).await.unwrap().len(), 1);

    // Never used: it may be deleted, with its stages. The default one, used, may not.
    pipelines::delete(&db, &admin, services.id).await.unwrap();
    assert_eq!(stages::list(&db, true).await.unwrap().len(), before);
    let opportunity = common::opportunity_input(&db, &admin).await;
    forsat_core::service::opportunities::create(&db, &admin, opportunity)
        .await
        .unwrap();
    refused(pipelines::delete(&db, &admin, stages::DEFAULT_PIPELINE).await, "id");

    // Only administrators shape pipelines.
    let seller = common::salesperson(admin.user_id);
    assert!(matches!(
        pipelines::create(&db, &seller, input("x", "x")).await,
        Err(AppError::Forbidden { .. })
    ));
}

/// The list, the board and the reports, per pipeline; without a pipeline the list and
/// the sums take every pipeline, the board the first one.
async fn the_list_board_and_reports_go_per_pipeline(db: DatabaseConnection) {
    use forsat_core::report::{sales_status::sales_status, ReportFilter};
    use forsat_core::service::opportunities;
    use forsat_core::service::pipeline::{self, BoardRequest, ListRequest, OpportunityFilter};
    let admin = common::admin(&db).await;
    let services = pipelines::create(&db, &admin, input("خدمات", "Services"))
        .await
        .unwrap();
    let new_stage = stages::list(&db, false)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.pipeline_id == services.id && s.kind == StageKind::Open)
        .unwrap();
    for i in 0..3 {
        let mut o = common::opportunity_input(&db, &admin).await;
        o.title = format!("Sales {i}");
        opportunities::create(&db, &admin, o).await.unwrap();
    }
    for i in 0..2 {
        let mut o = common::opportunity_input(&db, &admin).await;
        o.title = format!("Service {i}");
        o.stage_id = new_stage.id;
        opportunities::create(&db, &admin, o).await.unwrap();
    }
    let list = |pipeline_id| {
        let (db, admin) = (&db, &admin);
        async move {
            pipeline::list(
                db,
                admin,
                &ListRequest {
                    filter: OpportunityFilter {
                        pipeline_id,
                        ..OpportunityFilter::default()
                    },
                    sort: vec![],
                    page: 1,
                    page_size: 50,
                },
            )
            .await
            .unwrap()
            .page
            .total
        }
    };
    assert_eq!(list(None).await, 5);
    assert_eq!(list(Some(services.id)).await, 2);
    assert_eq!(list(Some(stages::DEFAULT_PIPELINE)).await, 3);
    let r = pipeline::list(
        &db,
        &admin,
        &ListRequest {
            filter: OpportunityFilter {
                pipeline_id: Some(999),
                ..OpportunityFilter::default()
            },
            sort: vec![],
            page: 1,
            page_size: 50,
        },
    )
    .await;
    refused(r, "pipelineId");

    // The board: the services pipeline's own three stages, its two cards.
    let board = pipeline::board(
        &db,
        &admin,
        &BoardRequest {
            filter: OpportunityFilter {
                pipeline_id: Some(services.id),
                ..OpportunityFilter::default()
            },
            ..BoardRequest::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(board.stages.len(), 3);
    assert_eq!(board.cells.iter().map(|c| c.count).sum::<u32>(), 2);
    let default_board = pipeline::board(&db, &admin, &BoardRequest::default()).await.unwrap();
    assert!(default_board.stages.iter().all(|s| s.id != new_stage.id));
    assert_eq!(default_board.cells.iter().map(|c| c.count).sum::<u32>(), 3);

    // The sales status chart: one pipeline's funnel, or every stage with the sums.
    let one = sales_status(
        &db,
        &admin,
        &ReportFilter {
            pipeline_id: Some(services.id),
            ..ReportFilter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((one.total, one.stages.len()), (2, 3));
    let all = sales_status(&db, &admin, &ReportFilter::default()).await.unwrap();
    assert_eq!(all.total, 5);
}

/// The pipelines migration on a database with history: rolled back and run again, every
/// report reads exactly as before, and every stage is in the default pipeline.
async fn the_migration_keeps_every_report(db: DatabaseConnection) {
    use forsat_core::domain::Calendar;
    use forsat_core::report::{
        dashboard::dashboard, durations::durations, forecast::forecast, sales_status::sales_status,
        stage_history::stage_history, win_loss::win_loss, ReportFilter,
    };
    use forsat_core::service::opportunities;
    use migration::{Migrator, MigratorTrait};
    let admin = common::admin(&db).await;
    let all = stages::list(&db, false).await.unwrap();
    let won = all.iter().find(|s| s.kind == StageKind::Won).unwrap().id;
    let reason = forsat_core::service::system_lists::list(&db, forsat_core::domain::SystemListKey::WinReason, false)
        .await
        .unwrap()[0]
        .id;
    for (i, s) in all.iter().filter(|s| s.kind == StageKind::Open).enumerate() {
        let mut o = common::opportunity_input(&db, &admin).await;
        o.title = format!("Deal {i}");
        o.stage_id = s.id;
        o.estimated_amount = format!("{}", 1000 * (i + 1));
        let created = opportunities::create(&db, &admin, o.clone()).await.unwrap();
        if i % 2 == 0 {
            o.stage_id = won;
            o.win_reason_id = Some(reason);
            opportunities::update(&db, &admin, created.id, created.version, o)
                .await
                .unwrap();
        }
    }
    let today = forsat_core::service::settings::clock(&db).await.unwrap().today();
    let f = ReportFilter::default();
    let reports = || {
        let (db, admin, f) = (&db, &admin, &f);
        async move {
            format!(
                "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
                sales_status(db, admin, f).await.unwrap(),
                win_loss(db, admin, f).await.unwrap(),
                durations(db, admin, f).await.unwrap(),
                forecast(db, admin, f, Calendar::Gregorian).await.unwrap(),
                stage_history(db, admin, f, today).await.unwrap(),
                dashboard(db, admin, f, Calendar::Gregorian, today).await.unwrap(),
            )
        }
    };
    let before = reports().await;
    Migrator::down(&db, Some(1)).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(reports().await, before);
    assert!(stages::list(&db, true)
        .await
        .unwrap()
        .iter()
        .all(|s| s.pipeline_id == stages::DEFAULT_PIPELINE));
    assert_eq!(pipelines::list(&db, true).await.unwrap().len(), 1);
}

/// An opportunity moves to another pipeline by taking one of its stages: the stage
/// history records the move, and the pipelines count it where it now is.
async fn an_opportunity_moves_between_pipelines(db: DatabaseConnection) {
    use forsat_core::service::opportunities;
    let admin = common::admin(&db).await;
    let services = pipelines::create(&db, &admin, input("خدمات", "Services"))
        .await
        .unwrap();
    let target = stages::list(&db, false)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.pipeline_id == services.id && s.kind == StageKind::Open)
        .unwrap();
    let mut o = common::opportunity_input(&db, &admin).await;
    let from = o.stage_id;
    let created = opportunities::create(&db, &admin, o.clone()).await.unwrap();
    o.stage_id = target.id;
    let moved = opportunities::update(&db, &admin, created.id, created.version, o)
        .await
        .unwrap();
    assert_eq!(moved.stage_id, target.id);
    let last = moved.stage_history.iter().max_by_key(|h| h.changed_at).unwrap();
    assert_eq!((last.from_stage_id, last.to_stage_id), (Some(from), target.id));
    // Its probability is now the new stage's default.
    assert_eq!(moved.probability, target.default_probability.unwrap());
}

/// A file that names each row's pipeline finds its stages there ("Won" is every
/// pipeline's); a stage of another pipeline is refused on its row.
async fn an_import_names_the_pipeline(db: DatabaseConnection) {
    use forsat_core::domain::SystemListKey;
    use forsat_core::service::pipeline::{self, ListRequest, OpportunityFilter};
    use forsat_core::service::system_lists;
    use forsat_core::service::transfer::{self, ImportIssue, ImportOptions, TransferProgress};
    use std::sync::atomic::AtomicBool;
    let admin = common::admin(&db).await;
    let services = pipelines::create(&db, &admin, input("خدمات", "Services"))
        .await
        .unwrap();
    let first = |key| {
        let db = &db;
        async move { system_lists::list(db, key, false).await.unwrap()[0].id }
    };
    let options = ImportOptions {
        create_missing_identities: true,
        default_type_id: Some(first(SystemListKey::OpportunityType).await),
        default_source_id: Some(first(SystemListKey::Source).await),
        default_win_reason_id: Some(first(SystemListKey::WinReason).await),
        ..ImportOptions::default()
    };
    let run = |csv: &'static str, dry: bool| {
        let (db, admin, options) = (&db, &admin, &options);
        async move {
            let t = transfer::read_table("deals.csv", csv.as_bytes()).unwrap();
            let mapping = transfer::suggest(&t.headers, &Default::default());
            transfer::run(
                db,
                admin,
                &t,
                &mapping,
                options,
                dry,
                &mut |_p: TransferProgress| {},
                &AtomicBool::new(false),
            )
            .await
            .unwrap()
        }
    };
    let bad = "Title,Customer,Pipeline,Stage\nA,Kavir,Sales,Won\nB,Kavir,Services,Won\nC,Kavir,Services,\nD,Kavir,Services,Negotiation\nE,Kavir,Nowhere,Won\n";
    let r = run(bad, true).await;
    let said: Vec<(u32, Option<transfer::ImportField>, ImportIssue)> =
        r.problems.iter().map(|p| (p.line, p.field, p.issue)).collect();
    assert_eq!(
        said,
        vec![
            (5, Some(transfer::ImportField::Stage), ImportIssue::UnknownStage),
            (6, Some(transfer::ImportField::Pipeline), ImportIssue::UnknownValue),
        ],
        "{:?}",
        r.problems
    );
    let good = "Title,Customer,Pipeline,Stage\nA,Kavir,Sales,Won\nB,Kavir,Services,Won\nC,Kavir,Services,\n";
    let r = run(good, false).await;
    assert!(r.written, "{r:?}");
    let count = |pipeline_id| {
        let (db, admin) = (&db, &admin);
        async move {
            pipeline::list(
                db,
                admin,
                &ListRequest {
                    filter: OpportunityFilter {
                        pipeline_id: Some(pipeline_id),
                        ..OpportunityFilter::default()
                    },
                    sort: vec![],
                    page: 1,
                    page_size: 10,
                },
            )
            .await
            .unwrap()
            .page
            .items
            .into_iter()
            .map(|o| (o.title, o.stage_kind))
            .collect::<Vec<_>>()
        }
    };
    let mut in_services = count(services.id).await;
    in_services.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        in_services,
        vec![("B".to_owned(), StageKind::Won), ("C".to_owned(), StageKind::Open)]
    );
    assert_eq!(
        count(stages::DEFAULT_PIPELINE).await,
        vec![("A".to_owned(), StageKind::Won)]
    );

    // The export carries the pipeline (sortable like any column), and what it wrote
    // reads back with every row in its pipeline.
    use forsat_core::domain::Language;
    use forsat_core::service::pipeline::{ListColumn, SortKey};
    use forsat_core::service::transfer::{ExportFormat, ExportRequest};
    let path = std::env::temp_dir().join(format!(
        "forsat-pipelines-{}-{}.csv",
        std::process::id(),
        db.get_database_backend() as u8
    ));
    transfer::export(
        &db,
        &admin,
        &ExportRequest {
            filter: OpportunityFilter::default(),
            sort: vec![
                SortKey {
                    column: ListColumn::Pipeline,
                    desc: false,
                },
                SortKey {
                    column: ListColumn::Title,
                    desc: false,
                },
            ],
            columns: vec![
                ListColumn::Title,
                ListColumn::Identity,
                ListColumn::Pipeline,
                ListColumn::Stage,
            ],
            format: ExportFormat::Csv,
            language: Language::En,
        },
        &path,
        &mut |_p: TransferProgress| {},
        &AtomicBool::new(false),
    )
    .await
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines[0], "Title,Related to,Pipeline,Sales stage");
    let titles: Vec<&str> = lines[1..].iter().filter_map(|l| l.split(',').next()).collect();
    let pos = |t: &str| titles.iter().position(|x| *x == t).unwrap();
    assert!(pos("A") < pos("B") && pos("B") < pos("C"), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("B,") && l.contains(",Services,Won")),
        "{lines:?}"
    );
    let t = transfer::read_table("again.csv", text.as_bytes()).unwrap();
    let mapping = transfer::suggest(&t.headers, &Default::default());
    let again = transfer::run(
        &db,
        &admin,
        &t,
        &mapping,
        &options,
        true,
        &mut |_p: TransferProgress| {},
        &AtomicBool::new(false),
    )
    .await
    .unwrap();
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    std::fs::remove_file(&path).ok();
}

/// A pipeline merged into another: each stage mapped to one of the same kind there,
/// every opportunity moved with its stage history written, the merged pipeline
/// retired; an incomplete or mismatched mapping changes nothing.
async fn a_pipeline_merges_into_another(db: DatabaseConnection) {
    use forsat_core::service::opportunities;
    use forsat_core::service::pipelines::StageMapping;
    let admin = common::admin(&db).await;
    let linked =
        forsat_core::service::system_lists::list(&db, forsat_core::domain::SystemListKey::OpportunityType, true)
            .await
            .unwrap()[0]
            .id;
    let services = pipelines::create(
        &db,
        &admin,
        PipelineInput {
            type_ids: Some(vec![linked]),
            ..input("خدمات", "Services")
        },
    )
    .await
    .unwrap();
    let all = stages::list(&db, false).await.unwrap();
    let of = |p: i32, k: StageKind| all.iter().find(|s| s.pipeline_id == p && s.kind == k).unwrap().id;
    let (s_open, s_won, s_lost) = (
        of(services.id, StageKind::Open),
        of(services.id, StageKind::Won),
        of(services.id, StageKind::Lost),
    );
    let (d_open, d_won, d_lost) = (
        of(stages::DEFAULT_PIPELINE, StageKind::Open),
        of(stages::DEFAULT_PIPELINE, StageKind::Won),
        of(stages::DEFAULT_PIPELINE, StageKind::Lost),
    );
    let mut o = common::opportunity_input(&db, &admin).await;
    o.stage_id = s_open;
    let created = opportunities::create(&db, &admin, o).await.unwrap();
    let map = |pairs: &[(i32, i32)]| {
        pairs
            .iter()
            .map(|&(from_stage_id, to_stage_id)| StageMapping {
                from_stage_id,
                to_stage_id,
            })
            .collect::<Vec<_>>()
    };
    // Won mapped to an open stage; a stage left out: refused, nothing moved.
    refused(
        pipelines::merge(
            &db,
            &admin,
            services.id,
            stages::DEFAULT_PIPELINE,
            map(&[(s_open, d_open), (s_won, d_open), (s_lost, d_lost)]),
        )
        .await,
        "mapping.1.toStageId",
    );
    refused(
        pipelines::merge(
            &db,
            &admin,
            services.id,
            stages::DEFAULT_PIPELINE,
            map(&[(s_open, d_open), (s_won, d_won)]),
        )
        .await,
        "mapping.2.toStageId",
    );
    refused(
        pipelines::merge(&db, &admin, services.id, services.id, vec![]).await,
        "into",
    );
    assert_eq!(
        opportunities::get(&db, &admin, created.id).await.unwrap().stage_id,
        s_open
    );

    let moved = pipelines::merge(
        &db,
        &admin,
        services.id,
        stages::DEFAULT_PIPELINE,
        map(&[(s_open, d_open), (s_won, d_won), (s_lost, d_lost)]),
    )
    .await
    .unwrap();
    assert_eq!(moved, 1);
    // The type that started in the merged pipeline now starts in the other.
    let types =
        forsat_core::service::system_lists::list(&db, forsat_core::domain::SystemListKey::OpportunityType, true)
            .await
            .unwrap();
    assert_eq!(
        types.iter().find(|t| t.id == linked).unwrap().pipeline_id,
        Some(stages::DEFAULT_PIPELINE)
    );
    let after = opportunities::get(&db, &admin, created.id).await.unwrap();
    assert_eq!(after.stage_id, d_open);
    let last = after.stage_history.iter().max_by_key(|h| h.changed_at).unwrap();
    assert_eq!((last.from_stage_id, last.to_stage_id), (Some(s_open), d_open));
    assert!(stages::list(&db, true)
        .await
        .unwrap()
        .iter()
        .all(|s| s.pipeline_id == stages::DEFAULT_PIPELINE));
    assert_eq!(pipelines::list(&db, false).await.unwrap().len(), 1);
}

async fn opportunity_types_start_in_their_pipeline(db: DatabaseConnection) {
    use forsat_core::domain::SystemListKey;
    use forsat_core::service::{changelog, system_lists};
    let admin = common::admin(&db).await;
    let types = system_lists::list(&db, SystemListKey::OpportunityType, true)
        .await
        .unwrap();
    assert!(types.len() >= 2 && types.iter().all(|t| t.pipeline_id.is_none()));
    let (a, b) = (types[0].id, types[1].id);
    let services = pipelines::create(
        &db,
        &admin,
        PipelineInput {
            type_ids: Some(vec![a, b]),
            ..input("خدمات", "Services")
        },
    )
    .await
    .unwrap();
    let linked = |db: DatabaseConnection| async move {
        system_lists::list(&db, SystemListKey::OpportunityType, true)
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.id, t.pipeline_id))
            .collect::<std::collections::HashMap<_, _>>()
    };
    let now = linked(db.clone()).await;
    assert_eq!((now[&a], now[&b]), (Some(services.id), Some(services.id)));
    // Naming a type in another pipeline takes it from this one; absent leaves them.
    let sales = pipelines::list(&db, true).await.unwrap()[0].clone();
    let sales = pipelines::update(
        &db,
        &admin,
        sales.id,
        sales.version,
        PipelineInput {
            type_ids: Some(vec![b]),
            ..input(&sales.name_fa, &sales.name_en)
        },
    )
    .await
    .unwrap();
    let now = linked(db.clone()).await;
    assert_eq!((now[&a], now[&b]), (Some(services.id), Some(stages::DEFAULT_PIPELINE)));
    pipelines::update(
        &db,
        &admin,
        sales.id,
        sales.version,
        input(&sales.name_fa, &sales.name_en),
    )
    .await
    .unwrap();
    assert_eq!(linked(db.clone()).await, now);
    // A value of another list, an unknown id or a repeated one: refused, nothing changed.
    let source = system_lists::list(&db, SystemListKey::Source, true).await.unwrap()[0].id;
    for bad in [vec![source], vec![999_999], vec![a, a]] {
        let fresh = pipelines::list(&db, true).await.unwrap();
        let p = fresh.iter().find(|p| p.id == services.id).unwrap();
        refused(
            pipelines::update(
                &db,
                &admin,
                p.id,
                p.version,
                PipelineInput {
                    type_ids: Some(bad),
                    ..input("خدمات", "Services")
                },
            )
            .await,
            "typeIds",
        );
        assert_eq!(linked(db.clone()).await, now);
    }
    let log = changelog::history(&db, "pipeline", services.id).await.unwrap();
    assert!(
        log.iter().any(|e| e.changes.iter().any(|c| c.field == "typeIds")),
        "{log:?}"
    );
    // A salesperson cannot link types.
    let rep = common::salesperson(admin.user_id);
    let p = pipelines::list(&db, true)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id == services.id)
        .unwrap();
    assert!(matches!(
        pipelines::update(
            &db,
            &rep,
            p.id,
            p.version,
            PipelineInput {
                type_ids: Some(vec![]),
                ..input("خدمات", "Services")
            }
        )
        .await,
        Err(AppError::Forbidden { .. })
    ));
    // Deleting the unused pipeline clears its links.
    pipelines::delete(&db, &admin, services.id).await.unwrap();
    assert_eq!(linked(db.clone()).await[&a], None);
}

on_both_backends!(
    opportunity_types_start_in_their_pipeline,
    the_existing_stages_form_the_default_pipeline,
    a_new_pipeline_has_its_own_stages_and_rules,
    the_list_board_and_reports_go_per_pipeline,
    the_migration_keeps_every_report,
    an_opportunity_moves_between_pipelines,
    an_import_names_the_pipeline,
    a_pipeline_merges_into_another,
);
