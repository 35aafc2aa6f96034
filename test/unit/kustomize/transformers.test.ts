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
