//! Links in Discord: `/ingest url:<link>` and a mention "ingest <link>" fetch a page and add
//! it, one report line per link.

use std::sync::Arc;

use super::Data;
use crate::ingest::{describe, ingest_link, IngestError, LinkTarget};
use crate::locale::{fill, Locale};

/// Links a user may add at once (each is fetched in turn, a few seconds apart per site).
pub const MAX_LINKS: usize = 5;

/// The http(s) links in a message, in order, without duplicates (Discord's `<link>` form,
/// which hides the preview, included).
pub fn links_in(text: &str) -> Vec<String> {
    let mut links: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let word = word
            .trim_start_matches('<')
            .trim_end_matches(['>', ',', '，', '。', ')', '）']);
        let is_link = word.len() > 8
            && (word.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("http://"))
                || word.get(..8).is_some_and(|p| p.eq_ignore_ascii_case("https://")));
        if is_link && !links.iter().any(|l| l == word) {
            links.push(word.to_string());
        }
    }
    links
}

/// Fetches and adds each link; one line per link: what was added, or why not.
pub async fn ingest_links(data: &Data, links: &[String], l: Locale) -> Vec<String> {
    let mut lines = Vec::new();
    for link in links.iter().take(MAX_LINKS) {
        let target: Arc<dyn LinkTarget> = data.backend.clone();
        lines.push(match ingest_link(target, &data.fetcher, link).await {
            Ok(added) => describe::added(l, &format!("<{link}>"), &added),
            Err(IngestError::Internal(err)) => {
                tracing::error!(link = %crate::fetch::for_log(link), "ingest failed: {err:#}");
                format!("⚠️ {}", fill(l, "ingest.failed", &[("file", &format!("<{link}>"))]))
            }
            Err(refused) => format!("⚠️ {}", describe::refusal(&refused, l)),
        });
    }
    if links.len() > MAX_LINKS {
        let skipped = (links.len() - MAX_LINKS).to_string();
        lines.push(format!(
            "⚠️ {}",
            fill(
                l,
                "ingest.too_many_links",
                &[("limit", &MAX_LINKS.to_string()), ("skipped", &skipped)]
            )
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_in_a_message_once_each() {
        let text = "ingest <https://a.example/x>, https://b.example/y。 and HTTP://C.example/z \
                    https://a.example/x ftp://d.example/ http:// https:";
        assert_eq!(
            links_in(text),
            ["https://a.example/x", "https://b.example/y", "HTTP://C.example/z"]
        );
        assert!(links_in("ingest please").is_empty());
    }
}
