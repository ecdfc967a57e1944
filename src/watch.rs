//! Keeping a running engine in step with its corpus folder.
//!
//! A file watcher reports changes as they happen; a periodic rescan catches what the watcher
//! misses (network file systems, watch limits, events lost while busy). Either way the
//! engine re-indexes only the files that changed, and its caches drop answers from before.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Result;
use notify::{RecursiveMode, Watcher as _};

use crate::engine::Engine;

/// Events arriving within this time of each other are one change (an editor's save, a copy).
const SETTLE: Duration = Duration::from_millis(300);

/// The rescan interval from `DOSSIER_RESCAN_SECS` (default 60 s; 0 turns the rescan off).
pub fn rescan_interval() -> Duration {
    let secs = std::env::var("DOSSIER_RESCAN_SECS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// Stops watching when dropped.
pub struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self._watcher.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn relevant(path: &Path) -> bool {
    !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// Watches the engine's corpus folder and rescans it every `interval`.
pub fn watch(engine: Arc<Engine>, interval: Duration) -> Result<Watcher> {
    let (tx, rx) = mpsc::channel::<()>();
    let corpus = engine.config().corpus.clone();
    let notifier = {
        let tx = tx.clone();
        let handler = move |event: notify::Result<notify::Event>| {
            if let Ok(e) = event {
                if e.paths.iter().any(|p| relevant(p)) && !e.kind.is_access() {
                    let _ = tx.send(());
                }
            }
        };
        match notify::recommended_watcher(handler)
            .and_then(|mut w| w.watch(&corpus, RecursiveMode::Recursive).map(|()| w))
        {
            Ok(w) => Some(w),
            Err(err) => {
                tracing::warn!(
                    "cannot watch {} ({err}); relying on the periodic rescan",
                    corpus.display()
                );
                None
            }
        }
    };
    drop(tx);
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    let thread = std::thread::Builder::new().name("corpus-watch".into()).spawn(move || {
        let mut last = Instant::now();
        while !stopping.load(Ordering::SeqCst) {
            let changed = match rx.recv_timeout(Duration::from_millis(500)) {
                Ok(()) => {
                    // Let a burst of events settle into one change.
                    while rx.recv_timeout(SETTLE).is_ok() {}
                    true
                }
                Err(RecvTimeoutError::Timeout) => false,
                // No watcher: only the periodic rescan is left.
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(Duration::from_millis(500));
                    false
                }
            };
            let periodic = !interval.is_zero() && last.elapsed() >= interval;
            if !(changed || periodic) || stopping.load(Ordering::SeqCst) {
                continue;
            }
            last = Instant::now();
            match engine.sync(false, &indicatif::ProgressBar::hidden()) {
                Ok(r) if r.changed() => tracing::info!(
                    "corpus changed: {} added, {} changed, {} removed ({} documents)",
                    r.added,
                    r.updated,
                    r.removed,
                    r.added + r.updated + r.unchanged
                ),
                Ok(_) => {}
                Err(err) => tracing::error!("cannot re-index the corpus: {err:#}"),
            }
        }
    })?;
    Ok(Watcher {
        stop,
        thread: Some(thread),
        _watcher: notifier,
    })
}

/// How often a reader looks for the indexer's commits.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(500);

/// For a reader of an index another process writes (`serve --read-only-index`): looks for
/// that process's commits every `every` and answers from each as it lands.
pub fn follow_index(engine: Arc<Engine>, every: Duration) -> Result<Watcher> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    let thread = std::thread::Builder::new().name("index-follow".into()).spawn(move || {
        while !stopping.load(Ordering::SeqCst) {
            std::thread::sleep(every);
            match engine.refresh_from_disk() {
                Ok(true) => tracing::info!("the indexer committed: answering from {} documents", engine.documents()),
                Ok(false) => {}
                Err(err) => tracing::error!("cannot read the indexer's latest commit: {err:#}"),
            }
        }
    })?;
    Ok(Watcher {
        stop,
        thread: Some(thread),
        _watcher: None,
    })
}
