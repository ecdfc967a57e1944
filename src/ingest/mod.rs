//! Adding a document to the corpus from outside (a Discord attachment, or a link: see
//! [`link`]): checked, then saved atomically, then indexed.
//!
//! Every refusal happens before anything is written: too large, an unsafe or unsupported
//! name, not text, no article text, or already in the corpus. The file is written to a
//! hidden temporary name in the corpus folder and renamed into place, so the corpus never
//! holds half a file, and a name can never lead outside the corpus folder.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

pub mod describe;
mod link;

pub use link::{ingest_link, name_for_link, LinkTarget};

use crate::corpus::decode::{decode, Decoded};
use crate::corpus::sidecar::Sidecar;
use crate::corpus::{document_from_text, TEXT_EXTENSIONS};
use crate::engine::Engine;

/// Files larger than this are refused unless configured otherwise.
pub const DEFAULT_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Longest file stem accepted.
const MAX_STEM_CHARS: usize = 100;

/// What an ingested document turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub published: Option<chrono::NaiveDate>,
    pub paragraphs: usize,
    /// Names found in it, most mentioned first.
    pub entities: Vec<String>,
    pub path: PathBuf,
}

/// Why a file was not added (each is the user's to fix).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{name} is {size} bytes; the limit is {limit} bytes")]
    TooLarge { name: String, size: usize, limit: usize },
    /// The name and why it is refused (a `ingest.bad_name_*` catalogue entry).
    #[error("the file name {name:?} is not allowed: {reason}", name = .0, reason = bad_name_reason(.1))]
    BadName(String, &'static str),
    #[error("{name}: only .txt, .md and .html files can be added")]
    Unsupported { name: String },
    #[error("{name} is not readable text ({reason})")]
    NotText { name: String, reason: String },
    #[error("{name} has no article text left after removing page furniture")]
    NoText { name: String },
    #[error("{name} is already in the corpus as {id}")]
    Duplicate { name: String, id: String },
    #[error("a document named {id} already exists; rename the file to add it as a new document")]
    NameTaken { id: String },
    /// A link that could not be fetched, or was refused (see [`crate::fetch::FetchError`]).
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

fn bad_name_reason(why: &str) -> &'static str {
    crate::locale::text(crate::locale::Locale::En, &format!("ingest.bad_name_{why}"))
}

/// How long a reader process waits for the indexer to make an ingested file searchable.
pub const INDEXER_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

