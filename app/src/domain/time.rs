//! Showing stored times (epoch milliseconds) as dates, the same on server and browser.

/// `23 November 2026, 15:04 UTC` (`23 novembre 2026 à 15:04 UTC`) for an epoch-milliseconds
/// time, in the page's language, for people.
pub fn utc_minute(ms: i64) -> String {
    let rem = ms.div_euclid(1000).rem_euclid(86_400);
    crate::i18n::k::labels::minute_long(
        long_date(ms),
        format!("{:02}:{:02}", rem / 3600, (rem % 3600) / 60),
    )
}

/// `2026-11-23 15:04 UTC` for an epoch-milliseconds time (files and exports).
pub fn iso_minute(ms: i64) -> String {
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

/// `15:04 UTC` for an epoch-milliseconds time: the time of day a page shows for something
/// that just happened or is due today (a save, a claim's end). The same text on the server
/// and in the browser, so hydrating never changes it (issue 15); UTC, since the server does
/// not know the reader's time zone and a page must not say two different things.
pub fn utc_clock(ms: i64) -> String {
    let rem = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{:02}:{:02} UTC", rem / 3600, (rem % 3600) / 60)
}

/// `2026-11-23` for an epoch-milliseconds time.
pub fn utc_date(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(1000).div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Epoch ms of the start (00:00 UTC) of a `YYYY-MM-DD` day, surrounding spaces ignored;
/// `None` when it is not a real date in that form (2026-02-30 is refused, not rolled over).
pub fn day_start(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    parse_xsd_date_time(&format!("{s}T00:00:00Z")).filter(|ms| utc_date(*ms) == s)
}

/// One day in epoch milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// `2026-11-23T15:04:05Z` (XML Schema dateTime, UTC, whole seconds) for an epoch-milliseconds
/// time: the form credentials carry.
pub fn xsd_date_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Epoch milliseconds of an XML Schema dateTime (`YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`); a time
/// without a zone is read as UTC. `None` when it is not one.
pub fn parse_xsd_date_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut millis = 0;
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let frac = format!("{:0<3}", &r[..n.min(3)]);
        millis = frac.parse::<i64>().ok()?;
        rest = &r[n..];
    }
    let offset_minutes = match rest.as_bytes() {
        [] | [b'Z'] => 0,
        [sign @ (b'+' | b'-'), ..] if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            if *sign == b'+' {
                oh * 60 + om
            } else {
                -(oh * 60 + om)
            }
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
    Some(secs * 1000 + millis)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// How long a wait has been, in the largest whole unit: `3 days`, `1 hour`, `12 minutes`,
/// `less than a minute`.
pub fn waited(ms: i64) -> String {
    use crate::i18n::k::labels;
    let minutes = ms.max(0) / 60_000;
    let one = crate::i18n::singular;
    if minutes >= 2 * 24 * 60 {
        let n = minutes / (24 * 60);
        if one(n) {
            labels::waited_days_one(n)
        } else {
            labels::waited_days_other(n)
        }
    } else if minutes >= 60 {
        let n = minutes / 60;
        if one(n) {
            labels::waited_hours_one(n)
        } else {
            labels::waited_hours_other(n)
        }
    } else if minutes >= 1 {
        if one(minutes) {
            labels::waited_minutes_one(minutes)
        } else {
            labels::waited_minutes_other(minutes)
        }
    } else {
        crate::t!(labels.waited_less_than_a_minute).to_owned()
    }
}

/// `23 November 2026` (`23 novembre 2026`; French says `1er` for the first) for an
/// epoch-milliseconds time, in the page's language, for people; [`utc_date`] is the form
/// machines and files read.
pub fn long_date(ms: i64) -> String {
    use crate::i18n::k::labels;
    let (y, m, d) = civil_from_days(ms.div_euclid(1000).div_euclid(86_400));
    let month = crate::i18n::text(match m {
        1 => labels::month_1,
        2 => labels::month_2,
        3 => labels::month_3,
        4 => labels::month_4,
        5 => labels::month_5,
        6 => labels::month_6,
        7 => labels::month_7,
        8 => labels::month_8,
        9 => labels::month_9,
        10 => labels::month_10,
        11 => labels::month_11,
        _ => labels::month_12,
    });
    let day = if d == 1 && crate::i18n::current_lang() == crate::domain::lang::Lang::Fr {
        "1er".to_owned()
    } else {
        d.to_string()
    };
    labels::date_long(day, month, y)
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
    use proptest::prelude::*;

    proptest! {
        /// The clock is the time part of the full UTC time, for any moment (before 1970 too).
        #[test]
        fn the_clock_is_the_time_of_the_full_utc_time(ms in -10_000_000_000_000_i64..10_000_000_000_000) {
            let full = iso_minute(ms);
            prop_assert_eq!(utc_clock(ms), full[11..].to_owned());
        }
    }

    #[test]
    fn xsd_times_round_trip() {
        let ms = 1_795_000_000_123;
        let text = xsd_date_time(ms);
        assert_eq!(text, "2026-11-18T11:06:40Z");
        assert_eq!(parse_xsd_date_time(&text), Some(ms - 123));
        assert_eq!(parse_xsd_date_time("2026-11-18T11:06:40.123Z"), Some(ms));
        assert_eq!(
            parse_xsd_date_time("2026-11-18T13:06:40+02:00"),
            Some(ms - 123)
        );
        assert_eq!(parse_xsd_date_time("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_xsd_date_time("2024-02-29T00:00:00Z"),
            Some(1_709_164_800_000)
        );
        for bad in [
            "",
            "2026-11-18",
            "2026-13-01T00:00:00Z",
            "2026-11-18T08:26:40+0200",
            "x026-11-18T08:26:40Z",
        ] {
            assert_eq!(parse_xsd_date_time(bad), None, "{bad}");
        }
    }

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
        assert_eq!(iso_minute(0), "1970-01-01 00:00 UTC");
        // 2026-11-23T15:04:05Z
        assert_eq!(iso_minute(1_795_446_245_000), "2026-11-23 15:04 UTC");
        assert_eq!(utc_minute(1_795_446_245_000), "23 November 2026, 15:04 UTC");
        #[cfg(feature = "ssr")]
        {
            use crate::domain::lang::Lang;
            let fr = crate::i18n::in_lang(Lang::Fr, || utc_minute(1_795_446_245_000));
            assert_eq!(fr, "23 novembre 2026 à 15:04 UTC");
            let first = crate::i18n::in_lang(Lang::Fr, || long_date(1_793_491_200_000));
            assert_eq!(first, "1er novembre 2026");
            assert_eq!(long_date(1_793_491_200_000), "1 November 2026");
            assert_eq!(
                crate::i18n::in_lang(Lang::Fr, || waited(86_400_000 * 3)),
                "3 jours"
            );
        }
        // 2024-02-29T23:59:00Z, a leap day
        assert_eq!(iso_minute(1_709_251_140_000), "2024-02-29 23:59 UTC");
        assert_eq!(utc_date(1_709_251_140_000), "2024-02-29");
    }
}
