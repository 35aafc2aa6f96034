// Change impact of Flux Operator ResourceSets (issue 15): the objects a ResourceSet renders are applied in the cluster
// of the context that applies it, so editing its template or its inputs (inline, or a ResourceSetInputProvider in
// another file) shows the rendered objects that change, per cluster; the ones it no longer renders are deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scenario, impactLines } from '../helpers/impact';
import { CORPORA_DIR, corporaPresent } from '../helpers/corpora';
import { Fleet } from '../../server/src/core/model';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { baseDirBaseline } from '../../server/src/core/impact/baseDir';
import { changedFiles } from '../../server/src/core/impact/changedFiles';
import { computeImpact } from '../../server/src/core/impact/impact';
import { tempDir } from '../helpers/tempDir';

const CLUSTER = (name: string) => `
//- clusters/${name}/flux-system/gotk-sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  path: ./clusters/${name}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- clusters/${name}/tenants.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: flux-system
spec:
  path: ./tenants
  prune: false
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      cluster: ${name}
`;

const RSET = (version: string, tenants: string) => `apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: tenants
  namespace: flux-system
spec:
  inputs:
${tenants}
  resources:
    - apiVersion: v1
      kind: ConfigMap
      metadata:
        name: << inputs.tenant >>-settings
        namespace: << inputs.tenant >>
      data:
        cluster: \${cluster}
    - apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: << inputs.tenant >>
        namespace: << inputs.tenant >>
      spec:
        chart:
          spec:
            chart: podinfo
            version: "${version}"
            sourceRef:
              kind: HelmRepository
              name: podinfo
`;

const TWO = '    - tenant: team-a\n    - tenant: team-b';

const FLEET = `
//- .git/config
[remote "origin"]
\turl = https://github.com/acme/fleet
${CLUSTER('prod')}${CLUSTER('staging')}
//- tenants/kustomization.yaml
resources:
  - tenants.yaml
  - selected.yaml
//- tenants/tenants.yaml
${RSET('6.5.0', TWO)}
//- tenants/selected.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: selected
  namespace: flux-system
spec:
  inputsFrom:
    - kind: ResourceSetInputProvider
      name: extra
  resources:
    - apiVersion: v1
      kind: Namespace
      metadata:
        name: << inputs.name >>
//- providers/extra.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSetInputProvider
metadata:
  name: extra
  namespace: flux-system
spec:
  type: Static
  defaultValues:
    name: extra-one
`;

const lines = (s: ReturnType<typeof scenario>) => impactLines(s).map((l) => l.replace(/ff-fixture-\w+/g, '*'));

test("a ResourceSet's template edit shows the rendered objects that change, in every cluster applying it", () => {
  const s = scenario(FLEET, { 'tenants/tenants.yaml': RSET('6.6.0', TWO) });
  const ctx = (c: string) => `context */clusters/${c}/flux-system: flux-system/flux-system > flux-system/tenants changed`;
  assert.deepEqual(lines(s), [
    ctx('prod'),
    '  changed HelmRelease team-a/team-a',
    '    /spec/chart/spec/version: "6.5.0" → "6.6.0" @tenants/tenants.yaml:27',
    '  changed HelmRelease team-b/team-b',
    '    /spec/chart/spec/version: "6.5.0" → "6.6.0" @tenants/tenants.yaml:27',
    '  changed ResourceSet flux-system/tenants',
    '    /spec/resources/1/spec/chart/spec/version: "6.5.0" → "6.6.0" @tenants/tenants.yaml:27',
    ctx('staging'),
    '  changed HelmRelease team-a/team-a',
    '    /spec/chart/spec/version: "6.5.0" → "6.6.0" @tenants/tenants.yaml:27',
    '  changed HelmRelease team-b/team-b',
    '    /spec/chart/spec/version: "6.5.0" → "6.6.0" @tenants/tenants.yaml:27',
    '  changed ResourceSet flux-system/tenants',
    '    /spec/resources/1/spec/chart/spec/version: "6.5.0" → "6.6.0" @tenants/tenants.yaml:27',
  ]);
  const rendered = s.impact.contexts[0].objects.filter((o) => o.kind === 'HelmRelease');
  assert.deepEqual(rendered.map((o) => o.renderedBy), ['flux-system/tenants', 'flux-system/tenants']);
});

test('an input removed: its rendered objects are deleted by the operator (whatever the Kustomization prunes)', () => {
  const s = scenario(FLEET, { 'tenants/tenants.yaml': RSET('6.5.0', '    - tenant: team-a') });
  const prod = lines(s).filter((l) => !l.includes('staging'));
  assert.deepEqual(prod.slice(0, 5), [
    'context */clusters/prod/flux-system: flux-system/flux-system > flux-system/tenants changed',
    '  removed ConfigMap team-b/team-b-settings',
    '  removed HelmRelease team-b/team-b',
    '  changed ResourceSet flux-system/tenants',
    '    /spec/inputs: [{"tenant":"team-a"},{"tenant":"team-b"}] → [{"tenant":"team-a"}] @tenants/tenants.yaml:8',
  ]);
  assert.ok(
    prod.includes('danger warning prune-deletes @tenants/tenants.yaml:9 [2] ResourceSet flux-system/tenants no longer renders 1 object: the Flux Operator deletes ConfigMap team-b/team-b-settings.'),
    prod.join('\n'),
  );
  // The removed HelmRelease is its own danger (Helm uninstalls the release).
  assert.ok(prod.some((l) => /^danger warning kustomization-removed .*HelmRelease team-b\/team-b goes away: Helm uninstalls/.test(l)), prod.join('\n'));
  assert.equal(s.impact.totals.deletions, 4, 'two objects in two clusters, though the Kustomization does not prune');
});

