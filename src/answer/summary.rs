//! What an answer found, as data: counts, names, the words searched, what was left out.
//!
//! The core writes no sentence for the reader. Each front end renders a [`Summary`] in the
//! user's language through the message catalogues (`commands/locales/*.toml`, see
//! [`crate::locale`]), so a zh-TW user never reads an English header and a CLI user never
//! reads a Discord option name.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Citation;
use crate::command::Command;
use crate::text::EntityKind;

/// A name with what it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
    pub kind: EntityKind,
}

/// A name and how many paragraphs mention it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    pub name: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Summary {
    /// Passages found for a query (`/source`) or a question (`/ask`, mentions).
    Passages {
        query: String,
        /// The passages answer a question (rather than contain some words).
        question: bool,
        passages: usize,
        documents: usize,
        /// Words of the query no document contains (the passages match the others).
        absent: Vec<String>,
        /// The query was long and only its beginning was searched.
        truncated: bool,
    },
    /// Nothing matched the words searched.
    NoMatch {
        query: String,
        /// Documents in the index.
        corpus: usize,
        searched: Vec<String>,
        absent: Vec<String>,
    },
    /// The query holds nothing to search for (punctuation, stop words).
    NoWords { query: String },
    /// A document named by its id (`/source 002`).
    Document {
        id: String,
        title: String,
        source: Option<String>,
        author: Option<String>,
        published: Option<NaiveDate>,
        url: Option<String>,
        paragraphs: u64,
        references: Vec<String>,
    },
    /// What the documents say about a name (`/who`).
    Profile {
        entity: Named,
        aliases: Vec<String>,
        /// Titles the documents give the name ("Zimbabwe President").
        roles: Vec<String>,
        paragraphs: usize,
        documents: usize,
        /// Only the best mentions were read: the counts are lower bounds.
        at_least: bool,
        often_with: Vec<Counted>,
        /// The first this many items describe the name; the rest only mention it.
        describing: usize,
    },
    /// No entity has this name.
    UnknownName {
        query: String,
        corpus: usize,
        /// Names close to the query.
        closest: Vec<String>,
        /// Without close names: the people the documents mention most.
        most_mentioned: Vec<String>,
    },
    /// The known names in a message, one describing item each ("Who's mentioned").
    Mentioned { names: Vec<Named> },
    /// Dated events, oldest first (`/timeline`).
    Timeline {
        topic: Option<String>,
        /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
        from: Option<String>,
        to: Option<String>,
        /// Event lines formed (a lower bound when `partial`).
        events: usize,
        /// Dated reports read (several reports make one line).
        reports: usize,
        shown: usize,
        partial: bool,
        corpus: usize,
    },
    /// `/help` or `/help <command>`.
    Help { command: Option<Command> },
    /// A period's digest.
    Digest {
        since: NaiveDate,
        until: NaiveDate,
        topic: Option<String>,
        /// The period's documents, by their headline (`documents` may list fewer).
        documents: Vec<Citation>,
        new_documents: usize,
        people: Vec<Counted>,
        /// Dated events in the period; the answer's first items.
        events: usize,
        events_listed: usize,
    },
}
