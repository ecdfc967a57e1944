//! The reader's language: which of the three interfaces (English, Simplified and
//! Traditional Chinese) a user reads, and the message catalogues that hold every sentence
//! Dossier shows (`commands/locales/<locale>.toml`).
//!
//! The core returns data ([`crate::answer::Summary`], [`crate::answer::UserError`]); the
//! front ends render it here, each in its own terms ([`Front`]): the CLI names `--from` where
//! Discord names the `from:` option in the user's language. Quotes are never translated.

mod answers;
mod errors;

use std::collections::BTreeMap;
use std::sync::LazyLock;

pub use answers::{heading, Heading};
pub use errors::error_text;

use crate::command::{Command, Menu};

/// The interface language of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "zh-TW")]
    ZhTw,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::ZhCn, Locale::ZhTw];

    /// The locale code, as Discord and the catalogue files name it.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
            Locale::ZhTw => "zh-TW",
        }
    }

    /// A locale code (`zh-CN`, `zh_TW.UTF-8`, `en-US`, `zh-Hant`); `None` for a language
    /// Dossier has no words in.
    pub fn parse(code: &str) -> Option<Locale> {
        let code = code
            .split('.')
            .next()
            .unwrap_or_default()
            .replace('_', "-")
            .to_lowercase();
        match code.as_str() {
            "zh-tw" | "zh-hk" | "zh-mo" | "zh-hant" => Some(Locale::ZhTw),
            c if c == "zh" || c.starts_with("zh-") => Some(Locale::ZhCn),
            c if c == "en" || c.starts_with("en-") => Some(Locale::En),
            _ => None,
        }
    }

    /// A Discord user's or server's locale; languages without a catalogue read English.
    pub fn from_discord(locale: &str) -> Locale {
        Locale::parse(locale).unwrap_or_default()
    }

    /// For a terminal: `LC_ALL`, `LC_MESSAGES` or `LANG`, as POSIX orders them.
    pub fn from_env() -> Locale {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Locale::parse(&v))
            .unwrap_or_default()
    }

    /// For messages without a locale (mentions): the script the question is written in. Only
    /// Chinese characters count (full-width `？` and `，` are both scripts'): Traditional when
    /// more of them are Traditional-only than Simplified-only.
    pub fn from_text(text: &str) -> Locale {
        use crate::text::convert::{to_script, Script};
        let han: String = text.chars().filter(|&c| crate::text::fold::is_cjk(c)).collect();
        if han.is_empty() {
            return Locale::En;
        }
        let differing = |other: &str| han.chars().zip(other.chars()).filter(|(a, b)| a != b).count();
        let traditional_only = differing(&to_script(&han, Script::Simplified));
        let simplified_only = differing(&to_script(&han, Script::Traditional));
        if traditional_only > simplified_only {
            Locale::ZhTw
        } else {
            Locale::ZhCn
        }
    }
}

/// Who shows the words: commands and options are named as the reader types them there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    Cli,
    Discord,
}

/// The catalogue files, compiled in.
const FILES: [(Locale, &str); 3] = [
    (Locale::En, include_str!("../../commands/locales/en.toml")),
    (Locale::ZhCn, include_str!("../../commands/locales/zh-CN.toml")),
    (Locale::ZhTw, include_str!("../../commands/locales/zh-TW.toml")),
];

type Catalogue = BTreeMap<String, String>;

static CATALOGUES: LazyLock<[Catalogue; 3]> = LazyLock::new(|| {
    FILES.map(|(locale, text)| {
        parse_catalogue(text).unwrap_or_else(|e| panic!("commands/locales/{}.toml is invalid: {e}", locale.code()))
    })
});

/// `[section] key = "text"` → `section.key` → text.
fn parse_catalogue(text: &str) -> Result<Catalogue, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Catalogue::new();
    for (section, entries) in table {
        let toml::Value::Table(entries) = entries else {
            return Err(format!("{section} is not a [section]"));
        };
        for (key, value) in entries {
            let toml::Value::String(s) = value else {
                return Err(format!("{section}.{key} is not a string"));
            };
            out.insert(format!("{section}.{key}"), s);
        }
    }
    Ok(out)
}

