//! Retrieval and ranking of passages, shared by `/source` and questions.
//!
//! The index's BM25 finds candidates; they are then re-scored by *coverage*: the share of the
//! query's concepts (weighted by rarity) a passage actually contains, checked on its folded
//! text. Coverage is what keeps `成人免费在线视频` from returning a paragraph that happens to
//! mention 视频, and what lets a passage that says all of a question beat one that repeats a
//! single word many times.

use std::collections::{HashMap, HashSet};

use anyhow::Result;

use super::question::{Cue, Plan};
use super::summary::Summary;
use super::{char_ranges, Ctx, Item};
use super::{continuation, shape};
use crate::index::{Concept, Find};
use crate::text::words::{find_in_text, stem_probes};
use crate::text::Folded;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `/source`: passages that say what was typed.
    Source,
    /// A question: passages that answer it.
    Question,
    /// Every paragraph about a topic (for a timeline), however many.
    Topic,
}

impl Mode {
    /// Minimum weighted share of the query's concepts a passage must contain.
    pub fn min_coverage(self) -> f32 {
        match self {
            Mode::Source | Mode::Topic => 0.6,
            Mode::Question => 0.45,
        }
    }
}

/// Candidates fetched from the index before re-scoring.
/// Each costs a stored-document read and a fold; BM25's top 50 hold the passages that
/// cover a query well (profiled: at 200, reading candidates was 60% of a query's time).
const CANDIDATES: usize = 50;
/// Copies of a passage cited with it at most.
const MAX_COPIES: usize = 5;
/// Items scoring under this share of the best item are noise.
const RELATIVE_FLOOR: f32 = 0.2;

#[derive(Debug, Clone)]
pub struct Passage {
    pub doc: String,
    pub para: u64,
    pub text: String,
    pub coverage: f32,
    pub score: f32,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<(usize, usize)>,
    /// Other documents saying exactly this (syndicated copies), as `(doc, paragraph)`.
    pub also: Vec<(String, u64)>,
    /// The last paragraph quoted when the passage carries what it introduces (see
    /// `continuation`).
    pub last_para: Option<u64>,
}

