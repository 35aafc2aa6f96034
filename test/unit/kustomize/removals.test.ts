// What patches delete (Resource.removed): JSON 6902 remove/move/replace of a parent, strategic-merge `null`,
// `$patch: delete` and `$patch: replace`; each removal keeps the removed value, the stacks its leaves had and the
// operation's provenance, and a later layer that sets a removed leaf again supersedes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { applyJsonPatch, type JsonPatchOp } from '../../../server/src/core/kustomize/jsonPatch';
import { strategicMerge } from '../../../server/src/core/kustomize/strategicMerge';
import { liveRemovedLeaves, recordLeaves } from '../../../server/src/core/kustomize/provenance';
import type { JsonObject, Provenance, Resource } from '../../../server/src/core/kustomize/types';
import { stepLayer } from '../../../server/src/core/layer';

const BASE = '/repo/base/hr.yaml';
const HR = `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  chart:
    spec:
      version: 1.2.3
  values:
    cluster: prod
    ingress:
      public:
        className: nginx
`;
const DEPLOY = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1
        - name: sidecar
          image: proxy:1
`;

function resource(yamlText: string): Resource {
  const obj = parse(yamlText) as JsonObject;
  const origin: Provenance = { file: BASE, layer: stepLayer('resource') };
  const r: Resource = { obj, prov: new Map(), origin };
  recordLeaves(r.prov, '', obj, origin);
  return r;
}
const ops = (r: Resource, list: unknown[], file = '/repo/overlay/ops.yaml') =>
  applyJsonPatch(r, list as JsonPatchOp[], (i, p) => ({ file, layer: stepLayer('patches'), kustomization: `value ${i}:${p}` }), (i) => ({ file, layer: stepLayer('patches'), kustomization: `op ${i}` }));
const smp = (r: Resource, patch: string, file = '/repo/overlay/patch.yaml') => strategicMerge(r, parse(patch) as JsonObject, (ptr) => ({ file, layer: stepLayer('patches'), kustomization: ptr }));
/** pointer → [who removed it, the removed value, the writers of its first leaf before]. */
const removals = (r: Resource) =>
  Object.fromEntries([...(r.removed ?? [])].map(([ptr, x]) => [ptr, [x.kustomization, x.value, [...x.prov.values()][0]?.map((w) => (w.file === BASE ? 'base' : w.kustomization))]]));

test('JSON 6902: remove, the source of a move and the subtree a replace overwrites are recorded at the operation', () => {
  const r = resource(HR);
  ops(r, [
    { op: 'remove', path: '/spec/chart/spec/version' },
    { op: 'move', from: '/spec/values/cluster', path: '/spec/values/name' },
    { op: 'replace', path: '/spec/values/ingress', value: { host: 'a.example' } },
  ]);
  assert.deepEqual(removals(r), {
    '/spec/chart/spec/version': ['op 0', '1.2.3', ['base']],
    '/spec/values/cluster': ['op 1', 'prod', ['base']],
    '/spec/values/ingress': ['value 2:', { public: { className: 'nginx' } }, ['base']],
  });
  // The resource itself is what kustomize makes of it.
  assert.deepEqual(r.obj.spec, { chart: { spec: {} }, values: { name: 'prod', ingress: { host: 'a.example' } } });
});

test('JSON 6902: a removed leaf set again is no longer removed; an ancestor re-added without it still is', () => {
  const again = resource(HR);
  ops(again, [
    { op: 'remove', path: '/spec/chart/spec/version' },
    { op: 'add', path: '/spec/chart/spec/version', value: '2.0.0' },
  ]);
  assert.equal(again.removed, undefined);
  // Across layers: a later patch (another file) sets it again.
  const later = resource(HR);
  ops(later, [{ op: 'remove', path: '/spec/chart/spec/version' }]);
  assert.deepEqual(Object.keys(removals(later)), ['/spec/chart/spec/version']);
  smp(later, 'spec:\n  chart:\n    spec:\n      version: 1.2.3\n', '/repo/platform/patch.yaml');
  assert.equal(later.removed, undefined);
  // The parent removed, then re-added with other content: the locked leaf is still gone.
  const parent = resource(HR);
  ops(parent, [
    { op: 'remove', path: '/spec/values/ingress' },
    { op: 'add', path: '/spec/values/ingress', value: { host: 'x' } },
  ]);
  const [[ptr, removal]] = [...parent.removed!];
  assert.deepEqual(liveRemovedLeaves(parent.obj, ptr, removal).map(([p, v]) => [p, v]), [['/spec/values/ingress/public/className', 'nginx']]);
  // A move onto itself removes nothing; a failing patch leaves the removals as they were.
  const self = resource(HR);
  ops(self, [{ op: 'move', from: '/spec/values/cluster', path: '/spec/values/cluster' }]);
  assert.equal(self.removed, undefined);
  assert.throws(() => ops(later, [{ op: 'remove', path: '/spec/values/cluster' }, { op: 'remove', path: '/nope/x' }]));
  assert.equal(later.removed, undefined);
});

test('strategic merge: null and $patch: delete record the target subtree at the null or the directive', () => {
  const r = resource(HR);
  smp(r, 'spec:\n  chart:\n    spec:\n      version: null\n  values:\n    ingress:\n      $patch: delete\n');
  assert.deepEqual(removals(r), {
    '/spec/chart/spec/version': ['/spec/chart/spec/version', '1.2.3', ['base']],
    '/spec/values/ingress': ['/spec/values/ingress/$patch', { public: { className: 'nginx' } }, ['base']],
  });
  assert.deepEqual(r.obj.spec, { chart: { spec: {} }, values: { cluster: 'prod' } });
  // A null for a key the target does not have removes nothing.
  const none = resource(HR);
  smp(none, 'spec:\n  values:\n    absent: null\n');
  assert.equal(none.removed, undefined);
});

test('strategic merge: $patch: delete on a keyed list item, $patch: replace dropping what the replacement lacks', () => {
  const d = resource(DEPLOY);
  smp(d, 'spec:\n  template:\n    spec:\n      containers:\n        - name: sidecar\n          $patch: delete\n');
  assert.deepEqual(removals(d), {
    '/spec/template/spec/containers/1': ['/spec/template/spec/containers/0/$patch', { name: 'sidecar', image: 'proxy:1' }, ['base']],
  });
  const rep = resource(HR);
  smp(rep, 'spec:\n  values:\n    $patch: replace\n    cluster: prod\n');
  const [[ptr, removal]] = [...rep.removed!];
  assert.equal(removal.kustomization, '/spec/values/$patch');
  // Only what the replacement does not hold again is removed.
  assert.deepEqual(liveRemovedLeaves(rep.obj, ptr, removal).map(([p]) => p), ['/spec/values/ingress/public/className']);
});

test('removals are copy-on-write: a patch on a copy does not change the original', () => {
  const r = resource(HR);
  ops(r, [{ op: 'remove', path: '/spec/values/cluster' }]);
  const copy: Resource = { obj: structuredClone(r.obj), prov: new Map(r.prov), origin: r.origin, removed: r.removed };
  ops(copy, [{ op: 'remove', path: '/spec/chart/spec/version' }]);
  assert.deepEqual(Object.keys(removals(r)), ['/spec/values/cluster']);
  assert.deepEqual(Object.keys(removals(copy)), ['/spec/values/cluster', '/spec/chart/spec/version']);
});

test('removing a list item that is not the last: recorded, though the next item moves into its position', () => {
  const three = DEPLOY + `        - name: logger\n          image: log:1\n`;
  const r = resource(three);
  ops(r, [{ op: 'remove', path: '/spec/template/spec/containers/1' }]);
  assert.deepEqual(removals(r), { '/spec/template/spec/containers/1': ['op 0', { name: 'sidecar', image: 'proxy:1' }, ['base']] });
  const s = resource(three);
  smp(s, `spec:\n  template:\n    spec:\n      containers:\n        - name: app\n          $patch: delete\n`);
  assert.deepEqual(Object.keys(removals(s)), ['/spec/template/spec/containers/0']);
  assert.deepEqual(removals(s)['/spec/template/spec/containers/0'][1], { name: 'app', image: 'app:1' });
});

test('a removal inside a list item follows the item when later operations insert or remove items before it', () => {
  const r = resource(DEPLOY);
  ops(r, [
    { op: 'remove', path: '/spec/template/spec/containers/1/image' },
    { op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'init', image: 'init:1' } },
  ]);
  assert.deepEqual(Object.keys(removals(r)), ['/spec/template/spec/containers/2/image']);
  ops(r, [{ op: 'remove', path: '/spec/template/spec/containers/0' }]);
  assert.deepEqual(Object.keys(removals(r)).sort(), ['/spec/template/spec/containers/0', '/spec/template/spec/containers/1/image']);
  assert.equal((r.obj as { spec: { template: { spec: { containers: Array<{ name: string }> } } } }).spec.template.spec.containers[1].name, 'sidecar');
});
