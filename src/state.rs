//! The bot's persistent state in one embedded, transactional file (redb):
//! digest subscriptions and the last period each one posted, per-channel and per-server
//! settings, and when each document was first ingested.
//!
//! redb writes copy-on-write B-trees and commits with a checksummed header swap, so a crash
//! (even `kill -9`) loses at most the transaction in flight and never corrupts what was
//! committed. A file that is not a redb database is refused with its name, never replaced.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use redb::{Database, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

pub use crate::text::convert::Script;

pub const STATE_FILE: &str = "dossier.redb";

const SUBSCRIPTIONS: TableDefinition<&str, &str> = TableDefinition::new("subscriptions");
const LAST_POSTED: TableDefinition<&str, &str> = TableDefinition::new("last_posted");
const CHANNELS: TableDefinition<&str, &str> = TableDefinition::new("channel_settings");
const GUILDS: TableDefinition<&str, &str> = TableDefinition::new("guild_settings");
const INGESTED: TableDefinition<&str, i64> = TableDefinition::new("ingested");
const FEEDBACK: TableDefinition<&str, &str> = TableDefinition::new("feedback");

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

pub struct Store {
    db: Database,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the state folder {}", dir.display()))?;
        let path = dir.join(STATE_FILE);
        let refused = || {
            format!(
                "cannot open the state store {}: it is damaged or not a Dossier state file. It is left \
                 untouched: restore it from a backup, or move it away to start with an empty store \
                 (subscriptions and settings are then lost)",
                path.display()
            )
        };
        // redb asserts on some damage (a truncated file) instead of returning an error.
        let db = match quiet_panics(|| Database::create(&path)) {
            Ok(Ok(db)) => db,
            // In use or not permitted is not damage: saying "damaged" would invite deleting a
            // healthy store.
            Ok(Err(redb::DatabaseError::DatabaseAlreadyOpen)) => anyhow::bail!(
                "the state store {} is in use by another dossier process (a running bot?); stop it or \
                 give this one its own --state folder",
                path.display()
            ),
            Ok(Err(redb::DatabaseError::Storage(redb::StorageError::Io(io)))) => {
                anyhow::bail!("cannot open the state store {}: {io}", path.display())
            }
            Ok(Err(err)) => return Err(err).with_context(refused),
            Err(_) => anyhow::bail!("{} (the file is truncated or its header is damaged)", refused()),
        };
        let store = Store { db, path };
        // Create the tables up front so readers never see them missing.
        let tx = store.db.begin_write()?;
        {
            tx.open_table(SUBSCRIPTIONS)?;
            tx.open_table(LAST_POSTED)?;
            tx.open_table(CHANNELS)?;
            tx.open_table(GUILDS)?;
            tx.open_table(INGESTED)?;
            tx.open_table(FEEDBACK)?;
        }
        tx.commit()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn put(&self, table: TableDefinition<&str, &str>, key: &str, value: &str) -> Result<()> {
        let tx = self.db.begin_write()?;
        tx.open_table(table)?.insert(key, value)?;
        tx.commit()?;
        Ok(())
    }