/// The best passages for a plan, best first, at most `limit`.
pub fn passages(ctx: &Ctx, plan: &Plan, mode: Mode, limit: usize) -> Result<Vec<Passage>> {
    if plan.groups.is_empty() {
        return Ok(Vec::new());
    }
    let weights = group_weights(ctx, plan, mode);
    let total: f32 = weights.iter().sum();
    if total <= 0.0 {
        return Ok(Vec::new());
    }
    let find = floor_find(plan, &weights, mode.min_coverage());
    let ranked = ctx.index.ranked(&find, CANDIDATES.max(limit * 2))?;
    let max_score = (0..ranked.len())
        .map(|i| ranked.score(i))
        .fold(f32::MIN_POSITIVE, f32::max);
    // The whole query as one phrase earns a bonus.
    let phrase = (plan.groups.len() >= 2)
        .then_some(plan.phrase.as_str())
        .filter(|p| !p.is_empty());
    let cue: Option<&Cue> = match mode {
        Mode::Question => plan.cue.map(|i| &ctx.rules.query.cues[i]),
        Mode::Source | Mode::Topic => None,
    };

    let probes: Vec<Vec<Option<Vec<String>>>> = plan
        .groups
        .iter()
        .map(|g| g.alternatives.iter().map(|a| stem_probes(a)).collect())
        .collect();
    let mut out: Vec<Passage> = Vec::new();
    let mut seen: HashSet<(String, u64)> = HashSet::new();
    // Documents whose headline covers the question, with the concepts it holds.
    let mut headlines: Vec<(String, Vec<bool>)> = Vec::new();
    // Enough passages that the syndicated copies dropped below cannot leave fewer than `limit`.
    let enough = limit * 2;
    for i in 0..ranked.len() {
        // A candidate scores at most its relevance (coverage and cue factors are ≤ 1): once
        // `enough` passages beat that, no later (lower BM25) candidate can enter the answer,
        // and the rest need not be read from the store.
        // (The phrase bonus is left out of the bound: a passage holding the whole query as a
        // phrase has all its words close together, so BM25 already ranks it among the first.)
        let bound = 0.5 + 0.5 * ranked.score(i) / max_score;
        if mode != Mode::Topic && out.len() >= enough && nth_best(&out, enough) > bound {
            break;
        }
        let hit = ranked.hit(i)?;
        // Most candidates fail the coverage floor: rule them out on the plain folded text
        // before mapping offsets for highlights.
        if coverage_at_most(plan, &probes, &weights, total, &hit.text) < mode.min_coverage() {
            continue;
        }
        let m = coverage(plan, &weights, total, &hit.text);
        if m.coverage < mode.min_coverage() {
            continue;
        }
        if mode == Mode::Question && hit.para == 0 && headlines.len() < super::headline::DOCUMENTS {
            headlines.push((hit.doc.clone(), m.per_group.iter().map(|g| !g.is_empty()).collect()));
        }
        let relevance = 0.5 + 0.5 * hit.score / max_score;
        let mut score = m.coverage * m.coverage * relevance * shape::proximity_factor(&m.per_group);
        if mode != Mode::Topic {
            score *= shape::fragment_factor(&hit.text, hit.para == 0 && mode == Mode::Question);
        }
        // Only a passage holding every concept can hold the whole phrase.
        if m.coverage >= 0.999 && phrase.is_some_and(|p| shape::has_phrase(&m.folded.text, p)) {
            score *= shape::PHRASE_BONUS;
        }
        if let Some(cue) = cue {
            let answered = cue.answered_by(&hit.text, &m.folded.text);
            score *= if answered { 1.0 } else { 0.7 };
            // The cause is often the next paragraph: "…推迟到5月。" / "原因很简单——模型不够好。"
            if cue.next_paragraph && !answered && out.len() < 8 {
                if let Some(next) = ctx.index.paragraph(&hit.doc, hit.para + 1)? {
                    let folded = Folded::new(&next);
                    if cue.answered_by(&next, &folded.text) && seen.insert((hit.doc.clone(), hit.para + 1)) {
                        let own = coverage(plan, &weights, total, &next);
                        out.push(Passage {
                            doc: hit.doc.clone(),
                            para: hit.para + 1,
                            text: next,
                            coverage: m.coverage * 0.9,
                            score: (m.coverage * 0.9).powi(2) * relevance * 0.95,
                            highlights: own.highlights,
                            also: vec![],
                            last_para: None,
                        });
                    }
                }
            }
        }
        if seen.insert((hit.doc.clone(), hit.para)) {
            out.push(Passage {
                doc: hit.doc.clone(),
                para: hit.para,
                text: hit.text.clone(),
                coverage: m.coverage,
                score,
                highlights: m.highlights,
                also: vec![],
                last_para: None,
            });
        }
    }
    // A body passage that says most of the question and gives the answer type needs no
    // headline's help: the extra searches are spared.
    let answered = out.iter().any(|p| {
        p.para > 0
            && p.coverage >= super::headline::ANSWERED
            && cue.is_none_or(|c| c.answered_by(&p.text, &crate::text::fold(&p.text)))
    });
    // Only a question asking for a kind of answer (an amount, a date, a person, a reason) can
    // be answered by a sentence that leaves its subject to the headline.
    if cue.is_some() && !answered {
        if headlines.is_empty() {
            // None among the candidates read: the headlines that can reach the floor.
            let q = Find::Headlines(Box::new(find.clone()));
            for hit in ctx.index.search(&q, super::headline::DOCUMENTS)? {
                let m = coverage(plan, &weights, total, &hit.text);
                if m.coverage >= mode.min_coverage() {
                    headlines.push((hit.doc, m.per_group.iter().map(|g| !g.is_empty()).collect()));
                }
            }
        }
        for p in super::headline::passages(ctx, plan, &weights, cue, &headlines)? {
            match out.iter_mut().find(|o| o.doc == p.doc && o.para == p.para) {
                Some(found) => found.score = found.score.max(p.score),
                None => out.push(p),
            }
        }
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.doc.cmp(&b.doc))
            .then(a.para.cmp(&b.para))
    });
    // The same paragraph syndicated by several pages is quoted once, citing the copies too.
    let mut kept: Vec<Passage> = Vec::with_capacity(out.len());
    let mut by_text: HashMap<String, usize> = HashMap::new();
    for p in out {
        let key: String = crate::text::fold(&p.text).split_whitespace().collect();
        match by_text.get(&key) {
            Some(&i) => {
                let first = &mut kept[i];
                if first.doc != p.doc && first.also.len() < MAX_COPIES && !first.also.iter().any(|(d, _)| *d == p.doc) {
                    first.also.push((p.doc, p.para));
                }
            }
            None => {
                by_text.insert(key, kept.len());
                kept.push(p);
            }
        }
    }
    let mut out = kept;
    if let Some(best) = out.first().map(|p| p.score).filter(|_| mode != Mode::Topic) {
        out.retain(|p| p.score >= best * RELATIVE_FLOOR);
    }
    out.truncate(limit);
    if mode != Mode::Topic {
        for p in &mut out {
            if continuation::introduces(&p.text) {
                if let Some((text, last)) = continuation::continue_from(ctx.index, &p.doc, p.para, &p.text)? {
                    p.text = text;
                    p.last_para = Some(last);
                }
            }
        }
    }
    Ok(out)
}

