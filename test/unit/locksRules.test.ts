// Lock declarations (inline marks, policy rules), their matching, the less common layers and fixes, and SARIF —
// on small inline fleets: a platform repository deploying one tenant repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { inlineMarks } from '../../server/src/core/locks/inline';
import { parsePathPattern, matchPrefix, expandPattern, parsePolicy } from '../../server/src/core/locks/policy';
import { locksFindings, lockFindingDetail } from '../../server/src/core/locks/check';
import { lockCodeActions } from '../../server/src/features/locks';
import { toSarif } from '../../server/src/core/locks/sarif';
import { offsetToLineCol } from '../../server/src/core/text';
import type { Fleet } from '../../server/src/core/model';
import type { Finding } from '../../server/src/core/findings';
import type { Json } from '../../server/src/core/kustomize/types';

const PLATFORM = `
//- platform/clusters/c1/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/platform
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  path: ./clusters/c1
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/clusters/c1/tenant.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: tenant
  namespace: flux-system
spec:
  url: https://github.com/acme/tenant
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant
  namespace: flux-system
spec:
  path: ./app
  prune: true
  sourceRef:
    kind: GitRepository
    name: tenant
  postBuild:
    substitute:
      region: eu
//- tenant/.flux-fleet.yaml
repositories: {}
`;

/** A platform (with `config` appended to its .flux-fleet.yaml) deploying `tenant/app`; files as `//- path` blocks. */
function fleetOf(config: string, files: string): { fleet: Fleet; dir: string } {
  const m = materialize(`//- platform/.flux-fleet.yaml
repositories:
  https://github.com/acme/platform: .
  https://github.com/acme/tenant: ../tenant
${config}
${PLATFORM}
${files}`);
  return { fleet: loadFleet(m.dir), dir: m.dir };
}

function rows(fleet: Fleet, dir: string, findings = locksFindings(fleet)): string[] {
  return findings
    .map((f) => {
      const text = fleet.facts.get(f.file)?.text ?? '';
      const s = offsetToLineCol(fleet.facts.get(f.file)!.lineStarts, f.span.start);
      return `${f.code} ${path.relative(dir, f.file)}:${s.line + 1} ${text.slice(f.span.start, f.span.end)}`;
    })
    .sort();
}

function applyEdits(text: string, edits: Array<{ span: { start: number; end: number }; newText: string }>): string {
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
  return text;
}

function removal(fleet: Fleet, dir: string, f: Finding): Record<string, string | null> {
  const a = lockCodeActions(fleet, f).find((x) => x.title === 'Remove this override');
  assert.ok(a, 'no removal');
  const out: Record<string, string | null> = {};
  for (const file of new Set(a!.edits.map((e) => e.file))) out[path.relative(dir, file)] = applyEdits(fleet.facts.get(file)!.text, a!.edits.filter((e) => e.file === file));
  for (const file of a!.deleteFiles) out[path.relative(dir, file)] = null;
  return out;
}

test('inline marks: comments on a key line only (not in strings or block scalars), outermost key, reasons', () => {
  const text = [
    'spec: # fleet:locked the whole spec',
    '  a: "x # fleet:locked not a comment"',
    '  b: 1 # fleet:required',
    '  script: |',
    '    echo # fleet:locked inside a block',
    '  flow: {c: 1, d: 2} # fleet:extension flows',
    '  list:',
    '    - name: web # fleet:locked',
    '# fleet:locked on its own line',
    '---',
    'other: 2 # fleet:locked second document',
    '',
  ].join('\n');
  const marks = inlineMarks('/f.yaml', text);
  assert.deepEqual(
    marks.map((m) => `${m.kind} ${m.path.join('.')} doc${m.doc} ${m.reason ?? '-'} ${text.slice(m.keySpan.start, m.keySpan.end)}`),
    ['locked spec doc0 the whole spec spec', 'required spec.b doc0 - b', 'extension spec.flow doc0 flows flow', 'locked spec.list.0.name doc0 - name', 'locked other doc1 second document other'],
  );
  assert.deepEqual(marks[0].value, { a: 'x # fleet:locked not a comment', b: 1, script: 'echo # fleet:locked inside a block\n', flow: { c: 1, d: 2 }, list: [{ name: 'web' }] });
});

