//! The weekly digest: what the documents of a period say, every line cited.
//!
//! A period's documents are those published in it (or, without a publication date, first
//! ingested in it). The digest lists them, the dated events that fall in the period, the
//! people the new documents mention most, and an extractive summary: the sentences closest
//! to the centroid of the period's text (TF-IDF over folded jieba words), quoted verbatim. A
//! topic narrows every part to the paragraphs about it.

pub mod schedule;
mod summary;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Result;
use chrono::{NaiveDate, Utc};
use serde::Serialize;

use crate::answer::question::analyze;
use crate::answer::rank::{self, Mode};
use crate::answer::summary::{Counted, Summary};
use crate::answer::{Answer, Citation, Ctx, Item};
use crate::command::{Command, Request};
use crate::engine::Engine;
use crate::knowledge::dates::PartialDate;
use crate::text::EntityKind;

/// Lines per part, at most.
const EVENTS: usize = 10;
const PEOPLE: usize = 5;
const SUMMARY: usize = 4;
const DOCUMENTS: usize = 15;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Digest {
    pub since: NaiveDate,
    pub until: NaiveDate,
    pub topic: Option<String>,
    /// The period's documents, each cited by its headline.
    pub documents: Vec<Citation>,
    pub events: Vec<Item>,
    /// People the period's documents mention most, with paragraph counts.
    pub people: Vec<(String, usize)>,
    pub summary: Vec<Item>,
    /// How many more documents and events there were than listed.
    pub more_documents: usize,
    pub more_events: usize,
}

impl Digest {
    /// Nothing new and nothing dated: a one-line post.
    pub fn is_quiet(&self) -> bool {
        self.documents.is_empty() && self.events.is_empty()
    }

    /// The digest as an answer: its summary, then the dated events and the summary's
    /// sentences as cited items.
    pub fn to_answer(&self) -> Answer {
        let mut items = self.events.clone();
        items.extend(self.summary.iter().cloned());
        Answer {
            summary: Summary::Digest {
                since: self.since,
                until: self.until,
                topic: self.topic.clone(),
                documents: self.documents.clone(),
                new_documents: self.documents.len() + self.more_documents,
                people: self
                    .people
                    .iter()
                    .map(|(name, count)| Counted {
                        name: name.clone(),
                        count: *count,
                    })
                    .collect(),
                events: self.events.len() + self.more_events,
                events_listed: self.events.len(),
            },
            items: if self.is_quiet() { vec![] } else { items },
        }
    }
}

/// Anything that can compute digests (the engine; test doubles).
pub trait DigestSource: Send + Sync + 'static {
    fn digest(&self, since: NaiveDate, until: NaiveDate, topic: Option<&str>) -> Result<Digest>;
}

impl DigestSource for Engine {
    fn digest(&self, since: NaiveDate, until: NaiveDate, topic: Option<&str>) -> Result<Digest> {
        Engine::digest(self, since, until, topic)
    }
}

impl Engine {
    /// The digest of `[since, until]` (whole days), optionally about `topic`.
    pub fn digest(&self, since: NaiveDate, until: NaiveDate, topic: Option<&str>) -> Result<Digest> {
        let ctx = self.context();
        let topic = topic.map(str::trim).filter(|t| !t.is_empty());
        // Paragraphs about the topic, by document.
        let about: Option<BTreeMap<String, BTreeSet<u64>>> = match topic {
            None => None,
            Some(t) => {
                let plan = analyze(t, false, ctx.seg, &ctx.rules.query, &ctx.registry);
                let mut map: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
                for p in rank::passages(&ctx, &plan, Mode::Topic, 2000)? {
                    map.entry(p.doc).or_default().insert(p.para);
                }
                Some(map)
            }
        };

        let mut ids: BTreeSet<String> = self
            .index()
            .published_between(PartialDate::day(since).key(), PartialDate::day(until).key())?
            .into_iter()
            .collect();
        if let Some(store) = self.store() {
            for (id, at) in store.ingested()? {
                let day = at.with_timezone(&Utc).date_naive();
                if (since..=until).contains(&day) {
                    if let Some(card) = self.card(&id)? {
                        if card.meta.published.is_none() {
                            ids.insert(id);
                        }
                    }
                }
            }
        }
        if let Some(about) = &about {
            ids.retain(|id| about.contains_key(id));
        }

        let mut documents = Vec::new();
        let mut texts: Vec<(String, u64, String)> = Vec::new();
        for id in &ids {
            let Some(card) = self.card(id)? else { continue };
            documents.push(Citation::new(&card, 0));
            for (para, text) in self.index().paragraphs_of(id)? {
                let keep = match &about {
                    Some(a) => a.get(id).is_some_and(|ps| ps.contains(&para)),
                    None => para > 0,
                };
                if keep {
                    texts.push((id.clone(), para, text));
                }
            }
        }
        documents.sort_by(|a, b| b.published.cmp(&a.published).then(a.doc.cmp(&b.doc)));
        let more_documents = documents.len().saturating_sub(DOCUMENTS);
        documents.truncate(DOCUMENTS);

        let timeline = Request {
            command: Command::Timeline,
            query: topic.unwrap_or_default().to_string(),
            from: Some(since.to_string()),
            to: Some(until.to_string()),
        };
        let mut events = match crate::answer::timeline::answer(&ctx, &timeline)? {
            Ok(a) => a.items,
            Err(e) => anyhow::bail!("digest timeline: {e}"),
        };
        // An event falls in the period only when its date is as precise as the period is
        // short: "2026年…" does not fall in a week, nor "3月中旬" in a given week of March.
        let days = (until - since).num_days() + 1;
        let precise_enough = |d: &str| match d.len() {
            10 => true,
            7 => days >= 28,
            _ => days >= 365,
        };
        events.retain(|i| i.date.as_deref().is_some_and(precise_enough));
        let more_events = events.len().saturating_sub(EVENTS);
        events.truncate(EVENTS);

        let people = people(&ctx, texts.iter().map(|(_, _, t)| t.as_str()));
        let summary = summary::central_sentences(&ctx, &texts, SUMMARY)?;
        Ok(Digest {
            since,
            until,
            topic: topic.map(str::to_string),
            documents,
            events,
            people,
            summary,
            more_documents,
            more_events,
        })
    }
}

/// The people named in the most paragraphs.
fn people<'a>(ctx: &Ctx, texts: impl Iterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for t in texts {
        let found: BTreeSet<usize> = ctx
            .registry
            .spans(&crate::text::fold(t))
            .into_iter()
            .map(|(_, _, e)| e)
            .collect();
        for e in found
            .into_iter()
            .filter(|e| ctx.registry.get(*e).kind == EntityKind::Person)
        {
            *counts.entry(e).or_default() += 1;
        }
    }
    let mut list: Vec<(usize, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list.into_iter()
        .take(PEOPLE)
        .map(|(e, c)| (ctx.registry.get(e).name.clone(), c))
        .collect()
}
