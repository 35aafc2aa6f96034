// Evaluated builds survive fleet changes only while what they read is unchanged: after every kind of edit, the
// evaluation of every context (objects, provenance, values, variables, hovers) equals a from-scratch one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFixture, loadFleet } from '../helpers/fixture';
import { valueHovers } from '../helpers/valueHovers';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { contextLabel } from '../../server/src/core/evaluate/contextId';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { helmReleaseValues } from '../../server/src/core/evaluate/helmValues';
import type { Fleet } from '../../server/src/core/model';


/** Everything an evaluation answers, as one comparable string. */
function evaluation(fleet: Fleet): string {
  const out: string[] = [];
  for (const c of allContexts(fleet, rootKustomizations(fleet))) {
    const b = c.build;
    out.push(`## ${contextLabel(c.id)}`, JSON.stringify([...b.variables].map(([k, v]) => [k, v.value, v.from])), JSON.stringify(b.issues), JSON.stringify(b.undefinedVariables.map((u) => [u.name, u.pointer])));
    for (const r of b.resources) {
      out.push(JSON.stringify(r.obj), JSON.stringify([...r.prov]));
      if (r.obj.kind === 'HelmRelease') {
        const v = helmReleaseValues(fleet, r, b.resources);
        out.push(JSON.stringify(v.values), JSON.stringify([...v.prov]), JSON.stringify(v.issues));
      }
    }
  }
  return out.join('\n');
}


function fresh(dir: string, overlays: Map<string, string>): Fleet {
  const f = loadFleet(dir);
  for (const [file, text] of overlays) f.setOverlay(file, text);
  return f;
}

