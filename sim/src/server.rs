//! The simulator's HTTP surface: provider endpoints at their real paths, and the `/_sim/`
//! control API.

use crate::Options;
use crate::faults::{self, Fault, Outcome};
use crate::providers::{
    ashby, boards, careers, greenhouse, lever, recruitee, smartrecruiters, workable,
};
use crate::vllm::{ChatRequest, Llm, TokenizeRequest};
use crate::world::{Company, Job, Provider, World, WorldSpec};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{MatchedPath, Path, Query, Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// Shared state: the world (changeable between runs), faults, and the request log.
pub struct SimState {
    pub world: RwLock<World>,
    spec: WorldSpec,
    /// Base URL clients reach this simulator at, used in the absolute URLs it hands out.
    pub base: String,
    counters: Mutex<BTreeMap<(String, String), u64>>,
    faults: Mutex<Vec<Fault>>,
    /// Requests per second allowed per host before answering 429, if limited.
    rate_limit: Option<u32>,
    /// Per host: the current one-second window and how many requests it has seen.
    windows: Mutex<HashMap<String, (u64, u32)>>,
    rate_limited: Mutex<BTreeMap<String, u64>>,
    /// The careers sites' robots.txt; empty means none (404), as on many sites.
    robots: Mutex<String>,
    started: Instant,
    /// The vLLM stand-in.
    pub llm: Llm,
}

impl SimState {
    pub fn new(spec: WorldSpec, base: String, options: Options) -> Self {
        Self {
            world: RwLock::new(World::generate(&spec)),
            spec,
            base,
            counters: Mutex::new(BTreeMap::new()),
            faults: Mutex::new(options.faults),
            rate_limit: options.rate_limit,
            windows: Mutex::new(HashMap::new()),
            rate_limited: Mutex::new(BTreeMap::new()),
            robots: Mutex::new(String::new()),
            started: Instant::now(),
            llm: Llm::new(options.llm),
        }
    }

    pub fn set_faults(&self, faults: Vec<Fault>) {
        *self.faults.lock().expect("faults") = faults;
    }

    /// The fault to apply to this request, consuming one use of a counted fault.
    fn take_fault(&self, provider: &str) -> Option<Fault> {
        let mut faults = self.faults.lock().expect("faults");
        let index = faults.iter().position(|f| f.applies_to(provider))?;
        let fault = faults[index].clone();
        if let Some(count) = &mut faults[index].count {
            *count = count.saturating_sub(1);
            if *count == 0 {
                faults.remove(index);
            }
        }
        Some(fault)
    }

    /// True when this request exceeds the per-host limit for the current second.
    fn over_limit(&self, host: &str) -> bool {
        let Some(limit) = self.rate_limit else {
            return false;
        };
        let second = self.started.elapsed().as_secs();
        let mut windows = self.windows.lock().expect("windows");
        let window = windows.entry(host.to_owned()).or_insert((second, 0));
        if window.0 != second {
            *window = (second, 0);
        }
        window.1 += 1;
        if window.1 > limit {
            *self
                .rate_limited
                .lock()
                .expect("rate limited")
                .entry(host.to_owned())
                .or_default() += 1;
            true
        } else {
            false
        }
    }

    /// Requests answered 429 by the simulator's own rate limit, per host.
    pub fn rate_limited(&self) -> BTreeMap<String, u64> {
        self.rate_limited.lock().expect("rate limited").clone()
    }

    /// Sets the robots.txt every simulated site answers (empty: none, a 404).
    pub fn set_robots(&self, text: &str) {
        *self.robots.lock().expect("robots") = text.to_string();
    }

    /// Requests served so far, per (host, endpoint pattern).
    pub fn counters(&self) -> BTreeMap<(String, String), u64> {
        self.counters.lock().expect("counters").clone()
    }

    fn count(&self, host: String, endpoint: String) {
        *self
            .counters
            .lock()
            .expect("counters")
            .entry((host, endpoint))
            .or_default() += 1;
    }
}

type Shared = Arc<SimState>;

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/v1/boards/{token}/jobs", get(greenhouse_list))
        .route("/v1/boards/{token}/jobs/{id}", get(greenhouse_detail))
        .route("/v0/postings/{site}", get(lever_list))
        .route("/posting-api/job-board/{name}", get(ashby_board))
        .route("/api/v3/accounts/{account}/jobs", post(workable_jobs))
        .route(
            "/api/v2/accounts/{account}/jobs/{shortcode}",
            get(workable_detail),
        )
        .route(
            "/v1/companies/{company}/postings",
            get(smartrecruiters_postings),
        )
        .route(
            "/v1/companies/{company}/postings/{id}",
            get(smartrecruiters_detail),
        )
        .route("/recruitee/{company}/api/offers/", get(recruitee_offers))
        .route("/careers/{slug}/", get(careers_list))
        .route("/careers/{slug}/jobs/{id}", get(careers_job))
        .route("/careers/{slug}/about", get(careers_about))
        .route("/api/remote-jobs", get(remotive))
        .route("/api", get(remoteok))
        .route("/api/job-board-api", get(arbeitnow))
        .route("/v1/models", get(vllm_models))
        .route("/v1/chat/completions", post(vllm_chat))
        .route("/tokenize", post(vllm_tokenize))
        .route("/health", get(vllm_health))
        .route("/metrics", get(vllm_metrics))
        .route("/_sim/world", get(world))
        .route("/_sim/world/{slug}", axum::routing::delete(remove_company))
        .route("/_sim/world/{slug}/jobs", post(add_jobs))
        .route(
            "/_sim/world/{slug}/jobs/{id}",
            axum::routing::patch(edit_job).delete(remove_job),
        )
        .route("/_sim/requests", get(requests))
        .route("/_sim/config", get(config))
        .route("/robots.txt", get(robots))
        .route("/_sim/robots", axum::routing::put(put_robots))
        .route(
            "/_sim/faults",
            get(list_faults).post(add_faults).delete(clear_faults),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), gate))
        .route_layer(middleware::from_fn_with_state(state.clone(), count))
        .with_state(state)
}

