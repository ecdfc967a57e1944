//! Commands: what a user can ask for, how a typed line becomes a [`Request`], and the
//! user-facing words of each command (from `commands/<name>.toml`).
//!
//! The code defines the commands' structure (this enum, their options); the TOML files
//! define the words (descriptions, localisations, help, examples). Tests keep them in step.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::answer::{Bound, UserError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    Source,
    Who,
    Timeline,
    Ask,
    Help,
    Digest,
    Ingest,
    Feed,
    Settings,
}

impl Command {
    pub const ALL: [Command; 9] = [
        Command::Source,
        Command::Who,
        Command::Timeline,
        Command::Ask,
        Command::Help,
        Command::Digest,
        Command::Ingest,
        Command::Feed,
        Command::Settings,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Command::Source => "source",
            Command::Who => "who",
            Command::Timeline => "timeline",
            Command::Ask => "ask",
            Command::Help => "help",
            Command::Digest => "digest",
            Command::Ingest => "ingest",
            Command::Feed => "feed",
            Command::Settings => "settings",
        }
    }

    /// Commands that change the server's setup and exist only in Discord, with what to use
    /// locally instead.
    pub fn discord_only(self) -> Option<&'static str> {
        match self {
            Command::Digest => Some("locally, run `dossier digest`"),
            Command::Ingest => Some("locally, copy the file into the corpus folder or run `dossier ingest URL`"),
            Command::Feed => Some("locally, run `dossier feed`"),
            Command::Settings => Some("it sets how a Discord channel shows answers"),
            _ => None,
        }
    }

    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.into_iter().find(|c| c.name() == name)
    }

    /// A command as a user types it: its name in any case, or a localised name (`来源`).
    pub fn from_typed(name: &str) -> Option<Command> {
        Command::from_name(&name.to_lowercase()).or_else(|| {
            Command::ALL
                .into_iter()
                .find(|c| c.text().localizations.values().any(|l| l.name.as_deref() == Some(name)))
        })
    }

    /// The option names the code gives this command, in order (the TOML must describe each).
    pub fn option_names(self) -> &'static [&'static str] {
        match self {
            Command::Source => &["query"],
            Command::Who => &["name"],
            Command::Timeline => &["topic", "from", "to"],
            Command::Ask => &["question"],
            Command::Help => &["command"],
            Command::Digest | Command::Feed => &[],
            Command::Ingest => &["file", "file2", "file3", "url"],
            Command::Settings => &["script", "language", "timezone"],
        }
    }

    /// Subcommands and their options, in order (the TOML must describe each).
    pub fn subcommand_options(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Command::Digest => &[
                ("subscribe", &["weekday", "time", "timezone", "topic"]),
                ("unsubscribe", &[]),
                ("list", &[]),
                ("preview", &["topic"]),
            ],
            Command::Feed => &[("add", &["url", "topic"]), ("list", &[]), ("remove", &["url"])],
            _ => &[],
        }
    }

    /// The words of this command.
    pub fn text(self) -> &'static CommandText {
        &CATALOG[&self]
    }
}

