//! The Lambda bootstrap: configuration, SDK clients and rules are built once at
//! cold start and shared by every invocation.

use cognito_trail_alerts_lambda::clock::Clock;
use cognito_trail_alerts_lambda::config::Config;
use cognito_trail_alerts_lambda::deadline::Deadline;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Honours AWS_LAMBDA_LOG_LEVEL and AWS_LAMBDA_LOG_FORMAT (JSON).
    lambda_runtime::tracing::init_default_subscriber();
    let config = Config::from_env(|k| std::env::var(k).ok())?;
    let app = cognito_trail_alerts_lambda::build(&config).await?;
    let app = &app;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        // Lambda's deadline: steps that would not fit are left for the retry.
        let now_ms = Clock::system().unix_millis();
        let deadline = Deadline::from_epoch_ms(event.context.deadline, now_ms);
        app.handle_with_deadline(event.payload, deadline).await
    }))
    .await
}
