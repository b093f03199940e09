//! Any bytes as a careers page or a JSON-LD block: never a panic, and every job found is
//! normalized (trimmed, non-blank title, sanitized HTML).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(jobs) = engine::sources::parse_saved(
        "jsonld",
        data,
        Some("https://example.com/jobs/1"),
        Some("Acme"),
        1_790_000_000,
    ) else {
        return;
    };
    for job in jobs {
        assert!(!job.title.is_empty() && job.title == job.title.trim());
        assert!(
            !job.description_html
                .to_ascii_lowercase()
                .contains("<script")
        );
    }
});
