//! Metric names: every metric the function sends is named here.

pub const ALERTS: &str = "Alerts";
pub const RECORDS_PROCESSED: &str = "RecordsProcessed";
pub const FILES_PROCESSED: &str = "FilesProcessed";
pub const OBJECTS_SKIPPED: &str = "ObjectsSkipped";
pub const FILE_ERRORS: &str = "FileErrors";
pub const RECORD_ERRORS: &str = "RecordErrors";
/// Notices not published after every round (also per `Topic`: messages).
pub const PUBLISH_FAILURES: &str = "PublishFailures";
/// SNS messages accepted, per `Topic` (a change set's part is one message).
pub const MESSAGES_PUBLISHED: &str = "MessagesPublished";
pub const PROCESSING_LATENCY: &str = "ProcessingLatency";
/// Notices published without the state store's protection (it failed).
pub const STATE_UNAVAILABLE: &str = "StateUnavailable";
/// Notices not published because the state store says they were (also per
/// `Path`: the path that came second).
pub const DUPLICATES_SUPPRESSED: &str = "DuplicatesSuppressed";
/// Event time → SNS accepted, the worst alert of the invocation, per `Path`.
pub const END_TO_END_LATENCY: &str = "EndToEndLatency";
/// Alerts an overlay's suppression hid (dimension `SuppressionId`).
pub const SUPPRESSED: &str = "Suppressed";
/// Alerts whose resource fails a posture check after the change (dimension
/// `Check`), sent or not: the dashboard's failing checks.
pub const FAILING_CHECKS: &str = "FailingChecks";
/// Alerts naming a user, by what the lookup said (`Status`: `found`,
/// `not_found`, `failed`, `skipped`); sent only with `ENRICH_USERS`.
pub const USER_LOOKUPS: &str = "UserLookups";
/// Resources the state table had never seen whose settings a snapshot seeded;
/// sent only with `SNAPSHOT_ON_FIRST_SIGHT`.
pub const SNAPSHOTS: &str = "Snapshots";
/// Snapshots not taken (total, and by `Reason`: `access_denied`, `throttled`,
/// `timeout`, `error`, `unsupported`, `no_role`, `account_down`, `deadline`);
/// sent only with `SNAPSHOT_ON_FIRST_SIGHT`.
pub const SNAPSHOT_FAILURES: &str = "SnapshotFailures";
/// Records' hits of chain steps, stepped against the chains' state.
pub const CHAIN_HITS: &str = "ChainHits";
/// Chains that fired.
pub const CHAIN_ALERTS: &str = "ChainAlerts";
/// Hits whose chain state could not be read or written (the state table
/// failed): those chains went unevaluated; the records' own alerts went out.
pub const CHAINS_UNEVALUATED: &str = "ChainsUnevaluated";
/// Chain state writes that found another invocation's newer state.
pub const CHAIN_CONFLICTS: &str = "ChainConflicts";
/// Calls to AWS Organizations for account names (listings and DescribeAccount);
/// sent only with `ACCOUNT_NAMES_ROLE_ARN`.
pub const ACCOUNT_NAME_LOOKUPS: &str = "AccountNameLookups";
/// Account name lookups that failed or had no answer in time (total, and by
/// `Reason`: `access_denied`, `throttled`, `timeout`, `error`): their alerts went
/// out with the id alone; sent only with `ACCOUNT_NAMES_ROLE_ARN`.
pub const ACCOUNT_NAME_FAILURES: &str = "AccountNameFailures";
/// Findings Security Hub took (`BatchImportFindings`; a finding imported again
/// counts again); sent only with `SECURITY_HUB`.
pub const FINDINGS_IMPORTED: &str = "FindingsImported";
/// Findings not imported after every round (refused, or their call failed): the
/// invocation fails so they are imported on the retry; sent only with
/// `SECURITY_HUB`.
pub const FINDING_IMPORT_FAILURES: &str = "FindingImportFailures";
