//! Which paths of one object are ignored: the ignore rules, presets and field-manager
//! rules that apply to it, merged into a trie the diff walk descends with.

use crate::rules::pattern::{item_has_pairs, PathPattern, Segment};
use crate::value::Value;

use super::path::Step;

#[derive(Debug, Default, Clone)]
struct Node {
    children: Vec<(Segment, usize)>,
    /// A pattern ends here: everything at and below this node is ignored.
    terminal: bool,
}

/// The ignored paths of one object.
#[derive(Debug, Clone)]
pub struct IgnoreTrie {
    nodes: Vec<Node>,
}

impl Default for IgnoreTrie {
    fn default() -> Self {
        Self { nodes: vec![Node::default()] }
    }
}

impl IgnoreTrie {
    pub fn is_empty(&self) -> bool {
        self.nodes[0].children.is_empty() && !self.nodes[0].terminal
    }

    pub fn add(&mut self, pattern: &PathPattern) {
        self.add_segments(&pattern.segments);
    }

    pub fn add_segments(&mut self, segments: &[Segment]) {
        let mut node = 0;
        for segment in segments {
            let existing = self.nodes[node].children.iter().find(|(s, _)| s == segment).map(|(_, i)| *i);
            node = match existing {
                Some(i) => i,
                None => {
                    self.nodes.push(Node::default());
                    let i = self.nodes.len() - 1;
                    self.nodes[node].children.push((segment.clone(), i));
                    i
                }
            };
        }
        self.nodes[node].terminal = true;
    }

    pub const ROOT: usize = 0;

    /// The nodes reached from `active` by one step; `true` when one of them ends a
    /// pattern (the step's subtree is ignored). `items` are the list items at the step
    /// (desired and live), for keyed segments on positional lists.
    pub fn advance(
        &self,
        active: &[usize],
        step: &Step<'_>,
        items: [Option<&Value>; 2],
        next: &mut Vec<usize>,
    ) -> bool {
        let mut ignored = false;
        for &node in active {
            for (segment, child) in &self.nodes[node].children {
                if segment_matches(segment, step, items) {
                    ignored |= self.nodes[*child].terminal;
                    next.push(*child);
                }
            }
        }
        ignored
    }
}

fn segment_matches(segment: &Segment, step: &Step<'_>, items: [Option<&Value>; 2]) -> bool {
    match (segment, step) {
        (Segment::Any, _) => true,
        (Segment::Literal(want), Step::Field(name)) => want == name,
        (Segment::Literal(want), Step::Index { index, .. }) => want.parse::<usize>().ok() == Some(*index),
        (Segment::Literal(want), Step::Keyed { live_index: Some(i), .. }) => want.parse::<usize>().ok() == Some(*i),
        (Segment::Keyed(pairs), Step::Index { .. } | Step::Keyed { .. }) => {
            items.iter().flatten().any(|item| item_has_pairs(item, pairs))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_steps() {
        let mut trie = IgnoreTrie::default();
        trie.add(&PathPattern::parse("/spec/replicas").unwrap());
        trie.add(&PathPattern::parse("/webhooks/*/clientConfig/caBundle").unwrap());
        let mut next = Vec::new();
        assert!(!trie.advance(&[IgnoreTrie::ROOT], &Step::Field("spec"), [None, None], &mut next));
        let spec = next.clone();
        next.clear();
        assert!(trie.advance(&spec, &Step::Field("replicas"), [None, None], &mut next));
        next.clear();
        assert!(!trie.advance(&spec, &Step::Field("template"), [None, None], &mut next));
        assert!(next.is_empty());
    }
}
