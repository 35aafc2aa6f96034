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
import { hover } from '../server/src/ide/hover';

function open(dir: string): Fleet {
  const f = new Fleet(new NodeFileSystem(), { roots: [dir] });
  f.load();
  return f;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

export interface ImpactFigure {
  contexts: number;
  wholeMs: number;
  /** The first impact: the baseline loaded (nothing changed yet). */
  firstMs: number;
  /** The first edit after it: the reached contexts built (the working fleet cold too). */
  firstEditMs: number;
  /** A hover asked every 10 ms during the first impact and the first edit: how long each waited for the event loop. */
  hoverWait: { p95: number; max: number; n: number };
  tenant: { p50: number; p95: number; relinkP95: number; contexts: number; objects: number };
  shared: { file: string; ms: number; ratio: number; contexts: number; objects: number; dangers: number };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Issue 15's figures: one tenant file's impact (p95 of 40 unsaved edits) and a shared base's, against one whole evaluation. */
export async function measureImpact(): Promise<ImpactFigure> {
  const { dir } = ensureFleet();
  // One whole-fleet evaluation: every context built whole (what `check` does once).
  const cold = open(dir);
  let t = performance.now();
  const contexts = allContexts(cold, rootKustomizations(cold));
  for (const c of contexts) void c.build.resources.length;
  const wholeMs = performance.now() - t;

  const work = open(dir);
  const spec = { baseDir: dir };
  const tenantFile = path.join(dir, 'tenant-010/deploy/dev/svc-01-patch.yaml');
  const text = work.facts.get(tenantFile)!.text;
  const hovered = path.join(dir, 'tenant-010/deploy/dev/kustomization.yaml');
  const hoverAt = work.facts.get(hovered)!.text.indexOf('svc-01-patch.yaml') + 2;
  const waits: number[] = [];
  let hovering = hoverProbe(() => void hover(work, hovered, hoverAt), waits);
  t = performance.now();
  await impact(work, spec);
  const firstMs = performance.now() - t;
  hovering.stop();
  work.setOverlay(tenantFile, text.replace(/replicas: \d+/, 'replicas: 9'));
  void work.links; // (the re-link the server makes when typing pauses, before the impact: timed apart below)
  hovering = hoverProbe(() => void hover(work, hovered, hoverAt), waits);
  t = performance.now();
  await impact(work, spec);
  const firstEditMs = performance.now() - t;
  hovering.stop();

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
  return {
    contexts: contexts.length,
    wholeMs: round(wholeMs),
    firstMs: round(firstMs),
    firstEditMs: round(firstEditMs),
    hoverWait: { p95: round(p95(waits)), max: round(Math.max(...waits)), n: waits.length },
    tenant: { p50: round([...times].sort((a, b) => a - b)[20]), p95: round(p95(times)), relinkP95: round(p95(linkTimes)), contexts: last!.totals.contexts, objects: last!.totals.objects },
    shared: { file: path.relative(dir, shared), ms: round(sharedMs), ratio: Math.round((sharedMs / wholeMs) * 100) / 100, contexts: wide.totals.contexts, objects: wide.totals.objects, dangers: wide.dangers.length },
  };
}

/**
 * A hover asked every 10 ms while the event loop is busy elsewhere: each records how long it waited past its time
 * (what a user's hover waits for while the impact is computed).
 */
function hoverProbe(ask: () => void, waits: number[]): { stop(): void } {
  let due = performance.now() + 10;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const late = performance.now() - due;
    ask();
    waits.push(Math.max(0, late));
    due = performance.now() + 10;
    timer = setTimeout(tick, 10);
  };
  timer = setTimeout(tick, 10);
  return { stop: () => clearTimeout(timer) };
}

export function describeImpact(r: ImpactFigure): Array<[string, string, string]> {
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
  return [
    ['impact: baseline load, first edit', `first impact (the baseline loaded) ${r.firstMs} ms; the first edit after it ${r.firstEditMs} ms (reached contexts built, the working fleet cold too)`, ''],
    ['impact: a hover meanwhile', `waits p95 ${r.hoverWait.p95} / max ${r.hoverWait.max} ms (n=${r.hoverWait.n}, one every 10 ms during both)`, ''],
    ['impact: one tenant file', `p50 ${r.tenant.p50} / p95 ${r.tenant.p95} ms (unsaved edits; ${r.tenant.contexts} contexts, ${r.tenant.objects} objects; the re-link when typing pauses p95 ${r.tenant.relinkP95} ms, apart)`, `p95 <= 100 ms ${ok(r.tenant.p95 <= 100)}`],
    ['impact: shared base', `${r.shared.ms} ms = ${r.shared.ratio}x one whole-fleet evaluation (${r.wholeMs} ms, ${r.contexts} contexts); ${r.shared.contexts} contexts, ${r.shared.objects} objects, ${r.shared.dangers} dangers`, `<= 2x ${ok(r.shared.ratio <= 2)}`],
  ];
}

if (require.main === module) {
  void measureImpact().then((r) => {
    for (const [a, b, c] of describeImpact(r)) console.log(`${a}  ${b}   [${c}]`);
  });
}
