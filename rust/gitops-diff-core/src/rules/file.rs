//! The rules file (`.gitops-diff.yaml`, or `--rules FILE`), validated in full before
//! any diff runs: an unknown key, a bad glob or a malformed pointer is an error naming
//! the file and line.
//!
//! ```yaml
//! ignore:
//!   - kind: Deployment            # globs over group, kind, namespace, name
//!     name: "web-*"
//!     paths: [/spec/replicas, /spec/template/spec/containers/name=app/image]
//!   - managers: [kube-controller-manager]   # fields these managers own
//! presets: {hpa-replicas: true, aggregated-roles: true, webhook-ca-bundle: true}
//! normalizers: {quantities: true}
//! removal-managers: [argocd-controller]
//! managed-selector: app.kubernetes.io/part-of=shop
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use super::glob::Glob;
use super::pattern::PathPattern;
use super::{IgnoreRule, LabelSelector, Rules, Selector};
use crate::error::{Error, Location};
use crate::load::{line_index, load_bytes, Format, Limits};
use crate::normalize::NORMALIZER_NAMES;
use crate::value::{Map, Value};

/// A parsed rules file: the rules, and the normalizers it switches (by name).
#[derive(Debug, Clone, Default)]
pub struct RulesFile {
    pub rules: Rules,
    pub normalizers: Vec<(String, bool)>,
}

const TOP_KEYS: &[&str] = &["ignore", "presets", "normalizers", "removal-managers", "managed-selector"];
const RULE_KEYS: &[&str] = &["group", "kind", "namespace", "name", "paths", "managers"];

struct Context {
    source: Arc<str>,
    lines: HashMap<String, u32>,
}

impl Context {
    fn error(&self, pointer: &str, message: String) -> Error {
        // The closest enclosing node that has a line.
        let mut p = pointer;
        let line = loop {
            if let Some(line) = self.lines.get(p) {
                break *line;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break 1,
            }
        };
        Error::Rules { location: Location { source: self.source.clone(), line, column: 1 }, message }
    }

    fn map<'v>(&self, value: &'v Value, pointer: &str, allowed: &[&str], what: &str) -> Result<&'v Map, Error> {
        let Value::Object(map) = value else {
            return Err(self.error(pointer, format!("{what} must be a mapping, found a {}", value.type_name())));
        };
        if let Some(unknown) = map.keys().find(|k| !allowed.contains(k)) {
            return Err(self.error(
                &format!("{pointer}/{unknown}"),
                format!("unknown key {unknown:?} in {what}; known: {}", allowed.join(", ")),
            ));
        }
        Ok(map)
    }

    fn string<'v>(&self, value: &'v Value, pointer: &str, what: &str) -> Result<&'v str, Error> {
        value
            .as_str()
            .ok_or_else(|| self.error(pointer, format!("{what} must be a string, found a {}", value.type_name())))
    }

    fn strings<'v>(&self, value: &'v Value, pointer: &str, what: &str) -> Result<Vec<(String, &'v str)>, Error> {
        let Value::Array(items) = value else {
            return Err(self.error(pointer, format!("{what} must be a list of strings")));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let p = format!("{pointer}/{i}");
                self.string(item, &p, what).map(|s| (p, s))
            })
            .collect()
    }

    fn glob(&self, text: &str, pointer: &str) -> Result<Glob, Error> {
        Glob::parse(text).map_err(|m| self.error(pointer, m))
    }

    fn switches(&self, value: &Value, pointer: &str, known: &[&str], what: &str) -> Result<Vec<(String, bool)>, Error> {
        let map = self.map(value, pointer, known, what)?;
        map.iter()
            .map(|(name, v)| match v {
                Value::Bool(b) => Ok((name.to_owned(), *b)),
                other => Err(self.error(
                    &format!("{pointer}/{name}"),
                    format!("{what} {name:?} must be true or false, found a {}", other.type_name()),
                )),
            })
            .collect()
    }
}

