// A kustomization file the fleet's parse keeps flat (core/compactDocs.ts) is read by the kustomize engine from its flat
// form (build.ts KustomizationDoc): the same data as toJS of its tree (keys in their order), the same span of every
// value, the same refusals, and no tree made for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KustomizationDoc } from '../../../server/src/core/kustomize/build';
import { parseText } from '../../../server/src/core/parsedText';
import { CORPORA_DIR, corporaPresent } from '../../helpers/corpora';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const SYNTHETIC = path.resolve(__dirname, '../../../.bench/fleet');

type Path = Array<string | number>;

/** Every path of a JSON value (the root included), in the value's order. */
function pathsOf(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) pathsOf((v as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

/** The doc's answer (or the error it throws) as comparable data: data with its key order, and every path's span. */
function read(make: () => KustomizationDoc, extra: Path[] = []): string {
  try {
    const k = make();
    const paths = [...pathsOf(k.data), ...extra];
    return JSON.stringify({ data: k.data, spans: paths.map((p) => [p, k.span(p)]) });
  } catch (e) {
    return JSON.stringify({ error: (e as Error).message, span: (e as { span?: unknown }).span });
  }
}

/** Asserts the flat reading equals the tree's; 'flat' when it made no tree, 'trees' when the text is read from them. */
function sameFromFlat(text: string, where: string, extra: Path[] = []): 'flat' | 'trees' | undefined {
  const fromTree = read(() => new KustomizationDoc('/k/kustomization.yaml', text), extra);
  const parsed = parseText(text);
  parsed.compact();
  if (!parsed.flatDocs()) return undefined;
  assert.equal(read(() => new KustomizationDoc('/k/kustomization.yaml', text, parsed), extra), fromTree, where);
  return parsed.flatDocs() ? 'flat' : 'trees';
}

const SHAPES = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: apps # a comment
resources:
  - base
  - "quoted.yaml"
  -
commonLabels: {a: b, 'c': "d", 1: one, true: yes}
images:
  - name: app
    newTag: 0777
    digest: ~
replicas: [{name: web, count: 0x1F}]
patches:
  - target: {kind: Deployment}
    patch: |
      - op: replace
        path: /spec/replicas
        value: 2
constructor: kept as data
toString: too
`;

test('a flat kustomization reads as its tree does, without making it', () => {
  // Paths the engine may ask that the data does not hold.
  assert.equal(sameFromFlat(SHAPES, 'shapes', [['missing'], ['resources', 9], ['namespace', 'x'], ['images', 0, 'newTag', 'x']]), 'flat');
  // Paths only the tree answers as getIn does (a number key of a map, a string index of a list).
  assert.equal(sameFromFlat(SHAPES, 'tree paths', [['resources', '0'], ['commonLabels', 1]]), 'trees');
  assert.equal(sameFromFlat('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n', 'empty list'), 'flat');
});

test('what toJS reads otherwise, and what kustomize refuses, is read from the tree, the same', () => {
  // A null key is "" in toJS, `__proto__` an own property: the tree reads them.
  assert.equal(sameFromFlat('resources: [a]\nnull: x\n', 'a null key'), 'trees');
  assert.equal(sameFromFlat('resources: [a]\n__proto__: {x: 1}\n', 'a __proto__ key'), 'trees');
  // Refusals (with their spans): a list, a scalar, nothing set.
  assert.equal(sameFromFlat('- a\n- b\n', 'a list'), 'flat');
  assert.equal(sameFromFlat('just text\n', 'a scalar'), 'flat');
  assert.equal(sameFromFlat('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n', 'nothing set'), 'flat');
});

test('every kustomization of the fixtures, the corpora and the synthetic fleet reads flat as from its tree', () => {
  let n = 0;
  let flat = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && /^(kustomization\.ya?ml|Kustomization)$/.test(e.name)) {
        n++;
        if (sameFromFlat(fs.readFileSync(p, 'utf8'), p) === 'flat') flat++;
      }
    }
  };
  walk(FIXTURES);
  if (corporaPresent) walk(CORPORA_DIR);
  if (fs.existsSync(SYNTHETIC)) walk(path.join(SYNTHETIC, 'tenant-001'));
  assert.ok(n > 100 && flat > n * 0.8, `${flat} of ${n} read flat`);
});
