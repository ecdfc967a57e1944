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
