//! The pipeline: identify -> pair -> normalize -> hash -> diff -> report, parallel
//! across objects, with output order fixed by identity.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diff::{diff_objects, Change, Mode, ObjectKind};
use crate::error::{Error, Origin};
use crate::hash::{hash_value, set_digest, to_hex};
use crate::identity::{identify, ResourceId, ScopeTable};
use crate::load::Document;
use crate::managed::{is_managed, INJECTED_ANNOTATIONS};
use crate::mask::{mask_secret_object, pointer_holds_secret, Masker};
use crate::normalize::{last_applied, normalize, NormalizeOptions, LAST_APPLIED_ANNOTATION};
use crate::report::{ObjectDiff, Report, Status, Summary, SCHEMA_VERSION};
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
}

impl Default for DiffOptions {
    fn default() -> Self {
        Self {
            mode: Mode::ThreeWay,
            default_namespace: "default".into(),
            normalize: NormalizeOptions::default(),
            extra_scope: ExtraScope::Managed,
            masker: Some(Masker::random()),
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
            .map(|d| {
                identify(&d.value, &d.origin, scopes, &options.default_namespace).map(|id| (id, d))
            })
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
            std::cmp::Ordering::Less => d.next().map(|(id, doc)| Pair {
                id,
                desired: Some(doc),
                live: None,
            }),
            std::cmp::Ordering::Greater => l.next().map(|(id, doc)| Pair {
                id,
                desired: None,
                live: Some(doc),
            }),
            std::cmp::Ordering::Equal => match (d.next(), l.next()) {
                (Some((id, dd)), Some((_, ld))) => Some(Pair {
                    id,
                    desired: Some(dd),
                    live: Some(ld),
                }),
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
    let all = desired
        .iter()
        .chain(live)
        .chain(previous.unwrap_or_default());
    let scopes = ScopeTable::learn(all.map(|d| &d.value));
    let d_side = Side::index(desired, &scopes, options, "desired")?;
    let l_side = Side::index(live, &scopes, options, "live")?;
    let previous_by_id: HashMap<ResourceId, &Document> = match previous {
        Some(docs) => Side::index(docs, &scopes, options, "previous")?
            .entries
            .into_iter()
            .collect(),
        None => HashMap::new(),
    };
    let pairs = join(d_side, l_side);
    let outcomes: Vec<Outcome> = pairs
        .par_iter()
        .map(|pair| diff_pair(pair, previous_by_id.get(&pair.id).copied(), options))
        .collect();
    Ok(assemble(outcomes, desired.len(), live.len(), options.mode))
}

fn normalized(doc: &Document, id: &ResourceId, options: &DiffOptions) -> Value {
    let mut value = doc.value.clone();
    normalize(&mut value, id, &options.normalize);
    value
}

fn diff_pair(pair: &Pair<'_>, previous: Option<&Document>, options: &DiffOptions) -> Outcome {
    let id = &pair.id;
    let desired = pair.desired.map(|d| normalized(d, id, options));
    let mut live = pair.live.map(|l| normalized(l, id, options));
    let desired_hash = desired.as_ref().map(hash_value);
    let mut live_hash = live.as_ref().map(hash_value);
    let (status, changes) = match (&desired, &mut live) {
        (Some(_), None) => (Some(Status::Missing), Vec::new()),
        (None, Some(l)) => {
            let managed = options.extra_scope == ExtraScope::All
                || pair.live.is_some_and(|doc| is_managed(id, &doc.value));
            let _ = l;
            (managed.then_some(Status::Extra), Vec::new())
        }
        (Some(d), Some(l)) if desired_hash == live_hash => {
            let _ = (d, l);
            (Some(Status::InSync), Vec::new())
        }
        (Some(d), Some(l)) => {
            drop_injected_metadata(d, l);
            live_hash = Some(hash_value(l));
            let prev = previous_state(pair, previous, options);
            let changes = diff_objects(
                d,
                l,
                prev.as_ref(),
                ObjectKind {
                    group: &id.group,
                    kind: &id.kind,
                },
                options.mode,
            );
            live_hash = live_hash.filter(|_| true);
            if changes.is_empty() {
                (Some(Status::InSync), changes)
            } else {
                (Some(Status::Modified), changes)
            }
        }
        (None, None) => (None, Vec::new()),
    };
    let diff = status
        .filter(|s| *s != Status::InSync)
        .map(|status| ObjectDiff {
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
            desired_source: pair.desired.map(|d| origin_text(&d.origin)),
            live_source: pair.live.map(|d| origin_text(&d.origin)),
            desired_hash: desired_hash.map(to_hex),
            live_hash: live_hash.map(to_hex),
            changes: mask_changes(id, changes, options.masker.as_ref()),
        });
    Outcome {
        id: id.clone(),
        desired_hash,
        live_hash,
        status,
        diff,
    }
}

fn origin_text(origin: &Origin) -> String {
    origin.to_string()
}

/// The previous desired state: given by the caller, else the live object's
/// last-applied annotation; normalized like the other two.
fn previous_state(
    pair: &Pair<'_>,
    previous: Option<&Document>,
    options: &DiffOptions,
) -> Option<Value> {
    let mut value = match previous {
        Some(doc) => doc.value.clone(),
        None => last_applied(&pair.live?.value)?,
    };
    normalize(&mut value, &pair.id, &options.normalize);
    Some(value)
}

/// Tracking metadata a GitOps tool writes at apply time is not in Git and is never
/// drift: drop it from live where desired does not set it.
fn drop_injected_metadata(desired: &Value, live: &mut Value) {
    let desired_annotations = desired
        .get_path(&["metadata", "annotations"])
        .and_then(Value::as_object);
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

fn mask_changes(id: &ResourceId, mut changes: Vec<Change>, masker: Option<&Masker>) -> Vec<Change> {
    let Some(masker) = masker else { return changes };
    if !(id.group.is_empty() && id.kind == "Secret") {
        return changes;
    }
    for change in &mut changes {
        let whole_secret = pointer_holds_secret(&change.pointer);
        for value in [change.desired.as_mut(), change.live.as_mut()]
            .into_iter()
            .flatten()
        {
            if whole_secret && !change.pointer.is_empty() {
                masker.mask_value(value);
            } else {
                mask_secret_object(masker, value);
                mask_last_applied(masker, value);
            }
        }
    }
    changes
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
    let mut summary = Summary {
        desired: desired_count,
        live: live_count,
        ..Summary::default()
    };
    for o in &outcomes {
        match o.status {
            Some(Status::InSync) => summary.in_sync += 1,
            Some(Status::Modified) => summary.modified += 1,
            Some(Status::Missing) => summary.missing += 1,
            Some(Status::Extra) => summary.extra += 1,
            None => summary.unmanaged += 1,
        }
    }
    let desired_digest = set_digest(
        outcomes
            .iter()
            .filter_map(|o| o.desired_hash.map(|h| (&o.id, h))),
    );
    let live_digest = set_digest(
        outcomes
            .iter()
            .filter_map(|o| o.live_hash.map(|h| (&o.id, h))),
    );
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
/// always of the unmasked object.
pub fn normalize_set(
    docs: &[Document],
    options: &DiffOptions,
) -> Result<Vec<NormalizedObject>, Error> {
    let scopes = ScopeTable::learn(docs.iter().map(|d| &d.value));
    let side = Side::index(docs, &scopes, options, "input")?;
    Ok(side
        .entries
        .into_par_iter()
        .map(|(id, doc)| {
            let mut value = normalized(doc, &id, options);
            let hash = hash_value(&value);
            if let (Some(masker), true) =
                (&options.masker, id.group.is_empty() && id.kind == "Secret")
            {
                mask_secret_object(masker, &mut value);
            }
            NormalizedObject {
                id,
                origin: doc.origin.clone(),
                value,
                hash,
            }
        })
        .collect())
}

/// The set digest of normalized objects (docs/hash.md).
pub fn digest_of(objects: &[NormalizedObject]) -> String {
    to_hex(set_digest(objects.iter().map(|o| (&o.id, o.hash))))
}
