//! Every collector against the simulator over real HTTP on loopback: whole boards, pages,
//! unknown boards, closed jobs, malformed and huge bodies, hostile HTML, unchanged boards.

use engine::sources::{
    self, Board, Collected, HttpClient, HttpOptions, Previous, Provider, SourceError,
};
use sim::world::{Provider as SimProvider, WorldSpec};
use sim::{Options, Sim, faults::Fault};
use std::time::Duration;

const NOW: i64 = 1_790_000_000;

async fn start(jobs_per_company: usize, faults: &[&str]) -> Sim {
    let spec = WorldSpec {
        seed: 11,
        companies: 16,
        jobs_per_company,
        now: NOW,
    };
    let options = Options {
        faults: faults.iter().map(|f| Fault::parse(f).unwrap()).collect(),
        ..Options::default()
    };
    Sim::start_with(spec, "127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap()
}

fn http(max_bytes: usize) -> HttpClient {
    HttpClient::new(&HttpOptions {
        timeout: Duration::from_secs(5),
        max_bytes,
        // The simulator listens on loopback.
        egress: engine::sources::egress::Egress::from_config(&["127.0.0.0/8".into()]).unwrap(),
        ..HttpOptions::default()
    })
    .unwrap()
}

fn ours(provider: SimProvider) -> Provider {
    match provider {
        SimProvider::Greenhouse => Provider::Greenhouse,
        SimProvider::Lever => Provider::Lever,
        SimProvider::Ashby => Provider::Ashby,
        SimProvider::Workable => Provider::Workable,
        SimProvider::SmartRecruiters => Provider::SmartRecruiters,
        SimProvider::Recruitee => Provider::Recruitee,
        SimProvider::JsonLd => Provider::JsonLd,
        SimProvider::Html => Provider::Llm,
    }
}

/// The simulated company of a provider: slug, name, and the titles its board lists (sorted;
/// a title may appear twice).
fn company(sim: &Sim, provider: SimProvider) -> (String, String, Vec<String>) {
    let world = sim.state.world.read().unwrap();
    let company = world
        .companies
        .iter()
        .find(|c| c.provider == provider)
        .unwrap_or_else(|| panic!("no {provider:?} company"));
    let mut titles: Vec<String> = company
        .jobs
        .iter()
        .filter(|j| j.listed || !matches!(provider, SimProvider::Ashby | SimProvider::JsonLd))
        .map(|j| j.title.trim().to_owned())
        .collect();
    titles.sort();
    (company.slug.clone(), company.name.clone(), titles)
}

async fn collect(
    sim: &Sim,
    client: &HttpClient,
    provider: SimProvider,
    token: &str,
    name: &str,
    previous: Option<&Previous>,
) -> Result<Collected, SourceError> {
    let base = sim.base_url();
    let base_url = match provider {
        SimProvider::Recruitee => format!("{base}/recruitee/{{company}}"),
        _ => base.clone(),
    };
    let site = format!("{base}/careers/{token}/");
    let token = match provider {
        SimProvider::JsonLd | SimProvider::Html => site.as_str(),
        _ => token,
    };
    sources::collect(&Board {
        provider: ours(provider),
        http: client,
        base_url: &base_url,
        token,
        company: Some(name),
        now: NOW,
        previous,
        max_details: 500,
    })
    .await
}

fn assert_safe(collected: &Collected) {
    for job in &collected.jobs {
        let html = job.description_html.to_lowercase();
        for bad in ["<script", "onerror", "javascript:", "<iframe", "onclick"] {
            assert!(!html.contains(bad), "{bad} survived in {}", job.title);
        }
        assert!(
            !job.description_text.is_empty(),
            "{} has no text",
            job.title
        );
    }
}

#[tokio::test]
async fn every_provider_collects_its_whole_board() {
    let sim = start(23, &[]).await;
    let client = http(10 << 20);
    let mut hostile_inputs = 0;
    for provider in [
        SimProvider::Greenhouse,
        SimProvider::Lever,
        SimProvider::Ashby,
        SimProvider::Workable,
        SimProvider::SmartRecruiters,
        SimProvider::Recruitee,
        SimProvider::JsonLd,
    ] {
        let (slug, name, titles) = company(&sim, provider);
        let collected = collect(&sim, &client, provider, &slug, &name, None)
            .await
            .unwrap_or_else(|e| panic!("{provider:?}: {e}"));
        assert!(collected.complete, "{provider:?}: {:?}", collected.skipped);
        assert!(collected.needs_llm.is_empty(), "{provider:?}");
        let mut got: Vec<String> = collected.jobs.iter().map(|j| j.title.clone()).collect();
        got.sort();
        assert_eq!(got, titles, "{provider:?}: every job once");
        for job in &collected.jobs {
            assert_eq!(job.company, name, "{provider:?}");
            assert!(job.url.starts_with("http"), "{provider:?}: {}", job.url);
            assert!(job.posted_at.is_some(), "{provider:?}: {}", job.title);
        }
        assert!(
            !collected.raw.is_empty(),
            "{provider:?}: the raw payload is kept"
        );
        let raw = String::from_utf8_lossy(&collected.raw).to_lowercase();
        if ["onerror", "<script", "javascript:", "&lt;script"]
            .iter()
            .any(|bad| raw.contains(bad))
        {
            hostile_inputs += 1;
        }
        assert_safe(&collected);
    }
    assert!(
        hostile_inputs >= 3,
        "the sanitizer met hostile markup: {hostile_inputs}"
    );
}

#[tokio::test]
async fn paged_boards_are_read_to_the_end() {
    // 230 jobs: three Lever pages of 100, 23 Workable pages of 10, three SmartRecruiters pages.
    let sim = start(230, &[]).await;
    let client = http(50 << 20);
    for provider in [
        SimProvider::Lever,
        SimProvider::Workable,
        SimProvider::SmartRecruiters,
    ] {
        let (slug, name, titles) = company(&sim, provider);
        let collected = collect(&sim, &client, provider, &slug, &name, None)
            .await
            .unwrap();
        assert!(collected.complete, "{provider:?}");
        assert_eq!(collected.jobs.len(), titles.len(), "{provider:?}");
    }
}

#[tokio::test]
async fn unknown_boards_and_plain_html_sites() {
    let sim = start(5, &[]).await;
    let client = http(10 << 20);
    for provider in [
        SimProvider::Greenhouse,
        SimProvider::Lever,
        SimProvider::Ashby,
        SimProvider::Workable,
        SimProvider::Recruitee,
    ] {
        let err = collect(&sim, &client, provider, "no-such-board", "X", None)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, SourceError::UnknownBoard { token, .. } if token == "no-such-board"),
            "{provider:?}: {err}"
        );
        assert!(
            err.to_string()
                .contains("has no board named \"no-such-board\""),
            "{err}"
        );
    }
    // SmartRecruiters answers an unknown company with an empty page, not a 404.
    let empty = collect(
        &sim,
        &client,
        SimProvider::SmartRecruiters,
        "no-such-board",
        "X",
        None,
    )
    .await
    .unwrap();
    assert!(empty.jobs.is_empty());
    // A site with neither an ATS nor JSON-LD: every job page is left for the LLM with its
    // HTML, none dropped, and until the LLM has read them the fetch is not complete (closing
    // jobs would be a guess).
    let (slug, name, titles) = company(&sim, SimProvider::Html);
    let collected = collect(&sim, &client, SimProvider::Html, &slug, &name, None)
        .await
        .unwrap();
    assert!(collected.jobs.is_empty());
    assert_eq!(
        collected.needs_llm.len(),
        titles.len(),
        "{:?}",
        collected.needs_llm
    );
    assert!(
        collected
            .needs_llm
            .iter()
            .all(|p| !p.list && p.html.contains("<article>"))
    );
    assert!(!collected.is_complete());
}

