// Add tenant: the nearest tenant's platform files copied with the names changed, the entries that list them, the
// folders the tenant's repository must hold (never empty), its mapping; the fleet after it has no new finding;
// refusals with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { CORPORA_DIR, corporaPresent, loadCorpus } from '../helpers/corpora';
import { addTenantChoices, addTenantPlan, applyPlan, check, findingsAddedBy, tenantsReport, type OperationAnswer, type OperationPlan } from '../../server/src/ide';
import { addTenant } from '../../server/src/core/operations/addTenant';
import { applyEdits } from '../../server/src/core/operations/plan';
import { main } from '../../server/src/cli';
import { Fleet } from '../../server/src/core/model';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { tempDir } from '../helpers/tempDir';

const FIXTURE = path.resolve(__dirname, '../fixtures/tenants');

/** A copy of the tenants fixture to write into. */
function tenantsCopy(): string {
  const dir = tempDir('ff-add-tenant-');
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function planOf(a: OperationAnswer): OperationPlan {
  assert.ok(!('refused' in a), 'refused' in a ? a.refused : '');
  return a as OperationPlan;
}

/** Each new file (relative path → text) and each edited file's text after the plan. */
function written(plan: OperationPlan, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of plan.creates) out[path.relative(dir, c.file)] = c.text;
  for (const file of new Set(plan.edits.map((e) => e.file))) out[`edited ${path.relative(dir, file)}`] = applyEdits(fs.readFileSync(file, 'utf8'), plan.edits.filter((e) => e.file === file));
  return out;
}

const GAMMA = { name: 'gamma', repoUrl: 'https://github.com/tenancy-example/team-gamma', clusters: ['prod'] };

test('add tenant copies the nearest tenant (alpha) with its names changed, lists it, and maps its repository', () => {
  const dir = tenantsCopy();
  const fleet = loadFleet(path.join(dir, 'platform'));
  const plan = planOf(addTenantPlan(fleet, { ...GAMMA, folder: path.join(dir, 'team-gamma') }));
  assert.equal(plan.title, 'Add tenant gamma (following tenant alpha)');
  assert.deepEqual(written(plan, dir), {
    'platform/tenants/gamma/kustomization.yaml': fs.readFileSync(path.join(FIXTURE, 'platform/tenants/alpha/kustomization.yaml'), 'utf8').replaceAll('alpha', 'gamma'),
    'platform/tenants/gamma/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: gamma\n',
    'platform/tenants/gamma/rbac.yaml': fs.readFileSync(path.join(FIXTURE, 'platform/tenants/alpha/rbac.yaml'), 'utf8').replaceAll('alpha', 'gamma'),
    'platform/tenants/gamma/sync.yaml': fs.readFileSync(path.join(FIXTURE, 'platform/tenants/alpha/sync.yaml'), 'utf8').replaceAll('team-alpha', 'team-gamma').replaceAll('alpha', 'gamma'),
    // The tenant's folder is written like alpha's (its namespace field, renamed) and is not empty: one ConfigMap.
    'team-gamma/deploy/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: gamma\nresources:\n  - tenant.yaml\n',
    'team-gamma/deploy/tenant.yaml':
      "# Tenant gamma's first object, so that its Kustomization builds something (an empty build is refused, and\n# with prune it would delete what it deployed): replace it with the tenant's apps.\n" +
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tenant\ndata:\n  tenant: gamma\n  repository: https://github.com/tenancy-example/team-gamma\n',
    'edited platform/tenants/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - alpha\n  - beta\n  - gamma\n',
    'edited platform/.flux-fleet.yaml': fs.readFileSync(path.join(FIXTURE, 'platform/.flux-fleet.yaml'), 'utf8').replace('../shared-bases\n', '../shared-bases\n  https://github.com/tenancy-example/team-gamma: ../team-gamma\n'),
  });
  // The fleet gains no finding: not even the empty-prune-path an empty tenant folder would be.
  assert.deepEqual(plan.notes, [
    'follows tenant alpha (prod: alpha/alpha)',
    'team-gamma/deploy holds one ConfigMap (tenant.yaml) until the tenant adds its apps: Flux refuses an empty build',
    'checked: no new finding',
  ]);
  assert.deepEqual(findingsAddedBy(fleet, plan).added, []);
});

