//! Careers-URL detection: what a person pastes (with or without scheme, path or query) →
//! the ATS provider and board token, or "some other site" to fetch and inspect.

use serde::{Deserialize, Serialize};

/// Where a company's jobs are collected from; spelled as in the `companies.provider` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Greenhouse,
    Lever,
    LeverEu,
    Ashby,
    Workable,
    SmartRecruiters,
    Recruitee,
    /// A careers site read through its schema.org JSON-LD.
    JsonLd,
    /// A careers site read by the LLM extractor.
    Llm,
}

impl Provider {
    pub const ALL: [Provider; 9] = [
        Provider::Greenhouse,
        Provider::Lever,
        Provider::LeverEu,
        Provider::Ashby,
        Provider::Workable,
        Provider::SmartRecruiters,
        Provider::Recruitee,
        Provider::JsonLd,
        Provider::Llm,
    ];

    /// The provider a `companies.provider` value names.
    pub fn parse(name: &str) -> Option<Provider> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// The provider's name as people know it.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Greenhouse => "Greenhouse",
            Provider::Lever => "Lever",
            Provider::LeverEu => "Lever (EU)",
            Provider::Ashby => "Ashby",
            Provider::Workable => "Workable",
            Provider::SmartRecruiters => "SmartRecruiters",
            Provider::Recruitee => "Recruitee",
            Provider::JsonLd | Provider::Llm => "the careers site",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Greenhouse => "greenhouse",
            Provider::Lever => "lever",
            Provider::LeverEu => "lever_eu",
            Provider::Ashby => "ashby",
            Provider::Workable => "workable",
            Provider::SmartRecruiters => "smartrecruiters",
            Provider::Recruitee => "recruitee",
            Provider::JsonLd => "jsonld",
            Provider::Llm => "llm",
        }
    }
}

/// What a pasted URL is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Detected {
    /// A known ATS board.
    Board { provider: Provider, token: String },
    /// Any other site: to be fetched once to look for an embedded ATS, JSON-LD, or else the LLM.
    Site { url: String },
}

/// Why a pasted text is not a careers URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DetectError {
    #[error("paste a web address, such as https://boards.greenhouse.io/acme")]
    Empty,
    #[error("`{0}` is not a web address (http or https)")]
    NotWeb(String),
    #[error(
        "`{url}` is a {provider} address, but it names no board; paste the company's board, such as {example}"
    )]
    NoBoard {
        url: String,
        provider: &'static str,
        example: &'static str,
    },
}

