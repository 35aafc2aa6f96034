// Change impact for the editor and the CLI: the baseline fleet (a Git revision, or a folder with --base-dir) kept in
// the working fleet's database, so calls made while typing reload nothing and rebuild only the contexts an edit
// changed (the baseline's builds stay cached in its own fleet; the working fleet's evaluator keeps the rest).
import { Fleet } from '../core/model';
import { lendBuilds } from '../core/evaluate/buildDonor';
import { defineQuery } from '../db/fleetDb';
import { baseDirBaseline } from '../core/impact/baseDir';
import { loadGitBaseline } from '../core/impact/gitBaseline';
import { changedFileSteps, textIn } from '../core/impact/changedFiles';
import { nextTurn, runStepsAsync } from '../core/steps';
import { computeLineStarts, offsetToLineCol } from '../core/text';
import { impactJson, impactMarkdown, impactText, type Locate } from './impactReport';
import type { CommandIO } from './commands';
import { computeImpactAsync, renderContext } from '../core/impact/impact';
import { losesData, refList } from '../core/impact/dangers';
import { basename, join } from '../core/paths';
import { contextShortLabel, type ContextId } from '../core/evaluate/contextId';
import type { Baseline, FleetImpact } from '../core/impact/types';
import type { Finding } from '../core/findings';
import { Cancelled, either, throwIfCancelled, type CancellationToken } from './cancel';

export type { FleetImpact, Baseline };
export type { ContextImpact, ObjectChange, FieldChange, Danger, DangerCode, ChangedFile, ImpactCause, ObjectRef } from '../core/impact/types';

/** What to compare the working tree with: a Git revision of each repository (`HEAD` by default) or a folder. */
export interface ImpactSpec {
  rev?: string;
  baseDir?: string;
}

/** --base-dir with one DIR: that folder; with several, DIR/<name of each>. */
function baseDirPairs(work: Fleet, baseDir: string): Array<{ root: string; baseDir: string }> {
  const roots = work.options.roots;
  return roots.length === 1 ? [{ root: roots[0], baseDir }] : roots.map((root) => ({ root, baseDir: join(baseDir, basename(root)) }));
}

/**
 * What a Git baseline resolves to, read without parsing objects: each repository's HEAD and the ref it names. A
 * commit (HEAD moving) changes it, so the cached baseline is reloaded then and only then.
 */
function gitState(work: Fleet): string {
  return JSON.stringify(
    work.repositories.map((r) => {
      const head = work.fs.readFile(`${r.root}/.git/HEAD`)?.trim() ?? '';
      const ref = /^ref: (.+)$/.exec(head)?.[1];
      return [r.root, head, ref ? (work.fs.readFile(`${r.root}/.git/${ref}`) ?? work.fs.readFile(`${r.root}/.git/packed-refs`) ?? '') : ''];
    }),
  );
}

interface CachedBaseline {
  fleet: Fleet;
  baseline: Baseline;
}

/** The baseline fleet of a spec, loaded once per spec and resolved commits (a query of the working fleet's db). */
const BASELINE = defineQuery('impactBaseline', (work: Fleet, key: string): Promise<CachedBaseline> => {
  const spec = JSON.parse(key)[0] as ImpactSpec;
  const loaded = spec.baseDir !== undefined ? Promise.resolve(baseDirBaseline(work.fs, baseDirPairs(work, spec.baseDir))) : loadGitBaseline(work.fs, work.layout, spec.rev ?? 'HEAD');
  return loaded.then(async ({ fs, baseline }) => {
    // What the edits did not change reads the same at the baseline: its facts, parses and folder builds are the
    // working fleet's. Loaded in steps: requests are answered meanwhile (never cancelled: every caller waits for it).
    const fleet = new Fleet(fs, work.options);
    fleet.seedFrom(work);
    await runStepsAsync(fleet.loadSteps());
    lendBuilds(fleet, work);
    // Its links (one unit: the linker runs whole, as the working fleet's re-link does when typing pauses).
    await nextTurn();
    void fleet.links;
    return { fleet, baseline };
  });
});

/**
 * A file changed on disk (the editor's watcher). A repository without `.git` is compared with its own working tree:
 * its baseline is the disk, so the next impact reads the baseline again (else a saved file would show as a change).
 * Git repositories' baselines do not depend on the disk.
 */
export function impactDiskChanged(work: Fleet, path: string): void {
  const repo = work.repositoryOf(path);
  if (!repo || work.fs.exists(`${repo.root}/.git`)) return;
  const epoch = work.db.table<string, number>('impactDiskEpoch');
  epoch.set('epoch', (epoch.get('epoch') ?? 0) + 1);
}

async function baselineOf(work: Fleet, spec: ImpactSpec): Promise<CachedBaseline> {
  const normal: ImpactSpec = spec.baseDir !== undefined ? { baseDir: spec.baseDir } : { rev: spec.rev ?? 'HEAD' };
  const epoch = work.db.table<string, number>('impactDiskEpoch').get('epoch') ?? 0;
  const key = JSON.stringify([normal, normal.rev !== undefined ? gitState(work) : '', normal.rev !== undefined ? epoch : 0]);
  const pending = work.db.query(BASELINE, work, key);
  // A failed load is not kept: the next call tries again.
  return pending.catch((e) => {
    work.db.table(BASELINE.name).delete(key);
    throw e;
  });
}

