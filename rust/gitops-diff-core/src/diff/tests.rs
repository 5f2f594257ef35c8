use super::*;

fn yaml(text: &str) -> Value {
    crate::load::test_object(text)
}

const DEPLOY: ObjectKind<'static> = ObjectKind { group: "apps", kind: "Deployment" };
const POD: ObjectKind<'static> = ObjectKind { group: "", kind: "Pod" };

fn run_with(d: &str, l: &str, p: Option<&str>, mode: Mode, ignore: &[&str]) -> Outcome {
    let keys = MergeKeyTable::builtin();
    let mut trie = IgnoreTrie::default();
    for pattern in ignore {
        trie.add(&crate::rules::pattern::PathPattern::parse(pattern).unwrap());
    }
    // Objects written with a pod template are Deployments, others Pods.
    let kind = if d.contains("template") { DEPLOY } else { POD };
    let ctx =
        DiffContext { kind, mode, empty_is_absent: true, keys: &keys, ignore: (!ignore.is_empty()).then_some(&trie) };
    let (d, l, p) = (yaml(d), yaml(l), p.map(yaml));
    diff_objects(&d, &l, p.as_ref(), &ctx)
}

fn run(d: &str, l: &str, p: Option<&str>, mode: Mode) -> Vec<Change> {
    run_with(d, l, p, mode, &[]).changes
}

#[test]
fn three_way_ignores_server_defaults() {
    let changes = run("spec: {replicas: 2}\n", "spec: {replicas: 2, revisionHistoryLimit: 10}\n", None, Mode::ThreeWay);
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn strict_reports_live_only_fields() {
    let changes = run("spec: {replicas: 2}\n", "spec: {replicas: 2, revisionHistoryLimit: 10}\n", None, Mode::Strict);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].op, Op::Remove);
    assert_eq!(changes[0].pointer, "/spec/revisionHistoryLimit");
}

#[test]
fn field_removed_from_git_but_previously_applied_is_drift() {
    let changes = run("data: {a: '1'}\n", "data: {a: '1', b: '2'}\n", Some("data: {a: '1', b: '2'}\n"), Mode::ThreeWay);
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].op, changes[0].path.as_str()), (Op::Remove, "data.b"));
}

#[test]
fn keyed_lists_ignore_order_and_report_readable_paths() {
    let d = "spec:\n  containers:\n  - {name: a, image: x:1}\n  - {name: b, image: y:1}\n";
    let l = "spec:\n  containers:\n  - {name: b, image: y:2}\n  - {name: a, image: x:1}\n";
    let changes = run(d, l, None, Mode::ThreeWay);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].path, "spec.containers[name=b].image");
    assert_eq!(changes[0].pointer, "/spec/containers/0/image");
    assert_eq!(changes[0].desired, Some(Value::String("y:1".into())));
}

#[test]
fn container_ports_key_on_port_and_default_protocol() {
    let d = "spec: {containers: [{name: a, ports: [{containerPort: 80}]}]}\n";
    let l = "spec: {containers: [{name: a, ports: [{containerPort: 80, protocol: TCP}]}]}\n";
    assert!(run(d, l, None, Mode::ThreeWay).is_empty());
}

#[test]
fn new_keyed_item_is_an_add_at_the_end() {
    let d = "spec: {containers: [{name: a}, {name: sidecar}]}\n";
    let l = "spec: {containers: [{name: a}]}\n";
    let changes = run(d, l, None, Mode::ThreeWay);
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].op, changes[0].pointer.as_str()), (Op::Add, "/spec/containers/-"));
    assert_eq!(changes[0].path, "spec.containers[name=sidecar]");
}

#[test]
fn ordered_lists_of_different_length_are_one_replace() {
    let changes = run("args: [a, b]\n", "args: [a, b, c]\n", None, Mode::ThreeWay);
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].op, changes[0].pointer.as_str()), (Op::Replace, "/args"));
}

#[test]
fn numbers_compare_by_value_and_empty_equals_absent() {
    assert!(run("a: 1\nb: {}\nc: ''\n", "a: 1.0\n", None, Mode::Strict).is_empty());
}

