// A fixed-seed slice of the hostile-input fuzzer (test/helpers/fuzz.ts; `npm run fuzz -- --cases N --seed S` runs
// more): mutated fixture files through the real CLI and server, which must answer, exit 0/1 with JSON, never crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz, caseOf, MUTATIONS } from '../helpers/fuzz';

test('the fuzzer is replayable: a case is the same fixture, file, mutation and bytes for the same seed and index', () => {
  const a = caseOf(7, 3);
  const b = caseOf(7, 3);
  assert.deepEqual([a.fixture, a.rel, a.mutation.name, a.bytes.toString('base64')], [b.fixture, b.rel, b.mutation.name, b.bytes.toString('base64')]);
  assert.ok(MUTATIONS.length >= 12);
});

test('fuzz slice (seed 20240601, 24 cases; case 16 is a NUL byte in a deployed kustomization.yaml, which killed the CLI): the CLI and the server survive hostile input', async () => {
  const report = await runFuzz({ cases: 24, seed: 20240601, log: () => undefined });
  assert.equal(report.cases, 24);
  assert.deepEqual(report.failures, []);
});
