//! The bot's persistent state: digest subscriptions and the periods each one posted,
//! per-channel and per-server settings, when each document was first ingested, feedback
//! on answers, and the feeds the corpus follows ([`FeedStore`]).
//!
//! [`StateStore`] is the seam, in Dossier's own terms. Two backends sit behind it:
//! [`RedbStore`], one embedded file and the default (nothing to set up, one process), and
//! [`PgStore`], PostgreSQL, when several processes share the state
//! (`DOSSIER_STATE=postgres://…`). Both give a digest period to exactly one poster: a period
//! is claimed with a lease before it is posted and completed after ([`Claim`]).

#[cfg(test)]
mod conformance;
mod feeds;
mod pg_feeds;
mod pg_pool;
mod postgres;
mod redb;
mod redb_feeds;

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use self::feeds::{Feed, FeedState, FeedStore};
pub use self::postgres::PgStore;
pub use self::redb::{RedbStore, STATE_FILE};
pub use crate::text::convert::Script;

/// A channel's weekly digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub guild: String,
    pub channel: String,
    /// Monday = 0 … Sunday = 6.
    pub weekday: u8,
    /// Minutes after midnight, local time.
    pub minute_of_day: u16,
    /// IANA time zone name.
    pub timezone: String,
    pub topic: Option<String>,
    pub created_by: String,
}

/// A user's 👍 or 👎 on an answer, with what the answer was: one per user and answer, the
/// last one counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    /// The answer's id, as its buttons carry it.
    pub answer: String,
    pub user: String,
    pub channel: String,
    pub helpful: bool,
    pub command: String,
    pub query: String,
    /// The passages the answer cited, as `doc ¶n`.
    pub cited: Vec<String>,
    pub at: DateTime<Utc>,
}

impl Subscription {
    pub fn key(&self) -> String {
        subscription_key(&self.guild, &self.channel)
    }
}

pub fn subscription_key(guild: &str, channel: &str) -> String {
    format!("{guild}/{channel}")
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSettings {
    #[serde(default)]
    pub script: Script,
    /// Language of the channel's scheduled digests; the server's preferred one when unset.
    #[serde(default)]
    pub language: Option<crate::locale::Locale>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildSettings {
    pub timezone: Option<String>,
    /// The server's preferred locale, as Discord last reported it with an interaction.
    #[serde(default)]
    pub locale: Option<crate::locale::Locale>,
}

/// An answer shown in Discord, kept for its page and vote buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptPage {
    /// The id its buttons carry.
    pub id: String,
    pub channel: String,
    pub command: String,
    pub query: String,
    /// The answer, as JSON.
    pub answer: String,
    pub at: DateTime<Utc>,
}

/// What claiming a digest period found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This owner may post the period, until its lease ends.
    Claimed,
    /// The period (or a later one) was posted already.
    Done,
    /// Another owner holds an unexpired lease on it.
    Held { owner: String, until: DateTime<Utc> },
}

/// The bot's state, wherever it is kept. Every method is one transaction.
pub trait StateStore: FeedStore + Send + Sync {
    /// Where the state is, for logs and messages (never a password).
    fn describe(&self) -> String;

    fn subscribe(&self, s: &Subscription) -> Result<()>;
    /// Removes a subscription (and what it posted); false when there was none.
    fn unsubscribe(&self, guild: &str, channel: &str) -> Result<bool>;
    fn subscriptions(&self) -> Result<Vec<Subscription>>;
    fn subscription(&self, guild: &str, channel: &str) -> Result<Option<Subscription>>;

