//! The Searches page's server functions: list, create or edit (validated field by field),
//! delete (jobs stay), run one or all, and note that the user looked at a search's jobs.

#[cfg(feature = "ssr")]
use super::errors::{Refusal, refuse};
use leptos::prelude::*;
use model::{SavedSearch, SearchForm};

#[server(input = server_fn::codec::GetUrl)]
pub async fn list_searches() -> Result<Vec<SavedSearch>, ServerFnError> {
    use super::errors::store_error;
    let state = crate::state::AppState::current()?;
    state
        .db
        .saved_searches(engine::store::unix_now())
        .await
        .map_err(|e| store_error("Loading saved searches", e))
}

/// Creates (`id` = None) or updates a search; answers its id. A refused field comes back as
/// "field: message", for the form to show next to that field.
#[server(input = server_fn::codec::Json)]
pub async fn save_search(id: Option<i64>, form: SearchForm) -> Result<i64, ServerFnError> {
    use super::errors::store_error;
    if let Some(problem) = form.problems().into_iter().next() {
        return Err(refuse(
            Refusal::Invalid,
            format!("{}: {}", problem.field, problem.message),
        ));
    }
    let state = crate::state::AppState::current()?;
    let now = engine::store::unix_now();
    match id {
        None => state
            .db
            .add_search(&form, now)
            .await
            .map_err(|e| store_error("Saving the search", e)),
        Some(id) => match state.db.update_search(id, &form, now).await {
            Ok(true) => Ok(id),
            Ok(false) => Err(refuse(
                Refusal::NotFound,
                format!("There is no saved search {id}."),
            )),
            Err(e) => Err(store_error("Saving the search", e)),
        },
    }
}

/// Deletes a search; the jobs it found stay.
#[server]
pub async fn delete_search(id: i64) -> Result<(), ServerFnError> {
    use super::errors::store_error;
    let state = crate::state::AppState::current()?;
    match state.db.delete_search(id).await {
        Ok(true) => {
            state.store.invalidate();
            Ok(())
        }
        Ok(false) => Err(refuse(
            Refusal::NotFound,
            format!("There is no saved search {id}."),
        )),
        Err(e) => Err(store_error("Deleting the search", e)),
    }
}

/// Runs these searches (every enabled one when `ids` is empty) in the background.
#[server(input = server_fn::codec::Json)]
pub async fn run_searches(ids: Vec<i64>) -> Result<i64, ServerFnError> {
    use engine::runs::StartError;
    let state = crate::state::AppState::current()?;
    let ids = (!ids.is_empty()).then_some(ids.as_slice());
    match state
        .runner
        .start_searches(ids, model::RunTrigger::Ui)
        .await
    {
        Ok(run) => Ok(run.id),
        Err(StartError::Store(e)) => Err(super::errors::store_error("Starting the run", e)),
        Err(StartError::UnknownSearch(id)) => Err(refuse(
            Refusal::NotFound,
            format!("There is no saved search {id}."),
        )),
        Err(other) => Err(refuse(Refusal::Conflict, format!("{other}."))),
    }
}

/// The user opened the search's matching jobs: "new" counts from now.
#[server]
pub async fn mark_search_viewed(id: i64) -> Result<(), ServerFnError> {
    use super::errors::store_error;
    let state = crate::state::AppState::current()?;
    state
        .db
        .mark_search_viewed(id, engine::store::unix_now())
        .await
        .map_err(|e| store_error("Saving when you looked", e))
}
