//! Reading an RSS or Atom document into the entries Dossier needs: an id, a link, a title, a
//! summary and a date. A document that is not a feed is refused with the parser's reason.

use chrono::{DateTime, Utc};

use crate::fetch::FetchError;

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The feed's id for it (its link when the feed gives none).
    pub id: String,
    /// The article's address, made absolute.
    pub link: Option<String>,
    pub title: String,
    pub summary: String,
    pub published: Option<DateTime<Utc>>,
}

/// The entries of the feed at `url`, oldest first.
pub fn parse(url: &str, body: &[u8]) -> Result<Vec<Entry>, FetchError> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        .build()
        .parse(body)
        .map_err(|e| FetchError::NotFeed {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
    let base = url::Url::parse(url).ok();
    let mut entries: Vec<Entry> = feed
        .entries
        .into_iter()
        .map(|e| {
            // Atom may list several links; the article is the "alternate" one (or unmarked).
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| match &base {
                    Some(b) => b.join(&l.href).map_or_else(|_| l.href.clone(), |u| u.to_string()),
                    None => l.href.clone(),
                });
            let id = if e.id.trim().is_empty() {
                link.clone().unwrap_or_default()
            } else {
                e.id
            };
            Entry {
                id,
                link,
                title: e.title.map(|t| t.content).unwrap_or_default(),
                summary: e.summary.map(|t| t.content).unwrap_or_default(),
                published: e.published.or(e.updated),
            }
        })
        .filter(|e| !e.id.is_empty())
        .collect();
    // Undated entries keep their place after dated ones; feeds list newest first.
    entries.sort_by_key(|e| e.published.unwrap_or(DateTime::<Utc>::MAX_UTC));
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_and_atom_entries_with_relative_links() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Herald</title>
            <item><title>Second</title><link>/news/2</link><guid>n-2</guid>
              <description>Harbour news</description><pubDate>Sat, 28 Nov 2026 09:00:00 GMT</pubDate></item>
            <item><title>First</title><link>https://h.example/news/1</link>
              <pubDate>Fri, 27 Nov 2026 09:00:00 GMT</pubDate></item>
            </channel></rss>"#;
        let entries = parse("https://h.example/feed.xml", rss).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].title, "First", "oldest first");
        assert_eq!(entries[1].link.as_deref(), Some("https://h.example/news/2"));
        assert_eq!(entries[1].id, "n-2");
        assert_eq!(entries[1].summary, "Harbour news");

        let atom = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
            <title>Times</title><id>urn:t</id><updated>2026-11-28T09:00:00Z</updated>
            <entry><title>港口扩建获批</title><id>urn:t:1</id><updated>2026-11-28T09:00:00Z</updated>
              <link rel="self" href="https://t.example/api/1"/><link rel="alternate" href="https://t.example/a/1"/>
              <summary>港口</summary></entry></feed>"#;
        let entries = parse("https://t.example/atom", atom.as_bytes()).unwrap();
        assert_eq!(entries[0].link.as_deref(), Some("https://t.example/a/1"));
        assert_eq!(entries[0].title, "港口扩建获批");
    }

    #[test]
    fn a_page_that_is_not_a_feed_is_refused_with_a_reason() {
        for body in [
            &b"<html><body><p>Just a page</p></body></html>"[..],
            b"",
            b"{\"not\": \"a feed\"}",
        ] {
            match parse("https://h.example/x", body) {
                Err(FetchError::NotFeed { reason, .. }) => assert!(!reason.is_empty()),
                other => panic!("{:?}: {other:?}", String::from_utf8_lossy(body)),
            }
        }
    }
}
