// filesOf: the folder builds of a fleet's overlays hold their own objects with the base's provenance maps, and a
// value hover asks the files of ~100 of them per context; each map's files are found once and shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FleetDb } from '../../server/src/db/fleetDb';
import { filesOf } from '../../server/src/core/evaluate/contexts';
import { stepLayer } from '../../server/src/core/layer';
import type { Json, Provenance, ProvenanceMap, Removal, Resource } from '../../server/src/core/kustomize/types';

const write = (file: string, value: Json): Provenance & { value: Json } => ({ file, layer: stepLayer('resource'), value });
const resource = (prov: ProvenanceMap, origin: string, removed?: Map<string, Removal>): Resource => ({ obj: { kind: 'ConfigMap' }, prov, origin: { file: origin, layer: stepLayer('resource') }, ...(removed ? { removed } : {}) });

test('objects holding one provenance map share its file set; an origin written elsewhere or a removal makes their own', () => {
  const db = new FleetDb();
  const base: ProvenanceMap = new Map([
    ['/kind', [write('base/cm.yaml', 'ConfigMap')]],
    ['/data/a', [write('base/cm.yaml', '1'), write('overlay/patch.yaml', '2')]],
    ['/data/b', [write('base/values.yaml', '3')]],
  ]);
  const inOverlayA = resource(base, 'base/cm.yaml');
  const inOverlayB = resource(base, 'base/cm.yaml');
  assert.deepEqual([...filesOf(db, inOverlayA)], ['base/cm.yaml', 'overlay/patch.yaml', 'base/values.yaml']);
  assert.equal(filesOf(db, inOverlayB), filesOf(db, inOverlayA), 'the map\'s files were found again for another object holding it');

  // An origin that wrote no leaf comes first, as it always did; the shared set is not changed by it.
  const generated = resource(base, 'kustomization.yaml');
  assert.deepEqual([...filesOf(db, generated)], ['kustomization.yaml', 'base/cm.yaml', 'overlay/patch.yaml', 'base/values.yaml']);
  // A patch that only deletes wrote into the object too, and only into this one.
  const removal: Removal = { ...write('overlay/delete.yaml', null), prov: new Map() };
  const trimmed = resource(base, 'base/cm.yaml', new Map([['/data/c', removal]]));
  assert.deepEqual([...filesOf(db, trimmed)], ['base/cm.yaml', 'overlay/patch.yaml', 'base/values.yaml', 'overlay/delete.yaml']);
  assert.deepEqual([...filesOf(db, inOverlayA)], ['base/cm.yaml', 'overlay/patch.yaml', 'base/values.yaml']);
});
