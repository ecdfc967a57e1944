//! `/source <query>`: which documents say this, best first; `/source <doc-id>`: a document's
//! citation card.

use anyhow::Result;

use super::question::analyze;
use super::rank::{self, Mode};
use super::{Answer, Citation, Ctx, Item};
use crate::index::search::Card;

/// At most this many passages are quoted.
pub const LIMIT: usize = 10;

pub fn answer(ctx: &Ctx, query: &str) -> Result<Answer> {
    if let Some(card) = find_document(ctx, query.trim())? {
        return card_answer(ctx, &card);
    }
    let plan = analyze(query, false, ctx.seg, &ctx.rules.query, &ctx.registry);
    let passages = rank::passages(ctx, &plan, Mode::Source, LIMIT)?;
    let items = rank::to_items(ctx, passages)?;
    Ok(rank::with_message(ctx, &plan, query, items, ("passage", "passages")))
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
    let mut lines = vec![format!("Document {}: {}", card.id, m.title)];
    let field = |name: &str, v: &Option<String>| v.as_ref().map(|v| format!("{name}: {v}"));
    lines.extend(field("Source", &m.source));
    lines.extend(field("Author", &m.author));
    lines.push(format!(
        "Published: {}",
        m.published.map_or("not shown on the page".to_string(), |d| d
            .format("%Y-%m-%d")
            .to_string())
    ));
    lines.extend(field("URL", &m.url));
    lines.push(format!("Paragraphs: {}", card.paragraphs));
    if !m.references.is_empty() {
        lines.push("References:".to_string());
        lines.extend(
            m.references
                .iter()
                .enumerate()
                .map(|(i, r)| format!("  {}. {r}", i + 1)),
        );
    }
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
    Ok(Answer {
        message: Some(lines.join("\n")),
        items,
    })
}
