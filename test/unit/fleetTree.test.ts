// The Fleet view's tree (`flux-fleet tree`): HelmReleases and Giant Swarm Apps under the Kustomization whose builds
// hold them, as each context renders them (overlay patches, namespaces and postBuild substitution applied), a click
// place at the declaring document's name; the cluster of each root; the contexts and tenants the view filters by.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet, spanText } from '../helpers/fixture';
import { corporaPresent, loadCorpus } from '../helpers/corpora';
import * as ide from '../../server/src/ide';
import type { TreeNode } from '../../server/src/features/fleetTree';
import { fleetClusters, fleetTenants } from '../../server/src/features/fleetFilters';

const DIR = path.resolve(__dirname, '../fixtures/fleet-tree');
const load = () => loadFleet(DIR, [path.join(DIR, 'hub'), path.join(DIR, 'shop')]);

function find(nodes: TreeNode[], label: string): TreeNode[] {
  return nodes.flatMap((n) => [...(n.label === label ? [n] : []), ...find(n.children, label)]);
}

test('fleet tree: a HelmRelease from another repository under the Kustomization that deploys it, as each cluster renders it', () => {
  const fleet = load();
  const tree = ide.fleetTree(fleet);
  const text = ide.renderTree(tree);
  // eu's overlay patches the version and sets the namespace; us's postBuild substitutes the version.
  assert.match(text, /Kustomization flux-system\/apps {2}hub\/clusters\/eu\/apps\.yaml:15\n│ {2}├─ source GitRepository apps {2}→ shop\n│ {2}├─ path \.\/overlays\/eu {2}→ shop\/overlays\/eu\n│ {2}└─ HelmRelease shop\/podinfo {2}chart podinfo 2\.0\.0 from HelmRepository podinfo {2}shop\/base\/podinfo\/release\.yaml:12\n/);
  assert.match(text, /└─ HelmRelease shop-us\/podinfo {2}chart podinfo 1\.5\.0 from HelmRepository podinfo {2}shop\/base\/podinfo\/release\.yaml:12$/m);
  const [release] = find(tree, 'HelmRelease shop/podinfo');
  assert.equal(release.kind, 'helmRelease');
  assert.equal(release.at?.file, path.join(DIR, 'shop/base/podinfo/release.yaml'));
  assert.equal(spanText(fleet, release.at!.file, release.at!.span), 'podinfo');
  assert.equal(release.children.length, 0);
  // Each release once, under its nearest deployer only (not under the cluster root as well).
  assert.equal(find(tree, 'HelmRelease shop/podinfo').length, 1);
});

test('fleet tree: a Giant Swarm App with its chart, version and catalog, under the tenant Kustomization that deploys it', () => {
  const fleet = load();
  const tree = ide.fleetTree(fleet);
  const [tenant] = find(tree, 'Kustomization team-a/team-a');
  const app = tenant.children.find((c) => c.kind === 'app');
  assert.ok(app, ide.renderTree([tenant]));
  assert.equal(app.label, 'App team-a/hello');
  assert.equal(app.detail, 'chart hello-world 0.3.0 from catalog giantswarm  hub/team-a/app.yaml:4');
  assert.equal(spanText(fleet, app.at!.file, app.at!.span), 'hello');
});

test('fleet tree: each root names its cluster and cluster folder; Kustomizations carry their contexts', () => {
  const fleet = load();
  const tree = ide.fleetTree(fleet);
  assert.deepEqual(
    tree.map((r) => [r.label, r.cluster, r.clusterFolder && path.relative(DIR, r.clusterFolder)]),
    [
      ['Kustomization flux-system/flux-system', 'hub/clusters/eu/flux-system', 'hub/clusters/eu'],
      ['Kustomization flux-system/flux-system', 'hub/clusters/us/flux-system', 'hub/clusters/us'],
    ],
  );
  const [tenant] = find(tree, 'Kustomization team-a/team-a');
  assert.deepEqual(tenant.contexts, ['["hub/clusters/eu/flux-system","flux-system/flux-system","flux-system/tenants","team-a/team-a"]']);
  assert.equal(find(tree, 'HelmRelease shop/podinfo')[0].contexts, undefined);
});

test('fleet filters: the clusters, and the tenant model names team-a with the contexts of its code', () => {
  const fleet = load();
  const tenants = fleetTenants(fleet);
  assert.deepEqual(tenants.map((t) => t.name), ['team-a']);
  assert.deepEqual(tenants[0].tops, ['["hub/clusters/eu/flux-system","flux-system/flux-system","flux-system/tenants","team-a/team-a"]']);
  assert.deepEqual(tenants[0].contexts, tenants[0].tops);
  assert.deepEqual(
    fleetClusters(fleet).map((c) => [c.label, path.relative(DIR, c.folder)]),
    [
      ['hub/clusters/eu/flux-system', 'hub/clusters/eu'],
      ['hub/clusters/us/flux-system', 'hub/clusters/us'],
    ],
  );
});

