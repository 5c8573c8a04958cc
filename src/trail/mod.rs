//! CloudTrail log files → records: encoding detection, streaming framing and the
//! lenient record type. No AWS SDK and no async here.

mod describe;
mod framer;
mod input;
mod keys;
pub mod layout;
mod record;
mod value_end;

/// Was this module's own; kept here for its callers (`crate::json::kind_of_text`).
pub use crate::json::kind_of_text as json_kind;
pub use framer::{FrameError, Framer, Item, MAX_RECORD_BYTES};
pub use input::{
    open, open_slice, Encoding, InflateLimit, Json, ReadAhead, SliceJson, MAX_INFLATED_BYTES,
};
pub use keys::{top_keys, TopKeys};
pub use record::{
    OnBehalfOf, Record, RecordError, SessionContext, SessionIssuer, UserIdentity, WebIdFederation,
};
