// Customer separation (test/fixtures/tenants and inline fleets): tenants declared or inferred, the lockdown each
// cluster runs under, and each rule's finding at the line that breaks it, through `check` as CI runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadFleet, materialize } from '../helpers/fixture';
import { check, evaluateFleet, tenantsReport, renderTenants } from '../../server/src/ide';
import { offsetToLineCol } from '../../server/src/core/text';
import { parseFleetConfig } from '../../server/src/core/fleetConfig';
import type { Fleet } from '../../server/src/core/model';
import { CORPORA, corporaPresent, loadCorpus } from '../helpers/corpora';
import type { Finding } from '../../server/src/core/findings';
import { allContexts, type Context } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { appliedResources } from '../../server/src/core/evaluate/resourceSets';
import { readGrants, tenantModel } from '../../server/src/core/tenants/model';
import type { JsonObject, Resource } from '../../server/src/core/kustomize/types';
import type { TenantModel } from '../../server/src/core/tenants/types';

const TENANT_CODES = new Set(['tenant-escape', 'no-service-account', 'cross-namespace-ref', 'remote-base', 'rbac-broadening']);
const fixture = path.resolve(__dirname, '../fixtures/tenants');

/** `severity code file:line:col-line:col` of a finding, relative to `dir`. */
function at(fleet: Fleet, dir: string, f: Finding): string {
  const lines = fleet.facts.get(f.file)!.lineStarts;
  const s = offsetToLineCol(lines, f.span.start);
  const e = offsetToLineCol(lines, f.span.end);
  return `${f.severity} ${f.code} ${path.relative(dir, f.file)}:${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}`;
}

function tenantFindingsOf(fleet: Fleet): Finding[] {
  return check(fleet, { strictSubstitution: true, schema: false }).filter((f) => TENANT_CODES.has(f.code));
}

const LOCK_REFS = 'Lockdown: --no-cross-namespace-refs=true at platform/clusters/prod/flux-system/kustomization.yaml:9.';
const LOCK_BASES = 'Lockdown: --no-remote-bases=true at platform/clusters/prod/flux-system/kustomization.yaml:16.';

test('lockdown fleet: one finding per breach, at the line that breaks the rule, naming tenant, rule, lockdown and fix', () => {
  const fleet = loadFleet(path.join(fixture, 'platform'));
  const all = check(fleet, { strictSubstitution: true, schema: true });
  // The fixture is otherwise sound: every error or warning is a tenant rule's.
  assert.deepEqual(all.filter((f) => (f.severity === 'error' || f.severity === 'warning') && !TENANT_CODES.has(f.code)).map((f) => at(fleet, fixture, f)), []);
  const found = tenantFindingsOf(fleet).map((f) => [at(fleet, fixture, f), f.message]);
  assert.deepEqual(found, [
    ['error tenant-escape team-beta/deploy/escape.yaml:4:9-4:20', `Tenant beta, tenant-escape: its build creates ClusterRole beta-reader, which is cluster-scoped. ${LOCK_REFS} Fix: cluster-scoped objects are the platform's: move it to the platform's repository, or remove it.`],
    ['error tenant-escape team-beta/deploy/escape.yaml:14:14-14:19', `Tenant beta, tenant-escape: its build puts ConfigMap alpha/beta-settings into namespace alpha, which belongs to tenant alpha. ${LOCK_REFS} Fix: keep its objects in its own namespaces (beta).`],
    ['error no-service-account team-beta/deploy/extra.yaml:4:9-4:19', `Tenant beta, no-service-account: Kustomization beta/beta-extra has no spec.serviceAccountName and no default service account is set: kustomize-controller applies it with its own cluster-admin rights. ${LOCK_REFS} Fix: set spec.serviceAccountName (e.g. beta), or have the platform set --default-service-account (FluxInstance spec.cluster.tenantDefaultServiceAccount).`],
    ['error remote-base team-beta/deploy/kustomization.yaml:4:5-4:68', `Tenant beta, remote-base: its build loads the remote base https://github.com/tenancy-example/shared-bases//redis?ref=main, which kustomize-controller refuses under no-remote-bases. ${LOCK_BASES} Fix: vendor the base into the tenant's repository (or reference it as a Flux source) and refer to it by a local path.`],
    ['warning rbac-broadening team-beta/deploy/rbac.yaml:9:9-9:22', `Tenant beta, rbac-broadening: RoleBinding beta/beta-developers grants ClusterRole cluster-admin. ${LOCK_REFS} Fix: bind a narrower role (e.g. ClusterRole edit or view, or a Role of the tenant's own).`],
    ['error cross-namespace-ref team-beta/deploy/release.yaml:15:20-15:31', `Tenant beta, cross-namespace-ref: HelmRelease beta/web refers to namespace flux-system (chart.spec.sourceRef), which helm-controller refuses under no-cross-namespace-refs. ${LOCK_REFS} Fix: refer to an object in beta: have the platform put a copy there, or drop the namespace.`],
  ]);
});

