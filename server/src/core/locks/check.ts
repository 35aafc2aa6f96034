// The lock checks, on evaluated builds: for every context, every resource and (for HelmReleases and Apps) every
// effective value, which locks cover each leaf, and which writes on its provenance stack change a locked value.
//
// Semantics (README "Locked fields"):
//  - A lock covers its field and everything below it. A write may change it when its file is inside the lock's
//    allowed scope (`allowIn`; default: the declaring repository).
//  - The locked value of a leaf is the value of the last allowed write on its stack (or, for an inline lock whose
//    value a later layer replaced wholesale, the declared value; or unset).
//  - Every write after that last allowed one is outside the scope: `locked-field` (error) when its value differs
//    from the locked value, `redundant-override` (hint) when it is the same. Writes that an allowed layer overrides
//    again change nothing and are not reported. A `${VAR}` that alone makes up a value is written by the variable's
//    definition, so that is where a substitution is reported.
//  - Deleting counts as changing: a patch outside the scope that removes a locked field (a JSON 6902 `remove`, a
//    strategic-merge `null` or `$patch: delete`, a parent replaced without it; Resource.removed) is `locked-field`
//    at the removing operation, when an allowed layer had set what it removed and no later layer sets it again.
//  - A required field must, in every context, have a value that is not null, empty or an empty collection; for an
//    inline `# fleet:required`, written by some other layer than the placeholder itself.
import type { Fleet } from '../model';
import { byPosition, type Finding, type RelatedInfo } from '../findings';
import type { Json, JsonObject, Provenance, ProvenanceMap, Removal, Resource } from '../kustomize/types';
import type { Span } from '../text';
import { allContexts, evaluatorOf, touches, type Context } from '../evaluate/contexts';
import { sharedContentOf } from '../evaluate/sharedContent';
import { contextShortLabel, deployerName } from '../evaluate/contextId';
import { helmReleaseValues, type EffectiveValues } from '../evaluate/helmValues';
import { appValues } from '../evaluate/appValues';
import { deployChains, rootKustomizations } from '../deployChains';
import { resIdOf } from '../kustomize/resid';
import { copyProvenance, isAtOrUnder, liveRemovedLeaves, parsePointer, pointer as toPointer, valueAt, type ProvenanceWrite } from '../kustomize/provenance';
import { substitute } from '../kustomize/substitute';
import { isInside } from '../paths';
import { lockIndex, dottedPath, type LockIndex } from './index';
import { expandPattern, matchPrefix } from './policy';
import { patchNodeSpan } from './yamlText';
import type { Lock } from './types';
import { isCiphertext, isSecretPlace, MASK } from '../redact';
import { isPatchStep, isValuesSourceStep, layerLabel, writingStep } from '../layer';
import { runSteps, type Steps } from '../steps';
import { appliedBuild, type AppliedObject } from '../evaluate/resourceSets';

export interface LockOptions {
  maxContexts?: number;
  /** Contexts already evaluated (the server shares one evaluation between value and lock findings). */
  contexts?: Context[];
}

const VALUES = '/spec/values';

/** What a lock check looks at: a resource, or the effective values of a HelmRelease/App (under `spec.values`). */
export interface Target {
  resource: Resource;
  prov: ProvenanceMap;
  root: Json;
  /** '' for the resource, '/spec/values' for effective values. */
  prefix: '' | typeof VALUES;
  /** The resource target of a release whose values are checked separately: its `/spec/values` leaves are skipped. */
  skipValues: boolean;
}

/** A lock (or required field, or extension point) placed on a pointer of a target. */
export interface Instance {
  lock: Lock;
  /** Pointer in the target's coordinates. */
  pointer: string;
  /** For inline marks on the resource's own document: the value as declared at that pointer. */
  declared?: { value: Json | undefined };
}

function obj(v: Json | undefined): JsonObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

function valuesOf(fleet: Fleet, r: Resource, build: Resource[]): EffectiveValues | undefined {
  const kind = r.obj.kind;
  if (kind !== 'HelmRelease' && !(kind === 'App' && String(r.obj.apiVersion ?? '').startsWith('application.giantswarm.io/'))) return undefined;
  // Both are cached per built resource and fleet version.
  return kind === 'HelmRelease' ? helmReleaseValues(fleet, r, build) : appValues(fleet, r, build);
}

/**
 * Whether a policy rule selects an object: its kind, name and namespace as resIdOf reads them ('' for one missing),
 * read without making an id (asked for every rule of every resource checked, in every context).
 */
function ruleSelects(matches: LockIndex['rules'][number]['matches'], o: JsonObject): boolean {
  const meta = o.metadata as { name?: unknown; namespace?: unknown } | null | undefined;
  const name = meta?.name;
  const namespace = meta?.namespace;
  return matches(typeof o.kind === 'string' ? o.kind : '', typeof name === 'string' ? name : '', typeof namespace === 'string' ? namespace : '');
}

/**
 * Whether a release's effective values can hold anything a lock or requirement covers (computing them is the
 * expensive part of the check): a rule selecting the object whose path reaches `spec.values`, or a mark in a file
 * that is not a manifest (a values file), or on a path at or under `spec.values`.
 */
function needsValues(index: LockIndex, r: Resource): boolean {
  if (index.valueMarks) return true;
  // (Whether a rule reaches the values is the index's, made once: only those rules are asked whether they select.)
  for (let i = 0; i < index.rules.length; i++) if (index.rules[i].reachesValues && ruleSelects(index.rules[i].matches, r.obj)) return true;
  return false;
}

export function targetsOf(fleet: Fleet, r: Resource, build: Resource[]): Target[] {
  const values = needsValues(lockIndex(fleet), r) ? valuesOf(fleet, r, build) : undefined;
  const out: Target[] = [{ resource: r, prov: r.prov, root: r.obj, prefix: '', skipValues: !!values }];
  if (values) out.push({ resource: r, prov: values.prov, root: values.values, prefix: VALUES, skipValues: false });
  return out;
}

/** The resource with its effective values at `spec.values` (what policy paths and required checks see). */
function fullRoot(target: Target, targets: Target[]): Json {
  const values = targets.find((t) => t.prefix === VALUES);
  const base = (obj(targets.find((t) => t.prefix === '')?.root) ?? target.resource.obj) as JsonObject;
  if (!values) return base;
  const spec = obj(base.spec) ?? {};
  return { ...base, spec: { ...spec, values: values.root } };
}

