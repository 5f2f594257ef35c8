//! The pipeline: identify -> pair -> normalize -> hash -> diff -> report, parallel
//! across objects, with output order fixed by identity.

use std::collections::HashMap;

use rayon::prelude::*;

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::diff::ignore::IgnoreTrie;
use crate::diff::merge_keys::MergeKeyTable;
use crate::diff::{diff_objects, Change, DiffContext, Mode, ObjectKind};
use crate::error::{Error, Origin};
use crate::hash::{hash_value, set_digest, to_hex};
use crate::identity::{group_of, identify, ResourceId, ScopeTable};
use crate::load::Document;
use crate::managed::{is_managed, INJECTED_ANNOTATIONS};
use crate::mask::{is_secret, mask_secret_object, pointer_holds_secret, redact_secret, Masker};
use crate::normalize::{
    clone_without_server_fields, last_applied, normalize, NormalizeOptions, LAST_APPLIED_ANNOTATION,
};
use crate::report::{ObjectDiff, Report, Status, Summary, SCHEMA_VERSION};
use crate::rules::managed_fields::{owned_field_sets, owned_paths, previous_from_managers};
use crate::rules::pattern::PathPattern;
use crate::rules::Rules;
use crate::value::Value;

/// Which live-only objects are reported as extra.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExtraScope {
    /// Only objects a GitOps tool or `kubectl apply` marks as managed.
    #[default]
    Managed,
    /// Every live-only object (plain inventories, non-Kubernetes use).
    All,
}

#[derive(Debug, Clone)]
pub struct DiffOptions {
    pub mode: Mode,
    /// Namespace given to namespaced objects that name none.
    pub default_namespace: String,
    pub normalize: NormalizeOptions,
    pub extra_scope: ExtraScope,
    /// `None` shows secret values as they are (local use only).
    pub masker: Option<Masker>,
    pub rules: Rules,
}

impl Default for DiffOptions {
    fn default() -> Self {
        Self {
            mode: Mode::ThreeWay,
            default_namespace: "default".into(),
            normalize: NormalizeOptions::default(),
            extra_scope: ExtraScope::Managed,
            masker: Some(Masker::random()),
            rules: Rules::default(),
        }
    }
}

/// The objects of one side, indexed by identity (sorted).
struct Side<'a> {
    entries: Vec<(ResourceId, &'a Document)>,
}

impl<'a> Side<'a> {
    fn index(
        docs: &'a [Document],
        scopes: &ScopeTable,
        options: &DiffOptions,
        side: &'static str,
    ) -> Result<Self, Error> {
        let mut entries: Vec<(ResourceId, &Document)> = docs
            .par_iter()
            .map(|d| identify(&d.value, &d.origin, scopes, &options.default_namespace).map(|id| (id, d)))
            .collect::<Result<_, _>>()?;
        // Stable: of two equal identities, the first in input order comes first.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(pair) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::DuplicateObject {
                identity: pair[0].0.to_string(),
                side,
                first: pair[0].1.origin.clone(),
                second: pair[1].1.origin.clone(),
            });
        }
        Ok(Self { entries })
    }
}

/// One identity and what each side has of it.
struct Pair<'a> {
    id: ResourceId,
    desired: Option<&'a Document>,
    live: Option<&'a Document>,
}

fn join<'a>(desired: Side<'a>, live: Side<'a>) -> Vec<Pair<'a>> {
    let mut pairs = Vec::with_capacity(desired.entries.len().max(live.entries.len()));
    let mut d = desired.entries.into_iter().peekable();
    let mut l = live.entries.into_iter().peekable();
    loop {
        let order = match (d.peek(), l.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(a), Some(b)) => a.0.cmp(&b.0),
        };
        let pair = match order {
            std::cmp::Ordering::Less => d.next().map(|(id, doc)| Pair { id, desired: Some(doc), live: None }),
            std::cmp::Ordering::Greater => l.next().map(|(id, doc)| Pair { id, desired: None, live: Some(doc) }),
            std::cmp::Ordering::Equal => match (d.next(), l.next()) {
                (Some((id, dd)), Some((_, ld))) => Some(Pair { id, desired: Some(dd), live: Some(ld) }),
                _ => None,
            },
        };
        pairs.extend(pair);
    }
    pairs
}

