//! Citation cards: what an answer needs to say where a quote comes from.
//!
//! A document's card record holds its metadata (title, outlet, author, link, date, paragraph
//! count, references). Paragraph and event records carry the citation part of it too, so an
//! answer cites from the records it has already read instead of looking each document's card
//! up — a query and a store read per cited document (profiled: a sixth of a `/who` citing
//! sixty poems). Cards read either way are kept per searcher generation; a card from an
//! older generation is read again.

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

/// A card in memory: the generation it was read in, and whether it is the whole card (with
/// the references) or its citation part as a paragraph or event record carries it.
pub(super) struct Cached {
    generation: u64,
    whole: bool,
    card: Option<Card>,
}

impl SearchIndex {
    /// The whole card of document `doc` (with its references).
    pub fn card(&self, doc: &str) -> Result<Option<Card>> {
        self.cached_card(doc, true)
    }

    /// What a citation of document `doc` needs (its card without the references), most often
    /// already in memory from the record an answer quotes.
    pub fn citation_card(&self, doc: &str) -> Result<Option<Card>> {
        self.cached_card(doc, false)
    }

    fn cached_card(&self, doc: &str, whole: bool) -> Result<Option<Card>> {
        let searcher = self.searcher();
        let generation = searcher.generation().generation_id();
        if let Some(c) = self.cards.get(doc) {
            if c.generation == generation && (c.whole || !whole) {
                return Ok(c.card.clone());
            }
        }
        let card = self.read_card(&searcher, doc)?;
        self.keep(doc, generation, true, card.clone());
        Ok(card)
    }

    /// Keeps the citation part of a record just read (a paragraph or an event).
    pub(super) fn remember_citation(&self, searcher: &tantivy::Searcher, doc: &str, record: &TantivyDocument) {
        let generation = searcher.generation().generation_id();
        if self.cards.get(doc).is_some_and(|c| c.generation == generation) {
            return;
        }
        if let Some(card) = card_of(record, self.fields, doc, false) {
            self.keep(doc, generation, false, Some(card));
        }
    }

    fn keep(&self, doc: &str, generation: u64, whole: bool, card: Option<Card>) {
        if self.cards.len() >= CARDS_KEPT {
            self.cards.clear();
        }
        self.cards.insert(
            doc.to_string(),
            Cached {
                generation,
                whole,
                card,
            },
        );
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
        Ok(card_of(&d, f, doc, true))
    }
}

/// The card fields of a stored record; `None` when it has none (an index built before
/// records carried them).
fn card_of(d: &TantivyDocument, f: Fields, doc: &str, whole: bool) -> Option<Card> {
    let title = str_field(d, f.title)?;
    let references = if whole {
        d.get_all(f.references)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    } else {
        Vec::new()
    };
    Some(Card {
        id: doc.to_string(),
        meta: DocMeta {
            title,
            source: str_field(d, f.source),
            author: str_field(d, f.author),
            url: str_field(d, f.url),
            published: str_field(d, f.published).and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
            references,
        },
        paragraphs: d.get_first(f.paragraphs).and_then(|v| v.as_u64()).unwrap_or(0),
    })
}
