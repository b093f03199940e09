//! The simulated world: companies, their boards and jobs, generated deterministically from a
//! seed. Providers render these same jobs in their own wire formats.

use crate::rng::Rng;
use serde::Serialize;

/// Where a simulated company publishes its jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Greenhouse,
    Lever,
    Ashby,
    Workable,
    SmartRecruiters,
    Recruitee,
    /// A careers site whose job pages carry schema.org JobPosting JSON-LD.
    JsonLd,
    /// A careers site with plain HTML only: the LLM path.
    Html,
}

impl Provider {
    pub const ALL: [Provider; 8] = [
        Provider::Greenhouse,
        Provider::Lever,
        Provider::Ashby,
        Provider::Workable,
        Provider::SmartRecruiters,
        Provider::Recruitee,
        Provider::JsonLd,
        Provider::Html,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Workplace {
    OnSite,
    Hybrid,
    Remote,
    /// The employer did not say.
    Unspecified,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Employment {
    FullTime,
    PartTime,
    Contract,
    Internship,
    Temporary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Hour,
    Month,
    Year,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Salary {
    pub min: u64,
    pub max: u64,
    pub currency: &'static str,
    pub period: Period,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub city: &'static str,
    pub region: Option<&'static str>,
    pub country: &'static str,
    pub country_code: &'static str,
}

impl Location {
    /// "Berlin, Germany" / "Austin, TX, United States".
    pub fn display(&self) -> String {
        match self.region {
            Some(region) => format!("{}, {}, {}", self.city, region, self.country),
            None => format!("{}, {}", self.city, self.country),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    /// Numeric id (Greenhouse, SmartRecruiters, Recruitee style).
    pub id: u64,
    /// UUID (Lever, Ashby style).
    pub uuid: String,
    /// Short code (Workable style).
    pub shortcode: String,
    pub title: String,
    pub department: &'static str,
    pub location: Location,
    pub workplace: Workplace,
    pub employment: Employment,
    pub salary: Option<Salary>,
    /// Unix seconds.
    pub posted_at: i64,
    pub updated_at: i64,
    /// Realistic HTML: paragraphs, lists, entities, links, and sometimes hostile markup.
    pub description_html: String,
    /// Unlisted jobs exist on the board but must not be collected (Ashby `isListed: false`).
    pub listed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Company {
    pub name: String,
    /// Board token / site / account name on the provider.
    pub slug: String,
    pub provider: Provider,
    pub jobs: Vec<Job>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct World {
    pub seed: u64,
    pub companies: Vec<Company>,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct WorldSpec {
    pub seed: u64,
    pub companies: usize,
    pub jobs_per_company: usize,
    /// "Now" in unix seconds: posting dates fall in the 90 days before it.
    pub now: i64,
}

impl World {
    pub fn generate(spec: &WorldSpec) -> Self {
        let mut names = std::collections::HashSet::new();
        let companies = (0..spec.companies)
            .map(|index| {
                let mut rng = Rng::derive(spec.seed, &[index as u64]);
                let mut name = format!("{} {}", rng.pick(NAME_HEADS), rng.pick(NAME_TAILS));
                if !names.insert(name.clone()) {
                    name = format!("{name} {}", index + 1);
                    names.insert(name.clone());
                }
                let slug: String = name
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let provider = Provider::ALL[index % Provider::ALL.len()];
                let jobs = (0..spec.jobs_per_company)
                    .map(|j| Job::generate(spec, index as u64, j as u64, &name))
                    .collect();
                Company {
                    name,
                    slug,
                    provider,
                    jobs,
                }
            })
            .collect();
        Self {
            seed: spec.seed,
            companies,
        }
    }

    pub fn company(&self, provider: Provider, slug: &str) -> Option<&Company> {
        self.companies
            .iter()
            .find(|c| c.provider == provider && c.slug.eq_ignore_ascii_case(slug))
    }

    pub fn company_mut(&mut self, slug: &str) -> Option<&mut Company> {
        self.companies
            .iter_mut()
            .find(|c| c.slug.eq_ignore_ascii_case(slug))
    }

    pub fn job_count(&self) -> usize {
        self.companies.iter().map(|c| c.jobs.len()).sum()
    }
}

impl Job {
    pub fn generate(spec: &WorldSpec, company: u64, index: u64, company_name: &str) -> Self {
        let mut rng = Rng::derive(spec.seed, &[company, index, 1]);
        let (department, titles) = rng.pick(DEPARTMENTS);
        let level = rng.pick(LEVELS);
        let title = format!("{level}{}", rng.pick(titles)).trim().to_string();
        let place = rng.pick(PLACES);
        let location = Location {
            city: place.0,
            region: place.1,
            country: place.2,
            country_code: place.3,
        };
        let workplace = match rng.below(10) {
            0..=3 => Workplace::OnSite,
            4..=5 => Workplace::Hybrid,
            6..=8 => Workplace::Remote,
            _ => Workplace::Unspecified,
        };
        let employment = match rng.below(20) {
            0..=15 => Employment::FullTime,
            16 => Employment::PartTime,
            17 => Employment::Contract,
            18 => Employment::Internship,
            _ => Employment::Temporary,
        };
        let salary = rng.chance(55).then(|| {
            let currency = place.4;
            if rng.chance(10) {
                let min = rng.range(18, 60);
                Salary {
                    min,
                    max: min + rng.range(2, 25),
                    currency,
                    period: Period::Hour,
                }
            } else if currency == "CHF" && rng.chance(30) {
                let min = rng.range(6, 12) * 1_000;
                Salary {
                    min,
                    max: min + rng.range(1, 4) * 500,
                    currency,
                    period: Period::Month,
                }
            } else {
                let base = match currency {
                    "JPY" => 100_000,
                    "INR" => 50_000,
                    _ => 1_000,
                };
                let min = rng.range(45, 180) * base;
                Salary {
                    min,
                    max: min + rng.range(10, 80) * base,
                    currency,
                    period: Period::Year,
                }
            }
        });
        let posted_at = spec.now - rng.range(0, 90 * 86_400) as i64;
        let updated_at = posted_at + rng.range(0, 5 * 86_400) as i64;
        let description_html = description(&mut rng, &title, company_name, department);
        Self {
            id: 4_000_000_000 + company * 100_000 + index,
            uuid: rng.uuid(),
            shortcode: format!("{:010X}", rng.next_u64() >> 24),
            title,
            department,
            location,
            workplace,
            employment,
            salary,
            posted_at: posted_at.min(spec.now),
            updated_at: updated_at.min(spec.now),
            description_html,
            listed: !rng.chance(3),
        }
    }
}

/// Paragraphs and lists of realistic length, with entities, links and (for one job in about
/// twenty) hostile markup that a sanitizer must remove.
fn description(rng: &mut Rng, title: &str, company: &str, department: &str) -> String {
    let mut html = format!(
        "<p><strong>{company}</strong> is hiring a {title} to join our {department} team. \
         We build tools people rely on every day &mdash; and we&rsquo;re growing.</p>"
    );
    html.push_str("<h3>What you&#39;ll do</h3><ul>");
    for _ in 0..rng.range(3, 6) {
        html.push_str(&format!("<li>{}</li>", rng.pick(DUTIES)));
    }
    html.push_str("</ul><h3>What we&#39;re looking for</h3><ul>");
    for _ in 0..rng.range(3, 6) {
        html.push_str(&format!("<li>{}</li>", rng.pick(REQUIREMENTS)));
    }
    html.push_str("</ul>");
    for _ in 0..rng.range(1, 3) {
        html.push_str(&format!("<p>{}</p>", rng.pick(PARAGRAPHS)));
    }
    html.push_str(
        "<p>Read about our <a href=\"https://example.com/benefits?ref=careers&amp;lang=en\">benefits \
         &amp; perks</a>.&nbsp;We are an equal opportunity employer.</p>",
    );
    if rng.chance(5) {
        let hostile: &&str = rng.pick(HOSTILE);
        html.push_str(hostile);
    }
    html
}

const NAME_HEADS: &[&str] = &[
    "Acme",
    "Nimbus",
    "Quanta",
    "Helio",
    "Bright",
    "Northwind",
    "Blue Harbor",
    "Cobalt",
    "Verdant",
    "Lumen",
    "Tidal",
    "Orbit",
    "Granite",
    "Juniper",
    "Kestrel",
    "Meridian",
    "Polar",
    "Saffron",
    "Aurora",
    "Beacon",
    "Cedar",
    "Delta",
    "Ember",
    "Fjord",
];
const NAME_TAILS: &[&str] = &[
    "Labs",
    "Systems",
    "AI",
    "Health",
    "Robotics",
    "Analytics",
    "Software",
    "Energy",
    "Bio",
    "Logistics",
    "Security",
    "Finance",
    "Cloud",
    "Games",
    "Mobility",
    "Foods",
];
const LEVELS: &[&str] = &[
    "",
    "",
    "",
    "Senior ",
    "Senior ",
    "Staff ",
    "Lead ",
    "Junior ",
    "Principal ",
];
const DEPARTMENTS: &[(&str, &[&str])] = &[
    (
        "Engineering",
        &[
            "Software Engineer",
            "Backend Engineer (Rust)",
            "Frontend Engineer",
            "Site Reliability Engineer",
            "Data Engineer",
            "Machine Learning Engineer",
            "Platform Engineer",
            "Security Engineer",
            "Embedded Software Engineer",
            "Engineering Manager",
            "C++ Developer",
            "Mobile Engineer (iOS)",
        ],
    ),
    (
        "Product",
        &[
            "Product Manager",
            "Product Designer",
            "UX Researcher",
            "Technical Product Manager",
        ],
    ),
    (
        "Data",
        &[
            "Data Scientist",
            "Analytics Engineer",
            "Data Analyst",
            "Research Scientist",
        ],
    ),
    (
        "Sales",
        &[
            "Account Executive",
            "Sales Development Representative",
            "Solutions Engineer",
            "Customer Success Manager",
        ],
    ),
    (
        "Marketing",
        &[
            "Product Marketing Manager",
            "Content Writer",
            "Growth Marketer",
            "Brand Designer",
        ],
    ),
    (
        "Operations",
        &[
            "Business Operations Lead",
            "Recruiter",
            "People Partner",
            "Office Manager",
            "Finance Analyst",
        ],
    ),
];
/// (city, region, country, ISO country code, currency)
type Place = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
);
const PLACES: &[Place] = &[
    ("San Francisco", Some("CA"), "United States", "US", "USD"),
    ("New York", Some("NY"), "United States", "US", "USD"),
    ("Austin", Some("TX"), "United States", "US", "USD"),
    ("Seattle", Some("WA"), "United States", "US", "USD"),
    ("Toronto", Some("ON"), "Canada", "CA", "CAD"),
    ("London", None, "United Kingdom", "GB", "GBP"),
    ("Berlin", None, "Germany", "DE", "EUR"),
    ("München", None, "Germany", "DE", "EUR"),
    ("Paris", None, "France", "FR", "EUR"),
    ("Amsterdam", None, "Netherlands", "NL", "EUR"),
    ("Zürich", None, "Switzerland", "CH", "CHF"),
    ("Stockholm", None, "Sweden", "SE", "SEK"),
    ("Warsaw", None, "Poland", "PL", "PLN"),
    ("Tokyo", None, "Japan", "JP", "JPY"),
    ("Bengaluru", Some("KA"), "India", "IN", "INR"),
    ("Sydney", Some("NSW"), "Australia", "AU", "AUD"),
    ("São Paulo", Some("SP"), "Brazil", "BR", "BRL"),
    ("Singapore", None, "Singapore", "SG", "SGD"),
];
const DUTIES: &[&str] = &[
    "Design, build and operate services that handle millions of requests a day",
    "Own features end to end, from the first sketch to production &amp; beyond",
    "Work closely with product, design and customers to decide what to build next",
    "Improve reliability, observability and performance across our stack",
    "Mentor teammates and raise the bar through thoughtful code review",
    "Write clear documentation &ndash; for users and for each other",
    "Turn ambiguous problems into plans, and plans into shipped work",
    "Partner with R&amp;D to bring new research into the product",
];
const REQUIREMENTS: &[&str] = &[
    "3+ years of professional experience in a similar role",
    "Fluency in at least one of Rust, Go, Python, TypeScript or C++",
    "Experience with SQL databases such as PostgreSQL or SQLite",
    "Clear written communication in English; German is a plus",
    "Comfort with ambiguity and a bias for action",
    "Experience with cloud infrastructure (AWS, GCP or Azure) and containers",
    "A track record of shipping products customers love",
    "Curiosity &gt; credentials: show us what you&#39;ve built",
];
const PARAGRAPHS: &[&str] = &[
    "We offer a competitive salary, equity, 30 days of paid vacation, a learning budget and a \
     flexible working model. Our offices are designed for focus and collaboration, and our remote \
     teammates meet in person several times a year.",
    "Our interview process has four steps: an introductory call, a practical exercise that \
     respects your time, a conversation with the team, and a final chat with a founder. We reply \
     to every applicant within five working days.",
    "We value diverse perspectives and encourage applications from people of all backgrounds, \
     including those who have taken career breaks. Reasonable accommodations are available on \
     request at every stage.",
    "You will join a small, senior team that ships weekly, writes tests first, and treats \
     on-call as a shared responsibility with generous compensation for out-of-hours work.",
];
const HOSTILE: &[&str] = &[
    "<script>alert('xss')</script>",
    "<img src=\"x\" onerror=\"alert('xss')\">",
    "<p><a href=\"javascript:alert('xss')\">Apply here</a></p>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<p style=\"background:url(javascript:alert(1))\" onclick=\"steal()\">Click me</p>",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> WorldSpec {
        WorldSpec {
            seed: 42,
            companies: 16,
            jobs_per_company: 40,
            now: 1_790_000_000,
        }
    }

    #[test]
    fn generation_is_deterministic_and_sized() {
        let a = World::generate(&spec());
        assert_eq!(a, World::generate(&spec()));
        assert_eq!(a.companies.len(), 16);
        assert_eq!(a.job_count(), 640);
        let other = World::generate(&WorldSpec { seed: 43, ..spec() });
        assert_ne!(
            a.companies[0].jobs[0].title,
            other.companies[0].jobs[0].title
        );
    }

    #[test]
    fn every_provider_is_present_and_slugs_are_unique() {
        let world = World::generate(&spec());
        for provider in Provider::ALL {
            assert!(
                world.companies.iter().any(|c| c.provider == provider),
                "{provider:?}"
            );
        }
        let slugs: std::collections::HashSet<_> = world.companies.iter().map(|c| &c.slug).collect();
        assert_eq!(slugs.len(), world.companies.len());
    }

    #[test]
    fn jobs_have_realistic_variety() {
        let world = World::generate(&spec());
        let jobs: Vec<&Job> = world.companies.iter().flat_map(|c| &c.jobs).collect();
        let with_salary = jobs.iter().filter(|j| j.salary.is_some()).count();
        assert!(with_salary > jobs.len() / 3 && with_salary < jobs.len() * 3 / 4);
        let currencies: std::collections::HashSet<_> = jobs
            .iter()
            .filter_map(|j| j.salary.as_ref().map(|s| s.currency))
            .collect();
        assert!(currencies.len() >= 5, "{currencies:?}");
        assert!(
            jobs.iter()
                .any(|j| j.salary.as_ref().is_some_and(|s| s.period == Period::Hour))
        );
        for workplace in [
            Workplace::OnSite,
            Workplace::Hybrid,
            Workplace::Remote,
            Workplace::Unspecified,
        ] {
            assert!(jobs.iter().any(|j| j.workplace == workplace));
        }
        assert!(
            jobs.iter().any(|j| j.description_html.contains("<script>")
                || j.description_html.contains("onerror"))
        );
        assert!(jobs.iter().all(|j| j.description_html.len() > 600));
        assert!(
            jobs.iter()
                .all(|j| j.posted_at <= spec().now && j.posted_at > spec().now - 91 * 86_400)
        );
        assert!(jobs.iter().any(|j| !j.listed));
        let ids: std::collections::HashSet<_> = jobs.iter().map(|j| j.id).collect();
        assert_eq!(ids.len(), jobs.len());
    }
}
