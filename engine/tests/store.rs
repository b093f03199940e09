//! The store against a real SQLite file: upsert rules, keyset pages, filters, search, counts,
//! the user's changes, caches and the FTS index's integrity.

use engine::config::{CacheConfig, DatabaseConfig};
use engine::store::{CachedStore, Database, JobChange, NewCompany, StoreError, UpsertBatch};
use model::{
    EmploymentType, Inclusion, JobFilter, NewJob, Remote, Salary, SalaryPeriod, Sort, Stage,
    job::{MARK_END, MARK_START},
};
use std::collections::HashSet;

const NOW: i64 = 1_790_000_000;
const DAY: i64 = 86_400;

struct TestDb {
    db: Database,
    _dir: tempfile::TempDir,
}

async fn open() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let config = DatabaseConfig {
        path: dir.path().join("jobs.db"),
        ..DatabaseConfig::default()
    };
    TestDb {
        db: Database::open(&config).await.unwrap(),
        _dir: dir,
    }
}

fn job(id: &str, title: &str) -> NewJob {
    NewJob {
        source: "greenhouse".into(),
        source_id: Some(id.into()),
        url: format!("https://boards.greenhouse.io/acme/jobs/{id}"),
        apply_url: None,
        title: title.into(),
        company: "Acme".into(),
        location: Some("Berlin, Germany".into()),
        remote: Some(Remote::Hybrid),
        employment_type: Some(EmploymentType::FullTime),
        department: Some("Engineering".into()),
        salary: None,
        posted_at: Some(NOW - 10 * DAY),
        description_html: format!("<p>{title} at Acme.</p>"),
        description_text: format!("{title} at Acme. We build tools for farmers."),
    }
}

async fn company(db: &Database, token: &str) -> i64 {
    db.add_company(
        &NewCompany {
            name: format!("Company {token}"),
            provider: "greenhouse".into(),
            board_token: token.into(),
            careers_url: None,
        },
        NOW,
    )
    .await
    .unwrap()
}

async fn upsert(
    db: &Database,
    company_id: Option<i64>,
    jobs: &[NewJob],
    complete: bool,
    now: i64,
) -> engine::store::UpsertCounts {
    db.upsert_jobs(UpsertBatch {
        company_id,
        jobs,
        complete,
        now,
    })
    .await
    .unwrap()
}

async fn fts_ok(db: &Database) {
    sqlx::query("INSERT INTO jobs_fts(jobs_fts, rank) VALUES ('integrity-check', 1)")
        .execute(db.reader())
        .await
        .expect_err("readers cannot write");
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query("INSERT INTO jobs_fts(jobs_fts, rank) VALUES ('integrity-check', 1)")
        .execute(&mut *tx)
        .await
        .expect("FTS index in step with jobs");
    tx.commit().await.unwrap();
}

async fn ids(db: &Database, filter: &JobFilter) -> Vec<i64> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = db
            .list_jobs(filter, cursor.as_deref(), 7, NOW)
            .await
            .unwrap();
        out.extend(page.items.iter().map(|j| j.id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return out,
        }
    }
}