/// Which simulated service a route belongs to, for faults.
fn provider_of(endpoint: &str) -> &'static str {
    let path = endpoint.split_once(' ').map_or(endpoint, |(_, p)| p);
    match path {
        p if p.starts_with("/v1/boards") => "greenhouse",
        p if p.starts_with("/v0/postings") => "lever",
        p if p.starts_with("/posting-api") => "ashby",
        p if p.starts_with("/api/v3/accounts") || p.starts_with("/api/v2/accounts") => "workable",
        p if p.starts_with("/v1/companies") => "smartrecruiters",
        p if p.starts_with("/recruitee") => "recruitee",
        p if p.starts_with("/careers") => "careers",
        "/api/remote-jobs" => "remotive",
        "/api" => "remoteok",
        "/api/job-board-api" => "arbeitnow",
        "/v1/models" | "/v1/chat/completions" | "/tokenize" | "/health" | "/metrics" => "vllm",
        _ => "control",
    }
}

/// The simulator's own per-host rate limit, then any fault set for the provider.
async fn gate(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let endpoint = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let provider = provider_of(&endpoint);
    if provider == "control" {
        return next.run(request).await;
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("unknown")
        .to_owned();
    // A vLLM server has no per-host rate limit (its limit is its queue, see `--llm-concurrency`),
    // and in the real world it is not on the job boards' hosts.
    if provider != "vllm" && state.over_limit(&host) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "1")],
            "Too Many Requests",
        )
            .into_response();
    }
    let Some(fault) = state.take_fault(provider) else {
        return next.run(request).await;
    };
    match faults::outcome(&fault.kind) {
        Outcome::Replace(response) => response,
        Outcome::Hang => std::future::pending().await,
        Outcome::Pass { delay, drip } => {
            if let Some(delay) = delay {
                tokio::time::sleep(delay).await;
            }
            let response = next.run(request).await;
            match drip {
                None => response,
                Some(interval) => {
                    let (parts, body) = response.into_parts();
                    let bytes = axum::body::to_bytes(body, usize::MAX)
                        .await
                        .unwrap_or_default();
                    let chunks = bytes
                        .chunks(256)
                        .map(|c| Ok(axum::body::Bytes::copy_from_slice(c)))
                        .collect();
                    Response::from_parts(
                        parts,
                        axum::body::Body::from_stream(faults::futures_stream(
                            chunks,
                            Some(interval),
                        )),
                    )
                }
            }
        }
    }
}

