//! Saved searches: what to look for on public job boards, and a filter over every collected job.

use crate::company::LastCollection;
use serde::{Deserialize, Serialize};

/// Boards a saved search can query: (key, label).
pub const SEARCH_BOARDS: [(&str, &str); 3] = [
    ("remotive", "Remotive"),
    ("remoteok", "RemoteOK"),
    ("arbeitnow", "Arbeitnow"),
];
pub const MAX_SEARCH_NAME_CHARS: usize = 100;
pub const MAX_SEARCH_QUERY_CHARS: usize = 200;
pub const MAX_RESULT_LIMIT: u32 = 1_000;

/// A saved search as the user writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchForm {
    pub name: String,
    pub query: String,
    pub location: String,
    pub remote_only: bool,
    pub providers: Vec<String>,
    pub result_limit: u32,
    pub enabled: bool,
    /// Minutes between scheduled runs; `None`: only when asked.
    #[serde(default)]
    pub schedule_minutes: Option<u32>,
}

impl Default for SearchForm {
    fn default() -> Self {
        SearchForm {
            name: String::new(),
            query: String::new(),
            location: String::new(),
            remote_only: false,
            providers: SEARCH_BOARDS
                .iter()
                .map(|(key, _)| (*key).to_string())
                .collect(),
            result_limit: 100,
            enabled: true,
            schedule_minutes: None,
        }
    }
}

/// A problem with one field of the form, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl SearchForm {
    /// Every problem, one per field; the same rules in the browser and on the server.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut add = |field: &str, message: String| {
            out.push(FieldError {
                field: field.into(),
                message,
            })
        };
        let name = self.name.trim();
        if name.is_empty() {
            add("name", "Give the search a name.".into());
        } else if name.chars().count() > MAX_SEARCH_NAME_CHARS {
            add(
                "name",
                format!("At most {MAX_SEARCH_NAME_CHARS} characters."),
            );
        }
        if self.query.trim().is_empty() {
            add(
                "query",
                "Say what to look for, such as “rust engineer”.".into(),
            );
        } else if self.query.chars().count() > MAX_SEARCH_QUERY_CHARS {
            add(
                "query",
                format!("At most {MAX_SEARCH_QUERY_CHARS} characters."),
            );
        }
        if self.location.chars().count() > MAX_SEARCH_QUERY_CHARS {
            add(
                "location",
                format!("At most {MAX_SEARCH_QUERY_CHARS} characters."),
            );
        }
        if self.providers.is_empty() {
            add("providers", "Pick at least one job board.".into());
        } else if let Some(unknown) = self
            .providers
            .iter()
            .find(|p| !SEARCH_BOARDS.iter().any(|(key, _)| key == p))
        {
            add(
                "providers",
                format!("`{unknown}` is not a job board Jobscout knows."),
            );
        }
        if self
            .schedule_minutes
            .is_some_and(|m| m < crate::company::MIN_SCHEDULE_MINUTES)
        {
            add(
                "schedule_minutes",
                format!(
                    "At least every {} minutes.",
                    crate::company::MIN_SCHEDULE_MINUTES
                ),
            );
        }
        if !(1..=MAX_RESULT_LIMIT).contains(&self.result_limit) {
            add(
                "result_limit",
                format!("A number from 1 to {MAX_RESULT_LIMIT}."),
            );
        }
        out
    }
}

/// A saved search with what it found and how its last run went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSearch {
    pub id: i64,
    pub form: SearchForm,
    /// Jobs this search has found (on any of its boards).
    pub found: u64,
    /// Active jobs matching the search's words, place and remote choice, first seen since the
    /// user last opened them (`last_viewed_at`), among every collected job.
    pub new_matching: u64,
    #[serde(with = "crate::serde_time::opt")]
    pub last_viewed_at: Option<i64>,
    pub last_run: Option<LastCollection>,
}

impl SavedSearch {
    /// The Jobs page's query string for "every collected job matching this search".
    pub fn matching_query(&self) -> crate::JobQuery {
        let mut query = crate::JobQuery::default();
        let words = format!("{} {}", self.form.query.trim(), self.form.location.trim());
        query.filter.q = Some(words.trim().to_string()).filter(|q| !q.is_empty());
        if self.form.remote_only {
            query.filter.remote = Some(crate::Remote::Remote);
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_named() {
        let form = SearchForm {
            name: " ".into(),
            query: String::new(),
            providers: vec!["monster".into()],
            result_limit: 0,
            ..SearchForm::default()
        };
        let fields: Vec<String> = form.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["name", "query", "providers", "result_limit"]);
        let good = SearchForm {
            name: "Rust".into(),
            query: "rust".into(),
            ..SearchForm::default()
        };
        assert!(good.problems().is_empty());
        let none = SearchForm {
            providers: vec![],
            ..good
        };
        assert_eq!(none.problems()[0].field, "providers");
    }
}
