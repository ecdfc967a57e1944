//! Answers: every command returns the same [`Answer`] — verbatim excerpts, each with a full
//! citation — so the CLI and Discord render all commands alike.
//!
//! One module per command; `rank` holds the retrieval and scoring they share.

pub mod ask;
mod continuation;
mod headline;
pub mod help;
pub mod question;
pub mod rank;
mod shape;
pub mod source;
pub mod timeline;
pub mod who;

use serde::Serialize;

use crate::index::search::Card;
use crate::index::SearchIndex;
use crate::rules::Rules;
use crate::text::Segmenter;

/// What answering needs: the index, the segmenter and the rules.
pub struct Ctx<'a> {
    pub index: &'a SearchIndex,
    pub seg: &'a Segmenter,
    pub rules: &'a Rules,
    pub registry: std::sync::Arc<crate::knowledge::Registry>,
    /// Number of documents in the index, for messages.
    pub documents: usize,
}

/// Where a quote comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub doc: String,
    pub title: String,
    pub source: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// `YYYY-MM-DD` when the page shows its date.
    pub published: Option<String>,
    /// 1-based paragraph number; 0 is the headline.
    pub paragraph: u64,
    /// The last paragraph of a quote that runs over several (a passage and the list it
    /// introduces); absent for a one-paragraph quote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_paragraph: Option<u64>,
}

impl Citation {
    pub fn new(card: &Card, paragraph: u64) -> Citation {
        Citation {
            doc: card.id.clone(),
            title: card.meta.title.clone(),
            source: card.meta.source.clone(),
            author: card.meta.author.clone(),
            url: card.meta.url.clone(),
            published: card.meta.published.map(|d| d.format("%Y-%m-%d").to_string()),
            paragraph,
            last_paragraph: None,
        }
    }

    /// Where in the document the quote is: `¶6`, or `¶6–7` for one running over paragraphs
    /// (`None` for the headline, which front ends name in their own words).
    pub fn paragraphs_shown(&self) -> Option<String> {
        match (self.paragraph, self.last_paragraph) {
            (0, _) => None,
            (p, Some(last)) if last > p => Some(format!("¶{p}–{last}")),
            (p, _) => Some(format!("¶{p}")),
        }
    }
}

impl Ctx<'_> {
    /// The citation of paragraph `para` of `doc`; `None` when the document is no longer
    /// indexed. (Cards come from the index's cache, filled by the records an answer read.)
    pub fn cite(&self, doc: &str, para: u64) -> anyhow::Result<Option<Citation>> {
        Ok(self.index.citation_card(doc)?.map(|card| Citation::new(&card, para)))
    }
}

/// One quoted excerpt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Verbatim text from the document, in its own script.
    pub text: String,
    /// Normalised date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) of timeline items; otherwise null.
    pub date: Option<String>,
    pub citation: Citation,
    /// Matched words as `[start, end)` character offsets into `text`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<[usize; 2]>,
    /// A remark on the item, e.g. how an approximate date was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Other documents reporting the same (timeline lines reported by several documents).
    #[serde(rename = "also_cited_in", skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Citation>,
}

/// What a command answers: a message for the reader and the cited items.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answer {
    pub message: Option<String>,
    pub items: Vec<Item>,
}

/// Errors the user caused and can fix; they are shown as they are. Everything else is an
/// internal error (`anyhow`), logged in full and shown as a generic apology by front ends.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Unsupported(String),
}

impl UserError {
    pub fn kind(&self) -> &'static str {
        match self {
            UserError::Usage(_) => "usage",
            UserError::Unsupported(_) => "unsupported",
        }
    }
}

/// Converts byte ranges of `text` to character ranges (the JSON contract is in characters).
pub fn char_ranges(text: &str, byte_ranges: &[(usize, usize)]) -> Vec<[usize; 2]> {
    byte_ranges
        .iter()
        .map(|&(s, e)| [text[..s].chars().count(), text[..e].chars().count()])
        .collect()
}

/// At most `max` characters of `s`, with an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
