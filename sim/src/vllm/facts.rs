//! What the stand-in model "reads" in a page: the simulated jobs the text refers to. A real
//! model extracts values from the text; the simulator finds which of its own jobs the text
//! shows (by job URL, else by company name and job title) and answers with their true values,
//! so tests can assert exactly what extraction should produce.

use crate::dates::date;
use crate::providers::plain_text;
use crate::world::{Company, Employment, Job, Workplace, World};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The facts of one job as a model would report them.
#[derive(Debug, Clone, PartialEq)]
pub struct JobFacts {
    pub title: String,
    pub company: String,
    pub url: String,
    pub location: String,
    pub city: String,
    pub country: String,
    pub country_code: String,
    pub department: String,
    pub workplace: Option<&'static str>,
    pub employment: &'static str,
    pub salary: Option<(u64, u64, &'static str, &'static str)>,
    pub date_posted: String,
    pub description: String,
}

/// Characters of the description a model returns as its summary.
const SUMMARY_CHARS: usize = 300;

impl JobFacts {
    pub fn of(company: &Company, job: &Job, base: &str) -> Self {
        let workplace = match job.workplace {
            Workplace::OnSite => Some("on_site"),
            Workplace::Hybrid => Some("hybrid"),
            Workplace::Remote => Some("remote"),
            Workplace::Unspecified => None,
        };
        let location = match job.workplace {
            Workplace::Remote => format!("Remote ({})", job.location.country),
            _ => job.location.display(),
        };
        let salary = job.salary.as_ref().map(|s| {
            let period = match s.period {
                crate::world::Period::Hour => "hour",
                crate::world::Period::Month => "month",
                crate::world::Period::Year => "year",
            };
            (s.min, s.max, s.currency, period)
        });
        Self {
            title: job.title.trim().to_owned(),
            company: company.name.clone(),
            url: format!("{base}/careers/{}/jobs/{}", company.slug, job.id),
            location,
            city: job.location.city.to_owned(),
            country: job.location.country.to_owned(),
            country_code: job.location.country_code.to_owned(),
            department: job.department.to_owned(),
            workplace,
            employment: match job.employment {
                Employment::FullTime => "full_time",
                Employment::PartTime => "part_time",
                Employment::Contract => "contract",
                Employment::Internship => "internship",
                Employment::Temporary => "temporary",
            },
            salary,
            date_posted: date(job.posted_at),
            description: summary(&plain_text(&job.description_html)),
        }
    }

    /// What a page that is not one of the simulator's shows: its first line as the title and
    /// its opening as the description; everything else unknown.
    pub fn from_text(text: &str) -> Self {
        let title = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
            .chars()
            .take(120)
            .collect();
        Self {
            title,
            company: String::new(),
            url: String::new(),
            location: String::new(),
            city: String::new(),
            country: String::new(),
            country_code: String::new(),
            department: String::new(),
            workplace: None,
            employment: "",
            salary: None,
            date_posted: String::new(),
            description: summary(text),
        }
    }

    /// The value for a schema property, by the names extraction schemas commonly use.
    /// `None` when the page does not say.
    pub fn field(&self, name: &str) -> Option<Value> {
        let key: String = name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let text = |s: &str| (!s.is_empty()).then(|| json!(s));
        let salary = self.salary;
        match key.as_str() {
            "title" | "jobtitle" | "name" | "position" | "role" => text(&self.title),
            "company" | "companyname" | "hiringorganization" | "organization" | "employer" => {
                text(&self.company)
            }
            "url" | "joburl" | "applyurl" | "link" | "href" | "applicationurl" | "joblink"
            | "detailurl" | "sourceurl" => text(&self.url),
            "location" | "joblocation" | "locationtext" => text(&self.location),
            "city" | "locality" | "addresslocality" => text(&self.city),
            "country" | "addresscountry" => text(&self.country),
            "countrycode" => text(&self.country_code),
            "department" | "team" | "category" => text(&self.department),
            "description" | "summary" | "descriptiontext" => text(&self.description),
            "remote" | "isremote" => Some(json!(self.workplace == Some("remote"))),
            "workplace" | "workplacetype" | "remotetype" | "locationtype" | "worktype" => {
                self.workplace.map(|w| json!(w))
            }
            "employmenttype" | "jobtype" | "employment" | "type" | "commitment" => {
                text(self.employment)
            }
            "salarymin" | "minsalary" | "salaryfrom" | "compensationmin" | "min" | "minamount"
            | "minvalue" | "basesalarymin" => salary.map(|s| json!(s.0)),
            "salarymax" | "maxsalary" | "salaryto" | "compensationmax" | "max" | "maxamount"
            | "maxvalue" | "basesalarymax" => salary.map(|s| json!(s.1)),
            "currency" | "salarycurrency" | "currencycode" => salary.map(|s| json!(s.2)),
            "period" | "salaryperiod" | "payperiod" | "unittext" | "salaryunit" | "interval"
            | "salaryinterval" => salary.map(|s| json!(s.3)),
            "dateposted" | "postedat" | "posted" | "publishedat" | "date" | "postingdate"
            | "postedon" | "publishedon" => text(&self.date_posted),
            _ => None,
        }
    }
}

