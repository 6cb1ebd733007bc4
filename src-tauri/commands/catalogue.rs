//! Products, categories, financial records and the per-user selector preference.

use tauri::State;

use super::{command, AppState};
use forsat_core::domain::FinancialKind;
use forsat_core::error::AppResult;
use forsat_core::service::financial::{self, FinancialDetail, FinancialInput};
use forsat_core::service::products::{self, Category, CategoryInput, Product, ProductInput, ProductQuery};
use forsat_core::service::settings::{self, UserPrefs};
use forsat_core::service::Page;

#[command]
pub async fn list_categories(state: State<'_, AppState>) -> AppResult<Vec<Category>> {
    products::categories(&state.db()?).await
}

#[command]
pub async fn create_category(state: State<'_, AppState>, input: CategoryInput) -> AppResult<Category> {
    products::create_category(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_category(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: CategoryInput,
) -> AppResult<Category> {
    products::update_category(&state.db()?, &state.actor()?, id, version, input).await
}

#[command]
pub async fn reorder_categories(state: State<'_, AppState>, ids: Vec<i32>) -> AppResult<Vec<Category>> {
    products::reorder_categories(&state.db()?, &state.actor()?, ids).await
}

#[command]
pub async fn delete_category(state: State<'_, AppState>, id: i32) -> AppResult<()> {
    products::delete_category(&state.db()?, &state.actor()?, id).await
}

#[command]
pub async fn list_products(state: State<'_, AppState>, query: ProductQuery) -> AppResult<Page<Product>> {
    products::list(&state.db()?, query).await
}

/// One product by id (what a filter chip names when the address holds only the id).
#[command]
pub async fn get_product(state: State<'_, AppState>, id: i32) -> AppResult<Product> {
    products::get(&state.db()?, id).await
}

#[command]
pub async fn create_product(state: State<'_, AppState>, input: ProductInput) -> AppResult<Product> {
    products::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_product(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: ProductInput,
) -> AppResult<Product> {
    products::update(&state.db()?, &state.actor()?, id, version, input).await
}

#[command]
pub async fn delete_product(state: State<'_, AppState>, id: i32) -> AppResult<()> {
    products::delete(&state.db()?, &state.actor()?, id).await
}

#[command]
pub async fn get_financial_record(state: State<'_, AppState>, id: i32) -> AppResult<FinancialDetail> {
    financial::get(&state.db()?, &state.actor()?, id).await
}

#[command]
pub async fn create_financial_record(state: State<'_, AppState>, input: FinancialInput) -> AppResult<FinancialDetail> {
    financial::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_financial_record(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: FinancialInput,
) -> AppResult<FinancialDetail> {
    financial::update(&state.db()?, &state.actor()?, id, version, input).await
}

#[command]
pub async fn approve_financial_record(state: State<'_, AppState>, id: i32, version: i32) -> AppResult<FinancialDetail> {
    financial::approve(&state.db()?, &state.actor()?, id, version).await
}

#[command]
pub async fn delete_financial_record(state: State<'_, AppState>, id: i32, version: i32) -> AppResult<()> {
    financial::delete(&state.db()?, &state.actor()?, id, version).await
}

/// Issue proforma (17) or issue invoice (18) from an opportunity's lines.
#[command]
pub async fn issue_from_opportunity(
    state: State<'_, AppState>,
    opportunity_id: i32,
    kind: FinancialKind,
) -> AppResult<FinancialDetail> {
    financial::issue_from_opportunity(&state.db()?, &state.actor()?, opportunity_id, kind).await
}

#[command]
pub async fn invoice_from_proforma(state: State<'_, AppState>, proforma_id: i32) -> AppResult<FinancialDetail> {
    financial::invoice_from_proforma(&state.db()?, &state.actor()?, proforma_id).await
}

#[command]
pub async fn get_user_prefs(state: State<'_, AppState>) -> AppResult<UserPrefs> {
    settings::user_prefs(&state.db()?, &state.actor()?).await
}

/// Field 16: the keep-category-open toggle, remembered per user.
#[command]
pub async fn set_keep_category_open(state: State<'_, AppState>, on: bool) -> AppResult<UserPrefs> {
    settings::set_keep_category_open(&state.db()?, &state.actor()?, on).await
}

/// A value a screen remembers for the current user (`ui.…` keys), or null.
#[command]
pub async fn get_user_value(state: State<'_, AppState>, key: String) -> AppResult<Option<String>> {
    settings::user_value(&state.db()?, &state.actor()?, &key).await
}

/// Remembers (or with null forgets) a value for the current user.
#[command]
pub async fn set_user_value(state: State<'_, AppState>, key: String, value: Option<String>) -> AppResult<()> {
    settings::set_user_value(&state.db()?, &state.actor()?, &key, value.as_deref()).await
}
