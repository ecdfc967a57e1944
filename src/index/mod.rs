//! The on-disk tantivy index: opening it safely, keeping it in step with the corpus, and
//! reading paragraphs and document cards back.
//!
//! The index is derived data: when its schema or rules are out of date it is rebuilt, never
//! patched. It is only wiped when the folder holds a Dossier index; any other non-empty folder
//! is refused, so a wrong `--index` path cannot delete someone's files.

pub mod analyzers;
mod build;
pub mod cards;
mod changes;
mod find;
pub mod knowledge;
pub mod manifest;
mod readonly;
mod records;
pub mod schema;
pub mod search;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use tantivy::{Index, IndexReader, ReloadPolicy};

pub use build::{ReadLimits, SyncReport};
pub use find::{Concept, Find};
use manifest::{FILES_FILE, MANIFEST_FILE};
pub use schema::Fields;
pub use writer::{writer_threads, WRITER_MEMORY_PER_THREAD};

use crate::text::Segmenter;

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    pub(crate) fields: Fields,
    dir: PathBuf,
    /// Citation cards already read (see `cards`).
    cards: dashmap::DashMap<String, cards::Cached>,
    /// Turns queries' spellings into the index's words.
    segmenter: Arc<Segmenter>,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (and the folder) when there is none.
    pub fn open(dir: &Path, segmenter: Arc<Segmenter>) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the index folder {}", dir.display()))?;
        let (schema, fields) = schema::build();
        let has_meta = dir.join("meta.json").exists();
        if !has_meta {
            let foreign = std::fs::read_dir(dir)
                .with_context(|| format!("cannot read the index folder {}", dir.display()))?
                .flatten()
                .any(|e| {
                    let name = e.file_name();
                    name != MANIFEST_FILE && name != FILES_FILE && !name.to_string_lossy().starts_with('.')
                });
            anyhow::ensure!(
                !foreign,
                "the index folder {} contains files that are not a Dossier index; \
                 choose an empty folder with --index",
                dir.display()
            );
        }
        let opened = if has_meta {
            open_existing(dir, &schema, &segmenter)
        } else {
            None
        };
        let (index, reader) = match opened {
            Some(Ok(pair)) => pair,
            // A folder that cannot be written is not broken: it is read as it is.
            Some(Err(err)) if is_read_only(&err) => {
                let pair = open_read_only(dir, &segmenter)
                    .with_context(|| format!("cannot open the read-only index in {}", dir.display()))?;
                tracing::debug!(
                    "the index folder {} is read-only: answering from it as it is",
                    dir.display()
                );
                pair
            }
            Some(Err(err)) => {
                // The index is a cache of the corpus: a broken one is set aside (for a bug
                // report) and built again, never a reason to stop.
                let aside = move_aside(dir)
                    .with_context(|| format!("the index in {} cannot be opened ({err:#})", dir.display()))?;
                tracing::warn!(
                    "the index in {} cannot be opened ({err:#}); moved it to {} and rebuilding it from the corpus",
                    dir.display(),
                    aside.display()
                );
                fresh(dir, schema, &segmenter)?
            }
            None => fresh(dir, schema, &segmenter)?,
        };
        Ok(SearchIndex::assemble(index, reader, fields, dir, segmenter))
    }

    /// Opens the index another process writes, for reading only: it must exist and have this
    /// version's layout (a reader never builds, wipes or locks it).
    pub fn open_for_reading(dir: &Path, segmenter: Arc<Segmenter>) -> Result<SearchIndex> {
        anyhow::ensure!(
            dir.join("meta.json").exists(),
            "there is no index in {} yet: start `dossier index --watch` (the indexer) first",
            dir.display()
        );
        let (schema, fields) = schema::build();
        let (index, reader) =
            open_read_only(dir, &segmenter).with_context(|| format!("cannot read the index in {}", dir.display()))?;
        anyhow::ensure!(
            index.schema() == schema,
            "the index in {} was built by another version of dossier; let this version's indexer rebuild it",
            dir.display()
        );
        Ok(SearchIndex::assemble(index, reader, fields, dir, segmenter))
    }

    fn assemble(
        index: Index,
        reader: IndexReader,
        fields: Fields,
        dir: &Path,
        segmenter: Arc<Segmenter>,
    ) -> SearchIndex {
        SearchIndex {
            index,
            reader,
            fields,
            dir: dir.to_path_buf(),
            cards: Default::default(),
            segmenter,
        }
    }

    /// Sees what the writer (maybe another process) committed since the last look; citation
    /// cards read before are dropped.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        self.cards.clear();
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }
}

