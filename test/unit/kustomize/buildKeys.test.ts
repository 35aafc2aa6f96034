// The keys a build makes for each resource without the objects it made before: idKeyOf is idKey(resIdOf(obj)) for
// every shape of apiVersion, kind, name and namespace (cluster-scoped kinds included), and a build's PointerTable
// gives every pointer as childPointer spells it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idKey, idKeyOf, resIdOf } from '../../../server/src/core/kustomize/resid';
import { childPointer, PointerTable } from '../../../server/src/core/kustomize/provenance';
import type { JsonObject } from '../../../server/src/core/kustomize/types';

test('idKeyOf is the key of resIdOf for every shape of identity', () => {
  const apiVersions = [undefined, '', 'v1', '/v1', 'apps/v1', 'rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1beta1', 'a/b/c', 'apiextensions.k8s.io/v1', 'apps/', 3];
  const kinds = [undefined, '', 'ConfigMap', 'Namespace', 'ClusterRole', 'CustomResourceDefinition', 'Deployment', 'Widget', 7];
  const metas: unknown[] = [undefined, null, 'x', [], {}, { name: 'a' }, { name: 'a', namespace: '' }, { name: 'a', namespace: 'default' }, { name: 'a', namespace: 'team' }, { name: 1, namespace: 2 }, { namespace: 'team' }];
  let n = 0;
  for (const apiVersion of apiVersions) {
    for (const kind of kinds) {
      for (const metadata of metas) {
        const obj = { apiVersion, kind, metadata } as unknown as JsonObject;
        assert.equal(idKeyOf(obj), idKey(resIdOf(obj)), JSON.stringify(obj));
        n++;
      }
    }
  }
  // cluster-scoped kinds have no namespace in the key; namespaced ones "default" for none
  assert.equal(idKeyOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', namespace: 'x' } }), '|v1|Namespace||a');
  assert.equal(idKeyOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' } }), 'apps|v1|Deployment|default|a');
  assert.equal(n, apiVersions.length * kinds.length * metas.length);
});

test("a build's pointer table spells every child pointer as childPointer, the same for the same parent and key", () => {
  const t = new PointerTable();
  for (const parent of ['', '/spec', '/metadata/annotations', '/a~1b']) {
    for (const key of ['name', 'a/b', 'x~y', '~1', '', '0', 0, 12]) {
      const p = t.child(parent, key);
      assert.equal(p, typeof key === 'number' ? `${parent}/${key}` : childPointer(parent, key));
      assert.equal(t.child(parent, key), p);
    }
  }
});
