// The Fleet Impact view's content (client/src/impactModel.ts): clusters → contexts → dangers and objects → fields,
// the counts and flags each shows, where a click leads, and the status bar's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { impactNodes, summaryText, worstSeverity, type ImpactNode } from '../../client/src/impactModel';
import type { FleetImpactWire } from '../../server/src/lsp/impactProtocol';

const at = (line: number) => ({ start: { line, character: 8 }, end: { line, character: 19 } });
const deletion = {
  code: 'prune-deletes',
  severity: 'error' as const,
  message: 'Kustomization flux-system/apps (prune: true) will delete 2 objects in fleet/clusters/prod: Namespace shop, Deployment shop/web',
  contexts: ['["fleet/clusters/prod","flux-system/flux-system","flux-system/apps"]'],
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', name: 'shop' },
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
  ],
  at: { uri: 'file:///w/fleet/clusters/prod/apps.yaml', range: at(7) },
};

const impact: FleetImpactWire = {
  version: 7,
  enabled: true,
  baseline: { label: 'HEAD', repos: [{ root: 'file:///w/fleet', rev: 'HEAD', commit: 'abc' }] },
  changedFiles: [{ uri: 'file:///w/fleet/clusters/prod/apps.yaml', status: 'changed' }],
  contexts: [
    {
      key: deletion.contexts[0],
      cluster: 'fleet/clusters/prod',
      label: 'fleet/clusters/prod: flux-system/flux-system > flux-system/apps',
      name: 'flux-system/apps',
      status: 'changed',
      prune: true,
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', name: 'shop', status: 'removed', fields: [], origin: { uri: 'file:///w/fleet/apps/base/namespace.yaml', baseline: true } },
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', status: 'removed', fields: [] },
      ],
      dangers: [deletion],
    },
    {
      key: '["fleet/clusters/staging","flux-system/flux-system","flux-system/apps"]',
      cluster: 'fleet/clusters/staging',
      label: 'fleet/clusters/staging: flux-system/flux-system > flux-system/apps',
      name: 'flux-system/apps',
      status: 'changed',
      prune: true,
      objects: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
          status: 'changed',
          fields: [{ path: '/spec/template/spec/containers/[name=web]/image', old: 'nginx:1.27', new: 'nginx:1.28', cause: { uri: 'file:///w/fleet/apps/base/deployment.yaml', range: at(17), layer: 'resource' } }],
        },
      ],
      dangers: [],
    },
  ],
  dangers: [deletion],
  totals: { contexts: 2, objects: 3, added: 0, removed: 2, changed: 1, deletions: 2 },
};

/** A node and its subtree as indented lines: label — description [icon]. */
function lines(nodes: ImpactNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.label} — ${n.description ?? ''} [${n.icon.id}]`, ...lines(n.children, depth + 1)]);
}

test('the view: clusters, their contexts, the danger and the objects it deletes, changed fields with old → new and the layer', () => {
  assert.deepEqual(lines(impactNodes(impact)), [
    'fleet/clusters/prod — 1 context, 2 objects, 1 danger [error]',
    '  flux-system/apps — −2 · prune [error]',
    `    ${deletion.message} — prune-deletes [error]`,
    '    Namespace shop — removed · prune-deletes [error]',
    '    Deployment shop/web — removed · prune-deletes [error]',
    'fleet/clusters/staging — 1 context, 1 object [server-environment]',
    '  flux-system/apps — ~1 · prune [layers]',
    '    Deployment shop/web — 1 field [diff-modified]',
    '      /spec/template/spec/containers/[name=web]/image — "nginx:1.27" → "nginx:1.28" · resource [symbol-field]',
  ]);
});

test('clicks: a field opens its cause, a danger its line, a context carries the key of its diff', () => {
  const [prod, staging] = impactNodes(impact);
  const field = staging.children[0].children[0].children[0];
  assert.deepEqual(field.open, { uri: 'file:///w/fleet/apps/base/deployment.yaml', range: at(17), layer: 'resource' });
  assert.deepEqual(prod.children[0].children[0].open, deletion.at);
  assert.deepEqual(prod.children[0].context, { key: deletion.contexts[0], name: 'flux-system/apps', baseline: 'HEAD' });
  // Ids are unique (VS Code refuses a tree with two equal ids) and stable across refreshes.
  const ids = (ns: ImpactNode[]): string[] => ns.flatMap((n) => [n.id, ...ids(n.children)]);
  const all = ids(impactNodes(impact));
  assert.equal(new Set(all).size, all.length);
  assert.deepEqual(ids(impactNodes(structuredClone(impact))), all);
});

test('the status bar: clusters, objects and deletions; no changes; the worst severity', () => {
  assert.equal(summaryText(impact), '2 clusters, 3 objects, 2 deletions');
  assert.equal(worstSeverity(impact), 'error');
  const one = { ...impact, contexts: [impact.contexts[1]], dangers: [], totals: { ...impact.totals, objects: 1, deletions: 0 } };
  assert.equal(summaryText(one), '1 cluster, 1 object');
  assert.equal(worstSeverity(one), undefined);
  assert.equal(summaryText({ ...impact, contexts: [], dangers: [], totals: { contexts: 0, objects: 0, added: 0, removed: 0, changed: 0, deletions: 0 } }), 'no changes');
});
