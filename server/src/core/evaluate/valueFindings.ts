// Findings that need the evaluated builds: variables without a value, variables that will not be substituted,
// overrides that a higher layer always undoes, valuesKeys that do not exist, build errors. Each is reported once
// at the text that causes it, naming the contexts where it happens.
import type { Fleet } from '../model';
import { byPosition, type Finding } from '../findings';
import type { Provenance, ProvenanceMap } from '../kustomize/types';
import type { ProvenanceWrite } from '../kustomize/provenance';
import { provenanceDelta, writtenPointers, type ProvenanceDelta } from './provenanceDelta';
import type { Span } from '../text';
import { allContexts, evaluatorOf, type Context } from './contexts';
import { helmReleaseValues } from './helmValues';
import { appliedBuild } from './resourceSets';
import { sharedContentOf } from './sharedContent';
import { resIdOf } from '../kustomize/resid';
import { deployChains, rootKustomizations } from '../deployChains';
import { hasVariable } from '../link/variablePath';
import { relative } from '../paths';
import { isFluxStep, isKustomizePatchStep, layerLabel } from '../layer';
import { contextShortLabel } from './contextId';
import { runSteps, type Steps } from '../steps';

export interface EvaluationOptions {
  /** Flux's StrictPostBuildSubstitutions (on by default since Flux 2.9): an undefined variable fails the build. */
  strictSubstitution: boolean;
  maxContexts?: number;
  /** Only the contexts that deploy these files (editors of very large fleets evaluate what is open). */
  files?: string[];
}

/**
 * `check` and the tenants report evaluate every context (CI has the time): the editor's background cap (2,000) once
 * dropped 580 of a 400-cluster fleet's 2,580 contexts from `check` without a word. This bound only keeps a runaway
 * fleet finite.
 */
export const EVERY_CONTEXT = 1_000_000;

/** Contexts the findings are computed over, and whether the cap cut them short. */
export function contextsToEvaluate(fleet: Fleet, options: EvaluationOptions): { contexts: Context[]; capped: boolean } {
  const max = options.maxContexts ?? 2000;
  if (options.files) {
    const ev = evaluatorOf(fleet);
    const seen = new Map<string, Context>();
    for (const f of options.files) for (const c of ev.contextsFor(f, deployChains(fleet, f), max)) seen.set(c.key, c);
    return { contexts: [...seen.values()], capped: false };
  }
  const contexts = allContexts(fleet, rootKustomizations(fleet), max);
  return { contexts, capped: contexts.length >= max };
}

interface Pending {
  file: string;
  span: Span;
  code: Finding['code'];
  severity: Finding['severity'];
  message: (contexts: string[]) => string;
  contexts: Set<string>;
  related?: Finding['related'];
}

/**
 * The spans of `${name…}` inside a scalar's span, found in the file's text. A value without a span is a whole file a
 * generator read (a dashboard JSON, an env file): every use of the variable in that file.
 */
function variableSpans(fleet: Fleet, at: Provenance | undefined, name: string): Array<{ file: string; span: Span }> {
  if (!at) return [];
  const text = fleet.facts.get(at.file)?.text ?? fleet.overlays.get(at.file) ?? fleet.readAuxFile(at.file);
  if (!at.span) {
    if (!text) return [];
    const uses = [...text.matchAll(new RegExp(`(?<!\\$)\\$\\{#?${name}\\b[^}\\n]*\\}?`, 'g'))];
    return uses.map((m) => ({ file: at.file, span: { start: m.index!, end: m.index! + m[0].length } }));
  }
  if (!text) return [{ file: at.file, span: at.span }];
  const slice = text.slice(at.span.start, at.span.end);
  const i = slice.search(new RegExp(`(?<!\\$)\\$\\{#?${name}\\b`));
  if (i < 0) return [{ file: at.file, span: at.span }];
  const end = slice.indexOf('}', i);
  return [{ file: at.file, span: { start: at.span.start + i, end: at.span.start + (end < 0 ? slice.length : end + 1) } }];
}

