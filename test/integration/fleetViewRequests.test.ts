// The Fleet view's requests over LSP: the tree with HelmReleases and Apps, where tenants begin (the "Add tenant…"
// and filter entries read it), folders of paths; what the filter offers (clusters, tenants with their contexts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveInProcess } from '../helpers/inProcessServer';
import type { FleetFiltersWire, FleetViewFillWire, FleetViewNodeWire } from '../../server/src/lsp/fleetViewProtocol';

const dir = path.resolve(__dirname, '../fixtures/fleet-tree');
const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).href;

function all(nodes: FleetViewNodeWire[]): FleetViewNodeWire[] {
  return nodes.flatMap((n) => [n, ...all(n.children)]);
}

test('fluxFleet/fleetTree and fluxFleet/fleetFilters: releases, tenants marked where they begin, clusters and tenants to filter by', async () => {
  const s = await serveInProcess(['hub', 'shop'].map((f) => path.join(dir, f)), {});
  try {
    const tree = await s.client.sendRequest<FleetViewNodeWire[]>('fluxFleet/fleetTree');
    assert.deepEqual(tree.map((r) => [r.cluster, r.clusterFolderUri]), [
      ['hub/clusters/eu/flux-system', uri('hub/clusters/eu')],
      ['hub/clusters/us/flux-system', uri('hub/clusters/us')],
    ]);
    const nodes = all(tree);
    const tenants = nodes.find((n) => n.label === 'Kustomization flux-system/tenants')!;
    assert.equal(tenants.deploysTenants, true);
    assert.equal(tenants.tenant, undefined);
    const teamA = nodes.find((n) => n.label === 'Kustomization team-a/team-a')!;
    assert.equal(teamA.tenant, 'team-a');
    assert.equal(teamA.folderUri, uri('hub/team-a'));
    const release = nodes.find((n) => n.label === 'HelmRelease shop/podinfo')!;
    assert.equal(release.kind, 'helmRelease');
    assert.equal(release.uri, uri('shop/base/podinfo/release.yaml'));
    assert.deepEqual(release.range, { start: { line: 11, character: 8 }, end: { line: 11, character: 15 } });
    const path_ = nodes.find((n) => n.label === 'path ./overlays/eu')!;
    assert.equal(path_.folderUri, uri('shop/overlays/eu'));
    const filters = await s.client.sendRequest<FleetFiltersWire>('fluxFleet/fleetFilters');
    assert.deepEqual(filters.clusters, [
      { label: 'hub/clusters/eu/flux-system', folderUri: uri('hub/clusters/eu') },
      { label: 'hub/clusters/us/flux-system', folderUri: uri('hub/clusters/us') },
    ]);
    assert.deepEqual(filters.tenants, [{ name: 'team-a', contexts: teamA.contexts }]);
  } finally {
    await s.stop();
  }
});

test('fluxFleet/fleetTree lazy, then fluxFleet/fleetTreeNode: no releases until a Kustomization is expanded; then its releases, contexts and tenant marks as the evaluated tree has them', async () => {
  const s = await serveInProcess(['hub', 'shop'].map((f) => path.join(dir, f)), {});
  try {
    const lazy = await s.client.sendRequest<FleetViewNodeWire[]>('fluxFleet/fleetTree', { lazy: true });
    assert.ok(!all(lazy).some((n) => n.kind === 'helmRelease' || n.kind === 'app'));
    const eager = all(await s.client.sendRequest<FleetViewNodeWire[]>('fluxFleet/fleetTree'));
    const expected = (label: string) => eager.find((n) => n.label === label)!;
    const [eu] = lazy;
    const apps = eu.children.find((n) => n.label === 'Kustomization flux-system/apps')!;
    assert.ok(apps.expand);
    const fill = (await s.client.sendRequest<FleetViewFillWire | null>('fluxFleet/fleetTreeNode', { id: apps.expand }))!;
    assert.deepEqual(fill.releases.map((r) => [r.label, r.detail, r.uri, r.range]), [expected('HelmRelease shop/podinfo')].map((r) => [r.label, r.detail, r.uri, r.range]));
    assert.deepEqual(fill.contexts, expected('Kustomization flux-system/apps').contexts);
    // Expanding the tenants' Kustomization marks it and its child as the evaluated tree does ("Add tenant…", the tenant's name).
    const tenants = eu.children.find((n) => n.label === 'Kustomization flux-system/tenants')!;
    const tenantsFill = (await s.client.sendRequest<FleetViewFillWire | null>('fluxFleet/fleetTreeNode', { id: tenants.expand }))!;
    assert.equal(tenantsFill.deploysTenants, true);
    const teamA = tenants.children.find((n) => n.label === 'Kustomization team-a/team-a')!;
    assert.deepEqual(tenantsFill.kids[teamA.expand!], { contexts: expected('Kustomization team-a/team-a').contexts, tenant: 'team-a' });
    // An id the tree does not hold (it changed since): null, and the view asks for the tree again.
    assert.equal(await s.client.sendRequest('fluxFleet/fleetTreeNode', { id: 'gone' }), null);
  } finally {
    await s.stop();
  }
});