/// Counts every routed request under its host and route pattern.
async fn count(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("unknown")
        .to_owned();
    let endpoint = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| format!("{} {}", request.method(), p.as_str()))
        .unwrap_or_default();
    if !endpoint.contains("/_sim/") {
        state.count(host, endpoint);
    }
    next.run(request).await
}

/// Renders `found` for the company with this board token on one of `providers`, or answers
/// `missing()`: each provider has its own way of saying a board does not exist.
fn on_board(
    state: &SimState,
    providers: &[Provider],
    slug: &str,
    found: impl FnOnce(&Company, &str) -> Response,
    missing: impl FnOnce() -> Response,
) -> Response {
    let world = state.world.read().expect("world");
    match providers.iter().find_map(|p| world.company(*p, slug)) {
        Some(company) => found(company, &state.base),
        None => missing(),
    }
}

/// A job by its numeric id as it appears in URLs.
fn job_by_id<'c>(company: &'c Company, id: &str) -> Option<&'c Job> {
    company.jobs.iter().find(|j| j.id.to_string() == id)
}

fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

#[derive(Deserialize, Default)]
struct GreenhouseQuery {
    content: Option<bool>,
    pay_transparency: Option<bool>,
}

async fn greenhouse_list(
    State(state): State<Shared>,
    Path(token): Path<String>,
    Query(q): Query<GreenhouseQuery>,
) -> Response {
    let content = q.content.unwrap_or(false);
    on_board(
        &state,
        &[Provider::Greenhouse],
        &token,
        |company, base| {
            json_response(
                StatusCode::OK,
                greenhouse::to_wire(&greenhouse::list(company, base, content)),
            )
        },
        || {
            json_response(
                StatusCode::NOT_FOUND,
                json!({"status": 404, "error": "Board not found"}).to_string(),
            )
        },
    )
}

async fn greenhouse_detail(
    State(state): State<Shared>,
    Path((token, id)): Path<(String, String)>,
    Query(q): Query<GreenhouseQuery>,
) -> Response {
    let pay = q.pay_transparency.unwrap_or(false);
    let not_found = || {
        json_response(
            StatusCode::NOT_FOUND,
            greenhouse::job_not_found().to_string(),
        )
    };
    on_board(
        &state,
        &[Provider::Greenhouse],
        &token,
        |company, base| match job_by_id(company, &id) {
            Some(job) => json_response(
                StatusCode::OK,
                greenhouse::to_wire(&greenhouse::detail(company, job, base, pay)),
            ),
            None => not_found(),
        },
        not_found,
    )
}

#[derive(Deserialize, Default)]
struct LeverQuery {
    mode: Option<String>,
    skip: Option<usize>,
    limit: Option<usize>,
}

