//! The identity rules of DESIGN §3 and the derived columns the store keeps beside a job:
//! identity, duplicate fingerprint, canonical URL, yearly and approximate-dollar salaries.

use model::{NewJob, Salary};

/// `source:source_id` when the provider has ids, else `url:<canonical url>`.
pub fn identity(job: &NewJob) -> String {
    match job
        .source_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty())
    {
        Some(id) => format!("{}:{id}", job.source),
        None => format!("url:{}", canonical_url(&job.url)),
    }
}

/// Normalized company + title + location: the same opening found through two sources (a
/// search and a company board, or an ATS and the company's own careers page).
pub fn fingerprint(job: &NewJob) -> String {
    let company = words(&job.company)
        .into_iter()
        .filter(|w| !COMPANY_SUFFIXES.contains(&w.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "{company}|{}|{}",
        words(&job.title).join(" "),
        words(job.location.as_deref().unwrap_or("")).join(" ")
    )
}

const COMPANY_SUFFIXES: &[&str] = &[
    "inc",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "bv",
    "plc",
    "corp",
    "corporation",
    "co",
    "company",
    "se",
    "oy",
    "ab",
    "as",
    "pty",
    "srl",
];

/// XXH3 (64 bits) of bytes as 16 hex digits: stable across builds and runs (the algorithm is
/// specified), enough to notice any change (of a delivered job, of a fetched board), and it
/// reads eight bytes a step (FNV-1a a byte at a time, over a buffered copy of each job's JSON,
/// was about a tenth of a bulk load's CPU).
pub fn content_hash(bytes: &[u8]) -> String {
    hex(xxhash_rust::xxh3::xxh3_64(bytes))
}

/// [`content_hash`] of a value's JSON, hashed as it is written instead of built in memory
/// first: every job of every batch is hashed this way, descriptions and all.
pub fn json_hash(value: &impl serde::Serialize) -> String {
    struct Hashing(xxhash_rust::xxh3::Xxh3);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(xxhash_rust::xxh3::Xxh3::new());
    serde_json::to_writer(&mut hashing, value).expect("a value serializes into a hash");
    hex(hashing.0.digest())
}

fn hex(hash: u64) -> String {
    format!("{hash:016x}")
}

/// Lower-cased alphanumeric words.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Query parameters that only track where a visitor came from.
fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || matches!(
            name.as_str(),
            "gh_src"
                | "t"
                | "lever-source"
                | "lever-origin"
                | "ref"
                | "referrer"
                | "source"
                | "src"
                | "fbclid"
                | "gclid"
                | "mc_cid"
                | "mc_eid"
                | "_hsenc"
                | "_hsmi"
        )
}

/// The URL without its fragment and tracking parameters, with a lower-case scheme and host.
pub fn canonical_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split_once('#').map_or(url, |(u, _)| u);
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
            format!(
                "{}://{}/{}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase(),
                path
            )
        }
        None => base.to_owned(),
    };
    let kept: Vec<&str> = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            // Greenhouse's job id: noise on a board URL that names the job in its path, but
            // the only trace of the job on a company's own careers page.
            let redundant_id = name.eq_ignore_ascii_case("gh_jid")
                && (value.is_empty() || base.contains(&format!("/{value}")));
            !is_tracking(name) && !redundant_id
        })
        .collect();
    if kept.is_empty() {
        base
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// Approximate US dollars per unit, only to order and filter salaries across currencies.
/// Amounts in other currencies are compared within their own currency only.
const USD_PER_UNIT: &[(&str, f64)] = &[
    ("USD", 1.0),
    ("EUR", 1.08),
    ("GBP", 1.27),
    ("CHF", 1.13),
    ("CAD", 0.73),
    ("AUD", 0.66),
    ("NZD", 0.60),
    ("SGD", 0.74),
    ("HKD", 0.128),
    ("JPY", 0.0067),
    ("INR", 0.012),
    ("SEK", 0.095),
    ("NOK", 0.094),
    ("DKK", 0.145),
    ("PLN", 0.25),
    ("CZK", 0.043),
    ("ILS", 0.27),
    ("BRL", 0.18),
    ("MXN", 0.055),
    ("ZAR", 0.055),
];

/// What the store derives from a salary for sorting and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SalaryColumns {
    pub year_min: Option<f64>,
    pub year_max: Option<f64>,
    pub usd_min: Option<f64>,
    /// Yearly dollars at the top of the range; -1 without a salary or a known currency.
    pub sort: f64,
}