test("an input provider's edit elsewhere reaches the contexts whose ResourceSets read it", () => {
  const s = scenario(FLEET, { 'providers/extra.yaml': FLEET.split('//- providers/extra.yaml\n')[1].replace('extra-one', 'extra-two') });
  assert.deepEqual(lines(s), [
    'context */clusters/prod/flux-system: flux-system/flux-system > flux-system/tenants changed',
    '  removed Namespace extra-one',
    '  added Namespace extra-two',
    'context */clusters/staging/flux-system: flux-system/flux-system > flux-system/tenants changed',
    '  removed Namespace extra-one',
    '  added Namespace extra-two',
    'danger error prune-deletes @providers/extra.yaml:9 [2] ResourceSet flux-system/selected no longer renders 1 object: the Flux Operator deletes Namespace extra-one; Namespace extra-one holds data.',
  ]);
});

test('the Flux Operator corpus: a template edit of a ResourceSet with providers shows its rendered objects per input set', (t) => {
  if (!corporaPresent) return t.skip('corpora absent');
  const corpus = path.join(CORPORA_DIR, 'flux-operator-resourceset');
  // Two copies of the corpus (data to test against, never kept), deployed by a Kustomization of a cluster repository.
  const copy = () => {
    const dir = tempDir('ff-rset-');
    fs.mkdirSync(path.join(dir, 'clusters/prod/flux-system'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, '.git/config'), '[remote "origin"]\n\turl = https://github.com/acme/fleet\n');
    fs.writeFileSync(path.join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(dir, 'clusters/prod/flux-system/sync.yaml'), CLUSTER('prod').split('//- clusters/prod/flux-system/gotk-sync.yaml\n')[1].split('//- ')[0]);
    fs.writeFileSync(path.join(dir, 'clusters/prod/rsets.yaml'), 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: rsets\n  namespace: flux-system\nspec:\n  path: ./rsets\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n');
    fs.mkdirSync(path.join(dir, 'rsets'));
    for (const f of ['rset-with-rsip.yaml', 'rsip.yaml']) fs.copyFileSync(path.join(corpus, f), path.join(dir, 'rsets', f));
    fs.writeFileSync(path.join(dir, 'rsets/kustomization.yaml'), 'resources:\n  - rset-with-rsip.yaml\n  - rsip.yaml\n');
    return dir;
  };
  const base = copy();
  const work = copy();
  const file = path.join(work, 'rsets/rset-with-rsip.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('interval: 10m', 'interval: 5m'));
  const workFleet = new Fleet(new NodeFileSystem(), { roots: [work] });
  workFleet.load();
  const b = baseDirBaseline(new NodeFileSystem(), [{ root: work, baseDir: base }]);
  const baseFleet = new Fleet(b.fs, workFleet.options);
  baseFleet.load();
  const impact = computeImpact(workFleet, baseFleet, b.baseline, changedFiles(workFleet, baseFleet));
  const rsets = impact.contexts.find((c) => c.id.chain.length === 2)!;
  assert.ok(rsets, 'the context of the Kustomization deploying the ResourceSet');
  // Every OCIRepository the template renders (one per application and environment of each provider) changes interval.
  const oci = rsets.objects.filter((o) => o.kind === 'OCIRepository');
  assert.ok(oci.length >= 2, JSON.stringify(rsets.objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`)));
  for (const o of oci) {
    assert.equal(o.status, 'changed');
    assert.equal(o.renderedBy, 'test/apps');
    assert.deepEqual(o.fields.map((f) => [f.path, f.old, f.new]), [['/spec/interval', '10m', '5m']]);
  }
  assert.equal(rsets.objects.filter((o) => o.kind === 'Kustomization' && o.status !== 'changed').length, 0);
});

test('a ResourceSet that no longer builds (a half-typed template) deletes nothing: the operator fails and keeps what it applied', () => {
  const broken = RSET('6.5.0', TWO).replace('name: << inputs.tenant >>-settings', 'name: << inputs.tenant >-settings');
  const s = scenario(FLEET, { 'tenants/tenants.yaml': broken });
  for (const c of s.impact.contexts) {
    assert.deepEqual(c.objects.filter((o) => o.status === 'removed'), [], c.key);
    assert.deepEqual(c.dangers.map((d) => d.code), [], c.key);
  }
  // Only the ResourceSet object itself changed.
  assert.deepEqual([...new Set(s.impact.contexts.flatMap((c) => c.objects.map((o) => `${o.status} ${o.kind} ${o.name}`)))], ['changed ResourceSet tenants']);
});
