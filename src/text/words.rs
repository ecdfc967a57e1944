//! Finding a name or word in folded text: Latin words only as whole words (`ai` is not in
//! `said`), CJK anywhere (it has no spaces to mark words).

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
}
