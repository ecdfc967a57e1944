//! Word segmentation of folded text, reporting offsets in the original text.
//!
//! Chinese has no spaces, so words come from jieba (with the curated names as a user
//! dictionary). Segmentation always runs on the folded text, where Traditional is already
//! Simplified and Latin lower-cased, so both scripts segment alike and jieba's Simplified
//! dictionary applies. Every token carries the byte range of the *original* text it came from,
//! so highlights point at the document's own characters.
//!
//! Joined Latin names (`RubenMayer`) also yield their parts, so `Ruben Mayer` finds them.

use jieba_rs::{Jieba, TokenizeMode};

use super::fold::{fold, is_cjk, is_word_char, Folded};
use super::lang::Lang;
use super::names::NameList;

/// Frequency given to curated names: high enough that jieba keeps them whole.
const NAME_FREQ: usize = 200_000;

pub struct Segmenter {
    jieba: Jieba,
    /// Words added to jieba's dictionary as names (their frequency is ours, not usage).
    added: std::collections::HashSet<String>,
}

/// Dictionary words more frequent than this are everyday words, whatever their tag: jieba
/// tags 文明 (6584), 白雪 (1572), 秋风 (184) as person names, while the people it lists run
/// from 金正恩 (3) to 李开复 (38) and 安德鲁 (91).
const COMMON_WORD_FREQ: usize = 100;

/// A word of a text: folded form plus the original byte range it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub from: usize,
    pub to: usize,
}

impl Segmenter {
    pub fn new(names: &NameList) -> Segmenter {
        let mut jieba = Jieba::new();
        let mut added = std::collections::HashSet::new();
        for (word, tag) in names.dictionary_words() {
            jieba.add_word(&word, Some(NAME_FREQ), Some(tag));
            added.insert(word);
        }
        Segmenter { jieba, added }
    }

    /// Whether a (folded) word is an everyday word of jieba's dictionary rather than a name:
    /// a person tag on it is not evidence of a person.
    pub fn is_common_word(&self, word: &str) -> bool {
        !self.added.contains(word) && self.jieba.has_word(word) && self.jieba.suggest_freq(word) > COMMON_WORD_FREQ
    }

    /// Adds more words (e.g. names discovered in the corpus) to the dictionary.
    pub fn add_words<'a>(&mut self, words: impl IntoIterator<Item = (&'a str, &'a str)>) {
        for (word, tag) in words {
            let folded = fold(word);
            if !self.jieba.has_word(&folded) {
                self.jieba.add_word(&folded, Some(NAME_FREQ), Some(tag));
                self.added.insert(folded);
            }
        }
    }

    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }

    /// Words of `original` for the index: jieba's default segmentation, plus the parts of
    /// joined or hyphenated Latin words. (Search mode's extra sub-words were a third of the
    /// index's tokens; the bigram field finds words inside longer words instead.)
    ///
    /// Latin-script words are indexed by their stem in the text's language ([`Lang::of`]):
    /// `agreed` and `agrees` are one term.
    pub fn index_words(&self, original: &str, mut emit: impl FnMut(Word)) {
        let folded = Folded::new(original);
        let lang = folded.lang();
        for tok in self.jieba.tokenize(&folded.text, TokenizeMode::Default, true) {
            if !tok.word.chars().any(is_word_char) {
                continue;
            }
            let (from, to) = folded.original_range(original, tok.byte_start, tok.byte_end);
            let latin = !tok.word.chars().any(is_cjk);
            emit(Word {
                text: if latin {
                    lang.stem(tok.word).into_owned()
                } else {
                    tok.word.to_string()
                },
                from,
                to,
            });
            if latin {
                latin_parts(lang, &original[from..to], from, &mut emit);
            }
        }
    }

    /// Words of an already folded query, jieba's default mode (one segmentation, no
    /// overlapping sub-words), content-bearing tokens only.
    pub fn query_words<'a>(&self, folded: &'a str) -> Vec<&'a str> {
        self.jieba
            .cut(folded, true)
            .into_iter()
            .map(|t| t.word)
            .filter(|w| w.chars().any(is_word_char))
            .collect()
    }
}

