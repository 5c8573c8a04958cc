//! A user directory in memory, for tests: users by (account, pool, sub), scripted
//! failures and delays, and a record of every lookup asked.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use cognito_trail_alerts::alert::CognitoUser;
use cognito_trail_alerts::users::{Failure, Target, Via};

use crate::ports::{BoxFuture, UserDirectory};

/// (account, pool, sub).
type UserKey = (Option<String>, String, String);

/// Users and behaviours of a fake Cognito.
#[derive(Default)]
pub struct MemoryDirectory {
    users: Mutex<HashMap<UserKey, CognitoUser>>,
    /// Every account answers with this failure.
    pub failure: Mutex<Option<Failure>>,
    /// Every lookup takes this long.
    pub delay: Mutex<Option<Duration>>,
    /// Lookups asked, in order: (target, via).
    pub asked: Mutex<Vec<(Target, Via)>>,
}

impl MemoryDirectory {
    /// Adds `user` with `sub` to `pool` of `account`.
    pub fn add(&self, account: &str, pool: &str, sub: &str, user: CognitoUser) {
        let key = (Some(account.to_string()), pool.to_string(), sub.to_string());
        self.users.lock().unwrap().insert(key, user);
    }

    /// How many lookups were asked.
    pub fn calls(&self) -> usize {
        self.asked.lock().unwrap().len()
    }
}

impl UserDirectory for MemoryDirectory {
    fn find<'a>(
        &'a self,
        target: &'a Target,
        via: &'a Via,
    ) -> BoxFuture<'a, Result<Option<CognitoUser>, Failure>> {
        Box::pin(async move {
            self.asked
                .lock()
                .unwrap()
                .push((target.clone(), via.clone()));
            let delay = *self.delay.lock().unwrap();
            if let Some(pause) = delay {
                tokio::time::sleep(pause).await;
            }
            if let Some(f) = self.failure.lock().unwrap().clone() {
                return Err(f);
            }
            let key = (
                target.account.clone(),
                target.pool_id.clone(),
                target.sub.clone(),
            );
            Ok(self.users.lock().unwrap().get(&key).cloned())
        })
    }
}
