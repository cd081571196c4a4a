//! Showing stored times (epoch milliseconds) as dates, the same on server and browser.

/// `2026-11-23 15:04 UTC` for an epoch-milliseconds time.
pub fn utc_minute(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// `2026-11-23` for an epoch-milliseconds time.
pub fn utc_date(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(1000).div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// How long a wait has been, in the largest whole unit: `3 days`, `1 hour`, `12 minutes`,
/// `less than a minute`.
pub fn waited(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    let (n, unit) = if minutes >= 2 * 24 * 60 {
        (minutes / (24 * 60), "day")
    } else if minutes >= 60 {
        (minutes / 60, "hour")
    } else if minutes >= 1 {
        (minutes, "minute")
    } else {
        return "less than a minute".to_owned();
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// Year, month, day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_naturally() {
        assert_eq!(waited(10_000), "less than a minute");
        assert_eq!(waited(60_000), "1 minute");
        assert_eq!(waited(59 * 60_000), "59 minutes");
        assert_eq!(waited(3 * 3_600_000 + 5), "3 hours");
        assert_eq!(waited(47 * 3_600_000), "47 hours");
        assert_eq!(waited(3 * 86_400_000), "3 days");
        assert_eq!(waited(-5), "less than a minute");
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00 UTC");
        // 2026-11-23T15:04:05Z
        assert_eq!(utc_minute(1_795_446_245_000), "2026-11-23 15:04 UTC");
        // 2024-02-29T23:59:00Z, a leap day
        assert_eq!(utc_minute(1_709_251_140_000), "2024-02-29 23:59 UTC");
        assert_eq!(utc_date(1_709_251_140_000), "2024-02-29");
    }
}