/** The baseline's fleet of a spec, as the impact compares with it (loaded once per spec and commits). */
export async function baselineFleet(work: Fleet, spec: ImpactSpec): Promise<Fleet> {
  return (await baselineOf(work, spec)).fleet;
}

/**
 * The impact of the working tree (saved files and the editor's unsaved text) against the baseline. `turn` lets
 * requests in between units of work (the server's line of turns shared with its other background work; default:
 * one turn of the event loop).
 */
export async function impact(work: Fleet, spec: ImpactSpec, token?: CancellationToken, turn?: () => Promise<void>): Promise<FleetImpact> {
  for (;;) {
    // Computed in steps (requests are answered between them): an edit meanwhile makes what was computed stale.
    const version = work.version;
    const moved = either(token, () => work.version !== version);
    try {
      return await impactOnce(work, spec, moved, turn);
    } catch (e) {
      // The caller's own token (the server's says "superseded" too) ends it; an edit alone starts it again.
      if (!(e instanceof Cancelled) || token?.isCancellationRequested) throw e;
    }
  }
}

async function impactOnce(work: Fleet, spec: ImpactSpec, token: CancellationToken, turn?: () => Promise<void>): Promise<FleetImpact> {
  const { fleet: base, baseline } = await baselineOf(work, spec);
  throwIfCancelled(token);
  const changed = await runStepsAsync(changedFileSteps(work, base), token, turn);
  const x = await computeImpactAsync(work, base, baseline, changed, token, turn);
  const ids = work.db.table<string, ContextId>('impactContexts');
  for (const c of x.contexts) ids.set(c.key, c.id);
  return x;
}

/** A context's rendered output at the baseline and in the working tree (secrets masked): the editor's diff view. */
export async function renderedPair(work: Fleet, spec: ImpactSpec, key: string): Promise<{ base?: string; work?: string }> {
  const { fleet: base } = await baselineOf(work, spec);
  const id = work.db.table<string, ContextId>('impactContexts').get(key);
  return { base: renderContext(base, key, id), work: renderContext(work, key, id) };
}

const DELETING: ReadonlySet<string> = new Set(['prune-deletes', 'kustomization-removed', 'renamed']);

/** `prune-deletes` findings at the line whose edit causes each deletion (error when a Namespace, PVC or CRD goes). */
export function pruneDeleteFindings(x: FleetImpact): Finding[] {
  const out: Finding[] = [];
  const changed = new Set(x.changedFiles.map((c) => c.file));
  for (const d of x.dangers) {
    // Deletions all: by a prune, or with a Kustomization or HelmRelease that goes (its garbage collection).
    if (!DELETING.has(d.code) || !d.at || d.at.baseline) continue;
    const where = d.contexts.map(contextShortLabel);
    const lost = d.objects.filter(losesData);
    out.push({
      file: d.at.file,
      span: d.at.span ?? { start: 0, end: 0 },
      severity: lost.length ? 'error' : 'warning',
      code: 'prune-deletes',
      message: `${d.message.replace(/\.$/, '')} in ${where.length === 1 ? where[0] : `${where.length} clusters: ${where.join(', ')}`}.`,
      // The deleted objects' documents, where the working tree still holds them as they were (same spans).
      related: d.objects.slice(0, 20).flatMap((o) => {
        const origin = x.contexts.flatMap((c) => c.objects).find((c) => c.status === 'removed' && c.kind === o.kind && c.name === o.name && c.namespace === o.namespace)?.origin;
        return origin?.span && !changed.has(origin.file) ? [{ file: origin.file, span: origin.span, message: `deleted: ${refList([o])}` }] : [];
      }),
    });
  }
  return out;
}

/** `file` and 1-based line of a cause, read from the side it belongs to (the baseline's text for a removed line). */
async function locator(work: Fleet, spec: ImpactSpec): Promise<Locate> {
  const { fleet: base } = await baselineOf(work, spec);
  return (c) => {
    const text = textIn(c.baseline ? base : work, c.file) ?? '';
    return { file: c.file, line: c.span ? offsetToLineCol(computeLineStarts(text), c.span.start).line + 1 : 0 };
  };
}

/** `flux-fleet diff`: the impact printed as text, markdown or JSON; 1 when a danger of error severity is raised. */
export async function diffCommand(io: CommandIO, work: Fleet, spec: ImpactSpec, format: string): Promise<number> {
  let x: FleetImpact;
  try {
    x = await impact(work, spec);
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 2;
  }
  const locate = await locator(work, spec);
  io.out(format === 'json' ? impactJson(x, locate) : format === 'markdown' ? impactMarkdown(x, locate, io.cwd) : impactText(x, locate, io.cwd));
  return x.dangers.some((d) => d.severity === 'error') ? 1 : 0;
}
