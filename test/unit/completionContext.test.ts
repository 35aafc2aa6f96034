// The cursor's YAML path while typing (features/completionContext.ts): from indentation, so half-written lines work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorContext } from '../../server/src/features/completionContext';
import { snippetToPlainText } from '../../server/src/features/completion';

function at(withCursor: string) {
  const offset = withCursor.indexOf('$0');
  const text = withCursor.replace('$0', '');
  const c = cursorContext(text, offset);
  return c && { path: c.path, mode: c.mode, prefix: c.prefix, replaced: text.slice(c.span.start, c.span.end), docIndex: c.docIndex, quote: c.quote, item: c.inSequenceItem, variable: c.variable?.prefix };
}

test('value of a key, deep in maps and sequences', () => {
  assert.deepEqual(at('a:\n  b:\n    - c: 1\n      d: fo$0o\n'), { path: ['a', 'b', 0, 'd'], mode: 'value', prefix: 'fo', replaced: 'foo', docIndex: 0, quote: undefined, item: false, variable: undefined });
  assert.deepEqual(at('spec:\n  sourceRef:\n    kind: Git$0')?.path, ['spec', 'sourceRef', 'kind']);
});

test('sequence items: scalars and the first key of a map item, with their index', () => {
  assert.deepEqual(at('resources:\n- a.yaml\n- b.yaml\n- ../$0\n'), { path: ['resources', 2], mode: 'value', prefix: '../', replaced: '../', docIndex: 0, quote: undefined, item: true, variable: undefined });
  assert.deepEqual(at('resources:\n  - a.yaml\n  - $0')?.path, ['resources', 1]);
  assert.deepEqual(at('spec:\n  dependsOn:\n    - name: a\n    - name: $0')?.path, ['spec', 'dependsOn', 1, 'name']);
});

test('a key being written: the map it is in, siblings above and below it', () => {
  assert.deepEqual(at('spec:\n  interval: 1m\n  pr$0\n  path: ./x\n'), { path: ['spec'], mode: 'key', prefix: 'pr', replaced: 'pr', docIndex: 0, quote: undefined, item: false, variable: undefined });
  assert.deepEqual(at('spec:\n  dependsOn:\n    - name: a\n      $0\n')?.path, ['spec', 'dependsOn', 0]);
  assert.deepEqual(at('spec:\n  postBuild:\n    substituteFrom:\n      -\n        na$0')?.path, ['spec', 'postBuild', 'substituteFrom', 0]);
  assert.deepEqual(at('$0')?.path, []);
  assert.deepEqual(at('apiVersion: v1\nki$0')?.mode, 'key');
});

test('the document holding the cursor; what it says around the cursor', () => {
  const c = at('apiVersion: v1\nkind: A\n---\napiVersion: v2\nkind: B\nspec:\n  x: $0\n');
  assert.deepEqual([c?.path, c?.docIndex], [['spec', 'x'], 1]);
  const leading = at('---\napiVersion: v2\nspec:\n  x: $0\n');
  assert.equal(leading?.docIndex, 0);
  const text = 'apiVersion: v1\nkind: A\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  chart:\n    spec:\n      chart: we\n';
  const ctx = cursorContext(text, text.length - 1);
  assert.deepEqual((ctx?.value as { kind: string }).kind, 'HelmRelease');
});

test('quoted values: the word inside the quotes is replaced', () => {
  assert.deepEqual(at('metadata:\n  name: "we$0b"\n'), { path: ['metadata', 'name'], mode: 'value', prefix: 'we', replaced: 'web', docIndex: 0, quote: '"', item: false, variable: undefined });
});

test('no context in comments and block scalars; ${ is a variable anywhere in a value', () => {
  assert.equal(at('spec:\n  # a comm$0ent\n'), undefined);
  assert.equal(at('spec:\n  patch: |\n    - op: $0\n'), undefined);
  assert.equal(at('data:\n  script: |\n    echo ${HO$0\n')?.variable, 'HO');
  assert.equal(at('metadata:\n  name: web-${clu$0}\n')?.variable, 'clu');
  assert.equal(at('metadata:\n  name: web-$${clu$0}\n')?.variable, undefined);
});

test('broken YAML elsewhere in the document does not stop it', () => {
  const c = at('apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  interval: [\n  sourceRef:\n    kind: GitRepository\n    name: $0\n');
  assert.deepEqual(c?.path, ['spec', 'sourceRef', 'name']);
});

test('snippets as plain text for clients without snippet support', () => {
  assert.equal(snippetToPlainText('prune: ${1|true,false|}'), 'prune: true');
  assert.equal(snippetToPlainText('name: ${7:${1:app}-values}\n  $0'), 'name: app-values\n  ');
  assert.equal(snippetToPlainText('interval: $0'), 'interval: ');
});

test('CRLF line ends: the same paths, modes and words as with LF', () => {
  for (const lf of ['a:\n  b:\n    - c: 1\n      d: fo$0o\n', 'spec:\n  interval: 1m\n\n  pr$0\n  path: ./x\n', 'resources:\n- a.yaml\n- b.yaml\n- ../$0\n', 'apiVersion: v1\nkind: A\n---\napiVersion: v2\n# note\nspec:\n  x: $0\n', '# c\n---\nspec:\n  x: $0\n']) {
    assert.deepEqual(at(lf.replace(/\n/g, '\r\n')), at(lf), JSON.stringify(lf));
  }
});

test('U+2028, U+2029 and U+0085 above the cursor are characters, not line breaks (YAML 1.2)', () => {
  for (const ch of ['\u2028', '\u2029', '\u0085']) {
    const c = at(`metadata:\n  annotations:\n    note: "a${ch}b"\n    desc: x${ch}---\n  name: we$0\n`);
    assert.deepEqual([c?.path, c?.mode, c?.prefix, c?.docIndex], [['metadata', 'name'], 'value', 'we', 0], JSON.stringify(ch));
  }
});

test('items nested on one line (`- - x`): one path segment per dash, no recursion per dash (10,000 dashes: fuzz seed 7 case 169)', () => {
  assert.deepEqual(at('list:\n- - - x$0\n')?.path, ['list', 0, 0, 0]);
  assert.doesNotThrow(() => at('list:\n' + '- '.repeat(10000) + 'x$0\n'));
  assert.equal(at('list:\n' + '- '.repeat(10000) + 'x$0\n')?.path, undefined, 'deeper than the parse reads: nothing to complete');
});
