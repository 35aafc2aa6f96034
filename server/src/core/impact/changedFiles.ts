// The files whose text differs between the baseline fleet and the working tree: every file of both trees (generator
// inputs and values files count, not only YAML), the working side's unsaved editor text first.
import type { Fleet } from '../model';
import type { ChangedFile, ChangeStatus } from './types';
import { runSteps, type Steps } from '../steps';

/** A file's text as the fleet's builds read it: an editor's overlay, the indexed text, else the file (cached). */
export function textIn(fleet: Fleet, file: string): string | undefined {
  const overlay = fleet.overlays.get(file);
  if (overlay !== undefined) return overlay;
  const facts = fleet.facts.get(file);
  if (facts && !facts.skipped) return facts.text;
  return fleet.tree.isFile(file) ? fleet.readAuxFile(file) : undefined;
}

function filesOf(fleet: Fleet): Set<string> {
  const out = new Set(fleet.tree.allFiles());
  for (const f of fleet.overlays.keys()) if (fleet.isInFleet(f)) out.add(f);
  return out;
}

/** Files compared between two steps (a file not indexed is read from the disk). */
const BATCH = 500;

function* compareAll(work: Fleet, base: Fleet): Steps<ChangedFile[]> {
  const workFiles = filesOf(work);
  const baseFiles = filesOf(base);
  const out: ChangedFile[] = [];
  let n = 0;
  for (const file of workFiles) {
    if (!baseFiles.has(file)) out.push({ file, status: 'added' });
    else if (textIn(work, file) !== textIn(base, file)) out.push({ file, status: 'changed' });
    if (++n % BATCH === 0) yield;
  }
  for (const file of baseFiles) if (!workFiles.has(file)) out.push({ file, status: 'removed' });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function statusOf(work: Fleet, base: Fleet, file: string): ChangeStatus | undefined {
  const w = textIn(work, file);
  const inWork = w !== undefined || work.tree.isFile(file);
  const inBase = base.tree.isFile(file);
  if (inWork && !inBase) return 'added';
  if (!inWork && inBase) return 'removed';
  return inWork && w !== textIn(base, file) ? 'changed' : undefined;
}

/**
 * Files added, removed or changed from `base` to `work`, sorted by path. Kept in the working fleet's database per
 * baseline fleet: after edits that changed only texts, only the files edited since are compared again.
 */
export function changedFiles(work: Fleet, base: Fleet): ChangedFile[] {
  return runSteps(changedFileSteps(work, base));
}

/** changedFiles in steps (core/steps.ts): the first comparison of every file yields between batches. */
export function* changedFileSteps(work: Fleet, base: Fleet): Steps<ChangedFile[]> {
  const version = work.version; // (the working fleet may change between steps: what changed after is compared next time)
  const memo = work.db.weak<Fleet, { version: number; byFile: Map<string, ChangeStatus> }>('impactChanged');
  const held = memo.get(base);
  const since = held && held.version === work.version ? new Set<string>() : held && work.changedSince(held.version);
  let byFile: Map<string, ChangeStatus>;
  if (held && since) {
    byFile = held.byFile;
    for (const file of since) {
      const status = statusOf(work, base, file);
      if (status) byFile.set(file, status);
      else byFile.delete(file);
    }
  } else byFile = new Map((yield* compareAll(work, base)).map((c) => [c.file, c.status]));
  memo.set(base, { version, byFile });
  return [...byFile].map(([file, status]) => ({ file, status })).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
