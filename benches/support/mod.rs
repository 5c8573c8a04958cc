//! Helpers of the `scan` benchmark: the trail generator and the process timer.

pub mod backfill;
pub mod cognito;
pub mod envelope;
pub mod gen;
pub mod identity;
pub mod measure;
pub mod profiles;
pub mod records;
pub mod report;
pub mod rng;
pub mod svc_data;
pub mod svc_ec2_iam;
pub mod svc_ops;
pub mod world;
