//! Which language a paragraph is written in, and the stem of a word in that language.
//!
//! Chinese text is segmented by jieba and needs no stemming. Latin-script words are indexed and
//! matched by their Snowball stem, so `agreed to pay` finds `agree to pay`; the stemmer must be
//! the paragraph's own language (English rules would mangle French words). A paragraph's
//! language is read by `whatlang` from its Latin-script letters only, and only when there are
//! enough of them to tell: short lines, names inside Chinese text and headlines fall back to
//! English, the commonest Latin-script language in the corpora Dossier serves. Indexing and
//! matching call the same [`Lang::of`] on the same text, so both sides always agree.

use std::borrow::Cow;
use std::sync::OnceLock;

use frostem::{Algorithm, Stemmer};

/// Fewer Latin letters than this and the language is not guessed (too little to tell).
const MIN_LETTERS_TO_DETECT: usize = 40;

/// The language whose stemmer applies to a text's Latin-script words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    English,
    French,
    German,
    Spanish,
    Portuguese,
    Italian,
    Dutch,
    Swedish,
    Danish,
    Norwegian,
    Finnish,
    Russian,
    Turkish,
    Indonesian,
}

impl Lang {
    /// The language of `text`'s Latin (or Cyrillic) words: detected when there is enough of
    /// them and the detector is confident, English otherwise.
    pub fn of(text: &str) -> Lang {
        // ASCII first and Chinese next are cheap tests; the Unicode letter table is for the rest.
        let letters = text
            .chars()
            .filter(|&c| c.is_ascii_alphabetic() || (!c.is_ascii() && !super::fold::is_cjk(c) && c.is_alphabetic()))
            .take(MIN_LETTERS_TO_DETECT)
            .count();
        if letters < MIN_LETTERS_TO_DETECT {
            return Lang::English;
        }
        // Chinese characters would make whatlang answer Mandarin: keep only the rest.
        let latin: Cow<str> = if text.chars().any(super::fold::is_cjk) {
            Cow::Owned(
                text.chars()
                    .map(|c| if super::fold::is_cjk(c) { ' ' } else { c })
                    .collect(),
            )
        } else {
            Cow::Borrowed(text)
        };
        match detector().detect(&latin) {
            Some(info) if info.is_reliable() => Lang::from_whatlang(info.lang()).unwrap_or(Lang::English),
            _ => Lang::English,
        }
    }

    const ALL: [Lang; 14] = [
        Lang::English,
        Lang::French,
        Lang::German,
        Lang::Spanish,
        Lang::Portuguese,
        Lang::Italian,
        Lang::Dutch,
        Lang::Swedish,
        Lang::Danish,
        Lang::Norwegian,
        Lang::Finnish,
        Lang::Russian,
        Lang::Turkish,
        Lang::Indonesian,
    ];

    fn to_whatlang(self) -> whatlang::Lang {
        use whatlang::Lang as W;
        match self {
            Lang::English => W::Eng,
            Lang::French => W::Fra,
            Lang::German => W::Deu,
            Lang::Spanish => W::Spa,
            Lang::Portuguese => W::Por,
            Lang::Italian => W::Ita,
            Lang::Dutch => W::Nld,
            Lang::Swedish => W::Swe,
            Lang::Danish => W::Dan,
            Lang::Norwegian => W::Nob,
            Lang::Finnish => W::Fin,
            Lang::Russian => W::Rus,
            Lang::Turkish => W::Tur,
            Lang::Indonesian => W::Ind,
        }
    }

    fn from_whatlang(lang: whatlang::Lang) -> Option<Lang> {
        use whatlang::Lang as W;
        Some(match lang {
            W::Eng => Lang::English,
            W::Fra => Lang::French,
            W::Deu => Lang::German,
            W::Spa => Lang::Spanish,
            W::Por => Lang::Portuguese,
            W::Ita => Lang::Italian,
            W::Nld => Lang::Dutch,
            W::Swe => Lang::Swedish,
            W::Dan => Lang::Danish,
            W::Nob => Lang::Norwegian,
            W::Fin => Lang::Finnish,
            W::Rus => Lang::Russian,
            W::Tur => Lang::Turkish,
            W::Ind => Lang::Indonesian,
            _ => return None,
        })
    }

    fn algorithm(self) -> Algorithm {
        match self {
            Lang::English => Algorithm::English,
            Lang::French => Algorithm::French,
            Lang::German => Algorithm::German,
            Lang::Spanish => Algorithm::Spanish,
            Lang::Portuguese => Algorithm::Portuguese,
            Lang::Italian => Algorithm::Italian,
            Lang::Dutch => Algorithm::Dutch,
            Lang::Swedish => Algorithm::Swedish,
            Lang::Danish => Algorithm::Danish,
            Lang::Norwegian => Algorithm::Norwegian,
            Lang::Finnish => Algorithm::Finnish,
            Lang::Russian => Algorithm::Russian,
            Lang::Turkish => Algorithm::Turkish,
            Lang::Indonesian => Algorithm::Indonesian,
        }
    }

    /// The stem of a folded (lower-case) word. Words with digits or Chinese characters, and
    /// very short words, are their own stem: `llama4`, `q1`, `ai` must match as typed.
    pub fn stem<'a>(self, word: &'a str) -> Cow<'a, str> {
        if word.len() < 3 || !word.chars().all(char::is_alphabetic) || word.chars().any(super::fold::is_cjk) {
            return Cow::Borrowed(word);
        }
        Stemmer::new(self.algorithm()).stem(word)
    }
}

/// A detector choosing among the languages a stemmer exists for: faster than asking about
/// every language, and a text in another language gets the closest of these or English.
fn detector() -> &'static whatlang::Detector {
    static DETECTOR: OnceLock<whatlang::Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| whatlang::Detector::with_allowlist(Lang::ALL.iter().map(|l| l.to_whatlang()).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_inflections_share_a_stem() {
        let en = Lang::English;
        assert_eq!(en.stem("agreed"), en.stem("agree"));
        assert_eq!(en.stem("agreeing"), en.stem("agrees"));
        assert_eq!(en.stem("acquisitions"), en.stem("acquisition"));
        assert_eq!(en.stem("companies"), en.stem("company"));
        assert_ne!(en.stem("price"), en.stem("prize"));
    }

    #[test]
    fn names_numbers_and_chinese_are_kept_as_typed() {
        let en = Lang::English;
        assert_eq!(en.stem("llama4"), "llama4");
        assert_eq!(en.stem("q1"), "q1");
        assert_eq!(en.stem("ai"), "ai");
        assert_eq!(en.stem("牛油果"), "牛油果");
    }

    #[test]
    fn language_is_read_from_enough_latin_text() {
        assert_eq!(
            Lang::of("Le gouvernement a annoncé mardi une nouvelle réforme des retraites pour les fonctionnaires."),
            Lang::French
        );
        assert_eq!(
            Lang::of("Die Regierung hat am Dienstag eine neue Reform der Renten für Beamte angekündigt."),
            Lang::German
        );
        assert_eq!(
            Lang::of("The government announced a new pension reform for civil servants on Tuesday."),
            Lang::English
        );
        // Too short to tell, or Latin names inside Chinese text: English rules.
        assert_eq!(Lang::of("Gouvernement"), Lang::English);
        assert_eq!(
            Lang::of("扎克伯格宣布Alexandr Wang将领导新成立的超级智能实验室"),
            Lang::English
        );
        // French stems differ from English ones: the reason the language is detected at all.
        assert_eq!(Lang::French.stem("gouvernements"), Lang::French.stem("gouvernement"));
    }
}
