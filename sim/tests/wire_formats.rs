//! The simulator's responses have the field names and JSON types of the real providers'
//! payloads (captured in `fixtures/real/`), and their quirks.

use serde_json::Value;
use sim::{Sim, world::WorldSpec};

fn fixture(name: &str) -> Value {
    let path = format!("{}/../fixtures/real/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect("fixture is JSON")
}

async fn start() -> Sim {
    let spec = WorldSpec {
        seed: 7,
        companies: 16,
        jobs_per_company: 30,
        now: 1_790_000_000,
    };
    Sim::start(spec, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

async fn get(sim: &Sim, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("{}{path}", sim.base_url()))
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn get_json(sim: &Sim, path: &str) -> Value {
    let (status, body) = get(sim, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Board tokens of the simulated companies on one provider.
async fn tokens(sim: &Sim, provider: &str) -> Vec<String> {
    let world = get_json(sim, "/_sim/world").await;
    world["companies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["provider"] == provider)
        .map(|c| c["board_token"].as_str().unwrap().to_string())
        .collect()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every key of `real` exists in `sim` with the same JSON type, recursively (arrays by their
/// first element). A null in the real payload says nothing about the type; a null in ours is
/// only allowed where the provider also sends null for that key.
fn assert_same_shape(real: &Value, sim: &Value, path: &str, nullable: &[&str], skip: &[&str]) {
    match (real, sim) {
        (Value::Null, _) => {}
        (_, Value::Null) => assert!(
            nullable.contains(&path),
            "{path}: simulator sent null, real sends {}",
            kind(real)
        ),
        (Value::Object(r), Value::Object(s)) => {
            for (key, value) in r {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if skip.contains(&child.as_str()) {
                    continue;
                }
                let theirs = s
                    .get(key)
                    .unwrap_or_else(|| panic!("{child}: missing from the simulator"));
                assert_same_shape(value, theirs, &child, nullable, skip);
            }
        }
        (Value::Array(r), Value::Array(s)) => {
            if let (Some(r0), Some(s0)) = (r.first(), s.first()) {
                assert_same_shape(r0, s0, &format!("{path}[]"), nullable, skip);
            }
        }
        _ => assert_eq!(kind(real), kind(sim), "{path}: JSON type differs"),
    }
}

#[tokio::test]
async fn greenhouse_list_and_detail_match_real_payloads() {
    let sim = start().await;
    let token = &tokens(&sim, "greenhouse").await[0];
    let list = get_json(&sim, &format!("/v1/boards/{token}/jobs")).await;
    let real = fixture("greenhouse-openings-mcp-1.json");
    assert_same_shape(&real["meta"], &list["meta"], "meta", &[], &[]);
    let nullable = ["metadata"];
    for job in list["jobs"].as_array().unwrap() {
        assert_same_shape(&real["jobs"][0], job, "", &nullable, &[]);
    }

    let content = get_json(&sim, &format!("/v1/boards/{token}/jobs?content=true")).await;
    let detail_real = fixture("greenhouse-openings-mcp-2.json");
    let skip = [
        "questions",
        "compliance",
        "demographic_questions",
        "location_questions",
        "education",
    ];
    assert_same_shape(
        &detail_real,
        &content["jobs"][0],
        "",
        &nullable,
        &[
            skip.as_slice(),
            &[
                "ai_disclaimer",
                "include_ai_disclaimer",
                "ai_opt_out_request_url",
                "pay_input_ranges",
            ],
        ]
        .concat(),
    );

    // A job with an annual salary shows it in cents under pay transparency.
    let world = sim.state.world.read().unwrap().clone();
    let company = world.companies.iter().find(|c| c.slug == *token).unwrap();
    let job = company
        .jobs
        .iter()
        .find(|j| {
            j.salary
                .as_ref()
                .is_some_and(|s| s.period == sim::world::Period::Year)
        })
        .expect("a salaried job");
    let detail = get_json(
        &sim,
        &format!("/v1/boards/{token}/jobs/{}?pay_transparency=true", job.id),
    )
    .await;
    assert_same_shape(
        &fixture("greenhouse-openings-mcp-3.json"),
        &detail,
        "",
        &nullable,
        &skip,
    );
    let salary = job.salary.as_ref().unwrap();
    assert_eq!(detail["pay_input_ranges"][0]["min_cents"], salary.min * 100);
    assert_eq!(
        detail["pay_input_ranges"][0]["currency_type"],
        salary.currency
    );
}

#[tokio::test]
async fn greenhouse_quirks_entity_escaped_content_and_not_found() {
    let sim = start().await;
    let token = &tokens(&sim, "greenhouse").await[0];
    let (_, raw) = get(&sim, &format!("/v1/boards/{token}/jobs?content=true")).await;
    assert!(
        raw.contains("\\u0026lt;"),
        "`&` is written \\u0026 on the wire"
    );
    assert!(!raw.contains('&'), "no bare ampersand on the wire");
    let body: Value = serde_json::from_str(&raw).unwrap();
    let content = body["jobs"][0]["content"].as_str().unwrap();
    assert!(
        content.starts_with("&lt;p&gt;"),
        "content is entity-escaped HTML: {content:.40}"
    );
    assert!(
        content.contains("&amp;amp;") || content.contains("&amp;mdash;"),
        "inner entities survive one unescape"
    );

    let (status, body) = get(&sim, &format!("/v1/boards/{token}/jobs/1")).await;
    assert_eq!(status, 404);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        serde_json::json!({"status": 404, "error": "Job not found"})
    );
    let (status, _) = get(&sim, "/v1/boards/no-such-board/jobs").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn lever_postings_match_real_payloads_and_page() {
    let sim = start().await;
    let site = &tokens(&sim, "lever").await[0];
    let all = get_json(&sim, &format!("/v0/postings/{site}?mode=json")).await;
    let real = fixture("lever-openings-mcp-1.json");
    let postings = all.as_array().unwrap();
    assert_eq!(postings.len(), 30);
    for posting in postings {
        assert_same_shape(&real[0], posting, "", &[], &[]);
        assert!(
            posting["createdAt"].as_i64().unwrap() > 1_000_000_000_000,
            "epoch milliseconds"
        );
    }
    let spellings: std::collections::HashSet<&str> = postings
        .iter()
        .map(|p| p["workplaceType"].as_str().unwrap())
        .collect();
    assert!(
        spellings.contains("onsite") && spellings.contains("on-site"),
        "{spellings:?}"
    );
    let salaried = postings
        .iter()
        .find(|p| p.get("salaryRange").is_some())
        .expect("a salary");
    assert!(
        salaried["salaryRange"]["interval"]
            .as_str()
            .unwrap()
            .starts_with("per-")
    );

    let page = get_json(
        &sim,
        &format!("/v0/postings/{site}?mode=json&skip=10&limit=5"),
    )
    .await;
    assert_eq!(page.as_array().unwrap().len(), 5);
    assert_eq!(page[0]["id"], postings[10]["id"]);
    let (status, _) = get(&sim, "/v0/postings/nobody?mode=json").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn ashby_board_matches_real_payloads_including_nulls() {
    let sim = start().await;
    let name = &tokens(&sim, "ashby").await[0];
    let board = get_json(
        &sim,
        &format!("/posting-api/job-board/{name}?includeCompensation=true"),
    )
    .await;
    let real = fixture("ashby-openings-mcp-2.json");
    assert_eq!(board["apiVersion"], "1");
    let real_job = real["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| {
            j["compensation"]["compensationTiers"]
                .as_array()
                .is_some_and(|t| !t.is_empty())
        })
        .unwrap();
    let nullable = [
        "workplaceType",
        "isRemote",
        "compensation.compensationTierSummary",
        "compensation.scrapeableCompensationSalarySummary",
    ];
    let jobs = board["jobs"].as_array().unwrap();
    let ours = jobs
        .iter()
        .find(|j| {
            j["compensation"]["compensationTiers"]
                .as_array()
                .is_some_and(|t| !t.is_empty())
        })
        .expect("a job with compensation");
    assert_same_shape(real_job, ours, "", &nullable, &[]);
    assert!(
        jobs.iter()
            .any(|j| j["workplaceType"].is_null() && j["isRemote"].is_null()),
        "null-heavy jobs exist"
    );
    let plain = get_json(&sim, &format!("/posting-api/job-board/{name}")).await;
    assert!(
        plain["jobs"][0].get("compensation").is_none(),
        "compensation only when asked"
    );
}

#[tokio::test]
async fn control_api_lists_world_counts_requests_and_serves_config() {
    let sim = start().await;
    let world = get_json(&sim, "/_sim/world").await;
    assert_eq!(world["jobs"], 16 * 30);
    let first = &world["companies"][0];
    assert!(first["paste_url"].as_str().unwrap().starts_with("https://"));
    let token = tokens(&sim, "greenhouse").await.remove(0);
    for _ in 0..3 {
        get(&sim, &format!("/v1/boards/{token}/jobs")).await;
    }
    let counts = get_json(&sim, "/_sim/requests").await;
    let row = counts["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["endpoint"] == "GET /v1/boards/{token}/jobs")
        .expect("counted");
    assert_eq!(row["count"], 3);
    assert_eq!(row["host"], sim.addr.to_string());
    let (status, config) = get(&sim, "/_sim/config").await;
    assert_eq!(status, 200);
    assert!(config.contains(&format!("base_url: {}", sim.base_url())));
    // Jobscout's strict loader accepts it as it is.
    let file = std::env::temp_dir().join(format!("sim-config-{}.yaml", sim.addr.port()));
    std::fs::write(&file, &config).unwrap();
    let loaded = engine::config::load(Some(&file), [], &Default::default()).unwrap();
    std::fs::remove_file(&file).ok();
    assert_eq!(loaded.sources.greenhouse.base_url, sim.base_url());
    assert_eq!(
        loaded.sources.recruitee.base_url,
        format!("{}/recruitee/{{company}}", sim.base_url())
    );
    assert_eq!(loaded.llm.base_url, format!("{}/v1", sim.base_url()));
    assert_eq!(loaded.llm.context_tokens, 8192);
    assert_eq!(
        loaded.collection.per_host_rps, 200.0,
        "one host for every provider"
    );
}

async fn post_json(sim: &Sim, path: &str, body: Value) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", sim.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn workable_pages_by_cursor_and_matches_real_payloads() {
    let sim = start().await;
    let account = &tokens(&sim, "workable").await[0];
    let path = format!("/api/v3/accounts/{account}/jobs");
    let real = fixture("other-workable-openings-mcp-1.json");
    let mut seen = Vec::new();
    let mut body = serde_json::json!({ "query": "" });
    loop {
        let (status, text) = post_json(&sim, &path, body.clone()).await;
        assert_eq!(status, 200, "{text}");
        let page: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(page["total"], 30);
        let results = page["results"].as_array().unwrap();
        assert!(results.len() <= 10, "pages of ten");
        for job in results {
            assert_same_shape(&real["results"][0], job, "", &[], &[]);
            seen.push(job["shortcode"].as_str().unwrap().to_string());
        }
        match page.get("nextPage") {
            Some(next) => body["token"] = next.clone(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 30, "every job once");
    let detail = get_json(
        &sim,
        &format!("/api/v2/accounts/{account}/jobs/{}", seen[0]),
    )
    .await;
    assert_same_shape(
        &fixture("other-workable-openings-mcp-2.json"),
        &detail,
        "",
        &[],
        &[],
    );

    let (status, text) =
        post_json(&sim, &path, serde_json::json!({ "query": "", "limit": 50 })).await;
    assert_eq!(status, 400);
    assert!(text.contains("Not allowed"));
    let response = reqwest::Client::new()
        .post(format!("{}/api/v3/accounts/nobody/jobs", sim.base_url()))
        .json(&serde_json::json!({ "query": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
}

#[tokio::test]
async fn smartrecruiters_pages_details_and_unknown_company_is_empty_200() {
    let sim = start().await;
    let company = &tokens(&sim, "smartrecruiters").await[0];
    let page = get_json(
        &sim,
        &format!("/v1/companies/{company}/postings?limit=20&offset=0"),
    )
    .await;
    let real = fixture("other-smartrecruiters-openings-mcp-1.json");
    assert_same_shape(&real, &page, "", &[], &["content"]);
    assert_eq!(page["totalFound"], 30);
    let content = page["content"].as_array().unwrap();
    assert_eq!(content.len(), 20);
    for posting in content {
        assert_same_shape(&real["content"][0], posting, "", &[], &[]);
        assert!(
            posting["department"]["id"].is_string(),
            "a quoted id in the list"
        );
    }
    let rest = get_json(
        &sim,
        &format!("/v1/companies/{company}/postings?limit=20&offset=20"),
    )
    .await;
    assert_eq!(rest["content"].as_array().unwrap().len(), 10);
    let id = content[0]["id"].as_str().unwrap();
    let detail = get_json(&sim, &format!("/v1/companies/{company}/postings/{id}")).await;
    assert_same_shape(
        &fixture("other-smartrecruiters-openings-mcp-2.json"),
        &detail,
        "",
        &[],
        &[],
    );
    assert!(
        detail["department"]["id"].is_number(),
        "an integer id in the detail"
    );

    let unknown = get_json(&sim, "/v1/companies/NoSuchCompany/postings").await;
    assert_eq!(unknown["totalFound"], 0);
    assert_eq!(unknown["content"], serde_json::json!([]));
    let (status, _) = get(&sim, &format!("/v1/companies/{company}/postings/1")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn recruitee_offers_use_its_non_iso_dates() {
    let sim = start().await;
    let company = &tokens(&sim, "recruitee").await[0];
    let body = get_json(&sim, &format!("/recruitee/{company}/api/offers/")).await;
    let offers = body["offers"].as_array().unwrap();
    assert_eq!(offers.len(), 30);
    let published = offers[0]["published_at"].as_str().unwrap();
    assert!(
        published.ends_with(" UTC") && published.as_bytes()[10] == b' ',
        "{published}"
    );
    for key in [
        "id",
        "slug",
        "title",
        "careers_url",
        "remote",
        "hybrid",
        "on_site",
        "salary",
        "description",
        "locations",
    ] {
        assert!(offers[0].get(key).is_some(), "{key}");
    }
    let (status, _) = get(&sim, "/recruitee/nobody/api/offers/").await;
    assert_eq!(status, 404);
}

/// The JSON-LD blocks of a page, parsed.
fn ld_blocks(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            serde_json::from_str(rest.split("</script>").next().unwrap()).expect("valid JSON-LD")
        })
        .collect()
}

/// Finds JobPostings the way a tolerant reader must: in arrays, in @graph, with @type arrays
/// or a bare `type`.
fn postings(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| postings(v, out)),
        Value::Object(map) => {
            if let Some(graph) = map.get("@graph") {
                postings(graph, out);
            }
            let kind = map.get("@type").or_else(|| map.get("type"));
            let is_posting = match kind {
                Some(Value::String(s)) => s == "JobPosting",
                Some(Value::Array(a)) => a.iter().any(|t| t == "JobPosting"),
                _ => false,
            };
            if is_posting {
                out.push(value.clone());
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn careers_sites_link_to_job_pages_with_varied_json_ld() {
    let sim = start().await;
    let world = get_json(&sim, "/_sim/world").await;
    let site = world["companies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["provider"] == "jsonld")
        .unwrap();
    let url = site["paste_url"].as_str().unwrap();
    let list = reqwest::get(url).await.unwrap().text().await.unwrap();
    let links: Vec<&str> = list
        .split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .filter(|href| href.contains("/jobs/") && !href.ends_with("/jobs/"))
        .collect();
    assert_eq!(links.len() as u64, site["listed_jobs"].as_u64().unwrap());

    let real = fixture_text("jsonld-openings-mcp-2.json");
    let real_posting: Value = serde_json::from_str(&real).unwrap();
    let mut shapes = std::collections::HashSet::new();
    for link in &links {
        let (status, page) = get(&sim, link).await;
        assert_eq!(status, 200);
        let blocks = ld_blocks(&page);
        assert!(blocks.len() >= 2, "a WebSite block and the posting");
        let mut found = Vec::new();
        blocks.iter().for_each(|b| postings(b, &mut found));
        assert_eq!(found.len(), 1, "{link}: exactly one JobPosting");
        let posting = &found[0];
        for key in [
            "title",
            "description",
            "datePosted",
            "hiringOrganization",
            "employmentType",
            "url",
        ] {
            assert!(posting.get(key).is_some(), "{link}: {key}");
        }
        assert_eq!(
            kind(&posting["hiringOrganization"]),
            kind(&real_posting["hiringOrganization"])
        );
        if posting.get("jobLocation").is_none() {
            assert_eq!(posting["jobLocationType"], "TELECOMMUTE");
            assert!(posting["applicantLocationRequirements"]["name"].is_string());
        }
        shapes.insert(match &blocks[1] {
            Value::Array(_) => "array",
            v if v.get("@graph").is_some() => "graph",
            v if v.get("type").is_some() => "bare type",
            v if v["@type"].is_array() => "type array",
            _ => "plain",
        });
    }
    assert!(shapes.len() >= 4, "real-world variety: {shapes:?}");
}

#[tokio::test]
async fn plain_html_careers_pages_have_no_structured_data_and_some_are_long() {
    let sim = start().await;
    let world = sim.state.world.read().unwrap().clone();
    let company = world
        .companies
        .iter()
        .find(|c| c.provider == sim::world::Provider::Html)
        .unwrap();
    let mut longest = 0;
    for job in company.jobs.iter().filter(|j| j.listed) {
        let (status, page) = get(&sim, &format!("/careers/{}/jobs/{}", company.slug, job.id)).await;
        assert_eq!(status, 200);
        let mut found = Vec::new();
        ld_blocks(&page)
            .iter()
            .for_each(|b| postings(b, &mut found));
        assert!(found.is_empty(), "no JobPosting on an unstructured page");
        assert!(page.contains(&sim::providers::escape_html(&job.title)));
        longest = longest.max(page.len());
    }
    // ~4 characters a token: 40 KB is far beyond an 8,192-token context.
    assert!(
        longest > 40_000,
        "some pages exceed the LLM context: {longest}"
    );
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../fixtures/real/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[tokio::test]
async fn job_boards_search_and_page_over_the_same_jobs() {
    let sim = start().await;
    let world = sim.state.world.read().unwrap().clone();
    let remote: Vec<&sim::world::Job> = world
        .companies
        .iter()
        .flat_map(|c| &c.jobs)
        .filter(|j| j.listed && j.workplace == sim::world::Workplace::Remote)
        .collect();

    let remotive = get_json(&sim, "/api/remote-jobs").await;
    assert_eq!(remotive["job-count"], remote.len());
    let first = &remotive["jobs"][0];
    for key in [
        "id",
        "url",
        "title",
        "company_name",
        "company_logo",
        "category",
        "tags",
        "job_type",
        "publication_date",
        "candidate_required_location",
        "salary",
        "description",
    ] {
        assert!(first.get(key).is_some(), "remotive {key}");
    }
    assert!(first["tags"].is_array() && first["salary"].is_string() && first["id"].is_number());
    let limited = get_json(&sim, "/api/remote-jobs?limit=3").await;
    assert_eq!(limited["jobs"].as_array().unwrap().len(), 3);
    let title = first["title"].as_str().unwrap();
    let word = title.split_whitespace().last().unwrap();
    let searched = get_json(
        &sim,
        &format!("/api/remote-jobs?search={}", word.replace(['(', ')'], "")),
    )
    .await;
    assert!(
        searched["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["title"] == title)
    );
    let special = get_json(
        &sim,
        "/api/remote-jobs?search=%22C%2B%2B%22%20%26%20%F0%9F%98%80",
    )
    .await;
    assert_eq!(
        special["job-count"], 0,
        "odd characters are a search, not an error"
    );

    let remoteok = get_json(&sim, "/api").await;
    let items = remoteok.as_array().unwrap();
    assert!(
        items[0].get("legal").is_some(),
        "the first element is the legal notice"
    );
    assert_eq!(items.len() - 1, remote.len());
    for key in [
        "slug",
        "id",
        "epoch",
        "date",
        "company",
        "position",
        "tags",
        "description",
        "location",
        "salary_min",
        "salary_max",
        "apply_url",
        "url",
    ] {
        assert!(items[1].get(key).is_some(), "remoteok {key}");
    }
    assert!(items[1]["id"].is_string() && items[1]["epoch"].is_number());

    let listed = world
        .companies
        .iter()
        .flat_map(|c| &c.jobs)
        .filter(|j| j.listed)
        .count();
    let page1 = get_json(&sim, "/api/job-board-api").await;
    assert_eq!(page1["meta"]["per_page"], 100);
    assert_eq!(page1["data"].as_array().unwrap().len(), 100.min(listed));
    let mut total = 0;
    let mut next = Some("/api/job-board-api?page=1".to_string());
    while let Some(path) = next {
        let page = get_json(&sim, &path).await;
        total += page["data"].as_array().unwrap().len();
        next = page["links"]["next"]
            .as_str()
            .map(|url| url.trim_start_matches(&sim.base_url()).to_string());
    }
    assert_eq!(total, listed, "paging through every job");
    let (status, _) = get(&sim, "/api/job-board-api?page=0").await;
    assert_eq!(status, 422);
}

#[test]
fn recruitee_offer_ids_are_unique_across_boards() {
    // Found by a 1,000-company collection: ids taken modulo 10,000,000 repeated every 100
    // companies, so jobs of two boards shared an identity.
    let world = sim::world::World::generate(&sim::world::WorldSpec {
        seed: 1,
        companies: 1_000,
        jobs_per_company: 3,
        now: 1_790_000_000,
    });
    let mut ids = std::collections::HashSet::new();
    for company in world
        .companies
        .iter()
        .filter(|c| c.provider == sim::world::Provider::Recruitee)
    {
        let offers = sim::providers::recruitee::offers(company, "http://sim");
        for offer in offers["offers"].as_array().unwrap() {
            assert!(ids.insert(offer["id"].as_u64().unwrap()), "{}", offer["id"]);
        }
    }
    assert_eq!(ids.len(), 125 * 3);
}
