//! Property tests: the search escaper, cursors, and the upsert rules over arbitrary input.

use engine::config::DatabaseConfig;
use engine::store::{Cursor, Database, JobChange, UpsertBatch, fts::match_expression};
use model::{JobFilter, NewJob, Remote, Salary, SalaryPeriod, Stage};
use proptest::prelude::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn open(dir: &tempfile::TempDir) -> Database {
    Database::open(&DatabaseConfig {
        path: dir.path().join("p.db"),
        ..DatabaseConfig::default()
    })
    .await
    .unwrap()
}

fn base_job(title: &str) -> NewJob {
    NewJob {
        source: "lever".into(),
        source_id: Some("same".into()),
        url: "https://jobs.lever.co/acme/same".into(),
        apply_url: None,
        title: title.into(),
        company: "Beekeepers".into(),
        location: None,
        remote: None,
        employment_type: None,
        department: None,
        salary: None,
        posted_at: None,
        description_html: String::new(),
        description_text: String::new(),
    }
}

/// Search input built from FTS5's operators and words that occur in no stored job.
fn hostile_input() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("OR".to_owned()),
        Just("AND".to_owned()),
        Just("NOT".to_owned()),
        Just("NEAR".to_owned()),
        Just("*".to_owned()),
        Just("\"".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just(":".to_owned()),
        Just("^".to_owned()),
        Just("-".to_owned()),
        Just("+".to_owned()),
        Just("🚀".to_owned()),
        Just("\u{0}".to_owned()),
        "[xyzq]{1,6}",
        "title:[xyz]{1,3}",
        " ",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn escaper_output_is_quoted_terms_only(input in any::<String>()) {
        match match_expression(&input) {
            None => prop_assert!(!input.chars().any(char::is_alphanumeric)),
            Some(expression) => {
                // Every term is a quoted run of letters and digits, the last maybe a prefix.
                for term in expression.split(" AND ") {
                    let inner = term.trim_end_matches('*');
                    prop_assert!(inner.len() >= 3 && inner.starts_with('"') && inner.ends_with('"'));
                    prop_assert!(inner[1..inner.len() - 1].chars().all(char::is_alphanumeric));
                }
            }
        }
    }

    #[test]
    fn salary_text_never_panics(text in "(\\PC|[$€£¥₹kK,.'0-9 -])*") {
        let _ = engine::sources::salary::from_text(&text, None);
        let _ = engine::sources::salary::from_text(&text, Some("CAD"));
    }

    #[test]
    fn cursors_round_trip(sort_at in any::<i64>(), id in any::<i64>(), score in -1e12f64..1e12) {
        for cursor in [
            Cursor::Newest { sort_at, id },
            Cursor::Salary { salary: score.abs(), id },
            Cursor::Relevance { score, id },
        ] {
            prop_assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        }
    }
}

#[test]
fn hostile_search_input_never_errors_and_never_matches_everything() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let db = rt.block_on(async {
        let db = open(&dir).await;
        let mut a = base_job("Beekeeper Berlin");
        a.source_id = Some("a".into());
        let mut b = base_job("Shepherd Hamburg");
        b.source_id = Some("b".into());
        db.upsert_jobs(UpsertBatch {
            company_id: None,
            jobs: &[a, b],
            complete: false,
            now: 1,
        })
        .await
        .unwrap();
        db
    });
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    });
    runner
        .run(&hostile_input(), |input| {
            // An empty search box is no search at all: the whole list, rightly.
            if input.trim().is_empty() {
                return Ok(());
            }
            let filter = JobFilter {
                q: Some(input.clone()),
                ..JobFilter::default()
            };
            let page = rt.block_on(db.list_jobs(&filter, None, 50, 1));
            let page = page.map_err(|e| TestCaseError::fail(format!("{input:?}: {e}")))?;
            prop_assert!(
                page.items.is_empty(),
                "{:?} matched {:?}",
                input,
                page.items
            );
            Ok(())
        })
        .unwrap();
}

#[derive(Debug, Clone)]
struct Fetch {
    title: String,
    location: Option<String>,
    remote: Option<Remote>,
    department: Option<String>,
    salary: Option<u32>,
    description: Option<String>,
}

