//! Answers as Discord messages: one embed per page, each excerpt a field with its citation,
//! ◀ ▶ buttons when there are several pages.
//!
//! Discord rejects messages over its limits (and serenity refuses some client-side, so the
//! user would see nothing), so every size is enforced here, before anything is sent: 2000
//! characters of content, 256 per title, 4096 per description, 25 fields of 1024, 2048 of
//! footer, 6000 per message's embeds. Quotes are escaped so document text cannot turn into
//! Markdown, links or mentions; what does not fit is cut with an ellipsis, never split into
//! invalid text.

use serde::Serialize;

use crate::answer::{Answer, Citation, Item};
use crate::locale::{self, Front};
use crate::text::convert::{to_script, Script};

pub const CONTENT_MAX: usize = 2000;
pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 4096;
pub const FIELDS_MAX: usize = 25;
pub const FIELD_NAME_MAX: usize = 256;
pub const FIELD_VALUE_MAX: usize = 1024;
pub const FOOTER_MAX: usize = 2048;
pub const EMBED_TOTAL_MAX: usize = 6000;
/// Longest document id shown in a footer.
const ID_MAX: usize = 40;
/// Excerpts per page: enough to read, few enough to stay far from the 6000 limit.
pub const ITEMS_PER_PAGE: usize = 4;
/// The description carries the answer's message; long messages are cut to this.
const MESSAGE_BUDGET: usize = 1500;
const COLOUR: u32 = 0x3B6EA5;

pub use crate::locale::Locale;

/// One embed, as Discord's JSON has it (the part Dossier uses).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Embed {
    pub title: Option<String>,
    pub url: Option<String>,
    pub description: Option<String>,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
    pub colour: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
}

impl Embed {
    /// Characters Discord counts toward the 6000 limit.
    pub fn size(&self) -> usize {
        let len = |s: &Option<String>| s.as_deref().map_or(0, |s| s.chars().count());
        len(&self.title)
            + len(&self.description)
            + len(&self.footer)
            + self
                .fields
                .iter()
                .map(|f| f.name.chars().count() + f.value.chars().count())
                .sum::<usize>()
    }

    pub fn to_serenity(&self) -> serenity::all::CreateEmbed {
        let mut e = serenity::all::CreateEmbed::new().colour(self.colour);
        if let Some(t) = &self.title {
            e = e.title(t);
        }
        if let Some(u) = &self.url {
            e = e.url(u);
        }
        if let Some(d) = &self.description {
            e = e.description(d);
        }
        for f in &self.fields {
            e = e.field(&f.name, &f.value, false);
        }
        if let Some(f) = &self.footer {
            e = e.footer(serenity::all::CreateEmbedFooter::new(f));
        }
        e
    }
}

/// A rendered answer: its pages (at least one).
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    pub pages: Vec<Embed>,
}

/// Cuts `s` to at most `max` characters, ending with `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Escapes Markdown so document text shows as written (Discord hides the backslashes):
/// emphasis, code, spoilers, quotes, headings, links, mentions, and a list marker at the start.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        let list_marker = i == 0 && matches!(c, '-' | '+');
        if list_marker
            || matches!(
                c,
                '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']' | '(' | ')' | '<' | '@'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The quote with its highlights in bold, escaped, in the channel's script, within `max`
/// characters. Each piece is converted on its own so highlights stay on their words.
fn quote(item: &Item, max: usize, script: Script) -> String {
    let chars: Vec<char> = item.text.chars().collect();
    let escape = |s: &str| escape(&to_script(s, script));
    let mut out = String::new();
    let mut at = 0;
    let mut spans: Vec<[usize; 2]> = item.highlights.clone();
    spans.sort_unstable();
    for [s, e] in spans {
        let (s, e) = (s.min(chars.len()), e.min(chars.len()));
        if s < at || s >= e {
            continue;
        }
        out.push_str(&escape(&chars[at..s].iter().collect::<String>()));
        out.push_str("**");
        out.push_str(&escape(&chars[s..e].iter().collect::<String>()));
        out.push_str("**");
        at = e;
    }
    out.push_str(&escape(&chars[at..].iter().collect::<String>()));
    if out.chars().count() <= max {
        return out;
    }
    // Too long for the field: show the text around the first highlight, unformatted.
    let focus = item.highlights.first().map_or(0, |h| h[0]);
    let budget = max.saturating_sub(2);
    let mut start = focus.saturating_sub(budget / 4);
    loop {
        let piece: String = chars[start..].iter().collect();
        let mut text = escape(&piece);
        if start > 0 {
            text.insert(0, '…');
        }
        if text.chars().count() <= max {
            return text;
        }
        let cut = clip(&text, max);
        if !cut.ends_with("\\…") {
            return cut;
        }
        // Never leave a dangling escape before the ellipsis.
        start += 1;
        if start >= chars.len() {
            return "…".to_string();
        }
    }
}

