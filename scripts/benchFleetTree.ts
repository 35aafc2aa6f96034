// The Fleet view's tree on the synthetic fleet, in process, on fresh fleets (nothing evaluated yet): the lazy first
// tree (links only) and one Kustomization expanded, against the evaluated tree (what the view asked for before it was
// lazy, and what `flux-fleet tree` prints), with the Flux and folder builds each made.
// `node --import tsx scripts/benchFleetTree.ts`.
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import { loadFleet } from '../test/helpers/fixture';
import type { Fleet } from '../server/src/core/model';
import * as ide from '../server/src/ide';

const r1 = (x: number) => Math.round(x * 10) / 10;

function timed<T>(fleet: Fleet, f: () => T): { value: T; ms: number; fluxBuilds: number; folderBuilds: number } {
  const count = () => [fleet.db.counts.get('fluxBuild.built') ?? 0, fleet.db.counts.get('folderBuild.built') ?? 0];
  const [flux0, folder0] = count();
  const t = performance.now();
  const value = f();
  const ms = r1(performance.now() - t);
  const [flux1, folder1] = count();
  return { value, ms, fluxBuilds: flux1 - flux0, folderBuilds: folder1 - folder0 };
}

function fresh(dir: string): Fleet {
  const fleet = loadFleet(dir);
  void fleet.links;
  return fleet;
}

const nodesOf = (ns: ide.TreeNode[]): number => ns.reduce((k, n) => k + 1 + nodesOf(n.children), 0);

const dir = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false).dir;
const a = fresh(dir);
const lazy = timed(a, () => ide.lazyFleetTree(a));
// The first root's Kustomizations expanded in turn, up to the first that holds releases (the figure is that one's).
const kids = lazy.value.roots[0].children.filter((c) => c.evaluated);
let kid = kids[0];
let expand = timed(a, () => ide.fillNode(kid));
for (const k of kids.slice(1)) {
  if (expand.value.children.some((c) => c.kind === 'helmRelease' || c.kind === 'app')) break;
  kid = k;
  expand = timed(a, () => ide.fillNode(k));
}
const b = fresh(dir);
const eager = timed(b, () => ide.fleetTree(b));
const line = (what: string, t: { ms: number; fluxBuilds: number; folderBuilds: number }, extra: string) => console.log(`${what.padEnd(34)} ${String(t.ms).padStart(8)} ms  ${t.fluxBuilds} Flux builds, ${t.folderBuilds} folder builds  ${extra}`);
line('fleet tree, lazy (first answer)', lazy, `${nodesOf(lazy.value.roots)} nodes`);
line(`expand ${kid.label}`, expand, `${expand.value.children.filter((c) => c.kind === 'helmRelease' || c.kind === 'app').length} releases`);
line('fleet tree, evaluated (before)', eager, `${nodesOf(eager.value)} nodes`);
