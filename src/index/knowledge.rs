//! Knowledge kept in the index: the entity registry built from every document card, and the
//! event records read back for timelines.

use std::collections::HashSet;
use std::ops::Bound;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use tantivy::collector::{Count, DocSetCollector, FilterCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Order, TantivyDocument, Term};

use super::schema::{KIND_DOCUMENT, KIND_EVENT};
use super::SearchIndex;
use crate::knowledge::{DocNames, Registry};
use crate::rules::Rules;

pub const REGISTRY_FILE: &str = "dossier-entities.json";

/// Paragraph numbers are SipHash outputs already (`schema::paragraph_number`): a set of them
/// needs no second hash, and the timeline filter looks one up per event.
#[derive(Default, Clone, Copy)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type ParagraphSet = HashSet<u64, std::hash::BuildHasherDefault<Prehashed>>;

/// A dated event read from the index.
#[derive(Debug, Clone)]
pub struct EventHit {
    pub doc: String,
    pub para: u64,
    pub text: String,
    pub date: String,
    pub key: u64,
    pub note: Option<String>,
}

impl SearchIndex {
    pub fn registry_path(&self) -> PathBuf {
        self.dir().join(REGISTRY_FILE)
    }

    /// Merges the names of every document card with the curated names, and counts how many
    /// paragraphs mention each entity.
    pub fn build_registry(&self, rules: &Rules) -> Result<Registry> {
        crate::knowledge::timed_names(|| self.build_registry_untimed(rules))
    }

    fn build_registry_untimed(&self, rules: &Rules) -> Result<Registry> {
        let searcher = self.searcher();
        let f = self.fields;
        let cards = TermQuery::new(Term::from_field_text(f.kind, KIND_DOCUMENT), IndexRecordOption::Basic);
        let mut docs: Vec<(String, DocNames)> = Vec::new();
        for addr in searcher.search(&cards, &DocSetCollector)? {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(json) = d.get_first(f.names).and_then(|v| v.as_str().map(str::to_string)) {
                match serde_json::from_str(&json) {
                    Ok(names) => {
                        let id = d.get_first(f.doc).and_then(|v| v.as_str()).unwrap_or_default();
                        docs.push((id.to_string(), names));
                    }
                    Err(err) => tracing::warn!("unreadable names on a document card: {err}"),
                }
            }
        }
        // In document order, not the order tantivy's writer threads stored the cards in: the
        // first spelling seen of a name is the one shown (of a Traditional and a Simplified
        // form, say), and it must not change from one build of the same corpus to the next.
        docs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let docs: Vec<DocNames> = docs.into_iter().map(|(_, names)| names).collect();
        let registry = Registry::build(&rules.names, &docs);
        let count = |alternatives: &[String]| -> Result<u64> {
            Ok(match self.alternatives_query(alternatives) {
                Some(q) => searcher.search(&q, &Count)? as u64,
                None => 0,
            })
        };
        let mut totals = Vec::with_capacity(registry.entities().len());
        let mut per_key = Vec::with_capacity(registry.entities().len());
        for e in registry.entities() {
            totals.push(count(&e.keys)?);
            per_key.push(
                e.keys
                    .iter()
                    .map(|k| count(std::slice::from_ref(k)))
                    .collect::<Result<Vec<_>>>()?,
            );
        }
        Ok(registry.set_mentions(&totals, &per_key))
    }

