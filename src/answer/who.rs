//! `/who <name>`: who someone is, from what the documents say.
//!
//! The name (any alias, either script, any case) is resolved to an entity of the registry;
//! every paragraph naming it by any alias is read, the ones that *describe* it (a title
//! next to the name, an age, "X是…", a translation in parentheses) come first, then the other
//! mentions, at least one per document. A name the corpus does not contain gets suggestions,
//! never someone else's profile.

use std::collections::{BTreeSet, HashMap};

use anyhow::Result;

use super::rank::Passage;
use super::summary::{Counted, Named, Summary};
use super::{Answer, Ctx};
use crate::index::Find;
use crate::knowledge::Entity;
use crate::text::words::{find_in_text, in_capitals, is_acronym};
use crate::text::{fold, EntityKind, Folded};

/// Describing passages shown at most, then other mentions up to the total.
pub const DESCRIBING: usize = 8;
pub const TOTAL: usize = 20;
/// Paragraphs read per entity, best matches first: enough to find the describing ones and
/// every document of a small corpus, bounded so a famous name stays fast in a large one.
const READ: usize = 60;
/// Mentions (best first) searched for the names mentioned alongside.
const CO_READ: usize = 30;
/// Score from which a passage describes the entity rather than mentioning it.
const DESCRIBES: f32 = 2.0;
/// Characters either side of a name where describing words count.
const WINDOW: usize = 16;

pub fn answer(ctx: &Ctx, name: &str) -> Result<Answer> {
    let name = name.trim();
    let registry = ctx.registry.clone();
    let entity: Entity = match registry.find(name) {
        Some(i) => registry.get(i).clone(),
        None => match unlisted_name(ctx, name) {
            Some(e) => e,
            None => return Ok(not_found(ctx, name)),
        },
    };
    let mentions = mention_passages(ctx, &entity)?;
    if mentions.is_empty() {
        return Ok(not_found(ctx, name));
    }
    // Best matches first: the company an entity keeps shows in its closest mentions.
    let co = co_mentioned(
        ctx,
        &entity,
        mentions.iter().take(CO_READ).map(|(_, folded)| folded.as_str()),
    );

    let mut scored: Vec<(f32, Passage)> = mentions.into_iter().map(|(p, _)| (describes(ctx, &p), p)).collect();
    let docs: BTreeSet<String> = scored.iter().map(|(_, p)| p.doc.clone()).collect();
    let total_paragraphs = scored.len();

    // Describing passages, best first; then mentions in document order, one per document
    // first so every document that names them is cited.
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.doc.cmp(&b.1.doc))
            .then(a.1.para.cmp(&b.1.para))
    });
    let mut chosen: Vec<Passage> = Vec::new();
    let mut rest: Vec<Passage> = Vec::new();
    for (score, p) in scored {
        if score >= DESCRIBES && chosen.len() < DESCRIBING {
            chosen.push(p);
        } else {
            rest.push(p);
        }
    }
    let describing = chosen.len();
    rest.sort_by(|a, b| a.doc.cmp(&b.doc).then(a.para.cmp(&b.para)));
    for doc in &docs {
        if !chosen.iter().any(|p| &p.doc == doc) {
            if let Some(i) = rest.iter().position(|p| &p.doc == doc) {
                chosen.push(rest.remove(i));
            }
        }
    }
    for p in rest {
        if chosen.len() >= TOTAL {
            break;
        }
        chosen.push(p);
    }
    let items = super::rank::to_items(ctx, chosen)?;

    // The registry counted every mention; only the best are read here.
    let summary = Summary::Profile {
        entity: Named {
            name: entity.name.clone(),
            kind: entity.kind,
        },
        aliases: entity.aliases.clone(),
        roles: entity.roles.clone(),
        paragraphs: (entity.mentions as usize).max(total_paragraphs),
        documents: docs.len(),
        at_least: total_paragraphs >= READ,
        often_with: co
            .iter()
            .map(|(n, c)| Counted {
                name: n.clone(),
                count: *c,
            })
            .collect(),
        describing,
    };
    Ok(Answer { summary, items })
}

/// Most names a message's profile lists.
const MENTIONED_MAX: usize = 5;