impl serde::Serialize for Command {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Command {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Command, D::Error> {
        let name = String::deserialize(d)?;
        Command::from_name(&name).ok_or_else(|| serde::de::Error::custom(format!("no command {name:?}")))
    }
}

/// One request to the engine, from a typed line or from a Discord interaction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Request {
    pub command: Command,
    pub query: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Request {
    pub fn new(command: Command, query: impl Into<String>) -> Request {
        Request {
            command,
            query: query.into(),
            from: None,
            to: None,
        }
    }
}

/// Parses a line: `/source …`, `/who …`, `/timeline [topic] [--from D] [--to D]`, `/ask …`,
/// `/help [command]`, or a plain question.
pub fn parse_line(line: &str) -> Result<Request, UserError> {
    let line = line.trim();
    if line.is_empty() {
        return Err(UserError::EmptyLine);
    }
    let Some(rest) = line.strip_prefix('/').or_else(|| line.strip_prefix('／')) else {
        return Ok(Request::new(Command::Ask, line));
    };
    let (name, arg) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let command = Command::from_typed(name).ok_or_else(|| UserError::UnknownCommand { name: name.to_string() })?;
    if command.discord_only().is_some() {
        return Err(UserError::DiscordOnly { command });
    }
    let mut request = Request::new(command, arg);
    if command == Command::Timeline {
        parse_timeline_options(&mut request)?;
    }
    let needs_query = matches!(command, Command::Source | Command::Who | Command::Ask);
    if needs_query && request.query.trim().is_empty() {
        return Err(UserError::NeedsQuery { command });
    }
    Ok(request)
}

/// Takes `--from D` and `--to D` (also `from:D`, `to:D`) out of a timeline query.
fn parse_timeline_options(request: &mut Request) -> Result<(), UserError> {
    let mut topic: Vec<&str> = Vec::new();
    let query = request.query.clone();
    let mut words = query.split_whitespace();
    while let Some(w) = words.next() {
        let (key, inline) = match w.split_once(['=', ':']) {
            Some((k, v)) if matches!(k, "--from" | "--to" | "from" | "to") => (k, Some(v)),
            _ => (w, None),
        };
        let slot = match key {
            "--from" | "from" if inline.is_some() || key.starts_with("--") => &mut request.from,
            "--to" | "to" if inline.is_some() || key.starts_with("--") => &mut request.to,
            _ => {
                topic.push(w);
                continue;
            }
        };
        let value = inline.map(str::to_string).or_else(|| words.next().map(str::to_string));
        match value.filter(|v| !v.is_empty()) {
            Some(v) => *slot = Some(v),
            None => {
                let bound = if key.ends_with("from") { Bound::From } else { Bound::To };
                return Err(UserError::NeedsDate { bound });
            }
        }
    }
    request.query = topic.join(" ");
    Ok(())
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandText {
    pub name: String,
    pub description: String,
    pub usage: String,
    pub help: String,
    pub examples: Vec<String>,
    #[serde(default)]
    pub localizations: BTreeMap<String, Localized>,
    #[serde(default)]
    pub options: Vec<OptionText>,
    #[serde(default)]
    pub subcommands: Vec<SubcommandText>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubcommandText {
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub localizations: BTreeMap<String, Localized>,
    #[serde(default)]
    pub options: Vec<OptionText>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub name: Option<String>,
    pub description: String,
    /// The command's usage line and `/help <command>` in this language (commands only;
    /// Discord's registration never carries them).
    #[serde(default)]
    pub usage: Option<String>,
    #[serde(default)]
    pub help: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionText {
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub autocomplete: bool,
    #[serde(default)]
    pub localizations: BTreeMap<String, Localized>,
}

/// The command files, compiled in so the binary works from any directory.
pub const FILES: &[(&str, &str)] = &[
    ("source", include_str!("../commands/source.toml")),
    ("who", include_str!("../commands/who.toml")),
    ("timeline", include_str!("../commands/timeline.toml")),
    ("ask", include_str!("../commands/ask.toml")),
    ("help", include_str!("../commands/help.toml")),
    ("digest", include_str!("../commands/digest.toml")),
    ("ingest", include_str!("../commands/ingest.toml")),
    ("feed", include_str!("../commands/feed.toml")),
    ("settings", include_str!("../commands/settings.toml")),
];

static CATALOG: LazyLock<BTreeMap<Command, CommandText>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, text)| {
            let command = Command::from_name(name).unwrap_or_else(|| panic!("commands/{name}.toml has no command"));
            let parsed: CommandText =
                toml::from_str(text).unwrap_or_else(|e| panic!("commands/{name}.toml is invalid: {e}"));
            (command, parsed)
        })
        .collect()
});

/// A message command (right-click a message → Apps): it takes the message, no options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Menu {
    /// Runs `/source` on the message's most telling words.
    FindSource,
    /// Lists the names the documents know in the message.
    WhosMentioned,
}