/** A leaf a patch removed and no later layer set again, in a target's coordinates. */
export interface RemovedLeaf {
  /** The leaf's pointer in the target's coordinates. */
  ptr: string;
  /** The removed subtree's pointer, in resource coordinates. */
  removedAt: string;
  value: Json;
  /** The leaf's stack before the removal. */
  stack: ProvenanceWrite[];
  removal: Removal;
}

/** The leaves removals took from a target (for effective values: those the other values layers do not set either). */
export function removedLeavesOf(target: Target): RemovedLeaf[] {
  const removed = target.resource.removed;
  if (!removed?.size) return [];
  const out: RemovedLeaf[] = [];
  for (const [at, removal] of removed) {
    for (const [full, value, stack] of liveRemovedLeaves(target.resource.obj, at, removal)) {
      if (target.prefix ? !isAtOrUnder(full, target.prefix) || full === target.prefix : target.skipValues && isAtOrUnder(full, VALUES)) continue;
      const ptr = target.prefix ? full.slice(target.prefix.length) : full;
      if (target.prefix && valueAt(target.root, ptr) !== undefined) continue; // a chart default or values layer sets it
      out.push({ ptr, removedAt: at, value, stack, removal });
    }
  }
  return out;
}

/** Puts `value` at `ptr` of `root` in place (missing maps and lists created): a removed leaf back, for lock paths. */
function putBack(root: Json, ptr: string, value: Json): void {
  const segs = parsePointer(ptr);
  let cur = root;
  for (let i = 0; i < segs.length; i++) {
    if (cur === null || typeof cur !== 'object') return;
    const key = segs[i];
    const c = cur as Record<string, Json>;
    if (i === segs.length - 1) c[key] = value;
    else {
      if (c[key] === undefined || c[key] === null || typeof c[key] !== 'object') c[key] = /^\d+$/.test(segs[i + 1]) ? [] : {};
      cur = c[key];
    }
  }
}

/**
 * A target with its removed leaves added back (their old stacks in `prov`, their values in `root`), so that marks
 * and policy paths find the locks on what was removed; undefined when nothing was removed.
 */
export function withRemoved(target: Target, leaves: RemovedLeaf[]): Target | undefined {
  if (!leaves.length) return undefined;
  const prov: ProvenanceMap = copyProvenance(target.prov);
  // One copy of the document, the leaves put back into it (not a copy per leaf: a removed subtree has many).
  const root = structuredClone(target.root) as Json;
  for (const l of leaves) {
    if (!prov.has(l.ptr)) prov.set(l.ptr, l.stack.length ? l.stack : [{ ...l.removal, value: l.value }]);
    if (l.ptr) putBack(root, l.ptr, l.value);
  }
  return { ...target, prov, root };
}

function dropLast(ptr: string, n: number): string | undefined {
  if (n === 0) return ptr;
  const segs = parsePointer(ptr);
  if (segs.length < n) return undefined;
  return toPointer(segs.slice(0, segs.length - n));
}

/** A full pointer (resource coordinates) in a target's coordinates ('' when it lies above the values root). */
function toTarget(full: string, target: Target): string | undefined {
  if (!target.prefix) return target.skipValues && isAtOrUnder(full, VALUES) ? undefined : full;
  if (isAtOrUnder(full, target.prefix)) return full.slice(target.prefix.length);
  if (isAtOrUnder(target.prefix, full)) return '';
  return undefined;
}

function isPrefixPath(prefix: ReadonlyArray<string | number>, path: ReadonlyArray<string | number>): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

/** Instances in groups of the same writers' key (`writersOf`), each group and its members in order of appearance. */
function groupByWriters(covering: Instance[], writersOf: ReadonlyMap<Lock, string>): Instance[][] {
  const first = writersOf.get(covering[0].lock);
  if (covering.every((i) => writersOf.get(i.lock) === first)) return [covering];
  const keys: Array<string | undefined> = [];
  const groups: Instance[][] = [];
  for (const inst of covering) {
    const k = writersOf.get(inst.lock);
    const at = keys.indexOf(k);
    if (at >= 0) groups[at].push(inst);
    else {
      keys.push(k);
      groups.push([inst]);
    }
  }
  return groups;
}

/** An instance of a lock at a pointer, once per lock. */
function addInstance(out: Map<string, Instance[]>, pointer: string, inst: Instance): void {
  const list = out.get(pointer);
  if (!list) out.set(pointer, [inst]);
  else if (!list.some((x) => x.lock.id === inst.lock.id)) list.push(inst);
}

/**
 * A policy governs the clusters its repository runs: it applies in a context when a Flux Kustomization on the
 * context's chain is defined in the declaring repository (a platform's rules do not reach another fleet that
 * happens to be open in the same workspace). Inline marks travel with the manifest and always apply.
 */
export function policyScope(fleet: Fleet, index: LockIndex, ctx: Context): LockIndex {
  if (!index.rules.length) return index;
  const chainRepos = new Set<string>();
  for (let c: Context | undefined = ctx; c; c = c.parent) {
    const root = fleet.repositoryOf(c.fact.owner.file)?.root;
    if (root) chainRepos.add(root);
  }
  const rules = index.rules.filter((r) => r.locks.every((l) => l.repositoryRoot === undefined || chainRepos.has(l.repositoryRoot)));
  return rules.length === index.rules.length ? index : { ...index, rules };
}

/** A target without any lock, required field or extension point (read-only, shared). */
const NO_INSTANCES: ReadonlyMap<string, Instance[]> = new Map();

