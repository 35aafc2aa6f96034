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
import { refObjects, refTargets, type FluxResolution, type Includer, type ResolvedRef } from './types';
import { linkLookups, type Links } from './linker';
import { runSteps, type Steps } from '../steps';

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
  const places = placesOf(previous, changed);
  const objects = previous.objects.withReplaced(places.objects, (e: IndexedObject) => {
    const fact = remap(e.fact) as IndexedObject['fact'];
    return fact === e.fact ? e : { fact, namespaces: e.namespaces };
  });
  const providedEntries = remap(previous.provided.entries) as ProvidedIndex['entries'];
  const provided = providedEntries === previous.provided.entries ? previous.provided : new ProvidedIndex(providedEntries);
  const ctx = { objects, namespacesOf: previous.namespacesOf, hasCatalogs: previous.hasCatalogs, provided };
  // The sink is made apart: a closure made here would hold this function's scope, and with it the previous links
  // (the new links' lookups keep the resolver: each links held the one before, the whole editing session long).
  const resolver = new Resolver(fleet, previous.sourceRoots, discardingSink(), ctx);
  const describe = providerDescriptions(fleet, previous, ctx);

  const touches = (r: ResolvedRef) => changed.has(r.file) || refTargets(r).some((t) => changed.has(t.file)) || refObjects(r).some((o) => changed.has(o.owner.file));
  const ref = (r: ResolvedRef): ResolvedRef => {
    if (!touches(r)) return r;
    const m = remap(r) as ResolvedRef;
    if (!r.provided) return m;
    const description = describe(r, m);
    if (description === undefined) throw new NotCarried();
    return description === m.description ? m : { ...m, description };
  };
  let copied = 0;
  /** The map with the lists at `keys` carried over item by item (the others are the previous lists). */
  const listed = <T>(m: Map<string, T[]>, keys: Set<string>, item: (x: T) => T): Map<string, T[]> => {
    let out: Map<string, T[]> | undefined;
    for (const k of keys) {
      const list = m.get(k);
      if (!list) continue;
      let copy: T[] | undefined;
      for (let i = 0; i < list.length; i++) {
        const x = item(list[i]);
        if (x !== list[i]) (copy ??= list.slice())[i] = x;
      }
      if (copy) {
        copied++;
        (out ??= new Map(m)).set(k, copy);
      }
    }
    return out ?? m;
  };

  let refsByFile: Links['refsByFile'];
  let referrers: Links['referrers'];
  try {
    refsByFile = listed(previous.refsByFile, places.refs, ref);
    referrers = listed(previous.referrers, places.referrers, ref);
  } catch (e) {
    if (e instanceof NotCarried) return undefined;
    throw e;
  }
  const includers = listed(previous.includers, places.includers, (inc: Includer) => (changed.has(inc.file) || (inc.type === 'flux' && changed.has(inc.flux.owner.file)) ? (remap(inc) as Includer) : inc));
  let flux = previous.flux;
  if (places.flux.length) {
    const entries = [...previous.flux];
    for (const i of places.flux) entries[i] = [remap(entries[i][0]) as (typeof entries)[number][0], remap(entries[i][1]) as (typeof entries)[number][1]];
    flux = new Map(entries);
  }
  let findings = previous.findings;
  let findingsByFile = previous.findingsByFile;
  if (places.findings.length) {
    findings = findings.slice();
    findingsByFile = new Map(findingsByFile);
    const swapped = new Map<Finding, Finding>();
    for (const i of places.findings) swapped.set(findings[i], (findings[i] = remap(findings[i]) as Finding));
    for (const [old, now] of swapped) findingsByFile.set(now.file, (findingsByFile.get(old.file) ?? []).map((f) => swapped.get(f) ?? f));
  }
  if (stats) {
    stats.files = changed.size;
    stats.copied = copied;
  }
  return { ...previous, findings, findingsByFile, refsByFile, includers, flux, objects, provided, referrers, ...linkLookups(fleet, previous.sourceRoots, resolver, { from: previous, changed }) };
}

/**
 * Where one file's facts are held in the links: list keys, and indices in Links' lists and maps (in order). In the
 * index of every file (Links.places) a kind of place the file has none of is absent: most files have places of one
 * or two kinds, and six empty sets and lists per file were most of the index (8.6 MB of the synthetic fleet's 11k files).
 */
export interface FilePlaces {
  refs?: Set<string>;
  referrers?: Set<string>;
  includers?: Set<string>;
  objects?: number[];
  flux?: number[];
  findings?: number[];
}

