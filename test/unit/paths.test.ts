// core/paths.ts: resolvePath and relative take the common case without normalising again, and answer as path.posix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { relative, relativeFrom, resolvePath } from '../../server/src/core/paths';

test('resolvePath answers as path.posix.resolve, whichever way it takes', () => {
  const froms = ['/', '/a', '/a/b', '/a/b/', '/a//b', '/a/./b', '/a/../b', '/a/.hidden', '/a/..b', '/a/b.'];
  const tos = ['', '.', '..', 'x', 'x/y', 'x/', './x', '../x', 'x/../y', 'x//y', 'x/./y', '/abs', '/abs/../z', '.hidden', '..x', 'x..', 'x/.y', 'https:/x'];
  for (const from of froms) for (const to of tos) assert.equal(resolvePath(from, to), path.posix.resolve(from, to), `${from} + ${to}`);
  assert.equal(resolvePath('/a', 'b', '../c'), path.posix.resolve('/a', 'b', '../c'));
  assert.equal(resolvePath('/a'), '/a');
});

test('relative answers as path.posix.relative, whichever way it takes', () => {
  const paths = ['/', '/a', '/a/', '/a/b', '/a/b/', '/a/b/c', '/a/bc', '/a//b/c', '/a/./b/c', '/a/x/../b/c', '/a/b/c/', '/a/b/./c', '/a/b/../c', '/ab/c', '/a/.b', '/a/b/.c', '/a/b/..c', 'a/b', 'a/b/c', ''];
  for (const from of paths) for (const to of paths) assert.equal(relative(from, to), path.posix.relative(from, to), `${from} → ${to}`);
});

test('relativeFrom(root) answers as relative(root, p) for every path', () => {
  const roots = ['/a', '/a/', '/a/b', '/a/./b', '/a/../b', '/', 'a/b', '/a//b', '/a/b/..'];
  const paths = ['/a', '/a/', '/a/b', '/a/b/c.yaml', '/a/b/../c', '/a/b/./c', '/a/bc/d', '/ab/c', '/a//b/c', '/x/y', '/a/b/', 'a/b/c', '/'];
  for (const root of roots) {
    const rel = relativeFrom(root);
    for (const p of paths) assert.equal(rel(p), relative(root, p), `${root} ${p}`);
  }
});
