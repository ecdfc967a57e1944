//! The two tantivy tokenizers over paragraph text: jieba words and character bigrams.
//!
//! Both fold the text first (script, width, case); words report offsets into the original
//! text. Case is folded here rather than by tantivy's `LowerCaser`, which takes its slow path
//! for every CJK token. Positions are ordinals, which is what phrase queries expect (jieba's
//! own positions are character offsets).
//!
//! A paragraph is analysed once for both views. tantivy tokenizes a record's fields in field
//! order on one indexing thread, words before grams, so the words tokenizer leaves its
//! analysis (folded text, and the spans of its words) for the grams tokenizer, which takes it
//! when it is handed the same text and analyses the text itself otherwise.
//!
//! A bigram that is also a word at the same place is left out of the grams view: the words
//! view holds that term for the paragraph, and a query looks each bigram up in both fields
//! (`search::views_query`). A third of the bigrams of Chinese text are two-character words.

use std::cell::RefCell;
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::text::segment::{gram_ranges, Segmenter};
use crate::text::{Folded, Word};

pub const WORDS: &str = "dossier_words";
pub const GRAMS: &str = "dossier_grams";

/// Longer tokens are noise (base64 blobs, unspaced junk) and tantivy caps term length.
const MAX_TOKEN_BYTES: usize = 120;

#[derive(Clone)]
pub struct WordsTokenizer(pub Arc<Segmenter>);

#[derive(Clone)]
pub struct GramsTokenizer(pub Arc<Segmenter>);

/// What the words tokenizer found in a paragraph, for the grams tokenizer.
struct Analysis {
    original: String,
    folded: String,
    /// Folded byte ranges of the words whose text is that range, in order.
    word_spans: Vec<(usize, usize)>,
}

thread_local! {
    /// The last paragraph the words tokenizer analysed on this thread.
    static LAST_ANALYSIS: RefCell<Option<Analysis>> = const { RefCell::new(None) };
}

/// Folds and segments `text`: its words for the index, and what the grams need.
fn analyse(seg: &Segmenter, text: &str) -> (Vec<Word>, Analysis) {
    let folded = Folded::new(text);
    let mut words = Vec::new();
    let mut word_spans = Vec::new();
    seg.index_words_of(text, &folded, |w, span| {
        word_spans.extend(span);
        words.push(w);
    });
    let analysis = Analysis {
        original: text.to_string(),
        folded: folded.text,
        word_spans,
    };
    (words, analysis)
}

pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl VecTokenStream {
    /// A stream of tokens already made (positions as given).
    pub fn new(tokens: Vec<Token>) -> VecTokenStream {
        VecTokenStream { tokens, next: 0 }
    }

    fn from_words(words: Vec<Word>) -> VecTokenStream {
        let tokens = words
            .into_iter()
            .filter(|w| w.text.len() <= MAX_TOKEN_BYTES)
            .enumerate()
            .map(|(position, w)| Token {
                offset_from: w.from,
                offset_to: w.to,
                position,
                text: w.text,
                position_length: 1,
            })
            .collect();
        VecTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for WordsTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let (words, analysis) = analyse(&self.0, text);
        LAST_ANALYSIS.with(|last| *last.borrow_mut() = Some(analysis));
        VecTokenStream::from_words(words)
    }
}

impl Tokenizer for GramsTokenizer {
    type TokenStream<'a> = GramsStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GramsStream {
        let analysis = LAST_ANALYSIS
            .with(|last| last.borrow_mut().take())
            .filter(|a| a.original == text)
            .unwrap_or_else(|| analyse(&self.0, text).1);
        let Analysis { folded, word_spans, .. } = analysis;
        let mut ranges = Vec::new();
        // Both come in text order: one walk finds the bigrams that are words.
        let mut words = word_spans.into_iter().peekable();
        gram_ranges(&folded, |s, e| {
            while words.next_if(|&(ws, _)| ws < s).is_some() {}
            if words.peek() == Some(&(s, e)) || e - s > MAX_TOKEN_BYTES {
                return;
            }
            ranges.push((s as u32, e as u32));
        });
        GramsStream {
            folded,
            ranges,
            next: 0,
            token: Token::default(),
        }
    }
}

/// Bigrams written into one reused token: indexing a paragraph allocates once, not once per
/// character (the grams field is the larger of the two). Offsets are into the folded text:
/// the field keeps no positions or offsets, and highlights are computed from the stored text.
pub struct GramsStream {
    folded: String,
    ranges: Vec<(u32, u32)>,
    next: usize,
    token: Token,
}

impl TokenStream for GramsStream {
    fn advance(&mut self) -> bool {
        let Some(&(s, e)) = self.ranges.get(self.next) else {
            return false;
        };
        self.token.position = self.next;
        self.token.offset_from = s as usize;
        self.token.offset_to = e as usize;
        self.token.text.clear();
        self.token.text.push_str(&self.folded[s as usize..e as usize]);
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::NameList;

    fn texts(stream: &mut dyn TokenStream) -> Vec<String> {
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    fn tokenizers() -> (WordsTokenizer, GramsTokenizer) {
        let seg = Arc::new(Segmenter::new(&NameList::default()));
        (WordsTokenizer(seg.clone()), GramsTokenizer(seg))
    }

    /// Mixed scripts, widths, stems, digits, joined names and a lone character.
    const TEXTS: &[&str] = &[
        "“牛油果”推遲發布，Meta的發布會上宣布了新模型",
        "副总裁RubenMayer,仅在Meta待了两个月 agreed agrees",
        "ＡＩ工程師於2025年10月22日離職；豆",
        "The company announced layoffs at its AI lab on Wednesday.",
    ];

    #[test]
    fn grams_stream_in_order_with_ordinal_positions() {
        let (_, mut grams) = tokenizers();
        let mut stream = grams.token_stream(TEXTS[0]);
        let mut position = 0;
        while let Some(tok) = stream.next() {
            assert_eq!(tok.position, position);
            position += 1;
        }
        assert!(position > 0);
        let (mut words, _) = tokenizers();
        let long = "x".repeat(500);
        let mut stream = words.token_stream(&long);
        assert!(stream.next().is_none(), "overlong tokens are dropped");
    }

    #[test]
    fn every_bigram_is_in_one_of_the_two_views_and_words_are_not_repeated_as_grams() {
        let (mut words, mut grams) = tokenizers();
        let mut left_out = 0;
        for text in TEXTS {
            let w = texts(&mut words.token_stream(text));
            let g = texts(&mut grams.token_stream(text));
            let all = crate::text::segment::gram_strings(text);
            for gram in &all {
                assert!(
                    g.contains(gram) || w.contains(gram),
                    "{gram} of {text} is in neither view"
                );
            }
            left_out += all.len() - g.len();
        }
        assert!(left_out > 0, "no bigram was found as a word");
    }

    #[test]
    fn the_grams_of_a_text_do_not_depend_on_what_was_analysed_before() {
        let (mut words, mut grams) = tokenizers();
        for text in TEXTS {
            // Alone (nothing left by the words tokenizer on a fresh thread).
            let alone = std::thread::scope(|s| {
                let mut g = grams.clone();
                s.spawn(move || texts(&mut g.token_stream(text))).join().unwrap()
            });
            texts(&mut words.token_stream(text));
            let after_its_words = texts(&mut grams.token_stream(text));
            texts(&mut words.token_stream("另一段完全不同的文字 other words"));
            let after_other_words = texts(&mut grams.token_stream(text));
            assert_eq!(alone, after_its_words, "{text}");
            assert_eq!(alone, after_other_words, "{text}");
        }
    }
}
