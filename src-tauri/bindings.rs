//! The one tauri-specta builder: every command and event the UI may call. The same
//! builder serves the invoke handler and writes `ui/src/bindings.ts`
//! (`tests/bindings.rs` fails when the committed file is stale).

use std::path::Path;

use specta_typescript::Typescript;
use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::{
    admin, app, backup, catalogue, connection, identities, lists, opportunities, pipeline, reports, transfer,
};

pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            app::app_info,
            app::get_settings,
            app::update_settings,
            app::record_changes,
            app::session,
            app::sign_in,
            app::sign_out,
            app::set_password,
            connection::saved_connections,
            connection::test_server,
            connection::connect_to_server,
            connection::open_saved_server,
            connection::forget_server,
            connection::work_on_this_computer,
            connection::change_place,
            admin::create_system_item,
            admin::update_system_item,
            admin::reorder_system_items,
            admin::delete_system_item,
            admin::system_item_usage,
            admin::list_pipelines,
            admin::create_pipeline,
            admin::update_pipeline,
            admin::reorder_pipelines,
            admin::delete_pipeline,
            admin::merge_pipeline,
            admin::create_stage,
            admin::update_stage,
            admin::delete_stage,
            admin::reorder_stages,
            admin::stage_usage,
            admin::create_custom_field,
            admin::update_custom_field,
            admin::delete_custom_field,
            admin::create_campaign,
            admin::update_campaign,
            admin::create_user,
            admin::update_user,
            admin::list_teams,
            admin::create_team,
            admin::update_team,
            admin::delete_team,
            identities::list_identities,
            identities::get_identity,
            identities::create_identity,
            identities::update_identity,
            identities::identities_with_same_name,
            lists::list_system_items,
            lists::list_campaigns,
            lists::list_users,
            catalogue::list_categories,
            catalogue::create_category,
            catalogue::update_category,
            catalogue::reorder_categories,
            catalogue::delete_category,
            catalogue::list_products,
            catalogue::get_product,
            catalogue::create_product,
            catalogue::update_product,
            catalogue::delete_product,
            catalogue::get_financial_record,
            catalogue::create_financial_record,
            catalogue::update_financial_record,
            catalogue::approve_financial_record,
            catalogue::delete_financial_record,
            catalogue::issue_from_opportunity,
            catalogue::invoice_from_proforma,
            catalogue::get_user_prefs,
            catalogue::set_keep_category_open,
            catalogue::get_user_value,
            catalogue::set_user_value,
            opportunities::get_opportunity,
            opportunities::create_opportunity,
            opportunities::update_opportunity,
            opportunities::delete_opportunity,
            opportunities::list_stages,
            opportunities::list_custom_fields,
            opportunities::identity_records,
            opportunities::opportunity_records,
            pipeline::list_opportunities,
            pipeline::pipeline_board,
            pipeline::pipeline_board_cards,
            pipeline::move_opportunity,
            pipeline::bulk_update_opportunities,
            transfer::import_preview,
            transfer::import_pick,
            transfer::import_values,
            transfer::import_run,
            transfer::import_discard,
            transfer::cancel_transfer,
            transfer::export_opportunities,
            transfer::save_export,
            reports::report_sales_status,
            reports::report_win_loss,
            reports::report_forecast,
            reports::report_campaigns,
            reports::report_durations,
            reports::report_competitors,
            reports::report_stage_history,
            reports::report_dashboard,
            backup::backup_settings,
            backup::list_backups,
            backup::backup_now,
            backup::set_backup_keep,
            backup::restore_backup,
            backup::restore_backup_file,
        ])
        .events(collect_events![
            crate::live::RecordsChanged,
            crate::live::ConnectionChanged
        ])
}

/// Writes the TypeScript bindings to `path`.
pub fn export(path: &Path) -> Result<(), specta_typescript::Error> {
    builder().export(
        Typescript::default().header("// Generated by tauri-specta from the Rust commands. Do not edit.\n"),
        path,
    )
}

/// Where the UI expects the bindings, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/bindings.ts";
