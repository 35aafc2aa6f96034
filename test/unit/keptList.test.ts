import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_LIST, keptList } from '../../server/src/core/keptList';

test('a kept list is a copy of its items, and every empty one is the one frozen empty list', () => {
  const grown: number[] = [];
  for (let i = 0; i < 3; i++) grown.push(i);
  const kept = keptList(grown);
  assert.notEqual(kept, grown);
  assert.deepEqual(kept, [0, 1, 2]);
  assert.equal(keptList([]), EMPTY_LIST);
  assert.equal(keptList<string>([]), keptList<number>([]));
  assert.ok(Object.isFrozen(EMPTY_LIST));
  assert.throws(() => (keptList<number>([]) as number[]).push(1));
});