/// Opens an index on disk with its readers; `None` when it has an older layout (it is then
/// replaced, its files being Dossier's own), `Some(Err)` when it cannot be read.
fn open_existing(
    dir: &Path,
    schema: &tantivy::schema::Schema,
    segmenter: &Arc<Segmenter>,
) -> Option<Result<(Index, IndexReader)>> {
    let index = match Index::open_in_dir(dir) {
        Ok(index) => index,
        Err(err) => return Some(Err(err.into())),
    };
    if index.schema() != *schema {
        tracing::warn!("index in {} has an older layout; rebuilding it", dir.display());
        return match wipe(dir) {
            Ok(()) => None,
            Err(err) => Some(Err(err)),
        };
    }
    register_tokenizers(&index, segmenter);
    // Segments are opened here: a truncated or corrupt one fails now, not mid-answer.
    Some(reader_of(&index).map(|reader| (index, reader)))
}

fn fresh(dir: &Path, schema: tantivy::schema::Schema, segmenter: &Arc<Segmenter>) -> Result<(Index, IndexReader)> {
    let index = create(dir, schema).with_context(|| format!("cannot create an index in {}", dir.display()))?;
    register_tokenizers(&index, segmenter);
    let reader = reader_of(&index)?;
    Ok((index, reader))
}

fn register_tokenizers(index: &Index, segmenter: &Arc<Segmenter>) {
    index
        .tokenizers()
        .register(analyzers::WORDS, analyzers::WordsTokenizer(segmenter.clone()));
    index.tokenizers().register(analyzers::GRAMS, analyzers::GramsTokenizer);
}

fn reader_of(index: &Index) -> Result<IndexReader> {
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    Ok(reader)
}

/// Whether opening failed because the folder cannot be written (tantivy locks even to read).
fn is_read_only(err: &anyhow::Error) -> bool {
    let text = format!("{err:#}");
    text.contains("ReadOnlyFilesystem") || text.contains("Read-only file system") || text.contains("PermissionDenied")
}

fn open_read_only(dir: &Path, segmenter: &Arc<Segmenter>) -> Result<(Index, IndexReader)> {
    let index = Index::open(readonly::ReadOnlyDirectory::open(dir)?)?;
    register_tokenizers(&index, segmenter);
    let reader = reader_of(&index)?;
    Ok((index, reader))
}

/// Moves a broken index's files into `.broken-<time>` inside its folder (hidden entries are
/// not part of an index) and returns that folder.
fn move_aside(dir: &Path) -> Result<PathBuf> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let aside = dir.join(format!(".broken-{secs}"));
    std::fs::create_dir_all(&aside).with_context(|| format!("cannot create {}", aside.display()))?;
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .flatten()
    {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let to = aside.join(&name);
        std::fs::rename(entry.path(), &to)
            .with_context(|| format!("cannot move {} to {}", entry.path().display(), to.display()))?;
    }
    Ok(aside)
}

/// A new index with small store blocks: a paragraph read decompresses 4 KiB, not 16. lz4, not
/// zstd: zstd (level 1) stored the bench's news a fifth smaller, but doubled query latency,
/// since each stored record an answer reads decompresses its block afresh.
fn create(dir: &Path, schema: tantivy::schema::Schema) -> tantivy::Result<Index> {
    let settings = tantivy::IndexSettings {
        docstore_blocksize: 4096,
        ..Default::default()
    };
    Index::builder().schema(schema).settings(settings).create_in_dir(dir)
}

/// Removes a Dossier index's files from `dir` (only called when `meta.json` shows it is one).
fn wipe(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}
