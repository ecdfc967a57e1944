//! The feed tables in PostgreSQL (`migrations/0003_feeds.sql`).

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::feeds::{Feed, FeedState, FeedStore};
use super::postgres::PgStore;

impl FeedStore for PgStore {
    fn add_feed(&self, feed: &Feed) -> Result<bool> {
        let (url, body) = (feed.url.clone(), serde_json::to_string(feed)?);
        self.run(move |c| {
            // xmax = 0 only for a row this statement inserted.
            let row = c.query_one(
                "INSERT INTO feeds (url, body) VALUES ($1, $2)
                 ON CONFLICT (url) DO UPDATE SET body = EXCLUDED.body RETURNING (xmax = 0)",
                &[&url, &body],
            )?;
            Ok(row.get(0))
        })
    }

    fn remove_feed(&self, url: &str) -> Result<bool> {
        let url = url.to_string();
        self.run(move |c| {
            let mut tx = c.transaction()?;
            let removed = tx.execute("DELETE FROM feeds WHERE url = $1", &[&url])? > 0;
            tx.execute("DELETE FROM feed_state WHERE url = $1", &[&url])?;
            tx.execute("DELETE FROM feed_entries WHERE feed = $1", &[&url])?;
            tx.commit()?;
            Ok(removed)
        })
    }

    fn feeds(&self) -> Result<Vec<Feed>> {
        Ok(self.all_json("feeds", "url")?.into_iter().map(|(_, f)| f).collect())
    }

    fn feed_state(&self, url: &str) -> Result<FeedState> {
        Ok(self.get_json("feed_state", "url", url)?.unwrap_or_default())
    }

    fn set_feed_state(&self, url: &str, state: &FeedState) -> Result<()> {
        self.put_json("feed_state", "url", url, state)
    }

    fn feed_entry_seen(&self, feed: &str, entry: &str) -> Result<bool> {
        let (feed, entry) = (feed.to_string(), entry.to_string());
        self.run(move |c| {
            Ok(c.query_opt(
                "SELECT 1 FROM feed_entries WHERE feed = $1 AND entry = $2",
                &[&feed, &entry],
            )?
            .is_some())
        })
    }

    fn mark_feed_entry(&self, feed: &str, entry: &str, at: DateTime<Utc>) -> Result<bool> {
        let (feed, entry) = (feed.to_string(), entry.to_string());
        self.run(move |c| {
            Ok(c.execute(
                "INSERT INTO feed_entries (feed, entry, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&feed, &entry, &at],
            )? > 0)
        })
    }
}
