// Impact scenarios: a baseline tree and a working tree made from it by edits, compared through --base-dir, and the
// impact printed as compact lines for exact assertions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Fleet } from '../../server/src/core/model';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { baseDirBaseline } from '../../server/src/core/impact/baseDir';
import { changedFiles } from '../../server/src/core/impact/changedFiles';
import { computeImpact } from '../../server/src/core/impact/impact';
import type { FleetImpact, ImpactCause } from '../../server/src/core/impact/types';
import { contextLabel } from '../../server/src/core/evaluate/contextId';
import { computeLineStarts, offsetToLineCol } from '../../server/src/core/text';
import { materialize } from './fixture';

export interface Scenario {
  base: string;
  work: string;
  workFleet: Fleet;
  baseFleet: Fleet;
  impact: FleetImpact;
}

/** Writes `spec` twice (baseline and working tree), applies `edits` (relative path → new text, or null: deleted). */
export function scenarioDirs(spec: string, edits: Record<string, string | null>): { base: string; work: string } {
  const base = materialize(spec).dir;
  const work = materialize(spec).dir;
  for (const [rel, text] of Object.entries(edits)) {
    const file = path.join(work, rel);
    if (text === null) fs.rmSync(file, { force: true });
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
  }
  return { base, work };
}

export function scenario(spec: string, edits: Record<string, string | null>, roots = ['']): Scenario {
  const { base, work } = scenarioDirs(spec, edits);
  const workFleet = new Fleet(new NodeFileSystem(), { roots: roots.map((r) => path.join(work, r).replace(/\/$/, '')) });
  workFleet.load();
  const b = baseDirBaseline(new NodeFileSystem(), [{ root: work, baseDir: base }]);
  const baseFleet = new Fleet(b.fs, workFleet.options);
  baseFleet.load();
  const impact = computeImpact(workFleet, baseFleet, b.baseline, changedFiles(workFleet, baseFleet));
  return { base, work, workFleet, baseFleet, impact };
}

/** `file:line` of a cause, relative to the working tree (`(base)` when it is the baseline's line). */
export function where(s: Scenario, c: ImpactCause | undefined): string {
  if (!c) return '-';
  const text = c.baseline ? fs.readFileSync(path.join(s.base, path.relative(s.work, c.file)), 'utf8') : (s.workFleet.overlays.get(c.file) ?? fs.readFileSync(c.file, 'utf8'));
  const line = c.span ? offsetToLineCol(computeLineStarts(text), c.span.start).line + 1 : 0;
  return `${path.relative(s.work, c.file)}:${line}${c.baseline ? ' (base)' : ''}`;
}

const show = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v));

/** The impact as lines: contexts, their objects and fields, then the dangers. */
export function impactLines(s: Scenario): string[] {
  const rel = (p: string) => path.relative(s.work, p) || '.';
  const out: string[] = [];
  for (const c of s.impact.contexts) {
    out.push(`context ${contextLabel(c.id)} ${c.status}${c.prune ? ' prune' : ''}`);
    for (const o of c.objects) {
      out.push(`  ${o.status} ${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name}`);
      for (const f of o.fields) out.push(`    ${f.path}: ${show(f.old)} → ${show(f.new)} @${where(s, f.cause)}`);
    }
  }
  for (const d of s.impact.dangers) out.push(`danger ${d.severity} ${d.code} @${where(s, d.at)} [${d.contexts.length}] ${d.message}`);
  return out;
}

export { contextLabel };