#[tokio::test]
async fn closed_jobs_leave_the_board_and_unchanged_boards_are_not_reparsed() {
    let sim = start(6, &[]).await;
    let client = http(10 << 20);
    let (slug, name, _) = company(&sim, SimProvider::Greenhouse);
    let first = collect(&sim, &client, SimProvider::Greenhouse, &slug, &name, None)
        .await
        .unwrap();
    let again = collect(
        &sim,
        &client,
        SimProvider::Greenhouse,
        &slug,
        &name,
        Some(&first.previous),
    )
    .await
    .unwrap();
    assert!(
        again.unchanged && again.jobs.is_empty(),
        "same bytes: nothing to parse or write"
    );

    let id = first.jobs[0].source_id.clone().unwrap();
    let response = reqwest::Client::new()
        .delete(format!("{}/_sim/world/{slug}/jobs/{id}", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let after = collect(
        &sim,
        &client,
        SimProvider::Greenhouse,
        &slug,
        &name,
        Some(&first.previous),
    )
    .await
    .unwrap();
    assert!(!after.unchanged && after.complete);
    assert_eq!(after.jobs.len(), first.jobs.len() - 1);
    assert!(
        after
            .jobs
            .iter()
            .all(|j| j.source_id.as_deref() != Some(id.as_str()))
    );
}

#[tokio::test]
async fn malformed_huge_and_failing_responses_fail_only_that_board() {
    let sim = start(
        6,
        &[
            "greenhouse=malformed",
            "lever=huge:3",
            "ashby=503",
            "workable=html",
            "recruitee=truncated",
        ],
    )
    .await;
    let client = http(1 << 20);
    let run = |provider| {
        let (slug, name, _) = company(&sim, provider);
        let client = &client;
        let sim = &sim;
        async move { collect(sim, client, provider, &slug, &name, None).await }
    };
    let err = run(SimProvider::Greenhouse).await.unwrap_err();
    assert!(
        matches!(
            err,
            SourceError::Parse {
                source_name: "greenhouse",
                ..
            }
        ),
        "{err}"
    );
    let err = run(SimProvider::Lever).await.unwrap_err();
    assert!(
        err.to_string().contains("larger than 1048576 bytes"),
        "{err}"
    );
    let err = run(SimProvider::Ashby).await.unwrap_err();
    assert!(
        matches!(&err, SourceError::Fetch(f) if f.status() == Some(503) && f.is_transient()),
        "{err}"
    );
    let err = run(SimProvider::Workable).await.unwrap_err();
    assert!(
        matches!(
            err,
            SourceError::Parse {
                source_name: "workable",
                ..
            }
        ),
        "{err}"
    );
    assert!(
        run(SimProvider::Recruitee).await.is_err(),
        "a truncated body is an error"
    );
    // The other providers are unaffected.
    for provider in [SimProvider::SmartRecruiters, SimProvider::JsonLd] {
        run(provider)
            .await
            .unwrap_or_else(|e| panic!("{provider:?}: {e}"));
    }
}

#[tokio::test]
async fn discovery_tells_json_ld_sites_from_llm_sites() {
    use engine::sources::discover::{Discovery, discover};
    let sim = start(4, &[]).await;
    let client = http(10 << 20);
    let (jsonld, _, _) = company(&sim, SimProvider::JsonLd);
    let (html, _, _) = company(&sim, SimProvider::Html);
    let site = |slug: &str| format!("{}/careers/{slug}/", sim.base_url());
    assert_eq!(
        discover(&client, &site(&jsonld)).await.unwrap(),
        Discovery::JsonLd { url: site(&jsonld) }
    );
    assert_eq!(
        discover(&client, &site(&html)).await.unwrap(),
        Discovery::NeedsLlm { url: site(&html) }
    );
    let err = discover(&client, &site("nobody")).await.unwrap_err();
    assert!(err.to_string().contains("HTTP 404"), "{err}");
}

#[tokio::test]
async fn pasted_urls_are_recognised_and_checked_with_one_fetch() {
    use engine::sources::validate::{ValidateError, validate};
    let sim = start(4, &[]).await;
    let client = http(10 << 20);
    let base = sim.base_url();
    let at = |url: String| engine::config::SourceConfig { base_url: url };
    let sources = engine::config::SourcesConfig {
        greenhouse: at(base.clone()),
        lever: at(base.clone()),
        ..Default::default()
    };
    let (slug, name, titles) = company(&sim, SimProvider::Greenhouse);
    let found = validate(
        &client,
        &sources,
        &format!("boards.greenhouse.io/{slug}?gh_src=x"),
        None,
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(found.provider, Provider::Greenhouse);
    assert_eq!(found.board_token, slug);
    assert_eq!(found.name, name, "the board's own company name");
    assert_eq!(found.jobs, titles.len());

    let (lever, _, _) = company(&sim, SimProvider::Lever);
    let named = validate(
        &client,
        &sources,
        &format!("https://jobs.lever.co/{lever}"),
        Some(" Lever Co "),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(named.name, "Lever Co");

    let (site, _, _) = company(&sim, SimProvider::JsonLd);
    let careers = validate(
        &client,
        &sources,
        &format!("{base}/careers/{site}/"),
        None,
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(careers.provider, Provider::JsonLd);
    assert!(careers.jobs > 0 && careers.jobs <= 3, "{careers:?}");

    let err = validate(
        &client,
        &sources,
        "https://boards.greenhouse.io/nobody",
        None,
        NOW,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, ValidateError::Source(SourceError::UnknownBoard { .. })),
        "{err}"
    );
    assert!(
        validate(&client, &sources, "ftp://x", None, NOW)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn careers_sites_obey_robots_txt_and_apis_do_not_ask() {
    let sim = start(10, &[]).await;
    let client = http(20 << 20);
    let (site, name, _) = company(&sim, SimProvider::JsonLd);
    // No robots.txt (a 404): everything may be fetched.
    let allowed = collect(&sim, &client, SimProvider::JsonLd, &site, &name, None)
        .await
        .unwrap();
    assert!(!allowed.jobs.is_empty());

    // A site that asks crawlers to stay out of its careers pages is not fetched at all.
    sim.state.set_robots("User-agent: *\nDisallow: /careers/\n");
    let client = http(20 << 20); // robots.txt is read once per client
    let refused = collect(&sim, &client, SimProvider::JsonLd, &site, &name, None).await;
    assert!(
        matches!(&refused, Err(SourceError::Fetch(e)) if e.to_string().contains("robots.txt")),
        "{refused:?}"
    );
    // Our own group wins over `*`.
    sim.state
        .set_robots("User-agent: *\nDisallow: /\n\nUser-agent: jobscout\nAllow: /\n");
    let client = http(20 << 20);
    assert!(
        collect(&sim, &client, SimProvider::JsonLd, &site, &name, None)
            .await
            .is_ok()
    );
    // Documented APIs are not crawling: robots.txt does not apply to them.
    sim.state.set_robots("User-agent: *\nDisallow: /\n");
    let client = http(20 << 20);
    let (token, name, _) = company(&sim, SimProvider::Greenhouse);
    assert!(
        collect(&sim, &client, SimProvider::Greenhouse, &token, &name, None)
            .await
            .is_ok()
    );
}
