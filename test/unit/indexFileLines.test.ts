// A file's facts make its line starts when first asked for (core/indexFile.ts Facts): the index keeps facts for every
// file of a fleet and asks for the lines of few. Asked for, they are the text's; they are no own key of the facts
// (their JSON, linkShape and copies are as before), whose own keys keep their order. Their empty lists are one frozen
// array all files share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyFacts, indexFile } from '../../server/src/core/indexFile';
import { computeLineStarts } from '../../server/src/core/text';
import { linkShape } from '../../server/src/core/linkShape';

const TEXT = 'apiVersion: v1\nkind: ConfigMap\r\nmetadata:\n  name: a\n  namespace: b\n';

test('line starts: made when asked for, the same array after, equal to the text’s', () => {
  const facts = indexFile('/r/a.yaml', TEXT);
  assert.deepEqual(facts.lineStarts, computeLineStarts(TEXT));
  assert.deepEqual(facts.lineStarts, [0, 15, 32, 42, 52, 67]);
  assert.equal(facts.lineStarts, facts.lineStarts);
  assert.deepEqual(emptyFacts('/r/b.yaml', '', 'binary').lineStarts, [0]);
});

test('line starts are no own key: the own keys in the order the facts always had, their JSON without lines', () => {
  const facts = indexFile('/r/a.yaml', TEXT);
  assert.deepEqual(Object.keys(facts).slice(0, 8), ['file', 'text', 'skipped', 'syntaxErrors', 'objects', 'objectRefs', 'fluxKustomizations', 'sources']);
  assert.ok(!Object.keys(facts).includes('lineStarts'));
  const asked = indexFile('/r/a.yaml', TEXT);
  void asked.lineStarts;
  assert.equal(JSON.stringify(asked), JSON.stringify(facts));
  assert.equal(linkShape(asked), linkShape(facts));
  assert.equal(facts.objects[0].name, 'a');
});

test('empty lists are one frozen array all facts share; the others exact copies of what the index found', () => {
  const a = indexFile('/r/a.yaml', TEXT);
  const b = indexFile('/r/kustomization.yaml', 'resources:\n- a.yaml\n');
  for (const k of ['syntaxErrors', 'objectRefs', 'fluxKustomizations', 'sources'] as const) {
    assert.equal(a[k], b[k], k);
    assert.ok(Object.isFrozen(a[k]) && a[k].length === 0, k);
  }
  assert.equal(b.objects, a.syntaxErrors);
  assert.equal(a.objects.length, 1);
  assert.ok(!Object.isFrozen(a.objects));
  assert.deepEqual(b.kustomize?.paths.map((p) => p.value), ['a.yaml']);
  assert.equal(indexFile('/r/c.yaml', 'a: [\n').syntaxErrors.length, 1);
});
