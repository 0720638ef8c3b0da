//! The supervisors' badge: how many approval requests wait, asked every few seconds whatever
//! the screen, so a request a teller sends shows on every supervisor's header.

use std::time::Duration;

use super::{App, Target};
use crate::domain::Role;
use crate::tui::worker::{Job, ReplyBody};

/// How often a supervisor's app asks.
const EVERY: Duration = Duration::from_secs(3);

impl App {
    pub(super) fn badge_tick(&mut self) {
        let Some(session) = &self.session else { return };
        if session.user.role != Role::Admin || self.lock.is_some() {
            return;
        }
        let now = self.clock.now();
        let asked = self.outbox.pending.values().any(|t| *t == Target::Badge);
        let recent = self
            .badge_asked
            .is_some_and(|at| now.saturating_duration_since(at) < EVERY);
        if asked || recent {
            return;
        }
        self.badge_asked = Some(now);
        let job = Job::PendingApprovals {
            actor: session.actor(),
        };
        self.outbox.push(job, Target::Badge);
    }

    pub(super) fn badge_reply(&mut self, body: ReplyBody) {
        if let ReplyBody::PendingApprovals(Ok(list)) = body {
            self.data.desk.approvals_waiting = Some(list.len());
        }
    }
}