/**
 * A spec.path that its parent rendered (substituted, or patched by the parent's Flux spec.patches) to a folder the
 * source does not have. Paths as written are the linker's to report (the same for every context); this is the
 * per-context answer for the others (read from the skeleton build, which every context keeps).
 */
function renderedPathProblem(fleet: Fleet, ctx: Context): Omit<Pending, 'contexts'> | undefined {
  const b = ctx.skeleton;
  if (!b.sourceRoot || b.missingPath === undefined) return undefined;
  const written = ctx.fact.path?.value ?? './';
  if (b.missingPath === written || hasVariable(b.missingPath)) return undefined; // the linker's, or an undefined variable's
  const w = b.specResource.prov.get('/spec/path')?.at(-1);
  const fromPatch = w?.span && w.layer.step !== 'flux:postBuild' && w.file !== ctx.fact.owner.file;
  const at = fromPatch ? { file: w!.file, span: w!.span! } : { file: ctx.fact.owner.file, span: ctx.fact.path?.span ?? ctx.fact.anchor };
  const prune = b.spec.spec && typeof b.spec.spec === 'object' && (b.spec.spec as Record<string, unknown>).prune === true;
  const root = b.sourceRoot;
  const repo = fleet.repositoryOf(root.folder);
  const where = repo ? `${repo.name}/${relative(repo.root, root.folder)}`.replace(/\/$/, '') : root.folder;
  return {
    ...at,
    code: 'path-not-found',
    severity: 'error',
    message: (cs) =>
      `spec.path '${written}' becomes '${b.missingPath}' in ${cs.length === 1 ? 'context' : 'contexts'} ${cs.join(', ')}, which does not exist in ${where} (${root.via}).${prune ? ' With prune: true, applying this would delete everything this Kustomization deployed before.' : ''}`,
    related: [{ file: ctx.fact.owner.file, span: ctx.fact.anchor, message: 'the Kustomization' }],
  };
}

/** Which overridden writes of a built object are reported: a kustomize patch's, replaced by a later patch or by Flux.
 *  (Module functions, not a closure made per object checked.) */
function patchLosesToPatchOrFlux(w: Provenance, by: Provenance): boolean {
  return isKustomizePatchStep(w.layer.step) && (isKustomizePatchStep(by.layer.step) || isFluxStep(by.layer.step));
}

/** Which overridden writes of a release's effective values are reported: a valuesFrom layer's, replaced inline. */
function valuesFromLosesToInline(w: Provenance, by: Provenance): boolean {
  return w.layer.step === 'valuesFrom' && by.layer.step === 'spec.values';
}

/** Whether the ascending list `sorted` holds `n`. */
function sortedHas(sorted: readonly number[], n: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < n) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo] === n;
}

export function evaluationFindings(fleet: Fleet, options: EvaluationOptions, given?: Context[]): Finding[] {
  return runSteps(evaluationFindingsSteps(fleet, options, given));
}

