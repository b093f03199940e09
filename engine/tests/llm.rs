//! LLM extraction against the simulator's vLLM stand-in over real HTTP: true values from
//! unstructured careers pages, long pages chunked instead of refused, the exact-match cache
//! across runs and restarts, a server that is down, and the monthly budget.

use engine::config::{DatabaseConfig, LlmConfig};
use engine::llm::pages::read_pages;
use engine::llm::{Extractor, LlmError, Page};
use engine::sources::{self, Board, Collected, HttpClient, HttpOptions, Provider};
use engine::store::{Database, LlmCall};
use sim::vllm::facts::JobFacts;
use sim::world::{Provider as SimProvider, WorldSpec};
use sim::{Options, Sim};
use std::time::Duration;

const NOW: i64 = 1_790_000_000;

async fn start(jobs_per_company: usize) -> Sim {
    let spec = WorldSpec {
        seed: 5,
        companies: 16,
        jobs_per_company,
        now: NOW,
    };
    Sim::start_with(spec, "127.0.0.1:0".parse().unwrap(), Options::default())
        .await
        .unwrap()
}

async fn database(dir: &std::path::Path) -> Database {
    Database::open(&DatabaseConfig {
        path: dir.join("jobs.db"),
        ..DatabaseConfig::default()
    })
    .await
    .unwrap()
}

fn llm_config(base: &str) -> LlmConfig {
    LlmConfig {
        base_url: format!("{base}/v1"),
        concurrency: 8,
        ..LlmConfig::default()
    }
}

fn http() -> HttpClient {
    HttpClient::new(&HttpOptions {
        timeout: Duration::from_secs(5),
        // The simulator listens on loopback.
        egress: engine::sources::egress::Egress::from_config(&["127.0.0.0/8".into()]).unwrap(),
        ..HttpOptions::default()
    })
    .unwrap()
}

/// The first company whose careers site has no structured data: slug, name, careers URL.
fn plain_company(sim: &Sim) -> (String, String, String) {
    let world = sim.state.world.read().unwrap();
    let company = world
        .companies
        .iter()
        .find(|c| c.provider == SimProvider::Html)
        .expect("an unstructured careers site");
    (
        company.slug.clone(),
        company.name.clone(),
        format!("{}/careers/{}/", sim.base_url(), company.slug),
    )
}

/// What the simulator's model was asked so far.
fn chat_requests(sim: &Sim) -> u64 {
    sim.state
        .counters()
        .iter()
        .filter(|((_, endpoint), _)| endpoint == "POST /v1/chat/completions")
        .map(|(_, n)| *n)
        .sum()
}

/// Fetches the careers site as a run does, then lets the LLM read what it left.
async fn collect(
    http: &HttpClient,
    extractor: &Extractor,
    careers_url: &str,
    name: &str,
) -> Collected {
    let board = Board {
        provider: Provider::Llm,
        http,
        base_url: "",
        token: careers_url,
        company: Some(name),
        now: NOW,
        previous: None,
        max_details: 100,
    };
    let mut collected = sources::collect(&board).await.unwrap();
    assert!(
        !collected.needs_llm.is_empty(),
        "an unstructured site leaves pages for the LLM"
    );
    read_pages(extractor, &board, None, &mut collected).await;
    collected
}

