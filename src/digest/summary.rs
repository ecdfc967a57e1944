//! Extractive summary: the sentences nearest the centroid of a period's text.
//!
//! Each sentence becomes a TF-IDF vector over its folded jieba words (question and function
//! words left out, rarity from the whole index); the centroid is their sum, and the sentences
//! most similar to it say what the period was about. Near-duplicates of a chosen sentence are
//! skipped. The sentences are quoted as written.

use std::collections::HashMap;

use anyhow::Result;

use crate::answer::{Ctx, Item};
use crate::knowledge::events::{split_keep, SENTENCE_ENDS};
use crate::text::fold;

/// Sentences shorter or longer than this (in characters) make poor summary lines.
const MIN_CHARS: usize = 12;
const MAX_CHARS: usize = 220;
/// A sentence this similar to a chosen one repeats it.
const REDUNDANT: f32 = 0.6;

type Vector = HashMap<String, f32>;

fn cosine(a: &Vector, b: &Vector) -> f32 {
    let dot: f32 = a.iter().filter_map(|(k, x)| b.get(k).map(|y| x * y)).sum();
    let norm = |v: &Vector| v.values().map(|x| x * x).sum::<f32>().sqrt();
    let n = norm(a) * norm(b);
    if n == 0.0 {
        0.0
    } else {
        dot / n
    }
}

/// The `n` most central sentences of `texts` (`(doc, paragraph, text)`), most central first.
pub fn central_sentences(ctx: &Ctx, texts: &[(String, u64, String)], n: usize) -> Result<Vec<Item>> {
    let total = ctx.index.num_records().max(1) as f32;
    let mut idf: HashMap<String, f32> = HashMap::new();
    let mut sentences: Vec<(usize, String, Vector)> = Vec::new();
    for (i, (_, _, text)) in texts.iter().enumerate() {
        for (s, e) in split_keep(text, SENTENCE_ENDS) {
            let sentence = text[s..e].trim();
            let chars = sentence.chars().count();
            if !(MIN_CHARS..=MAX_CHARS).contains(&chars) {
                continue;
            }
            let folded = fold(sentence);
            // English words by their stem, as the index holds them: `agreed` and `agree` are
            // one dimension.
            let lang = crate::text::Lang::of(sentence);
            let mut v: Vector = HashMap::new();
            for w in ctx.seg.query_words(&folded) {
                if ctx.rules.query.is_stop_word(w) || (w.chars().count() < 2 && !w.is_ascii()) {
                    continue;
                }
                let term = if w.chars().any(crate::text::fold::is_cjk) {
                    w.to_string()
                } else {
                    lang.stem(w).into_owned()
                };
                let weight = *idf
                    .entry(term.clone())
                    .or_insert_with(|| (total / (1.0 + ctx.index.word_doc_freq(&term) as f32)).ln().max(0.1));
                *v.entry(term).or_default() += weight;
            }
            if v.len() >= 3 {
                sentences.push((i, sentence.to_string(), v));
            }
        }
    }
    let mut centroid: Vector = HashMap::new();
    for (_, _, v) in &sentences {
        for (k, x) in v {
            *centroid.entry(k.clone()).or_default() += x;
        }
    }
    let mut scored: Vec<(f32, usize)> = sentences
        .iter()
        .enumerate()
        .map(|(j, (_, _, v))| (cosine(v, &centroid), j))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

    let mut chosen: Vec<usize> = Vec::new();
    for (_, j) in scored {
        if chosen.len() >= n {
            break;
        }
        let redundant = chosen
            .iter()
            .any(|&c| cosine(&sentences[c].2, &sentences[j].2) > REDUNDANT);
        let same_paragraph = chosen.iter().any(|&c| sentences[c].0 == sentences[j].0);
        if !redundant && !same_paragraph {
            chosen.push(j);
        }
    }
    let mut items = Vec::new();
    for j in chosen {
        let (i, sentence, _) = &sentences[j];
        let (doc, para, _) = &texts[*i];
        let Some(citation) = ctx.cite(doc, *para)? else {
            continue;
        };
        items.push(Item {
            text: sentence.clone(),
            date: None,
            citation,
            highlights: vec![],
            note: Some("summary".into()),
            also: vec![],
        });
    }
    Ok(items)
}
