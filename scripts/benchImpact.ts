// Change impact timings on the synthetic fleet (issue 15): one tenant file edited in the editor (unsaved text, p95 of
// repeated edits), and a shared base edited so that every context is reached, against one whole-fleet evaluation.
// The baseline is the fleet itself (--base-dir of the same folder): only the edits differ. `node --import tsx scripts/benchImpact.ts`
import * as path from 'node:path';
import { ensureFleet } from './synth-fleet';
import { Fleet } from '../server/src/core/model';
import { NodeFileSystem } from '../server/src/core/nodeFileSystem';
import { allContexts } from '../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../server/src/core/deployChains';
import { impact } from '../server/src/ide/impact';

function open(dir: string): Fleet {
  const f = new Fleet(new NodeFileSystem(), { roots: [dir] });
  f.load();
  return f;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

async function main(): Promise<void> {
  const { dir } = ensureFleet();
  // One whole-fleet evaluation: every context built whole (what `check` does once).
  const cold = open(dir);
  let t = performance.now();
  const contexts = allContexts(cold, rootKustomizations(cold));
  for (const c of contexts) void c.build.resources.length;
  const wholeMs = performance.now() - t;

  const work = open(dir);
  const spec = { baseDir: dir };
  t = performance.now();
  await impact(work, spec);
  const firstMs = performance.now() - t;

  const tenantFile = path.join(dir, 'tenant-010/deploy/dev/svc-01-patch.yaml');
  const text = work.facts.get(tenantFile)!.text;
  const times: number[] = [];
  const linkTimes: number[] = [];
  let last;
  for (let i = 0; i < 40; i++) {
    work.setOverlay(tenantFile, text.replace(/replicas: \d+/, `replicas: ${10 + i}`));
    // The whole-fleet re-link the server makes when typing pauses (diagnostics need it too), timed apart.
    t = performance.now();
    void work.links;
    linkTimes.push(performance.now() - t);
    t = performance.now();
    last = await impact(work, spec);
    times.push(performance.now() - t);
  }
  const shared = [...work.facts.keys()].find((f) => f.endsWith('platform/bases/apps/app-1/deployment.yaml'))!;
  const sharedText = work.facts.get(shared)!.text;
  work.setOverlay(tenantFile, text);
  work.setOverlay(shared, sharedText.replace(/image: (\S+)/, 'image: $1-bench'));
  t = performance.now();
  const wide = await impact(work, spec);
  const sharedMs = performance.now() - t;
  console.log(`contexts: ${contexts.length}; whole-fleet evaluation ${wholeMs.toFixed(0)} ms`);
  console.log(`first impact (nothing changed, every context listed) ${firstMs.toFixed(0)} ms`);
  console.log(`one tenant file (unsaved): impact p95 ${p95(times).toFixed(1)} ms, median ${[...times].sort((a, b) => a - b)[20].toFixed(1)} ms (after the re-link: p95 ${p95(linkTimes).toFixed(0)} ms); ${last!.totals.contexts} contexts, ${last!.totals.objects} objects`);
  console.log(`shared base (${path.relative(dir, shared)}): ${sharedMs.toFixed(0)} ms (${(sharedMs / wholeMs).toFixed(2)}× the whole evaluation); ${wide.totals.contexts} contexts, ${wide.totals.objects} objects, ${wide.dangers.length} dangers`);
}

void main();