test('after add tenant the fleet has the new tenant, locked down like the others, and no new finding once its folder holds objects', () => {
  const dir = tenantsCopy();
  // The tenant's repository is cloned already, with something in the folder the platform's path expects.
  fs.mkdirSync(path.join(dir, 'team-gamma/deploy'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'team-gamma/deploy/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [settings.yaml]\n');
  fs.writeFileSync(path.join(dir, 'team-gamma/deploy/settings.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: gamma\ndata:\n  color: green\n');
  const fleet = loadFleet(path.join(dir, 'platform'));
  const plan = planOf(addTenantPlan(fleet, { ...GAMMA, folder: path.join(dir, 'team-gamma') }));
  assert.ok(!plan.creates.some((c) => c.file.includes('team-gamma')), 'the existing folder is left as it is');
  assert.deepEqual(findingsAddedBy(fleet, plan).added, []);
  assert.equal(plan.notes[plan.notes.length - 1], 'checked: no new finding');
  // Applied on disk: the fleet read afresh sees tenant gamma with its namespace and service account.
  const read = (f: string) => fleet.facts.get(f)?.text ?? fleet.fs.readFile(f);
  assert.deepEqual(applyPlan(plan, read), { ok: true });
  const after = loadFleet(path.join(dir, 'platform'));
  const gamma = tenantsReport(after).find((t) => t.name === 'gamma');
  assert.ok(gamma, 'tenant gamma is inferred from the fleet');
  assert.deepEqual([gamma.namespaces, gamma.serviceAccounts, gamma.repositories, gamma.findings], [['gamma'], ['gamma'], ['https://github.com/tenancy-example/team-gamma#main'], []]);
  assert.equal(gamma.lockdown.length, 2);
  assert.equal(check(after, { strictSubstitution: true, schema: true }).length, check(fleet, { strictSubstitution: true, schema: true }).length);
});

test('add tenant refuses what it cannot do, with the reason', () => {
  const dir = tenantsCopy();
  const fleet = loadFleet(path.join(dir, 'platform'));
  const folder = path.join(dir, 'team-gamma');
  const refusal = (req: Partial<Parameters<typeof addTenant>[1]>) => {
    const a = addTenant(fleet, { ...GAMMA, folder, ...req });
    return 'refused' in a ? a.refused : 'a plan';
  };
  assert.equal(refusal({ name: 'alpha' }), 'tenant alpha exists');
  assert.equal(refusal({ name: 'Gamma' }), "Gamma: a tenant's name must be a DNS label (lower-case letters, digits and '-')");
  assert.equal(refusal({ clusters: ['dev'] }), 'dev: no such cluster (the clusters are prod)');
  // A cluster named by its folder on disk (the Fleet view's node), with or without flux-system: the same plan as by name.
  const byName = addTenant(fleet, { ...GAMMA, folder });
  for (const f of ['platform/clusters/prod', 'platform/clusters/prod/flux-system'].map((x) => path.join(dir, x))) {
    if (!fs.existsSync(f)) continue;
    assert.deepEqual(addTenant(fleet, { ...GAMMA, folder, clusters: [f] }), byName, f);
  }
  assert.match(refusal({ clusters: [path.join(dir, 'platform/tenants')] }), /no such cluster/);
  assert.equal(refusal({ clusters: [] }), 'name the clusters the tenant goes to (prod)');
  assert.equal(refusal({ repoUrl: 'not a url' }), 'not a url: not a Git repository URL');
  // A file in the way is never overwritten.
  fs.mkdirSync(path.join(dir, 'platform/tenants/gamma'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'platform/tenants/gamma/namespace.yaml'), '# kept\n');
  const again = loadFleet(path.join(dir, 'platform'));
  const a = addTenant(again, { ...GAMMA, folder });
  assert.deepEqual(a, { refused: 'tenants/gamma/namespace.yaml exists: nothing is overwritten' });
});

test('in the editor, a tenant folder outside the workspace is refused: the platform\'s .flux-fleet.yaml could not map it', () => {
  const dir = tenantsCopy();
  const roots = ['platform', 'team-alpha', 'team-beta', 'shared-bases'].map((f) => path.join(dir, f));
  const fleet = new Fleet(new NodeFileSystem(), { roots, mappingTrust: 'settings' });
  fleet.load();
  assert.deepEqual(addTenant(fleet, { ...GAMMA, folder: path.join(dir, 'team-gamma') }), {
    refused: `${path.join(dir, 'team-gamma')} is outside the workspace folders, where .flux-fleet.yaml cannot map it: add the folder to the workspace first (or choose one inside it)`,
  });
  // Added to the workspace (an empty folder), it is mapped and checked like any other.
  fs.mkdirSync(path.join(dir, 'team-gamma'));
  const inWorkspace = new Fleet(new NodeFileSystem(), { roots: [...roots, path.join(dir, 'team-gamma')], mappingTrust: 'settings' });
  inWorkspace.load();
  planOf(addTenantPlan(inWorkspace, { ...GAMMA, folder: path.join(dir, 'team-gamma') }));
});

test('add tenant refuses a fleet without tenants: there is no layout to follow', () => {
  const m = materialize(`
//- platform/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
//- platform/apps/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: default}
`);
  const a = addTenant(loadFleet(m.dir), { ...GAMMA, folder: m.file('team-gamma') });
  assert.match('refused' in a ? a.refused : '', /^the fleet has no tenant to copy the layout from/);
});

// Per-cluster files (one Kustomization per cluster naming the tenant's folder), like a d1-style fleet: only the
// clusters asked for get the new tenant's file; a list that other clusters read too is refused.
const PER_CLUSTER = `
//- platform/.flux-fleet.yaml
repositories:
  https://example.com/platform: .
  https://example.com/team-a: ../team-a
//- platform/clusters/prod/flux-system/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
//- platform/clusters/prod/team-a-tenant.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: team-a-tenant, namespace: flux-system}
spec:
  interval: 10m
  path: ./tenants/team-a
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substitute: {ENV: production}
//- platform/clusters/staging/flux-system/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec:
  interval: 10m
  path: ./clusters/staging
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
//- platform/clusters/staging/team-a-tenant.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: team-a-tenant, namespace: flux-system}
spec:
  interval: 10m
  path: ./tenants/team-a
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substitute: {ENV: staging}
//- platform/tenants/team-a/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    toolkit.fluxcd.io/tenant: team-a
//- platform/tenants/team-a/rbac.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: team-a, namespace: team-a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: team-a, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
subjects:
  - kind: ServiceAccount
    name: team-a
//- platform/tenants/team-a/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: team-a, namespace: team-a}
spec:
  interval: 1m
  url: https://example.com/team-a
  ref: {branch: main}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: team-a, namespace: team-a}
spec:
  interval: 10m
  serviceAccountName: team-a
  path: ./\${ENV}
  prune: true
  sourceRef: {kind: GitRepository, name: team-a}
//- team-a/production/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: team-a}
//- team-a/staging/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: team-a}
`;

test('add tenant to one of two clusters copies that cluster\'s file only, and each folder its rendered path names', () => {
  const m = materialize(PER_CLUSTER);
  const fleet = loadFleet(m.file('platform'));
  const plan = planOf(addTenantPlan(fleet, { name: 'team-b', repoUrl: 'https://example.com/team-b', folder: m.file('team-b'), clusters: ['staging'] }));
  assert.deepEqual(Object.keys(written(plan, m.dir)).sort(), [
    'edited platform/.flux-fleet.yaml',
    'platform/clusters/staging/team-b-tenant.yaml',
    'platform/tenants/team-b/namespace.yaml',
    'platform/tenants/team-b/rbac.yaml',
    'platform/tenants/team-b/sync.yaml',
    // team-a/staging has no kustomization (Flux generates one): neither has team-b's, only its first object.
    'team-b/staging/tenant.yaml',
  ]);
  const texts = written(plan, m.dir);
  assert.match(texts['platform/clusters/staging/team-b-tenant.yaml'], /name: team-b-tenant, namespace: flux-system[\s\S]*path: \.\/tenants\/team-b[\s\S]*ENV: staging/);
  assert.match(texts['platform/tenants/team-b/sync.yaml'], /url: https:\/\/example\.com\/team-b\n[\s\S]*path: \.\/\$\{ENV\}/);
  assert.equal(texts['edited platform/.flux-fleet.yaml'], 'repositories:\n  https://example.com/platform: .\n  https://example.com/team-a: ../team-a\n  https://example.com/team-b: ../team-b\n');
  // The spec.path holds a variable: the folder is decided per context, and an empty one is not reported there.
  assert.deepEqual(findingsAddedBy(fleet, plan).added, []);
});

test('two repositories of one name side by side: their clusters go by their folders, in the choices and in the messages', () => {
  const m = materialize(PER_CLUSTER.replaceAll('//- ', '//- a/') + PER_CLUSTER.replaceAll('//- ', '//- b/').replaceAll('example.com', 'example.org'));
  const fleet = loadFleet(m.dir, [m.file('a/platform'), m.file('b/platform')]);
  const folders = ['a/platform/clusters/prod', 'a/platform/clusters/staging', 'b/platform/clusters/prod', 'b/platform/clusters/staging'].map((f) => m.file(f));
  assert.deepEqual(addTenantChoices(fleet).clusters, folders);
  const req = { name: 'team-b', repoUrl: 'https://example.com/team-b', folder: m.file('a/team-b') };
  assert.deepEqual(addTenant(fleet, { ...req, clusters: ['staging'] }), { refused: `staging names 2 clusters (${folders[1]}, ${folders[3]}): name one by its folder` });
  // Named by its folder, the plan is that repository's.
  const plan = planOf(addTenantPlan(fleet, { ...req, clusters: [folders[1]] }));
  assert.ok(plan.creates.every((c) => c.file.startsWith(m.file('a') + '/')), plan.creates.map((c) => c.file).join(', '));
  assert.equal(plan.notes[0], `follows tenant team-a (${folders[1]}: team-a/team-a)`);
});

test('add tenant refuses a list another cluster reads too (the tenant would go there as well)', () => {
  const shared = PER_CLUSTER.replace(/\/\/- platform\/clusters\/staging\/team-a-tenant\.yaml[\s\S]*?(?=\/\/- platform\/tenants)/, '').replace(
    '//- platform/clusters/prod/team-a-tenant.yaml',
    '//- platform/clusters/staging/kustomization.yaml\nresources: [flux-system/sync.yaml, ../prod/team-a-tenant.yaml]\n//- platform/clusters/prod/kustomization.yaml\nresources: [flux-system/sync.yaml, team-a-tenant.yaml]\n//- platform/clusters/prod/team-a-tenant.yaml',
  );
  const m = materialize(shared);
  const a = addTenant(loadFleet(m.file('platform')), { name: 'team-b', repoUrl: 'https://example.com/team-b', folder: m.file('team-b'), clusters: ['prod'] });
  assert.deepEqual(a, { refused: 'clusters/staging/kustomization.yaml lists the tenants of staging too: the new tenant would go there as well (add staging to its clusters, or give each cluster its own list)' });
});

test('flux-fleet add tenant --dry-run prints the plan and writes nothing; without it, writes it', () => {
  const dir = tenantsCopy();
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
  const cwd = process.cwd();
  try {
    process.chdir(dir);
    assert.equal(main(['add', 'tenant', 'gamma', '--repo', GAMMA.repoUrl, '--path', 'team-gamma', '--cluster', 'prod', '--dry-run', 'platform']), 0);
    assert.ok(!fs.existsSync(path.join(dir, 'platform/tenants/gamma')));
    assert.equal(main(['add', 'tenant', 'gamma', '--repo', GAMMA.repoUrl, '--path', 'team-gamma', '--cluster=prod', 'platform']), 0);
  } finally {
    process.stdout.write = write;
    process.chdir(cwd);
  }
  const text = out.join('');
  assert.match(text, /^Add tenant gamma \(following tenant alpha\)\ncreate platform\/tenants\/gamma\/kustomization\.yaml \(10 lines\)\n/);
  assert.match(text, /platform\/tenants\/kustomization\.yaml:5:9: "" → "\\n  - gamma"\n/);
  assert.match(text, /2 edit\(s\), 6 new file\(s\), 0 move\(s\) in 8 file\(s\) \(dry run: nothing written\)\n/);
  assert.equal(fs.readFileSync(path.join(dir, 'platform/tenants/gamma/namespace.yaml'), 'utf8'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: gamma\n');
  assert.match(fs.readFileSync(path.join(dir, 'platform/tenants/kustomization.yaml'), 'utf8'), /- beta\n  - gamma\n$/);
});

test('corpus d1: add tenant follows the apps tenant (its per-cluster Kustomization, one component) with no new finding', { skip: !corporaPresent && 'no ../shared corpora' }, () => {
  const fleet = loadCorpus('d1');
  const folder = path.join(CORPORA_DIR, 'd1-team-c');
  const plan = planOf(addTenantPlan(fleet, { name: 'team-c', repoUrl: 'https://github.com/example/team-c', folder, clusters: ['staging', 'prod-eu'] }));
  const texts = written(plan, CORPORA_DIR);
  assert.deepEqual(Object.keys(texts).sort(), [
    'd1-fleet/clusters/prod-eu/team-c-tenant.yaml',
    'd1-fleet/clusters/staging/team-c-tenant.yaml',
    'd1-fleet/tenants/team-c/components/team-c/kustomization.yaml',
    'd1-fleet/tenants/team-c/components/team-c/namespace.yaml',
    'd1-fleet/tenants/team-c/components/team-c/rbac.yaml',
    'd1-fleet/tenants/team-c/components/team-c/sync.yaml',
    'd1-team-c/components/team-c/production/kustomization.yaml',
    'd1-team-c/components/team-c/production/tenant.yaml',
    'd1-team-c/components/team-c/staging/kustomization.yaml',
    'd1-team-c/components/team-c/staging/tenant.yaml',
    'edited d1-fleet/.flux-fleet.yaml',
  ]);
  // Each cluster's file is that cluster's copy (prod-eu drops the automation objects, staging does not).
  assert.match(texts['d1-fleet/clusters/prod-eu/team-c-tenant.yaml'], /name: flux-team-c-tenant[\s\S]*path: \.\/tenants\/team-c[\s\S]*toolkit\.fluxcd\.io\/role=automation/);
  assert.doesNotMatch(texts['d1-fleet/clusters/staging/team-c-tenant.yaml'], /automation/);
  const sync = texts['d1-fleet/tenants/team-c/components/team-c/sync.yaml'];
  for (const line of ['  name: flux-team-c', '  url: https://github.com/example/team-c', '  serviceAccountName: flux-team-c', '  path: ./components/team-c/${ENVIRONMENT}', '    branch: ${GIT_BRANCH}']) assert.ok(sync.includes(line + '\n'), line);
  assert.match(texts['d1-fleet/tenants/team-c/components/team-c/kustomization.yaml'], /namespace: team-c[\s\S]*toolkit\.fluxcd\.io\/tenant: team-c/);
  // Each environment's folder builds one ConfigMap in the tenant's namespace (its Kustomization's: nothing else sets it).
  for (const env of ['production', 'staging']) {
    assert.equal(texts[`d1-team-c/components/team-c/${env}/kustomization.yaml`], 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - tenant.yaml\n');
    assert.match(texts[`d1-team-c/components/team-c/${env}/tenant.yaml`], /kind: ConfigMap\nmetadata:\n  name: tenant\n  namespace: team-c\n/);
  }
  assert.ok(texts['edited d1-fleet/.flux-fleet.yaml'].endsWith('  https://github.com/example/team-c: ../d1-team-c\n'));
  assert.equal(plan.notes[plan.notes.length - 1], 'checked: no new finding');
});

test('corpus flux2-multi-tenancy: add tenant is refused, the overlays put every tenant into dev-team\'s namespace', { skip: !corporaPresent && 'no ../shared corpora' }, () => {
  const fleet = loadCorpus('flux2-multi-tenancy');
  const a = addTenantPlan(fleet, { name: 'team-c', repoUrl: 'https://github.com/example/team-c', folder: path.join(CORPORA_DIR, 'team-c'), clusters: ['staging', 'production'] });
  assert.deepEqual(a, {
    refused: "tenants/production/kustomization.yaml puts everything it lists into namespace apps, tenant dev-team's namespace: a new tenant listed there would land in it too. Give each tenant its namespace in its own folder first (remove `namespace: apps` there and set it in the tenant's folder)",
  });
});
