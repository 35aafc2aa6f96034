// The fleet after a plan, loaded in memory over a PlanFileSystem: what an operation checks before it is offered
// (no new finding; for a move, every context rendering the same). The unsaved text of open files is kept.
import { Fleet } from '../model';
import type { OperationPlan } from './plan';
import { PlanFileSystem } from './planFileSystem';
import { defineQuery } from '../../db/fleetDb';

/** The text the fleet read for a file: its unsaved text, else what it indexed, else the disk. */
export function textAsRead(fleet: Fleet, file: string): string | undefined {
  return fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? fleet.fs.readFile(file);
}

/** Loaded once per plan while the fleet is unchanged: a move's render proof and its findings check read the same one. */
export function fleetAfter(fleet: Fleet, plan: OperationPlan): Fleet {
  return fleet.db.query(FLEET_AFTER, fleet, plan);
}

const FLEET_AFTER = defineQuery('fleetAfter', (fleet: Fleet, plan: OperationPlan): Fleet => {
  const fs = new PlanFileSystem(fleet.fs, plan, (f) => textAsRead(fleet, f));
  const after = new Fleet(fs, fleet.options);
  after.load();
  const planned = new Set([...plan.edits.map((e) => e.file), ...plan.moves.map((m) => m.from), ...plan.creates.map((c) => c.file)]);
  for (const [file, text] of fleet.overlays) if (!planned.has(file)) after.setOverlay(file, text);
  return after;
});
