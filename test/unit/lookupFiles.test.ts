// LookupFiles (evaluate/lookupFiles.ts): the files a context's variable lookups found their objects in, one held as a
// string. It must read as the Set it replaced: insertion order, each file once, every ReadonlySet method alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LookupFiles } from '../../server/src/core/evaluate/lookupFiles';

test('LookupFiles reads as a Set of the files added, in the order added, each once', () => {
  const adds = ['/a', '/a', '/b', '/a', '/c', '/b'];
  const files = LookupFiles.empty();
  const set = new Set<string>();
  assert.equal(files.size, 0);
  assert.deepEqual([...files], []);
  for (const f of adds) {
    files.add(f);
    set.add(f);
    assert.equal(files.size, set.size);
    assert.deepEqual([...files], [...set]);
    assert.deepEqual([...files.keys()], [...set.keys()]);
    assert.deepEqual([...files.entries()], [...set.entries()]);
    const seen: string[] = [];
    files.forEach((v, k, s) => {
      assert.equal(v, k);
      assert.equal(s, files);
      seen.push(v);
    });
    assert.deepEqual(seen, [...set]);
    for (const x of ['/a', '/b', '/c', '/d']) assert.equal(files.has(x), set.has(x), `has(${x}) after ${f}`);
  }
});
