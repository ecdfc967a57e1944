//! Knowledge read from the documents at index time: named entities (people, organisations,
//! code names) with their aliases, and dated events.
//!
//! Extraction runs once per document while indexing (`discover`, `events`); the entity
//! registry merges what every document says about names (`registry`), so `/who` and
//! `/timeline` answer from precomputed knowledge instead of re-reading text per query.

pub mod dates;
mod dates_en;
pub mod discover;
pub mod events;
pub mod registry;

use anyhow::Result;
use regex::Regex;
use serde::Deserialize;

use crate::text::fold;

pub use discover::DocNames;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Time spent finding names (per document, on every indexing thread, plus merging them into
/// the registry) since the process started: the benchmark reports it as a share of the
/// indexing CPU time.
static NAME_TIME_NANOS: AtomicU64 = AtomicU64::new(0);

/// Runs `f`, adding the CPU time its thread spent to the name-finding total (CPU, not wall
/// time: indexing threads share the cores, and a thread waiting for one is not finding names).
pub fn timed_names<T>(f: impl FnOnce() -> T) -> T {
    let started = thread_cpu();
    let out = f();
    NAME_TIME_NANOS.fetch_add(
        thread_cpu().saturating_sub(started).as_nanos() as u64,
        Ordering::Relaxed,
    );
    out
}

/// CPU time of the calling thread (wall time where the platform has no such clock).
fn thread_cpu() -> Duration {
    #[cfg(unix)]
    {
        let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `t` is a valid timespec for the call to fill; the clock id is a constant.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0 {
            return Duration::new(t.tv_sec as u64, t.tv_nsec as u32);
        }
    }
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// The name-finding total so far.
pub fn name_time() -> Duration {
    Duration::from_nanos(NAME_TIME_NANOS.load(Ordering::Relaxed))
}
pub use registry::{Entity, Registry};

/// `data/knowledge.toml`, folded and compiled.
#[derive(Debug)]
pub struct KnowledgeRules {
    /// Roles and titles, longest first.
    pub roles: Vec<String>,
    /// Finds every role word in a text at once.
    pub roles_matcher: aho_corasick::AhoCorasick,
    pub copulas: Vec<String>,
    pub describing: Vec<Regex>,
    pub org_words: Vec<String>,
    pub not_name_words: Vec<String>,
    /// Honorifics and titles before a name (`mr`, `president`).
    pub titles: Vec<String>,
    /// Last words of a place's name (`city`, `street`).
    pub place_words: Vec<String>,
    /// First words of a place's name (`new`, `south`, `san`).
    pub place_starts: Vec<String>,
    /// Words of a product's name (`pro`, `one`).
    pub product_words: Vec<String>,
    /// Last words of an event's name (`festival`, `cup`).
    pub event_words: Vec<String>,
    /// Words right after a name that make it a place (`police` in `Forest Hill police`).
    pub place_after: Vec<String>,
    /// Verbs of speech beside a name (`said`): a person speaks.
    pub speech_words: Vec<String>,
    /// Nationalities before a name (`Australian Timothy Weeks`): not part of it.
    pub demonyms: Vec<String>,
    /// The Chinese verbs of speech, found at once.
    pub cjk_speech: Option<aho_corasick::AhoCorasick>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKnowledge {
    roles: Vec<String>,
    copulas: Vec<String>,
    describing_patterns: Vec<String>,
    org_words: Vec<String>,
    not_name_words: Vec<String>,
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    place_words: Vec<String>,
    #[serde(default)]
    place_starts: Vec<String>,
    #[serde(default)]
    product_words: Vec<String>,
    #[serde(default)]
    event_words: Vec<String>,
    #[serde(default)]
    place_after: Vec<String>,
    #[serde(default)]
    speech_words: Vec<String>,
    #[serde(default)]
    demonyms: Vec<String>,
}

impl KnowledgeRules {
    pub fn parse(toml_text: &str) -> Result<KnowledgeRules> {
        let raw: RawKnowledge = toml::from_str(toml_text)?;
        let folded = |v: Vec<String>| v.iter().map(|w| fold(w)).filter(|w| !w.is_empty()).collect::<Vec<_>>();
        let speech_words = folded(raw.speech_words);
        let cjk_speech: Vec<&String> = speech_words
            .iter()
            .filter(|w| w.chars().any(crate::text::fold::is_cjk))
            .collect();
        let cjk_speech = if cjk_speech.is_empty() {
            None
        } else {
            Some(
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                    .build(cjk_speech)?,
            )
        };
        let mut roles = folded(raw.roles);
        roles.sort_by_key(|r| std::cmp::Reverse(r.len()));
        Ok(KnowledgeRules {
            roles_matcher: aho_corasick::AhoCorasick::new(&roles)?,
            roles,
            copulas: folded(raw.copulas),
            describing: raw
                .describing_patterns
                .iter()
                .map(|p| Regex::new(p))
                .collect::<Result<_, _>>()?,
            org_words: folded(raw.org_words),
            not_name_words: folded(raw.not_name_words),
            titles: folded(raw.titles),
            place_words: folded(raw.place_words),
            place_starts: folded(raw.place_starts),
            product_words: folded(raw.product_words),
            event_words: folded(raw.event_words),
            place_after: folded(raw.place_after),
            speech_words,
            cjk_speech,
            demonyms: folded(raw.demonyms),
        })
    }

    /// The role word `folded_before` ends with, if any (spaces ignored).
    pub fn role_ending(&self, folded_before: &str) -> Option<&str> {
        let t = folded_before.trim_end();
        self.roles.iter().find(|r| t.ends_with(r.as_str())).map(String::as_str)
    }
}
