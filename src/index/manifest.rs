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
    /// (the index is then rebuilt, which is always safe: it is derived data).
    pub fn load(dir: &Path) -> Option<Manifest> {
        let mut m = Manifest::load_header(dir)?;
        if m.count == 0 {
            return Some(m);
        }
        let bytes = std::fs::read(dir.join(FILES_FILE)).ok()?;
        match serde_json::from_slice::<BTreeMap<String, FileEntry>>(&bytes) {
            Ok(files) if files.len() == m.count => {
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
    /// leaves the old or the new version of each, and a torn pair is noticed by `count`.
    pub fn save(&mut self, dir: &Path) -> Result<()> {
        self.count = self.files.len();
        write_atomically(dir, FILES_FILE, &serde_json::to_vec(&self.files)?)?;
        super::build::crash_point("between-file-list-and-header");
        write_atomically(dir, MANIFEST_FILE, &serde_json::to_vec_pretty(self)?)
    }
}

fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, dir.join(name)).with_context(|| format!("cannot replace {name} in {}", dir.display()))
}
