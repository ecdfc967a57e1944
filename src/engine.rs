//! The one facade both front ends call: open a corpus, answer requests, keep the cache.
//!
//! The engine owns the rules, the segmenter, the index and the per-channel cache. It turns
//! every outcome into a [`Response`]: answers, user errors (shown as they are) and internal
//! errors (logged in full, shown as a short apology), so a front end only renders.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use serde::Serialize;

use crate::answer::summary::Summary;
use crate::answer::{self, Answer, Ctx, Item, UserError};
use crate::cache::{AnswerCache, CacheConfig, CacheKey};
use crate::command::{parse_line, Command, Request};
use crate::index::{SearchIndex, SyncReport};
use crate::knowledge::Registry;
use crate::rules::Rules;
use crate::state::StateStore;
use crate::text::Segmenter;

#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub corpus: PathBuf,
    pub index: PathBuf,
    /// Folder of boilerplate.toml, query.toml and knowledge.toml (embedded copies otherwise);
    /// curated names are the corpus folder's own entities.toml.
    pub data: PathBuf,
    pub cache: CacheConfig,
    /// Corpus files larger than this are skipped with a warning (one file must never stall
    /// indexing or a bot's start).
    pub max_file_bytes: u64,
    /// Follow links in the corpus folder that lead outside it.
    pub follow_external_links: bool,
    /// Read the index another process writes (`dossier index --watch`) and never write it:
    /// answers follow that process's commits.
    pub read_only_index: bool,
}

/// The default [`EngineConfig::max_file_bytes`]: 20 MB, larger than any article.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

impl EngineConfig {
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>) -> EngineConfig {
        EngineConfig {
            corpus: corpus.into(),
            index: index.into(),
            data: PathBuf::from("data"),
            cache: CacheConfig::default(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            follow_external_links: false,
            read_only_index: false,
        }
    }
}

pub struct Engine {
    config: EngineConfig,
    rules: Rules,
    segmenter: Arc<Segmenter>,
    index: SearchIndex,
    cache: AnswerCache,
    registry: RwLock<Arc<Registry>>,
    generation: AtomicU64,
    documents: AtomicUsize,
    syncing: Mutex<()>,
    /// Where ingestion times are kept, once a front end attaches one.
    store: std::sync::OnceLock<Arc<dyn StateStore>>,
}

/// Why a request got no answer: the user's to fix (rendered by the front end), or an
/// internal error (logged in full; the user gets an apology).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    #[serde(rename = "usage")]
    User(UserError),
    Internal,
}

impl Failure {
    /// `usage` (the user's to fix) or `internal`.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::User(e) => e.kind(),
            Failure::Internal => "internal",
        }
    }
}

/// One answered line: the JSON contract of `dossier ask --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub command: String,
    pub query: String,
    pub channel: String,
    pub cached: bool,
    pub took_ms: f64,
    /// What the answer found, as data (front ends render it in the reader's language).
    pub summary: Option<Summary>,
    pub error: Option<Failure>,
    pub items: Vec<Item>,
    /// Id of the cached answer (front ends page through it later); not part of the JSON.
    #[serde(skip)]
    pub cache_id: Option<u64>,
}

impl Engine {
    /// Loads the rules, opens the index and brings it in step with the corpus.
    pub fn open(config: EngineConfig, progress: &ProgressBar) -> Result<(Engine, SyncReport)> {
        let engine = Engine::open_unsynced(config)?;
        let report = engine.sync(false, progress)?;
        Ok((engine, report))
    }

    /// Opens the index as it is on disk, without looking at the corpus folder, when it was
    /// built by this version with these rules from this corpus; `None` when it was not (then
    /// [`Engine::open`] must build it). Answers may lag the corpus until [`Engine::sync`]:
    /// this is how a bot restarts in milliseconds over a large corpus and refreshes behind.
    pub fn open_as_indexed(config: EngineConfig) -> Result<Option<Engine>> {
        let engine = Engine::open_unsynced(config)?;
        let Some(state) = engine.index.as_indexed(&engine.rules, &engine.config.corpus) else {
            return Ok(None);
        };
        *engine.registry.write().unwrap_or_else(|p| p.into_inner()) = state.registry;
        engine.generation.store(state.generation, Ordering::SeqCst);
        engine.documents.store(state.documents, Ordering::SeqCst);
        Ok(Some(engine))
    }

