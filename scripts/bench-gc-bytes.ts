// `node --v8-pool-size=1 --import tsx scripts/bench-gc-bytes.ts [FLEET_DIR]` (or its esbuild bundle, as the bench's
// measurement note builds bench-check.ts): what the young generation's collections copied in each phase of the whole
// check of the synthetic fleet (load, links, check), after the same `yaml` floor as bench-check.ts. A scavenge's pause
// is mostly the copying of its survivors: into the other semi-space the first time (`copiedMB`: the new space left
// after it), into the old generation the second (`promotedMB`: the old space's growth across it). Unlike pause times,
// these bytes hardly vary with the load of a shared machine (a few percent, from where the collections fall), so two
// versions of the check compare by them in a run or two each. `retainedMB`: the heap after a full collection at the
// end, the fleet still held. What the check keeps to its end was young once and is copied twice: the check's bytes
// copied are about twice what it retains (session 24: ~190 MB copied for ~100 MB kept by links and check).
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { rootAfterFloor, youngGenBytes } from './benchGc';
import * as ide from '../server/src/ide';

const r1 = (x: number) => Math.round(x * 10) / 10;

const root = rootAfterFloor(process.argv[2]);
const load = youngGenBytes(() => ide.openFleet([root]));
const fleet = load.value;
const links = youngGenBytes(() => fleet.links);
const checked = youngGenBytes(() => ide.check(fleet, { strictSubstitution: true, schema: true }));
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
gc();
gc();
const retainedMB = r1(process.memoryUsage().heapUsed / 1e6);
console.log(JSON.stringify({ findings: checked.value.length, load: load.gc, links: links.gc, check: checked.gc, retainedMB }));
