//! Adding a web page by its link: fetched by [`crate::fetch`], then checked, saved and indexed
//! by the same path as an attachment, with a sidecar recording where and when it came from.
//!
//! A link already in the corpus is a duplicate: the same page (by its canonical link, or the
//! address it was fetched from), the same bytes, or the same article text under the same
//! title. The file name comes from the address, made
//! safe, with a hash of the whole address so two pages never share one.

use std::sync::Arc;

use sha2::{Digest, Sha256};
use url::Url;

use super::{IngestError, Ingested};
use crate::corpus::decode::{decode, Decoded};
use crate::corpus::document_from_text;
use crate::corpus::sidecar::Sidecar;
use crate::engine::Engine;
use crate::fetch::{target, Fetched, Fetcher};

/// Longest part of a file name taken from the address (the hash follows it).
const MAX_SLUG_CHARS: usize = 60;

/// What adding a link needs from the core: the engine, or a test double.
pub trait LinkTarget: Send + Sync {
    /// The document already in the corpus for this link, if any.
    fn document_at(&self, link: &str) -> Result<Option<String>, IngestError>;
    /// Adds a fetched page.
    fn ingest_fetched(&self, link: &str, page: &Fetched, max_bytes: usize) -> Result<Ingested, IngestError>;
}

impl LinkTarget for Engine {
    fn document_at(&self, link: &str) -> Result<Option<String>, IngestError> {
        let Some(wanted) = target::canonical(link) else {
            return Ok(None);
        };
        let manifest =
            crate::index::manifest::Manifest::load(self.index_dir(), &self.config().corpus).unwrap_or_default();
        for id in manifest.files.keys() {
            let card = self.card(id)?;
            let url = card.as_ref().and_then(|c| c.meta.url.as_deref());
            if url.and_then(target::canonical).as_deref() == Some(wanted.as_str()) {
                return Ok(Some(id.clone()));
            }
        }
        Ok(None)
    }

    fn ingest_fetched(&self, link: &str, page: &Fetched, max_bytes: usize) -> Result<Ingested, IngestError> {
        let duplicate = |id: String| IngestError::Duplicate {
            name: link.to_string(),
            id,
        };
        if let Some(id) = self.document_at(page.url.as_str())? {
            return Err(duplicate(id));
        }
        let name = name_for_link(&page.url, page.content_type.as_deref());
        let checked = match self.check(&name, &page.body, max_bytes) {
            Ok(c) => c,
            // The name is the address's: a file of that name is this page, fetched before.
            Err(IngestError::NameTaken { id }) | Err(IngestError::Duplicate { id, .. }) => return Err(duplicate(id)),
            Err(IngestError::NoText { .. }) => return Err(IngestError::NoText { name: link.into() }),
            Err(IngestError::NotText { reason, .. }) => {
                return Err(IngestError::NotText {
                    name: link.into(),
                    reason,
                })
            }
            Err(e) => return Err(e),
        };
        if let Some(id) = checked
            .url
            .as_deref()
            .map(|u| self.document_at(u))
            .transpose()?
            .flatten()
        {
            return Err(duplicate(id));
        }
        if let Some(id) = self.same_text(&checked.title, &checked.paragraphs)? {
            return Err(duplicate(id));
        }
        let cited_as = checked.url.clone().unwrap_or_else(|| page.url.to_string());
        let sidecar = Sidecar::fetched(&cited_as, page.url.as_str(), page.at);
        self.save(link, checked, &page.body, Some(&sidecar))
    }
}

impl Engine {
    /// The document whose article reads exactly as `paragraphs` under the same title: the
    /// same story at another address, in other page furniture. Only documents with that title
    /// are read again.
    fn same_text(&self, title: &str, paragraphs: &[String]) -> Result<Option<String>, IngestError> {
        let manifest =
            crate::index::manifest::Manifest::load(self.index_dir(), &self.config().corpus).unwrap_or_default();
        for (id, entry) in &manifest.files {
            if self.card(id)?.is_none_or(|c| c.meta.title != title) {
                continue;
            }
            let path = &entry.path;
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let Decoded::Text { text, .. } = decode(&bytes) else {
                continue;
            };
            let doc = document_from_text(id, path, &text, &self.rules().boilerplate, &mut Vec::new());
            if doc.paragraphs == paragraphs {
                return Ok(Some(id.clone()));
            }
        }
        Ok(None)
    }
}

/// Fetches `link` and adds the page. The fetch runs on the async threads; the look-ups and
/// indexing, which block, on tokio's blocking threads.
pub async fn ingest_link(target: Arc<dyn LinkTarget>, fetcher: &Fetcher, link: &str) -> Result<Ingested, IngestError> {
    let link = link.trim().to_string();
    let known = {
        let (target, link) = (target.clone(), link.clone());
        blocking(move || target.document_at(&link)).await?
    };
    if let Some(id) = known {
        return Err(IngestError::Duplicate { name: link, id });
    }
    let page = fetcher.page(&link).await?;
    let max_bytes = fetcher.config().max_bytes;
    blocking(move || target.ingest_fetched(&link, &page, max_bytes)).await
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, IngestError> + Send + 'static,
) -> Result<T, IngestError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| IngestError::Internal(anyhow::anyhow!("ingest task failed: {e}")))?
}

/// A file name for the page at `url`: host and path as letters, digits and `-`, then a hash
/// of the whole address; `.txt` for plain text, `.html` otherwise.
pub fn name_for_link(url: &Url, content_type: Option<&str>) -> String {
    let host = url.host_str().unwrap_or("page");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let raw = format!("{host}{}", url.path());
    let mut slug = String::new();
    for c in raw.chars() {
        let c = if c.is_alphanumeric() { c } else { '-' };
        if !(c == '-' && (slug.is_empty() || slug.ends_with('-'))) {
            slug.push(c);
        }
        if slug.chars().count() >= MAX_SLUG_CHARS {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let hash = Sha256::digest(url.as_str().as_bytes());
    let short: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let plain = content_type.is_some_and(|ct| ct.trim_start().to_ascii_lowercase().starts_with("text/plain"));
    format!("{slug}-{short}.{}", if plain { "txt" } else { "html" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(link: &str) -> String {
        name_for_link(&Url::parse(link).unwrap(), Some("text/html"))
    }

    #[test]
    fn names_from_links_are_safe_short_and_distinct() {
        for link in [
            "https://www.news.example/2026/11/28/rivers.html",
            "https://news.example/../../etc/passwd",
            "https://news.example/%2e%2e%2f%2e%2e%2fsecret",
            "https://news.example/a/..%5c..%5cwin.ini",
            "https://新闻.example/报道/洪水",
            "http://127.0.0.1:8080/",
            &format!("https://news.example/{}", "long-".repeat(100)),
        ] {
            let n = name(link);
            assert!(super::super::safe_name(&n).is_ok(), "{link} → {n}");
            assert!(!n.contains(['/', '\\']) && !n.contains(".."), "{link} → {n}");
            assert!(n.chars().count() <= MAX_SLUG_CHARS + 14, "{link} → {n}");
        }
        assert!(
            name("https://www.news.example/2026/11/28/rivers.html").starts_with("news-example-2026-11-28-rivers-html-")
        );
        assert_ne!(name("https://news.example/a?id=1"), name("https://news.example/a?id=2"));
        assert!(name_for_link(
            &Url::parse("https://n.example/a").unwrap(),
            Some("text/plain; charset=utf-8")
        )
        .ends_with(".txt"));
    }
}
