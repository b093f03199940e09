//! Field normalization shared by every source: dates in the many shapes providers send,
//! remote / hybrid / onsite from words, employment types, and trimmed text.

use model::time::{days_from_civil, parse_rfc3339};
use model::{EmploymentType, Remote};

/// Trimmed text, `None` when blank or a known placeholder ("UNAVAILABLE", "N/A").
pub fn clean(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    let placeholder = ["unavailable", "n/a", "null", "none", "-"]
        .iter()
        .any(|p| text.eq_ignore_ascii_case(p));
    (!text.is_empty() && !placeholder).then(|| text.to_owned())
}

/// A date or time as providers write it, in unix seconds (UTC):
/// RFC 3339 with `Z` or an offset, a date-time without zone (taken as UTC), bare and
/// non-zero-padded dates (`2026-4-1`), Recruitee's `2026-03-01 10:00:00 UTC`, and relative
/// phrases (`Posted 3 Days Ago`, `Posted Today`, `2 weeks ago`) counted back from `now`.
pub fn parse_date(text: &str, now: i64) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(secs) = parse_rfc3339(text) {
        return Some(secs);
    }
    let without_zone = text
        .strip_suffix(" UTC")
        .or_else(|| text.strip_suffix(" GMT"))
        .unwrap_or(text);
    if let Some(secs) = parse_rfc3339(&format!("{without_zone}Z")) {
        return Some(secs);
    }
    loose_date(text).or_else(|| relative(text, now))
}

/// `2026-4-1`, optionally followed by a time: year, month and day of any width.
fn loose_date(text: &str) -> Option<i64> {
    let date = text.split(['T', ' ']).next()?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some()
        || !(1000..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400)
}

/// "Posted 3 Days Ago", "30+ days ago", "Posted Yesterday", "an hour ago", "just posted".
fn relative(text: &str, now: i64) -> Option<i64> {
    let lower = text.to_lowercase();
    let lower = lower.trim_start_matches("posted").trim();
    let today = now - now.rem_euclid(86_400);
    match lower {
        "today" | "just now" | "just posted" => return Some(today),
        "yesterday" => return Some(today - 86_400),
        _ => {}
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    let [count, unit, "ago"] = words.as_slice() else {
        return None;
    };
    let count: i64 = match *count {
        "a" | "an" | "one" => 1,
        n => n.trim_end_matches('+').parse().ok()?,
    };
    let unit = unit.trim_end_matches('s');
    let seconds = match unit {
        "minute" | "min" => 60,
        "hour" | "hr" => 3_600,
        "day" => 86_400,
        "week" => 7 * 86_400,
        "month" => 30 * 86_400,
        "year" => 365 * 86_400,
        _ => return None,
    };
    let at = now - count * seconds;
    // Days and longer are only known to the day.
    Some(if seconds >= 86_400 {
        at - at.rem_euclid(86_400)
    } else {
        at
    })
}

/// The pay period a provider's words name: Lever's `per-year-salary`, Ashby's `1 YEAR`,
/// Greenhouse's `Annual Salary:`, Recruitee's `month`, JSON-LD's `HOUR`. `None` when they name
/// none ("one-time", "NONE", empty).
pub fn salary_period(words: &str) -> Option<model::SalaryPeriod> {
    use model::SalaryPeriod::*;
    let lower = words.to_lowercase();
    let has = |w: &str| lower.contains(w);
    Some(if has("hour") {
        Hour
    } else if has("daily") || has("day") {
        Day
    } else if has("week") {
        Week
    } else if has("month") {
        Month
    } else if has("year") || has("annual") || has("annum") {
        Year
    } else {
        return None;
    })
}

/// Epoch milliseconds (Lever's `createdAt`) in seconds; `None` for absurd values.
pub fn from_epoch_ms(ms: i64) -> Option<i64> {
    (ms > 0).then_some(ms / 1_000)
}

/// Remote, hybrid or onsite as a provider spells it in a structured field: `remote`,
/// `Hybrid`, `on-site`, `onsite`, `OnSite`, `on_site`, `In Office`, `TELECOMMUTE`.
pub fn remote_from_field(value: &str) -> Option<Remote> {
    let key: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    match key.as_str() {
        "remote" | "fullyremote" | "telecommute" | "remotefirst" => Some(Remote::Remote),
        "hybrid" | "flexible" => Some(Remote::Hybrid),
        "onsite" | "inoffice" | "office" | "inperson" => Some(Remote::Onsite),
        _ => None,
    }
}

/// Remote or hybrid from free text such as a location ("Remote - Germany", "San Francisco or
/// Remote", "Berlin (Hybrid)"); `None` when the text says nothing, never a guess of onsite.
pub fn remote_from_text(text: &str) -> Option<Remote> {
    let lower = text.to_lowercase();
    let has = |word: &str| {
        lower
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|w| w == word)
    };
    if has("hybrid") {
        Some(Remote::Hybrid)
    } else if has("remote") || has("anywhere") || has("telecommute") || has("wfh") {
        Some(Remote::Remote)
    } else if has("onsite") || has("on-site") || lower.contains("in office") {
        Some(Remote::Onsite)
    } else {
        None
    }
}

