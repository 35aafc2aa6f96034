// evaluate/objectsByName.ts: the first object of a build with a kind and name that a test accepts, as a scan of the
// list finds it (in order), indexed once per resource list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FleetDb } from '../../server/src/db/fleetDb';
import { objectNamed } from '../../server/src/core/evaluate/objectsByName';
import type { Fleet } from '../../server/src/core/model';
import type { JsonObject, Resource } from '../../server/src/core/kustomize/types';
import { stepLayer } from '../../server/src/core/layer';

const res = (obj: JsonObject): Resource => ({ obj, prov: new Map(), origin: { file: 'x.yaml', layer: stepLayer('resource') } });

test('objects by kind and name: the first match a test accepts, in build order, as a scan finds it; one index per resource list', () => {
  const fleet = { db: new FleetDb() } as unknown as Fleet;
  const build = [
    res({ kind: 'ConfigMap', metadata: { name: 'vars', namespace: 'a' } }),
    res({ kind: 'Secret', metadata: { name: 'vars' } }),
    res({ kind: 'ConfigMap', metadata: { name: 'other' } }),
    res({ kind: 'ConfigMap', metadata: { name: 'vars', namespace: 'b' } }),
    res({ kind: 'ConfigMap', metadata: { name: 7 } }), // a name that is not a string reads as ''
    res({ kind: 5, metadata: { name: 'vars' } }), // a kind that is not a string is never a ConfigMap
    res({ kind: 'ConfigMap' }),
    res({ kind: 'Deployment', metadata: { name: 'vars' } }),
    res({ kind: 'GitRepository', metadata: { name: 'vars' } }),
  ];
  const nameOf = (r: Resource) => {
    const name = (r.obj.metadata as JsonObject | undefined)?.name;
    return typeof name === 'string' ? name : '';
  };
  const scan = (kind: string, name: string, accept: (r: Resource) => boolean) => build.find((r) => r.obj.kind === kind && nameOf(r) === name && accept(r));
  const namespaceIs = (ns: string | undefined) => (r: Resource) => (r.obj.metadata as JsonObject | undefined)?.namespace === ns;
  const tests: Array<[string, (r: Resource) => boolean]> = [['any', () => true], ['none', () => false], ['in a', namespaceIs('a')], ['in b', namespaceIs('b')], ['no namespace', namespaceIs(undefined)]];
  let lookups = 0;
  for (const [kind, name] of [['ConfigMap', 'vars'], ['Secret', 'vars'], ['ConfigMap', ''], ['ConfigMap', 'missing'], ['GitRepository', 'vars'], ['5', 'vars'], ['Deployment', 'vars'], ['Deployment', 'x']] as const) {
    for (const [label, accept] of tests) {
      assert.equal(objectNamed(fleet, build, kind, name, accept), scan(kind, name, accept), `${kind} ${name} ${label}`);
      if (kind !== 'Deployment' && kind !== '5') lookups++;
    }
  }
  // Two objects of one kind and name: the first the test accepts, in build order.
  assert.equal(objectNamed(fleet, build, 'ConfigMap', 'vars', () => true), build[0]);
  assert.equal(objectNamed(fleet, build, 'ConfigMap', 'vars', namespaceIs('b')), build[3]);
  assert.equal(objectNamed(fleet, build, 'ConfigMap', '', namespaceIs(undefined)), build[4]);
  lookups += 3;
  // Kinds no lookup of the evaluation asks for are scanned: the index holds only the kinds looked up.
  assert.deepEqual(fleet.db.stats().objectsByName, { hits: lookups - 1, misses: 1, size: 1 });
  // Keyed by the objects' own names (of the indexed kinds only): one object, or the objects of one name in order.
  const index = fleet.db.weak<readonly Resource[], Map<string, Resource | Resource[]>>('objectsByName').get(build)!;
  assert.deepEqual([...index.keys()].sort(), ['', 'other', 'vars']);
  assert.deepEqual(index.get('vars'), [build[0], build[1], build[3], build[8]]);
  assert.equal(index.get('other'), build[2]);
});
