//! faultline.toml: found, parsed (errors name file:line:col) and turned into one `Config`.
//!
//! Precedence, lowest to highest: the embedded rules/ < the config file < environment
//! variables < command-line flags. Only one config file is read: `--config FILE`, else the
//! nearest `faultline.toml` in the current directory or its ancestors, else the user config
//! dir's `faultline.toml` (ruff's rule: the closest file wins, files are not merged).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::{ProviderChoice, Severity};
use crate::context::RunContext;
use crate::error::{Error, Result};
use crate::knowledge::{self, Extensions, Knowledge};
use crate::logs::es::EsConfig;
use crate::logs::record::SchemaChoice;

pub const FILE_NAME: &str = "faultline.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// `[[models.extra]]`: approved models faultline does not know yet.
    #[serde(default)]
    pub models: knowledge::ModelsExtension,
    /// `[gateway]`: forwarder-tag patterns (regex) for provider and middleware origin.
    pub gateway: Option<knowledge::GatewayPatch>,
    /// `[[signatures.extra]]`: extra error-body signatures.
    #[serde(default)]
    pub signatures: knowledge::SignaturesExtension,
    /// `[thresholds.*]`: any value of rules/thresholds.toml.
    pub thresholds: Option<knowledge::patch::Thresholds>,
    #[serde(default)]
    pub lint: LintConfig,
    #[serde(default)]
    pub diagnose: DiagnoseConfig,
    #[serde(default)]
    pub es: EsConfig,
    /// `[presets.NAME]`: log presets of your own (or a replacement for a built-in one), in the
    /// format of rules/presets.toml.
    #[serde(default)]
    pub presets: BTreeMap<String, toml::Spanned<knowledge::presets::PresetDef>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    pub fail_level: Option<Severity>,
    pub provider: Option<ProviderChoice>,
    /// Per-code severity overrides: `FL202 = "error"`.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnoseConfig {
    pub schema: Option<SchemaChoice>,
    /// Field path overrides: `status = "http.status"`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// The resolved configuration: the file that was read (if any) and the knowledge base with its
/// extensions applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub file: ConfigFile,
    pub knowledge: Knowledge,
}

impl Config {
    /// Finds and loads the configuration for this run.
    pub fn load(explicit: Option<&Path>, ctx: &RunContext) -> Result<Config> {
        let path = match explicit {
            Some(p) => {
                if !p.is_file() {
                    return Err(Error::Config(format!("{}: config file not found", p.display())));
                }
                Some(p.to_path_buf())
            }
            None => discover(ctx),
        };
        let (file, text) = match &path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| Error::Config(format!("{}: cannot read config file: {e}", p.display())))?;
                (parse_config(&p.display().to_string(), &text)?, text)
            }
            None => (ConfigFile::default(), String::new()),
        };
        let mut ext = file.extensions();
        if let Some(p) = &path {
            ext.presets.origin = Some(knowledge::presets::Origin { name: p.display().to_string(), text: text.into() });
        }
        let knowledge = Knowledge::load(&ext).map_err(|e| match &path {
            Some(p) => Error::Config(format!("{}: {e}", p.display())),
            None => e,
        })?;
        // Every preset compiles, or the run stops at the first mistake (file:line:col).
        crate::logs::preset::check_all(&knowledge.presets)?;
        Ok(Config { path, file, knowledge })
    }

    /// A configuration with no file: the embedded knowledge base.
    pub fn embedded() -> Result<Config> {
        Ok(Config { path: None, file: ConfigFile::default(), knowledge: Knowledge::embedded()? })
    }
}

impl ConfigFile {
    pub fn extensions(&self) -> Extensions {
        Extensions {
            models: self.models.clone(),
            gateway: self.gateway.clone(),
            signatures: self.signatures.clone(),
            thresholds: self.thresholds.clone(),
            presets: knowledge::presets::PresetsExtension { presets: self.presets.clone(), origin: None },
        }
    }
}

fn discover(ctx: &RunContext) -> Option<PathBuf> {
    let mut dir: Option<&Path> = Some(&ctx.cwd);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    ctx.user_config_dir.as_ref().map(|d| d.join(FILE_NAME)).filter(|p| p.is_file())
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary_compat(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

/// Parses faultline.toml text; errors read `file:line:col: message`.
pub fn parse_config(name: &str, text: &str) -> Result<ConfigFile> {
    toml::from_str::<ConfigFile>(text).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        let message = e.message().trim_end().replace('\n', " ");
        let source_line = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
        Error::Config(format!(
            "{name}:{line}:{col}: {message}\n{pad} |\n{line} | {source_line}\n{pad} | {caret:>col$}",
            pad = " ".repeat(line.to_string().len()),
            caret = "^",
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line_and_column() {
        let err = parse_config("faultline.toml", "[lint]\nfail_level = \"error\"\nselct = [\"FL0\"]\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("faultline.toml:3:1: unknown field `selct`"), "{err}");
    }

    #[test]
    fn wrong_type_names_line_and_column() {
        let err = parse_config("f.toml", "[thresholds.latency]\nnetwork_p99_ms = \"twelve\"\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("f.toml:2:18:"), "{err}");
        assert!(err.contains("expected f64") || err.contains("invalid type"), "{err}");
    }

    #[test]
    fn full_config_parses() {
        let text = r#"
[lint]
select = ["FL0", "FL1"]
ignore = ["FL404"]
fail_level = "warning"
provider = "bedrock"
[lint.severity]
FL202 = "error"

[diagnose]
schema = "ecs"
fields = { status = "http.status" }

[es]
url = "https://es:9200"
index = "claude-*"

[gateway]
middleware = "(?i)my-internal-gw"

[thresholds.quota]
monthly_tokens = 50000000

[[models.extra]]
name = "Internal fine-tune"
id = "claude-internal-1"
family = "other"
"#;
        let cfg = parse_config("f.toml", text).map_err(|e| e.to_string());
        let cfg = cfg.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cfg.lint.fail_level, Some(Severity::Warning));
        let k = Knowledge::load(&cfg.extensions()).map_err(|e| e.to_string()).unwrap_or_else(|e| panic!("{e}"));
        assert!(k.model("claude-internal-1").is_some());
        assert!(k.middleware_tag.is_match("my-internal-gw-1"));
        assert_eq!(k.thresholds.quota.monthly_tokens, 50_000_000);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé\nx", 6), (2, 3));
        assert_eq!(line_col("", 5), (1, 1));
    }
}
