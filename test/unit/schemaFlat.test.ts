// A file the index keeps flat (core/compactDocs.ts) is schema-validated from that form (features/schemaDocuments.ts
// validateFile): the same findings, spans and placeholders as from its trees, and no tree made for a file whose
// documents validate clean (the whole check validates every indexed manifest; making each one's trees again was a
// tenth of its schema time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseText, type ParsedText } from '../../server/src/core/parsedText';
import { SchemaValidators } from '../../server/src/core/schemas/validate';
import { validateFile, type FileResult } from '../../server/src/features/schemaDocuments';
import type { FileFacts } from '../../server/src/core/facts';
import { CORPORA_DIR, corporaPresent } from '../helpers/corpora';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const validators = new SchemaValidators();

function facts(file: string, text: string): FileFacts {
  return { file, text } as FileFacts;
}

/** The result as plain data (the kept documents by their text: the trees themselves are new objects). */
function plain(r: FileResult): string {
  return JSON.stringify({ docs: r.docs, parsed: r.parsed?.map((d) => String(d)) });
}

/** Validates `text` from its trees and from its flat form: the same result; 'flat' when no tree was made. */
function sameFromFlat(file: string, text: string): 'flat' | 'trees' | undefined {
  const fromTrees = plain(validateFile(facts(file, text), validators, () => parseText(text)));
  const parsed: ParsedText = parseText(text);
  parsed.compact();
  if (!parsed.flatDocs()) return undefined;
  assert.equal(plain(validateFile(facts(file, text), validators, () => parsed)), fromTrees, file);
  return parsed.flatDocs() ? 'flat' : 'trees';
}

const CLEAN = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: v1
kind: ConfigMap
metadata: {name: values}
data: {a: b}
`;

test('a flat-kept file whose documents validate clean is validated without making its trees', () => {
  assert.equal(sameFromFlat('/f/ks.yaml', CLEAN), 'flat');
});

test('a document with a finding is placed in its trees, the same as from the trees', () => {
  const bad = CLEAN.replace('prune: true', 'prune: maybe').replace('interval: 10m', 'interval: 10m\n  unknownField: 1');
  assert.equal(sameFromFlat('/f/ks.yaml', bad), 'trees');
  const r = validateFile(facts('/f/ks.yaml', bad), validators, () => parseText(bad));
  assert.ok(r.docs[0].findings.length >= 2, JSON.stringify(r.docs[0].findings));
});

test('keys the flat reading names unlike toJS (null, __proto__) and an apiVersion that is a map are read from the trees', () => {
  assert.equal(sameFromFlat('/f/ks.yaml', CLEAN.replace('  prune: true', '  prune: true\n  null: x')), 'trees');
  assert.equal(sameFromFlat('/f/ks.yaml', CLEAN.replace('  prune: true', '  prune: true\n  __proto__: {a: 1}')), 'trees');
  assert.equal(sameFromFlat('/f/ks.yaml', CLEAN.replace('apiVersion: kustomize.toolkit.fluxcd.io/v1', 'apiVersion: {a: 1}')), 'trees');
});

test('every YAML file of the fixtures and corpora validates from its flat form as from its trees', () => {
  let n = 0;
  let flat = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name) && fs.statSync(p).size < 1_000_000) {
        const read = sameFromFlat(p, fs.readFileSync(p, 'utf8'));
        if (read) n++;
        if (read === 'flat') flat++;
      }
    }
  };
  walk(FIXTURES);
  if (corporaPresent) walk(CORPORA_DIR);
  assert.ok(n > 200 && flat > n * 0.5, `${flat} of ${n} validated flat`);
});
