// The index reads a document kept flat (core/compactDocs.ts) from that form when its facts are its top's alone
// (apiVersion, kind, metadata): the facts must be the ones read from its tree, for every text, and no tree is made of
// a file whose documents are all such.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { indexFile } from '../../server/src/core/indexFile';
import { parseText, type ParsedText } from '../../server/src/core/parsedText';
import type { FileFacts } from '../../server/src/core/facts';
import { CORPORA_DIR, corporaPresent } from '../helpers/corpora';
import { yamlUnder } from '../helpers/yamlUnder';

/** The file's facts read with its flat documents (when kept flat) and from its trees; whether no tree was made. */
function both(file: string, text: string): { flat: FileFacts; trees: FileFacts; noTrees: boolean } {
  let parsed: ParsedText | undefined;
  const flat = indexFile(file, text, (_f, t) => (parsed = parseText(t)));
  const noTrees = parsed?.flatDocs() !== undefined;
  // (trees asked for first: flatDocs() is undefined from then on, so every document is read from its tree)
  const trees = indexFile(file, text, (_f, t) => {
    const p = parseText(t);
    void p.docs;
    return p;
  });
  return { flat, trees, noTrees };
}

/** Over the files: each one's facts the same both ways; how many were indexed without a tree. */
function sameOver(files: string[]): { n: number; noTrees: number } {
  let noTrees = 0;
  for (const f of files) {
    const r = both(f, fs.readFileSync(f, 'utf8'));
    assert.deepStrictEqual(r.flat, r.trees, f);
    if (r.noTrees) noTrees++;
  }
  return { n: files.length, noTrees };
}

const CASES: Record<string, string> = {
  plain: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: apps\n  labels:\n    app: web\n    tier: "front"\nspec:\n  replicas: 2\n',
  odd: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 12\n  namespace: ~\n  labels:\n    1: true\n    "q": 1.50\n    ~: x\n    none:\n    map:\n      a: 1\n',
  emptyLabels: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels: {}\n',
  noName: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  labels:\n    a: b\n',
  nameMap: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name:\n    x: y\n',
  metadataScalar: 'apiVersion: v1\nkind: Namespace\nmetadata: text\n',
  nullName: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name:\n',
  noKind: 'apiVersion: v1\nmetadata:\n  name: a\n',
  numberKind: 'apiVersion: 1\nkind: 2\nmetadata:\n  name: a\n',
  quotedKeys: '"apiVersion": v1\n\'kind\': Service\n"metadata":\n  "name": svc\n',
  flow: '{apiVersion: v1, kind: Service, metadata: {name: svc, namespace: n, labels: {a: b}}}\n',
  list: 'apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n',
  listNoItems: 'apiVersion: v1\nkind: PodList\nmetadata:\n  name: a\n',
  resourceSet: 'apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n  name: rs\n  namespace: n\nspec:\n  inputs:\n  - a: 1\n',
  producer: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\nspec:\n  secretName: tls\n',
  flux: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: k\nspec:\n  path: ./x\n  sourceRef:\n    kind: GitRepository\n    name: repo\n',
  several: '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\n- op: add\n  path: /x\n  value: 1\n---\nscalar\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: g\nspec:\n  url: https://x\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n',
  crlf: 'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: "b"\r\n  namespace: \'n\'\r\n',
};

test('documents read flat give the facts their trees give', () => {
  let noTrees = 0;
  for (const [name, text] of Object.entries(CASES)) {
    for (const file of [`/r/${name}.yaml`, '/r/kustomization.yaml']) {
      const r = both(file, text);
      assert.deepStrictEqual(r.flat, r.trees, `${name} as ${file}`);
      if (r.noTrees) noTrees++;
    }
  }
  // Only top facts are read flat: a Flux object, a producer, a List need their trees (flow collections are not kept
  // flat by the parse: emptyLabels, flow).
  const flat = ['plain', 'odd', 'noName', 'nameMap', 'metadataScalar', 'nullName', 'noKind', 'numberKind', 'quotedKeys', 'resourceSet', 'crlf'];
  assert.deepStrictEqual(Object.keys(CASES).filter((name) => both(`/r/${name}.yaml`, CASES[name]).noTrees), flat);
  assert.equal(noTrees, flat.length);
  assert.equal(both('/r/kustomization.yaml', CASES.plain).noTrees, false, 'a kustomization file reads its trees');
});

test('every fixture YAML file: the same facts read flat as from its trees', () => {
  const { n, noTrees } = sameOver(yamlUnder(path.resolve(__dirname, '../fixtures')));
  assert.ok(n > 100 && noTrees > n / 4, `${noTrees} of ${n} indexed without a tree`);
});

test('every YAML file of the corpora: the same facts read flat as from its trees', { skip: !corporaPresent && 'corpora absent' }, () => {
  const { n, noTrees } = sameOver(yamlUnder(CORPORA_DIR));
  assert.ok(n > 200 && noTrees > n / 6, `${noTrees} of ${n} indexed without a tree`);
});

const FLEET = path.resolve(__dirname, '../../.bench/fleet');
test('a sample of the synthetic fleet: the same facts read flat as from its trees', { skip: !fs.existsSync(FLEET) && 'no .bench/fleet (npm run bench makes it)' }, () => {
  const { n, noTrees } = sameOver(yamlUnder(FLEET, 2000));
  assert.ok(noTrees > n / 2, `${noTrees} of ${n} indexed without a tree`);
});