test('tenants report: each tenant with its repositories, namespaces, service account, lockdown and findings', () => {
  const fleet = loadFleet(path.join(fixture, 'platform'));
  const reports = tenantsReport(fleet);
  assert.deepEqual(reports.map((r) => ({ ...r, findings: r.findings.map((f) => at(fleet, fixture, f)) })), [
    {
      name: 'alpha',
      source: 'inferred',
      evidence: ['Kustomization alpha/alpha is labelled toolkit.fluxcd.io/tenant: alpha (platform/tenants/alpha/sync.yaml:14)'],
      repositories: ['https://github.com/tenancy-example/team-alpha#main'],
      namespaces: ['alpha'],
      serviceAccounts: ['alpha'],
      lockdown: ['--no-cross-namespace-refs=true at platform/clusters/prod/flux-system/kustomization.yaml:9', '--no-remote-bases=true at platform/clusters/prod/flux-system/kustomization.yaml:16'],
      contexts: ['platform/clusters/prod/flux-system: flux-system/flux-system > flux-system/tenants > alpha/alpha'],
      findings: [],
    },
    {
      name: 'beta',
      source: 'inferred',
      evidence: ['Kustomization beta/beta is labelled toolkit.fluxcd.io/tenant: beta (platform/tenants/beta/sync.yaml:14)'],
      repositories: ['https://github.com/tenancy-example/team-beta#main'],
      namespaces: ['beta'],
      serviceAccounts: ['beta'],
      lockdown: ['--no-cross-namespace-refs=true at platform/clusters/prod/flux-system/kustomization.yaml:9', '--no-remote-bases=true at platform/clusters/prod/flux-system/kustomization.yaml:16'],
      contexts: ['platform/clusters/prod/flux-system: flux-system/flux-system > flux-system/tenants > beta/beta', 'platform/clusters/prod/flux-system: flux-system/flux-system > flux-system/tenants > beta/beta > beta/beta-extra'],
      findings: [
        'error tenant-escape team-beta/deploy/escape.yaml:4:9-4:20',
        'error tenant-escape team-beta/deploy/escape.yaml:14:14-14:19',
        'error no-service-account team-beta/deploy/extra.yaml:4:9-4:19',
        'error remote-base team-beta/deploy/kustomization.yaml:4:5-4:68',
        'warning rbac-broadening team-beta/deploy/rbac.yaml:9:9-9:22',
        'error cross-namespace-ref team-beta/deploy/release.yaml:15:20-15:31',
      ],
    },
  ]);
  const text = renderTenants(reports, (f) => at(fleet, fixture, f));
  assert.match(text, /^tenant alpha \(inferred\)\n {2}from: .*\n {2}repositories: https:\/\/github.com\/tenancy-example\/team-alpha#main\n {2}namespaces: alpha\n {2}service accounts: alpha\n {2}lockdown:\n {4}--no-cross-namespace-refs=true at .*\n {4}--no-remote-bases=true at .*\n {2}contexts: 1\n {2}findings: none\n/);
  assert.match(text, /\n {2}findings: 6\n {4}error tenant-escape team-beta\/deploy\/escape.yaml:4:9-4:20: error tenant-escape Tenant beta, tenant-escape: /);
});

/** A platform with a FluxInstance (multitenant or not) and two declared tenants, written inline. */
function operatorFleet(cluster: string, tenants = true) {
  return materialize(`//- platform/.flux-fleet.yaml
repositories:
  https://github.com/ops-example/platform: .
  https://github.com/ops-example/apps: ../apps
${tenants ? `tenants:
  - name: shop
    repositories: [https://github.com/ops-example/apps]
    namespaces: [shop]
  - name: billing
    paths: [tenants/billing]
    namespaces: [billing]
` : ''}//- platform/clusters/prod/flux-system/instance.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: 2.7.x
${cluster}  sync:
    kind: GitRepository
    url: https://github.com/ops-example/platform
    ref: refs/heads/main
    path: clusters/prod
//- platform/clusters/prod/tenants.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: flux-system
spec:
  interval: 10m
  path: ./tenants
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/tenants/shop.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: apps
  namespace: shop
spec:
  interval: 1m
  url: https://github.com/ops-example/apps
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: shop
  namespace: shop
spec:
  interval: 10m
  path: ./shop
  prune: true
  sourceRef:
    kind: GitRepository
    name: apps
//- platform/tenants/billing/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: billing
  namespace: billing
spec:
  interval: 10m
  serviceAccountName: billing
  path: ./tenants/billing/app
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
//- platform/tenants/billing/app/config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: billing-config
  namespace: billing
data:
  currency: EUR
//- apps/shop/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cart
  namespace: shop
spec:
  interval: 10m
  dependsOn:
    - name: payments
      namespace: billing
  targetNamespace: billing
  chart:
    spec:
      chart: cart
      sourceRef:
        kind: HelmRepository
        name: charts
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: shop
spec:
  interval: 1h
  url: https://charts.example.com
`);
}

test('declared tenants under a multitenant FluxInstance: the default service account satisfies no-service-account; cross-namespace refs are errors', () => {
  const m = operatorFleet('  cluster:\n    multitenant: true\n    tenantDefaultServiceAccount: flux-tenant\n');
  const fleet = loadFleet(path.join(m.dir, 'platform'));
  const lock = 'Lockdown: FluxInstance flux-system/flux spec.cluster.multitenant: true at platform/clusters/prod/flux-system/instance.yaml:10.';
  assert.deepEqual(tenantFindingsOf(fleet).map((f) => [at(fleet, m.dir, f), f.message]), [
    ['error cross-namespace-ref apps/shop/release.yaml:10:18-10:25', `Tenant shop, cross-namespace-ref: HelmRelease shop/cart refers to namespace billing (dependsOn.0), which helm-controller refuses under no-cross-namespace-refs. ${lock} Fix: refer to an object in shop: have the platform put a copy there, or drop the namespace.`],
    ['error tenant-escape apps/shop/release.yaml:11:20-11:27', `Tenant shop, tenant-escape: its build has HelmRelease shop/cart install its chart into namespace billing, which belongs to tenant billing. ${lock} Fix: keep its objects in its own namespaces (shop).`],
    ['error cross-namespace-ref platform/tenants/billing/sync.yaml:14:16-14:27', `Tenant billing, cross-namespace-ref: Kustomization billing/billing refers to namespace flux-system (sourceRef), which kustomize-controller refuses under no-cross-namespace-refs. ${lock} Fix: refer to an object in billing: have the platform put a copy there, or drop the namespace.`],
  ]);
  const reports = tenantsReport(fleet);
  assert.deepEqual(reports.map((r) => [r.name, r.source, r.repositories, r.namespaces, r.serviceAccounts, r.lockdown]), [
    ['shop', 'declared at platform/.flux-fleet.yaml:5', ['https://github.com/ops-example/apps#main'], ['shop'], [], ['FluxInstance flux-system/flux spec.cluster.multitenant: true at platform/clusters/prod/flux-system/instance.yaml:10', 'FluxInstance flux-system/flux spec.cluster.tenantDefaultServiceAccount: flux-tenant at platform/clusters/prod/flux-system/instance.yaml:11']],
    ['billing', 'declared at platform/.flux-fleet.yaml:8', ['platform'], ['billing'], ['billing'], ['FluxInstance flux-system/flux spec.cluster.multitenant: true at platform/clusters/prod/flux-system/instance.yaml:10', 'FluxInstance flux-system/flux spec.cluster.tenantDefaultServiceAccount: flux-tenant at platform/clusters/prod/flux-system/instance.yaml:11']],
  ]);
});

test('without lockdown: a tenant without a service account is a warning, and cross-namespace refs are allowed', () => {
  const m = operatorFleet('');
  const fleet = loadFleet(path.join(m.dir, 'platform'));
  const none = 'No lockdown is declared for this cluster.';
  assert.deepEqual(tenantFindingsOf(fleet).map((f) => [at(fleet, m.dir, f), f.message]), [
    ['warning no-service-account apps/shop/release.yaml:4:9-4:13', `Tenant shop, no-service-account: HelmRelease shop/cart has no spec.serviceAccountName and no default service account is set: helm-controller applies it with its own cluster-admin rights. ${none} Fix: set spec.serviceAccountName to the tenant's service account, or have the platform set --default-service-account (FluxInstance spec.cluster.tenantDefaultServiceAccount).`],
    ['error tenant-escape apps/shop/release.yaml:11:20-11:27', `Tenant shop, tenant-escape: its build has HelmRelease shop/cart install its chart into namespace billing, which belongs to tenant billing. ${none} Fix: keep its objects in its own namespaces (shop).`],
    ['warning no-service-account platform/tenants/shop.yaml:15:9-15:13', `Tenant shop, no-service-account: Kustomization shop/shop has no spec.serviceAccountName and no default service account is set: kustomize-controller applies it with its own cluster-admin rights. ${none} Fix: set spec.serviceAccountName to the tenant's service account, or have the platform set --default-service-account (FluxInstance spec.cluster.tenantDefaultServiceAccount).`],
  ]);
});

test('spec.components: a controller the FluxInstance does not install applies nothing, so a HelmRelease without a service account is no finding there', () => {
  const m = operatorFleet('  components:\n    - source-controller\n    - kustomize-controller\n');
  const fleet = loadFleet(path.join(m.dir, 'platform'));
  // Without helm-controller the HelmRelease's no-service-account goes; the Kustomization's stays (same fleet as above).
  assert.deepEqual(tenantFindingsOf(fleet).map((f) => at(fleet, m.dir, f)), [
    'error tenant-escape apps/shop/release.yaml:11:20-11:27',
    'warning no-service-account platform/tenants/shop.yaml:15:9-15:13',
  ]);
  // The default set (no spec.components) installs helm-controller: the finding is there.
  const d = operatorFleet('');
  assert.ok(tenantFindingsOf(loadFleet(path.join(d.dir, 'platform'))).some((f) => f.code === 'no-service-account' && f.message.includes('HelmRelease shop/cart')));
});

test('nothing declared and no tenant convention: no tenants, no findings (platform-owned Kustomizations are not tenants)', () => {
  const m = operatorFleet('  cluster:\n    multitenant: true\n', false);
  const fleet = loadFleet(path.join(m.dir, 'platform'));
  assert.deepEqual(tenantsReport(fleet), []);
  assert.deepEqual(tenantFindingsOf(fleet), []);
});

test('a tenant a ClusterRoleBinding gives the cluster is not held to namespaces; its lockdown still applies', () => {
  const m = materialize(`//- platform/.flux-fleet.yaml
repositories:
  https://github.com/crb-example/platform: .
//- platform/clusters/prod/flux-system/instance.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  cluster:
    multitenant: true
  sync:
    kind: GitRepository
    url: https://github.com/crb-example/platform
    ref: refs/heads/main
    path: clusters/prod
//- platform/clusters/prod/infra.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra-tenant
  namespace: flux-system
spec:
  interval: 10m
  path: ./infra-tenant
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/infra-tenant/tenant.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: infra
  namespace: flux-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: infra
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: infra
    namespace: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra-controllers
  namespace: flux-system
  labels:
    toolkit.fluxcd.io/tenant: infra
spec:
  interval: 10m
  serviceAccountName: infra
  path: ./infra
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  dependsOn:
    - name: tenants
      namespace: other
//- platform/infra/crd-and-namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
`);
  const fleet = loadFleet(path.join(m.dir, 'platform'));
  assert.deepEqual(tenantFindingsOf(fleet).map((f) => at(fleet, m.dir, f)), ['error cross-namespace-ref platform/infra-tenant/tenant.yaml:37:18-37:23']);
  const [infra] = tenantsReport(fleet);
  assert.equal(infra.name, 'infra');
  assert.equal(infra.clusterWide, 'ClusterRoleBinding infra → ClusterRole cluster-admin (platform/infra-tenant/tenant.yaml:14)');
  assert.deepEqual(infra.namespaces, []);
});

test('.flux-fleet.yaml tenants: invalid entries are config-invalid findings at their place, valid ones are read', () => {
  const file = '/x/platform/.flux-fleet.yaml';
  const text = `tenants:
  - name: ok
    repositories: [https://github.com/o/ok#dev]
    paths: [tenants/ok]
    namespaces: [ok]
  - name: ok
    paths: [a]
    namespaces: [b]
  - repositories: [not a url]
    namespaces: []
    owner: me
  - just-a-string
`;
  const parsed = parseFleetConfig(file, text);
  assert.deepEqual(parsed.tenants.map((t) => [t.name, t.repositories.map((r) => r.key), t.paths, t.namespaces]), [['ok', [{ type: 'git', repoKey: 'github.com/o/ok', branch: 'dev' }], ['/x/platform/tenants/ok'], ['ok']]]);
  const problems = parsed.problems.map((p) => [text.slice(p.span.start, p.span.end).split('\n')[0], p.message]);
  assert.deepEqual(problems, [
    ['ok', 'tenants: ok is declared twice'],
    ['owner', 'tenants: unknown field owner (expected name, repositories, paths, namespaces)'],
    ['repositories: [not a url]', 'tenants: an entry needs a name (a string)'],
    ['not a url', 'tenants: not a Git or oci:// URL: not a url'],
    ['repositories: [not a url]', 'tenants: an entry needs namespaces: (where its code may write)'],
    ['just-a-string', 'tenants: each entry must be a map with name:, namespaces: and repositories: or paths:'],
  ]);
});

test('flux-fleet tenants (text and --format json) and check --format sarif carry the tenant findings', () => {
  const root = path.resolve(__dirname, '../..');
  const cli = (args: string[]) => spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), ...args], { cwd: root, encoding: 'utf8' });
  const json = cli(['tenants', '--format', 'json', 'test/fixtures/tenants/platform']);
  assert.equal(json.status, 1, json.stderr);
  const reports = JSON.parse(json.stdout) as Array<{ name: string; namespaces: string[]; serviceAccounts: string[]; lockdown: string[]; findings: Array<Record<string, unknown>> }>;
  assert.deepEqual(reports.map((r) => [r.name, r.namespaces, r.serviceAccounts, r.lockdown.length, r.findings.length]), [['alpha', ['alpha'], ['alpha'], 2, 0], ['beta', ['beta'], ['beta'], 2, 6]]);
  const { message, ...escape } = reports[1].findings[0];
  assert.deepEqual(escape, { file: 'test/fixtures/tenants/team-beta/deploy/escape.yaml', line: 4, column: 9, endLine: 4, endColumn: 20, severity: 'error', code: 'tenant-escape' });
  assert.match(String(message), /^Tenant beta, tenant-escape: /);
  const text = cli(['tenants', 'test/fixtures/tenants/platform']);
  assert.match(text.stdout, /^tenant alpha \(inferred\)$/m);
  assert.match(text.stdout, /^ {4}test\/fixtures\/tenants\/team-beta\/deploy\/rbac\.yaml:9:9: warning rbac-broadening Tenant beta, rbac-broadening: /m);
  const sarif = JSON.parse(cli(['check', '--format', 'sarif', 'test/fixtures/tenants/platform']).stdout);
  const rules = sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
  for (const code of TENANT_CODES) assert.ok(rules.includes(code), code);
  const none = cli(['tenants', 'examples']);
  assert.equal(none.status, 0, none.stdout);
  assert.match(none.stdout, /^tenant tenant-a \(inferred\)\n[\s\S]*findings: none\n/);
});

