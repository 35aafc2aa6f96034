// core/paths.ts: resolvePath joins the common case without normalising again, and answers as path.posix.resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolvePath } from '../../server/src/core/paths';

test('resolvePath answers as path.posix.resolve, whichever way it takes', () => {
  const froms = ['/', '/a', '/a/b', '/a/b/', '/a//b', '/a/./b', '/a/../b', '/a/.hidden', '/a/..b', '/a/b.'];
  const tos = ['', '.', '..', 'x', 'x/y', 'x/', './x', '../x', 'x/../y', 'x//y', 'x/./y', '/abs', '/abs/../z', '.hidden', '..x', 'x..', 'x/.y', 'https:/x'];
  for (const from of froms) for (const to of tos) assert.equal(resolvePath(from, to), path.posix.resolve(from, to), `${from} + ${to}`);
  assert.equal(resolvePath('/a', 'b', '../c'), path.posix.resolve('/a', 'b', '../c'));
  assert.equal(resolvePath('/a'), '/a');
});
