// One context's impact: its objects at the baseline against the working tree, and the dangers they carry.
import type { Fleet } from '../model';
import type { Resource, JsonObject } from '../kustomize/types';
import { evaluatorOf, type Context } from '../evaluate/contexts';
import { deployerName, type ContextId } from '../evaluate/contextId';
import { basename } from '../paths';
import { diffObject, objectKey, objectRef, deepEqual } from './objectDiff';
import { causeAt, firstChangedLine, originOf } from './causes';
import { textIn } from './changedFiles';
import { chartDangers, sourceChartDangers } from './chartDangers';
import { danger, fieldDangers, holdsData, isFluxKustomization, isHelmRelease, pruneDeletes, refLabel, refList, refOf } from './dangers';
import type { ContextPair } from './contextPairs';
import { appliedResources, type AppliedObject, type AppliedResources } from '../evaluate/resourceSets';
import type { ChangedFile, ContextImpact, Danger, ImpactCause, ObjectChange, ObjectRef } from './types';

export interface ImpactInput {
  work: Fleet;
  base: Fleet;
  changed: Map<string, ChangedFile>;
}

function byKey(resources: readonly Resource[]): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const r of resources) {
    const k = objectKey(r.obj);
    if (!out.has(k)) out.set(k, r);
  }
  return out;
}

/** kustomize's generated names (`web-config-5t7bm8h9k2`): a new hash is the same object with new content. */
const HASHED = /^(.*)-[a-z0-9]{10}$/;

/** Pairs a removed and an added ConfigMap/Secret that differ only by their name's hash suffix (taken out of both lists). */
function hashRenames(removed: Resource[], added: Resource[]): Array<[Resource, Resource]> {
  const out: Array<[Resource, Resource]> = [];
  for (const a of added) {
    const ra = objectRef(a.obj);
    const stem = HASHED.exec(ra.name)?.[1];
    if (!stem || (ra.kind !== 'ConfigMap' && ra.kind !== 'Secret')) continue;
    const i = removed.findIndex((r) => {
      const rr = objectRef(r.obj);
      return rr.kind === ra.kind && rr.namespace === ra.namespace && HASHED.exec(rr.name)?.[1] === stem;
    });
    if (i >= 0) out.push([removed.splice(i, 1)[0], a]);
  }
  for (const [, a] of out) added.splice(added.indexOf(a), 1);
  return out;
}

function spec(c: Context | undefined): JsonObject {
  return ((c?.build.spec.spec ?? {}) as JsonObject) ?? {};
}

const KUSTOMIZATION_FILES: ReadonlySet<string> = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/**
 * The line whose edit removes what this context no longer builds: a changed spec.path/sourceRef; else the nearest
 * changed line of a kustomization file the build read (a deleted `resources:` entry); else of a removed object's
 * file; else the first changed line of any changed file the build read; else (files deleted) the deployer's spec.path.
 */
function editCause(input: ImpactInput, pair: ContextPair, removed: Resource[]): ImpactCause | undefined {
  const w = pair.work;
  if (w && pair.base) {
    for (const field of ['path', 'sourceRef'] as const) {
      if (!deepEqual(spec(w)[field], spec(pair.base)[field])) return causeAt(w.build.specResource, `/spec/${field}`);
    }
  }
  // (a .sourceignore or spec.ignore that now leaves files out decides the build without being read by it)
  const read = new Set([...(w?.build.read ?? []), ...(pair.base?.build.read ?? []), ...(w?.build.artifactInputs ?? []), ...(pair.base?.build.artifactInputs ?? [])]);
  const candidates = [...read].filter((f) => input.changed.has(f));
  const ordered = [
    ...candidates.filter((f) => KUSTOMIZATION_FILES.has(basename(f))),
    ...removed.map((r) => r.origin.file).filter((f) => input.changed.has(f)),
    // (a ResourceSet's input provider written elsewhere: its edit decides what the ResourceSet renders)
    ...removed.flatMap((r) => (r as AppliedObject).inputFiles ?? []).filter((f) => input.changed.has(f)),
    ...candidates.sort(),
  ];
  for (const file of ordered) {
    const workText = textIn(input.work, file);
    if (workText === undefined) continue; // deleted: no line of it is left to point at
    const span = firstChangedLine(textIn(input.base, file) ?? '', workText);
    if (span) return { file, span };
  }
  // Files deleted from a folder Flux generates a kustomization for: the line that deploys the folder.
  return w ? causeAt(w.build.specResource, '/spec/path') : undefined;
}