/// `[Title](url) · outlet · 2026-03-15 · ¶6` (the document's id is in the page's footer).
pub fn citation(c: &Citation, l: Locale, script: Script) -> String {
    let title = escape(&clip(&to_script(&c.title, script), 80));
    let mut parts = vec![match &c.url {
        Some(u) if u.starts_with("http") && !u.contains(')') && u.len() < 500 => format!("[{title}]({u})"),
        _ => format!("《{title}》"),
    }];
    if let Some(s) = &c.source {
        parts.push(escape(&clip(s, 60)));
    }
    if let Some(p) = &c.published {
        parts.push(p.clone());
    }
    parts.push(
        c.paragraphs_shown()
            .unwrap_or_else(|| locale::text(l, "citation.headline").to_string()),
    );
    // The document's id (often a hash) is for `/source doc:`; it goes in the footer.
    parts.join(" · ")
}

fn field(n: usize, item: &Item, l: Locale, script: Script) -> Field {
    let mut name = format!("{n}.");
    if let Some(d) = &item.date {
        name.push(' ');
        name.push_str(d);
    }
    let mut tail = format!("\n— {}", citation(&item.citation, l, script));
    if let Some(note) = &item.note {
        tail.insert_str(0, &format!("\n*{}*", escape(&clip(note, 120))));
    }
    for c in item.also.iter().take(3) {
        tail.push_str(&format!(
            "\n{}: {}",
            locale::text(l, "citation.also_in"),
            citation(c, l, script)
        ));
    }
    let tail = clip(&tail, FIELD_VALUE_MAX / 2);
    let room = FIELD_VALUE_MAX - tail.chars().count() - 2;
    let value = format!("> {}{}", quote(item, room, script), tail);
    Field {
        name: clip(&name, FIELD_NAME_MAX),
        value: clip(&value, FIELD_VALUE_MAX),
    }
}

/// Renders an answer into pages that each fit every Discord limit.
pub fn pages(answer: &Answer, locale: Locale, script: Script) -> Pages {
    let l = locale;
    let heading = locale::heading(&answer.summary, locale, Front::Discord);
    let title = clip(heading.title.trim(), TITLE_MAX);
    let rest = heading.body();
    let description =
        (!rest.trim().is_empty()).then(|| clip(&escape_message(&rest), MESSAGE_BUDGET.min(DESCRIPTION_MAX)));
    let base = Embed {
        title: Some(escape_title(&title)),
        description,
        colour: COLOUR,
        ..Default::default()
    };
    let fields: Vec<Field> = answer
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| field(i + 1, item, l, script))
        .collect();
    let mut pages: Vec<Embed> = Vec::new();
    let mut ids: Vec<Vec<String>> = vec![Vec::new()];
    let mut current = base.clone();
    for (f, item) in fields.into_iter().zip(&answer.items) {
        // The footer: "Dossier · page 2/5 · 6 000_a75d65da8a741bbc · 7 …", ids clipped.
        let id_room = ID_MAX + 8;
        let footer_room = 40
            + ids
                .last()
                .map_or(0, |page| page.iter().map(|i| i.chars().count() + 3).sum::<usize>())
            + id_room;
        let full = current.fields.len() >= ITEMS_PER_PAGE.min(FIELDS_MAX)
            || current.size() + f.name.chars().count() + f.value.chars().count() + footer_room > EMBED_TOTAL_MAX;
        if full && !current.fields.is_empty() {
            pages.push(std::mem::replace(&mut current, base.clone()));
            ids.push(Vec::new());
        }
        let number = f.name.split('.').next().unwrap_or_default().to_string();
        current.fields.push(f);
        let id = clip(&item.citation.doc, ID_MAX).replace('`', "");
        ids.last_mut().unwrap().push(format!("{number} {id}"));
    }
    pages.push(current);
    let n = pages.len();
    for (i, p) in pages.iter_mut().enumerate() {
        let mut footer = vec!["Dossier".to_string()];
        if n > 1 {
            footer.push(locale::fill(
                l,
                "discord.page",
                &[("i", &(i + 1).to_string()), ("n", &n.to_string())],
            ));
        }
        footer.extend(ids.get(i).into_iter().flatten().cloned());
        p.footer = Some(clip(&footer.join(" · "), FOOTER_MAX));
    }
    Pages { pages }
}

