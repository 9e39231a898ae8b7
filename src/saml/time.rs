//! xs:dateTime (XML Schema Part 2 §3.2.7) and the durations of `--skew`, without a calendar
//! crate: SAML times are UTC instants, so days-from-civil arithmetic is all that is needed.

use std::fmt;

/// An instant, in microseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

impl Instant {
    /// Parses an xs:dateTime: `YYYY-MM-DDThh:mm:ss[.fff...](Z|±hh:mm)?`. A time without a zone is
    /// read as UTC (SAML core §1.3.3 requires UTC; senders that omit `Z` mean it).
    pub fn parse(s: &str) -> Result<Instant, String> {
        let bad = || format!("\"{s}\" is not an xs:dateTime (expected e.g. 2026-11-20T15:04:05Z)");
        let s = s.trim();
        let (date, time) = s.split_once(['T', 't']).ok_or_else(bad)?;
        let mut d = date.splitn(3, '-');
        let year: i64 =
            d.next().filter(|y| y.len() == 4).and_then(|y| y.parse().ok()).ok_or_else(bad)?;
        let month: u32 = two_digits(d.next()).ok_or_else(bad)?;
        let day: u32 = two_digits(d.next()).ok_or_else(bad)?;
        let (clock, offset_secs) = split_zone(time).ok_or_else(bad)?;
        let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
        let mut t = hms.splitn(3, ':');
        let hour: u32 = two_digits(t.next()).ok_or_else(bad)?;
        let minute: u32 = two_digits(t.next()).ok_or_else(bad)?;
        let second: u32 = two_digits(t.next()).ok_or_else(bad)?;
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (clock.contains('.') && frac.is_empty()) {
            return Err(bad());
        }
        let micros: i64 = format!("{frac:0<6}").get(..6).and_then(|f| f.parse().ok()).unwrap_or(0);
        let valid = (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && (hour < 24 || (hour == 24 && minute == 0 && second == 0 && micros == 0))
            && minute < 60
            && second < 60;
        if !valid {
            return Err(bad());
        }
        let days = days_from_civil(year, month, day);
        let secs =
            days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second)
                - offset_secs;
        Ok(Instant(secs * 1_000_000 + micros))
    }

    /// Microseconds from `self` to `later` (negative when `later` is earlier).
    pub fn micros_until(self, later: Instant) -> i64 {
        later.0 - self.0
    }
}

impl fmt::Display for Instant {
    /// RFC 3339 in UTC, with milliseconds only when present.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.div_euclid(1_000_000);
        let micros = self.0.rem_euclid(1_000_000);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(f, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)?;
        if micros % 1000 == 0 && micros != 0 {
            write!(f, ".{:03}", micros / 1000)?;
        } else if micros != 0 {
            write!(f, ".{micros:06}")?;
        }
        write!(f, "Z")
    }
}

fn two_digits(s: Option<&str>) -> Option<u32> {
    s.filter(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).and_then(|s| s.parse().ok())
}

fn split_zone(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match time.rfind(['+', '-']) {
        Some(i) if time.len() - i == 6 => {
            let (clock, zone) = time.split_at(i);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let h = two_digits(zone.get(1..3))?;
            let m = two_digits(zone.get(4..6))?;
            (zone.as_bytes().get(3) == Some(&b':') && h <= 14 && m < 60)
                .then_some((clock, sign * i64::from(h * 3600 + m * 60)))
        }
        _ => Some((time, 0)),
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Parses a duration such as `3m`, `90s`, `1h30m`, `500ms` into microseconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let bad = || format!("\"{s}\" is not a duration (e.g. 90s, 3m, 1h30m)");
    let mut total: i64 = 0;
    let mut rest = s.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let n: i64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ms" => 1_000,
            "s" | "" => 1_000_000,
            "m" => 60_000_000,
            "h" => 3_600_000_000,
            _ => return Err(bad()),
        };
        total = n.checked_mul(scale).and_then(|v| total.checked_add(v)).ok_or_else(bad)?;
        rest = &rest[unit_len..];
    }
    Ok(total)
}

