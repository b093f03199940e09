//! Formatting of unix timestamps in the shapes providers use.

use model::time::civil_from_days;

fn parts(secs: i64) -> (i64, u32, u32, i64, i64, i64) {
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    (y, mo, d, t / 3600, (t / 60) % 60, t % 60)
}

/// `2025-11-25T20:49:51-05:00`: local time at a fixed offset (Greenhouse uses US Eastern).
pub fn iso_with_offset(secs: i64, offset_hours: i64) -> String {
    let (y, mo, d, h, mi, s) = parts(secs + offset_hours * 3600);
    let sign = if offset_hours < 0 { '-' } else { '+' };
    format!(
        "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{sign}{:02}:00",
        offset_hours.abs()
    )
}

/// `2025-08-25T20:13:34.942+00:00` (Ashby).
pub fn iso_millis_utc(secs: i64, millis: u32) -> String {
    let (y, mo, d, h, mi, s) = parts(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{millis:03}+00:00")
}

/// `2025-08-25T20:13:34.000Z` (Workable, SmartRecruiters).
pub fn iso_z(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = parts(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000Z")
}

/// `2025-08-25 20:13:34 UTC` (Recruitee's non-ISO format).
pub fn recruitee(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = parts(secs);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC")
}

/// `2026-4-1`: a date without zero padding, as some JSON-LD pages write it.
pub fn unpadded_date(secs: i64) -> String {
    let (y, mo, d, ..) = parts(secs);
    format!("{y}-{mo}-{d}")
}

/// `2026-04-01`.
pub fn date(secs: i64) -> String {
    model::time::date(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_provider_shapes() {
        // 2025-11-26T01:49:51Z
        let t = 1_764_121_791;
        assert_eq!(iso_with_offset(t, -5), "2025-11-25T20:49:51-05:00");
        assert_eq!(iso_millis_utc(t, 942), "2025-11-26T01:49:51.942+00:00");
        assert_eq!(iso_z(t), "2025-11-26T01:49:51.000Z");
        assert_eq!(recruitee(t), "2025-11-26 01:49:51 UTC");
        assert_eq!(unpadded_date(1_775_001_600), "2026-4-1");
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
    }
}
