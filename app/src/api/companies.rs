//! The Companies page's server functions: list, recognise a pasted URL, add (after one
//! checking fetch), rename, enable or disable, delete (jobs stay), and collect now.

#[cfg(feature = "ssr")]
use super::errors::{Refusal, refuse};
use leptos::prelude::*;
use model::{CompanyCheck, CompanyOverview};

/// A provider's name as the page shows it.
#[cfg(feature = "ssr")]
fn provider_label(key: &str) -> String {
    match key {
        "jsonld" => "Careers site (JSON-LD)".into(),
        "llm" => "Careers site (LLM)".into(),
        other => engine::sources::Provider::parse(other)
            .map(|p| p.label().to_string())
            .unwrap_or_else(|| other.to_string()),
    }
}

/// Every followed company with its open jobs and last collection.
#[server(input = server_fn::codec::GetUrl)]
pub async fn list_companies() -> Result<Vec<CompanyOverview>, ServerFnError> {
    use super::errors::store_error;
    let state = crate::state::AppState::current()?;
    let stats = state
        .db
        .company_stats()
        .await
        .map_err(|e| store_error("Loading companies", e))?;
    Ok(stats
        .into_iter()
        .map(|s| CompanyOverview {
            provider_label: provider_label(&s.company.provider),
            id: s.company.id,
            name: s.company.name,
            provider: s.company.provider,
            board_token: s.company.board_token,
            careers_url: s.company.careers_url,
            enabled: s.company.enabled,
            schedule_minutes: s.schedule_minutes,
            open_jobs: s.open_jobs,
            last_run: s.last_run,
        })
        .collect())
}

/// What a pasted URL is, without fetching it: shown live while the user types.
#[server(input = server_fn::codec::GetUrl)]
pub async fn recognise_url(url: String) -> Result<String, ServerFnError> {
    use engine::sources::{Detected, detect};
    if url.len() > 2_000 {
        return Err(refuse(Refusal::Invalid, "That URL is too long."));
    }
    match detect(&url) {
        Ok(Detected::Board { provider, token }) => {
            Ok(format!("{} board “{token}”", provider.label()))
        }
        Ok(Detected::Site { .. }) => Ok(
            "A careers site: Jobscout will look for an embedded job board, then for structured job data, then read it with the LLM."
                .into(),
        ),
        Err(err) => Err(refuse(Refusal::Invalid, err.to_string())),
    }
}

/// Checks the URL with one fetch and adds the company; answers what the fetch found.
#[server]
pub async fn add_company(url: String, name: String) -> Result<(i64, CompanyCheck), ServerFnError> {
    use super::errors::store_error;
    use engine::store::{NewCompany, unix_now};
    if url.len() > 2_000 {
        return Err(refuse(Refusal::Invalid, "That URL is too long."));
    }
    let name = name.trim();
    if name.chars().count() > model::company::MAX_COMPANY_NAME_CHARS {
        return Err(refuse(
            Refusal::Invalid,
            format!(
                "A company name is at most {} characters.",
                model::company::MAX_COMPANY_NAME_CHARS
            ),
        ));
    }
    let state = crate::state::AppState::current()?;
    let runner = &state.runner;
    let name = (!name.is_empty()).then_some(name);
    let checked = engine::sources::validate::validate(
        runner.http(),
        runner.sources(),
        &url,
        name,
        unix_now(),
    )
    .await;
    let found = match checked {
        Ok(found) => found,
        Err(e) => return Err(refuse(Refusal::Invalid, format!("Not added: {e}"))),
    };
    let id = state
        .db
        .add_company(
            &NewCompany {
                name: found.name.clone(),
                provider: found.provider.as_str().into(),
                board_token: found.board_token.clone(),
                careers_url: Some(found.careers_url.clone()),
            },
            unix_now(),
        )
        .await
        .map_err(|e| store_error("Adding the company", e))?;
    Ok((
        id,
        CompanyCheck {
            provider: found.provider.as_str().into(),
            provider_label: provider_label(found.provider.as_str()),
            board_token: found.board_token,
            careers_url: found.careers_url,
            name: found.name,
            jobs: found.jobs,
            needs_llm: found.needs_llm,
            notes: found.notes,
        },
    ))
}

/// Renames a company and turns its collection on or off.
#[server(input = server_fn::codec::Json)]
pub async fn update_company(
    id: i64,
    name: String,
    enabled: bool,
    schedule_minutes: Option<u32>,
) -> Result<(), ServerFnError> {
    use super::errors::store_error;
    let state = crate::state::AppState::current()?;
    let found = state
        .db
        .update_company(
            id,
            &name,
            enabled,
            schedule_minutes,
            engine::store::unix_now(),
        )
        .await
        .map_err(|e| store_error("Saving the company", e))?;
    if found {
        Ok(())
    } else {
        Err(refuse(
            Refusal::NotFound,
            format!("There is no company {id}."),
        ))
    }
}

/// Stops following a company. Its jobs stay, with everything the user did to them.
#[server]
pub async fn delete_company(id: i64) -> Result<(), ServerFnError> {
    use super::errors::store_error;
    let state = crate::state::AppState::current()?;
    if let Some(run) = state.runner.active_run(id) {
        return Err(refuse(
            Refusal::Conflict,
            format!(
                "Run {run} is collecting this company; cancel it or wait for it to finish first."
            ),
        ));
    }
    let found = state
        .db
        .delete_company(id)
        .await
        .map_err(|e| store_error("Deleting the company", e))?;
    state.store.invalidate();
    if found {
        Ok(())
    } else {
        Err(refuse(
            Refusal::NotFound,
            format!("There is no company {id}."),
        ))
    }
}

/// Starts collecting these companies (every enabled one when `ids` is empty) in the
/// background; answers the run's id at once.
#[server(input = server_fn::codec::Json)]
pub async fn collect_companies(ids: Vec<i64>) -> Result<i64, ServerFnError> {
    use engine::runs::StartError;
    let state = crate::state::AppState::current()?;
    let ids = (!ids.is_empty()).then_some(ids.as_slice());
    match state.runner.start_ids(ids, model::RunTrigger::Ui).await {
        Ok(run) => Ok(run.id),
        Err(StartError::Store(e)) => Err(super::errors::store_error("Starting the run", e)),
        Err(other) => Err(refuse(Refusal::Conflict, format!("{other}."))),
    }
}