/** Every lock, required field and extension point on the pointers of one target. */
export function instancesOf(index: LockIndex, target: Target, targets: Target[]): ReadonlyMap<string, Instance[]> {
  // (Made for the first instance: most targets have none, and share NO_INSTANCES.)
  let out: Map<string, Instance[]> | undefined;
  const r = target.resource;
  // Marks whose text a write on the stack comes from (wherever the leaf ended up, e.g. a list item a patch moved, or
  // a chart's values.yaml). Marks in manifests reach other resources only through patches, so a resource is scanned
  // when it comes from a marked file, when a marked file is used as a patch, and always for effective values.
  if (index.marks.size && (target.prefix || index.markedPatches || index.marks.has(r.origin.file))) {
    const marked = index.marks;
    target.prov.forEach((stack, ptr) => {
      for (let i = 0; i < stack.length; i++) {
        const w = stack[i];
        const marks = w.span ? marked.get(w.file) : undefined;
        if (!marks) continue;
        if (target.skipValues && isAtOrUnder(ptr, VALUES)) return;
        for (const mark of marks) {
          if (w.span!.start < mark.range.start || w.span!.end > mark.range.end) continue;
          const path = index.pathsOf(w.file).get(w.span!.start);
          if (!path || !isPrefixPath(mark.path, path)) continue;
          const full = dropLast(target.prefix + ptr, path.length - mark.path.length);
          const at = full === undefined ? undefined : toTarget(full, target);
          if (at !== undefined) addInstance((out ??= new Map()), at, { lock: index.markLocks.get(mark)!, pointer: at });
        }
      }
    });
  }
  if (index.marks.size) {
    // Marks of the document the resource was defined in (also when a later layer replaced the marked subtree).
    for (const mark of index.marks.get(r.origin.file) ?? []) {
      if (mark.docStart !== r.origin.span?.start) continue;
      const full = toPointer(mark.path);
      const at = toTarget(full, target);
      if (at === undefined) continue;
      const rel = target.prefix && !isAtOrUnder(full, target.prefix) ? target.prefix.slice(full.length) : '';
      addInstance((out ??= new Map()), at, { lock: index.markLocks.get(mark)!, pointer: at, declared: { value: rel ? valueAt(mark.value, rel) : mark.value } });
    }
  }
  if (index.rules.length) {
    let root: Json | undefined;
    for (const { rule, locks, matches } of index.rules) {
      if (rule.kind !== 'locked' || !ruleSelects(matches, r.obj)) continue;
      for (const lock of locks) {
        if (lock.literal !== undefined) {
          // A plain path: the lock is on that pointer, whatever leaves exist.
          const at = toTarget(lock.literal, target);
          if (at !== undefined) addInstance((out ??= new Map()), at, { lock, pointer: at });
          continue;
        }
        // Only leaves under the path's plain-key prefix can match (in the target's coordinates).
        const prefix = lock.literalPrefix;
        const local = target.prefix ? (isAtOrUnder(prefix, target.prefix) ? prefix.slice(target.prefix.length) : isAtOrUnder(target.prefix, prefix) ? '' : undefined) : prefix;
        if (local === undefined) continue;
        const rootValue = (root ??= fullRoot(target, targets));
        target.prov.forEach((_, ptr) => {
          if (!isAtOrUnder(ptr, local)) return;
          if (target.skipValues && isAtOrUnder(ptr, VALUES)) return;
          const segs = parsePointer(target.prefix + ptr);
          const n = matchPrefix(lock.rulePath.segments, segs, rootValue);
          if (n < 0) return;
          const at = toTarget(toPointer(segs.slice(0, n)), target);
          if (at !== undefined) addInstance((out ??= new Map()), at, { lock, pointer: at });
        });
      }
    }
  }
  return out ?? NO_INSTANCES;
}

function sameValue(locked: Json | undefined, written: Json): boolean {
  const norm = (v: Json | undefined) => (typeof v === 'string' && v.includes('${') ? substitute(v, () => undefined).text : v);
  return JSON.stringify(norm(locked)) === JSON.stringify(norm(written));
}

export type WriteKind = 'patch' | 'resource' | 'values' | 'variable' | 'other';

/** What kind of layer a provenance write is (an inline HelmRelease value: the step that wrote it in the release). */
export function writeKind(w: Provenance, fileText?: string): WriteKind {
  const step = writingStep(w.layer);
  if (isPatchStep(step)) return 'patch';
  if (step === 'resource') return 'resource';
  if (step === 'flux:postBuild') {
    const text = w.span && fileText ? fileText.slice(w.span.start, w.span.end) : '';
    return text.includes('${') ? 'other' : 'variable';
  }
  if (isValuesSourceStep(step)) return 'values';
  return 'other';
}

function describeWrite(w: Provenance, kind: WriteKind): string {
  switch (kind) {
    case 'patch':
      return writingStep(w.layer) === 'flux:patches' ? 'this Flux spec.patches entry' : 'this patch';
    case 'resource':
      return w.layer.step === 'spec.values' ? 'this inline value (spec.values)' : 'this resource';
    case 'variable':
      return 'this variable (postBuild substitution)';
    case 'values':
      return `this values layer (${layerLabel(w.layer)})`;
    default:
      return `this ${layerLabel(w.layer)} layer`;
  }
}

/** A value in a message; `secret` (a Secret's key, a SOPS document, a secret write) or ciphertext: masked (core/redact.ts). */
function show(v: Json | undefined, secret = false): string {
  if (v === undefined) return 'unset';
  if (secret || isCiphertext(v)) return MASK;
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}

function ownerLabel(r: Resource, values: boolean): string {
  const id = resIdOf(r.obj);
  return `${id.kind} ${id.namespace ? id.namespace + '/' : ''}${id.name}${values ? ' values' : ''}`;
}

/** What a lock finding is about, for quick-fixes, hovers and tests (the Finding itself is plain data). */
export interface LockFindingDetail {
  code: 'locked-field' | 'redundant-override' | 'missing-required';
  /** Context labels, sorted: `flux-system/web (platform/clusters/prod)`. */
  contexts: string[];
  /** The field, dotted, from the resource root (`spec.values.image.registry`). */
  field: string;
  owner: string;
  locks: Lock[];
  /** The overriding write (locked-field, redundant-override). */
  write?: ProvenanceWrite;
  writeKind?: WriteKind;
  /** The locked value, when there is one (an allowed layer set it, or the lock declared it); `secret` when it is
   *  (a Secret's key, a SOPS document's value, a secret write): it is never shown, nor written by a quick-fix. */
  lockedValue?: { value: Json; at?: Provenance; secret?: boolean };
  /** When the override deletes the field: the removed subtree's pointer (resource coordinates) and value. */
  removal?: { pointer: string; value: Json };
}

