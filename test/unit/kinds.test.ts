// One table of Kubernetes kinds (server/src/core/kube/kinds.ts): the scope questions it answers, in Kubernetes' sense
// and kustomize v5.5's, and the rule that no other module keeps its own list of cluster-scoped kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KINDS, isClusterScoped, isClusterScopedForKustomize, kindInfo, kustomizeKnownTypes, keepsNameUnderPrefix } from '../../server/src/core/kube/kinds';
import { nameReferencesTo } from '../../server/src/core/kube/builtinNameReferences';
import { isBuiltinKind } from '../../server/src/core/kustomize/mergeKeys';
import { apiGroupOf, apiVersionOf, inApiGroup } from '../../server/src/core/kube/apiVersion';

const src = path.resolve(__dirname, '../../server/src');
function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('no module outside core/kube names cluster-scoped kinds (no private cluster-scoped lists)', () => {
  const clusterKinds = [...new Set(KINDS.filter((k) => k.scope === 'cluster').map((k) => k.kind))];
  const pattern = new RegExp(`['"\`](${clusterKinds.join('|')})['"\`]`, 'g');
  // The few single uses that are about one kind's own behaviour, not about scope.
  const allowed: Record<string, string[]> = {
    'core/kustomize/transformers.ts': ['Namespace', 'ClusterRoleBinding'], // namespace: renames Namespace objects; (Cluster)RoleBinding subjects follow
    'features/completionFleet.ts': ['Namespace'], // namespace names offered from Namespace objects
    'core/extract/producers.ts': ['ClusterExternalSecret', 'ClusterPolicy', 'Namespace'], // producer kinds named as such (and Kyverno rules matching Namespaces), not scope
    'core/link/providedObjects.ts': ['ClusterPolicy'], // a Kyverno producer's kind, for its hover
    'core/tenants/model.ts': ['Namespace', 'ClusterRoleBinding', 'ClusterRole'], // RBAC grants and tenant-labelled Namespaces read as such
    'core/operations/addTenant.ts': ['Namespace', 'ClusterRoleBinding'], // the tenant's Namespace and its service account's bindings, copied as such
    'core/operations/addApp.ts': ['Namespace'], // a neighbour's own Namespace file (an app per namespace), copied as such
    'core/tenants/rules/rbacBroadening.ts': ['ClusterRole'], // the role a RoleBinding grants
    'core/impact/dangers.ts': ['Namespace', 'CustomResourceDefinition', 'ClusterRoleBinding'], // kinds whose deletion loses data; a binding's immutable roleRef
  };
  const offenders: string[] = [];
  for (const f of files(src)) {
    const rel = path.relative(src, f);
    if (rel.startsWith('core/kube/')) continue;
    const found = [...new Set([...fs.readFileSync(f, 'utf8').matchAll(pattern)].map((m) => m[1]))];
    const extra = found.filter((k) => !(allowed[rel] ?? []).includes(k));
    if (extra.length) offenders.push(`${rel}: ${extra.join(', ')}`);
  }
  assert.deepEqual(offenders, []);
});

test('the table has one entry per group and kind', () => {
  const keys = KINDS.map((k) => `${k.group}/${k.kind}`);
  assert.equal(new Set(keys).size, keys.length);
  for (const k of KINDS) {
    assert.ok(k.versions.length > 0, `${k.kind} has versions`);
    for (const v of k.kustomizeVersions) assert.ok(k.versions.includes(v), `${k.group}/${k.kind}: kustomize version ${v} is one of its versions`);
  }
});

