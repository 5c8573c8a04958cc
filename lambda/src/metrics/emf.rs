//! The datums as Embedded Metric Format documents (`METRICS_MODE=emf`): CloudWatch
//! reads them from the function's log lines, no API call needed.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::Datum;

/// The same datums as Embedded Metric Format documents, one per dimension set.
pub fn emf(namespace: &str, datums: &[Datum], timestamp_ms: u64) -> Vec<Value> {
    let mut groups: BTreeMap<Vec<&str>, Vec<&Datum>> = BTreeMap::new();
    for d in datums {
        groups
            .entry(d.dimensions.iter().map(|(k, _)| *k).collect())
            .or_default()
            .push(d);
    }
    let mut docs = Vec::new();
    for (keys, group) in groups {
        // One document per distinct dimension value: EMF values are per document.
        let mut by_value: BTreeMap<Vec<String>, Vec<&Datum>> = BTreeMap::new();
        for d in group {
            by_value
                .entry(d.dimensions.iter().map(|(_, v)| v.clone()).collect())
                .or_default()
                .push(d);
        }
        for (values, ds) in by_value {
            let mut doc = json!({"_aws": {"Timestamp": timestamp_ms, "CloudWatchMetrics": [{
                "Namespace": namespace,
                "Dimensions": [keys.clone()],
                "Metrics": ds.iter().map(|d| json!({"Name": d.name, "Unit": d.unit.as_str()})).collect::<Vec<_>>(),
            }]}});
            for (k, v) in keys.iter().zip(values) {
                doc[*k] = Value::String(v);
            }
            for d in ds {
                doc[d.name] = json!(d.value);
            }
            docs.push(doc);
        }
    }
    docs
}