/// The words of a message command, from `commands/menu/<name>.toml`: Discord gives message
/// commands a name only.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuText {
    pub name: String,
    #[serde(default)]
    pub localizations: BTreeMap<String, MenuName>,
    /// Short replies that ask for this command on the replied-to message, per locale.
    #[serde(default)]
    pub cues: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuName {
    pub name: String,
}

impl Menu {
    pub const ALL: [Menu; 2] = [Menu::FindSource, Menu::WhosMentioned];

    pub fn text(self) -> &'static MenuText {
        &MENUS[self as usize]
    }

    /// The name a user of `locale` (a Discord locale code) sees.
    pub fn name_in(self, locale: &str) -> &'static str {
        let t = self.text();
        t.localizations.get(locale).map_or(&t.name, |l| &l.name)
    }
}

static MENUS: LazyLock<[MenuText; 2]> = LazyLock::new(|| {
    let parse = |name: &str, text: &str| -> MenuText {
        toml::from_str(text).unwrap_or_else(|e| panic!("commands/menu/{name}.toml is invalid: {e}"))
    };
    [
        parse("find_source", include_str!("../commands/menu/find_source.toml")),
        parse("whos_mentioned", include_str!("../commands/menu/whos_mentioned.toml")),
    ]
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_plain_questions() {
        assert_eq!(
            parse_line("/source 143亿美元").unwrap(),
            Request::new(Command::Source, "143亿美元")
        );
        assert_eq!(
            parse_line("  牛油果为什么推迟 ").unwrap(),
            Request::new(Command::Ask, "牛油果为什么推迟")
        );
        assert_eq!(parse_line("/SOURCE x").unwrap().command, Command::Source);
        assert_eq!(parse_line("/来源 豆包").unwrap().command, Command::Source);
        assert_eq!(parse_line("/help").unwrap(), Request::new(Command::Help, ""));
    }

    #[test]
    fn usage_errors_are_explained() {
        for bad in ["", "   ", "/source", "/who   ", "/nope x", "/timeline --from"] {
            let err = parse_line(bad).unwrap_err();
            assert_eq!(err.kind(), "usage", "{bad:?}");
            assert!(!err.to_string().is_empty());
        }
        assert_eq!(
            parse_line("/nope x").unwrap_err(),
            UserError::UnknownCommand { name: "nope".into() }
        );
        assert_eq!(
            parse_line("/timeline --to").unwrap_err(),
            UserError::NeedsDate { bound: Bound::To }
        );
        assert_eq!(
            parse_line("/digest").unwrap_err(),
            UserError::DiscordOnly {
                command: Command::Digest
            }
        );
    }

    #[test]
    fn every_command_is_explained_in_every_language() {
        for c in Command::ALL {
            let t = c.text();
            for locale in ["zh-CN", "zh-TW"] {
                let l = t
                    .localizations
                    .get(locale)
                    .unwrap_or_else(|| panic!("/{} has no {locale} words", c.name()));
                assert!(l.name.is_some(), "/{} {locale} name", c.name());
                let usage = l.usage.as_deref().unwrap_or_default();
                assert!(
                    usage.starts_with(&format!("/{}", c.name())),
                    "/{} {locale} usage: {usage}",
                    c.name()
                );
                assert!(
                    l.help.as_deref().is_some_and(|h| h.trim().chars().count() > 20),
                    "/{} {locale} help",
                    c.name()
                );
            }
        }
        for m in Menu::ALL {
            assert!(["zh-CN", "zh-TW"]
                .iter()
                .all(|l| m.text().localizations.contains_key(*l)));
        }
    }

    #[test]
    fn timeline_options_are_taken_out_of_the_topic() {
        let r = parse_line("/timeline 牛油果 --from 2025-07 --to=2026").unwrap();
        assert_eq!(
            (r.query.as_str(), r.from.as_deref(), r.to.as_deref()),
            ("牛油果", Some("2025-07"), Some("2026"))
        );
        let r = parse_line("/timeline from:2025 to the moon").unwrap();
        assert_eq!((r.query.as_str(), r.from.as_deref()), ("to the moon", Some("2025")));
    }
}
