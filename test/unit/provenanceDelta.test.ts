// What a substitution copy's delta keeps (provenanceDelta.ts): the pointers written into the copy, in the order
// written. Most copies write one pointer: the delta holds it as itself, not a list of one (issue 12: kept for the whole
// check, 5,000 of them on the synthetic fleet); more are held in a list of the delta's own, exactly as long, that
// later pushes to the writer's list do not change. Readers get the same list either way (writtenPointers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FleetDb } from '../../server/src/db/fleetDb';
import { provenanceDelta, recordCopy, writtenPointers } from '../../server/src/core/evaluate/provenanceDelta';
import type { ProvenanceMap } from '../../server/src/core/kustomize/types';

test('a copy that wrote one pointer keeps the pointer itself; readers see a list of it', () => {
  const db = new FleetDb();
  const base: ProvenanceMap = new Map();
  const copy: ProvenanceMap = new Map();
  recordCopy(db, copy, base, ['/data/name']);
  const delta = provenanceDelta(db, copy)!;
  assert.equal(delta.base, base);
  assert.equal(delta.changed, '/data/name');
  assert.deepEqual(writtenPointers(delta), ['/data/name']);
});

test('a copy that wrote several pointers keeps its own list, in the order written', () => {
  const db = new FleetDb();
  const base: ProvenanceMap = new Map();
  const copy: ProvenanceMap = new Map();
  const written = ['/b', '/a'];
  recordCopy(db, copy, base, written);
  written.push('/c');
  const delta = provenanceDelta(db, copy)!;
  assert.ok(Array.isArray(delta.changed));
  assert.deepEqual(writtenPointers(delta), ['/b', '/a']);
  assert.equal(provenanceDelta(db, new Map()), undefined);
});
