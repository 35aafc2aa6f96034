// Move (a layout migration): a file or folder of the fleet to another folder or another repository, with every
// reference across the fleet in the same plan (moveReferences.ts, moveConfig.ts), checked by rendering every context
// it reaches before and after (moveProof.ts). What cannot follow safely refuses the whole move with the reason.
import type { Fleet } from '../model';
import { SKIPPED_DIRS } from '../fileTree';
import { basename, isInside, join, normalize } from '../paths';
import { emptyPlan, type OperationAnswer, type OperationPlan, type PlanMove } from './plan';
import { MoveEdits, MoveRefused, movedPath, refuse, where, type Move } from './moveEdits';
import { artifactCopies, chartPaths, fluxPaths, kustomizePaths, remoteBases } from './moveReferences';
import { fleetConfigEntries } from './moveConfig';
import { fleetAfter } from './fleetAfter';
import { proveSameRender } from './moveProof';

export interface MoveOptions {
  /** Skip the render proof (the plan's references only); tests of the references use it. */
  noProof?: boolean;
}

/** The plan that moves `from` to `to` (absolute paths; `to` is the new path, which must not exist), or why not. */
export function planMove(fleet: Fleet, from: string, to: string, options: MoveOptions = {}): OperationAnswer {
  try {
    const move: Move = { from: normalize(from).replace(/\/+$/, ''), to: normalize(to).replace(/\/+$/, '') };
    const { files, folders } = validate(fleet, move);
    const edits = new MoveEdits(fleet);
    kustomizePaths(fleet, move, edits);
    remoteBases(fleet, move, edits);
    fluxPaths(fleet, move, edits);
    chartPaths(fleet, move, edits);
    artifactCopies(fleet, move);
    fleetConfigEntries(fleet, move, edits);
    const plan: OperationPlan = {
      ...emptyPlan(`Move ${where(fleet, move.from)} to ${where(fleet, move.to)}`),
      edits: edits.list(),
      moves: files.map((f): PlanMove => ({ from: f, to: movedPath(move, f) })),
      removedFolders: folders,
    };
    if (!options.noProof) {
      const after = fleetAfter(fleet, plan);
      const proof = proveSameRender(fleet, after, plan);
      if ('differs' in proof) return { refused: `The move would change what is deployed: ${proof.differs}.` };
      plan.notes.push(`every context renders the same: ${proof.contexts} context${proof.contexts === 1 ? '' : 's'}${proof.rewritten ? ` (apart from the ${proof.rewritten} path and source field${proof.rewritten === 1 ? '' : 's'} the move rewrites)` : ''}`);
    }
    plan.notes.push(`${plan.moves.length} file${plan.moves.length === 1 ? '' : 's'} moved, ${plan.edits.length} reference${plan.edits.length === 1 ? '' : 's'} rewritten; references from repositories outside the workspace cannot be seen`);
    return plan;
  } catch (e) {
    if (e instanceof MoveRefused) return { refused: e.message };
    throw e;
  }
}

/** What a move may do at all; returns every file that moves and the folders it empties (deepest first). */
function validate(fleet: Fleet, move: Move): { files: string[]; folders: string[] } {
  const { from, to } = move;
  if (from === to) refuse(`${where(fleet, from)} is already there.`);
  if (!fleet.isInFleet(from) || !fleet.fs.exists(from)) refuse(`${from} is not a file or folder of the fleet.`);
  if (fleet.fs.exists(to)) refuse(`${where(fleet, to)} exists: a move never overwrites; name a new path.`);
  if (isInside(from, to)) refuse(`${where(fleet, to)} is inside ${where(fleet, from)}.`);
  if (!fleet.isInFleet(to)) refuse(`${to} is outside every repository of the workspace.`);
  // A folder a `.flux-fleet.yaml` maps a source to moves with its mapping; a clone (or a workspace folder) does not.
  const mappedHere = (root: string) => fleet.layout.mappings.some((m) => m.declaredIn && m.folder === root);
  const repo = fleet.repositories.find((r) => isInside(from, r.root) && !(r.origin === 'mapped' && mappedHere(r.root)));
  if (repo) refuse(`${where(fleet, from)} holds the repository ${repo.name}: move the clone itself (and its mapping) outside the editor.`);
  const files: string[] = [];
  const folders: string[] = [];
  const walk = (p: string, depth: number) => {
    folders.push(p);
    const entries = fleet.fs.readDir(p);
    if (depth > 64) refuse(`${where(fleet, p)} is nested too deep to move.`);
    for (const e of entries) {
      const child = join(p, e.name);
      if (e.symlink) refuse(`${where(fleet, child)} is a symbolic link: move it by hand.`);
      if (SKIPPED_DIRS.has(e.name)) refuse(`${where(fleet, child)} is not part of the fleet's files (${e.name}): move it by hand.`);
      if (e.kind === 'dir') walk(child, depth + 1);
      else if (e.kind === 'file') files.push(child);
    }
  };
  if (fleet.tree.isFile(from) || (!fleet.tree.isDir(from) && fleet.fs.readDir(from).length === 0 && fleet.fs.fileSize(from) !== undefined)) files.push(from);
  else walk(from, 0);
  if (!files.length) refuse(`${where(fleet, from)} holds no file.`);
  if (basename(to) === '') refuse(`${to} is not a path.`);
  return { files: files.sort(), folders: folders.sort((a, b) => b.split('/').length - a.split('/').length || a.localeCompare(b)) };
}