async fn lever_list(
    State(state): State<Shared>,
    Path(site): Path<String>,
    Query(q): Query<LeverQuery>,
) -> Response {
    if q.mode.as_deref() != Some("json") {
        // The real endpoint answers HTML without mode=json; Jobscout must always ask for JSON.
        return (
            StatusCode::BAD_REQUEST,
            "this simulator serves Lever postings with mode=json only",
        )
            .into_response();
    }
    let (skip, limit) = (q.skip.unwrap_or(0), q.limit);
    on_board(
        &state,
        &[Provider::Lever],
        &site,
        |company, base| {
            json_response(
                StatusCode::OK,
                lever::list(company, base, skip, limit).to_string(),
            )
        },
        || json_response(StatusCode::NOT_FOUND, lever::not_found().to_string()),
    )
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AshbyQuery {
    include_compensation: Option<bool>,
}

async fn ashby_board(
    State(state): State<Shared>,
    Path(name): Path<String>,
    Query(q): Query<AshbyQuery>,
) -> Response {
    let compensation = q.include_compensation.unwrap_or(false);
    on_board(
        &state,
        &[Provider::Ashby],
        &name,
        |company, base| {
            json_response(
                StatusCode::OK,
                ashby::board(company, base, compensation).to_string(),
            )
        },
        || (StatusCode::NOT_FOUND, "Not Found").into_response(),
    )
}

/// Workable answers errors in plain text, not JSON.
fn text(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn workable_jobs(
    State(state): State<Shared>,
    Path(account): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let Ok(request) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return text(StatusCode::BAD_REQUEST, "Invalid JSON body");
    };
    if request.get("limit").is_some() {
        return json_response(
            StatusCode::BAD_REQUEST,
            json!({"limit": ["Not allowed"]}).to_string(),
        );
    }
    let offset = match request.get("token").and_then(|t| t.as_str()) {
        None => 0,
        Some(token) => match workable::parse_token(token) {
            Some(offset) => offset,
            None => return text(StatusCode::BAD_REQUEST, "Invalid token"),
        },
    };
    let query = request.get("query").and_then(|q| q.as_str()).unwrap_or("");
    let world = state.world.read().expect("world");
    match world.company(Provider::Workable, &account) {
        Some(company) => json_response(
            StatusCode::OK,
            workable::page(company, query, offset).to_string(),
        ),
        None => text(StatusCode::NOT_FOUND, "Not Found"),
    }
}

async fn workable_detail(
    State(state): State<Shared>,
    Path((account, shortcode)): Path<(String, String)>,
) -> Response {
    on_board(
        &state,
        &[Provider::Workable],
        &account,
        |company, _| match company.jobs.iter().find(|j| j.shortcode == shortcode) {
            Some(job) => json_response(StatusCode::OK, workable::detail(company, job).to_string()),
            None => text(StatusCode::NOT_FOUND, "Job not found"),
        },
        || text(StatusCode::NOT_FOUND, "Not Found"),
    )
}

#[derive(Deserialize, Default)]
struct SmartRecruitersQuery {
    limit: Option<usize>,
    offset: Option<usize>,
    q: Option<String>,
}

async fn smartrecruiters_postings(
    State(state): State<Shared>,
    Path(company): Path<String>,
    Query(q): Query<SmartRecruitersQuery>,
) -> Response {
    let limit = q.limit.unwrap_or(10).clamp(1, smartrecruiters::MAX_LIMIT);
    let world = state.world.read().expect("world");
    // An unknown company is 200 with nothing found, not 404.
    let company = world.company(Provider::SmartRecruiters, &company);
    let page = smartrecruiters::page(
        company,
        &state.base,
        q.q.as_deref().unwrap_or(""),
        q.offset.unwrap_or(0),
        limit,
    );
    json_response(StatusCode::OK, page.to_string())
}

async fn smartrecruiters_detail(
    State(state): State<Shared>,
    Path((company, id)): Path<(String, String)>,
) -> Response {
    let not_found = || {
        json_response(
            StatusCode::NOT_FOUND,
            smartrecruiters::not_found().to_string(),
        )
    };
    on_board(
        &state,
        &[Provider::SmartRecruiters],
        &company,
        |company, _| match job_by_id(company, &id) {
            Some(job) => json_response(
                StatusCode::OK,
                smartrecruiters::detail(company, job).to_string(),
            ),
            None => not_found(),
        },
        not_found,
    )
}

async fn recruitee_offers(State(state): State<Shared>, Path(company): Path<String>) -> Response {
    on_board(
        &state,
        &[Provider::Recruitee],
        &company,
        |company, base| json_response(StatusCode::OK, recruitee::offers(company, base).to_string()),
        || {
            json_response(
                StatusCode::NOT_FOUND,
                json!({"error": "Not found"}).to_string(),
            )
        },
    )
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Careers sites: companies of the JSON-LD and plain-HTML kinds.
const CAREERS_SITES: [Provider; 2] = [Provider::JsonLd, Provider::Html];

fn page_not_found() -> Response {
    html(
        StatusCode::NOT_FOUND,
        "<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>".into(),
    )
}

async fn careers_list(State(state): State<Shared>, Path(slug): Path<String>) -> Response {
    on_board(
        &state,
        &CAREERS_SITES,
        &slug,
        |company, base| html(StatusCode::OK, careers::list_page(company, base)),
        page_not_found,
    )
}

async fn careers_job(
    State(state): State<Shared>,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    on_board(
        &state,
        &CAREERS_SITES,
        &slug,
        |company, base| match job_by_id(company, &id) {
            Some(job) => html(StatusCode::OK, careers::job_page(company, job, base)),
            None => page_not_found(),
        },
        page_not_found,
    )
}

async fn careers_about(State(state): State<Shared>, Path(slug): Path<String>) -> Response {
    on_board(
        &state,
        &CAREERS_SITES,
        &slug,
        |company, _| html(StatusCode::OK, careers::about_page(company)),
        page_not_found,
    )
}

#[derive(Deserialize, Default)]
struct RemotiveQuery {
    search: Option<String>,
    limit: Option<usize>,
}

async fn remotive(State(state): State<Shared>, Query(q): Query<RemotiveQuery>) -> Response {
    let world = state.world.read().expect("world");
    let body = boards::remotive(
        &world,
        &state.base,
        q.search.as_deref().unwrap_or(""),
        q.limit,
    );
    json_response(StatusCode::OK, body.to_string())
}

#[derive(Deserialize, Default)]
struct RemoteOkQuery {
    tag: Option<String>,
}

async fn remoteok(State(state): State<Shared>, Query(q): Query<RemoteOkQuery>) -> Response {
    let world = state.world.read().expect("world");
    let body = boards::remoteok(&world, &state.base, q.tag.as_deref().unwrap_or(""));
    json_response(StatusCode::OK, body.to_string())
}

#[derive(Deserialize, Default)]
struct ArbeitnowQuery {
    page: Option<usize>,
}

async fn arbeitnow(State(state): State<Shared>, Query(q): Query<ArbeitnowQuery>) -> Response {
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"message": "The page must be at least 1."}).to_string(),
        );
    }
    let world = state.world.read().expect("world");
    json_response(
        StatusCode::OK,
        boards::arbeitnow(&world, &state.base, page).to_string(),
    )
}

