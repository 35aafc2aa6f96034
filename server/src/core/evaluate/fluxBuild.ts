// The Flux layer over kustomize: what a Flux Kustomization really applies. kustomize build of spec.path (or the
// kustomization Flux generates), then the Kustomization's own components, patches, images, name prefix/suffix and
// targetNamespace, then postBuild substitution. Works on the *rendered* Kustomization object, so values a parent
// substituted into a child's spec are what the child uses.
import type { Fleet } from '../model';
import type { Json, JsonObject, Provenance, Resource } from '../kustomize/types';
import { buildKustomization, applyComponent, applyPatchText, KUSTOMIZATION_FILES, type BuildOptions } from '../kustomize/build';
import { addNamePrefixSuffix, setImages, setNamespace, writeProvenance, type ImageSpec } from '../kustomize/transformers';
import { substitute } from '../kustomize/substitute';
import { resIdOf, type Selector } from '../kustomize/resid';
import { parseRemoteTarget } from '../sourceUrl';
import { dirname, isInside, join, relative, resolvePath } from '../paths';
import type { SourceRoot } from '../link/types';
import type { Span } from '../text';
import { scalarSpanMapper } from '../extract/patches';
import { findScalar } from '../yamlScalars';
import { escapeSegment } from '../kustomize/provenance';

export const SUBSTITUTE_DISABLED = 'kustomize.toolkit.fluxcd.io/substitute';

export interface VariableValue {
  value: string;
  /** Where the value was written (a substitute entry, a ConfigMap key). */
  from: Provenance;
  /** The value of a Secret: never shown. */
  secret?: boolean;
}

export interface VariableIssue {
  name: string;
  /** Resource and pointer of the string that used it. */
  resource: Resource;
  pointer: string;
  /** Provenance of the string before substitution (file and span of the `${…}`). */
  at?: Provenance;
}

/**
 * Picks the resources of a folder's kustomize build (before the Flux layers) that a partial build keeps. It sees the
 * cached build's own objects, so per-resource facts about them (filesOf) are computed once per fleet version.
 */
export type SelectResources = (resources: readonly Resource[]) => Resource[];

export interface FluxBuild {
  /** The Kustomization object as applied (rendered by its parent when it has one). */
  spec: JsonObject;
  specResource: Resource;
  sourceRoot?: SourceRoot;
  folder?: string;
  resources: Resource[];
  variables: Map<string, VariableValue>;
  /** Variables used with no value and no default. */
  undefinedVariables: VariableIssue[];
  /** `${…}` left in objects where substitution is disabled. */
  disabledUses: VariableIssue[];
  substitutes: boolean;
  issues: Array<{ file: string; span?: Span; severity: string; message: string; code: string }>;
}

function obj(v: Json | undefined): JsonObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

function lastProv(r: Resource, pointer: string, fallback: Provenance): Provenance {
  const e = r.prov.get(pointer);
  const last = e?.[e.length - 1];
  return last ? { file: last.file, span: last.span, layer: last.layer, kustomization: last.kustomization } : fallback;
}

/** readFile bound to the fleet: open editors' text first, reads only inside the fleet. */
export function fleetReader(fleet: Fleet): (path: string) => string | undefined {
  return (p: string) => {
    if (!fleet.isInFleet(p)) return undefined;
    const overlay = fleet.overlays.get(p);
    if (overlay !== undefined) return overlay;
    const facts = fleet.facts.get(p);
    if (facts && !facts.skipped) return facts.text;
    return fleet.tree.isFile(p) ? fleet.readAuxFile(p) : undefined;
  };
}

export function buildOptions(fleet: Fleet): BuildOptions {
  return {
    readFile: fleetReader(fleet),
    // Flux builds with LoadRestrictionsNone: files outside a kustomization's folder are allowed.
    loadRestrictions: 'none',
    resolveRemote: (url) => {
      const t = parseRemoteTarget(url);
      const root = t && fleet.links.sourceRoots.resolveGit(t.repoKey, t.ref);
      return root && t ? join(root.folder, t.subPath) : undefined;
    },
  };
}

