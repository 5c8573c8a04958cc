//! String patterns used in rules: exact strings or globs (`*`, `?`, `[a-z]`, `{a,b}`).

use std::fmt;

use globset::{GlobBuilder, GlobMatcher};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// One pattern: compiled to a glob only when it has glob syntax, so the common
/// exact case is a plain comparison (and can go into the index).
#[derive(Debug, Clone)]
pub enum Pattern {
    Exact(String),
    Glob(GlobMatcher),
}

impl Pattern {
    /// Compiles `text`; fails on malformed glob syntax (e.g. an unclosed `[`).
    pub fn new(text: &str) -> Result<Self, String> {
        if !text.contains(['*', '?', '[', ']', '{', '}']) {
            return Ok(Pattern::Exact(text.to_string()));
        }
        GlobBuilder::new(text)
            .literal_separator(false)
            .backslash_escape(true)
            .build()
            .map(|g| Pattern::Glob(g.compile_matcher()))
            .map_err(|e| format!("bad glob {text:?}: {}", e.kind()))
    }

    /// Compiles `text` as a glob that ignores letter case (an exact string too).
    pub fn new_ignoring_case(text: &str) -> Result<Self, String> {
        GlobBuilder::new(text)
            .literal_separator(false)
            .backslash_escape(true)
            .case_insensitive(true)
            .build()
            .map(|g| Pattern::Glob(g.compile_matcher()))
            .map_err(|e| format!("bad glob {text:?}: {}", e.kind()))
    }

    /// Whether `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        match self {
            Pattern::Exact(e) => e == s,
            Pattern::Glob(g) => g.is_match(s),
        }
    }

    /// The exact string, when this is not a glob.
    pub fn exact(&self) -> Option<&str> {
        match self {
            Pattern::Exact(e) => Some(e),
            Pattern::Glob(..) => None,
        }
    }
}

/// A non-empty list of patterns; YAML accepts one string or a list. Numbers are
/// taken as strings so `account: 111122223333` works unquoted.
#[derive(Debug, Clone)]
pub struct Patterns(pub Vec<Pattern>);

impl Patterns {
    /// Whether any pattern matches `s`.
    pub fn matches(&self, s: &str) -> bool {
        self.0.iter().any(|p| p.matches(s))
    }

    /// All patterns as exact strings, or `None` if any is a glob.
    pub fn all_exact(&self) -> Option<Vec<&str>> {
        self.0.iter().map(Pattern::exact).collect()
    }
}

impl<'de> Deserialize<'de> for Patterns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PatternsVisitor)
    }
}

struct PatternsVisitor;

impl<'de> Visitor<'de> for PatternsVisitor {
    type Value = Patterns;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Patterns, E> {
        Pattern::new(v)
            .map(|p| Patterns(vec![p]))
            .map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Patterns, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Patterns, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element::<StringLike>()? {
            out.push(Pattern::new(&item.0).map_err(de::Error::custom)?);
        }
        if out.is_empty() {
            return Err(de::Error::custom("empty list: give at least one pattern"));
        }
        Ok(Patterns(out))
    }

    /// `{ $ref: NAME }`: a shared list.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Patterns, A::Error> {
        let texts = shared_list(map)?;
        let patterns = texts.iter().map(|t| Pattern::new(t));
        patterns
            .collect::<Result<_, _>>()
            .map(Patterns)
            .map_err(de::Error::custom)
    }
}

/// The strings of the shared list a `{ $ref: NAME }` mapping names.
fn shared_list<'de, A: MapAccess<'de>>(mut map: A) -> Result<Vec<String>, A::Error> {
    let Some(first) = map.next_key::<String>()? else {
        return Err(de::Error::custom(
            "a pattern list is written inline or as { $ref: NAME }",
        ));
    };
    let items = super::shared::list_ref(&first, map)?;
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) if n.is_u64() => Some(n.to_string()),
        _ => None,
    };
    items
        .iter()
        .map(|v| {
            text(v).ok_or_else(|| {
                de::Error::custom(format!("{v} in a list of patterns is not a string"))
            })
        })
        .collect()
}

/// Patterns that ignore letter case (`iglob` in a predicate): group names and the
/// like, where `Admins` and `admins` are the same risk.
#[derive(Debug, Clone)]
pub struct NoCasePatterns(pub Patterns);

impl<'de> Deserialize<'de> for NoCasePatterns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoCaseVisitor)
    }
}

struct NoCaseVisitor;

impl NoCaseVisitor {
    fn build<E: de::Error>(texts: &[String]) -> Result<NoCasePatterns, E> {
        if texts.is_empty() {
            return Err(E::custom("empty list: give at least one pattern"));
        }
        texts
            .iter()
            .map(|t| Pattern::new_ignoring_case(t))
            .collect::<Result<Vec<_>, _>>()
            .map(|p| NoCasePatterns(Patterns(p)))
            .map_err(E::custom)
    }
}

impl<'de> Visitor<'de> for NoCaseVisitor {
    type Value = NoCasePatterns;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<NoCasePatterns, E> {
        Self::build(&[v.to_string()])
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NoCasePatterns, E> {
        Self::build(&[v.to_string()])
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NoCasePatterns, A::Error> {
        let mut texts = Vec::new();
        while let Some(item) = seq.next_element::<StringLike>()? {
            texts.push(item.0);
        }
        Self::build(&texts)
    }

    /// `{ $ref: NAME }`: a shared list.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NoCasePatterns, A::Error> {
        Self::build(&shared_list(map)?)
    }
}

/// A string, or an unsigned integer read as its decimal string.
pub(crate) struct StringLike(pub(crate) String);

impl<'de> Deserialize<'de> for StringLike {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = StringLike;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringLike, E> {
                Ok(StringLike(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StringLike, E> {
                Ok(StringLike(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests;
