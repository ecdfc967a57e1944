//! A news sentence rarely repeats its article's subject: "The campaign cost the state roughly
//! $449,000" answers "How much did South Dakota's meth campaign cost?" only together with its
//! headline, "South Dakota governor doubles down on 'meth, we're on it' anti-drug campaign".
//!
//! For questions, the few documents whose headline covers the question (found among the
//! question's own candidates, so no search is added for them) are searched again paragraph by
//! paragraph, and a concept their headline holds counts for most of its weight in
//! each of their paragraphs. A paragraph still needs words of its own, and the answer type the question asks
//! for (a number, a date), to be quoted.

use anyhow::Result;

use super::question::{Cue, Plan};
use super::rank::{coverage, plan_find, Mode, Passage};
use super::{shape, Ctx};
use crate::index::Find;

/// Documents whose headline is searched for context, at most.
pub const DOCUMENTS: usize = 2;
/// Paragraphs read per such document, at most.
const PARAGRAPHS: usize = 6;
/// A body passage covering this share of a question, with the answer type, needs no help.
pub const ANSWERED: f32 = 0.8;
/// Share of a concept's weight that its headline lends a paragraph: most of it, since the
/// article is about its headline.
const LENT: f32 = 0.8;
/// Share of the question a paragraph must hold by itself.
const OWN: f32 = 0.25;
/// Relevance given to these paragraphs (their BM25 comes from another query): the middle of
/// the range the main retrieval uses.
const RELEVANCE: f32 = 0.75;

/// Passages of the documents whose headline covers `plan` (`headlines`: each document with the
/// concepts its headline holds), scored with those concepts lent to them (a passage also found
/// on its own keeps the better of its two scores).
pub fn passages(
    ctx: &Ctx,
    plan: &Plan,
    weights: &[f32],
    cue: Option<&Cue>,
    headlines: &[(String, Vec<bool>)],
) -> Result<Vec<Passage>> {
    let total: f32 = weights.iter().sum();
    let floor = Mode::Question.min_coverage();
    let mut out = Vec::new();
    for (doc, lent) in headlines {
        // The paragraphs are sought by what the headline does not say: the words repeating
        // the subject would rank first the paragraphs that only repeat it.
        let missing = Plan {
            groups: plan
                .groups
                .iter()
                .zip(lent)
                .filter(|(_, &held)| !held)
                .map(|(g, _)| g.clone())
                .collect(),
            ..Plan::default()
        };
        let Some(topic) = plan_find(if missing.groups.is_empty() { plan } else { &missing }, false) else {
            continue;
        };
        let within = Find::InDocument(doc.clone(), Box::new(topic));
        for hit in ctx.index.search(&within, PARAGRAPHS)? {
            if hit.para == 0 {
                continue;
            }
            let own = coverage(plan, weights, total, &hit.text);
            let with_headline: f32 = own
                .per_group
                .iter()
                .zip(lent)
                .zip(weights)
                .map(|((mine, &theirs), w)| match (mine.is_empty(), theirs) {
                    (false, _) => *w,
                    (true, true) => w * LENT,
                    (true, false) => 0.0,
                })
                .sum::<f32>()
                / total;
            if with_headline < floor || own.coverage < OWN {
                continue;
            }
            // Without the answer type asked for, the paragraph only repeats the subject.
            if cue.is_some_and(|c| !c.answered_by(&hit.text, &own.folded.text)) {
                continue;
            }
            let score = with_headline
                * with_headline
                * RELEVANCE
                * shape::proximity_factor(&own.per_group)
                * shape::fragment_factor(&hit.text, false);
            out.push(Passage {
                doc: hit.doc,
                para: hit.para,
                text: hit.text,
                coverage: with_headline,
                score,
                highlights: own.highlights,
                also: vec![],
                last_para: None,
            });
        }
    }
    Ok(out)
}
