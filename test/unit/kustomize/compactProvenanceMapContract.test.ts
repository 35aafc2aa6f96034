// CompactProvenance stands in for Map<string, Stack> (compactProvenance.ts). Seeded random operation sequences, with
// sets, deletes and clears made while the map is being walked (a Map's walk sees what is set during it, in order, and
// skips what is deleted), run on a compact map made each way the engine makes one and on a plain Map: both must walk
// the same keys and end the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactProvenance, documentProvenance } from '../../../server/src/core/kustomize/compactProvenance';
import { copyProvenance, copySubtree, dropSubtree, moveSubtree, PointerTable, pushWrite, reindexList, type ProvenanceWrite } from '../../../server/src/core/kustomize/provenance';
import type { Resource } from '../../../server/src/core/kustomize/types';
import { stepLayer } from '../../../server/src/core/layer';
import { sharedWrite, writeProvenance } from '../../../server/src/core/kustomize/transformers';

type Stack = ProvenanceWrite[];
const w = (value: string): ProvenanceWrite => ({ file: 'f.yaml', layer: stepLayer('resource'), value });
const flat = (m: Map<string, Stack>) => [...m].map(([k, s]) => [k, s.map((x) => x.value)]);

/** A seeded generator (mulberry32: an LCG's low bits repeat with a short period, which hid walks with changes). */
function rng(seed: number): (n: number) => number {
  return (n) => {
    let t = (seed = (seed + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

/** One random change of `m`: a set, a run of deletes (a subtree dropped), now and then a clear. */
function mutate(m: Map<string, Stack>, keys: string[], rand: (n: number) => number, tag: string): void {
  const k = keys[rand(keys.length)];
  const op = rand(200);
  if (op < 120) m.set(k, rand(2) ? [w(`${k}@${tag}`)] : [w(`${k}@${tag}`), w(`${k}#${tag}`)]);
  else if (op < 199) for (let n = rand(8); n >= 0; n--) m.delete(keys[rand(keys.length)]);
  else m.clear();
}

/** Walks `m` one of four ways, changing it at random after each key; the keys walked. */
function walk(m: Map<string, Stack>, keys: string[], seed: number, how: number): string[] {
  const rand = rng(seed);
  const seen: string[] = [];
  const at = (k: string, stack: Stack | undefined) => {
    assert.ok(seen.length < 500, 'a walk ends');
    seen.push(k + (stack ? '=' + stack.map((x) => x.value).join(',') : ''));
    for (let j = rand(4); j > 0; j--) mutate(m, keys, rand, `${seed}.${seen.length}.${j}`);
  };
  if (how === 0) for (const [k, s] of m) at(k, s);
  else if (how === 1) for (const k of m.keys()) at(k, undefined);
  else if (how === 2) for (const [k, s] of m.entries()) at(k, s);
  else m.forEach((s, k) => at(k, s));
  return seen;
}

test('a compact map changed while it is walked walks and ends as a Map does, every way it is made', () => {
  const rand = rng(7);
  for (const width of [5, 12, 40]) {
    const keys = Array.from({ length: width }, (_, i) => `/k${i}`);
    const table = new PointerTable();
    for (let round = 0; round < 90; round++) {
      const start: Array<[string, Stack]> = keys.filter(() => rand(4) > 0).map((k) => [k, [w(`${k}@start`)]]);
      const made = round % 3;
      const map: Map<string, Stack> =
        made === 0
          ? new CompactProvenance(start)
          : made === 1
            ? documentProvenance(new Map(start.map(([k, s]) => [k, s[0]])), table)
            : new CompactProvenance(start).sharePointers(table);
      const model = new Map(start);
      for (let step = 0; step < 30; step++) {
        const what = `width ${width} round ${round} step ${step}`;
        const seed = rand(1 << 30);
        const how = rand(4);
        assert.deepEqual(walk(map, keys, seed, how), walk(model, keys, seed, how), what);
        assert.deepEqual(flat(map), flat(model), what);
        assert.equal(map.size, model.size, what);
        for (const k of keys) assert.equal(map.has(k), model.has(k), `${what}: has ${k}`);
      }
    }
  }
});

test('a shared write goes over the same one-write stack of compact maps as one array, as it did over a Map', () => {
  // A base's transformer writes the namespace of each object as one shared stack; a patch refills the objects' maps
  // into compact ones (holding that write, read as a new [write] each time); an overlay setting the namespace again
  // must still give all of them one stack (sharedWrite.over), not an array per object kept as long as the build.
  const ns = w('base-ns');
  const maps = [0, 1, 2].map(() => new CompactProvenance([['/metadata/namespace', [ns]]]));
  const overlay = sharedWrite({ file: 'overlay.yaml', layer: stepLayer('resource') }, 'overlay-ns');
  const stacks = maps.map((m) => overlay.over(m.get('/metadata/namespace')!));
  assert.deepEqual(stacks[0].map((x) => x.value), ['base-ns', 'overlay-ns']);
  assert.equal(stacks[1], stacks[0]);
  assert.equal(stacks[2], stacks[0]);
  // a different write under it is a different stack
  const other = new CompactProvenance([['/metadata/namespace', [w('base-ns')]]]);
  assert.notEqual(overlay.over(other.get('/metadata/namespace')!), stacks[0]);
});

test('the provenance steps of a build give a compact map, and a copy of one, what they give a Map', () => {
  // Pushes, subtree moves, copies and drops, list re-indexing (deletes while walking) and writes replacing a subtree,
  // at random over a list of items, on a Map and on compact maps made each way (and copies of them, copy-on-write).
  const rand = rng(23);
  const table = new PointerTable();
  const ptrs = (n: number) => Array.from({ length: n }, (_, i) => [`/spec/items/${i}/name`, `/spec/items/${i}/value`, `/spec/items/${i}/env/0`]).flat();
  for (let round = 0; round < 120; round++) {
    const start: Array<[string, Stack]> = [['/metadata/name', [w('n')]], ...ptrs(3 + rand(8)).map((p): [string, Stack] => [p, [w(p)]])];
    const made = round % 4;
    const compact: Map<string, Stack> =
      made === 0
        ? new CompactProvenance(start)
        : made === 1
          ? documentProvenance(new Map(start.map(([k, s]) => [k, s[0]])), table)
          : made === 2
            ? new CompactProvenance(start).sharePointers(table)
            : copyProvenance(new CompactProvenance(start).sharePointers(table));
    const model = new Map(start);
    const r = (prov: Map<string, Stack>): Resource => ({ obj: {}, prov, origin: { file: 'f.yaml', layer: stepLayer('resource') } });
    const rc = r(compact);
    const rm = r(model);
    for (let step = 0; step < 40; step++) {
      const i = rand(10);
      const j = rand(10);
      const op = rand(7);
      const tag = `${round}.${step}`;
      for (const x of [rc, rm]) {
        if (op === 0) pushWrite(x.prov, `/spec/items/${i}/value`, w(tag));
        else if (op === 1) moveSubtree(x.prov, `/spec/items/${i}`, `/spec/items/${j}`);
        else if (op === 2) copySubtree(x.prov, `/spec/items/${i}`, `/spec/items/${j}`);
        else if (op === 3) dropSubtree(x.prov, `/spec/items/${i}`);
        else if (op === 4) reindexList(x.prov, '/spec/items', (k: number) => (k === i ? undefined : k > i ? k - 1 : k));
        else if (op === 5) reindexList(x.prov, '/spec/items', (k: number) => (k >= i ? k + 1 : k));
        else writeProvenance(x, `/spec/items/${i}`, { name: tag }, { file: 'p.yaml', layer: stepLayer('resource') });
      }
      assert.deepEqual(flat(rc.prov), flat(rm.prov), `round ${round} step ${step} op ${op}`);
      assert.equal(rc.prov.size, rm.prov.size);
      for (const k of rm.prov.keys()) assert.ok(rc.prov.has(k));
    }
  }
});
