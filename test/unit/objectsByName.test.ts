// evaluate/objectsByName.ts: the objects of a build by kind and name, as a scan of the list finds them (in order),
// indexed once per resource list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FleetDb } from '../../server/src/db/fleetDb';
import { objectsNamed } from '../../server/src/core/evaluate/objectsByName';
import type { Fleet } from '../../server/src/core/model';
import type { JsonObject, Resource } from '../../server/src/core/kustomize/types';
import { stepLayer } from '../../server/src/core/layer';

const res = (obj: JsonObject): Resource => ({ obj, prov: new Map(), origin: { file: 'x.yaml', layer: stepLayer('resource') } });

test('objects by kind and name: every match in build order, as a scan finds them; one index per resource list', () => {
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
  const scan = (kind: string, name: string) => build.filter((r) => r.obj.kind === kind && nameOf(r) === name);
  for (const [kind, name] of [['ConfigMap', 'vars'], ['Secret', 'vars'], ['ConfigMap', ''], ['ConfigMap', 'missing'], ['GitRepository', 'vars'], ['5', 'vars'], ['Deployment', 'vars'], ['Deployment', 'x']] as const) {
    assert.deepEqual(objectsNamed(fleet, build, kind, name), scan(kind, name), `${kind} ${name}`);
  }
  assert.deepEqual(objectsNamed(fleet, build, 'ConfigMap', 'vars').map((r) => (r.obj.metadata as JsonObject).namespace), ['a', 'b']);
  assert.equal(objectsNamed(fleet, build, 'ConfigMap', '').length, 2);
  // Kinds no lookup of the evaluation asks for are scanned: the index holds only the kinds looked up.
  assert.deepEqual(fleet.db.stats().objectsByName, { hits: 6, misses: 1, size: 1 });
  const index = fleet.db.weak<readonly Resource[], Map<string, Resource[]>>('objectsByName').get(build)!;
  assert.deepEqual([...index.keys()].sort(), ['ConfigMap\0', 'ConfigMap\0other', 'ConfigMap\0vars', 'GitRepository\0vars', 'Secret\0vars']);
});
