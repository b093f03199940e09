use leptos::prelude::*;
use model::SettingsSnapshot;

/// The effective configuration (secrets masked) and database facts.
#[server(input = server_fn::codec::GetUrl)]
pub async fn get_settings() -> Result<SettingsSnapshot, ServerFnError> {
    use super::errors::internal;
    let state = crate::state::AppState::current()?;
    let database = state
        .db
        .stats()
        .await
        .map_err(|e| internal("Reading database statistics", e))?;
    let llm_usage = state
        .db
        .llm_usage(
            engine::store::unix_now(),
            engine::store::LlmPricing::of(&state.config.llm),
        )
        .await
        .map_err(|e| internal("Reading LLM usage", e))?;
    Ok(SettingsSnapshot {
        version: env!("CARGO_PKG_VERSION").to_string(),
        config_file: state.config_file.as_ref().map(|p| p.display().to_string()),
        sections: state.config.sections(),
        database,
        caches: state.store.stats(),
        llm_usage,
        sign_in: state.config.server.password_hash.is_some(),
    })
}

/// Whether the LLM server answers and serves the configured model (read in the browser after
/// the page is shown: a server that is down costs a timeout).
#[server(input = server_fn::codec::GetUrl)]
pub async fn llm_health() -> Result<model::LlmHealth, ServerFnError> {
    let state = crate::state::AppState::current()?;
    Ok(engine::llm::health(state.runner.http().raw(), &state.config.llm).await)
}
