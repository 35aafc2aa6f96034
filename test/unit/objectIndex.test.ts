// The link's index of objects by kind and name (core/link/objectIndex.ts): a long list of one name's objects is looked
// up by namespace, with the same answers, in the same order, as filtering the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectIndex, type IndexedObject } from '../../server/src/core/link/objectIndex';
import type { ObjectFact } from '../../server/src/core/facts';

function object(file: string, namespaces: Array<string | undefined>, name = 'web'): IndexedObject {
  const fact = { owner: { file, doc: 0 }, apiVersion: 'v1', kind: 'ConfigMap', name, nameSpan: { start: 0, end: 0 }, span: { start: 0, end: 0 } } as ObjectFact;
  return { fact, namespaces: new Set(namespaces) };
}

test("a long list of one name's objects answers by namespace as the filtered list, in its order, also after more are added", () => {
  const index = new ObjectIndex();
  const files = (hits: IndexedObject[]) => hits.map((h) => h.fact.owner.file);
  for (let i = 0; i < 20; i++) index.add(object(`t${i}.yaml`, [`tenant-${i % 10}`]));
  index.add(object('unknown.yaml', [undefined]));
  index.add(object('templated.yaml', ['${ns}']));
  index.add(object('two.yaml', ['tenant-3', 'tenant-4']));
  index.add(object('other.yaml', ['tenant-3'], 'api'));
  assert.deepEqual(files(index.find(['ConfigMap'], 'web', 'tenant-3')), ['t3.yaml', 't13.yaml', 'unknown.yaml', 'templated.yaml', 'two.yaml']);
  assert.deepEqual(files(index.find(['ConfigMap'], 'web', 'nowhere')), ['unknown.yaml', 'templated.yaml']);
  assert.equal(index.find(['ConfigMap'], 'web', undefined).length, 23);
  index.add(object('late.yaml', ['tenant-3']));
  assert.deepEqual(files(index.find(['ConfigMap'], 'web', 'tenant-3')), ['t3.yaml', 't13.yaml', 'unknown.yaml', 'templated.yaml', 'two.yaml', 'late.yaml']);
  assert.deepEqual(files(index.find(['ConfigMap'], 'api', 'tenant-3')), ['other.yaml']);
});
