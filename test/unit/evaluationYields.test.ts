// The server's background evaluation yields to requests between small units of work (issue 12: a hover during a
// whole-fleet evaluation answers within 50 ms): every context found, built and scanned for findings is a step, and
// requests answered between the steps change nothing in what it finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';
import { evaluateFleet, hover, type Evaluated } from '../../server/src/ide';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { evaluationFindings, evaluationFindingsSteps } from '../../server/src/core/evaluate/valueFindings';
import { tenantModel, tenantModelSteps, withAncestors } from '../../server/src/core/tenants/model';

const fixtures = path.resolve(__dirname, '../fixtures');
const options = { strictSubstitution: true, schema: true, openFiles: [], maxContexts: 300 };
const findings = (e: Evaluated | undefined) => [...(e?.byFile ?? [])].map(([file, xs]) => [file, xs.map((x) => `${x.code} ${x.span.start} ${x.message}`).sort()]).sort();

for (const name of ['fleet', 'tenants']) {
  test(`the background evaluation pauses after every unit of work, also while it collects findings, and finds what it finds at once (fixtures/${name})`, async () => {
    const dir = path.join(fixtures, name);
    const atOnce = await evaluateFleet(loadFleet(dir), { ...options, pause: async () => true, sliceMs: Infinity });
    const fleet = loadFleet(dir);
    const contexts = allContexts(fleet, rootKustomizations(loadFleet(dir))).length;
    const hovered = path.join(fixtures, 'fleet/tenant-a/deploy/web-values.yaml');
    let phase: 'finding contexts' | 'building' | 'findings' = 'finding contexts';
    const pauses = { 'finding contexts': 0, building: 0, findings: 0 };
    let answered = 0;
    const evaluated = await evaluateFleet(fleet, {
      ...options,
      sliceMs: 0,
      progress: (done, total) => (phase = done === total && phase === 'building' ? 'findings' : 'building'),
      pause: async () => {
        pauses[phase]++;
        // A request between two units of work (a value hover reads the same contexts' builds).
        if (name === 'fleet' && hover(fleet, hovered, 'replicaCount: '.length)) answered++;
        return true;
      },
    });
    assert.ok(contexts > 3, `${contexts} contexts`);
    assert.ok(pauses['finding contexts'] >= contexts, `a pause after each context found: ${JSON.stringify(pauses)}`);
    assert.ok(pauses.building >= contexts - 1, `a pause after each context built: ${JSON.stringify(pauses)}`);
    assert.ok(pauses.findings >= contexts, `a pause after each context scanned for findings: ${JSON.stringify(pauses)}`);
    if (name === 'fleet') assert.ok(answered > 0, 'hovers answered between the steps');
    assert.deepEqual(findings(evaluated), findings(atOnce));
    assert.ok(findings(atOnce).length > 0);
  });
}

test('an evaluation whose pause says the fleet moved on stops there, without a result', async () => {
  const fleet = loadFleet(path.join(fixtures, 'fleet'));
  let pauses = 0;
  const evaluated = await evaluateFleet(fleet, { ...options, sliceMs: 0, pause: async () => ++pauses < 3 });
  assert.equal(evaluated, undefined);
  assert.equal(pauses, 3);
});

test('the findings pass pauses between two releases of one context (a context of many releases is no longer one unit)', () => {
  const fleet = loadFleet(path.join(fixtures, 'fleet'));
  const contexts = allContexts(fleet, rootKustomizations(fleet));
  for (const c of contexts) void c.build;
  const releases = contexts.reduce((n, c) => n + c.build.resources.filter((r) => r.obj.kind === 'HelmRelease').length, 0);
  const steps = evaluationFindingsSteps(fleet, { strictSubstitution: true }, contexts);
  let yields = 0;
  let r = steps.next();
  for (; !r.done; r = steps.next()) yields++;
  assert.ok(releases > 0, `${releases} releases in ${contexts.length} contexts`);
  // A pause before each context, and one after each release whose values it read (a context holding the same objects
  // as one read before replays what that one found: its releases are not read again, so not every release counts).
  assert.ok(yields > contexts.length, `${yields} pauses for ${contexts.length} contexts and ${releases} releases`);
  assert.deepEqual(r.value.map((x) => `${x.file} ${x.code} ${x.span.start} ${x.message}`), evaluationFindings(loadFleet(path.join(fixtures, 'fleet')), { strictSubstitution: true }, allContexts(fleet, rootKustomizations(fleet))).map((x) => `${x.file} ${x.code} ${x.span.start} ${x.message}`));
});

test('the tenant model pauses while it scans for lockdowns and after each context whose grants it read, and models what it models at once', () => {
  const fleet = loadFleet(path.join(fixtures, 'tenants'));
  const contexts = allContexts(fleet, rootKustomizations(fleet));
  const read = withAncestors(contexts).length;
  const steps = tenantModelSteps(fleet, contexts);
  let yields = 0;
  let r = steps.next();
  for (; !r.done; r = steps.next()) yields++;
  assert.ok(read > 3, `${read} contexts`);
  assert.ok(yields >= read, `${yields} pauses for ${read} contexts read`);
  const atOnce = tenantModel(loadFleet(path.join(fixtures, 'tenants')), contexts);
  const picture = (m: typeof atOnce) => ({ tenants: m.tenants.map((t) => [t.name, [...t.namespaces].sort()]), contexts: m.contexts.map((c) => [c.ctx.key, c.tenant.name]), declarations: m.declarations.map((d) => `${d.file} ${d.flag} ${d.span.start}`), platform: [...m.platformNamespaces].sort() });
  assert.ok(atOnce.tenants.length > 0);
  assert.deepEqual(picture(r.value), picture(atOnce));
});
