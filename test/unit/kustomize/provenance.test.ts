// ProvenanceMap helpers: JSON pointers, leaf recording, and re-keying when subtrees drop, move or get re-indexed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  childPointer,
  copySubtree,
  dropSubtree,
  isAtOrUnder,
  isLeaf,
  lastWrite,
  leavesOf,
  moveSubtree,
  parsePointer,
  pointer,
  pushWrite,
  recordLeaves,
  reindexList,
  valueAt,
} from '../../../server/src/core/kustomize/provenance';
import type { Provenance, ProvenanceMap } from '../../../server/src/core/kustomize/types';
import { stepLayer } from '../../../server/src/core/layer';

const base: Provenance = { file: '/repo/base/deploy.yaml', layer: stepLayer('resource') };
const overlay: Provenance = { file: '/repo/overlay/patch.yaml', layer: stepLayer('patches'), kustomization: '/repo/overlay/kustomization.yaml' };
const files = (prov: ProvenanceMap, ptr: string) => (prov.get(ptr) ?? []).map((w) => w.file);
const keys = (prov: ProvenanceMap) => [...prov.keys()].sort();

test('pointers escape ~ and / (RFC 6901) and parse back', () => {
  assert.equal(pointer([]), '');
  assert.equal(pointer(['spec', 'template', 0, 'image']), '/spec/template/0/image');
  assert.equal(pointer(['metadata', 'annotations', 'example.com/a~b']), '/metadata/annotations/example.com~1a~0b');
  assert.deepEqual(parsePointer('/metadata/annotations/example.com~1a~0b'), ['metadata', 'annotations', 'example.com/a~b']);
  assert.deepEqual(parsePointer(''), []);
  assert.deepEqual(parsePointer('/'), ['']);
  // ~01 is "~1" (unescape ~1 first, then ~0), not "/"
  assert.deepEqual(parsePointer('/~01'), ['~1']);
  assert.throws(() => parsePointer('spec/x'));
  for (const segs of [['a/b', '~', '~1', ''], ['x', '0', 'y~0']]) assert.deepEqual(parsePointer(pointer(segs)), segs);
  assert.equal(childPointer('/a', 'b/c'), '/a/b~1c');
});

test('isAtOrUnder respects segment boundaries', () => {
  assert.ok(isAtOrUnder('/a', '/a'));
  assert.ok(isAtOrUnder('/a/b', '/a'));
  assert.ok(!isAtOrUnder('/ab', '/a'));
  assert.ok(isAtOrUnder('/anything', ''));
});

test('recordLeaves pushes one write per leaf; empty objects and arrays are leaves', () => {
  const prov: ProvenanceMap = new Map();
  const value = { spec: { replicas: 2, template: { metadata: {}, spec: { containers: [{ name: 'app', args: [] }] } } } };
  recordLeaves(prov, '', value, base);
  assert.deepEqual(keys(prov), ['/spec/replicas', '/spec/template/metadata', '/spec/template/spec/containers/0/args', '/spec/template/spec/containers/0/name'].sort());
  assert.deepEqual(prov.get('/spec/template/metadata'), [{ ...base, value: {} }]);
  assert.deepEqual(prov.get('/spec/template/spec/containers/0/args'), [{ ...base, value: [] }]);
  // a second write stacks on top: last wins, the first is what it overrode
  recordLeaves(prov, '/spec/replicas', 3, overlay);
  assert.deepEqual(files(prov, '/spec/replicas'), [base.file, overlay.file]);
  assert.equal(lastWrite(prov, '/spec/replicas')?.value, 3);
  assert.equal(lastWrite(prov, '/spec/replicas')?.kustomization, '/repo/overlay/kustomization.yaml');
  assert.equal(lastWrite(prov, '/nope'), undefined);
  // a scalar at the root is a leaf at ''
  const root: ProvenanceMap = new Map();
  recordLeaves(root, '', 'x', base);
  assert.deepEqual(keys(root), ['']);
  assert.ok(isLeaf(null) && isLeaf({}) && isLeaf([]) && !isLeaf([1]) && !isLeaf({ a: 1 }));
  assert.deepEqual(leavesOf({ 'a/b': [1, { c: null }] }, '/x'), [['/x/a~1b/0', 1], ['/x/a~1b/1/c', null]]);
});