/** What checking one resource did: a finding added or joined (with its locks), or a required field reported missing. */
type LockEvent = { key: string; locks: Lock[] } | { missing: Lock; field: string };

interface Pending {
  finding: Omit<Finding, 'message'>;
  message: (contexts: string[]) => string;
  contexts: Set<string>;
  detail: Omit<LockFindingDetail, 'contexts'>;
}

/** Findings by place, per fleet version (every computation of a version adds to it); files looked up already. */
type ByKey = { version: number; map: Map<string, { finding: Finding; detail: LockFindingDetail }>; files: Set<string> };
const byKeyOf = (fleet: Fleet) => fleet.db.table<'byKey', ByKey>('lockFindings');
const detailsOf = (fleet: Fleet) => fleet.db.weak<Finding, LockFindingDetail>('lockDetails');

/** The detail of a finding returned by locksFindings. */
export function lockFindingDetail(fleet: Fleet, f: Finding): LockFindingDetail | undefined {
  return detailsOf(fleet).get(f);
}

function findingKey(f: { code: string; file: string; span: Span }): string {
  return `${f.code}|${f.file}|${f.span.start}|${f.span.end}`;
}

/**
 * The lock finding at a place: what code actions start from. From the last computation of this fleet version, or
 * computed for the contexts that write the file (never the whole fleet).
 */
export function lockFindingAt(fleet: Fleet, f: { code: string; file: string; span: Span }, options: LockOptions = {}): { finding: Finding; detail: LockFindingDetail } | undefined {
  const key = findingKey(f);
  const c = byKeyOf(fleet).get('byKey');
  if (c && c.version === fleet.version && c.map.has(key)) return c.map.get(key);
  if (c && c.version === fleet.version && c.files.has(f.file)) return undefined;
  locksFindings(fleet, { ...options, contexts: options.contexts ?? contextsWriting(fleet, f.file) });
  const now = byKeyOf(fleet).get('byKey')!;
  now.files.add(f.file);
  return now.map.get(key);
}

function textOf(fleet: Fleet, file: string): string | undefined {
  return fleet.facts.get(file)?.text ?? fleet.overlays.get(file) ?? fleet.readAuxFile(file);
}

/** Where to tell that a required field is missing: where the tenant brings the object in. */
function missingSite(fleet: Fleet, ctx: Context, r: Resource, declaringRoot: string | undefined): { file: string; span: Span } {
  const originRoot = fleet.repositoryOf(r.origin.file)?.root;
  // An object a ResourceSet renders is brought in by its template: the line that names it.
  if (originRoot !== declaringRoot || (r as AppliedObject).renderedBy !== undefined) {
    const name = r.prov.get('/metadata/name')?.find((w) => w.file === r.origin.file && w.span);
    return { file: r.origin.file, span: name?.span ?? { start: r.origin.span?.start ?? 0, end: r.origin.span?.start ?? 0 } };
  }
  // The include entry, outside the declaring repository and inside the source this context builds, that brings
  // the declaring file in (a tenant's `resources:` line naming the platform's base).
  const sourceFolder = ctx.build.sourceRoot?.folder;
  const seen = new Set<string>([r.origin.file]);
  let frontier = [r.origin.file];
  while (frontier.length) {
    const next: string[] = [];
    for (const f of frontier) {
      for (const inc of fleet.links.includers.get(f) ?? []) {
        if (inc.type === 'flux') continue;
        const root = fleet.repositoryOf(inc.file)?.root;
        if (root !== declaringRoot && (!sourceFolder || isInside(sourceFolder, inc.file))) return { file: inc.file, span: inc.span };
        if (!seen.has(inc.file)) {
          seen.add(inc.file);
          next.push(inc.file);
        }
      }
    }
    frontier = next;
  }
  return { file: ctx.fact.owner.file, span: ctx.fact.anchor };
}

function isSet(v: Json | undefined): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (typeof v === 'object') return Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0;
  return true;
}

function relatedOf(locks: Lock[], verb: string): RelatedInfo[] {
  return locks.map((l) => ({
    file: l.file,
    span: l.span,
    message: `${verb} ${l.origin === 'inline' ? `by # fleet:${l.kind}` : `by the ${l.kind === 'required' ? 'required' : 'locks'} policy`}${l.reason ? `: ${l.reason}` : ''}`,
  }));
}

function allowText(locks: Lock[]): string {
  return [...new Set(locks.flatMap((l) => l.allowIn))].join(', ');
}

/** What checking a resource did, kept for an object checked again in another context (see `checked` below). */
type Checked = { obj: JsonObject; prov: ProvenanceMap; origin: Resource['origin']; removed: Resource['removed']; index: LockIndex; values: EffectiveValues | undefined; events: LockEvent[] };

/**
 * The check of a resource already made with the same object, provenance, origin, removals and policy scope: a
 * Checked, or the resource itself for a check that found nothing under the whole policy, without effective values
 * (most: no record made). (A loop, not a closure made per resource of every context.)
 */
function sameCheck(seen: Checked | Resource | Array<Checked | Resource>, r: Resource, index: LockIndex, allIndex: LockIndex): Pick<Checked, 'values' | 'events'> | undefined {
  if (!Array.isArray(seen)) return sameAs(seen, r, index, allIndex);
  for (const x of seen) {
    const same = sameAs(x, r, index, allIndex);
    if (same) return same;
  }
  return undefined;
}

/** A check that found nothing, as a Checked reads (shared). */
const NOTHING: Pick<Checked, 'values' | 'events'> = Object.freeze({ values: undefined, events: Object.freeze([]) as unknown as LockEvent[] });

function sameAs(x: Checked | Resource, r: Resource, index: LockIndex, allIndex: LockIndex): Pick<Checked, 'values' | 'events'> | undefined {
  if (x.obj !== r.obj || x.prov !== r.prov || x.origin !== r.origin || x.removed !== r.removed) return undefined;
  if (!('events' in x)) return index === allIndex ? NOTHING : undefined;
  return x.index === index ? x : undefined;
}

/** The events of a resource checked with no finding (most): one shared list. */
const NO_EVENTS: LockEvent[] = Object.freeze([]) as unknown as LockEvent[];

