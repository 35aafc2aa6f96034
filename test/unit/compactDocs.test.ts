// A fleet keeps the documents of a file the index read flattened (core/compactDocs.ts) and makes them again when a
// build or a question reads them: the trees made again are the trees parsed (every node's class, own properties in
// their order, values, ranges, the document's own properties), and a loaded fleet holds its files' parses flat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseText } from '../../server/src/core/parsedText';
import { compactDocs, expandDocs } from '../../server/src/core/compactDocs';
import { CORPORA_DIR, corporaPresent } from '../helpers/corpora';
import { loadFleet } from '../helpers/fixture';
import { ParseStore } from '../../server/src/db/parse';

/** Structural equality of two yaml trees: prototypes, own keys (strings and symbols) in order, values. */
function sameTree(a: unknown, b: unknown, where: string, seen = new Map<unknown, unknown>()): void {
  if (a === null || typeof a !== 'object') return assert.ok(Object.is(a, b), `${where}: ${String(a)} vs ${String(b)}`);
  assert.ok(b !== null && typeof b === 'object', `${where}: object vs ${String(b)}`);
  if (seen.has(a)) return assert.equal(seen.get(a), b, `${where}: shared node`);
  seen.set(a, b);
  assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(b), `${where}: prototype`);
  assert.deepEqual(Reflect.ownKeys(a), Reflect.ownKeys(b), `${where}: own keys`);
  for (const k of Reflect.ownKeys(a)) {
    const da: PropertyDescriptor = Object.getOwnPropertyDescriptor(a, k)!;
    const db: PropertyDescriptor = Object.getOwnPropertyDescriptor(b, k)!;
    assert.equal(da.enumerable, db.enumerable, `${where}.${String(k)}: enumerable`);
    // Shared by every document of the default options (and each document's shell): the same object.
    if (k === 'schema' || k === 'options' || k === 'directives') assert.equal(da.value, db.value, `${where}.${String(k)}`);
    else sameTree(da.value, db.value, `${where}.${String(k)}`, seen);
  }
}

function roundTrip(text: string, where: string): boolean {
  const docs = parseText(text).docs;
  const flat = compactDocs(docs, text);
  if (!flat) return false;
  const again = expandDocs(flat);
  assert.equal(again.length, docs.length);
  docs.forEach((d, i) => {
    assert.notEqual(again[i], d);
    sameTree(d, again[i], `${where}#${i}`);
    assert.equal(again[i].toString(), d.toString(), `${where}#${i}: printed`);
  });
  return true;
}

const SHAPES = `# leading comment
apiVersion: v1
kind: ConfigMap # trailing comment
metadata:
  name: shapes

  namespace: "quoted"
  labels: {a: b, 'c': "d", e: [1, 2.50, 0x1F, -.inf, .nan, 1e3]}
data:
  plain: value
  number: 3
  float: 1.50
  octal: 0o17
  bool: true
  nothing: null
  tilde: ~
  empty:
  literal: |
    line one
    line two
  folded: >-
    folded
    text
  list:
    - one
    - "two"
    # between items
    - three: 3
      four: [4]
    -
  ? complex
  : key
  &anchored anchored: value
---
second: document
--- 
# only a comment
...
---
- a
- b:
    - c
`;

test('a flattened parse is made again as the same trees: every class, own property in its order, value and range', () => {
  assert.ok(roundTrip(SHAPES, 'shapes'));
  assert.ok(roundTrip('', 'empty text'));
  assert.ok(roundTrip('just a scalar\n', 'scalar document'));
  assert.ok(roundTrip('[1, {a: 2}]\n', 'flow root'));
});

test('documents the flattening would not reproduce keep their trees: errors, aliases, duplicate keys', () => {
  assert.equal(compactDocs(parseText('a: [1, 2\n').docs, 'a: [1, 2\n'), undefined, 'a syntax error');
  assert.equal(compactDocs(parseText('a: &x 1\nb: *x\n').docs, 'a: &x 1\nb: *x\n'), undefined, 'an alias');
  assert.equal(compactDocs(parseText('a: 1\na: 2\n').docs, 'a: 1\na: 2\n'), undefined, 'a duplicate key (an error of the default options)');
  // A document of another YAML version has its own schema, which its collections point to: made again the same.
  assert.ok(roundTrip('%YAML 1.1\n---\na: yes\nb: [0777]\n', 'YAML 1.1'));
});

test('a parse kept flat answers with trees equal to the first, made once', () => {
  const parsed = parseText(SHAPES);
  const first = parsed.docs.map((d) => d.toJS());
  const printed = parsed.docs.map(String);
  parsed.compact();
  const again = parsed.docs;
  assert.deepEqual(again.map((d) => d.toJS()), first);
  assert.deepEqual(again.map(String), printed);
  assert.equal(parsed.docs, again, 'made once, then kept');
  assert.equal(parsed.single().doc === again[0] || again.length !== 1, true);
});

test('small flat documents share their nodes\' buffer (a kept Int32Array is a view, not an ArrayBuffer each); their trees and data are the same', () => {
  const texts = ['a: 1\nb:\n  - x\n  - y\n', 'kind: ConfigMap\nmetadata:\n  name: c\n', 'a: 1\n---\nb: 2\n'];
  const parses = texts.map((t) => parseText(t));
  const flat = parses.flatMap((p) => p.flatDocs() ?? []);
  assert.equal(flat.length, 4);
  assert.equal(new Set(flat.map((d) => d.nums.buffer)).size, 1, 'one buffer');
  for (const d of flat) assert.ok(d.nums.buffer.byteLength > d.nums.byteLength);
  for (const [i, p] of parses.entries()) {
    const fresh = parseText(texts[i]);
    fresh.compact();
    assert.deepEqual(p.docs.map((d) => d.toJS()), fresh.docs.map((d) => d.toJS()));
    assert.ok(roundTrip(texts[i], `text ${i}`));
  }
});

