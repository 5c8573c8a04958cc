//! Calendar dates (`YYYY-MM-DD`, UTC) for suppression expiries. Callers pass
//! "today" in; nothing here reads the clock, so tests fix it.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::calendar;

/// A day, counted from 1970-01-01 (proleptic Gregorian calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// Parses `YYYY-MM-DD` strictly (a real day of a real month).
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || format!("{s:?} is not a date (YYYY-MM-DD)");
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<i32, String> {
            let part = &s[r];
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse().map_err(|_| bad())
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&m)
            || d < 1
            || i64::from(d) > calendar::days_in_month(i64::from(y), i64::from(m))
        {
            return Err(bad());
        }
        let days = calendar::days_from_civil(i64::from(y), i64::from(m), i64::from(d));
        // Years are four digits: the day number fits an i32 by far.
        Ok(Date(days as i32))
    }

    /// The UTC day that `secs` seconds after the Unix epoch falls on.
    pub fn from_unix_seconds(secs: i64) -> Date {
        Date(secs.div_euclid(86_400) as i32)
    }

    /// The day `n` days later (earlier when negative).
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0 + n)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i32 {
        later.0 - self.0
    }

    /// Days since 1970-01-01.
    pub fn to_days(self) -> i32 {
        self.0
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i32) -> Date {
        Date(days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = calendar::civil_from_days(i64::from(self.0));
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date as YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests;