/// `4 min 30 s`, `1 year 3 days`, `350 ms`: a microsecond span in its largest unit and the
/// next one down when that is not zero; `over 3 min` when smaller units were left out, and
/// `under 1 ms` for a span below a millisecond, so the text never reads as equal to another
/// span it exceeds.
pub fn human_duration(micros: i64) -> String {
    const UNITS: [(u64, &str, &str); 6] = [
        (365 * 86_400_000, "year", "years"),
        (86_400_000, "day", "days"),
        (3_600_000, "h", "h"),
        (60_000, "min", "min"),
        (1000, "s", "s"),
        (1, "ms", "ms"),
    ];
    let sign = if micros < 0 { "-" } else { "" };
    let ms = micros.unsigned_abs() / 1000;
    let Some(top) = UNITS.iter().position(|(size, _, _)| ms >= *size) else {
        return if micros == 0 { "0 ms".into() } else { format!("{sign}under 1 ms") };
    };
    let name = |(_, one, many): (u64, &str, &str), n: u64| {
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let (size, _, _) = UNITS[top];
    let mut shown = name(UNITS[top], ms / size);
    let mut rest = ms % size;
    if let Some(&next) = UNITS.get(top + 1) {
        let n = rest / next.0;
        rest %= next.0;
        if n > 0 {
            shown.push(' ');
            shown.push_str(&name(next, n));
        }
    }
    let over = rest > 0 || micros.unsigned_abs() % 1000 > 0;
    format!("{sign}{}{shown}", if over { "over " } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_schema_datetimes() {
        let cases: &[(&str, &str)] = &[
            ("2026-11-20T15:04:05Z", "2026-11-20T15:04:05Z"),
            ("2026-11-20T15:04:05.123Z", "2026-11-20T15:04:05.123Z"),
            ("2026-11-20T15:04:05.1234567Z", "2026-11-20T15:04:05.123456Z"),
            ("2026-11-20T16:04:05+01:00", "2026-11-20T15:04:05Z"),
            ("2026-11-20T10:04:05-05:00", "2026-11-20T15:04:05Z"),
            ("2026-11-20T15:04:05", "2026-11-20T15:04:05Z"),
            ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"),
            ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
            ("2026-12-31T24:00:00Z", "2027-01-01T00:00:00Z"),
        ];
        for (input, want) in cases {
            assert_eq!(Instant::parse(input).unwrap().to_string(), *want, "{input}");
        }
        assert_eq!(Instant::parse("1970-01-01T00:00:01Z").unwrap(), Instant(1_000_000));
    }

    #[test]
    fn rejects_malformed_datetimes() {
        for bad in [
            "",
            "2026-11-20",
            "2026-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-11-20T25:00:00Z",
            "2026-11-20T15:04Z",
            "2026-11-20T15:04:05.Z",
            "2026-11-20T15:04:05+1:00",
            "26-11-20T15:04:05Z",
        ] {
            assert!(Instant::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3m"), Ok(180_000_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000_000));
        assert_eq!(parse_duration("500ms"), Ok(500_000));
        assert_eq!(parse_duration("90"), Ok(90_000_000));
        assert!(parse_duration("3 minutes").is_err());
        assert_eq!(human_duration(270_000_000), "4 min 30 s");
        assert_eq!(human_duration(252_000_000), "4 min 12 s");
        assert_eq!(human_duration(-350_000), "-350 ms");
        assert_eq!(human_duration(0), "0 ms");
        assert_eq!(human_duration(368 * 86_400_000_000), "1 year 3 days");
        assert_eq!(human_duration(2 * 365 * 86_400_000_000 + 3_600_000_000), "over 2 years");
        assert_eq!(human_duration(180_877_000), "over 3 min");
        assert_eq!(human_duration(400), "under 1 ms");
        assert_eq!(human_duration(-400), "-under 1 ms");
        assert_eq!(human_duration(86_400_000_000 + 7_200_000_000), "1 day 2 h");
        assert_eq!(human_duration(3_600_000_000), "1 h");
    }
}
