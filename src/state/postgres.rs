//! The shared state store: PostgreSQL, for several Dossier processes (gateway shards, an
//! indexer and readers) that must see one set of subscriptions, settings and claims.
//!
//! The driver is the synchronous `postgres` crate, and each connection lives on a worker
//! thread of its own: the store is called from blocking code (indexing) and from async handlers
//! alike, and the synchronous driver must never run on an async runtime's threads. A call
//! sends a job to the workers and waits for its reply. Migrations
//! (`src/state/migrations/*.sql`) are applied on connect, under an advisory lock so processes
//! starting together apply each once.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, Context, Result};
use chrono::{DateTime, Utc};
use postgres::{Client, NoTls};

use super::{ChannelSettings, Claim, GuildSettings, KeptPage, StateStore, Subscription, Vote};

/// Migrations in order; each is applied once, in one transaction.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_pages.sql")),
];
/// Connections (and worker threads) per process.
const WORKERS: usize = 4;
/// Ids recorded per statement when many documents are ingested at once.
const INGEST_BATCH: usize = 10_000;

type Job = Box<dyn FnOnce(&mut Client) + Send>;

pub struct PgStore {
    jobs: Mutex<mpsc::Sender<Job>>,
    shown: String,
}

/// A connection URL without its password, and Dossier's own `schema=` parameter taken out.
struct Target {
    config: postgres::Config,
    schema: Option<String>,
    shown: String,
}

fn target(url: &str) -> Result<Target> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut schema = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.strip_prefix("schema=") {
            Some(s) => schema = Some(s.to_string()),
            None => kept.push(pair),
        }
    }
    if let Some(s) = &schema {
        anyhow::ensure!(
            !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "the schema in DOSSIER_STATE must be letters, digits and _, not {s:?}"
        );
    }
    let shown = hide_password(base);
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    // The driver's parse errors may quote the URL: they are replaced, never shown.
    let config: postgres::Config = url
        .parse()
        .map_err(|_| anyhow!("DOSSIER_STATE is not a valid PostgreSQL URL: {shown}"))?;
    Ok(Target { config, schema, shown })
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, place) = match rest.rsplit_once('@') {
        Some((auth, place)) => (Some(auth), place),
        None => (None, rest),
    };
    match auth {
        Some(auth) => {
            let user = auth.split_once(':').map_or(auth, |(u, _)| u);
            let hidden = if auth.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{place}")
        }
        None => format!("{scheme}://{place}"),
    }
}

fn connect(t: &Target) -> Result<Client> {
    let mut client = t
        .config
        .connect(NoTls)
        .map_err(|e| anyhow!("cannot connect to PostgreSQL at {}: {}", t.shown, e))?;
    if let Some(schema) = &t.schema {
        client.batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema}"
        ))?;
    }
    Ok(client)
}

/// Applies the migrations this database lacks.
fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction()?;
    // One process at a time; the lock ends with the transaction.
    tx.execute("SELECT pg_advisory_xact_lock(7305441001)", &[])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS dossier_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    )?;
    let applied: Vec<i32> = tx
        .query("SELECT version FROM dossier_migrations", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for (version, sql) in MIGRATIONS {
        if !applied.contains(version) {
            tx.batch_execute(sql)
                .with_context(|| format!("state migration {version} failed"))?;
            tx.execute("INSERT INTO dossier_migrations (version) VALUES ($1)", &[version])?;
        }
    }
    tx.commit()?;
    Ok(())
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:5432/db`, optionally `?schema=name` to keep
    /// Dossier's tables in a schema of their own) and applies pending migrations.
    pub fn connect(url: &str) -> Result<PgStore> {
        let target = Arc::new(target(url)?);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let (ready_tx, ready) = mpsc::channel::<Result<()>>();
        let wait = || {
            ready
                .recv()
                .map_err(|_| anyhow!("the PostgreSQL workers stopped while connecting"))?
        };
        for i in 0..WORKERS {
            let (target, queue, ready_tx) = (target.clone(), queue.clone(), ready_tx.clone());
            std::thread::Builder::new()
                .name(format!("state-pg-{i}"))
                .spawn(move || worker(i, &target, &queue, &ready_tx))
                .context("cannot start the PostgreSQL worker threads")?;
            // The first connection creates the schema and migrates before the others connect.
            if i == 0 {
                wait()?;
            }
        }
        drop(ready_tx);
        for _ in 1..WORKERS {
            wait()?;
        }
        Ok(PgStore {
            jobs: Mutex::new(jobs),
            shown: target.shown.clone(),
        })
    }

    /// Runs `f` on a connection and waits for its result.
    fn run<T: Send + 'static>(&self, f: impl FnOnce(&mut Client) -> Result<T> + Send + 'static) -> Result<T> {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |client| {
            let _ = tx.send(f(client));
        });
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(job)
            .map_err(|_| anyhow!("the PostgreSQL workers have stopped"))?;
        rx.recv()
            .map_err(|_| anyhow!("a PostgreSQL worker stopped mid-request"))?
            .with_context(|| format!("state store {}", self.shown))
    }

    fn get_json<T: serde::de::DeserializeOwned + Send + 'static>(
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

    fn put_json<T: serde::Serialize>(
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

    fn all_json<T: serde::de::DeserializeOwned>(
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

fn worker(i: usize, target: &Target, queue: &Mutex<mpsc::Receiver<Job>>, ready: &mpsc::Sender<Result<()>>) {
    let mut client = match connect(target).and_then(|mut c| {
        if i == 0 {
            migrate(&mut c)?;
        }
        Ok(c)
    }) {
        Ok(c) => c,
        Err(err) => {
            let _ = ready.send(Err(err));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    loop {
        let job = {
            let queue = queue.lock().unwrap_or_else(|e| e.into_inner());
            match queue.recv() {
                Ok(job) => job,
                Err(_) => return, // the store was dropped
            }
        };
        // A connection the server closed (a restart, a failover) is opened again.
        if client.is_closed() {
            match connect(target) {
                Ok(c) => client = c,
                Err(err) => tracing::error!("{err:#}"),
            }
        }
        job(&mut client);
    }
}

impl StateStore for PgStore {
    fn describe(&self) -> String {
        format!("PostgreSQL at {}", self.shown)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            hide_password("postgres://dossier:s3cret@db.internal:5432/state"),
            "postgres://dossier:***@db.internal:5432/state"
        );
        assert_eq!(
            hide_password("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        let t = target("postgres://u:topsecret@127.0.0.1:5432/test?schema=bot_1&connect_timeout=5").unwrap();
        assert_eq!(t.schema.as_deref(), Some("bot_1"));
        assert!(!t.shown.contains("topsecret"));
        let err = format!("{:#}", target("postgres://u:topsecret@[bad/x?port=nan").err().unwrap());
        assert!(!err.contains("topsecret"), "{err}");
        assert!(
            target("postgres://u@h/db?schema=x;drop").is_err(),
            "a schema name is an identifier"
        );
    }
}
