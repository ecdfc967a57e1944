//! Plain-text rendering of answers for a terminal: numbered excerpts, each followed by its
//! citation; matched words in bold when the output is a terminal. Headings and errors come
//! from the message catalogue of the terminal's language.

use dossier::answer::{Answer, Citation, Item};
use dossier::engine::{Failure, Response};
use dossier::index::SyncReport;
use dossier::locale::{self, error_text, heading, Front, Locale};

pub fn response_text(r: &Response, l: Locale, color: bool) -> String {
    if let Some(failure) = &r.error {
        return format!("error ({}): {}\n", failure.kind(), failure_text(failure, l));
    }
    let Some(summary) = r.summary.clone() else {
        return String::new();
    };
    let answer = Answer {
        summary,
        items: r.items.clone(),
    };
    let mut out = answer_text(&answer, l, color);
    if r.cached {
        out.push('\n');
        out.push_str(locale::text(l, "citation.cached"));
        out.push('\n');
    }
    out
}

/// What a failure tells a terminal user.
pub fn failure_text(f: &Failure, l: Locale) -> String {
    match f {
        Failure::User(e) => error_text(e, l, Front::Cli),
        Failure::Internal => locale::text(l, "error.internal").to_string(),
    }
}

/// `dossier ask --json`: the response as data, with its heading (`message`) and any error's
/// text rendered in `l` for readers of the raw output.
pub fn response_json(r: &Response, l: Locale) -> serde_json::Value {
    let mut value = serde_json::to_value(r).unwrap_or_default();
    value["message"] = match &r.summary {
        Some(s) => {
            let h = heading(s, l, Front::Cli);
            serde_json::Value::String(if h.lines.is_empty() {
                h.title
            } else {
                format!("{}\n{}", h.title, h.body())
            })
        }
        None => serde_json::Value::Null,
    };
    if let Some(f) = &r.error {
        value["error"]["message"] = serde_json::Value::String(failure_text(f, l));
    }
    value
}

/// A heading followed by numbered excerpts, each with its citation.
pub fn answer_text(a: &Answer, l: Locale, color: bool) -> String {
    let h = heading(&a.summary, l, Front::Cli);
    let mut out = printable(&h.title);
    out.push('\n');
    for line in &h.lines {
        out.push_str(&printable(line));
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
        out.push_str(&format!("    — {}\n", citation_line(&item.citation, l)));
        for c in &item.also {
            out.push_str(&format!(
                "    — {}: {}\n",
                locale::text(l, "citation.also_in"),
                citation_line(c, l)
            ));
        }
    }
    out
}

/// `《Title》, outlet, by author, 2026-03-15, ¶6 [doc-id] url`
pub fn citation_line(c: &Citation, l: Locale) -> String {
    let mut parts = vec![format!("《{}》", c.title)];
    parts.extend(c.source.clone());
    parts.extend(
        c.author
            .as_ref()
            .map(|a| locale::fill(l, "citation.author", &[("name", a)])),
    );
    parts.extend(c.published.clone());
    parts.push(
        c.paragraphs_shown()
            .unwrap_or_else(|| locale::text(l, "citation.headline").to_string()),
    );
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
pub fn document_text(d: &dossier::corpus::Document, dropped: bool) -> String {
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
pub fn shown_json(path: &std::path::Path, d: Option<&dossier::corpus::Document>, error: Option<&str>) -> String {
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
pub fn entities_text(entities: &[&dossier::knowledge::Entity], json: bool) -> anyhow::Result<String> {
    if json {
        #[derive(serde::Serialize)]
        struct Row<'a> {
            name: &'a str,
            kind: dossier::text::EntityKind,
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
