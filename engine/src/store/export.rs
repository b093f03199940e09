//! Export of every job with the user's own fields, as CSV (RFC 4180) or a JSON array, produced
//! page by page so an export of a million jobs streams in constant memory.

use model::Job;
use model::time::rfc3339;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    /// What comes before the first job.
    pub fn header(self) -> String {
        match self {
            ExportFormat::Csv => format!("{}\r\n", CSV_COLUMNS.join(",")),
            ExportFormat::Json => "[".into(),
        }
    }

    /// One job; `first` says whether it opens the list (JSON needs commas between).
    pub fn row(self, job: &Job, first: bool) -> String {
        match self {
            ExportFormat::Csv => csv_row(job),
            ExportFormat::Json => {
                let json = serde_json::to_string(job).expect("a job serializes");
                if first {
                    format!("\n{json}")
                } else {
                    format!(",\n{json}")
                }
            }
        }
    }

    pub fn footer(self) -> String {
        match self {
            ExportFormat::Csv => String::new(),
            ExportFormat::Json => "\n]\n".into(),
        }
    }
}

const CSV_COLUMNS: &[&str] = &[
    "id",
    "title",
    "company",
    "location",
    "remote",
    "employment_type",
    "department",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "posted_at",
    "url",
    "apply_url",
    "source",
    "stage",
    "starred",
    "notes",
    "archived_at",
    "applied_at",
    "first_seen_at",
    "last_seen_at",
    "closed_at",
];

/// A CSV field, quoted when it holds a separator, quote or line break. Fields that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) get a leading `'`.
fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn csv_row(job: &Job) -> String {
    let opt = |v: Option<&str>| v.unwrap_or("").to_owned();
    let time = |t: Option<i64>| t.map(rfc3339).unwrap_or_default();
    let salary = job.salary.as_ref();
    let amount = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let values = [
        job.id.to_string(),
        job.title.clone(),
        job.company.clone(),
        opt(job.location.as_deref()),
        opt(job.remote.map(|r| r.as_str())),
        opt(job.employment_type.map(|e| e.as_str())),
        opt(job.department.as_deref()),
        amount(salary.and_then(|s| s.min)),
        amount(salary.and_then(|s| s.max)),
        opt(salary.and_then(|s| s.currency.as_deref())),
        opt(salary.map(|s| s.period.as_str())),
        time(job.posted_at),
        job.url.clone(),
        opt(job.apply_url.as_deref()),
        job.source.clone(),
        job.stage.to_string(),
        job.starred.to_string(),
        job.notes.clone(),
        time(job.archived_at),
        time(job.applied_at),
        time(Some(job.first_seen_at)),
        time(Some(job.last_seen_at)),
        time(job.closed_at),
    ];
    let mut line = values
        .iter()
        .map(|v| field(v))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-5"), "'-5");
    }
}