/// What the diff found for one identity.
struct Outcome {
    id: ResourceId,
    desired_hash: Option<u128>,
    live_hash: Option<u128>,
    /// `None` for unmanaged live-only objects (counted, not listed).
    status: Option<Status>,
    ignored: usize,
    diff: Option<ObjectDiff>,
}

/// Diffs two sets of objects. `previous` is an earlier desired state (for example the
/// last commit that was applied): it takes precedence over the last-applied annotation
/// for deciding whether a live-only field was removed from Git.
pub fn diff_sets(
    desired: &[Document],
    live: &[Document],
    previous: Option<&[Document]>,
    options: &DiffOptions,
) -> Result<Report, Error> {
    let (scopes, crds) = survey([desired, live, previous.unwrap_or_default()]);
    let keys = merge_keys_for(crds);
    let d_side = Side::index(desired, &scopes, options, "desired")?;
    let l_side = Side::index(live, &scopes, options, "live")?;
    let previous_by_id: HashMap<ResourceId, &Document> = match previous {
        Some(docs) => Side::index(docs, &scopes, options, "previous")?.entries.into_iter().collect(),
        None => HashMap::new(),
    };
    let run = Run { options, keys: &keys, hpa_targets: hpa_targets(&d_side, &options.default_namespace) };
    let pairs = join(d_side, l_side);
    let outcomes: Vec<Outcome> =
        pairs.par_iter().map(|pair| run.diff_pair(pair, previous_by_id.get(&pair.id).copied())).collect();
    Ok(assemble(outcomes, desired.len(), live.len(), options.mode))
}

/// What the whole input teaches before any pair is diffed: the scope of each kind and
/// the CRDs, in input order. One parallel pass, because reading the root of every
/// freshly loaded object is mostly cache misses (28 ms for 25k objects on one thread).
fn survey(sets: [&[Document]; 3]) -> (ScopeTable, Vec<&Value>) {
    let is_crd = |o: &&Value| {
        o.str_at(&["kind"]) == Some("CustomResourceDefinition")
            && group_of(o.str_at(&["apiVersion"]).unwrap_or_default()) == "apiextensions.k8s.io"
    };
    sets.into_par_iter()
        .flat_map(|docs| docs.par_chunks(256))
        .map(|chunk| {
            let values = || chunk.iter().map(|d| &d.value);
            (ScopeTable::learn(values()), values().filter(is_crd).collect::<Vec<_>>())
        })
        // Adjacent results combine in input order: a later CRD still wins.
        .reduce(
            || (ScopeTable::default(), Vec::new()),
            |(scopes, mut crds), (later_scopes, later_crds)| {
                crds.extend(later_crds);
                (scopes.merged(later_scopes), crds)
            },
        )
}

/// The built-in merge-key table, extended by the CRDs among the inputs.
fn merge_keys_for(crds: Vec<&Value>) -> std::borrow::Cow<'static, MergeKeyTable> {
    static BUILTIN: OnceLock<MergeKeyTable> = OnceLock::new();
    let builtin = BUILTIN.get_or_init(MergeKeyTable::builtin);
    if crds.is_empty() {
        return std::borrow::Cow::Borrowed(builtin);
    }
    let mut table = builtin.clone();
    crds.into_iter().for_each(|crd| table.add_crd(crd));
    std::borrow::Cow::Owned(table)
}

/// Workloads that a HorizontalPodAutoscaler in the desired set scales.
fn hpa_targets(desired: &Side<'_>, default_namespace: &str) -> HashSet<ResourceId> {
    desired
        .entries
        .iter()
        .filter(|(id, _)| id.group == "autoscaling" && id.kind == "HorizontalPodAutoscaler")
        .filter_map(|(id, doc)| {
            let target = doc.value.get_path(&["spec", "scaleTargetRef"])?;
            Some(ResourceId {
                group: group_of(target.str_at(&["apiVersion"]).unwrap_or_default()).to_owned(),
                kind: target.str_at(&["kind"])?.to_owned(),
                namespace: Some(id.namespace.clone().unwrap_or_else(|| default_namespace.to_owned())),
                name: target.str_at(&["name"])?.to_owned(),
            })
        })
        .collect()
}

/// What every pair of one diff shares.
struct Run<'a> {
    options: &'a DiffOptions,
    keys: &'a MergeKeyTable,
    hpa_targets: HashSet<ResourceId>,
}