/**
 * The places of the changed files' facts. Found once by one pass over the links and shared by every link carried
 * over from them: carrying over keeps every key, order and file name, so the places stay where they were.
 */
function placesOf(links: Links, changed: Set<string>): Required<FilePlaces> {
  const byFile = (links.places.byFile ??= indexPlaces(links));
  const out: Required<FilePlaces> = { refs: new Set(), referrers: new Set(), includers: new Set(), objects: [], flux: [], findings: [] };
  for (const file of changed) {
    const p = byFile.get(file);
    if (!p) continue;
    for (const k of p.refs ?? []) out.refs.add(k);
    for (const k of p.referrers ?? []) out.referrers.add(k);
    for (const k of p.includers ?? []) out.includers.add(k);
    out.objects.push(...(p.objects ?? []));
    out.flux.push(...(p.flux ?? []));
    out.findings.push(...(p.findings ?? []));
  }
  for (const l of [out.objects, out.flux, out.findings]) l.sort((a, b) => a - b);
  out.flux = [...new Set(out.flux)];
  out.findings = [...new Set(out.findings)];
  return out;
}

function indexPlaces(links: Links): Map<string, FilePlaces> {
  return runSteps(indexPlacesSteps(links));
}

/**
 * Indexes the places of every file's facts in `links` ahead of the first edit, in steps (the server's background
 * work): otherwise the first request after an edit relinks with the whole index to make (0.3 s in a 10k-file fleet).
 */
export function* placesIndexSteps(links: Links, perStep = PLACES_PER_STEP): Steps<void> {
  if (links.places.byFile) return;
  const byFile = yield* indexPlacesSteps(links, perStep);
  links.places.byFile ??= byFile;
}

/** How many entries of the links are indexed between two yields. */
const PLACES_PER_STEP = 2000;

function* indexPlacesSteps(links: Links, perStep = PLACES_PER_STEP): Steps<Map<string, FilePlaces>> {
  const byFile = new Map<string, FilePlaces>();
  const at = (file: string | undefined): FilePlaces | undefined => {
    if (file === undefined) return undefined;
    let p = byFile.get(file);
    if (!p) byFile.set(file, (p = { refs: undefined, referrers: undefined, includers: undefined, objects: undefined, flux: undefined, findings: undefined }));
    return p;
  };
  let n = 0;
  const refFiles = (r: ResolvedRef) => [r.file, ...refTargets(r).map((t) => t.file), ...refObjects(r).map((o) => o.owner.file)];
  for (const [k, list] of links.refsByFile) {
    for (const r of list) for (const f of refFiles(r)) (at(f)!.refs ??= new Set()).add(k);
    if ((n += list.length + 1) >= perStep) yield, (n = 0);
  }
  for (const [k, list] of links.referrers) {
    for (const r of list) for (const f of refFiles(r)) (at(f)!.referrers ??= new Set()).add(k);
    if ((n += list.length + 1) >= perStep) yield, (n = 0);
  }
  for (const [k, list] of links.includers) {
    for (const inc of list) for (const f of [inc.file, inc.type === 'flux' ? inc.flux.owner.file : undefined]) if (f !== undefined) (at(f)!.includers ??= new Set()).add(k);
    if ((n += list.length + 1) >= perStep) yield, (n = 0);
  }
  const all = links.objects.all;
  for (let i = 0; i < all.length; i++) {
    (at(all[i].fact.owner.file)!.objects ??= []).push(i);
    if (++n >= perStep) yield, (n = 0);
  }
  let i = 0;
  for (const [fk, resolutions] of links.flux) {
    // A resolution holds facts of its Kustomization's file, the file writing its path or source (a patch), its source's.
    const files = new Set([fk.owner.file, ...resolutions.flatMap((r) => [r.fact.owner.file, r.path.file, r.source?.owner.file, r.override?.path?.file, r.override?.sourceRef?.file])]);
    for (const f of files) if (f !== undefined) (at(f)!.flux ??= []).push(i);
    i++;
    if ((n += resolutions.length + 1) >= perStep) yield, (n = 0);
  }
  for (let k = 0; k < links.findings.length; k++) {
    const f = links.findings[k];
    for (const file of new Set([f.file, ...(f.related ?? []).map((r) => r.file)])) (at(file)!.findings ??= []).push(k);
    if (++n >= perStep) yield, (n = 0);
  }
  return byFile;
}

/** A sink that keeps nothing (the lookups' resolver only answers). */
function discardingSink(): ConstructorParameters<typeof Resolver>[2] {
  return { findings: [], addRef: () => {}, addIncluder: () => {}, addReferrer: () => {} };
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
