//! An answer's [`Summary`] as a heading and a few lines in the reader's language.

use super::{command, count, fill, list, menu, option, text, usage, Front, Locale};
use crate::answer::shorten;
use crate::answer::summary::{Counted, Named, Summary};
use crate::command::{Command, Menu};
use crate::text::EntityKind;

/// Longest query quoted back to the reader.
const QUERY_SHOWN: usize = 60;

/// What the reader sees above the quotes: a title line and the lines under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub title: String,
    pub lines: Vec<String>,
}

impl Heading {
    fn new(title: String) -> Heading {
        Heading { title, lines: vec![] }
    }

    fn line(&mut self, s: String) {
        self.lines.push(s);
    }

    /// The lines after the title, one per line, as the CLI and an embed's description show
    /// them.
    pub fn body(&self) -> String {
        self.lines.join("\n")
    }
}

fn kind(locale: Locale, k: EntityKind) -> &'static str {
    text(
        locale,
        match k {
            EntityKind::Person => "kind.person",
            EntityKind::Org => "kind.org",
            EntityKind::Product => "kind.product",
            EntityKind::Other => "kind.other",
        },
    )
}

fn counted(locale: Locale, items: &[Counted]) -> String {
    let shown: Vec<String> = items
        .iter()
        .map(|c| {
            fill(
                locale,
                "list.counted",
                &[("name", &c.name), ("n", &c.count.to_string())],
            )
        })
        .collect();
    list(locale, &shown)
}

fn named(locale: Locale, names: &[Named]) -> String {
    let shown: Vec<String> = names
        .iter()
        .map(|n| {
            fill(
                locale,
                "profile.title",
                &[("name", &n.name), ("kind", kind(locale, n.kind))],
            )
        })
        .collect();
    list(locale, &shown)
}

