//! The records a cleaned document becomes in the index: its card, one record per dated event
//! and one per paragraph (the headline as paragraph 0), each carrying the citation fields.

use anyhow::Result;
use tantivy::{IndexWriter, TantivyDocument};

use super::schema::{paragraph_number, Fields, KIND_DOCUMENT, KIND_EVENT, KIND_PARAGRAPH};
use crate::corpus::Document;
use crate::knowledge::{discover::discover, events::events_of};
use crate::rules::Rules;
use crate::text::Segmenter;

pub(super) fn add_document(
    writer: &IndexWriter,
    f: &Fields,
    doc: &Document,
    rules: &Rules,
    seg: &Segmenter,
) -> Result<()> {
    // The citation fields go on every record an answer may quote (see `index::cards`).
    let published = doc.meta.published.map(|d| d.format("%Y-%m-%d").to_string());
    let cite = |rec: &mut TantivyDocument| {
        rec.add_text(f.doc, &doc.id);
        rec.add_text(f.title, &doc.meta.title);
        let optional = [
            (f.source, &doc.meta.source),
            (f.author, &doc.meta.author),
            (f.url, &doc.meta.url),
            (f.published, &published),
        ];
        for (field, value) in optional {
            if let Some(v) = value {
                rec.add_text(field, v);
            }
        }
        rec.add_u64(f.paragraphs, doc.paragraphs.len() as u64);
    };
    let mut card = TantivyDocument::default();
    card.add_text(f.kind, KIND_DOCUMENT);
    cite(&mut card);
    if let Some(d) = doc.meta.published {
        card.add_u64(f.published_key, crate::knowledge::dates::PartialDate::day(d).key());
    }
    for r in &doc.meta.references {
        card.add_text(f.references, r);
    }
    let names = crate::knowledge::timed_names(|| discover(doc, seg, &rules.knowledge, &rules.names));
    card.add_text(f.names, serde_json::to_string(&names)?);
    writer.add_document(card)?;

    for event in events_of(doc) {
        let mut rec = TantivyDocument::default();
        rec.add_text(f.kind, KIND_EVENT);
        cite(&mut rec);
        rec.add_u64(f.para, event.para);
        rec.add_u64(f.para_num, paragraph_number(&doc.id, event.para));
        rec.add_text(f.text, &event.text);
        rec.add_text(f.date, event.date.to_string());
        rec.add_u64(f.date_key, event.date.key());
        if let Some(note) = &event.note {
            rec.add_text(f.note, note);
        }
        writer.add_document(rec)?;
    }

    // The headline is searchable as paragraph 0, unless it is only the id or the opening
    // words of paragraph 1 standing in for a missing headline.
    let title = doc.meta.title.as_str();
    let real_headline = title != doc.id && !doc.paragraphs.first().is_some_and(|p| p.starts_with(title));
    let headline = real_headline.then_some(title);
    let body = doc.paragraphs.iter().enumerate().map(|(i, p)| (i + 1, p.as_str()));
    for (n, text) in headline.map(|t| (0, t)).into_iter().chain(body) {
        let mut rec = TantivyDocument::default();
        rec.add_text(f.kind, KIND_PARAGRAPH);
        cite(&mut rec);
        rec.add_u64(f.para, n as u64);
        rec.add_u64(f.para_num, paragraph_number(&doc.id, n as u64));
        rec.add_text(f.text, text);
        rec.add_text(f.words, text);
        rec.add_text(f.grams, text);
        writer.add_document(rec)?;
    }
    Ok(())
}
