//! Sign-in for a Jobscout other machines can reach.
//!
//! On 127.0.0.1 (the default) the operating system's user boundary is the access control and
//! nothing here runs. With `server.password_hash` set (required before listening on any other
//! address), every request but the sign-in page, the stylesheet and `/health` needs a session:
//! a random token in an `HttpOnly`, `SameSite=Strict` cookie, kept in memory (a restart signs
//! everyone out). Failed attempts are limited per client address, so a password cannot be
//! guessed at the speed of the network; argon2 makes each guess slow as well.

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use axum::{
    Form,
    extract::{ConnectInfo, FromRequest, Query, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Redirect, Response},
};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COOKIE: &str = "jobscout_session";
/// A session lasts a week from sign-in.
const SESSION_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// Failed attempts one client address may make per window before it has to wait.
const MAX_FAILURES: u32 = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(60);

/// The password's hash and the live sessions; `None` in [`AppAuth`] when no password is set.
pub struct Auth {
    hash: String,
    sessions: Mutex<HashMap<String, Instant>>,
    failures: Mutex<HashMap<Option<IpAddr>, (u32, Instant)>>,
}

pub type AppAuth = Option<Arc<Auth>>;

/// Whether `addr` is reachable only from this machine.
pub fn is_local(addr: SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// The sign-in state for `password_hash`, refusing a hash that is not an argon2 PHC string and
/// an address other machines can reach without one.
pub fn from_config(addr: SocketAddr, password_hash: Option<&str>) -> Result<AppAuth, String> {
    match password_hash.map(str::trim).filter(|h| !h.is_empty()) {
        None if is_local(addr) => Ok(None),
        None => Err(format!(
            "server.addr {addr} can be reached from other machines, so Jobscout needs a \
             password first: run `jobscout hash-password`, put the hash it prints in \
             server.password_hash, and start again (or listen on 127.0.0.1)"
        )),
        Some(hash) => {
            let parsed = PasswordHash::new(hash).map_err(|e| {
                format!("server.password_hash is not a hash from `jobscout hash-password`: {e}")
            })?;
            if parsed.algorithm.as_str() != "argon2id" {
                return Err(format!(
                    "server.password_hash uses {}; Jobscout expects argon2id (`jobscout \
                     hash-password`)",
                    parsed.algorithm
                ));
            }
            Ok(Some(Auth::with_hash(hash.to_owned())))
        }
    }
}

impl Auth {
    /// Sign-in that nothing passes (a hash no password verifies against).
    pub fn locked() -> Arc<Self> {
        Self::with_hash(String::new())
    }

    fn with_hash(hash: String) -> Arc<Self> {
        Arc::new(Self {
            hash,
            sessions: Mutex::default(),
            failures: Mutex::default(),
        })
    }
}

/// An argon2id hash of `password` in PHC form, with a random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    if password.chars().count() < 8 {
        return Err("the password must have at least 8 characters".into());
    }
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| format!("making a salt failed: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| format!("hashing the password failed: {e}"))
}

impl Auth {
    fn session_of(&self, headers: &HeaderMap) -> Option<String> {
        let token = cookie(headers, COOKIE)?;
        let mut sessions = self.sessions.lock().expect("sessions");
        let now = Instant::now();
        sessions.retain(|_, expires| *expires > now);
        sessions.contains_key(token).then(|| token.to_owned())
    }

    /// Seconds `client` must wait before trying again, if it failed too often.
    fn wait_for(&self, client: Option<IpAddr>) -> Option<u64> {
        let failures = self.failures.lock().expect("failures");
        let (count, since) = failures.get(&client)?;
        let elapsed = since.elapsed();
        (*count >= MAX_FAILURES && elapsed < FAILURE_WINDOW)
            .then(|| (FAILURE_WINDOW - elapsed).as_secs().max(1))
    }

    fn failed(&self, client: Option<IpAddr>) {
        let mut failures = self.failures.lock().expect("failures");
        let entry = failures.entry(client).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= FAILURE_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    fn start_session(&self, client: Option<IpAddr>) -> String {
        self.failures.lock().expect("failures").remove(&client);
        let token = format!(
            "{:032x}{:032x}",
            rand::random::<u128>(),
            rand::random::<u128>()
        );
        self.sessions
            .lock()
            .expect("sessions")
            .insert(token.clone(), Instant::now() + SESSION_TTL);
        token
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn client_of(request_extensions: &axum::http::Extensions) -> Option<IpAddr> {
    request_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

/// Paths anyone may request: the sign-in page itself, what it is styled with, and the health
/// check (which names no job, company or setting).
fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/health" | "/favicon.ico") || path.starts_with("/pkg/")
}

/// Lets signed-in requests through; sends a browser to the sign-in page and answers anything
/// else 401.
pub async fn require(State(auth): State<AppAuth>, request: Request, next: Next) -> Response {
    let Some(auth) = auth else {
        return next.run(request).await;
    };
    if is_public(request.uri().path()) || auth.session_of(request.headers()).is_some() {
        return next.run(request).await;
    }
    let wants_page = request.method() == axum::http::Method::GET
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    if wants_page {
        let next = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let target = format!("/login?next={}", urlencode(&next));
        return Redirect::to(&target).into_response();
    }
    (
        StatusCode::UNAUTHORIZED,
        axum::Json(serde_json::json!({
            "error": {"message": "sign in first: this Jobscout has a password"}
        })),
    )
        .into_response()
}

#[derive(serde::Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// Only a path of this site: `//evil.example` and `https://…` would send the reader away.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path
        }
        _ => "/",
    }
}

