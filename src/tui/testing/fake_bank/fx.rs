//! The fake bank's exchange rates: kept as the screens set them (the bank's checks, such as
//! who may set one, are the real bank's; a test scripts a refusal).

use crate::services::RateView;
use crate::tui::testing::fixtures::fixed_wall;
use crate::tui::worker::{Job, ReplyBody};

use super::FakeBank;

impl FakeBank {
    /// The answer to a rates job; any other job comes back.
    pub(super) fn fx_answer(&mut self, job: Job) -> Result<ReplyBody, Box<Job>> {
        Ok(match job {
            Job::Rates { .. } => ReplyBody::Rates(Ok(self.rates.clone())),
            Job::SetRate { actor, pair } => {
                for old in self
                    .rates
                    .iter_mut()
                    .filter(|r| (r.base, r.quote) == (pair.base, pair.quote))
                {
                    old.in_force = false;
                }
                let view = RateView {
                    id: 1 + i64::try_from(self.rates.len()).unwrap_or(0),
                    base: pair.base,
                    quote: pair.quote,
                    buy: pair.buy.value(),
                    sell: pair.sell.value(),
                    valid_from: fixed_wall(),
                    valid_until: None,
                    set_by: actor.audit_name(),
                    set_at: fixed_wall(),
                    in_force: true,
                };
                self.rates.insert(0, view.clone());
                ReplyBody::RateSet(Ok(view))
            }
            other => return Err(Box::new(other)),
        })
    }
}
