// Incremental linking. While no file's link shape changed since the previous links (core/linkShape.ts: an edited
// value, a comment, text moved by a keystroke), a fresh link would make the same decisions: only the spans and fact
// objects drawn from the edited files differ. So the previous links are carried over with every fact object of an
// edited file replaced by its new counterpart (found by walking the old and new facts side by side), and every
// result holding one copied; everything else is the previous links' own objects (contexts and caches keyed by them
// stay valid). Anything unexpected (facts that do not line up) answers undefined: the caller links from scratch.
import type { Fleet } from '../model';
import type { FileFacts } from '../facts';
import type { Finding } from '../findings';
import { ObjectIndex, type IndexedObject } from './objectIndex';
import { ProvidedIndex } from './providedObjects';
import { Resolver } from './resolver';
import type { FluxResolution, Includer, ResolvedRef } from './types';
import { linkLookups, type Links } from './linker';

/** Keys of FileFacts that are the text itself, not what the linker reads. */
const TEXT_KEYS: ReadonlySet<string> = new Set(['text', 'lineStarts']);

/** What `relink` did, for tests and the bench (files carried over, results copied). */
export interface RelinkStats {
  files: number;
  copied: number;
}

/**
 * The links after text edits that kept every link shape: `before` holds each changed file's facts as `previous` saw
 * them. Undefined when an edited file's facts do not line up with its previous ones (then link from scratch).
 */
export function relink(fleet: Fleet, previous: Links, before: ReadonlyMap<string, FileFacts | undefined>, stats?: RelinkStats): Links | undefined {
  const replaced = new Map<object, object>();
  const changed = new Set<string>();
  for (const [file, old] of before) {
    const now = fleet.facts.get(file);
    if (!old || !now) return undefined;
    if (old === now) continue;
    if (old.resourceSets?.length || now.resourceSets?.length) return undefined;
    if (!pair(old, now, replaced, true)) return undefined;
    changed.add(file);
  }
  if (changed.size === 0) return previous;
  const remap = remapper(replaced);
  const objects = previous.objects.withReplaced((e: IndexedObject) => {
    if (!changed.has(e.fact.owner.file)) return e;
    const fact = remap(e.fact) as IndexedObject['fact'];
    return fact === e.fact ? e : { fact, namespaces: e.namespaces };
  });
  const providedEntries = remap(previous.provided.entries) as ProvidedIndex['entries'];
  const provided = providedEntries === previous.provided.entries ? previous.provided : new ProvidedIndex(providedEntries);
  const ctx = { objects, namespacesOf: previous.namespacesOf, hasCatalogs: previous.hasCatalogs, provided };
  const resolver = new Resolver(fleet, previous.sourceRoots, { findings: [], addRef: () => {}, addIncluder: () => {}, addReferrer: () => {} }, ctx);
  const describe = providerDescriptions(fleet, previous, ctx);

  const touches = (r: ResolvedRef) => changed.has(r.file) || r.targets.some((t) => changed.has(t.file)) || !!r.objects?.some((o) => changed.has(o.owner.file));
  const ref = (r: ResolvedRef): ResolvedRef => {
    if (!touches(r)) return r;
    const m = remap(r) as ResolvedRef;
    if (!r.provided) return m;
    const description = describe(r, m);
    if (description === undefined) throw new NotCarried();
    return description === m.description ? m : { ...m, description };
  };
  let copied = 0;
  const listed = <T>(m: Map<string, T[]>, item: (x: T) => T): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    for (const [k, list] of m) {
      let copy: T[] | undefined;
      for (let i = 0; i < list.length; i++) {
        const x = item(list[i]);
        if (x !== list[i]) (copy ??= list.slice())[i] = x;
      }
      if (copy) copied++;
      out.set(k, copy ?? list);
    }
    return out;
  };

  let refsByFile: Links['refsByFile'];
  let referrers: Links['referrers'];
  try {
    refsByFile = listed(previous.refsByFile, ref);
    referrers = listed(previous.referrers, ref);
  } catch (e) {
    if (e instanceof NotCarried) return undefined;
    throw e;
  }
  const includers = listed(previous.includers, (inc: Includer) => (changed.has(inc.file) || (inc.type === 'flux' && changed.has(inc.flux.owner.file)) ? (remap(inc) as Includer) : inc));
  const flux: Links['flux'] = new Map();
  // A resolution holds facts of its Kustomization's file, the file writing its path or source (a patch), its source's.
  const fluxTouches = (r: FluxResolution) => [r.fact.owner.file, r.path.file, r.source?.owner.file, r.override?.path?.file, r.override?.sourceRef?.file].some((f) => f !== undefined && changed.has(f));
  for (const [fk, resolutions] of previous.flux) {
    const key = changed.has(fk.owner.file) ? (remap(fk) as typeof fk) : fk;
    flux.set(key, key !== fk || resolutions.some(fluxTouches) ? (remap(resolutions) as typeof resolutions) : resolutions);
  }
  const findings = remap(previous.findings) as Finding[];
  const findingsByFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const l = findingsByFile.get(f.file);
    if (l) l.push(f);
    else findingsByFile.set(f.file, [f]);
  }
  if (stats) {
    stats.files = changed.size;
    stats.copied = copied;
  }
  return { ...previous, findings, findingsByFile, refsByFile, includers, flux, objects, provided, referrers, ...linkLookups(fleet, previous.sourceRoots, resolver) };
}