/// An answer's heading, escaped like quotes except for paired backticks: the messages write
/// commands as code (`/who 扎克伯格`), and code can neither link nor ping.
fn escape_message(s: &str) -> String {
    s.lines()
        .map(|line| {
            if line.matches('`').count() % 2 == 0 {
                // Outside the spans escaped; inside them as written (code shows backslashes).
                line.split('`')
                    .enumerate()
                    .map(|(i, part)| if i % 2 == 0 { escape(part) } else { part.to_string() })
                    .collect::<Vec<_>>()
                    .join("`")
            } else {
                escape(line)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn escape_title(s: &str) -> String {
    // Titles render no Markdown (escapes would show), and mentions do not ping in embeds.
    clip(s, TITLE_MAX)
}

/// Plain text for the content field (user errors, hints), within the 2000 limit.
pub fn plain(text: &str) -> String {
    clip(text, CONTENT_MAX)
}

/// `dossier:page:<answer id>:<page>` — what a ◀ ▶ button carries.
pub fn page_button_id(answer_id: u64, page: usize) -> String {
    format!("dossier:page:{answer_id:x}:{page}")
}

pub fn parse_page_button(custom_id: &str) -> Option<(u64, usize)> {
    let rest = custom_id.strip_prefix("dossier:page:")?;
    let (id, page) = rest.split_once(':')?;
    Some((u64::from_str_radix(id, 16).ok()?, page.parse().ok()?))
}

/// `dossier:vote:<answer id>:up|down` — what a 👍 👎 button carries.
pub fn vote_button_id(answer_id: u64, helpful: bool) -> String {
    format!("dossier:vote:{answer_id:x}:{}", if helpful { "up" } else { "down" })
}

pub fn parse_vote_button(custom_id: &str) -> Option<(u64, bool)> {
    let rest = custom_id.strip_prefix("dossier:vote:")?;
    let (id, vote) = rest.split_once(':')?;
    let helpful = match vote {
        "up" => true,
        "down" => false,
        _ => return None,
    };
    Some((u64::from_str_radix(id, 16).ok()?, helpful))
}

#[cfg(test)]
mod tests {
    #[test]
    fn messages_keep_their_code_spans_and_escape_the_rest() {
        assert_eq!(
            escape_message("Try `/who 扎克伯格` *now*"),
            "Try `/who 扎克伯格` \\*now\\*"
        );
        assert_eq!(escape_message("a lone ` tick"), "a lone \\` tick");
        assert_eq!(escape_message("`<@42>` @here"), "`<@42>` \\@here");
    }

    use super::*;
    use crate::answer::summary::Summary;

    fn item(text: &str, highlights: Vec<[usize; 2]>) -> Item {
        Item {
            text: text.into(),
            date: Some("2026-01".into()),
            citation: Citation {
                doc: "000_a75d65da8a741bbc".into(),
                title: "大裁員20%,新模型難產:Meta AI這團亂麻仍然沒理順".into(),
                source: Some("字母AI via 虎嗅 · 網易號".into()),
                author: Some("小金牙".into()),
                url: Some("https://www.huxiu.com/article/4842057.html?f=wyxwapp".into()),
                published: Some("2026-03-15".into()),
                paragraph: 26,
                last_paragraph: None,
            },
            highlights,
            note: Some("≈ 2025-12, \"去年年底\"".into()),
            also: vec![],
        }
    }

    fn assert_limits(p: &Pages) {
        for e in &p.pages {
            assert!(e.size() <= EMBED_TOTAL_MAX, "embed of {} characters", e.size());
            assert!(e.fields.len() <= FIELDS_MAX);
            assert!(e.title.as_ref().is_none_or(|t| t.chars().count() <= TITLE_MAX));
            assert!(e
                .description
                .as_ref()
                .is_none_or(|d| d.chars().count() <= DESCRIPTION_MAX));
            assert!(e.footer.as_ref().is_none_or(|f| f.chars().count() <= FOOTER_MAX));
            for f in &e.fields {
                assert!(f.name.chars().count() <= FIELD_NAME_MAX && !f.name.is_empty());
                assert!(f.value.chars().count() <= FIELD_VALUE_MAX && !f.value.is_empty());
            }
        }
    }

    #[test]
    fn pages_respect_every_limit_even_for_huge_answers() {
        let long = "扎克伯格把公司的未來押在了人工智能上。".repeat(400);
        let answer = Answer {
            summary: Summary::Document {
                id: "x".repeat(300),
                title: "標題".repeat(300),
                source: Some("說明*_`|".repeat(2000)),
                author: None,
                published: None,
                url: None,
                paragraphs: 40,
                references: vec!["說明*_`|".repeat(500); 5],
            },
            items: (0..40).map(|i| item(&long, vec![[i, i + 4], [5000, 5004]])).collect(),
        };
        let p = pages(&answer, Locale::ZhTw, Script::Original);
        assert_limits(&p);
        // Every excerpt is shown once, pages are filled (a few long excerpts each), and each
        // footer numbers its page and names its excerpts' documents.
        let n = p.pages.len();
        assert_eq!(p.pages.iter().map(|e| e.fields.len()).sum::<usize>(), 40);
        assert!(p.pages[..n - 1].iter().all(|e| e.fields.len() >= 3), "{n} pages");
        let last = p.pages[n - 1].footer.as_deref().unwrap();
        assert!(
            last.contains(&format!("第 {n}/{n} 頁")) && last.contains("40 000_a75d65da8a741bbc"),
            "{last}"
        );
    }

    #[test]
    fn quotes_are_escaped_and_highlighted() {
        let text = "今年1月,團隊進入下一階段——“后訓練”(post-training)@everyone <@123> *x*";
        let answer = Answer {
            summary: passages(1),
            items: vec![item(text, vec![[0, 4]])],
        };
        let p = pages(&answer, Locale::En, Script::Original);
        assert_limits(&p);
        let v = &p.pages[0].fields[0].value;
        assert!(v.starts_with("> **今年1月**"), "{v}");
        assert!(
            v.contains("\\@everyone") && v.contains("\\<\\@123\\>") && v.contains("\\*x\\*"),
            "{v}"
        );
        assert!(v.contains(
            "[大裁員20%,新模型難產:Meta AI這團亂麻仍然沒理順](https://www.huxiu.com/article/4842057.html?f=wyxwapp)"
        ));
        assert!(v.contains("¶26") && v.contains("2026-03-15"));
        assert_eq!(p.pages[0].fields[0].name, "1. 2026-01");
        assert_eq!(p.pages.len(), 1);
    }

    #[test]
    fn a_heading_alone_is_one_page_in_the_readers_language() {
        let answer = Answer {
            summary: Summary::NoWords { query: "？".into() },
            items: vec![],
        };
        let en = pages(&answer, Locale::En, Script::Original);
        assert_eq!(en.pages.len(), 1);
        assert!(en.pages[0].title.as_deref().unwrap().contains("no words to search"));
        let zh = pages(&answer, Locale::ZhTw, Script::Original);
        assert!(zh.pages[0].title.as_deref().unwrap().contains("沒有可搜尋的詞"));
    }

    fn passages(n: usize) -> Summary {
        Summary::Passages {
            query: "q".into(),
            question: false,
            passages: n,
            documents: 1,
            absent: vec![],
            truncated: false,
        }
    }

    #[test]
    fn quotes_follow_the_channel_script_with_highlights_kept() {
        let answer = Answer {
            summary: passages(1),
            items: vec![item("兩層安保+特殊權限工牌", vec![[0, 4]])],
        };
        let p = pages(&answer, Locale::En, Script::Simplified);
        assert!(
            p.pages[0].fields[0].value.starts_with("> **两层安保**\\+特殊权限工牌"),
            "{}",
            p.pages[0].fields[0].value
        );
    }

    #[test]
    fn button_ids() {
        let id = page_button_id(0xdead_beef_1234, 3);
        assert!(id.len() <= 100);
        assert_eq!(parse_page_button(&id), Some((0xdead_beef_1234, 3)));
        assert_eq!(parse_page_button("other:1:2"), None);
    }
}