/** evaluationFindings in steps: yields after each context scanned (the server's background evaluation). */
export function* evaluationFindingsSteps(fleet: Fleet, options: EvaluationOptions, given?: Context[]): Steps<Finding[]> {
  const contexts = given ?? contextsToEvaluate(fleet, options).contexts;
  const pending = new Map<string, Pending>();
  const add = (p: Omit<Pending, 'contexts'>, ctx: Context) => {
    const key = `${p.code}|${p.file}|${p.span.start}|${p.span.end}`;
    const cur = pending.get(key);
    if (cur) cur.contexts.add(contextShortLabel(ctx.id));
    else pending.set(key, { ...p, contexts: new Set([contextShortLabel(ctx.id)]) });
  };
  const definedAnywhere = new Set<string>();
  // (A skeleton has the same variables as the whole build, and is kept: no whole build is made for this.)
  for (const c of contexts) for (const name of c.skeleton.variables.keys()) definedAnywhere.add(name);
  // Writes that some context lets win; a write is ineffective only if it loses everywhere it appears. Kept as the
  // objects (a million leaves on a large fleet): only those in a file with a losing write are keyed, at the end.
  const winningWrites: Provenance[] = [];
  // The last context's loser of each key: the loser itself, kept by its stack's or base's entry anyway (an object per
  // loss set, { w, by, ctx }, replaced at each context's loss, was young when made and read nowhere but here).
  const losing = new Map<string, Losing[number]>();
  const wkey = (w: Provenance) => `${w.file}|${w.span?.start}|${w.span?.end}`;
  // Stacks are shared between the contexts' copies of one build (copy-on-write), and so are whole provenance maps no
  // context wrote to (fluxBuild.ts): each is keyed once; seen again, only its losing writes are set again (the last
  // context to set one decides its `by`, as before).
  type Losing = Array<{ key: string; w: Provenance; by: Provenance }>;
  interface Seen {
    stacks: Map<Provenance[], Losing>;
    maps: Map<ProvenanceMap, Losing>;
    /** Base maps of substituted copies: losing writes, and which last writes no copy pushed yet (their places in
     *  ascending order). A base with no losing write and one such place is that place alone (most: a copy writes one
     *  pointer; an object and a list per base, 5,000 on the synthetic fleet, were young when made and kept for the pass). */
    bases: Map<ProvenanceMap, BaseSeen | number>;
  }
  interface BaseSeen {
    losers: Array<{ at: number; pointer: string; l: Losing[number] }>;
    unvisited: readonly number[] | undefined;
  }
  type Relevant = (w: Provenance, by: Provenance) => boolean;
  /** The writes of one stack that lose to its last write (and are relevant): no side effects. */
  const losersOf = (stack: ProvenanceWrite[], relevant: Relevant): Losing => {
    let lose: Losing | undefined;
    const by = stack[stack.length - 1];
    for (let i = 0; i < stack.length - 1; i++) {
      const w = stack[i];
      if (!w.span) continue;
      if (by.file === w.file && by.span?.start === w.span.start) continue;
      if (relevant(w, by)) (lose ??= []).push({ key: wkey(w), w, by });
    }
    return lose ?? NOTHING_LOST;
  };
  /** One stack of a map being visited: its losing writes set (and kept for the map's next visit). */
  const visitStack = (stack: ProvenanceWrite[], relevant: Relevant, seen: Seen, mapLosing: Losing) => {
    // A write alone loses to nothing: only its winning counts (most stacks; pushed again when seen again, which the
    // winning set at the end makes no difference to), without a seen entry per stack (170,000 of 200,000 visits in a
    // whole check of the synthetic fleet).
    if (stack.length === 1) {
      if (stack[0].span) winningWrites.push(stack[0]);
      return;
    }
    let known = seen.stacks.get(stack);
    if (!known) {
      const by = stack[stack.length - 1];
      if (by?.span) winningWrites.push(by);
      seen.stacks.set(stack, (known = losersOf(stack, relevant)));
    }
    for (const l of known) {
      lose(l);
      mapLosing.push(l);
    }
  };
  const overrides = (prov: ProvenanceMap, relevant: Relevant, seen: Seen) => {
    const knownMap = seen.maps.get(prov);
    if (knownMap) {
      for (const l of knownMap) lose(l);
      return;
    }
    const mapLosing: Losing = [];
    const delta = provenanceDelta(fleet.db, prov);
    if (!delta || !overridesOfCopy(prov, delta, relevant, seen, mapLosing)) prov.forEach((stack) => visitStack(stack, relevant, seen, mapLosing));
    // (Most maps lose nothing: one shared empty list, not one per map kept for the whole pass, 26,000 on the synthetic fleet.)
    seen.maps.set(prov, mapLosing.length ? mapLosing : NOTHING_LOST);
  };
  /**
   * A map substitution copied from a cached build's (provenanceDelta.ts): the base map's losing writes (found once
   * per base) for the pointers the copy did not write, the written stacks visited, in the map's own order, so the
   * result is what visiting every stack gives. False when the copy is not the base plus its written pointers.
   */
  const overridesOfCopy = (prov: ProvenanceMap, delta: ProvenanceDelta, relevant: Relevant, seen: Seen, mapLosing: Losing): boolean => {
    const known = seen.bases.get(delta.base);
    let base: BaseSeen;
    if (typeof known === 'number') base = { losers: NO_LOSERS, unvisited: [known] };
    else if (known) base = known;
    else {
      const losers: Array<{ at: number; pointer: string; l: Losing[number] }> = [];
      let i = 0;
      // (forEach: a copied base's iterator is a generator, an entry pair and a result per leaf)
      delta.base.forEach((stack, pointer) => {
        for (const l of losersOf(stack, relevant)) losers.push({ at: i, pointer, l });
        i++;
      });
      seen.bases.set(delta.base, (base = { losers: losers.length ? losers : NO_LOSERS, unvisited: undefined }));
    }
    const written = new Set(writtenPointers(delta));
    // Where the written pointers sit in the base, and its stacks' winning writes: read from the base map for each copy
    // (never changed; a scan is no more than visiting its every stack, as without a delta). Bases are kept for the
    // whole pass: a list of each base's pointers and one of its winning writes were 5 MB that scavenges copied and
    // promoted in a whole check of the synthetic fleet (a Map from pointer to place before them, 2 MB more).
    const baseAt = new Map<string, number>();
    let scanned = 0;
    delta.base.forEach((_, pointer) => {
      if (written.has(pointer)) baseAt.set(pointer, scanned);
      scanned++;
    });
    const added = written.size - baseAt.size;
    if (prov.size !== delta.base.size + added) return false;
    for (const p of written) if (!prov.has(p)) return false;
    // The written pointers in map order: those of the base at their place, new ones after, in the order added.
    const writes = [...written].map((pointer, n) => ({ at: baseAt.get(pointer) ?? delta.base.size + n, pointer })).sort((a, b) => a.at - b.at);
    // Winning writes of the base's stacks this copy holds, each pushed once per pass (unvisited: not yet pushed). Places
    // are kept as ascending lists, kept for the pass per base (a Set per base, 5,000 of one entry on the synthetic
    // fleet, was 0.75 MB that scavenges copied and promoted), and one unchanged is kept as it is.
    const writtenAt: number[] = [];
    for (const w of writes) if (w.at < delta.base.size) writtenAt.push(w.at);
    const unvisited = base.unvisited;
    if (!unvisited) {
      pushWinners(delta.base, undefined, writtenAt);
      base.unvisited = writtenAt.length ? writtenAt : NO_PLACES;
    } else if (unvisited.length) {
      pushWinners(delta.base, unvisited, writtenAt);
      const still = unvisited.filter((at) => sortedHas(writtenAt, at));
      if (still.length < unvisited.length) base.unvisited = still.length ? still : NO_PLACES;
    }
    if (base.losers === NO_LOSERS && base.unvisited!.length === 1) seen.bases.set(delta.base, base.unvisited![0]);
    else if (typeof known === 'number') seen.bases.set(delta.base, base);
    let k = 0;
    for (const w of writes) {
      for (; k < base.losers.length && base.losers[k].at < w.at; k++) if (!written.has(base.losers[k].pointer)) setLosing(base.losers[k].l, mapLosing);
      visitStack(prov.get(w.pointer)!, relevant, seen, mapLosing);
    }
    for (; k < base.losers.length; k++) if (!written.has(base.losers[k].pointer)) setLosing(base.losers[k].l, mapLosing);
    return true;
  };
  const setLosing = (l: Losing[number], mapLosing: Losing) => {
    lose(l);
    mapLosing.push(l);
  };
  /**
   * Pushes the winning write of each stack of `base` at a place in `only` (every place when undefined) and not in
   * `except`, in the base's order (both lists ascending).
   */
  const pushWinners = (base: ProvenanceMap, only: readonly number[] | undefined, except: readonly number[]) => {
    let at = 0;
    let i = 0;
    let j = 0;
    base.forEach((stack) => {
      const here = at++;
      if (only) {
        while (i < only.length && only[i] < here) i++;
        if (only[i] !== here) return;
      }
      while (j < except.length && except[j] < here) j++;
      if (except[j] === here) return;
      const by = stack[stack.length - 1];
      if (by?.span) winningWrites.push(by);
    });
  };
  const NOTHING_LOST: Losing = [];
  const NO_PLACES: readonly number[] = [];
  const NO_LOSERS: Array<{ at: number; pointer: string; l: Losing[number] }> = [];
  /** What the resources of the build being read did, while it is recorded (see `builds`). */
  let recording: Array<{ lost: Losing[number] } | { added: Omit<Pending, 'contexts'> }> | undefined;
  function lose(l: Losing[number]): void {
    losing.set(l.key, l);
    recording?.push({ lost: l });
  }
  const seenInResources: Seen = { stacks: new Map(), maps: new Map(), bases: new Map() };
  const seenInValues: Seen = { stacks: new Map(), maps: new Map(), bases: new Map() };

  for (const ctx of contexts) {
    const p = renderedPathProblem(fleet, ctx);
    if (p) add(p, ctx);
  }
  // Two objects with one id that the linker already reports (duplicate-object: both listed directly by one
  // kustomization, nothing can tell them apart) are not reported again as the build's failure.
  const linkDuplicates = new Set(fleet.links.findings.filter((f) => f.code === 'duplicate-object').map((f) => `${f.file}|${f.span.start}|${f.span.end}`));
  const builds = new Map<string, NonNullable<typeof recording>>();
  for (const ctx of evaluatorOf(fleet).scanOrder(contexts)) {
    yield;
    const b = ctx.build;
    for (const issue of b.issues) {
      if (issue.code !== 'kustomize-build-error' && issue.code !== 'unsupported-kustomize-feature' && issue.code !== 'limit-exceeded') continue;
      if (issue.span && linkDuplicates.has(`${issue.file}|${issue.span.start}|${issue.span.end}`)) continue;
      const severity = issue.code === 'kustomize-build-error' ? 'error' : issue.code === 'limit-exceeded' ? 'warning' : 'information';
      const related = issue.related?.map((r) => ({ file: r.file, span: r.span ?? { start: 0, end: 0 }, message: r.message }));
      add({ file: issue.file, span: issue.span ?? { start: 0, end: 0 }, code: issue.code, severity, message: (cs) => (severity === 'error' ? `${issue.message} (building ${cs.join(', ')})` : issue.message), ...(related ? { related } : {}) }, ctx);
    }
    for (const u of b.undefinedVariables) {
      const id = resIdOf(u.resource.obj);
      const inFile = !u.at?.span;
      for (const at of variableSpans(fleet, u.at, u.name)) add(
        {
          ...at,
          code: 'undefined-variable',
          severity: options.strictSubstitution ? 'error' : 'warning',
          message: (cs) =>
            `\${${u.name}} has no value and no default in ${cs.length === 1 ? 'context' : 'contexts'} ${cs.join(', ')}: ${options.strictSubstitution ? 'Flux fails the build (strict substitution)' : 'it becomes an empty string'} (${id.kind} ${id.name}${inFile ? ', made by a generator from this file' : ''}). ${inFile ? `If it is not meant for Flux, escape it as $\${${u.name}}, or label the generated object kustomize.toolkit.fluxcd.io/substitute: disabled (generator options.labels); else define it in postBuild.substitute.` : `Define it in postBuild.substitute, give it a default (\${${u.name}:=…}), or escape it as $\${${u.name}}.`}`,
          related: [{ file: ctx.fact.owner.file, span: ctx.fact.anchor, message: 'the Kustomization that substitutes' }],
        },
        ctx,
      );
    }
    for (const u of b.disabledUses) {
      if (!b.variables.has(u.name) && !definedAnywhere.has(u.name)) continue;
      for (const at of variableSpans(fleet, u.at, u.name)) add({ ...at, code: 'substitution-disabled', severity: 'warning', message: (cs) => `\${${u.name}} is a Flux variable, but substitution is disabled for this object (kustomize.toolkit.fluxcd.io/substitute: disabled) in ${cs.join(', ')}: it stays literal.` }, ctx);
    }
    if (!b.substitutes) {
      for (const r of b.resources) {
        // (forEach: a copied provenance map's iterator is a generator, an entry pair and a result per leaf)
        r.prov.forEach((stack) => {
          const w = stack[stack.length - 1];
          if (typeof w.value !== 'string' || !w.value.includes('${')) return;
          for (const m of w.value.matchAll(/(?<!\$)\$\{([_a-zA-Z][_a-zA-Z0-9]*)/g)) {
            if (!definedAnywhere.has(m[1])) continue;
            for (const at of variableSpans(fleet, w, m[1])) add({ ...at, code: 'substitution-disabled', severity: 'warning', message: (cs) => `\${${m[1]}} will not be substituted: the Kustomization that applies it (${cs.join(', ')}) has no postBuild variables.` }, ctx);
          }
        });
      }
    }
    // A build holding the same objects as one read before (sharedContent.ts) loses the same writes and has the same
    // values issues (effective values are made of the build's objects): those are replayed for this context.
    const content = sharedContentOf(fleet.db, b.resources);
    const again = content === undefined ? undefined : builds.get(content);
    if (again) {
      for (let i = 0; i < again.length; i++) {
        const e = again[i];
        if ('lost' in e) losing.set(e.lost.key, e.lost);
        else add(e.added, ctx);
      }
      continue;
    }
    recording = content === undefined ? undefined : [];
    const applied = appliedBuild(fleet, b.resources);
    // (Indexed loops here and for the replayed entries above: see the winning writes at the end.)
    for (let i = 0; i < applied.length; i++) {
      const r = applied[i];
      overrides(r.prov, patchLosesToPatchOrFlux, seenInResources);
      if (r.obj.kind !== 'HelmRelease') continue;
      const values = helmReleaseValues(fleet, r, applied);
      for (const issue of values.issues) {
        // A valuesFrom object missing from this build may come from elsewhere in the cluster: whether it exists
        // anywhere is the reference's finding (the linker's, which also knows objects made in the cluster).
        if (!issue.at.span || issue.code === 'object-not-found') continue;
        const p: Omit<Pending, 'contexts'> = { file: issue.at.file, span: issue.at.span, code: issue.code, severity: 'warning', message: (cs) => `${issue.message} (in ${cs.join(', ')})` };
        recording?.push({ added: p });
        add(p, ctx);
      }
      overrides(values.prov, valuesFromLosesToInline, seenInValues);
      // A context's releases are its longest unit (each one's values computed, values files parsed): the server's
      // background evaluation lets a hover in between two of them.
      yield;
    }
    if (recording) builds.set(content!, recording);
    recording = undefined;
  }

  const out: Finding[] = [];
  for (const p of pending.values()) {
    out.push({ file: p.file, span: p.span, code: p.code, severity: p.severity, message: p.message([...p.contexts].sort()), related: p.related });
  }
  // A key names its file (`file|start|end`): only winning writes in a file with a losing one can share its key.
  const losingFiles = new Set([...losing.values()].map((l) => l.w.file));
  const winning = new Set<string>();
  // (An indexed loop: in this generator's body, which V8 optimizes late if at all, a for-of made an iterator result per
  // write: 234,000 on the synthetic fleet.)
  for (let i = 0; i < winningWrites.length; i++) if (losingFiles.has(winningWrites[i].file)) winning.add(wkey(winningWrites[i]));
  for (const [k, { w, by }] of losing) {
    if (winning.has(k) || !w.span) continue;
    out.push({
      file: w.file,
      span: w.span,
      code: 'ineffective-override',
      severity: 'warning',
      message: `This ${layerLabel(w.layer)} value is always replaced by ${layerLabel(by.layer)}${by.span ? '' : ` in ${by.file}`}: it has no effect in any context.`,
      related: by.span ? [{ file: by.file, span: by.span, message: `the ${layerLabel(by.layer)} value that wins` }] : undefined,
    });
  }
  return out.sort(byPosition);
}
