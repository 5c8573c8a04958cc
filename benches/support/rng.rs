//! Deterministic randomness for the generator: a splitmix64 stream plus helpers
//! that append the random-looking parts of CloudTrail records (ids, keys, times).

use std::fmt::Write as _;

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const MIXED_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX: &[u8] = b"0123456789abcdef";
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// splitmix64: tiny, fast, and good enough to make ids look random.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An index in `0..n` where low indexes come up far more often (half the picks
    /// fall in the first eighth), as a few principals make most calls.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((n as f64) * u * u * u) as usize
    }

    /// One of a list of static strings.
    pub fn one(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    /// Index into `weights`, chosen in proportion to them.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    fn chars(&mut self, out: &mut String, set: &[u8], n: usize) {
        for _ in 0..n {
            out.push(set[self.below(set.len())] as char);
        }
    }

    pub fn hex(&mut self, out: &mut String, n: usize) {
        self.chars(out, HEX, n);
    }

    /// Upper-case letters and digits, as in access key ids and S3 request ids.
    pub fn upper(&mut self, out: &mut String, n: usize) {
        self.chars(out, UPPER_DIGITS, n);
    }

    pub fn lower(&mut self, out: &mut String, n: usize) {
        self.chars(out, LOWER_ALNUM, n);
    }

    pub fn mixed(&mut self, out: &mut String, n: usize) {
        self.chars(out, MIXED_ALNUM, n);
    }

    pub fn base64(&mut self, out: &mut String, n: usize) {
        self.chars(out, BASE64, n);
    }

    pub fn uuid(&mut self, out: &mut String) {
        for (i, n) in [8, 4, 4, 4, 12].into_iter().enumerate() {
            if i > 0 {
                out.push('-');
            }
            self.hex(out, n);
        }
    }

    pub fn uuid_string(&mut self) -> String {
        let mut s = String::with_capacity(36);
        self.uuid(&mut s);
        s
    }

    pub fn string(&mut self, f: impl FnOnce(&mut Rng, &mut String)) -> String {
        let mut s = String::new();
        f(self, &mut s);
        s
    }

    /// A public IPv4 address.
    pub fn ip(&mut self, out: &mut String) {
        let a = *self.pick(&[3u8, 18, 34, 44, 52, 54, 81, 93, 104, 185, 203]);
        let _ = write!(
            out,
            "{a}.{}.{}.{}",
            self.below(256),
            self.below(256),
            1 + self.below(254)
        );
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Appends `secs` (Unix time) as CloudTrail's `eventTime`: `2026-11-20T13:45:12Z`.
pub fn iso_time(out: &mut String, secs: i64) {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
}

/// Appends `secs` the way some services log dates: `Nov 20, 2026, 1:45:12 PM`.
pub fn human_time(out: &mut String, secs: i64) {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    let h = s / 3600;
    let (h12, half) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    let month = MONTHS[m as usize - 1];
    let _ = write!(
        out,
        "{month} {d}, {y}, {h12}:{:02}:{:02} {half}",
        s / 60 % 60,
        s % 60
    );
}