/// `GET /_sim/world`: every simulated company and the URL a user would paste into Jobscout.
async fn world(State(state): State<Shared>) -> Json<serde_json::Value> {
    let world = state.world.read().expect("world");
    let companies: Vec<_> = world
        .companies
        .iter()
        .map(|c| {
            let paste_url = paste_url(c.provider, &c.slug, &state.base);
            json!({
                "name": c.name,
                "provider": c.provider,
                "board_token": c.slug,
                "careers_url": paste_url,
                "paste_url": paste_url,
                "jobs": c.jobs.len(),
                "listed_jobs": c.jobs.iter().filter(|j| j.listed).count(),
            })
        })
        .collect();
    Json(json!({ "seed": world.seed, "jobs": world.job_count(), "companies": companies }))
}

/// The careers URL of a company as a person would copy it from their browser. ATS URLs keep
/// the real hosts (Jobscout detects the provider from them and then calls the configured API
/// base URL); careers sites live on this simulator.
pub fn paste_url(provider: Provider, slug: &str, base: &str) -> String {
    match provider {
        Provider::Greenhouse => format!("https://boards.greenhouse.io/{slug}"),
        Provider::Lever => format!("https://jobs.lever.co/{slug}"),
        Provider::Ashby => format!("https://jobs.ashbyhq.com/{slug}"),
        Provider::Workable => format!("https://apply.workable.com/{slug}/"),
        Provider::SmartRecruiters => format!("https://careers.smartrecruiters.com/{slug}"),
        Provider::Recruitee => format!("https://{slug}.recruitee.com/"),
        Provider::JsonLd | Provider::Html => format!("{base}/careers/{slug}/"),
    }
}

