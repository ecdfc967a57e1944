//! How well a passage's shape fits a query, beyond which words it contains: the whole query
//! as one exact phrase, the matched words close together, and a real sentence rather than a
//! fragment (a headline repeated in the body, a photo caption, a gallery link, a short label).
//!
//! Coverage says *whether* a passage has the query's concepts; these factors order passages
//! that cover equally well. Each is a multiplier in `(0, 1]` except the phrase bonus.

/// Score factor for a passage that contains the whole query as one phrase.
pub const PHRASE_BONUS: f32 = 1.5;

/// The query's content as one phrase for exact matching: its folded letters and digits from
/// the first to the last searched word, without spaces or punctuation (so `组建 超级智能
/// 实验室` and `組建超級智能實驗室` are the same phrase).
pub fn phrase_key(folded: &str) -> String {
    folded.chars().filter(|c| crate::text::fold::is_word_char(*c)).collect()
}

/// Whether a passage's folded text contains the phrase `key` (see [`phrase_key`]).
pub fn has_phrase(folded_passage: &str, key: &str) -> bool {
    !key.is_empty() && (folded_passage.contains(key) || phrase_key(folded_passage).contains(key))
}

/// How close together the matched concepts are: 1 when they sit side by side, falling as the
/// shortest stretch of text holding one match of each grows. `matches` holds, for each
/// concept found, its matches as byte ranges of the passage.
pub fn proximity(matches: &[Vec<(usize, usize)>]) -> f32 {
    let found: Vec<&Vec<(usize, usize)>> = matches.iter().filter(|m| !m.is_empty()).collect();
    if found.len() < 2 {
        return 1.0;
    }
    // Every match, tagged with its concept, in text order; the shortest window holding every
    // concept is found by sliding over them.
    let mut all: Vec<(usize, usize, usize)> = found
        .iter()
        .enumerate()
        .flat_map(|(g, ms)| ms.iter().map(move |&(s, e)| (s, e, g)))
        .collect();
    all.sort_unstable();
    let need = found.len();
    let mut count = vec![0usize; need];
    let mut have = 0;
    let mut best: Option<(usize, usize)> = None;
    let mut left = 0;
    for right in 0..all.len() {
        let g = all[right].2;
        count[g] += 1;
        if count[g] == 1 {
            have += 1;
        }
        while have == need {
            let end = all[left..=right].iter().map(|m| m.1).max().unwrap_or(all[right].1);
            let span = end - all[left].0;
            if best.is_none_or(|(_, b)| span < b) {
                best = Some((left, span));
            }
            let gl = all[left].2;
            count[gl] -= 1;
            if count[gl] == 0 {
                have -= 1;
            }
            left += 1;
        }
    }
    let Some((_, window)) = best else { return 1.0 };
    // What the matches themselves take, plus a short word or two between each pair.
    let shortest: usize = found
        .iter()
        .map(|ms| ms.iter().map(|(s, e)| e - s).min().unwrap_or(0))
        .sum();
    let allowed = shortest + (need - 1) * GAP_BYTES;
    (allowed as f32 / window.max(1) as f32).min(1.0)
}

/// Room between neighbouring matched words that still counts as side by side: a couple of
/// short English words, or about four Chinese characters.
const GAP_BYTES: usize = 12;

/// Score factor for proximity: close words help, but far-apart ones only lose a little, since
/// a long sentence can still answer.
pub fn proximity_factor(matches: &[Vec<(usize, usize)>]) -> f32 {
    0.8 + 0.2 * proximity(matches)
}

/// Score factor for the shape of a passage: full sentences 1, short lines and captions less.
/// `headline` marks the document's title record, which names a topic rather than answering.
pub fn fragment_factor(text: &str, headline: bool) -> f32 {
    let text = text.trim();
    // Length in words: Latin words, and Chinese characters two to a word (one pass, cheap
    // tests first: this runs on every candidate passage).
    let (mut latin, mut han, mut in_word) = (0usize, 0usize, false);
    for c in text.chars() {
        if crate::text::fold::is_cjk(c) {
            han += 1;
            in_word = false;
        } else if c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric()) {
            latin += usize::from(!in_word);
            in_word = true;
        } else {
            in_word = false;
        }
    }
    let words = latin + han / 2;
    let sentence_end = text
        .trim_end_matches(['"', '”', '’', '\'', ')', '）', '」', '』'])
        .ends_with(['.', '!', '?', '。', '！', '？', '…', ';', '；']);
    // Captions and gallery links: `Gallery: Xbox One X | 14 Photos`.
    let caption = text.contains(" | ") || text.contains('｜');
    let mut factor: f32 = if words < 6 {
        0.7
    } else if (words < 14 && !sentence_end) || caption {
        0.8
    } else {
        1.0
    };
    if headline {
        factor = factor.min(0.8);
    }
    factor
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    #[test]
    fn the_phrase_ignores_spaces_punctuation_and_script() {
        let key = phrase_key(&fold("組建 超級智能實驗室"));
        assert!(has_phrase(&fold("他宣布组建超级智能实验室，并"), &key));
        assert!(!has_phrase(&fold("组建了一个超级智能实验室"), &key));
        assert!(!has_phrase("anything", ""));
    }

    #[test]
    fn neighbouring_matches_are_closer_than_distant_ones() {
        // "verizon" at 0..7, "yahoo" right after vs. 200 bytes later.
        let near = proximity(&[vec![(0, 7)], vec![(12, 17)]]);
        let far = proximity(&[vec![(0, 7)], vec![(200, 205)]]);
        assert_eq!(near, 1.0);
        assert!(far < 0.2, "{far}");
        // The closest pair of occurrences counts, wherever the others are.
        let mixed = proximity(&[vec![(0, 7), (300, 307)], vec![(310, 315)]]);
        assert_eq!(mixed, 1.0);
        // One concept alone has nothing to be far from.
        assert_eq!(proximity(&[vec![(5, 9)], vec![]]), 1.0);
    }

    #[test]
    fn fragments_rank_below_sentences() {
        let sentence = "The Xbox One X weighs 8.4 pounds, slightly more than the original Xbox One.";
        assert_eq!(fragment_factor(sentence, false), 1.0);
        assert!(fragment_factor("Gallery: Xbox One X | 14 Photos", false) < 1.0);
        assert!(fragment_factor("Xbox One X review", false) < 1.0);
        assert!(fragment_factor(sentence, true) < 1.0, "a headline names a topic");
        assert_eq!(
            fragment_factor(
                "扎克伯格在内部备忘录中宣布，公司将组建超级智能实验室，由汪滔领导。",
                false
            ),
            1.0
        );
        assert!(fragment_factor("超级智能实验室", false) < 1.0);
    }
}
