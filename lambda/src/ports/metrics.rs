//! Sending metrics: the port and the fake. The adapters are `aws::CloudWatchSink`
//! and `aws::EmfSink`.

use std::future::Future;

use crate::failure::CallError;
use crate::metrics::Datum;

/// Sends metric datums.
pub trait MetricSink: Send + Sync {
    /// Sends all `datums` (the sink splits them into requests as its API requires).
    fn put(&self, datums: &[Datum]) -> impl Future<Output = Result<(), CallError>> + Send;
}

/// A metrics sink in memory (tests): every datum put, in order.
#[cfg(any(test, feature = "testkit"))]
#[derive(Default)]
pub struct FakeMetrics(pub std::sync::Mutex<Vec<Datum>>);

#[cfg(any(test, feature = "testkit"))]
impl FakeMetrics {
    /// The sum of metric `name` over every datum put with exactly `dim` (none: the
    /// metric's total, no dimensions).
    pub fn sum(&self, name: &str, dim: Option<(&str, &str)>) -> f64 {
        let datums = self.0.lock().unwrap();
        datums
            .iter()
            .filter(|d| {
                d.name == name && d.dimensions.iter().map(|(k, v)| (*k, v.as_str())).eq(dim)
            })
            .map(|d| d.value)
            .sum()
    }
}

#[cfg(any(test, feature = "testkit"))]
impl MetricSink for FakeMetrics {
    async fn put(&self, datums: &[Datum]) -> Result<(), CallError> {
        self.0.lock().unwrap().extend_from_slice(datums);
        Ok(())
    }
}