    fn get(&self, table: TableDefinition<&str, &str>, key: &str) -> Result<Option<String>> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(table)?;
        Ok(t.get(key)?.map(|v| v.value().to_string()))
    }

    fn put_json<T: serde::Serialize>(&self, table: TableDefinition<&str, &str>, key: &str, value: &T) -> Result<()> {
        self.put(table, key, &serde_json::to_string(value)?)
    }

    /// A JSON value; one that no longer reads (written by another version) counts as absent
    /// and is logged, so a bad row never stops the bot.
    fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        table: TableDefinition<&str, &str>,
        key: &str,
    ) -> Result<Option<T>> {
        Ok(self.get(table, key)?.and_then(|v| match serde_json::from_str(&v) {
            Ok(value) => Some(value),
            Err(err) => {
                tracing::warn!(
                    "an unreadable entry {key:?} in {} was ignored: {err}",
                    self.path.display()
                );
                None
            }
        }))
    }

    /// Records a vote; true when it replaced the user's earlier vote on the same answer.
    pub fn record_vote(&self, v: &Vote) -> Result<bool> {
        let key = format!("{}:{}", v.answer, v.user);
        let tx = self.db.begin_write()?;
        let replaced = tx
            .open_table(FEEDBACK)?
            .insert(key.as_str(), serde_json::to_string(v)?.as_str())?
            .is_some();
        tx.commit()?;
        Ok(replaced)
    }

    /// Every vote, oldest first.
    pub fn votes(&self) -> Result<Vec<Vote>> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(FEEDBACK)?;
        let mut out: Vec<Vote> = Vec::new();
        for row in t.iter()? {
            let (_, v) = row?;
            match serde_json::from_str(v.value()) {
                Ok(vote) => out.push(vote),
                Err(err) => tracing::warn!("an unreadable vote in {} was skipped: {err}", self.path.display()),
            }
        }
        out.sort_by_key(|v| v.at);
        Ok(out)
    }

    pub fn subscribe(&self, s: &Subscription) -> Result<()> {
        self.put_json(SUBSCRIPTIONS, &s.key(), s)
    }

    /// Removes a subscription (and what it posted); false when there was none.
    pub fn unsubscribe(&self, guild: &str, channel: &str) -> Result<bool> {
        let key = subscription_key(guild, channel);
        let tx = self.db.begin_write()?;
        let existed = tx.open_table(SUBSCRIPTIONS)?.remove(key.as_str())?.is_some();
        tx.open_table(LAST_POSTED)?.remove(key.as_str())?;
        tx.commit()?;
        Ok(existed)
    }

    pub fn subscriptions(&self) -> Result<Vec<Subscription>> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(SUBSCRIPTIONS)?;
        let mut out = Vec::new();
        for row in t.iter()? {
            let (_, v) = row?;
            match serde_json::from_str(v.value()) {
                Ok(s) => out.push(s),
                Err(err) => tracing::warn!(
                    "an unreadable subscription in {} was skipped: {err}",
                    self.path.display()
                ),
            }
        }
        Ok(out)
    }

    pub fn subscription(&self, guild: &str, channel: &str) -> Result<Option<Subscription>> {
        self.get_json(SUBSCRIPTIONS, &subscription_key(guild, channel))
    }

    /// The period (slot time) a subscription last posted.
    pub fn last_posted(&self, key: &str) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .get(LAST_POSTED, key)?
            .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
            .map(|d| d.with_timezone(&Utc)))
    }

    /// Records that the period at `slot` was posted, unless it (or a later one) already was:
    /// returns false then. Check and record happen in one transaction, so two posters can
    /// never both claim a period.
    pub fn claim_period(&self, key: &str, slot: DateTime<Utc>) -> Result<bool> {
        let tx = self.db.begin_write()?;
        let claimed = {
            let mut t = tx.open_table(LAST_POSTED)?;
            let last = t.get(key)?.and_then(|v| DateTime::parse_from_rfc3339(v.value()).ok());
            if last.is_some_and(|l| l.with_timezone(&Utc) >= slot) {
                false
            } else {
                t.insert(key, slot.to_rfc3339().as_str())?;
                true
            }
        };
        tx.commit()?;
        Ok(claimed)
    }

    pub fn channel_settings(&self, channel: &str) -> Result<ChannelSettings> {
        Ok(self.get_json(CHANNELS, channel)?.unwrap_or_default())
    }

    pub fn set_channel_settings(&self, channel: &str, s: &ChannelSettings) -> Result<()> {
        self.put_json(CHANNELS, channel, s)
    }

    pub fn guild_settings(&self, guild: &str) -> Result<GuildSettings> {
        Ok(self.get_json(GUILDS, guild)?.unwrap_or_default())
    }

    pub fn set_guild_settings(&self, guild: &str, s: &GuildSettings) -> Result<()> {
        self.put_json(GUILDS, guild, s)
    }

    /// Records when documents were first seen; documents already known keep their time.
    pub fn record_ingested<'a>(&self, ids: impl IntoIterator<Item = &'a str>, at: DateTime<Utc>) -> Result<usize> {
        let tx = self.db.begin_write()?;
        let mut added = 0;
        {
            let mut t = tx.open_table(INGESTED)?;
            for id in ids {
                if t.get(id)?.is_none() {
                    t.insert(id, at.timestamp())?;
                    added += 1;
                }
            }
        }
        tx.commit()?;
        Ok(added)
    }

    pub fn forget_ingested(&self, id: &str) -> Result<()> {
        let tx = self.db.begin_write()?;
        tx.open_table(INGESTED)?.remove(id)?;
        tx.commit()?;
        Ok(())
    }

    /// When each known document was first ingested.
    pub fn ingested(&self) -> Result<Vec<(String, DateTime<Utc>)>> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(INGESTED)?;
        let mut out = Vec::new();
        for row in t.iter()? {
            let (k, v) = row?;
            if let Some(at) = DateTime::from_timestamp(v.value(), 0) {
                out.push((k.value().to_string(), at));
            }
        }
        Ok(out)
    }
}

