//! `/timeline [topic] [--from D] [--to D]`: dated events in order, each a cited quote.
//!
//! Events were extracted at index time with their dates resolved. Without a topic every
//! event is listed; with one, the events of the paragraphs about it (found like `/source`
//! finds passages, so aliases and both scripts work). The same event reported by several
//! documents is one line citing them all. A topic that is only a period (`/timeline 1997`,
//! `2019-03`, `2019年3月`) asks for the events dated in it, not for paragraphs naming
//! the number.

use std::collections::BTreeSet;

use anyhow::Result;

use super::question::analyze;
use super::summary::Summary;
use super::{char_ranges, Answer, Bound, Ctx, Item, UserError};
use crate::command::Request;
use crate::index::knowledge::EventHit;
use crate::index::Find;
use crate::knowledge::dates::PartialDate;
use crate::text::words::find_in_text;
use crate::text::{fold, Folded};

/// Lines shown at most.
pub const LIMIT: usize = 60;
/// Paragraphs about a topic considered at most (their events are then read by date).
const TOPIC_PARAGRAPHS: usize = 20_000;
/// Events read at most per line shown: reports of one event merge into one line, so up to
/// this many are read (date by date, stopping when the lines are complete), never every
/// event of a large corpus.
const READ_FACTOR: usize = 3;
/// Two reports of one event share this much of their wording (character bigrams).
const SAME_EVENT: f32 = 0.5;

/// Documents whose headline names a topic, at most: their paragraphs join a topic's timeline.
const HEADLINE_DOCUMENTS: usize = 200;

/// The paragraph numbers of the documents whose headline matches `topic`: an article's
/// events are about its subject even where a sentence does not repeat it ("the patient ate a
/// wild rabbit on Nov. 5" in an article headlined about the plague).
fn headline_paragraphs(ctx: &Ctx, topic: Find) -> Result<Vec<u64>> {
    let query = Find::Headlines(Box::new(topic));
    let mut keys = Vec::new();
    for hit in ctx.index.search(&query, HEADLINE_DOCUMENTS)? {
        let Some(card) = ctx.index.card(&hit.doc)? else {
            continue;
        };
        keys.extend((1..=card.paragraphs).map(|p| crate::index::schema::paragraph_number(&hit.doc, p)));
    }
    Ok(keys)
}

pub fn answer(ctx: &Ctx, request: &Request) -> Result<Result<Answer, UserError>> {
    let from = match parse_bound(request.from.as_deref(), Bound::From) {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    let to = match parse_bound(request.to.as_deref(), Bound::To) {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    let (topic, from, to) = period_topic(request.query.trim(), from, to);
    if let (Some(f), Some(t)) = (from, to) {
        if f.key() > t.end_key() {
            return Ok(Err(UserError::DateRange {
                from: f.to_string(),
                to: t.to_string(),
            }));
        }
    }
    // Year-only events overlap any range inside their year, so the index range starts at the
    // year and the exact overlap is checked below.
    let range = (from.is_some() || to.is_some()).then(|| {
        (
            from.map_or(0, |f| f.year.max(0) as u64 * 10_000),
            to.map_or(u64::MAX, |t| t.end_key()),
        )
    });

    let mut plan = None;
    let paragraphs = if topic.is_empty() {
        None
    } else {
        let p = analyze(topic, false, ctx.seg, &ctx.rules.query, &ctx.registry);
        // Paragraphs naming every part of the topic, found in the index alone, and every
        // paragraph of the documents whose headline names it.
        let keys = match super::rank::plan_find(&p, true) {
            Some(q) => {
                let mut keys = ctx.index.paragraph_numbers(&q, TOPIC_PARAGRAPHS)?;
                keys.extend(headline_paragraphs(ctx, q)?);
                keys.sort_unstable();
                keys.dedup();
                keys
            }
            None => Vec::new(),
        };
        plan = Some(p);
        Some(keys)
    };
    let events = ctx.index.events(paragraphs, range, LIMIT * READ_FACTOR)?;
    // Reports of one event share its date, so events merge date by date, oldest first, and
    // reading stops once the lines to show are complete (a date is never cut in two).
    let mut lines: Vec<Vec<EventHit>> = Vec::new();
    let mut next = 0;
    while next < events.len() && lines.len() < LIMIT {
        let key = events.key(next);
        let mut same_date = Vec::new();
        while next < events.len() && events.key(next) == key {
            let h = events.read(next)?;
            next += 1;
            if from.is_none_or(|f| end_key_of(&h) >= f.key()) {
                same_date.push(h);
            }
        }
        // Document and paragraph order, so answers are stable.
        same_date.sort_by(|a, b| a.doc.cmp(&b.doc).then(a.para.cmp(&b.para)));
        lines.extend(merge_reports(same_date));
    }
    // Events were left unread: the count of lines is then a lower bound.
    let partial = next < events.len() || events.matching > events.len();
    let total = lines.len();

    let mut items = Vec::new();
    for line in lines.into_iter().take(LIMIT) {
        let first = &line[0];
        let Some(citation) = ctx.cite(&first.doc, first.para)? else {
            continue;
        };
        let mut also = Vec::new();
        for other in &line[1..] {
            also.extend(ctx.cite(&other.doc, other.para)?);
        }
        let highlights = match &plan {
            Some(p) => {
                let folded = Folded::new(&first.text);
                let mut spans: Vec<(usize, usize)> = p
                    .groups
                    .iter()
                    .flat_map(|g| g.alternatives.iter())
                    .flat_map(|a| find_in_text(&first.text, &folded, a))
                    .collect();
                spans.sort_unstable();
                spans.dedup();
                char_ranges(&first.text, &spans)
            }
            None => vec![],
        };
        items.push(Item {
            text: first.text.clone(),
            date: Some(first.date.clone()),
            citation,
            highlights,
            note: first.note.clone(),
            also,
        });
    }
    let summary = Summary::Timeline {
        topic: (!topic.is_empty()).then(|| topic.to_string()),
        from: from.map(|d| d.to_string()),
        to: to.map(|d| d.to_string()),
        events: total,
        reports: events.matching,
        shown: items.len(),
        partial,
        corpus: ctx.documents,
    };
    Ok(Ok(Answer { summary, items }))
}

/// A topic that is only a year, month or day (`1997`, `1997年`, `2019-03`, `2019年3月`)
/// becomes the bounds --from and --to did not set, and no text is searched.
fn period_topic(
    topic: &str,
    from: Option<PartialDate>,
    to: Option<PartialDate>,
) -> (&str, Option<PartialDate>, Option<PartialDate>) {
    let period = PartialDate::parse(topic.trim_end_matches('年')).filter(|d| (1800..=2199).contains(&d.year));
    match period {
        Some(p) => ("", from.or(Some(p)), to.or(Some(p))),
        None => (topic, from, to),
    }
}

fn parse_bound(value: Option<&str>, bound: Bound) -> Result<Option<PartialDate>, UserError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => PartialDate::parse(v).map(Some).ok_or_else(|| UserError::BadDate {
            bound,
            value: v.to_string(),
        }),
    }
}

