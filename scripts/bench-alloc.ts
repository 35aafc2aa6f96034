// `node --import tsx scripts/bench-alloc.ts OUT.heapprofile`: every allocation of openFleet + check of the synthetic
// fleet, sampled (objects collected by minor and major GCs included), as a heap profile for DevTools. Garbage is what
// the GC share of the check is made of, and unlike wall or CPU time it does not vary with the load of a shared machine.
import { Session } from 'node:inspector';
import * as fs from 'node:fs';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import * as ide from '../server/src/ide';
const gen = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false);
const s = new Session();
s.connect();
const post = (m: string, p?: object) => new Promise<any>((res, rej) => s.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r))));
(async () => {
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 65536, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const fleet = ide.openFleet([gen.dir]);
  const findings = ide.check(fleet, { strictSubstitution: true, schema: true });
  const { profile } = await post('HeapProfiler.stopSampling');
  fs.writeFileSync(process.argv[2], JSON.stringify(profile));
  console.log(findings.length);
})();
