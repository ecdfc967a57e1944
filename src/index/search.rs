//! Reading the index: retrieval queries built from folded words, paragraphs and cards.
//!
//! Queries are built here from terms rather than through tantivy's `QueryParser`, which
//! turns unspaced Chinese into one exact phrase and misses. Each alternative spelling of a
//! query word matches as jieba words (all must occur) or as its bigrams (all must occur),
//! whichever scores higher; ranking then checks the exact substring on the text.

use anyhow::Result;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::{Find, SearchIndex};
use crate::text::segment::gram_strings;
use crate::text::Segmenter;

/// A retrieved paragraph.
#[derive(Debug, Clone)]
pub struct Hit {
    pub doc: String,
    pub para: u64,
    pub text: String,
    pub score: f32,
}

/// Matches in score order; [`Ranked::hit`] reads one from the store.
pub struct Ranked<'a> {
    index: &'a SearchIndex,
    searcher: tantivy::Searcher,
    top: Vec<(f32, tantivy::DocAddress)>,
}

impl Ranked<'_> {
    pub fn len(&self) -> usize {
        self.top.len()
    }

    pub fn is_empty(&self) -> bool {
        self.top.is_empty()
    }

    /// The BM25 score of match `i`.
    pub fn score(&self, i: usize) -> f32 {
        self.top[i].0
    }

    pub fn hit(&self, i: usize) -> Result<Hit> {
        let (score, addr) = self.top[i];
        let d: TantivyDocument = self.searcher.doc(addr)?;
        let f = self.index.fields;
        let doc = str_field(&d, f.doc).unwrap_or_default();
        self.index.remember_citation(&self.searcher, &doc, &d);
        Ok(Hit {
            doc,
            para: d.get_first(f.para).and_then(|v| v.as_u64()).unwrap_or(0),
            text: str_field(&d, f.text).unwrap_or_default(),
            score,
        })
    }
}

pub use super::cards::Card;

/// Grams of a phrase score a little under words, which jieba chose as units of meaning.
const GRAMS_BOOST: f32 = 0.7;

impl SearchIndex {
    /// A query matching any of `alternatives` (folded strings), scored by the best one.
    pub(super) fn alternatives_query(&self, alternatives: &[String]) -> Option<Box<dyn Query>> {
        self.views_query(&self.segmenter, alternatives, true)
    }

    /// Like [`Self::alternatives_query`] with the jieba-words view only (the bigram view
    /// when there are no words): for concepts that only add to a score, where one cheap
    /// scorer beats a union of two views.
    pub(super) fn words_query(&self, alternatives: &[String]) -> Option<Box<dyn Query>> {
        self.views_query(&self.segmenter, alternatives, false)
    }