#[test]
fn type_changes_are_replacements() {
    let changes = run("a: '1'\n", "a: 1\n", None, Mode::ThreeWay);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].op, Op::Replace);
}

#[test]
fn ignored_paths_are_counted_not_reported() {
    let d = "spec:\n  replicas: 2\n  template: {spec: {containers: [{name: app, image: 'x:1'}, {name: side, image: 'y:1'}]}}\n";
    let l = "spec:\n  replicas: 5\n  template: {spec: {containers: [{name: side, image: 'y:2'}, {name: app, image: 'x:2'}]}}\n";
    let outcome =
        run_with(d, l, None, Mode::ThreeWay, &["/spec/replicas", "/spec/template/spec/containers/name=app/image"]);
    assert_eq!(outcome.ignored, 2);
    assert_eq!(outcome.changes.len(), 1);
    assert_eq!(outcome.changes[0].path, "spec.template.spec.containers[name=side].image");
}

#[test]
fn wildcard_segments_match_any_item() {
    let d = "spec: {template: {spec: {containers: [{name: a, image: '1'}, {name: b, image: '1'}]}}}\n";
    let l = "spec: {template: {spec: {containers: [{name: a, image: '2'}, {name: b, image: '2'}]}}}\n";
    let outcome = run_with(d, l, None, Mode::Strict, &["/spec/template/spec/containers/*/image"]);
    assert_eq!((outcome.ignored, outcome.changes.len()), (2, 0));
}

#[test]
fn empty_strings_in_user_data_are_values() {
    let changes = run("data: {a: ''}\n", "data: {}\n", None, Mode::ThreeWay);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].op, Op::Add);
}

#[test]
fn a_map_dropped_from_git_reports_only_the_keys_applied_before() {
    let changes = run(
        "metadata: {name: x}\n",
        "metadata: {name: x, annotations: {applied: '1', controller: '2'}}\n",
        Some("metadata: {name: x, annotations: {applied: '1'}}\n"),
        Mode::ThreeWay,
    );
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].op, changes[0].path.as_str()), (Op::Remove, "metadata.annotations.applied"));
}

#[test]
fn a_keyed_list_dropped_from_git_reports_only_items_applied_before() {
    let changes = run(
        "spec: {}\n",
        "spec: {containers: [{name: a}, {name: injected}]}\n",
        Some("spec: {containers: [{name: a}]}\n"),
        Mode::ThreeWay,
    );
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].path, "spec.containers[name=a]");
}

#[test]
fn previous_state_is_found_through_keyed_items_and_same_length_lists() {
    // Keyed items are found in the previous state by key, whatever their order there.
    let d = "spec: {containers: [{name: a}, {name: b}]}\n";
    let l = "spec: {containers: [{name: b, args: [x], tty: true}, {name: a, args: [y], tty: true}]}\n";
    let p = "spec: {containers: [{name: a}, {name: b, args: [x]}]}\n";
    let changes = run(d, l, Some(p), Mode::ThreeWay);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!((changes[0].op, changes[0].pointer.as_str()), (Op::Remove, "/spec/containers/0/args"));
    assert_eq!(changes[0].path, "spec.containers[name=b].args");
    // Ordered lists by position, only when the previous list has the same length.
    let (d, l) = ("items: [{a: 1}, {a: 2}]\n", "items: [{a: 1}, {a: 2, b: 3}]\n");
    let changes = run(d, l, Some("items: [{a: 1}, {a: 2, b: 3}]\n"), Mode::ThreeWay);
    assert_eq!(changes.iter().map(|c| c.pointer.as_str()).collect::<Vec<_>>(), ["/items/1/b"]);
    assert!(run(d, l, Some("items: [{a: 2, b: 3}]\n"), Mode::ThreeWay).is_empty());
    // A live-only keyed item is drift only when the previous state had its key.
    let l = "spec: {containers: [{name: a}, {name: b}, {name: c}, {name: d}]}\n";
    let p = "spec: {containers: [{name: d}, {name: a}]}\n";
    let changes = run("spec: {containers: [{name: a}]}\n", l, Some(p), Mode::ThreeWay);
    assert_eq!(changes.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(), ["spec.containers[name=d]"]);
}
