//! The corpus folder → clean documents with metadata and numbered paragraphs.
//!
//! Reading never stops on a bad file: an empty, binary, undecodable or unsupported file is
//! reported as [`Skipped`] with its path and reason, and the run goes on.

pub mod boilerplate;
pub mod clean;
pub mod decode;
pub mod html;
pub mod paragraphs;
pub mod repeated;
pub(crate) mod sidecar;

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use boilerplate::Boilerplate;
use decode::Decoded;

/// Extensions read as documents.
pub const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text", "html", "htm"];
pub const SIDECAR_SUFFIX: &str = ".meta.toml";

/// Where a document came from and how to cite it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    pub title: String,
    pub source: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    #[serde(default)]
    pub references: Vec<String>,
}

/// A cleaned document. Paragraph `n` (1-based, the citation anchor) is `paragraphs[n - 1]`.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file's stem: stable across runs and unique in the corpus.
    pub id: String,
    pub path: PathBuf,
    pub meta: DocMeta,
    pub paragraphs: Vec<String>,
    /// Lines of the file that are not article text, and why (`dossier show --dropped`).
    pub dropped: Vec<clean::Dropped>,
}

/// A file found in the corpus folder, before it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusFile {
    pub id: String,
    pub path: PathBuf,
    /// Size and modification time of the file and of its sidecar, to notice changes cheaply.
    pub stamp: Stamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub modified_ns: u128,
    pub sidecar_size: u64,
    pub sidecar_modified_ns: u128,
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "skipped {}: {}", self.path.display(), self.reason)
    }
}

fn stamp_of(meta: std::io::Result<std::fs::Metadata>) -> (u64, u128) {
    match meta {
        Ok(m) => {
            let ns = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            (m.len(), ns)
        }
        Err(_) => (0, 0),
    }
}

/// Lists the documents of a corpus folder (recursively, hidden entries ignored), sorted by
/// id. A missing folder is an error; unreadable entries and unsupported files are skipped.
/// Links that lead out of the folder are skipped (see [`scan_following`]).
pub fn scan(dir: &Path) -> Result<(Vec<CorpusFile>, Vec<Skipped>)> {
    scan_following(dir, false)
}

/// [`scan`], following links that lead out of the corpus folder when `external_links`. Not
/// by default: the folder is also where `/ingest` writes, and a link to `/etc/passwd` must not
/// make a file of the machine quotable in a chat.
pub fn scan_following(dir: &Path, external_links: bool) -> Result<(Vec<CorpusFile>, Vec<Skipped>)> {
    let meta = std::fs::metadata(dir).with_context(|| format!("cannot read the corpus folder {}", dir.display()))?;
    anyhow::ensure!(meta.is_dir(), "the corpus path {} is not a folder", dir.display());
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let root = dir
        .canonicalize()
        .with_context(|| format!("cannot read the corpus folder {}", dir.display()))?;
    let links = Links {
        root,
        top: dir.to_path_buf(),
        external: external_links,
    };
    walk(dir, &links, &mut files, &mut skipped);
    files.sort_unstable_by(|a: &CorpusFile, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
    // Ids must be unique: the first path (in sorted order) wins.
    let mut unique: Vec<CorpusFile> = Vec::with_capacity(files.len());
    for f in files {
        if let Some(prev) = unique.last().filter(|p| p.id == f.id) {
            skipped.push(Skipped {
                path: f.path.clone(),
                reason: format!("another file has the same name {:?} ({})", f.id, prev.path.display()),
            });
        } else {
            unique.push(f);
        }
    }
    Ok((unique, skipped))
}

/// How `walk` treats symbolic links.
struct Links {
    /// The corpus folder, resolved.
    root: PathBuf,
    /// The corpus folder as given (the walk's top folder).
    top: PathBuf,
    external: bool,
}

impl Links {
    fn corpus_dir(&self) -> &Path {
        &self.top
    }

    /// Why a link is not followed, if it is not: it leads out of the corpus folder.
    fn refuse(&self, link: &Path) -> Option<String> {
        if self.external {
            return None;
        }
        match link.canonicalize() {
            Ok(target) if target.starts_with(&self.root) => None,
            Ok(target) => Some(format!(
                "a link to {}, outside the corpus folder: not followed (--follow-external-links to allow)",
                target.display()
            )),
            Err(err) => Some(format!("a broken link: {err}")),
        }
    }
}

fn walk(dir: &Path, links: &Links, files: &mut Vec<CorpusFile>, skipped: &mut Vec<Skipped>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(err) => {
            skipped.push(Skipped {
                path: dir.to_path_buf(),
                reason: format!("cannot list folder: {err}"),
            });
            return;
        }
    };
    // A folder of a hundred thousand files is checked on every run: one stat per document
    // (relative to the open folder, no path walk), and a sidecar's only when the listing
    // holds one.
    let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
    let sidecars: std::collections::HashSet<std::ffi::OsString> = entries
        .iter()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().ends_with(SIDECAR_SUFFIX))
        .collect();
    for entry in entries {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            // Ids, the file list and citations are text: a name that is not cannot be cited.
            // The path is shown (and kept) with the bad bytes escaped.
            let escaped = format!("{:?}", entry.file_name());
            skipped.push(Skipped {
                path: dir.join(escaped.trim_matches('"')),
                reason: "the file name is not valid UTF-8; rename the file to index it".into(),
            });
            continue;
        };
        if name.starts_with('.') || name.ends_with(SIDECAR_SUFFIX) || name.ends_with('~') {
            continue;
        }
        // The corpus's curated names (see `rules`): not a document.
        if name == crate::rules::ENTITIES_FILE && dir == links.corpus_dir() {
            continue;
        }
        let Ok(mut kind) = entry.file_type() else { continue };
        if kind.is_symlink() {
            if let Some(reason) = links.refuse(&path) {
                skipped.push(Skipped { path, reason });
                continue;
            }
            match std::fs::metadata(&path) {
                Ok(m) => kind = m.file_type(),
                Err(_) => continue,
            }
            // A link back into the corpus would list its files twice (or forever).
            if kind.is_dir() {
                skipped.push(Skipped {
                    path,
                    reason: "a link to a folder: not followed (its files are listed where they are)".into(),
                });
                continue;
            }
        }
        if kind.is_dir() {
            walk(&path, links, files, skipped);
            continue;
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if !TEXT_EXTENSIONS.contains(&ext.as_str()) {
            let reason = format!("unsupported file type {ext:?} (Dossier reads .txt, .md and .html)");
            skipped.push(Skipped { path, reason });
            continue;
        }
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A symlink is followed, as reading it will be.
        let meta = if entry.file_type().is_ok_and(|t| t.is_symlink()) {
            std::fs::metadata(&path)
        } else {
            entry.metadata()
        };
        let (size, modified_ns) = stamp_of(meta);
        let sidecar = sidecar::path_for(&path);
        let (sidecar_size, sidecar_modified_ns) = match sidecar.file_name() {
            Some(n) if sidecars.contains(n) => stamp_of(std::fs::metadata(&sidecar)),
            _ => (0, 0),
        };
        files.push(CorpusFile {
            id,
            path,
            stamp: Stamp {
                size,
                modified_ns,
                sidecar_size,
                sidecar_modified_ns,
            },
        });
    }
}

