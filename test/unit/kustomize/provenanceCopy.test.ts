// ProvenanceCopy (core/kustomize/provenanceCopy.ts) reads as a Map copied from its base and then changed: the same
// entries, size and iteration order after any sequence of sets and deletes, and its base is never written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProvenanceCopy } from '../../../server/src/core/kustomize/provenanceCopy';
import { copyProvenance, type ProvenanceWrite } from '../../../server/src/core/kustomize/provenance';
import { stepLayer } from '../../../server/src/core/layer';

const write = (value: string): ProvenanceWrite[] => [{ file: 'f.yaml', layer: stepLayer('resource'), value }];

test('a copy behaves as a Map copied from its base, through sets, deletes, re-sets and copies of copies', () => {
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  const keys = Array.from({ length: 12 }, (_, i) => `/k${i}`);
  for (let round = 0; round < 50; round++) {
    const base = new Map(keys.slice(0, 8).map((k) => [k, write(k)]));
    const frozen = [...base];
    let copy = copyProvenance(base);
    let model = new Map(base);
    for (let step = 0; step < 40; step++) {
      const k = keys[rand(keys.length)];
      const op = rand(5);
      if (op < 2) {
        const v = write(`${k}@${step}`);
        copy.set(k, v);
        model.set(k, v);
      } else if (op < 4) {
        assert.equal(copy.delete(k), model.delete(k), `delete ${k}`);
      } else {
        copy = copyProvenance(copy);
        model = new Map(model);
      }
      assert.deepEqual([...copy], [...model], `round ${round} step ${step}`);
      // Each way of iterating (they are written apart, for speed) gives the Map's order.
      assert.deepEqual([...copy.keys()], [...model.keys()]);
      assert.deepEqual([...copy.values()], [...model.values()]);
      const each: Array<[string, ProvenanceWrite[]]> = [];
      copy.forEach((v, k, map) => (assert.equal(map, copy), each.push([k, v])));
      assert.deepEqual(each, [...model]);
      assert.equal(copy.size, model.size);
      for (const key of keys) {
        assert.equal(copy.has(key), model.has(key));
        assert.equal(copy.get(key), model.get(key));
      }
    }
    assert.deepEqual([...base], frozen, 'the base is never written');
  }
});

test('a copy of a copy reads the first base (no chain), and a copy mostly rewritten is copied flat', () => {
  const base = new Map(Array.from({ length: 10 }, (_, i) => [`/k${i}`, write(String(i))]));
  const first = copyProvenance(base) as ProvenanceCopy;
  first.set('/k0', write('x'));
  const second = copyProvenance(first) as ProvenanceCopy;
  assert.ok(second instanceof ProvenanceCopy);
  assert.equal(second.shared, base);
  assert.equal(second.ownSize, 1);
  for (let i = 0; i < 6; i++) second.set(`/k${i}`, write('y'));
  const third = copyProvenance(second);
  assert.ok(!(third instanceof ProvenanceCopy), 'more than half its own: a plain Map');
  assert.deepEqual([...third], [...second]);
});

test('one key added to a copy (held without a Map) reads as in a Map-based copy, through a second key, deletes and copies', () => {
  const base = new Map([['/metadata/name', write('app')], ['/spec/replicas', write('1')]]);
  const copy = copyProvenance(base);
  const model = new Map(base);
  const same = (label: string) => {
    assert.deepEqual([...copy], [...model], label);
    assert.deepEqual([...copy.keys()], [...model.keys()], label);
    assert.deepEqual([...copy.values()], [...model.values()], label);
    const each: Array<[string, ProvenanceWrite[]]> = [];
    copy.forEach((v, k) => each.push([k, v]));
    assert.deepEqual(each, [...model], label);
    assert.equal(copy.size, model.size, label);
    for (const k of ['/metadata/name', '/spec/replicas', '/metadata/namespace', '/metadata/labels/a']) {
      assert.equal(copy.has(k), model.has(k), `${label}: has ${k}`);
      assert.equal(copy.get(k), model.get(k), `${label}: get ${k}`);
    }
  };
  const ns = write('team-a');
  for (const m of [copy, model]) m.set('/metadata/namespace', ns);
  same('one key added');
  assert.equal((copy as ProvenanceCopy).ownSize, 1);
  // A copy of it carries the key; each is changed apart from the other.
  const again = copyProvenance(copy);
  assert.deepEqual([...again], [...model]);
  const ns2 = write('team-b');
  for (const m of [copy, model]) m.set('/metadata/namespace', ns2);
  same('the added key set again (in its place)');
  assert.equal(again.get('/metadata/namespace'), ns, 'the copy of the copy keeps its own');
  const label = write('x');
  for (const m of [copy, model]) m.set('/metadata/labels/a', label);
  same('a second key added after it');
  for (const m of [copy, model]) assert.equal(m.delete('/metadata/namespace'), true);
  same('the first added key deleted');
  for (const m of [copy, model]) m.delete('/metadata/labels/a');
  for (const m of [copy, model]) assert.equal(m.delete('/metadata/labels/a'), false);
  same('every added key deleted');
  for (const m of [copy, model]) m.set('/metadata/namespace', ns);
  same('one key added again');
  for (const m of [copy, model]) assert.equal(m.delete('/metadata/namespace'), true);
  for (const m of [copy, model]) assert.equal(m.delete('/metadata/namespace'), false);
  same('its sole added key deleted');
  for (const m of [copy, model]) m.delete('/spec/replicas');
  for (const m of [copy, model]) m.set('/spec/replicas', ns2);
  same('a base key deleted and set again (added at the end)');
  copy.clear();
  model.clear();
  same('cleared');
  assert.deepEqual([...base.keys()], ['/metadata/name', '/spec/replicas'], 'the base is never written');
});
