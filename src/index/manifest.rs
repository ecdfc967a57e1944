//! What the on-disk index was built from, so a run rebuilds only what changed.
//!
//! One entry per indexed file (its size/mtime stamp and content hash) plus the schema version
//! and the rules' fingerprint. Stamps make the common "nothing changed" check a `stat` per
//! file; the hash keeps a touched-but-identical file from being re-indexed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::corpus::{Skipped, Stamp};

pub const MANIFEST_FILE: &str = "dossier-manifest.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: u32,
    pub rules: String,
    /// The corpus folder the index was built from.
    pub corpus: PathBuf,
    pub files: BTreeMap<String, FileEntry>,
    pub skipped: Vec<Skipped>,
    /// Bumped on every change of the indexed content; caches key on it.
    pub generation: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: PathBuf,
    pub stamp: Stamp,
    pub sha256: String,
    pub paragraphs: usize,
}

impl Manifest {
    /// The manifest in `dir`, or `None` when there is none or it is unreadable (the index is
    /// then rebuilt, which is always safe: it is derived data).
    pub fn load(dir: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(dir.join(MANIFEST_FILE)).ok()?;
        match serde_json::from_str(&text) {
            Ok(m) => Some(m),
            Err(err) => {
                tracing::warn!("index manifest in {} is unreadable ({err}); rebuilding", dir.display());
                None
            }
        }
    }

    /// Writes atomically (temp file + rename), so a crash leaves the old or the new manifest.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let tmp = dir.join(format!("{MANIFEST_FILE}.tmp"));
        let json = serde_json::to_vec_pretty(self)?;
        std::fs::write(&tmp, json).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, dir.join(MANIFEST_FILE))
            .with_context(|| format!("cannot replace the manifest in {}", dir.display()))?;
        Ok(())
    }
}
