//! User errors in the reader's language, naming commands and options as the front end
//! spells them.

use super::{command, fill, list, option, text, usage, Front, Locale};
use crate::answer::{shorten, UserError};
use crate::command::Command;

/// What to tell the reader about `e`.
pub fn error_text(e: &UserError, l: Locale, front: Front) -> String {
    let commands = || {
        let names: Vec<String> = Command::ALL
            .iter()
            .filter(|c| front == Front::Discord || c.discord_only().is_none())
            .map(|&c| command(l, front, c))
            .collect();
        list(l, &names)
    };
    match e {
        UserError::EmptyLine => fill(l, "error.empty_line", &[("help", &command(l, front, Command::Help))]),
        UserError::UnknownCommand { name } => fill(
            l,
            "error.unknown_command",
            &[("name", &format!("/{}", shorten(name, 40))), ("commands", &commands())],
        ),
        UserError::DiscordOnly { command: c } => {
            let instead = match c {
                Command::Digest => "error.instead_digest",
                Command::Feed => "error.instead_feed",
                Command::Ingest => "error.instead_ingest",
                _ => "error.instead_settings",
            };
            fill(
                l,
                "error.discord_only",
                &[("command", &command(l, front, *c)), ("instead", text(l, instead))],
            )
        }
        UserError::NeedsQuery { command: c } => fill(
            l,
            "error.needs_query",
            &[("command", &command(l, front, *c)), ("usage", &usage(l, front, *c))],
        ),
        UserError::NeedsDate { bound } => fill(
            l,
            "error.needs_date",
            &[("option", &option(l, front, Command::Timeline, bound.name()))],
        ),
        UserError::BadDate { bound, value } => fill(
            l,
            "error.bad_date",
            &[
                ("option", &option(l, front, Command::Timeline, bound.name())),
                ("value", &shorten(value, 40)),
            ],
        ),
        UserError::DateRange { from, to } => fill(
            l,
            "error.date_range",
            &[
                ("from", from),
                ("to", to),
                ("from_option", &option(l, front, Command::Timeline, "from")),
                ("to_option", &option(l, front, Command::Timeline, "to")),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Bound;

    fn all_errors() -> Vec<UserError> {
        vec![
            UserError::EmptyLine,
            // Data in Chinese, so that any Latin word left is the interface's own.
            UserError::UnknownCommand {
                name: "不存在".into()
            },
            UserError::DiscordOnly {
                command: Command::Digest,
            },
            UserError::NeedsQuery { command: Command::Who },
            UserError::NeedsDate { bound: Bound::From },
            UserError::BadDate {
                bound: Bound::To,
                value: "明天左右".into(),
            },
            UserError::DateRange {
                from: "2026".into(),
                to: "2025".into(),
            },
        ]
    }

    #[test]
    fn options_are_named_as_each_front_end_spells_them() {
        let e = UserError::BadDate {
            bound: Bound::From,
            value: "yesterday-ish".into(),
        };
        let cli = error_text(&e, Locale::En, Front::Cli);
        let discord = error_text(&e, Locale::En, Front::Discord);
        assert!(cli.contains("--from") && cli.contains("yesterday-ish"), "{cli}");
        assert!(discord.contains("from:") && !discord.contains("--from"), "{discord}");
        let range = UserError::DateRange {
            from: "2026".into(),
            to: "2025".into(),
        };
        let zh = error_text(&range, Locale::ZhCn, Front::Discord);
        assert!(!zh.contains("--") && zh.contains("2026") && zh.contains("2025"), "{zh}");
    }

    #[test]
    fn chinese_readers_get_no_english_sentence() {
        for e in all_errors() {
            for l in [Locale::ZhCn, Locale::ZhTw] {
                let t = error_text(&e, l, Front::Discord);
                let english = super::super::answers::tests::english_words(&t);
                assert!(english.is_empty(), "{t}: {english:?}");
            }
            let en = error_text(&e, Locale::En, Front::Cli);
            assert!(!en.contains('{') && en.len() > 10, "{en}");
        }
    }
}