/// Renders what an answer found for a reader of `locale` on `front`.
pub fn heading(summary: &Summary, locale: Locale, front: Front) -> Heading {
    let l = locale;
    match summary {
        Summary::Passages {
            query,
            question,
            passages,
            documents,
            absent,
            truncated,
        } => {
            let noun = if *question { "answers" } else { "passages" };
            let mut h = Heading::new(fill(
                l,
                "answer.passages",
                &[
                    ("passages", &count(l, noun, *passages)),
                    ("documents", &count(l, "documents", *documents)),
                    ("query", &shorten(query.trim(), QUERY_SHOWN)),
                ],
            ));
            if !absent.is_empty() {
                h.line(fill(l, "answer.absent_among_passages", &[("words", &list(l, absent))]));
            }
            if *truncated {
                h.line(text(l, "answer.truncated").to_string());
            }
            h
        }
        Summary::NoMatch {
            query,
            corpus,
            searched,
            absent,
        } => {
            let mut h = Heading::new(fill(
                l,
                "answer.no_match",
                &[
                    ("corpus", &count(l, "documents", *corpus)),
                    ("query", &shorten(query.trim(), QUERY_SHOWN)),
                ],
            ));
            h.line(fill(l, "answer.searched", &[("words", &searched.join(" · "))]));
            if !absent.is_empty() {
                h.line(fill(l, "answer.absent", &[("words", &list(l, absent))]));
            }
            h.line(text(l, "answer.no_match_hint").to_string());
            h
        }
        Summary::NoWords { query } => Heading::new(fill(
            l,
            "answer.no_words",
            &[("query", &shorten(query.trim(), QUERY_SHOWN))],
        )),
        Summary::Document {
            id,
            title,
            source,
            author,
            published,
            url,
            paragraphs,
            references,
        } => {
            let mut h = Heading::new(fill(l, "document.title", &[("id", id), ("title", title)]));
            for (key, value) in [("document.source", source), ("document.author", author)] {
                if let Some(v) = value {
                    h.line(fill(l, key, &[("value", v)]));
                }
            }
            h.line(match published {
                Some(d) => fill(l, "document.published", &[("value", &d.format("%Y-%m-%d").to_string())]),
                None => text(l, "document.unpublished").to_string(),
            });
            if let Some(u) = url {
                h.line(fill(l, "document.url", &[("value", u)]));
            }
            h.line(fill(l, "document.paragraphs", &[("n", &paragraphs.to_string())]));
            if !references.is_empty() {
                h.line(text(l, "document.references").to_string());
                for (i, r) in references.iter().enumerate() {
                    h.line(format!("  {}. {r}", i + 1));
                }
            }
            h
        }
        Summary::Profile {
            entity,
            aliases,
            roles,
            paragraphs,
            documents,
            at_least,
            often_with,
            describing,
        } => {
            let mut h = Heading::new(named(l, std::slice::from_ref(entity)));
            if !aliases.is_empty() {
                h.line(fill(l, "profile.aliases", &[("names", &list(l, aliases))]));
            }
            if !roles.is_empty() {
                h.line(fill(l, "profile.roles", &[("roles", &list(l, roles))]));
            }
            h.line(fill(
                l,
                if *at_least {
                    "profile.mentioned_at_least"
                } else {
                    "profile.mentioned"
                },
                &[
                    ("paragraphs", &count(l, "paragraphs", *paragraphs)),
                    ("documents", &count(l, "documents", *documents)),
                ],
            ));
            if !often_with.is_empty() {
                h.line(fill(l, "profile.often_with", &[("names", &counted(l, often_with))]));
            }
            h.line(match describing {
                0 => text(l, "profile.no_describing").to_string(),
                1 => fill(l, "profile.describing_one", &[("n", "1")]),
                n => fill(l, "profile.describing", &[("n", &n.to_string())]),
            });
            h
        }
        Summary::UnknownName {
            query,
            corpus,
            closest,
            most_mentioned,
        } => {
            let shown = shorten(query.trim(), QUERY_SHOWN);
            let mut h = Heading::new(fill(
                l,
                "profile.unknown",
                &[("query", &shown), ("corpus", &count(l, "documents", *corpus))],
            ));
            let source = format!("{} {shown}", command(l, front, Command::Source));
            h.line(fill(l, "profile.try_source", &[("command", &source)]));
            if !closest.is_empty() {
                h.line(fill(l, "profile.closest", &[("names", &list(l, closest))]));
            } else if !most_mentioned.is_empty() {
                h.line(fill(
                    l,
                    "profile.most_mentioned",
                    &[("names", &list(l, most_mentioned))],
                ));
            }
            h
        }
        Summary::Mentioned { names } => {
            if names.is_empty() {
                return Heading::new(text(l, "mentioned.none").to_string());
            }
            let mut h = Heading::new(fill(l, "mentioned.title", &[("names", &named(l, names))]));
            h.line(text(l, "mentioned.body").to_string());
            h
        }
        Summary::Timeline {
            topic,
            from,
            to,
            events,
            reports,
            shown,
            partial,
            corpus,
        } => timeline(
            l,
            front,
            topic.as_deref(),
            (from.as_deref(), to.as_deref()),
            (*events, *reports, *shown, *partial),
            *corpus,
        ),
        Summary::Help { command: None } => {
            let mut h = Heading::new("Dossier".to_string());
            h.line(text(l, "help.intro").to_string());
            h.line(String::new());
            for c in Command::ALL {
                if front == Front::Cli && c.discord_only().is_some() {
                    continue;
                }
                h.line(format!("{} — {}", code(&usage(l, front, c)), description(l, c)));
                if let Some(example) = c.text().examples.first() {
                    h.line(format!(
                        "    {}",
                        fill(l, "help.example", &[("example", &code(example))])
                    ));
                }
            }
            h.line(String::new());
            let help = code(&format!("{} …", command(l, front, Command::Help)));
            h.line(match front {
                Front::Cli => fill(
                    l,
                    "help.outro_cli",
                    &[("ask", &code(&command(l, front, Command::Ask))), ("help", &help)],
                ),
                Front::Discord => fill(
                    l,
                    "help.outro_discord",
                    &[("find_source", &menu(l, Menu::FindSource)), ("help", &help)],
                ),
            });
            h
        }
        Summary::Help { command: Some(c) } => {
            let t = c.text();
            let mut h = Heading::new(usage(l, front, *c));
            h.line(description(l, *c).to_string());
            h.line(String::new());
            let help = t
                .localizations
                .get(l.code())
                .and_then(|x| x.help.as_deref())
                .unwrap_or(&t.help);
            h.line(help.trim().to_string());
            if !t.examples.is_empty() {
                h.line(String::new());
                h.line(text(l, "help.examples").to_string());
                h.lines.extend(t.examples.iter().map(|e| format!("    {}", code(e))));
            }
            h
        }
        Summary::Digest {
            since,
            until,
            topic,
            documents,
            new_documents,
            people,
            events,
            events_listed,
        } => {
            let (since, until) = (since.to_string(), until.to_string());
            if documents.is_empty() && *events_listed == 0 {
                let about = topic
                    .as_deref()
                    .map(|t| fill(l, "digest.about", &[("topic", t)]))
                    .unwrap_or_default();
                return Heading::new(fill(
                    l,
                    "digest.quiet",
                    &[("about", &about), ("since", &since), ("until", &until)],
                ));
            }
            let mut h = Heading::new(match topic {
                Some(t) => fill(
                    l,
                    "digest.title_topic",
                    &[("since", &since), ("until", &until), ("topic", t)],
                ),
                None => fill(l, "digest.title", &[("since", &since), ("until", &until)]),
            });
            if !documents.is_empty() {
                h.line(fill(l, "digest.new_documents", &[("n", &new_documents.to_string())]));
                for c in documents {
                    let mut line = format!("• {}", c.title);
                    if let Some(s) = &c.source {
                        line.push_str(&format!(" — {s}"));
                    }
                    if let Some(p) = &c.published {
                        line.push_str(&format!(", {p}"));
                    }
                    line.push_str(&format!(" [{}]", c.doc));
                    if let Some(u) = &c.url {
                        line.push_str(&format!(" {u}"));
                    }
                    h.line(line);
                }
                let more = new_documents.saturating_sub(documents.len());
                if more > 0 {
                    h.line(fill(l, "digest.more", &[("n", &more.to_string())]));
                }
            }
            if !people.is_empty() {
                h.line(fill(l, "digest.people", &[("names", &counted(l, people))]));
            }
            if *events_listed > 0 {
                h.line(fill(l, "digest.events", &[("n", &events.to_string())]));
            }
            h
        }
    }
}

