//! PostgreSQL connections on worker threads of their own. The store is called from blocking
//! code (indexing) and from async handlers alike, and the synchronous `postgres` driver must
//! never run on an async runtime's threads: a call sends a job to the workers and waits for
//! its reply. Migrations (`src/state/migrations/*.sql`) are applied on connect, under an
//! advisory lock so processes starting together apply each once. Passwords never reach a
//! message.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, Context, Result};
use postgres::{Client, NoTls};

/// Migrations in order; each is applied once, in one transaction.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_pages.sql")),
    (3, include_str!("migrations/0003_feeds.sql")),
];
/// Connections (and worker threads) per process.
const WORKERS: usize = 4;
type Job = Box<dyn FnOnce(&mut Client) + Send>;

/// The connections of one store.
pub(super) struct Pool {
    jobs: Mutex<mpsc::Sender<Job>>,
    /// The database's URL without its password, for messages.
    pub(super) shown: String,
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

impl Pool {
    /// Connects to `url` (`postgres://user@host:5432/db`, optionally `?schema=name` to keep
    /// Dossier's tables in a schema of their own) and applies pending migrations.
    pub(super) fn connect(url: &str) -> Result<Pool> {
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
        Ok(Pool {
            jobs: Mutex::new(jobs),
            shown: target.shown.clone(),
        })
    }

    /// Runs `f` on a connection and waits for its result.
    pub(super) fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T> + Send + 'static,
    ) -> Result<T> {
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