#[tokio::test]
async fn upserts_count_exactly_and_keep_the_users_work() {
    let t = open().await;
    let db = &t.db;
    let acme = company(db, "acme").await;
    let mut jobs = vec![
        job("1", "Backend Engineer"),
        job("2", "Data Engineer"),
        job("3", "Designer"),
    ];
    jobs[0].salary = Some(Salary {
        min: Some(70_000.0),
        max: Some(90_000.0),
        currency: Some("EUR".into()),
        period: SalaryPeriod::Year,
    });
    let counts = upsert(db, Some(acme), &jobs, true, NOW).await;
    assert_eq!(
        (
            counts.inserted,
            counts.updated,
            counts.unchanged,
            counts.closed
        ),
        (3, 0, 0, 0)
    );

    // The user works on job 1.
    let id1 = ids(
        db,
        &JobFilter {
            q: Some("backend".into()),
            ..JobFilter::default()
        },
    )
    .await[0];
    db.change_jobs(&[id1], &JobChange::Stage(Stage::Applied), NOW + 1)
        .await
        .unwrap();
    db.change_jobs(&[id1], &JobChange::Starred(true), NOW + 1)
        .await
        .unwrap();
    db.change_jobs(
        &[id1],
        &JobChange::Notes("Call Anna on Monday".into()),
        NOW + 1,
    )
    .await
    .unwrap();

    // Next fetch: job 1 poorer (no salary, empty description) but retitled, job 2 the same, job 3 gone.
    let mut next = vec![
        job("1", "Senior Backend Engineer"),
        job("2", "Data Engineer"),
    ];
    next[0].description_text.clear();
    next[0].description_html.clear();
    next[0].location = None;
    let counts = upsert(db, Some(acme), &next, true, NOW + DAY).await;
    assert_eq!(
        (
            counts.inserted,
            counts.updated,
            counts.unchanged,
            counts.closed
        ),
        (0, 1, 1, 1)
    );

    let stored = db.job(id1).await.unwrap().unwrap();
    assert_eq!(stored.title, "Senior Backend Engineer");
    assert_eq!(
        stored.salary.as_ref().and_then(|s| s.max),
        Some(90_000.0),
        "salary kept"
    );
    assert_eq!(
        stored.location.as_deref(),
        Some("Berlin, Germany"),
        "location kept"
    );
    assert!(
        stored.description_text.contains("farmers"),
        "description kept"
    );
    assert_eq!(
        (stored.stage, stored.starred, stored.notes.as_str()),
        (Stage::Applied, true, "Call Anna on Monday")
    );
    assert_eq!(stored.applied_at, Some(NOW + 1));
    assert_eq!(stored.history.len(), 1);
    assert_eq!(
        (stored.history[0].from, stored.history[0].to),
        (Some(Stage::Inbox), Stage::Applied)
    );
    assert_eq!(
        (stored.first_seen_at, stored.last_seen_at),
        (NOW, NOW + DAY)
    );

    // Job 3 closed; a partial fetch closes nothing; job 3 reappearing reopens it.
    let closed = ids(
        db,
        &JobFilter {
            closed: Inclusion::Only,
            ..JobFilter::default()
        },
    )
    .await;
    assert_eq!(closed.len(), 1);
    let counts = upsert(
        db,
        Some(acme),
        &[job("1", "Senior Backend Engineer")],
        false,
        NOW + 2 * DAY,
    )
    .await;
    assert_eq!(counts.closed, 0);
    let counts = upsert(
        db,
        Some(acme),
        &[job("3", "Designer")],
        false,
        NOW + 3 * DAY,
    )
    .await;
    assert_eq!((counts.reopened, counts.unchanged), (1, 1));
    assert!(
        ids(
            db,
            &JobFilter {
                closed: Inclusion::Only,
                ..JobFilter::default()
            }
        )
        .await
        .is_empty()
    );

    // The same job twice in one delivery is one job, counted once, with the richer values.
    let mut poor = job("20", "Cooper");
    poor.department = None;
    let rich = job("20", "Cooper");
    let counts = upsert(db, Some(acme), &[poor.clone(), rich], false, NOW).await;
    assert_eq!(
        (counts.inserted, counts.updated, counts.unchanged),
        (1, 0, 0)
    );
    let counts = upsert(db, Some(acme), &[poor.clone(), poor], false, NOW + 1).await;
    assert_eq!(
        (counts.inserted, counts.updated, counts.unchanged),
        (0, 0, 1)
    );
    let cooper = ids(
        db,
        &JobFilter {
            q: Some("cooper ".into()),
            ..JobFilter::default()
        },
    )
    .await;
    assert_eq!(cooper.len(), 1);
    let cooper = db.job(cooper[0]).await.unwrap().unwrap();
    assert_eq!(cooper.department.as_deref(), Some("Engineering"));

    // Invalid jobs are refused, the rest of the batch lands.
    let mut blank = job("9", " ");
    blank.company = "Acme".into();
    let counts = upsert(db, Some(acme), &[blank, job("10", "Welder")], false, NOW).await;
    assert_eq!((counts.rejected, counts.inserted), (1, 1));
    fts_ok(db).await;
}

#[tokio::test]
async fn keyset_pages_cover_everything_once_and_stay_stable_while_jobs_arrive() {
    let t = open().await;
    let db = &t.db;
    let jobs: Vec<NewJob> = (0..40)
        .map(|i| {
            let mut j = job(&i.to_string(), &format!("Engineer {i}"));
            // Ties on the sort key, so the id must break them.
            j.posted_at = Some(NOW - (i / 3) * DAY);
            j
        })
        .collect();
    upsert(db, None, &jobs, false, NOW).await;
    let filter = JobFilter::default();
    let all = ids(db, &filter).await;
    assert_eq!(all.len(), 40);
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 40);

    // Page 1, then newer jobs arrive, then page 2 continues where page 1 ended.
    let first = db.list_jobs(&filter, None, 10, NOW).await.unwrap();
    let newer: Vec<NewJob> = (100..105)
        .map(|i| {
            let mut j = job(&i.to_string(), "Fresh");
            j.posted_at = Some(NOW);
            j
        })
        .collect();
    upsert(db, None, &newer, false, NOW).await;
    let second = db
        .list_jobs(&filter, first.next_cursor.as_deref(), 10, NOW)
        .await
        .unwrap();
    let continued: Vec<i64> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|j| j.id)
        .collect();
    assert_eq!(continued, all[..20]);

    // A cursor for another sort, or garbage, is refused.
    let salary = JobFilter {
        sort: Some(Sort::Salary),
        ..JobFilter::default()
    };
    assert!(matches!(
        db.list_jobs(&salary, first.next_cursor.as_deref(), 10, NOW)
            .await,
        Err(StoreError::InvalidCursor)
    ));
    assert!(matches!(
        db.list_jobs(&filter, Some("garbage"), 10, NOW).await,
        Err(StoreError::InvalidCursor)
    ));
}

