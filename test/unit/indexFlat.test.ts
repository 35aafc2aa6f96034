// The index reads a document kept flat (core/compactDocs.ts) from that form (core/docReader.ts: the extractors read
// either form): the facts must be the ones read from its tree, for every text, and no tree is made of a flat file.
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
  fluxKustomization: [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    '  name: apps',
    '  namespace: flux-system',
    'spec:',
    '  path: "./apps/prod"',
    '  prune: "true"',
    '  targetNamespace: apps',
    '  sourceRef:',
    '    kind: OCIRepository',
    '    name: \'repo\'',
    '    namespace: other',
    '  dependsOn:',
    '  - name: infra',
    '  -',
    '  - name: 12',
    '    namespace: n',
    '  postBuild:',
    '    substituteFrom:',
    '    - kind: Secret',
    '      name: vars',
    '      optional: true',
    '  components:',
    '  - ../c1',
    '  - "quoted"',
    '  - 3',
    '',
  ].join('\n'),
  fluxKustomizationBare: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: k\nspec:\n  prune: false\n',
  helmRelease: [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: flux',
    'spec:',
    '  targetNamespace: flux-ns',
    '  chart:',
    '    spec:',
    '      chart: ./charts/flux-instance',
    '      sourceRef:',
    '        kind: GitRepository',
    '        name: charts',
    '  valuesFrom:',
    '  - kind: Secret',
    '    name: v',
    '    optional: yes',
    '  dependsOn:',
    '  - name: base',
    '    namespace: x',
    '  values:',
    '    fullnameOverride: fi',
    '    instance:',
    '      sync:',
    '        kind: OCIRepository',
    '        url: oci://r/x',
    '        ref: refs/heads/main',
    '        path: clusters/one',
    '',
  ].join('\n'),
  helmReleaseChartRef: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: h\n  namespace: n\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: flux-instance\n  values:\n    instance:\n      sync:\n        url: https://g/x\n',
  fluxInstance: 'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\nspec:\n  sync:\n    kind: GitRepository\n    url: "https://github.com/o/r"\n    ref: refs/heads/main\n    path: clusters/prod\n    name: fleet\n',
  app: [
    'apiVersion: application.giantswarm.io/v1alpha1',
    'kind: App',
    'metadata:',
    '  name: a',
    'spec:',
    '  catalog: giantswarm',
    '  catalogNamespace: org',
    '  config:',
    '    configMap:',
    '      name: c',
    '      namespace: n',
    '  userConfig:',
    '    secret:',
    '      name: s',
    '  extraConfigs:',
    '  - kind: secret',
    '    name: e1',
    '  - name: e2',
    '    optional: true',
    '',
  ].join('\n'),
  artifactGenerator: [
    'apiVersion: source.extensions.fluxcd.io/v1beta1',
    'kind: ArtifactGenerator',
    'metadata:',
    '  name: g',
    '  namespace: n',
    'spec:',
    '  sources:',
    '  - alias: a',
    '    kind: OCIRepository',
    '    name: r',
    '  - alias: b',
    '  artifacts:',
    '  - name: out',
    '    copy:',
    '    - from: "@a/x/"',
    '      to: "@artifact/"',
    '    - from: x',
    '  - copy:',
    '    - from: y',
    '      to: z',
    '',
  ].join('\n'),
  sources: [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: GitRepository',
    'metadata:',
    '  name: g',
    'spec:',
    '  url: https://github.com/o/r',
    '  ref:',
    '    branch: main',
    '  ignore: "/x\\n/deploy\\n"',
    '---',
    'apiVersion: source.toolkit.fluxcd.io/v1beta2',
    'kind: OCIRepository',
    'metadata:',
    '  name: o',
    'spec:',
    '  url: oci://x',
    '  layerSelector:',
    '    operation: copy',
    '---',
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: HelmChart',
    'metadata:',
    '  name: c',
    'spec:',
    '  chart: ./charts/c',
    '  sourceRef:',
    '    kind: Bucket',
    '    name: b',
    '',
  ].join('\n'),
  producers: [
    'apiVersion: external-secrets.io/v1beta1',
    'kind: ExternalSecret',
    'metadata:',
    '  name: es',
    'spec:',
    '  target:',
    '    name: made',
    '---',
    'apiVersion: kyverno.io/v1',
    'kind: ClusterPolicy',
    'metadata:',
    '  name: p',
    'spec:',
    '  rules:',
    '  - name: r',
    '    generate:',
    '      kind: Secret',
    '      name: copied',
    '      namespace: team',
    '      clone:',
    '        name: src',
    '        namespace: base',
    '',
  ].join('\n'),
  jsonPatch: '- op: replace\n  path: /spec/path\n  value: ./other\n- op: add\n  path: "/spec/sourceRef/name"\n  value: 7\n',
  jsonPatchNot: '- op: replace\n- a\n',
  kustomization: [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'namespace: apps',
    'namePrefix: p-',
    'nameSuffix: "-s"',
    'resources:',
    '- ../base',
    '- "quoted.yaml"',
    "- 'single.yaml'",
    '- https://github.com/o/r//deploy?ref=main',
    '- https://example.com/file.yaml',
    '- ""',
    '-',
    '- 12',
    'bases:',
    '- ../old',
    'components:',
    '- ../comp',
    'crds:',
    '- crd.yaml',
    'configurations:',
    '- conf.yaml',
    'generators:',
    '- gen',
    'transformers:',
    '- tr.yaml',
    'openapi:',
    '  path: schema.json',
    'helmCharts:',
    '- name: c',
    '  valuesFile: values.yaml',
    'replacements:',
    '- path: repl.yaml',
    'patches:',
    '- path: patch.yaml',
    '  target:',
    '    kind: Kustomization',
    '    name: apps',
    '    labelSelector: a=b',
    '- patch: "apiVersion: kustomize.toolkit.fluxcd.io/v1\\nkind: Kustomization\\nmetadata:\\n  name: apps\\nspec:\\n  path: ./prod\\n  sourceRef:\\n    kind: GitRepository\\n    name: other\\n"',
    '  target:',
    '    kind: Kustomization',
    '- patch: "- op: replace\\n  path: /spec/path\\n  value: ./x\\n"',
    '- patch: 12',
    'patchesStrategicMerge:',
    '- smp.yaml',
    '- "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: x\\n"',
    'patchesJson6902:',
    '- path: ops.yaml',
    '  target:',
    '    group: kustomize.toolkit.fluxcd.io',
    '    kind: Kustomization',
    '    name: apps',
    'configMapGenerator:',
    '- name: cm',
    '  files:',
    '  - key=file.txt',
    '  - plain.txt',
    '  envs:',
    '  - a.env',
    '  env: b.env',
    '- name: merged',
    '  behavior: merge',
    'secretGenerator:',
    '- name: sec',
    '  namespace: other',
    '  literals:',
    '  - a=b',
    '',
  ].join('\n'),
  kustomizationEmpty: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ""\nnamePrefix:\nbuildMetadata: false\n',
  kustomizationNumberKey: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n1: x\nresources:\n- a.yaml\n',
  kustomizationNoKind: 'resources:\n- a.yaml\n',
  component: 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- a.yaml\npatches:\n- path: p.yaml\n',
  twoKustomizations: 'resources:\n- a.yaml\n---\nresources:\n- b.yaml\n',
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
  // Every document is read flat but those the parse does not keep flat (flow collections: emptyLabels, flow).
  const flat = Object.keys(CASES).filter((name) => name !== 'emptyLabels' && name !== 'flow');
  assert.deepStrictEqual(Object.keys(CASES).filter((name) => both(`/r/${name}.yaml`, CASES[name]).noTrees), flat);
  assert.deepStrictEqual(Object.keys(CASES).filter((name) => both('/r/kustomization.yaml', CASES[name]).noTrees), flat);
  assert.equal(noTrees, 2 * flat.length);
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
