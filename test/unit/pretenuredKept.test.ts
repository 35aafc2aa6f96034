// What builds keep is made where V8 can pretenure it: by a literal, whose allocation site V8 watches and, once its
// objects survive, allocates them in the old generation. Anything else (`concat`, `new Array`, the empty literal `{}`,
// which has no allocation site) is young when made, and each young-generation collection while it lives copies it
// (twice: to the survivor space, then to the old generation). Asked of V8 itself (%InYoungGeneration), in a process of
// its own on one thread: when V8 decides depends on when its collections and background compiles fall, which a
// process running tests on helper threads does not fix.
//  - A provenance stack a step extends (an overlay setting again the namespace its base set: two writes): 1.8 MB of
//    a whole check of the synthetic fleet made by concat.
//  - copyOwnKeys' copies (a base's objects and metadata maps its namespace transformer owns, the objects a patch
//    merges into): 1.2 MB made from `{}`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { appended } from '../../server/src/core/kustomize/provenance';
import { copyOwnKeys } from '../../server/src/core/kustomize/types';

/** Runs `script` (CommonJS, V8's natives allowed) alone on one thread; its one line of JSON output. */
function inOwnProcess(script: string): unknown {
  const r = spawnSync(process.execPath, ['--single-threaded', '--allow-natives-syntax', '--import', 'tsx', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('a stack of two writes is the first write below the new one, and the stack it extends is left alone', () => {
  const first = { n: 1 };
  const second = { n: 2 };
  const stack = [first];
  const two = appended(stack, second);
  assert.deepEqual(two, [first, second]);
  assert.deepEqual(stack, [first]);
  const three = appended(two, { n: 3 });
  assert.deepEqual(three, [first, second, { n: 3 }]);
  assert.deepEqual(two, [first, second]);
});

const KEPT = `
const { appended } = require(${JSON.stringify(path.resolve(__dirname, '../../server/src/core/kustomize/provenance.ts'))});
// As a check's kept builds do: many stacks of two writes, every one kept.
const kept = [];
for (let i = 0; i < 300000; i++) kept.push(appended([{ i }], { i }));
const late = appended([{ i: -1 }], { i: -1 });
console.log(JSON.stringify({ young: %InYoungGeneration(late), kept: kept.length }));
`;

test('stacks of two writes that builds keep are allocated where kept objects go (pretenured by V8)', () => {
  assert.deepEqual(inOwnProcess(KEPT), { young: false, kept: 300000 });
});

test('copyOwnKeys copies every own key in order, `__proto__` as an own key, and leaves the original alone', () => {
  const o = { kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } };
  const c = copyOwnKeys(o);
  assert.deepEqual(Object.keys(c), ['kind', 'metadata', 'data']);
  assert.equal(c.metadata, o.metadata);
  assert.deepEqual(copyOwnKeys({}), {});
  const withProto = JSON.parse('{"__proto__": {"x": 1}, "b": 2}');
  const p = copyOwnKeys(withProto);
  assert.deepEqual(Object.keys(p), ['__proto__', 'b']);
  assert.equal(Object.getPrototypeOf(p), Object.prototype);
  const later = JSON.parse('{"a": 1, "__proto__": {"x": 1}}');
  assert.deepEqual(Object.keys(copyOwnKeys(later)), ['a', '__proto__']);
  assert.equal(Object.getPrototypeOf(copyOwnKeys(later)), Object.prototype);
});

const COPIES = `
const { copyOwnKeys } = require(${JSON.stringify(path.resolve(__dirname, '../../server/src/core/kustomize/types.ts'))});
// As a base's namespace transformer does: copies of its objects, every one kept.
const kept = [];
for (let i = 0; i < 300000; i++) kept.push(copyOwnKeys({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' + i }, data: {} }));
const late = copyOwnKeys({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' }, data: {} });
// (the hidden class of an object given the same keys one by one: readers of both meet one class)
const byKey = {};
for (const k of ['apiVersion', 'kind', 'metadata', 'data']) byKey[k] = late[k];
console.log(JSON.stringify({ young: %InYoungGeneration(late), sameClass: %HaveSameMap(late, byKey), kept: kept.length }));
`;

test('copies copyOwnKeys makes for builds to keep are pretenured by V8, with the hidden class of objects made key by key', () => {
  assert.deepEqual(inOwnProcess(COPIES), { young: false, sameClass: true, kept: 300000 });
});