#[tokio::test]
async fn every_filter_narrows_the_list() {
    let t = open().await;
    let db = &t.db;
    let (a, b) = (company(db, "a").await, company(db, "b").await);
    let mut remote = job("r", "Remote Rustacean");
    remote.remote = Some(Remote::Remote);
    remote.salary = Some(Salary {
        min: Some(100_000.0),
        max: Some(120_000.0),
        currency: Some("USD".into()),
        period: SalaryPeriod::Year,
    });
    let mut old = job("o", "Old Opening");
    old.posted_at = Some(NOW - 60 * DAY);
    let mut euro = job("e", "Euro Engineer");
    euro.salary = Some(Salary {
        min: Some(5_000.0),
        max: Some(6_000.0),
        currency: Some("EUR".into()),
        period: SalaryPeriod::Month,
    });
    let mut lever = job("l", "Lever Lead");
    lever.source = "lever".into();
    upsert(db, Some(a), &[remote, old], false, NOW).await;
    upsert(db, Some(b), &[euro, lever], false, NOW).await;
    let all = ids(db, &JobFilter::default()).await;
    assert_eq!(all.len(), 4);
    let title_of = |id: i64| async move { db.job(id).await.unwrap().unwrap().title };

    let one = |filter: JobFilter| async move { ids(db, &filter).await };
    assert_eq!(
        one(JobFilter {
            company: Some(a),
            ..Default::default()
        })
        .await
        .len(),
        2
    );
    assert_eq!(
        title_of(
            one(JobFilter {
                remote: Some(Remote::Remote),
                ..Default::default()
            })
            .await[0]
        )
        .await,
        "Remote Rustacean"
    );
    assert_eq!(
        one(JobFilter {
            posted_within: Some(30),
            ..Default::default()
        })
        .await
        .len(),
        3
    );
    assert_eq!(
        title_of(
            one(JobFilter {
                source: Some("lever".into()),
                ..Default::default()
            })
            .await[0]
        )
        .await,
        "Lever Lead"
    );
    // 6,000 EUR a month is 72,000 a year.
    assert_eq!(
        title_of(
            one(JobFilter {
                currency: Some("EUR".into()),
                salary_min: Some(70_000.0),
                ..Default::default()
            })
            .await[0]
        )
        .await,
        "Euro Engineer"
    );
    assert!(
        one(JobFilter {
            currency: Some("EUR".into()),
            salary_min: Some(80_000.0),
            ..Default::default()
        })
        .await
        .is_empty()
    );
    assert_eq!(
        one(JobFilter {
            salary_min: Some(110_000.0),
            ..Default::default()
        })
        .await
        .len(),
        1
    );
    let by_salary = one(JobFilter {
        sort: Some(Sort::Salary),
        ..Default::default()
    })
    .await;
    assert_eq!(title_of(by_salary[0]).await, "Remote Rustacean");
    assert_eq!(title_of(by_salary[1]).await, "Euro Engineer");

    // The user's state as filters: starred, stage, archived.
    let target = all[0];
    db.change_jobs(&[target], &JobChange::Starred(true), NOW)
        .await
        .unwrap();
    db.change_jobs(
        &[target, all[1]],
        &JobChange::Stage(Stage::Interviewing),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(
        one(JobFilter {
            starred: Some(true),
            ..Default::default()
        })
        .await,
        vec![target]
    );
    assert_eq!(
        one(JobFilter {
            stage: Some(Stage::Interviewing),
            ..Default::default()
        })
        .await
        .len(),
        2
    );
    db.change_jobs(&[target], &JobChange::Archived(true), NOW)
        .await
        .unwrap();
    assert_eq!(one(JobFilter::default()).await.len(), 3);
    assert_eq!(
        one(JobFilter {
            archived: Inclusion::Only,
            ..Default::default()
        })
        .await,
        vec![target]
    );
    assert_eq!(
        one(JobFilter {
            archived: Inclusion::Include,
            ..Default::default()
        })
        .await
        .len(),
        4
    );

    let counts = db
        .job_counts(
            &JobFilter {
                stage: Some(Stage::Interviewing),
                ..Default::default()
            },
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(counts.total, 1, "archived job left out");
    assert_eq!(
        counts.stages,
        vec![(Stage::Inbox, 2), (Stage::Interviewing, 1)]
    );
    assert_eq!(counts.companies.iter().map(|c| c.2).sum::<u64>(), 1);
}

#[tokio::test]
async fn search_ranks_titles_first_highlights_safely_and_takes_any_input() {
    let t = open().await;
    let db = &t.db;
    let mut in_body = job("1", "Data Analyst");
    in_body.description_text =
        "You will work with Rust daily, and <script>alert(1)</script> is just text.".into();
    let in_title = job("2", "Rust Engineer");
    let other = job("3", "Shepherd");
    upsert(db, None, &[in_body, in_title, other], false, NOW).await;

    let search = |q: &str| {
        let filter = JobFilter {
            q: Some(q.into()),
            ..JobFilter::default()
        };
        async move { db.list_jobs(&filter, None, 10, NOW).await.unwrap() }
    };
    let page = search("rust").await;
    let titles: Vec<&str> = page.items.iter().map(|j| j.title.as_str()).collect();
    assert_eq!(titles, ["Rust Engineer", "Data Analyst"]);
    let highlight = page.items[0].highlight.as_ref().unwrap();
    assert_eq!(
        highlight.title,
        format!("{MARK_START}Rust{MARK_END} Engineer")
    );
    let snippet = &page.items[1].highlight.as_ref().unwrap().snippet;
    assert!(
        snippet.contains(&format!("{MARK_START}Rust{MARK_END}")),
        "{snippet}"
    );
    assert!(
        snippet.contains("<script>"),
        "stored text comes back as text, marked by sentinels only"
    );

    // Search as you type: the last word is a prefix; a finished word is not.
    assert_eq!(search("sheph").await.items.len(), 1);
    assert_eq!(search("sheph ").await.items.len(), 0);
    // Stemming: "engineers" finds "Engineer".
    assert_eq!(search("engineers ").await.items.len(), 1);
    // Hostile or odd input never errors; nothing searchable matches nothing.
    for input in [
        "\"",
        "rust\"",
        "(rust",
        "rust OR",
        "NOT",
        "a:b",
        "col:rust",
        "*",
        "^rust",
        "NEAR(a b)",
        "🚀",
        "🚀 rust",
        "'; DROP TABLE jobs; --",
        "\u{0}",
    ] {
        db.list_jobs(
            &JobFilter {
                q: Some(input.into()),
                ..JobFilter::default()
            },
            None,
            10,
            NOW,
        )
        .await
        .unwrap_or_else(|e| panic!("{input:?}: {e}"));
    }
    assert!(search("🚀").await.items.is_empty());
    assert_eq!(search("🚀 rust").await.items.len(), 2);

    // Combined with a filter, and paginated by relevance.
    let starred_target = page.items[1].id;
    db.change_jobs(&[starred_target], &JobChange::Starred(true), NOW)
        .await
        .unwrap();
    let filter = JobFilter {
        q: Some("rust".into()),
        starred: Some(true),
        ..JobFilter::default()
    };
    let starred = db.list_jobs(&filter, None, 10, NOW).await.unwrap();
    assert_eq!(
        starred.items.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![starred_target]
    );
    let filter = JobFilter {
        q: Some("acme".into()),
        ..JobFilter::default()
    };
    assert_eq!(ids(db, &filter).await.len(), 3);
    let counts = db
        .job_counts(
            &JobFilter {
                q: Some("rust".into()),
                ..JobFilter::default()
            },
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(counts.total, 2);
}

#[tokio::test]
async fn counts_agree_with_the_lists_they_describe() {
    let t = open().await;
    let db = &t.db;
    let companies = [
        company(db, "a").await,
        company(db, "b").await,
        company(db, "c").await,
    ];
    let titles = ["Rust Engineer", "Data Engineer", "Baker", "Rust Baker"];
    for (k, &c) in companies.iter().enumerate() {
        let jobs: Vec<NewJob> = (0..12)
            .map(|i| job(&format!("{k}-{i}"), titles[(i + k) % titles.len()]))
            .collect();
        upsert(db, Some(c), &jobs, true, NOW).await;
    }
    // Jobs of no company (a saved search's), and user state spread over stages.
    upsert(
        db,
        None,
        &[job("s-1", "Rust Engineer"), job("s-2", "Baker")],
        false,
        NOW,
    )
    .await;
    let all = ids(db, &JobFilter::default()).await;
    let stages = [Stage::Saved, Stage::Applied, Stage::Interviewing];
    for (i, id) in all.iter().enumerate().filter(|(i, _)| i % 3 != 0) {
        db.change_jobs(&[*id], &JobChange::Stage(stages[i % 3]), NOW)
            .await
            .unwrap();
    }
    db.change_jobs(&all[..4], &JobChange::Archived(true), NOW)
        .await
        .unwrap();

    let filters = [
        JobFilter::default(),
        JobFilter {
            q: Some("rust".into()),
            ..JobFilter::default()
        },
        JobFilter {
            q: Some("engineer ".into()),
            company: Some(companies[1]),
            ..JobFilter::default()
        },
        JobFilter {
            q: Some("bak".into()),
            stage: Some(Stage::Applied),
            ..JobFilter::default()
        },
        JobFilter {
            q: Some("rust".into()),
            stage: Some(Stage::Saved),
            company: Some(companies[0]),
            ..JobFilter::default()
        },
    ];
    for filter in filters {
        let counts = db.job_counts(&filter, NOW).await.unwrap();
        assert_eq!(
            counts.total as usize,
            ids(db, &filter).await.len(),
            "{filter:?}"
        );
        for stage in [
            Stage::Inbox,
            Stage::Saved,
            Stage::Applied,
            Stage::Interviewing,
        ] {
            let listed = ids(
                db,
                &JobFilter {
                    stage: Some(stage),
                    ..filter.clone()
                },
            )
            .await
            .len() as u64;
            let counted = counts
                .stages
                .iter()
                .find(|(s, _)| *s == stage)
                .map_or(0, |(_, n)| *n);
            assert_eq!(counted, listed, "{stage:?} in {filter:?}");
        }
        let mut counted_companies = 0;
        for &c in &companies {
            let listed = ids(
                db,
                &JobFilter {
                    company: Some(c),
                    ..filter.clone()
                },
            )
            .await
            .len() as u64;
            let counted = counts.companies.iter().find(|(id, _, _)| *id == Some(c));
            assert_eq!(
                counted.map_or(0, |(_, _, n)| *n),
                listed,
                "{c} in {filter:?}"
            );
            if let Some((_, name, _)) = counted {
                assert_eq!(
                    name,
                    &format!("Company {}", ["a", "b", "c"][c as usize - 1])
                );
                counted_companies += 1;
            }
        }
        // Most jobs first, then by name; the jobs of no company under an empty name.
        let order: Vec<(u64, &str)> = counts
            .companies
            .iter()
            .map(|(_, name, n)| (u64::MAX - n, name.as_str()))
            .collect();
        assert!(order.is_sorted(), "{filter:?}: {:?}", counts.companies);
        assert!(counts.companies.len() >= counted_companies);
    }
}

#[tokio::test]
async fn the_search_ranking_is_fts5s_bm25_given_each_phrases_count() {
    let t = open().await;
    let db = &t.db;
    let words = ["rust", "berlin", "data", "engineer", "remote", "farm"];
    let jobs: Vec<NewJob> = (0..60)
        .map(|i| {
            // Varied lengths and frequencies, so that document length and idf both matter.
            let mut j = job(
                &i.to_string(),
                &format!("{} {}", words[i % 6], words[i % 4]),
            );
            j.description_text = (0..(i % 7 + 1))
                .map(|k| words[(i * k + 1) % 6])
                .collect::<Vec<_>>()
                .join(" ");
            j.location = Some(words[i % 5].into());
            j
        })
        .collect();
    upsert(db, None, &jobs, false, NOW).await;

    for (expression, phrases) in [
        ("\"rust\"", vec!["\"rust\""]),
        ("\"rust\" AND \"berlin\"", vec!["\"rust\"", "\"berlin\""]),
        (
            "\"data\" AND (\"farm\" OR \"engin\"*)",
            vec!["\"data\"", "\"farm\"", "\"engin\"*"],
        ),
    ] {
        let mut counts = Vec::new();
        for phrase in &phrases {
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs_fts WHERE jobs_fts MATCH ?")
                .bind(phrase)
                .fetch_one(db.reader())
                .await
                .unwrap();
            counts.push(n.to_string());
        }
        let sql = format!(
            "SELECT rowid, bm25(jobs_fts, 10.0, 4.0, 2.0, 1.0) AS fts5, \
             jobscout_rank(jobs_fts, 10.0, 4.0, 2.0, 1.0, {}) AS ours \
             FROM jobs_fts WHERE jobs_fts MATCH ? ORDER BY rowid",
            counts.join(", ")
        );
        let rows: Vec<(i64, f64, f64)> = sqlx::query_as(&sql)
            .bind(expression)
            .fetch_all(db.reader())
            .await
            .unwrap();
        assert!(rows.len() > 3, "{expression}: {} rows", rows.len());
        let distinct: HashSet<u64> = rows.iter().map(|r| r.1.to_bits()).collect();
        assert!(distinct.len() > 2, "{expression}: scores that can differ");
        for (id, fts5, ours) in rows {
            assert_eq!(fts5, ours, "{expression}, job {id}");
        }
    }

    // A wrong number of arguments is an error, not a silent misranking.
    let err = sqlx::query_scalar::<_, f64>(
        "SELECT jobscout_rank(jobs_fts, 10.0, 4.0, 2.0, 1.0) FROM jobs_fts \
         WHERE jobs_fts MATCH 'rust'",
    )
    .fetch_all(db.reader())
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("one document count per phrase"),
        "{err}"
    );
}

#[tokio::test]
async fn fts_stays_in_step_through_updates_and_deletes() {
    let t = open().await;
    let db = &t.db;
    upsert(
        db,
        None,
        &[job("1", "Beekeeper"), job("2", "Shepherd")],
        false,
        NOW,
    )
    .await;
    upsert(db, None, &[job("1", "Lighthouse Keeper")], false, NOW + 1).await;
    let search = |q: &'static str| async move {
        db.list_jobs(
            &JobFilter {
                q: Some(q.into()),
                ..JobFilter::default()
            },
            None,
            10,
            NOW,
        )
        .await
        .unwrap()
        .items
        .len()
    };
    assert_eq!(
        (search("beekeeper ").await, search("lighthouse ").await),
        (0, 1)
    );
    // Only the description changes, then title and description together.
    let mut rewritten = job("1", "Lighthouse Keeper");
    rewritten.description_text = "Mind the foghorn.".into();
    upsert(db, None, &[rewritten.clone()], false, NOW + 2).await;
    assert_eq!((search("farmers ").await, search("foghorn ").await), (1, 1));
    rewritten.title = "Harbour Master".into();
    rewritten.description_text = "Tides and tugboats.".into();
    upsert(db, None, &[rewritten], false, NOW + 3).await;
    assert_eq!(
        (search("foghorn ").await, search("lighthouse ").await),
        (0, 0)
    );
    assert_eq!(
        (search("tugboats ").await, search("harbour ").await),
        (1, 1)
    );
    fts_ok(db).await;
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query("DELETE FROM jobs WHERE source_id = '2'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(search("shepherd ").await, 0);
    fts_ok(db).await;
}

#[tokio::test]
async fn counts_after_stage_changes_equal_a_fresh_count_without_recounting() {
    let t = open().await;
    let db = &t.db;
    let (acme, globex) = (company(db, "acme").await, company(db, "globex").await);
    let titles = ["Rust Engineer", "Baker", "Designer"];
    let jobs = |prefix: &str, n: usize| -> Vec<NewJob> {
        (0..n)
            .map(|i| job(&format!("{prefix}{i}"), titles[i % titles.len()]))
            .collect()
    };
    upsert(db, Some(acme), &jobs("a", 12), true, NOW).await;
    upsert(db, Some(globex), &jobs("g", 8), true, NOW).await;
    let cached = CachedStore::new(db.clone(), &CacheConfig::default());
    let search = |q: &str| JobFilter {
        q: Some(q.into()),
        ..JobFilter::default()
    };
    let filters = [
        JobFilter::default(),
        search("rust "),
        search("engin"),
        JobFilter {
            stage: Some(Stage::Saved),
            ..JobFilter::default()
        },
        JobFilter {
            stage: Some(Stage::Inbox),
            company: Some(acme),
            ..JobFilter::default()
        },
        JobFilter {
            stage: Some(Stage::Applied),
            ..search("rust ")
        },
        JobFilter {
            company: Some(globex),
            ..search("baker ")
        },
    ];
    let all = ids(db, &JobFilter::default()).await;
    let check = |when: String| {
        let (cached, filters) = (&cached, &filters);
        async move {
            for filter in filters {
                assert_eq!(
                    *cached.job_counts(filter, NOW, false).await.unwrap(),
                    db.job_counts(filter, NOW).await.unwrap(),
                    "{filter:?} {when}"
                );
            }
        }
    };
    check("before any change".into()).await;
    let tallies = cached.stats()[3].misses;
    assert_eq!(tallies, filters.len() as u64);

    // Jobs of both companies, one moved twice, one moved and back, one across every filter.
    let steps = [
        (0..5, Stage::Saved),
        (3..7, Stage::Applied),
        (0..1, Stage::Inbox),
        (10..16, Stage::Interviewing),
        (12..13, Stage::Inbox),
        (1..2, Stage::Applied),
    ];
    for (range, stage) in steps {
        cached
            .change_jobs(&all[range.clone()], &JobChange::Stage(stage), NOW)
            .await
            .unwrap();
        check(format!("after moving {range:?} to {stage:?}")).await;
    }
    assert_eq!(
        cached.stats()[3].misses,
        tallies,
        "every count came from its tally and the moves"
    );

    // So many moves since the tally that each filter is counted afresh, once.
    for round in 0..101 {
        let stage = [Stage::Saved, Stage::Offer][round % 2];
        cached
            .change_jobs(&all, &JobChange::Stage(stage), NOW)
            .await
            .unwrap();
    }
    check("after 2,020 moves".into()).await;
    check("again".into()).await;
    assert_eq!(cached.stats()[3].misses, tallies * 2);

    // Collection changes what every filter holds: new tallies.
    cached
        .upsert_jobs(UpsertBatch {
            company_id: Some(acme),
            jobs: &jobs("a", 14),
            complete: true,
            now: NOW,
        })
        .await
        .unwrap();
    check("after a collection".into()).await;
    assert_eq!(cached.stats()[3].misses, tallies * 3);
}

#[tokio::test]
async fn the_cache_never_serves_older_than_the_users_own_change() {
    let t = open().await;
    upsert(
        &t.db,
        None,
        &[job("1", "Baker"), job("2", "Brewer")],
        false,
        NOW,
    )
    .await;
    let cached = CachedStore::new(t.db.clone(), &CacheConfig::default());
    let all = JobFilter::default();
    let starred = JobFilter {
        starred: Some(true),
        ..JobFilter::default()
    };
    let saved = JobFilter {
        stage: Some(Stage::Saved),
        ..JobFilter::default()
    };
    let list = |filter: &JobFilter| {
        let (cached, filter) = (&cached, filter.clone());
        async move {
            cached
                .list_jobs(&filter, None, 50, NOW, false)
                .await
                .unwrap()
        }
    };
    let page_misses = |cached: &CachedStore<Database>| cached.stats()[0].misses;
    let first = list(&all).await;
    let again = list(&all).await;
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "second read is the cached page"
    );
    let (id, other) = (first.items[0].id, first.items[1].id);
    assert!(list(&starred).await.items.is_empty());
    assert!(list(&saved).await.items.is_empty());
    let counts = cached.job_counts(&all, NOW, false).await.unwrap();
    assert!(!cached.job(id, false).await.unwrap().unwrap().starred);

    // A star: the kept list shows it (no new query); lists and counts by star are read anew.
    cached
        .change_jobs(&[id], &JobChange::Starred(true), NOW)
        .await
        .unwrap();
    let misses = page_misses(&cached);
    let after = list(&all).await;
    assert_eq!(
        page_misses(&cached),
        misses,
        "the kept page, with the star laid over"
    );
    assert!(after.items.iter().find(|j| j.id == id).unwrap().starred);
    assert!(!after.items.iter().find(|j| j.id == other).unwrap().starred);
    assert_eq!(list(&starred).await.items.len(), 1);
    assert!(cached.job(id, false).await.unwrap().unwrap().starred);
    let count_misses = cached.stats()[1].misses;
    assert_eq!(cached.job_counts(&all, NOW, false).await.unwrap(), counts);
    assert_eq!(
        cached.stats()[1].misses,
        count_misses,
        "counts are per stage"
    );
    assert_eq!(
        cached.job_counts(&starred, NOW, false).await.unwrap().total,
        1
    );

    // A stage: the same, and the counts move.
    cached
        .change_jobs(&[other], &JobChange::Stage(Stage::Saved), NOW)
        .await
        .unwrap();
    let misses = page_misses(&cached);
    let after = list(&all).await;
    assert_eq!(
        page_misses(&cached),
        misses,
        "the kept page, with the stage laid over"
    );
    assert_eq!(
        after.items.iter().find(|j| j.id == other).unwrap().stage,
        Stage::Saved
    );
    assert!(after.items.iter().find(|j| j.id == id).unwrap().starred);
    assert_eq!(list(&saved).await.items[0].id, other);
    let moved = cached.job_counts(&all, NOW, false).await.unwrap();
    assert_ne!(moved.stages, counts.stages);
    assert!(
        moved
            .stages
            .iter()
            .any(|(stage, n)| *stage == Stage::Saved && *n == 1)
    );
    assert_eq!(
        cached.job(other, false).await.unwrap().unwrap().stage,
        Stage::Saved
    );

    // Notes: the job's details at once; no list or count is read again, nor another job.
    list(&starred).await;
    cached.job(other, false).await.unwrap();
    let (misses, count_misses) = (page_misses(&cached), cached.stats()[1].misses);
    cached
        .change_jobs(&[id], &JobChange::Notes("call Tuesday".into()), NOW)
        .await
        .unwrap();
    assert_eq!(
        cached.job(id, false).await.unwrap().unwrap().notes,
        "call Tuesday"
    );
    let detail_hits = cached.stats()[2].hits;
    cached.job(other, false).await.unwrap();
    assert_eq!(
        cached.stats()[2].hits,
        detail_hits + 1,
        "other jobs stay cached"
    );
    list(&all).await;
    list(&starred).await;
    cached.job_counts(&all, NOW, false).await.unwrap();
    assert_eq!(
        (page_misses(&cached), cached.stats()[1].misses),
        (misses, count_misses)
    );

    // Unstarring through the cache after a full invalidation: no old mark survives it.
    cached.invalidate();
    cached
        .change_jobs(&[id], &JobChange::Starred(false), NOW)
        .await
        .unwrap();
    assert!(list(&all).await.items.iter().all(|j| !j.starred));
    assert!(list(&starred).await.items.is_empty());

    // Archiving changes which jobs a list holds: read anew.
    cached
        .change_jobs(&[other], &JobChange::Archived(true), NOW)
        .await
        .unwrap();
    assert_eq!(list(&all).await.items.len(), 1);

    // no-cache reads go to the database.
    let kept = list(&all).await;
    let fresh = cached.list_jobs(&all, None, 50, NOW, true).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&fresh, &kept));
    assert!(cached.job(999, false).await.unwrap().is_none());
}

