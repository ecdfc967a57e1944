//! The per-channel answer cache.
//!
//! A repeated command in the same channel is answered from memory; another channel has its
//! own entries (channels see different conversations, and Discord buttons page through the
//! cached answer of their own channel). Entries are bounded in number and age, and an entry
//! made before the corpus last changed is never served: each carries the index generation it
//! was computed from.

use std::sync::Arc;
use std::time::{Duration, Instant};

use dashmap::DashMap;

use crate::answer::Answer;
use crate::command::{Command, Request};

#[derive(Debug, Clone, Copy)]
pub struct CacheConfig {
    pub max_entries: usize,
    pub max_age: Duration,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            max_entries: 10_000,
            max_age: Duration::from_secs(3600),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub channel: String,
    pub command: Command,
    /// The query folded (script, width, case) with white space collapsed, so `/source 兩層`
    /// and `/source  两层` share an entry.
    pub query: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl CacheKey {
    /// A short stable id of the key (for Discord buttons, whose ids hold 100 characters).
    pub fn id(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        // SipHash with fixed keys: the same key gives the same id in every process.
        #[allow(deprecated)]
        let mut h = std::hash::SipHasher::new_with_keys(0x646f_7373, 0x0069_6572);
        self.hash(&mut h);
        h.finish()
    }

    pub fn new(channel: &str, request: &Request) -> CacheKey {
        let norm = |s: &str| crate::text::fold(s).split_whitespace().collect::<Vec<_>>().join(" ");
        CacheKey {
            channel: channel.to_string(),
            command: request.command,
            query: norm(&request.query),
            from: request.from.as_deref().map(norm),
            to: request.to.as_deref().map(norm),
        }
    }
}

struct Entry {
    answer: Arc<Answer>,
    generation: u64,
    at: Instant,
}

pub struct AnswerCache {
    map: DashMap<CacheKey, Entry>,
    /// `CacheKey::id` → key, to find an answer from a button.
    ids: DashMap<u64, CacheKey>,
    config: CacheConfig,
}

impl AnswerCache {
    pub fn new(config: CacheConfig) -> AnswerCache {
        AnswerCache {
            map: DashMap::new(),
            ids: DashMap::new(),
            config,
        }
    }

    /// The cached answer, if it is fresh and was computed from index `generation`.
    pub fn get(&self, key: &CacheKey, generation: u64) -> Option<Arc<Answer>> {
        let entry = self.map.get(key)?;
        if entry.generation == generation && entry.at.elapsed() <= self.config.max_age {
            return Some(entry.answer.clone());
        }
        drop(entry);
        self.map.remove(key);
        None
    }

    pub fn insert(&self, key: CacheKey, answer: Arc<Answer>, generation: u64) {
        if self.config.max_entries == 0 {
            return;
        }
        if self.map.len() >= self.config.max_entries && !self.map.contains_key(&key) {
            self.evict(generation);
        }
        self.ids.insert(key.id(), key.clone());
        self.map.insert(
            key,
            Entry {
                answer,
                generation,
                at: Instant::now(),
            },
        );
    }

    /// The fresh answer whose key has id `id`, if it belongs to `channel`.
    pub fn get_by_id(&self, channel: &str, id: u64, generation: u64) -> Option<(CacheKey, Arc<Answer>)> {
        let key = self.ids.get(&id)?.clone();
        if key.channel != channel {
            return None;
        }
        let answer = self.get(&key, generation);
        if answer.is_none() {
            self.ids.remove(&id);
        }
        answer.map(|a| (key, a))
    }

    /// Drops stale entries, then the oldest eighth if the cache is still full.
    fn evict(&self, generation: u64) {
        let max_age = self.config.max_age;
        self.map
            .retain(|_, e| e.generation == generation && e.at.elapsed() <= max_age);
        if self.map.len() < self.config.max_entries {
            return;
        }
        let mut ages: Vec<(Instant, CacheKey)> = self.map.iter().map(|e| (e.at, e.key().clone())).collect();
        ages.sort_by_key(|(at, _)| *at);
        let excess = self.map.len() + 1 - self.config.max_entries;
        let n = excess.max(self.config.max_entries / 8).min(ages.len());
        for (_, key) in ages.into_iter().take(n) {
            self.map.remove(&key);
        }
        self.ids.retain(|_, k| self.map.contains_key(k));
    }

    pub fn clear(&self) {
        self.map.clear();
        self.ids.clear();
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(channel: &str, q: &str) -> CacheKey {
        CacheKey::new(channel, &Request::new(Command::Source, q))
    }

    fn answer(text: &str) -> Arc<Answer> {
        Arc::new(Answer {
            summary: crate::answer::summary::Summary::NoWords { query: text.into() },
            items: vec![],
        })
    }

    #[test]
    fn channels_are_separate_and_queries_normalised() {
        let cache = AnswerCache::new(CacheConfig::default());
        cache.insert(key("a", "兩層 安保"), answer("x"), 1);
        assert!(cache.get(&key("a", " 两层  安保"), 1).is_some());
        assert!(cache.get(&key("b", "两层 安保"), 1).is_none());
        assert!(
            cache.get(&key("a", "两层 安保"), 2).is_none(),
            "another generation is a miss"
        );
        assert!(cache.is_empty(), "stale entries are dropped on sight");
    }

    #[test]
    fn answers_are_found_again_by_id_in_their_channel_only() {
        let cache = AnswerCache::new(CacheConfig::default());
        let k = key("a", "豆包");
        let id = k.id();
        assert_eq!(id, key("a", "豆包").id(), "ids are stable");
        cache.insert(k.clone(), answer("x"), 1);
        assert_eq!(cache.get_by_id("a", id, 1).unwrap().0, k);
        assert!(cache.get_by_id("b", id, 1).is_none());
        assert!(cache.get_by_id("a", id, 2).is_none(), "a corpus change expires it");
    }

    #[test]
    fn bounded_in_size_and_age() {
        let cache = AnswerCache::new(CacheConfig {
            max_entries: 16,
            max_age: Duration::from_secs(60),
        });
        for i in 0..100 {
            cache.insert(key("a", &i.to_string()), answer("x"), 1);
            assert!(cache.len() <= 16);
        }
        assert!(cache.get(&key("a", "99"), 1).is_some(), "the newest entry survives");
        assert!(cache.get(&key("a", "0"), 1).is_none(), "the oldest was evicted");
        let expiring = AnswerCache::new(CacheConfig {
            max_entries: 16,
            max_age: Duration::ZERO,
        });
        expiring.insert(key("a", "q"), answer("x"), 1);
        std::thread::sleep(Duration::from_millis(2));
        assert!(expiring.get(&key("a", "q"), 1).is_none());
    }
}
