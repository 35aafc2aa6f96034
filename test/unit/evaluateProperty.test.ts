// Property: whatever sequence of edits a fleet goes through (unsaved text, saves, files created and deleted, edits
// undone), its evaluation equals the evaluation of a fleet indexed from scratch with the same files and overlays.
// Seeded random sequences over the fixtures that exercise the evaluation caches (folder builds, staged top levels,
// memoized Flux builds, contexts kept across edits, values caches).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { contextLabel } from '../../server/src/core/evaluate/contextId';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { helmReleaseValues } from '../../server/src/core/evaluate/helmValues';
import { effectiveValueHover } from '../../server/src/features/effectiveValues';
import type { Fleet } from '../../server/src/core/model';

function evaluation(fleet: Fleet): string {
  const out: string[] = [];
  for (const c of allContexts(fleet, rootKustomizations(fleet))) {
    const b = c.build;
    out.push(`## ${contextLabel(c.id)}`, JSON.stringify([...b.variables].map(([k, v]) => [k, v.value, v.from])), JSON.stringify(b.issues));
    for (const r of b.resources) {
      out.push(JSON.stringify(r.obj), JSON.stringify([...r.prov]), JSON.stringify([...(r.removed ?? [])]));
      if (r.obj.kind === 'HelmRelease') {
        const v = helmReleaseValues(fleet, r, b.resources);
        out.push(JSON.stringify(v.values), JSON.stringify([...v.prov]));
      }
    }
  }
  return out.join('\n');
}

/** Hovers on a few positions of a file: the partial builds and their caches. */
function hovers(fleet: Fleet, file: string): string {
  const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? '';
  const out: string[] = [];
  for (let offset = 0; offset < text.length; offset += 29) out.push(effectiveValueHover(fleet, file, offset)?.markdown ?? '');
  return out.join('\n');
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small change of YAML text: a number bumped, a word changed, a line dropped or duplicated, or nothing. */
function mutate(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(rand() * lines.length);
  switch (Math.floor(rand() * 4)) {
    case 0:
      return text.replace(/\b\d+\b/, (n) => String(Number(n) + 1 + Math.floor(rand() * 3)));
    case 1:
      lines[i] = lines[i].replace(/: ([a-z][\w.-]*)\s*$/, (_, w: string) => `: ${w}${'xyz'[Math.floor(rand() * 3)]}`);
      return lines.join('\n');
    case 2:
      if (lines[i].trim() && !/^\s*(apiVersion|kind|metadata|name|spec|resources|---)/.test(lines[i])) lines.splice(i, 1);
      return lines.join('\n');
    default:
      return text;
  }
}

for (const fixture of ['values', 'locks', 'flux-additions']) {
  test(`random edit sequences on ${fixture}: the evaluation always equals a from-scratch one`, () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const m = materialize('//- .keep\n');
      const dir = path.join(m.dir, fixture);
      fs.cpSync(path.resolve(__dirname, '../fixtures', fixture), dir, { recursive: true });
      const fleet = loadFleet(dir);
      const rand = rng(seed * 7919);
      const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
      const created: string[] = [];
      const steps: string[] = [];
      evaluation(fleet);
      for (let step = 0; step < 16; step++) {
        const yamls = [...fleet.facts.keys()].filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('.flux-fleet.yaml')).sort();
        const file = pick(yamls);
        const op = rand();
        if (op < 0.45) {
          fleet.setOverlay(file, mutate(fleet.overlays.get(file) ?? fs.readFileSync(file, 'utf8'), rand));
          steps.push(`edit ${path.relative(dir, file)}`);
        } else if (op < 0.6 && fleet.overlays.size) {
          const f = pick([...fleet.overlays.keys()]);
          fs.writeFileSync(f, fleet.overlays.get(f)!);
          fleet.clearOverlay(f);
          steps.push(`save ${path.relative(dir, f)}`);
        } else if (op < 0.7 && fleet.overlays.size) {
          const f = pick([...fleet.overlays.keys()]);
          fleet.clearOverlay(f);
          steps.push(`undo ${path.relative(dir, f)}`);
        } else if (op < 0.85) {
          const f = path.join(path.dirname(file), `new-${step}.yaml`);
          fs.writeFileSync(f, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new-${step}\ndata:\n  k: "${step}"\n`);
          fleet.fileChanged(f);
          created.push(f);
          steps.push(`create ${path.relative(dir, f)}`);
        } else if (created.length) {
          const f = created.splice(Math.floor(rand() * created.length), 1)[0];
          fs.rmSync(f);
          fleet.fileDeleted(f);
          steps.push(`delete ${path.relative(dir, f)}`);
        } else continue;
        const fresh = loadFleet(dir);
        for (const [f, t] of fleet.overlays) fresh.setOverlay(f, t);
        const where = `seed ${seed}, after: ${steps.join('; ')}`;
        assert.equal(evaluation(fleet), evaluation(fresh), where);
        assert.equal(hovers(fleet, file), hovers(fresh, file), `${where} (hovers in ${path.relative(dir, file)})`);
      }
    }
  });
}
