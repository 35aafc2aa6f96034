// Operation plans: the fleet after a plan in memory equals the fleet after applying it on disk; the findings a plan
// adds are named; the CLI's applier writes all or nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { materialize, loadFleet, findingLines } from '../helpers/fixture';
import { applyPlan, emptyPlan, findingsAddedBy, fleetAfter, type OperationPlan } from '../../server/src/ide';

const FLEET = `
//- platform/clusters/prod/kustomization.yaml
resources: [sync.yaml, ../../apps/web]
//- platform/clusters/prod/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./platform/apps/web
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
//- platform/apps/web/kustomization.yaml
resources: [deploy.yaml]
//- platform/apps/web/deploy.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: web}
`;

/** Moving apps/web to apps/site, with both references rewritten. */
function movePlan(m: ReturnType<typeof materialize>): OperationPlan {
  const cluster = m.file('platform/clusters/prod/kustomization.yaml');
  const sync = m.file('platform/clusters/prod/sync.yaml');
  const at = (file: string, s: string) => {
    const start = fs.readFileSync(file, 'utf8').indexOf(s);
    return { start, end: start + s.length };
  };
  return {
    ...emptyPlan('Move apps/web to apps/site'),
    edits: [
      { file: cluster, span: at(cluster, '../../apps/web'), newText: '../../apps/site' },
      { file: sync, span: at(sync, './platform/apps/web'), newText: './platform/apps/site' },
    ],
    moves: ['kustomization.yaml', 'deploy.yaml'].map((f) => ({ from: m.file(`platform/apps/web/${f}`), to: m.file(`platform/apps/site/${f}`) })),
  };
}

test('the fleet after a plan, in memory, is the fleet after applying it on disk', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const plan = movePlan(m);
  const after = fleetAfter(fleet, plan);
  assert.equal(after.facts.has(m.file('platform/apps/web/deploy.yaml')), false);
  assert.equal(after.facts.has(m.file('platform/apps/site/deploy.yaml')), true);
  assert.deepEqual(findingLines(after, m.dir), []);
  const { added } = findingsAddedBy(fleet, plan);
  assert.deepEqual(added, []);
  assert.deepEqual(applyPlan(plan, (f) => fleet.facts.get(f)?.text), { ok: true });
  assert.equal(fs.existsSync(m.file('platform/apps/web/deploy.yaml')), false);
  const onDisk = loadFleet(m.dir);
  assert.deepEqual([...onDisk.facts.keys()].sort(), [...after.facts.keys()].sort());
  for (const [file, facts] of onDisk.facts) assert.equal(after.facts.get(file)?.text, facts.text, file);
});

test('a plan that leaves a reference behind adds its finding, named at the reference', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const plan = movePlan(m);
  plan.edits = plan.edits.slice(1); // the cluster's kustomization still lists ../../apps/web
  const { added } = findingsAddedBy(fleet, plan);
  assert.deepEqual(added.map((f) => [f.code, f.file]), [['path-not-found', m.file('platform/clusters/prod/kustomization.yaml')]]);
});

test('the applier writes nothing when a file changed since it was read, or a new file exists', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const plan = movePlan(m);
  const cluster = m.file('platform/clusters/prod/kustomization.yaml');
  fs.appendFileSync(cluster, '# changed\n');
  const done = applyPlan(plan, (f) => fleet.facts.get(f)?.text);
  assert.ok('error' in done && done.error.includes('is not what was read'));
  assert.equal(fs.existsSync(m.file('platform/apps/web/deploy.yaml')), true);
  const fresh = loadFleet(m.dir);
  const create = { ...emptyPlan('create'), creates: [{ file: m.file('platform/apps/web/deploy.yaml'), text: 'x: 1\n' }] };
  const refused = applyPlan(create, (f) => fresh.facts.get(f)?.text);
  assert.ok('error' in refused && refused.error.includes('exists'));
});
