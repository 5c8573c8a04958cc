//! Tracked settings in the state table: one item per resource and setting
//! (`pk` = `setting#<account>/<region>/<kind>/<id>`, `sk` = the setting's name),
//! read with one Query per resource, written with conditional PutItems that never
//! replace a value from a later event.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use cognito_trail_alerts::settings::{Remembered, ResourceKey};
use tokio::task::JoinSet;

use super::call_error;
use super::dynamodb::{written_or_refused, DynamoStore};
use crate::failure::CallError;
use crate::ports::SettingsStore;

/// Item attributes: the event time the condition compares, and the whole
/// remembered value as JSON (its shape is the engine's, not the table's).
const TIME: &str = "event_time";
const DATA: &str = "data";

/// A value is written unless the table holds one from a later event.
const NOT_OLDER: &str = "attribute_not_exists(pk) OR #time <= :time";

fn pk(resource: &ResourceKey) -> String {
    format!("setting#{}", resource.text())
}

impl DynamoStore {
    async fn remember_one(
        &self,
        key: ResourceKey,
        name: String,
        value: Remembered,
    ) -> Result<(), CallError> {
        let data =
            serde_json::to_string(&value).map_err(|e| CallError::permanent(e.to_string()))?;
        let item = HashMap::from([
            ("pk".to_string(), AttributeValue::S(pk(&key))),
            ("sk".to_string(), AttributeValue::S(name)),
            (
                TIME.to_string(),
                AttributeValue::S(value.last.event_time.clone()),
            ),
            (DATA.to_string(), AttributeValue::S(data)),
        ]);
        let answer = self
            .client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .condition_expression(NOT_OLDER)
            .expression_attribute_names("#time", TIME)
            .expression_attribute_values(":time", AttributeValue::S(value.last.event_time))
            .send()
            .await;
        // A refused condition: a later event's value is already there, and stays.
        written_or_refused("PutItem", self.table(), answer)
    }
}

impl SettingsStore for DynamoStore {
    async fn recall(
        &self,
        resource: &ResourceKey,
    ) -> Result<HashMap<String, Remembered>, CallError> {
        let pages = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(pk(resource)))
            .consistent_read(true)
            .into_paginator()
            .items()
            .send();
        let items: Vec<_> = pages
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| call_error("Query", self.table(), e))?;
        let mut out = HashMap::new();
        for item in items {
            let text = |name: &str| item.get(name).and_then(|v| v.as_s().ok());
            let (Some(name), Some(data)) = (text("sk"), text(DATA)) else {
                continue;
            };
            // An item this version cannot read is treated as never seen.
            if let Ok(value) = serde_json::from_str::<Remembered>(data) {
                out.insert(name.clone(), value);
            }
        }
        Ok(out)
    }

    async fn remember(&self, items: &[(ResourceKey, String, Remembered)]) -> Result<(), CallError> {
        let mut tasks = JoinSet::new();
        for (key, name, value) in items.iter().cloned() {
            let store = self.clone();
            tasks.spawn(async move { store.remember_one(key, name, value).await });
        }
        let mut result = Ok(());
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Err(e)) => result = Err(e),
                Err(e) => result = Err(CallError::transient(format!("PutItem task: {e}"))),
                Ok(Ok(())) => {}
            }
        }
        result
    }
}
