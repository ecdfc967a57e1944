//! `/help [command]`: the commands and their examples, from `commands/*.toml`.

use super::{Answer, UserError};
use crate::command::Command;

pub fn answer(topic: &str) -> Result<Answer, UserError> {
    let topic = topic.trim().trim_start_matches('/');
    if topic.is_empty() {
        let mut lines = vec![
            "Dossier answers from your team's documents. Every answer quotes them verbatim and says where each quote comes from."
                .to_string(),
            String::new(),
        ];
        for c in Command::ALL {
            let t = c.text();
            lines.push(format!("{} — {}", t.usage, t.description));
            if let Some(example) = t.examples.first() {
                lines.push(format!("    e.g. {example}"));
            }
        }
        lines.push(String::new());
        lines.push("A line without a command is a question, like /ask. `/help <command>` explains one command.".into());
        return Ok(Answer {
            message: Some(lines.join("\n")),
            items: vec![],
        });
    }
    let command = Command::from_name(&topic.to_lowercase()).ok_or_else(|| {
        let names: Vec<&str> = Command::ALL.iter().map(|c| c.name()).collect();
        UserError::Usage(format!(
            "There is no command {topic:?}. Commands: {}.",
            names.join(", ")
        ))
    })?;
    let t = command.text();
    let mut lines = vec![
        t.usage.clone(),
        t.description.clone(),
        String::new(),
        t.help.trim().to_string(),
    ];
    if !t.examples.is_empty() {
        lines.push(String::new());
        lines.push("Examples:".into());
        lines.extend(t.examples.iter().map(|e| format!("    {e}")));
    }
    Ok(Answer {
        message: Some(lines.join("\n")),
        items: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_command_and_explains_one() {
        let all = answer("").unwrap().message.unwrap();
        for c in Command::ALL {
            assert!(all.contains(&c.text().usage), "help lacks {}", c.name());
        }
        let one = answer("/timeline").unwrap().message.unwrap();
        assert!(one.contains("--from") && one.contains("Examples:"));
        assert_eq!(answer("bogus").unwrap_err().kind(), "usage");
    }
}