#[tokio::test]
async fn unstructured_pages_are_extracted_with_their_true_values() {
    let sim = start(12).await;
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    let extractor = Extractor::new(db.clone(), &llm_config(&sim.base_url())).unwrap();
    let (slug, name, careers) = plain_company(&sim);
    let collected = collect(&http(), &extractor, &careers, &name).await;

    assert!(collected.skipped.is_empty(), "{:?}", collected.skipped);
    assert!(collected.needs_llm.is_empty());
    assert!(
        collected.is_complete(),
        "every page read: the board is whole"
    );
    let world = sim.state.world.read().unwrap();
    let company = world.companies.iter().find(|c| c.slug == slug).unwrap();
    let listed: Vec<_> = company.jobs.iter().filter(|j| j.listed).collect();
    assert_eq!(collected.jobs.len(), listed.len());
    let mut long_pages = 0;
    for job in listed {
        let truth = JobFacts::of(company, job, &sim.base_url());
        let got = collected
            .jobs
            .iter()
            .find(|j| j.url == truth.url)
            .unwrap_or_else(|| panic!("{} not extracted", truth.url));
        assert_eq!(got.source, "llm");
        assert_eq!(got.title, truth.title);
        assert_eq!(got.company, truth.company);
        assert_eq!(got.location.as_deref(), Some(truth.location.as_str()));
        assert_eq!(got.department.as_deref(), Some(truth.department.as_str()));
        assert_eq!(
            got.employment_type.map(|e| e.as_str().to_owned()),
            Some(truth.employment.to_owned())
        );
        assert_eq!(
            got.posted_at.map(model::time::date),
            Some(truth.date_posted.clone())
        );
        match truth.salary {
            Some((min, max, currency, period)) => {
                let salary = got.salary.as_ref().expect("the salary the page states");
                assert_eq!(salary.min, Some(min as f64));
                assert_eq!(salary.max, Some(max as f64));
                assert_eq!(salary.currency.as_deref(), Some(currency));
                assert_eq!(salary.period.as_str(), period);
            }
            None => assert_eq!(got.salary, None, "no salary invented"),
        }
        assert!(!got.description_text.is_empty());
        if job.id % 10 == 3 {
            long_pages += 1;
        }
    }
    assert!(
        long_pages > 0,
        "the world has pages longer than the context"
    );
    // Every page and the long ones' extra chunks: more calls than pages, none refused.
    let calls = chat_requests(&sim);
    assert!(
        calls > collected.jobs.len() as u64,
        "{calls} calls for {} pages",
        collected.jobs.len()
    );
}

