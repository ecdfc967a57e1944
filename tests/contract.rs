//! The CLI contract, through the real binary: the JSON shape, batch mode, channels and the
//! cache, exit codes, and every kind of bad input.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn dossier(index: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--corpus", common::bundled_corpus().to_str().unwrap()])
        .args(["--index", index.to_str().unwrap()])
        .args(["--data", common::repo().join("data").to_str().unwrap()])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or("").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn batch(lines: &[&str]) -> Vec<Value> {
    let index = tempfile::tempdir().unwrap();
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let out = dossier(index.path(), &["ask", "--json", "-"], Some(&input));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let values: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(values.len(), lines.len(), "one JSON line per input line");
    values
}

const KEYS: &[&str] = &[
    "command", "query", "channel", "cached", "took_ms", "message", "error", "items",
];
const CITATION_KEYS: &[&str] = &["doc", "title", "source", "author", "url", "published", "paragraph"];

#[test]
fn json_lines_have_the_contract_shape() {
    let v = batch(&["/source 143亿美元", "牛油果为什么推迟", "/help"]);
    for r in &v {
        let obj = r.as_object().unwrap();
        for k in KEYS {
            assert!(obj.contains_key(*k), "missing {k} in {r}");
        }
        assert!(r["error"].is_null());
        assert!(r["took_ms"].as_f64().unwrap() >= 0.0);
    }
    assert_eq!(v[0]["command"], "source");
    assert_eq!(v[0]["query"], "143亿美元");
    assert_eq!(v[1]["command"], "ask");
    assert_eq!(v[2]["command"], "help");
    assert!(v[2]["message"].as_str().unwrap().contains("/timeline"));
    let item = &v[0]["items"][0];
    assert!(item["date"].is_null());
    for k in CITATION_KEYS {
        assert!(
            item["citation"].as_object().unwrap().contains_key(*k),
            "citation lacks {k}"
        );
    }
    assert_eq!(item["citation"]["doc"], "002_a55689cea94975b7");
    assert!(item["citation"]["paragraph"].as_u64().unwrap() >= 1);
    let dated = v[1]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["citation"]["doc"].as_str().unwrap().starts_with("000"));
    let c = &dated.expect("an answer from 000")["citation"];
    assert_eq!(c["published"], "2026-03-15");
    assert!(c["url"].as_str().unwrap().contains("huxiu.com/article/4842057"));
}

#[test]
fn channels_have_their_own_cache() {
    let v = batch(&[
        "/source 豆包",
        "/source 豆包",
        "#other /source 豆包",
        "#other /source  豆包 ",
        "/source 豆包日活",
    ]);
    let cached: Vec<bool> = v.iter().map(|r| r["cached"].as_bool().unwrap()).collect();
    assert_eq!(cached, vec![false, true, false, true, false]);
    assert_eq!(v[2]["channel"], "other");
    assert_eq!(v[0]["channel"], "cli");
    assert_eq!(v[0]["items"], v[1]["items"], "a cached answer is the same answer");
}