#[tokio::test]
async fn bulk_changes_validate_their_input() {
    let t = open().await;
    let db = &t.db;
    upsert(db, None, &[job("1", "Baker")], false, NOW).await;
    let too_many: Vec<i64> = (1..=1001).collect();
    assert!(matches!(
        db.change_jobs(&too_many, &JobChange::Starred(true), NOW)
            .await,
        Err(StoreError::Invalid(_))
    ));
    let long = "x".repeat(20_001);
    assert!(matches!(
        db.change_jobs(&[1], &JobChange::Notes(long), NOW).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        db.change_jobs(&[1, 5, 6], &JobChange::Stage(Stage::Saved), NOW)
            .await
            .unwrap(),
        1
    );
    // Moving to the stage it is already in logs nothing.
    db.change_jobs(&[1], &JobChange::Stage(Stage::Saved), NOW + 5)
        .await
        .unwrap();
    assert_eq!(db.job(1).await.unwrap().unwrap().history.len(), 1);
}

#[tokio::test]
async fn a_common_word_ranks_the_newest_candidates_and_counts_them_all() {
    let t = open().await;
    let db = &t.db;
    let cap = engine::store::SEARCH_CANDIDATES as usize;
    let total = 6 * cap;
    let jobs: Vec<NewJob> = (0..total)
        .map(|i| job(&i.to_string(), &format!("Welder {i}")))
        .collect();
    upsert(db, None, &jobs, false, NOW).await;
    let filter = JobFilter {
        q: Some("welder ".into()),
        ..JobFilter::default()
    };
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = db
            .list_jobs(&filter, cursor.as_deref(), 200, NOW)
            .await
            .unwrap();
        seen.extend(page.items.iter().map(|j| j.id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    // At least the cap, well short of everything, no repeats, and the newest ones.
    assert!(
        seen.len() >= cap && seen.len() <= 5 * cap / 2,
        "{}",
        seen.len()
    );
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len());
    let oldest_kept = (total - seen.len()) as i64;
    assert!(seen.iter().all(|id| *id > oldest_kept));
    let counts = db.job_counts(&filter, NOW).await.unwrap();
    assert_eq!(counts.total, total as u64);
    // A word in only a few old jobs is still found: the window widens to the whole database.
    let filter = JobFilter {
        q: Some("welder 7 ".into()),
        ..JobFilter::default()
    };
    let page = db.list_jobs(&filter, None, 50, NOW).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].title, "Welder 7");
}