test('a tenant inferred from its own service account and RoleBinding alone (no labels); writing into the platform namespace is an escape; the editor tier reports it too', async () => {
  const m = materialize(`//- platform/.flux-fleet.yaml
repositories:
  https://github.com/sa-example/platform: .
//- platform/clusters/prod/flux-system/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/sa-example/platform
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/clusters/prod/team.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: team
  namespace: team
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: team
  namespace: team
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: team
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: team
  namespace: team
spec:
  interval: 10m
  serviceAccountName: team
  path: ./team
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
//- platform/team/config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: team-config
  namespace: team
---
apiVersion: v1
kind: Secret
metadata:
  name: sneaky
  namespace: flux-system
stringData:
  token: do-not-show-me
`);
  const fleet = loadFleet(path.join(m.dir, 'platform'));
  const [team] = tenantsReport(fleet);
  assert.deepEqual([team.name, team.evidence, team.namespaces, team.serviceAccounts], ['team', ['Kustomization team/team runs as service account team, which a RoleBinding in team binds (platform/clusters/prod/team.yaml:23)'], ['team'], ['team']]);
  const found = tenantFindingsOf(fleet);
  assert.deepEqual(found.map((f) => [at(fleet, m.dir, f), f.message]), [
    ['error tenant-escape platform/team/config.yaml:11:14-11:25', "Tenant team, tenant-escape: its build puts Secret flux-system/sneaky into namespace flux-system, which belongs to the platform. No lockdown is declared for this cluster. Fix: keep its objects in its own namespaces (team)."],
  ]);
  const evaluated = await evaluateFleet(fleet, { strictSubstitution: true, schema: false, openFiles: [], maxContexts: 300, pause: async () => true });
  assert.deepEqual(evaluated!.byFile.get(m.file('platform/team/config.yaml'))?.filter((f) => f.code === 'tenant-escape').map((f) => f.message), [found[0].message]);
});