/// Decodes and cleans one file's bytes. `Err` is the reason the file is skipped; warnings
/// (a bad sidecar) go to `warnings` and do not stop the document.
pub fn read_document(
    file: &CorpusFile,
    bytes: &[u8],
    rules: &Boilerplate,
    warnings: &mut Vec<Skipped>,
) -> std::result::Result<Document, String> {
    let text = match decode::decode(bytes) {
        Decoded::Text { text, .. } => text,
        Decoded::Empty => return Err("empty file".into()),
        Decoded::Binary => return Err("binary file, not text".into()),
        Decoded::Undecodable { encoding } => return Err(format!("cannot decode as text (best guess {encoding})")),
    };
    if let Some(reason) = html_refused(&file.path, &text) {
        return Err(reason);
    }
    let doc = document_from_text(&file.id, &file.path, &text, rules, warnings);
    if doc.paragraphs.is_empty() {
        return Err("no article text left after removing page furniture".into());
    }
    Ok(doc)
}

/// Why an HTML file is not read at all (see [`html::refuse`]); `None` for other files.
pub fn html_refused(path: &Path, text: &str) -> Option<String> {
    html::is_page(path, text).then(|| html::refuse(text)).flatten()
}

/// Cleans decoded text into a document and applies the sidecar, if any.
pub fn document_from_text(
    id: &str,
    path: &Path,
    text: &str,
    rules: &Boilerplate,
    warnings: &mut Vec<Skipped>,
) -> Document {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let is_html = html::is_page(path, text);
    let mut page_fields = html::Page::default();
    let cleaned = if is_html {
        let page = html::read_page(text);
        if page.fallback {
            warnings.push(Skipped {
                path: path.to_path_buf(),
                reason: "no article found on this page (an index page or a stub?): its whole text is indexed".into(),
            });
        }
        let mut cleaned = clean::clean_blocks(&page.blocks, page.title.clone(), rules);
        // Bylines and date lines around the headline, outside the article's own tree.
        let header = clean::clean_blocks(&page.header, None, rules);
        for (k, v) in header.fields {
            cleaned.fields.entry(k).or_insert(v);
        }
        // The date the page shows its readers comes first; a timestamp in the markup is
        // often in UTC, a day off.
        let shown = cleaned.published.or(header.published).or(page.shown_date);
        cleaned.published = shown.or(page.url_date).or(page.published);
        page_fields = page;
        page_fields.published = None;
        cleaned
    } else if matches!(ext.as_str(), "md" | "markdown") {
        clean::clean(&strip_markdown(text), rules)
    } else {
        clean::clean(text, rules)
    };
    let mut paragraphs = cleaned.paragraphs;
    let title = match cleaned.title {
        Some(t) => t,
        // A page that is one long paragraph has no headline; the first words stand in.
        None => paragraphs
            .first()
            .map(|p| p.chars().take(40).collect())
            .unwrap_or_default(),
    };
    let mut f = cleaned.fields;
    // The page's markup is trusted over lines of its text; a portal line names the outlet
    // only when the markup does not.
    if let Some(author) = page_fields.author.take() {
        f.insert("author", author);
    }
    if let Some(outlet) = page_fields.outlet.take() {
        if !f.contains_key("outlet") && !f.contains_key("via") {
            f.insert("outlet", outlet);
        }
    }
    // A byline the text states (`作者：新智元`) stands even when it names the outlet; an outlet
    // in the markup's author tag was already set aside by `html::read_page`.
    let author = f.get("author").and_then(|a| html::meta::clean_author(a, &[]));
    let mut meta = DocMeta {
        title,
        source: compose_source(&f),
        author,
        url: page_fields.url.take().or_else(|| f.get("url").cloned()),
        published: page_fields.published.or(cleaned.published),
        references: cleaned.references,
    };
    match sidecar::read(path) {
        Ok(Some(over)) => over.apply(&mut meta),
        Ok(None) => {}
        Err(err) => warnings.push(Skipped {
            path: sidecar::path_for(path),
            reason: format!("sidecar ignored: {err:#}"),
        }),
    }
    if meta.title.is_empty() {
        meta.title = id.to_string();
    }
    paragraphs.retain(|p| !p.trim().is_empty());
    Document {
        id: id.to_string(),
        path: path.to_path_buf(),
        meta,
        paragraphs,
        dropped: cleaned.dropped,
    }
}

