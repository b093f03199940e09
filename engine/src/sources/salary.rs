//! Salaries written in prose, for postings without a structured salary: "$120,000 – $150,000 a
//! year", "£45k-55k", "€60.000 bis 75.000 pro Jahr"-style grouping, "A$90k", "¥5,000,000",
//! "USD 50–60/hour". Equity, bonus and commission amounts are skipped, and a bare `$` is only
//! US dollars when nothing says otherwise.

use model::{Salary, SalaryPeriod};

/// Currency marks, longest first so `A$` wins over `$`.
const MARKS: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("CA$", "CAD"),
    ("AU$", "AUD"),
    ("NZ$", "NZD"),
    ("S$", "SGD"),
    ("HK$", "HKD"),
    ("A$", "AUD"),
    ("C$", "CAD"),
    ("$", "$"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("¥", "JPY"),
    ("₹", "INR"),
];

const CODES: &[&str] = &[
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SGD", "HKD", "JPY", "INR", "SEK", "NOK",
    "DKK", "PLN", "CZK", "ILS", "BRL", "MXN", "ZAR",
];

/// Words near an amount that make it something other than the base salary.
const NOT_SALARY: &[&str] = &[
    "equity",
    "bonus",
    "stock",
    "rsu",
    "commission",
    "sign-on",
    "signing",
    "401",
    "stipend",
    "allowance",
    "reimburse",
    "budget",
    "revenue",
    "funding",
    "raised",
    "valuation",
    "series",
];

#[derive(Debug, Clone, Copy, PartialEq)]
struct Amount {
    value: f64,
    start: usize,
    end: usize,
}