/**
 * Whether no lock, requirement or mark can reach a resource, so that checking it finds nothing and records nothing: no
 * removal, no mark in its own file, none in a patch or values file (which reach resources through their stacks), no
 * policy rule selecting it (those of the whole index: a context's scope holds some of them). Most resources of a
 * fleet: each was given its targets, instances and an entry in the pass's WeakMap (the synthetic fleet: 23,700 checks
 * made, to find nothing in nearly all).
 */
function outOfReach(allIndex: LockIndex, r: Resource): boolean {
  if (r.removed?.size || allIndex.valueMarks) return false;
  if (allIndex.marks.size && (allIndex.markedPatches || allIndex.marks.has(r.origin.file))) return false;
  const kind = typeof r.obj.kind === 'string' ? r.obj.kind : '';
  for (let i = 0; i < allIndex.rules.length; i++) {
    const rule = allIndex.rules[i];
    if (rule.selectsKind && !rule.selectsKind(kind)) continue; // (most resources: no metadata read)
    if (ruleSelects(rule.matches, r.obj)) return false;
  }
  return true;
}

/**
 * The indices of the resources something can reach (not outOfReach), in order: a plain loop apart from the pass's
 * generator, whose body V8 runs unoptimized for long (41,000 resources of the synthetic fleet looked at there).
 */
function inReach(allIndex: LockIndex, resources: readonly Resource[]): number[] {
  const out: number[] = [];
  for (let at = 0; at < resources.length; at++) if (!outOfReach(allIndex, resources[at])) out.push(at);
  return out;
}

/** Lock findings (locked-field, redundant-override, missing-required) of every evaluated context. */
export function locksFindings(fleet: Fleet, options: LockOptions = {}): Finding[] {
  return runSteps(locksFindingsSteps(fleet, options));
}