test('a flag patched onto one controller only binds that controller (FluxInstance spec.kustomize.patches, kustomization patches)', () => {
  const m = operatorFleet(`  kustomize:
    patches:
      - target:
          kind: Deployment
          name: kustomize-controller
        patch: |
          - op: add
            path: /spec/template/spec/containers/0/args/-
            value: --no-cross-namespace-refs=true
      - target:
          kind: Deployment
          name: "(kustomize-controller|source-controller)"
        patch: |
          - op: add
            path: /spec/template/spec/containers/0/args/-
            value: --default-service-account=flux-tenant
`);
  const fleet = loadFleet(path.join(m.dir, 'platform'));
  // The HelmRelease's cross-namespace dependsOn is allowed (helm-controller is not locked), its missing service account
  // is not covered by kustomize-controller's default: an error, since the cluster is locked down.
  assert.deepEqual(tenantFindingsOf(fleet).map((f) => [at(fleet, m.dir, f), f.message.replace(/ Fix: .*/, '')]), [
    ['error no-service-account apps/shop/release.yaml:4:9-4:13', 'Tenant shop, no-service-account: HelmRelease shop/cart has no spec.serviceAccountName and no default service account is set: helm-controller applies it with its own cluster-admin rights. Lockdown: --no-cross-namespace-refs=true at platform/clusters/prod/flux-system/instance.yaml:17.'],
    ['error tenant-escape apps/shop/release.yaml:11:20-11:27', "Tenant shop, tenant-escape: its build has HelmRelease shop/cart install its chart into namespace billing, which belongs to tenant billing. Lockdown: --no-cross-namespace-refs=true at platform/clusters/prod/flux-system/instance.yaml:17."],
    ['error cross-namespace-ref platform/tenants/billing/sync.yaml:14:16-14:27', 'Tenant billing, cross-namespace-ref: Kustomization billing/billing refers to namespace flux-system (sourceRef), which kustomize-controller refuses under no-cross-namespace-refs. Lockdown: --no-cross-namespace-refs=true at platform/clusters/prod/flux-system/instance.yaml:17.'],
  ]);
});