/// `GET /_sim/requests`: counters per host and endpoint, and 429s from the simulator's own
/// rate limit per host.
async fn requests(State(state): State<Shared>) -> Json<serde_json::Value> {
    let rows: Vec<_> = state
        .counters()
        .into_iter()
        .map(|((host, endpoint), count)| json!({ "host": host, "endpoint": endpoint, "count": count }))
        .collect();
    let total: u64 = rows.iter().filter_map(|r| r["count"].as_u64()).sum();
    Json(json!({ "total": total, "endpoints": rows, "rate_limited": state.rate_limited() }))
}

async fn list_faults(State(state): State<Shared>) -> Json<Vec<Fault>> {
    Json(state.faults.lock().expect("faults").clone())
}

/// `POST /_sim/faults`: one fault object or a list of them, added to those in force.
async fn add_faults(State(state): State<Shared>, body: axum::body::Bytes) -> Response {
    let parsed = serde_json::from_slice::<Vec<Fault>>(&body)
        .or_else(|_| serde_json::from_slice::<Fault>(&body).map(|f| vec![f]));
    match parsed {
        Ok(new) => {
            state.faults.lock().expect("faults").extend(new);
            (StatusCode::NO_CONTENT, ()).into_response()
        }
        Err(err) => (StatusCode::BAD_REQUEST, format!("invalid fault: {err}")).into_response(),
    }
}

