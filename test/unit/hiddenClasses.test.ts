// Objects of one shape share one V8 hidden class (map): the engine's copies and interned pointers must not give each
// object a class of its own, which made every read of them miss the inline caches, threw optimized code away and
// kept a class and its descriptors per object in the old space. Asked of V8 itself (%HaveSameMap).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { materialize, loadFleet } from '../helpers/fixture';
import { buildKustomization } from '../../server/src/core/kustomize/build';
import { buildOptions } from '../../server/src/core/evaluate/fluxBuild';
import { internPointer, provenanceWrite } from '../../server/src/core/kustomize/provenance';
import { stepLayer } from '../../server/src/core/layer';

v8.setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
v8.setFlagsFromString('--no-allow-natives-syntax');

/** An object made key by key, as the YAML readers make them. */
function keyByKey(keys: string[]): Record<string, number> {
  const o: Record<string, number> = {};
  for (const k of keys) o[k] = 1;
  return o;
}

test('interning pointers leaves the hidden classes of objects made key by key shared', () => {
  for (let i = 0; i < 3000; i++) assert.equal(internPointer(`/spec/values/n${i}/x`), `/spec/values/n${i}/x`);
  assert.equal(internPointer(''), '');
  assert.equal(internPointer('__proto__'), '__proto__');
  // (an object literal with a computed key per pointer filled the transitions of V8's root object class: afterwards
  // every object whose first key was new got a class of its own)
  assert.ok(haveSameMap(keyByKey(['enabledAfterInterning', 'hosts']), keyByKey(['enabledAfterInterning', 'hosts'])));
});

// A base of objects whose metadata maps have many shapes, included by an overlay that sets only a namespace: the
// overlay borrows the kept base's objects and copies each one's metadata map before writing the namespace into it.
const SHAPES = [
  'name: a',
  'name: b\n  labels: { app: b }',
  'name: g',
  'name: c\n  annotations: { note: c }',
  'name: d\n  labels: { app: d }\n  annotations: { note: d }',
  'name: h',
  'labels: { app: e }\n  name: e',
  'annotations: { note: f }\n  name: f',
  'name: i',
  'name: j',
];
const FLEET = `
//- base/kustomization.yaml
resources: [objects.yaml]
//- base/objects.yaml
${SHAPES.map((m) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  ${m}\ndata: { k: v }`).join('\n---\n')}
//- overlay/kustomization.yaml
resources: [../base]
namespace: team
`;

test('metadata maps the namespace transformer copies from a kept base share hidden classes by shape', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const base = buildKustomization(m.file('base'), options);
  assert.deepEqual(base.issues, []);
  const built = buildKustomization(m.file('overlay'), options);
  assert.deepEqual(built.issues, []);
  const meta = (name: string) => built.resources.find((r) => (r.obj.metadata as { name: string }).name === name)!.obj.metadata as object;
  assert.deepEqual(meta('a'), { name: 'a', namespace: 'team' });
  // (a spread copy made at a site that had seen many shapes and then given a namespace had a class of its own)
  for (const name of ['g', 'h', 'i', 'j']) assert.ok(haveSameMap(meta('a'), meta(name)), name);
  // the kept base's objects are as they were
  assert.deepEqual(base.resources.map((r) => (r.obj.metadata as Record<string, unknown>).namespace), SHAPES.map(() => undefined));
});

test('a write of a four-key provenance holds its value in the object, its keys in the order they were', () => {
  const layer = stepLayer('resource');
  const span = { start: 1, end: 2 };
  const inOrder = { file: 'a.yaml', span, layer, kustomization: 'k.yaml' };
  const stepFirst = { file: 'a.yaml', layer, kustomization: 'k.yaml', span };
  // Each like a literal of five keys (all five in the object), not like Object.assign's `{}` made for four (`value` in
  // a property array of its own).
  const w1 = provenanceWrite(inOrder, 'x');
  assert.ok(haveSameMap(w1, { file: 'b', span: undefined, layer, kustomization: 'c', value: 1 }));
  assert.deepEqual(Object.keys(w1), ['file', 'span', 'layer', 'kustomization', 'value']);
  const w2 = provenanceWrite(stepFirst, 'y');
  assert.ok(haveSameMap(w2, { file: 'b', layer, kustomization: 'c', span: undefined, value: 1 }));
  assert.deepEqual(Object.keys(w2), ['file', 'layer', 'kustomization', 'span', 'value']);
  // Any other shape keeps its own keys, in order, and no key it did not have.
  const secret = { file: 'a.yaml', layer, secret: true, masked: '••', span };
  assert.deepEqual(Object.keys(provenanceWrite(secret, 'z')), ['file', 'layer', 'secret', 'masked', 'span', 'value']);
  assert.deepEqual(Object.keys(provenanceWrite({ file: 'a.yaml', layer }, 'z')), ['file', 'layer', 'value']);
  assert.deepEqual(provenanceWrite(inOrder, 'x'), { ...inOrder, value: 'x' });
});
