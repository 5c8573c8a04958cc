//! What is looked up before a file's or event's notices go out: the users they
//! name (`ENRICH_USERS`) and their accounts' names (`ACCOUNT_NAMES_ROLE_ARN`), side
//! by side, so that their one-second budgets do not add up.

use cognito_trail_alerts::notice::Notice;

use crate::accounts::AccountNamer;
use crate::handler::{App, Run};
use crate::ports::Ports;

impl<P: Ports> App<P> {
    /// Fills in `notices`' user lookups and account names (each only when on).
    /// Never fails and never holds the notices back beyond the budgets.
    pub(crate) async fn enrich(&self, notices: &mut [Notice], run: &mut Run<'_, P::State>) {
        let wanted = self
            .account_names
            .as_ref()
            .map(|_| AccountNamer::wanted(notices));
        let names = async {
            match (&self.account_names, wanted) {
                (Some(namer), Some(ids)) => Some(namer.look_up(ids, self.clock).await),
                _ => None,
            }
        };
        let tally = &mut run.tally;
        let users = async {
            if let (Some(users), Some(lookups)) = (&self.users, &mut run.lookups) {
                users
                    .enrich(notices, lookups, tally, self.clock.unix_secs())
                    .await;
            }
        };
        let (lookup, ()) = tokio::join!(names, users);
        if let (Some(namer), Some(lookup)) = (&self.account_names, lookup) {
            lookup.count(&mut run.tally.account_names);
            namer.apply(notices, self.clock.unix_secs());
        }
    }
}
