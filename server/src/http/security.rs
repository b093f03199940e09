//! Security headers, with a fresh CSP nonce per request so that only the scripts Leptos itself
//! writes into the page (hydration, streamed resources) run: no `unsafe-inline` for scripts.

use axum::{
    extract::Request,
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use leptos::prelude::*;

/// The nonce chosen for one request, shared with the Leptos renderer through the request.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn generate() -> Self {
        Self(format!("{:032x}", rand::random::<u128>()))
    }
}

/// Policy for HTML documents. `wasm-unsafe-eval` lets the page compile its own wasm (and
/// nothing else); styles come from our stylesheet, plus inline `style` attributes.
fn document_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Everything that is not a document (JSON, wasm, CSS) may not be framed or run anything.
const RESOURCE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

pub async fn headers(mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::generate();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;

    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    let policy = if is_html {
        document_policy(&nonce.0)
    } else {
        RESOURCE_POLICY.to_string()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Refuses a state-changing request another site's page sent (CSRF): the browser says so in
/// `Sec-Fetch-Site`, or its `Origin` names another host than the request's `Host`. Requests
/// without either header (the command line, scripts) are not a browser's and pass.
pub async fn same_origin(request: Request, next: Next) -> Response {
    use axum::http::{Method, StatusCode};
    use axum::response::IntoResponse;
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(request.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "refused: a state-changing request from another site",
        )
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &axum::http::HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if get("sec-fetch-site").is_some_and(|site| site == "cross-site" || site == "same-site") {
        return true;
    }
    match (get("origin"), get("host")) {
        // Opaque origins (sandboxed frames, some redirects) send `null`.
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .map(|(_, authority)| authority)
            .is_none_or(|authority| !authority.eq_ignore_ascii_case(host)),
        _ => false,
    }
}

/// Leptos context for every render: replaces the nonce Leptos generated with the one the
/// middleware put in the CSP header, so the two always match.
pub fn provide_request_nonce() {
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(value));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cross_site_requests_are_recognised() {
        use axum::http::HeaderMap;
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, v.parse().unwrap());
            }
            map
        };
        let cross = super::is_cross_site;
        assert!(
            !cross(&headers(&[("host", "127.0.0.1:3000")])),
            "no browser headers"
        );
        assert!(!cross(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(cross(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://evil.example"),
        ])));
        assert!(cross(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("sec-fetch-site", "cross-site"),
        ])));
        assert!(cross(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "null")
        ])));
        assert!(cross(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3001"),
        ])));
    }

    use super::*;

    #[test]
    fn nonces_differ_and_policy_has_no_unsafe_inline_script() {
        let (a, b) = (CspNonce::generate(), CspNonce::generate());
        assert_ne!(a.0, b.0);
        assert_eq!(a.0.len(), 32);
        let policy = document_policy(&a.0);
        let script_src = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"));
        assert!(script_src.contains(&format!("'nonce-{}'", a.0)));
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}
