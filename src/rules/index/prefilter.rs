//! The records worth parsing, decided on their bytes: first whether a record can
//! hold one of the rules' event sources at all (one `memmem` for most records),
//! then, for the few that can, its top-level `eventSource` and `eventName` read
//! without parsing, asked of the [`NameGate`].

use aho_corasick::AhoCorasick;
use memchr::memmem;

use super::gate::NameGate;
use crate::trail::top_keys;

/// Exact prefilter: `is_match` is false only for records no rule can fire on.
///
/// Stage 1 (every record): the rules' exact sources, quoted, searched in the bytes.
/// A record whose top-level `eventSource` is one of them contains it verbatim,
/// unless the value is written with escapes; a source made only of characters
/// that need no escape can then only be hidden by a `\u` escape, so a record with
/// neither a needle nor `\u` is skipped (a source with `"`, `\` or `/`: any
/// backslash). Stage 2 (records that pass): [`top_keys`] reads the two names
/// exactly or answers "unsure" (escapes, repeated keys, wrong types: then the
/// record is parsed), and the gate answers for the names.
#[derive(Debug)]
pub struct Prefilter {
    /// `None` when some rule accepts any source (a glob or no test): every record
    /// goes to stage 2.
    sources: Option<SourceNeedles>,
    /// `\u`, or `\` when some source has a character with a short escape.
    hidden: memmem::Finder<'static>,
    gate: NameGate,
    /// `"errorCode"`, for the names watched only on failed calls.
    error_code: memmem::Finder<'static>,
}

impl Prefilter {
    /// The prefilter of rules whose exact sources are `sources` (`None`: some rule
    /// takes any source) and whose names `gate` decides.
    pub(super) fn new(sources: Option<Vec<&str>>, gate: NameGate) -> Self {
        let short_escape = |s: &&str| {
            s.bytes()
                .any(|b| matches!(b, b'"' | b'\\' | b'/') || b < 0x20)
        };
        let hidden: &[u8] = match &sources {
            Some(list) if list.iter().any(short_escape) => b"\\",
            _ => b"\\u",
        };
        let needles = sources.map(|list| {
            let quoted = list.iter().map(|s| format!("\"{s}\"").into_bytes());
            SourceNeedles::new(quoted.collect())
        });
        Prefilter {
            sources: needles,
            hidden: memmem::Finder::new(hidden).into_owned(),
            gate,
            error_code: memmem::Finder::new(b"\"errorCode\"").into_owned(),
        }
    }

    /// Whether some rule may fire on the record `raw` (false: none can).
    pub fn is_match(&self, raw: &[u8]) -> bool {
        if let Some(needles) = &self.sources {
            if !needles.is_match(raw) && !self.may_hide(raw) {
                return false;
            }
        }
        match top_keys(raw) {
            Some(keys) => {
                let (source, name) = (keys.event_source, keys.event_name);
                self.gate.may_fire(source, name)
                    || (self.gate.may_fire_on_failure(source, name) && self.may_have_failed(raw))
            }
            None => true,
        }
    }

    /// Whether `raw` may have an `errorCode` key: it has the word, or an escape
    /// could spell it.
    fn may_have_failed(&self, raw: &[u8]) -> bool {
        self.error_code.find(raw).is_some() || memchr::memchr(b'\\', raw).is_some()
    }

    /// Whether an escape could hide a source in `raw`. Backslashes are rare in
    /// records (escaped policy documents): one `memchr` for the first, which
    /// costs half a `memmem` for `\u`, and the search from there.
    fn may_hide(&self, raw: &[u8]) -> bool {
        memchr::memchr(b'\\', raw).is_some_and(|at| self.hidden.find(&raw[at..]).is_some())
    }

    /// How stage 1 searches: `Some(n)` for `n` prefix searches, `Some(0)` for
    /// Aho-Corasick, `None` for no stage 1.
    #[cfg(test)]
    pub fn searches_prefix(&self) -> Option<usize> {
        self.sources.as_ref().map(|s| match s {
            SourceNeedles::Prefixes(groups) => groups.len(),
            _ => 0,
        })
    }
}

/// Finds whether a record mentions one of the rules' event sources.
///
/// Every needle starts with `"`, the most common byte in JSON, which defeats
/// multi-pattern searchers' start-byte skipping. The Cognito sources share the
/// prefix `"cognito-`, rare in other records: one SIMD `memmem` for a shared prefix,
/// then a check of the full needles where it occurs, costs a fraction. Sources of
/// other services (the pack reads `wafv2` calls on user pools) form groups of their
/// own: a `memmem` per group (two for the bundled pack) still beats Aho-Corasick
/// over `"`-led needles by far.
#[derive(Debug)]
enum SourceNeedles {
    Prefixes(Vec<PrefixGroup>),
    Any(AhoCorasick),
    /// The searcher could not be built (only pathological pattern sets): every
    /// record passes stage 1.
    All,
}

/// Needles sharing a prefix, and the searcher for that prefix.
#[derive(Debug)]
struct PrefixGroup {
    finder: Box<memmem::Finder<'static>>,
    needles: Vec<Vec<u8>>,
}

/// A shared prefix shorter than this is too common to search for alone.
const MIN_PREFIX: usize = 4;
/// More groups than this: one Aho-Corasick pass costs less than the `memmem`s.
const MAX_GROUPS: usize = 3;

impl SourceNeedles {
    fn new(mut needles: Vec<Vec<u8>>) -> Self {
        needles.sort();
        let mut groups: Vec<Vec<Vec<u8>>> = Vec::new();
        for needle in needles.iter() {
            match groups.last_mut() {
                Some(group)
                    if common_prefix(&[group[0].clone(), needle.clone()]).len() >= MIN_PREFIX =>
                {
                    group.push(needle.clone())
                }
                _ => groups.push(vec![needle.clone()]),
            }
        }
        if groups.len() <= MAX_GROUPS && groups.iter().all(|g| common_prefix(g).len() >= MIN_PREFIX)
        {
            let groups = groups
                .into_iter()
                .map(|needles| PrefixGroup {
                    finder: Box::new(memmem::Finder::new(common_prefix(&needles)).into_owned()),
                    needles,
                })
                .collect();
            return SourceNeedles::Prefixes(groups);
        }
        AhoCorasick::new(&needles).map_or(SourceNeedles::All, SourceNeedles::Any)
    }

    fn is_match(&self, raw: &[u8]) -> bool {
        match self {
            SourceNeedles::Any(ac) => ac.is_match(raw),
            SourceNeedles::Prefixes(groups) => groups.iter().any(|g| {
                g.finder
                    .find_iter(raw)
                    .any(|at| g.needles.iter().any(|n| raw[at..].starts_with(n)))
            }),
            SourceNeedles::All => true,
        }
    }
}

fn common_prefix(needles: &[Vec<u8>]) -> &[u8] {
    let Some(first) = needles.first() else {
        return &[];
    };
    let len = needles.iter().fold(first.len(), |len, n| {
        first[..len]
            .iter()
            .zip(n)
            .take_while(|(a, b)| a == b)
            .count()
    });
    &first[..len]
}
