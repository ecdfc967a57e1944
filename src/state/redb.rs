//! The embedded state store, the default: one transactional file (redb) that needs nothing
//! set up, for a bot that runs as one process.
//!
//! redb writes copy-on-write B-trees and commits with a checksummed header swap, so a crash
//! (even `kill -9`) loses at most the transaction in flight and never corrupts what was
//! committed. A file that is not a redb database is refused with its name, never replaced.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use redb::{Database, ReadableTable, TableDefinition};

use super::{subscription_key, ChannelSettings, Claim, GuildSettings, KeptPage, StateStore, Subscription, Vote};

pub const STATE_FILE: &str = "dossier.redb";

const SUBSCRIPTIONS: TableDefinition<&str, &str> = TableDefinition::new("subscriptions");
const LAST_POSTED: TableDefinition<&str, &str> = TableDefinition::new("last_posted");
const CHANNELS: TableDefinition<&str, &str> = TableDefinition::new("channel_settings");
const GUILDS: TableDefinition<&str, &str> = TableDefinition::new("guild_settings");
const INGESTED: TableDefinition<&str, i64> = TableDefinition::new("ingested");
const FEEDBACK: TableDefinition<&str, &str> = TableDefinition::new("feedback");
/// Answers shown in Discord: id → the `KeptPage` as JSON.
const PAGES: TableDefinition<&str, &str> = TableDefinition::new("pages");
/// Digest periods being posted: `key|slot` → `owner|lease end` (seconds; `i64::MAX` once posted).
const CLAIMS: TableDefinition<&str, &str> = TableDefinition::new("claims");

pub struct RedbStore {
    db: Database,
    path: PathBuf,
}

