// `node --single-threaded --import tsx scripts/bench-gc-passes.ts [FLEET_DIR]` (or its esbuild bundle, as
// bench-gc-bytes.ts): bench-gc-bytes.ts's young-generation bytes split by the passes of the whole check, as ide/
// diagnostics.ts checkWholeFleet runs them (links; every context found, which makes every whole build; the contradicted
// link findings; values, locks, tenants, schemas, deprecations): which pass's survivors the scavenges copy and
// promote. With --single-threaded the collections fall at the same points run after run (no concurrent compiler or
// marker moving them), so two versions compare by one run each: what a pass kept more or less shows as its bytes.
import { rootAfterFloor, youngGenBytes, type YoungGenBytes } from './benchGc';
import * as ide from '../server/src/ide';
import { EVERY_CONTEXT, contextsToEvaluate, evaluationFindings } from '../server/src/core/evaluate/valueFindings';
import { locksFindings } from '../server/src/core/locks/check';
import { contradictedLinkFindings } from '../server/src/core/evaluate/contradicted';
import { evaluatorOf } from '../server/src/core/evaluate/contexts';
import { fleetSchemaDiagnostics } from '../server/src/features/schemaDiagnostics';
import { fleetDeprecatedApiFindings } from '../server/src/features/deprecatedApi';
import { tenantFindings } from '../server/src/core/tenants/registry';

const r1 = (x: number) => Math.round(x * 10) / 10;
const passes: Record<string, Omit<YoungGenBytes, 'gcs'>> = {};

/** Runs `fn` as the pass `name`, its young-generation bytes kept under that name. */
function pass<T>(name: string, fn: () => T): T {
  const { value, gc } = youngGenBytes(fn);
  passes[name] = { scavenges: gc.scavenges, copiedMB: gc.copiedMB, promotedMB: gc.promotedMB, pauseMs: gc.pauseMs };
  return value;
}

const fleet = ide.openFleet([rootAfterFloor(process.argv[2])]);
pass('links', () => fleet.links);
const evaluator = evaluatorOf(fleet);
evaluator.forWholeFleet(() => {
  const { contexts } = pass('contexts', () => contextsToEvaluate(fleet, { strictSubstitution: true, maxContexts: EVERY_CONTEXT }));
  pass('contradicted', () => contradictedLinkFindings(fleet, contexts));
  evaluator.withBuildsHeld(contexts.length, () => {
    pass('values', () => evaluationFindings(fleet, { strictSubstitution: true }, contexts));
    pass('locks', () => locksFindings(fleet, { contexts }));
    pass('tenants', () => tenantFindings(fleet, contexts));
    pass('schemas', () => fleetSchemaDiagnostics(fleet, { evaluate: true }));
    pass('deprecations', () => fleetDeprecatedApiFindings(fleet));
  });
});
const total = Object.values(passes).reduce((t, p) => ({ copiedMB: r1(t.copiedMB + p.copiedMB), promotedMB: r1(t.promotedMB + p.promotedMB), pauseMs: r1(t.pauseMs + p.pauseMs) }), { copiedMB: 0, promotedMB: 0, pauseMs: 0 });
console.log(JSON.stringify({ passes, total }));
