//! CloudTrail log files → records: encoding detection, streaming framing and the
//! lenient record type. No AWS SDK and no async here.

mod describe;
mod framer;
mod input;
mod keys;
pub mod layout;
mod record;
mod value_end;

pub use framer::{FrameError, Framer, Item, MAX_RECORD_BYTES};
pub use input::{
    open, open_slice, Encoding, InflateLimit, Json, ReadAhead, SliceJson, MAX_INFLATED_BYTES,
};
pub use keys::{top_keys, TopKeys};
pub use record::{
    json_kind, OnBehalfOf, Record, RecordError, SessionContext, SessionIssuer, UserIdentity,
    WebIdFederation,
};
