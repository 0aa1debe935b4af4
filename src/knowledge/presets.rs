//! Log presets as data: `rules/presets.toml` (embedded) plus the `[presets.NAME]` tables of
//! faultline.toml. This module holds the description as written (with the position of every
//! entry, so a mistake is reported as `file:line:col`); `logs::preset` compiles it into the path
//! trie the reader walks and the queries the cluster runs.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};

/// Where a preset was written: the file's name and text, to turn a byte offset into line:col.
#[derive(Debug, Clone)]
pub struct Origin {
    pub name: String,
    pub text: Arc<str>,
}

impl Origin {
    /// `name:line:col` of a byte offset.
    pub fn at(&self, offset: usize) -> String {
        let (line, col) = line_col(&self.text, offset);
        format!("{}:{line}:{col}", self.name)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = text.get(..at).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// One rule of a `status`, `hop` or `in_band` list (rules/presets.toml documents each key).
#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub path: Option<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    pub equals: Option<String>,
    pub prefix: Option<String>,
    pub contains: Option<String>,
    pub after: Option<String>,
    pub table: Option<String>,
    pub split: Option<String>,
    pub map: Option<BTreeMap<String, toml::Value>>,
    pub value: Option<toml::Value>,
    pub absent: Option<toml::Value>,
}

impl RuleDef {
    /// `path` and `paths`, in that order.
    pub fn all_paths(&self) -> Vec<&str> {
        self.path.iter().map(String::as_str).chain(self.paths.iter().map(String::as_str)).collect()
    }
}

/// One logical field: paths (each `path[:unit]`, the first present wins), placeholders that mean
/// unset, and (for `stream`) a map from the logged text to true/false.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldDef {
    pub paths: Vec<String>,
    pub unset: Option<Vec<String>>,
    pub map: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldTable {
    path: Option<String>,
    #[serde(default)]
    paths: Vec<String>,
    unset: Option<Vec<String>>,
    map: Option<BTreeMap<String, String>>,
}

impl<'de> Deserialize<'de> for FieldDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<FieldDef, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FieldDef;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a path (\"a.b[:unit]\"), a list of paths, or a table { paths, unset, map }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<FieldDef, E> {
                Ok(FieldDef { paths: vec![v.to_string()], ..FieldDef::default() })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<FieldDef, A::Error> {
                let mut paths = Vec::new();
                while let Some(p) = seq.next_element::<String>()? {
                    paths.push(p);
                }
                Ok(FieldDef { paths, ..FieldDef::default() })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<FieldDef, A::Error> {
                let t = FieldTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let paths = t.path.into_iter().chain(t.paths).collect();
                Ok(FieldDef { paths, unset: t.unset, map: t.map })
            }
        }
        d.deserialize_any(V)
    }
}

/// One preset as written.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PresetDef {
    pub description: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub detect: Vec<Spanned<String>>,
    #[serde(default)]
    pub unset: Vec<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, Spanned<FieldDef>>,
    #[serde(default)]
    pub status: Vec<Spanned<RuleDef>>,
    #[serde(default)]
    pub hop: Vec<Spanned<RuleDef>>,
    #[serde(default)]
    pub in_band: Vec<Spanned<RuleDef>>,
}

/// `rules/presets.toml`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PresetsFile {
    #[serde(default)]
    pub status_tables: BTreeMap<String, BTreeMap<String, u16>>,
    #[serde(default)]
    pub hop_tables: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub presets: BTreeMap<String, Spanned<PresetDef>>,
}

/// A preset with where it was written.
#[derive(Debug, Clone)]
pub struct PresetEntry {
    pub name: String,
    pub def: PresetDef,
    pub origin: Origin,
    /// Byte offset of the preset's table in its file.
    pub offset: usize,
    /// From faultline.toml (not rules/presets.toml).
    pub from_config: bool,
}

impl PresetEntry {
    /// `file:line:col` of a byte offset in this preset's file.
    pub fn at(&self, offset: usize) -> String {
        self.origin.at(offset)
    }
}

/// Every preset, built-in first in file order, then faultline.toml's (a preset of faultline.toml
/// named like a built-in one replaces it in place), and the name tables their rules use.
#[derive(Debug, Clone, Default)]
pub struct Presets {
    pub entries: Vec<PresetEntry>,
    pub status_tables: BTreeMap<String, BTreeMap<String, u16>>,
    pub hop_tables: BTreeMap<String, BTreeMap<String, String>>,
}

