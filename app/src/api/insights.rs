//! The Insights page's one read.

use leptos::prelude::*;
use model::Insights;

#[server(input = server_fn::codec::GetUrl)]
pub async fn get_insights() -> Result<Insights, ServerFnError> {
    use super::errors::store_error;
    let state = crate::state::AppState::current()?;
    let pricing = engine::store::LlmPricing::of(&state.config.llm);
    state
        .db
        .insights(engine::store::unix_now(), pricing)
        .await
        .map_err(|e| store_error("Computing insights", e))
}
