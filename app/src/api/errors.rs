//! The one place where server-side failures become messages the UI can show.

use leptos::prelude::ServerFnError;

/// Logs the full error on the server and gives the browser a short message without internals.
#[cfg(feature = "ssr")]
pub fn internal(context: &str, err: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %err, "{context} failed");
    ServerFnError::ServerError(format!("{context} failed. Details are in the server log."))
}

/// The text to show a person for a failed server function.
pub fn user_message(err: &ServerFnError) -> String {
    match err {
        ServerFnError::ServerError(message) => message.clone(),
        ServerFnError::Request(_) => {
            "Jobscout's server could not be reached. Is it still running?".to_string()
        }
        other => other.to_string(),
    }
}
