//! The answers behind ◀ ▶ and 👍 👎 buttons, kept apart from the answer cache.
//!
//! The cache forgets answers when the corpus changes (they may be stale) and keeps none when
//! it is turned off; a page button must still work then: the message on screen is the
//! answer the user is reading, stale or not. So every answer shown is kept here under the id
//! its buttons carry, for a bounded number of answers and a bounded time, with what was asked
//! (a vote records it). Pages are rendered again at each press, in the presser's language.
//!
//! With a state store the answers are also written there, so a press reaches its answer
//! after a restart, and in whichever process Discord delivers it to (several gateway shards
//! share one PostgreSQL store).

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::answer::Answer;
use crate::state::{KeptPage, StateStore};

/// Answers kept by default: an answer is a few KB (at most 20 quotes of a few hundred
/// characters), so tens of MB at worst.
pub const CAPACITY: usize = 2_000;
/// How long a pager works by default.
pub const MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);

pub struct Pager {
    inner: Mutex<Inner>,
    capacity: usize,
    max_age: Duration,
    ids: AtomicU64,
    seed: RandomState,
    store: Option<Arc<dyn StateStore>>,
}

/// Answers kept between two sweeps of the store's old answers.
const SWEEP_EVERY: u64 = 256;

#[derive(Default)]
struct Inner {
    answers: HashMap<u64, Kept>,
    /// Ids oldest first, to drop the oldest when full.
    order: VecDeque<u64>,
}

struct Kept {
    channel: String,
    answer: Arc<Answer>,
    asked: Asked,
    at: Instant,
}

/// What was asked, for feedback on the answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asked {
    pub command: String,
    pub query: String,
}

/// What a button's id finds.
#[derive(Debug)]
pub enum Lookup {
    Found(Arc<Answer>, Asked),
    /// Kept once, but older than the pager's limit: what was asked, to ask again.
    TooOld(Asked),
    /// Never kept here (another process, a restart) or pushed out by newer answers.
    Unknown,
}

impl Pager {
    pub fn new(capacity: usize, max_age: Duration) -> Pager {
        Pager {
            inner: Mutex::new(Inner::default()),
            capacity: capacity.max(1),
            max_age,
            ids: AtomicU64::new(0),
            seed: RandomState::new(),
            store: None,
        }
    }

    /// Also keeps answers in `store` (when there is one).
    pub fn with_store(mut self, store: Option<Arc<dyn StateStore>>) -> Pager {
        self.store = store;
        self
    }

    /// Writes an answer to the store; a failure costs only that answer's buttons after a
    /// restart, so it is logged, not raised. The write (a commit, or a round trip to
    /// PostgreSQL) runs off the async threads that answer users.
    fn store_page(&self, store: &Arc<dyn StateStore>, id: u64, channel: &str, answer: &Answer, asked: &Asked) {
        let answer = match serde_json::to_string(answer) {
            Ok(json) => json,
            Err(err) => {
                tracing::warn!(channel, "cannot keep the answer in the state store: {err:#}");
                return;
            }
        };
        let page = KeptPage {
            id: format!("{id:x}"),
            channel: channel.to_string(),
            command: asked.command.clone(),
            query: asked.query.clone(),
            answer,
            at: chrono::Utc::now(),
        };
        // Twice the age limit, so a late press is still told its answer is too old.
        let sweep = self
            .ids
            .load(Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY)
            .then(|| chrono::Utc::now() - chrono::Duration::from_std(self.max_age * 2).unwrap_or_default());
        let store = store.clone();
        let write = move || {
            if let Err(err) = store.keep_page(&page) {
                tracing::warn!(channel = %page.channel, "cannot keep the answer in the state store: {err:#}");
            }
            if let Some(cutoff) = sweep {
                if let Err(err) = store.forget_pages_before(cutoff) {
                    tracing::warn!("cannot forget old answers in the state store: {err:#}");
                }
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn_blocking(write)),
            Err(_) => write(),
        }
    }

    /// An answer this process did not keep (another process, or before a restart).
    fn stored(&self, channel: &str, id: u64) -> Lookup {
        let Some(store) = &self.store else {
            return Lookup::Unknown;
        };
        let page = match store.kept_page(&format!("{id:x}")) {
            Ok(Some(p)) if p.channel == channel => p,
            Ok(_) => return Lookup::Unknown,
            Err(err) => {
                tracing::warn!(channel, "cannot read a kept answer from the state store: {err:#}");
                return Lookup::Unknown;
            }
        };
        let asked = Asked {
            command: page.command,
            query: page.query,
        };
        let age = (chrono::Utc::now() - page.at).to_std().unwrap_or_default();
        if age > self.max_age {
            return Lookup::TooOld(asked);
        }
        match serde_json::from_str::<Answer>(&page.answer) {
            Ok(answer) => Lookup::Found(Arc::new(answer), asked),
            // Written by a version whose answers this one cannot read.
            Err(_) => Lookup::TooOld(asked),
        }
    }

