//! The shared state store: PostgreSQL, for several Dossier processes (gateway shards, an
//! indexer and readers) that must see one set of subscriptions, settings and claims.
//!
//! Each method is one statement or one transaction; the connections live in `pg_pool`.

use anyhow::Result;
use chrono::{DateTime, Utc};
use postgres::Client;

use super::pg_pool::Pool;
use super::{ChannelSettings, Claim, GuildSettings, KeptPage, StateStore, Subscription, Vote};

/// Ids recorded per statement when many documents are ingested at once.
const INGEST_BATCH: usize = 10_000;

pub struct PgStore {
    pool: Pool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:5432/db`, optionally `?schema=name` to keep
    /// Dossier's tables in a schema of their own) and applies pending migrations.
    pub fn connect(url: &str) -> Result<PgStore> {
        Ok(PgStore {
            pool: Pool::connect(url)?,
        })
    }

    pub(super) fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.pool.run(f)
    }

    pub(super) fn get_json<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        table: &'static str,
        column: &'static str,
        key: &str,
    ) -> Result<Option<T>> {
        let key = key.to_string();
        let body: Option<String> = self.run(move |c| {
            let sql = format!("SELECT body FROM {table} WHERE {column} = $1");
            Ok(c.query_opt(&sql, &[&key])?.map(|r| r.get(0)))
        })?;
        Ok(body.and_then(|b| readable(table, &b)))
    }

    pub(super) fn put_json<T: serde::Serialize>(
        &self,
        table: &'static str,
        column: &'static str,
        key: &str,
        value: &T,
    ) -> Result<()> {
        let (key, body) = (key.to_string(), serde_json::to_string(value)?);
        self.run(move |c| {
            let sql = format!(
                "INSERT INTO {table} ({column}, body) VALUES ($1, $2) ON CONFLICT ({column}) DO UPDATE SET body = EXCLUDED.body"
            );
            c.execute(&sql, &[&key, &body])?;
            Ok(())
        })
    }

    pub(super) fn all_json<T: serde::de::DeserializeOwned>(
        &self,
        table: &'static str,
        column: &'static str,
    ) -> Result<Vec<(String, T)>> {
        let rows: Vec<(String, String)> = self.run(move |c| {
            let sql = format!("SELECT {column}, body FROM {table} ORDER BY {column}");
            Ok(c.query(&sql, &[])?.iter().map(|r| (r.get(0), r.get(1))).collect())
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(k, b)| readable(table, &b).map(|v| (k, v)))
            .collect())
    }
}

/// A JSON row; one another version wrote and this one cannot read counts as absent and is
/// logged, so a bad row never stops the bot.
fn readable<T: serde::de::DeserializeOwned>(table: &str, body: &str) -> Option<T> {
    match serde_json::from_str(body) {
        Ok(v) => Some(v),
        Err(err) => {
            tracing::warn!("an unreadable row in {table} was skipped: {err}");
            None
        }
    }
}

impl StateStore for PgStore {
    fn describe(&self) -> String {
        format!("PostgreSQL at {}", self.pool.shown)
    }

    fn subscribe(&self, s: &Subscription) -> Result<()> {
        self.put_json("subscriptions", "key", &s.key(), s)
    }

    fn unsubscribe(&self, guild: &str, channel: &str) -> Result<bool> {
        let key = super::subscription_key(guild, channel);
        self.run(move |c| {
            let mut tx = c.transaction()?;
            let existed = tx.execute("DELETE FROM subscriptions WHERE key = $1", &[&key])? > 0;
            tx.execute("DELETE FROM periods WHERE key = $1", &[&key])?;
            tx.execute("DELETE FROM claims WHERE key = $1", &[&key])?;
            tx.commit()?;
            Ok(existed)
        })
    }

    fn subscriptions(&self) -> Result<Vec<Subscription>> {
        Ok(self
            .all_json::<Subscription>("subscriptions", "key")?
            .into_iter()
            .map(|(_, s)| s)
            .collect())
    }

    fn subscription(&self, guild: &str, channel: &str) -> Result<Option<Subscription>> {
        self.get_json("subscriptions", "key", &super::subscription_key(guild, channel))
    }

    fn last_posted(&self, key: &str) -> Result<Option<DateTime<Utc>>> {
        let key = key.to_string();
        self.run(move |c| {
            Ok(c.query_opt("SELECT last_posted FROM periods WHERE key = $1", &[&key])?
                .map(|r| r.get(0)))
        })
    }

    fn mark_posted(&self, key: &str, slot: DateTime<Utc>) -> Result<bool> {
        let key = key.to_string();
        self.run(move |c| {
            let row = c.query_opt(
                "INSERT INTO periods (key, last_posted) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET last_posted = EXCLUDED.last_posted
                 WHERE periods.last_posted < EXCLUDED.last_posted
                 RETURNING key",
                &[&key, &slot],
            )?;
            Ok(row.is_some())
        })
    }

    fn claim_period(
        &self,
        key: &str,
        slot: DateTime<Utc>,
        owner: &str,
        lease: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<Claim> {
        let (key, owner) = (key.to_string(), owner.to_string());
        let until = now + lease;
        self.run(move |c| {
            let mut tx = c.transaction()?;
            let last: Option<DateTime<Utc>> = tx
                .query_opt("SELECT last_posted FROM periods WHERE key = $1", &[&key])?
                .map(|r| r.get(0));
            if last.is_some_and(|l| l >= slot) {
                return Ok(Claim::Done);
            }
            // Concurrent claimers meet on the primary key: one inserts, the others see its
            // row and take it only when its lease has ended (or it is their own).
            let taken = tx.query_opt(
                "INSERT INTO claims (key, slot, owner, lease_until) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (key, slot) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
                 WHERE NOT claims.done AND (claims.owner = EXCLUDED.owner OR claims.lease_until <= $5)
                 RETURNING owner",
                &[&key, &slot, &owner, &until, &now],
            )?;
            let claim = if taken.is_some() {
                Claim::Claimed
            } else {
                let row = tx.query_one(
                    "SELECT owner, lease_until, done FROM claims WHERE key = $1 AND slot = $2",
                    &[&key, &slot],
                )?;
                if row.get::<_, bool>(2) {
                    Claim::Done
                } else {
                    Claim::Held {
                        owner: row.get(0),
                        until: row.get(1),
                    }
                }
            };
            tx.commit()?;
            Ok(claim)
        })
    }

    fn complete_period(&self, key: &str, slot: DateTime<Utc>, owner: &str) -> Result<()> {
        let (key, owner) = (key.to_string(), owner.to_string());
        self.run(move |c| {
            let mut tx = c.transaction()?;
            tx.execute(
                "INSERT INTO claims (key, slot, owner, lease_until, done) VALUES ($1, $2, $3, $2, true)
                 ON CONFLICT (key, slot) DO UPDATE SET done = true",
                &[&key, &slot, &owner],
            )?;
            tx.execute(
                "INSERT INTO periods (key, last_posted) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET last_posted = GREATEST(periods.last_posted, EXCLUDED.last_posted)",
                &[&key, &slot],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn release_period(&self, key: &str, slot: DateTime<Utc>, owner: &str) -> Result<()> {
        let (key, owner) = (key.to_string(), owner.to_string());
        self.run(move |c| {
            c.execute(
                "UPDATE claims SET lease_until = 'epoch' WHERE key = $1 AND slot = $2 AND owner = $3 AND NOT done",
                &[&key, &slot, &owner],
            )?;
            Ok(())
        })
    }

    fn channel_settings(&self, channel: &str) -> Result<ChannelSettings> {
        Ok(self
            .get_json("channel_settings", "channel", channel)?
            .unwrap_or_default())
    }

    fn set_channel_settings(&self, channel: &str, s: &ChannelSettings) -> Result<()> {
        self.put_json("channel_settings", "channel", channel, s)
    }

    fn guild_settings(&self, guild: &str) -> Result<GuildSettings> {
        Ok(self.get_json("guild_settings", "guild", guild)?.unwrap_or_default())
    }

    fn set_guild_settings(&self, guild: &str, s: &GuildSettings) -> Result<()> {
        self.put_json("guild_settings", "guild", guild, s)
    }

    fn all_channel_settings(&self) -> Result<Vec<(String, ChannelSettings)>> {
        self.all_json("channel_settings", "channel")
    }

    fn all_guild_settings(&self) -> Result<Vec<(String, GuildSettings)>> {
        self.all_json("guild_settings", "guild")
    }

    fn record_ingested(&self, ids: &[&str], at: DateTime<Utc>) -> Result<usize> {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        self.run(move |c| {
            let mut tx = c.transaction()?;
            let mut added = 0;
            for chunk in ids.chunks(INGEST_BATCH) {
                added += tx.execute(
                    "INSERT INTO ingested (doc, at) SELECT unnest($1::text[]), $2 ON CONFLICT (doc) DO NOTHING",
                    &[&chunk, &at],
                )? as usize;
            }
            tx.commit()?;
            Ok(added)
        })
    }

    fn forget_ingested(&self, id: &str) -> Result<()> {
        let id = id.to_string();
        self.run(move |c| {
            c.execute("DELETE FROM ingested WHERE doc = $1", &[&id])?;
            Ok(())
        })
    }

    fn ingested(&self) -> Result<Vec<(String, DateTime<Utc>)>> {
        self.run(|c| {
            Ok(c.query("SELECT doc, at FROM ingested", &[])?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect())
        })
    }

    fn keep_page(&self, p: &KeptPage) -> Result<()> {
        let p = p.clone();
        self.run(move |c| {
            c.execute(
                "INSERT INTO pages (id, channel, command, query, answer, at) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (id) DO UPDATE SET channel = EXCLUDED.channel, command = EXCLUDED.command,
                 query = EXCLUDED.query, answer = EXCLUDED.answer, at = EXCLUDED.at",
                &[&p.id, &p.channel, &p.command, &p.query, &p.answer, &p.at],
            )?;
            Ok(())
        })
    }

    fn kept_page(&self, id: &str) -> Result<Option<KeptPage>> {
        let id = id.to_string();
        self.run(move |c| {
            Ok(c.query_opt(
                "SELECT id, channel, command, query, answer, at FROM pages WHERE id = $1",
                &[&id],
            )?
            .map(|r| KeptPage {
                id: r.get(0),
                channel: r.get(1),
                command: r.get(2),
                query: r.get(3),
                answer: r.get(4),
                at: r.get(5),
            }))
        })
    }

    fn forget_pages_before(&self, t: DateTime<Utc>) -> Result<usize> {
        self.run(move |c| Ok(c.execute("DELETE FROM pages WHERE at < $1", &[&t])? as usize))
    }

    fn record_vote(&self, v: &Vote) -> Result<bool> {
        let (answer, user, at, body) = (v.answer.clone(), v.user.clone(), v.at, serde_json::to_string(v)?);
        self.run(move |c| {
            // xmax is set on a row an upsert updated: the user had voted before.
            let row = c.query_one(
                "INSERT INTO feedback (answer, user_id, body, at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (answer, user_id) DO UPDATE SET body = EXCLUDED.body, at = EXCLUDED.at
                 RETURNING (xmax <> 0)",
                &[&answer, &user, &body, &at],
            )?;
            Ok(row.get(0))
        })
    }

    fn votes(&self) -> Result<Vec<Vote>> {
        let bodies: Vec<String> = self.run(|c| {
            Ok(c.query("SELECT body FROM feedback ORDER BY at", &[])?
                .iter()
                .map(|r| r.get(0))
                .collect())
        })?;
        Ok(bodies.iter().filter_map(|b| readable("feedback", b)).collect())
    }
}