fn end_key_of(h: &EventHit) -> u64 {
    PartialDate::parse(&h.date).map_or(h.key, |d| d.end_key())
}

/// Groups reports of the same event: same date, similar wording, different documents.
fn merge_reports(hits: Vec<EventHit>) -> Vec<Vec<EventHit>> {
    let mut lines: Vec<Vec<EventHit>> = Vec::new();
    let mut grams_of: Vec<BTreeSet<(char, char)>> = Vec::new();
    for h in hits {
        let grams = bigrams(&h.text);
        let same = lines.iter().zip(&grams_of).position(|(line, g)| {
            line[0].date == h.date && (line[0].text == h.text || jaccard(g, &grams) >= SAME_EVENT)
        });
        match same {
            Some(i) => {
                let line = &mut lines[i];
                if !line.iter().any(|e| e.doc == h.doc) {
                    line.push(h);
                }
            }
            None => {
                lines.push(vec![h]);
                grams_of.push(grams);
            }
        }
    }
    lines
}

fn bigrams(text: &str) -> BTreeSet<(char, char)> {
    let chars: Vec<char> = fold(text).chars().filter(|c| c.is_alphanumeric()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

fn jaccard(a: &BTreeSet<(char, char)>, b: &BTreeSet<(char, char)>) -> f32 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f32 / union as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(doc: &str, date: &str, text: &str) -> EventHit {
        EventHit {
            doc: doc.into(),
            para: 1,
            text: text.into(),
            date: date.into(),
            key: 0,
            note: None,
        }
    }

    #[test]
    fn the_same_event_from_several_documents_is_one_line() {
        let lines = merge_reports(vec![
            hit("a", "2025-07", "Scale AI在7月裁掉了200名數據標註業務的員工。"),
            hit("b", "2025-07", "Scale AI在7月裁掉了200名数据标注业务的员工"),
            hit("c", "2025-07", "Meta发布了新模型。"),
            hit("d", "2025-08", "Scale AI在8月裁掉了200名数据标注业务的员工。"),
        ]);
        let docs: Vec<Vec<&str>> = lines
            .iter()
            .map(|l| l.iter().map(|h| h.doc.as_str()).collect())
            .collect();
        assert_eq!(docs, vec![vec!["a", "b"], vec!["c"], vec!["d"]]);
    }

    #[test]
    fn a_topic_that_is_a_period_is_a_range_of_dates() {
        let d = |s: &str| PartialDate::parse(s);
        assert_eq!(period_topic("1997", None, None), ("", d("1997"), d("1997")));
        assert_eq!(period_topic("1997年", None, None), ("", d("1997"), d("1997")));
        assert_eq!(period_topic("2019-03", None, None), ("", d("2019-03"), d("2019-03")));
        assert_eq!(period_topic("2019年3月", None, None), ("", d("2019-03"), d("2019-03")));
        // Bounds given stay; the period fills the other.
        assert_eq!(period_topic("2019", d("2019-06"), None), ("", d("2019-06"), d("2019")));
        // Words, numbers that are no year, and a year among words are searched as text.
        for topic in ["Meta 2019", "牛油果", "12025", "600", "3000", ""] {
            assert_eq!(period_topic(topic, None, None), (topic, None, None), "{topic}");
        }
    }
}
