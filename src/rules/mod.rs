//! Rules as data: the YAML format, its validation, the compiled matcher and the
//! bundled Cognito pack.

pub mod catalogue;
pub mod chain;
mod compile;
mod cond;
mod date;
mod escalate;
mod explain;
mod index;
mod model;
mod overlay;
mod overlay_case;
mod pack;
pub(crate) mod pattern;
mod place;
pub mod posture;
mod predicate;
mod rule;
mod set;
mod shared;
mod suppress;
mod testcase;
mod tuning;

pub use compile::RulesError;
pub use cond::Ctx;
pub use date::Date;
pub use explain::{Explanation, RuleTrace};
pub use model::{Expect, TestSpec};
pub use overlay::Overlay;
pub use overlay_case::OverlayCase;
pub use pack::{BUNDLED_DIR, BUNDLED_FILES, BUNDLED_MANIFEST, BUNDLED_NAME, MANIFEST};
pub use place::Place;
pub use rule::{Finding, Rule};
pub use set::{RuleSet, Verdict};
pub use suppress::{Suppression, SuppressionHit};
pub use testcase::{CaseResult, TestReport};
pub use tuning::{Deployer, DeployerEffect};