/// Recognises `input`. A URL without a scheme is read as https.
pub fn detect(input: &str) -> Result<Detected, DetectError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(DetectError::Empty);
    }
    let (scheme, rest) = match input.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("https".to_owned(), input),
    };
    if scheme != "http" && scheme != "https" {
        return Err(DetectError::NotWeb(input.to_owned()));
    }
    let rest = rest.split('#').next().unwrap_or("");
    let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = location.split_once('/').unwrap_or((location, ""));
    // user:pass@host:port → host
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    if host.is_empty() || !host.contains('.') || host.contains(char::is_whitespace) {
        return Err(DetectError::NotWeb(input.to_owned()));
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let param = |name: &str| {
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name && !value.is_empty()).then(|| value.to_owned())
        })
    };
    let board = |provider: Provider, token: Option<String>, example: &'static str| match token {
        Some(token) => Ok(Detected::Board { provider, token }),
        None => Err(DetectError::NoBoard {
            url: input.to_owned(),
            provider: provider.as_str(),
            example,
        }),
    };
    let first = segments.first().map(|s| (*s).to_owned());
    match host {
        "boards.greenhouse.io"
        | "job-boards.greenhouse.io"
        | "boards.eu.greenhouse.io"
        | "job-boards.eu.greenhouse.io" => {
            // The embed form names the board in `for=`.
            let token = match segments.as_slice() {
                ["embed", ..] => param("for"),
                _ => first,
            };
            board(
                Provider::Greenhouse,
                token,
                "https://boards.greenhouse.io/acme",
            )
        }
        "boards-api.greenhouse.io" | "api.greenhouse.io" => {
            let token = match segments.as_slice() {
                ["v1", "boards", token, ..] => Some((*token).to_owned()),
                _ => None,
            };
            board(
                Provider::Greenhouse,
                token,
                "https://boards.greenhouse.io/acme",
            )
        }
        "jobs.lever.co" => board(Provider::Lever, first, "https://jobs.lever.co/acme"),
        "jobs.eu.lever.co" => board(Provider::LeverEu, first, "https://jobs.eu.lever.co/acme"),
        "jobs.ashbyhq.com" => board(Provider::Ashby, first, "https://jobs.ashbyhq.com/acme"),
        "apply.workable.com" => {
            let token = first.filter(|s| s != "api" && s != "j");
            board(Provider::Workable, token, "https://apply.workable.com/acme")
        }
        "careers.smartrecruiters.com" | "jobs.smartrecruiters.com" => board(
            Provider::SmartRecruiters,
            first,
            "https://careers.smartrecruiters.com/Acme",
        ),
        _ => match host.strip_suffix(".recruitee.com") {
            Some(company) if !company.is_empty() && !company.contains('.') => Ok(Detected::Board {
                provider: Provider::Recruitee,
                token: company.to_owned(),
            }),
            _ => Ok(Detected::Site {
                url: format!(
                    "{scheme}://{location}{}",
                    if query.is_empty() {
                        String::new()
                    } else {
                        format!("?{query}")
                    }
                ),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board(provider: Provider, token: &str) -> Result<Detected, DetectError> {
        Ok(Detected::Board {
            provider,
            token: token.to_owned(),
        })
    }

    #[test]
    fn known_boards_in_every_form() {
        use Provider::*;
        let cases = [
            ("https://boards.greenhouse.io/acme", Greenhouse, "acme"),
            (
                "boards.greenhouse.io/acme/jobs/4012345?gh_src=x",
                Greenhouse,
                "acme",
            ),
            ("https://job-boards.greenhouse.io/acme", Greenhouse, "acme"),
            (
                "https://job-boards.eu.greenhouse.io/acme/jobs/1",
                Greenhouse,
                "acme",
            ),
            (
                "https://boards.greenhouse.io/embed/job_board?for=acme&b=x",
                Greenhouse,
                "acme",
            ),
            (
                "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
                Greenhouse,
                "acme",
            ),
            (
                "HTTPS://JOBS.LEVER.CO/acme/3f6e?lever-source=x",
                Lever,
                "acme",
            ),
            ("jobs.eu.lever.co/acme", LeverEu, "acme"),
            ("https://jobs.ashbyhq.com/Serval/abc-123", Ashby, "Serval"),
            (
                "https://apply.workable.com/acme/j/ABCDEF1234/",
                Workable,
                "acme",
            ),
            (
                "https://careers.smartrecruiters.com/Acme1",
                SmartRecruiters,
                "Acme1",
            ),
            (
                "https://jobs.smartrecruiters.com/Acme1/743999-engineer",
                SmartRecruiters,
                "Acme1",
            ),
            (
                "https://acme.recruitee.com/o/backend-engineer",
                Recruitee,
                "acme",
            ),
            ("acme.recruitee.com", Recruitee, "acme"),
        ];
        for (input, provider, token) in cases {
            assert_eq!(detect(input), board(provider, token), "{input}");
        }
    }

    #[test]
    fn other_sites_and_bad_input() {
        assert_eq!(
            detect("https://acme.example/careers?team=eng#open"),
            Ok(Detected::Site {
                url: "https://acme.example/careers?team=eng".into()
            })
        );
        assert_eq!(
            detect("www.acme.example"),
            Ok(Detected::Site {
                url: "https://www.acme.example".into()
            })
        );
        assert_eq!(detect("  "), Err(DetectError::Empty));
        assert!(matches!(
            detect("ftp://acme.example"),
            Err(DetectError::NotWeb(_))
        ));
        assert!(matches!(detect("not a url"), Err(DetectError::NotWeb(_))));
        assert!(matches!(
            detect("javascript:alert(1)"),
            Err(DetectError::NotWeb(_))
        ));
        let err = detect("https://jobs.lever.co/").unwrap_err();
        assert!(matches!(
            err,
            DetectError::NoBoard {
                provider: "lever",
                ..
            }
        ));
        assert!(
            err.to_string().contains("https://jobs.lever.co/acme"),
            "{err}"
        );
        assert!(matches!(
            detect("https://boards.greenhouse.io/embed/job_board"),
            Err(DetectError::NoBoard { .. })
        ));
    }
}