async fn clear_faults(State(state): State<Shared>) -> StatusCode {
    state.set_faults(Vec::new());
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct AddJobs {
    count: usize,
}

/// `POST /_sim/world/{slug}/jobs {"count": N}`: N new jobs appear on the board.
async fn add_jobs(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    Json(body): Json<AddJobs>,
) -> Response {
    let mut world = state.world.write().expect("world");
    let Some(index) = world
        .companies
        .iter()
        .position(|c| c.slug.eq_ignore_ascii_case(&slug))
    else {
        return (StatusCode::NOT_FOUND, "no such company").into_response();
    };
    let company = &mut world.companies[index];
    let start = company
        .jobs
        .iter()
        .map(|j| j.id % 100_000 + 1)
        .max()
        .unwrap_or(0);
    let name = company.name.clone();
    let new: Vec<Job> = (start..start + body.count as u64)
        .map(|j| Job::generate(&state.spec, index as u64, j, &name))
        .collect();
    let ids: Vec<u64> = new.iter().map(|j| j.id).collect();
    company.jobs.extend(new);
    Json(json!({ "added": ids })).into_response()
}

#[derive(Deserialize)]
struct EditJob {
    title: Option<String>,
    /// `true` removes the salary.
    #[serde(default)]
    clear_salary: bool,
}

/// `PATCH /_sim/world/{slug}/jobs/{id}`: change a job between runs.
async fn edit_job(
    State(state): State<Shared>,
    Path((slug, id)): Path<(String, u64)>,
    Json(edit): Json<EditJob>,
) -> StatusCode {
    let mut world = state.world.write().expect("world");
    let Some(job) = world
        .company_mut(&slug)
        .and_then(|c| c.jobs.iter_mut().find(|j| j.id == id))
    else {
        return StatusCode::NOT_FOUND;
    };
    if let Some(title) = edit.title {
        job.title = title;
    }
    if edit.clear_salary {
        job.salary = None;
    }
    job.updated_at += 3_600;
    StatusCode::NO_CONTENT
}

/// `DELETE /_sim/world/{slug}/jobs/{id}`: the job disappears from its board.
async fn remove_job(
    State(state): State<Shared>,
    Path((slug, id)): Path<(String, u64)>,
) -> StatusCode {
    let mut world = state.world.write().expect("world");
    match world.company_mut(&slug) {
        Some(company) if company.jobs.iter().any(|j| j.id == id) => {
            company.jobs.retain(|j| j.id != id);
            StatusCode::NO_CONTENT
        }
        _ => StatusCode::NOT_FOUND,
    }
}

/// `DELETE /_sim/world/{slug}`: the whole board disappears (its API answers 404).
async fn remove_company(State(state): State<Shared>, Path(slug): Path<String>) -> StatusCode {
    let mut world = state.world.write().expect("world");
    let before = world.companies.len();
    world
        .companies
        .retain(|c| !c.slug.eq_ignore_ascii_case(&slug));
    if world.companies.len() < before {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

/// `GET /_sim/config`: a Jobscout config file pointing every source at this simulator.
async fn config(State(state): State<Shared>) -> impl IntoResponse {
    let base = &state.base;
    let yaml = format!(
        "# Jobscout configuration for this simulator (only the keys that differ from the defaults).\n\
         sources:\n\
         \x20 greenhouse:\n    base_url: {base}\n\
         \x20 lever:\n    base_url: {base}\n\
         \x20 lever_eu:\n    base_url: {base}\n\
         \x20 ashby:\n    base_url: {base}\n\
         \x20 workable:\n    base_url: {base}\n\
         \x20 smartrecruiters:\n    base_url: {base}\n\
         \x20 recruitee:\n    base_url: {base}/recruitee/{{company}}\n\
         \x20 remotive:\n    base_url: {base}\n\
         \x20 remoteok:\n    base_url: {base}\n\
         \x20 arbeitnow:\n    base_url: {base}\n\
         collection:\n\
         \x20 # Every provider shares this simulator's one host: its rate covers them all.\n\
         \x20 per_host_rps: {rps}\n\
         \x20 # The simulator listens on loopback, which collection refuses unless allowed.\n\
         \x20 allowed_networks: [127.0.0.0/8, \"::1\"]\n\
         llm:\n\
         \x20 base_url: {base}/v1\n\
         \x20 model: {model}\n\
         \x20 context_tokens: {context}\n{key}",
        // Under the simulator's own limit when it has one, else generous.
        rps = state
            .rate_limit
            .map_or(200.0, |limit| f64::from(limit) * 0.8),
        model = state.llm.options.model,
        context = state.llm.options.max_model_len,
        key = state
            .llm
            .options
            .api_key
            .as_ref()
            .map(|k| format!("  api_key: {k}\n"))
            .unwrap_or_default(),
    );
    (
        [(header::CONTENT_TYPE, "application/yaml; charset=utf-8")],
        yaml,
    )
}

/// A JSON request body, or why it is not one (vLLM answers that with its 400 error body).
fn vllm_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("invalid request body: {e}"))
}

async fn vllm_models(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(denied) = state.llm.check_key(&headers) {
        return denied;
    }
    Json(state.llm.models()).into_response()
}

async fn vllm_chat(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(denied) = state.llm.check_key(&headers) {
        return denied;
    }
    match vllm_body::<ChatRequest>(&body) {
        Ok(request) => state.llm.chat(&state.world, &state.base, request).await,
        Err(message) => state.llm.bad_request(&message, None),
    }
}

async fn vllm_tokenize(State(state): State<Shared>, body: Bytes) -> Response {
    match vllm_body::<TokenizeRequest>(&body) {
        Ok(request) => state.llm.tokenize(request),
        Err(message) => state.llm.bad_request(&message, None),
    }
}

/// vLLM answers its health check with 200 and an empty body.
async fn vllm_health() -> StatusCode {
    StatusCode::OK
}

async fn vllm_metrics(State(state): State<Shared>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.llm.metrics(),
    )
        .into_response()
}

/// `GET /robots.txt`: what `PUT /_sim/robots` set, or 404 when nothing was.
async fn robots(State(state): State<Shared>) -> Response {
    let text = state.robots.lock().expect("robots").clone();
    if text.is_empty() {
        (StatusCode::NOT_FOUND, "no robots.txt").into_response()
    } else {
        (
            StatusCode::OK,
            [(axum::http::header::CONTENT_TYPE, "text/plain")],
            text,
        )
            .into_response()
    }
}

/// `PUT /_sim/robots` with the robots.txt every simulated site should answer.
async fn put_robots(State(state): State<Shared>, body: String) -> StatusCode {
    state.set_robots(&body);
    StatusCode::NO_CONTENT
}
