// deprecated-api: deprecated Flux apiVersions and kustomize fields, and the quick-fixes that upgrade them with minimal
// edits (only the apiVersion value and the changed fields; comments, quotes and every other line untouched).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_DEPRECATIONS, deprecatedApi } from '../../server/src/core/schemas/deprecations';
import { catalogEntries, groupOf, loadSchema } from '../../server/src/core/schemas/catalog';
import { schemasAt, propertiesOf } from '../../server/src/core/schemas/navigate';
import { deprecationFixes, findDeprecations, deprecatedApiFindings, deprecatedApiFixes } from '../../server/src/features/deprecatedApi';
import { loadFleet, materialize, spanText } from '../helpers/fixture';

function apply(text: string, edits: Array<{ span: { start: number; end: number }; newText: string }>): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i].span.end <= sorted[i - 1].span.start, 'edits do not overlap');
  for (const e of sorted) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
  return text;
}

/** Applies the first quick-fix of the finding at `needle` and returns the text. */
function fix(file: string, text: string, needle: string, title?: string): string {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const actions = deprecationFixes(file, text, { start: at, end: at + needle.length });
  const a = title ? actions.find((x) => x.title === title) : actions[0];
  assert.ok(a, `no fix ${title ?? ''} among ${actions.map((x) => x.title).join(', ')}`);
  return apply(text, a.edits);
}

test('every deprecated version upgrades to the current version the catalogue has', () => {
  for (const d of API_DEPRECATIONS) {
    for (const kind of d.kinds) {
      for (const v of d.versions) {
        const up = deprecatedApi(`${d.group}/${v}`, kind);
        assert.ok(up, `${kind} ${d.group}/${v}`);
        assert.ok(catalogEntries().some((e) => e.kind === kind && e.apiVersion === up.to), `${up.to} ${kind} is in the catalogue`);
      }
    }
  }
  assert.equal(deprecatedApi('notification.toolkit.fluxcd.io/v1beta2', 'Alert')?.to, 'notification.toolkit.fluxcd.io/v1beta3');
  assert.equal(deprecatedApi('notification.toolkit.fluxcd.io/v1beta2', 'Receiver')?.to, 'notification.toolkit.fluxcd.io/v1');
  assert.equal(deprecatedApi('kustomize.toolkit.fluxcd.io/v1', 'Kustomization'), undefined);
});

test('the field changes agree with the current schemas: removed fields are gone, new ones exist', () => {
  for (const d of API_DEPRECATIONS) {
    for (const [kind, changes] of Object.entries(d.changes)) {
      const entry = catalogEntries().find((e) => e.kind === kind && groupOf(e.apiVersion) === d.group)!;
      const schema = loadSchema(entry.file);
      for (const c of changes ?? []) {
        const parent = c.path.slice(0, -1).map((s) => (s === '*' ? 0 : s));
        const props = propertiesOf(schema, schemasAt(schema, parent)).map((p) => p.name);
        assert.ok(props.length, `${kind} ${parent.join('.')} exists`);
        assert.ok(!props.includes(c.path[c.path.length - 1]), `${kind} ${c.path.join('.')} is not in ${entry.apiVersion}`);
        if (c.action === 'to-list') assert.ok(props.includes(c.to), `${kind} ${c.to}`);
        if (c.action === 'smp-to-patches' || c.action === 'json6902-to-patches') assert.ok(props.includes('patches'), `${kind} patches`);
      }
    }
  }
});

test('HelmRelease v2beta1 → v2: apiVersion, valuesFile → valuesFiles, postRenderer patches; comments kept', () => {
  const text = `apiVersion: helm.toolkit.fluxcd.io/v2beta1 # pinned
kind: HelmRelease
metadata:
  name: podinfo
spec:
  interval: 5m
  chart:
    spec:
      chart: podinfo
      valuesFile: values-prod.yaml   # prod values
      sourceRef:
        kind: HelmRepository
        name: podinfo
  postRenderers:
    - kustomize:
        patchesStrategicMerge:
          - apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: podinfo
            # two replicas in prod
            spec:
              replicas: 2
        patchesJson6902:
          - target:
              kind: Deployment
              name: podinfo
            patch:
              - op: add
                path: /metadata/labels/tier
                value: web
`;
  const [finding] = findDeprecations('/r/hr.yaml', text);
  assert.equal(text.slice(finding.span.start, finding.span.end), 'helm.toolkit.fluxcd.io/v2beta1');
  assert.match(finding.message, /^HelmRelease helm\.toolkit\.fluxcd\.io\/v2beta1 is deprecated: use helm\.toolkit\.fluxcd\.io\/v2\. Upgrading also changes: spec\.chart\.spec\.valuesFile/);
  assert.equal(fix('/r/hr.yaml', text, 'helm.toolkit.fluxcd.io/v2beta1'), `apiVersion: helm.toolkit.fluxcd.io/v2 # pinned
kind: HelmRelease
metadata:
  name: podinfo
spec:
  interval: 5m
  chart:
    spec:
      chart: podinfo
      valuesFiles: [values-prod.yaml]   # prod values
      sourceRef:
        kind: HelmRepository
        name: podinfo
  postRenderers:
    - kustomize:
        patches:
          - patch: |
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: podinfo
              # two replicas in prod
              spec:
                replicas: 2
          - target:
              kind: Deployment
              name: podinfo
            patch: |
              - op: add
                path: /metadata/labels/tier
                value: web
`);
});

