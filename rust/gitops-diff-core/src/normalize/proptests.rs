//! [`normalize`] on random Kubernetes-shaped objects across kinds and options: quantities
//! and durations (canonical or not), nulls, server fields, Secret `stringData`, missing
//! or odd `metadata` and namespaces, cluster-scoped kinds.

use proptest::prelude::*;

use super::{normalize, NormalizeOptions, LAST_APPLIED_ANNOTATION};
use crate::hash::hash_value;
use crate::identity::ResourceId;
use crate::value::{Map, Value};

fn object(entries: Vec<(String, Value)>) -> Value {
    let mut map = Map::new();
    for (k, v) in entries {
        map.insert(k, v);
    }
    Value::Object(map)
}

fn string(s: &str) -> Value {
    Value::String(s.into())
}

/// Scalars that normalizers read: quantities and durations, canonical or not, other
/// strings, numbers (a number where a quantity goes is rewritten), nulls.
fn scalar() -> BoxedStrategy<Value> {
    const STRINGS: &[&str] = &[
        "",
        "x",
        "1",
        "2",
        "500m",
        "1000m",
        "0.5",
        "1Gi",
        "1024Mi",
        "2M",
        "100u",
        " 1",
        "1e3",
        "1k",
        "abc",
        "8760h",
        "8760h0m0s",
        "90m",
        "1h30m0s",
        "1m0s",
        "30s",
        "0",
        "0s",
        "1.5s",
        "-5m0s",
        "5",
    ];
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => (-1i64..3).prop_map(Value::Int),
        1 => prop::sample::select(vec![0.5, 2.0, 1e300]).prop_map(Value::Float),
        6 => prop::sample::select(STRINGS).prop_map(string),
    ]
    .boxed()
}

/// Keys that normalizers look for (quantity maps and fields, their parents, duration
/// fields, server fields), and a few they do not.
fn key() -> impl Strategy<Value = String> {
    const KEYS: &[&str] = &[
        "resources",
        "limits",
        "requests",
        "overhead",
        "hard",
        "used",
        "capacity",
        "max",
        "min",
        "default",
        "defaultRequest",
        "maxLimitRequestRatio",
        "sizeLimit",
        "target",
        "averageValue",
        "value",
        "targetAverageValue",
        "targetValue",
        "cpu",
        "memory",
        "containers",
        "spec",
        "status",
        "metadata",
        "namespace",
        "duration",
        "interval",
        "timeout",
        "data",
        "stringData",
        "name",
        "image",
    ];
    prop::sample::select(KEYS).prop_map(str::to_owned)
}

/// Container-style resources: the most common place of quantities.
fn resources() -> BoxedStrategy<Value> {
    let quantities = prop::collection::vec((prop::sample::select(&["cpu", "memory"][..]), scalar()), 0..3)
        .prop_map(|entries| object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()));
    (prop::option::of(quantities.clone()), prop::option::of(quantities))
        .prop_map(|(limits, requests)| {
            let entries = [("limits", limits), ("requests", requests)];
            object(entries.into_iter().filter_map(|(k, v)| Some((k.to_owned(), v?))).collect())
        })
        .boxed()
}

fn tree() -> BoxedStrategy<Value> {
    scalar()
        .prop_recursive(4, 48, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..4).prop_map(object),
                resources().prop_map(|r| object(vec![("resources".into(), r)])),
            ]
        })
        .boxed()
}

fn annotations() -> BoxedStrategy<Value> {
    prop::sample::subsequence(&[LAST_APPLIED_ANNOTATION, "a", "b"][..], 0..=3)
        .prop_flat_map(|keys| {
            prop::collection::vec(scalar(), keys.len())
                .prop_map(move |values| object(keys.iter().map(|k| (*k).to_owned()).zip(values).collect()))
        })
        .boxed()
}

