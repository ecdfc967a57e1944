//! Display-time script conversion: a channel may prefer to read every quote in Simplified or
//! in Traditional characters. Matching never needs this (folding does), and stored text is
//! never converted; only what is shown.

use std::borrow::Cow;
use std::sync::OnceLock;

use ferrous_opencc::{config::BuiltinConfig, OpenCC};
use serde::{Deserialize, Serialize};

/// How quotes are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// As the document has it.
    #[default]
    Original,
    Simplified,
    Traditional,
}

impl Script {
    pub fn parse(s: &str) -> Option<Script> {
        match crate::text::fold(s.trim()).as_str() {
            "original" | "原文" => Some(Script::Original),
            "simplified" | "简体" | "简" => Some(Script::Simplified),
            "traditional" | "繁体" | "繁" => Some(Script::Traditional),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Script::Original => "original",
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
        }
    }
}

fn converter(config: BuiltinConfig, cell: &'static OnceLock<Option<OpenCC>>) -> Option<&'static OpenCC> {
    cell.get_or_init(|| match OpenCC::from_config(config) {
        Ok(c) => Some(c),
        Err(err) => {
            tracing::error!("script conversion unavailable: {err}");
            None
        }
    })
    .as_ref()
}

/// `text` in `script` (unchanged for `Original`, or if conversion is unavailable).
pub fn to_script(text: &str, script: Script) -> Cow<'_, str> {
    static S2T: OnceLock<Option<OpenCC>> = OnceLock::new();
    static T2S: OnceLock<Option<OpenCC>> = OnceLock::new();
    let c = match script {
        Script::Original => return Cow::Borrowed(text),
        Script::Traditional => converter(BuiltinConfig::S2t, &S2T),
        Script::Simplified => converter(BuiltinConfig::T2s, &T2S),
    };
    match c {
        Some(c) => Cow::Owned(c.convert(text)),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_for_display_only_when_asked() {
        assert_eq!(to_script("兩層安保", Script::Simplified), "两层安保");
        assert_eq!(to_script("两层安保", Script::Traditional), "兩層安保");
        assert_eq!(to_script("兩層安保", Script::Original), "兩層安保");
        assert_eq!(Script::parse("繁體"), Some(Script::Traditional));
        assert_eq!(Script::parse("weird"), None);
    }
}
