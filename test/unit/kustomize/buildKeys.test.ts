// The keys a build makes for each resource without the objects it made before: idKeyOf is idKey(resIdOf(obj)) for
// every shape of apiVersion, kind, name and namespace (cluster-scoped kinds included), and a build's PointerTable
// gives every pointer as childPointer spells it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idKey, idKeyOf, isClusterScoped, resIdOf, ResIds } from '../../../server/src/core/kustomize/resid';
import { isClusterScopedForKustomize } from '../../../server/src/core/kube/kinds';
import { childPointer, PointerTable } from '../../../server/src/core/kustomize/provenance';
import type { JsonObject, Resource } from '../../../server/src/core/kustomize/types';

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

/** Every shape of identity the key test above tries, as resources. */
function identities(): Resource[] {
  const apiVersions = [undefined, '', 'v1', '/v1', 'apps/v1', 'rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1beta1', 'a/b/c', 'apiextensions.k8s.io/v1', 'apps/', 3];
  const kinds = [undefined, '', 'ConfigMap', 'Namespace', 'ClusterRole', 'CustomResourceDefinition', 'Deployment', 'Widget', 7];
  const metas: unknown[] = [undefined, null, 'x', [], {}, { name: 'a' }, { name: 'b' }, { name: 'a', namespace: '' }, { name: 'a', namespace: 'default' }, { name: 'a', namespace: 'team' }, { name: 1, namespace: 2 }, { namespace: 'team' }];
  const out: Resource[] = [];
  for (const apiVersion of apiVersions) for (const kind of kinds) for (const metadata of metas) out.push({ obj: { apiVersion, kind, metadata } as unknown as JsonObject, prov: new Map(), origin: { file: 'f', layer: { step: 'resource' } } as Resource['origin'] });
  return out;
}

test('ResIds finds the resource added before with the same idKey, and only that one', () => {
  const all = identities();
  // every pair, both orders: a second resource of the same key is found (the first one), one of another key added
  let found = 0;
  for (const a of all) {
    for (const b of all) {
      const ids = new ResIds();
      assert.equal(ids.addOrFind(a), undefined);
      const same = idKey(resIdOf(a.obj)) === idKey(resIdOf(b.obj));
      assert.equal(ids.addOrFind(b), same ? a : undefined, `${JSON.stringify(a.obj)} / ${JSON.stringify(b.obj)}`);
      if (same) found++;
    }
  }
  assert.ok(found > all.length, 'some identities are the same spelled otherwise (v1 and /v1, "" and default)');
  // added along, as a build accumulates: each resource finds the first of its key
  const ids = new ResIds();
  const firstOf = new Map<string, Resource>();
  for (const r of [...all, ...all]) {
    const key = idKey(resIdOf(r.obj));
    assert.equal(ids.addOrFind(r), firstOf.get(key));
    if (!firstOf.has(key)) firstOf.set(key, r);
  }
  // put replaces the one of the same key
  const put = new ResIds();
  for (const r of all) put.put(r);
  const again = identities();
  const lastOf = new Map<string, Resource>();
  for (const r of all) lastOf.set(idKey(resIdOf(r.obj)), r);
  for (const r of again) assert.equal(put.addOrFind(r), lastOf.get(idKey(resIdOf(r.obj))));
});

test("isClusterScoped is kustomize's scope of the object's id", () => {
  for (const r of identities()) assert.equal(isClusterScoped(r.obj), isClusterScopedForKustomize(resIdOf(r.obj)), JSON.stringify(r.obj));
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