/// The schema objects a bulk load defers, as (type, name) pairs.
async fn index_and_triggers(db: &Database) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT type, name FROM sqlite_master WHERE tbl_name IN ('jobs', 'job_texts') \
         AND type IN ('index', 'trigger') ORDER BY type, name",
    )
    .fetch_all(db.reader())
    .await
    .unwrap()
}

/// The writer connection's page cache, temp_store and sorter threads.
async fn writer_settings(db: &Database) -> (i64, i64, i64) {
    let mut tx = db.begin_write().await.unwrap();
    let mut read = async |pragma: &str| -> i64 {
        let (value,): (i64,) = sqlx::query_as(&format!("PRAGMA {pragma}"))
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        value
    };
    let settings = (
        read("cache_size").await,
        read("temp_store").await,
        read("threads").await,
    );
    tx.commit().await.unwrap();
    settings
}

#[tokio::test]
async fn a_bulk_load_defers_indexes_and_always_restores_them() {
    let dir = tempfile::tempdir().unwrap();
    let config = DatabaseConfig {
        path: dir.path().join("jobs.db"),
        ..DatabaseConfig::default()
    };
    let db = Database::open(&config).await.unwrap();
    let schema = index_and_triggers(&db).await;
    assert!(schema.len() > 10, "{schema:?}");
    upsert(&db, None, &[job("1", "Shepherd")], false, NOW).await;
    let settings = writer_settings(&db).await;
    assert_eq!(settings.1, 2, "temp_store = MEMORY, as configured");

    db.bulk_load(true).await.unwrap();
    assert!(db.bulk_loading().await.unwrap());
    let during = index_and_triggers(&db).await;
    assert!(
        during.len() < schema.len() && during.iter().all(|(kind, _)| kind == "index"),
        "only the identity constraint's index stays: {during:?}"
    );
    // Upserts during the load keep their rules: a known job is found, a new one inserted.
    let counts = upsert(
        &db,
        None,
        &[job("1", "Shepherd"), job("2", "Rust Engineer")],
        false,
        NOW,
    )
    .await;
    assert_eq!((counts.inserted, counts.unchanged), (1, 1));
    db.bulk_load(false).await.unwrap();
    assert!(!db.bulk_loading().await.unwrap());
    assert_eq!(index_and_triggers(&db).await, schema);
    // The indexes were sorted with a small cache, temporary files and helper threads; the
    // writer goes back to its own settings.
    assert_eq!(writer_settings(&db).await, settings);
    fts_ok(&db).await;
    let search = |q: &str| JobFilter {
        q: Some(q.into()),
        ..JobFilter::default()
    };
    assert_eq!(
        ids(&db, &search("rust")).await.len(),
        1,
        "indexed by the rebuild"
    );
    // After the load the triggers index new jobs again.
    upsert(&db, None, &[job("3", "Rust Tester")], false, NOW).await;
    assert_eq!(ids(&db, &search("rust")).await.len(), 2);

    // A load cut short (the process died before restoring) is finished on the next open.
    db.bulk_load(true).await.unwrap();
    upsert(&db, None, &[job("4", "Rust Writer")], false, NOW).await;
    db.close().await;
    let db = Database::open(&config).await.unwrap();
    assert!(!db.bulk_loading().await.unwrap());
    assert_eq!(index_and_triggers(&db).await, schema);
    fts_ok(&db).await;
    assert_eq!(ids(&db, &search("rust")).await.len(), 3);
}

