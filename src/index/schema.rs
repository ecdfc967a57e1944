//! The tantivy schema: one record per paragraph, one card per document, one record per
//! dated event.
//!
//! Paragraph records hold the original text (stored, for display) and two indexed views of
//! the same text: jieba words (the main matching field, with term frequencies for BM25) and
//! character bigrams (names the dictionary lacks, exact phrases; presence only, which keeps
//! the largest postings a fifth smaller and changed no first answer on the bench queries).
//! Document cards hold a document's whole metadata (with its references and the names it
//! declares); paragraph and event records carry the citation part of it (see `cards`).

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

use super::analyzers::{GRAMS, WORDS};

/// Bump when the schema or the analysis changes: older indexes are rebuilt.
pub const SCHEMA_VERSION: u32 = 18;

pub const KIND_PARAGRAPH: &str = "para";
pub const KIND_DOCUMENT: &str = "doc";
pub const KIND_EVENT: &str = "event";

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub kind: Field,
    pub doc: Field,
    /// Paragraph number: 0 is the headline, 1.. the body.
    pub para: Field,
    pub text: Field,
    pub words: Field,
    pub grams: Field,
    /// Document-card fields.
    pub title: Field,
    pub source: Field,
    pub author: Field,
    pub url: Field,
    pub published: Field,
    pub references: Field,
    pub paragraphs: Field,
    /// Publication date of a card as `YYYYMMDD`, to find the documents of a period.
    pub published_key: Field,
    /// The names a document declares (JSON of `knowledge::DocNames`), on its card.
    pub names: Field,
    /// Event fields: normalised date, its sortable key and the reading note.
    pub date: Field,
    pub date_key: Field,
    pub note: Field,
    /// `paragraph_number(doc, para)` on paragraph records (fast, read without the store) and
    /// on event records (to keep the events of given paragraphs); a fast field only.
    pub para_num: Field,
}

/// A number naming a paragraph: stable across runs, read from fast fields.
pub fn paragraph_number(doc: &str, para: u64) -> u64 {
    use std::hash::{Hash, Hasher};
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new_with_keys(0x7061_7261, 0x006e_756d);
    (doc, para).hash(&mut h);
    h.finish()
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        doc: b.add_text_field("doc", STRING | STORED),
        para: b.add_u64_field("para", INDEXED | STORED | FAST),
        text: b.add_text_field("text", STORED),
        words: b.add_text_field("words", indexed(WORDS, IndexRecordOption::WithFreqs)),
        grams: b.add_text_field("grams", indexed(GRAMS, IndexRecordOption::Basic)),
        title: b.add_text_field("title", STORED),
        source: b.add_text_field("source", STORED),
        author: b.add_text_field("author", STORED),
        url: b.add_text_field("url", STORED),
        published: b.add_text_field("published", STORED),
        references: b.add_text_field("references", STORED),
        paragraphs: b.add_u64_field("paragraphs", STORED),
        published_key: b.add_u64_field("published_key", INDEXED | FAST),
        names: b.add_text_field("names", STORED),
        date: b.add_text_field("date", STORED),
        date_key: b.add_u64_field("date_key", INDEXED | STORED | FAST),
        note: b.add_text_field("note", STORED),
        para_num: b.add_u64_field("para_num", FAST),
    };
    (b.build(), fields)
}
