//! `faultline probe --format json`: the report as it is, pretty-printed, newline-terminated.

use crate::probe::Report;

pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_contract_names_its_version() {
        let k = crate::knowledge::Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
        let report = super::super::human::tests::sample(&k);
        let v: serde_json::Value = serde_json::from_str(&super::json(&report)).unwrap_or_default();
        assert_eq!(v["version"], 1);
        assert_eq!(v["verdict"], "gateway");
        assert_eq!(v["paths"][1]["steps"][2]["status"], 502);
        for key in ["cause", "credentials", "paths", "fix", "evidence", "model", "summary", "sent"] {
            assert!(v.get(key).is_some(), "{key}");
        }
    }
}
