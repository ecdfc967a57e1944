//! Text for matching: script folding, word segmentation and the curated names.
//!
//! Everything here works on plain strings and knows nothing about documents or the index.

pub mod convert;
pub mod fold;
pub mod names;
pub mod segment;
pub mod words;

pub use fold::{fold, Folded};
pub use names::{EntityKind, NameList};
pub use segment::{Segmenter, Word};
pub use words::{find_word, is_word_at};