test('a loaded fleet keeps the parses of the files it indexed flat; an open file keeps its trees', () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/fleet'));
  const held = [...fleet.facts.values()].filter((f) => !f.skipped && f.text);
  assert.ok(held.length > 10);
  const flat = held.filter((f) => !(fleet.db.parses as unknown as { lru: { peek(k: string): { trees?: unknown } } }).lru.peek(f.file)?.trees);
  assert.ok(flat.length >= held.length * 0.8, `${flat.length} of ${held.length} kept flat`);
  const file = held[0].file;
  fleet.setOverlay(file, held[0].text + '\n# edited\n');
  const entry = (fleet.db.parses as unknown as { lru: { peek(k: string): { trees?: unknown } } }).lru.peek(file);
  assert.ok(entry?.trees, 'the open file keeps its trees');
});

test('every YAML file of the corpora is made again as the same trees', { skip: !corporaPresent && 'corpora absent' }, () => {
  let n = 0;
  let flat = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== '.git') walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name) && fs.statSync(p).size < 1_000_000) {
        n++;
        if (roundTrip(fs.readFileSync(p, 'utf8'), p)) flat++;
      }
    }
  };
  walk(CORPORA_DIR);
  assert.ok(n > 200 && flat > n * 0.8, `${flat} of ${n} flattened`);
});

test('trees made again are bounded by their texts: the least recently asked for go back flat, and come back equal', () => {
  const store = new ParseStore(1_000_000, 100);
  const texts = ['a: 1\nb:\n  - x\n  - y\n', 'c: {d: e}\n', 'f: "g"\n'].map((t) => t + '#'.repeat(40) + '\n');
  const held = (p: object) => (p as { trees?: unknown }).trees !== undefined;
  const first = texts.map((t, i) => {
    const p = store.parse(`/f${i}.yaml`, t);
    const js = p.docs.map((d) => d.toJS());
    store.compact(`/f${i}.yaml`);
    assert.equal(held(p), false, 'flat once the index read it');
    return js;
  });
  // Asked for again, in order: each made again; past 100 characters of text, the oldest go back flat.
  const parses = texts.map((t, i) => {
    const p = store.parse(`/f${i}.yaml`, t);
    assert.deepEqual(p.docs.map((d) => d.toJS()), first[i]);
    return p;
  });
  assert.deepEqual(parses.map(held), [false, true, true]);
  assert.deepEqual(parses[0].docs.map((d) => d.toJS()), first[0], 'made again from the flat form');
  assert.equal(store.counts.get('/f0.yaml'), 1, 'never parsed again');
});

test('the trees bound counts parses that made their trees: first reads make them count, reads that make none leave them be', () => {
  const held = (p: object) => (p as { trees?: unknown }).trees !== undefined;
  const texts = ['a: 1\nb:\n  - x\n', 'c:\n  d: e\n', 'f: "g"\n', 'h:\n  - i\n'].map((t) => `${t}z: ${'x'.repeat(40)}\n`);
  // Parsed flat from the start (first reads, no compact): trees asked for then count against the bound at once.
  const store = new ParseStore(1_000_000, 130);
  const first = texts.slice(0, 3).map((t, i) => store.parse(`/f${i}.yaml`, t));
  assert.deepEqual(first.map((p) => p.flattened), [true, true, true]);
  for (const p of first) p.docs;
  assert.deepEqual(first.map(held), [false, true, true], 'past 130 characters of text the oldest went back flat');
  // A read that makes no trees (a build's load reads the flat form) pushes none out: only the other one's trees did.
  const other = store.parse('/f3.yaml', texts[3]);
  for (let i = 0; i < 3; i++) assert.equal(store.parse('/f3.yaml', texts[3]), other);
  assert.deepEqual(first.map(held), [false, true, true]);
  other.docs;
  assert.deepEqual([...first, other].map(held), [false, false, true, true]);
});

test('trees of a text past the whole trees bound stay while one reader reads them, and go at its next read', () => {
  const held = (p: object) => (p as { trees?: unknown }).trees !== undefined;
  const text = ['a: 1\n', 'b:\n  - x\n', 'c:\n  d: e\n'].map((t) => t + `z: ${'x'.repeat(60)}\n`).join('---\n');
  const store = new ParseStore(1_000_000, 100);
  const p = store.parse('/big.yaml', text);
  assert.ok(p.flattened && text.length > 100);
  // One reader's loop over the documents (a finding per document): the trees made once, the same nodes each time.
  const docs = p.docs;
  for (let i = 0; i < docs.length; i++) assert.equal(p.docs[i], docs[i], `document ${i}: the same tree, not made again`);
  assert.equal(held(p), true);
  // The next read releases them (the bound cannot hold them), and they are made again, equal, when asked for.
  assert.equal(store.parse('/big.yaml', text), p);
  assert.equal(held(p), false, 'released by the next read');
  assert.deepEqual(p.docs.map((d) => d.toJS()), docs.map((d) => d.toJS()));
  assert.equal(store.counts.get('/big.yaml'), 1, 'never parsed again');
});
