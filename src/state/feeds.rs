//! Feed subscriptions and what each feed brought in, in the state store: the feeds to poll,
//! each one's polling state (validators for conditional requests, failures for backoff), and
//! the entries already handled, so a poll only takes new ones — whichever process polls.

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A feed the corpus follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feed {
    /// The feed's address, as given (checked and normalised).
    pub url: String,
    /// Only entries whose title or summary mention this are added.
    pub topic: Option<String>,
    /// Who added it (a Discord user id, or `cli`).
    pub added_by: String,
    /// The server it was added from, if any.
    pub guild: Option<String>,
    pub added_at: DateTime<Utc>,
}

/// Where polling a feed stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_polled: Option<DateTime<Utc>>,
    /// When the feed is due again (later after each failure in a row).
    pub next_poll: Option<DateTime<Utc>>,
    /// Failed polls in a row.
    pub failures: u32,
    /// Why the last poll failed, for `feed list`.
    pub last_error: Option<String>,
}

/// The feed tables of a [`super::StateStore`]. Every method is one transaction.
pub trait FeedStore {
    /// Adds a feed, or replaces its topic; true when it is new.
    fn add_feed(&self, feed: &Feed) -> Result<bool>;
    /// Removes a feed, its state and its seen entries; false when there was none.
    fn remove_feed(&self, url: &str) -> Result<bool>;
    /// Every feed, by address.
    fn feeds(&self) -> Result<Vec<Feed>>;
    fn feed_state(&self, url: &str) -> Result<FeedState>;
    fn set_feed_state(&self, url: &str, state: &FeedState) -> Result<()>;
    /// Whether the entry `entry` (its id) of `feed` was handled already.
    fn feed_entry_seen(&self, feed: &str, entry: &str) -> Result<bool>;
    /// Records the entry as handled; true when it was not yet.
    fn mark_feed_entry(&self, feed: &str, entry: &str, at: DateTime<Utc>) -> Result<bool>;
}
