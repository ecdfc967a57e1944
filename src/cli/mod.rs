//! The command-line front end: every command runs locally on the same engine the Discord
//! bot uses. Finding (the engine) is separate from printing (`render`).

mod ask;
mod bench;
mod digest;
mod feed;
mod feedback;
mod ingest;
mod render;
mod state;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use dossier::engine::{Engine, EngineConfig};
use dossier::index::SyncReport;

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "Cited answers from a corpus of documents, in a terminal or on Discord"
)]
pub struct Cli {
    /// Folder of documents to answer from.
    #[arg(long, global = true, env = "DOSSIER_CORPUS", default_value = "data/corpus")]
    pub corpus: PathBuf,
    /// Folder of the search index (created and kept up to date automatically).
    #[arg(long, global = true, env = "DOSSIER_INDEX", default_value = "data/index")]
    pub index: PathBuf,
    /// Folder of boilerplate.toml, query.toml and knowledge.toml (built-in copies otherwise);
    /// curated names are the corpus folder's own entities.toml.
    #[arg(long, global = true, env = "DOSSIER_DATA", default_value = "data")]
    pub data: PathBuf,
    /// The bot's state (subscriptions, settings, ingestion times, votes): a folder for the
    /// embedded store, or a postgres:// URL for state shared by several processes.
    #[arg(long, global = true, env = "DOSSIER_STATE", default_value = "data/state")]
    pub state: PathBuf,
    /// Most answers kept in the per-channel cache (0 turns the cache off).
    #[arg(long, global = true, env = "DOSSIER_CACHE_ENTRIES", default_value_t = 10_000)]
    pub cache_entries: usize,
    /// Seconds a cached answer stays valid.
    #[arg(long, global = true, env = "DOSSIER_CACHE_TTL", default_value_t = 3600)]
    pub cache_ttl: u64,
    /// Corpus files larger than this many bytes are skipped with a warning.
    #[arg(long, global = true, env = "DOSSIER_MAX_FILE_BYTES", default_value_t = dossier::engine::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_bytes: u64,
    /// Follow links in the corpus folder that lead outside it (off: such links are skipped).
    #[arg(long, global = true, env = "DOSSIER_FOLLOW_EXTERNAL_LINKS")]
    pub follow_external_links: bool,
    /// Answer from the index as it is on disk, without checking the corpus folder for changes
    /// (instant start on a large corpus; `dossier index` or a run without it catches up).
    #[arg(long, global = true, env = "DOSSIER_NO_REFRESH")]
    pub no_refresh: bool,
    /// Language of headings and messages: en, zh-CN or zh-TW (default: from LC_ALL,
    /// LC_MESSAGES or LANG; English otherwise). Quotes stay as the documents write them.
    #[arg(long, global = true, env = "DOSSIER_LANG", value_parser = parse_lang)]
    pub lang: Option<dossier::locale::Locale>,
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Answer one line (`/source …`, `/who …`, `/timeline …`, `/help`, or a question), or with
    /// `-` one line per stdin line, in order, from one process.
    Ask(ask::AskArgs),
    /// Rebuild the index from the corpus folder.
    Index {
        /// Then keep indexing what changes in the corpus folder until stopped: the one writer
        /// that `serve --read-only-index` processes read.
        #[arg(long)]
        watch: bool,
    },
    /// List the people, organisations and code names the documents mention, most mentioned
    /// first (with --prefix: the autocomplete lookup, prefix or close spelling, at most 25).
    Entities {
        /// Only names starting with (or spelled close to) this, in either script.
        #[arg(long)]
        prefix: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Benchmark indexing and answering against a bare tantivy index and SQLite FTS5
    /// (corpora from scripts/bench-corpus.sh; see README "Performance"; needs a binary built
    /// with `--features bench`).
    Bench(bench::BenchOpts),
    /// Run the Discord bot (settings from the environment or .env; see .env.example).
    Serve {
        /// Answer from the index `dossier index --watch` writes, never writing it (several
        /// processes read one index; each follows the indexer's commits).
        #[arg(long, env = "DOSSIER_READ_ONLY_INDEX")]
        read_only_index: bool,
        /// Run only these gateway shards (`0-3`), for a bot split over processes; needs
        /// --shard-total. Without it: every shard Discord recommends, in this process.
        #[arg(long, env = "DOSSIER_SHARDS", requires = "shard_total")]
        shards: Option<String>,
        /// The number of shards across all processes.
        #[arg(long, env = "DOSSIER_SHARD_TOTAL", requires = "shards")]
        shard_total: Option<String>,
    },
    /// Fetch web pages by their links and add them to the corpus (`dossier ingest URL…`).
    Ingest(ingest::IngestArgs),
    /// Follow RSS and Atom feeds: `feed add URL [--topic T]`, `feed list`, `feed remove URL`,
    /// and `feed poll` (one polling pass now; `serve` polls on a schedule).
    Feed(feed::FeedArgs),
    /// Print the digest of a period: new documents, dated events, people, summary.
    Digest(digest::DigestArgs),
    /// The 👍 and 👎 users gave answers on Discord, unhelpful ones first, with what was asked
    /// and cited (from the bot's state folder, --state).
    Feedback(feedback::FeedbackArgs),
    /// Move the bot's state between the embedded store and PostgreSQL
    /// (`dossier state migrate --from data/state --to postgres://…`).
    State(state::StateArgs),
    /// Show how a file is read: metadata and numbered paragraphs after cleaning (useful
    /// when a line is missing, or when adapting data/boilerplate.toml to a new source).
    Show {
        /// Document ids (file stems) in the corpus, or paths of files anywhere.
        #[arg(required = true)]
        docs: Vec<String>,
        /// Also list the lines that were left out, and why.
        #[arg(long)]
        dropped: bool,
        /// One JSON object per document, one per line.
        #[arg(long)]
        json: bool,
    },
}

pub fn run() -> Result<ExitCode> {
    // .env first, so clap's environment fallbacks see its values too.
    let _ = dotenvy::dotenv();
    init_logging();
    let cli = Cli::parse();
    let config = EngineConfig {
        data: cli.data.clone(),
        cache: dossier::cache::CacheConfig {
            max_entries: cli.cache_entries,
            max_age: std::time::Duration::from_secs(cli.cache_ttl),
        },
        max_file_bytes: cli.max_file_bytes,
        follow_external_links: cli.follow_external_links,
        ..EngineConfig::new(&cli.corpus, &cli.index)
    };
    let refresh = Refresh::from_flag(cli.no_refresh);
    let lang = cli.lang.unwrap_or_else(dossier::locale::Locale::from_env);
    match cli.command {
        Cmd::Ask(args) => ask::run(config, refresh, lang, args),
        Cmd::Index { watch } => {
            let engine = Engine::open_unsynced(config)?;
            let report = engine.sync(!watch, &progress_bar())?;
            warn_skipped(&report);
            eprintln!("{}", render::sync_summary(&report));
            if watch {
                let engine = std::sync::Arc::new(engine);
                let _watcher = dossier::watch::watch(engine, dossier::watch::rescan_interval())?;
                eprintln!("watching the corpus folder; Ctrl-C stops");
                tokio::runtime::Runtime::new()?.block_on(shutdown_signal());
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Show { docs, dropped, json } => show(&config, &docs, dropped, json),
        Cmd::Serve {
            read_only_index,
            shards,
            shard_total,
        } => {
            let config = EngineConfig {
                read_only_index,
                ..config
            };
            let mut settings = dossier::discord::Settings::from_env()?;
            if let (Some(range), Some(total)) = (shards, shard_total) {
                settings.shards = Some(dossier::discord::Shards::parse(&range, &total)?);
            }
            serve(config, &cli.state, settings)
        }
        Cmd::Bench(opts) => bench::run(opts),
        Cmd::State(args) => state::run(args),
        Cmd::Feed(args) => feed::run(config, refresh, &cli.state, lang, args),
        Cmd::Ingest(args) => ingest::run(config, refresh, &cli.state, lang, args),
        Cmd::Digest(args) => digest::run(config, refresh, &cli.state, lang, args),
        Cmd::Feedback(args) => feedback::run(&cli.state, args),
        Cmd::Entities { prefix, json } => {
            let engine = open_engine(config, refresh)?;
            let registry = engine.registry();
            let picked: Vec<&dossier::knowledge::Entity> = match &prefix {
                Some(p) => registry
                    .lookup(p, dossier::knowledge::registry::LOOKUP_LIMIT)
                    .into_iter()
                    .map(|i| registry.get(i))
                    .collect(),
                None => registry.entities().iter().filter(|e| e.mentions > 0).collect(),
            };
            print!("{}", render::entities_text(&picked, json)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn show(config: &EngineConfig, docs: &[String], dropped: bool, json: bool) -> Result<ExitCode> {
    use std::io::Write;
    let rules = dossier::rules::Rules::for_corpus(&config.data, &config.corpus)?;
    // The corpus is listed only when an argument is not a file path.
    let mut listed: Option<Vec<dossier::corpus::CorpusFile>> = None;
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for doc in docs {
        let path = std::path::Path::new(doc);
        let file = if path.is_file() {
            dossier::corpus::CorpusFile {
                id: path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path: path.to_path_buf(),
                stamp: Default::default(),
            }
        } else {
            if listed.is_none() {
                listed = Some(dossier::corpus::scan_following(&config.corpus, config.follow_external_links)?.0);
            }
            let found = listed
                .as_ref()
                .and_then(|files| files.iter().find(|f| f.id == *doc).cloned());
            match found {
                Some(f) => f,
                None => {
                    let err = format!("no document or file {doc:?} (corpus: {})", config.corpus.display());
                    failed = true;
                    if json {
                        writeln!(out, "{}", render::shown_json(path, None, Some(&err)))?;
                    } else {
                        eprintln!("dossier: {err}");
                    }
                    continue;
                }
            }
        };
        let read = std::fs::read(&file.path)
            .map_err(|e| format!("cannot read {}: {e}", file.path.display()))
            .and_then(|bytes| {
                let mut warnings = Vec::new();
                let mut d = dossier::corpus::read_document(&file, &bytes, &rules.boilerplate, &mut warnings)
                    .map_err(|reason| format!("{} is skipped: {reason}", file.path.display()))?;
                // What indexing drops as lines the document's site repeats (learned by the
                // last sync of the index, when there is one).
                if let Some(repeated) = dossier::corpus::repeated::RepeatedLines::load(&config.index) {
                    repeated.furniture().apply(&mut d);
                }
                if dropped {
                    dossier::corpus::add_outside_article(&mut d, &bytes);
                }
                Ok((d, warnings))
            });
        let written = match read {
            Ok((d, warnings)) => {
                for w in warnings {
                    eprintln!("dossier: warning: {w}");
                }
                if json {
                    writeln!(out, "{}", render::shown_json(&file.path, Some(&d), None))
                } else {
                    write!(out, "{}", render::document_text(&d, dropped))
                }
            }
            Err(err) => {
                failed = true;
                if json {
                    writeln!(out, "{}", render::shown_json(&file.path, None, Some(&err)))
                } else {
                    eprintln!("dossier: {err}");
                    Ok(())
                }
            }
        };
        match written {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            other => other?,
        }
    }
    Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// Opens the engine, showing progress when the index must be (re)built.
/// Whether a command first brings the index in step with the corpus folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refresh {
    /// Scan the corpus and index what changed before answering (the default).
    First,
    /// Answer from the index on disk; only build it when there is none.
    Never,
}

impl Refresh {
    fn from_flag(no_refresh: bool) -> Refresh {
        if no_refresh {
            Refresh::Never
        } else {
            Refresh::First
        }
    }
}

pub(crate) fn open_engine(config: EngineConfig, refresh: Refresh) -> Result<Engine> {
    if refresh == Refresh::Never {
        if let Some(engine) = Engine::open_as_indexed(config.clone())? {
            return Ok(engine);
        }
    }
    let (engine, report) = Engine::open(config, &progress_bar())?;
    warn_skipped(&report);
    if report.changed() {
        tracing::info!("{}", render::sync_summary(&report));
    }
    Ok(engine)
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("indexing {bar:40} {pos}/{len} files, {per_sec}, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn warn_skipped(report: &SyncReport) {
    for s in &report.skipped {
        eprintln!("dossier: warning: {s}");
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DOSSIER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,dossier=info"));
    // Whatever a library logs, the bot token and interaction tokens never reach the output.
    let secret = std::env::var("DISCORD_TOKEN").unwrap_or_default();
    let writer = dossier::discord::redact::RedactingStderr::new(secret.trim());
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        // Colour codes only for a person at a terminal, never in a file or a pipe.
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

fn serve(config: EngineConfig, state: &std::path::Path, settings: dossier::discord::Settings) -> Result<ExitCode> {
    let store = dossier::state::open(&state.to_string_lossy())?;
    tracing::info!("state: {}", store.describe());
    if config.read_only_index {
        let index = config.index.clone();
        let engine = std::sync::Arc::new(Engine::open_as_indexed(config)?.ok_or_else(|| {
            anyhow::anyhow!(
                "the index in {} is not current for this corpus and these rules; let `dossier index --watch` finish first",
                index.display()
            )
        })?);
        engine.attach_store(store.clone())?;
        let _follower = dossier::watch::follow_index(engine.clone(), dossier::watch::FOLLOW_EVERY)?;
        let documents = engine.documents();
        let runtime = tokio::runtime::Runtime::new()?;
        runtime.block_on(async move {
            tracing::info!("answering from {documents} documents, following the indexer's commits");
            dossier::discord::serve(settings, engine, Some(store), shutdown_signal()).await
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    // A restart answers at once from the index on disk and catches up with the corpus behind;
    // only a missing or outdated index is built before connecting.
    let (engine, stale) = match Engine::open_as_indexed(config.clone())? {
        Some(engine) => (std::sync::Arc::new(engine), true),
        None => (std::sync::Arc::new(open_engine(config, Refresh::First)?), false),
    };
    if stale {
        let (engine, store) = (engine.clone(), store.clone());
        std::thread::Builder::new().name("catch-up".into()).spawn(move || {
            if let Err(err) = engine.attach_store(store) {
                tracing::error!("cannot record ingestion times: {err:#}");
            }
            match engine.sync(false, &ProgressBar::hidden()) {
                Ok(r) if r.changed() => tracing::info!("{}", render::sync_summary(&r)),
                Ok(_) => {}
                Err(err) => tracing::error!("cannot bring the index in step with the corpus: {err:#}"),
            }
        })?;
    } else {
        engine.attach_store(store.clone())?;
    }
    let _watcher = dossier::watch::watch(engine.clone(), dossier::watch::rescan_interval())?;
    let documents = engine.documents();
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        tracing::info!("answering from {documents} documents");
        dossier::discord::serve(settings, engine, Some(store), shutdown_signal()).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

fn parse_lang(s: &str) -> Result<dossier::locale::Locale, String> {
    dossier::locale::Locale::parse(s)
        .ok_or_else(|| format!("“{s}” is not a language Dossier speaks; use en, zh-CN or zh-TW"))
}