/// `metadata`: a map with or without namespace, server fields and annotations, or an
/// odd non-map value.
fn metadata() -> BoxedStrategy<Value> {
    const SERVER: &[&str] = &["uid", "resourceVersion", "generation", "managedFields", "creationTimestamp"];
    let namespace = prop_oneof![
        3 => prop::sample::select(&["default", "prod", ""][..]).prop_map(string),
        1 => scalar(),
    ];
    let map = (
        prop::option::of(namespace),
        prop::option::of(annotations()),
        prop::sample::subsequence(SERVER, 0..=2),
        prop::option::of(tree()),
    )
        .prop_map(|(namespace, annotations, server, labels)| {
            let mut entries = vec![("name".to_owned(), string("x"))];
            entries.extend(namespace.map(|v| ("namespace".to_owned(), v)));
            entries.extend(annotations.map(|v| ("annotations".to_owned(), v)));
            entries.extend(server.into_iter().map(|k| (k.to_owned(), string("s"))));
            entries.extend(labels.map(|v| ("labels".to_owned(), v)));
            object(entries)
        });
    prop_oneof![6 => map, 1 => scalar()].boxed()
}

/// A `spec` with duration fields at their known place, and anything else.
fn spec() -> BoxedStrategy<Value> {
    let durations =
        prop::collection::vec((prop::sample::select(&["duration", "interval", "timeout"][..]), scalar()), 0..3);
    (durations, prop::collection::vec((key(), tree()), 0..4))
        .prop_map(|(durations, rest)| {
            object(rest.into_iter().chain(durations.into_iter().map(|(k, v)| (k.to_owned(), v))).collect())
        })
        .boxed()
}

/// A secret's `data` (a map of strings) and `stringData` (usually a map, sometimes not).
fn secret_data() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => prop::collection::vec((prop::sample::select(&["a", "b"][..]), scalar()), 0..3)
            .prop_map(|entries| object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        1 => scalar(),
    ]
    .boxed()
}

fn kubernetes_object() -> BoxedStrategy<Value> {
    let root = (
        prop::option::of(metadata()),
        prop::option::of(spec()),
        prop::option::of(tree()),
        prop::option::of(secret_data()),
        prop::option::of(secret_data()),
        prop::collection::vec((key(), tree()), 0..2),
    )
        .prop_map(|(metadata, spec, status, data, string_data, rest)| {
            let fixed = [("metadata", metadata), ("spec", spec), ("status", status), ("data", data)];
            let mut entries: Vec<(String, Value)> = rest;
            entries.extend(fixed.into_iter().filter_map(|(k, v)| Some((k.to_owned(), v?))));
            entries.extend(string_data.map(|v| ("stringData".to_owned(), v)));
            object(entries)
        });
    prop_oneof![12 => root, 1 => scalar()].boxed()
}

/// Identities across the kinds normalizers single out, namespaced or not.
fn identity() -> impl Strategy<Value = ResourceId> {
    const KINDS: &[(&str, &str)] = &[
        ("apps", "Deployment"),
        ("", "Secret"),
        ("other.io", "Secret"),
        ("", "Pod"),
        ("", "PersistentVolume"),
        ("", "Namespace"),
        ("", "ResourceQuota"),
        ("", "LimitRange"),
        ("autoscaling", "HorizontalPodAutoscaler"),
        ("cert-manager.io", "Certificate"),
        ("kustomize.toolkit.fluxcd.io", "Kustomization"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
    ];
    (prop::sample::select(KINDS), prop::option::of(prop::sample::select(&["default", "prod", ""][..]))).prop_map(
        |((group, kind), namespace)| ResourceId {
            group: group.into(),
            kind: kind.into(),
            namespace: namespace.map(Into::into),
            name: "x".into(),
        },
    )
}

/// Every combination of the normalizers that rewrite objects.
fn all_options() -> impl Iterator<Item = NormalizeOptions> {
    (0u32..32).map(|bits| NormalizeOptions {
        nulls: bits & 1 != 0,
        server_fields: bits & 2 != 0,
        secret_string_data: bits & 4 != 0,
        quantities: bits & 8 != 0,
        durations: bits & 16 != 0,
        ..NormalizeOptions::default()
    })
}

fn normalized(value: &Value, id: &ResourceId, options: &NormalizeOptions) -> Value {
    let mut copy = value.clone();
    normalize(&mut copy, id, options);
    copy
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// A normal form is a fixed point: what the diff compares is the same however often
    /// it is normalized, under every combination of normalizers.
    #[test]
    fn normalizing_twice_equals_normalizing_once(value in kubernetes_object(), id in identity()) {
        for options in all_options() {
            let once = normalized(&value, &id, &options);
            let twice = normalized(&once, &id, &options);
            prop_assert_eq!(&twice, &once, "{:?} {:?}", id, options);
            prop_assert_eq!(hash_value(&twice), hash_value(&once), "{:?} {:?}", id, options);
        }
    }
}
