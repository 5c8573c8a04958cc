//! An overlay's `accounts:` map: account id → the name alerts show beside it
//! (`account 111122223333 (prod-payments)`). Overlays merge in load order and a
//! later overlay's name for an id replaces an earlier one's, so an organisation's
//! list can be corrected by a team's overlay applied after it.

use super::routes::find_from;
use super::spec::AccountsSpec;
use super::{invalid, Overlay};
use crate::alert::AccountNames;
use crate::routes::is_account_id;
use crate::rules::compile::RulesError;
use crate::rules::set::RuleSet;
use crate::rules::Place;
use std::collections::BTreeMap;

/// The longest name accepted (AWS Organizations allows 50 characters).
pub const MAX_ACCOUNT_NAME: usize = 64;

impl RuleSet {
    pub(super) fn add_accounts(
        &mut self,
        o: &Overlay,
        spec: AccountsSpec,
    ) -> Result<(), RulesError> {
        let start = o
            .text
            .lines()
            .position(|l| l.starts_with("accounts:"))
            .map_or(1, |i| i + 1);
        let mut here: BTreeMap<&str, usize> = BTreeMap::new();
        for (id, name) in &spec.0 {
            // A second entry for the same id is searched for after the first.
            let from = here.get(id.as_str()).map_or(start, |&first| first + 1);
            let at = find_from(&o.text, id, from).unwrap_or((from, 1));
            let fail = |m: String| invalid(&o.name, at, format!("account {id:?}: {m}"));
            if !is_account_id(id) {
                return Err(fail("not a 12-digit account id".into()));
            }
            if let Some(first) = here.insert(id, at.0) {
                return Err(fail(format!(
                    "named twice in this overlay (first at line {first})"
                )));
            }
            let name = name.trim();
            if name.is_empty()
                || name.chars().count() > MAX_ACCOUNT_NAME
                || name.chars().any(char::is_control)
            {
                return Err(fail(format!(
                    "the name must be 1-{MAX_ACCOUNT_NAME} characters, no control characters"
                )));
            }
            // A later overlay's name replaces an earlier one's.
            let entry = (name.to_string(), o.place(at));
            self.tuning.accounts.insert(id.clone(), entry);
        }
        Ok(())
    }

    /// The account names of the applied overlays: id → (name, where it was given),
    /// the last overlay's name for an id.
    pub fn account_names(&self) -> &BTreeMap<String, (String, Place)> {
        &self.tuning.accounts
    }
}

/// The overlays' names: what the engine names every alert's account from.
impl AccountNames for RuleSet {
    fn account_name(&self, account_id: &str) -> Option<String> {
        self.tuning
            .accounts
            .get(account_id)
            .map(|(name, _)| name.clone())
    }
}