impl RedbStore {
    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<RedbStore> {
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
        let store = RedbStore { db, path };
        // Create the tables up front so readers never see them missing.
        let tx = store.db.begin_write()?;
        {
            tx.open_table(SUBSCRIPTIONS)?;
            tx.open_table(LAST_POSTED)?;
            tx.open_table(CHANNELS)?;
            tx.open_table(GUILDS)?;
            tx.open_table(INGESTED)?;
            tx.open_table(FEEDBACK)?;
            tx.open_table(CLAIMS)?;
            tx.open_table(PAGES)?;
            tx.open_table(super::redb_feeds::FEEDS)?;
            tx.open_table(super::redb_feeds::FEED_STATE)?;
            tx.open_table(super::redb_feeds::FEED_ENTRIES)?;
        }
        tx.commit()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn db(&self) -> &Database {
        &self.db
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

    pub(super) fn put_json<T: serde::Serialize>(
        &self,
        table: TableDefinition<&str, &str>,
        key: &str,
        value: &T,
    ) -> Result<()> {
        self.put(table, key, &serde_json::to_string(value)?)
    }

    /// A JSON value; one that no longer reads (written by another version) counts as absent
    /// and is logged, so a bad row never stops the bot.
    pub(super) fn get_json<T: serde::de::DeserializeOwned>(
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

    /// Every readable JSON value of a table, by key.
    pub(super) fn all_json<T: serde::de::DeserializeOwned>(
        &self,
        table: TableDefinition<&str, &str>,
    ) -> Result<Vec<(String, T)>> {
        let tx = self.db.begin_read()?;
        let t = tx.open_table(table)?;
        let mut out = Vec::new();
        for row in t.iter()? {
            let (k, v) = row?;
            match serde_json::from_str(v.value()) {
                Ok(value) => out.push((k.value().to_string(), value)),
                Err(err) => tracing::warn!("an unreadable entry in {} was skipped: {err}", self.path.display()),
            }
        }
        Ok(out)
    }
}

impl StateStore for RedbStore {
    /// Records a vote; true when it replaced the user's earlier vote on the same answer.
    fn record_vote(&self, v: &Vote) -> Result<bool> {
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
    fn votes(&self) -> Result<Vec<Vote>> {
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

    fn subscribe(&self, s: &Subscription) -> Result<()> {
        self.put_json(SUBSCRIPTIONS, &s.key(), s)
    }

    /// Removes a subscription (and what it posted); false when there was none.
    fn unsubscribe(&self, guild: &str, channel: &str) -> Result<bool> {
        let key = subscription_key(guild, channel);
        let tx = self.db.begin_write()?;
        let existed = tx.open_table(SUBSCRIPTIONS)?.remove(key.as_str())?.is_some();
        tx.open_table(LAST_POSTED)?.remove(key.as_str())?;
        {
            let mut claims = tx.open_table(CLAIMS)?;
            let prefix = format!("{key}|");
            let stale: Vec<String> = claims
                .iter()?
                .filter_map(|row| row.ok().map(|(k, _)| k.value().to_string()))
                .filter(|k| k.starts_with(&prefix))
                .collect();
            for k in stale {
                claims.remove(k.as_str())?;
            }
        }
        tx.commit()?;
        Ok(existed)
    }

    fn subscriptions(&self) -> Result<Vec<Subscription>> {
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

    fn subscription(&self, guild: &str, channel: &str) -> Result<Option<Subscription>> {
        self.get_json(SUBSCRIPTIONS, &subscription_key(guild, channel))
    }

    /// The period (slot time) a subscription last posted.
    fn last_posted(&self, key: &str) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .get(LAST_POSTED, key)?
            .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
            .map(|d| d.with_timezone(&Utc)))
    }

    fn mark_posted(&self, key: &str, slot: DateTime<Utc>) -> Result<bool> {
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

    fn channel_settings(&self, channel: &str) -> Result<ChannelSettings> {
        Ok(self.get_json(CHANNELS, channel)?.unwrap_or_default())
    }

    fn set_channel_settings(&self, channel: &str, s: &ChannelSettings) -> Result<()> {
        self.put_json(CHANNELS, channel, s)
    }

    fn guild_settings(&self, guild: &str) -> Result<GuildSettings> {
        Ok(self.get_json(GUILDS, guild)?.unwrap_or_default())
    }

    fn set_guild_settings(&self, guild: &str, s: &GuildSettings) -> Result<()> {
        self.put_json(GUILDS, guild, s)
    }

    /// Records when documents were first seen; documents already known keep their time.
    fn record_ingested(&self, ids: &[&str], at: DateTime<Utc>) -> Result<usize> {
        let tx = self.db.begin_write()?;
        let mut added = 0;
        {
            let mut t = tx.open_table(INGESTED)?;
            for &id in ids {
                if t.get(id)?.is_none() {
                    t.insert(id, at.timestamp())?;
                    added += 1;
                }
            }
        }
        tx.commit()?;
        Ok(added)
    }

    fn forget_ingested(&self, id: &str) -> Result<()> {
        let tx = self.db.begin_write()?;
        tx.open_table(INGESTED)?.remove(id)?;
        tx.commit()?;
        Ok(())
    }

    /// When each known document was first ingested.
    fn ingested(&self) -> Result<Vec<(String, DateTime<Utc>)>> {
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

    fn describe(&self) -> String {
        format!("the embedded store {}", self.path.display())
    }

    fn claim_period(
        &self,
        key: &str,
        slot: DateTime<Utc>,
        owner: &str,
        lease: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<Claim> {
        let tx = self.db.begin_write()?;
        let claim = {
            let last = tx
                .open_table(LAST_POSTED)?
                .get(key)?
                .and_then(|v| DateTime::parse_from_rfc3339(v.value()).ok());
            let mut claims = tx.open_table(CLAIMS)?;
            let id = claim_id(key, slot);
            let held = claims.get(id.as_str())?.map(|v| parse_claim(v.value()));
            match held {
                _ if last.is_some_and(|l| l.with_timezone(&Utc) >= slot) => Claim::Done,
                Some((_, until)) if until == i64::MAX => Claim::Done,
                Some((holder, until)) if holder != owner && until > now.timestamp() => Claim::Held {
                    owner: holder,
                    until: DateTime::from_timestamp(until, 0).unwrap_or(now),
                },
                _ => {
                    let until = (now + lease).timestamp();
                    claims.insert(id.as_str(), format!("{owner}|{until}").as_str())?;
                    Claim::Claimed
                }
            }
        };
        tx.commit()?;
        Ok(claim)
    }

    fn complete_period(&self, key: &str, slot: DateTime<Utc>, owner: &str) -> Result<()> {
        let tx = self.db.begin_write()?;
        {
            let mut claims = tx.open_table(CLAIMS)?;
            claims.insert(claim_id(key, slot).as_str(), format!("{owner}|{}", i64::MAX).as_str())?;
            let mut last = tx.open_table(LAST_POSTED)?;
            let before = last
                .get(key)?
                .and_then(|v| DateTime::parse_from_rfc3339(v.value()).ok());
            if before.is_none_or(|b| b.with_timezone(&Utc) < slot) {
                last.insert(key, slot.to_rfc3339().as_str())?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn release_period(&self, key: &str, slot: DateTime<Utc>, owner: &str) -> Result<()> {
        let tx = self.db.begin_write()?;
        {
            let mut claims = tx.open_table(CLAIMS)?;
            let id = claim_id(key, slot);
            let held = claims.get(id.as_str())?.map(|v| parse_claim(v.value()));
            if held.is_some_and(|(holder, until)| holder == owner && until != i64::MAX) {
                claims.insert(id.as_str(), format!("{owner}|0").as_str())?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn keep_page(&self, page: &KeptPage) -> Result<()> {
        self.put_json(PAGES, &page.id, page)
    }

    fn kept_page(&self, id: &str) -> Result<Option<KeptPage>> {
        self.get_json(PAGES, id)
    }

    fn forget_pages_before(&self, t: DateTime<Utc>) -> Result<usize> {
        let old: Vec<String> = self
            .all_json::<KeptPage>(PAGES)?
            .into_iter()
            .filter(|(_, p)| p.at < t)
            .map(|(id, _)| id)
            .collect();
        let tx = self.db.begin_write()?;
        {
            let mut pages = tx.open_table(PAGES)?;
            for id in &old {
                pages.remove(id.as_str())?;
            }
        }
        tx.commit()?;
        Ok(old.len())
    }

    fn all_channel_settings(&self) -> Result<Vec<(String, ChannelSettings)>> {
        self.all_json(CHANNELS)
    }

    fn all_guild_settings(&self) -> Result<Vec<(String, GuildSettings)>> {
        self.all_json(GUILDS)
    }
}

fn claim_id(key: &str, slot: DateTime<Utc>) -> String {
    format!("{key}|{}", slot.timestamp())
}

/// `owner|lease end` (an owner's id may itself hold `|`: the end is after the last one).
fn parse_claim(v: &str) -> (String, i64) {
    match v.rsplit_once('|') {
        Some((owner, until)) => (owner.to_string(), until.parse().unwrap_or(0)),
        None => (v.to_string(), 0),
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
    use crate::state::Script;

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
            let s = RedbStore::open(dir.path()).unwrap();
            s.subscribe(&sub("c1")).unwrap();
            s.subscribe(&sub("c2")).unwrap();
            let slot = DateTime::parse_from_rfc3339("2026-03-16T01:00:00Z")
                .unwrap()
                .with_timezone(&Utc);
            assert!(s.mark_posted("g/c1", slot).unwrap());
            assert!(!s.mark_posted("g/c1", slot).unwrap(), "a period is posted once");
            s.set_channel_settings(
                "c1",
                &ChannelSettings {
                    script: Script::Traditional,
                    language: None,
                },
            )
            .unwrap();
            assert_eq!(s.record_ingested(&["a", "b"], slot).unwrap(), 2);
            assert_eq!(s.record_ingested(&["a", "c"], slot).unwrap(), 1);
        }
        let s = RedbStore::open(dir.path()).unwrap();
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
                let s = RedbStore::open(dir.path()).unwrap();
                for i in 0..50 {
                    s.set_channel_settings(&format!("c{i}"), &ChannelSettings::default())
                        .unwrap();
                }
            }
            let path = dir.path().join(STATE_FILE);
            let full = std::fs::read(&path).unwrap();
            let damaged = &full[..(full.len() as f64 * cut) as usize];
            std::fs::write(&path, damaged).unwrap();
            let err = RedbStore::open(dir.path()).err().expect("refused");
            let msg = format!("{err:#}");
            assert!(msg.contains(STATE_FILE) && msg.contains("restore"), "{msg}");
            assert_eq!(std::fs::read(&path).unwrap(), damaged, "the file is left as it was");
        }
    }

    #[test]
    fn a_store_in_use_is_said_to_be_in_use_not_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let _open = RedbStore::open(dir.path()).unwrap();
        let msg = format!("{:#}", RedbStore::open(dir.path()).err().expect("refused"));
        assert!(msg.contains("in use") && !msg.contains("damaged"), "{msg}");
    }

    #[test]
    fn a_foreign_file_is_refused_by_name_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STATE_FILE);
        std::fs::write(&path, "not a database, but someone's notes").unwrap();
        let err = RedbStore::open(dir.path()).err().expect("refused");
        assert!(format!("{err:#}").contains(STATE_FILE));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "not a database, but someone's notes"
        );
    }
}
