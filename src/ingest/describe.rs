//! What an ingest did, in the reader's language: the line saying what was added (title,
//! outlet, date, paragraphs, names), or why a file or link was refused. Discord and the CLI
//! both say it this way.

use super::{IngestError, Ingested};
use crate::fetch::FetchError;
use crate::locale::{self, fill, Locale};

/// Why a file was refused, in the reader's language.
pub fn refusal(e: &IngestError, l: Locale) -> String {
    let text = match e {
        IngestError::TooLarge { name, size, limit } => fill(
            l,
            "ingest.too_large",
            &[
                ("file", name),
                ("size", &size.to_string()),
                ("limit", &limit.to_string()),
            ],
        ),
        IngestError::BadName(name, why) => fill(
            l,
            "ingest.bad_name",
            &[
                ("file", &format!("{name:?}")),
                ("reason", locale::text(l, &format!("ingest.bad_name_{why}"))),
            ],
        ),
        IngestError::Unsupported { name } => fill(l, "ingest.unsupported", &[("file", name)]),
        IngestError::NotText { name, reason } => fill(l, "ingest.not_text", &[("file", name), ("reason", reason)]),
        IngestError::NoText { name } => fill(l, "ingest.no_text", &[("file", name)]),
        IngestError::Duplicate { name, id } => fill(l, "ingest.duplicate", &[("file", name), ("id", id)]),
        IngestError::NameTaken { id } => fill(l, "ingest.name_taken", &[("id", id)]),
        IngestError::Fetch(e) => fetch_refusal(e, l),
        IngestError::Internal(_) => locale::text(l, "discord.apology").to_string(),
    };
    text
}

/// What was added: its title, outlet, date, paragraphs and the names found.
pub fn added(l: Locale, what: &str, added: &Ingested) -> String {
    let names = if added.entities.is_empty() {
        String::new()
    } else {
        let first: Vec<&String> = added.entities.iter().take(8).collect();
        fill(l, "ingest.names", &[("names", &locale::list(l, &first))])
    };
    let source = added.source.as_deref().map(|s| format!(" — {s}")).unwrap_or_default();
    let date = added
        .published
        .map(|d| fill(l, "ingest.date", &[("date", &d.format("%Y-%m-%d").to_string())]))
        .unwrap_or_default();
    fill(
        l,
        "ingest.added",
        &[
            ("file", what),
            ("id", &added.id),
            ("title", &added.title),
            ("source", &source),
            ("date", &date),
            ("paragraphs", &locale::count(l, "paragraphs", added.paragraphs)),
            ("names", &names),
        ],
    )
}

/// Why a link was not fetched, in the reader's language.
fn fetch_refusal(e: &FetchError, l: Locale) -> String {
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
            let (link, reason) = (
                crate::fetch::for_log(e.url()),
                reason.replace(e.url(), &crate::fetch::for_log(e.url())),
            );
            tracing::warn!(link = %link, "link unreachable: {reason}");
            fill(l, "ingest.fetch_unreachable", &[("link", &link)])
        }
        FetchError::NotFeed { reason, .. } => fill(l, "ingest.fetch_not_feed", &[("link", &link), ("reason", reason)]),
    }
}
