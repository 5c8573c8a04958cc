//! Looking up users (`ENRICH_USERS`): the port and the fake. The adapter is
//! `aws::CognitoDirectory`.

use std::future::Future;
use std::pin::Pin;

use cognito_trail_alerts::alert::CognitoUser;
use cognito_trail_alerts::users::{Failure, UserRef, Via};

/// A future boxed so that [`UserDirectory`] can be a trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Finds Cognito users by sub (`ENRICH_USERS`). The decisions (which users, the
/// budget, the cache) are `cognito_trail_alerts::users`'s; the time limit is the
/// caller's. A trait object (hence the boxed future): the function holds it only
/// when lookups are on, without a fifth type parameter on `App`.
pub trait UserDirectory: Send + Sync {
    /// The user of `target`'s pool whose sub is `target.sub` (`Ok(None)`: there is
    /// none), with the credentials `via` names.
    fn find<'a>(
        &'a self,
        target: &'a UserRef,
        via: &'a Via,
    ) -> BoxFuture<'a, Result<Option<CognitoUser>, Failure>>;
}

/// (account, pool, sub).
#[cfg(any(test, feature = "testkit"))]
type UserKey = (Option<String>, String, String);

/// A user directory in memory (tests): users by (account, pool, sub), scripted
/// failures and delays, and a record of every lookup asked.
#[cfg(any(test, feature = "testkit"))]
#[derive(Default)]
pub struct FakeDirectory {
    users: std::sync::Mutex<std::collections::HashMap<UserKey, CognitoUser>>,
    /// Every account answers with this failure.
    pub failure: std::sync::Mutex<Option<Failure>>,
    /// Every lookup takes this long.
    pub delay: std::sync::Mutex<Option<std::time::Duration>>,
    /// Lookups asked, in order: (target, via).
    pub asked: std::sync::Mutex<Vec<(UserRef, Via)>>,
}

#[cfg(any(test, feature = "testkit"))]
impl FakeDirectory {
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

#[cfg(any(test, feature = "testkit"))]
impl UserDirectory for FakeDirectory {
    fn find<'a>(
        &'a self,
        target: &'a UserRef,
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
