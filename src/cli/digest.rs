//! `dossier digest`: the weekly digest of a period, printed locally.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate, Utc};
use clap::Args;

use dossier::engine::EngineConfig;

#[derive(Debug, Args)]
pub struct DigestArgs {
    /// First day of the period (YYYY-MM-DD); default: six days before --until.
    #[arg(long)]
    pub since: Option<String>,
    /// Last day of the period (YYYY-MM-DD); default: today (UTC).
    #[arg(long)]
    pub until: Option<String>,
    /// Only what is about this person, code name or phrase.
    #[arg(long)]
    pub topic: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub(super) fn day(value: &str, name: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .with_context(|| format!("--{name} needs a date like 2026-03-08, not {value:?}"))
}

pub(crate) fn run(
    config: EngineConfig,
    refresh: super::Refresh,
    state: &Path,
    lang: dossier::locale::Locale,
    args: DigestArgs,
) -> Result<ExitCode> {
    let until = match &args.until {
        Some(u) => day(u, "until")?,
        None => Utc::now().date_naive(),
    };
    let since = match &args.since {
        Some(s) => day(s, "since")?,
        None => until - Duration::days(6),
    };
    anyhow::ensure!(since <= until, "--since {since} is after --until {until}");
    let engine = super::open_engine(config, refresh)?;
    // Ingestion times date documents that show no publication date; the store is only read
    // when it exists (the bot creates it), and a store in use by the bot is skipped.
    let spec = state.to_string_lossy();
    if dossier::state::exists(&spec) {
        match dossier::state::open(&spec) {
            Ok(store) => engine.attach_store(store)?,
            Err(err) => eprintln!("dossier: warning: ingestion times unavailable: {err:#}"),
        }
    }
    let digest = engine.digest(since, until, args.topic.as_deref())?;
    if args.json {
        let mut value = serde_json::to_value(&digest)?;
        value["quiet"] = serde_json::Value::Bool(digest.is_quiet());
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        let answer = digest.to_answer();
        print!(
            "{}",
            super::render::answer_text(&answer, lang, std::io::IsTerminal::is_terminal(&std::io::stdout()))
        );
    }
    Ok(ExitCode::SUCCESS)
}
