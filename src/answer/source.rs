//! `/source <query>`: which documents say this, best first; `/source <doc-id>`: a document's
//! citation card.

use anyhow::Result;

use super::question::analyze;
use super::rank::{self, Mode};
use super::summary::Summary;
use super::{Answer, Citation, Ctx, Item};
use crate::index::search::Card;

/// At most this many passages are quoted.
pub const LIMIT: usize = 10;

/// Longest message searched whole; a longer one is cut to its most telling sentences.
const CLAIM_WHOLE: usize = 80;
/// Most characters of a claim searched (a search for every word of a long paragraph finds
/// nothing: the documents say it in other words around the one fact).
pub const CLAIM_MAX: usize = 120;

/// The words of a message to trace to its source ("Find source"): a short message whole, links
/// left out; a longer one cut to its most distinctive sentences, in their order, within
/// [`CLAIM_MAX`] characters. A sentence is distinctive by its words that the documents use
/// rarely: a figure, a name, a term (`143亿美金`, `Scale AI`), not the greetings and filler
/// around them (`大家好`, `quick question`), which are common, nor words no document uses,
/// which cannot lead to one.
pub fn claim_query(ctx: &Ctx, text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().filter(|w| !w.starts_with("http")).collect();
    let text = words.join(" ");
    if text.chars().count() <= CLAIM_WHOLE {
        return text;
    }
    let sentences: Vec<&str> = text
        .split_inclusive(['。', '！', '？', '!', '?', '\n', ';', '；'])
        .flat_map(|s| s.split_inclusive(". "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let records = ctx.index.num_records().max(1) as f64;
    let rarity = |sentence: &str| -> f64 {
        let plan = analyze(sentence, false, ctx.seg, &ctx.rules.query, &ctx.registry);
        rank::group_doc_freqs(ctx, &plan)
            .into_iter()
            .filter(|&df| df > 0)
            .map(|df| (records / df as f64).ln().max(0.0))
            .sum()
    };
    // Per character, so a long ramble does not win by length.
    let density: Vec<f64> = sentences
        .iter()
        .map(|s| rarity(s) / s.chars().count().max(20) as f64)
        .collect();
    let mut ranked: Vec<usize> = (0..sentences.len()).collect();
    ranked.sort_by(|&a, &b| density[b].total_cmp(&density[a]));
    let best = ranked.first().map_or(0.0, |&i| density[i]);
    let mut chosen: Vec<usize> = Vec::new();
    let mut length = 0;
    // The best sentence, and those nearly as distinctive that fit beside it.
    for i in ranked {
        let n = sentences[i].chars().count();
        if chosen.is_empty() || (length + n <= CLAIM_MAX && density[i] * 2.0 >= best) {
            chosen.push(i);
            length += n;
        }
    }
    chosen.sort_unstable();
    let picked: Vec<&str> = chosen.iter().map(|&i| sentences[i]).collect();
    picked.join(" ").chars().take(CLAIM_MAX).collect()
}

pub fn answer(ctx: &Ctx, query: &str) -> Result<Answer> {
    if let Some(card) = find_document(ctx, query.trim())? {
        return card_answer(ctx, &card);
    }
    let plan = analyze(query, false, ctx.seg, &ctx.rules.query, &ctx.registry);
    let passages = rank::passages(ctx, &plan, Mode::Source, LIMIT)?;
    let items = rank::to_items(ctx, passages)?;
    Ok(rank::with_summary(ctx, &plan, query, items, false))
}

/// A document named by its id, or by the unique part of its id before the first `_`
/// (`002` for `002_a55689cea94975b7`).
pub fn find_document(ctx: &Ctx, query: &str) -> Result<Option<Card>> {
    let id_like = !query.is_empty()
        && query.len() <= 200
        && query.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    if !id_like {
        return Ok(None);
    }
    if let Some(card) = ctx.index.card(query)? {
        return Ok(Some(card));
    }
    let prefixed = format!("{query}_");
    let ids = ctx.index.doc_ids_with_prefix(&prefixed, 2)?;
    if let [only] = ids.as_slice() {
        return ctx.index.card(only);
    }
    Ok(None)
}

fn card_answer(ctx: &Ctx, card: &Card) -> Result<Answer> {
    let m = &card.meta;
    let summary = Summary::Document {
        id: card.id.clone(),
        title: m.title.clone(),
        source: m.source.clone(),
        author: m.author.clone(),
        published: m.published,
        url: m.url.clone(),
        paragraphs: card.paragraphs,
        references: m.references.clone(),
    };
    // The opening paragraphs stand for the document.
    let mut items = Vec::new();
    for n in 1..=card.paragraphs.min(2) {
        if let Some(text) = ctx.index.paragraph(&card.id, n)? {
            items.push(Item {
                text,
                date: None,
                citation: Citation::new(card, n),
                highlights: vec![],
                note: None,
                also: vec![],
            });
        }
    }
    Ok(Answer { summary, items })
}
