//! The commands' words (commands/<name>.toml) and their structure (the code) stay in step,
//! and the registration payload respects Discord's limits. The insta snapshot shows every
//! change of what Discord receives in review.

use std::collections::BTreeSet;

use dossier::command::Command;
use regex::Regex;
use serde_json::Value;

fn registration() -> Vec<Value> {
    dossier::discord::commands::registration()
        .into_iter()
        .map(|c| serde_json::to_value(c).unwrap())
        .collect()
}

#[test]
fn every_command_has_its_file_and_every_file_its_command() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("commands");
    let files: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let commands: BTreeSet<String> = Command::ALL.iter().map(|c| c.name().to_string()).collect();
    assert_eq!(files, commands);
    let compiled: BTreeSet<String> = dossier::command::FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(compiled, commands, "every file is compiled in");
    for c in Command::ALL {
        assert_eq!(c.text().name, c.name(), "commands/{}.toml names its command", c.name());
        let described: Vec<&str> = c.text().options.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(
            described,
            c.option_names(),
            "commands/{}.toml describes exactly the options",
            c.name()
        );
        assert!(!c.text().examples.is_empty() && !c.text().help.trim().is_empty());
        let subs: Vec<(&str, Vec<&str>)> = c
            .text()
            .subcommands
            .iter()
            .map(|s| (s.name.as_str(), s.options.iter().map(|o| o.name.as_str()).collect()))
            .collect();
        let code: Vec<(&str, Vec<&str>)> = c.subcommand_options().iter().map(|(n, o)| (*n, o.to_vec())).collect();
        assert_eq!(
            subs,
            code,
            "commands/{}.toml describes exactly the subcommands",
            c.name()
        );
    }
}

#[test]
fn registration_respects_discord_limits() {
    let name = Regex::new(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$").unwrap();
    let check_name = |n: &str| assert!(name.is_match(n) && n == n.to_lowercase(), "bad name {n:?}");
    let check_description = |d: &str| {
        let n = d.chars().count();
        assert!((1..=100).contains(&n), "description of {n} characters: {d:?}");
    };
    let (menus, commands): (Vec<Value>, Vec<Value>) = registration().into_iter().partition(|c| c["type"] == 3);
    assert_eq!(commands.len(), Command::ALL.len());
    // Message commands (right-click → Apps): a name of up to 32 characters, spaces and capitals
    // allowed, localised, and an empty description.
    assert!(!menus.is_empty());
    for m in &menus {
        let n = m["name"].as_str().unwrap().chars().count();
        assert!((1..=32).contains(&n), "{m}");
        assert_eq!(m["description"], "", "{m}");
        let names = m["name_localizations"].as_object().unwrap();
        assert!(names.contains_key("zh-CN") && names.contains_key("zh-TW"), "{m}");
        assert!(m
            .get("options")
            .is_none_or(|o| o.as_array().is_none_or(|a| a.is_empty())));
    }
    for c in &commands {
        check_name(c["name"].as_str().unwrap());
        check_description(c["description"].as_str().unwrap());
        for loc in ["name_localizations", "description_localizations"] {
            let map = c[loc].as_object().unwrap();
            assert!(
                map.contains_key("zh-CN") && map.contains_key("zh-TW"),
                "{} lacks {loc}",
                c["name"]
            );
            for (locale, v) in map {
                assert!(["zh-CN", "zh-TW"].contains(&locale.as_str()));
                if loc.starts_with("name") {
                    check_name(v.as_str().unwrap());
                } else {
                    check_description(v.as_str().unwrap());
                }
            }
        }
        let mut options: Vec<Value> = c["options"].as_array().unwrap().clone();
        assert!(options.len() <= 25);
        // Subcommands (type 1) carry options of their own.
        let nested: Vec<Value> = options
            .iter()
            .filter(|o| o["type"] == 1)
            .flat_map(|o| o["options"].as_array().cloned().unwrap_or_default())
            .collect();
        options.extend(nested);
        for o in &options {
            check_name(o["name"].as_str().unwrap());
            check_description(o["description"].as_str().unwrap());
            for v in o["description_localizations"].as_object().unwrap().values() {
                check_description(v.as_str().unwrap());
            }
            for v in o["name_localizations"].as_object().unwrap().values() {
                check_name(v.as_str().unwrap());
            }
        }
    }
}

#[test]
fn registration_payload_snapshot() {
    insta::assert_json_snapshot!("registration", registration());
}