/// Adds the text blocks of an HTML page that Readability left out of the article to the
/// document's dropped lines (for `dossier show --dropped`; indexing never needs them).
pub fn add_outside_article(doc: &mut Document, bytes: &[u8]) {
    let Decoded::Text { text, .. } = decode::decode(bytes) else {
        return;
    };
    if !html::is_page(&doc.path, &text) {
        return;
    }
    let kept: std::collections::HashSet<&str> = doc
        .paragraphs
        .iter()
        .chain(doc.dropped.iter().map(|d| &d.text))
        .chain(std::iter::once(&doc.meta.title))
        .map(String::as_str)
        .collect();
    let outside: Vec<clean::Dropped> = html::page_blocks(&text)
        .into_iter()
        .filter(|b| !kept.contains(b.as_str()))
        .map(|text| clean::Dropped {
            text,
            reason: clean::DropReason::OutsideArticle,
        })
        .collect();
    doc.dropped.extend(outside);
}

/// The outlet line of a citation: the publication, who republished it, and the portal.
/// `字母AI via 虎嗅 · 网易号`, `脑极体 · 网易号`, `新智元 via 创业邦`, `机器之心`.
fn compose_source(f: &std::collections::HashMap<&'static str, String>) -> Option<String> {
    let mut named: Vec<String> = Vec::new();
    let mut source = String::new();
    for key in ["outlet", "via", "account"] {
        let Some(name) = f.get(key) else { continue };
        let n = crate::text::fold(name);
        // 虎嗅APP adds nothing after 虎嗅.
        if named.iter().any(|p| p.contains(&n) || n.contains(p.as_str())) {
            continue;
        }
        if !source.is_empty() {
            source.push_str(if key == "via" { " via " } else { " " });
        }
        source.push_str(name);
        named.push(n);
    }
    if let Some(p) = f.get("platform") {
        if !source.is_empty() {
            source.push_str(" · ");
        }
        source.push_str(p);
    }
    (!source.is_empty()).then_some(source)
}

/// Markdown to plain lines: heading marks and emphasis markers go, the words stay.
fn strip_markdown(text: &str) -> String {
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            let t = t.trim_start_matches('#').trim_start();
            let t = t.strip_prefix("> ").unwrap_or(t);
            t.replace("**", "").replace("__", "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn composes_sources() {
        let f: HashMap<&'static str, String> = [
            ("outlet", "字母AI"),
            ("via", "虎嗅"),
            ("platform", "網易號"),
            ("account", "虎嗅APP"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
        assert_eq!(compose_source(&f).unwrap(), "字母AI via 虎嗅 · 網易號");
        let f: HashMap<&'static str, String> = [("platform", "网易号"), ("account", "脑极体")]
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect();
        assert_eq!(compose_source(&f).unwrap(), "脑极体 · 网易号");
        assert_eq!(compose_source(&HashMap::new()), None);
    }
}
