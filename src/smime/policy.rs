//! Certificate policy processing: the `valid_policy_tree` of RFC 5280 §6.1.2 (a),
//! §6.1.3 (d)-(f), §6.1.4 (a)-(b), (g)-(j) and §6.1.5 (a), (b), (g).
//!
//! The tree is kept as a flat list of nodes with depth and parent index. Its size is bounded
//! by [`MAX_POLICY_NODES`] (policy mappings can make it grow exponentially; see
//! CVE-2023-0464 and RFC 9618).

use const_oid::ObjectIdentifier;

/// anyPolicy (RFC 5280 §4.2.1.4).
pub const ANY_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32.0");

/// Upper bound on the number of nodes in the valid policy tree; more is an error.
pub const MAX_POLICY_NODES: usize = 1000;

#[derive(Debug, Clone)]
struct Node {
    depth: usize,
    parent: Option<usize>,
    policy: ObjectIdentifier,
    expected: Vec<ObjectIdentifier>,
    alive: bool,
}

/// Why policy processing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyFailure {
    /// No valid policy while an explicit policy is required (§6.1.3 (f), §6.1.5 (g)).
    NoValidPolicy {
        /// 0-based index from the anchor side of the certificate where this was found;
        /// `None` at wrap-up.
        at: Option<usize>,
    },
    /// A policy mapping maps to or from anyPolicy (§6.1.4 (a)).
    AnyPolicyMapped,
    /// The tree grew beyond [`MAX_POLICY_NODES`].
    TooManyNodes,
}

/// Policy state across the path (RFC 5280 §6.1.2).
#[derive(Debug, Clone)]
pub struct PolicyState {
    nodes: Vec<Node>,
    null: bool,
    /// explicit_policy counter.
    pub explicit_policy: usize,
    /// policy_mapping counter.
    pub policy_mapping: usize,
    /// inhibit_anyPolicy counter.
    pub inhibit_any_policy: usize,
}

impl PolicyState {
    /// Initial state for a path of `n` certificates (§6.1.2 (a), (d)-(f)).
    pub fn new(n: usize, explicit: bool, mapping_inhibit: bool, any_inhibit: bool) -> Self {
        PolicyState {
            nodes: vec![Node {
                depth: 0,
                parent: None,
                policy: ANY_POLICY,
                expected: vec![ANY_POLICY],
                alive: true,
            }],
            null: false,
            explicit_policy: if explicit { 0 } else { n + 1 },
            policy_mapping: if mapping_inhibit { 0 } else { n + 1 },
            inhibit_any_policy: if any_inhibit { 0 } else { n + 1 },
        }
    }