#[tokio::test]
async fn the_wal_is_checkpointed_beside_the_writer_not_inside_its_commits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.db");
    let config = DatabaseConfig {
        path: path.clone(),
        ..DatabaseConfig::default()
    };
    let db = Database::open(&config).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let (autocheckpoint,): (i64,) = sqlx::query_as("PRAGMA wal_autocheckpoint")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(autocheckpoint, 0, "commits never checkpoint");
    let before = std::fs::metadata(&path).unwrap().len();
    // About 6 MB of descriptions: past the background checkpointer's threshold.
    let text = "Rust and SQLite, ".repeat(300);
    let jobs: Vec<NewJob> = (0..1200)
        .map(|i| {
            let mut j = job(&i.to_string(), "Engineer");
            j.description_text = format!("{i} {text}");
            j
        })
        .collect();
    for chunk in jobs.chunks(200) {
        upsert(&db, None, chunk, false, NOW).await;
    }
    // Only a checkpoint moves pages from the WAL into the database file.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::fs::metadata(&path).unwrap().len() <= before + (4 << 20) {
        assert!(
            std::time::Instant::now() < deadline,
            "no background checkpoint"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Closing leaves no WAL behind for the next start to replay.
    db.close().await;
    let wal = dir.path().join("jobs.db-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "WAL left after close"
    );
}

