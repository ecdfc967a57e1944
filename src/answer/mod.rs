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
pub mod summary;
pub mod timeline;
pub mod who;

use serde::{Deserialize, Serialize};

use crate::command::Command;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Verbatim text from the document, in its own script.
    pub text: String,
    /// Normalised date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) of timeline items; otherwise null.
    pub date: Option<String>,
    pub citation: Citation,
    /// Matched words as `[start, end)` character offsets into `text`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<[usize; 2]>,
    /// A remark on the item, e.g. how an approximate date was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Other documents reporting the same (timeline lines reported by several documents).
    #[serde(rename = "also_cited_in", default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Citation>,
}

/// What a command answers: what it found, as data, and the cited items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub summary: summary::Summary,
    pub items: Vec<Item>,
}

/// Errors the user caused and can fix, as data: front ends render them in the reader's
/// language and in their own terms (`--from` on the CLI, the `from:` option in Discord).
/// Everything else is an internal error (`anyhow`), logged in full and shown as a generic
/// apology by front ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum UserError {
    /// A typed line with nothing on it.
    #[error("the line is empty")]
    EmptyLine,
    /// `/name` is no command (`name` as typed, without the slash).
    #[error("unknown command /{name}")]
    UnknownCommand { name: String },
    /// A command that changes a Discord server's setup, asked outside Discord.
    #[error("/{} is a Discord command", command.name())]
    DiscordOnly { command: Command },
    /// A command that needs words to look for got none.
    #[error("/{} needs a query", command.name())]
    NeedsQuery { command: Command },
    /// A date option without its date.
    #[error("{bound} needs a date")]
    NeedsDate { bound: Bound },
    /// A date option whose value is no date.
    #[error("{bound} is not a date: {value:?}")]
    BadDate { bound: Bound, value: String },
    /// A period that ends before it starts.
    #[error("from {from} is after to {to}")]
    DateRange { from: String, to: String },
}

/// Which end of a period a date option sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    From,
    To,
}

impl Bound {
    /// The option's name (`from`, `to`).
    pub fn name(self) -> &'static str {
        match self {
            Bound::From => "from",
            Bound::To => "to",
        }
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl UserError {
    /// The error's family, for scripts reading `--json`.
    pub fn kind(&self) -> &'static str {
        "usage"
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
