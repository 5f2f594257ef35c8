//! What the user tells the engine to ignore or treat specially: ignore rules
//! (selectors + paths or field managers), built-in presets, the field managers whose
//! fields count as previously applied, and the managed-scope selector.

pub mod file;
pub mod glob;
pub mod managed_fields;
pub mod pattern;

use glob::Glob;
use pattern::PathPattern;

use crate::identity::ResourceId;
use crate::value::Value;

/// Which objects a rule applies to: globs on group, kind, namespace and name; an
/// absent glob matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    pub group: Option<Glob>,
    pub kind: Option<Glob>,
    pub namespace: Option<Glob>,
    pub name: Option<Glob>,
}

impl Selector {
    pub fn matches(&self, id: &ResourceId) -> bool {
        let ok = |glob: &Option<Glob>, value: &str| glob.as_ref().is_none_or(|g| g.matches(value));
        ok(&self.group, &id.group)
            && ok(&self.kind, &id.kind)
            && ok(&self.namespace, id.namespace.as_deref().unwrap_or(""))
            && ok(&self.name, &id.name)
    }
}

/// Differences at `paths`, or in fields owned by `managers`, of the selected objects
/// are ignored: counted in the report, never drift.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreRule {
    pub selector: Selector,
    pub paths: Vec<PathPattern>,
    pub managers: Vec<Glob>,
}

/// Built-in ignore rules for well-known controller-owned fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presets {
    /// `spec.replicas` of a workload that an HPA in the desired set targets.
    pub hpa_replicas: bool,
    /// `rules` of a ClusterRole with an `aggregationRule` (filled by a controller).
    pub aggregated_roles: bool,
    /// `caBundle` of webhook configurations, CRD conversion webhooks and APIServices
    /// (injected by cert-manager and friends).
    pub webhook_ca_bundle: bool,
}

pub const PRESET_NAMES: &[&str] = &["hpa-replicas", "aggregated-roles", "webhook-ca-bundle"];

impl Default for Presets {
    fn default() -> Self {
        Self { hpa_replicas: true, aggregated_roles: true, webhook_ca_bundle: true }
    }
}

impl Presets {
    pub fn set(&mut self, name: &str, enabled: bool) -> Result<(), String> {
        let flag = match name {
            "hpa-replicas" => &mut self.hpa_replicas,
            "aggregated-roles" => &mut self.aggregated_roles,
            "webhook-ca-bundle" => &mut self.webhook_ca_bundle,
            other => return Err(format!("unknown preset {other:?}; known: {}", PRESET_NAMES.join(", "))),
        };
        *flag = enabled;
        Ok(())
    }
}

/// An equality-based label selector: `k=v`, `k==v`, `k!=v`, `k` (exists), `!k`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSelector {
    pub text: String,
    requirements: Vec<(String, Requirement)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Equals(String),
    NotEquals(String),
    Exists,
    NotExists,
}

impl LabelSelector {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut requirements = Vec::new();
        for part in text.split(',').map(str::trim) {
            if part.is_empty() {
                return Err(format!("label selector {text:?} has an empty requirement"));
            }
            let requirement = if let Some((k, v)) = part.split_once("!=") {
                (k.trim().to_owned(), Requirement::NotEquals(v.trim().to_owned()))
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                (k.trim().to_owned(), Requirement::Equals(v.trim().to_owned()))
            } else if let Some(k) = part.strip_prefix('!') {
                (k.trim().to_owned(), Requirement::NotExists)
            } else {
                (part.to_owned(), Requirement::Exists)
            };
            if requirement.0.is_empty() || requirement.0.contains(char::is_whitespace) {
                return Err(format!("label selector {text:?} has an invalid key in {part:?}"));
            }
            requirements.push(requirement);
        }
        Ok(Self { text: text.to_owned(), requirements })
    }

    pub fn matches(&self, obj: &Value) -> bool {
        let labels = obj.get_path(&["metadata", "labels"]).and_then(Value::as_object);
        let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        self.requirements.iter().all(|(key, req)| match req {
            Requirement::Equals(v) => label(key) == Some(v.as_str()),
            Requirement::NotEquals(v) => label(key) != Some(v.as_str()),
            Requirement::Exists => label(key).is_some(),
            Requirement::NotExists => label(key).is_none(),
        })
    }
}