test('dropSubtree deletes the pointer and everything under it, not its siblings', () => {
  const prov: ProvenanceMap = new Map();
  recordLeaves(prov, '', { a: { b: 1, c: [1, 2] }, ab: 1, a2: 1 }, base);
  dropSubtree(prov, '/a');
  assert.deepEqual(keys(prov), ['/a2', '/ab']);
  dropSubtree(prov, '');
  assert.equal(prov.size, 0);
});

test('moveSubtree re-keys a subtree and replaces what was at the destination', () => {
  const prov: ProvenanceMap = new Map();
  recordLeaves(prov, '', { from: { x: 1, y: { z: 2 } }, to: { old: 1 }, other: 1 }, base);
  recordLeaves(prov, '/from/x', 5, overlay);
  moveSubtree(prov, '/from', '/to');
  assert.deepEqual(keys(prov), ['/other', '/to/x', '/to/y/z']);
  assert.deepEqual(files(prov, '/to/x'), [base.file, overlay.file]);
  moveSubtree(prov, '/to', '/to');
  assert.deepEqual(keys(prov), ['/other', '/to/x', '/to/y/z']);
});

test('copySubtree copies stacks without sharing them', () => {
  const prov: ProvenanceMap = new Map();
  recordLeaves(prov, '', { a: { x: 1 } }, base);
  copySubtree(prov, '/a', '/b');
  pushWrite(prov, '/b/x', { ...overlay, value: 2 });
  assert.deepEqual(files(prov, '/a/x'), [base.file]);
  assert.deepEqual(files(prov, '/b/x'), [base.file, overlay.file]);
});

test('reindexList moves item subtrees and drops vanished items, all at once', () => {
  const prov: ProvenanceMap = new Map();
  recordLeaves(prov, '/list', [{ n: 'a' }, { n: 'b' }, { n: 'c' }], base);
  recordLeaves(prov, '/list10', ['untouched'], base);
  // swap 0 and 2, drop 1
  reindexList(prov, '/list', (i) => (i === 0 ? 2 : i === 2 ? 0 : undefined));
  assert.deepEqual(keys(prov), ['/list/0/n', '/list/2/n', '/list10/0']);
  assert.equal(prov.get('/list/0/n')![0].value, 'c');
  assert.equal(prov.get('/list/2/n')![0].value, 'a');
  // array and Map forms
  reindexList(prov, '/list', [1, undefined, 0]);
  assert.equal(prov.get('/list/1/n')![0].value, 'c');
  assert.equal(prov.get('/list/0/n')![0].value, 'a');
  reindexList(prov, '/list', new Map([[0, 5]]));
  assert.deepEqual(keys(prov), ['/list/5/n', '/list10/0']);
  // insertion shift: everything at or after 3 moves up one
  const shift: ProvenanceMap = new Map();
  recordLeaves(shift, '/l', ['a', 'b', 'c', 'd'], base);
  reindexList(shift, '/l', (i) => (i >= 2 ? i + 1 : i));
  assert.deepEqual(keys(shift), ['/l/0', '/l/1', '/l/3', '/l/4']);
});

test('valueAt follows pointers through objects and arrays', () => {
  const doc = { spec: { containers: [{ name: 'a' }, { name: 'b' }] }, 'a/b': { '~': 1 } };
  assert.equal(valueAt(doc, '/spec/containers/1/name'), 'b');
  assert.equal(valueAt(doc, '/a~1b/~0'), 1);
  assert.equal(valueAt(doc, '/spec/containers/2'), undefined);
  assert.equal(valueAt(doc, '/spec/containers/x'), undefined);
  assert.deepEqual(valueAt(doc, ''), doc);
});
