//! Shared fixtures: an engine over the bundled corpus with its own temporary index.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dossier::engine::{Engine, EngineConfig, Response};
use indicatif::ProgressBar;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bundled_corpus() -> PathBuf {
    repo().join("data/corpus")
}

/// One engine per test binary over the bundled corpus (indexing once keeps the suite fast).
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(Engine, tempfile::TempDir)> = OnceLock::new();
    &ENGINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let engine = open(&bundled_corpus(), dir.path());
            (engine, dir)
        })
        .0
}

/// Writes a document into a corpus folder made by a test.
pub fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

pub fn open(corpus: &Path, index: &Path) -> Engine {
    let config = EngineConfig {
        data: repo().join("data"),
        ..EngineConfig::new(corpus, index)
    };
    Engine::open(config, &ProgressBar::hidden()).expect("engine opens").0
}

/// Answers a line in a channel of its own, so the cache never interferes.
pub fn ask(line: &str) -> Response {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let channel = format!("test-{}", N.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
    engine().answer_line(&channel, line)
}

/// Traditional → Simplified, lower case, no white space: how tests compare text.
pub fn norm(s: &str) -> String {
    dossier::text::fold(s).chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn doc_ids(r: &Response) -> Vec<&str> {
    r.items.iter().map(|i| i.citation.doc.as_str()).collect()
}

/// The heading of an answer as an English reader of the CLI sees it (title, then its lines).
pub fn message(r: &Response) -> Option<String> {
    let h = dossier::locale::heading(
        r.summary.as_ref()?,
        dossier::locale::Locale::En,
        dossier::locale::Front::Cli,
    );
    Some(format!("{}\n{}", h.title, h.body()))
}

/// The PostgreSQL server tests may use: `DOSSIER_TEST_POSTGRES`, by default the local one.
pub fn postgres_url() -> String {
    std::env::var("DOSSIER_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// The state URL of a schema of its own on the test server.
pub fn postgres_schema_url(schema: &str) -> String {
    let url = postgres_url();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}schema={schema}")
}

/// A PostgreSQL state store in `schema`, or `None` (said on stderr) when no server answers;
/// in CI (`CI` set) a missing server fails the test instead.
pub fn postgres_store(schema: &str) -> Option<std::sync::Arc<dyn dossier::state::StateStore>> {
    match dossier::state::open(&postgres_schema_url(schema)) {
        Ok(store) => Some(store),
        Err(err) if std::env::var_os("CI").is_some() => panic!("PostgreSQL must be reachable in CI: {err:#}"),
        Err(err) => {
            eprintln!("skipping the PostgreSQL part: {err:#}");
            None
        }
    }
}

/// Runs `f` with a connection to the test server, on a thread of its own (the synchronous
/// client must not run on a test's async threads).
pub fn with_postgres<T: Send + 'static>(f: impl FnOnce(&mut postgres::Client) -> T + Send + 'static) -> T {
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&postgres_url(), postgres::NoTls).expect("the test server answers");
        f(&mut client)
    })
    .join()
    .unwrap()
}

/// Removes a test's schema (and its tables).
pub fn drop_schema(schema: &str) {
    let schema = schema.to_string();
    with_postgres(move |c| {
        let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    });
}

/// An engine over a small corpus of its own (ingest writes to it), for the life of the test.
pub fn private_engine() -> &'static Engine {
    let corpus = tempfile::tempdir().unwrap().keep();
    write(
        &corpus,
        "seed.txt",
        "The council met on Tuesday to discuss the budget for the coming year.",
    );
    let index = tempfile::tempdir().unwrap().keep();
    Box::leak(Box::new(open(&corpus, &index)))
}