fn normalized(doc: &Document, id: &ResourceId, options: &DiffOptions) -> Value {
    // Server-owned fields are left out of the copy rather than copied and dropped.
    let mut value =
        if options.normalize.server_fields { clone_without_server_fields(&doc.value) } else { doc.value.clone() };
    normalize(&mut value, id, &options.normalize);
    value
}

impl Run<'_> {
    fn diff_pair(&self, pair: &Pair<'_>, previous: Option<&Document>) -> Outcome {
        let id = &pair.id;
        let desired = pair.desired.map(|d| normalized(d, id, self.options));
        let live = pair.live.map(|l| normalized(l, id, self.options));
        let internal = (desired.as_ref().map(hash_value), live.as_ref().map(hash_value));
        // Equal hashes: in sync without a walk.
        let same = internal.0.is_some() && internal.0 == internal.1;
        let hashes = (published_hash(id, desired.as_ref(), internal.0), published_hash(id, live.as_ref(), internal.1));
        let (status, changes, ignored, merge_patch) = self.verdict(pair, previous, desired.as_ref(), live, same);
        let diff = status.filter(|s| *s != Status::InSync).map(|status| {
            let mut diff = self.object_diff(pair, hashes, status, changes, ignored);
            diff.merge_patch = merge_patch.map(|patch| mask_merge_patch(id, patch, self.options.masker.as_ref()));
            diff
        });
        Outcome { id: id.clone(), desired_hash: hashes.0, live_hash: hashes.1, status, ignored, diff }
    }

    /// The status of one identity, with its changes, ignored differences and (for a
    /// modified object) the merge patch of its changes, which needs the live object.
    fn verdict(
        &self,
        pair: &Pair<'_>,
        previous: Option<&Document>,
        desired: Option<&Value>,
        live: Option<Value>,
        same: bool,
    ) -> (Option<Status>, Vec<Change>, usize, Option<Value>) {
        let id = &pair.id;
        match (desired, live, pair.live) {
            (Some(_), None, _) => (Some(Status::Missing), Vec::new(), 0, None),
            (None, Some(_), Some(raw)) => (self.is_extra(id, &raw.value).then_some(Status::Extra), Vec::new(), 0, None),
            (Some(_), Some(_), _) if same => (Some(Status::InSync), Vec::new(), 0, None),
            (Some(d), Some(mut l), Some(raw)) => {
                if self.options.normalize.tracking_metadata {
                    drop_injected_metadata(d, &mut l);
                }
                let prev = self.previous_state(pair, previous, &raw.value);
                let trie = self.ignore_trie(id, d, &raw.value);
                let ctx = DiffContext {
                    kind: ObjectKind { group: &id.group, kind: &id.kind },
                    mode: self.options.mode,
                    empty_is_absent: self.options.normalize.empties,
                    keys: self.keys,
                    ignore: (!trie.is_empty()).then_some(&trie),
                };
                let outcome = diff_objects(d, &l, prev.as_ref(), &ctx);
                let status = if outcome.changes.is_empty() { Status::InSync } else { Status::Modified };
                let merge_patch = (status == Status::Modified)
                    .then(|| crate::patch::merge_patch(&l, &outcome.changes).ok())
                    .flatten();
                (Some(status), outcome.changes, outcome.ignored, merge_patch)
            }
            _ => (None, Vec::new(), 0, None),
        }
    }

    fn object_diff(
        &self,
        pair: &Pair<'_>,
        (desired_hash, live_hash): (Option<u128>, Option<u128>),
        status: Status,
        changes: Vec<Change>,
        ignored: usize,
    ) -> ObjectDiff {
        let id = &pair.id;
        ObjectDiff {
            group: id.group.clone(),
            kind: id.kind.clone(),
            namespace: id.namespace.clone(),
            name: id.name.clone(),
            api_version: pair
                .desired
                .or(pair.live)
                .and_then(|d| d.value.str_at(&["apiVersion"]))
                .unwrap_or_default()
                .to_owned(),
            status,
            desired_source: pair.desired.map(|d| d.origin.to_string()),
            live_source: pair.live.map(|d| d.origin.to_string()),
            desired_hash: desired_hash.map(to_hex),
            live_hash: live_hash.map(to_hex),
            ignored,
            changes: mask_changes(id, changes, self.options.masker.as_ref()),
            merge_patch: None,
        }
    }

    fn is_extra(&self, id: &ResourceId, live: &Value) -> bool {
        match self.options.extra_scope {
            ExtraScope::All => true,
            ExtraScope::Managed => {
                is_managed(id, live)
                    || self
                        .options
                        .rules
                        .managed_selector
                        .as_ref()
                        .is_some_and(|s| s.matches(live) && !crate::managed::is_never_extra(id, live))
            }
        }
    }

    /// The previous desired state: given by the caller; else what the removal
    /// managers own in managedFields; else the last-applied annotation. Normalized
    /// like the other two.
    fn previous_state(&self, pair: &Pair<'_>, previous: Option<&Document>, raw_live: &Value) -> Option<Value> {
        let managers = &self.options.rules.removal_managers;
        let mut value = match previous {
            Some(doc) => doc.value.clone(),
            None => (!managers.is_empty())
                .then(|| previous_from_managers(raw_live, managers))
                .flatten()
                .or_else(|| last_applied(raw_live))?,
        };
        normalize(&mut value, &pair.id, &self.options.normalize);
        Some(value)
    }

    /// The ignored paths of one object: matching rules, their field managers, presets.
    fn ignore_trie(&self, id: &ResourceId, desired: &Value, raw_live: &Value) -> IgnoreTrie {
        let mut trie = IgnoreTrie::default();
        let rules = &self.options.rules;
        for rule in rules.ignore.iter().filter(|r| r.selector.matches(id)) {
            rule.paths.iter().for_each(|p| trie.add(p));
            if !rule.managers.is_empty() {
                for set in owned_field_sets(raw_live, &rule.managers) {
                    owned_paths(set).iter().for_each(|segments| trie.add_segments(segments));
                }
            }
        }
        for pattern in preset_paths(rules, id, desired, raw_live, &self.hpa_targets) {
            if let Ok(p) = PathPattern::parse(pattern) {
                trie.add(&p);
            }
        }
        trie
    }
}