test('evaluations after edits, creations and deletions equal from-scratch ones (values fixture)', () => {
  const dir = copyFixture('values');
  const fleet = loadFleet(dir);
  const values = path.join(dir, 'tenant/app/values.yaml');
  const release = path.join(dir, 'tenant/app/release.yaml');
  const chart = path.join(dir, 'tenant/charts/web/values.yaml');
  const kustomization = path.join(dir, 'tenant/app/kustomization.yaml');
  const vars = path.join(dir, 'platform/clusters/prod/vars.yaml');
  const check = (step: string) => {
    const expected = fresh(dir, fleet.overlays);
    assert.equal(evaluation(fleet), evaluation(expected), step);
    for (const f of [values, release]) assert.equal(valueHovers(fleet, f, 7), valueHovers(expected, f, 7), `${step}: hovers in ${path.basename(f)}`);
  };
  const before = evaluation(fleet);
  valueHovers(fleet, values, 7);
  check('unchanged');

  // 0. A file read again with the same text (an editor opens it): new facts, the same contexts and answers.
  const tenantSync = path.join(dir, 'platform/clusters/prod/tenant.yaml');
  fleet.setOverlay(tenantSync, fs.readFileSync(tenantSync, 'utf8'));
  check('re-read unchanged');
  fleet.clearOverlay(tenantSync);
  // 1. Typing in a values file (an overlay): the ConfigMap it generates and the values it feeds change.
  fleet.setOverlay(values, fs.readFileSync(values, 'utf8').replace('replicaCount: 1', 'replicaCount: 7'));
  assert.notEqual(evaluation(fleet), before);
  check('values overlay');
  // 2. The chart's defaults change on disk (read by the values layers, not by the kustomize build).
  fs.writeFileSync(chart, fs.readFileSync(chart, 'utf8') + 'addedByTest: true\n');
  fleet.fileChanged(chart);
  check('chart values saved');
  // 3. The kustomization drops its patch; a variable's value changes in the parent's ConfigMap.
  fleet.setOverlay(kustomization, fs.readFileSync(kustomization, 'utf8').replace(/patches:\n  - path: replicas-patch.yaml\n/, ''));
  fleet.setOverlay(vars, fs.readFileSync(vars, 'utf8').replace('cluster_name: prod', 'cluster_name: prod-2'));
  check('kustomization and variables');
  // 4. A new manifest appears in a folder Flux generates a kustomization for; then it is deleted.
  const added = path.join(dir, 'platform/clusters/prod/extra.yaml');
  fs.writeFileSync(added, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: flux-system\ndata:\n  k: v\n');
  fleet.fileChanged(added);
  assert.ok(evaluation(fleet).includes('"name":"extra"'));
  check('file created');
  // A .sourceignore appears, then (a text change only) starts ignoring the new manifest.
  const ignore = path.join(dir, 'platform/.sourceignore');
  fs.writeFileSync(ignore, '# nothing yet\n');
  fleet.fileChanged(ignore);
  check('.sourceignore created');
  fs.writeFileSync(ignore, 'clusters/prod/extra.yaml\n');
  fleet.fileChanged(ignore);
  assert.ok(!evaluation(fleet).includes('"name":"extra"'));
  check('.sourceignore edited');
  fs.rmSync(ignore);
  fleet.fileDeleted(ignore);
  fs.rmSync(added);
  fleet.fileDeleted(added);
  check('file deleted');
  // 5. Everything back as it was.
  for (const f of [...fleet.overlays.keys()]) fleet.clearOverlay(f);
  fs.writeFileSync(chart, fs.readFileSync(chart, 'utf8').replace('addedByTest: true\n', ''));
  fleet.fileChanged(chart);
  check('reverted');
  assert.equal(evaluation(fleet), before);
});

test('evaluations after edits equal from-scratch ones (locks fixture: two tenants, platform patches)', () => {
  const dir = copyFixture('locks');
  const fleet = loadFleet(dir);
  const yamls = [...fleet.facts.keys()].filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('.flux-fleet.yaml')).sort();
  evaluation(fleet);
  for (const [i, file] of yamls.entries()) {
    // Change one scalar per file (the first number, or the first `: value`), each step on top of the previous ones.
    const text = fleet.overlays.get(file) ?? fs.readFileSync(file, 'utf8');
    const edited = /\b\d+\b/.test(text) ? text.replace(/\b(\d+)\b/, (n) => String(Number(n) + 1)) : text.replace(/: ([a-z][\w.-]*)$/m, ': $1x');
    if (edited === text) continue;
    fleet.setOverlay(file, edited);
    assert.equal(evaluation(fleet), evaluation(fresh(dir, fleet.overlays)), `after editing ${path.relative(dir, file)}`);
  }
});

test('evaluations after edits equal from-scratch ones (Flux components, patches, images and prefix in the top level)', () => {
  const dir = copyFixture('flux-additions');
  const fleet = loadFleet(dir);
  evaluation(fleet);
  // The component's own file first (read only when completing the top level of the build that Flux adds it to).
  const service = path.join(dir, 'components/extra/service.yaml');
  fleet.setOverlay(service, fs.readFileSync(service, 'utf8').replace(/port: \d+/, 'port: 8443'));
  assert.ok(evaluation(fleet).includes('"port":8443'));
  assert.equal(evaluation(fleet), evaluation(fresh(dir, fleet.overlays)), 'after editing the component');
  // Then one scalar per file, each on top of the previous ones (some break the build: errors must match too).
  const yamls = [...fleet.facts.keys()].filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('.flux-fleet.yaml')).sort();
  for (const file of yamls) {
    const text = fleet.overlays.get(file) ?? fs.readFileSync(file, 'utf8');
    const edited = /\b\d+\b/.test(text) ? text.replace(/\b(\d+)\b/, (n) => String(Number(n) + 1)) : text.replace(/: ([a-z][\w.-]*)$/m, ': $1x');
    if (edited === text) continue;
    fleet.setOverlay(file, edited);
    assert.equal(evaluation(fleet), evaluation(fresh(dir, fleet.overlays)), `after editing ${path.relative(dir, file)}`);
  }
});