#[tokio::test]
async fn readers_and_the_writer_get_their_own_page_cache_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let config = DatabaseConfig {
        path: dir.path().join("jobs.db"),
        cache_size_kib: 1_024,
        writer_cache_size_kib: 3_072,
        ..DatabaseConfig::default()
    };
    let db = Database::open(&config).await.unwrap();
    // Negative: KiB rather than pages.
    let (reader,): (i64,) = sqlx::query_as("PRAGMA cache_size")
        .fetch_one(db.reader())
        .await
        .unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let (writer,): (i64,) = sqlx::query_as("PRAGMA cache_size")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((reader, writer), (-1_024, -3_072));
}

/// SQLite's plan for `query`, its steps joined by "; ".
async fn plan(db: &Database, query: &str) -> String {
    let steps: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {query}"))
            .fetch_all(db.reader())
            .await
            .unwrap();
    steps
        .iter()
        .map(|p| p.3.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test]
async fn the_active_lists_counts_read_covering_indexes() {
    let t = open().await;
    // The counts' own shape (`job_counts` with the default filter): grouped by stage, and by
    // company, over jobs neither archived nor closed.
    for (query, index) in [
        (
            "SELECT j.stage, count(*) FROM jobs j WHERE 1 AND j.archived_at IS NULL \
             AND j.closed_at IS NULL GROUP BY j.stage",
            "jobs_active_stage",
        ),
        (
            "SELECT j.company_id, count(*) FROM jobs j WHERE 1 AND j.archived_at IS NULL \
             AND j.closed_at IS NULL GROUP BY j.company_id",
            "jobs_active_company",
        ),
    ] {
        let detail = plan(&t.db, query).await;
        assert!(
            detail.contains(&format!("COVERING INDEX {index}")),
            "{query}: {detail}"
        );
    }
}

#[tokio::test]
async fn one_stage_or_company_of_the_active_list_is_read_in_order_without_sorting() {
    let t = open().await;
    for filter in ["j.stage = 'inbox'", "j.company_id = 1"] {
        let query = format!(
            "SELECT j.id FROM jobs j WHERE 1 AND {filter} AND j.archived_at IS NULL \
             AND j.closed_at IS NULL ORDER BY j.sort_at DESC, j.id DESC LIMIT 51"
        );
        let detail = plan(&t.db, &query).await;
        assert!(!detail.contains("TEMP B-TREE"), "{query}: {detail}");
    }
}