test('corpora: HelmReleases and Apps in the tree (kustomize-helm-example per cluster, d1 across repositories, gitops-template Apps)', (t) => {
  if (!corporaPresent) return t.skip('corpora absent');
  const khe = ide.renderTree(ide.fleetTree(loadCorpus('flux2-kustomize-helm-example')));
  assert.match(khe, /├─ path \.\/production {2}→ flux2-kustomize-helm-example\/apps\/production\n└─ HelmRelease podinfo\/podinfo {2}chart podinfo >=1\.0\.0 from HelmRepository podinfo /);
  assert.match(khe, /└─ HelmRelease podinfo\/podinfo {2}chart podinfo >=1\.0\.0-alpha from HelmRepository podinfo /);
  assert.equal(khe.match(/HelmRelease cert-manager\/cert-manager {2}chartRef OCIRepository cert-manager /g)?.length, 2);
  const d1 = ide.renderTree(ide.fleetTree(loadCorpus('d1')));
  // d1-apps' releases under d1-fleet's tenant Kustomizations, once per cluster.
  assert.equal(d1.match(/HelmRelease frontend\/podinfo {2}chart podinfo \S+ from HelmRepository podinfo {2}d1-apps\/components\/frontend\/base\/podinfo\.yaml:\d+/g)?.length, 3);
  const gs = ide.renderTree(ide.fleetTree(loadCorpus('gitops-template')));
  assert.match(gs, /App org-org-name\/hello-app-dev-1-hello-world {2}chart hello-world-app 0\.1\.8 from catalog giantswarm {2}gitops-template\/bases\/apps\/hello-world\/appcr\.yaml:4/);
});

test('fleet tree: asked again with nothing changed, no Flux build is made again (the view refreshes on every diagnostics change)', () => {
  const fleet = load();
  ide.fleetTree(fleet);
  const before = fleet.db.stats();
  ide.fleetTree(fleet);
  const after = fleet.db.stats();
  assert.ok(after.fluxBuildPartial.hits > before.fluxBuildPartial.hits, JSON.stringify(after.fluxBuildPartial));
  assert.equal(after.fluxBuildPartial.misses, before.fluxBuildPartial.misses);
  assert.equal(after.fleetTreeRelease.misses, before.fleetTreeRelease.misses);
});

/** The builds a function made (Flux builds made or found in the memo, folder builds). */
function builds(fleet: ReturnType<typeof load>, f: () => void): number {
  const count = () => (fleet.db.counts.get('fluxBuild.built') ?? 0) + (fleet.db.counts.get('fluxBuild.reused') ?? 0) + (fleet.db.counts.get('folderBuild.built') ?? 0);
  const before = count();
  f();
  return count() - before;
}

/** A lazy tree with every Kustomization evaluated (as a user expanding every node sees it), without the ids. */
function expandAll(nodes: TreeNode[]): TreeNode[] {
  return nodes.map((n) => {
    const { id: _id, ...filled } = ide.fillNode(n);
    return { ...filled, children: expandAll(filled.children) };
  });
}

test('fleet tree, lazy: the first tree builds no context; expanding a Kustomization builds its contexts and gives its releases', () => {
  const fleet = load();
  void fleet.links;
  let lazy: TreeNode[] = [];
  assert.equal(builds(fleet, () => (lazy = ide.lazyFleetTree(fleet).roots)), 0, 'the lazy tree is the links only');
  const text = ide.renderTree(lazy);
  assert.doesNotMatch(text, /HelmRelease|App /);
  assert.match(text, /Kustomization team-a\/team-a/);
  // The roots' contexts are known without a build; the others' once expanded.
  assert.deepEqual(lazy.map((r) => r.contexts?.length), [1, 1]);
  const [apps] = find(lazy, 'Kustomization flux-system/apps');
  assert.equal(apps.contexts, undefined);
  assert.ok(apps.id && apps.evaluated);
  // The same node by id while nothing changed (what the view's expansion request finds).
  assert.equal(ide.lazyFleetTree(fleet).byId.get(apps.id), apps);
  let filled: TreeNode = apps;
  assert.ok(builds(fleet, () => (filled = ide.fillNode(apps))) > 0);
  assert.deepEqual(filled.contexts, ['["hub/clusters/eu/flux-system","flux-system/flux-system","flux-system/apps"]']);
  assert.deepEqual(
    filled.children.map((c) => c.label),
    ['source GitRepository apps', 'path ./overlays/eu', 'HelmRelease shop/podinfo'],
  );
  assert.match(filled.children[2].detail!, /^chart podinfo 2\.0\.0 from HelmRepository podinfo {2}shop\/base\/podinfo\/release\.yaml:12$/);
});

test('fleet tree, lazy: every node expanded equals the evaluated tree (the fixture and the corpora)', (t) => {
  const fleets = [load, ...(corporaPresent ? ['flux2-kustomize-helm-example', 'flux2-multi-tenancy', 'flux2-monitoring-example', 'd1', 'gitops-template'].map((c) => () => loadCorpus(c)) : [])];
  if (!corporaPresent) t.diagnostic('corpora absent: the fixture only');
  for (const make of fleets) {
    const eager = ide.fleetTree(make());
    const expanded = expandAll(ide.lazyFleetTree(make()).roots);
    assert.equal(ide.renderTree(expanded), ide.renderTree(eager));
    const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown; // fields set to undefined are absent
    assert.deepEqual(plain(expanded), plain(eager));
  }
});
