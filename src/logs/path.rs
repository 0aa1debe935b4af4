//! The one dotted-path lookup over a parsed `serde_json::Value` (Elasticsearch `_source`
//! documents, the walk's follow-up hits, test fixtures). Two other readers of dotted paths exist
//! on purpose: `logs::record`'s trie reads paths while deserialising each NDJSON line without
//! building a `Value` (the hot path: gigabytes of logs), and `capture::json` keeps byte spans of
//! raw values for snippets; both follow the same rule (nested objects or flat dotted keys).

use serde_json::Value;

/// A value at a dotted path: nested objects (`{"http":{"request":{"id":..}}}`) or flat dotted
/// keys (`{"http.request.id": ..}`), as both occur in real indices.
pub fn lookup<'a>(source: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(v) = source.get(path) {
        return Some(v);
    }
    let mut cut = path.len();
    while let Some(dot) = path[..cut].rfind('.') {
        if let Some(head) = source.get(&path[..dot]) {
            if let Some(v) = lookup(head, &path[dot + 1..]) {
                return Some(v);
            }
        }
        cut = dot;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookup_handles_nested_and_dotted_keys() {
        let doc = json!({"http": {"request": {"id": "a"}}, "labels.stream": true, "gen_ai": {"usage.input_tokens": 5}});
        assert_eq!(lookup(&doc, "http.request.id"), Some(&json!("a")));
        assert_eq!(lookup(&doc, "labels.stream"), Some(&json!(true)));
        assert_eq!(lookup(&doc, "gen_ai.usage.input_tokens"), Some(&json!(5)));
        assert_eq!(lookup(&doc, "http.response"), None);
    }
}
