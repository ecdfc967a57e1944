//! What answers ask the index for, in Dossier's terms: concepts (each a set of alternative
//! spellings, already folded) combined as any, all, or "at least one of the rare ones", in
//! headlines or in one document. The index turns a [`Find`] into its engine's queries, so
//! `answer/` plans searches without knowing tantivy, and another retriever could sit here.

use tantivy::query::{BooleanQuery, Occur, Query};

use super::SearchIndex;

/// One concept: its alternative spellings (folded), any of which counts.
pub type Concept = Vec<String>;

#[derive(Debug, Clone, PartialEq)]
pub enum Find {
    /// Paragraphs with any of the concepts, scored by all they hold.
    Any(Vec<Concept>),
    /// Paragraphs with every concept.
    All(Vec<Concept>),
    /// Paragraphs with at least one `required` concept; the `scoring` ones only add to the
    /// score of what those find (their posting lists are never walked whole). When no
    /// required concept can be searched, any concept may find a paragraph.
    Floor {
        required: Vec<Concept>,
        scoring: Vec<Concept>,
    },
    /// Documents' headlines (paragraph 0) that the inner search finds.
    Headlines(Box<Find>),
    /// The paragraphs of one document that the inner search finds (its headline included).
    InDocument(String, Box<Find>),
}

impl SearchIndex {
    /// The engine's query for `find`; `None` when none of its concepts can be searched (no
    /// spelling holds a word or a character the index knows).
    pub(super) fn query_of(&self, find: &Find) -> Option<Box<dyn Query>> {
        match find {
            Find::Any(concepts) => self.combine(concepts, Occur::Should),
            Find::All(concepts) => self.combine(concepts, Occur::Must),
            Find::Floor { required, scoring } => {
                let Some(required_query) = self.combine(required, Occur::Should) else {
                    let all: Vec<Concept> = required.iter().chain(scoring).cloned().collect();
                    return self.combine(&all, Occur::Should);
                };
                let scorers: Vec<(Occur, Box<dyn Query>)> = scoring
                    .iter()
                    .filter_map(|c| self.words_query(c))
                    .map(|q| (Occur::Should, q))
                    .collect();
                if scorers.is_empty() {
                    return Some(required_query);
                }
                let mut clauses = vec![(Occur::Must, required_query)];
                clauses.extend(scorers);
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Find::Headlines(inner) => {
                let inner = self.query_of(inner)?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, inner),
                    (Occur::Must, self.headline_query()),
                ])))
            }
            Find::InDocument(doc, inner) => Some(self.within_document(doc, self.query_of(inner)?)),
        }
    }

    /// One clause per searchable concept.
    fn combine(&self, concepts: &[Concept], occur: Occur) -> Option<Box<dyn Query>> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = concepts
            .iter()
            .filter_map(|c| self.alternatives_query(c))
            .map(|q| (occur, q))
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }
}
