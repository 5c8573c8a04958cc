//! Event times: CloudTrail's `eventTime` (ISO-8601 UTC, `2026-11-10T09:00:00Z`) as
//! whole seconds since the Unix epoch. Seconds are CloudTrail's resolution;
//! fractions, when present, are dropped.
//!
//! Also [`Span`], a spec's duration.
//!
//! Why not `rules::date`: this module must not depend on `crate::rules` (it is
//! wired into the rules language later), and a date alone is not enough here.

use serde::Deserialize;

use crate::calendar::{civil_from_days, days_from_civil, days_in_month};

/// A duration written `30s`, `10m`, `2h`, `1d` or `1h30m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Span(i64);

impl Span {
    /// Seconds.
    pub fn secs(self) -> i64 {
        self.0
    }
}

impl TryFrom<String> for Span {
    type Error = String;

    fn try_from(s: String) -> Result<Span, String> {
        let bad = || format!("{s:?} is not a duration (like 90s, 10m, 2h, 1d or 1h30m)");
        let (mut total, mut digits, mut any) = (0i64, String::new(), false);
        for c in s.trim().chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let unit = match c {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                _ => return Err(bad()),
            };
            let n: i64 = digits.parse().map_err(|_| bad())?;
            total = n
                .checked_mul(unit)
                .and_then(|v| v.checked_add(total))
                .ok_or_else(bad)?;
            digits.clear();
            any = true;
        }
        if !any || !digits.is_empty() {
            return Err(bad());
        }
        Ok(Span(total))
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (or `+00:00` for `Z`) into seconds since the
/// Unix epoch. Anything else (another offset, a missing part, a day that does not
/// exist) is an error naming the text.
pub fn parse_event_time(s: &str) -> Result<i64, String> {
    let bad = || format!("{s:?} is not an event time (YYYY-MM-DDTHH:MM:SSZ)");
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return Err(bad());
    }
    if b[13] != b':' || b[16] != b':' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i64, String> {
        let part = &b[r];
        if !part.iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        Ok(part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &b[19..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err(bad());
        }
        rest = &frac[digits..];
    }
    if !matches!(rest, b"Z" | b"z" | b"+00:00") {
        return Err(bad());
    }
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 {
        return Err(bad());
    }
    // 60 is a leap second; CloudTrail does not write one, but reading it as the
    // next second is harmless.
    if sec > 60 {
        return Err(bad());
    }
    Ok(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec)
}

/// Writes seconds since the Unix epoch as CloudTrail does: `2026-11-10T09:00:00Z`.
pub fn format_event_time(t: i64) -> String {
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Writes a number of seconds the way specs do: `90s`, `10m`, `2h`, `1h30m`.
pub fn format_span(secs: i64) -> String {
    if secs == 0 {
        return "0s".to_owned();
    }
    let mut out = String::new();
    for (unit, size) in [("h", 3600), ("m", 60), ("s", 1)] {
        let n = secs / size % if size == 3600 { i64::MAX } else { 60 };
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
