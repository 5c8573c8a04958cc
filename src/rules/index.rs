//! Finds the few rules that can match a record without trying every rule, and
//! the records worth parsing at all without parsing them.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use memchr::memmem;

use super::Rule;

/// Rule positions by exact eventSource, then exact eventName.
#[derive(Debug, Default)]
pub struct Index {
    by_source: HashMap<String, SourceIndex>,
    /// Rules whose eventSource is a glob or not constrained: tried for every record.
    any_source: Vec<usize>,
}

#[derive(Debug, Default)]
struct SourceIndex {
    by_name: HashMap<String, Vec<usize>>,
    /// Rules of this source whose eventName is a glob or not constrained.
    any_name: Vec<usize>,
}

impl Index {
    /// Indexes `rules` by their `match` block.
    pub fn build(rules: &[Rule]) -> Self {
        let mut index = Index::default();
        for (i, rule) in rules.iter().enumerate() {
            let sources = rule.cond.event_source.as_ref().and_then(|p| p.all_exact());
            let Some(sources) = sources else {
                index.any_source.push(i);
                continue;
            };
            let names = rule.cond.event_name.as_ref().and_then(|p| p.all_exact());
            for source in sources {
                let entry = index.by_source.entry(source.to_string()).or_default();
                match &names {
                    Some(names) => {
                        for name in names {
                            entry.by_name.entry(name.to_string()).or_default().push(i);
                        }
                    }
                    None => entry.any_name.push(i),
                }
            }
        }
        index
    }