test('Kubernetes scope: built-ins and common CRDs', () => {
  for (const kind of ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'ClusterIssuer', 'ClusterPolicy', 'ValidatingAdmissionPolicy', 'GatewayClass']) assert.equal(isClusterScoped(kind), true, kind);
  for (const kind of ['ConfigMap', 'Deployment', 'Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'App', 'Catalog', 'Issuer', 'Policy', 'UnknownThing']) assert.equal(isClusterScoped(kind), false, kind);
  assert.equal(isClusterScoped('ClusterIssuer', 'cert-manager.io'), true);
  assert.equal(isClusterScoped('ClusterIssuer', 'example.com'), false, 'another group\'s kind of that name is unknown, so namespaced');
  assert.equal(kindInfo('kustomize.toolkit.fluxcd.io', 'Kustomization')?.scope, 'namespaced');
  assert.equal(kindInfo('application.giantswarm.io', 'App')?.scope, 'namespaced');
});

test('kustomize v5.5 scope: only what its built-in OpenAPI data (Kubernetes 1.21.2) knows, by exact version', () => {
  assert.equal(isClusterScopedForKustomize({ group: '', version: 'v1', kind: 'Namespace' }), true);
  assert.equal(isClusterScopedForKustomize({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' }), true, 'unknown version: any it knows');
  assert.equal(isClusterScopedForKustomize({ group: 'cert-manager.io', version: 'v1', kind: 'ClusterIssuer' }), false);
  assert.equal(isClusterScopedForKustomize({ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicy' }), false);
  assert.equal(isClusterScopedForKustomize({ group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta1', kind: 'FlowSchema' }), true);
  assert.equal(isClusterScopedForKustomize({ group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', kind: 'FlowSchema' }), false);
  assert.equal(isClusterScopedForKustomize({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleList' }), false);
});

test('the strategic-merge schema knows exactly the types kustomize\'s data knows', () => {
  const known = kustomizeKnownTypes();
  assert.equal(known.length, 97);
  for (const t of known) assert.ok(isBuiltinKind(t.apiVersion, t.kind), `${t.apiVersion} ${t.kind}`);
  assert.equal(isBuiltinKind('apps/v1beta2', 'Deployment'), false);
  assert.equal(isBuiltinKind('cert-manager.io/v1', 'ClusterIssuer'), false);
});

test('prefix/suffix skip and name references come from kustomize\'s builtin configuration', () => {
  assert.equal(keepsNameUnderPrefix('', 'Namespace'), true);
  assert.equal(keepsNameUnderPrefix('apiextensions.k8s.io', 'CustomResourceDefinition'), true);
  assert.equal(keepsNameUnderPrefix('apiregistration.k8s.io', 'APIService'), true);
  assert.equal(keepsNameUnderPrefix('example.com', 'APIService'), false);
  assert.ok(nameReferencesTo('', 'ConfigMap').some((f) => f.path === 'spec/volumes/configMap/name' && f.kind === 'Pod'));
  assert.ok(nameReferencesTo('rbac.authorization.k8s.io', 'ClusterRole').some((f) => f.path === 'roleRef/name' && f.kind === 'ClusterRoleBinding'));
});

test('an apiVersion is split in one place: group and version, the core group empty', () => {
  assert.deepEqual([apiGroupOf('apps/v1'), apiVersionOf('apps/v1')], ['apps', 'v1']);
  assert.deepEqual([apiGroupOf('v1'), apiVersionOf('v1')], ['', 'v1']);
  assert.deepEqual([apiGroupOf('helm.toolkit.fluxcd.io/v2'), apiVersionOf('helm.toolkit.fluxcd.io/v2')], ['helm.toolkit.fluxcd.io', 'v2']);
  assert.deepEqual([apiGroupOf(''), apiVersionOf('')], ['', '']);
  for (const v of ['v1', '/v1', 'apps/v1', 'apps/', 'a/b/c', '', 'rbac.authorization.k8s.io/v1']) for (const g of ['', 'apps', 'a', 'rbac.authorization.k8s.io', 'v1']) assert.equal(inApiGroup(v, g), apiGroupOf(v) === g, `${v} ${g}`);
  // No other module splits one itself (five did, one reading the core `v1` as a group named `v1`).
  const splits = /apiVersion\b[^;\n]*(\.indexOf\(\s*'\/'\s*\)|\.split\(\s*'\/'|\.includes\(\s*'\/'\s*\))/;
  const offenders: string[] = [];
  for (const f of files(src)) {
    const rel = path.relative(src, f);
    if (rel === path.join('core', 'kube', 'apiVersion.ts')) continue;
    fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      if (splits.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
