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