/// The search for a plan's concepts, each concept one part (`all`: every concept, else any);
/// `None` when the plan has none.
pub fn plan_find(plan: &Plan, all: bool) -> Option<Find> {
    let concepts: Vec<Concept> = plan.groups.iter().map(|g| g.alternatives.clone()).collect();
    if concepts.is_empty() {
        return None;
    }
    Some(if all { Find::All(concepts) } else { Find::Any(concepts) })
}

/// The search for passages that can reach the coverage floor, scored like [`plan_find`]'s
/// `any`.
///
/// A passage missing every one of the rarest concepts holds at most the weight of the
/// common ones; when that is under the floor it can never be an answer. So the rarest
/// concepts whose weight the floor requires are required (any of them), and the common ones
/// (一, 春, 的: posting lists of most documents) only add to the score of the documents those
/// find instead of being walked in full (profiled: the union of every concept's postings was
/// 80% of a `/source` at 351k documents).
fn floor_find(plan: &Plan, weights: &[f32], floor: f32) -> Find {
    let total: f32 = weights.iter().sum();
    let mut order: Vec<usize> = (0..plan.groups.len()).collect();
    order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]));
    let mut rest = total;
    let mut rare = Vec::new();
    for &g in &order {
        // Done once what remains outside `rare` cannot reach the floor on its own.
        if rest < floor * total {
            break;
        }
        rare.push(g);
        rest -= weights[g];
    }
    let concept = |g: usize| plan.groups[g].alternatives.clone();
    Find::Floor {
        required: rare.iter().map(|&g| concept(g)).collect(),
        scoring: order
            .iter()
            .filter(|g| !rare.contains(g))
            .map(|&g| concept(g))
            .collect(),
    }
}

/// The `n`th best score among `passages` (1-based).
fn nth_best(passages: &[Passage], n: usize) -> f32 {
    let mut scores: Vec<f32> = passages.iter().map(|p| p.score).collect();
    scores.sort_by(|a, b| b.total_cmp(a));
    scores.get(n - 1).copied().unwrap_or(f32::MIN)
}

/// Rarity weight of each concept (BM25's idf of its commonest spelling).
///
/// For a question, a concept no document contains weighs nothing when the rest is distinctive
/// enough to answer on its own (two concepts found, or one rare one): the answer says which
/// words matched nothing instead of finding nothing.
fn group_weights(ctx: &Ctx, plan: &Plan, mode: Mode) -> Vec<f32> {
    let n = ctx.index.num_records().max(1) as f32;
    let dfs = group_doc_freqs(ctx, plan);
    let mut weights: Vec<f32> = plan
        .groups
        .iter()
        .zip(&dfs)
        .map(|(g, &df)| {
            let df = df as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln().max(0.05);
            // A lone Han character (花, 钱) is ambiguous and weighs half.
            let lone_char =
                g.alternatives[0].chars().count() == 1 && g.alternatives[0].chars().all(crate::text::fold::is_cjk);
            if lone_char {
                idf * 0.5
            } else {
                idf
            }
        })
        .collect();
    if mode == Mode::Question {
        let found: Vec<u64> = dfs.iter().copied().filter(|&df| df > 0).collect();
        let distinctive = found.len() >= 2 || found.first().is_some_and(|&df| (df as f32) * 50.0 <= n);
        if distinctive && found.len() < dfs.len() {
            for (w, &df) in weights.iter_mut().zip(&dfs) {
                if df == 0 {
                    *w = 0.0;
                }
            }
        }
    }
    weights
}

