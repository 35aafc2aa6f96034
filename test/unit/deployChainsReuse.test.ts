// The deploy chains above a file are found once while the links' includers stay as they were: links carried over
// after a value edit (link/relink.ts) keep the includers map, and with it the deployers and chains found from it;
// an edit of a deploying Kustomization's file gives new includers, and the chains hold its new facts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { clusterSync } from '../helpers/clusterSync';
import { deployChains } from '../../server/src/core/deployChains';
import type { Fleet } from '../../server/src/core/model';

const spec = `//- platform/.flux-fleet.yaml
repositories:
  https://github.com/shared-org/platform: .
${clusterSync('one', { env: 'staging' })}${clusterSync('two', { env: 'production' })}//- platform/apps/kustomization.yaml
resources:
  - release.yaml
configMapGenerator:
  - name: web-values
    files:
      - values.yaml
//- platform/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 5m
//- platform/apps/values.yaml
replicaCount: 2
`;

/** The chains as the files of their Kustomizations, root first. */
const files = (chains: ReturnType<typeof deployChains>) => chains.map((c) => c.map((k) => `${k.owner.file}#${k.owner.doc}`));

test('deploy chains are kept across value edits (the same includers) and found again when a deploying file changes', () => {
  const m = materialize(spec);
  const fleet = loadFleet(m.dir);
  const values = m.file('platform/apps/values.yaml');
  const chains = deployChains(fleet, values);
  assert.equal(chains.length, 2, 'one chain per cluster');
  const edit = (f: Fleet, file: string, from: string, to: string) => f.setOverlay(file, (f.overlays.get(file) ?? f.facts.get(file)!.text).replace(from, to));

  const links = fleet.links;
  edit(fleet, values, 'replicaCount: 2', 'replicaCount: 3');
  edit(fleet, m.file('platform/apps/release.yaml'), '5m', '6m');
  const relinked = fleet.linkStats.relinked;
  assert.notEqual(fleet.links, links, 'new links');
  assert.equal(fleet.linkStats.relinked, relinked + 1, 'carried over');
  assert.equal(fleet.links.includers, links.includers, 'the includers as they were');
  // Keyed by the links, each edit walked every chain above the file again.
  assert.equal(deployChains(fleet, values), chains, 'the same chains, not found again');

  // The cluster's sync file holds the deploying Kustomizations: new includers, new facts in the chains.
  const sync = m.file('platform/clusters/one/sync.yaml');
  edit(fleet, sync, 'url: https://github.com/shared-org/platform', 'url: https://github.com/shared-org/platform  # edited');
  const now = deployChains(fleet, values);
  assert.notEqual(now, chains, 'found again');
  const facts = new Set(fleet.links.flux.keys());
  assert.ok(now.every((c) => c.every((k) => facts.has(k))), "every Kustomization is one of the current links' facts");
  const fresh = loadFleet(m.dir);
  for (const [file, text] of fleet.overlays) fresh.setOverlay(file, text);
  assert.deepEqual(files(now), files(deployChains(fresh, values)), "a fresh fleet's chains");
});