    /// The period (slot time) a subscription last posted.
    fn last_posted(&self, key: &str) -> Result<Option<DateTime<Utc>>>;
    /// Records the period at `slot` as done without posting it (a slot that passed before the
    /// subscription, or one missed while the bot was down); false when it (or a later one)
    /// already was.
    fn mark_posted(&self, key: &str, slot: DateTime<Utc>) -> Result<bool>;
    /// Takes the period at `slot` for `owner` until `now + lease`, unless it is done or another
    /// owner's lease on it has not ended. The same owner may claim again (a retry).
    fn claim_period(
        &self,
        key: &str,
        slot: DateTime<Utc>,
        owner: &str,
        lease: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<Claim>;
    /// Records the claimed period as posted: no owner can claim it again.
    fn complete_period(&self, key: &str, slot: DateTime<Utc>, owner: &str) -> Result<()>;
    /// Gives up `owner`'s claim (its post failed), so any owner may take the period at once.
    fn release_period(&self, key: &str, slot: DateTime<Utc>, owner: &str) -> Result<()>;

    fn channel_settings(&self, channel: &str) -> Result<ChannelSettings>;
    fn set_channel_settings(&self, channel: &str, s: &ChannelSettings) -> Result<()>;
    fn guild_settings(&self, guild: &str) -> Result<GuildSettings>;
    fn set_guild_settings(&self, guild: &str, s: &GuildSettings) -> Result<()>;
    /// Every channel and server with settings of its own.
    fn all_channel_settings(&self) -> Result<Vec<(String, ChannelSettings)>>;
    fn all_guild_settings(&self) -> Result<Vec<(String, GuildSettings)>>;

    /// Records when documents were first seen; documents already known keep their time.
    /// Returns how many were new.
    fn record_ingested(&self, ids: &[&str], at: DateTime<Utc>) -> Result<usize>;
    fn forget_ingested(&self, id: &str) -> Result<()>;
    /// When each known document was first ingested.
    fn ingested(&self) -> Result<Vec<(String, DateTime<Utc>)>>;

    /// Keeps an answer shown in Discord for its buttons (replacing one with the same id).
    fn keep_page(&self, page: &KeptPage) -> Result<()>;
    fn kept_page(&self, id: &str) -> Result<Option<KeptPage>>;
    /// Forgets answers kept before `t`; returns how many.
    fn forget_pages_before(&self, t: DateTime<Utc>) -> Result<usize>;

    /// Records a vote; true when it replaced the user's earlier vote on the same answer.
    fn record_vote(&self, v: &Vote) -> Result<bool>;
    /// Every vote, oldest first.
    fn votes(&self) -> Result<Vec<Vote>>;
}

/// Whether `spec` names a PostgreSQL database rather than a folder.
pub fn is_postgres(spec: &str) -> bool {
    spec.starts_with("postgres://") || spec.starts_with("postgresql://")
}

/// Opens the state `spec` names: a `postgres://` URL, or a folder for the embedded store.
pub fn open(spec: &str) -> Result<Arc<dyn StateStore>> {
    if is_postgres(spec) {
        Ok(Arc::new(PgStore::connect(spec)?))
    } else {
        Ok(Arc::new(RedbStore::open(Path::new(spec))?))
    }
}

/// Whether the embedded store exists in `spec` (a folder), or `spec` is a database: readers
/// that only look at the state (the CLI's digest, feedback) need not create it.
pub fn exists(spec: &str) -> bool {
    is_postgres(spec) || Path::new(spec).join(STATE_FILE).exists()
}

/// Copies everything from one store into another (`dossier state migrate`): subscriptions,
/// posted periods, settings, ingestion times and votes. Returns what was copied, per kind.
pub fn copy(from: &dyn StateStore, to: &dyn StateStore) -> Result<Vec<(&'static str, usize)>> {
    let subs = from.subscriptions()?;
    let mut periods = 0;
    for s in &subs {
        to.subscribe(s)?;
        if let Some(last) = from.last_posted(&s.key())? {
            to.mark_posted(&s.key(), last)?;
            periods += 1;
        }
    }
    let channels = from.all_channel_settings()?;
    for (c, s) in &channels {
        to.set_channel_settings(c, s)?;
    }
    let guilds = from.all_guild_settings()?;
    for (g, s) in &guilds {
        to.set_guild_settings(g, s)?;
    }
    let votes = from.votes()?;
    for v in &votes {
        to.record_vote(v)?;
    }
    let feeds = from.feeds()?;
    for f in &feeds {
        to.add_feed(f)?;
        to.set_feed_state(&f.url, &from.feed_state(&f.url)?)?;
    }
    let ingested = from.ingested()?;
    let mut by_time: std::collections::BTreeMap<DateTime<Utc>, Vec<&str>> = Default::default();
    for (id, at) in &ingested {
        by_time.entry(*at).or_default().push(id);
    }
    for (at, ids) in by_time {
        to.record_ingested(&ids, at)?;
    }
    Ok(vec![
        ("subscriptions", subs.len()),
        ("posted periods", periods),
        ("channel settings", channels.len()),
        ("server settings", guilds.len()),
        ("ingestion times", ingested.len()),
        ("votes", votes.len()),
        ("feeds", feeds.len()),
    ])
}
