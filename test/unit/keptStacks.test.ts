// A provenance stack a step extends (an overlay setting again the namespace its base set: two writes) is kept as long
// as the build is. Made by an array literal, V8 learns from the literal's allocation site that its arrays survive and
// allocates them in the old generation (pretenuring); made by `concat`, every one was young, and the young
// generation's collections copied each twice (1.8 MB of a whole check of the synthetic fleet). Asked of V8 itself
// (%InYoungGeneration), in a process of its own on one thread: when V8 decides depends on when its collections and
// background compiles fall, which a process running tests on helper threads does not fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { appended } from '../../server/src/core/kustomize/provenance';

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
  const r = spawnSync(process.execPath, ['--single-threaded', '--allow-natives-syntax', '--import', 'tsx', '-e', KEPT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { young: false, kept: 300000 });
});