/// Employment type from the many spellings: `FULL_TIME`, `FullTime`, `Full-time`, `full`
/// (Workable), `CONTRACTOR`, `Intern`, `permanent`; unknown values (`OTHER`, `正職`) → `None`.
pub fn employment_type(value: &str) -> Option<EmploymentType> {
    let key: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match key.as_str() {
        "fulltime" | "full" | "permanent" | "regular" => EmploymentType::FullTime,
        "parttime" | "part" => EmploymentType::PartTime,
        "contract" | "contractor" | "freelance" | "freelancer" => EmploymentType::Contract,
        "intern" | "internship" | "trainee" => EmploymentType::Internship,
        "temporary" | "temp" | "seasonal" | "fixedterm" => EmploymentType::Temporary,
        // Recruitee's codes: `fulltime_permanent`, `parttime_fixed_term`.
        k if k.ends_with("fixedterm") => EmploymentType::Temporary,
        k if k.starts_with("fulltime") => EmploymentType::FullTime,
        k if k.starts_with("parttime") => EmploymentType::PartTime,
        _ => return None,
    })
}

/// Which currency a bare `$` means where the job is: CAD in Canada, AUD in Australia and so
/// on; `None` (US dollars) when the location names no such country.
pub fn dollar_currency(location: &str) -> Option<&'static str> {
    let lower = location.to_lowercase();
    let has = |word: &str| {
        lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == word)
    };
    const PLACES: &[(&[&str], &str)] = &[
        (
            &[
                "canada",
                "toronto",
                "vancouver",
                "montreal",
                "ottawa",
                "calgary",
            ],
            "CAD",
        ),
        (
            &["australia", "sydney", "melbourne", "brisbane", "perth"],
            "AUD",
        ),
        (&["nz", "zealand", "auckland", "wellington"], "NZD"),
        (&["singapore"], "SGD"),
        (&["hong", "hk"], "HKD"),
        (&["mexico", "méxico"], "MXN"),
    ];
    PLACES
        .iter()
        .filter(|(_, currency)| *currency != "MXN" || !lower.contains("new mexico"))
        .find(|(words, _)| words.iter().any(|w| has(w)))
        .map(|(_, currency)| *currency)
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::time::rfc3339;

    const NOW: i64 = 1_795_000_000; // 2026-11-18T11:06:40Z

    fn date(text: &str) -> Option<String> {
        parse_date(text, NOW).map(rfc3339)
    }

    #[test]
    fn dates_in_every_shape() {
        let day = |s: &str| Some(s.to_owned());
        assert_eq!(
            date("2025-11-25T20:49:51-05:00"),
            day("2025-11-26T01:49:51Z")
        );
        assert_eq!(
            date("2025-12-05T09:00:00.123+09:00"),
            day("2025-12-05T00:00:00Z")
        );
        assert_eq!(date("2025-12-05T09:00:00"), day("2025-12-05T09:00:00Z"));
        assert_eq!(date("2026-4-1"), day("2026-04-01T00:00:00Z"));
        assert_eq!(date("2026-03-01 10:00:00 UTC"), day("2026-03-01T10:00:00Z"));
        assert_eq!(date("Posted 3 Days Ago"), day("2026-11-15T00:00:00Z"));
        assert_eq!(date("Posted 30+ Days Ago"), day("2026-10-19T00:00:00Z"));
        assert_eq!(date("Posted Today"), day("2026-11-18T00:00:00Z"));
        assert_eq!(date("posted yesterday"), day("2026-11-17T00:00:00Z"));
        assert_eq!(date("an hour ago"), day("2026-11-18T10:06:40Z"));
        for bad in [
            "",
            "soon",
            "2026-13-01",
            "2026-02-30x",
            "3 parsecs ago",
            "12/01/2026",
        ] {
            assert_eq!(date(bad), None, "{bad}");
        }
        assert_eq!(from_epoch_ms(1_700_000_000_123), Some(1_700_000_000));
        assert_eq!(from_epoch_ms(0), None);
    }

    #[test]
    fn remote_and_employment_spellings() {
        for (value, want) in [
            ("on-site", Some(Remote::Onsite)),
            ("onsite", Some(Remote::Onsite)),
            ("OnSite", Some(Remote::Onsite)),
            ("on_site", Some(Remote::Onsite)),
            ("TELECOMMUTE", Some(Remote::Remote)),
            ("Hybrid", Some(Remote::Hybrid)),
            ("unspecified", None),
        ] {
            assert_eq!(remote_from_field(value), want, "{value}");
        }
        assert_eq!(remote_from_text("Remote - Germany"), Some(Remote::Remote));
        assert_eq!(
            remote_from_text("San Francisco or Remote"),
            Some(Remote::Remote)
        );
        assert_eq!(remote_from_text("Berlin (Hybrid)"), Some(Remote::Hybrid));
        assert_eq!(
            remote_from_text("Remotely, Texas"),
            None,
            "whole words only"
        );
        assert_eq!(remote_from_text("Berlin, Germany"), None);
        assert_eq!(employment_type("FULL_TIME"), Some(EmploymentType::FullTime));
        assert_eq!(employment_type("Full-time"), Some(EmploymentType::FullTime));
        assert_eq!(employment_type("full"), Some(EmploymentType::FullTime));
        assert_eq!(
            employment_type("CONTRACTOR"),
            Some(EmploymentType::Contract)
        );
        assert_eq!(employment_type("Intern"), Some(EmploymentType::Internship));
        assert_eq!(employment_type("OTHER"), None);
        assert_eq!(
            employment_type("fulltime_permanent"),
            Some(EmploymentType::FullTime)
        );
        assert_eq!(
            employment_type("fulltime_fixed_term"),
            Some(EmploymentType::Temporary)
        );
        assert_eq!(employment_type("正職"), None);
        assert_eq!(dollar_currency("Toronto, ON"), Some("CAD"));
        assert_eq!(dollar_currency("Remote - Australia"), Some("AUD"));
        assert_eq!(dollar_currency("New York, NY"), None);
        assert_eq!(dollar_currency("Santa Fe, New Mexico"), None);
        assert_eq!(clean(Some("  UNAVAILABLE ")), None);
        use model::SalaryPeriod::*;
        for (words, period) in [
            ("per-year-salary", Some(Year)),
            ("per-hour-wage", Some(Hour)),
            ("1 YEAR", Some(Year)),
            ("1 MONTH", Some(Month)),
            ("Annual Salary:", Some(Year)),
            ("Hourly Pay", Some(Hour)),
            ("DAY", Some(Day)),
            ("one-time", None),
            ("NONE", None),
        ] {
            assert_eq!(salary_period(words), period, "{words}");
        }
        assert_eq!(clean(Some(" Berlin ")), Some("Berlin".into()));
    }
}
