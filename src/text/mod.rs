//! Text for matching: script folding, word segmentation and the curated names.
//!
//! Everything here works on plain strings and knows nothing about documents or the index.

pub mod convert;
pub mod fold;
pub mod lang;
pub mod names;
pub mod patterns;
pub mod segment;
pub mod words;

pub use fold::{fold, Folded};
pub use lang::Lang;
pub use names::{EntityKind, NameList};
pub use segment::{Segmenter, Word};
pub use words::{find_word, is_word_at};

/// Sorts byte ranges and merges the ones that overlap or touch.
pub fn merge_ranges(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    #[test]
    fn ranges_merge_when_they_overlap_or_touch() {
        assert_eq!(
            super::merge_ranges(vec![(5, 9), (0, 2), (2, 3), (7, 12), (20, 21)]),
            vec![(0, 3), (5, 12), (20, 21)]
        );
    }
}