test('real fleets: inference finds flux2-multi-tenancy\'s dev-team and d1\'s apps (namespaced) and infra (cluster-wide) tenants, all clean; kustomize-helm-example only labels namespaces for two teams; the others have none', (t) => {
  if (!corporaPresent) return t.skip('corpora absent');
  const summary = (name: string) => tenantsReport(loadCorpus(name)).map((r) => ({ name: r.name, namespaces: r.namespaces, serviceAccounts: r.serviceAccounts, clusterWide: !!r.clusterWide, lockdown: r.lockdown.length, findings: r.findings.length }));
  const found = Object.fromEntries(Object.keys(CORPORA).map((name) => [name, summary(name)]));
  assert.deepEqual(found['flux2-monitoring-example'], []);
  assert.deepEqual(found['gitops-template'], []);
  // Namespaces labelled for two teams, deployed by the platform's own Kustomizations: owners known, no tenant code.
  assert.deepEqual(found['flux2-kustomize-helm-example'], [
    { name: 'dev-team', namespaces: ['podinfo'], serviceAccounts: [], clusterWide: false, lockdown: 0, findings: 0 },
    { name: 'sre-team', namespaces: ['cert-manager', 'envoy-gateway-system'], serviceAccounts: [], clusterWide: false, lockdown: 0, findings: 0 },
  ]);
  assert.deepEqual(found['flux2-multi-tenancy'], [{ name: 'dev-team', namespaces: ['apps'], serviceAccounts: ['dev-team'], clusterWide: false, lockdown: 6, findings: 0 }]);
  assert.deepEqual(found.d1, [
    { name: 'apps', namespaces: ['apps-update', 'backend', 'frontend'], serviceAccounts: ['flux-apps'], clusterWide: false, lockdown: 9, findings: 0 },
    { name: 'infra', namespaces: [], serviceAccounts: ['flux-infra'], clusterWide: true, lockdown: 9, findings: 0 },
    // The namespaces infra's code creates for the platform team (labelled so in d1-infra).
    { name: 'platform-team', namespaces: ['kyverno', 'monitoring'], serviceAccounts: [], clusterWide: false, lockdown: 0, findings: 0 },
  ]);
});

