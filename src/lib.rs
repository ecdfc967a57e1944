//! Dossier: answers questions about a corpus of documents with cited, verbatim excerpts.
//!
//! The library is the whole product except the front ends' I/O: corpus → clean documents →
//! index → knowledge → answers → per-channel cache, behind [`engine::Engine`]. The CLI and
//! the Discord adapter both call the engine and nothing below them knows about either; the
//! command line and the benchmark live in the binary (`src/main.rs`), not here.

pub mod answer;
pub mod cache;
pub mod command;
pub mod corpus;
pub mod digest;
pub mod discord;
pub mod engine;
pub mod feed;
pub mod fetch;
pub mod index;
pub mod ingest;
pub mod knowledge;
pub mod locale;
pub mod resident;
pub mod rules;
pub mod state;
pub mod text;
pub mod watch;
