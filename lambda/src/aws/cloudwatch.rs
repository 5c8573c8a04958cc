//! Metrics out: PutMetricData (`METRICS_MODE=api`) or EMF lines on stdout (`emf`).

use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
use aws_sdk_cloudwatch::Client;

use super::call_error;
use crate::clock::Clock;
use crate::failure::CallError;
use crate::metrics::{emf, Datum, Unit};
use crate::ports::MetricSink;

/// PutMetricData accepts at most 1000 datums per request.
const MAX_DATUMS: usize = 1000;

/// Sends datums with PutMetricData.
#[derive(Clone)]
pub struct CloudWatchSink {
    client: Client,
    namespace: String,
}

impl CloudWatchSink {
    /// Wraps a client built at cold start.
    pub fn new(client: Client, namespace: String) -> Self {
        CloudWatchSink { client, namespace }
    }
}

fn datum(d: &Datum) -> MetricDatum {
    let dims = d
        .dimensions
        .iter()
        .map(|(k, v)| Dimension::builder().name(*k).value(v).build());
    MetricDatum::builder()
        .metric_name(d.name)
        .set_dimensions(Some(dims.collect()))
        .value(d.value)
        .unit(match d.unit {
            Unit::Count => StandardUnit::Count,
            Unit::Seconds => StandardUnit::Seconds,
        })
        .build()
}

impl MetricSink for CloudWatchSink {
    async fn put(&self, datums: &[Datum]) -> Result<(), CallError> {
        for chunk in datums.chunks(MAX_DATUMS) {
            self.client
                .put_metric_data()
                .namespace(&self.namespace)
                .set_metric_data(Some(chunk.iter().map(datum).collect()))
                .send()
                .await
                .map_err(|e| call_error("PutMetricData", &self.namespace, e))?;
        }
        Ok(())
    }
}

/// Writes Embedded Metric Format documents to stdout, where Lambda's log pipeline
/// turns them into metrics without an API call.
#[derive(Clone)]
pub struct EmfSink {
    pub namespace: String,
}

impl MetricSink for EmfSink {
    async fn put(&self, datums: &[Datum]) -> Result<(), CallError> {
        // The documents' timestamp: an adapter's own read, through the one clock.
        let now = Clock::system().unix_millis();
        for doc in emf(&self.namespace, datums, now) {
            println!("{doc}");
        }
        Ok(())
    }
}

/// The metrics sink chosen by `METRICS_MODE`.
#[derive(Clone)]
pub enum Metrics {
    Api(CloudWatchSink),
    Emf(EmfSink),
}

impl MetricSink for Metrics {
    async fn put(&self, datums: &[Datum]) -> Result<(), CallError> {
        match self {
            Metrics::Api(s) => s.put(datums).await,
            Metrics::Emf(s) => s.put(datums).await,
        }
    }
}