fn fetch() -> impl Strategy<Value = Fetch> {
    (
        "[A-Z][a-z]{2,8}( [A-Z][a-z]{2,8})?",
        prop::option::of("[A-Z][a-z]{3,8}"),
        prop::option::of(prop_oneof![
            Just(Remote::Remote),
            Just(Remote::Hybrid),
            Just(Remote::Onsite)
        ]),
        prop::option::of(prop_oneof![
            Just(String::new()),
            "[A-Z][a-z]{3,8}".prop_map(String::from)
        ]),
        prop::option::of(1_000u32..500_000),
        prop::option::of(prop_oneof![
            Just(String::new()),
            Just("  ".to_owned()),
            "[a-z ]{5,40}".prop_map(String::from)
        ]),
    )
        .prop_map(
            |(title, location, remote, department, salary, description)| Fetch {
                title,
                location,
                remote,
                department,
                salary,
                description,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn upserts_never_touch_user_fields_nor_empty_a_value(fetches in prop::collection::vec(fetch(), 1..6)) {
        let rt = runtime();
        let dir = tempfile::tempdir().unwrap();
        rt.block_on(async {
            let db = open(&dir).await;
            let mut known: Option<model::Job> = None;
            for (i, f) in fetches.iter().enumerate() {
                let mut job = base_job(&f.title);
                job.location = f.location.clone();
                job.remote = f.remote;
                job.department = f.department.clone();
                job.salary = f.salary.map(|s| Salary { min: Some(f64::from(s)), max: None, currency: Some("EUR".into()), period: SalaryPeriod::Year });
                if let Some(d) = &f.description {
                    job.description_text = d.clone();
                    job.description_html = d.clone();
                }
                db.upsert_jobs(UpsertBatch { company_id: None, jobs: &[job], complete: false, now: 10 + i as i64 }).await.unwrap();
                if i == 0 {
                    db.change_jobs(&[1], &JobChange::Stage(Stage::Offer), 10).await.unwrap();
                    db.change_jobs(&[1], &JobChange::Notes("mine".into()), 10).await.unwrap();
                    db.change_jobs(&[1], &JobChange::Starred(true), 10).await.unwrap();
                }
                let now = db.job(1).await.unwrap().unwrap();
                assert_eq!((now.stage, now.starred, now.notes.as_str()), (Stage::Offer, true, "mine"));
                assert_eq!(now.title, f.title);
                if let Some(before) = &known {
                    if before.location.is_some() { assert!(now.location.is_some()); }
                    if before.remote.is_some() { assert!(now.remote.is_some()); }
                    if before.department.is_some() { assert!(now.department.is_some()); }
                    if before.salary.is_some() { assert!(now.salary.is_some()); }
                    if !before.description_text.trim().is_empty() { assert!(!now.description_text.trim().is_empty()); }
                }
                known = Some(now);
            }
        });
    }
}

/// Query strings as a hostile client would send them: known and unknown names, any bytes,
/// percent escapes (broken ones too), repeats, separators in odd places.
fn hostile_query() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        prop::sample::select(model::JobQuery::PARAMS.to_vec()).prop_map(str::to_owned),
        "[a-z_%+]{0,12}",
    ];
    let value = prop_oneof![
        "\\PC{0,24}",
        "(%[0-9A-Fa-f]{0,2}|[-+.0-9eE]|[a-z]){0,16}",
        Just("9".repeat(40)),
        Just("NaN".to_owned()),
        Just("-1".to_owned()),
    ];
    prop::collection::vec((name, value, prop::bool::ANY), 0..8).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(n, v, eq)| if eq { format!("{n}={v}") } else { n })
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Decoding never panics; a refusal names one parameter, which is either unknown or one
    /// of the query; an accepted query writes back to a string that parses to the same.
    #[test]
    fn query_strings_are_accepted_or_refused_by_name(query in hostile_query()) {
        let pairs = model::filter::parse_query_string(&query);
        let parsed = model::JobQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        match parsed {
            Ok(accepted) => {
                let again = accepted.to_query_string();
                let pairs = model::filter::parse_query_string(&again);
                let reparsed = model::JobQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
                prop_assert_eq!(reparsed, Ok(accepted));
            }
            Err(error) => {
                prop_assert!(pairs.iter().any(|(n, _)| *n == error.param), "{error} not in {query:?}");
                prop_assert!(!error.message.is_empty());
            }
        }
    }
}
