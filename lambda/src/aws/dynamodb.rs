//! The state store in DynamoDB: one table (`pk`, `sk`, TTL on `ttl`). Claims are
//! conditional PutItems (in parallel, one per notice), completions one
//! BatchWriteItem per 25, releases conditional DeleteItems.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::{
    AttributeValue, PutRequest, ReturnValue, ReturnValuesOnConditionCheckFailure, WriteRequest,
};
use aws_sdk_dynamodb::Client;
use cognito_trail_alerts::claim::{status, Claim, Item, Key, Status, CLAIM_CONDITION};
use tokio::task::JoinSet;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

use super::call_error;
use crate::failure::CallError;
use crate::ports::ClaimStore;

/// BatchWriteItem takes at most 25 requests.
const MAX_BATCH_WRITE: usize = 25;
/// Rounds for the items a BatchWriteItem leaves unprocessed (throttled).
const BATCH_ROUNDS: u32 = 3;

/// The table `STATE_TABLE`.
#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    /// Wraps a client built at cold start.
    pub fn new(client: Client, table: String) -> Self {
        DynamoStore { client, table }
    }

    pub(super) fn client(&self) -> &Client {
        &self.client
    }

    pub(super) fn table(&self) -> &str {
        &self.table
    }

    async fn claim_one(&self, key: Key, owner: String, now: u64) -> Result<Claim, CallError> {
        let answer = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(attributes(&key, &Item::claim(&owner, now))))
            .condition_expression(CLAIM_CONDITION)
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#lease", "lease")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_names("#ttl", "ttl")
            .expression_attribute_values(":in_progress", s(Status::InProgress.as_str()))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":owner", s(&owner))
            // Either way the stored item comes back: it says what the claim replaced
            // (a dead invocation's claim, taken over) or why it was refused.
            .return_values(ReturnValue::AllOld)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match answer {
            Ok(out) => {
                let replaced = out.attributes.as_ref().and_then(item);
                Ok(match status(replaced.as_ref(), &owner, now) {
                    c if c.granted() => c,
                    // Written, so the condition held: the replaced item only looked
                    // live or sent to this clock.
                    _ => Claim::Expired,
                })
            }
            Err(e) => match e.as_service_error() {
                // An answer, not an error: the stored item says why.
                Some(PutItemError::ConditionalCheckFailedException(c)) => {
                    let stored = c.item.as_ref().and_then(item);
                    Ok(match status(stored.as_ref(), &owner, now) {
                        // Judged claimable here but refused there (clocks, or an
                        // unreadable item): treat it as held, never as sent.
                        c if c.granted() => Claim::Held {
                            until: now + cognito_trail_alerts::claim::LEASE_SECS,
                        },
                        c => c,
                    })
                }
                _ => Err(call_error("PutItem", &self.table, e)),
            },
        }
    }

    async fn release_one(&self, key: Key, owner: String) -> Result<(), CallError> {
        let answer = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(&key.pk))
            .key("sk", s(&key.sk))
            .condition_expression("#owner = :owner AND #status = :in_progress")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":owner", s(&owner))
            .expression_attribute_values(":in_progress", s(Status::InProgress.as_str()))
            .send()
            .await;
        // A refused condition: taken over or completed since, not ours to release.
        written_or_refused("DeleteItem", &self.table, answer)
    }
}

impl ClaimStore for DynamoStore {
    async fn claim(&self, keys: &[Key], owner: &str, now: u64) -> Vec<Result<Claim, CallError>> {
        let mut tasks = JoinSet::new();
        for (i, key) in keys.iter().enumerate() {
            let (store, key, owner) = (self.clone(), key.clone(), owner.to_string());
            tasks.spawn(async move { (i, store.claim_one(key, owner, now).await) });
        }
        let mut out: Vec<Result<Claim, CallError>> = keys
            .iter()
            .map(|_| Err(CallError::transient("PutItem: claim task lost")))
            .collect();
        while let Some(done) = tasks.join_next().await {
            if let Ok((i, answer)) = done {
                out[i] = answer;
            }
        }
        out
    }