/// The paths the enabled presets ignore for one object.
fn preset_paths(
    rules: &Rules,
    id: &ResourceId,
    desired: &Value,
    live: &Value,
    hpa_targets: &HashSet<ResourceId>,
) -> Vec<&'static str> {
    let presets = &rules.presets;
    let mut paths = Vec::new();
    if presets.hpa_replicas && hpa_targets.contains(id) {
        paths.push("/spec/replicas");
    }
    let aggregated = |v: &Value| v.get_path(&["aggregationRule"]).is_some();
    if presets.aggregated_roles && id.kind == "ClusterRole" && (aggregated(desired) || aggregated(live)) {
        paths.push("/rules");
    }
    if presets.webhook_ca_bundle {
        match (id.group.as_str(), id.kind.as_str()) {
            ("admissionregistration.k8s.io", "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration") => {
                paths.push("/webhooks/*/clientConfig/caBundle");
            }
            ("apiextensions.k8s.io", "CustomResourceDefinition") => {
                paths.push("/spec/conversion/webhook/clientConfig/caBundle");
                paths.push("/spec/conversion/webhookClientConfig/caBundle");
            }
            ("apiregistration.k8s.io", "APIService") => paths.push("/spec/caBundle"),
            _ => {}
        }
    }
    paths
}

/// Tracking metadata a GitOps tool writes at apply time is not in Git and is never
/// drift: drop it from live where desired does not set it.
fn drop_injected_metadata(desired: &Value, live: &mut Value) {
    let desired_annotations = desired.get_path(&["metadata", "annotations"]).and_then(Value::as_object);
    let Some(annotations) = live
        .as_object_mut()
        .and_then(|m| m.get_mut("metadata"))
        .and_then(Value::as_object_mut)
        .and_then(|m| m.get_mut("annotations"))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for key in INJECTED_ANNOTATIONS {
        if desired_annotations.is_none_or(|d| d.get(key).is_none()) {
            annotations.remove(key);
        }
    }
}

/// Where a Secret's last-applied annotation is, as a change pointer.
const LAST_APPLIED_POINTER: &str = "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration";

