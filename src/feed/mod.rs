//! Following news sites' feeds: RSS and Atom entries become documents, as pasted links do.
//!
//! [`parse`] reads a feed (through `feed-rs`), [`topic`] decides which entries a feed with a
//! topic takes, and [`poll`] asks each feed for what is new — a conditional request, a `304`
//! when nothing changed, a longer wait after each failure — and adds new entries through
//! [`crate::ingest::ingest_link`]. Subscriptions, polling state and the entries handled live
//! in the state store ([`crate::state::FeedStore`]).

pub mod parse;
pub mod poll;
pub mod topic;

pub use parse::{parse, Entry};
pub use poll::{check_feed, FeedReport, Outcome, PollConfig, Poller};