fn catalogue(locale: Locale) -> &'static Catalogue {
    &CATALOGUES[locale as usize]
}

/// The words of `key` (`section.key`) in `locale`; English when the locale lacks them (the
/// completeness test keeps that from happening), the key itself when nobody has them.
pub fn text(locale: Locale, key: &str) -> &'static str {
    catalogue(locale)
        .get(key)
        .or_else(|| catalogue(Locale::En).get(key))
        .map_or_else(
            || {
                debug_assert!(false, "no words for {key}");
                ""
            },
            String::as_str,
        )
}

/// The words of `key` with each `{name}` replaced by its value.
pub fn fill(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    substitute(text(locale, key), args)
}

fn substitute(template: &str, args: &[(&str, &str)]) -> String {
    // One pass, so a value holding `{x}` (a quoted title) is never filled in turn.
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let name = &rest[open + 1..close];
        match args.iter().find(|(k, _)| *k == name) {
            Some((_, v)) => {
                out.push_str(&rest[..open]);
                out.push_str(v);
            }
            None => out.push_str(&rest[..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A counted noun: `count.<noun>` (or `count.<noun>_one` for one) with `{n}` filled.
pub fn count(locale: Locale, noun: &str, n: usize) -> String {
    let one = format!("count.{noun}_one");
    let key = if n == 1 && catalogue(Locale::En).contains_key(&one) {
        one
    } else {
        format!("count.{noun}")
    };
    fill(locale, &key, &[("n", &n.to_string())])
}

/// Items joined the locale's way (`a, b` / `a、b`).
pub fn list<S: AsRef<str>>(locale: Locale, items: &[S]) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(text(locale, "list.separator"))
}

/// A command as the reader types it: `/who` on the CLI, `/谁是` for a zh-CN Discord user.
pub fn command(locale: Locale, front: Front, command: Command) -> String {
    let name = match front {
        Front::Cli => command.name(),
        Front::Discord => command
            .text()
            .localizations
            .get(locale.code())
            .and_then(|l| l.name.as_deref())
            .unwrap_or(command.name()),
    };
    format!("/{name}")
}

/// An option of `command` as the reader types it: `--from` on the CLI, `from:` (or `起始:`)
/// in Discord.
pub fn option(locale: Locale, front: Front, command: Command, option: &str) -> String {
    match front {
        Front::Cli => format!("--{option}"),
        Front::Discord => {
            let name = command
                .text()
                .options
                .iter()
                .find(|o| o.name == option)
                .and_then(|o| o.localizations.get(locale.code()).and_then(|l| l.name.clone()))
                .unwrap_or_else(|| option.to_string());
            format!("{name}:")
        }
    }
}

/// How to use a command: its usage line on the CLI; in Discord, its name and options in the
/// reader's language (`/谁是 名字:…`).
pub fn usage(locale: Locale, front: Front, c: Command) -> String {
    match front {
        Front::Cli => {
            let t = c.text();
            t.localizations
                .get(locale.code())
                .and_then(|l| l.usage.clone())
                .unwrap_or_else(|| t.usage.clone())
        }
        Front::Discord => {
            let mut parts = vec![command(locale, front, c)];
            for o in &c.text().options {
                let shown = format!("{}…", option(locale, front, c, &o.name));
                parts.push(if o.required { shown } else { format!("[{shown}]") });
            }
            parts.join(" ")
        }
    }
}

/// A message command's name in the reader's language.
pub fn menu(locale: Locale, menu: Menu) -> String {
    menu.name_in(locale.code()).to_string()
}

/// Every key of a catalogue (for tests and tools that check the words shown).
pub fn keys(locale: Locale) -> Vec<&'static String> {
    catalogue(locale).keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> std::collections::BTreeSet<String> {
        let re = regex::Regex::new(r"\{([a-z_]+)\}").unwrap();
        re.captures_iter(s).map(|c| c[1].to_string()).collect()
    }

    #[test]
    fn every_locale_has_every_key_with_the_same_placeholders() {
        let en = keys(Locale::En);
        assert!(en.len() > 100, "{} keys", en.len());
        for locale in [Locale::ZhCn, Locale::ZhTw] {
            assert_eq!(keys(locale), en, "{} differs from en in its keys", locale.code());
            for key in &en {
                assert_eq!(
                    placeholders(text(locale, key)),
                    placeholders(text(Locale::En, key)),
                    "{} {key}",
                    locale.code()
                );
                assert!(!text(locale, key).is_empty(), "{} {key} is empty", locale.code());
            }
        }
    }

    #[test]
    fn chinese_catalogues_are_in_their_own_script() {
        use crate::text::convert::{to_script, Script};
        for key in keys(Locale::ZhCn) {
            let s = text(Locale::ZhCn, key);
            assert_eq!(
                to_script(s, Script::Simplified),
                s,
                "zh-CN {key} has Traditional characters"
            );
            let t = text(Locale::ZhTw, key);
            assert_eq!(
                to_script(t, Script::Traditional),
                t,
                "zh-TW {key} has Simplified characters"
            );
        }
    }

    #[test]
    fn filling_is_one_pass_and_keeps_unknown_braces() {
        assert_eq!(substitute("{a} and {b}", &[("a", "{b}"), ("b", "x")]), "{b} and x");
        assert_eq!(substitute("{unknown} {", &[]), "{unknown} {");
        assert_eq!(count(Locale::En, "documents", 1), "1 document");
        assert_eq!(count(Locale::En, "documents", 2), "2 documents");
        assert_eq!(count(Locale::ZhCn, "documents", 1), "1 篇文档");
    }

    #[test]
    fn locales_from_codes_text_and_environment_values() {
        assert_eq!(Locale::from_discord("zh-TW"), Locale::ZhTw);
        assert_eq!(Locale::from_discord("zh-CN"), Locale::ZhCn);
        assert_eq!(Locale::from_discord("en-US"), Locale::En);
        assert_eq!(Locale::from_discord("fr"), Locale::En);
        assert_eq!(Locale::parse("zh_TW.UTF-8"), Some(Locale::ZhTw));
        assert_eq!(Locale::parse("zh_CN.UTF-8"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("C.UTF-8"), None);
        assert_eq!(Locale::from_text("牛油果為什麼推遲"), Locale::ZhTw);
        assert_eq!(Locale::from_text("牛油果为什么推迟"), Locale::ZhCn);
        assert_eq!(Locale::from_text("Who leads PAR"), Locale::En);
        // Full-width punctuation belongs to both scripts.
        assert_eq!(Locale::from_text("谁负责TBD Lab？"), Locale::ZhCn);
        assert_eq!(Locale::from_text("牛油果为什么推迟？，"), Locale::ZhCn);
        assert_eq!(Locale::from_text("誰負責TBD Lab？"), Locale::ZhTw);
        assert_eq!(Locale::from_text("？！"), Locale::En);
    }

    #[test]
    fn commands_and_options_are_named_as_each_front_end_types_them() {
        assert_eq!(option(Locale::En, Front::Cli, Command::Timeline, "from"), "--from");
        assert_eq!(option(Locale::En, Front::Discord, Command::Timeline, "from"), "from:");
        let zh = option(Locale::ZhCn, Front::Discord, Command::Timeline, "from");
        assert!(zh.ends_with(':') && !zh.contains("from"), "{zh}");
        assert_eq!(command(Locale::ZhCn, Front::Cli, Command::Who), "/who");
        assert_ne!(command(Locale::ZhTw, Front::Discord, Command::Who), "/who");
        let u = usage(Locale::En, Front::Discord, Command::Timeline);
        assert!(u.starts_with("/timeline") && u.contains("[from:…]"), "{u}");
    }
}