/** Everything a Flux Kustomization removed from `parent` deployed at the baseline (its context and those below). */
function deployedBy(input: ImpactInput, parent: Context | undefined, ks: ObjectRef): ObjectRef[] {
  const ev = evaluatorOf(input.base);
  const out: ObjectRef[] = [];
  const visit = (c: Context) => {
    out.push(...applied(input.base, c).objects.map((r) => objectRef(r.obj)));
    for (const child of ev.childrenOf(c)) visit(child);
  };
  const name = `${ks.namespace ?? 'default'}/${ks.name}`;
  for (const c of parent ? ev.childrenOf(parent) : []) if (deployerName(c.id) === name) visit(c);
  return out;
}

function removalDangers(input: ImpactInput, pair: ContextPair, id: ContextId, removed: Resource[], added: Resource[], at: ImpactCause | undefined): Danger[] {
  const out: Danger[] = [];
  const addedRefs = added.map((r) => ({ r, ref: objectRef(r.obj) }));
  for (const r of removed) {
    const ref = objectRef(r.obj);
    if (!isFluxKustomization(ref) && !isHelmRelease(ref)) continue;
    const deployed = isFluxKustomization(ref) ? deployedBy(input, pair.base, ref) : [];
    const prunes = (r.obj.spec as JsonObject | undefined)?.prune === true;
    const data = prunes ? deployed.filter(holdsData) : [];
    const severity = data.length ? 'error' : 'warning';
    const deleted = prunes ? deployed : [];
    const what = isHelmRelease(ref) ? 'Helm uninstalls its release and everything the chart installed' : prunes ? `Flux deletes the ${deployed.length} object${deployed.length === 1 ? '' : 's'} it deployed${deployed.length ? ` (${refList(deployed)})` : ''}` : `the ${deployed.length} object${deployed.length === 1 ? '' : 's'} it deployed stay unmanaged (prune is off)`;
    const twin = addedRefs.find((a) => a.ref.kind === ref.kind && a.ref.apiVersion === ref.apiVersion && deepEqual(a.r.obj.spec, r.obj.spec));
    if (twin) {
      const msg = `${refLabel(ref)} is renamed to ${twin.ref.name}: the old one is deleted, ${what}, and the new one creates ${isHelmRelease(ref) ? 'a new release' : 'them again'}.`;
      out.push(danger('renamed', severity, msg, id, [refOf(ref), twin.ref, ...deleted], causeAt(twin.r, '/metadata/name')));
    } else {
      out.push(danger('kustomization-removed', severity, `${refLabel(ref)} goes away: ${what}.`, id, [refOf(ref), ...deleted], at));
    }
  }
  return out;
}

/**
 * Whether two objects hold the same JSON, by their serialization (native, and kept per object: the baseline's never
 * change, and the working contexts of one folder share the objects substitution did not change). Most objects of a
 * reached context are unchanged: walking each field of every one of them dominated an edit's impact.
 */
function sameContent(input: ImpactInput, a: Resource, b: Resource): boolean {
  if (a.obj === b.obj) return true;
  const texts = input.work.db.weak<JsonObject, string>('impactObjectText');
  return texts.getOrMake(a.obj, () => JSON.stringify(a.obj)) === texts.getOrMake(b.obj, () => JSON.stringify(b.obj));
}