/// How many paragraphs contain each concept (its commonest spelling).
pub fn group_doc_freqs(ctx: &Ctx, plan: &Plan) -> Vec<u64> {
    plan.groups
        .iter()
        .map(|g| {
            g.alternatives
                .iter()
                .map(|alt| ctx.index.alternative_doc_freq(ctx.seg, alt))
                .max()
                .unwrap_or(0)
        })
        .collect()
}

pub(super) struct Match {
    pub coverage: f32,
    pub highlights: Vec<(usize, usize)>,
    /// Each concept's matches (empty when it is absent), for proximity.
    pub per_group: Vec<Vec<(usize, usize)>>,
    pub folded: Folded,
}

/// An upper bound of [`coverage`], cheaper: substrings of the folded text without word-edge
/// checks or offsets. A passage below the floor here is below it in [`coverage`] too.
fn coverage_at_most(plan: &Plan, probes: &[Vec<Option<Vec<String>>>], weights: &[f32], total: f32, text: &str) -> f32 {
    if total <= 0.0 {
        return 0.0;
    }
    let folded = crate::text::fold(text);
    let found = |(alt, probe): (&String, &Option<Vec<String>>)| {
        folded.contains(alt.as_str())
            || (alt.contains(' ') && folded.contains(&alt.split_whitespace().collect::<String>()))
            || probe
                .as_ref()
                .is_some_and(|p| p.iter().all(|w| folded.contains(w.as_str())))
    };
    let got: f32 = plan
        .groups
        .iter()
        .zip(probes)
        .zip(weights)
        .filter(|((g, p), _)| g.alternatives.iter().zip(p.iter()).any(found))
        .map(|(_, w)| w)
        .sum();
    got / total
}

pub(super) fn coverage(plan: &Plan, weights: &[f32], total: f32, text: &str) -> Match {
    let folded = Folded::new(text);
    let mut got = 0.0;
    let mut highlights = Vec::new();
    let mut per_group = Vec::with_capacity(plan.groups.len());
    for (g, w) in plan.groups.iter().zip(weights) {
        let found: Vec<(usize, usize)> = g
            .alternatives
            .iter()
            .flat_map(|alt| find_in_text(text, &folded, alt))
            .collect();
        if !found.is_empty() {
            got += w;
        }
        highlights.extend_from_slice(&found);
        per_group.push(found);
    }
    Match {
        coverage: if total > 0.0 { got / total } else { 0.0 },
        highlights: crate::text::merge_ranges(highlights),
        per_group,
        folded,
    }
}

/// The answer with a summary of what was found, or, when nothing was, of what was searched
/// and which words no document contains. `question`: the items answer a question.
pub fn with_summary(ctx: &Ctx, plan: &Plan, query: &str, items: Vec<Item>, question: bool) -> super::Answer {
    let absent: Vec<String> = plan
        .groups
        .iter()
        .zip(group_doc_freqs(ctx, plan))
        .filter(|(_, df)| *df == 0)
        .map(|(g, _)| g.label.clone())
        .collect();
    let query = query.trim().to_string();
    let summary = if items.is_empty() {
        if plan.groups.is_empty() {
            Summary::NoWords { query }
        } else {
            Summary::NoMatch {
                query,
                corpus: ctx.documents,
                searched: plan.groups.iter().map(|g| g.label.clone()).collect(),
                absent,
            }
        }
    } else {
        let documents = items
            .iter()
            .flat_map(|i| std::iter::once(&i.citation).chain(&i.also))
            .map(|c| c.doc.as_str())
            .collect::<HashSet<&str>>()
            .len();
        Summary::Passages {
            query,
            question,
            passages: items.len(),
            documents,
            absent,
            truncated: plan.truncated,
        }
    };
    super::Answer { summary, items }
}

/// Attaches citations to passages.
pub fn to_items(ctx: &Ctx, passages: Vec<Passage>) -> Result<Vec<Item>> {
    let mut items = Vec::with_capacity(passages.len());
    for p in passages {
        let Some(citation) = ctx.cite(&p.doc, p.para)? else {
            continue;
        };
        let mut also = Vec::with_capacity(p.also.len());
        for (doc, para) in &p.also {
            also.extend(ctx.cite(doc, *para)?);
        }
        let mut citation = citation;
        citation.last_paragraph = p.last_para;
        items.push(Item {
            highlights: char_ranges(&p.text, &p.highlights),
            text: p.text,
            date: None,
            citation,
            note: None,
            also,
        });
    }
    Ok(items)
}
