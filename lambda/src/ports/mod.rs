//! The narrow interfaces the handler talks to, one capability a file, each with
//! its fake for tests (behind `cfg(any(test, feature = "testkit"))`, so never in
//! the release binary). The AWS adapters are in `crate::aws`.

mod account_names;
mod accounts;
mod alerts;
mod chain_memory;
mod chains;
mod claims;
mod config;
mod findings;
mod metrics;
mod objects;
mod settings;
mod users;

pub use account_names::AccountNameStore;
pub use accounts::AccountDirectory;
pub use alerts::{AlertSink, EntryFailure};
pub use chains::{ChainStore, MemoryChains, StoredGroup, Written};
pub use claims::{ClaimStore, NoStore};
pub use config::{unsupported, ConfigReader, ConfigTarget, Configuration, KINDS};
pub use findings::{FailedFinding, FindingSink};
pub use metrics::MetricSink;
pub use objects::{Body, ObjectSource};
pub use settings::SettingsStore;
pub use users::{BoxFuture, UserDirectory};

#[cfg(any(test, feature = "testkit"))]
pub use accounts::FakeAccounts;
#[cfg(any(test, feature = "testkit"))]
pub use alerts::FakeSns;
#[cfg(any(test, feature = "testkit"))]
pub use claims::FakeStateTable;
#[cfg(any(test, feature = "testkit"))]
pub use config::FakeConfigReader;
#[cfg(any(test, feature = "testkit"))]
pub use findings::FakeSecurityHub;
#[cfg(any(test, feature = "testkit"))]
pub use metrics::FakeMetrics;
#[cfg(any(test, feature = "testkit"))]
pub use objects::FakeS3;
#[cfg(any(test, feature = "testkit"))]
pub use users::FakeDirectory;

/// The function's ports as one type, so `App` has one parameter and each `impl`
/// one bound: the deployed function's are `aws::AwsPorts`, the tests'
/// [`FakePorts`].
pub trait Ports {
    /// Where log files are read.
    type Objects: ObjectSource;
    /// Where alerts are published.
    type Alerts: AlertSink;
    /// Where the invocation's metrics go.
    type Metrics: MetricSink;
    /// The state table (claims and tracked settings); [`NoStore`] when there is
    /// none (the `App` then holds `None`).
    type State: ClaimStore + SettingsStore + ChainStore;
}

/// The fakes, with the state table `T` (tests).
#[cfg(any(test, feature = "testkit"))]
pub struct FakePorts<T = NoStore>(std::marker::PhantomData<fn() -> T>);

#[cfg(any(test, feature = "testkit"))]
impl<T: ClaimStore + SettingsStore + ChainStore> Ports for FakePorts<T> {
    type Objects = FakeS3;
    type Alerts = FakeSns;
    type Metrics = FakeMetrics;
    type State = T;
}