    /// Keeps an answer shown in `channel` and returns the id its buttons carry: unguessable,
    /// so a button can only turn the pages of an answer shown in that channel.
    pub fn keep(&self, channel: &str, answer: Arc<Answer>, asked: Asked) -> u64 {
        let id = self.seed.hash_one(self.ids.fetch_add(1, Ordering::Relaxed));
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        while inner.order.len() >= self.capacity {
            if let Some(old) = inner.order.pop_front() {
                inner.answers.remove(&old);
            }
        }
        inner.order.push_back(id);
        let kept = Kept {
            channel: channel.to_string(),
            answer: answer.clone(),
            asked: asked.clone(),
            at: Instant::now(),
        };
        inner.answers.insert(id, kept);
        drop(inner);
        if let Some(store) = &self.store {
            self.store_page(store, id, channel, &answer, &asked);
        }
        id
    }

    pub fn get(&self, channel: &str, id: u64) -> Lookup {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match inner.answers.get(&id) {
            Some(k) if k.channel != channel => Lookup::Unknown,
            Some(k) if k.at.elapsed() > self.max_age => Lookup::TooOld(k.asked.clone()),
            Some(k) => Lookup::Found(k.answer.clone(), k.asked.clone()),
            None => {
                drop(inner);
                self.stored(channel, id)
            }
        }
    }
}

impl Default for Pager {
    fn default() -> Pager {
        Pager::new(CAPACITY, MAX_AGE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &str) -> Arc<Answer> {
        Arc::new(Answer {
            summary: crate::answer::summary::Summary::NoWords { query: text.into() },
            items: vec![],
        })
    }

    #[test]
    fn keeps_answers_per_channel_and_drops_the_oldest_when_full() {
        let pager = Pager::new(2, MAX_AGE);
        let a = pager.keep("c1", answer("a"), Asked::default());
        let b = pager.keep("c1", answer("b"), Asked::default());
        assert!(
            matches!(pager.get("c1", a), Lookup::Found(x, _) if matches!(&x.summary, crate::answer::summary::Summary::NoWords { query } if query == "a"))
        );
        assert!(
            matches!(pager.get("c2", a), Lookup::Unknown),
            "another channel's answer"
        );
        let c = pager.keep("c1", answer("c"), Asked::default());
        assert!(matches!(pager.get("c1", a), Lookup::Unknown), "the oldest went");
        assert!(matches!(pager.get("c1", b), Lookup::Found(..)));
        assert!(matches!(pager.get("c1", c), Lookup::Found(..)));
        assert_ne!(b, c);
    }

    #[test]
    fn a_stored_answer_reaches_another_process_and_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn StateStore> = Arc::new(crate::state::RedbStore::open(dir.path()).unwrap());
        let asked = Asked {
            command: "source".into(),
            query: "两层安保".into(),
        };
        let first = Pager::new(10, MAX_AGE).with_store(Some(store.clone()));
        let id = first.keep("c1", answer("kept"), asked.clone());
        // Another process (or this one after a restart) finds it in the store.
        let second = Pager::new(10, MAX_AGE).with_store(Some(store.clone()));
        match second.get("c1", id) {
            Lookup::Found(a, x) => {
                assert_eq!(a, answer("kept"));
                assert_eq!(x, asked);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(second.get("c2", id), Lookup::Unknown), "only in its channel");
        assert!(matches!(second.get("c1", id ^ 1), Lookup::Unknown));
        let strict = Pager::new(10, Duration::ZERO).with_store(Some(store));
        std::thread::sleep(Duration::from_millis(5));
        assert!(matches!(strict.get("c1", id), Lookup::TooOld(x) if x == asked));
        // Without a store, nothing outlives the process.
        assert!(matches!(Pager::new(10, MAX_AGE).get("c1", id), Lookup::Unknown));
    }

    #[test]
    fn an_answer_older_than_the_limit_says_so() {
        let pager = Pager::new(10, Duration::ZERO);
        let asked = Asked {
            command: "who".into(),
            query: "扎克伯格".into(),
        };
        let a = pager.keep("c", answer("a"), asked.clone());
        std::thread::sleep(Duration::from_millis(2));
        assert!(matches!(pager.get("c", a), Lookup::TooOld(x) if x == asked));
    }
}