    async fn complete(&self, keys: &[Key], owner: &str, now: u64) -> Result<(), CallError> {
        let done = Item::completed(owner, now);
        for chunk in keys.chunks(MAX_BATCH_WRITE) {
            let mut requests: Vec<WriteRequest> = chunk
                .iter()
                .map(|k| {
                    let put = PutRequest::builder()
                        .set_item(Some(attributes(k, &done)))
                        .build()
                        .map_err(|e| CallError::permanent(e.to_string()))?;
                    Ok(WriteRequest::builder().put_request(put).build())
                })
                .collect::<Result<_, CallError>>()?;
            for round in 0..BATCH_ROUNDS {
                if round > 0 {
                    tokio::time::sleep(Duration::from_millis(100 << round)).await;
                }
                let out = self
                    .client
                    .batch_write_item()
                    .request_items(&self.table, requests)
                    .send()
                    .await
                    .map_err(|e| call_error("BatchWriteItem", &self.table, e))?;
                requests = out
                    .unprocessed_items
                    .and_then(|mut m| m.remove(&self.table))
                    .unwrap_or_default();
                if requests.is_empty() {
                    break;
                }
            }
            if !requests.is_empty() {
                return Err(CallError::transient(format!(
                    "BatchWriteItem {}: {} items unprocessed after {BATCH_ROUNDS} rounds",
                    self.table,
                    requests.len()
                )));
            }
        }
        Ok(())
    }

    async fn release(&self, keys: &[Key], owner: &str) -> Result<(), CallError> {
        let mut tasks = JoinSet::new();
        for key in keys {
            let (store, key, owner) = (self.clone(), key.clone(), owner.to_string());
            tasks.spawn(async move { store.release_one(key, owner).await });
        }
        let mut result = Ok(());
        while let Some(done) = tasks.join_next().await {
            if let Ok(Err(e)) = done {
                result = Err(e);
            }
        }
        result
    }
}

/// A conditional write's answer when a refused condition means the write is not
/// needed: `Ok` whether it was made or refused; any other failure is classified.
pub(super) fn written_or_refused<O, E>(
    operation: &str,
    table: &str,
    answer: Result<O, SdkError<E, HttpResponse>>,
) -> Result<(), CallError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match answer {
        Ok(_) => Ok(()),
        Err(e) if e.as_service_error().and_then(|s| s.code()) == Some(CONDITION_FAILED) => Ok(()),
        Err(e) => Err(call_error(operation, table, e)),
    }
}

/// Whether a conditional write was refused (`true`), done (`false`), or failed.
pub(super) fn refused<O, E>(
    operation: &str,
    table: &str,
    answer: Result<O, SdkError<E, HttpResponse>>,
) -> Result<bool, CallError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match answer {
        Ok(_) => Ok(false),
        Err(e) if e.as_service_error().and_then(|s| s.code()) == Some(CONDITION_FAILED) => Ok(true),
        Err(e) => Err(call_error(operation, table, e)),
    }
}

/// DynamoDB's error code for a condition that does not hold.
const CONDITION_FAILED: &str = "ConditionalCheckFailedException";

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

fn n(v: u64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// The stored attributes of `item` under `key`.
fn attributes(key: &Key, item: &Item) -> HashMap<String, AttributeValue> {
    HashMap::from([
        ("pk".to_string(), s(&key.pk)),
        ("sk".to_string(), s(&key.sk)),
        ("status".to_string(), s(item.status.as_str())),
        ("lease".to_string(), n(item.lease)),
        ("owner".to_string(), s(&item.owner)),
        ("ttl".to_string(), n(item.ttl)),
    ])
}

/// Reads a stored item; `None` when it is not one of ours.
fn item(attrs: &HashMap<String, AttributeValue>) -> Option<Item> {
    let text = |name: &str| attrs.get(name)?.as_s().ok().cloned();
    let number = |name: &str| attrs.get(name)?.as_n().ok()?.parse::<u64>().ok();
    Some(Item {
        status: Status::parse(&text("status")?)?,
        lease: number("lease").unwrap_or(0),
        owner: text("owner").unwrap_or_default(),
        ttl: number("ttl").unwrap_or(u64::MAX),
    })
}

/// Timeouts for the DynamoDB client: it answers in milliseconds, and every second
/// it takes to fail is a second of the invocation (the claims wait for it).
pub fn timeouts() -> aws_config::timeout::TimeoutConfig {
    aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(2))
        .read_timeout(Duration::from_secs(3))
        .operation_attempt_timeout(Duration::from_secs(4))
        .operation_timeout(Duration::from_secs(12))
        .build()
}