pub async fn login_page(State(auth): State<AppAuth>, Query(query): Query<LoginQuery>) -> Response {
    if auth.is_none() {
        return Redirect::to("/").into_response();
    }
    page(StatusCode::OK, safe_next(query.next.as_deref()), None)
}

pub async fn login(State(auth): State<AppAuth>, request: Request) -> Response {
    let Some(auth) = auth else {
        return Redirect::to("/").into_response();
    };
    let client = client_of(request.extensions());
    let Form(form) = match Form::<LoginForm>::from_request(request, &()).await {
        Ok(form) => form,
        Err(rejection) => return rejection.into_response(),
    };
    let next = safe_next(form.next.as_deref()).to_owned();
    if let Some(secs) = auth.wait_for(client) {
        let mut response = page(
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            Some(&format!(
                "Too many wrong passwords. Try again in {secs} seconds."
            )),
        );
        if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    if form.password.is_empty() {
        return page(StatusCode::BAD_REQUEST, &next, Some("Enter the password."));
    }
    // argon2 takes tens of milliseconds of CPU on purpose: not on the async workers.
    let hash = auth.hash.clone();
    let verified = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(form.password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false);
    if !verified {
        auth.failed(client);
        tracing::warn!(client = ?client, "a sign-in with a wrong password");
        return page(
            StatusCode::UNAUTHORIZED,
            &next,
            Some("That password is not right."),
        );
    }
    let token = auth.start_session(client);
    let mut response = Redirect::to(&next).into_response();
    let cookie = format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        SESSION_TTL.as_secs()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

pub async fn logout(State(auth): State<AppAuth>, headers: HeaderMap) -> Response {
    if let Some(auth) = auth
        && let Some(token) = auth.session_of(&headers)
    {
        auth.sessions.lock().expect("sessions").remove(&token);
    }
    let mut response = Redirect::to("/login").into_response();
    let expired = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The sign-in page: a plain form (it works before the app's code has loaded, and needs none).
fn page(status: StatusCode, next: &str, error: Option<&str>) -> Response {
    let error_html = error
        .map(|message| {
            format!(
                r#"<p id="password-error" role="alert" class="mt-2 text-sm text-red-700 dark:text-red-400">{}</p>"#,
                escape(message)
            )
        })
        .unwrap_or_default();
    let described = if error.is_some() {
        r#" aria-invalid="true" aria-describedby="password-error""#
    } else {
        ""
    };
    let body = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Jobscout</title>
<link rel="stylesheet" href="/pkg/jobscout.css">
</head>
<body class="min-h-screen bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
<main class="mx-auto mt-24 max-w-sm px-4">
<h1 class="text-xl font-semibold tracking-tight">Sign in to Jobscout</h1>
<p class="mt-1 text-sm text-slate-600 dark:text-slate-400">This Jobscout can be reached from other machines, so it asks for its password.</p>
<form method="post" action="/login" class="mt-6">
<input type="hidden" name="next" value="{next}">
<label for="password" class="block text-sm font-medium">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus{described}
 class="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900">
{error_html}
<button type="submit" class="mt-4 w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">Sign in</button>
</form>
</main>
</body>
</html>"#,
        next = escape(next),
    );
    (status, Html(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_machines_need_a_password_and_the_hash_must_be_argon2id() {
        let local: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        let open: SocketAddr = "0.0.0.0:3000".parse().unwrap();
        assert!(from_config(local, None).unwrap().is_none());
        let refused = from_config(open, None).err().unwrap();
        assert!(refused.contains("jobscout hash-password"), "{refused}");
        assert!(from_config(open, Some("hunter2")).is_err());
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(from_config(open, Some(&hash)).unwrap().is_some());
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/jobs/3?q=rust")), "/jobs/3?q=rust");
        for away in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(away)), "/", "{away}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "theme=dark; jobscout_session=abc; x=y".parse().unwrap(),
        );
        assert_eq!(cookie(&headers, COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "missing"), None);
    }
}