/// Emits the parts of a Latin token that a reader would type separately: `RubenMayer` →
/// `ruben`, `mayer`; `Llama-4` → `llama`, `4`. Nothing is emitted for a plain word.
fn latin_parts(lang: Lang, original: &str, base: usize, emit: &mut impl FnMut(Word)) {
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev: Option<char> = None;
    for (i, c) in original.char_indices() {
        if !c.is_alphanumeric() {
            if let Some(s) = start.take() {
                parts.push((s, i));
            }
            prev = None;
            continue;
        }
        let camel_break = prev.is_some_and(|p| p.is_lowercase() && c.is_uppercase());
        let digit_break = prev.is_some_and(|p| p.is_alphabetic() != c.is_alphabetic());
        if camel_break || digit_break {
            if let Some(s) = start.take() {
                parts.push((s, i));
            }
        }
        start.get_or_insert(i);
        prev = Some(c);
    }
    if let Some(s) = start {
        parts.push((s, original.len()));
    }
    if parts.len() < 2 {
        return;
    }
    for (s, e) in parts {
        emit(Word {
            text: lang.stem(&fold(&original[s..e])).into_owned(),
            from: base + s,
            to: base + e,
        });
    }
}

/// Overlapping character bigrams of CJK runs (a lone character stands for itself) and whole
/// alphanumeric words elsewhere, in order, with offsets into the original text. Used for the
/// second index field, which finds names the dictionary does not know, and for phrase
/// matching, where jieba's segmentation of a query and of a document may differ.
pub fn grams(original: &str, mut emit: impl FnMut(Word)) {
    let folded = Folded::new(original);
    let text = &folded.text;
    gram_ranges(text, |s, e| {
        let (from, to) = folded.original_range(original, s, e);
        emit(Word {
            text: text[s..e].to_string(),
            from,
            to,
        })
    });
}

/// The byte ranges of [`grams`] in an already folded text: what the index needs, without
/// offsets back to the original or a string per gram.
pub fn gram_ranges(text: &str, mut emit: impl FnMut(usize, usize)) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i + 1).map_or(text.len(), |c| c.0);
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if is_cjk(c) {
            let run_start = i;
            while i < chars.len() && is_cjk(chars[i].1) {
                i += 1;
            }
            if i - run_start == 1 {
                emit(pos, end_of(run_start));
            }
            for (k, &(start, _)) in chars.iter().enumerate().take(i.saturating_sub(1)).skip(run_start) {
                emit(start, end_of(k + 1));
            }
        } else if c.is_alphanumeric() {
            while i < chars.len() && chars[i].1.is_alphanumeric() && !is_cjk(chars[i].1) {
                i += 1;
            }
            emit(pos, chars.get(i).map_or(text.len(), |c| c.0));
        } else {
            i += 1;
        }
    }
}

/// The grams of a text as plain strings (for building phrase queries).
pub fn gram_strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    grams(text, |w| out.push(w.text));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg() -> Segmenter {
        Segmenter::new(&NameList::parse("[[entity]]\nkind = \"product\"\nname = \"牛油果\"\naliases = []").unwrap())
    }

    #[test]
    fn index_words_fold_script_and_keep_original_offsets() {
        let original = "“牛油果”推遲發布";
        let mut words = Vec::new();
        seg().index_words(original, |w| words.push(w));
        let avocado = words.iter().find(|w| w.text == "牛油果").expect("name kept whole");
        assert_eq!(&original[avocado.from..avocado.to], "牛油果");
        let delay = words.iter().find(|w| w.text == "推迟").expect("folded word");
        assert_eq!(&original[delay.from..delay.to], "推遲");
        assert!(words.iter().all(|w| w.text != "“"));
    }

    #[test]
    fn joined_latin_names_yield_their_parts() {
        let original = "副总裁RubenMayer,仅在Meta待了两个月";
        let mut words = Vec::new();
        seg().index_words(original, |w| words.push(w.text));
        // Latin words are indexed by their stem, the joined name as one word too.
        let joined = Lang::English.stem("rubenmayer").into_owned();
        for part in [joined.as_str(), "ruben", "mayer", "meta"] {
            assert!(words.iter().any(|w| w == part), "missing {part} in {words:?}");
        }
    }

    #[test]
    fn grams_are_bigrams_of_cjk_and_words_elsewhere() {
        let got = gram_strings("兩層安保 Llama 4,豆");
        assert_eq!(got, vec!["两层", "层安", "安保", "llama", "4", "豆"]);
        let original = "ＡＩ工程";
        let mut spans = Vec::new();
        grams(original, |w| spans.push(original[w.from..w.to].to_string()));
        assert_eq!(spans, vec!["ＡＩ", "工程"]);
    }

    #[test]
    fn query_words_drop_punctuation() {
        let s = seg();
        let folded = fold("牛油果, 為什麼?");
        let words = s.query_words(&folded);
        assert!(words.contains(&"牛油果"));
        assert!(words.iter().all(|w| !w.contains(',') && !w.contains('?')));
    }
}
