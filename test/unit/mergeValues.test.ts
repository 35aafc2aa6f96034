// mergeValues, the deep merge of HelmRelease values layers: which stacks a replaced subtree keeps, and the order the
// merged provenance map holds its pointers in (the overrides and lock passes read the map in that order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeValues } from '../../server/src/core/evaluate/helmValues';
import type { JsonObject, ProvenanceMap } from '../../server/src/core/kustomize/types';
import { stepLayer } from '../../server/src/core/layer';

/** A provenance map of one write per pointer, each write naming its file and value. */
function provOf(file: string, entries: Array<[string, unknown]>): ProvenanceMap {
  return new Map(entries.map(([pointer, value]) => [pointer, [{ file, layer: stepLayer('resource'), value: value as never }]]));
}

/** The map as `pointer: file,file,...` lines, in its order. */
function show(prov: ProvenanceMap): string[] {
  return [...prov].map(([pointer, stack]) => `${pointer}: ${stack.map((w) => w.file).join(',')}`);
}

test('mergeValues: a replaced subtree keeps its stacks only where the same leaf is written again; maps merge', () => {
  const dst: JsonObject = { image: { tag: '1', repository: 'r' }, replicas: 1, hosts: ['a', 'b'], keep: 'k' };
  const prov = provOf('base', [
    ['/image/tag', '1'],
    ['/image/repository', 'r'],
    ['/replicas', 1],
    ['/hosts/0', 'a'],
    ['/hosts/1', 'b'],
    ['/keep', 'k'],
  ]);
  const src: JsonObject = { image: { tag: '2' }, replicas: { min: 1, max: 3 }, hosts: ['c'], added: { x: [1, { y: 2 }] } };
  const image = dst.image;
  const srcProv = provOf('layer', [
    ['/image/tag', '2'],
    ['/replicas/min', 1],
    ['/replicas/max', 3],
    ['/hosts/0', 'c'],
    ['/added/x/0', 1],
    ['/added/x/1/y', 2],
  ]);
  mergeValues(dst, src, srcProv, prov, '');
  assert.deepEqual(dst, { image: { tag: '2', repository: 'r' }, replicas: { min: 1, max: 3 }, hosts: ['c'], keep: 'k', added: { x: [1, { y: 2 }] } });
  // A leaf written again keeps its history (/image/tag, /hosts/0); a replaced leaf's stack goes (/replicas, /hosts/1);
  // new pointers come after, the replacing subtree's last child first.
  assert.deepEqual(show(prov), [
    '/image/repository: base',
    '/keep: base',
    '/image/tag: base,layer',
    '/replicas/max: layer',
    '/replicas/min: layer',
    '/hosts/0: base,layer',
    '/added/x/1/y: layer',
    '/added/x/0: layer',
  ]);
  // Values are read-only once made: a replacing subtree is the layer's own (not a copy of it), and a map merged into is
  // copied, so the map `dst` held before stays as it was.
  assert.equal(dst.added, src.added);
  assert.notEqual(dst.image, image);
  assert.deepEqual(image, { tag: '1', repository: 'r' });
  assert.deepEqual(src, { image: { tag: '2' }, replicas: { min: 1, max: 3 }, hosts: ['c'], added: { x: [1, { y: 2 }] } });
});

test('mergeValues: a layer merged into maps an earlier layer shares changes neither layer', () => {
  // Two layers (a values file's tree is shared by every release merging it) and the inline values of one release.
  const first: JsonObject = { ingress: { hosts: ['a'], tls: { enabled: false } }, image: { tag: '1' } };
  const second: JsonObject = { ingress: { tls: { enabled: true } } };
  const dst: JsonObject = {};
  const prov: ProvenanceMap = new Map();
  const owned = new Set([dst]);
  mergeValues(dst, first, provOf('first', [['/ingress/hosts/0', 'a'], ['/ingress/tls/enabled', false], ['/image/tag', '1']]), prov, '', owned);
  assert.equal(dst.image, first.image);
  mergeValues(dst, second, provOf('second', [['/ingress/tls/enabled', true]]), prov, '', owned);
  assert.deepEqual(dst, { ingress: { hosts: ['a'], tls: { enabled: true } }, image: { tag: '1' } });
  assert.deepEqual(first, { ingress: { hosts: ['a'], tls: { enabled: false } }, image: { tag: '1' } });
  assert.deepEqual(second, { ingress: { tls: { enabled: true } } });
  // What was not merged into stays shared; the maps on the merged path are this merge's own.
  assert.equal((dst.ingress as JsonObject).hosts, (first.ingress as JsonObject).hosts);
  assert.notEqual(dst.ingress, first.ingress);
  assert.deepEqual(show(prov), ['/ingress/hosts/0: first', '/image/tag: first', '/ingress/tls/enabled: first,second']);
});

test('mergeValues: a key not set yet takes a stack written at its own pointer as its history', () => {
  const dst: JsonObject = {};
  const prov = provOf('base', [['/a', null]]);
  mergeValues(dst, { a: 'x', b: 'y' }, provOf('layer', [['/a', 'x'], ['/b', 'y']]), prov, '');
  assert.deepEqual(show(prov), ['/a: base,layer', '/b: layer']);
});

test('mergeValues: a map copied to merge into keeps a `__proto__` key as its own key, not as its prototype', () => {
  const first = JSON.parse('{"a": {"__proto__": {"x": 1}, "b": 1}}') as JsonObject;
  const dst: JsonObject = {};
  const prov: ProvenanceMap = new Map();
  const owned = new Set([dst]);
  mergeValues(dst, first, provOf('first', [['/a/__proto__/x', 1], ['/a/b', 1]]), prov, '', owned);
  mergeValues(dst, JSON.parse('{"a": {"b": 2}}') as JsonObject, provOf('second', [['/a/b', 2]]), prov, '', owned);
  const a = dst.a as JsonObject;
  assert.notEqual(a, first.a);
  assert.ok(Object.hasOwn(a, '__proto__'));
  assert.equal(Object.getPrototypeOf(a), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(a, '__proto__')?.value, { x: 1 });
  assert.equal(a.b, 2);
  assert.equal((first.a as JsonObject).b, 1);
});

test('mergeValues: a `__proto__` key a layer sets is an own key of the merged values, whether a map or a scalar, never their prototype', () => {
  const dst: JsonObject = {};
  const prov: ProvenanceMap = new Map();
  const owned = new Set([dst]);
  mergeValues(dst, JSON.parse('{"__proto__": 5, "a": 1}') as JsonObject, provOf('first', [['/__proto__', 5], ['/a', 1]]), prov, '', owned);
  assert.ok(Object.hasOwn(dst, '__proto__'), 'the scalar is kept');
  assert.equal(Object.getOwnPropertyDescriptor(dst, '__proto__')?.value, 5);
  assert.equal(Object.getPrototypeOf(dst), Object.prototype);
  assert.deepEqual(prov.get('/__proto__')?.map((w) => w.value), [5]);
  // A map replaces the scalar (the scalar's write is history), as under any other key.
  mergeValues(dst, JSON.parse('{"__proto__": {"x": 1}}') as JsonObject, provOf('second', [['/__proto__/x', 1]]), prov, '', owned);
  assert.deepEqual(Object.getOwnPropertyDescriptor(dst, '__proto__')?.value, { x: 1 });
  assert.equal(Object.getPrototypeOf(dst), Object.prototype);
  assert.equal(dst.a, 1);
});
