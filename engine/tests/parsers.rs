//! Every real captured payload in `fixtures/real/` through `jobscout parse`'s code path, with
//! the field values (and each quirk named in that folder's README) asserted.

use engine::sources::{fields, parse_saved};
use model::{EmploymentType, NewJob, Remote, SalaryPeriod};

const NOW: i64 = 1_795_000_000;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../fixtures/real/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(source: &str, name: &str, url: Option<&str>, company: Option<&str>) -> Vec<NewJob> {
    parse_saved(source, &fixture(name), url, company, NOW).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn date(job: &NewJob) -> String {
    model::time::rfc3339(job.posted_at.expect("a posting date"))
}

/// What every normalized job must be, whatever its source.
fn clean(jobs: &[NewJob]) {
    for job in jobs {
        assert_eq!(job.title, job.title.trim(), "trimmed title");
        assert!(!job.title.is_empty() && !job.company.is_empty(), "{job:?}");
        for bad in [
            "<script",
            "onerror",
            "onclick",
            "javascript:",
            "<style",
            "<iframe",
        ] {
            assert!(
                !job.description_html.to_lowercase().contains(bad),
                "{bad} in {}",
                job.title
            );
        }
        assert!(!job.description_text.contains('<') || !job.description_text.contains("</"));
        assert!(!job.url.contains("utm_"), "{}", job.url);
    }
}

#[test]
fn greenhouse_list_detail_and_pay_ranges() {
    let list = parse("greenhouse", "greenhouse-openings-mcp-1.json", None, None);
    assert!(list.len() >= 5, "{}", list.len());
    let first = &list[0];
    assert_eq!(first.source_id.as_deref(), Some("5019966007"));
    assert_eq!(first.company, "Safari AI");
    assert_eq!(first.location.as_deref(), Some("Miami"));
    // first_published carries a US Eastern offset.
    assert_eq!(date(first), "2026-01-09T19:59:08Z");
    assert_eq!(first.remote, None, "no field and nothing in the location");
    let remote = list
        .iter()
        .find(|j| j.location.as_deref() == Some("Miami, FL or Remote"))
        .unwrap();
    assert_eq!(
        remote.remote,
        Some(Remote::Remote),
        "remote from the location text"
    );
    clean(&list);

    // Detail: content entity-escaped (and `\u0026` on the wire), unescaped exactly once.
    let detail = parse("greenhouse", "greenhouse-openings-mcp-2.json", None, None);
    let job = &detail[0];
    assert_eq!(
        job.title, "Account Executive, AI Native",
        "trailing space trimmed"
    );
    assert!(
        job.description_html
            .starts_with("<div><h2><strong>About Anthropic"),
        "{}",
        &job.description_html[..80]
    );
    assert!(!job.description_html.contains("&lt;"), "unescaped once");
    assert!(!job.description_text.contains("&nbsp;") && !job.description_text.contains("&amp;"));
    assert_eq!(
        job.remote,
        Some(Remote::Onsite),
        "metadata Location Type: On-Site"
    );
    assert_eq!(job.department.as_deref(), Some("Sales"));

    // pay_input_ranges in cents → whole dollars a year.
    let paid = &parse("greenhouse", "greenhouse-openings-mcp-3.json", None, None)[0];
    let salary = paid.salary.as_ref().unwrap();
    assert_eq!((salary.min, salary.max), (Some(222_800.0), Some(290_000.0)));
    assert_eq!(salary.currency.as_deref(), Some("USD"));
    assert_eq!(salary.period, SalaryPeriod::Year);
    clean(&detail);
}

#[test]
fn lever_list_and_single_posting() {
    let list = parse(
        "lever",
        "lever-openings-mcp-1.json",
        None,
        Some("Lever Demo"),
    );
    assert_eq!(list.len(), 3);
    let job = &list[0];
    assert_eq!(job.title, "AbelsonTaylor Writer");
    assert_eq!(job.company, "Lever Demo", "Lever has no company field");
    assert_eq!(job.remote, Some(Remote::Hybrid));
    assert_eq!(
        job.employment_type,
        Some(EmploymentType::FullTime),
        "Regular Full Time (Salary)"
    );
    assert_eq!(date(job), "2019-03-21T16:33:55Z", "createdAt in epoch ms");
    assert!(
        job.description_text.contains("• be smart"),
        "lists become bullets"
    );
    assert!(
        job.description_text
            .contains("you will never find a job better"),
        "additional kept"
    );
    assert_eq!(
        job.apply_url.as_deref(),
        Some("https://jobs.lever.co/leverdemo/33538a2f-d27d-4a96-8f05-fa4b0e4d940e/apply")
    );
    let single = parse(
        "lever",
        "lever-openings-mcp-2.json",
        None,
        Some("Lever Demo"),
    );
    assert_eq!(single.len(), 1);
    assert_eq!(single[0].source_id, job.source_id, "the same posting");
    clean(&list);
}

#[test]
fn ashby_compensation_nulls_and_unlisted() {
    let plain = parse(
        "ashby",
        "ashby-openings-mcp-1.json",
        None,
        Some("Browserbase"),
    );
    let paid = parse(
        "ashby",
        "ashby-openings-mcp-2.json",
        None,
        Some("Browserbase"),
    );
    assert_eq!(plain.len(), paid.len());
    let job = &paid[0];
    assert_eq!(job.title, "Software Engineer (Agent Platform)");
    assert_eq!(job.remote, Some(Remote::Onsite), "workplaceType OnSite");
    assert_eq!(job.employment_type, Some(EmploymentType::FullTime));
    let salary = job.salary.as_ref().unwrap();
    assert_eq!(
        (salary.min, salary.max, salary.currency.as_deref()),
        (Some(132_000.0), Some(330_000.0), Some("USD"))
    );
    assert_eq!(date(job), "2025-08-25T20:13:34Z");
    assert!(
        plain[0].salary.is_none(),
        "no compensation requested, none in the text"
    );

    // Weaviate: null workplaceType and isRemote, empty addresses, empty compensation.
    let nulls = parse("ashby", "ashby-openings-mcp-3.json", None, Some("Weaviate"));
    let raw: serde_json::Value =
        serde_json::from_slice(&fixture("ashby-openings-mcp-3.json")).unwrap();
    let listed = raw["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["isListed"] != false)
        .count();
    assert_eq!(nulls.len(), listed, "unlisted jobs skipped");
    let unknown: Vec<_> = raw["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["workplaceType"].is_null() && j["isRemote"].is_null())
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert!(!unknown.is_empty());
    for id in unknown {
        let job = nulls
            .iter()
            .find(|j| j.source_id.as_deref() == Some(id))
            .unwrap();
        assert_eq!(
            job.remote,
            fields::remote_from_text(job.location.as_deref().unwrap_or("")),
            "{id}"
        );
    }
    clean(&paid);
    clean(&nulls);
}

#[test]
fn workable_list_and_detail() {
    let url = Some("https://apply.workable.com/blueground/");
    let list = parse(
        "workable",
        "other-workable-openings-mcp-1.json",
        url,
        Some("Blueground"),
    );
    assert!(!list.is_empty());
    let job = &list[0];
    assert_eq!(
        job.url,
        format!(
            "https://apply.workable.com/blueground/j/{}/",
            job.source_id.as_deref().unwrap()
        )
    );
    assert_eq!(
        job.employment_type,
        Some(EmploymentType::FullTime),
        "type: full"
    );
    assert!(job.department.is_some());
    let detail = &parse(
        "workable",
        "other-workable-openings-mcp-2.json",
        url,
        Some("Blueground"),
    )[0];
    assert_eq!(detail.source_id.as_deref(), Some("B02DA69C8F"));
    assert_eq!(detail.remote, Some(Remote::Remote), "workplace: remote");
    assert_eq!(detail.location.as_deref(), Some("Athens, Greece"));
    assert!(
        detail
            .description_text
            .contains("Redefining how people live")
    );
    clean(&list);
}

#[test]
fn smartrecruiters_list_and_detail_sections() {
    let list = parse(
        "smartrecruiters",
        "other-smartrecruiters-openings-mcp-1.json",
        None,
        None,
    );
    let job = &list[0];
    assert_eq!(job.company, "Equinox");
    assert_eq!(job.location.as_deref(), Some("Houston, TX, United States"));
    assert_eq!(job.employment_type, Some(EmploymentType::PartTime));
    assert_eq!(
        job.department.as_deref(),
        Some("Club - Staff"),
        "department id is a string here"
    );
    let detail = &parse(
        "smartrecruiters",
        "other-smartrecruiters-openings-mcp-2.json",
        None,
        None,
    )[0];
    assert_eq!(
        detail.department.as_deref(),
        Some("Club - Staff"),
        "and a number here"
    );
    assert!(
        detail
            .description_text
            .starts_with("Company Description\nOUR STORY:"),
        "{}",
        &detail.description_text[..60]
    );
    assert!(
        detail
            .url
            .ends_with("744000137225639-female-locker-room-associate-houston")
    );
    clean(&list);
}

#[test]
fn jsonld_pages_and_blocks_with_their_quirks() {
    // The page and its extracted block give the same job.
    for i in 1..=9 {
        let page = parse(
            "jsonld",
            &format!("jsonld-openings-mcp-{i}.html"),
            Some("https://example.com/p"),
            None,
        );
        let block = parse(
            "jsonld",
            &format!("jsonld-openings-mcp-{i}.json"),
            Some("https://example.com/p"),
            None,
        );
        assert_eq!(
            page.len(),
            1,
            "page {i}: one JobPosting among its ld+json blocks"
        );
        assert_eq!(page[0].title, block[0].title, "{i}");
        clean(&page);
    }
    let job = |i: u32| {
        parse(
            "jsonld",
            &format!("jsonld-openings-mcp-{i}.json"),
            None,
            None,
        )
        .remove(0)
    };

    let telecommute = job(1);
    assert_eq!(telecommute.remote, Some(Remote::Remote));
    assert_eq!(
        telecommute.location.as_deref(),
        Some("Remote (Deutschland)")
    );
    assert_eq!(
        telecommute.employment_type,
        Some(EmploymentType::Contract),
        "CONTRACTOR"
    );

    let floats = job(2);
    let salary = floats.salary.unwrap();
    assert_eq!(
        (salary.min, salary.max, salary.currency.as_deref()),
        (Some(150_000.0), Some(250_000.0), Some("USD"))
    );
    assert_eq!(
        floats.employment_type,
        Some(EmploymentType::FullTime),
        "an array of one"
    );

    let icims = job(3);
    assert_eq!(
        icims.location.as_deref(),
        Some("Austin, TX, US"),
        "UNAVAILABLE placeholders dropped"
    );
    let salary = icims.salary.unwrap();
    assert_eq!(
        (salary.min, salary.max),
        (Some(190_000.0), Some(200_000.0)),
        "range in salaryCurrency"
    );

    let padded = job(4);
    assert_eq!(date(&padded), "2026-04-01T00:00:00Z", "2026-4-1");
    assert_eq!(padded.salary, None, "empty currency and unit: no salary");
    assert_eq!(
        padded.source_id.as_deref(),
        Some("careers.synopsys.com:16567"),
        "a bare string identifier, qualified by its site"
    );

    let yen = job(5);
    let salary = yen.salary.unwrap();
    assert_eq!(
        (salary.min, salary.max, salary.currency.as_deref()),
        (Some(6_000_000.0), Some(10_000_000.0), Some("JPY"))
    );

    assert_eq!(job(6).salary, None, "baseSalary null");

    let string_min = job(7);
    let salary = string_min.salary.clone().unwrap();
    assert_eq!(
        (salary.min, salary.max),
        (Some(3_600_000.0), None),
        "only a string minValue; max never invented"
    );
    assert_eq!(date(&string_min), "2026-05-25T06:10:59Z", "+09:00 offset");
    assert_eq!(string_min.company, "ＮＯＶＡホールディングス株式会社");

    let bare_type = job(8);
    assert_eq!(
        bare_type.company, "ウィンヴォルブ株式会社",
        "hiringOrganization with `type`"
    );

    let tsmc = job(9);
    assert_eq!(tsmc.posted_at, None, "datePosted null");
    assert_eq!(tsmc.employment_type, None, "正職 is not an enum value");
    assert_eq!(
        tsmc.source_id.as_deref(),
        Some("21826"),
        "numeric identifier.value (no site known to qualify it)"
    );
    // Sites number their own postings: the same identifier on two sites is two jobs.
    let on = |site: &str| {
        parse("jsonld", "jsonld-openings-mcp-9.json", Some(site), None)
            .remove(0)
            .source_id
    };
    assert_eq!(
        on("https://a.example/jobs/1").as_deref(),
        Some("a.example:21826")
    );
    assert_ne!(
        on("https://a.example/jobs/1"),
        on("https://b.example/jobs/1")
    );
    assert!(
        tsmc.description_text
            .starts_with("Join our R&D Advanced Packaging")
    );
}

#[test]
fn teamtailor_feed_reuses_the_jsonld_reader() {
    let jobs = parse("jsonld", "other-teamtailor-openings-mcp-1.json", None, None);
    assert!(!jobs.is_empty());
    for job in &jobs {
        assert!(
            job.url.starts_with("https://"),
            "the feed item's url: {}",
            job.url
        );
        assert_eq!(job.company, "Tiptapp");
    }
}

#[test]
fn workday_relative_dates_are_understood() {
    // Workday is not collected, but its relative dates are the hardest date shape we meet.
    let raw: serde_json::Value =
        serde_json::from_slice(&fixture("other-workday-openings-mcp-1.json")).unwrap();
    let postings = raw["jobPostings"].as_array().unwrap();
    assert!(!postings.is_empty());
    for posting in postings {
        let posted = posting["postedOn"].as_str().unwrap();
        let at = fields::parse_date(posted, NOW).unwrap_or_else(|| panic!("{posted}"));
        assert!(at <= NOW && at > NOW - 400 * 86_400, "{posted}");
    }
    let err = parse_saved("workday", b"{}", None, None, NOW)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown source \"workday\""), "{err}");
}

#[test]
fn unreadable_payloads_name_the_problem() {
    let err = parse_saved(
        "greenhouse",
        br#"{"jobs": [{"id": 1, "title": 7}]}"#,
        None,
        None,
        NOW,
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("greenhouse: unreadable response"), "{err}");
    let err = parse_saved("lever", b"<html>", None, None, NOW)
        .unwrap_err()
        .to_string();
    assert!(err.contains("lever"), "{err}");
}

#[test]
fn every_fixture_is_covered() {
    let dir = format!("{}/../fixtures/real", env!("CARGO_MANIFEST_DIR"));
    let this = include_str!("parsers.rs");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".source.txt") || name == "README.md" {
            continue;
        }
        let stem = name
            .rsplit_once('-')
            .map_or(name.as_str(), |(stem, _)| stem);
        assert!(this.contains(stem), "{name} is not tested here");
    }
}