/// What faultline.toml adds: its presets, with the file they came from.
#[derive(Debug, Clone, Default)]
pub struct PresetsExtension {
    pub presets: BTreeMap<String, Spanned<PresetDef>>,
    pub origin: Option<Origin>,
}

impl Presets {
    /// The embedded presets file text, parsed; errors name `rules/presets.toml:line:col`.
    pub fn parse(name: &str, text: &str) -> Result<PresetsFile> {
        toml::from_str(text).map_err(|e| {
            let at = e.span().map_or_else(
                || format!("{name}:1:1"),
                |s| {
                    let (l, c) = line_col(text, s.start);
                    format!("{name}:{l}:{c}")
                },
            );
            Error::Config(format!("{at}: {}", e.message().trim_end().replace('\n', " ")))
        })
    }

    /// The embedded file plus faultline.toml's extension.
    pub fn build(name: &str, text: &'static str, ext: &PresetsExtension) -> Result<Presets> {
        let file = Presets::parse(name, text)?;
        let origin = Origin { name: name.to_string(), text: Arc::from(text) };
        let mut entries: Vec<PresetEntry> = file
            .presets
            .into_iter()
            .map(|(name, spanned)| {
                let offset = spanned.span().start;
                PresetEntry { name, def: spanned.into_inner(), origin: origin.clone(), offset, from_config: false }
            })
            .collect();
        entries.sort_by_key(|e| e.offset);
        let config_origin =
            ext.origin.clone().unwrap_or_else(|| Origin { name: "faultline.toml".into(), text: Arc::from("") });
        let mut added: Vec<PresetEntry> = ext
            .presets
            .iter()
            .map(|(name, spanned)| PresetEntry {
                name: name.clone(),
                def: spanned.get_ref().clone(),
                origin: config_origin.clone(),
                offset: spanned.span().start,
                from_config: true,
            })
            .collect();
        added.sort_by_key(|e| e.offset);
        for entry in added {
            match entries.iter_mut().find(|e| e.name == entry.name) {
                Some(slot) => *slot = entry,
                None => entries.push(entry),
            }
        }
        Ok(Presets { entries, status_tables: file.status_tables, hop_tables: file.hop_tables })
    }

    pub fn get(&self, name: &str) -> Option<&PresetEntry> {
        self.entries.iter().find(|e| e.name == name)
    }

    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.name.as_str()).collect()
    }
}

/// The embedded presets alone (tests, benches, the simulator): parsed once.
pub fn builtin() -> &'static Presets {
    static BUILTIN: std::sync::OnceLock<Presets> = std::sync::OnceLock::new();
    BUILTIN.get_or_init(|| {
        Presets::build("rules/presets.toml", super::embedded("presets.toml"), &PresetsExtension::default())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_presets_parse_in_file_order() {
        let p =
            Presets::build("rules/presets.toml", super::super::embedded("presets.toml"), &PresetsExtension::default())
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            p.names(),
            ["faultline", "ecs", "litellm", "otel", "envoy", "envoy-ai-gateway", "bedrock", "kong", "cloudflare"]
        );
        let latency = p.get("faultline").and_then(|e| e.def.fields.get("latency")).map(|f| f.get_ref().clone());
        assert_eq!(latency.map(|f| f.paths), Some(vec!["latency_ms:ms".to_string()]));
    }

    #[test]
    fn a_config_preset_replaces_or_adds_and_errors_have_positions() {
        let text = "[presets.mine]\ndescription = \"x\"\ndetect = [\"a\"]\n[presets.mine.fields]\ntimestamp = \"t\"\n";
        let parsed: PresetsFile = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        let ext = PresetsExtension {
            presets: parsed.presets,
            origin: Some(Origin { name: "f.toml".into(), text: Arc::from(text) }),
        };
        let p = Presets::build("rules/presets.toml", super::super::embedded("presets.toml"), &ext)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.names().last(), Some(&"mine"));
        let mine = p.get("mine").unwrap_or_else(|| panic!("mine"));
        assert_eq!(mine.at(mine.offset), "f.toml:1:1");
        let err = Presets::parse("x.toml", "[presets.a]\ndescription = 3\n").err().map(|e| e.to_string());
        assert!(err.as_deref().is_some_and(|e| e.starts_with("x.toml:2:15:")), "{err:?}");
    }
}