/** locksFindings in steps: yields after each context checked (the server's background evaluation). */
export function* locksFindingsSteps(fleet: Fleet, options: LockOptions = {}): Steps<Finding[]> {
  const allIndex = lockIndex(fleet);
  const out: Finding[] = [...allIndex.problems];
  let cached = byKeyOf(fleet).get('byKey');
  if (!cached || cached.version !== fleet.version) byKeyOf(fleet).set('byKey', (cached = { version: fleet.version, map: new Map(), files: new Set() }));
  const keyed = cached.map;
  if (allIndex.empty) return out;
  const contexts = options.contexts ?? allContexts(fleet, rootKustomizations(fleet), options.maxContexts ?? 2000);
  const pending = new Map<string, Pending>();
  const add = (p: Omit<Pending, 'contexts'>, _ctx: Context) => {
    const key = findingKey(p.finding);
    recording?.push({ key, locks: p.detail.locks });
    const cur = pending.get(key);
    if (cur) {
      cur.contexts.add(label);
      for (const l of p.detail.locks) if (!cur.detail.locks.some((x) => x.id === l.id)) cur.detail.locks.push(l);
    } else pending.set(key, { ...p, detail: { ...p.detail, locks: [...p.detail.locks] }, contexts: new Set([label]) });
  };
  const refined = new Map<string, Span>();
  const sites = new Map<string, { file: string; span: Span }>();
  // A write's span, made precise: inside a Flux patch (whose provenance is the whole block), the node that writes
  // the field; collections end at their last character, not at the next line.
  const spanOfWrite = (w: ProvenanceWrite, full: string): Span => {
    if (!w.span) return { start: 0, end: 0 };
    const key = `${w.file}|${w.span.start}|${w.span.end}|${full}`;
    let s = refined.get(key);
    if (!s) {
      const text = textOf(fleet, w.file);
      // (Only when the span is still the whole `|` block: a parent's substitution changed the patch text.)
      const whole = text !== undefined && writingStep(w.layer) === 'flux:patches' && /^[|>]/.test(text.slice(w.span.start, w.span.start + 1));
      s = (whole && patchNodeSpan(w.file, text!, w.span, full)) || w.span;
      if (text !== undefined) {
        let end = s.end;
        while (end > s.start && /\s/.test(text[end - 1])) end--;
        s = { start: s.start, end };
      }
      refined.set(key, s);
    }
    return s;
  };

  /** locked-field for every removed leaf under a lock, at the removing operation, when the removal is outside the scope. */
  const reportRemovals = (leaves: RemovedLeaf[], instances: ReadonlyMap<string, Instance[]>, target: Target, owner: string, ctx: Context) => {
    const locked = [...instances].map(([p, list]) => [p, list.filter((i) => i.lock.kind === 'locked')] as const).filter(([, list]) => list.length);
    if (!locked.length) return;
    for (const leaf of leaves) {
      const covering: Array<{ inst: Instance; at: string }> = [];
      for (const [p, list] of locked) if (isAtOrUnder(leaf.ptr, p)) for (const inst of list) covering.push({ inst, at: p });
      if (!covering.length) continue;
      const groups = new Map<string, typeof covering>();
      for (const c of covering) {
        const k = c.inst.lock.allowIn.join(',') + '|' + c.inst.lock.repositoryRoot;
        groups.set(k, [...(groups.get(k) ?? []), c]);
      }
      for (const group of groups.values()) {
        const lock = group[0].inst.lock;
        const by = leaf.removal;
        if (lock.allows(by.file)) continue;
        // What the removal took is the locked value only when an allowed layer wrote it (or nobody is known to).
        const stack = leaf.stack;
        let lastAllowed = stack.length - 1;
        while (lastAllowed >= 0 && !lock.allows(stack[lastAllowed].file)) lastAllowed--;
        if (stack.length && lastAllowed < 0) continue;
        const lockedValue: LockFindingDetail['lockedValue'] = lastAllowed >= 0 ? { value: stack[lastAllowed].value, at: stack[lastAllowed] } : { value: leaf.value };
        const lockedSecret = !!lockedValue.at?.secret || (target.prefix === '' && isSecretPlace(target.resource.obj, leaf.ptr));
        if (lockedSecret || isCiphertext(lockedValue.value)) lockedValue.secret = true;
        const lockAt = group.reduce((a, b) => (b.at.length > a.at.length ? b : a)).at;
        const field = dottedPath(parsePointer(target.prefix + lockAt));
        const removedField = dottedPath(parsePointer(leaf.removedAt));
        const full = target.prefix + leaf.ptr;
        const write: ProvenanceWrite = { file: by.file, span: by.span, layer: by.layer, kustomization: by.kustomization, value: leaf.value };
        const span = spanOfWrite(write, full);
        const locks = group.map((g) => g.inst.lock);
        const seenKey = findingKey({ code: 'locked-field', file: by.file, span });
        const seen = pending.get(seenKey);
        if (seen) {
          recording?.push({ key: seenKey, locks });
          seen.contexts.add(label);
          for (const l of locks) if (!seen.detail.locks.some((x) => x.id === l.id)) seen.detail.locks.push(l);
          continue;
        }
        const kind = writeKind(write, textOf(fleet, by.file));
        const what = describeWrite(write, kind);
        const reasons = [...new Set(locks.map((l) => l.reason).filter(Boolean))];
        const fullLock = target.prefix + lockAt;
        const how =
          leaf.removedAt === fullLock ? 'removes this locked field' : isAtOrUnder(fullLock, leaf.removedAt) ? `removes ${removedField}, and this locked field with it` : `removes ${removedField}, a part of this locked field`;
        const related = relatedOf(locks, 'locked');
        if (lockedValue.at?.span && !locks.some((l) => l.file === lockedValue.at!.file && l.span.start <= lockedValue.at!.span!.start && lockedValue.at!.span!.start <= (l.mark?.range.end ?? l.span.end))) {
          related.push({ file: lockedValue.at.file, span: lockedValue.at.span, message: `the locked value ${show(lockedValue.value, lockedSecret)} (${layerLabel(lockedValue.at.layer)})` });
        }
        add(
          {
            finding: { file: by.file, span, severity: 'error', code: 'locked-field', related },
            message: (cs) => `${field} is locked${reasons.length ? ` (${reasons.join('; ')})` : ''}: ${what} ${how} (the locked value ${show(lockedValue.value, lockedSecret)}; ${owner}, in ${cs.join(', ')}). Only ${allowText(locks)} may change it.`,
            detail: { code: 'locked-field', field, owner, locks, write, writeKind: kind, lockedValue, removal: { pointer: leaf.removedAt, value: by.value } },
          },
          ctx,
        );
      }
    }
  };

  let label = '';
  /** The events of the resource being checked, while they are recorded (see `checked`). */
  let recording: LockEvent[] | undefined;
  // Contexts of one folder share its objects (and substitution's: evaluate/substitutionMemo.ts): a resource whose
  // object, provenance, removals, effective values and policy scope were checked in another context gives the same
  // findings there. Its events are replayed for this context instead of checking it again.
  // (Keyed by provenance map, which a context's copy of an object has its own of: one check each, kept as it is; a
  // list only for a map checked apart more than once (another object, origin or scope). These entries are kept for
  // the whole pass; a check that found nothing is the resource itself, no record made for it. Keyed by object, the
  // copies of one object made a list per object, grown per context: 9,400 lists made or grown in a whole check of the
  // synthetic fleet, young when made and kept to the pass's end.)
  const checked = new WeakMap<ProvenanceMap, Checked | Resource | Array<Checked | Resource>>();
  // One scope object per set of rules that apply (policyScope makes a new one per call), so it can be compared.
  const scopes = new Map<string, LockIndex>();
  const scopeOf = (ctx: Context): LockIndex => {
    const scoped = policyScope(fleet, allIndex, ctx);
    if (scoped === allIndex) return allIndex;
    const key = scoped.rules.map((r) => allIndex.rules.indexOf(r)).join(',');
    let kept = scopes.get(key);
    if (!kept) scopes.set(key, (kept = scoped));
    return kept;
  };
  const replay = (events: LockEvent[], r: Resource, ctx: Context) => {
    for (const e of events) {
      if ('missing' in e) reportMissing(e.missing, e.field, r, ctx);
      else {
        const cur = pending.get(e.key)!;
        cur.contexts.add(label);
        for (const l of e.locks) if (!cur.detail.locks.some((x) => x.id === l.id)) cur.detail.locks.push(l);
      }
    }
  };
  // Builds whose objects are the same (evaluate/sharedContent.ts), under the same scope: what each resource did, by
  // its index. (Effective values are made of the build's objects: the same there too.)
  // (By scope, then by content key: a key joined per context was a string of ~200 characters made and hashed each time.)
  const builds = new Map<LockIndex, Map<string, Array<{ at: number; events: LockEvent[] }>>>();
  // The resources of a build that something can reach, by its list (contexts of one folder share it).
  const inReachOf = new Map<readonly Resource[], number[]>();
  /** Who may write under a lock, as groupByWriters keys groups. */
  const writersOf = new Map<Lock, string>();
  for (const ctx of evaluatorOf(fleet).scanOrder(contexts)) {
    yield;
    label = contextShortLabel(ctx.id);
    const index = scopeOf(ctx);
    // What the context applies: a release a ResourceSet renders is held to the same locks as one written in Git (the
    // rendered objects follow from the build's, so a build of the same content applies the same, index for index).
    const resources = appliedBuild(fleet, ctx.build.resources);
    const content = sharedContentOf(fleet.db, ctx.build.resources);
    let inScope = content === undefined ? undefined : builds.get(index);
    if (content !== undefined && !inScope) builds.set(index, (inScope = new Map()));
    const again = content === undefined ? undefined : inScope!.get(content);
    if (again) {
      for (const { at, events } of again) replay(events, resources[at], ctx);
      continue;
    }
    const buildEvents: Array<{ at: number; events: LockEvent[] }> = [];
    if (content !== undefined) inScope!.set(content, buildEvents);
    let reach = inReachOf.get(resources);
    if (!reach) inReachOf.set(resources, (reach = inReach(allIndex, resources)));
    for (let ri = 0; ri < reach.length; ri++) {
      const at = reach[ri];
      const r = resources[at];
      const seenHere = checked.get(r.prov);
      const same = seenHere && sameCheck(seenHere, r, index, allIndex);
      if (same && same.values === (same.values && valuesOf(fleet, r, resources))) {
        replay(same.events, r, ctx);
        if (same.events.length) buildEvents.push({ at, events: same.events });
        continue;
      }
      recording = [];
      const targets = targetsOf(fleet, r, resources);
      // (the removed leaves only of a resource a patch removed from: most have none)
      const removedLeaves = r.removed?.size ? targets.map(removedLeavesOf) : undefined;
      const augmented = removedLeaves?.some((l) => l.length) ? targets.map((t, i) => withRemoved(t, removedLeaves[i]) ?? t) : undefined;
      // (made for a finding only: most resources have none)
      let owner: string | undefined;
      for (let ti = 0; ti < targets.length; ti++) {
        const target = targets[ti];
        const instances = instancesOf(index, target, targets);
        // Removed locked fields (the locks on what is gone are found with the removed leaves put back).
        if (augmented && removedLeaves![ti].length) reportRemovals(removedLeaves![ti], instancesOf(index, augmented[ti], augmented), target, (owner ??= ownerLabel(r, false)), ctx);
        // Locked fields: every leaf under a lock.
        if (instances.size) {
          // (forEach: the generator's body runs unoptimized for long, and a spread of the entries made a pair and a
          // result per instance's pointer, for every target with a lock)
          const locked: Array<readonly [string, Instance[]]> = [];
          instances.forEach((list, p) => {
            const l = list.filter((i) => i.lock.kind === 'locked');
            if (l.length) locked.push([p, l]);
          });
          // Who may write under each lock, as groups are keyed (made once per lock of the pass, not once per target or
          // per leaf it covers; indexed: this body runs unoptimized for long).
          for (let j = 0; j < locked.length; j++) {
            const list = locked[j][1];
            for (let k = 0; k < list.length; k++) {
              const lock = list[k].lock;
              if (!writersOf.has(lock)) writersOf.set(lock, lock.allowIn.join(',') + '|' + lock.repositoryRoot);
            }
          }
          if (locked.length) target.prov.forEach((stack, ptr) => {
            let covering: Instance[] | undefined;
            // (Indexed, without destructuring or a spread: this runs for every leaf of every target with a lock, and each
            // of those went through an iterator, an object per step, before V8 optimized it.)
            for (let j = 0; j < locked.length; j++) {
              if (!isAtOrUnder(ptr, locked[j][0])) continue;
              const list = locked[j][1];
              covering ??= [];
              for (let k = 0; k < list.length; k++) covering.push(list[k]);
            }
            if (!covering) return;
            if (target.skipValues && isAtOrUnder(ptr, VALUES)) return;
            // Group the locks that agree on who may write (usually all of them: one group, no map), in order of appearance.
            const groups = groupByWriters(covering, writersOf);
            for (const group of groups) {
              const lock = group[0].lock;
              let lastAllowed = stack.length - 1;
              while (lastAllowed >= 0 && !lock.allows(stack[lastAllowed].file)) lastAllowed--;
              if (lastAllowed === stack.length - 1) continue;
              let lockedValue: LockFindingDetail['lockedValue'];
              if (lastAllowed >= 0) lockedValue = { value: stack[lastAllowed].value, at: stack[lastAllowed] };
              else {
                const decl = group.find((g) => g.declared);
                if (decl) {
                  const rel = ptr.slice(decl.pointer.length);
                  const v = rel ? valueAt(decl.declared!.value ?? null, rel) : decl.declared!.value;
                  if (v !== undefined) lockedValue = { value: v };
                }
              }
              const full = target.prefix + ptr;
              const secretPlace = target.prefix === '' && isSecretPlace(target.resource.obj, ptr);
              const lockedSecret = secretPlace || !!lockedValue?.at?.secret;
              if (lockedValue && (lockedSecret || isCiphertext(lockedValue.value))) lockedValue.secret = true;
              for (let i = lastAllowed + 1; i < stack.length; i++) {
                const w = stack[i];
                if (i > 0 && stack[i - 1].file === w.file && stack[i - 1].span?.start === w.span?.start && stack[i - 1].value === w.value) continue;
                const same = lockedValue !== undefined && sameValue(lockedValue.value, w.value);
                const span = spanOfWrite(w, full);
                const code = same ? 'redundant-override' : 'locked-field';
                const locks = group.map((g) => g.lock);
                const seenKey = findingKey({ code, file: w.file, span });
                const seen = pending.get(seenKey);
                if (seen) {
                  recording?.push({ key: seenKey, locks });
                  seen.contexts.add(label);
                  for (const l of locks) if (!seen.detail.locks.some((x) => x.id === l.id)) seen.detail.locks.push(l);
                  continue;
                }
                const field = dottedPath(parsePointer(full));
                const kind = writeKind(w, textOf(fleet, w.file));
                const reasons = [...new Set(locks.map((l) => l.reason).filter(Boolean))];
                const what = describeWrite(w, kind);
                const related = relatedOf(locks, 'locked');
                if (lockedValue?.at?.span && !locks.some((l) => l.file === lockedValue.at!.file && l.span.start <= lockedValue.at!.span!.start && lockedValue.at!.span!.start <= (l.mark?.range.end ?? l.span.end))) {
                  related.push({ file: lockedValue.at.file, span: lockedValue.at.span, message: `the locked value ${show(lockedValue.value, lockedSecret)} (${layerLabel(lockedValue.at.layer)})` });
                }
                const secret = secretPlace || !!w.secret;
                const ownerText = (owner ??= ownerLabel(r, false));
                add(
                  {
                    finding: { file: w.file, span, severity: same ? 'hint' : 'error', code, related },
                    message: (cs) =>
                      same
                        ? `${field} is locked${reasons.length ? ` (${reasons.join('; ')})` : ''}: ${what} sets the locked value ${show(w.value, secret)} again (${ownerText}, in ${cs.join(', ')}); it can be removed.`
                        : `${field} is locked${reasons.length ? ` (${reasons.join('; ')})` : ''}: ${what} changes it to ${show(w.value, secret)}${lockedValue ? ` from the locked ${show(lockedValue.value, lockedSecret)}` : ' where the lock leaves it unset'} (${ownerText}, in ${cs.join(', ')}). Only ${allowText(locks)} may change it.`,
                    detail: { code, field, owner: ownerText, locks, write: w, writeKind: kind, lockedValue },
                  },
                  ctx,
                );
              }
            }
          });
        }
        // Required fields declared inline.
        instances.forEach((list, ptr) => {
          for (const inst of list) {
            if (inst.lock.kind !== 'required') continue;
            const mark = inst.lock.mark!;
            const value = valueAt(target.root, ptr);
            let written = false;
            for (const [k, stack] of target.prov) {
              if (!isAtOrUnder(k, ptr)) continue;
              const top = stack[stack.length - 1];
              if (!(top.file === mark.file && top.span && top.span.start >= mark.range.start && top.span.end <= mark.range.end)) written = true;
            }
            if (written && isSet(value)) continue;
            reportMissing(inst.lock, dottedPath(parsePointer(target.prefix + ptr)), r, ctx);
          }
        });
      }
      // Required fields of the policy: per resource, on the resource with its effective values.
      let root: Json | undefined;
      for (let ri = 0; ri < index.rules.length; ri++) {
        const { rule, locks, matches } = index.rules[ri];
        if (rule.kind !== 'required' || !ruleSelects(matches, r.obj)) continue;
        root ??= fullRoot(targets[0], targets);
        for (const lock of locks) {
          const found = expandPattern(lock.rulePath.segments, root);
          const missing = found.length === 0 ? [lock.path] : found.filter((p) => !isSet(valueAt(root!, toPointer(p)))).map((p) => dottedPath(p));
          for (const field of missing) reportMissing(lock, field, r, ctx);
        }
      }
      const entry: Checked | Resource = !recording.length && index === allIndex && !targets[1] ? r : { obj: r.obj, prov: r.prov, origin: r.origin, removed: r.removed, index, values: targets[1] ? valuesOf(fleet, r, resources) : undefined, events: recording.length ? recording : NO_EVENTS };
      if (recording.length) buildEvents.push({ at, events: recording });
      recording = undefined;
      if (!seenHere) checked.set(r.prov, entry);
      else if (Array.isArray(seenHere)) seenHere.push(entry);
      else checked.set(r.prov, [seenHere, entry]);
      // A release's effective values were computed and checked: the longest part of a context (the server's
      // background evaluation lets a hover in here).
      if (targets[1]) yield;
    }
  }

  function reportMissing(lock: Lock, field: string, r: Resource, ctx: Context): void {
    // Replayed with the context (where it is reported depends on it): its own finding is not recorded.
    const outer = recording;
    outer?.push({ missing: lock, field });
    recording = undefined;
    try {
      reportMissingIn(lock, field, r, ctx);
    } finally {
      recording = outer;
    }
  }

  function reportMissingIn(lock: Lock, field: string, r: Resource, ctx: Context): void {
    const siteKey = `${r.origin.file}|${r.origin.span?.start}|${lock.repositoryRoot}|${ctx.build.sourceRoot?.folder}|${ctx.fact.owner.file}|${ctx.fact.anchor.start}`;
    let site = sites.get(siteKey);
    if (!site) sites.set(siteKey, (site = missingSite(fleet, ctx, r, lock.repositoryRoot)));
    const owner = ownerLabel(r, false);
    add(
      {
        finding: { ...site, severity: 'error', code: 'missing-required', related: relatedOf([lock], 'required') },
        message: (cs) => `${field} is required${lock.reason ? ` (${lock.reason})` : ''} but not set for ${owner} in ${cs.length === 1 ? 'context' : 'contexts'} ${cs.join(', ')}.`,
        detail: { code: 'missing-required', field, owner, locks: [lock] },
      },
      ctx,
    );
  }

  for (const p of pending.values()) {
    const contextsList = [...p.contexts].sort();
    const finding: Finding = { ...p.finding, message: p.message(contextsList) };
    const detail: LockFindingDetail = { ...p.detail, contexts: contextsList };
    detailsOf(fleet).set(finding, detail);
    keyed.set(findingKey(finding), { finding, detail });
    out.push(finding);
  }
  return out.sort(byPosition);
}