fn summary(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= SUMMARY_CHARS {
        return text;
    }
    let cut: String = text.chars().take(SUMMARY_CHARS).collect();
    match cut.rfind(' ') {
        Some(space) => format!("{}…", &cut[..space]),
        None => cut,
    }
}

/// The simulated jobs `text` shows, in the order it shows them: by their URLs when the text
/// carries links (`/careers/{slug}/jobs/{id}`), else by title, among the companies the text
/// names (or all companies when it names none).
pub fn find(world: &World, base: &str, text: &str) -> Vec<JobFacts> {
    let by_url = by_url(world, base, text);
    if !by_url.is_empty() {
        return by_url;
    }
    by_title(world, base, text)
}

fn by_url(world: &World, base: &str, text: &str) -> Vec<JobFacts> {
    let mut found: Vec<(&str, u64)> = Vec::new();
    for (at, _) in text.match_indices("/careers/") {
        let rest = &text[at + "/careers/".len()..];
        let Some((slug, rest)) = rest.split_once("/jobs/") else {
            continue;
        };
        if slug.is_empty() || slug.contains(|c: char| c == '/' || c.is_whitespace()) {
            continue;
        }
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(id) = digits.parse::<u64>()
            && !found.contains(&(slug, id))
        {
            found.push((slug, id));
        }
    }
    found
        .into_iter()
        .filter_map(|(slug, id)| {
            let company = world.companies.iter().find(|c| c.slug == slug)?;
            let job = company.jobs.iter().find(|j| j.id == id)?;
            Some(JobFacts::of(company, job, base))
        })
        .collect()
}

fn by_title(world: &World, base: &str, text: &str) -> Vec<JobFacts> {
    let named: Vec<&Company> = world
        .companies
        .iter()
        .filter(|c| text.contains(&c.name))
        .collect();
    let candidates: Vec<&Company> = if named.is_empty() {
        world.companies.iter().collect()
    } else {
        named
    };
    // One candidate per distinct title (the first company listing it), so scanning a large
    // world costs one substring search per title, not per job.
    let mut titles: BTreeMap<&str, (&Company, &Job)> = BTreeMap::new();
    for company in candidates {
        for job in company.jobs.iter().filter(|j| j.listed) {
            titles.entry(job.title.trim()).or_insert((company, job));
        }
    }
    // Longest titles first, so "Recruiter" inside "Senior Recruiter" is not a second job,
    // while "Recruiter" standing on its own line still is.
    let mut by_length: Vec<&str> = titles.keys().copied().collect();
    by_length.sort_by_key(|t| std::cmp::Reverse(t.len()));
    let mut covered: Vec<(usize, usize)> = Vec::new();
    let mut hits: Vec<(usize, &str)> = Vec::new();
    for title in by_length {
        let spans: Vec<(usize, usize)> = text
            .match_indices(title)
            .map(|(at, _)| (at, at + title.len()))
            .collect();
        if let Some(&(at, _)) = spans
            .iter()
            .find(|(a, b)| !covered.iter().any(|(x, y)| x <= a && b <= y))
        {
            hits.push((at, title));
        }
        covered.extend(spans);
    }
    hits.sort();
    hits.into_iter()
        .map(|(_, title)| {
            let (company, job) = titles[title];
            JobFacts::of(company, job, base)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::WorldSpec;

    fn world() -> World {
        World::generate(&WorldSpec {
            seed: 3,
            companies: 16,
            jobs_per_company: 5,
            now: 1_780_000_000,
        })
    }

    #[test]
    fn finds_jobs_by_url_in_page_order() {
        let world = world();
        let company = &world.companies[0];
        let (a, b) = (&company.jobs[1], &company.jobs[0]);
        let text = format!(
            "Openings\n[{}](http://sim/careers/{slug}/jobs/{}) and /careers/{slug}/jobs/{}/apply, \
             again /careers/{slug}/jobs/{}",
            a.title,
            a.id,
            b.id,
            a.id,
            slug = company.slug
        );
        let found = find(&world, "http://sim", &text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].title, a.title.trim());
        assert_eq!(
            found[1].url,
            format!("http://sim/careers/{}/jobs/{}", company.slug, b.id)
        );
    }

    #[test]
    fn finds_a_job_by_company_and_title() {
        let world = world();
        let company = &world.companies[5];
        let job = &company.jobs[2];
        let text = format!(
            "{} careers\n{}\nLocation: somewhere",
            company.name, job.title
        );
        let found = find(&world, "http://sim", &text);
        assert_eq!(
            found.first().map(|f| f.company.as_str()),
            Some(company.name.as_str())
        );
        assert_eq!(found[0].title, job.title.trim());
        assert_eq!(found[0].field("job_title"), Some(json!(job.title.trim())));
        assert_eq!(found[0].field("companyName"), Some(json!(company.name)));
    }

    #[test]
    fn unknown_text_has_a_title_and_nothing_invented() {
        let facts = JobFacts::from_text("\n  Night Baker  \nWe bake bread at night.");
        assert_eq!(facts.field("title"), Some(json!("Night Baker")));
        assert_eq!(facts.field("salary_min"), None);
        assert_eq!(facts.field("location"), None);
        assert_eq!(facts.field("no_such_field"), None);
    }
}
