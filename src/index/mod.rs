//! The on-disk tantivy index: opening it safely, keeping it in step with the corpus, and
//! reading paragraphs and document cards back.
//!
//! The index is derived data: when its schema or rules are out of date it is rebuilt, never
//! patched. It is only wiped when the folder holds a Dossier index; any other non-empty folder
//! is refused, so a wrong `--index` path cannot delete someone's files.

pub mod analyzers;
mod build;
pub mod cards;
pub mod knowledge;
pub mod manifest;
pub mod schema;
pub mod search;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use tantivy::{Index, IndexReader, ReloadPolicy};

pub use build::SyncReport;
use manifest::{FILES_FILE, MANIFEST_FILE};
pub use schema::Fields;

use crate::text::Segmenter;

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    pub fields: Fields,
    dir: PathBuf,
    /// Citation cards already read (see `cards`).
    cards: dashmap::DashMap<String, cards::Cached>,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (and the folder) when there is none.
    pub fn open(dir: &Path, segmenter: Arc<Segmenter>) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the index folder {}", dir.display()))?;
        let (schema, fields) = schema::build();
        let has_meta = dir.join("meta.json").exists();
        let index = if has_meta {
            match Index::open_in_dir(dir) {
                Ok(index) if index.schema() == schema => index,
                Ok(_) => {
                    tracing::warn!("index in {} has an older layout; rebuilding it", dir.display());
                    wipe(dir)?;
                    create(dir, schema)?
                }
                Err(err) => {
                    tracing::warn!("index in {} cannot be opened ({err}); rebuilding it", dir.display());
                    wipe(dir)?;
                    create(dir, schema)?
                }
            }
        } else {
            let foreign = std::fs::read_dir(dir)?.flatten().any(|e| {
                let name = e.file_name();
                name != MANIFEST_FILE && name != FILES_FILE && !name.to_string_lossy().starts_with('.')
            });
            anyhow::ensure!(
                !foreign,
                "the index folder {} contains files that are not a Dossier index; \
                 choose an empty folder with --index",
                dir.display()
            );
            create(dir, schema).with_context(|| format!("cannot create an index in {}", dir.display()))?
        };
        index
            .tokenizers()
            .register(analyzers::WORDS, analyzers::WordsTokenizer(segmenter));
        index.tokenizers().register(analyzers::GRAMS, analyzers::GramsTokenizer);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            dir: dir.to_path_buf(),
            cards: Default::default(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }
}

/// A new index with small store blocks: a paragraph read decompresses 4 KiB, not 16.
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
