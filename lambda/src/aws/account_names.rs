//! The organization's account names in the state table: one item (`pk` =
//! `account-names`, `sk` = `organization`) holding the last listing as JSON, read
//! with one GetItem and replaced with one PutItem. `ttl` lets DynamoDB clear a
//! listing nobody refreshes; freshness is the reader's (`fetched`).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use cognito_trail_alerts::alert::account::{AccountListing, NAMES_TTL_SECS};

use super::call_error;
use super::dynamodb::DynamoStore;
use crate::failure::CallError;
use crate::ports::{AccountNameStore, BoxFuture};

/// The item's key.
pub const PK: &str = "account-names";
pub const SK: &str = "organization";
/// The listing as JSON (its shape is the engine's, not the table's).
const DATA: &str = "data";

fn key() -> HashMap<String, AttributeValue> {
    HashMap::from([
        ("pk".to_string(), AttributeValue::S(PK.into())),
        ("sk".to_string(), AttributeValue::S(SK.into())),
    ])
}

impl DynamoStore {
    async fn recall_listing(&self) -> Result<Option<AccountListing>, CallError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .set_key(Some(key()))
            .send()
            .await
            .map_err(|e| call_error("GetItem", self.table(), e))?;
        let data = out
            .item
            .as_ref()
            .and_then(|item| item.get(DATA))
            .and_then(|v| v.as_s().ok());
        // An item this version cannot read is treated as no listing.
        Ok(data.and_then(|d| serde_json::from_str(d).ok()))
    }

    async fn remember_listing(&self, listing: &AccountListing) -> Result<(), CallError> {
        let data =
            serde_json::to_string(listing).map_err(|e| CallError::permanent(e.to_string()))?;
        let mut item = key();
        item.insert(DATA.into(), AttributeValue::S(data));
        item.insert(
            "ttl".into(),
            AttributeValue::N((listing.fetched + NAMES_TTL_SECS).to_string()),
        );
        self.client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| call_error("PutItem", self.table(), e))?;
        Ok(())
    }
}

impl AccountNameStore for DynamoStore {
    fn recall_names(&self) -> BoxFuture<'_, Result<Option<AccountListing>, CallError>> {
        Box::pin(self.recall_listing())
    }

    fn remember_names<'a>(
        &'a self,
        listing: &'a AccountListing,
    ) -> BoxFuture<'a, Result<(), CallError>> {
        Box::pin(self.remember_listing(listing))
    }
}
