//! Plain-text rendering of answers for a terminal: numbered excerpts, each followed by its
//! citation; matched words in bold when the output is a terminal.

use crate::answer::{Citation, Item};
use crate::engine::Response;
use crate::index::SyncReport;

pub fn response_text(r: &Response, color: bool) -> String {
    if let Some(err) = &r.error {
        return format!("error ({}): {}\n", err.kind, err.message);
    }
    let answer = crate::answer::Answer {
        message: r.message.clone(),
        items: r.items.clone(),
    };
    let mut out = answer_text(&answer, color);
    if r.cached {
        out.push_str("\n(from this channel's cache)\n");
    }
    out
}

/// A message followed by numbered excerpts, each with its citation.
pub fn answer_text(a: &crate::answer::Answer, color: bool) -> String {
    let mut out = String::new();
    if let Some(m) = &a.message {
        out.push_str(&printable(m));
        out.push('\n');
    }
    for (i, item) in a.items.iter().enumerate() {
        out.push('\n');
        let lead = match &item.date {
            Some(d) => format!("[{}] {d}  ", i + 1),
            None => format!("[{}] ", i + 1),
        };
        out.push_str(&lead);
        out.push_str(&highlighted(item, color));
        out.push('\n');
        if let Some(note) = &item.note {
            out.push_str(&format!("    ({note})\n"));
        }
        out.push_str(&format!("    — {}\n", citation_line(&item.citation)));
        for c in &item.also {
            out.push_str(&format!("    — also: {}\n", citation_line(c)));
        }
    }
    out
}

/// `Title, outlet, author, 2026-03-15, ¶6 [doc-id] url`
pub fn citation_line(c: &Citation) -> String {
    let mut parts = vec![format!("《{}》", c.title)];
    parts.extend(c.source.clone());
    parts.extend(c.author.as_ref().map(|a| format!("作者 {a}")));
    parts.extend(c.published.clone());
    parts.push(c.paragraphs_shown().unwrap_or_else(|| "headline".to_string()));
    let mut line = format!("{} [{}]", parts.join(", "), c.doc);
    if let Some(url) = &c.url {
        line.push(' ');
        line.push_str(url);
    }
    printable(&line)
}

/// Text from files (a file name, a page title) as a terminal should see it: control
/// characters, escape sequences included, are shown escaped and never act.
pub fn printable(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn highlighted(item: &Item, color: bool) -> String {
    if !color || item.highlights.is_empty() {
        return printable(&item.text);
    }
    let chars: Vec<char> = item.text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for [s, e] in &item.highlights {
        let (s, e) = ((*s).min(chars.len()), (*e).min(chars.len()));
        if s < at {
            continue;
        }
        out.extend(&chars[at..s]);
        out.push_str("\x1b[1;33m");
        out.extend(&chars[s..e]);
        out.push_str("\x1b[0m");
        at = e;
    }
    out.extend(&chars[at..]);
    out
}

pub fn sync_summary(r: &SyncReport) -> String {
    let docs = r.added + r.updated + r.unchanged;
    format!(
        "indexed {docs} documents ({} new, {} changed, {} removed; {} paragraphs read, {:.1} KB) in {:.2} s{}",
        r.added,
        r.updated,
        r.removed,
        r.paragraphs,
        r.bytes as f64 / 1024.0,
        r.elapsed.as_secs_f64(),
        if r.skipped.is_empty() {
            String::new()
        } else {
            format!("; skipped {} files", r.skipped.len())
        }
    )
}

/// A cleaned document: its metadata, then its numbered paragraphs.
pub fn document_text(d: &crate::corpus::Document, dropped: bool) -> String {
    let m = &d.meta;
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let mut out = format!(
        "id:         {}\ntitle:      {}\nsource:     {}\nauthor:     {}\nurl:        {}\npublished:  {}\n",
        printable(&d.id),
        printable(&m.title),
        opt(&m.source),
        opt(&m.author),
        opt(&m.url),
        m.published.map_or("—".into(), |p| p.to_string()),
    );
    for (i, r) in m.references.iter().enumerate() {
        out.push_str(&format!("reference {}: {r}\n", i + 1));
    }
    out.push('\n');
    for (i, p) in d.paragraphs.iter().enumerate() {
        out.push_str(&format!("¶{} {p}\n", i + 1));
    }
    if dropped {
        out.push_str(&format!("\n{} lines left out:\n", d.dropped.len()));
        for line in &d.dropped {
            out.push_str(&format!("✗ {}\n    ({})\n", line.text, line.reason));
        }
    }
    out
}

/// One line of `dossier show --json`: the document as read, or why it could not be.
pub fn shown_json(path: &std::path::Path, d: Option<&crate::corpus::Document>, error: Option<&str>) -> String {
    let value = match d {
        Some(d) => serde_json::json!({
            "path": path,
            "id": d.id,
            "title": d.meta.title,
            "source": d.meta.source,
            "author": d.meta.author,
            "url": d.meta.url,
            "published": d.meta.published.map(|p| p.to_string()),
            "paragraphs": d.paragraphs,
            "dropped": d.dropped,
            "error": null,
        }),
        None => serde_json::json!({"path": path, "paragraphs": [], "error": error}),
    };
    value.to_string()
}

/// Entities as lines (`name (kind) — N mentions — also: …`) or as a JSON array.
pub fn entities_text(entities: &[&crate::knowledge::Entity], json: bool) -> anyhow::Result<String> {
    if json {
        #[derive(serde::Serialize)]
        struct Row<'a> {
            name: &'a str,
            kind: crate::text::EntityKind,
            aliases: &'a [String],
            mentions: u64,
        }
        let rows: Vec<Row> = entities
            .iter()
            .map(|e| Row {
                name: &e.name,
                kind: e.kind,
                aliases: &e.aliases,
                mentions: e.mentions,
            })
            .collect();
        return Ok(serde_json::to_string_pretty(&rows)? + "\n");
    }
    let mut out = String::new();
    for e in entities {
        out.push_str(&format!(
            "{} ({}) — {} mention{}",
            e.name,
            e.kind.label(),
            e.mentions,
            if e.mentions == 1 { "" } else { "s" }
        ));
        if !e.aliases.is_empty() {
            out.push_str(&format!(" — also: {}", e.aliases.join(", ")));
        }
        out.push('\n');
    }
    if entities.is_empty() {
        out.push_str("no entities match\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_from_files_never_reach_the_terminal() {
        assert_eq!(super::printable("doc\u{1b}[2Jname"), "doc\\u{1b}[2Jname");
        assert_eq!(super::printable("plain 文本\nnext"), "plain 文本\nnext");
    }
}