pub fn salary_columns(salary: Option<&Salary>) -> SalaryColumns {
    let Some(salary) = salary else {
        return SalaryColumns {
            sort: -1.0,
            ..SalaryColumns::default()
        };
    };
    let per_year = salary.period.per_year();
    let year_min = salary.min.map(|v| v * per_year);
    let year_max = salary.max.map(|v| v * per_year);
    // No currency stated: most such postings are in dollars; better sorted than lost.
    let rate = match salary.currency.as_deref() {
        None => Some(1.0),
        Some(code) => USD_PER_UNIT
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|(_, r)| *r),
    };
    let usd = |v: Option<f64>| rate.and(v).map(|v| v * rate.unwrap_or(1.0));
    let usd_min = usd(year_min.or(year_max));
    SalaryColumns {
        year_min,
        year_max,
        usd_min,
        sort: usd(year_max.or(year_min)).unwrap_or(-1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::SalaryPeriod;

    fn job(source_id: Option<&str>, url: &str) -> NewJob {
        NewJob {
            source: "greenhouse".into(),
            source_id: source_id.map(Into::into),
            url: url.into(),
            apply_url: None,
            title: "Senior Backend Engineer (Rust)".into(),
            company: "Acme, Inc.".into(),
            location: Some("Berlin, Germany".into()),
            remote: None,
            employment_type: None,
            department: None,
            salary: None,
            posted_at: None,
            description_html: String::new(),
            description_text: String::new(),
        }
    }

    #[test]
    fn a_json_hash_is_the_content_hash_of_the_json_and_sees_every_field() {
        let base = job(Some("1"), "https://x.example/jobs/1");
        let json = serde_json::to_vec(&base).unwrap();
        assert_eq!(json_hash(&base), content_hash(&json));
        // Specified XXH3: the same on every build, so stored hashes stay valid.
        assert_eq!(content_hash(b""), "2d06800538d394c2");
        let mut other = base.clone();
        other.description_text.push('.');
        assert_ne!(json_hash(&other), json_hash(&base));
        other = base.clone();
        other.posted_at = Some(other.posted_at.unwrap_or(0) + 1);
        assert_ne!(json_hash(&other), json_hash(&base));
    }

    #[test]
    fn identity_prefers_the_provider_id() {
        assert_eq!(identity(&job(Some("123"), "https://x")), "greenhouse:123");
        assert_eq!(
            identity(&job(
                Some(" "),
                "HTTPS://Jobs.Example.com/a?utm_source=x&id=4#apply"
            )),
            "url:https://jobs.example.com/a?id=4"
        );
    }

    #[test]
    fn fingerprint_ignores_case_punctuation_and_company_suffixes() {
        let mut other = job(None, "https://y");
        other.company = "ACME".into();
        other.title = "senior backend engineer rust".into();
        other.location = Some("Berlin Germany".into());
        assert_eq!(fingerprint(&job(None, "x")), fingerprint(&other));
        assert_eq!(
            fingerprint(&other),
            "acme|senior backend engineer rust|berlin germany"
        );
    }

    #[test]
    fn canonical_url_strips_tracking_only() {
        assert_eq!(
            canonical_url("https://boards.greenhouse.io/acme/jobs/1?gh_src=abc&lang=de"),
            "https://boards.greenhouse.io/acme/jobs/1?lang=de"
        );
        assert_eq!(canonical_url("not a url"), "not a url");
        // gh_jid goes where the path names the job, and stays where it is the only id.
        assert_eq!(
            canonical_url("https://boards.greenhouse.io/acme/jobs/123?gh_jid=123&t=gh_src="),
            "https://boards.greenhouse.io/acme/jobs/123"
        );
        assert_eq!(
            canonical_url("https://Acme.example/careers?gh_jid=123&utm_source=x"),
            "https://acme.example/careers?gh_jid=123"
        );
    }

    #[test]
    fn salaries_become_yearly_and_dollars() {
        let hourly = Salary {
            min: Some(50.0),
            max: Some(60.0),
            currency: Some("EUR".into()),
            period: SalaryPeriod::Hour,
        };
        let c = salary_columns(Some(&hourly));
        assert_eq!((c.year_min, c.year_max), (Some(104_000.0), Some(124_800.0)));
        assert!((c.sort - 134_784.0).abs() < 0.01);
        let unknown = Salary {
            currency: Some("XYZ".into()),
            ..hourly.clone()
        };
        assert_eq!(salary_columns(Some(&unknown)).sort, -1.0);
        assert_eq!(salary_columns(None).sort, -1.0);
        let from = Salary {
            min: Some(90_000.0),
            max: None,
            currency: None,
            period: SalaryPeriod::Year,
        };
        assert_eq!(salary_columns(Some(&from)).sort, 90_000.0);
    }
}
