//! What the on-disk index was built from, so a run rebuilds only what changed.
//!
//! Two files. The header (`dossier-manifest.json`, small) holds the schema version, the rules'
//! fingerprint, the corpus folder, the generation and a digest of the corpus listing (every
//! file's id, path, size and mtime). The entries (`dossier-files.json`, one per indexed file
//! with its content hash) are read only when the listing digest differs. At hundreds of
//! thousands of documents the entries are a hundred megabytes; the common "nothing changed"
//! check must not parse them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::corpus::{CorpusFile, Skipped, Stamp};

pub const MANIFEST_FILE: &str = "dossier-manifest.json";
pub const FILES_FILE: &str = "dossier-files.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: u32,
    pub rules: String,
    /// The corpus folder the index was built from.
    pub corpus: PathBuf,
    pub skipped: Vec<Skipped>,
    /// Bumped on every change of the indexed content; caches key on it.
    pub generation: u64,
    /// `listing_digest` of the corpus as it was indexed.
    #[serde(default)]
    pub listing: String,
    /// How many entries `FILES_FILE` holds (a mismatch means a torn write: rebuild).
    #[serde(default)]
    pub count: usize,
    /// The file size limit the index was synced under: a new limit re-checks every file.
    #[serde(default)]
    pub max_file_bytes: u64,
    /// The entries' paths are written relative to the corpus folder (older lists hold them
    /// as scanned).
    #[serde(default)]
    pub relative_paths: bool,
    /// Read by [`Manifest::load`] only, from `FILES_FILE`.
    #[serde(skip)]
    pub files: BTreeMap<String, FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "EntryRow", from = "EntryRow")]
pub struct FileEntry {
    pub path: PathBuf,
    pub stamp: Stamp,
    /// The first 128 bits of the file's SHA-256, hex: enough to tell a touched file from an
    /// edited one.
    pub sha256: String,
    pub paragraphs: usize,
}

/// An entry as written: a flat array rather than an object with named fields, half the
/// size (the file list is the largest thing beside the index at 351k documents).
#[derive(Serialize, Deserialize)]
struct EntryRow(PathBuf, u64, u128, u64, u128, String, usize);

impl From<FileEntry> for EntryRow {
    fn from(e: FileEntry) -> EntryRow {
        let s = e.stamp;
        EntryRow(
            e.path,
            s.size,
            s.modified_ns,
            s.sidecar_size,
            s.sidecar_modified_ns,
            e.sha256,
            e.paragraphs,
        )
    }
}

impl From<EntryRow> for FileEntry {
    fn from(r: EntryRow) -> FileEntry {
        FileEntry {
            path: r.0,
            stamp: Stamp {
                size: r.1,
                modified_ns: r.2,
                sidecar_size: r.3,
                sidecar_modified_ns: r.4,
            },
            sha256: r.5,
            paragraphs: r.6,
        }
    }
}

/// The content hash kept in a [`FileEntry`].
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// One digest of what a scan found: ids, paths and stamps, in scan order (sorted by id).
pub fn listing_digest(files: &[CorpusFile]) -> String {
    let mut h = Sha256::new();
    for f in files {
        h.update(f.id.as_bytes());
        h.update([0]);
        h.update(f.path.as_os_str().as_encoded_bytes());
        h.update([0]);
        let s = f.stamp;
        for n in [
            s.size as u128,
            s.modified_ns,
            s.sidecar_size as u128,
            s.sidecar_modified_ns,
        ] {
            h.update(n.to_le_bytes());
        }
    }
    format!("{:x}", h.finalize())
}

impl Manifest {
    /// The header alone (no file entries), or `None` when there is none or it is unreadable.
    pub fn load_header(dir: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(dir.join(MANIFEST_FILE)).ok()?;
        match serde_json::from_str(&text) {
            Ok(m) => Some(m),
            Err(err) => {
                tracing::warn!("index manifest in {} is unreadable ({err}); rebuilding", dir.display());
                None
            }
        }
    }