/// Parses and validates a rules file.
pub fn parse_rules(text: &[u8], source: &str) -> Result<RulesFile, Error> {
    let docs = load_bytes(text, source, Format::Yaml, &Limits::default())?;
    let ctx =
        Context { source: Arc::from(source), lines: std::str::from_utf8(text).map(line_index).unwrap_or_default() };
    let mut file = RulesFile::default();
    let Some(doc) = docs.first() else { return Ok(file) };
    if docs.len() > 1 {
        return Err(ctx.error("", "a rules file holds one YAML document".into()));
    }
    let top = ctx.map(&doc.value, "", TOP_KEYS, "the rules file")?;
    for (key, value) in top.iter() {
        let pointer = format!("/{key}");
        match key {
            "ignore" => {
                let Value::Array(items) = value else {
                    return Err(ctx.error(&pointer, "ignore must be a list of rules".into()));
                };
                for (i, item) in items.iter().enumerate() {
                    file.rules.ignore.push(parse_rule(&ctx, item, &format!("{pointer}/{i}"))?);
                }
            }
            "presets" => {
                for (name, enabled) in ctx.switches(value, &pointer, super::PRESET_NAMES, "preset")? {
                    file.rules.presets.set(&name, enabled).map_err(|m| ctx.error(&pointer, m))?;
                }
            }
            "normalizers" => file.normalizers = ctx.switches(value, &pointer, NORMALIZER_NAMES, "normalizer")?,
            "removal-managers" => {
                for (p, text) in ctx.strings(value, &pointer, "removal-managers")? {
                    file.rules.removal_managers.push(ctx.glob(text, &p)?);
                }
            }
            "managed-selector" => {
                let text = ctx.string(value, &pointer, "managed-selector")?;
                file.rules.managed_selector = Some(LabelSelector::parse(text).map_err(|m| ctx.error(&pointer, m))?);
            }
            _ => {}
        }
    }
    Ok(file)
}

fn parse_rule(ctx: &Context, value: &Value, pointer: &str) -> Result<IgnoreRule, Error> {
    let map = ctx.map(value, pointer, RULE_KEYS, "an ignore rule")?;
    let mut rule = IgnoreRule { selector: Selector::default(), paths: Vec::new(), managers: Vec::new() };
    for (key, v) in map.iter() {
        let p = format!("{pointer}/{key}");
        match key {
            "paths" => {
                for (item_pointer, text) in ctx.strings(v, &p, "paths")? {
                    rule.paths.push(PathPattern::parse(text).map_err(|m| ctx.error(&item_pointer, m))?);
                }
            }
            "managers" => {
                for (item_pointer, text) in ctx.strings(v, &p, "managers")? {
                    rule.managers.push(ctx.glob(text, &item_pointer)?);
                }
            }
            selector_key => {
                let glob = Some(ctx.glob(ctx.string(v, &p, selector_key)?, &p)?);
                match selector_key {
                    "group" => rule.selector.group = glob,
                    "kind" => rule.selector.kind = glob,
                    "namespace" => rule.selector.namespace = glob,
                    _ => rule.selector.name = glob,
                }
            }
        }
    }
    if rule.paths.is_empty() && rule.managers.is_empty() {
        return Err(ctx.error(pointer, "an ignore rule needs paths or managers".into()));
    }
    Ok(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_rules_file() {
        let text = b"ignore:\n  - kind: Deployment\n    name: 'web-*'\n    paths: [/spec/replicas]\n  - managers: [kube-controller-manager]\npresets: {hpa-replicas: false}\nnormalizers: {quantities: false}\nremoval-managers: [argocd-controller]\nmanaged-selector: team=shop\n";
        let file = parse_rules(text, "rules.yaml").unwrap();
        assert_eq!(file.rules.ignore.len(), 2);
        assert!(!file.rules.presets.hpa_replicas);
        assert_eq!(file.normalizers, vec![("quantities".to_owned(), false)]);
        assert_eq!(file.rules.removal_managers[0].as_str(), "argocd-controller");
    }

    fn error(text: &str) -> String {
        parse_rules(text.as_bytes(), "rules.yaml").unwrap_err().to_string()
    }

    #[test]
    fn errors_name_file_line_and_problem() {
        assert_eq!(
            error("ignore:\n  - kind: Deployment\n    paths: [/spec/replicas]\n    colour: red\n"),
            "rules.yaml:4:1: unknown key \"colour\" in an ignore rule; known: group, kind, namespace, name, paths, managers"
        );
        assert!(error("ignore:\n  - name: 'web-[x'\n    paths: [/a]\n").starts_with("rules.yaml:2:1: glob"));
        assert!(error("ignore:\n  - paths:\n    - /ok\n    - spec/replicas\n").starts_with("rules.yaml:4:1: path"));
        assert!(error("ignore:\n  - kind: X\n").contains("needs paths or managers"));
        assert!(error("presets: {hpa-replicas: maybe}\n").contains("must be true or false"));
        assert!(error("prests: {}\n").starts_with("rules.yaml:1:1: unknown key \"prests\""));
    }
}
