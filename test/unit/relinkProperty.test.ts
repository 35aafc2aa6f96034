// Property: links carried over after an edit (link/relink.ts, while no link shape changed) equal a link from
// scratch of the same fleet — every part of Links, in order —, and the fleet's snapshot, findings and hovers equal
// those of a fleet loaded from scratch with the same files and overlays. Seeded random sequences of edits that keep
// the link shape (values, comments, blank lines, indentation of a value) and edits that change it (renamed objects,
// changed paths, files created and deleted, saves and undos).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { link, type Links } from '../../server/src/core/link/linker';
import { fleetSnapshot } from '../../server/src/core/snapshot';
import { effectiveValueHover } from '../../server/src/features/effectiveValues';
import * as ide from '../../server/src/ide';
import type { Fleet } from '../../server/src/core/model';

/** Every part of the links as text, in order (a relinked Links must be what a fresh link makes, order included). */
function picture(fleet: Fleet, links: Links): string {
  const plain = (v: unknown): unknown =>
    JSON.parse(
      JSON.stringify(v, (_k, x) => (x instanceof Set ? { set: [...x] } : x instanceof Map ? { map: [...x.entries()] } : typeof x === 'function' ? undefined : x)),
    );
  const probes = [...fleet.facts.values()].flatMap((f) => f.objectRefs.map((r) => [f.file, r.kinds, r.name, r.namespace] as const));
  return JSON.stringify({
    findings: plain(links.findings),
    findingsByFile: plain(links.findingsByFile),
    refsByFile: plain(links.refsByFile),
    includers: plain([...links.includers.entries()].map(([k, l]) => [k, l.map((i) => ({ ...i, flux: i.type === 'flux' ? i.flux : undefined }))])),
    flux: plain([...links.flux.entries()]),
    objects: plain(links.objects.all),
    provided: plain(links.provided.entries.map((e) => ({ produced: e.produced, declared: e.declared, producerNamespaces: e.producerNamespaces }))),
    referrers: plain(links.referrers),
    nonResourceFiles: plain(links.nonResourceFiles),
    hasCatalogs: links.hasCatalogs,
    findNear: plain(probes.map(([file, kinds, name, ns]) => links.findNear(file, kinds, name, ns))),
    rootOf: plain(probes.map(([file, kinds, name, ns]) => links.rootOf(kinds[0], name, ns, file))),
  });
}

