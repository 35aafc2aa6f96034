// What the editor keeps while a person moves between files for hours (the soak): completion's answers for the last
// files completed in, not every file of the session; folder and inner builds for about the files in use, a whole
// check holding more while it runs (every context is built once) and giving the editor's bound back after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';
import { valuesFeeds } from '../../server/src/features/completionFleet';
import { evaluatorOf } from '../../server/src/core/evaluate/contexts';

test('the completion memo keeps the answers of a bounded number of files, and answers the same once dropped', () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/kustomize'));
  const files = [...fleet.facts.keys()];
  assert.ok(files.length > 64, `files: ${files.length}`);
  const first = JSON.stringify(valuesFeeds(fleet, files[0]));
  for (const f of files) valuesFeeds(fleet, f);
  assert.ok(fleet.db.stats().completionMemo.size <= 64, `entries kept: ${fleet.db.stats().completionMemo.size} of ${files.length} files`);
  assert.equal(JSON.stringify(valuesFeeds(fleet, files[0])), first);
});

test('folder and inner builds: the editor keeps fewer than a whole check, which gives the bound back after', () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/fleet'));
  const bounds = () => [fleet.db.lru('folderBuild').lru.max, fleet.db.lru('innerBuild').lru.max];
  const [folders, inner] = bounds();
  const [checkFolders, checkInner] = evaluatorOf(fleet).forWholeFleet(bounds);
  assert.ok(folders <= 28_000 && folders < checkFolders, `folder builds' resources: editor ${folders}, check ${checkFolders}`);
  assert.ok(inner <= 7_000 && inner < checkInner, `inner builds' resources: editor ${inner}, check ${checkInner}`);
  assert.deepEqual(bounds(), [folders, inner]);
});
