//! The feed tables in the embedded store.

use anyhow::Result;
use chrono::{DateTime, Utc};
use redb::{ReadableTable, TableDefinition};

use super::feeds::{Feed, FeedState, FeedStore};
use super::redb::RedbStore;

/// Feed address → the `Feed` as JSON.
pub(super) const FEEDS: TableDefinition<&str, &str> = TableDefinition::new("feeds");
/// Feed address → the `FeedState` as JSON.
pub(super) const FEED_STATE: TableDefinition<&str, &str> = TableDefinition::new("feed_state");
/// `feed address \n entry id` → when it was handled (seconds).
pub(super) const FEED_ENTRIES: TableDefinition<&str, i64> = TableDefinition::new("feed_entries");

fn entry_key(feed: &str, entry: &str) -> String {
    format!("{feed}\n{entry}")
}

impl FeedStore for RedbStore {
    fn add_feed(&self, feed: &Feed) -> Result<bool> {
        let new = self.get_json::<Feed>(FEEDS, &feed.url)?.is_none();
        self.put_json(FEEDS, &feed.url, feed)?;
        Ok(new)
    }

    fn remove_feed(&self, url: &str) -> Result<bool> {
        let tx = self.db().begin_write()?;
        let removed = {
            let removed = tx.open_table(FEEDS)?.remove(url)?.is_some();
            tx.open_table(FEED_STATE)?.remove(url)?;
            let mut entries = tx.open_table(FEED_ENTRIES)?;
            let prefix = format!("{url}\n");
            let keys: Vec<String> = entries
                .range(prefix.as_str()..)?
                .map_while(|row| row.ok().map(|(k, _)| k.value().to_string()))
                .take_while(|k| k.starts_with(&prefix))
                .collect();
            for k in keys {
                entries.remove(k.as_str())?;
            }
            removed
        };
        tx.commit()?;
        Ok(removed)
    }

    fn feeds(&self) -> Result<Vec<Feed>> {
        Ok(self.all_json(FEEDS)?.into_iter().map(|(_, f)| f).collect())
    }

    fn feed_state(&self, url: &str) -> Result<FeedState> {
        Ok(self.get_json(FEED_STATE, url)?.unwrap_or_default())
    }

    fn set_feed_state(&self, url: &str, state: &FeedState) -> Result<()> {
        self.put_json(FEED_STATE, url, state)
    }

    fn feed_entry_seen(&self, feed: &str, entry: &str) -> Result<bool> {
        let tx = self.db().begin_read()?;
        let seen = tx
            .open_table(FEED_ENTRIES)?
            .get(entry_key(feed, entry).as_str())?
            .is_some();
        Ok(seen)
    }

    fn mark_feed_entry(&self, feed: &str, entry: &str, at: DateTime<Utc>) -> Result<bool> {
        let tx = self.db().begin_write()?;
        let new = {
            let mut t = tx.open_table(FEED_ENTRIES)?;
            let key = entry_key(feed, entry);
            let new = t.get(key.as_str())?.is_none();
            if new {
                t.insert(key.as_str(), at.timestamp())?;
            }
            new
        };
        tx.commit()?;
        Ok(new)
    }
}
