// Add app where the target lists its apps' bases directly and gives each app one file of its own beside its
// kustomization (Flux's own example: `resources: [../base/podinfo]`, `patches: [{path: podinfo-values.yaml}]`): the
// new base's entry written like the neighbour's, and the new app's file — its release as the engine builds the base
// (kind, name, namespace) with the base's extension points under spec.values — listed like the neighbour's.
import { Document, isMap, isSeq, parse, type Node, type YAMLMap } from 'yaml';
import type { Fleet } from '../model';
import type { JsonObject } from '../kustomize/types';
import type { PathRef } from '../facts';
import { buildKustomization } from '../kustomize/build';
import { buildOptions } from '../evaluate/fluxBuild';
import { basename, dirname, isInside, isKustomizationFileName, join, relative, resolvePath } from '../paths';
import { emptyPlan, type OperationAnswer } from './plan';
import { appendEntryLike } from './entries';
import type { Renames } from './layout';

/** What add app writes into an app's values: a key path, its value, and the comment on its line. */
export interface ValuePoint {
  path: string[];
  value: unknown;
  comment: string;
}

export interface FileNeighbour {
  /** The list's entry naming the neighbour's base, and that base. */
  baseEntry: PathRef;
  base: string;
  /** The neighbour's own file (a patch in the target folder whose name carries the base's), with its entry. */
  file?: { path: string; entry: PathRef };
}

function kustomizationIn(fleet: Fleet, folder: string): string | undefined {
  for (const [file, facts] of fleet.facts) if (dirname(file) === folder && isKustomizationFileName(basename(file)) && facts.kustomize) return file;
  return undefined;
}

const token = (name: string, s: string) => new RegExp(`(?<![A-Za-z0-9])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`).test(s);

/** Bases the list names outside its folder, each with the patch file beside the list that carries its name. */
export function fileNeighboursIn(fleet: Fleet, listFile: string): FileNeighbour[] {
  const paths = fleet.facts.get(listFile)?.kustomize?.paths ?? [];
  const folder = dirname(listFile);
  const out: FileNeighbour[] = [];
  for (const ref of paths) {
    if (ref.role !== 'resources' && ref.role !== 'bases') continue;
    const base = resolvePath(ref.baseDir, ref.value);
    if (isInside(folder, base) || !kustomizationIn(fleet, base)) continue;
    const patch = paths.find((p) => (p.role === 'patches' || p.role === 'patchesStrategicMerge') && dirname(resolvePath(p.baseDir, p.value)) === folder && token(basename(base), basename(p.value)));
    out.push({ baseEntry: ref, base, ...(patch ? { file: { path: resolvePath(patch.baseDir, patch.value), entry: patch } } : {}) });
  }
  return out;
}

/** The `patches` item whose `path` is `value`, as data. */
function patchItem(text: string, value: string): JsonObject | undefined {
  const doc = parse(text) as JsonObject | null;
  for (const key of ['patches', 'patchesStrategicMerge']) {
    const list = doc?.[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) if (item && typeof item === 'object' && !Array.isArray(item) && (item as JsonObject).path === value) return item as JsonObject;
  }
  return undefined;
}

export function addAppFile(fleet: Fleet, req: { name: string; base: string; to: string; listFile: string; neighbour: FileNeighbour; points: ValuePoint[] }): OperationAnswer {
  const { name: n, neighbour, listFile } = req;
  const entryRenames: Renames = [[basename(neighbour.base), basename(req.base)]];
  if (resolvePath(neighbour.baseEntry.baseDir, neighbour.baseEntry.value.split(basename(neighbour.base)).join(basename(req.base))) !== req.base) {
    return { refused: `${relative(dirname(req.to), req.base)} is not beside ${relative(dirname(req.to), neighbour.base)}: its entry cannot be written like the neighbour's` };
  }
  const plan = emptyPlan(`Add app ${n} from ${relative(dirname(req.to), req.base)} (like ${basename(neighbour.base)})`);
  const baseEntries = appendEntryLike(fleet, neighbour.base, (f) => f === listFile, entryRenames);
  if ('refused' in baseEntries) return baseEntries;
  plan.edits.push(...baseEntries);
  if (neighbour.file) {
    const item = patchItem(fleet.facts.get(listFile)?.text ?? '', neighbour.file.entry.value);
    const target = item?.target as JsonObject | undefined;
    // A target by kind alone patches every release of the list: the neighbour's values would reach the new app too.
    if (target && typeof target === 'object' && !target.name) {
      return { refused: `${basename(listFile)} patches every ${String(target.kind ?? 'object')} with ${neighbour.file.entry.value} (its target names none): the new app would get ${basename(neighbour.base)}'s values too. Name the release in that target first` };
    }
    // The neighbour's file patches its base's objects of one kind: the new app's file patches the new base's.
    const kinds = new Set((fleet.facts.get(neighbour.file.path)?.objects ?? []).map((o) => o.kind));
    let built: ReturnType<typeof buildKustomization>['resources'] = [];
    try {
      built = buildKustomization(req.base, buildOptions(fleet)).resources;
    } catch {
      /* the check reports the base's build error */
    }
    const releases = built.filter((r) => kinds.has(String(r.obj.kind)));
    if (releases.length !== 1) return { refused: `${basename(neighbour.file.path)} patches a ${[...kinds].join('/') || 'object'} of its base; ${basename(req.base)} builds ${releases.length || 'no'} such object${releases.length === 1 ? '' : 's'}` };
    const r = releases[0];
    const meta = (r.obj.metadata ?? {}) as JsonObject;
    const releaseName = String(meta.name ?? '');
    if (target && target.name !== undefined && releaseName !== n && String(target.name) === basename(neighbour.base)) {
      return { refused: `the neighbour's patch target names its app (${String(target.name)}); ${basename(req.base)}'s ${r.obj.kind} is ${releaseName}, not ${n}: name the app ${releaseName}` };
    }
    const doc = new Document({ apiVersion: r.obj.apiVersion, kind: r.obj.kind, metadata: { name: releaseName, ...(meta.namespace ? { namespace: meta.namespace } : {}) } });
    for (const p of req.points) {
      const node = doc.createNode(p.value) as Node & { comment?: string; flow?: boolean };
      if (isMap(node) || isSeq(node)) node.flow = true;
      node.comment = p.comment;
      doc.setIn(['spec', 'values', ...p.path], node);
    }
    if (!(doc.contents as YAMLMap).has('spec')) doc.setIn(['spec', 'values'], doc.createNode({}));
    const file = join(req.to, basename(neighbour.file.path).split(basename(neighbour.base)).join(n));
    if (fleet.fs.exists(file)) return { refused: `${file} exists: nothing is overwritten` };
    plan.creates.push({ file, text: `# ${n}'s values for the base ${basename(req.base)}\n${doc.toString({ lineWidth: 0 })}` });
    const fileEntries = appendEntryLike(fleet, neighbour.file.path, (f) => f === listFile, [[basename(neighbour.base), n]]);
    if ('refused' in fileEntries) return fileEntries;
    plan.edits.push(...fileEntries);
  }
  plan.notes.push(`follows ${basename(neighbour.base)} (its base listed in ${basename(listFile)}${neighbour.file ? `, its values in ${basename(neighbour.file.path)}` : ''})`);
  return plan;
}