    fn views_query(&self, segmenter: &Segmenter, alternatives: &[String], grams_too: bool) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let mut per_alt: Vec<Box<dyn Query>> = Vec::new();
        for alt in alternatives {
            let mut words: Vec<String> = Vec::new();
            segmenter.index_words(alt, |w| {
                if !words.contains(&w.text) {
                    words.push(w.text)
                }
            });
            // Search mode also yields sub-words; the longest words carry the meaning.
            let words = whole_words(words);
            let mut views: Vec<Box<dyn Query>> = Vec::new();
            if !words.is_empty() {
                let terms: Vec<(Occur, Box<dyn Query>)> = words
                    .iter()
                    .map(|w| (Occur::Must, term_query(Term::from_field_text(f.words, w))))
                    .collect();
                views.push(if terms.len() == 1 {
                    terms.into_iter().next().unwrap().1
                } else {
                    Box::new(BooleanQuery::new(terms))
                });
            }
            let grams = gram_strings(alt);
            let grams_query: Option<Box<dyn Query>> = match grams.len() {
                0 => None,
                1 => Some(term_query(Term::from_field_text(f.grams, &grams[0]))),
                // Every bigram present; that they are adjacent is checked on the text when
                // candidates are ranked, so the index needs no positions.
                _ => Some(Box::new(BooleanQuery::new(
                    dedup_grams(&grams)
                        .into_iter()
                        .map(|g| (Occur::Must, term_query(Term::from_field_text(f.grams, g))))
                        .collect(),
                ))),
            };
            if let Some(q) = grams_query.filter(|_| grams_too || views.is_empty()) {
                views.push(Box::new(BoostQuery::new(q, GRAMS_BOOST)));
            }
            match views.len() {
                0 => {}
                1 => per_alt.extend(views),
                _ => per_alt.push(Box::new(DisjunctionMaxQuery::new(views))),
            }
        }
        match per_alt.len() {
            0 => None,
            1 => per_alt.pop(),
            _ => Some(Box::new(DisjunctionMaxQuery::new(per_alt))),
        }
    }

    /// Matches the headline records (paragraph 0) of documents.
    pub(super) fn headline_query(&self) -> Box<dyn Query> {
        let f = self.fields;
        Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                term_query(Term::from_field_text(f.kind, super::schema::KIND_PARAGRAPH)),
            ),
            (Occur::Must, term_query(Term::from_field_u64(f.para, 0))),
        ]))
    }

    /// Matches the paragraphs of document `doc` that `query` matches (its headline included).
    pub(super) fn within_document(&self, doc: &str, query: Box<dyn Query>) -> Box<dyn Query> {
        let f = self.fields;
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, term_query(Term::from_field_text(f.doc, doc))),
            (
                Occur::Must,
                term_query(Term::from_field_text(f.kind, super::schema::KIND_PARAGRAPH)),
            ),
            (Occur::Must, query),
        ]))
    }

    /// The best `limit` paragraphs `find` finds (none when nothing in it can be searched).
    pub fn search(&self, find: &Find, limit: usize) -> Result<Vec<Hit>> {
        let ranked = self.ranked(find, limit)?;
        (0..ranked.len()).map(|i| ranked.hit(i)).collect()
    }

    /// The best `limit` matches by score, their text not yet read: reading a stored paragraph
    /// is the main cost of a query, so callers read only as many as they need.
    pub fn ranked(&self, find: &Find, limit: usize) -> Result<Ranked<'_>> {
        let searcher = self.searcher();
        let top = match self.query_of(find) {
            Some(query) => searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?,
            None => Vec::new(),
        };
        Ok(Ranked {
            index: self,
            searcher,
            top,
        })
    }

    fn search_query(&self, query: &dyn Query, limit: usize) -> Result<Vec<Hit>> {
        let searcher = self.searcher();
        let top = searcher.search(query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let ranked = Ranked {
            index: self,
            searcher,
            top,
        };
        (0..ranked.len()).map(|i| ranked.hit(i)).collect()
    }

    /// Paragraph `n` of document `doc` (0 is the headline).
    pub fn paragraph(&self, doc: &str, n: u64) -> Result<Option<String>> {
        let f = self.fields;
        let q = BooleanQuery::new(vec![
            (Occur::Must, term_query(Term::from_field_text(f.doc, doc))),
            (Occur::Must, term_query(Term::from_field_u64(f.para, n))),
        ]);
        Ok(self.search_query(&q, 1)?.into_iter().next().map(|h| h.text))
    }

    /// Document ids starting with `prefix`, sorted, at most `limit` (ids of documents deleted
    /// since the last merge are filtered out by the caller's card lookup).
    pub fn doc_ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>> {
        let searcher = self.searcher();
        let mut ids = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.doc)?;
            let mut stream = inverted.terms().range().ge(prefix.as_bytes()).into_stream()?;
            let mut taken = 0;
            while stream.advance() && taken < limit {
                let key = stream.key();
                if !key.starts_with(prefix.as_bytes()) {
                    break;
                }
                ids.insert(String::from_utf8_lossy(key).into_owned());
                taken += 1;
            }
        }
        Ok(ids.into_iter().take(limit).collect())
    }

    /// How many paragraphs contain the jieba word `word` (folded).
    pub fn word_doc_freq(&self, word: &str) -> u64 {
        self.searcher()
            .doc_freq(&Term::from_field_text(self.fields.words, word))
            .unwrap_or(0)
    }

    /// How many paragraphs contain an alternative spelling (folded) as indexed words: its
    /// stem for an English word, the rarest of its words for a phrase (an upper bound of the
    /// phrase's own count); its rarest bigram when it has no indexed word at all.
    pub fn alternative_doc_freq(&self, segmenter: &Segmenter, alt: &str) -> u64 {
        let mut words: Vec<String> = Vec::new();
        segmenter.index_words(alt, |w| words.push(w.text));
        let by_words = whole_words(words)
            .iter()
            .map(|w| self.word_doc_freq(w))
            .min()
            .unwrap_or(0);
        if by_words > 0 {
            return by_words;
        }
        gram_strings(alt)
            .iter()
            .map(|g| self.gram_doc_freq(g))
            .min()
            .unwrap_or(0)
    }

    /// How many paragraphs contain the bigram `gram`.
    pub fn gram_doc_freq(&self, gram: &str) -> u64 {
        self.searcher()
            .doc_freq(&Term::from_field_text(self.fields.grams, gram))
            .unwrap_or(0)
    }

    /// Number of records in the index (paragraphs and cards), the N of idf.
    pub fn num_records(&self) -> u64 {
        self.searcher().num_docs()
    }
}

fn dedup_grams(grams: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for g in grams {
        if !out.contains(&g.as_str()) {
            out.push(g);
        }
    }
    out
}

pub(super) fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

pub(super) fn str_field(d: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    d.get_first(field).and_then(|v| v.as_str().map(str::to_string))
}

/// Drops words that are contained in another word of the list (search-mode sub-words).
fn whole_words(words: Vec<String>) -> Vec<String> {
    words
        .iter()
        .filter(|w: &&String| {
            !words
                .iter()
                .any(|o: &String| o.len() > w.len() && o.contains(String::as_str(w)))
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::whole_words;

    #[test]
    fn keeps_only_whole_words() {
        let got = whole_words(vec!["美元".into(), "亿美元".into(), "143".into()]);
        assert_eq!(got, vec!["亿美元".to_string(), "143".to_string()]);
    }
}