fn mask_changes(id: &ResourceId, mut changes: Vec<Change>, masker: Option<&Masker>) -> Vec<Change> {
    let Some(masker) = masker else { return changes };
    if !(id.group.is_empty() && id.kind == "Secret") {
        return changes;
    }
    for change in &mut changes {
        let whole_secret = pointer_holds_secret(&change.pointer);
        // The annotation itself (a string), when the server-fields normalizer is off.
        let annotation = change.pointer == LAST_APPLIED_POINTER;
        for value in [change.desired.as_mut(), change.live.as_mut()].into_iter().flatten() {
            if (whole_secret && !change.pointer.is_empty()) || annotation {
                masker.mask_value(value);
            } else {
                mask_secret_object(masker, value);
                mask_last_applied(masker, value);
            }
        }
    }
    changes
}

/// A Secret's merge patch holds its new values (and, with the server-fields normalizer
/// off, its last-applied annotation): masked like its changes.
fn mask_merge_patch(id: &ResourceId, mut patch: Value, masker: Option<&Masker>) -> Value {
    if let (Some(masker), true) = (masker, id.group.is_empty() && id.kind == "Secret") {
        mask_secret_object(masker, &mut patch);
        mask_last_applied(masker, &mut patch);
    }
    patch
}

/// A Secret's last-applied annotation holds its values in clear text.
fn mask_last_applied(masker: &Masker, value: &mut Value) {
    if let Value::Object(map) = value {
        for (key, v) in map.iter_mut() {
            if key == LAST_APPLIED_ANNOTATION {
                masker.mask_value(v);
            } else {
                mask_last_applied(masker, v);
            }
        }
    }
}

fn assemble(outcomes: Vec<Outcome>, desired_count: usize, live_count: usize, mode: Mode) -> Report {
    let mut summary = Summary { desired: desired_count, live: live_count, ..Summary::default() };
    for o in &outcomes {
        match o.status {
            Some(Status::InSync) => summary.in_sync += 1,
            Some(Status::Modified) => summary.modified += 1,
            Some(Status::Missing) => summary.missing += 1,
            Some(Status::Extra) => summary.extra += 1,
            None => summary.unmanaged += 1,
        }
        summary.ignored += o.ignored;
    }
    let desired_digest = set_digest(outcomes.iter().filter_map(|o| o.desired_hash.map(|h| (&o.id, h))));
    let live_digest = set_digest(outcomes.iter().filter_map(|o| o.live_hash.map(|h| (&o.id, h))));
    let objects: Vec<ObjectDiff> = outcomes.into_iter().filter_map(|o| o.diff).collect();
    summary.changes = objects.iter().map(|o| o.changes.len()).sum();
    Report {
        schema_version: SCHEMA_VERSION,
        mode,
        summary,
        desired_digest: to_hex(desired_digest),
        live_digest: to_hex(live_digest),
        objects,
    }
}

/// One object after identification and normalization, with its hash.
#[derive(Debug, Clone)]
pub struct NormalizedObject {
    pub id: ResourceId,
    pub origin: Origin,
    pub value: Value,
    pub hash: u128,
}

/// Identifies, normalizes and hashes one set of objects (sorted by identity), as the
/// diff sees them. Secret values are masked when `options.masker` is set; the hash is
/// the published one (see [`published_hash`]).
pub fn normalize_set(docs: &[Document], options: &DiffOptions) -> Result<Vec<NormalizedObject>, Error> {
    let scopes = ScopeTable::learn(docs.iter().map(|d| &d.value));
    let side = Side::index(docs, &scopes, options, "input")?;
    Ok(side
        .entries
        .into_par_iter()
        .map(|(id, doc)| {
            let mut value = normalized(doc, &id, options);
            let hash = published_hash(&id, Some(&value), Some(hash_value(&value))).unwrap_or_default();
            if let (Some(masker), true) = (&options.masker, is_secret(&id)) {
                mask_secret_object(masker, &mut value);
            }
            NormalizedObject { id, origin: doc.origin.clone(), value, hash }
        })
        .collect())
}

/// The hash an output may show. For a Secret it leaves the values out (keys kept):
/// a plain hash of the object would let anyone who reads the report confirm a guessed
/// value by hashing it. The engine still compares the full objects.
fn published_hash(id: &ResourceId, value: Option<&Value>, hash: Option<u128>) -> Option<u128> {
    match value {
        Some(v) if is_secret(id) => Some(hash_value(&redact_secret(v))),
        _ => hash,
    }
}

/// The set digest of normalized objects (docs/hash.md).
pub fn digest_of(objects: &[NormalizedObject]) -> String {
    to_hex(set_digest(objects.iter().map(|o| (&o.id, o.hash))))
}