    /// Opens without syncing (call [`Engine::sync`] next; until then nothing is answerable).
    pub fn open_unsynced(config: EngineConfig) -> Result<Engine> {
        let rules = Rules::for_corpus(&config.data, &config.corpus)?;
        let segmenter = Arc::new(Segmenter::new(&rules.names));
        let index = if config.read_only_index {
            SearchIndex::open_for_reading(&config.index, segmenter.clone())?
        } else {
            SearchIndex::open(&config.index, segmenter.clone())?
        };
        let engine = Engine {
            cache: AnswerCache::new(config.cache),
            config,
            rules,
            segmenter,
            index,
            registry: RwLock::new(Arc::new(Registry::default())),
            generation: AtomicU64::new(0),
            documents: AtomicUsize::new(0),
            syncing: Mutex::new(()),
            store: std::sync::OnceLock::new(),
        };
        Ok(engine)
    }

    /// For a reader of an index another process writes: when that process committed a newer
    /// generation (its manifest is saved last, after the commit and the names), answer from
    /// it: segments, names, counts, and no cached answer from before. True when it changed.
    pub fn refresh_from_disk(&self) -> Result<bool> {
        let Some(state) = self.index.as_indexed(&self.rules, &self.config.corpus) else {
            return Ok(false);
        };
        if state.generation == self.generation.load(Ordering::SeqCst) {
            return Ok(false);
        }
        self.index.reload()?;
        *self.registry.write().unwrap_or_else(|p| p.into_inner()) = state.registry;
        self.documents.store(state.documents, Ordering::SeqCst);
        self.generation.store(state.generation, Ordering::SeqCst);
        self.cache.clear();
        Ok(true)
    }

    /// Re-reads the corpus folder and indexes what changed (everything with `force`).
    /// Cached answers from before a change are never served again.
    pub fn sync(&self, force: bool, progress: &ProgressBar) -> Result<SyncReport> {
        let _one_at_a_time = self.syncing.lock().unwrap_or_else(|p| p.into_inner());
        let report = self
            .index
            .sync(
                &self.config.corpus,
                &self.rules,
                &self.segmenter,
                crate::index::ReadLimits {
                    max_file_bytes: self.config.max_file_bytes,
                    follow_external_links: self.config.follow_external_links,
                },
                force,
                progress,
            )
            .with_context(|| format!("cannot index the corpus in {}", self.config.corpus.display()))?;
        if let Some(registry) = &report.registry {
            *self.registry.write().unwrap_or_else(|p| p.into_inner()) = registry.clone();
        }
        if self.generation.swap(report.generation, Ordering::SeqCst) != report.generation {
            self.cache.clear();
        }
        self.documents
            .store(report.added + report.updated + report.unchanged, Ordering::SeqCst);
        if let Some(store) = self.store.get() {
            let added: Vec<&str> = report.added_ids.iter().map(String::as_str).collect();
            store.record_ingested(&added, chrono::Utc::now())?;
        }
        Ok(report)
    }

    /// Keeps ingestion times in `store` from now on; documents already indexed are recorded
    /// as ingested now if the store did not know them.
    pub fn attach_store(&self, store: Arc<dyn StateStore>) -> Result<()> {
        let manifest =
            crate::index::manifest::Manifest::load(self.index.dir(), &self.config.corpus).unwrap_or_default();
        let known: Vec<&str> = manifest.files.keys().map(String::as_str).collect();
        store.record_ingested(&known, chrono::Utc::now())?;
        let _ = self.store.set(store);
        Ok(())
    }

