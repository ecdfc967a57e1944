//! What became of one corpus file in a sync: unchanged, kept while unreadable, read and
//! cleaned for indexing, or skipped; the per-file half of `build`, run on every core.

use std::path::Path;

use anyhow::Result;
use tantivy::{IndexWriter, Term};

use super::manifest::{self, FileEntry};
use super::schema::Fields;
use crate::corpus::repeated::Contribution;
use crate::corpus::{self, Document, Skipped};
use crate::rules::Rules;

/// How a file that could not be read is reported (and recognised, to try it again).
pub(super) const UNREADABLE: &str = "cannot read";

/// Reads a file, stopping one byte past `limit` (a file growing while it is read cannot make
/// the read unbounded).
pub(super) fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What became of one corpus file in a sync.
pub(super) enum Outcome {
    /// Same stamp, or same content: kept as indexed.
    Unchanged(FileEntry),
    /// Unreadable now: its indexed version stays, and it is tried again on the next run.
    Kept { entry: FileEntry, skip: Skipped },
    /// New or changed: read and cleaned, and indexed or to be indexed.
    Indexed {
        entry: FileEntry,
        cleaned: Cleaned,
        bytes: u64,
        updated: bool,
        warnings: Vec<Skipped>,
    },
    /// Not indexed (a previous version, if any, was deleted).
    Skipped {
        skip: Skipped,
        removed: bool,
        warnings: Vec<Skipped>,
    },
}

/// A new or changed document, read and cleaned.
pub(super) enum Cleaned {
    /// To be indexed once the lines its source repeats across the corpus are known;
    /// `contribution` is its share of them (none without a source).
    Waiting {
        doc: Box<Document>,
        contribution: Option<Contribution>,
    },
    /// Indexed already (no repeated line can apply to it), with its paragraph count.
    Indexed { paragraphs: usize },
}

/// Reads, checks and (when new or changed) cleans one file; its old records are deleted.
pub(super) fn process(
    file: &corpus::CorpusFile,
    previous: Option<&FileEntry>,
    writer: &IndexWriter,
    f: &Fields,
    rules: &Rules,
    max_file_bytes: u64,
) -> Result<Outcome> {
    if let Some(prev) = previous.filter(|p| p.path == file.path && p.stamp == file.stamp) {
        if file.stamp.size <= max_file_bytes {
            return Ok(Outcome::Unchanged(prev.clone()));
        }
    }
    let too_large = |size: u64| Outcome::Skipped {
        skip: Skipped {
            path: file.path.clone(),
            reason: format!(
                "{:.1} MB is over the size limit of {:.1} MB (--max-file-bytes, DOSSIER_MAX_FILE_BYTES)",
                size as f64 / 1_048_576.0,
                max_file_bytes as f64 / 1_048_576.0
            ),
        },
        removed: previous.is_some(),
        warnings: vec![],
    };
    if file.stamp.size > max_file_bytes {
        if previous.is_some() {
            writer.delete_term(Term::from_field_text(f.doc, &file.id));
        }
        return Ok(too_large(file.stamp.size));
    }
    let bytes = match read_at_most(&file.path, max_file_bytes) {
        Ok(b) => b,
        Err(err) => {
            // Unreadable now: what was indexed from it stays until it can be read again.
            let skip = Skipped {
                path: file.path.clone(),
                reason: format!("{UNREADABLE}: {err}"),
            };
            return Ok(match previous {
                // What was indexed stays; the skip is reported (and so retried next run).
                Some(prev) => Outcome::Kept {
                    entry: prev.clone(),
                    skip,
                },
                None => Outcome::Skipped {
                    skip,
                    removed: false,
                    warnings: vec![],
                },
            });
        }
    };
    // It grew since it was listed.
    if bytes.len() as u64 > max_file_bytes {
        if previous.is_some() {
            writer.delete_term(Term::from_field_text(f.doc, &file.id));
        }
        return Ok(too_large(bytes.len() as u64));
    }
    let sha = manifest::content_hash(&bytes);
    // Same text, only touched: unchanged. The hash covers the document alone, so a sidecar
    // added, edited or removed (its stamp) is a change even when the text is the same.
    let same_sidecar = |p: &FileEntry| {
        (p.stamp.sidecar_size, p.stamp.sidecar_modified_ns) == (file.stamp.sidecar_size, file.stamp.sidecar_modified_ns)
    };
    if let Some(prev) = previous.filter(|p| p.sha256 == sha && p.path == file.path && same_sidecar(p)) {
        let mut entry = prev.clone();
        entry.stamp = file.stamp;
        return Ok(Outcome::Unchanged(entry));
    }
    if previous.is_some() {
        writer.delete_term(Term::from_field_text(f.doc, &file.id));
    }
    let mut warnings = Vec::new();
    Ok(
        match corpus::read_document(file, &bytes, &rules.boilerplate, &mut warnings) {
            Ok(mut doc) => Outcome::Indexed {
                entry: FileEntry {
                    path: file.path.clone(),
                    stamp: file.stamp,
                    sha256: sha,
                    paragraphs: doc.paragraphs.len(),
                },
                cleaned: {
                    let contribution = Contribution::of(&doc);
                    // A document of a source is held until the lines each site repeats are
                    // known: its dropped lines (only `dossier show` reads them) and spare
                    // capacity would be held with it. One without a source is indexed at once.
                    if contribution.is_some() {
                        doc.dropped = Vec::new();
                        doc.paragraphs.shrink_to_fit();
                    }
                    Cleaned::Waiting {
                        contribution,
                        doc: Box::new(doc),
                    }
                },
                bytes: bytes.len() as u64,
                updated: previous.is_some(),
                warnings,
            },
            Err(reason) => Outcome::Skipped {
                skip: Skipped {
                    path: file.path.clone(),
                    reason,
                },
                removed: previous.is_some(),
                warnings,
            },
        },
    )
}
