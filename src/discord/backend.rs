//! What the bot needs from the core, as a trait: the engine implements it, and tests can
//! wrap it (to make an internal error happen on purpose, say).

use std::sync::Arc;

use crate::answer::Answer;
use crate::command::{Command, Request};
use crate::digest::DigestSource;
use crate::engine::{Engine, Response};
use crate::ingest::{IngestError, Ingested, LinkTarget};
use crate::knowledge::registry::LOOKUP_LIMIT;

pub trait Backend: DigestSource + LinkTarget {
    fn answer(&self, channel: &str, request: &Request) -> Response;
    fn answer_line(&self, channel: &str, line: &str) -> Response;
    /// A cached answer by id (for ◀ ▶ buttons).
    fn cached_answer(&self, channel: &str, id: u64) -> Option<(Command, Arc<Answer>)>;
    /// The words to search to trace a message to its source.
    fn claim_query(&self, text: &str) -> String;
    /// The known names in a message, each with the passage that best says who they are.
    fn mentioned(&self, channel: &str, text: &str) -> Response;
    /// Autocomplete choices `(label, value)` for a name, at most 25.
    fn name_choices(&self, partial: &str) -> Vec<(String, String)>;
    /// Autocomplete choices for document ids, at most 25.
    fn document_choices(&self, partial: &str) -> Vec<(String, String)>;
    /// Adds a document to the corpus.
    fn ingest(&self, name: &str, bytes: &[u8], max_bytes: usize) -> Result<Ingested, IngestError>;
}

impl Backend for Engine {
    fn answer(&self, channel: &str, request: &Request) -> Response {
        Engine::answer(self, channel, request)
    }

    fn answer_line(&self, channel: &str, line: &str) -> Response {
        Engine::answer_line(self, channel, line)
    }

    fn cached_answer(&self, channel: &str, id: u64) -> Option<(Command, Arc<Answer>)> {
        Engine::cached_answer(self, channel, id)
    }

    fn claim_query(&self, text: &str) -> String {
        Engine::claim_query(self, text)
    }

    fn mentioned(&self, channel: &str, text: &str) -> Response {
        Engine::mentioned(self, channel, text)
    }

    fn name_choices(&self, partial: &str) -> Vec<(String, String)> {
        let registry = self.registry();
        registry
            .lookup(partial, LOOKUP_LIMIT)
            .into_iter()
            .map(|i| {
                let e = registry.get(i);
                let label = format!("{} ({}, {})", e.name, e.kind.label(), e.mentions);
                (label, e.name.clone())
            })
            .collect()
    }

    fn document_choices(&self, partial: &str) -> Vec<(String, String)> {
        Engine::document_choices(self, partial, LOOKUP_LIMIT)
    }

    fn ingest(&self, name: &str, bytes: &[u8], max_bytes: usize) -> Result<Ingested, IngestError> {
        Engine::ingest(self, name, bytes, max_bytes)
    }
}