impl Engine {
    /// In a process that only reads the index: the file is in the shared corpus folder, and
    /// the indexer (`dossier index --watch`) makes it searchable; this waits until it has.
    fn indexed_elsewhere(
        &self,
        name: &str,
        stem: &str,
        path: &std::path::Path,
        paragraphs: &[String],
    ) -> Result<Ingested, IngestError> {
        let deadline = std::time::Instant::now() + INDEXER_WAIT;
        loop {
            self.refresh_from_disk()?;
            if let Some(card) = self.card(stem)? {
                return Ok(Ingested {
                    id: stem.to_string(),
                    title: card.meta.title.clone(),
                    source: card.meta.source.clone(),
                    published: card.meta.published,
                    paragraphs: paragraphs.len(),
                    entities: self.names_in(paragraphs),
                    path: path.to_path_buf(),
                });
            }
            if std::time::Instant::now() >= deadline {
                return Err(IngestError::Internal(anyhow::anyhow!(
                    "{name} was saved as {} but the indexer has not made it searchable within {} s; is `dossier index --watch` running?",
                    path.display(),
                    INDEXER_WAIT.as_secs()
                )));
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}

/// Checks a file name and returns `(stem, extension)`: no folders, no hidden files, a text
/// extension, and a stem of letters, digits, `-`, `_` and `.` (anything else becomes `_`).
pub fn safe_name(name: &str) -> Result<(String, String), IngestError> {
    let bad = |why| Err(IngestError::BadName(name.to_string(), why));
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return bad("empty");
    }
    if trimmed.contains(['/', '\\', '\0']) || trimmed.contains("..") {
        return bad("path");
    }
    if trimmed.starts_with('.') {
        return bad("hidden");
    }
    if trimmed.chars().any(char::is_control) {
        return bad("control");
    }
    let Some((stem, ext)) = trimmed.rsplit_once('.') else {
        return Err(IngestError::Unsupported { name: name.to_string() });
    };
    let ext = ext.to_lowercase();
    if !TEXT_EXTENSIONS.contains(&ext.as_str()) {
        return Err(IngestError::Unsupported { name: name.to_string() });
    }
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.trim_matches(['_', '.', '-']).is_empty() {
        return bad("no_stem");
    }
    if stem.chars().count() > MAX_STEM_CHARS {
        return bad("long");
    }
    Ok((stem, ext))
}

/// A document that passed every check, ready to be saved.
pub(crate) struct Checked {
    /// The file's id.
    stem: String,
    path: PathBuf,
    pub(crate) title: String,
    pub(crate) paragraphs: Vec<String>,
    /// The link the page gives as its own (its canonical link), if any.
    pub(crate) url: Option<String>,
}

impl Engine {
    /// Adds `bytes` as the document `name` to the corpus and indexes it.
    pub fn ingest(&self, name: &str, bytes: &[u8], max_bytes: usize) -> Result<Ingested, IngestError> {
        let checked = self.check(name, bytes, max_bytes)?;
        self.save(name, checked, bytes, None)
    }

    /// Everything that can refuse a document, before anything is written.
    pub(crate) fn check(&self, name: &str, bytes: &[u8], max_bytes: usize) -> Result<Checked, IngestError> {
        if bytes.len() > max_bytes {
            return Err(IngestError::TooLarge {
                name: name.to_string(),
                size: bytes.len(),
                limit: max_bytes,
            });
        }
        let (stem, ext) = safe_name(name)?;
        let text = match decode(bytes) {
            Decoded::Text { text, .. } => text,
            Decoded::Empty => {
                return Err(IngestError::NotText {
                    name: name.into(),
                    reason: "it is empty".into(),
                })
            }
            Decoded::Binary => {
                return Err(IngestError::NotText {
                    name: name.into(),
                    reason: "it is binary data".into(),
                })
            }
            Decoded::Undecodable { encoding } => {
                return Err(IngestError::NotText {
                    name: name.into(),
                    reason: format!("undecodable, best guess {encoding}"),
                })
            }
        };
        let corpus = self.config().corpus.clone();
        let path = corpus.join(format!("{stem}.{ext}"));
        if let Some(reason) = crate::corpus::html_refused(&path, &text) {
            return Err(IngestError::NotText {
                name: name.into(),
                reason,
            });
        }
        let doc = document_from_text(&stem, &path, &text, &self.rules().boilerplate, &mut Vec::new());
        if doc.paragraphs.is_empty() {
            return Err(IngestError::NoText { name: name.into() });
        }
        let sha = crate::index::manifest::content_hash(bytes);
        let manifest =
            crate::index::manifest::Manifest::load(self.index_dir(), &self.config().corpus).unwrap_or_default();
        if let Some((id, _)) = manifest.files.iter().find(|(_, e)| e.sha256 == sha) {
            return Err(IngestError::Duplicate {
                name: name.into(),
                id: id.clone(),
            });
        }
        let (files, _) = crate::corpus::scan(&corpus)?;
        if files.iter().any(|f| f.id == stem) || path.exists() {
            return Err(IngestError::NameTaken { id: stem });
        }
        Ok(Checked {
            stem,
            path,
            title: doc.meta.title,
            paragraphs: doc.paragraphs,
            url: doc.meta.url,
        })
    }

    /// Saves a checked document (and its sidecar, first, so the indexer never sees the
    /// document without it), then indexes it.
    pub(crate) fn save(
        &self,
        name: &str,
        checked: Checked,
        bytes: &[u8],
        sidecar: Option<&Sidecar>,
    ) -> Result<Ingested, IngestError> {
        let Checked {
            stem, path, paragraphs, ..
        } = checked;
        let corpus = self.config().corpus.clone();
        let sidecar_path = crate::corpus::sidecar::path_for(&path);
        if let Some(sidecar) = sidecar {
            write_atomically(&corpus, &sidecar_path, sidecar.to_toml()?.as_bytes())?;
        }
        if let Err(e) = write_atomically(&corpus, &path, bytes) {
            let _ = std::fs::remove_file(&sidecar_path);
            return Err(e.into());
        }
        if self.config().read_only_index {
            return self.indexed_elsewhere(name, &stem, &path, &paragraphs);
        }
        let report = self.sync(false, &indicatif::ProgressBar::hidden())?;
        let Some(card) = self.card(&stem)? else {
            let reason = report
                .skipped
                .iter()
                .find(|s| s.path == path)
                .map_or_else(|| "it could not be indexed".to_string(), |s| s.reason.clone());
            let _ = std::fs::remove_file(&path);
            if sidecar.is_some() {
                let _ = std::fs::remove_file(&sidecar_path);
            }
            return Err(IngestError::NotText {
                name: name.into(),
                reason,
            });
        };
        Ok(Ingested {
            id: stem,
            title: card.meta.title,
            source: card.meta.source,
            published: card.meta.published,
            paragraphs: paragraphs.len(),
            entities: self.names_in(&paragraphs),
            path,
        })
    }

    /// Entity names in some text, most mentioned first.
    pub fn names_in(&self, paragraphs: &[String]) -> Vec<String> {
        let registry = self.registry();
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for p in paragraphs {
            for (_, _, e) in registry.spans(&crate::text::fold(p)) {
                *counts.entry(e).or_default() += 1;
            }
        }
        let mut list: Vec<(usize, usize)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.into_iter().map(|(e, _)| registry.get(e).name.clone()).collect()
    }
}

/// Writes to a hidden temporary file in the same folder, syncs it, then renames it into
/// place: readers see the whole file or nothing.
fn write_atomically(dir: &std::path::Path, path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let tmp = dir.join(format!(".ingest-{}-{nanos}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| anyhow::anyhow!("cannot save {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_leave_the_corpus_folder() {
        for bad in [
            "../etc/passwd.txt",
            "..\\win.txt",
            "a/b.txt",
            "/abs.txt",
            ".hidden.txt",
            "x..txt",
            "",
            "  ",
            "\u{0}.txt",
            "...txt",
        ] {
            assert!(
                matches!(safe_name(bad), Err(IngestError::BadName(..))),
                "{bad:?} accepted"
            );
        }
        for bad in ["notes", "report.pdf", "image.png", "run.sh"] {
            assert!(
                matches!(safe_name(bad), Err(IngestError::Unsupported { .. })),
                "{bad:?} accepted"
            );
        }
        assert_eq!(
            safe_name("報告 (終版).TXT").unwrap(),
            ("報告__終版_".to_string(), "txt".to_string())
        );
        assert_eq!(
            safe_name("meta-ai_2026.md").unwrap(),
            ("meta-ai_2026".to_string(), "md".to_string())
        );
    }
}