#[test]
fn usage_errors_in_single_line_mode_exit_2() {
    let index = tempfile::tempdir().unwrap();
    for line in ["", "/source", "/frobnicate 牛油果", "/source    "] {
        let out = dossier(index.path(), &["ask", "--json", line], None);
        assert_eq!(out.status.code(), Some(2), "{line:?}");
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["error"]["kind"], "usage", "{line:?}");
        assert!(!r["error"]["message"].as_str().unwrap().is_empty());
        assert_eq!(r["items"].as_array().unwrap().len(), 0);
    }
    let out = dossier(index.path(), &["ask", "/source 豆包"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[1]") && text.contains("000_a75d65da8a741bbc"), "{text}");
}

#[test]
fn batch_mode_survives_every_bad_line() {
    let long = "扎克伯格".repeat(2500);
    let lines = [
        "",
        "/source",
        "/nope",
        &long as &str,
        "/source ?!。,,…——",
        "/source title:(foo AND \"",
        "/source *:* OR 1=1; DROP TABLE",
        "/source 牛\u{200B}油\u{0007}果",
        "/source 🤖🔥 牛油果 🥑",
        "/source Meta的AI之路為何節節敗退 and Scale AI",
        "/source \u{202E}豆包",
        "/who 扎克伯格",
        "/source 豆包",
    ];
    let v = batch(&lines);
    assert_eq!(v[0]["error"]["kind"], "usage");
    assert_eq!(v[1]["error"]["kind"], "usage");
    assert_eq!(v[2]["error"]["kind"], "usage");
    assert!(v[3]["error"].is_null(), "a huge question is answered, not refused");
    assert!(v[3]["message"].as_str().unwrap().contains("long"));
    assert!(v[4]["error"].is_null() && v[4]["items"].as_array().unwrap().is_empty());
    assert!(v[5]["error"].is_null());
    assert!(v[6]["error"].is_null());
    assert!(
        !v[7]["items"].as_array().unwrap().is_empty(),
        "zero-width and control characters are ignored"
    );
    assert!(!v[8]["items"].as_array().unwrap().is_empty(), "emoji are ignored");
    assert!(!v[9]["items"].as_array().unwrap().is_empty());
    assert!(!v[10]["items"].as_array().unwrap().is_empty());
    assert!(
        v[12]["error"].is_null() && !v[12]["items"].as_array().unwrap().is_empty(),
        "still answering at the end"
    );
}

#[test]
fn doc_ids_show_document_cards() {
    let v = batch(&["/source 002_a55689cea94975b7", "/source 003", "/source 999"]);
    let card = v[0]["message"].as_str().unwrap();
    assert!(
        card.contains("新智元") && card.contains("References:") && card.contains("techcrunch.com"),
        "{card}"
    );
    assert_eq!(v[0]["items"][0]["citation"]["paragraph"], 1);
    assert!(v[1]["message"].as_str().unwrap().contains("機器之心"));
    assert!(
        v[2]["items"].as_array().unwrap().is_empty(),
        "no such document, no such number"
    );
}

/// `a` equals `b`, where a string in `a` ending in `…` only has to start the same.
fn matches_example(example: &Value, real: &Value, at: &str) {
    match (example, real) {
        (Value::String(e), Value::String(r)) if e.ends_with('…') => {
            assert!(
                r.starts_with(e.trim_end_matches('…')),
                "{at}: {r:?} does not start like {e:?}"
            )
        }
        (Value::Object(e), Value::Object(r)) => {
            for (k, v) in e {
                if k == "…" || k == "took_ms" {
                    continue;
                }
                matches_example(v, r.get(k).unwrap_or(&Value::Null), &format!("{at}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(r)) => {
            assert!(
                r.len() >= e.len(),
                "{at}: {} items, the example shows {}",
                r.len(),
                e.len()
            );
            for (i, (ev, rv)) in e.iter().zip(r).enumerate() {
                matches_example(ev, rv, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(example, real, "{at}"),
    }
}

#[test]
fn the_readme_json_example_is_real_output() {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    let after = readme.split("Each JSON line:").nth(1).expect("the example's heading");
    let block = after
        .split("```json")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a json block");
    let example: Value = serde_json::from_str(block).expect("the README example is JSON");
    let line = format!("/source {}", example["query"].as_str().unwrap());
    let real = batch(&[&line]).remove(0);
    matches_example(&example, &real, "answer");
}

#[test]
fn a_batch_line_that_is_not_utf8_keeps_its_channel_and_command() {
    let index = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--corpus", common::bundled_corpus().to_str().unwrap()])
        .args(["--index", index.path().to_str().unwrap()])
        .args(["--data", common::repo().join("data").to_str().unwrap()])
        .args(["ask", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = b"#chan-7 /source \xff\xfe".to_vec();
    input.extend_from_slice("豆包\n/source 豆包\n".as_bytes());
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["channel"], "chan-7");
    assert_eq!(v[0]["command"], "source");
    assert!(
        !v[0]["items"].as_array().unwrap().is_empty(),
        "the bad bytes are ignored, the words answered"
    );
    assert_eq!(v[1]["channel"], "cli");
}
