// A file the index read is kept flat (core/compactDocs.ts); the kustomize engine loads its resources straight from the
// flat form (compactDocs.ts readFlat) instead of making its trees again: the same objects (keys in their order), the
// same provenance (pointers in their order, every write and span) and origins as loading from the trees, and no tree made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadManifests } from '../../../server/src/core/kustomize/load';
import { PointerTable } from '../../../server/src/core/kustomize/provenance';
import { stepLayer } from '../../../server/src/core/layer';
import { parseText, type ParsedText } from '../../../server/src/core/parsedText';
import { CORPORA_DIR, corporaPresent } from '../../helpers/corpora';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const POINTERS = new PointerTable();

/** loadManifests' answer as plain data whose comparison sees the order of keys and of provenance entries. */
function loaded(text: string, parsed: ParsedText, pointers?: PointerTable): string {
  const { resources, errors } = loadManifests(text, '/f.yaml', stepLayer('resource'), '/kustomization.yaml', parsed, pointers);
  return JSON.stringify({ errors, resources: resources.map((r) => ({ obj: r.obj, prov: [...r.prov], origin: r.origin, removed: r.removed && [...r.removed] })) });
}

/**
 * Loads a text kept flat and asserts it loads exactly as from its trees: 'flat' when no tree was made, 'trees' when
 * the flat reading gave it to the trees (a key that is a collection), undefined when the text is not kept flat.
 */
function sameFromFlat(text: string, where: string): 'flat' | 'trees' | undefined {
  const fromTrees = loaded(text, parseText(text));
  const parsed = parseText(text);
  parsed.compact();
  if (!parsed.flatDocs()) return undefined;
  assert.equal(loaded(text, parsed), fromTrees, where);
  // A build's table of pointers (shared by every file it loads, as a build shares it) gives the same pointers.
  assert.equal(loaded(text, parsed, POINTERS), fromTrees, `${where} (a build's pointers)`);
  return parsed.flatDocs() ? 'flat' : 'trees';
}

const SHAPES = `apiVersion: v1
kind: ConfigMap # trailing comment
metadata:
  name: shapes
  namespace: "quoted"
  labels: {a: b, 'c': "d", e: [1, 2.50, 0x1F, -.inf, .nan, 1e3]}
  annotations: {}
data:
  plain: value
  number: 3
  octal: 0777
  go-octal: 0o17
  binary: 0b101
  underscores: 1_000
  bool: yes
  nothing: null
  tilde: ~
  empty:
  stamp: 2001-12-14t21:59:43.10-05:00
  literal: |
    line one
  folded: >-
    folded
  list:
    - one
    - "two"
    - three: 3
      four: []
    -
  ? complex
  : key
  a/b~c: escaped
  null: key is null
  1: numeric key
---
apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: first}}
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: second}, data: {k: v}}
---
- op: replace
  path: /spec
---
just a scalar
`;

test('resources load from a flattened parse exactly as from its trees, without making them', () => {
  assert.equal(sameFromFlat(SHAPES, 'shapes'), 'flat');
  assert.equal(sameFromFlat('', 'empty text'), 'flat');
  assert.equal(sameFromFlat('%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: yes, b: 0777}\n', 'YAML 1.1'), 'flat');
});

test('a map key that is a collection is read from the trees, the same', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ? [a, b]\n  : v\n';
  assert.equal(sameFromFlat(text, 'a key that is a list'), 'trees');
});

test('every YAML file of the fixtures and corpora loads from its flat form as from its trees', () => {
  let n = 0;
  let flat = 0;
  let trees = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name) && fs.statSync(p).size < 1_000_000) {
        n++;
        const read = sameFromFlat(fs.readFileSync(p, 'utf8'), p);
        if (read === 'flat') flat++;
        if (read === 'trees') trees++;
      }
    }
  };
  walk(FIXTURES);
  if (corporaPresent) walk(CORPORA_DIR);
  assert.ok(n > 200 && flat > n * 0.8, `${flat} of ${n} read flat (${trees} from their trees)`);
});
