// Add tenant in a fleet whose tenants a Flux Operator ResourceSet makes (test/fixtures/resourceset-tenants: prod lists
// them in the ResourceSet's `spec.inputs`, staging gives each a Static ResourceSetInputProvider): the tenant model sees
// the tenants the templates make, and a new tenant is one more input written like the followed one's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';
import { addTenantPlan, applyPlan, check, findingsAddedBy, tenantsReport, type OperationAnswer, type OperationPlan } from '../../server/src/ide';
import { addTenant } from '../../server/src/core/operations/addTenant';
import { applyEdits } from '../../server/src/core/operations/plan';
import { tempDir } from '../helpers/tempDir';

const FIXTURE = path.resolve(__dirname, '../fixtures/resourceset-tenants');
const TEAM_C = { name: 'team-c', repoUrl: 'https://github.com/rset-example/team-c' };

/** A copy of the fixture, with team-c's repository cloned and holding its first object. */
function fleetCopy(): string {
  const dir = tempDir('ff-add-rset-tenant-');
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'team-c/deploy'), { recursive: true });
  fs.copyFileSync(path.join(dir, 'team-a/deploy/kustomization.yaml'), path.join(dir, 'team-c/deploy/kustomization.yaml'));
  fs.writeFileSync(path.join(dir, 'team-c/deploy/settings.yaml'), fs.readFileSync(path.join(dir, 'team-a/deploy/settings.yaml'), 'utf8').replace('team-a', 'team-c'));
  return dir;
}

function planOf(a: OperationAnswer): OperationPlan {
  assert.ok(!('refused' in a), 'refused' in a ? a.refused : '');
  return a as OperationPlan;
}

/** Each edited file's text after the plan (relative path → text), and the new files. */
function written(plan: OperationPlan, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of plan.creates) out[path.relative(dir, c.file)] = c.text;
  for (const file of new Set(plan.edits.map((e) => e.file))) out[path.relative(dir, file)] = applyEdits(fs.readFileSync(file, 'utf8'), plan.edits.filter((e) => e.file === file));
  return out;
}

const mapping = (dir: string) => fs.readFileSync(path.join(dir, 'platform/.flux-fleet.yaml'), 'utf8') + '  https://github.com/rset-example/team-c: ../team-c\n';

test('the tenant model sees the tenants a ResourceSet makes: their namespaces, repositories and service accounts', () => {
  const fleet = loadFleet(path.join(FIXTURE, 'platform'));
  const report = tenantsReport(fleet).map((t) => [t.name, t.namespaces, t.repositories, t.serviceAccounts, t.findings.length]);
  assert.deepEqual(report, [
    ['team-a', ['team-a'], ['https://github.com/rset-example/team-a#main'], ['flux'], 0],
    ['team-b', ['team-b'], ['https://github.com/rset-example/team-b#main'], ['flux'], 0],
  ]);
});

test('without tenant labels, tenants that all run as `flux` are told apart by their namespaces', () => {
  const dir = fleetCopy();
  for (const c of ['prod', 'staging']) {
    const file = path.join(dir, `platform/clusters/${c}/tenants.yaml`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n *labels:\n *toolkit\.fluxcd\.io\/tenant: << inputs\.tenant >>/, ''));
  }
  const fleet = loadFleet(path.join(dir, 'platform'));
  const report = tenantsReport(fleet).map((t) => [t.name, t.namespaces, t.serviceAccounts]);
  assert.deepEqual(report, [
    ['team-a', ['team-a'], ['flux']],
    ['team-b', ['team-b'], ['flux']],
  ]);
});

test('add tenant to prod appends an item to the ResourceSet\'s inputs, written like the followed tenant\'s', () => {
  const dir = fleetCopy();
  const fleet = loadFleet(path.join(dir, 'platform'));
  const plan = planOf(addTenantPlan(fleet, { ...TEAM_C, folder: path.join(dir, 'team-c'), clusters: ['prod'] }));
  const tenants = fs.readFileSync(path.join(dir, 'platform/clusters/prod/tenants.yaml'), 'utf8');
  assert.deepEqual(written(plan, dir), {
    'platform/clusters/prod/tenants.yaml': tenants.replace(
      '      role: view\n',
      '      role: view\n    - tenant: team-c\n      repository: https://github.com/rset-example/team-c\n      role: view\n',
    ),
    'platform/.flux-fleet.yaml': mapping(dir),
  });
  assert.deepEqual(findingsAddedBy(fleet, plan).added, []);
  // Applied on disk: the ResourceSet makes team-c's namespace, account, binding, source and Kustomization.
  const read = (f: string) => fleet.facts.get(f)?.text ?? fleet.fs.readFile(f);
  assert.deepEqual(applyPlan(plan, read), { ok: true });
  const after = loadFleet(path.join(dir, 'platform'));
  const c = tenantsReport(after).find((t) => t.name === 'team-c');
  assert.ok(c, 'tenant team-c is inferred from what the ResourceSet makes');
  assert.deepEqual([c.namespaces, c.repositories, c.serviceAccounts], [['team-c'], ['https://github.com/rset-example/team-c#main'], ['flux']]);
  assert.deepEqual(check(after, { strictSubstitution: true, schema: true }), []);
});

