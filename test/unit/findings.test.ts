// Every finding code on the project's own fixtures, with exact positions, and none on the healthy fleet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet, findingLines, spanText } from '../helpers/fixture';

const fixtures = path.resolve(__dirname, '../fixtures');

test('the healthy fleet has no findings', () => {
  const dir = path.join(fixtures, 'fleet');
  const fleet = loadFleet(dir);
  assert.deepEqual(findingLines(fleet, dir), []);
});

test('the broken fleet reports each finding once, on the offending value', () => {
  const dir = path.join(fixtures, 'broken');
  const fleet = loadFleet(dir);
  assert.deepEqual(findingLines(fleet, dir), [
    'dependency-cycle platform/clusters/prod/dependency-cycle.yaml:24:13',
    'dependency-cycle platform/clusters/prod/dependency-cycle.yaml:9:13',
    'duplicate-object platform/duplicate/two.yaml:4:9',
    'empty-prune-path platform/clusters/prod/empty-prune-path.yaml:8:9',
    'include-cycle platform/loop/a/kustomization.yaml:4:5',
    'include-cycle platform/loop/b/kustomization.yaml:4:5',
    'object-not-found platform/clusters/prod/object-not-found.yaml:17:13',
    'outside-root platform/apps/prod/kustomization.yaml:7:5',
    'path-not-found platform/apps/prod/kustomization.yaml:5:5',
    'path-not-found platform/clusters/prod/path-not-found.yaml:8:9',
    'remote-base-not-mapped platform/apps/prod/kustomization.yaml:6:5',
    'source-not-found platform/clusters/prod/source-not-found.yaml:12:11',
    'source-not-mapped platform/clusters/prod/source-not-mapped.yaml:23:11',
    'yaml-syntax platform/yaml-syntax.yaml:6:1',
  ]);
  const byCode = (code: string) => fleet.links.findings.filter((f) => f.code === code);
  const text = (code: string) => byCode(code).map((f) => spanText(fleet, f.file, f.span));
  assert.deepEqual(text('path-not-found').sort(), ['../bsae', './apps/prdo']);
  assert.deepEqual(text('source-not-found'), ['flux-sytem']);
  assert.deepEqual(text('object-not-found'), ['web-valeus']);
  assert.deepEqual(text('empty-prune-path'), ['./apps/empty']);
  assert.deepEqual(byCode('source-not-mapped').map((f) => f.severity), ['information']);
  assert.match(byCode('source-not-mapped')[0].message, /https:\/\/github\.com\/other-org\/elsewhere/);
  assert.deepEqual(byCode('remote-base-not-mapped').map((f) => f.severity), ['information']);
  assert.deepEqual(byCode('outside-root').map((f) => f.severity), ['warning']);
  assert.deepEqual(byCode('object-not-found').map((f) => f.severity), ['warning']);
  // Related information points at the other end.
  const dup = byCode('duplicate-object')[0];
  assert.equal(path.basename(dup.related![0].file), 'one.yaml');
  assert.equal(spanText(fleet, dup.related![0].file, dup.related![0].span), 'settings');
  const cycle = byCode('dependency-cycle')[0];
  assert.ok(cycle.related?.length, 'a dependency cycle points at the object that closes it');
  const fluxPath = byCode('path-not-found').find((f) => f.file.endsWith('path-not-found.yaml'))!;
  assert.match(fluxPath.message, /prune: true/);
  assert.equal(path.basename(fluxPath.related![0].file), 'sync.yaml', 'points at the source whose folder was searched');
  assert.equal(spanText(fleet, fluxPath.related![0].file, fluxPath.related![0].span), 'flux-system');
});
