//! The state store's side of a test world: a DynamoDB table in moto (the template's
//! key schema and TTL), read and rigged directly by the tests.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType, TimeToLiveSpecification,
};
use cognito_trail_alerts::claim::{Item, Key};

use super::proxy::Proxy;
use super::{endpoint, require, sdk_config_for, World};

/// Where moto serves DynamoDB (started by scripts/test.sh).
pub fn moto_endpoint() -> String {
    std::env::var("MOTO_ENDPOINT").unwrap_or_else(|_| "http://127.0.0.1:4569".into())
}

/// One test's table.
pub struct StateTable {
    pub client: aws_sdk_dynamodb::Client,
    pub name: String,
}

/// A stored item's attributes.
pub type Attrs = HashMap<String, AttributeValue>;

impl StateTable {
    /// Creates the table `name` as template.yaml does (on-demand, `pk`/`sk`, TTL on `ttl`).
    pub async fn create(name: &str) -> StateTable {
        let url = moto_endpoint();
        require(&url, "moto (DynamoDB)", "scripts/moto.sh start");
        let client = aws_sdk_dynamodb::Client::new(&sdk_config_for(&url).await);
        let attr = |n: &str| {
            AttributeDefinition::builder()
                .attribute_name(n)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap()
        };
        let key = |n: &str, t| {
            KeySchemaElement::builder()
                .attribute_name(n)
                .key_type(t)
                .build()
                .unwrap()
        };
        client
            .create_table()
            .table_name(name)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attr("pk"))
            .attribute_definitions(attr("sk"))
            .key_schema(key("pk", KeyType::Hash))
            .key_schema(key("sk", KeyType::Range))
            .send()
            .await
            .expect("create table");
        let ttl = TimeToLiveSpecification::builder()
            .attribute_name("ttl")
            .enabled(true)
            .build()
            .unwrap();
        client
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(ttl)
            .send()
            .await
            .expect("enable TTL");
        StateTable {
            client,
            name: name.to_string(),
        }
    }

    /// Every item in the table.
    pub async fn items(&self) -> Vec<Attrs> {
        let out = self
            .client
            .scan()
            .table_name(&self.name)
            .send()
            .await
            .expect("scan");
        out.items.unwrap_or_default()
    }

    /// The claims and sent marks only (not the tracked settings).
    pub async fn claims(&self) -> Vec<Attrs> {
        let all = self.items().await;
        all.into_iter()
            .filter(|i| !text(i, "pk").starts_with("setting#"))
            .collect()
    }

    /// The tracked settings only.
    pub async fn settings(&self) -> Vec<Attrs> {
        let all = self.items().await;
        all.into_iter()
            .filter(|i| text(i, "pk").starts_with("setting#"))
            .collect()
    }

    /// Stores `item` under `key` as it is (another invocation's claim).
    pub async fn put(&self, key: &Key, item: &Item) {
        let n = |v: u64| AttributeValue::N(v.to_string());
        let s = |v: &str| AttributeValue::S(v.to_string());
        self.client
            .put_item()
            .table_name(&self.name)
            .item("pk", s(&key.pk))
            .item("sk", s(&key.sk))
            .item("status", s(item.status.as_str()))
            .item("lease", n(item.lease))
            .item("owner", s(&item.owner))
            .item("ttl", n(item.ttl))
            .send()
            .await
            .expect("put item");
    }
}

/// A text attribute.
pub fn text<'a>(item: &'a Attrs, name: &str) -> &'a str {
    item.get(name).and_then(|v| v.as_s().ok()).map_or("", |s| s)
}

/// A number attribute.
pub fn number(item: &Attrs, name: &str) -> u64 {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

impl World {
    /// A world whose function has a state store: a table of its own in moto.
    pub async fn with_state(tag: &str) -> World {
        let mut world = World::new(tag).await;
        world.state = Some(StateTable::create(&world.name).await);
        world
    }

    /// The table of a world made by [`World::with_state`].
    pub fn table(&self) -> &StateTable {
        self.state.as_ref().expect("a world with a state table")
    }
}

/// A proxy without faults that sends DynamoDB to moto and the rest to LocalStack:
/// the function's clients share one endpoint, as `AWS_ENDPOINT_URL` gives them.
pub async fn router() -> Proxy {
    Proxy::start_routed(endpoint(), moto_endpoint()).await
}