test('policy paths: dotted, wildcards, deep, index, selector, quoted keys; bad ones are config-invalid', () => {
  assert.deepEqual(parsePathPattern('spec.values.ingress.*.className'), [{ key: 'spec' }, { key: 'values' }, { key: 'ingress' }, { any: true }, { key: 'className' }]);
  assert.deepEqual(parsePathPattern('metadata.annotations["fluxcd.io/x.y"]'), [{ key: 'metadata' }, { key: 'annotations' }, { key: 'fluxcd.io/x.y' }]);
  assert.deepEqual(parsePathPattern('spec.containers[name=web].image'), [{ key: 'spec' }, { key: 'containers' }, { select: ['name', 'web'] }, { key: 'image' }]);
  assert.deepEqual(parsePathPattern('a[0].**'), [{ key: 'a' }, { key: '0' }, { deep: true }]);
  for (const bad of ['', 'a..b', 'a.', 'a[', 'a[b]c', '.a']) assert.throws(() => parsePathPattern(bad), bad);

  const root: Json = { spec: { containers: [{ name: 'side', image: 's' }, { name: 'web', image: 'w', env: [{ name: 'X' }] }] } };
  const m = (p: string, ptr: string) => matchPrefix(parsePathPattern(p), ptr.split('/').slice(1), root);
  assert.equal(m('spec.containers[name=web].image', '/spec/containers/1/image'), 4);
  assert.equal(m('spec.containers[name=web].image', '/spec/containers/0/image'), -1);
  assert.equal(m('spec.containers[name=web]', '/spec/containers/1/env/0/name'), 3); // the item and all below
  assert.equal(m('spec.*.*.image', '/spec/containers/0/image'), 4);
  assert.equal(m('**.name', '/spec/containers/1/env/0/name'), 6);
  assert.equal(m('spec.containers', '/spec'), -1);
  assert.deepEqual(expandPattern(parsePathPattern('spec.containers[*].image'), root), [['spec', 'containers', '0', 'image'], ['spec', 'containers', '1', 'image']]);

  const { rules, problems } = parsePolicy('/p/.flux-fleet.yaml', 'locks:\n  - kinds: [HelmRelease]\n    paths: [spec.x, "a..b"]\n    colour: red\n  - reason: no paths\nrequired: nope\n');
  assert.equal(rules.length, 1);
  assert.deepEqual(rules[0].paths.map((p) => p.raw), ['spec.x']);
  assert.deepEqual(problems.map((p) => p.message), [
    'locks: unknown field colour (expected kinds, names, namespaces, paths, reason, allowIn)',
    'locks.paths: a..b: empty segment at 3',
    'locks: a rule needs paths: (dotted field paths, e.g. spec.chart.spec.version)',
    'required: must be a list of rules ({kinds, names, namespaces, paths, reason})',
  ]);
});

