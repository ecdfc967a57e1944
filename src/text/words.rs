//! Finding a name or word in text: Latin words only as whole words (`ai` is not in `said`),
//! CJK anywhere (it has no spaces to mark words). In folded text the edges are letters and
//! digits; in the original text (where highlights point) case changes and letter–digit
//! changes inside a joined name are edges too.

use super::Folded;

fn alnum(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Whether `hay[s..e]` stands as a word: a Latin edge of it must not touch another Latin
/// letter or digit.
pub fn is_word_at(hay: &str, s: usize, e: usize) -> bool {
    let needle = &hay[s..e];
    (!alnum(needle.chars().next()) || !alnum(hay[..s].chars().next_back()))
        && (!alnum(needle.chars().next_back()) || !alnum(hay[e..].chars().next()))
}

/// Byte offsets of `needle` in `hay` (both folded) where it stands as a word.
pub fn find_word(hay: &str, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    hay.match_indices(needle)
        .map(|(i, _)| i)
        .filter(|&i| is_word_at(hay, i, i + needle.len()))
        .collect()
}

/// Occurrences of a folded alternative in a text, as original byte ranges. Latin words must
/// stand as words, where a case change inside a joined name (`Ruben|Mayer`) or a change
/// between letters and digits (`Llama|4`) also counts as a word edge; multi-word names
/// also match written together (`Ruben Mayer` in `RubenMayer`).
///
/// Latin words also match by stem in the text's language, as the index matched them: `agreed
/// to pay` finds `agree to pay`, `acquisition` finds `acquisitions`.
pub fn find_in_text(original: &str, folded: &Folded, alt: &str) -> Vec<(usize, usize)> {
    let mut out = find_exact(original, folded, alt);
    if out.is_empty() && alt.contains(' ') {
        let parts: Vec<&str> = alt.split_whitespace().collect();
        let joined: String = parts.concat();
        out = find_exact(original, folded, &joined);
    }
    if stems_apply(alt) {
        out.extend(find_stemmed(original, folded, alt));
        out.sort_unstable();
        out.dedup();
    }
    out
}

/// Substrings that any text matching `alt` by stem must contain: for each Latin word, the
/// start it shares with its stem, less two letters for endings a stemmer rewrites
/// (`companies` → `compani`, found in `company` as `compan`). `None` when stems do not apply.
/// A cheap filter before [`find_in_text`], never stricter than it.
pub fn stem_probes(alt: &str) -> Option<Vec<String>> {
    if !stems_apply(alt) {
        return None;
    }
    Some(
        latin_words(alt)
            .map(|(s, e)| {
                let word = &alt[s..e];
                let stem = super::Lang::English.stem(word);
                let shared = word.bytes().zip(stem.bytes()).take_while(|(a, b)| a == b).count();
                let keep = if word.len() <= 3 {
                    word.len()
                } else {
                    shared.saturating_sub(2).max(3).min(word.len())
                };
                word[..keep].to_string()
            })
            .collect(),
    )
}

/// Whether a written name is an acronym (`FAIR`, `TBD`, `MSL`): Latin capitals (digits
/// allowed), at least two letters. An acronym names something only where the text writes it in
/// capitals too: `FAIR` the lab is not "a fair price".
pub fn is_acronym(name: &str) -> bool {
    name.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '&' || c == '-')
}

/// Whether text found in a document is written in capitals (no lower-case letter), as an
/// acronym's occurrences must be.
pub fn in_capitals(text: &str) -> bool {
    !text.chars().any(char::is_lowercase)
}

/// Whether an alternative is Latin words some of which a stemmer can change.
fn stems_apply(alt: &str) -> bool {
    !alt.chars().any(super::fold::is_cjk) && latin_words(alt).any(|(s, e)| e - s >= 3)
}

/// Byte ranges of the Latin words (letters and digits, no CJK) of folded text.
fn latin_words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    // ASCII and Chinese are told apart cheaply; the Unicode table is for the rest.
    let latin =
        |c: char| c.is_ascii_alphanumeric() || (!c.is_ascii() && !super::fold::is_cjk(c) && c.is_alphanumeric());
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = chars.peek() {
            if latin(c) {
                break;
            }
            chars.next();
        }
        let (start, _) = *chars.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if !latin(c) {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        Some((start, end))
    })
}

