//! Open chains in the state table: one item per (chain, group) (`pk` =
//! `chains::store_key`, `sk` = `chain`), the group's state as JSON and a version;
//! read with one consistent GetItem, written with one PutItem (or DeleteItem)
//! conditional on the version read, so two invocations never both extend the
//! same state.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use cognito_trail_alerts::chains::GroupState;

use super::call_error;
use super::dynamodb::{refused, DynamoStore};
use crate::failure::CallError;
use crate::ports::{ChainStore, StoredGroup, Written};

const SK: &str = "chain";
const DATA: &str = "data";
const VERSION: &str = "version";

fn key(pk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        ("pk".to_owned(), AttributeValue::S(pk.to_owned())),
        ("sk".to_owned(), AttributeValue::S(SK.to_owned())),
    ])
}

fn number(v: u64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

impl ChainStore for DynamoStore {
    async fn load(&self, pk: &str) -> Result<Option<StoredGroup>, CallError> {
        let answer = self
            .client()
            .get_item()
            .table_name(self.table())
            .set_key(Some(key(pk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| call_error("GetItem", self.table(), e))?;
        let Some(item) = answer.item else {
            return Ok(None);
        };
        let data = item.get(DATA).and_then(|v| v.as_s().ok());
        let version = item.get(VERSION).and_then(|v| v.as_n().ok());
        let version = version.and_then(|v| v.parse().ok()).unwrap_or(0);
        // A state this version cannot read starts over (at the stored version).
        let state = data
            .and_then(|d| serde_json::from_str::<GroupState>(d).ok())
            .unwrap_or_default();
        Ok(Some(StoredGroup { state, version }))
    }

    async fn save(
        &self,
        pk: &str,
        state: &GroupState,
        version: Option<u64>,
        expires: u64,
    ) -> Result<Written, CallError> {
        let condition = match version {
            Some(_) => "#version = :version",
            None => "attribute_not_exists(pk)",
        };
        let values = version.map(|v| HashMap::from([(":version".to_owned(), number(v))]));
        let names = version.map(|_| HashMap::from([("#version".to_owned(), VERSION.to_owned())]));
        if state.is_empty() {
            if version.is_none() {
                return Ok(Written::Saved);
            }
            let answer = self
                .client()
                .delete_item()
                .table_name(self.table())
                .set_key(Some(key(pk)))
                .condition_expression(condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .send()
                .await;
            return written(refused("DeleteItem", self.table(), answer)?);
        }
        let data = serde_json::to_string(state).map_err(|e| CallError::permanent(e.to_string()))?;
        let mut item = key(pk);
        item.insert(DATA.to_owned(), AttributeValue::S(data));
        item.insert(VERSION.to_owned(), number(version.map_or(1, |v| v + 1)));
        item.insert("ttl".to_owned(), number(expires));
        let answer = self
            .client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .send()
            .await;
        written(refused("PutItem", self.table(), answer)?)
    }
}

fn written(refused: bool) -> Result<Written, CallError> {
    Ok(if refused {
        Written::Conflict
    } else {
        Written::Saved
    })
}
