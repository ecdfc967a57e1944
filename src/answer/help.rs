//! `/help [command]`: the commands and their examples, from `commands/*.toml` (rendered by
//! the front ends, which name commands as their users type them).

use super::summary::Summary;
use super::{Answer, UserError};
use crate::command::Command;

pub fn answer(topic: &str) -> Result<Answer, UserError> {
    let topic = topic.trim().trim_start_matches(['/', '／']);
    let command = if topic.is_empty() {
        None
    } else {
        Some(Command::from_typed(topic).ok_or_else(|| UserError::UnknownCommand {
            name: topic.to_string(),
        })?)
    };
    Ok(Answer {
        summary: Summary::Help { command },
        items: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_command_by_any_of_its_names_or_none() {
        assert_eq!(answer("").unwrap().summary, Summary::Help { command: None });
        for typed in ["/timeline", "TIMELINE", "时间线", "／時間線"] {
            assert_eq!(
                answer(typed).unwrap().summary,
                Summary::Help {
                    command: Some(Command::Timeline)
                },
                "{typed}"
            );
        }
        assert_eq!(
            answer("bogus").unwrap_err(),
            UserError::UnknownCommand { name: "bogus".into() }
        );
    }
}
