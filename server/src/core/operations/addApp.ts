// Add app: a new overlay folder for a base of the platform, written like the neighbouring apps of the folder it goes
// to (the neighbour's kustomization with its names changed: the same fields, its base entry pointing at the new
// base, its values generator reading the new values file), the entry in the folder's kustomization (like the
// neighbour's), and a values file holding the base's extension points, `# fleet:required` keys first. A list that
// names its apps' bases itself, each app's values in one file beside it, is followed by addAppFile.ts.
import { Document, parse, type YAMLMap, type Scalar } from 'yaml';
import type { Fleet } from '../model';
import type { Json, JsonObject } from '../kustomize/types';
import { lockIndex } from '../locks/index';
import type { InlineMark } from '../locks/types';
import { basename, dirname, isInside, join, relative, resolvePath } from '../paths';
import { isKustomizationFileName } from '../paths';
import { emptyPlan, type OperationAnswer } from './plan';
import { appendEntryLike } from './entries';
import { renameInYaml, writtenLike, type Renames } from './layout';
import { appNamespace } from './appNamespace';
import { addAppFile, fileNeighboursIn } from './addAppFile';

export interface AddAppRequest {
  name: string;
  /** The base's folder (absolute). */
  base: string;
  /** The folder that lists the apps (absolute): the tenant's or cluster's apps folder. */
  to: string;
  /** Values for required keys (`ingress.host` → `web.example.com`), as the user gave them. */
  values?: Record<string, string>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function kustomizationIn(fleet: Fleet, folder: string): string | undefined {
  for (const [file, facts] of fleet.facts) if (dirname(file) === folder && isKustomizationFileName(basename(file)) && facts.kustomize) return file;
  return undefined;
}

/** A neighbouring app: a folder the target lists whose kustomization takes a base from outside it. */
interface Neighbour {
  folder: string;
  kustomization: string;
  /** Its base entry's value and the folder it names. */
  baseEntry: string;
  base: string;
}

function neighboursIn(fleet: Fleet, listFile: string): Neighbour[] {
  const out: Neighbour[] = [];
  for (const ref of fleet.facts.get(listFile)?.kustomize?.paths ?? []) {
    if (ref.role !== 'resources') continue;
    const folder = resolvePath(ref.baseDir, ref.value);
    const k = kustomizationIn(fleet, folder);
    if (!k || !isInside(dirname(listFile), folder) || folder === dirname(listFile)) continue;
    const baseRef = fleet.facts.get(k)?.kustomize?.paths.find((p) => (p.role === 'resources' || p.role === 'bases') && !isInside(folder, resolvePath(p.baseDir, p.value)) && kustomizationIn(fleet, resolvePath(p.baseDir, p.value)));
    if (baseRef) out.push({ folder, kustomization: k, baseEntry: baseRef.value, base: resolvePath(baseRef.baseDir, baseRef.value) });
  }
  return out;
}

/** The neighbour's own files (listed beside its base) that hold only its Namespace. */
function namespaceManifests(fleet: Fleet, neighbour: Neighbour, ns: string): string[] {
  const out: string[] = [];
  for (const ref of fleet.facts.get(neighbour.kustomization)?.kustomize?.paths ?? []) {
    if (ref.role !== 'resources') continue;
    const file = resolvePath(ref.baseDir, ref.value);
    const objects = dirname(file) === neighbour.folder ? fleet.facts.get(file)?.objects : undefined;
    if (objects?.length && objects.every((o) => o.kind === 'Namespace' && o.name === ns)) out.push(file);
  }
  return out;
}

interface Point {
  path: string[];
  kind: 'required' | 'extension';
  value: Json;
  reason?: string;
}

/** The base's extension points: marks in its files and in the local chart values its releases read, and policy requirements. */
function extensionPoints(fleet: Fleet, base: string): Point[] {
  const index = lockIndex(fleet);
  const out: Point[] = [];
  const valuesFiles = new Set<string>();
  const releases: JsonObject[] = [];
  for (const [file, facts] of fleet.facts) {
    if (!isInside(base, file)) continue;
    for (const o of facts.objects) if (o.kind === 'HelmRelease') releases.push({ name: o.name });
    const root = fleet.repositoryOf(file)?.root;
    // A release of a chart in the platform's repository: its values.yaml declares what tenants set.
    for (const m of facts.text.matchAll(/chart:\s*["']?(\.\/[^\s"']+)/g)) if (root) valuesFiles.add(join(root, m[1], 'values.yaml'));
  }
  const take = (marks: InlineMark[] | undefined, prefix: string[]) => {
    for (const m of marks ?? []) {
      if (m.kind === 'locked') continue;
      const path = m.path.map(String);
      if (prefix.length && !prefix.every((p, i) => path[i] === p)) continue;
      out.push({ path: path.slice(prefix.length), kind: m.kind, value: m.value, reason: m.reason });
    }
  };
  for (const [file, marks] of index.marks) if (isInside(base, file)) take(marks, ['spec', 'values']);
  for (const f of valuesFiles) take(index.marks.get(f), []);
  if (releases.length) {
    for (const { rule, locks } of index.rules) {
      if (rule.kind !== 'required' || (rule.kinds && !rule.kinds.includes('HelmRelease'))) continue;
      for (const l of locks) {
        const p = l.path.split('.');
        if (p[0] === 'spec' && p[1] === 'values' && p.length > 2 && !p.some((s) => s.includes('*') || s.includes('['))) out.push({ path: p.slice(2), kind: 'required', value: '', reason: rule.reason });
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((p) => p.path.length && !seen.has(p.path.join('.')) && seen.add(p.path.join('.'))).sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'required' ? -1 : 1));
}

/** The keys a base requires (`ingress.host`), with the reason each is required: what add app asks for. */
export function requiredValues(fleet: Fleet, base: string): Array<{ key: string; reason?: string }> {
  return extensionPoints(fleet, base)
    .filter((p) => p.kind === 'required')
    .map((p) => ({ key: p.path.join('.'), ...(p.reason ? { reason: p.reason } : {}) }));
}

/** The values file's text: each point at its path, its reason as a comment on its line. */
function valuesText(points: Point[], given: Record<string, string>, header: string): string {
  const doc = new Document({});
  const root = doc.contents as YAMLMap;
  for (const p of points) {
    const key = p.path.join('.');
    const value = given[key] ?? (p.kind === 'required' ? '' : p.value ?? null);
    const node = doc.createNode(value) as Scalar | YAMLMap;
    if (typeof value === 'object' && value !== null) (node as YAMLMap).flow = true;
    node.comment = ` ${p.kind}${p.reason ? `: ${p.reason}` : ''}`;
    doc.setIn(p.path, node);
  }
  return `# ${header}\n${root.items.length ? doc.toString({ lineWidth: 0 }) : '{}\n'}`;
}

export function addApp(fleet: Fleet, req: AddAppRequest): OperationAnswer {
  const n = req.name;
  if (!DNS_LABEL.test(n)) return { refused: `${n}: an app's name must be a DNS label (lower-case letters, digits and '-')` };
  const baseFile = kustomizationIn(fleet, req.base);
  if (!baseFile) return { refused: `${req.base} has no kustomization: not a base` };
  const listFile = kustomizationIn(fleet, req.to);
  if (!listFile) return { refused: `${req.to} has no kustomization listing apps to add to` };
  const folder = join(req.to, n);
  if (fleet.fs.exists(folder)) return { refused: `${folder} exists: nothing is overwritten` };
  // A required value left out would be a missing-required finding in every context: asked for, never left empty.
  const missing = requiredValues(fleet, req.base).filter((r) => !(req.values ?? {})[r.key]);
  if (missing.length) return { refused: `${basename(req.base)} requires ${missing.map((r) => `${r.key}${r.reason ? ` (${r.reason})` : ''}`).join(', ')}: give ${missing.length > 1 ? 'each' : 'it'} a value` };
  const neighbours = neighboursIn(fleet, listFile);
  if (!neighbours.length) {
    // No app folder: the list may name its apps' bases itself, each app's values in one file beside it.
    const files = fileNeighboursIn(fleet, listFile);
    const nearest = files.find((x) => x.file && dirname(x.base) === dirname(req.base)) ?? files.find((x) => x.file) ?? files[0];
    if (nearest) {
      const given = req.values ?? {};
      const points = extensionPoints(fleet, req.base).map((p) => ({ path: p.path, value: given[p.path.join('.')] ?? (p.kind === 'required' ? '' : p.value ?? null), comment: ` ${p.kind}${p.reason ? `: ${p.reason}` : ''}` }));
      return addAppFile(fleet, { name: n, base: req.base, to: req.to, listFile, neighbour: nearest, points });
    }
    return { refused: `no app in ${req.to} takes a base from outside its folder: there is no neighbour's layout to follow` };
  }
  // The nearest neighbour: one whose base sits beside the new base, else the first listed.
  const neighbour = neighbours.find((x) => dirname(x.base) === dirname(req.base)) ?? neighbours[0];
  const text = fleet.facts.get(neighbour.kustomization)?.text ?? '';
  const renames: Renames = [
    [basename(neighbour.folder), n],
    [basename(neighbour.base), basename(req.base)],
  ];

  // The neighbour's kustomization with only what the new app needs: the same fields in the same order, its base
  // entry pointing at the new base, the generators that read a values file (renamed); patches and other resources are
  // the neighbour's own.
  const parsed = parse(text) as JsonObject | null;
  if (!parsed || typeof parsed !== 'object') return { refused: `${neighbour.kustomization} cannot be read` };
  const out: JsonObject = {};
  let valuesFile: string | undefined;
  const nsNotes: string[] = [];
  const ns = typeof parsed.namespace === 'string' && parsed.namespace ? appNamespace(fleet, { listFile, neighbourName: basename(neighbour.folder), neighbourNamespace: parsed.namespace, neighbourBase: neighbour.base, base: req.base, name: n }) : undefined;
  if (ns) nsNotes.push(`namespace: ${ns.namespace === undefined ? 'none written, ' : ''}${ns.why}`);
  // An app in its own namespace whose neighbour makes its namespace in its folder: the new app makes its own too.
  const namespaceFiles = ns?.namespace === n ? namespaceManifests(fleet, neighbour, String(parsed.namespace)) : [];
  for (const [key, value] of Object.entries(parsed)) {
    if (key === 'resources' || key === 'bases') {
      if (!out.resources) out.resources = [...namespaceFiles.map((f) => basename(f)), writtenLike(neighbour.baseEntry, folder, req.base)];
    } else if (key === 'namespace') {
      if (ns?.namespace !== undefined) out.namespace = ns.namespace;
    } else if (key === 'configMapGenerator' || key === 'secretGenerator') {
      const kept: Json[] = [];
      for (const g of Array.isArray(value) ? value : []) {
        const files = (g as JsonObject)?.files;
        if (key === 'secretGenerator' || !Array.isArray(files) || files.length !== 1) continue;
        const entry = String(files[0]);
        const source = entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry;
        const data = fleet.facts.get(join(neighbour.folder, source));
        if (data && data.objects.length) continue; // a manifest, not values
        valuesFile = renameInYaml(source, renames);
        kept.push(JSON.parse(renameInYaml(JSON.stringify(g), renames)) as Json);
      }
      if (kept.length) out[key] = kept;
    } else if (['patches', 'patchesStrategicMerge', 'patchesJson6902', 'components', 'replacements', 'helmCharts'].includes(key)) {
      continue;
    } else out[key] = JSON.parse(renameInYaml(JSON.stringify(value), renames)) as Json;
  }
  const plan = emptyPlan(`Add app ${n} from ${relative(dirname(req.to), req.base)} (like ${basename(neighbour.folder)})`);
  const kdoc = new Document(out);
  plan.creates.push({ file: join(folder, basename(neighbour.kustomization)), text: kdoc.toString({ lineWidth: 0 }) });
  for (const f of namespaceFiles) plan.creates.push({ file: join(folder, basename(f)), text: renameInYaml(fleet.facts.get(f)?.text ?? '', renames) });
  plan.notes.push(...nsNotes);
  const points = extensionPoints(fleet, req.base);
  if (valuesFile) {
    plan.creates.push({ file: join(folder, valuesFile), text: valuesText(points, req.values ?? {}, `${n}'s values for the base ${basename(req.base)}`) });
  } else if (points.length) plan.notes.push(`${basename(neighbour.folder)} gives its base no values file: the extension points of ${basename(req.base)} (${points.map((p) => p.path.join('.')).join(', ')}) are not written`);

  const entries = appendEntryLike(fleet, neighbour.folder, (f) => f === listFile, renames);
  if ('refused' in entries) return entries;
  if (!entries.length) return { refused: `${listFile} lists ${basename(neighbour.folder)} in a way that cannot be copied` };
  plan.edits.push(...entries);
  plan.notes.unshift(`follows ${relative(dirname(req.to), neighbour.folder)}`);
  return plan;
}


