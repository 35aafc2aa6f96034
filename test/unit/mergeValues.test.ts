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
  // The merged values are copies: the layer's own values stay as they were.
  (dst.added as { x: unknown[] }).x.push(3);
  assert.deepEqual(src.added, { x: [1, { y: 2 }] });
});

test('mergeValues: a key not set yet takes a stack written at its own pointer as its history', () => {
  const dst: JsonObject = {};
  const prov = provOf('base', [['/a', null]]);
  mergeValues(dst, { a: 'x', b: 'y' }, provOf('layer', [['/a', 'x'], ['/b', 'y']]), prov, '');
  assert.deepEqual(show(prov), ['/a: base,layer', '/b: layer']);
});
