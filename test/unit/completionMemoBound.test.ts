// Completion's answers per file (variables in scope, effective values, values feeds) are kept for the last files
// completed in, not for every file of a session: the soak (a person moving between files for hours) grew by them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';
import { valuesFeeds } from '../../server/src/features/completionFleet';

test('the completion memo keeps the answers of a bounded number of files, and answers the same once dropped', () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/kustomize'));
  const files = [...fleet.facts.keys()];
  assert.ok(files.length > 64, `files: ${files.length}`);
  const first = JSON.stringify(valuesFeeds(fleet, files[0]));
  for (const f of files) valuesFeeds(fleet, f);
  assert.ok(fleet.db.stats().completionMemo.size <= 64, `entries kept: ${fleet.db.stats().completionMemo.size} of ${files.length} files`);
  assert.equal(JSON.stringify(valuesFeeds(fleet, files[0])), first);
});
