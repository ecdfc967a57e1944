//! The two tantivy tokenizers over paragraph text: jieba words and character bigrams.
//!
//! Both fold the text first (script, width, case); words report offsets into the original
//! text. Case is folded here rather than by tantivy's `LowerCaser`, which takes its slow path
//! for every CJK token. Positions are ordinals, which is what phrase queries expect (jieba's
//! own positions are character offsets).

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::text::fold;
use crate::text::segment::{gram_ranges, Segmenter};
use crate::text::Word;

pub const WORDS: &str = "dossier_words";
pub const GRAMS: &str = "dossier_grams";

/// Longer tokens are noise (base64 blobs, unspaced junk) and tantivy caps term length.
const MAX_TOKEN_BYTES: usize = 120;

#[derive(Clone)]
pub struct WordsTokenizer(pub Arc<Segmenter>);

#[derive(Clone)]
pub struct GramsTokenizer;

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
        let mut words = Vec::new();
        self.0.index_words(text, |w| words.push(w));
        VecTokenStream::from_words(words)
    }
}

impl Tokenizer for GramsTokenizer {
    type TokenStream<'a> = GramsStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GramsStream {
        let folded = fold(text);
        let mut ranges = Vec::new();
        gram_ranges(&folded, |s, e| {
            if e - s <= MAX_TOKEN_BYTES {
                ranges.push((s as u32, e as u32));
            }
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

    #[test]
    fn streams_every_token_once_with_ordinal_positions() {
        let mut t = GramsTokenizer;
        let mut stream = t.token_stream("牛油果 AI");
        let mut seen = Vec::new();
        while let Some(tok) = stream.next() {
            seen.push((tok.text.clone(), tok.position));
        }
        assert_eq!(seen, vec![("牛油".into(), 0), ("油果".into(), 1), ("ai".into(), 2)]);
        let mut w = WordsTokenizer(Arc::new(Segmenter::new(&NameList::default())));
        let long = "x".repeat(500);
        let mut stream = w.token_stream(&long);
        assert!(stream.next().is_none(), "overlong tokens are dropped");
    }
}
