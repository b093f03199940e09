//! One module per ATS. Each reads its provider's payloads into [`Draft`]s (pure functions,
//! tested against real captured payloads) and collects a whole board over HTTP.

pub mod ashby;
pub mod greenhouse;
pub mod lever;
pub mod recruitee;
pub mod smartrecruiters;
pub mod workable;

use super::SourceError;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes JSON, naming the path of the first bad value: `jobs[3].title: invalid type`.
pub(crate) fn decode<T: DeserializeOwned>(
    source: &'static str,
    body: &[u8],
) -> Result<T, SourceError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| SourceError::Parse {
        source_name: source,
        message: if e.path().iter().next().is_none() {
            e.inner().to_string()
        } else {
            format!("{}: {}", e.path(), e.inner())
        },
    })
}

/// A number that providers write either as a number or as a string (`"81000.0"`).
pub(crate) fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', "").parse().ok(),
        _ => None,
    }
}

/// A string or a number as text (ids arrive both ways).
pub(crate) fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Joins the given HTML sections under their headings.
pub(crate) fn sections<'a>(parts: impl IntoIterator<Item = (Option<&'a str>, &'a str)>) -> String {
    let mut html = String::new();
    for (title, body) in parts {
        if body.trim().is_empty() {
            continue;
        }
        if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
            html.push_str("<h3>");
            html.push_str(&super::html_escape(title.trim()));
            html.push_str("</h3>");
        }
        html.push_str(body);
    }
    html
}

/// JSON documents joined into one JSON array: the raw payload of a board read in pages.
pub(crate) fn json_array(documents: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![b'['];
    for (i, doc) in documents.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(doc);
    }
    out.push(b']');
    out
}