    fn live_at(&self, depth: usize) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.nodes[i].alive && self.nodes[i].depth == depth)
            .collect()
    }

    fn has_live_child(&self, idx: usize) -> bool {
        self.nodes.iter().any(|n| n.alive && n.parent == Some(idx))
    }

    fn push(&mut self, node: Node) -> Result<(), PolicyFailure> {
        if self.nodes.len() >= MAX_POLICY_NODES {
            return Err(PolicyFailure::TooManyNodes);
        }
        self.nodes.push(node);
        Ok(())
    }

    /// Delete nodes above `depth` without children, bottom-up; the tree becomes NULL when the
    /// root goes.
    fn prune(&mut self, depth: usize) {
        for d in (0..depth).rev() {
            for i in self.live_at(d) {
                if !self.has_live_child(i) {
                    self.nodes[i].alive = false;
                }
            }
        }
        if self.live_at(0).is_empty() {
            self.null = true;
        }
    }

    /// Is the tree NULL?
    pub fn is_null(&self) -> bool {
        self.null
    }

    /// §6.1.3 (d)-(f) for certificate `i` (1-based depth). `policies` is None when the
    /// certificate has no certificatePolicies extension.
    pub fn process_cert(
        &mut self,
        i: usize,
        policies: Option<&[ObjectIdentifier]>,
        self_issued_not_last: bool,
    ) -> Result<(), PolicyFailure> {
        match policies {
            Some(pols) if !self.null => {
                let parents = self.live_at(i - 1);
                // (d)(1)
                for p in pols.iter().filter(|p| **p != ANY_POLICY) {
                    let mut matched = false;
                    for &pi in &parents {
                        if self.nodes[pi].expected.contains(p) {
                            matched = true;
                            self.push(Node {
                                depth: i,
                                parent: Some(pi),
                                policy: *p,
                                expected: vec![*p],
                                alive: true,
                            })?;
                        }
                    }
                    if !matched {
                        for &pi in &parents {
                            if self.nodes[pi].policy == ANY_POLICY {
                                self.push(Node {
                                    depth: i,
                                    parent: Some(pi),
                                    policy: *p,
                                    expected: vec![*p],
                                    alive: true,
                                })?;
                            }
                        }
                    }
                }
                // (d)(2)
                if pols.contains(&ANY_POLICY)
                    && (self.inhibit_any_policy > 0 || self_issued_not_last)
                {
                    for &pi in &parents {
                        let expected = self.nodes[pi].expected.clone();
                        for v in expected {
                            let exists = self
                                .nodes
                                .iter()
                                .any(|n| n.alive && n.parent == Some(pi) && n.policy == v);
                            if !exists {
                                self.push(Node {
                                    depth: i,
                                    parent: Some(pi),
                                    policy: v,
                                    expected: vec![v],
                                    alive: true,
                                })?;
                            }
                        }
                    }
                }
                // (d)(3)
                self.prune(i);
            }
            _ => {
                // (e)
                self.null = true;
            }
        }
        // (f)
        if self.explicit_policy == 0 && self.null {
            return Err(PolicyFailure::NoValidPolicy { at: Some(i) });
        }
        Ok(())
    }

    /// §6.1.4 (a), (b): apply the policyMappings of certificate `i` (1-based depth).
    pub fn apply_mappings(
        &mut self,
        i: usize,
        mappings: &[(ObjectIdentifier, ObjectIdentifier)],
    ) -> Result<(), PolicyFailure> {
        if mappings
            .iter()
            .any(|(a, b)| *a == ANY_POLICY || *b == ANY_POLICY)
        {
            return Err(PolicyFailure::AnyPolicyMapped);
        }
        if self.null || mappings.is_empty() {
            return Ok(());
        }
        let mut issuer_policies: Vec<ObjectIdentifier> = mappings.iter().map(|m| m.0).collect();
        crate::sort::sort(&mut issuer_policies);
        issuer_policies.dedup();
        for idp in issuer_policies {
            let subjects: Vec<ObjectIdentifier> = mappings
                .iter()
                .filter(|m| m.0 == idp)
                .map(|m| m.1)
                .collect();
            let at_i = self.live_at(i);
            let with_idp: Vec<usize> = at_i
                .iter()
                .copied()
                .filter(|&n| self.nodes[n].policy == idp)
                .collect();
            if self.policy_mapping > 0 {
                if !with_idp.is_empty() {
                    for n in with_idp {
                        self.nodes[n].expected = subjects.clone();
                    }
                } else if let Some(&any) =
                    at_i.iter().find(|&&n| self.nodes[n].policy == ANY_POLICY)
                {
                    let parent = self.nodes[any].parent;
                    self.push(Node {
                        depth: i,
                        parent,
                        policy: idp,
                        expected: subjects,
                        alive: true,
                    })?;
                }
            } else {
                for n in with_idp {
                    self.nodes[n].alive = false;
                }
                self.prune(i);
            }
        }
        Ok(())
    }

    /// §6.1.5 (g) and the final check: intersect with the user-initial-policy-set (empty =
    /// any-policy) at depth `n`; fails when no policy remains and one is required.
    pub fn wrap_up(&mut self, n: usize, initial: &[ObjectIdentifier]) -> Result<(), PolicyFailure> {
        if !self.null && !initial.is_empty() && !initial.contains(&ANY_POLICY) {
            // (g)(iii)(1): the valid_policy_node_set.
            let set: Vec<usize> = (0..self.nodes.len())
                .filter(|&k| {
                    let node = &self.nodes[k];
                    node.alive
                        && node.policy != ANY_POLICY
                        && node
                            .parent
                            .is_some_and(|p| self.nodes[p].policy == ANY_POLICY)
                })
                .collect();
            // (2): delete those not in the initial set (with their subtrees, by pruning).
            let mut present: Vec<ObjectIdentifier> = Vec::new();
            for &k in &set {
                if initial.contains(&self.nodes[k].policy) {
                    present.push(self.nodes[k].policy);
                } else {
                    self.kill_subtree(k);
                }
            }
            // (3): expand an anyPolicy leaf.
            let leaves = self.live_at(n);
            if let Some(&any) = leaves.iter().find(|&&k| self.nodes[k].policy == ANY_POLICY) {
                let parent = self.nodes[any].parent;
                for p in initial {
                    if !present.contains(p) {
                        self.push(Node {
                            depth: n,
                            parent,
                            policy: *p,
                            expected: vec![*p],
                            alive: true,
                        })?;
                    }
                }
                self.nodes[any].alive = false;
            }
            // (4)
            self.prune(n);
        }
        if self.explicit_policy > 0 || !self.null {
            Ok(())
        } else {
            Err(PolicyFailure::NoValidPolicy { at: None })
        }
    }

    fn kill_subtree(&mut self, k: usize) {
        self.nodes[k].alive = false;
        let children: Vec<usize> = (0..self.nodes.len())
            .filter(|&c| self.nodes[c].alive && self.nodes[c].parent == Some(k))
            .collect();
        for c in children {
            self.kill_subtree(c);
        }
    }
}
