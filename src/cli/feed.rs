//! `dossier feed add|list|remove|poll`: the feeds the corpus follows, kept in the state store
//! (--state), and one polling pass now (for cron and tests; `dossier serve` polls on its own).

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::{Args, Subcommand};

use dossier::engine::EngineConfig;
use dossier::feed::{check_feed, Outcome, PollConfig, Poller};
use dossier::fetch::{FetchConfig, Fetcher};
use dossier::ingest::{describe, IngestError};
use dossier::locale::Locale;
use dossier::state::{Feed, StateStore};

#[derive(Debug, Args)]
pub struct FeedArgs {
    #[command(subcommand)]
    action: FeedAction,
    /// Largest page or feed accepted, in bytes.
    #[arg(long, global = true, env = "DOSSIER_INGEST_MAX_BYTES", default_value_t = dossier::ingest::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
}

#[derive(Debug, Subcommand)]
enum FeedAction {
    /// Follow an RSS or Atom feed (checked first: it must answer and parse).
    Add {
        url: String,
        /// Only add entries whose title or summary mention this.
        #[arg(long)]
        topic: Option<String>,
    },
    /// The feeds followed, with when each was last polled and how it went.
    List,
    /// Stop following a feed.
    Remove { url: String },
    /// Poll every feed now and add new entries.
    Poll,
}

pub fn run(
    config: EngineConfig,
    refresh: super::Refresh,
    state: &std::path::Path,
    lang: Locale,
    args: FeedArgs,
) -> Result<ExitCode> {
    let store = dossier::state::open(&state.to_string_lossy())?;
    let fetcher = || -> Result<Arc<Fetcher>> { Ok(Arc::new(Fetcher::new(FetchConfig::from_env(args.max_bytes)?)?)) };
    let runtime = || tokio::runtime::Builder::new_current_thread().enable_all().build();
    match args.action {
        FeedAction::Add { url, topic } => {
            let fetcher = fetcher()?;
            match runtime()?.block_on(check_feed(&fetcher, &url)) {
                Ok((url, entries)) => {
                    let feed = Feed {
                        url: url.clone(),
                        topic: topic.filter(|t| !t.trim().is_empty()),
                        added_by: "cli".into(),
                        guild: None,
                        added_at: chrono::Utc::now(),
                    };
                    let new = store.add_feed(&feed)?;
                    let what = if new {
                        "following"
                    } else {
                        "already following (topic updated)"
                    };
                    println!("{what} {url}: {entries} entries now; new ones are added at each poll");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("dossier: {}", describe::refusal(&IngestError::Fetch(e), lang));
                    Ok(ExitCode::from(1))
                }
            }
        }
        FeedAction::List => {
            list(store.as_ref())?;
            Ok(ExitCode::SUCCESS)
        }
        FeedAction::Remove { url } => {
            let url = dossier::fetch::target::canonical(&url).unwrap_or(url);
            if store.remove_feed(&url)? {
                println!("no longer following {url}");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("dossier: {url} is not a feed followed here (see `dossier feed list`)");
                Ok(ExitCode::from(1))
            }
        }
        FeedAction::Poll => {
            let engine = Arc::new(super::open_engine(config, refresh)?);
            engine.attach_store(store.clone())?;
            let poller = Poller {
                store,
                fetcher: fetcher()?,
                target: engine,
                config: PollConfig::from_env()?,
            };
            let reports = runtime()?.block_on(poller.poll_all(false))?;
            let mut failed = false;
            for r in reports {
                match r.outcome {
                    Outcome::NotModified => println!("{}: not modified", r.url),
                    Outcome::Failed(e) => {
                        failed = true;
                        println!("{}: failed: {e}", r.url);
                    }
                    Outcome::Polled {
                        added,
                        off_topic,
                        refused,
                    } => {
                        println!(
                            "{}: {} added, {off_topic} off topic, {} refused",
                            r.url,
                            added.len(),
                            refused.len()
                        );
                        for doc in &added {
                            println!("  {}", describe::added(lang, &doc.id, doc));
                        }
                        for (link, e) in &refused {
                            println!("  {link}: {}", describe::refusal(e, lang));
                        }
                    }
                }
            }
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
    }
}

fn list(store: &dyn StateStore) -> Result<()> {
    let feeds = store.feeds()?;
    if feeds.is_empty() {
        println!("no feeds followed; add one with `dossier feed add URL`");
    }
    for f in feeds {
        let s = store.feed_state(&f.url)?;
        let topic = f.topic.as_deref().map(|t| format!(" topic {t:?}")).unwrap_or_default();
        let polled = s.last_polled.map_or("never polled".to_string(), |t| {
            format!("polled {}", t.format("%Y-%m-%d %H:%M UTC"))
        });
        let trouble = s
            .last_error
            .as_deref()
            .map(|e| format!("; {} failures in a row, last: {e}", s.failures))
            .unwrap_or_default();
        println!("{}{topic} — {polled}{trouble}", f.url);
    }
    Ok(())
}
