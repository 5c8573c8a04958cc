//! Packs: rules files loaded as one set, in the order a manifest (`pack.yaml`)
//! lists them. Rules keep that order across files (a tie in severity goes to the
//! rule loaded first), and the shared definitions a file writes are usable in the
//! files after it. A single rules file is a pack of one.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::compile::RulesError;
use super::compile::{self, find_line, yaml_error};
use super::set::RuleSet;
use super::shared::Shared;

/// The manifest's file name in a pack directory.
pub const MANIFEST: &str = "pack.yaml";

/// The bundled pack's directory, relative to the repository.
pub const BUNDLED_DIR: &str = "rules/cognito";

/// The bundled pack's manifest: the single list of its files, which
/// [`BUNDLED_FILES`] follows (a test holds them and the directory together).
pub const BUNDLED_MANIFEST: &str = include_str!("../../rules/cognito/pack.yaml");

macro_rules! bundled {
    ($file:literal) => {
        (
            concat!("rules/cognito/", $file),
            include_str!(concat!("../../rules/cognito/", $file)),
        )
    };
}

/// The bundled pack's files, in the manifest's order: name, text.
pub const BUNDLED_FILES: &[(&str, &str)] = &[
    bundled!("_shared.yaml"),
    bundled!("user-pool.yaml"),
    bundled!("client.yaml"),
    bundled!("domain-and-idp.yaml"),
    bundled!("group.yaml"),
    bundled!("tags.yaml"),
    bundled!("admin-user.yaml"),
    bundled!("identity-pool.yaml"),
    bundled!("sync.yaml"),
    bundled!("fallback.yaml"),
    bundled!("checks.yaml"),
    bundled!("chains.yaml"),
];

/// Name under which the bundled pack reports itself (its files name themselves).
pub const BUNDLED_NAME: &str = "rules/cognito (bundled)";

/// `pack.yaml`: the files of a pack, in order, relative to it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default = "one")]
    version: u32,
    files: Vec<String>,
}

fn one() -> u32 {
    1
}

/// Whether `text` is a manifest rather than a rules file (which cannot have a
/// top-level `files` key).
pub fn is_manifest(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("files:"))
}

/// The files a manifest lists, checked: relative paths of `.yaml` files inside the
/// pack's directory, each once.
pub fn manifest_files(text: &str, name: &str) -> Result<Vec<String>, RulesError> {
    let manifest: Manifest = serde_yaml_ng::from_str(text).map_err(|e| yaml_error(name, &e))?;
    let invalid = |needle: &str, nth: usize, message: String| {
        let at = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains(needle))
            .nth(nth - 1)
            .map(|(i, _)| i);
        RulesError::Invalid {
            file: name.to_string(),
            line: at.map_or(1, |i| i + 1),
            column: 1,
            message,
        }
    };
    if manifest.version != 1 {
        let message = format!("unsupported version {}: expected 1", manifest.version);
        let (line, column) = find_line(text, "version:", None, 1).unwrap_or((1, 1));
        return Err(RulesError::Invalid {
            file: name.to_string(),
            line,
            column,
            message,
        });
    }
    if manifest.files.is_empty() {
        return Err(invalid("files:", 1, "`files` lists no file".into()));
    }
    let mut seen = HashSet::new();
    for f in &manifest.files {
        let inside = !f.starts_with('/') && !f.split(['/', '\\']).any(|part| part == "..");
        if !inside || !(f.ends_with(".yaml") || f.ends_with(".yml")) {
            let message = format!("{f:?}: a pack lists .yaml files inside its directory");
            return Err(invalid(f, 1, message));
        }
        if !seen.insert(f.as_str()) {
            return Err(invalid(f, 2, format!("{f:?} is listed twice")));
        }
    }
    Ok(manifest.files)
}

fn read(path: &Path) -> Result<String, RulesError> {
    std::fs::read_to_string(path).map_err(|source| RulesError::Read {
        file: path.display().to_string(),
        source,
    })
}

impl RuleSet {
    /// The bundled Cognito pack. It is validated by the test suite, so a failure
    /// here is a build defect, reported rather than panicking.
    pub fn bundled() -> Result<RuleSet, RulesError> {
        RuleSet::from_files(BUNDLED_NAME, BUNDLED_FILES)
    }

    /// Loads and validates a rules file, or a pack: its directory (which holds a
    /// `pack.yaml`) or its manifest.
    pub fn load(path: &Path) -> Result<RuleSet, RulesError> {
        let name = path.display().to_string();
        let manifest = match path.is_dir() {
            true => path.join(MANIFEST),
            false => path.to_path_buf(),
        };
        let text = read(&manifest)?;
        if !path.is_dir() && !is_manifest(&text) {
            return RuleSet::from_yaml(&text, &name);
        }
        let dir = manifest.parent().unwrap_or(Path::new(""));
        let listed = manifest_files(&text, &manifest.display().to_string())?;
        let files = listed
            .iter()
            .map(|f| {
                let p = dir.join(f);
                Ok((p.display().to_string(), read(&p)?))
            })
            .collect::<Result<Vec<_>, RulesError>>()?;
        RuleSet::from_files(&name, &files)
    }

    /// Parses and validates rules from YAML text; `name` is used in error messages.
    pub fn from_yaml(text: &str, name: &str) -> Result<RuleSet, RulesError> {
        RuleSet::from_files(name, &[(name, text)])
    }

    /// Parses and validates a pack's files (name, text), in order; `name` names
    /// the set.
    pub fn from_files<N: AsRef<str>, T: AsRef<str>>(
        name: &str,
        files: &[(N, T)],
    ) -> Result<RuleSet, RulesError> {
        let mut shared = Shared::default();
        let mut seen = HashSet::new();
        let mut rules = Vec::new();
        let mut checks = Vec::new();
        let mut chains = Vec::new();
        for (file, text) in files {
            let c = compile::compile(text.as_ref(), file.as_ref(), &mut shared, &mut seen)?;
            rules.extend(c.rules);
            checks.extend(c.checks);
            chains.extend(c.chains);
        }
        let set = RuleSet::build(name, rules, shared);
        set.with_checks(checks)?.with_chains(chains)
    }
}

#[cfg(test)]
mod tests;