test('add tenant to staging copies the followed tenant\'s Static input provider after it', () => {
  const dir = fleetCopy();
  const fleet = loadFleet(path.join(dir, 'platform'));
  const plan = planOf(addTenantPlan(fleet, { ...TEAM_C, folder: path.join(dir, 'team-c'), clusters: ['staging'] }));
  const tenants = fs.readFileSync(path.join(dir, 'platform/clusters/staging/tenants.yaml'), 'utf8');
  const provider = tenants.slice(0, tenants.indexOf('---\n'));
  assert.deepEqual(written(plan, dir), {
    'platform/clusters/staging/tenants.yaml': provider + '---\n' + provider.replaceAll('team-a', 'team-c') + tenants.slice(provider.length),
    'platform/.flux-fleet.yaml': mapping(dir),
  });
  const read = (f: string) => fleet.facts.get(f)?.text ?? fleet.fs.readFile(f);
  assert.deepEqual(applyPlan(plan, read), { ok: true });
  const after = loadFleet(path.join(dir, 'platform'));
  assert.deepEqual(tenantsReport(after).map((t) => t.name), ['team-a', 'team-b', 'team-c']);
  assert.deepEqual(check(after, { strictSubstitution: true, schema: true }), []);
});

test('add tenant to both clusters writes each cluster\'s input the way that cluster does it', () => {
  const dir = fleetCopy();
  const fleet = loadFleet(path.join(dir, 'platform'));
  const plan = planOf(addTenantPlan(fleet, { ...TEAM_C, folder: path.join(dir, 'team-c'), clusters: ['prod', 'staging'] }));
  assert.equal(plan.title, 'Add tenant team-c (following tenant team-a)');
  assert.deepEqual([...new Set(plan.edits.map((e) => path.relative(dir, e.file)))].sort(), ['platform/.flux-fleet.yaml', 'platform/clusters/prod/tenants.yaml', 'platform/clusters/staging/tenants.yaml']);
  const prod = written(plan, dir)['platform/clusters/prod/tenants.yaml'];
  // team-a's item, comment included, with its name and repository changed.
  assert.match(prod, /\n {4}- tenant: team-c\n {6}repository: https:\/\/github.com\/rset-example\/team-c # the tenant's own repository\n {6}role: admin\n {2}resourcesTemplate/);
  const read = (f: string) => fleet.facts.get(f)?.text ?? fleet.fs.readFile(f);
  assert.deepEqual(applyPlan(plan, read), { ok: true });
  assert.deepEqual(check(loadFleet(path.join(dir, 'platform')), { strictSubstitution: true, schema: true }), []);
});

test('add tenant refuses a ResourceSet whose tenants come from a service the operator queries', () => {
  const dir = fleetCopy();
  const file = path.join(dir, 'platform/clusters/staging/tenants.yaml');
  // The tenants listed by GitHub pull requests: the inputs are samples in .flux-fleet.yaml, not the fleet's own.
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('  type: Static\n  defaultValues:\n    tenant: team-a\n    repository: https://github.com/rset-example/team-a\n', '  type: GitHubPullRequest\n  url: https://github.com/rset-example/tenants\n'));
  fs.appendFileSync(path.join(dir, 'platform/.flux-fleet.yaml'), 'providerSamples:\n  flux-system/team-a:\n    - tenant: team-a\n      repository: https://github.com/rset-example/team-a\n');
  const fleet = loadFleet(path.join(dir, 'platform'));
  const a = addTenant(fleet, { ...TEAM_C, folder: path.join(dir, 'team-c'), clusters: ['staging'] });
  assert.deepEqual(a, { refused: 'ResourceSet flux-system/tenants takes its tenants from a provider the Flux Operator queries (the inputs are samples in ../../.flux-fleet.yaml): add the tenant where that service lists it' });
});