/// A command's one-line description in the reader's language.
fn description(l: Locale, c: Command) -> &'static str {
    let t = c.text();
    t.localizations
        .get(l.code())
        .map_or(t.description.as_str(), |x| x.description.as_str())
}

/// Text the reader would type, as code (Discord shows it as such; a terminal shows the
/// backticks, which read as quotes there too).
fn code(s: &str) -> String {
    format!("`{s}`")
}

fn timeline(
    l: Locale,
    front: Front,
    topic: Option<&str>,
    (from, to): (Option<&str>, Option<&str>),
    (events, reports, shown, partial): (usize, usize, usize, bool),
    corpus: usize,
) -> Heading {
    let about = topic
        .filter(|t| !t.is_empty())
        .map(|t| fill(l, "timeline.about", &[("topic", &shorten(t, 40))]))
        .unwrap_or_default();
    let range = match (from, to) {
        (Some(f), Some(t)) if f == t => fill(l, "timeline.in", &[("date", f)]),
        (Some(f), Some(t)) => fill(l, "timeline.between", &[("from", f), ("to", t)]),
        (Some(f), None) => fill(l, "timeline.since", &[("from", f)]),
        (None, Some(t)) => fill(l, "timeline.until", &[("to", t)]),
        (None, None) => String::new(),
    };
    if events == 0 {
        let mut h = Heading::new(fill(
            l,
            "timeline.none",
            &[
                ("about", &about),
                ("range", &range),
                ("corpus", &count(l, "documents", corpus)),
            ],
        ));
        h.line(text(l, "timeline.none_hint").to_string());
        return h;
    }
    let counted = count(l, "events", events);
    let mut h = Heading::new(if partial {
        fill(
            l,
            "timeline.found_partial",
            &[
                ("events", &counted),
                ("about", &about),
                ("range", &range),
                ("reports", &count(l, "reports", reports)),
            ],
        )
    } else {
        fill(
            l,
            "timeline.found",
            &[("events", &counted), ("about", &about), ("range", &range)],
        )
    });
    if shown < events || partial {
        h.line(fill(
            l,
            "timeline.more",
            &[
                ("shown", &shown.to_string()),
                ("from", &option(l, front, Command::Timeline, "from")),
                ("to", &option(l, front, Command::Timeline, "to")),
            ],
        ));
    }
    h
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::answer::Citation;

    /// Latin words in `s` once the given data (names, queries, titles) is taken out: in a
    /// Chinese reader's text they would be untranslated interface words. Product and standard
    /// names stay as they are written in every language.
    pub fn english_words(s: &str) -> Vec<String> {
        const NAMES: [&str; 5] = ["Dossier", "Discord", "Message Content", "IANA", "UTC"];
        // What the reader types (in backticks) is a command, not a sentence.
        let mut s: String = s.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        for name in NAMES {
            s = s.replace(name, " ");
        }
        s.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 2)
            .map(str::to_string)
            .collect()
    }

    fn citation(title: &str) -> Citation {
        Citation {
            doc: "12".into(),
            title: title.into(),
            source: None,
            author: None,
            url: None,
            published: Some("2026-03-15".into()),
            paragraph: 0,
            last_paragraph: None,
        }
    }

    /// One summary of every kind and shape; all data is Chinese so that any Latin word in a
    /// Chinese rendering is the interface's own.
    pub fn every_summary() -> Vec<Summary> {
        let person = Named {
            name: "王小明".into(),
            kind: EntityKind::Person,
        };
        let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        let mut all = vec![
            Summary::Passages {
                query: "谁负责".into(),
                question: true,
                passages: 1,
                documents: 1,
                absent: vec!["火星".into()],
                truncated: true,
            },
            Summary::Passages {
                query: "预算".into(),
                question: false,
                passages: 4,
                documents: 2,
                absent: vec![],
                truncated: false,
            },
            Summary::NoMatch {
                query: "火星基地".into(),
                corpus: 4,
                searched: vec!["火星".into(), "基地".into()],
                absent: vec!["火星".into()],
            },
            Summary::NoWords { query: "？！".into() },
            Summary::Document {
                id: "12".into(),
                title: "新闻".into(),
                source: Some("报社".into()),
                author: Some("记者".into()),
                published: None,
                url: None,
                paragraphs: 9,
                references: vec!["参考".into()],
            },
            Summary::Mentioned { names: vec![] },
            Summary::Mentioned {
                names: vec![person.clone()],
            },
            Summary::UnknownName {
                query: "李四".into(),
                corpus: 4,
                closest: vec!["李五".into()],
                most_mentioned: vec![],
            },
            Summary::UnknownName {
                query: "李四".into(),
                corpus: 1,
                closest: vec![],
                most_mentioned: vec!["王小明".into()],
            },
            Summary::Help { command: None },
            Summary::Digest {
                since: date,
                until: date,
                topic: Some("预算".into()),
                documents: vec![],
                new_documents: 0,
                people: vec![],
                events: 0,
                events_listed: 0,
            },
            Summary::Digest {
                since: date,
                until: date,
                topic: None,
                documents: vec![citation("新闻")],
                new_documents: 3,
                people: vec![Counted {
                    name: "王小明".into(),
                    count: 2,
                }],
                events: 12,
                events_listed: 10,
            },
        ];
        for describing in [0, 1, 3] {
            all.push(Summary::Profile {
                entity: person.clone(),
                aliases: vec!["小明".into()],
                roles: vec!["部长".into()],
                paragraphs: 7,
                documents: 1,
                at_least: describing == 3,
                often_with: vec![Counted {
                    name: "李四".into(),
                    count: 2,
                }],
                describing,
            });
        }
        for (topic, from, to, events, partial) in [
            (Some("预算"), Some("2025"), Some("2025"), 0, false),
            (None, Some("2025-07"), None, 30, true),
            (Some("预算"), None, Some("2026"), 3, false),
            (None, Some("2025"), Some("2026"), 1, false),
        ] {
            all.push(Summary::Timeline {
                topic: topic.map(str::to_string),
                from: from.map(str::to_string),
                to: to.map(str::to_string),
                events,
                reports: 80,
                shown: events.min(10),
                partial,
                corpus: 4,
            });
        }
        all
    }

    fn rendered(h: &Heading) -> String {
        format!("{}\n{}", h.title, h.body())
    }

    #[test]
    fn chinese_readers_see_no_english_in_any_answer_heading() {
        for summary in every_summary() {
            for l in [Locale::ZhCn, Locale::ZhTw] {
                let h = heading(&summary, l, Front::Discord);
                let mut shown = rendered(&h);
                if matches!(summary, Summary::Help { .. }) {
                    // Help quotes the commands' examples, which are data: only its own lines count.
                    shown = h.title.clone() + &h.lines.iter().filter(|x| !x.contains('`')).cloned().collect::<String>();
                }
                let english = english_words(&shown);
                assert!(english.is_empty(), "{} {summary:?}:\n{shown}\n{english:?}", l.code());
            }
        }
    }

    #[test]
    fn every_heading_is_filled_in_every_locale_and_front_end() {
        for summary in every_summary() {
            for l in Locale::ALL {
                for front in [Front::Cli, Front::Discord] {
                    let h = heading(&summary, l, front);
                    let all = rendered(&h);
                    assert!(!h.title.trim().is_empty(), "{summary:?}");
                    assert!(!all.contains('{') && !all.contains('}'), "{}: {all}", l.code());
                }
            }
        }
    }

    #[test]
    fn english_counts_agree_with_their_numbers() {
        let h = heading(&every_summary()[0], Locale::En, Front::Cli);
        assert_eq!(h.title, "1 passage that answers it from 1 document for “谁负责”.");
        let h = heading(&every_summary()[1], Locale::En, Front::Cli);
        assert_eq!(h.title, "4 passages from 2 documents for “预算”.");
    }

    #[test]
    fn the_timeline_hint_names_the_options_of_the_front_end() {
        let partial = every_summary()
            .into_iter()
            .find(|s| matches!(s, Summary::Timeline { partial: true, .. }))
            .unwrap();
        let cli = heading(&partial, Locale::En, Front::Cli).body();
        let discord = heading(&partial, Locale::En, Front::Discord).body();
        assert!(cli.contains("--from/--to"), "{cli}");
        assert!(discord.contains("from:/to:") && !discord.contains("--"), "{discord}");
    }
}
