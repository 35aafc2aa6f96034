// Applying a plan to disk (the CLI) and describing it (`--dry-run`). Each existing file is rewritten once, and only
// when it still holds the text the fleet read: a file changed meanwhile is never overwritten.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OperationPlan, PlanEdit } from '../core/operations/plan';
import { applyEdits } from '../core/operations/plan';
import { computeLineStarts, offsetToLineCol } from '../core/text';

/** The text the fleet read for a file (its facts or overlay), to check the disk against and to apply edits to. */
export type ReadText = (file: string) => string | undefined;

function editsByFile(plan: OperationPlan): Map<string, PlanEdit[]> {
  const byFile = new Map<string, PlanEdit[]>();
  for (const e of plan.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return byFile;
}

/** One line per change, relative to `cwd`: what a dry run prints and what the CLI prints before writing. */
export function describePlan(plan: OperationPlan, read: ReadText, cwd = process.cwd()): string[] {
  const rel = (f: string) => path.relative(cwd, f) || f;
  const lines = [plan.title];
  for (const c of plan.creates) lines.push(`create ${rel(c.file)} (${c.text.split('\n').filter(Boolean).length} lines)`);
  for (const m of plan.moves) lines.push(`move ${rel(m.from)} → ${rel(m.to)}`);
  for (const d of plan.removedFolders ?? []) lines.push(`remove the emptied folder ${rel(d)}`);
  for (const [file, edits] of editsByFile(plan)) {
    const text = read(file) ?? '';
    const starts = computeLineStarts(text);
    for (const e of edits) {
      const at = offsetToLineCol(starts, e.span.start);
      lines.push(`${rel(file)}:${at.line + 1}:${at.character + 1}: ${JSON.stringify(text.slice(e.span.start, e.span.end))} → ${JSON.stringify(e.newText)}`);
    }
  }
  for (const n of plan.notes) lines.push(`note: ${n}`);
  return lines;
}

/** Writes the plan: edits first (against the files as read), then moves, then new files. */
export function applyPlan(plan: OperationPlan, read: ReadText): { ok: true } | { error: string } {
  const byFile = editsByFile(plan);
  const outputs = new Map<string, string>();
  // Check everything before writing anything, so a refusal leaves the disk as it was.
  for (const [file, edits] of byFile) {
    const text = read(file);
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch {
      return { error: `${file} cannot be read: nothing written` };
    }
    // The fleet's text is the decoded text (a BOM dropped): write it back as read, with only the edits applied.
    const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
    if (text === undefined || raw.slice(bom.length) !== text) return { error: `${file} is not what was read (changed meanwhile, or not UTF-8): nothing written` };
    outputs.set(file, bom + applyEdits(text, edits));
  }
  for (const m of plan.moves) if (fs.existsSync(m.to)) return { error: `${m.to} exists: nothing written` };
  for (const c of plan.creates) if (fs.existsSync(c.file)) return { error: `${c.file} exists: nothing written` };
  for (const [file, text] of outputs) fs.writeFileSync(file, text);
  for (const m of plan.moves) {
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.renameSync(m.from, m.to);
  }
  for (const dir of plan.removedFolders ?? []) {
    try {
      fs.rmdirSync(dir); // only when empty: a file someone added meanwhile keeps its folder
    } catch {
      // not empty, or gone already
    }
  }
  for (const c of plan.creates) {
    fs.mkdirSync(path.dirname(c.file), { recursive: true });
    fs.writeFileSync(c.file, c.text, { flag: 'wx' });
  }
  return { ok: true };
}