/// The first base-salary range or amount in `text`. `dollar` says which currency a bare `$`
/// means (from the posting's location or country), `USD` when `None`.
pub fn from_text(text: &str, dollar: Option<&str>) -> Option<Salary> {
    // ASCII lower-casing keeps byte offsets equal to those in `text`.
    let lower = text.to_ascii_lowercase();
    let mut at = 0;
    while let Some((currency, first)) = next_money(text, at) {
        at = first.end;
        // A range: "X - Y", "X to Y", "X–Y", the second amount with or without its mark.
        let after = &text[first.end..];
        let trimmed = after.trim_start();
        let dash = ["-", "–", "—", "to ", "and "]
            .iter()
            .find(|d| trimmed.starts_with(**d))
            .map(|d| first.end + (after.len() - trimmed.len()) + d.len());
        let second = dash.and_then(|from| {
            let rest = &text[from..];
            let skip = rest.len() - rest.trim_start().len();
            let from = from + skip;
            let rest = &text[from..];
            let mark = MARKS
                .iter()
                .find(|(m, _)| rest.starts_with(m))
                .map_or(0, |(m, _)| m.len());
            let code = CODES
                .iter()
                .find(|c| rest.starts_with(**c))
                .map_or(0, |c| c.len());
            let from = from + mark + code;
            let from = from + (text[from..].len() - text[from..].trim_start().len());
            number(text, from)
        });
        let end = second.map_or(first.end, |s| s.end);
        // What the amount is for: the words just before it in its sentence ("signing bonus
        // of $10,000", "we raised $40M"), or the word right after it ("$10,000 signing bonus",
        // "$40M in funding"). "+ equity" after a salary is an addition, not its subject.
        let before_start = floor_char(&lower, first.start.saturating_sub(30));
        let before = &lower[before_start..first.start];
        let before = before.rfind(". ").map_or(before, |dot| &before[dot + 2..]);
        let after = lower[end..].trim_start();
        let after = ["in ", "of ", "worth of "]
            .iter()
            .find_map(|filler| after.strip_prefix(filler))
            .unwrap_or(after);
        let subject: Vec<&str> = match after.split_whitespace().next() {
            // "+ equity", "plus bonus": added to the salary, not what it is.
            Some("+" | "plus" | "and" | "&") | None => Vec::new(),
            Some(_) => after.split_whitespace().take(2).collect(),
        };
        let about = |w: &&str| before.contains(*w) || subject.iter().any(|s| s.starts_with(*w));
        if NOT_SALARY.iter().any(about) {
            continue;
        }
        let (mut min, mut max) = match second {
            Some(s) => (first.value, s.value),
            None => (first.value, first.value),
        };
        // "120-150k": the suffix on the second amount applies to the first.
        if max >= 1000.0 && min < 1000.0 && max / 1000.0 >= min && min * 1000.0 <= max * 1.5 {
            min *= 1000.0;
        }
        if min > max {
            std::mem::swap(&mut min, &mut max);
        }
        if min <= 0.0 {
            continue;
        }
        let tail_end = ceil_char(&lower, (end + 60).min(lower.len()));
        let period = period_in(&lower[end.min(tail_end)..tail_end]).unwrap_or(if max < 300.0 {
            SalaryPeriod::Hour
        } else if max < 20_000.0 && currency != "JPY" && currency != "INR" {
            SalaryPeriod::Month
        } else {
            SalaryPeriod::Year
        });
        let currency = match currency.as_str() {
            "$" => dollar.unwrap_or("USD").to_owned(),
            code => code.to_owned(),
        };
        return Some(Salary {
            min: Some(min),
            max: Some(max),
            currency: Some(currency),
            period,
        });
    }
    None
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

fn period_in(tail: &str) -> Option<SalaryPeriod> {
    let rules: &[(&[&str], SalaryPeriod)] = &[
        (
            &["per hour", "/hour", "/hr", "an hour", "hourly", "/h "],
            SalaryPeriod::Hour,
        ),
        (&["per day", "/day", "a day", "daily"], SalaryPeriod::Day),
        (
            &["per week", "/week", "/wk", "a week", "weekly"],
            SalaryPeriod::Week,
        ),
        (
            &["per month", "/month", "/mo", "a month", "monthly"],
            SalaryPeriod::Month,
        ),
        (
            &[
                "per year",
                "/year",
                "/yr",
                "a year",
                "annual",
                "per annum",
                "p.a",
                "yearly",
            ],
            SalaryPeriod::Year,
        ),
    ];
    rules
        .iter()
        .filter_map(|(words, period)| {
            words
                .iter()
                .filter_map(|w| tail.find(w))
                .min()
                .map(|at| (at, *period))
        })
        .min_by_key(|(at, _)| *at)
        .map(|(_, period)| period)
}

/// The next amount with a currency mark or code next to it, from byte `from`.
fn next_money(text: &str, from: usize) -> Option<(String, Amount)> {
    let mut at = from;
    while at < text.len() {
        let rest = &text[at..];
        if let Some((mark, currency)) = MARKS.iter().find(|(m, _)| rest.starts_with(m)) {
            let start = at + mark.len();
            let start = start + (text[start..].len() - text[start..].trim_start().len());
            if let Some(amount) = number(text, start) {
                return Some(((*currency).to_owned(), amount));
            }
        }
        if let Some(code) = CODES.iter().find(|c| rest.starts_with(**c)) {
            let boundary = at == 0 || !text[..at].ends_with(|c: char| c.is_alphanumeric());
            let start = at + code.len();
            let spaced = start + (text[start..].len() - text[start..].trim_start().len());
            if boundary && let Some(amount) = number(text, spaced) {
                return Some(((*code).to_owned(), amount));
            }
        }
        // "50,000 EUR": a number followed by a code.
        if rest.starts_with(|c: char| c.is_ascii_digit())
            && (at == 0
                || !text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '.' || c == ','))
            && let Some(amount) = number(text, at)
        {
            let after = text[amount.end..].trim_start();
            if let Some(code) = CODES.iter().find(|c| after.starts_with(**c)) {
                // The code belongs to the amount: a range continues after it.
                let end = text.len() - after.len() + code.len();
                return Some(((*code).to_owned(), Amount { end, ..amount }));
            }
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// A number at byte `start`: digits with `,` `.` `'` or space grouping, an optional decimal
/// part, an optional `k`/`K` (thousands) or `m`/`M` (millions) suffix.
fn number(text: &str, start: usize) -> Option<Amount> {
    let bytes = text.as_bytes();
    if !bytes.get(start)?.is_ascii_digit() {
        return None;
    }
    let mut end = start;
    while end < bytes.len()
        && (bytes[end].is_ascii_digit()
            || (matches!(bytes[end], b',' | b'.' | b'\'')
                && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)))
    {
        end += 1;
    }
    let raw = &text[start..end];
    // A separator followed by exactly three digits groups thousands; otherwise it is decimal.
    let mut digits = String::new();
    let parts: Vec<&str> = raw.split([',', '.', '\'']).collect();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 && (part.len() != 3 || i == parts.len() - 1 && part.len() != 3) {
            digits.push('.');
        }
        digits.push_str(part);
    }
    let mut value: f64 = digits.parse().ok()?;
    let suffix = text[end..].chars().next();
    let mut stop = end;
    match suffix {
        Some('k' | 'K') if !text[end + 1..].starts_with(|c: char| c.is_alphabetic()) => {
            value *= 1_000.0;
            stop += 1;
        }
        Some('m' | 'M')
            if !text[end + 1..].starts_with(|c: char| c.is_alphabetic()) && value < 100.0 =>
        {
            value *= 1_000_000.0;
            stop += 1;
        }
        _ => {}
    }
    Some(Amount {
        value,
        start,
        end: stop,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<(f64, f64, String, SalaryPeriod)> {
        from_text(text, None).map(|s| {
            (
                s.min.unwrap(),
                s.max.unwrap(),
                s.currency.unwrap(),
                s.period,
            )
        })
    }

    #[test]
    fn ranges_codes_and_periods() {
        use SalaryPeriod::*;
        let cases = [
            (
                "The salary range is $120,000 - $150,000 per year.",
                (120_000.0, 150_000.0, "USD", Year),
            ),
            ("Pay: £45k-55k", (45_000.0, 55_000.0, "GBP", Year)),
            (
                "Compensation: €60.000 to €75.000 annually",
                (60_000.0, 75_000.0, "EUR", Year),
            ),
            ("A$90k – A$110k + super", (90_000.0, 110_000.0, "AUD", Year)),
            ("C$40/hour", (40.0, 40.0, "CAD", Hour)),
            ("USD 50–60/hour, remote", (50.0, 60.0, "USD", Hour)),
            (
                "¥5,000,000 - ¥8,000,000",
                (5_000_000.0, 8_000_000.0, "JPY", Year),
            ),
            (
                "₹1,200,000 per annum",
                (1_200_000.0, 1_200_000.0, "INR", Year),
            ),
            (
                "Salary 50,000 EUR to 60,000 EUR",
                (50_000.0, 60_000.0, "EUR", Year),
            ),
            ("CHF 8'500 per month", (8_500.0, 8_500.0, "CHF", Month)),
            ("$120-150k base", (120_000.0, 150_000.0, "USD", Year)),
        ];
        for (text, (min, max, currency, period)) in cases {
            assert_eq!(
                parse(text),
                Some((min, max, currency.to_owned(), period)),
                "{text}"
            );
        }
    }

    #[test]
    fn equity_bonus_and_company_facts_are_not_salary() {
        assert_eq!(parse("We raised $40M in Series B funding."), None);
        assert_eq!(parse("Plus a $10,000 signing bonus."), None);
        assert_eq!(
            parse("A $5,000 learning budget. Base pay $130,000 - $160,000."),
            Some((130_000.0, 160_000.0, "USD".into(), SalaryPeriod::Year))
        );
        assert_eq!(
            parse("$130,000 - $160,000 + equity and a $10,000 bonus"),
            Some((130_000.0, 160_000.0, "USD".into(), SalaryPeriod::Year))
        );
        assert_eq!(parse("No numbers here"), None);
        assert_eq!(parse("Join 500 engineers in 12 offices"), None);
    }

    #[test]
    fn a_bare_dollar_follows_the_location() {
        let salary = from_text("$90,000 - $110,000", Some("CAD")).unwrap();
        assert_eq!(salary.currency.as_deref(), Some("CAD"));
        let salary = from_text("US$90,000", Some("CAD")).unwrap();
        assert_eq!(salary.currency.as_deref(), Some("USD"));
    }
}