/// The names the documents know in a message (say, a colleague's), in the message's order,
/// each with the passage that best says who they are, cited.
pub fn mentioned(ctx: &Ctx, text: &str) -> Result<Answer> {
    let folded = fold(text);
    let registry = ctx.registry.clone();
    let mut found: Vec<usize> = Vec::new();
    for (_, _, e) in registry.spans(&folded) {
        if !found.contains(&e) && registry.get(e).mentions > 0 {
            found.push(e);
        }
    }
    found.truncate(MENTIONED_MAX);
    let mut items = Vec::new();
    let mut names = Vec::new();
    for e in found {
        let entity = registry.get(e);
        let profile = answer(ctx, &entity.name)?;
        if let Some(first) = profile.items.into_iter().next() {
            names.push(Named {
                name: entity.name.clone(),
                kind: entity.kind,
            });
            items.push(first);
        }
    }
    Ok(Answer {
        summary: Summary::Mentioned { names },
        items,
    })
}

/// Every paragraph naming the entity by one of its names, with the names highlighted, and
/// its folded text.
fn mention_passages(ctx: &Ctx, entity: &Entity) -> Result<Vec<(Passage, String)>> {
    let query = Find::Any(vec![entity.keys.clone()]);
    let mut out = Vec::new();
    // Repeated paragraphs (a subtitle repeated as a heading, syndicated copies) count once.
    let mut seen_text: std::collections::HashSet<u64> = Default::default();
    // A name written only as an acronym (`FAIR`) is found only where the text writes capitals.
    let acronyms: std::collections::HashSet<String> = std::iter::once(&entity.name)
        .chain(&entity.aliases)
        .filter(|n| is_acronym(n))
        .map(|n| crate::text::fold(n))
        .filter(|k| {
            !std::iter::once(&entity.name)
                .chain(&entity.aliases)
                .any(|n| !is_acronym(n) && crate::text::fold(n) == *k)
        })
        .collect();
    let mut read = |hits: Vec<crate::index::search::Hit>, keys: &[String], out: &mut Vec<(Passage, String)>| {
        for hit in hits {
            let folded = Folded::new(&hit.text);
            let mut spans: Vec<(usize, usize)> = keys
                .iter()
                .flat_map(|k| {
                    let capitals_only = acronyms.contains(k);
                    let text = hit.text.as_str();
                    find_in_text(text, &folded, k)
                        .into_iter()
                        .filter(move |&(s, e)| !capitals_only || in_capitals(&text[s..e]))
                })
                .collect();
            if spans.is_empty() || !seen_text.insert(text_hash(&folded.text)) {
                continue;
            }
            spans.sort_unstable();
            spans.dedup();
            let passage = Passage {
                doc: hit.doc,
                para: hit.para,
                text: hit.text,
                coverage: 1.0,
                score: hit.score,
                highlights: spans,
                also: vec![],
                last_para: None,
            };
            out.push((passage, folded.text));
        }
    };
    read(ctx.index.search(&query, READ)?, &entity.keys, &mut out);
    // A surname another entity shares (`Mayer` of Kevin and of Ruben Mayer) is this entity's
    // in the documents that name it in full.
    if !entity.shared_parts.is_empty() {
        let shared = Find::Any(vec![entity.shared_parts.clone()]);
        let docs: std::collections::HashSet<String> = out.iter().map(|(p, _)| p.doc.clone()).collect();
        let hits: Vec<_> = ctx
            .index
            .search(&shared, READ)?
            .into_iter()
            .filter(|h| docs.contains(&h.doc))
            .collect();
        read(hits, &entity.shared_parts, &mut out);
    }
    Ok(out)
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// How much a passage says about who the entity is (0 = a bare mention).
fn describes(ctx: &Ctx, p: &Passage) -> f32 {
    let k = &ctx.rules.knowledge;
    let mut best: f32 = 0.0;
    for &(s, e) in &p.highlights {
        let before: String = tail_chars(&p.text[..s], WINDOW);
        let after: String = p.text[e..].chars().take(WINDOW).collect();
        let (fb, fa) = (fold(&before), fold(&after));
        let mut score = 0.0;
        // An apposition: a title just before the name, or just after it (`X 的研究科学家`).
        let fa_trim = fa.trim_start();
        let after_apposition = fa_trim.trim_start_matches(['的', ',', '，', '这', '位']).trim_start();
        // English titles too, after a comma or before the name
        // (`Mayer, Disney’s chairman of …`, `, the Disney executive who`, `executive Kevin Mayer`).
        let title = |w: &str| k.titles.iter().any(|t| t == w);
        let english_title = (fa_trim.starts_with(',')
            && after_apposition
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(4)
                .any(title))
            || fb
                .split(|c: char| !c.is_alphanumeric())
                .rfind(|w| !w.is_empty())
                .is_some_and(title);
        if k.role_ending(&fb).is_some()
            || k.roles.iter().any(|r| after_apposition.starts_with(r.as_str()))
            || english_title
        {
            score += 3.0;
        } else if k
            .roles
            .iter()
            .any(|r| fb.contains(r.as_str()) || fa.contains(r.as_str()))
        {
            score += 1.0;
        }
        if k.describing.iter().any(|r| r.is_match(&fb) || r.is_match(&fa)) {
            score += 3.0;
        }
        if k.copulas.iter().any(|c| fa_trim.starts_with(c.as_str())) {
            score += 2.0;
        }
        if fa_trim.starts_with(['(', '（']) {
            score += 2.0;
        }
        best = best.max(score);
    }
    // The headline says little about a person; short paragraphs say it more directly.
    if p.para == 0 {
        best *= 0.5;
    }
    best + (p.highlights.len().min(3) as f32) * 0.1
}

fn tail_chars(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars[chars.len().saturating_sub(n)..].iter().collect()
}

/// The people named most often in the same paragraphs (other entities when no people).
fn co_mentioned<'a>(ctx: &Ctx, entity: &Entity, folded: impl Iterator<Item = &'a str>) -> Vec<(String, usize)> {
    let registry = &ctx.registry;
    let me = registry.find(&entity.name);
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for text in folded {
        // A surname this entity shares with another (`Mayer`) is this one here, not a co-mention.
        let found: BTreeSet<usize> = registry
            .spans(text)
            .into_iter()
            .filter(|&(s, e, _)| !entity.shared_parts.iter().any(|p| p == &text[s..e]))
            .map(|(_, _, e)| e)
            .collect();
        for e in found.into_iter().filter(|e| Some(*e) != me) {
            *counts.entry(e).or_default() += 1;
        }
    }
    let mut list: Vec<(usize, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let people: Vec<(usize, usize)> = list
        .iter()
        .copied()
        .filter(|(e, _)| registry.get(*e).kind == EntityKind::Person)
        .collect();
    let chosen = if people.is_empty() { list } else { people };
    chosen
        .into_iter()
        .take(5)
        .map(|(e, c)| (registry.get(e).name.clone(), c))
        .collect()
}

/// A name the registry does not list but the documents may still use (a name jieba
/// recognises, such as 特朗普). Part of a listed name (`扎克` of 扎克伯格) or a common word is
/// not a name: those get suggestions instead.
fn unlisted_name(ctx: &Ctx, name: &str) -> Option<Entity> {
    let key = fold(name).split_whitespace().collect::<Vec<_>>().join(" ");
    let latin_name = key.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    // Inside a listed name: a piece of a Chinese name (扎克 of 扎克伯格) is no one, but the
    // whole words of a Latin one may be its short form (`SoftBank` of `SoftBank Group Corp`).
    let inside = |k: &String| match k.find(&key) {
        Some(at) => !(latin_name && crate::text::is_word_at(k, at, at + key.len())),
        None => false,
    };
    if key.chars().count() < 2 || ctx.registry.entities().iter().any(|e| e.keys.iter().any(inside)) {
        return None;
    }
    let tags = ctx.seg.jieba().tag(&key, true);
    let words: Vec<_> = tags.iter().filter(|t| !t.word.trim().is_empty()).collect();
    let kind = match words.as_slice() {
        _ if latin_name => EntityKind::Other,
        [one] => EntityKind::from_pos_tag(one.tag)?,
        _ => return None,
    };
    Some(Entity {
        name: name.to_string(),
        kind,
        aliases: vec![],
        keys: vec![key],
        mentions: 0,
        curated: false,
        strong: 1,
        roles: vec![],
        shared_parts: vec![],
    })
}

fn not_found(ctx: &Ctx, name: &str) -> Answer {
    let registry = &ctx.registry;
    // Only names the documents actually use (a curated name no document mentions is no help).
    let close: Vec<String> = registry
        .suggest(name, 20)
        .into_iter()
        .filter(|&i| registry.get(i).mentions > 0)
        .take(5)
        .map(|i| registry.get(i).name.clone())
        .collect();
    let most_mentioned: Vec<String> = if close.is_empty() {
        registry
            .entities()
            .iter()
            .filter(|e| e.kind == EntityKind::Person && e.mentions > 0)
            .take(5)
            .map(|e| e.name.clone())
            .collect()
    } else {
        vec![]
    };
    Answer {
        summary: Summary::UnknownName {
            query: name.trim().to_string(),
            corpus: ctx.documents,
            closest: close,
            most_mentioned,
        },
        items: vec![],
    }
}
