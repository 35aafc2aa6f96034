// Rename on the facade: at a position (the editor) or by name (the CLI). An object (features/rename.ts) or a Flux
// variable (features/renameVariable.ts): inside `${…}` the variable, on an object's name or a reference the object,
// on a key of `data`/`stringData`/`postBuild.substitute` the variable it defines.
import * as path from 'node:path';
import type { Fleet } from '../core/model';
import { prepareRename as prepareObjectRename, rename as renameObjectAt, type PrepareRenameAnswer, type RenameAnswer } from '../features/rename';
import { renameVariableSites, variableSites, variableTargetAt, type Site, type VariablePlan } from '../features/renameVariable';
import { variableAt } from '../features/variableHover';
import { computeLineStarts } from '../core/text';
import { defineQuery } from '../db/fleetDb';
import type { CancellationToken } from './cancel';

export { type RenameAnswer, type RenameEdit, type PrepareRenameAnswer } from '../features/rename';

/** A variable's places, kept in the fleet's database while nothing changes: the rename after a prepareRename reuses them. */
const PLAN = defineQuery('variableRename', (at: { fleet: Fleet; target: { name: string; site: Site }; token?: CancellationToken }) => variableSites(at.fleet, at.target.name, at.target.site, at.token));

function planAt(fleet: Fleet, file: string, offset: number, token?: CancellationToken): VariablePlan | { refused: string } | undefined {
  const target = variableTargetAt(fleet, file, offset);
  if (!target || 'refused' in target) return target;
  return fleet.db.query(PLAN, { fleet, target, token }, `${target.name}\0${target.site.file}\0${target.site.span.start}`);
}

function inVariable(fleet: Fleet, file: string, offset: number): boolean {
  const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text;
  return !!text && !!variableAt(text, offset);
}

/** `token`: evaluating every context for a variable can take a while in a large fleet; a newer edit cancels it. */
export function prepareRename(fleet: Fleet, file: string, offset: number, token?: CancellationToken): PrepareRenameAnswer | undefined {
  const object = inVariable(fleet, file, offset) ? undefined : prepareObjectRename(fleet, file, offset);
  if (object) return object;
  const plan = planAt(fleet, file, offset, token);
  if (!plan || 'refused' in plan) return plan;
  const at = variableTargetAt(fleet, file, offset);
  return at && 'site' in at ? { span: at.site.span, placeholder: plan.name } : undefined;
}

export function rename(fleet: Fleet, file: string, offset: number, newName: string, token?: CancellationToken): RenameAnswer | undefined {
  const object = inVariable(fleet, file, offset) ? undefined : renameObjectAt(fleet, file, offset, newName);
  if (object) return object;
  const plan = planAt(fleet, file, offset, token);
  if (!plan || 'refused' in plan) return plan;
  return renameVariableSites(fleet, plan, newName);
}

/** The object `KIND/NAMESPACE/NAME` declared in the fleet, renamed to `newName` (every reference with it). */
export function renameObject(fleet: Fleet, target: string, newName: string): RenameAnswer {
  const [kind, namespace, name, ...extra] = target.split('/');
  if (!kind || !namespace || !name || extra.length) return { refused: `${target}: name the object as KIND/NAMESPACE/NAME` };
  const found = fleet.links.objects.find([kind], name, namespace).filter((o) => o.fact.name === name && !o.fact.madeBy);
  if (found.length === 0) return { refused: `${target}: no such object in the fleet` };
  const files = [...new Set(found.map((o) => o.fact.owner.file))];
  if (found.length > 1) return { refused: `${target}: ${found.length} objects have this name (${files.join(', ')}): rename one in the editor, at its name` };
  return renameObjectAt(fleet, found[0].fact.owner.file, found[0].fact.nameSpan.start, newName) ?? { refused: `${target}: cannot be renamed` };
}

/**
 * The CLI's `var:NAME` (every variable of that name the fleet resolves: each context's definitions and uses) or
 * `var:NAME@FILE:LINE` (the one variable used or defined on that line; FILE relative to `cwd`).
 */
export function renameVariable(fleet: Fleet, target: string, newName: string, cwd: string): RenameAnswer {
  const m = /^var:([^@]+)(?:@(.+):(\d+))?$/.exec(target);
  if (!m) return { refused: `${target}: name the variable as var:NAME or var:NAME@FILE:LINE` };
  const [, name, file, line] = m;
  if (!file) {
    const plan = variableSites(fleet, name);
    return 'refused' in plan ? plan : renameVariableSites(fleet, plan, newName);
  }
  const abs = path.resolve(cwd, file);
  const text = fleet.overlays.get(abs) ?? fleet.facts.get(abs)?.text;
  if (text === undefined) return { refused: `${file}: not a file of the fleet` };
  const starts = computeLineStarts(text);
  const from = starts[Number(line) - 1];
  if (from === undefined) return { refused: `${file}:${line}: no such line` };
  const lineText = text.slice(from, starts[Number(line)] ?? text.length);
  for (const at of [...lineText.matchAll(new RegExp(`(?<![_a-zA-Z0-9])${name}(?![_a-zA-Z0-9])`, 'g'))].map((x) => from + x.index!)) {
    const t = variableTargetAt(fleet, abs, at);
    if (t && 'site' in t && t.name === name) {
      const plan = variableSites(fleet, name, t.site);
      return 'refused' in plan ? plan : renameVariableSites(fleet, plan, newName);
    }
  }
  return { refused: `${file}:${line}: no use or definition of the variable ${name} on that line` };
}
