// CompactProvenance (core/kustomize/compactProvenance.ts) holds a stack of one write as the write itself: it must read
// as the Map it stands for (entries, size, order after deletes and re-sets, short and indexed lengths alike), give
// back each write itself and each longer stack as set, and a patch must leave the map it read from as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactProvenance } from '../../../server/src/core/kustomize/compactProvenance';
import { copyProvenance, PointerTable, type ProvenanceWrite } from '../../../server/src/core/kustomize/provenance';
import { loadManifests } from '../../../server/src/core/kustomize/load';
import { strategicMerge } from '../../../server/src/core/kustomize/strategicMerge';
import { applyJsonPatch } from '../../../server/src/core/kustomize/jsonPatch';
import { stepLayer } from '../../../server/src/core/layer';

const w = (value: string): ProvenanceWrite => ({ file: 'f.yaml', layer: stepLayer('resource'), value });

test('a compact map reads as a Map through sets, deletes and re-sets, short or indexed', () => {
  let seed = 11;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  for (const width of [6, 40]) {
    const keys = Array.from({ length: width }, (_, i) => `/k${i}`);
    const table = new PointerTable();
    for (let round = 0; round < 30; round++) {
      // Half the rounds start from a shape shared with a sibling map (PointerTable.list), which must never change.
      const start: Array<[string, ProvenanceWrite[]]> = round % 2 ? keys.slice(0, width / 2).map((k) => [k, [w(k)]]) : [];
      const map = new CompactProvenance(start).sharePointers(table);
      const sibling = new CompactProvenance(start).sharePointers(table);
      const siblingBefore = [...sibling];
      const model = new Map(start);
      for (let step = 0; step < 120; step++) {
        const k = keys[rand(keys.length)];
        const op = rand(6);
        if (op < 3) {
          // stacks of one write and of several
          const v = op === 0 ? [w(`${k}@${step}`), w(`${k}#${step}`)] : [w(`${k}@${step}`)];
          map.set(k, v);
          model.set(k, v);
        } else if (op < 5) {
          assert.equal(map.delete(k), model.delete(k), `delete ${k}`);
        } else if (rand(10) === 0) {
          map.clear();
          model.clear();
        }
        assert.deepEqual([...map], [...model], `width ${width} round ${round} step ${step}`);
        assert.deepEqual([...map.keys()], [...model.keys()]);
        assert.deepEqual([...map.values()], [...model.values()]);
        const each: Array<[string, ProvenanceWrite[]]> = [];
        map.forEach((v, key, m) => (assert.equal(m, map), each.push([key, v])));
        assert.deepEqual(each, [...model]);
        assert.equal(map.size, model.size);
        for (const key of keys) {
          assert.equal(map.has(key), model.has(key));
          const got = map.get(key);
          const want = model.get(key);
          if (!want) assert.equal(got, undefined);
          // a stack of several is the array set; a stack of one holds the very write set
          else if (want.length > 1) assert.equal(got, want);
          else assert.ok(got!.length === 1 && got![0] === want[0], key);
        }
      }
      assert.deepEqual([...sibling], siblingBefore, 'a map of the same shape is untouched');
    }
  }
});

test('a stack of one write and a stack of several read back the same through get, forEach and entries', () => {
  const one = w('one');
  const several = [w('a'), w('b'), w('c')];
  const map = new CompactProvenance([
    ['/one', one],
    ['/several', several],
  ]);
  assert.deepEqual(map.get('/one'), [one]);
  assert.equal(map.get('/one')![0], one);
  assert.equal(map.get('/several'), several);
  assert.deepEqual([...map.entries()], [['/one', [one]], ['/several', several]]);
  map.set('/several', [several[0]]);
  assert.equal(map.get('/several')![0], several[0]);
  assert.equal(map.get('/several')!.length, 1);
});

test('deleting while iterating skips what is deleted, as a Map does', () => {
  const keys = Array.from({ length: 30 }, (_, i) => `/k${i}`);
  const map = new CompactProvenance(keys.map((k) => [k, w(k)] as const));
  const model = new Map(keys.map((k) => [k, [map.get(k)![0]]]));
  const seen: string[] = [];
  const seenModel: string[] = [];
  map.forEach((_, k) => (seen.push(k), map.delete(keys[keys.indexOf(k) + 1] ?? '')));
  model.forEach((_, k) => (seenModel.push(k), model.delete(keys[keys.indexOf(k) + 1] ?? '')));
  assert.deepEqual(seen, seenModel);
  assert.deepEqual([...map.keys()], [...model.keys()]);
});

test('a loaded document keeps its writes compact, and a patch of a copy leaves the copied map as it was', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:1\n';
  const [r] = loadManifests(text, 'base/deploy.yaml', stepLayer('resource')).resources;
  assert.ok(r.prov instanceof CompactProvenance);
  const image = r.prov.get('/spec/template/spec/containers/0/image')!;
  assert.equal(image.length, 1);
  assert.equal(image[0].value, 'web:1');
  assert.deepEqual(image[0].span, { start: text.indexOf('web:1'), end: text.indexOf('web:1') + 5 });
  const before = [...r.prov].map(([k, s]) => [k, [...s]]);
  const copy = { obj: structuredClone(r.obj), prov: copyProvenance(r.prov), origin: r.origin };
  const patch = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } };
  assert.ok(strategicMerge(copy, patch, () => ({ file: 'overlay/patch.yaml', layer: stepLayer('patches') })));
  assert.deepEqual([...r.prov].map(([k, s]) => [k, [...s]]), before, 'the copied map is unchanged');
  assert.deepEqual(copy.prov.get('/spec/replicas')!.map((x) => x.value), [1, 3]);
  assert.equal(copy.prov.get('/spec/template/spec/containers/0/image')![0], image[0], 'a leaf the patch did not reach keeps its write');
  // A JSON 6902 patch of another copy: the same.
  const other = { obj: structuredClone(r.obj), prov: copyProvenance(r.prov), origin: r.origin };
  applyJsonPatch(other, [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'web:2' }], () => ({ file: 'overlay/json.yaml', layer: stepLayer('patches') }));
  assert.deepEqual([...r.prov].map(([k, s]) => [k, [...s]]), before, 'the copied map is unchanged');
  assert.deepEqual(other.prov.get('/spec/template/spec/containers/0/image')!.map((x) => x.value), ['web:1', 'web:2']);
});

test('documents of one shape loaded by one build share their list of pointers, each its own writes', () => {
  const doc = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;
  const table = new PointerTable();
  const text = `${doc('one')}---\n${doc('two')}`;
  const [one, two] = loadManifests(text, 'cm.yaml', stepLayer('resource'), undefined, undefined, table).resources;
  assert.ok(one.prov instanceof CompactProvenance && two.prov instanceof CompactProvenance);
  assert.equal(one.prov['pointers'], two.prov['pointers'], 'one shared list');
  assert.equal(one.prov.get('/metadata/name')![0].value, 'one');
  assert.equal(two.prov.get('/metadata/name')![0].value, 'two');
  one.prov.set('/metadata/namespace', [w('ns')]);
  one.prov.delete('/data/a');
  assert.deepEqual([...one.prov.keys()], ['/apiVersion', '/kind', '/metadata/name', '/metadata/namespace']);
  assert.deepEqual([...two.prov.keys()], ['/apiVersion', '/kind', '/metadata/name', '/data/a'], 'the other map keeps the shared list');
});