    /// Ids of the documents published between two `YYYYMMDD` keys (inclusive).
    pub fn published_between(&self, from: u64, to: u64) -> Result<Vec<String>> {
        let f = self.fields;
        let q = RangeQuery::new(
            Bound::Included(Term::from_field_u64(f.published_key, from)),
            Bound::Included(Term::from_field_u64(f.published_key, to)),
        );
        let searcher = self.searcher();
        let mut ids = Vec::new();
        for addr in searcher.search(&q, &DocSetCollector)? {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = d.get_first(f.doc).and_then(|v| v.as_str().map(str::to_string)) {
                ids.push(id);
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Every paragraph of a document, in order (the headline as 0).
    pub fn paragraphs_of(&self, doc: &str) -> Result<Vec<(u64, String)>> {
        let f = self.fields;
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.doc, doc),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.kind, super::schema::KIND_PARAGRAPH),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let searcher = self.searcher();
        let mut out = Vec::new();
        for addr in searcher.search(&q, &DocSetCollector)? {
            let d: TantivyDocument = searcher.doc(addr)?;
            let para = d.get_first(f.para).and_then(|v| v.as_u64()).unwrap_or(0);
            let text = d
                .get_first(f.text)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            out.push((para, text));
        }
        out.sort();
        Ok(out)
    }

    /// Numbers (`paragraph_number`) of the paragraphs `find` finds, read from the fast
    /// field as matches are found: no scores and no stored text (a timeline needs the set,
    /// not an order). At most `limit`, in index order.
    pub fn paragraph_numbers(&self, find: &super::Find, limit: usize) -> Result<Vec<u64>> {
        match self.query_of(find) {
            Some(query) => Ok(self.searcher().search(&query, &ParagraphNumbers { limit })?),
            None => Ok(Vec::new()),
        }
    }

    /// Events in date order: of the given paragraphs only (`paragraph_number`s) when given,
    /// within `[from, to]` date keys when given; at most `limit`, read from the store only
    /// when asked for ([`Events::read`]).
    pub fn events(&self, paragraphs: Option<Vec<u64>>, range: Option<(u64, u64)>, limit: usize) -> Result<Events<'_>> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, KIND_EVENT),
                IndexRecordOption::Basic,
            )),
        )];
        // The paragraphs' events are kept by a check of each event's paragraph number on the
        // fast field as events are collected. (A term set query of the numbers builds an FST
        // and streams the term dictionary per query: profiled at 40% of a topic timeline,
        // more than this scan of the events even with a few hundred numbers.)
        let mut wanted: Option<Arc<ParagraphSet>> = None;
        if let Some(keys) = paragraphs {
            if keys.is_empty() {
                return Ok(Events {
                    index: self,
                    searcher: self.searcher(),
                    top: Vec::new(),
                    matching: 0,
                });
            }
            wanted = Some(Arc::new(keys.into_iter().collect()));
        }
        if let Some((lo, hi)) = range {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(f.date_key, lo)),
                    Bound::Included(Term::from_field_u64(f.date_key, hi)),
                )),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.searcher();
        let by_date = TopDocs::with_limit(limit.max(1)).order_by_u64_field("date_key", Order::Asc);
        let (top, total) = match wanted {
            None => searcher.search(&query, &(by_date, Count))?,
            Some(wanted) => {
                let of_wanted = move |para: u64| wanted.contains(&para);
                searcher.search(
                    &query,
                    &FilterCollector::new("para_num".into(), of_wanted, (by_date, Count)),
                )?
            }
        };
        Ok(Events {
            index: self,
            searcher,
            top: top.into_iter().map(|(key, addr)| (key.unwrap_or(0), addr)).collect(),
            matching: total,
        })
    }
}

/// Events found by [`SearchIndex::events`], oldest first, each read on demand: a timeline
/// stops reading once it has its lines.
pub struct Events<'a> {
    index: &'a SearchIndex,
    searcher: tantivy::Searcher,
    top: Vec<(u64, tantivy::DocAddress)>,
    /// How many events matched (more than `len()` when the limit cut them).
    pub matching: usize,
}

impl Events<'_> {
    pub fn len(&self) -> usize {
        self.top.len()
    }

    pub fn is_empty(&self) -> bool {
        self.top.is_empty()
    }

    /// The sortable date key of event `i`.
    pub fn key(&self, i: usize) -> u64 {
        self.top[i].0
    }

    pub fn read(&self, i: usize) -> Result<EventHit> {
        let (key, addr) = self.top[i];
        let f = self.index.fields;
        let d: TantivyDocument = self.searcher.doc(addr)?;
        let s = |field| d.get_first(field).and_then(|v| v.as_str().map(str::to_string));
        let doc = s(f.doc).unwrap_or_default();
        self.index.remember_citation(&self.searcher, &doc, &d);
        Ok(EventHit {
            doc,
            para: d.get_first(f.para).and_then(|v| v.as_u64()).unwrap_or(0),
            text: s(f.text).unwrap_or_default(),
            date: s(f.date).unwrap_or_default(),
            key,
            note: s(f.note),
        })
    }
}

/// Collects the `para_num` fast-field values of matching records, unscored.
struct ParagraphNumbers {
    limit: usize,
}

struct SegmentParagraphNumbers {
    column: Option<tantivy::columnar::Column<u64>>,
    limit: usize,
    out: Vec<u64>,
}

impl tantivy::collector::Collector for ParagraphNumbers {
    type Fruit = Vec<u64>;
    type Child = SegmentParagraphNumbers;

    fn for_segment(&self, _: u32, segment: &tantivy::SegmentReader) -> tantivy::Result<SegmentParagraphNumbers> {
        Ok(SegmentParagraphNumbers {
            column: segment.fast_fields().u64("para_num").ok(),
            limit: self.limit,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u64>>) -> tantivy::Result<Vec<u64>> {
        let mut all: Vec<u64> = fruits.into_iter().flatten().collect();
        all.truncate(self.limit);
        Ok(all)
    }
}

impl tantivy::collector::SegmentCollector for SegmentParagraphNumbers {
    type Fruit = Vec<u64>;

    fn collect(&mut self, doc: tantivy::DocId, _: tantivy::Score) {
        if self.out.len() < self.limit {
            if let Some(n) = self.column.as_ref().and_then(|c| c.first(doc)) {
                self.out.push(n);
            }
        }
    }

    fn harvest(self) -> Vec<u64> {
        self.out
    }
}
