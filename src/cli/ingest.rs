//! `dossier ingest URL…`: fetch pages by their links and add them to the corpus, as
//! `/ingest url:` does in Discord. One line per link; exit code 1 when any was refused.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;

use dossier::engine::{Engine, EngineConfig};
use dossier::fetch::{FetchConfig, Fetcher};
use dossier::ingest::{describe, ingest_link, IngestError, LinkTarget};
use dossier::locale::Locale;

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Links of the pages to add (http or https).
    #[arg(required = true, value_name = "URL")]
    links: Vec<String>,
    /// Largest page accepted, in bytes.
    #[arg(long, env = "DOSSIER_INGEST_MAX_BYTES", default_value_t = dossier::ingest::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
}

pub fn run(
    config: EngineConfig,
    refresh: super::Refresh,
    state: &std::path::Path,
    lang: Locale,
    args: IngestArgs,
) -> Result<ExitCode> {
    let fetcher = Fetcher::new(FetchConfig::from_env(args.max_bytes)?)?;
    let engine = Arc::new(super::open_engine(config, refresh)?);
    attach_state(&engine, state);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let mut refused = 0;
    for link in &args.links {
        let target: Arc<dyn LinkTarget> = engine.clone();
        match runtime.block_on(ingest_link(target, &fetcher, link)) {
            Ok(added) => println!("{}", describe::added(lang, link, &added)),
            Err(IngestError::Internal(e)) => return Err(e.context(format!("cannot add {link}"))),
            Err(e) => {
                refused += 1;
                eprintln!("dossier: {}", describe::refusal(&e, lang));
            }
        }
    }
    Ok(if refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Records ingestion times in the state store when there is one, so the digest covers what
/// was added; a store another process holds open only costs that record (the bot records
/// the document when it next indexes).
fn attach_state(engine: &Engine, state: &std::path::Path) {
    let spec = state.to_string_lossy();
    if !dossier::state::exists(&spec) {
        return;
    }
    let attached = dossier::state::open(&spec).and_then(|store| engine.attach_store(store));
    if let Err(e) = attached {
        tracing::warn!("ingestion times not recorded in {spec}: {e:#}");
    }
}