export function contextImpact(input: ImpactInput, pair: ContextPair): ContextImpact | undefined {
  const ctx = (pair.work ?? pair.base)!;
  const id = ctx.id;
  // With what the context's ResourceSets render (the Flux Operator applies those in the same cluster).
  const workApplied = applied(input.work, pair.work);
  const baseRes = byKey(applied(input.base, pair.base).objects);
  const workRes = byKey(workApplied.objects);
  const objects: ObjectChange[] = [];
  /** Each changed object's two sides (the field dangers read whole values: a HelmRelease's chart). */
  const pairsOf = new Map<ObjectChange, { base: JsonObject; work: JsonObject }>();
  const changed = (b: Resource, w: Resource, fields: ObjectChange['fields']) => {
    const o: ObjectChange = { ...objectRef(w.obj), status: 'changed', fields, origin: originOf(w), ...renderedBy(w) };
    objects.push(o);
    pairsOf.set(o, { base: b.obj, work: w.obj });
  };
  const removed: Resource[] = [];
  const added: Resource[] = [];
  for (const [k, b] of baseRes) {
    const w = workRes.get(k);
    if (!w) {
      // A ResourceSet that does not build now: the operator fails and keeps what it applied (its finding says why).
      if (!workApplied.unbuilt.includes((b as AppliedObject).renderedBy ?? '')) removed.push(b);
    } else if (!sameContent(input, b, w)) {
      const fields = diffObject(b, w);
      if (fields.length) changed(b, w, fields);
    }
  }
  for (const [k, w] of workRes) if (!baseRes.has(k)) added.push(w);
  for (const [b, w] of hashRenames(removed, added)) changed(b, w, diffObject(b, w));
  for (const r of removed) objects.push({ ...objectRef(r.obj), status: 'removed', fields: [], origin: originOf(r, true), ...renderedBy(r) });
  for (const r of added) objects.push({ ...objectRef(r.obj), status: 'added', fields: [], origin: originOf(r), ...renderedBy(r) });
  const prune = spec(pair.work ?? pair.base).prune === true;
  const force = spec(pair.work).force === true;
  const dangers: Danger[] = [];
  const at = removed.length ? editCause(input, pair, removed) : undefined;
  // A Kustomization or HelmRelease that goes is one danger with all it deployed (kustomization-removed, renamed),
  // not also a prune deletion; a context gone with its Kustomization is reported there, not again on its own.
  const removals = removalDangers(input, pair, id, removed, added, at);
  dangers.push(...removals);
  const pruned = removed.filter((r) => !(r as AppliedObject).renderedBy).map((r) => objectRef(r.obj)).filter((o) => !isFluxKustomization(o) && !isHelmRelease(o));
  if (prune && pair.work && pruned.length) dangers.push(pruneDeletes(id, deployerName(id), pruned, at)!);
  // A ResourceSet always deletes what it no longer renders (its inventory), whatever the Kustomization's prune.
  if (pair.work) dangers.push(...renderedDeletes(id, removed, at));
  if (pair.work && pair.base) {
    const [ws, bs] = [spec(pair.work), spec(pair.base)];
    for (const field of ['path', 'sourceRef'] as const) {
      if (deepEqual(ws[field], bs[field])) continue;
      // A sourceRef reads as Flux names it (`GitRepository/flux-system/tenant`); a path as written.
      const show = (v: unknown) => (v === undefined ? '(none)' : typeof v === 'string' ? v : sourceRefLabel(v));
      const count = (c: Context) => c.build.resources.length;
      dangers.push(danger('path-changed', 'warning', `Kustomization ${deployerName(id)}: spec.${field} ${show(bs[field])} → ${show(ws[field])}: it now builds ${count(pair.work)} object${count(pair.work) === 1 ? '' : 's'} (${count(pair.base)} before)${pair.work.build.missingPath !== undefined ? `, and ${pair.work.build.missingPath} does not exist` : ''}.`, id, [], causeAt(pair.work.build.specResource, `/spec/${field}`)));
    }
  }
  for (const o of objects) {
    if (o.status !== 'changed') continue;
    dangers.push(...fieldDangers(id, o, force));
    const sides = pairsOf.get(o);
    if (sides && isHelmRelease(o)) dangers.push(...chartDangers(id, refOf(o), o.fields, sides.base, sides.work));
  }
  dangers.push(...sourceChartDangers(id, objects, pair.work?.build.resources ?? []));
  if (!objects.length && !dangers.length) return undefined;
  objects.sort((a, b) => a.kind.localeCompare(b.kind) || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
  return { id, key: pair.key, status: !pair.base ? 'added' : !pair.work ? 'removed' : 'changed', prune, objects, dangers };
}

/** What a context applies, its ResourceSets' objects included (none for a context absent on one side). */
function applied(fleet: Fleet, c: Context | undefined): AppliedResources {
  return c ? appliedResources(fleet, c.build.resources) : { objects: [], unbuilt: [] };
}

function renderedBy(r: Resource): { renderedBy?: string } {
  const by = (r as AppliedObject).renderedBy;
  return by !== undefined ? { renderedBy: by } : {};
}

/** One danger per ResourceSet whose rendered objects go (Flux Kustomizations and HelmReleases have their own). */
function renderedDeletes(id: ContextId, removed: Resource[], at: ImpactCause | undefined): Danger[] {
  const by = new Map<string, ObjectRef[]>();
  for (const r of removed) {
    const rs = (r as AppliedObject).renderedBy;
    const ref = objectRef(r.obj);
    if (rs === undefined || isFluxKustomization(ref) || isHelmRelease(ref)) continue;
    by.set(rs, [...(by.get(rs) ?? []), ref]);
  }
  return [...by].map(([rs, refs]) => {
    const data = refs.filter(holdsData);
    const why = data.length ? `; ${refList(data)} ${data.length === 1 ? 'holds' : 'hold'} data` : '';
    return danger('prune-deletes', data.length ? 'error' : 'warning', `ResourceSet ${rs} no longer renders ${refs.length} object${refs.length === 1 ? '' : 's'}: the Flux Operator deletes ${refList(refs)}${why}.`, id, refs, at);
  });
}

function sourceRefLabel(v: unknown): string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return JSON.stringify(v);
  const r = v as { kind?: unknown; namespace?: unknown; name?: unknown };
  return [r.kind, r.namespace, r.name].filter((x) => typeof x === 'string' && x !== '').join('/');
}