/// Runs `f`, turning a panic into `Err` without the panic message on stderr (only on this
/// thread; panics elsewhere are reported as usual).
fn quiet_panics<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> std::thread::Result<R> {
    thread_local!(static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(f);
    QUIET.with(|q| q.set(false));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(channel: &str) -> Subscription {
        Subscription {
            guild: "g".into(),
            channel: channel.into(),
            weekday: 0,
            minute_of_day: 9 * 60,
            timezone: "Asia/Shanghai".into(),
            topic: None,
            created_by: "u".into(),
        }
    }

    #[test]
    fn subscriptions_and_periods_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.subscribe(&sub("c1")).unwrap();
            s.subscribe(&sub("c2")).unwrap();
            let slot = DateTime::parse_from_rfc3339("2026-03-16T01:00:00Z")
                .unwrap()
                .with_timezone(&Utc);
            assert!(s.claim_period("g/c1", slot).unwrap());
            assert!(!s.claim_period("g/c1", slot).unwrap(), "a period is posted once");
            s.set_channel_settings(
                "c1",
                &ChannelSettings {
                    script: Script::Traditional,
                    language: None,
                },
            )
            .unwrap();
            assert_eq!(s.record_ingested(["a", "b"], slot).unwrap(), 2);
            assert_eq!(s.record_ingested(["a", "c"], slot).unwrap(), 1);
        }
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.subscriptions().unwrap().len(), 2);
        assert!(s.last_posted("g/c1").unwrap().is_some());
        assert_eq!(s.channel_settings("c1").unwrap().script, Script::Traditional);
        assert_eq!(s.channel_settings("other").unwrap().script, Script::Original);
        assert!(s.unsubscribe("g", "c1").unwrap());
        assert!(!s.unsubscribe("g", "c1").unwrap());
        assert!(s.last_posted("g/c1").unwrap().is_none());
        assert_eq!(s.ingested().unwrap().len(), 3);
    }

    #[test]
    fn a_truncated_or_damaged_store_is_refused_by_name_and_never_overwritten() {
        for cut in [0.5, 0.9, 0.1] {
            let dir = tempfile::tempdir().unwrap();
            {
                let s = Store::open(dir.path()).unwrap();
                for i in 0..50 {
                    s.set_channel_settings(&format!("c{i}"), &ChannelSettings::default())
                        .unwrap();
                }
            }
            let path = dir.path().join(STATE_FILE);
            let full = std::fs::read(&path).unwrap();
            let damaged = &full[..(full.len() as f64 * cut) as usize];
            std::fs::write(&path, damaged).unwrap();
            let err = Store::open(dir.path()).err().expect("refused");
            let msg = format!("{err:#}");
            assert!(msg.contains(STATE_FILE) && msg.contains("restore"), "{msg}");
            assert_eq!(std::fs::read(&path).unwrap(), damaged, "the file is left as it was");
        }
    }

    #[test]
    fn a_store_in_use_is_said_to_be_in_use_not_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let _open = Store::open(dir.path()).unwrap();
        let msg = format!("{:#}", Store::open(dir.path()).err().expect("refused"));
        assert!(msg.contains("in use") && !msg.contains("damaged"), "{msg}");
    }

    #[test]
    fn a_foreign_file_is_refused_by_name_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STATE_FILE);
        std::fs::write(&path, "not a database, but someone's notes").unwrap();
        let err = Store::open(dir.path()).err().expect("refused");
        assert!(format!("{err:#}").contains(STATE_FILE));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "not a database, but someone's notes"
        );
    }
}