    pub fn store(&self) -> Option<&Arc<dyn StateStore>> {
        self.store.get()
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    pub fn index_dir(&self) -> &std::path::Path {
        self.index.dir()
    }

    /// The citation card of a document.
    pub fn card(&self, id: &str) -> Result<Option<crate::index::search::Card>> {
        self.index.card(id)
    }

    pub fn documents(&self) -> usize {
        self.documents.load(Ordering::SeqCst)
    }

    pub fn cache(&self) -> &AnswerCache {
        &self.cache
    }

    /// The entities the corpus knows (for listings and autocomplete).
    pub fn registry(&self) -> Arc<Registry> {
        self.registry.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Paragraph records in the index, and distinct (document, paragraph) pairs among them:
    /// equal unless something was indexed twice (a health check for tests and tools).
    pub fn paragraph_records(&self) -> Result<(usize, usize)> {
        self.index.paragraph_records()
    }

    pub(crate) fn index(&self) -> &SearchIndex {
        &self.index
    }

    pub(crate) fn context(&self) -> Ctx<'_> {
        Ctx {
            index: &self.index,
            seg: &self.segmenter,
            rules: &self.rules,
            registry: self.registry(),
            documents: self.documents(),
        }
    }

    /// Answers a typed line (`/source …`, a question, …) in `channel`.
    pub fn answer_line(&self, channel: &str, line: &str) -> Response {
        let started = Instant::now();
        match parse_line(line) {
            Ok(request) => self.answer(channel, &request),
            Err(err) => {
                let typed = line
                    .trim()
                    .strip_prefix('/')
                    .map(|r| r.split_whitespace().next().unwrap_or(""));
                respond(
                    channel,
                    typed.unwrap_or(""),
                    line.trim(),
                    started,
                    false,
                    Err(Failure::User(err)),
                )
            }
        }
    }

    /// Answers a request in `channel`, from the channel's cache when it can.
    pub fn answer(&self, channel: &str, request: &Request) -> Response {
        let started = Instant::now();
        let generation = self.generation.load(Ordering::SeqCst);
        let key = CacheKey::new(channel, request);
        let id = key.id();
        if let Some(hit) = self.cache.get(&key, generation) {
            return respond(channel, request.command.name(), &request.query, started, true, Ok(hit)).with_id(id);
        }
        let outcome = self.compute(request);
        let outcome = match outcome {
            Ok(answer) => {
                let answer = Arc::new(answer);
                self.cache.insert(key, answer.clone(), generation);
                Ok(answer)
            }
            Err(f) => Err(f),
        };
        let cached = outcome.is_ok() && self.config.cache.max_entries > 0;
        respond(channel, request.command.name(), &request.query, started, false, outcome).with_id_if(cached, id)
    }

    /// Documents whose id starts with `partial` (when it looks like an id): `(label, id)`
    /// with the title in the label, for autocomplete.
    pub fn document_choices(&self, partial: &str, limit: usize) -> Vec<(String, String)> {
        let p = partial.trim();
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)) {
            return Vec::new();
        }
        let ids = self.index.doc_ids_with_prefix(p, limit).unwrap_or_default();
        ids.into_iter()
            .filter_map(|id| {
                let card = self.index.card(&id).ok().flatten()?;
                Some((format!("{id} — {}", card.meta.title), id))
            })
            .collect()
    }

    /// The names the documents know in a message, each with the passage that best says who
    /// they are (the "Who's mentioned" message command).
    pub fn mentioned(&self, channel: &str, text: &str) -> Response {
        let started = Instant::now();
        let outcome = answer::who::mentioned(&self.context(), text)
            .map(Arc::new)
            .map_err(|err| {
                tracing::error!(command = "who", "internal error: {err:#}");
                Failure::Internal
            });
        respond(channel, "who", text, started, false, outcome)
    }

    /// The words to search to trace a message's claim to its source (see
    /// [`answer::source::claim_query`]).
    pub fn claim_query(&self, text: &str) -> String {
        answer::source::claim_query(&self.context(), text)
    }

    /// A cached answer by its id, in `channel`, while the corpus has not changed.
    pub fn cached_answer(&self, channel: &str, id: u64) -> Option<(Command, Arc<Answer>)> {
        let generation = self.generation.load(Ordering::SeqCst);
        self.cache
            .get_by_id(channel, id, generation)
            .map(|(key, answer)| (key.command, answer))
    }

    fn compute(&self, request: &Request) -> Result<Answer, Failure> {
        let ctx = self.context();
        let internal = |err: anyhow::Error| {
            tracing::error!(command = request.command.name(), query = %request.query, "internal error: {err:#}");
            Failure::Internal
        };
        match request.command {
            Command::Source => answer::source::answer(&ctx, &request.query).map_err(internal),
            Command::Ask => answer::ask::answer(&ctx, &request.query).map_err(internal),
            Command::Help => answer::help::answer(&request.query).map_err(Failure::User),
            Command::Who => answer::who::answer(&ctx, &request.query).map_err(internal),
            Command::Digest | Command::Ingest | Command::Feed | Command::Settings => {
                Err(Failure::User(UserError::DiscordOnly {
                    command: request.command,
                }))
            }
            Command::Timeline => match answer::timeline::answer(&ctx, request) {
                Ok(Ok(a)) => Ok(a),
                Ok(Err(user)) => Err(Failure::User(user)),
                Err(err) => Err(internal(err)),
            },
        }
    }
}

fn respond(
    channel: &str,
    command: &str,
    query: &str,
    started: Instant,
    cached: bool,
    outcome: Result<Arc<Answer>, Failure>,
) -> Response {
    let (summary, error, items) = match outcome {
        Ok(a) => (Some(a.summary.clone()), None, a.items.clone()),
        Err(failure) => (None, Some(failure), vec![]),
    };
    Response {
        command: command.to_string(),
        query: query.to_string(),
        channel: channel.to_string(),
        cached,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        summary,
        error,
        items,
        cache_id: None,
    }
}

impl Response {
    fn with_id(self, id: u64) -> Response {
        Response {
            cache_id: Some(id),
            ..self
        }
    }

    fn with_id_if(self, cached: bool, id: u64) -> Response {
        if cached {
            self.with_id(id)
        } else {
            self
        }
    }
}
