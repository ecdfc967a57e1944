//! The answers behind ◀ ▶ and 👍 👎 buttons, kept apart from the answer cache.
//!
//! The cache forgets answers when the corpus changes (they may be stale) and keeps none when
//! it is turned off; a page button must still work then: the message on screen is the
//! answer the user is reading, stale or not. So every answer shown is kept here under the id
//! its buttons carry, for a bounded number of answers and a bounded time, with what was asked
//! (a vote records it). Pages are rendered again at each press, in the presser's language.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::answer::Answer;

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
}

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
            answer,
            asked,
            at: Instant::now(),
        };
        inner.answers.insert(id, kept);
        id
    }

    pub fn get(&self, channel: &str, id: u64) -> Lookup {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match inner.answers.get(&id) {
            Some(k) if k.channel != channel => Lookup::Unknown,
            Some(k) if k.at.elapsed() > self.max_age => Lookup::TooOld(k.asked.clone()),
            Some(k) => Lookup::Found(k.answer.clone(), k.asked.clone()),
            None => Lookup::Unknown,
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