/**
 * Builds one Flux Kustomization. `specResource` is the Kustomization object (from its file, or from the parent's
 * rendered output); `ownerFile` is where it was written (for source lookups).
 */
export function buildFlux(
  fleet: Fleet,
  specResource: Resource,
  ownerFile: string,
  lookupVars: (kind: string, name: string, namespace: string | undefined) => Map<string, VariableValue> | undefined,
  /** Keep only these resources of the kustomize build (a hover needs what one file wrote, not the whole build). */
  only?: SelectResources,
): FluxBuild {
  const spec = obj(specResource.obj.spec) ?? {};
  const meta = obj(specResource.obj.metadata) ?? {};
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const out: FluxBuild = { spec: specResource.obj, specResource, resources: [], variables: new Map(), undefinedVariables: [], disabledUses: [], substitutes: false, issues: [] };
  const base: Provenance = { file: ownerFile, layer: 'flux', kustomization: ownerFile };
  const at = (pointer: string, layer: string): Provenance => ({ ...lastProv(specResource, pointer, base), layer });

  const sourceRef = obj(spec.sourceRef);
  if (!sourceRef || typeof sourceRef.name !== 'string') return out;
  const { root } = fleet.links.rootOf(String(sourceRef.kind ?? 'GitRepository'), sourceRef.name, typeof sourceRef.namespace === 'string' ? sourceRef.namespace : namespace, ownerFile);
  if (!root) return out;
  out.sourceRoot = root;
  const path = (typeof spec.path === 'string' ? spec.path : './').replace(/^\.?\/+/, '');
  const folder = root.mapPath ? root.mapPath(path) : resolvePath(root.folder, path || '.');
  if (!folder || !isInside(root.folder, folder) || !fleet.tree.isDir(folder)) return out;
  out.folder = folder;

  const options = buildOptions(fleet);
  const issues: FluxBuild['issues'] = [];
  const hasKustomization = KUSTOMIZATION_FILES.some((n) => fleet.tree.isFile(join(folder, n)));
  let buildOpts = options;
  if (!hasKustomization) {
    // Flux generates a kustomization listing every manifest (a subfolder with its own kustomization as one entry).
    const entries = fleet.links.generatedEntries(folder, root.folder).map((f) => {
      const d = dirname(f);
      return KUSTOMIZATION_FILES.some((n) => f === join(d, n)) ? relative(folder, d) : relative(folder, f);
    });
    const virtual = join(folder, 'kustomization.yaml');
    const text = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${entries.map((e) => `  - ${JSON.stringify(e)}`).join('\n')}\n`;
    buildOpts = { ...options, readFile: (p) => (p === virtual ? text : options.readFile(p)) };
  }
  // Components can add or patch anything: a partial build is only safe without them.
  const partial = only && !(Array.isArray(spec.components) && spec.components.length);
  const built = cachedBuild(fleet, folder, buildOpts, partial ? only : undefined);
  issues.push(...built.issues);
  const resources = built.resources;

  // Flux's own layers, in the order it adds them to the top-level kustomization.
  const components = Array.isArray(spec.components) ? spec.components : [];
  components.forEach((c) => {
    if (typeof c === 'string') {
      const buildIssues: typeof built.issues = [];
      applyComponent(resolvePath(folder, c), resources, buildOpts, buildIssues);
      issues.push(...buildIssues);
    }
  });
  const patches = Array.isArray(spec.patches) ? spec.patches : [];
  patches.forEach((p, i) => {
    const e = obj(p);
    if (!e || typeof e.patch !== 'string') return;
    try {
      const where = at(`/spec/patches/${i}/patch`, 'flux:patches');
      applyPatchText(resources, e.patch, obj(e.target) as Selector | undefined, where, inlineMapper(fleet, where, e.patch));
    } catch (err) {
      issues.push({ file: ownerFile, span: at(`/spec/patches/${i}/patch`, 'flux:patches').span, severity: 'error', message: (err as Error).message, code: 'kustomize-build-error' });
    }
  });
  const images = (Array.isArray(spec.images) ? spec.images : []).filter((x) => obj(x) && typeof obj(x)!.name === 'string') as unknown as ImageSpec[];
  if (images.length) setImages(resources, images, (i) => at(`/spec/images/${i}`, 'flux:images'));
  if (typeof spec.namePrefix === 'string' || typeof spec.nameSuffix === 'string') {
    addNamePrefixSuffix(resources, typeof spec.namePrefix === 'string' ? spec.namePrefix : '', typeof spec.nameSuffix === 'string' ? spec.nameSuffix : '', at('/spec/namePrefix', 'flux:namePrefix'));
  }
  if (typeof spec.targetNamespace === 'string') setNamespace(resources, spec.targetNamespace, at('/spec/targetNamespace', 'flux:targetNamespace'));

  // postBuild: substituteFrom in order (later wins), then substitute (wins over all).
  const postBuild = obj(spec.postBuild);
  if (postBuild) {
    const from = Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : [];
    from.forEach((f) => {
      const e = obj(f);
      if (!e || typeof e.name !== 'string') return;
      const vars = lookupVars(String(e.kind ?? 'ConfigMap'), e.name, namespace);
      if (!vars && e.optional !== true) issues.push({ file: ownerFile, severity: 'warning', message: `postBuild.substituteFrom: ${String(e.kind ?? 'ConfigMap')} ${e.name} not found`, code: 'object-not-found' });
      for (const [k, v] of vars ?? []) out.variables.set(k, v);
    });
    const subst = obj(postBuild.substitute);
    for (const [k, v] of Object.entries(subst ?? {})) out.variables.set(k, { value: v === null ? '' : String(v), from: at(`/spec/postBuild/substitute/${escapeSegment(k)}`, 'flux:postBuild.substitute') });
    out.substitutes = out.variables.size > 0 || postBuild.substituteStrategy === 'Always' || from.length > 0;
  }
  if (out.substitutes) substituteAll(resources, out);
  else collectDisabled(resources, out, false);
  out.resources = resources;
  out.issues = issues;
  return out;
}

/**
 * The kustomize build of a folder depends only on the files it reads, not on who deploys it: a base built for 60
 * clusters is built once and copied for each (the Flux layers and substitution then change the copy). A build is
 * kept across fleet changes while every file it read (or found missing) reads the same: an edit to one tenant's
 * values file rebuilds that tenant's folders, not the fleet's.
 */
interface FolderBuild {
  resources: Resource[];
  issues: ReturnType<typeof buildKustomization>['issues'];
  /** Every path the build read, with what it read (undefined: missing). */
  reads: Map<string, string | undefined>;
  bytes: Map<string, Uint8Array | undefined>;
  remotes: Map<string, string | undefined>;
  /** The fleet version it was last found valid at. */
  checked: number;
}
const buildCache = new WeakMap<Fleet, Map<string, FolderBuild>>();
const MAX_CACHED_BUILDS = 500;

function cloneResource(r: Resource): Resource {
  // Stacks are shared: every writer appends by copying (copy-on-write), so the cached build stays intact.
  return { obj: structuredClone(r.obj), prov: new Map(r.prov), origin: r.origin, ...(r.removed && { removed: r.removed }) };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function stillValid(b: FolderBuild, options: BuildOptions): boolean {
  for (const [p, text] of b.reads) if (options.readFile(p) !== text) return false;
  for (const [p, bytes] of b.bytes) if (!sameBytes(options.readBytes?.(p), bytes)) return false;
  for (const [url, folder] of b.remotes) if (options.resolveRemote?.(url) !== folder) return false;
  return true;
}

/** Builds a folder while recording what it reads. */
function recordedBuild(folder: string, options: BuildOptions, version: number): FolderBuild {
  const reads = new Map<string, string | undefined>();
  const bytes = new Map<string, Uint8Array | undefined>();
  const remotes = new Map<string, string | undefined>();
  const recording: BuildOptions = {
    ...options,
    readFile: (p) => {
      const t = options.readFile(p);
      reads.set(p, t);
      return t;
    },
    readBytes: options.readBytes && ((p) => {
      const b = options.readBytes!(p);
      bytes.set(p, b);
      return b;
    }),
    resolveRemote: options.resolveRemote && ((url) => {
      const f = options.resolveRemote!(url);
      remotes.set(url, f);
      return f;
    }),
  };
  const built = buildKustomization(folder, recording);
  return { resources: built.resources, issues: built.issues, reads, bytes, remotes, checked: version };
}

function cachedBuild(fleet: Fleet, folder: string, options: BuildOptions, only?: SelectResources): { resources: Resource[]; issues: ReturnType<typeof buildKustomization>['issues'] } {
  let cache = buildCache.get(fleet);
  if (!cache) buildCache.set(fleet, (cache = new Map()));
  let built = cache.get(folder);
  if (built && built.checked !== fleet.version) {
    if (stillValid(built, options)) built.checked = fleet.version;
    else built = undefined;
  }
  if (!built) {
    built = recordedBuild(folder, options, fleet.version);
    cache.delete(folder);
    if (cache.size >= MAX_CACHED_BUILDS) cache.delete(cache.keys().next().value!);
  } else cache.delete(folder); // most recently used last
  cache.set(folder, built);
  return { resources: (only ? only(built.resources) : built.resources).map(cloneResource), issues: built.issues.slice() };
}

/** Offsets inside an inline patch → offsets in its file, when the file still holds that text as a block scalar. */
function inlineMapper(fleet: Fleet, where: Provenance, text: string): ((s: Span) => Span) | undefined {
  if (!where.span) return undefined;
  const source = fleetReader(fleet)(where.file);
  if (source === undefined) return undefined;
  const node = findScalar(source, where.span.start);
  if (!node || String(node.value) !== text) return undefined; // a parent's substitution changed it: keep the whole span
  return scalarSpanMapper(source, node);
}

function disabled(r: Resource): boolean {
  const meta = obj(r.obj.metadata);
  return obj(meta?.labels)?.[SUBSTITUTE_DISABLED] === 'disabled' || obj(meta?.annotations)?.[SUBSTITUTE_DISABLED] === 'disabled';
}

function walkStrings(node: Json, pointer: string, visit: (value: string, pointer: string, set: (v: string) => void) => void, parent?: JsonObject | Json[], key?: string | number): void {
  if (typeof node === 'string') {
    if (parent !== undefined && key !== undefined) visit(node, pointer, (v) => ((parent as Record<string | number, Json>)[key as never] = v as never));
    return;
  }
  if (Array.isArray(node)) node.forEach((item, i) => walkStrings(item, `${pointer}/${i}`, visit, node, i));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walkStrings(v, `${pointer}/${escapeSegment(k)}`, visit, node, k);
}

function substituteAll(resources: Resource[], out: FluxBuild): void {
  for (const r of resources) {
    if (disabled(r)) {
      collectDisabled([r], out, true);
      continue;
    }
    walkStrings(r.obj, '', (value, pointer, set) => {
      if (!value.includes('$')) return;
      const result = substitute(value, (name) => out.variables.get(name)?.value);
      if (result.text === value && result.uses.length === 0) return;
      const before = lastProv(r, pointer, r.origin);
      for (const u of result.uses) if (u.value === undefined) out.undefinedVariables.push({ name: u.name, resource: r, pointer, at: before });
      set(result.text);
      const single = result.uses.length === 1 && result.uses[0].start === 0 && result.uses[0].end === value.length ? out.variables.get(result.uses[0].name) : undefined;
      writeProvenance(r, pointer, result.text, single && !result.uses[0].defaulted ? { ...single.from, layer: 'flux:postBuild' } : { ...before, layer: 'flux:postBuild' });
    });
  }
}

function collectDisabled(resources: Resource[], out: FluxBuild, disabledOnly: boolean): void {
  if (!disabledOnly) return;
  for (const r of resources) {
    walkStrings(r.obj, '', (value, pointer) => {
      if (!/\$\{[_a-zA-Z]/.test(value)) return;
      const names = [...value.matchAll(/(?<!\$)\$\{([_a-zA-Z][_a-zA-Z0-9]*)/g)].map((m) => m[1]);
      for (const name of names) out.disabledUses.push({ name, resource: r, pointer, at: lastProv(r, pointer, r.origin) });
    });
  }
}

export function resourceKey(r: Resource): string {
  const id = resIdOf(r.obj);
  return `${id.group}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}
