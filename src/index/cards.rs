//! Citation cards: what an answer needs to say where a quote comes from.
//!
//! A document's card record holds its metadata (title, outlet, author, link, date, paragraph
//! count, references), once per document: the paragraph and event records an answer quotes
//! carry only their document's id (the citation fields on every paragraph were a fifth of
//! the stored text, more on short poems). Cards are read by id and kept per searcher
//! generation, so an answer citing a document again, or the next answer citing it, reads
//! nothing; a card from an older generation is read again.

use anyhow::Result;
use chrono::NaiveDate;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur};
use tantivy::schema::Value;
use tantivy::{TantivyDocument, Term};

use super::schema::KIND_DOCUMENT;
use super::search::{str_field, term_query};
use super::{Fields, SearchIndex};
use crate::corpus::DocMeta;

/// A document's citation card.
#[derive(Debug, Clone)]
pub struct Card {
    pub id: String,
    pub meta: DocMeta,
    pub paragraphs: u64,
}

/// Cards kept in memory at most (a few hundred bytes each).
const CARDS_KEPT: usize = 50_000;

/// A card in memory and the searcher generation it was read in.
pub(super) struct Cached {
    generation: u64,
    card: Option<Card>,
}

impl SearchIndex {
    /// The card of document `doc`: its citation fields and references.
    pub fn card(&self, doc: &str) -> Result<Option<Card>> {
        let searcher = self.searcher();
        let generation = searcher.generation().generation_id();
        if let Some(c) = self.cards.get(doc) {
            if c.generation == generation {
                return Ok(c.card.clone());
            }
        }
        let card = self.read_card(&searcher, doc)?;
        if self.cards.len() >= CARDS_KEPT {
            self.cards.clear();
        }
        self.cards.insert(
            doc.to_string(),
            Cached {
                generation,
                card: card.clone(),
            },
        );
        Ok(card)
    }

    fn read_card(&self, searcher: &tantivy::Searcher, doc: &str) -> Result<Option<Card>> {
        let f = self.fields;
        let q = BooleanQuery::new(vec![
            (Occur::Must, term_query(Term::from_field_text(f.doc, doc))),
            (Occur::Must, term_query(Term::from_field_text(f.kind, KIND_DOCUMENT))),
        ]);
        let Some((_, addr)) = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let d: TantivyDocument = searcher.doc(addr)?;
        Ok(card_of(&d, f, doc))
    }
}

/// The card fields of a stored card record.
fn card_of(d: &TantivyDocument, f: Fields, doc: &str) -> Option<Card> {
    let title = str_field(d, f.title)?;
    Some(Card {
        id: doc.to_string(),
        meta: DocMeta {
            title,
            source: str_field(d, f.source),
            author: str_field(d, f.author),
            url: str_field(d, f.url),
            published: str_field(d, f.published).and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
            references: d
                .get_all(f.references)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        },
        paragraphs: d.get_first(f.paragraphs).and_then(|v| v.as_u64()).unwrap_or(0),
    })
}
