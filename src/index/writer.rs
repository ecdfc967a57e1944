//! The index's one writer: taken while another process may hold it (waiting, then saying who
//! holds it or why the folder cannot be written), and a failed write said with its real
//! cause, which tantivy's indexing threads do not pass on (nearly always a full disk).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tantivy::IndexWriter;

use super::SearchIndex;

/// How long to wait for another process that is writing the same index.
const LOCK_WAIT: Duration = Duration::from_secs(60);
/// tantivy's indexing memory per writer thread: a segment is flushed when it is used up.
pub const WRITER_MEMORY_PER_THREAD: usize = 64 << 20;

/// tantivy's writer threads: one per core, at most 8.
pub fn writer_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8)
}

impl SearchIndex {
    /// The index writer, waiting while another process holds it.
    pub(super) fn writer(&self) -> Result<IndexWriter> {
        let threads = writer_threads();
        let deadline = Instant::now() + LOCK_WAIT;
        let mut waiting = false;
        loop {
            match self
                .index
                .writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)
            {
                Ok(w) => return Ok(w),
                Err(tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _))
                    if Instant::now() < deadline =>
                {
                    if !waiting {
                        tracing::warn!(
                            "another dossier is indexing {}; waiting for it (up to {} s)",
                            self.dir().display(),
                            LOCK_WAIT.as_secs()
                        );
                        waiting = true;
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(err @ tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _)) => {
                    return Err(err).with_context(|| {
                        format!(
                            "cannot write the index in {}: another dossier has been indexing it for {} s",
                            self.dir().display(),
                            LOCK_WAIT.as_secs()
                        )
                    })
                }
                Err(tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::IoError(io), _)) => {
                    anyhow::bail!(
                        "cannot update the index in {}: {io}. A read-only index answers with --no-refresh \
                         (or when nothing in the corpus changed); to update it, make the folder writable",
                        self.dir().display()
                    )
                }
                Err(err) => {
                    return Err(err).with_context(|| format!("cannot write the index in {}", self.dir().display()))
                }
            }
        }
    }

    /// A failed write to the index, said with the folder, the operating system's reason, and
    /// what to do. tantivy reports a full disk in its indexing threads as "killed or
    /// panicked"; the real cause is nearly always space.
    pub(super) fn write_error(&self, what: &str, err: impl Into<anyhow::Error>) -> anyhow::Error {
        let err: anyhow::Error = err.into();
        let text = format!("{err:#}");
        // An indexing thread's own error is not passed on; asking the disk tells the reason.
        let reason = if text.contains("killed") || text.contains("panicked") {
            probe_space(self.dir()).map(|e| format!(": {e}")).unwrap_or_default()
        } else {
            String::new()
        };
        let hint = if text.contains("No space left") || reason.contains("No space left") {
            " (the disk is full: free some space; the next run resumes from the last complete update)"
        } else {
            ""
        };
        err.context(format!(
            "cannot {what} the index in {}{reason}{hint}",
            self.dir().display()
        ))
    }
}

/// Whether 256 KiB can be written in `dir` now: the operating system's error if not.
fn probe_space(dir: &Path) -> Option<std::io::Error> {
    let probe = dir.join(".dossier-space-probe");
    let result = std::fs::write(&probe, vec![0u8; 256 * 1024]).and_then(|()| std::fs::File::open(&probe)?.sync_all());
    let _ = std::fs::remove_file(&probe);
    result.err()
}
