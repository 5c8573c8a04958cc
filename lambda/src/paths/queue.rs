//! SQS messages: each is its own work, and those that fail are listed in
//! `batchItemFailures` so SQS retries only them.

use cognito_trail_alerts::trigger::{Message, TriggerError, Work};
use serde_json::json;
use tracing::error;

use crate::handler::{Answer, App, HandlerError, Run};
use crate::ports::Ports;

impl<P: Ports> App<P> {
    /// Runs every message. A record without a message id cannot be listed, so
    /// its failure fails the invocation (after the other messages ran); a batch
    /// of such records only is answered like a direct trigger, as before SQS
    /// batches were told apart.
    pub(crate) async fn run_queue(
        &self,
        messages: Vec<Message>,
        run: &mut Run<'_, P::State>,
    ) -> Answer {
        let listed = messages.iter().any(|m| m.message_id.is_some());
        let (mut failed, mut failure) = (Vec::new(), None);
        for message in messages {
            let Err(e) = self.run_message(message.work, run).await else {
                continue;
            };
            let id = message.message_id;
            error!(message_id = id.as_deref().unwrap_or(""), error = %e, "unit failed");
            match id {
                Some(id) => failed.push(json!({ "itemIdentifier": id })),
                None => failure = Some(e),
            }
        }
        match failure {
            Some(e) => Answer::Failed(e),
            None if listed => Answer::Json(json!({ "batchItemFailures": failed })),
            None => Answer::Summary,
        }
    }

    async fn run_message(
        &self,
        work: Result<Work, TriggerError>,
        run: &mut Run<'_, P::State>,
    ) -> Result<(), HandlerError> {
        self.run_work(work?, run).await
    }
}
