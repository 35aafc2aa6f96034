// A folder build after an edit of files it read only as `files:` inputs of ConfigMap generators (dataOnlyInputs.ts):
// the same build with those ConfigMaps' data keys holding the new texts, instead of building the folder again. Each
// such key is the file's whole text (kustomize writes it as read), so the new build is the old one with that value
// and its write replaced; every other object stays the same object. Anything that does not line up exactly (an env
// file, a Secret, binary data, a key a patch or a removal also touched, an issue naming the file) builds again.
import type { FleetDb } from '../../db/fleetDb';
import type { BuildOptions } from '../kustomize/build';
import type { BuildIssue, JsonObject, Resource } from '../kustomize/types';
import { flatReads, sameBytes, type Reads } from './reads';
import { dataOnlyInputs } from './dataOnlyInputs';
import { filesOf } from './contexts';
import { FileTooLarge } from '../kustomize/generators';
import { reachSelections } from './reach';
import { internPointer, provenanceWrite } from '../kustomize/provenance';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** A generator input's text as the generator reads it (valid UTF-8, no replacement character), else undefined. */
function textOf(bytes: Uint8Array | undefined): string | undefined {
  if (!(bytes instanceof Uint8Array) || bytes instanceof FileTooLarge) return undefined; // over the limit: build again
  try {
    const text = utf8.decode(bytes);
    return text.includes('\ufffd') ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * The folder build `old` (reads and whole output) made again for the files `changed` since it was checked, by
 * replacing generated data; undefined when it cannot be (then the folder is built again).
 */
export function patchGeneratedData<W extends { resources: Resource[]; issues: BuildIssue[] }>(
  db: FleetDb,
  old: Reads & { whole?: W },
  options: BuildOptions,
  changed: ReadonlySet<string>,
): (Reads & { whole: W }) | undefined {
  if (!old.whole) return undefined;
  // Its reads in maps of its own (those of the inner builds it holds too): the new build holds no inner build, and its
  // new bytes must be the only record of the files changed.
  const flat = old.inner?.length ? flatReads(old) : old;
  for (const [url, folder] of flat.remotes) if (options.resolveRemote?.(url) !== folder) return undefined;
  const texts = new Map<string, { before: string; after: string; bytes: Uint8Array }>();
  for (const f of changed) {
    if (f.endsWith('/.sourceignore')) return undefined;
    if (flat.reads.has(f) && options.readFile(f) !== flat.reads.get(f)) return undefined;
    if (!flat.bytes.has(f)) continue;
    const bytes = options.readBytes?.(f);
    if (sameBytes(bytes, flat.bytes.get(f))) continue;
    const before = textOf(flat.bytes.get(f));
    const after = textOf(bytes);
    if (before === undefined || after === undefined || !dataOnlyInputs(db, old, old.whole.resources).has(f)) return undefined;
    texts.set(f, { before, after, bytes: bytes! });
  }
  if (!texts.size) return undefined;
  if (old.whole.issues.some((i) => texts.has(i.file) || [...texts.keys()].some((f) => i.message.includes(f)))) return undefined;
  const resources = old.whole.resources.slice();
  const replaced = new Map<Resource, Resource>();
  const writers = writersOf(db, old.whole.resources, dataOnlyInputs(db, old, old.whole.resources));
  for (const i of new Set([...texts.keys()].flatMap((f) => writers.get(f) ?? []))) {
    const patched = patchResource(resources[i], texts);
    if (!patched) return undefined;
    replaced.set(resources[i], patched);
    resources[i] = patched;
  }
  carryOver(db, old.whole.resources, resources, replaced);
  const bytes = new Map(flat.bytes);
  for (const [f, t] of texts) bytes.set(f, t.bytes);
  // The texts read are the same (the old entry, dropped, records nothing more): its map is the new one's.
  return { reads: flat.reads, bytes, remotes: flat.remotes, whole: { ...old.whole, resources } };
}

/**
 * The positions of the objects each generator-only input (`only`, the output's dataOnlyInputs) wrote into, in a folder
 * build's output (made once, carried over). Only those files are ever asked for (an edit of another builds again): a
 * list for every file that wrote any object (each object's manifest, patches, kustomizations) was kept for every
 * output alive, and grew with the session's patched builds.
 */
function writersOf(db: FleetDb, resources: readonly Resource[], only: ReadonlySet<string>): ReadonlyMap<string, number[]> {
  return db.weak<readonly Resource[], Map<string, number[]>>('dataWriters').getOrMake(resources, () => {
    const out = new Map<string, number[]>();
    resources.forEach((r, i) => {
      for (const f of filesOf(db, r)) {
        if (!only.has(f)) continue;
        const list = out.get(f);
        if (list) list.push(i);
        else out.set(f, [i]);
      }
    });
    return out;
  });
}

/**
 * What was derived from the old output holds for the new one object for object: a patched ConfigMap keeps its kind,
 * name and the files that wrote it, only its data differs. So the generator-only inputs, the skeleton and the hovers'
 * selections (reach.ts) are carried over instead of being made again for each of the 60 overlays an add-on's values
 * file is built in, on the next hover after each keystroke.
 */
function carryOver(db: FleetDb, from: readonly Resource[], to: readonly Resource[], replaced: ReadonlyMap<Resource, Resource>): void {
  const map = (list: readonly Resource[]) => list.map((r) => replaced.get(r) ?? r);
  const writers = db.weak<readonly Resource[], Map<string, number[]>>('dataWriters');
  const at = writers.get(from);
  if (at) writers.set(to, at);
  const only = db.weak<readonly Resource[], ReadonlySet<string>>('dataOnlyInputs');
  const inputs = only.get(from);
  if (inputs) only.set(to, inputs);
  const skeletons = db.weak<readonly Resource[], Resource[]>('skeleton');
  const skeleton = skeletons.get(from);
  if (skeleton) skeletons.set(to, map(skeleton));
  // The hovers' selections (reach.ts), mapped onto the new objects; the index by file is made again when asked.
  const selections = reachSelections(db);
  const index = selections.get(from);
  if (index) selections.set(to, { byFile: new Map([...index.byFile].map(([file, picked]) => [file, map(picked)])) });
}

/** A ConfigMap with the data keys the files wrote (each the whole text, last or overridden) set to their new texts. */
function patchResource(r: Resource, texts: ReadonlyMap<string, { before: string; after: string }>): Resource | undefined {
  if (r.obj.kind !== 'ConfigMap' || r.removed?.size || texts.has(r.origin.file)) return undefined;
  const data = r.obj.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const newData: JsonObject = { ...data };
  const prov = new Map(r.prov);
  for (const [pointer, stack] of r.prov) {
    if (!stack.some((w) => texts.has(w.file))) continue;
    const m = /^\/data\/([^/]+)$/.exec(pointer);
    if (!m) return undefined;
    const key = m[1].replace(/~1/g, '/').replace(/~0/g, '~');
    // Only generators wrote this key, and each write of a changed file was its whole text (a `files:` entry).
    if (stack.some((w) => w.layer.step !== 'configMapGenerator')) return undefined;
    const next = stack.map((w) => {
      const t = texts.get(w.file);
      return t && !w.span && w.value === t.before ? provenanceWrite(w, t.after) : w;
    });
    if (next.some((w, i) => texts.has(w.file) && w === stack[i])) return undefined;
    const last = next[next.length - 1];
    if (last.value !== stack[stack.length - 1].value) {
      if (data[key] !== stack[stack.length - 1].value) return undefined;
      newData[key] = last.value;
    }
    prov.set(internPointer(pointer), next);
  }
  return { obj: { ...r.obj, data: newData }, prov, origin: r.origin };
}