/** A result that cannot be carried over: link from scratch. */
class NotCarried extends Error {}

/**
 * A reference to something the cluster makes quotes its producer's line (providedObjects.ts describeProvider), which
 * an edit above it moves: its description is read again by resolving the reference once more against the new
 * context. The n-th provider answer of a reference is the n-th of the fresh resolution (one per namespace, in order).
 */
function providerDescriptions(fleet: Fleet, previous: Links, ctx: Resolver['ctx']): (old: ResolvedRef, now: ResolvedRef) => string | undefined {
  const fresh = new Map<object, ResolvedRef[]>();
  return (old, now) => {
    const ref = fleet.facts.get(now.file)?.objectRefs.find((o) => o.span === now.span);
    if (!ref) return undefined;
    let answers = fresh.get(ref);
    if (!answers) {
      const out: ResolvedRef[] = [];
      new Resolver(fleet, previous.sourceRoots, { findings: [], addRef: (r) => out.push(r), addIncluder: () => {}, addReferrer: () => {} }, ctx).resolveObjectRef(ref);
      fresh.set(ref, (answers = out.filter((r) => r.provided && r.span === ref.span)));
    }
    const n = (previous.refsByFile.get(old.file) ?? []).filter((r) => r.provided && r.span === old.span).indexOf(old);
    return answers[n]?.description;
  };
}

/** Walks old and new facts side by side, recording old object → new object; false where they do not line up. */
function pair(old: unknown, now: unknown, out: Map<object, object>, top = false): boolean {
  if (old === now) return true;
  if (!old || !now || typeof old !== 'object' || typeof now !== 'object') return isSpanValue(old, now);
  if (Array.isArray(old) !== Array.isArray(now)) return false;
  out.set(old, now);
  if (Array.isArray(old)) {
    const n = now as unknown[];
    if (old.length !== n.length) return false;
    for (let i = 0; i < old.length; i++) if (!pair(old[i], n[i], out)) return false;
    return true;
  }
  const o = old as Record<string, unknown>;
  const n = now as Record<string, unknown>;
  for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (top && TEXT_KEYS.has(k)) continue;
    if (!pair(o[k], n[k], out)) return false;
  }
  return true;
}

/** Numbers differ only as offsets: both sides numbers (a span's start or end; equal shapes guarantee the rest). */
function isSpanValue(old: unknown, now: unknown): boolean {
  return typeof old === 'number' && typeof now === 'number';
}

/**
 * Copies a value with every object in `replaced` swapped for its replacement: containers holding one are copied,
 * everything else is returned as it is (the same object). One answer per object, so shared objects stay shared.
 */
function remapper(replaced: Map<object, object>): (v: unknown) => unknown {
  const done = new Map<object, unknown>();
  const remap = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const r = replaced.get(v);
    if (r) return r;
    if (done.has(v)) return done.get(v);
    done.set(v, v);
    let out: unknown = v;
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = remap(v[i]);
        if (x !== v[i]) (copy ??= v.slice())[i] = x;
      }
      out = copy ?? v;
    } else if (v instanceof Set) {
      const items = [...v];
      const mapped = items.map(remap);
      if (mapped.some((x, i) => x !== items[i])) out = new Set(mapped);
    } else if (v instanceof Map) {
      const entries = [...v.entries()];
      const mapped = entries.map(([k, x]) => [remap(k), remap(x)] as const);
      if (mapped.some(([k, x], i) => k !== entries[i][0] || x !== entries[i][1])) out = new Map(mapped);
    } else if (Object.getPrototypeOf(v) === Object.prototype) {
      let copy: Record<string, unknown> | undefined;
      for (const [k, x] of Object.entries(v)) {
        const y = remap(x);
        if (y !== x) (copy ??= { ...(v as Record<string, unknown>) })[k] = y;
      }
      out = copy ?? v;
    }
    done.set(v, out);
    return out;
  };
  return remap;
}
