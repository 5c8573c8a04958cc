//! Overlays (`RULES_OVERLAYS`), read once at cold start from the package or S3,
//! and the alerts their suppressions hide: not published, but logged with the
//! suppression id and counted (`Suppressed{SuppressionId}`).

use std::path::Path;

use cognito_trail_alerts::rules::{Date, Overlay};
use cognito_trail_alerts::{Alert, RuleSet};
use tracing::info;

use crate::aws;
use crate::config::RulesSource;
use crate::metrics::Tally;

/// Reads each overlay (a path in the package or an S3 object) and applies them
/// in order, as of `today` (suppressions expire). An error names the file and
/// line, or the s3:// URI that failed.
pub async fn apply(
    rules: RuleSet,
    sources: &[RulesSource],
    s3: &aws_sdk_s3::Client,
    today: Date,
) -> Result<RuleSet, lambda_runtime::Error> {
    let mut overlays = Vec::with_capacity(sources.len());
    for source in sources {
        overlays.push(match source {
            RulesSource::Bundled => continue, // never configured as an overlay
            RulesSource::Path(path) => Overlay::load(Path::new(path))?,
            RulesSource::S3 { bucket, key } => {
                let text = aws::read_small_object(s3, bucket, key).await?;
                Overlay::from_yaml(&text, &format!("s3://{bucket}/{key}"))?
            }
        });
    }
    Ok(rules.with_overlays(overlays, today)?)
}

/// The alerts suppressions hid while one file was scanned.
#[derive(Debug, Default)]
pub struct Hidden(Vec<HiddenAlert>);

#[derive(Debug)]
struct HiddenAlert {
    suppression: String,
    rule: String,
    event_id: Option<String>,
}

impl Hidden {
    /// Keeps a note of `alert` if a suppression hides it; returns whether one does.
    pub fn note(&mut self, alert: &Alert) -> bool {
        let Some(id) = &alert.suppressed_by else {
            return false;
        };
        self.0.push(HiddenAlert {
            suppression: id.clone(),
            rule: alert.rule_id.clone(),
            event_id: alert.event_id.clone(),
        });
        true
    }

    /// Logs each hidden alert with its suppression id, and counts it.
    pub fn report(self, place: &str, tally: &mut Tally) {
        for h in self.0 {
            info!(object = %place, suppression_id = %h.suppression, rule_id = %h.rule,
                  event_id = h.event_id.as_deref().unwrap_or(""), "alert suppressed");
            tally.suppressed(&h.suppression);
        }
    }
}