test('Kustomization v1beta2 → v1: validation removed, patchesStrategicMerge appended to existing patches', () => {
  const text = `apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata:
  name: apps
spec:
  interval: 10m
  validation: client
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  patchesStrategicMerge:
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 3
  patches:
  - patch: |
      - op: add
        path: /x
        value: 1
    target:
      kind: Deployment
`;
  assert.equal(fix('/r/ks.yaml', text, 'kustomize.toolkit.fluxcd.io/v1beta2'), `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  patches:
  - patch: |
      - op: add
        path: /x
        value: 1
    target:
      kind: Deployment
  - patch: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 3
`);
});

test('GitRepository v1beta2 → v1 in a multi-document file: quotes kept, gitImplementation removed, other documents untouched', () => {
  const text = `apiVersion: v1
kind: Namespace
metadata:
  name: a
---
apiVersion: "source.toolkit.fluxcd.io/v1beta2"
kind: GitRepository
metadata:
  name: a
spec:
  interval: 1m
  gitImplementation: go-git
  url: https://example.com/a
`;
  assert.equal(fix('/r/gr.yaml', text, 'source.toolkit.fluxcd.io/v1beta2'), text.replace('v1beta2', 'v1').replace('  gitImplementation: go-git\n', ''));
});

test('image and notification kinds: apiVersion only', () => {
  const text = 'apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata:\n  name: web\nspec:\n  imageRepositoryRef:\n    name: web\n  policy:\n    semver:\n      range: 1.x\n';
  assert.equal(fix('/r/ip.yaml', text, 'image.toolkit.fluxcd.io/v1beta2'), text.replace('v1beta2', 'v1'));
  const alert = 'apiVersion: notification.toolkit.fluxcd.io/v1beta2\nkind: Alert\nmetadata:\n  name: a\n';
  assert.equal(fix('/r/a.yaml', alert, 'notification.toolkit.fluxcd.io/v1beta2'), alert.replace('v1beta2', 'v1beta3'));
});

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
bases:
  - ../base # the base
resources:
  - deployment.yaml
patchesStrategicMerge:
  - patch.yaml
  - |-
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: x
patchesJson6902:
- target:
    kind: Deployment
    name: web
  path: json.yaml
commonLabels:
  app: web   # label
  team: a
`;

test('kustomize: each deprecated field is a deprecated-api finding on its key', () => {
  const found = findDeprecations('/r/kustomization.yaml', KUSTOMIZATION).map((d) => KUSTOMIZATION.slice(d.span.start, d.span.end));
  assert.deepEqual(found, ['bases', 'patchesStrategicMerge', 'patchesJson6902', 'commonLabels']);
  // Not in a file that is no kustomization.
  assert.deepEqual(findDeprecations('/r/other.yaml', KUSTOMIZATION), []);
  // Keys an object has by its prototype are no deprecated fields (they made "undefined (kustomize edit fix).").
  const inherited = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nconstructor: x\ntoString: y\n__proto__: z\nhasOwnProperty: w\nbases: [../base]\n';
  assert.deepEqual(findDeprecations('/r/kustomization.yaml', inherited).map((d) => d.field), ['bases']);
});

test("kustomize: 'bases' entries are appended to resources", () => {
  assert.equal(fix('/r/kustomization.yaml', KUSTOMIZATION, 'bases', "Replace 'bases' with 'resources'"), KUSTOMIZATION.replace('bases:\n  - ../base # the base\n', '').replace('  - deployment.yaml\n', '  - deployment.yaml\n  - ../base # the base\n'));
});

test('kustomize: every deprecated field at once, as kustomize edit fix writes them', () => {
  assert.equal(fix('/r/kustomization.yaml', KUSTOMIZATION, 'commonLabels', 'Fix every deprecated field (kustomize edit fix)'), `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - ../base # the base
patches:
  - path: patch.yaml
  - patch: |-
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: x
  - target:
      kind: Deployment
      name: web
    path: json.yaml
labels:
- includeSelectors: true
  pairs:
    app: web   # label
    team: a
`);
});

test('kustomize: renames in place when the successor is absent; flow lists too', () => {
  const text = 'resources: [a.yaml]\nbases: [../base]\npatchesStrategicMerge: [p.yaml]\ncommonLabels: {app: web}\n';
  assert.equal(fix('/r/kustomization.yaml', text, 'bases'), 'resources: [a.yaml, ../base]\npatchesStrategicMerge: [p.yaml]\ncommonLabels: {app: web}\n');
  assert.equal(fix('/r/kustomization.yaml', text, 'patchesStrategicMerge'), 'resources: [a.yaml]\nbases: [../base]\npatches: [{path: p.yaml}]\ncommonLabels: {app: web}\n');
  assert.equal(fix('/r/kustomization.yaml', text, 'commonLabels'), 'resources: [a.yaml]\nbases: [../base]\npatchesStrategicMerge: [p.yaml]\nlabels:\n- includeSelectors: true\n  pairs: {app: web}\n');
});

test('through the fleet: findings on disk files, fixes on the open text', () => {
  const fx = materialize(`//- repo/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2beta2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 5m
  chart:
    spec:
      chart: web
      sourceRef:
        kind: HelmRepository
        name: charts
`);
  const fleet = loadFleet(fx.dir);
  const file = fx.file('repo/apps/release.yaml');
  const [f] = deprecatedApiFindings(fleet, file);
  assert.equal(f.code, 'deprecated-api');
  assert.equal(f.severity, 'warning');
  assert.equal(spanText(fleet, file, f.span), 'helm.toolkit.fluxcd.io/v2beta2');
  const [action] = deprecatedApiFixes(fleet, file, f.span);
  assert.equal(action.title, 'Upgrade to helm.toolkit.fluxcd.io/v2');
  assert.deepEqual(action.edits.map((e) => [e.file, e.newText]), [[file, 'helm.toolkit.fluxcd.io/v2']]);
});
