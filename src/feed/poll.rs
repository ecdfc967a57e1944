//! Polling feeds: each due feed is asked what is new with a conditional request, and new
//! entries (that match its topic) are fetched and added as pasted links are.
//!
//! A feed that fails (unreachable, refused, not a feed) is asked again later each time in a
//! row — the poll interval doubled per failure, up to a day — so a dead feed costs little
//! and a site in trouble is not hammered. An entry whose page failed for a passing reason (a
//! timeout, a server error) is tried again at the next poll; one refused for good (not a
//! page, too large, a duplicate) is not.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::{parse, topic, Entry};
use crate::fetch::{FetchError, Fetcher, Kind, Outcome as Fetch, Validators};
use crate::ingest::{ingest_link, IngestError, Ingested, LinkTarget};
use crate::state::{Feed, FeedState, StateStore};

/// How often feeds are polled.
#[derive(Debug, Clone)]
pub struct PollConfig {
    /// Between two polls of a feed that answers.
    pub interval: Duration,
    /// New entries added per feed and poll at most (the rest wait for the next poll).
    pub max_entries: usize,
}

impl Default for PollConfig {
    fn default() -> PollConfig {
        PollConfig {
            interval: Duration::from_secs(30 * 60),
            max_entries: 20,
        }
    }
}

impl PollConfig {
    /// The defaults, with `DOSSIER_FEED_POLL_SECS` if set.
    pub fn from_env() -> Result<PollConfig> {
        let mut config = PollConfig::default();
        if let Some(v) = std::env::var("DOSSIER_FEED_POLL_SECS")
            .ok()
            .filter(|v| !v.trim().is_empty())
        {
            let secs: u64 = v
                .trim()
                .parse()
                .ok()
                .filter(|s| *s > 0)
                .ok_or_else(|| anyhow::anyhow!("DOSSIER_FEED_POLL_SECS must be a number of seconds, not {v:?}"))?;
            config.interval = Duration::from_secs(secs);
        }
        Ok(config)
    }
}

/// The longest wait after failures.
const MAX_BACKOFF: Duration = Duration::from_secs(24 * 3600);

/// What one poll of one feed did.
#[derive(Debug)]
pub struct FeedReport {
    pub url: String,
    pub outcome: Outcome,
}

#[derive(Debug)]
pub enum Outcome {
    /// The feed has not changed since the last poll (HTTP 304).
    NotModified,
    Polled {
        added: Vec<Ingested>,
        /// Entries left out because they do not match the feed's topic.
        off_topic: usize,
        /// Entries whose page was not added, and why (duplicates are not listed).
        refused: Vec<(String, IngestError)>,
    },
    Failed(FetchError),
}

pub struct Poller {
    pub store: Arc<dyn StateStore>,
    pub fetcher: Arc<Fetcher>,
    pub target: Arc<dyn LinkTarget>,
    pub config: PollConfig,
}

impl Poller {
    /// Polls every feed (`only_due`: those whose time has come), one after another.
    pub async fn poll_all(&self, only_due: bool) -> Result<Vec<FeedReport>> {
        let store = self.store.clone();
        let feeds = blocking(move || store.feeds()).await?;
        let mut reports = Vec::new();
        for feed in feeds {
            if only_due {
                let (store, url) = (self.store.clone(), feed.url.clone());
                let state = blocking(move || store.feed_state(&url)).await?;
                if state.next_poll.is_some_and(|t| t > Utc::now()) {
                    continue;
                }
            }
            reports.push(self.poll(&feed).await?);
        }
        Ok(reports)
    }

