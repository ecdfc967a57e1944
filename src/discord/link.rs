//! Links in Discord: `/ingest url:<link>` and a mention "ingest <link>" fetch a page and add
//! it, and the reasons a link is refused, in the reader's language.

use crate::fetch::FetchError;
use crate::locale::{fill, Locale};

/// Why a link was not fetched, in the reader's language.
pub(super) fn fetch_refusal(e: &FetchError, l: Locale) -> String {
    let link = format!("<{}>", e.url());
    match e {
        FetchError::BadUrl { reason, .. } => fill(
            l,
            "ingest.fetch_bad_url",
            &[("link", &format!("`{}`", e.url())), ("reason", reason)],
        ),
        FetchError::Blocked { refused, .. } => fill(
            l,
            "ingest.fetch_blocked",
            &[
                ("link", &link),
                ("address", &refused.ip.to_string()),
                ("range", refused.range),
            ],
        ),
        FetchError::Robots { .. } => fill(l, "ingest.fetch_robots", &[("link", &link)]),
        FetchError::TooManyRedirects { limit, .. } => fill(
            l,
            "ingest.fetch_redirects",
            &[("link", &link), ("limit", &limit.to_string())],
        ),
        FetchError::TimedOut { secs, .. } => fill(
            l,
            "ingest.fetch_timeout",
            &[("link", &link), ("secs", &secs.to_string())],
        ),
        FetchError::TooLarge { limit, .. } => fill(
            l,
            "ingest.fetch_too_large",
            &[("link", &link), ("limit", &limit.to_string())],
        ),
        FetchError::NotPage { content_type, .. } => {
            fill(l, "ingest.fetch_not_page", &[("link", &link), ("type", content_type)])
        }
        FetchError::Status { status, .. } => fill(
            l,
            "ingest.fetch_status",
            &[("link", &link), ("status", &status.to_string())],
        ),
        FetchError::Unreachable { reason, .. } => {
            // The cause (a resolver's or TLS library's words) is for the log, not the channel.
            tracing::info!(link = %e.url(), "link unreachable: {reason}");
            fill(l, "ingest.fetch_unreachable", &[("link", &link)])
        }
        FetchError::NotFeed { reason, .. } => fill(l, "ingest.fetch_not_feed", &[("link", &link), ("reason", reason)]),
    }
}