/// Runs of the text's words whose stems are the alternative's stems, in order.
fn find_stemmed(original: &str, folded: &Folded, alt: &str) -> Vec<(usize, usize)> {
    let lang = folded.lang();
    let want: Vec<String> = latin_words(alt)
        .map(|(s, e)| lang.stem(&alt[s..e]).into_owned())
        .collect();
    if want.is_empty() {
        return Vec::new();
    }
    let text = &folded.text;
    let words: Vec<(usize, usize)> = latin_words(text).collect();
    let mut out = Vec::new();
    for start in 0..words.len().saturating_sub(want.len() - 1) {
        let run = &words[start..start + want.len()];
        // A phrase's words must be neighbours: only spaces and light punctuation between them.
        let adjacent = run.windows(2).all(|w| {
            text[w[0].1..w[1].0]
                .chars()
                .all(|c| c.is_whitespace() || "-'’".contains(c))
        });
        if adjacent
            && run
                .iter()
                .zip(&want)
                .all(|(&(s, e), w)| lang.stem(&text[s..e]) == w.as_str())
        {
            out.push(folded.original_range(original, run[0].0, run[want.len() - 1].1));
        }
    }
    out
}

fn find_exact(original: &str, folded: &Folded, alt: &str) -> Vec<(usize, usize)> {
    let text = &folded.text;
    let latin_start = alt.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let latin_end = alt.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric());
    let mut out = Vec::new();
    for (s, _) in text.match_indices(alt) {
        let e = s + alt.len();
        let (os, oe) = folded.original_range(original, s, e);
        if latin_start && !word_edge(original, os) {
            continue;
        }
        if latin_end && !word_edge(original, oe) {
            continue;
        }
        out.push((os, oe));
    }
    out
}

/// Whether a Latin word may begin or end at byte `at` of the original text.
fn word_edge(original: &str, at: usize) -> bool {
    let before = original[..at].chars().next_back();
    let after = original[at..].chars().next();
    match (before, after) {
        (Some(b), Some(a)) if b.is_alphanumeric() && a.is_alphanumeric() => {
            let cjk = |c: char| super::fold::is_cjk(c);
            cjk(b) || cjk(a) || (b.is_lowercase() && a.is_uppercase()) || (b.is_alphabetic() != a.is_alphabetic())
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_words_stand_alone_and_cjk_matches_anywhere() {
        assert_eq!(find_word("openai and ai", "ai"), vec![11]);
        assert_eq!(find_word("ai模型", "ai"), vec![0]);
        assert!(find_word("said", "ai").is_empty());
        assert_eq!(find_word("扎克伯格说", "扎克"), vec![0]);
        assert!(is_word_at("meta ai", 5, 7));
        assert!(!is_word_at("metaai", 4, 6));
        assert!(!is_word_at("aix", 0, 2));
    }

    fn find(original: &str, alt: &str) -> Vec<String> {
        let f = Folded::new(original);
        find_in_text(original, &f, alt)
            .into_iter()
            .map(|(s, e)| original[s..e].to_string())
            .collect()
    }

    #[test]
    fn latin_matches_in_the_original_respect_word_edges() {
        assert_eq!(find("副總裁RubenMayer,僅在", "ruben mayer"), vec!["RubenMayer"]);
        assert_eq!(find("副總裁RubenMayer,僅在", "mayer"), vec!["Mayer"]);
        assert_eq!(find("OpenAI said", "ai"), vec!["AI"]);
        assert!(find("said", "ai").is_empty());
        assert_eq!(find("Llama4 發布", "llama"), vec!["Llama"]);
        assert_eq!(find("兩層安保", "两层安保"), vec!["兩層安保"]);
        assert_eq!(find("ＴＢＤ實驗室", "tbd实验室"), vec!["ＴＢＤ實驗室"]);
    }

    #[test]
    fn acronyms_are_capitals_and_match_capitals() {
        assert!(is_acronym("FAIR") && is_acronym("TBD") && is_acronym("R&D") && is_acronym("GPT4"));
        assert!(!is_acronym("Fair") && !is_acronym("A") && !is_acronym("扎克伯格") && !is_acronym("Meta AI"));
        assert!(in_capitals("FAIR") && in_capitals("ＦＡＩＲ") && !in_capitals("fair") && !in_capitals("Fair"));
    }

    #[test]
    fn latin_words_match_by_stem_in_order() {
        assert_eq!(
            find("Verizon agreed to pay $4.8 billion", "agree to pay"),
            vec!["agreed to pay"]
        );
        assert_eq!(
            find("two acquisitions, one merger", "acquisition"),
            vec!["acquisitions"]
        );
        assert_eq!(find("Whole Foods Market", "whole food"), vec!["Whole Foods"]);
        // The words must be neighbours, in order; a stem is not a prefix match.
        assert!(find("pay to agree", "agree to pay").is_empty());
        assert!(find("agree, then later pay", "agree pay").is_empty());
        assert!(find("the agreement", "agree").is_empty());
        // Digits and short words match as typed.
        assert!(find("Llama 4 and Llama 3", "llama 5").is_empty());
    }
}
