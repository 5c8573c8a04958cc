//! Loading the rules a command runs with: a file, a pack or the bundled pack, then
//! the overlays.

use std::path::PathBuf;

use cognito_trail_alerts::rules::Overlay;
use cognito_trail_alerts::RuleSet;

use super::tuning;

/// Loads `--rules PATH` (a file or a pack) or the bundled pack, then the overlays in order, judged on
/// today's UTC date; prints the error and returns `None` on failure.
pub fn load_rules(file: Option<&PathBuf>, overlays: &[PathBuf]) -> Option<RuleSet> {
    let loaded = match file {
        Some(path) => RuleSet::load(path),
        None => RuleSet::bundled(),
    };
    let tuned = loaded.and_then(|set| {
        let parsed = overlays.iter().map(|p| Overlay::load(p));
        set.with_overlays(parsed.collect::<Result<_, _>>()?, tuning::today())
    });
    tuned.map_err(|e| eprintln!("error: {e}")).ok()
}