    /// Positions of the rules that may match, in file order.
    pub fn candidates(&self, source: Option<&str>, name: Option<&str>) -> Vec<usize> {
        let mut out = self.any_source.clone();
        if let Some(entry) = source.and_then(|s| self.by_source.get(s)) {
            out.extend_from_slice(&entry.any_name);
            if let Some(list) = name.and_then(|n| entry.by_name.get(n)) {
                out.extend_from_slice(list);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// A byte-level pre-filter: when every rule names exact event sources, a record
    /// whose text contains none of them (as a JSON string) cannot match and need not
    /// be parsed. `None` when some rule could match any source.
    pub fn prefilter(&self) -> Option<Prefilter> {
        if !self.any_source.is_empty() {
            return None;
        }
        let needles: Vec<Vec<u8>> = self
            .by_source
            .keys()
            .map(|s| format!("\"{s}\"").into_bytes())
            .collect();
        Prefilter::new(needles)
    }
}

/// Finds whether a record mentions one of the rules' event sources.
///
/// Every needle starts with `"`, the most common byte in JSON, which defeats
/// multi-pattern searchers' start-byte skipping. The Cognito sources share the
/// prefix `"cognito-`, rare in other records: one SIMD `memmem` for the shared
/// prefix, then a check of the full needles where it occurs, costs a fraction.
#[derive(Debug)]
pub enum Prefilter {
    Prefix {
        finder: Box<memmem::Finder<'static>>,
        needles: Vec<Vec<u8>>,
    },
    Any(AhoCorasick),
}

/// A shared prefix shorter than this is too common to search for alone.
const MIN_PREFIX: usize = 4;

impl Prefilter {
    /// `None` (no pre-filtering: every record is a candidate) if the searcher
    /// cannot be built, which only pathological pattern sets could cause.
    fn new(needles: Vec<Vec<u8>>) -> Option<Self> {
        let prefix = common_prefix(&needles);
        if prefix.len() >= MIN_PREFIX {
            return Some(Prefilter::Prefix {
                finder: Box::new(memmem::Finder::new(prefix).into_owned()),
                needles,
            });
        }
        AhoCorasick::new(&needles).ok().map(Prefilter::Any)
    }

    /// Whether `raw` contains one of the needles.
    pub fn is_match(&self, raw: &[u8]) -> bool {
        match self {
            Prefilter::Any(ac) => ac.is_match(raw),
            Prefilter::Prefix { finder, needles } => finder
                .find_iter(raw)
                .any(|at| needles.iter().any(|n| raw[at..].starts_with(n))),
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

#[cfg(test)]
mod tests {
    use crate::rules::RuleSet;
    use crate::trail::Record;

    /// 600 rules: 200 names on each of 3 sources, plus one glob rule per source.
    fn big_set() -> RuleSet {
        let mut yaml = String::from("rules:\n");
        for source in ["cognito-idp", "cognito-identity", "cognito-sync"] {
            for i in 0..200 {
                yaml += &format!(
                    "  - {{id: {source}.r{i}, title: T, severity: low, description: D, \
                     match: {{eventSource: {source}.amazonaws.com, eventName: Op{i}}}}}\n"
                );
            }
            yaml += &format!(
                "  - {{id: {source}.deletes, title: T, severity: high, description: D, \
                 match: {{eventSource: {source}.amazonaws.com, eventName: 'Delete*'}}}}\n"
            );
        }
        RuleSet::from_yaml(&yaml, "big.yaml").unwrap()
    }

    #[test]
    fn only_indexed_rules_are_candidates() {
        let set = big_set();
        assert_eq!(set.rules().len(), 603);
        let c = set
            .index
            .candidates(Some("cognito-sync.amazonaws.com"), Some("Op7"));
        let ids: Vec<_> = c.iter().map(|&i| set.rules()[i].id.as_str()).collect();
        assert_eq!(ids, ["cognito-sync.r7", "cognito-sync.deletes"]);
        assert!(set
            .index
            .candidates(Some("ec2.amazonaws.com"), Some("Op7"))
            .is_empty());
        let r =
            Record::parse(br#"{"eventSource":"cognito-idp.amazonaws.com","eventName":"DeleteX"}"#)
                .unwrap();
        assert_eq!(set.evaluate(&r).unwrap().rule.id, "cognito-idp.deletes");
    }

    #[test]
    fn fallback_fires_only_when_no_other_rule_does() {
        let yaml = "rules:
  - {id: idp.known, title: T, severity: high, description: D,
     match: {eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool},
     unless: [{userIdentityType: Unknown}]}
  - {id: idp.unknown, title: T, severity: medium, description: D, fallback: true,
     match: {eventSource: cognito-idp.amazonaws.com},
     unless: [{eventName: 'Describe*'}]}
";
        let set = RuleSet::from_yaml(yaml, "fb.yaml").unwrap();
        let verdict = |json: &str| {
            let r = Record::parse(json.as_bytes()).unwrap();
            set.evaluate(&r)
                .map(|v| (v.rule.id.clone(), v.also_matched.len()))
        };
        let idp = r#""eventSource":"cognito-idp.amazonaws.com""#;
        assert_eq!(
            verdict(&format!(r#"{{{idp},"eventName":"UpdateUserPool"}}"#)),
            Some(("idp.known".into(), 0))
        );
        assert_eq!(
            verdict(&format!(r#"{{{idp},"eventName":"CreateShinyThing"}}"#)),
            Some(("idp.unknown".into(), 0))
        );
        assert_eq!(
            verdict(&format!(r#"{{{idp},"eventName":"DescribeX"}}"#)),
            None
        );
        // The known rule's own `unless` lets the fallback take the record.
        assert_eq!(
            verdict(&format!(
                r#"{{{idp},"eventName":"UpdateUserPool","userIdentity":{{"type":"Unknown"}}}}"#
            )),
            Some(("idp.unknown".into(), 0))
        );
        assert!(matches!(
            set.prefilter,
            Some(super::Prefilter::Prefix { .. })
        ));
        assert!(!set.may_match(br#"{"eventSource":"kms.amazonaws.com"}"#));
    }

    #[test]
    fn prefilter_needs_exact_sources() {
        let set = big_set();
        assert!(set.may_match(br#"{"eventSource":"cognito-idp.amazonaws.com"}"#));
        assert!(!set.may_match(br#"{"eventSource":"kms.amazonaws.com","x":"cognito-idp"}"#));
        let open = RuleSet::from_yaml(
            "rules:\n  - {id: a, title: T, severity: low, description: D, match: {eventName: 'Delete*'}}\n",
            "open.yaml",
        )
        .unwrap();
        assert!(open.may_match(br#"{"eventSource":"kms.amazonaws.com"}"#));
    }

    #[test]
    fn prefix_prefilter_checks_full_needles() {
        let set = big_set();
        assert!(matches!(
            set.prefilter,
            Some(super::Prefilter::Prefix { .. })
        ));
        assert!(!set.may_match(br#"{"a":"cognito-idx","b":"cognito-"}"#));
        assert!(set.may_match(br#"{"a":"cognito-idx","eventSource":"cognito-sync.amazonaws.com"}"#));
        let mixed = RuleSet::from_yaml(
            "rules:\n  - {id: a, title: T, severity: low, description: D, match: {eventSource: [ec2.amazonaws.com, iam.amazonaws.com]}}\n",
            "mixed.yaml",
        )
        .unwrap();
        assert!(matches!(mixed.prefilter, Some(super::Prefilter::Any(_))));
        assert!(mixed.may_match(br#"{"eventSource":"iam.amazonaws.com"}"#));
        assert!(!mixed.may_match(br#"{"eventSource":"sts.amazonaws.com"}"#));
    }
}