    /// Polls one feed now.
    pub async fn poll(&self, feed: &Feed) -> Result<FeedReport> {
        let (store, url) = (self.store.clone(), feed.url.clone());
        let mut state = blocking(move || store.feed_state(&url)).await?;
        let validators = Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        };
        let now = Utc::now();
        state.last_polled = Some(now);
        let outcome = match self.fetcher.fetch(&feed.url, Kind::Feed, Some(&validators)).await {
            Ok(Fetch::NotModified) => Ok(None),
            Ok(Fetch::Fetched(f)) => parse(f.url.as_str(), &f.body).map(|entries| Some((f.validators, entries))),
            Err(e) => Err(e),
        };
        let outcome = match outcome {
            Ok(None) => {
                succeeded(&mut state, now, self.config.interval);
                Outcome::NotModified
            }
            Ok(Some((validators, entries))) => {
                state.etag = validators.etag;
                state.last_modified = validators.last_modified;
                succeeded(&mut state, now, self.config.interval);
                self.take_new(feed, entries).await?
            }
            Err(e) => {
                state.failures += 1;
                state.last_error = Some(e.to_string());
                state.next_poll = Some(now + chrono_duration(backoff(self.config.interval, state.failures)));
                let feed_url = crate::fetch::for_log(&feed.url);
                tracing::warn!(feed = %feed_url, failures = state.failures, reason = e.kind(), "feed poll failed");
                Outcome::Failed(e)
            }
        };
        let (store, url) = (self.store.clone(), feed.url.clone());
        blocking(move || store.set_feed_state(&url, &state)).await?;
        Ok(FeedReport {
            url: feed.url.clone(),
            outcome,
        })
    }

    /// Adds the entries not handled yet, oldest first.
    async fn take_new(&self, feed: &Feed, entries: Vec<Entry>) -> Result<Outcome> {
        let (mut added, mut off_topic, mut refused) = (Vec::new(), 0, Vec::new());
        for entry in entries {
            if added.len() + refused.len() >= self.config.max_entries {
                break;
            }
            let (store, url, id) = (self.store.clone(), feed.url.clone(), entry.id.clone());
            if blocking(move || store.feed_entry_seen(&url, &id)).await? {
                continue;
            }
            let handled = match &entry.link {
                None => true,
                Some(_) if !topic::matches(feed.topic.as_deref(), &entry) => {
                    off_topic += 1;
                    true
                }
                Some(link) => match ingest_link(self.target.clone(), &self.fetcher, link).await {
                    Ok(doc) => {
                        added.push(doc);
                        true
                    }
                    Err(IngestError::Duplicate { .. }) => true,
                    Err(IngestError::Internal(e)) => return Err(e),
                    Err(e) => {
                        let again = passing(&e);
                        refused.push((link.clone(), e));
                        !again
                    }
                },
            };
            if handled {
                let (store, url, id) = (self.store.clone(), feed.url.clone(), entry.id.clone());
                blocking(move || store.mark_feed_entry(&url, &id, Utc::now())).await?;
            }
        }
        Ok(Outcome::Polled {
            added,
            off_topic,
            refused,
        })
    }

    /// Polls due feeds until `stop` resolves, every `tick` and whenever `wake` is notified
    /// (a feed was added).
    pub async fn run(
        self,
        tick: Duration,
        wake: Arc<tokio::sync::Notify>,
        stop: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(stop);
        loop {
            match self.poll_all(true).await {
                Ok(reports) => {
                    for r in reports {
                        if let Outcome::Polled { added, .. } = &r.outcome {
                            if !added.is_empty() {
                                let feed_url = crate::fetch::for_log(&r.url);
                                tracing::info!(feed = %feed_url, added = added.len(), "feed entries added");
                            }
                        }
                    }
                }
                Err(e) => tracing::error!("feed polling failed: {e:#}"),
            }
            tokio::select! {
                _ = &mut stop => return,
                _ = tokio::time::sleep(tick) => {}
                _ = wake.notified() => {}
            }
        }
    }
}

/// Checks that `link` is a feed before it is followed: its address (checked, as the feed
/// will be asked for) and how many entries it has now.
pub async fn check_feed(fetcher: &Fetcher, link: &str) -> Result<(String, usize), FetchError> {
    let url = crate::fetch::target::check(link, fetcher.config().allow_loopback)?.to_string();
    match fetcher.fetch(&url, Kind::Feed, None).await? {
        Fetch::Fetched(f) => Ok((url, parse(f.url.as_str(), &f.body)?.len())),
        Fetch::NotModified => Err(FetchError::Status { url, status: 304 }),
    }
}

fn succeeded(state: &mut FeedState, now: DateTime<Utc>, interval: Duration) {
    state.failures = 0;
    state.last_error = None;
    state.next_poll = Some(now + chrono_duration(interval));
}

/// The wait after `failures` failed polls in a row: the interval doubled per failure, at
/// most a day.
pub fn backoff(interval: Duration, failures: u32) -> Duration {
    interval
        .saturating_mul(1 << failures.min(16))
        .min(MAX_BACKOFF.max(interval))
}

/// Whether a refusal may go away by itself (then the entry is tried again next poll).
fn passing(e: &IngestError) -> bool {
    match e {
        IngestError::Fetch(f) => match f {
            FetchError::TimedOut { .. } | FetchError::Unreachable { .. } => true,
            FetchError::Status { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        },
        _ => false,
    }
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::days(1))
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work).await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_double_the_wait_up_to_a_day() {
        let i = Duration::from_secs(1800);
        assert_eq!(backoff(i, 0), i);
        assert_eq!(backoff(i, 1), i * 2);
        assert_eq!(backoff(i, 3), i * 8);
        assert_eq!(backoff(i, 10), MAX_BACKOFF);
        assert_eq!(backoff(i, u32::MAX), MAX_BACKOFF);
    }

    #[test]
    fn passing_failures_are_retried_and_others_are_not() {
        let fetch = |e| IngestError::Fetch(e);
        let url = || "https://x.example/a".to_string();
        assert!(passing(&fetch(FetchError::TimedOut { url: url(), secs: 1 })));
        assert!(passing(&fetch(FetchError::Status {
            url: url(),
            status: 503
        })));
        assert!(!passing(&fetch(FetchError::Status {
            url: url(),
            status: 404
        })));
        assert!(!passing(&fetch(FetchError::TooLarge { url: url(), limit: 1 })));
        assert!(!passing(&IngestError::NoText { name: url() }));
    }
}
