//! Request bodies checked against Discord's official OpenAPI spec (read from
//! `../shared/discord/openapi.json`, or the file `DISCORD_OPENAPI` names; never copied into
//! the project).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::Value;

pub struct Spec {
    doc: Arc<Value>,
    /// `(method, template)` → compiled validator of its JSON request body.
    validators: Mutex<HashMap<(String, String), Arc<jsonschema::Validator>>>,
}

fn location() -> PathBuf {
    match std::env::var_os("DISCORD_OPENAPI") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/discord/openapi.json"),
    }
}

impl Spec {
    pub fn load() -> Option<Spec> {
        let path = location();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(_) => {
                eprintln!(
                    "note: {} not found; request bodies are checked for limits only",
                    path.display()
                );
                return None;
            }
        };
        let doc: Value = serde_json::from_str(&text).expect("the OpenAPI spec is JSON");
        Some(Spec {
            doc: Arc::new(doc),
            validators: Mutex::new(HashMap::new()),
        })
    }

    /// The path template of the spec matching `route` (literal segments win over parameters).
    fn template(&self, route: &str) -> Option<String> {
        let segs: Vec<&str> = route.trim_start_matches('/').split('/').collect();
        let paths = self.doc["paths"].as_object()?;
        paths
            .keys()
            .filter_map(|t| {
                let tsegs: Vec<&str> = t.trim_start_matches('/').split('/').collect();
                if tsegs.len() != segs.len() {
                    return None;
                }
                let mut literal = 0;
                for (a, b) in tsegs.iter().zip(&segs) {
                    if a.starts_with('{') {
                        continue;
                    }
                    if a != b {
                        return None;
                    }
                    literal += 1;
                }
                Some((literal, t.clone()))
            })
            .max_by_key(|(l, _)| *l)
            .map(|(_, t)| t)
    }

    /// Ok when `body` fits the JSON request schema of `method route`.
    pub fn check(&self, method: &str, route: &str, body: &Value) -> Result<(), String> {
        let Some(template) = self.template(route) else {
            return Err(format!("{route} is not a Discord API path"));
        };
        let m = method.to_lowercase();
        let op = &self.doc["paths"][&template][&m];
        if op.is_null() {
            return Err(format!("{method} is not allowed on {template}"));
        }
        let schema = &op["requestBody"]["content"]["application/json"]["schema"];
        if schema.is_null() {
            return Ok(());
        }
        let key = (m, template.clone());
        let validator = {
            let mut cache = self.validators.lock().unwrap();
            match cache.get(&key) {
                Some(v) => v.clone(),
                None => {
                    // The whole spec is the root resource so `#/components/...` references resolve.
                    let mut root = (*self.doc).clone();
                    let obj = root.as_object_mut().unwrap();
                    for (k, v) in schema.as_object().unwrap() {
                        obj.insert(k.clone(), v.clone());
                    }
                    let v = Arc::new(
                        jsonschema::draft202012::new(&root)
                            .map_err(|e| format!("cannot compile the schema of {template}: {e}"))?,
                    );
                    cache.insert(key, v.clone());
                    v
                }
            }
        };
        let errors: Vec<String> = validator
            .iter_errors(body)
            .take(3)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "body does not match Discord's schema for {method} {template}: {}",
                errors.join("; ")
            ))
        }
    }
}