test('policy problems are config-invalid findings; a fleet with no locks is not evaluated', () => {
  const { fleet, dir } = fleetOf('locks:\n  - paths: [spec..x]\n', '//- tenant/app/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
  assert.deepEqual(rows(fleet, dir), ['config-invalid platform/.flux-fleet.yaml:5 spec..x']);
  const none = fleetOf('', '//- tenant/app/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
  assert.deepEqual(locksFindings(none.fleet), []);
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: side
          image: busybox:1
        - name: web
          image: ghcr.io/acme/web:1.0
`;

test('filters (kinds, names, namespaces globs), list selectors, the images transformer, allowIn in a tenant path', () => {
  const { fleet, dir } = fleetOf(
    `locks:
  - kinds: [Deploy*]
    names: ["w*"]
    namespaces: ["team-*"]
    paths: ["spec.template.spec.containers[name=web].image"]
    reason: images are scanned
    allowIn: [platform, tenant/app/approved/**]
`,
    `//- tenant/app/kustomization.yaml
namespace: team-a
resources:
  - deploy.yaml
  - other.yaml
images:
  - name: ghcr.io/acme/web
    newTag: "2.0"
  - name: busybox
    newTag: "2"
patches:
  - path: approved/patch.yaml
//- tenant/app/deploy.yaml
${DEPLOYMENT}
//- tenant/app/other.yaml
${DEPLOYMENT.replace('name: web\nspec', 'name: other\nspec')}
//- tenant/app/approved/patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.1
`,
  );
  // Only web's web container; the tenant's own Deployment writes it first, but the approved patch (allowed) sets it
  // again, so that write changes nothing; the images transformer (after patches) is outside the scope. `other` does
  // not match names:, busybox is not the web container.
  assert.deepEqual(rows(fleet, dir), ['locked-field tenant/app/kustomization.yaml:6 name: ghcr.io/acme/web\n    newTag: "2.0"']);
  const images = locksFindings(fleet).find((f) => f.message.includes('images layer'))!;
  // The patch's merge put web first (kustomize prepends patched list items): [name=web] follows it.
  assert.match(images.message, /^spec\.template\.spec\.containers\[0\]\.image is locked \(images are scanned\): this images layer changes it to "ghcr\.io\/acme\/web:2\.0" from the locked "ghcr\.io\/acme\/web:1\.1" \(Deployment team-a\/web, in flux-system\/tenant \(platform\/clusters\/c1\)\)\. Only platform, tenant\/app\/approved\/\*\* may change it\.$/);
  assert.deepEqual(lockCodeActions(fleet, images).map((a) => a.title), []); // a transformer entry: no generic fix
});

test('locks on one field with different scopes are held apart: a write one allows still breaks the other, which alone is named', () => {
  const { fleet, dir } = fleetOf(
    `locks:
  - kinds: [Deployment]
    paths: ["spec.template.spec.containers[name=web].image"]
    reason: platform only
    allowIn: [platform]
  - kinds: [Deployment]
    paths: ["spec.template.spec.containers[name=web].image"]
    reason: approved changes
    allowIn: [platform, tenant/app/approved/**]
`,
    `//- tenant/app/kustomization.yaml
resources:
  - deploy.yaml
patches:
  - path: approved/patch.yaml
//- tenant/app/deploy.yaml
${DEPLOYMENT}
//- tenant/app/approved/patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.1
`,
  );
  const findings = locksFindings(fleet);
  // The approved patch's value wins: the second lock is kept; the first allows neither write.
  assert.deepEqual(rows(fleet, dir, findings), ['locked-field tenant/app/approved/patch.yaml:10 ghcr.io/acme/web:1.1', 'locked-field tenant/app/deploy.yaml:12 ghcr.io/acme/web:1.0']);
  for (const f of findings) {
    assert.match(f.message, / \(platform only\): .* Only platform may change it\.$/);
    assert.deepEqual(lockFindingDetail(fleet, f)?.locks.map((l) => l.reason), ['platform only']);
  }
});

test('an inline lock on a map locks what tenants add below it; required with wildcards and through ${VAR}', () => {
  const { fleet, dir } = fleetOf(
    `required:
  - kinds: [ConfigMap]
    paths: ["data.*"]
`,
    `//- platform/bases/cm/kustomization.yaml
resources: [cm.yaml]
//- platform/bases/cm/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: # fleet:locked labels come from the platform
    team: platform
data:
  region: \${region}
  zone: \${zone:=}
//- tenant/app/kustomization.yaml
resources:
  - https://github.com/acme/platform//bases/cm
patches:
  - patch: |
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        labels:
          tier: gold
`,
  );
  // region comes from the tenant Kustomization's variables; zone's default is empty.
  assert.deepEqual(rows(fleet, dir), ['locked-field tenant/app/kustomization.yaml:10 gold', 'missing-required tenant/app/kustomization.yaml:2 https://github.com/acme/platform//bases/cm']);
  const fs = locksFindings(fleet);
  assert.match(fs.find((f) => f.code === 'locked-field')!.message, /^metadata\.labels\.tier is locked \(labels come from the platform\): this patch changes it to "gold" where the lock leaves it unset/);
  assert.equal(fs.find((f) => f.code === 'missing-required')!.message, 'data.zone is required but not set for ConfigMap settings in context flux-system/tenant (platform/clusters/c1).');
});

test('HelmRelease values by targetPath, App userConfig layers, the effective values under spec.values', () => {
  const { fleet, dir } = fleetOf(
    `locks:
  - kinds: [HelmRelease, App]
    paths: [spec.values.image.registry]
`,
    `//- platform/apps/kustomization.yaml
resources: [app.yaml, release.yaml]
//- platform/apps/app.yaml
apiVersion: application.giantswarm.io/v1alpha1
kind: App
metadata:
  name: mon
  namespace: org
spec:
  catalog: c
  name: mon
  version: 1.0.0
  config:
    configMap:
      name: mon-config
      namespace: org
  userConfig:
    configMap:
      name: mon-user
      namespace: org
//- platform/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: org
spec:
  chart:
    spec:
      chart: web
  valuesFrom:
    - kind: ConfigMap
      name: registry
      valuesKey: host
      targetPath: image.registry
  values:
    image:
      registry: ghcr.io/acme
//- tenant/app/kustomization.yaml
resources:
  - https://github.com/acme/platform//apps
  - user.yaml
//- tenant/app/user.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: mon-user
  namespace: org
data:
  values: |
    image:
      registry: docker.io/me
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: registry
  namespace: org
data:
  host: quay.io
`,
  );
  // The App's userConfig writes the registry; the HelmRelease's inline value (allowed) wins over the targetPath one.
  assert.deepEqual(rows(fleet, dir), ['locked-field tenant/app/user.yaml:9 docker.io/me']);
  assert.match(locksFindings(fleet)[0].message, /this values layer \(userConfig ConfigMap\) changes it to "docker\.io\/me" where the lock leaves it unset \(App org\/mon,/);
});

test('a policy path whose plain prefix lies above spec.values (spec.*.image.registry) reaches the effective values', () => {
  const { fleet, dir } = fleetOf(
    `locks:
  - kinds: [HelmRelease]
    paths: [spec.*.image.registry]
`,
    `//- platform/apps/kustomization.yaml
resources: [release.yaml]
//- platform/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: org
spec:
  chart:
    spec:
      chart: web
  valuesFrom:
    - kind: ConfigMap
      name: web-values
//- tenant/app/kustomization.yaml
resources:
  - https://github.com/acme/platform//apps
  - values.yaml
//- tenant/app/values.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-values
  namespace: org
data:
  values.yaml: |
    image:
      registry: docker.io/me
`,
  );
  // Only the effective values hold the registry (the release writes no spec.values): the lock must reach them.
  assert.deepEqual(rows(fleet, dir), ['locked-field tenant/app/values.yaml:9 docker.io/me']);
});

test('removal keeps everything else: one document of several, a patchesStrategicMerge entry, an inline patch, flow maps, emptied data', () => {
  const { fleet, dir } = fleetOf(
    `locks:
  - kinds: [ConfigMap]
    paths: [data.locked]
`,
    `//- tenant/app/kustomization.yaml
resources:
  - cms.yaml
  - vars.yaml
patchesStrategicMerge:
  - two-docs.yaml
  - only.yaml
patches:
  # keep this comment
  - patch: |-
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: c
      data:
        locked: inline
  - path: flow.yaml
//- tenant/app/cms.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
data: {locked: base, free: x}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b}
data: {locked: base}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {locked: base}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: d}
data: {locked: base}
//- tenant/app/vars.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: e
data:
  locked: mine
//- tenant/app/two-docs.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
data:
  locked: one # a comment
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
data:
  free: y
//- tenant/app/only.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
data:
  locked: two
//- tenant/app/flow.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: d
data: {free: z, locked: three}
`,
  );
  const fs = locksFindings(fleet);
  const at = (needle: string) => fs.find((f) => fleet.facts.get(f.file)!.text.slice(f.span.start, f.span.end) === needle && f.code === 'locked-field')!;
  const k = fleet.facts.get(path.join(dir, 'tenant/app/kustomization.yaml'))!.text;
  // Every tenant write of data.locked (the lock's default scope is the platform repository).
  assert.deepEqual(rows(fleet, dir, fs).filter((r) => r.startsWith('locked-field')), [
    'locked-field tenant/app/cms.yaml:14 base',
    'locked-field tenant/app/cms.yaml:19 base',
    'locked-field tenant/app/cms.yaml:4 base',
    'locked-field tenant/app/cms.yaml:9 base',
    'locked-field tenant/app/flow.yaml:5 three',
    'locked-field tenant/app/kustomization.yaml:15 inline',
    'locked-field tenant/app/only.yaml:6 two',
    'locked-field tenant/app/two-docs.yaml:6 one',
    'locked-field tenant/app/vars.yaml:6 mine',
  ]);
  // A document of a two-document patch: the other stays.
  assert.deepEqual(removal(fleet, dir, at('one')), { 'tenant/app/two-docs.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  free: y\n' });
  // A whole patch file: the patchesStrategicMerge entry goes, the file is deleted.
  assert.deepEqual(removal(fleet, dir, at('two')), { 'tenant/app/kustomization.yaml': k.replace('  - only.yaml\n', ''), 'tenant/app/only.yaml': null });
  // An inline patch left empty: its entry goes, the comment above it stays.
  assert.deepEqual(removal(fleet, dir, at('inline')), { 'tenant/app/kustomization.yaml': k.replace(/  - patch: \|-\n[\s\S]*?locked: inline\n/, '') });
  // In a flow map: the pair and its comma.
  assert.deepEqual(removal(fleet, dir, at('three')), { 'tenant/app/flow.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata: {free: z}\n' });
  const cms = fleet.facts.get(path.join(dir, 'tenant/app/cms.yaml'))!.text;
  assert.deepEqual(removal(fleet, dir, fs.find((f) => f.file.endsWith('cms.yaml') && offsetToLineCol(fleet.facts.get(f.file)!.lineStarts, f.span.start).line === 3)!), { 'tenant/app/cms.yaml': cms.replace('data: {locked: base, free: x}', 'data: {free: x}') });
  // The only key of a resource's data: `data: {}` (a resource keeps its top-level fields).
  assert.deepEqual(removal(fleet, dir, at('mine')), { 'tenant/app/vars.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e\ndata: {}\n' });
  assert.equal(lockFindingDetail(fleet, at('mine'))!.writeKind, 'resource');
});

test('a Flux patch whose text the parent substituted: reported at the patch node, not the whole block', () => {
  const { fleet, dir } = fleetOf(
    `locks:
  - kinds: [ConfigMap]
    paths: [data.zone]
`,
    `//- tenant/app/child.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: child
  namespace: flux-system
spec:
  path: ./child
  prune: true
  sourceRef:
    kind: GitRepository
    name: tenant
  patches:
    - patch: |
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          zone: \${region}-1
      target:
        kind: ConfigMap
//- tenant/child/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  zone: a
`,
  );
  assert.deepEqual(rows(fleet, dir), ['locked-field tenant/app/child.yaml:19 ${region}-1', 'locked-field tenant/child/cm.yaml:6 a']);
  const f = locksFindings(fleet).find((x) => x.file.endsWith('child.yaml'))!;
  assert.match(f.message, /this Flux spec\.patches entry changes it to "eu-1"/);
});

test('SARIF 2.1.0: rules, levels, regions with lines and offsets, related locations, relative URIs', () => {
  const dir = path.resolve(__dirname, '../fixtures/locks');
  const fleet = loadFleet(dir);
  const findings = locksFindings(fleet);
  const log = toSarif(findings, dir, (f) => fleet.facts.get(f)?.text) as unknown as {
    version: string;
    $schema: string;
    runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string; defaultConfiguration: { level: string } }> } }; originalUriBaseIds: Record<string, { uri: string }>; results: Array<Record<string, any>> }>;
  };
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'flux-fleet');
  assert.deepEqual(run.tool.driver.rules.map((r) => `${r.id}:${r.defaultConfiguration.level}`), ['locked-field:error', 'missing-required:error', 'redundant-override:note']);
  assert.equal(run.results.length, findings.length);
  const r = run.results.find((x) => x.locations[0].physicalLocation.artifactLocation.uri === 'tenant-a/apps/web/version-ops.yaml')!;
  assert.equal(r.ruleId, 'locked-field');
  assert.equal(r.level, 'error');
  assert.equal(run.tool.driver.rules[r.ruleIndex].id, 'locked-field');
  assert.deepEqual(r.locations[0].physicalLocation.region, { charOffset: 86, charLength: 5, startLine: 4, startColumn: 10, endLine: 4, endColumn: 15 });
  assert.equal(r.locations[0].physicalLocation.artifactLocation.uriBaseId, 'SRCROOT');
  assert.deepEqual(r.relatedLocations.map((x: any) => `${x.physicalLocation.artifactLocation.uri}:${x.physicalLocation.region.startLine} ${x.message.text}`), ['platform/bases/web/helmrelease.yaml:10 locked by # fleet:locked: chart versions are set by the platform']);
  assert.equal(run.originalUriBaseIds.SRCROOT.uri, 'file://' + dir + '/');
  assert.equal(run.results.find((x) => x.ruleId === 'redundant-override')!.level, 'note');
  // Without texts: offsets only; outside cwd: absolute file URIs.
  const bare = toSarif(findings.slice(0, 1), '/elsewhere') as any;
  assert.deepEqual(Object.keys(bare.runs[0].results[0].locations[0].physicalLocation.region), ['charOffset', 'charLength']);
  assert.match(bare.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, /^file:\/\/\//);
});