#[tokio::test]
async fn the_same_page_is_never_sent_twice_even_after_a_restart() {
    let sim = start(6).await;
    let dir = tempfile::tempdir().unwrap();
    let (slug, name, careers) = plain_company(&sim);
    let first = {
        let db = database(dir.path()).await;
        let extractor = Extractor::new(db, &llm_config(&sim.base_url())).unwrap();
        collect(&http(), &extractor, &careers, &name).await
    };
    let sent = chat_requests(&sim);
    assert!(sent > 0);

    // A new process: a fresh memory cache over the same database.
    let db = database(dir.path()).await;
    let extractor = Extractor::new(db.clone(), &llm_config(&sim.base_url())).unwrap();
    let again = collect(&http(), &extractor, &careers, &name).await;
    assert_eq!(
        chat_requests(&sim),
        sent,
        "no request for pages already read"
    );
    assert_eq!(again.jobs, first.jobs);

    // A new job: only its page goes to the model.
    reqwest::Client::new()
        .post(format!("{}/_sim/world/{slug}/jobs", sim.base_url()))
        .json(&serde_json::json!({ "count": 1 }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let third = collect(&http(), &extractor, &careers, &name).await;
    assert_eq!(third.jobs.len(), first.jobs.len() + 1);
    let new_calls = chat_requests(&sim) - sent;
    assert!(
        (1..=3).contains(&new_calls),
        "{new_calls} calls for one new page"
    );
    let usage = db
        .insights(NOW, engine::store::LlmPricing::default())
        .await
        .unwrap()
        .llm;
    assert!(usage.cache_hits >= first.jobs.len() as u64 * 2, "{usage:?}");
}

#[tokio::test]
async fn a_server_that_is_down_fails_those_pages_with_a_clear_error() {
    let sim = start(4).await;
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let extractor = Extractor::new(db, &llm_config(&format!("http://127.0.0.1:{port}"))).unwrap();
    let (_, name, careers) = plain_company(&sim);
    let collected = collect(&http(), &extractor, &careers, &name).await;
    assert!(collected.jobs.is_empty());
    assert!(!collected.is_complete(), "nothing may be closed on a guess");
    assert!(!collected.skipped.is_empty());
    for note in &collected.skipped {
        assert!(note.contains("LLM unavailable"), "{note}");
    }
}

#[tokio::test]
async fn over_budget_nothing_is_sent() {
    let sim = start(4).await;
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    let config = LlmConfig {
        monthly_budget_usd: 1.0,
        price_per_million_tokens_usd: 2.0,
        ..llm_config(&sim.base_url())
    };
    // Half a million tokens at $2 a million: the month's dollar is spent.
    db.record_llm_call(&LlmCall {
        at: engine::store::unix_now(),
        model: config.model.clone(),
        company_id: None,
        url: None,
        prompt_tokens: 400_000,
        completion_tokens: 100_000,
        latency_ms: 10,
        cached: false,
        error: None,
    })
    .await
    .unwrap();
    let extractor = Extractor::new(db, &config).unwrap();
    let (_, name, careers) = plain_company(&sim);
    let page = reqwest::get(&careers).await.unwrap().text().await.unwrap();
    let url = url::Url::parse(&careers).unwrap();
    let error = extractor
        .links(&Page {
            url: &url,
            html: &page,
            company: &name,
            company_id: None,
        })
        .await
        .unwrap_err();
    assert!(matches!(error, LlmError::OverBudget { .. }), "{error:?}");
    assert!(error.to_string().contains("$1.00 of $1.00"), "{error}");
    assert_eq!(chat_requests(&sim), 0);
}

#[tokio::test]
async fn a_list_page_gives_its_job_links_in_the_first_step() {
    let sim = start(5).await;
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    let extractor = Extractor::new(db, &llm_config(&sim.base_url())).unwrap();
    let (slug, name, careers) = plain_company(&sim);
    let page = reqwest::get(&careers).await.unwrap().text().await.unwrap();
    let url = url::Url::parse(&careers).unwrap();
    let links = extractor
        .links(&Page {
            url: &url,
            html: &page,
            company: &name,
            company_id: None,
        })
        .await
        .unwrap();
    let world = sim.state.world.read().unwrap();
    let company = world.companies.iter().find(|c| c.slug == slug).unwrap();
    let expected: Vec<String> = company
        .jobs
        .iter()
        .filter(|j| j.listed)
        .map(|j| format!("{}/careers/{slug}/jobs/{}", sim.base_url(), j.id))
        .collect();
    let got: Vec<String> = links.iter().map(ToString::to_string).collect();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn a_5xx_is_retried_and_a_400_is_not() {
    use engine::llm::client::Message;
    use engine::llm::schema::{PageJobs, schema_of};
    let sim = start(4).await;
    let client = engine::llm::LlmClient::new(&llm_config(&sim.base_url())).unwrap();
    let schema = schema_of::<PageJobs>();
    sim.state
        .set_faults(vec![sim::faults::Fault::parse("vllm=503@1").unwrap()]);
    let answer = client
        .complete(
            &[Message::user("Night Baker\nWe bake.")],
            "page_jobs",
            &schema,
            256,
        )
        .await
        .unwrap();
    let page: PageJobs = serde_json::from_str(&answer.content).unwrap();
    assert_eq!(page.jobs[0].title, "Night Baker");
    assert!(answer.prompt_tokens > 0 && answer.completion_tokens > 0);
    assert_eq!(chat_requests(&sim), 2, "one 503, then the answer");

    // A prompt longer than the context: vLLM's 400, answered at once, never retried.
    let huge = "word ".repeat(20_000);
    let error = client
        .complete(&[Message::user(huge)], "page_jobs", &schema, 256)
        .await
        .unwrap_err();
    match &error {
        LlmError::Refused { status, message } => {
            assert_eq!(*status, 400);
            assert!(message.contains("maximum context length"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(chat_requests(&sim), 3);
}