/**
 * Contexts whose resources hold a write of `file`: those that deploy it, and below them the contexts of the Flux
 * Kustomizations it defines (their `spec.patches` and `postBuild` write into their own builds) and of those whose
 * `postBuild.substituteFrom` names a ConfigMap or Secret it defines. Other contexts are not built.
 */
export function contextsWriting(fleet: Fleet, file: string, limit = 200): Context[] {
  return runSteps(contextsWritingSteps(fleet, file, limit));
}

/** contextsWriting in steps: yields after each context looked at (the server's background evaluation). */
export function* contextsWritingSteps(fleet: Fleet, file: string, limit = 200): Steps<Context[]> {
  const chains = deployChains(fleet, file);
  if (!chains.length) return [];
  const ev = evaluatorOf(fleet);
  const direct = yield* ev.contextsForSteps(file, chains, limit);
  const out: Context[] = [...direct];
  const seen = new Set(out.map((c) => c.key));
  const variables = new Set((fleet.facts.get(file)?.objects ?? []).filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret').map((o) => o.name));
  const substitutesFromHere = (parent: Context, child: Context): boolean => {
    if (!variables.size) return false;
    const name = deployerName(child.id);
    const spec = parent.build.resources.find((r) => r.obj.kind === 'Kustomization' && `${(r.obj.metadata as { namespace?: string })?.namespace ?? 'default'}/${(r.obj.metadata as { name?: string })?.name}` === name)?.obj.spec as { postBuild?: { substituteFrom?: Array<{ name?: string }> } } | undefined;
    return (spec?.postBuild?.substituteFrom ?? []).some((x) => x?.name !== undefined && variables.has(x.name));
  };
  let frontier = direct;
  for (let depth = 0; depth < 4 && frontier.length && out.length < limit; depth++) {
    const next: Context[] = [];
    for (const c of frontier) {
      for (const child of ev.childrenOf(c)) {
        if (seen.has(child.key) || out.length >= limit) continue;
        seen.add(child.key);
        const writes = child.fact.owner.file === file || substitutesFromHere(c, child);
        if (writes && touches(fleet.db, child.build.resources, file)) out.push(child);
        if (variables.size) next.push(child); // variables reach every level below
        yield;
      }
    }
    frontier = next;
  }
  return out;
}