test('a fleet too large to evaluate whole: the open file\'s contexts still know their tenant (read from the builds above them)', async () => {
  const fleet = loadFleet(path.join(fixture, 'platform'));
  const escape = path.join(fixture, 'team-beta/deploy/escape.yaml');
  const evaluated = await evaluateFleet(fleet, { strictSubstitution: true, schema: false, openFiles: [escape], maxContexts: 2, pause: async () => true });
  assert.match(evaluated!.scope, /open files/);
  assert.deepEqual(evaluated!.byFile.get(escape)?.map((f) => at(fleet, fixture, f)), ['error tenant-escape team-beta/deploy/escape.yaml:4:9-4:20', 'error tenant-escape team-beta/deploy/escape.yaml:14:14-14:19']);
});

test('tenant grants: a build shared by several contexts is read once, and the model equals the one read from every context\'s own copy (first labels and last ClusterRoleBindings still win)', () => {
  const cluster = (name: string) => `//- platform/clusters/${name}/tenants.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: flux-system
spec:
  interval: 10m
  path: ./tenants
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
  const m = materialize(`//- platform/.flux-fleet.yaml
repositories:
  https://github.com/grants-example/platform: .
${cluster('prod')}${cluster('staging')}//- platform/tenants/alpha.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: alpha
  labels:
    toolkit.fluxcd.io/tenant: alpha
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: alpha
  namespace: alpha
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: admin
subjects:
  - kind: ServiceAccount
    name: alpha
    namespace: alpha
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: alpha-wide
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: alpha-reader
subjects:
  - kind: ServiceAccount
    name: alpha
    namespace: alpha
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: alpha-reader
rules:
  - apiGroups: ['']
    resources: [pods]
    verbs: [get, list]
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: alpha
  namespace: alpha
spec:
  interval: 10m
  serviceAccountName: alpha
  path: ./alpha
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
//- platform/alpha/config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: alpha
`);
  const fleet = loadFleet(path.join(m.dir, 'platform'));
  const contexts = allContexts(fleet, rootKustomizations(fleet));
  const lists = new Set(contexts.map((c) => appliedResources(fleet, c.build.resources).objects));
  assert.ok(lists.size < contexts.length, `contexts share builds (${lists.size} lists, ${contexts.length} contexts)`);
  const shared = tenantModel(fleet, contexts);
  assert.equal(fleet.db.stats().tenantGrants.misses, lists.size);
  // The general path: every context with a copy of its build of its own (parents copied too), each read afresh (a
  // copy is the context with its own `parent` and `build`: its other fields and getters are the original's).
  const copies = new Map<Context, Context>();
  const unshared = (c: Context): Context => {
    let copy = copies.get(c);
    if (!copy) copies.set(c, (copy = Object.create(c, { parent: { value: c.parent && unshared(c.parent) }, build: { value: { ...c.build, resources: [...c.build.resources] } } }) as Context));
    return copy;
  };
  const own = tenantModel(fleet, contexts.map(unshared));
  assert.equal(fleet.db.stats().tenantGrants.misses, lists.size + contexts.length);
  const picture = (t: TenantModel) => ({
    tenants: t.tenants.map((x) => ({ ...x, repositories: [...x.repositories], namespaces: [...x.namespaces], serviceAccounts: [...x.serviceAccounts] })),
    contexts: t.contexts.map((c) => [c.ctx.key, c.tenant.name]),
    platformNamespaces: [...t.platformNamespaces],
    clusterRoleVerbs: [...t.clusterRoleVerbs].map(([k, v]) => [k, [...v.verbs], v.at]),
  });
  assert.deepEqual(picture(shared), picture(own));
  assert.deepEqual(picture(shared).tenants.map((t) => [t.name, t.clusterWide?.role]), [['alpha', 'ClusterRoleBinding alpha-wide → ClusterRole alpha-reader']]);
  // Lists read once still decide as lists read in turn: a namespace's first label and an account's last
  // ClusterRoleBinding win (lists x, y, x: x's binding, read last; y's label, read before x's second one).
  const resource = (o: JsonObject): Resource => ({ obj: o, prov: new Map(), origin: { file: `/${String((o.metadata as JsonObject).name)}.yaml`, layer: { step: 'resource' } } });
  const binding = (name: string) => resource({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { kind: 'ClusterRole', name }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }] });
  const labelled = (tenant: string) => resource({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', labels: { 'toolkit.fluxcd.io/tenant': tenant } } });
  const x = [binding('x')];
  const y = [labelled('y'), binding('y')];
  const z = [labelled('z')];
  const grants = readGrants(fleet, [x, y, z, x].map((resources) => ({ build: { resources } }) as unknown as Context));
  assert.equal(nameOfBinding(grants.clusterBindings.get('ns/sa')), 'x');
  assert.equal(grants.labelledNamespaces.get('ns')?.tenant, 'y');
});

function nameOfBinding(r: Resource | undefined): unknown {
  return (r?.obj.metadata as JsonObject | undefined)?.name;
}
