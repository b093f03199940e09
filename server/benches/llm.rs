//! What LLM extraction costs before any request: cleaning a careers page into text, the cache
//! key's SHA-256, and cutting a long page into chunks. The cache key is computed for every page
//! of every run, so it must stay far below a millisecond.
//!
//! `cargo bench -p server --bench llm`

use criterion::{Criterion, criterion_group, criterion_main};
use engine::llm::chunk::split;
use engine::llm::extract::{Ask, cache_key};
use engine::llm::text::page_text;
use sim::providers::careers::job_page;
use sim::world::{Provider, World, WorldSpec};
use std::hint::black_box;

fn pages() -> (String, String, url::Url) {
    let world = World::generate(&WorldSpec {
        seed: 1,
        companies: 8,
        jobs_per_company: 20,
        now: 1_790_000_000,
    });
    let company = world
        .companies
        .iter()
        .find(|c| c.provider == Provider::Html)
        .expect("an unstructured site");
    let page = |long: bool| {
        let job = company
            .jobs
            .iter()
            .find(|j| (j.id % 10 == 3) == long)
            .expect("a page of each kind");
        job_page(company, job, "http://127.0.0.1:4000")
    };
    let url = url::Url::parse("http://127.0.0.1:4000/careers/x/jobs/1").unwrap();
    (page(false), page(true), url)
}

fn benches(c: &mut Criterion) {
    let (short, long, url) = pages();
    let (short_text, long_text) = (page_text(&short, &url), page_text(&long, &url));
    println!(
        "job page: {} B of HTML, {} B of text; long page: {} B of HTML, {} B of text",
        short.len(),
        short_text.len(),
        long.len(),
        long_text.len()
    );
    let mut group = c.benchmark_group("llm");
    group.bench_function("page_text/job page", |b| {
        b.iter(|| page_text(black_box(&short), &url))
    });
    group.bench_function("page_text/long page", |b| {
        b.iter(|| page_text(black_box(&long), &url))
    });
    group.bench_function("cache_key/job page", |b| {
        b.iter(|| cache_key("model", Ask::Jobs, "header", black_box(&short_text)))
    });
    group.bench_function("cache_key/long page", |b| {
        b.iter(|| cache_key("model", Ask::Jobs, "header", black_box(&long_text)))
    });
    group.bench_function("split/long page", |b| {
        b.iter(|| split(black_box(&long_text), 12_000))
    });
    group.finish();
}

criterion_group!(llm, benches);
criterion_main!(llm);
