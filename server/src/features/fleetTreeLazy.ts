// The Fleet view's lazy tree kept between its requests: the first answer is the links' tree (no context built); a
// Kustomization's expansion finds its node by id in the same tree (made again when the fleet changed) and evaluates
// only that node's contexts (its ancestors' skeletons, its own builds restricted to releases).
import type { Fleet } from '../core/model';
import { defineQuery } from '../db/fleetDb';
import { fleetTree, type TreeNode } from './fleetTree';

export interface LazyTree {
  roots: TreeNode[];
  byId: ReadonlyMap<string, TreeNode>;
  /** Answers made once per tree (it is made again when the fleet changes): where tenants begin, by context key. */
  memo: { tenantAt?: ReadonlyMap<string, string> };
}

const LAZY_TREE = defineQuery('fleetTreeLazy', (fleet: Fleet): LazyTree => {
  const roots = fleetTree(fleet, { lazy: true });
  const byId = new Map<string, TreeNode>();
  const walk = (n: TreeNode) => {
    if (n.id && n.evaluated && !byId.has(n.id)) byId.set(n.id, n);
    n.children.forEach(walk);
  };
  roots.forEach(walk);
  return { roots, byId, memo: {} };
});

/** The fleet's lazy tree (the same object while nothing changed). */
export function lazyFleetTree(fleet: Fleet): LazyTree {
  return fleet.db.query(LAZY_TREE, fleet, 'tree');
}