    /// Header and file entries, or `None` when either is missing, unreadable or they disagree
    /// (the index is then rebuilt, which is always safe: it is derived data). `corpus` is the
    /// corpus folder as this run names it: the entries' paths are under it, as a scan of it
    /// gives them.
    pub fn load(dir: &Path, corpus: &Path) -> Option<Manifest> {
        let mut m = Manifest::load_header(dir)?;
        if m.count == 0 {
            return Some(m);
        }
        let bytes = std::fs::read(dir.join(FILES_FILE)).ok()?;
        match serde_json::from_slice::<BTreeMap<String, FileEntry>>(&bytes) {
            Ok(mut files) if files.len() == m.count => {
                if m.relative_paths {
                    for entry in files.values_mut() {
                        entry.path = corpus.join(&entry.path);
                    }
                }
                m.files = files;
                Some(m)
            }
            Ok(_) | Err(_) => {
                tracing::warn!("index file list in {} is unreadable or torn; rebuilding", dir.display());
                None
            }
        }
    }

    /// Writes the entries, then the header, each atomically (temp file + rename): a crash
    /// leaves the old or the new version of each, and a torn pair is noticed by `count` (a
    /// pair torn between the two path forms only makes the next sync read its files again).
    /// Paths are written relative to `corpus`, the folder the entries were scanned from: the
    /// folder's own path repeated for every file was a third of the list.
    pub fn save(&mut self, dir: &Path, corpus: &Path) -> Result<()> {
        self.count = self.files.len();
        self.relative_paths = true;
        let rows = RelativeRows {
            files: &self.files,
            corpus,
        };
        write_atomically(dir, FILES_FILE, &serde_json::to_vec(&rows)?)?;
        super::build::crash_point("between-file-list-and-header");
        write_atomically(dir, MANIFEST_FILE, &serde_json::to_vec_pretty(self)?)
    }
}

/// The entries as written: each path relative to the corpus folder (as it was when it is
/// not under it).
struct RelativeRows<'a> {
    files: &'a BTreeMap<String, FileEntry>,
    corpus: &'a Path,
}

impl Serialize for RelativeRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_map(self.files.iter().map(|(id, entry)| {
            let mut row = EntryRow::from(entry.clone());
            if let Ok(relative) = entry.path.strip_prefix(self.corpus) {
                row.0 = relative.to_path_buf();
            }
            (id, row)
        }))
    }
}

fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, dir.join(name)).with_context(|| format!("cannot replace {name} in {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &Path) -> FileEntry {
        FileEntry {
            path: path.to_path_buf(),
            stamp: Stamp {
                size: 10,
                modified_ns: 1_700_000_000_000_000_000,
                sidecar_size: 0,
                sidecar_modified_ns: 0,
            },
            sha256: "00112233445566778899aabbccddeeff".into(),
            paragraphs: 3,
        }
    }

    #[test]
    fn paths_are_written_relative_to_the_corpus_folder_and_read_back_under_it() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Path::new("/srv/team docs/corpus");
        let mut m = Manifest::default();
        let inside = corpus.join("2024/年报.html");
        // A file reached through a link that leads out of the folder keeps its full path.
        let outside = PathBuf::from("/mnt/shared/notes.txt");
        m.files.insert("年报".into(), entry(&inside));
        m.files.insert("notes".into(), entry(&outside));
        m.save(dir.path(), corpus).unwrap();

        let written = std::fs::read_to_string(dir.path().join(FILES_FILE)).unwrap();
        assert!(!written.contains("/srv/team docs"), "{written}");
        assert!(written.contains("/mnt/shared/notes.txt"), "{written}");
        let read = Manifest::load(dir.path(), corpus).unwrap();
        assert_eq!(read.files, m.files);

        // The same folder named another way this run (relative to the working directory):
        // the paths are those a scan of it gives.
        let named = Path::new("corpus");
        let read = Manifest::load(dir.path(), named).unwrap();
        assert_eq!(read.files["年报"].path, named.join("2024/年报.html"));
        assert_eq!(read.files["notes"].path, outside);
    }

    #[test]
    fn a_list_written_with_full_paths_reads_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Path::new("/srv/corpus");
        let mut m = Manifest::default();
        m.files.insert("a".into(), entry(&corpus.join("a.txt")));
        m.count = 1;
        // As lists were written before paths were relative: full paths, no flag in the header.
        write_atomically(dir.path(), FILES_FILE, &serde_json::to_vec(&m.files).unwrap()).unwrap();
        write_atomically(dir.path(), MANIFEST_FILE, &serde_json::to_vec(&m).unwrap()).unwrap();
        let read = Manifest::load(dir.path(), Path::new("/elsewhere")).unwrap();
        assert_eq!(read.files["a"].path, corpus.join("a.txt"));
    }
}