/// Everything the user configured, from a rules file and the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    pub ignore: Vec<IgnoreRule>,
    pub presets: Presets,
    /// Fields owned by these managers (e.g. the GitOps tool's) count as previously
    /// applied: dropped from Git but still live is drift.
    pub removal_managers: Vec<Glob>,
    /// Live-only objects matching this selector are managed (extra), besides those
    /// carrying a GitOps tool's tracking metadata.
    pub managed_selector: Option<LabelSelector>,
}

impl Rules {
    /// Parses a command-line ignore: `POINTER` (every object) or
    /// `SELECTOR:POINTER` with SELECTOR as `key=glob,...` over group, kind,
    /// namespace and name, e.g. `kind=Deployment,name=web-*:/spec/replicas`.
    pub fn parse_cli_ignore(spec: &str) -> Result<IgnoreRule, String> {
        let (selector_text, pointer) = if spec.starts_with('/') {
            ("", spec.to_owned())
        } else {
            let (selector, rest) = spec.split_once(":/").ok_or_else(|| {
                format!("ignore {spec:?} must be POINTER or SELECTOR:POINTER (pointer starting with '/')")
            })?;
            (selector, format!("/{rest}"))
        };
        let mut selector = Selector::default();
        for pair in selector_text.split(',').filter(|p| !p.is_empty()) {
            let Some((key, glob)) = pair.split_once('=') else {
                return Err(format!("ignore selector {pair:?} must be key=glob"));
            };
            let glob = Some(Glob::parse(glob)?);
            match key.trim() {
                "group" => selector.group = glob,
                "kind" => selector.kind = glob,
                "namespace" => selector.namespace = glob,
                "name" => selector.name = glob,
                other => return Err(format!("unknown selector key {other:?}; known: group, kind, namespace, name")),
            }
        }
        Ok(IgnoreRule { selector, paths: vec![PathPattern::parse(&pointer)?], managers: Vec::new() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(kind: &str, ns: Option<&str>, name: &str) -> ResourceId {
        ResourceId { group: "apps".into(), kind: kind.into(), namespace: ns.map(Into::into), name: name.into() }
    }

    #[test]
    fn selectors_match_with_globs() {
        let rule = Rules::parse_cli_ignore("kind=Deployment,name=web-*:/spec/replicas").unwrap();
        assert!(rule.selector.matches(&id("Deployment", Some("a"), "web-1")));
        assert!(!rule.selector.matches(&id("Deployment", Some("a"), "api")));
        assert_eq!(rule.paths[0].text, "/spec/replicas");
        let all = Rules::parse_cli_ignore("/metadata/labels/x").unwrap();
        assert!(all.selector.matches(&id("StatefulSet", None, "x")));
    }

    #[test]
    fn bad_cli_ignores_are_errors() {
        assert!(Rules::parse_cli_ignore("spec/replicas").is_err());
        assert!(Rules::parse_cli_ignore("colour=red:/x").is_err());
        assert!(Rules::parse_cli_ignore("name=[x:/a").is_err());
    }

    #[test]
    fn label_selectors() {
        let obj = crate::load::test_object("metadata: {labels: {team: shop, tier: web}}\n");
        assert!(LabelSelector::parse("team=shop").unwrap().matches(&obj));
        assert!(LabelSelector::parse("team=shop,tier!=db,!legacy").unwrap().matches(&obj));
        assert!(!LabelSelector::parse("team=pay").unwrap().matches(&obj));
        assert!(LabelSelector::parse("a=b,,c").is_err());
    }
}
