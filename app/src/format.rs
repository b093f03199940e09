//! How numbers, money and dates read on screen: salaries in their own currency and period,
//! ages as "3 d" with the exact date beside them.

use model::{Salary, SalaryPeriod};

/// Seconds since the Unix epoch, on the server and in the browser.
pub fn now_secs() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        (leptos::web_sys::js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    }
}

/// "3 d", "5 h", "2 mo": how long ago `at` was.
pub fn age(at: i64, now: i64) -> String {
    let secs = (now - at).max(0);
    match secs {
        s if s < 3_600 => format!("{} min", (s / 60).max(1)),
        s if s < 86_400 => format!("{} h", s / 3_600),
        s if s < 60 * 86_400 => format!("{} d", s / 86_400),
        s if s < 365 * 86_400 => format!("{} mo", s / (30 * 86_400)),
        s => format!("{} y", s / (365 * 86_400)),
    }
}

/// "2026-11-28 14:05 UTC", for tooltips and detail views.
pub fn exact(at: i64) -> String {
    let stamp = model::time::rfc3339(at);
    format!("{} {} UTC", &stamp[..10], &stamp[11..16])
}

fn symbol(currency: Option<&str>) -> (&'static str, String) {
    match currency {
        Some("USD") => ("$", String::new()),
        Some("EUR") => ("€", String::new()),
        Some("GBP") => ("£", String::new()),
        Some("JPY") => ("¥", String::new()),
        Some("INR") => ("₹", String::new()),
        Some("CAD") => ("CA$", String::new()),
        Some("AUD") => ("A$", String::new()),
        Some(other) => ("", format!(" {other}")),
        None => ("", String::new()),
    }
}

/// A yearly amount without currency: "65k", "1.2M".
pub fn salary_amount(value: f64) -> String {
    amount(value)
}

/// 65000 → "65k", 72500 → "72.5k", 1200000 → "1.2M", 45.5 → "45.50", 45 → "45".
fn amount(value: f64) -> String {
    let trim = |s: String| {
        s.strip_suffix(".0")
            .map(str::to_owned)
            .unwrap_or_else(|| s.clone())
    };
    if value >= 1_000_000.0 {
        format!("{}M", trim(format!("{:.1}", value / 1_000_000.0)))
    } else if value >= 1_000.0 {
        format!("{}k", trim(format!("{:.1}", value / 1_000.0)))
    } else if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// "€65–80k / year", "$45 / hour", "from £50k / year", "up to 90k CHF / year".
pub fn salary(salary: &Salary) -> String {
    let (prefix, suffix) = symbol(salary.currency.as_deref());
    let period = match salary.period {
        SalaryPeriod::Hour => "hour",
        SalaryPeriod::Day => "day",
        SalaryPeriod::Week => "week",
        SalaryPeriod::Month => "month",
        SalaryPeriod::Year => "year",
    };
    let range = match (salary.min, salary.max) {
        (Some(min), Some(max)) if (min - max).abs() < f64::EPSILON => {
            format!("{prefix}{}{suffix}", amount(min))
        }
        (Some(min), Some(max)) => {
            let (low, high) = (amount(min), amount(max));
            // "65k–80k" reads better as "65–80k" when both share the unit.
            let low = match (low.chars().last(), high.chars().last()) {
                (Some(a), Some(b)) if a == b && !a.is_ascii_digit() => {
                    low[..low.len() - 1].to_string()
                }
                _ => low,
            };
            format!("{prefix}{low}–{high}{suffix}")
        }
        (Some(min), None) => format!("from {prefix}{}{suffix}", amount(min)),
        (None, Some(max)) => format!("up to {prefix}{}{suffix}", amount(max)),
        (None, None) => return String::new(),
    };
    format!("{range} / {period}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pay(
        min: Option<f64>,
        max: Option<f64>,
        currency: Option<&str>,
        period: SalaryPeriod,
    ) -> String {
        salary(&Salary {
            min,
            max,
            currency: currency.map(str::to_owned),
            period,
        })
    }

    #[test]
    fn salaries_read_in_their_own_currency_and_period() {
        use SalaryPeriod::*;
        assert_eq!(
            pay(Some(65_000.0), Some(80_000.0), Some("EUR"), Year),
            "€65–80k / year"
        );
        assert_eq!(pay(Some(45.0), Some(45.0), Some("USD"), Hour), "$45 / hour");
        assert_eq!(
            pay(Some(50_000.0), None, Some("GBP"), Year),
            "from £50k / year"
        );
        assert_eq!(
            pay(None, Some(90_000.0), Some("CHF"), Year),
            "up to 90k CHF / year"
        );
        assert_eq!(
            pay(Some(72_500.0), Some(1_200_000.0), None, Year),
            "72.5k–1.2M / year"
        );
        assert_eq!(
            pay(Some(22.5), Some(30.0), Some("CAD"), Hour),
            "CA$22.50–30 / hour"
        );
    }

    #[test]
    fn ages_are_short() {
        let now = 1_800_000_000;
        assert_eq!(age(now - 30, now), "1 min");
        assert_eq!(age(now - 5 * 3_600, now), "5 h");
        assert_eq!(age(now - 3 * 86_400, now), "3 d");
        assert_eq!(age(now - 90 * 86_400, now), "3 mo");
        assert_eq!(age(now - 800 * 86_400, now), "2 y");
        assert_eq!(age(now + 100, now), "1 min", "clock skew is not negative");
        assert_eq!(exact(1_764_338_700), "2025-11-28 14:05 UTC");
    }
}
