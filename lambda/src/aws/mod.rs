//! The ports implemented with the AWS SDK. Nothing here decides policy: errors are
//! classified by `failure::classify`.

mod account_names;
mod chains;
mod cloudwatch;
mod cognito;
mod config_reader;
mod dynamodb;
mod idle;
mod organizations;
mod s3;
mod securityhub;
mod settings;
mod sns;

pub use cloudwatch::{CloudWatchSink, EmfSink, Metrics};
pub use cognito::{CognitoDirectory, MemberRoles};
pub use config_reader::CognitoConfigReader;
pub use dynamodb::{timeouts as state_timeouts, DynamoStore};
pub use organizations::OrganizationsDirectory;
pub use s3::{read_small_object, S3Source};
pub use securityhub::{sdk_finding, SecurityHubSink};
pub use sns::SnsSink;

use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::failure::{classify, CallError};
use crate::ports::Ports;

/// The deployed function's ports: S3, SNS, CloudWatch (API or EMF) and the
/// DynamoDB state table.
pub struct AwsPorts;

impl Ports for AwsPorts {
    type Objects = S3Source;
    type Alerts = SnsSink;
    type Metrics = Metrics;
    type State = DynamoStore;
}

/// Turns an SDK error of any service into a classified [`CallError`] naming the
/// operation and its target.
pub fn call_error<E>(operation: &str, target: &str, err: SdkError<E, HttpResponse>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let status = err.raw_response().map(|r| r.status().as_u16());
    let code = err.code().map(str::to_string);
    let retry = classify(code.as_deref(), status);
    let what = code.unwrap_or_else(|| "error".to_string());
    CallError {
        retry,
        message: format!(
            "{operation} {target}: {what}: {}",
            DisplayErrorContext(&err)
        ),
    }
}
