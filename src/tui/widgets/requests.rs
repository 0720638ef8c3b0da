//! Typed request tracking: a screen asks the worker for work through [`Requests::ask`], naming
//! what it asked for with a kind of its own (`K`, a small enum), and hears the answer back as
//! that kind through [`Requests::take`]. One request of each kind is awaited at a time: asking
//! again supersedes the older request, whose answer is then ignored (and logged at debug).
//! An answer nobody asked for, or of a kind the asker did not expect ([`Requests::unexpected`]),
//! is logged as a warning, never dropped silently.

use std::fmt::Debug;

use crate::tui::context::Ctx;
use crate::tui::worker::{Job, ReplyBody, RequestId};

/// The requests a screen is waiting for, by id, each with the kind of what it asked for.
#[derive(Debug, Clone)]
pub struct Requests<K> {
    waiting: Vec<(RequestId, K)>,
    /// Requests asked again or forgotten: their answers are expected, and ignored.
    superseded: Vec<RequestId>,
}

impl<K> Default for Requests<K> {
    fn default() -> Self {
        Self {
            waiting: Vec::new(),
            superseded: Vec::new(),
        }
    }
}

impl<K: Copy + PartialEq + Debug> Requests<K> {
    /// Queues `job` for the worker; its answer will come back as `kind`. An older request of
    /// the same kind is superseded.
    pub fn ask(&mut self, ctx: &mut Ctx, kind: K, job: Job) -> RequestId {
        let id = ctx.request(job);
        self.track(id, kind);
        id
    }

    /// Like [`ask`](Self::ask), but older requests of the same kind stay awaited: every
    /// answer of this kind is heard (lookups whose answers say what they answer).
    pub fn ask_too(&mut self, ctx: &mut Ctx, kind: K, job: Job) -> RequestId {
        let id = ctx.request(job);
        self.waiting.push((id, kind));
        id
    }

    /// Tracks a request already sent (its id), as `kind`, superseding older ones of that kind.
    pub fn track(&mut self, id: RequestId, kind: K) {
        self.forget(kind);
        self.waiting.push((id, kind));
    }

    /// What the answer with this id was asked for. `None` (logged) when it was superseded or
    /// never asked by this screen.
    pub fn take(&mut self, id: RequestId) -> Option<K> {
        if let Some(i) = self.waiting.iter().position(|(w, _)| *w == id) {
            return Some(self.waiting.remove(i).1);
        }
        if let Some(i) = self.superseded.iter().position(|s| *s == id) {
            self.superseded.swap_remove(i);
            tracing::debug!(
                id,
                asker = std::any::type_name::<K>(),
                "answer to a superseded request ignored"
            );
        } else {
            tracing::warn!(
                id,
                asker = std::any::type_name::<K>(),
                "answer to a request this screen did not make, ignored"
            );
        }
        None
    }

    /// Logs an answer whose kind does not fit what it was asked for.
    pub fn unexpected(&self, asked: K, body: &ReplyBody) {
        tracing::warn!(
            asked = ?asked,
            answer = body.name(),
            asker = std::any::type_name::<K>(),
            "answer of an unexpected kind, ignored"
        );
    }

    /// Waiting for an answer of this kind?
    pub fn is_waiting(&self, kind: K) -> bool {
        self.waiting.iter().any(|(_, k)| *k == kind)
    }

    /// Waiting for an answer of a kind that fits `f`?
    pub fn is_waiting_for(&self, f: impl Fn(K) -> bool) -> bool {
        self.waiting.iter().any(|(_, k)| f(*k))
    }

    /// Waiting for any answer?
    /// What the request with this id asked for, if it is awaited (the answer is not taken).
    pub fn kind_of(&self, id: RequestId) -> Option<K> {
        self.waiting
            .iter()
            .find(|(waiting, _)| *waiting == id)
            .map(|(_, kind)| *kind)
    }

    pub fn is_busy(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// Stops waiting for the answer of this kind (it will be ignored when it comes).
    pub fn forget(&mut self, kind: K) {
        let superseded = &mut self.superseded;
        self.waiting.retain(|(id, k)| {
            let keep = *k != kind;
            if !keep {
                superseded.push(*id);
            }
            keep
        });
    }

    /// Stops waiting for every answer; true when something was awaited.
    pub fn forget_all(&mut self) -> bool {
        let was_busy = self.is_busy();
        self.superseded
            .extend(self.waiting.drain(..).map(|(id, _)| id));
        was_busy
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::services::BankResult;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Asked {
        Profile,
        Accounts,
    }

    /// Collects what is logged while `f` runs.
    fn logged(f: impl FnOnce()) -> String {
        #[derive(Clone, Default)]
        struct Buffer(Arc<Mutex<Vec<u8>>>);
        impl Write for Buffer {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().expect("log buffer").extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .finish();
        tracing::subscriber::with_default(subscriber, f);
        let bytes = buffer.0.lock().expect("log buffer").clone();
        String::from_utf8(bytes).expect("utf-8 log")
    }

    #[test]
    fn answers_come_back_as_what_was_asked() {
        let mut requests = Requests::default();
        requests.track(1, Asked::Profile);
        requests.track(2, Asked::Accounts);
        assert!(requests.is_waiting(Asked::Profile) && requests.is_busy());
        assert_eq!(requests.take(2), Some(Asked::Accounts));
        assert!(!requests.is_waiting(Asked::Accounts));
        assert_eq!(requests.take(1), Some(Asked::Profile));
        assert!(!requests.is_busy());
    }

    #[test]
    fn asking_again_supersedes_and_the_old_answer_is_logged_not_taken() {
        let mut requests = Requests::default();
        requests.track(1, Asked::Profile);
        requests.track(2, Asked::Profile);
        let log = logged(|| assert_eq!(requests.take(1), None));
        assert!(log.contains("superseded"), "{log}");
        assert_eq!(requests.take(2), Some(Asked::Profile));
        requests.track(3, Asked::Accounts);
        assert!(requests.forget_all());
        assert!(!requests.is_busy() && !requests.forget_all());
        assert!(logged(|| assert_eq!(requests.take(3), None)).contains("superseded"));
    }

    #[test]
    fn an_unknown_or_unexpected_answer_is_reported_not_dropped() {
        let mut requests: Requests<Asked> = Requests::default();
        let log = logged(|| assert_eq!(requests.take(42), None));
        assert!(
            log.contains("WARN") && log.contains("did not make"),
            "{log}"
        );
        assert!(log.contains("id=42"), "{log}");

        let body = ReplyBody::Accounts(BankResult::Ok(Vec::new()));
        let log = logged(|| requests.unexpected(Asked::Profile, &body));
        assert!(
            log.contains("WARN") && log.contains("unexpected kind"),
            "{log}"
        );
        assert!(log.contains("Profile") && log.contains("accounts"), "{log}");
    }
}