/** Equal texts, or a failure that shows where they first differ (the pictures are long). */
function same(actual: string, expected: string, where: string): void {
  if (actual === expected) return;
  let i = 0;
  while (actual[i] === expected[i]) i++;
  assert.fail(`${where}: differ at ${i}\n  actual:   …${actual.slice(Math.max(0, i - 300), i + 200)}\n  expected: …${expected.slice(Math.max(0, i - 300), i + 200)}`);
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

/** An edit a person makes while typing: most keep the link shape, some rename or re-point something. */
function mutate(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(rand() * lines.length);
  switch (Math.floor(rand() * 8)) {
    case 0: // a number bumped (a value: usually the same shape)
      return text.replace(/\b\d+\b/, (n) => String(Number(n) + 1 + Math.floor(rand() * 3)));
    case 1: // a comment above a line
      lines.splice(i, 0, `${(lines[i] ?? '').match(/^\s*/)?.[0] ?? ''}# note ${i}`);
      return lines.join('\n');
    case 2: // a blank line
      lines.splice(i, 0, '');
      return lines.join('\n');
    case 3: // a trailing comment, or a space after a value
      lines[i] = lines[i] + (rand() < 0.5 ? ' # why' : ' ');
      return lines.join('\n');
    case 4: // a word changed (a name, a path, a value: the shape may change)
      lines[i] = lines[i].replace(/: ([a-z][\w./-]*)\s*$/, (_, w: string) => `: ${w}${'xyz'[Math.floor(rand() * 3)]}`);
      return lines.join('\n');
    case 5: // a list entry's path changed
      lines[i] = lines[i].replace(/- (\.{0,2}\/?[\w.-]+)\s*$/, (_, w: string) => `- ${w}x`);
      return lines.join('\n');
    case 6: // a line dropped
      if (lines[i].trim() && !/^\s*(apiVersion|kind|metadata|---)/.test(lines[i])) lines.splice(i, 1);
      return lines.join('\n');
    default: // text moved down by a comment at the top
      return `# edited\n${text}`;
  }
}

const fixtures = ['fleet', 'values', 'flux-additions', 'provided', 'duplicates', 'real-shapes', 'tenants', 'operator-fleet'];

for (const fixture of fixtures) {
  test(`random edit sequences on ${fixture}: relinked links equal a fresh link, and the fleet a fresh load`, () => {
    let relinked = 0;
    for (const seed of [1, 2, 3, 4]) {
      const m = materialize('//- .keep\n');
      const dir = path.join(m.dir, fixture);
      fs.cpSync(path.resolve(__dirname, '../fixtures', fixture), dir, { recursive: true });
      const fleet = loadFleet(dir);
      void fleet.links;
      const rand = rng(seed * 104729 + fixture.length);
      const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
      const created: string[] = [];
      const steps: string[] = [];
      for (let step = 0; step < 24; step++) {
        const yamls = [...fleet.facts.keys()].filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('.flux-fleet.yaml')).sort();
        const file = pick(yamls);
        const op = rand();
        // Several edits before the links are read, now and then (typing between two requests).
        const burst = rand() < 0.3 ? 3 : 1;
        if (op < 0.6) {
          for (let k = 0; k < burst; k++) {
            const f = k === 0 ? file : pick(yamls);
            fleet.setOverlay(f, mutate(fleet.overlays.get(f) ?? fs.readFileSync(f, 'utf8'), rand));
            steps.push(`edit ${path.relative(dir, f)}`);
          }
        } else if (op < 0.7 && fleet.overlays.size) {
          const f = pick([...fleet.overlays.keys()]);
          fs.writeFileSync(f, fleet.overlays.get(f)!);
          fleet.clearOverlay(f);
          steps.push(`save ${path.relative(dir, f)}`);
        } else if (op < 0.8 && fleet.overlays.size) {
          const f = pick([...fleet.overlays.keys()]);
          fleet.clearOverlay(f);
          steps.push(`undo ${path.relative(dir, f)}`);
        } else if (op < 0.9) {
          const f = path.join(path.dirname(file), `new-${step}.yaml`);
          fs.writeFileSync(f, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new-${step}\ndata:\n  k: "${step}"\n`);
          fleet.fileChanged(f);
          created.push(f);
          steps.push(`create ${path.relative(dir, f)}`);
        } else if (created.length) {
          const f = created.splice(Math.floor(rand() * created.length), 1)[0];
          fleet.clearOverlay(f); // a file deleted on disk is closed in the editor first
          fs.rmSync(f);
          fleet.fileDeleted(f);
          steps.push(`delete ${path.relative(dir, f)}`);
        } else continue;
        const where = `${fixture} seed ${seed}, after: ${steps.join('; ')}`;
        const before = fleet.linkStats.relinked;
        const links = fleet.links;
        if (fleet.linkStats.relinked > before) relinked++;
        same(picture(fleet, links), picture(fleet, link(fleet)), `${where} (links)`);
        const fresh = loadFleet(dir);
        for (const [f, t] of fleet.overlays) fresh.setOverlay(f, t);
        same(fleetSnapshot(fleet), fleetSnapshot(fresh), `${where} (snapshot)`);
        same(JSON.stringify(ide.check(fleet, { strictSubstitution: false, schema: true })), JSON.stringify(ide.check(fresh, { strictSubstitution: false, schema: true })), `${where} (check)`);
        const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? '';
        for (let offset = 0; offset < text.length; offset += 37) {
          same(JSON.stringify(ide.hover(fleet, file, offset)) ?? '', JSON.stringify(ide.hover(fresh, file, offset)) ?? '', `${where} (hover at ${offset})`);
          assert.equal(effectiveValueHover(fleet, file, offset)?.markdown, effectiveValueHover(fresh, file, offset)?.markdown, `${where} (value hover at ${offset})`);
        }
      }
    }
    // The property is about relinked links: the sequences must have made some.
    assert.ok(relinked >= 10, `only ${relinked} relinks`);
  });
}
