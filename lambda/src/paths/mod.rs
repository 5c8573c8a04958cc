//! The paths a trigger's work takes: log files in S3 (`s3`), EventBridge's API
//! call events (`eventbridge`), S3 Batch Operations tasks (`batch`) and SQS
//! messages (`queue`). Each turns its part into notices and delivers them; they
//! share [`App::scan_and_collect`] (a scan on a blocking thread over the
//! invocation's settings cache, keeping what `Collected` keeps) and
//! [`App::deliver`] (user lookups and account names, then publishing and, with
//! `SECURITY_HUB`, findings).

mod batch;
mod chains;
mod enrich;
mod eventbridge;
mod queue;
mod s3;
mod self_test;

use cognito_trail_alerts::notice::Notice;
use cognito_trail_alerts::trigger::Work;
use cognito_trail_alerts::{Origin, RuleSet};
use tracing::{error, warn};

use crate::collect::Collected;
use crate::deadline;
use crate::failure::CallError;
use crate::handler::{Answer, App, HandlerError, Run};
use crate::ports::Ports;
use crate::publish::{self, FileNotices};
use crate::settings_cache::{scan_blocking, InvocationCache};
use crate::snapshots::Shots;

impl<P: Ports> App<P> {
    /// A trigger that succeeds or fails as a whole (files, or one API event).
    pub(crate) async fn run_whole(&self, work: Work, run: &mut Run<'_, P::State>) -> Answer {
        match self.run_work(work, run).await {
            Ok(()) => Answer::Summary,
            Err(e) => {
                error!(message_id = "", error = %e, "unit failed");
                Answer::Failed(e)
            }
        }
    }

    /// Scans and delivers each EventBridge record, then each object, of `work`.
    pub(crate) async fn run_work(
        &self,
        work: Work,
        run: &mut Run<'_, P::State>,
    ) -> Result<(), HandlerError> {
        let steps = work.api_events.len() + work.objects.len();
        for (done, event) in work.api_events.iter().enumerate() {
            self.may_start(run, steps - done)?;
            let notices = self
                .process_event(event, &mut run.tally, &mut run.cache)
                .await?;
            self.deliver(notices, run).await?;
        }
        for (done, object) in work.objects.into_iter().enumerate() {
            self.may_start(run, steps - work.api_events.len() - done)?;
            let notices = self
                .process(&object, &mut run.tally, &mut run.cache)
                .await?;
            self.deliver(notices, run).await?;
        }
        Ok(())
    }

    /// Fails when the deadline leaves no room for another file or event (`left`
    /// of them, this one included, are left for the retry).
    fn may_start(&self, run: &Run<'_, P::State>, left: usize) -> Result<(), CallError> {
        if run.deadline.allows(deadline::FILE) {
            return Ok(());
        }
        warn!(left, "deadline near: no new file started");
        Err(run.deadline.stopped(&format!("{left} files or events")))
    }

    /// Runs `scan` on a blocking thread over the invocation's settings cache,
    /// keeping the alerts it finds as the [`crate::alert_filter::AlertFilter`]
    /// says; `place` names the file or event in the error of a scan that died.
    pub(crate) async fn scan_and_collect<R, F>(
        &self,
        place: &str,
        origin: &Origin,
        cache: &mut InvocationCache,
        scan: F,
    ) -> Result<(Collected, R), CallError>
    where
        R: Send + 'static,
        F: FnOnce(&RuleSet, &Origin, &mut InvocationCache, &mut Collected) -> R + Send + 'static,
    {
        let (rules, filter, origin) = (self.rules.clone(), self.filter.clone(), origin.clone());
        let work = move |cache: &mut InvocationCache| {
            let mut kept = Collected::new(&filter, &origin);
            let out = scan(&rules, &origin, cache, &mut kept);
            (kept, out)
        };
        let shots = self.snapshots.as_ref().map(|snapshots| Shots {
            snapshots,
            rules: &self.rules,
            clock: self.clock,
        });
        scan_blocking(self.state.as_ref(), shots, cache, work)
            .await
            .map_err(|e| CallError::transient(format!("{place}: scan task failed: {e}")))
    }

    /// One file's or event's notices, by either path: the users they name looked
    /// up (with `ENRICH_USERS`) and their accounts named (with
    /// `ACCOUNT_NAMES_ROLE_ARN`), then published.
    pub(crate) async fn deliver(
        &self,
        mut notices: FileNotices,
        run: &mut Run<'_, P::State>,
    ) -> Result<(), CallError> {
        self.enrich(&mut notices.notices, run).await;
        let groups = std::mem::take(&mut notices.chains);
        let (place, channel) = (notices.place.clone(), notices.channel);
        self.send(notices, run).await?;
        // The notices are out: now the chains' state may say so (see `chains`).
        let mut late = self.write_chains(groups, &mut run.tally).await;
        if let Some(names) = &self.account_names {
            names.apply(&mut late, self.clock.unix_secs());
        }
        if !late.is_empty() {
            let notices = FileNotices {
                place,
                channel,
                version: None,
                notices: late,
                chains: Vec::new(),
            };
            self.send(notices, run).await?;
        }
        Ok(())
    }

    /// Publishes `notices`, then (with `SECURITY_HUB`) imports their alerts as
    /// findings, whether or not every publish succeeded: a finding is updated, not
    /// added, when the retry imports it again (see `security_hub`).
    async fn send(
        &self,
        notices: FileNotices,
        run: &mut Run<'_, P::State>,
    ) -> Result<(), CallError> {
        let findings = self.security_hub.as_ref().map(|_| alerts_of(&notices));
        let outlet = publish::Outlet {
            sink: &self.alerts,
            output: self.output,
            routes: &self.routes,
            window: self.window,
        };
        let sent = publish::send(
            outlet,
            &self.sent,
            &mut run.claims,
            notices,
            &mut run.tally,
            &run.deadline,
            self.clock,
        )
        .await;
        run.deadline.progressed();
        let imported = match (&self.security_hub, findings) {
            (Some(hub), Some(alerts)) => {
                let now = self.clock.utc_text();
                let tally = &mut run.tally.findings;
                hub.import(&alerts, &now, tally, &run.deadline).await
            }
            _ => Ok(()),
        };
        sent.and(imported)
    }
}

/// The alerts among `file`'s notices (what becomes a finding).
fn alerts_of(file: &FileNotices) -> Vec<Notice> {
    let alerts = file
        .notices
        .iter()
        .filter(|n| matches!(n, Notice::Alert(_)));
    alerts.cloned().collect()
}
