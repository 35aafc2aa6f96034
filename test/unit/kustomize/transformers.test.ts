// kustomize's namespace transformer (core/kustomize/transformers.ts setNamespace) as kept builds hold its writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setNamespace } from '../../../server/src/core/kustomize/transformers';
import { copyProvenance, provenanceWrite } from '../../../server/src/core/kustomize/provenance';
import type { Provenance, Resource } from '../../../server/src/core/kustomize/types';
import { stepLayer } from '../../../server/src/core/layer';

const loaded: Provenance = { file: '/repo/base/app.yaml', layer: stepLayer('resource') };
const overlay: Provenance = { file: '/repo/tenant/kustomization.yaml', layer: stepLayer('namespace'), kustomization: '/repo/tenant/kustomization.yaml', span: { start: 10, end: 21 } };

function resource(name: string, namespace?: string): Resource {
  const prov = new Map([['/metadata/name', [provenanceWrite(loaded, name)]]]);
  if (namespace) prov.set('/metadata/namespace', [provenanceWrite(loaded, namespace)]);
  // (a kept build's object: the transformer writes into a copy of its provenance map)
  return { obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace && { namespace }) } }, prov: copyProvenance(prov), origin: loaded };
}

test('the namespace transformer records one write for all the objects it sets, each stack as if made apart', () => {
  const resources = [resource('a'), resource('b'), resource('c', 'old'), resource('d', 'old')];
  assert.deepEqual(setNamespace(resources, 'team-a', overlay), []);
  for (const r of resources) {
    assert.equal((r.obj.metadata as { namespace: string }).namespace, 'team-a');
    const stack = r.prov.get('/metadata/namespace')!;
    assert.deepEqual(stack.at(-1), { ...overlay, value: 'team-a' });
  }
  const [a, b, c, d] = resources.map((r) => r.prov.get('/metadata/namespace')!);
  assert.deepEqual(a, [{ ...overlay, value: 'team-a' }]);
  assert.deepEqual(c.map((w) => w.value), ['old', 'team-a']);
  // What kept builds hold once: one write object, and one stack for the objects that had no namespace written before.
  assert.equal(a, b, 'objects without a namespace before share one stack');
  assert.equal(a[0], c[1], 'every object shares the one write');
  assert.notEqual(c, d, 'stacks over earlier stacks of their own are each their own');
  // Objects whose namespace stacks were one array (a base that set the namespace, shared the same way) share the
  // stack over it.
  const [e, f] = [resource('e'), resource('f')];
  setNamespace([e, f], 'base-ns', { ...overlay, file: '/repo/base/kustomization.yaml' });
  setNamespace([e, f], 'team-a', overlay);
  const [se, sf] = [e, f].map((r) => r.prov.get('/metadata/namespace')!);
  assert.deepEqual(se.map((w) => w.value), ['base-ns', 'team-a']);
  assert.equal(se, sf, 'one stack over the shared one');
  // Copy-on-write: a later write to one object leaves the others' stacks as they were.
  setNamespace([resources[0]], 'team-b', overlay);
  assert.deepEqual(resources[1].prov.get('/metadata/namespace')!.map((w) => w.value), ['team-a']);
  assert.deepEqual(resources[0].prov.get('/metadata/namespace')!.map((w) => w.value), ['team-a', 'team-b']);
});

test("the Service namespace fields of a kept build's objects: owned before the transformer makes or sets them, never before it fails", () => {
  const shared = (obj: Resource['obj']): Resource => ({ obj, prov: new Map(), origin: loaded });
  const kept = [
    // made under a list item (the spec creates), and set in another
    { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.a.example.com' }, spec: [{ other: 1 }, { service: { name: 'api', namespace: null } }] },
    // a CRD's namespace set where it is null; its null service elsewhere left
    { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'a.example.com' }, spec: { conversion: { webhook: { clientConfig: [{ service: { name: 'api', namespace: null } }, { service: null }] } } } },
  ];
  const before = structuredClone(kept);
  const resources = kept.map((o) => shared(o as Resource['obj']));
  const owned: string[] = [];
  const own = (r: Resource) => {
    owned.push(r.obj.kind as string);
    r.obj = structuredClone(r.obj);
  };
  setNamespace(resources, 'team-a', overlay, { own, ownMetadata: own, ownProvenance: () => {} });
  assert.deepEqual(kept, before, "the kept build's objects are as they were");
  assert.deepEqual(resources[0].obj.spec, [{ other: 1, service: { namespace: 'team-a' } }, { service: { name: 'api', namespace: 'team-a' } }]);
  assert.deepEqual(resources[1].obj.spec, { conversion: { webhook: { clientConfig: [{ service: { name: 'api', namespace: 'team-a' } }, { service: null }] } } });
  assert.deepEqual(resources[0].prov.get('/spec/0/service/namespace')?.map((w) => w.value), ['team-a']);
  assert.deepEqual(resources[1].prov.get('/spec/conversion/webhook/clientConfig/0/service/namespace')?.map((w) => w.value), ['team-a']);
  assert.ok(owned.includes('APIService') && owned.includes('CustomResourceDefinition'));
  // A string on the way fails the build (kubectl: "expected sequence or mapping node"), the object left as it was.
  const broken = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.b.example.com' }, spec: { service: 'api' } };
  const b = shared(structuredClone(broken) as Resource['obj']);
  assert.throws(() => setNamespace([b], 'team-a', overlay, { own, ownMetadata: own, ownProvenance: () => {} }), /expected sequence or mapping node/);
  assert.deepEqual(b.obj, broken);
  // A map where the namespace goes too (kubectl: "namespace field specs must target scalar nodes").
  const mapped = shared({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'b.example.com' }, spec: { conversion: { webhook: { clientConfig: { service: { namespace: { a: 'b' } } } } } } });
  assert.throws(() => setNamespace([mapped], 'team-a', overlay), /must target scalar nodes/);
});
