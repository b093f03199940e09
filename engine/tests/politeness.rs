//! The HTTP client's manners against the simulator: transient failures retried with backoff
//! (longer when `Retry-After` says so), permanent ones not, and no host ever sent more than
//! its share of requests a second.

use engine::sources::{FetchError, HttpClient, HttpOptions};
use sim::world::{Provider, WorldSpec};
use sim::{Options, Sim, faults::Fault};
use std::time::{Duration, Instant};

async fn start(faults: &[&str], rate_limit: Option<u32>) -> Sim {
    let spec = WorldSpec {
        seed: 5,
        companies: 8,
        jobs_per_company: 3,
        now: 1_790_000_000,
    };
    let options = Options {
        faults: faults.iter().map(|f| Fault::parse(f).unwrap()).collect(),
        rate_limit,
        ..Options::default()
    };
    Sim::start_with(spec, "127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap()
}

fn client(retries: u32, per_host_rps: Option<f64>) -> HttpClient {
    HttpClient::new(&HttpOptions {
        timeout: Duration::from_secs(2),
        retries,
        backoff: Duration::from_millis(20),
        per_host_rps,
        // The simulator listens on loopback.
        egress: engine::sources::egress::Egress::from_config(&["127.0.0.0/8".into()]).unwrap(),
        ..HttpOptions::default()
    })
    .unwrap()
}

fn board_url(sim: &Sim, provider: Provider, path: &str) -> String {
    let world = sim.state.world.read().unwrap();
    let slug = &world
        .companies
        .iter()
        .find(|c| c.provider == provider)
        .unwrap()
        .slug;
    format!("{}{}", sim.base_url(), path.replace("{}", slug))
}

/// Requests the simulator saw on routes containing `endpoint`.
fn served(sim: &Sim, endpoint: &str) -> u64 {
    sim.state
        .counters()
        .into_iter()
        .filter(|((_, e), _)| e.contains(endpoint))
        .map(|(_, n)| n)
        .sum()
}

#[tokio::test]
async fn retry_after_is_honoured_then_the_request_succeeds() {
    let sim = start(&["greenhouse=429:1@2"], None).await;
    let url = board_url(&sim, Provider::Greenhouse, "/v1/boards/{}/jobs");
    let started = Instant::now();
    let fetched = client(2, None).get(&url).await.unwrap();
    assert_eq!(fetched.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(1_900),
        "waited {:?}, Retry-After asked 1 s twice",
        started.elapsed()
    );
    assert_eq!(served(&sim, "/v1/boards"), 3);
}

#[tokio::test]
async fn retries_are_bounded_and_permanent_failures_are_not_retried() {
    let sim = start(&["ashby=503@10"], None).await;
    let url = board_url(&sim, Provider::Ashby, "/posting-api/job-board/{}");
    let err = client(2, None).get(&url).await.unwrap_err();
    assert!(
        matches!(err, FetchError::Status { status: 503, .. }),
        "{err}"
    );
    assert_eq!(
        served(&sim, "/posting-api"),
        3,
        "one attempt and two retries"
    );

    let missing = format!("{}/v1/boards/nobody/jobs", sim.base_url());
    let err = client(2, None).get(&missing).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(served(&sim, "/v1/boards"), 1, "a 404 is final");
}

#[tokio::test]
async fn a_host_never_gets_more_than_its_share() {
    // The simulator answers 429 past 10 requests a second per host; the client allows 8.
    let sim = start(&[], Some(10)).await;
    let http = client(0, Some(8.0));
    let url = board_url(&sim, Provider::Greenhouse, "/v1/boards/{}/jobs");
    let started = Instant::now();
    let results = concurrent_gets(&http, &url, 24).await;
    let elapsed = started.elapsed();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert!(
        sim.state.rate_limited().is_empty(),
        "{:?}",
        sim.state.rate_limited()
    );
    assert!(
        elapsed >= Duration::from_millis(2_800),
        "24 requests at 8/s take about 3 s, not {elapsed:?}"
    );
}

/// `n` concurrent GETs of `url`.
async fn concurrent_gets(http: &HttpClient, url: &str, n: usize) -> Vec<Result<u16, FetchError>> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (http, url) = (http.clone(), url.to_owned());
        tasks.spawn(async move { http.get(&url).await.map(|f| f.status) });
    }
    tasks.join_all().await
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed_even_after_a_redirect() {
    let sim = start(
        &["greenhouse=redirect:http://169.254.169.254/latest/meta-data/@1"],
        None,
    )
    .await;
    let url = board_url(&sim, Provider::Greenhouse, "/v1/boards/{}/jobs");
    let strict = HttpClient::new(&HttpOptions {
        timeout: Duration::from_secs(2),
        ..HttpOptions::default()
    })
    .unwrap();
    // An address in the URL, and a name whose DNS answer is loopback.
    for url in [url.clone(), url.replace("127.0.0.1", "localhost")] {
        let error = strict.get(&url).await.unwrap_err();
        assert!(matches!(error, FetchError::Refused { .. }), "{error}");
        assert!(error.to_string().contains("a loopback address"), "{error}");
        assert!(!error.is_transient(), "refusals are not retried");
    }
    assert_eq!(served(&sim, "/v1/boards"), 0, "nothing was sent");

    // Loopback allowed (the simulator): the board's redirect to the cloud metadata address is
    // still refused.
    let allowed = client(0, None);
    let error = allowed.get(&url).await.unwrap_err();
    assert!(matches!(error, FetchError::Refused { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("169.254.169.254 is a link-local address"),
        "{error}"
    );
    // The fault was for one request: the board itself answers.
    assert!(allowed.get(&url).await.is_ok());
}
