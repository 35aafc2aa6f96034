// The Flux layer over kustomize: what a Flux Kustomization really applies. kustomize build of spec.path (or the
// kustomization Flux generates), then the Kustomization's own components, patches, images, name prefix/suffix and
// targetNamespace, then postBuild substitution. Works on the *rendered* Kustomization object, so values a parent
// substituted into a child's spec are what the child uses.
import { filesRead, noReads, recording, type Reads } from './reads';
import type { Fleet } from '../model';
import { setOwnKey, type Json, type JsonObject, type Provenance, type ProvenanceMap, type Resource } from '../kustomize/types';
import { recordCopy } from './provenanceDelta';
import { namesRead, substitutionMemo, type NamesRead, type SubstitutionMemo, type Substituted } from './substitutionMemo';
import { keepsContents, keptResources, keptSelection, recordWholeContent, setSharedContent, sharedResources, wholeContentOf, type SharedResources } from './sharedContent';
import { completeRoot, copyStage, KUSTOMIZATION_FILES, type BuildOptions, type FluxAdditions } from '../kustomize/build';
import { innerBuilds } from './innerBuilds';
import { folderBuild, folderStage, readOf, stillValid, wholeBuild, type FolderBuild } from './folderBuilds';
import { dataOnlyInputs } from './dataOnlyInputs';
import { MAX_YAML_BYTES } from '../indexFile';
import { writeProvenance, type ImageSpec } from '../kustomize/transformers';
import { substitute } from '../kustomize/substitute';
import { resIdOf, type Selector } from '../kustomize/resid';
import { parseRemoteTarget } from '../sourceUrl';
import { dirname, isInside, join, relative, resolvePath } from '../paths';
import type { SourceRoot } from '../link/types';
import { artifactFilter, artifactRules, artifactRulesOf, type ArtifactFilter } from '../link/sourceIgnore';
import type { Span } from '../text';
import { scalarSpanMapper } from '../extract/patches';
import { findScalar } from '../yamlScalars';
import { copyProvenance, escapeSegment, internPointer } from '../kustomize/provenance';
import { isSecretLeaf, MASK } from '../redact';
import { stepLayer, type FluxStep } from '../layer';
import { EMPTY_LIST, keptList } from '../keptList';
import { keptString } from '../keptString';
import { FrameVariables, NO_VARIABLES } from './frameVariables';

export const SUBSTITUTE_DISABLED = 'kustomize.toolkit.fluxcd.io/substitute';

export interface VariableValue {
  value: string;
  /** Where the value was written (a substitute entry, a ConfigMap key). */
  from: Provenance;
  /** The value of a Secret: never shown. */
  secret?: boolean;
}

/**
 * The variables one substituteFrom object offers. `opaque` says who makes it in the cluster when its content is not
 * known here (an ExternalSecret's Secret): then variables nothing else defines are unknown, not undefined.
 */
export type VariableSource = Map<string, VariableValue> & { opaque?: string };

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
export type SelectResources = ((resources: readonly Resource[]) => Resource[]) & {
  /** Names the selection, so builds selected alike can be reused (else the function's identity does). */
  key?: string;
  /**
   * The caller keeps what it gets (reach.ts, per context and file): the selection may be taken from the objects of a
   * kept whole build with this context's content (fromWholeContent), a new build object each time, never memoized.
   */
  fromWhole?: boolean;
};

export interface FluxBuild {
  /** The Kustomization object as applied (rendered by its parent when it has one). */
  spec: JsonObject;
  specResource: Resource;
  sourceRoot?: SourceRoot;
  folder?: string;
  resources: Resource[];
  /**
   * The variables (the last definition of each wins), as layers: the substituteFrom objects' own variable maps, then
   * substitute. Read-only, shared by every build of its frame; definitionsOf gives every definition of one.
   */
  variables: FrameVariables;
  /** Every `${…}` substitution made (the variable, the string and where it was written): what a variable rename follows. */
  variableUses: VariableIssue[];
  /** Variables used with no value and no default. */
  undefinedVariables: VariableIssue[];
  /** substituteFrom objects whose content only the cluster knows (who makes each): see VariableSource. */
  opaqueSources: string[];
  /** Variables nothing here defines, which an opaque source may hold: left as written. */
  unknownVariables: VariableIssue[];
  /** `${…}` left in objects where substitution is disabled. */
  disabledUses: VariableIssue[];
  substitutes: boolean;
  /** spec.path as rendered, when its folder does not exist in the source (the build is empty). */
  missingPath?: string;
  issues: Array<{ file: string; span?: Span; severity: string; message: string; code: string; related?: Array<{ file: string; span?: Span; message: string }> }>;
  /** Every file the kustomize build read (its kustomization files among them, generator inputs read as bytes too): what the build is made of. Shared by the builds of one folder build: never changed. */
  read?: string[];
  /**
   * The file whose change may change this build beyond `read` (which holds the generator inputs read as bytes): the
   * owner's (a file name, not a one-element list per build: 5,700 builds in a check of the synthetic fleet).
   */
  ownerFile?: string;
  /** What decides which files of the source are in its artifact: its `.sourceignore` files, the source object's file when it sets spec.ignore. */
  artifactInputs?: string[];
  /** Files the folder build read only as generator inputs of objects without a hash suffix (dataOnlyInputs.ts). */
  dataOnlyInputs?: ReadonlySet<string>;
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
    p = fleet.tree.canonical(p); // through a link inside the fleet: its target (outside ones are not in the tree)
    if (!fleet.isInFleet(p)) return undefined;
    const overlay = fleet.overlays.get(p);
    if (overlay !== undefined) return overlay;
    const facts = fleet.facts.get(p);
    if (facts && !facts.skipped) return facts.text;
    return fleet.tree.isFile(p) ? fleet.readAuxFile(p) : undefined; // bounded: one over the limit is tooLarge
  };
}

/**
 * The fleet's build options: one object per fleet (its functions read the fleet as it is when called), not one per
 * Flux frame; every context's frame held its own, a dozen closures each (the soak: 2,000 frames).
 */
export function buildOptions(fleet: Fleet): BuildOptions {
  return fleet.db.weak<Fleet, BuildOptions>('buildOptions').getOrMake(fleet, () => fleetBuildOptions(fleet));
}

function fleetBuildOptions(fleet: Fleet): BuildOptions {
  return {
    readFile: fleetReader(fleet),
    parse: fleet.parse,
    canonical: (p) => fleet.tree.canonical(p),
    // Generator inputs by their bytes: valid UTF-8 (U+FFFD included) is data, anything else binaryData.
    readBytes: (p) => (fleet.isInFleet(p) ? fleet.readAuxBytes(p) : undefined),
    tooLarge: (p) => {
      const size = fleet.tooLarge(p);
      return size === undefined ? undefined : { size, limit: MAX_YAML_BYTES };
    },
    // Flux builds with LoadRestrictionsNone: files outside a kustomization's folder are allowed.
    loadRestrictions: 'none',
    innerBuilds: innerBuilds(fleet, cloneResource),
    resolveRemote: (url) => {
      const t = parseRemoteTarget(url);
      const root = t && fleet.links.sourceRoots.resolveGit(t.repoKey, t.ref);
      return root && t ? join(root.folder, t.subPath) : undefined;
    },
  };
}

/** Options that read only what a source's artifact holds: a file it leaves out reads as missing, as in the cluster. */
function inArtifact(options: BuildOptions, artifact: ArtifactFilter): BuildOptions {
  return {
    ...options,
    readFile: (p) => (artifact.excluded(p) ? undefined : options.readFile(p)),
    readBytes: options.readBytes && ((p) => (artifact.excluded(p) ? undefined : options.readBytes!(p))),
    tooLarge: options.tooLarge && ((p) => (artifact.excluded(p) ? undefined : options.tooLarge!(p))),
  };
}

/** A context's postBuild variable lookup; `files`: every file the objects it found were written in (the evaluator's lookups record them). */
export interface VariableLookup {
  /** The variables of the substituteFrom object of this kind, name and namespace, if the context finds one. */
  find(kind: string, name: string, namespace: string | undefined): VariableSource | undefined;
  readonly files?: ReadonlySet<string>;
}

/** For one folder build's output: the kept whole build of this context's content, once found (`searched`: looked for in
 *  the memo), and the issues and extra reads of the builds fromWholeContent takes from it. */
interface ContentFound {
  wholeContent?: SharedResources;
  searched?: boolean;
  shared?: FluxBuild['issues'];
}

/**
 * What a Flux build's inputs decide before anything is selected: its source and folder, the options that read it,
 * the variables (substituteFrom looked up, substitute), Flux's additions and the folder build's key. The same for
 * every build of one context while what it read reads the same (the whole build, its skeleton, a hover's partial
 * builds of each file): made once per context instead of once per build (a hover asks ~60 contexts for a new file).
 */
interface FluxFrame {
  specResource: Resource;
  ownerFile: string;
  source: (() => SourceRoot | undefined) | undefined;
  /** The fleet version it was made or last found valid at (frameKept). */
  checked: number;
  /** The file of the source object it found (its spec.ignore decides the artifact). */
  sourceFile?: string;
  /** The layout's and settings' revision when made (mappings decide source roots and paths outside the reads). */
  layout: number;
  /** The build's fields these inputs decide (lists the build fills stay empty here). */
  out: FluxBuild;
  /**
   * What fromWholeContent found, by the folder build's output it was found for: weakly, so a frame (kept as long as its
   * context) never keeps a build the folder builds table dropped, nor the content found from it.
   */
  byContent?: WeakMap<readonly Resource[], ContentFound>;
  /** Absent when there is nothing to build (no source, no folder): `out` is the build. */
  inputs?: {
    /** What identifies the inputs besides the folder build: the spec object, variable sources, owner, folders. */
    key: string;
    spec: JsonObject;
    root: SourceRoot;
    folder: string;
    buildOpts: BuildOptions;
    variableIssues: FluxBuild['issues'];
    components: string[];
    patches: JsonObject[];
    images: ImageSpec[];
    staged: boolean;
    /**
     * The folder builds table's key of the folder's build. The frame holds the key, not the build: frames are kept for
     * the whole fleet version (finding every context builds thousands), and each holding its folder build kept every
     * build the table's bound had dropped (issue 12's peak RSS: 150 whole builds, 28 MB, after finding the contexts).
     */
    folderKey: string;
  };
}

/** A frame's folder build (and its whole build, unless staged) from the folder builds table: made again if dropped. */
function frameBuilds(fleet: Fleet, inputs: NonNullable<FluxFrame['inputs']>): { folderBuilt: FolderBuild; whole: FolderBuild['whole'] } {
  const folderBuilt = folderBuild(fleet, inputs.folderKey, inputs.folder, inputs.buildOpts);
  return { folderBuilt, whole: inputs.staged ? undefined : wholeBuild(fleet, inputs.folderKey, folderBuilt, inputs.folder, inputs.buildOpts) };
}

/**
 * The frame of a build's inputs, by the lookups' function (one per context). Kept across fleet versions while what it
 * read reads the same (frameKept): a hover after an edit of a tenant's values file asks ~60 contexts whose spec,
 * source and variables did not change, only the folder build.
 */
function fluxFrame(
  fleet: Fleet,
  specResource: Resource,
  ownerFile: string,
  lookupVars: VariableLookup,
  source: (() => SourceRoot | undefined) | undefined,
): FluxFrame {
  const frames = fleet.db.weak<object, FluxFrame>('fluxFrames');
  const hit = frames.get(lookupVars);
  if (hit && hit.specResource === specResource && hit.ownerFile === ownerFile && hit.source === source) {
    if (hit.checked === fleet.version) return hit;
    const kept = frameKept(fleet, hit, lookupVars);
    if (kept) {
      fleet.db.count('fluxFrame.kept');
      kept.checked = fleet.version;
      return kept === hit ? hit : frames.set(lookupVars, kept);
    }
  }
  fleet.db.count('fluxFrame.made');
  return frames.set(lookupVars, makeFrame(fleet, specResource, ownerFile, lookupVars, source));
}

/**
 * A frame made at an earlier version, still what makeFrame would make now: no link answer changed (source roots,
 * objects by name, generated entries, .sourceignore files: linkEpoch), and none of the files it read changed (the
 * owner's, the source object's, the artifact's inputs, those the variable lookups found their objects in; the spec is
 * the same object). It holds no folder build: frameBuilds asks the table each time, and what was found from the old
 * build's content is kept by that build's output, weakly (byContent). Undefined when it must be made again.
 */
function frameKept(fleet: Fleet, frame: FluxFrame, lookupVars: VariableLookup): FluxFrame | undefined {
  const lookupFiles = lookupVars.files;
  if (!lookupFiles || fleet.linkEpoch > frame.checked || fleet.db.lastChange(['layout', 'settings']) !== frame.layout) return undefined;
  const own = [frame.ownerFile, ...(frame.sourceFile ? [frame.sourceFile] : []), ...(frame.out.artifactInputs ?? [])];
  const changed = fleet.readChangedAfter(
    frame.checked,
    own.length + lookupFiles.size,
    function* () {
      yield* own;
      yield* lookupFiles;
    },
    (f) => own.includes(f) || lookupFiles.has(f),
    () => true,
  );
  return changed === false ? frame : undefined;
}

/** The frame's build lists that each build has its own of (buildFrom), and a build's lists that stay empty: empty and frozen. */
const NOT_THE_FRAMES = EMPTY_LIST as never[];

function makeFrame(
  fleet: Fleet,
  specResource: Resource,
  ownerFile: string,
  lookupVars: VariableLookup,
  source: (() => SourceRoot | undefined) | undefined,
): FluxFrame {
  const spec = obj(specResource.obj.spec) ?? {};
  const meta = obj(specResource.obj.metadata) ?? {};
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  // (The lists of a build's own are never read from the frame's: buildFrom gives each build its own. Frames are kept
  // for the fleet version, one per context: one shared empty list for those, not six per frame.)
  // (No variable defined twice and no opaque source, in nearly every frame: the one empty map and list until one is.)
  // (every field, optional ones too, set in the literal from the start, in buildFrom's order: a key added after it went
  // to a property store of its own, and made builds of several hidden classes, so code that read builds, compiled
  // having seen some, was deoptimized at the others and compiled again)
  const out: FluxBuild = { spec: specResource.obj, specResource, resources: NOT_THE_FRAMES, variables: NO_VARIABLES, variableUses: NOT_THE_FRAMES, undefinedVariables: NOT_THE_FRAMES, opaqueSources: NOT_THE_FRAMES, unknownVariables: NOT_THE_FRAMES, disabledUses: NOT_THE_FRAMES, substitutes: false, issues: NOT_THE_FRAMES, sourceRoot: undefined, artifactInputs: undefined, missingPath: undefined, folder: undefined, read: undefined, ownerFile: undefined, dataOnlyInputs: undefined };
  const at = specFieldAt(specResource, ownerFile);

  const sourceRef = obj(spec.sourceRef);
  const frame: FluxFrame = { specResource, ownerFile, source, out, checked: fleet.version, layout: fleet.db.lastChange(['layout', 'settings']), sourceFile: undefined, inputs: undefined, byContent: undefined };
  if (!source && (!sourceRef || typeof sourceRef.name !== 'string')) return frame;
  const kind = String(sourceRef?.kind ?? 'GitRepository');
  const found = source ? { root: source(), source: undefined } : fleet.links.rootOf(kind, String(sourceRef!.name), typeof sourceRef!.namespace === 'string' ? sourceRef!.namespace : namespace, ownerFile);
  if (found.source) frame.sourceFile = found.source.owner.file;
  const root = found.root;
  if (!root) return frame;
  out.sourceRoot = root;
  // Only what the source's artifact holds is there to build (.sourceignore files, spec.ignore, Flux's defaults).
  const rules = found.source ? artifactRulesOf(fleet, kind, found.source) : artifactRules(kind);
  const artifact = root.mapPath ? undefined : artifactFilter(fleet, root.folder, rules);
  if (artifact) {
    const inputs = [...artifact.files, ...(rules.ignore !== undefined && found.source ? [found.source.owner.file] : [])];
    out.artifactInputs = inputs.length ? inputs : NOT_THE_FRAMES; // (most artifacts have no .sourceignore: the one empty list)
  }
  const path = (typeof spec.path === 'string' ? spec.path : './').replace(/^\.?\/+/, '');
  const folder = root.mapPath ? root.mapPath(path) : resolvePath(root.folder, path || '.');
  // What the folder is in the artifact: the same for every context of the source (a tenant's sixty clusters), kept by
  // the artifact's filter (made again when the links move); a mapped folder has no filter, asked each time.
  const inArtifactFolder = folder && artifact ? artifactFolder(fleet, artifact, root, folder, rules) : folder && artifactFolderOf(fleet, undefined, root, folder, rules);
  if (!folder || !inArtifactFolder) {
    out.missingPath = typeof spec.path === 'string' ? spec.path : './';
    return frame;
  }
  out.folder = folder;
  const buildOpts = inArtifactFolder.buildOpts;
  // Variables first: with the spec and the selected build they decide the result (see `memo` below).
  const postBuild = obj(spec.postBuild);
  const variableIssues: FluxBuild['issues'] = [];
  const variableSources: Array<number | undefined> = [];
  if (postBuild) {
    // substituteFrom in order (later wins), then substitute (wins over all).
    const from = Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : [];
    const sources: VariableSource[] = [];
    from.forEach((f) => {
      const e = obj(f);
      if (!e || typeof e.name !== 'string') return;
      const vars = lookupVars.find(String(e.kind ?? 'ConfigMap'), e.name, namespace);
      variableSources.push(vars && identity(fleet, vars));
      if (vars?.opaque) out.opaqueSources = out.opaqueSources.concat(vars.opaque);
      if (!vars && e.optional !== true) variableIssues.push({ file: ownerFile, severity: 'warning', message: `postBuild.substituteFrom: ${String(e.kind ?? 'ConfigMap')} ${e.name} not found`, code: 'object-not-found' });
      if (vars?.size) sources.push(vars);
    });
    const own: Array<string | VariableValue> = [];
    const subst = obj(postBuild.substitute);
    for (const [k, v] of Object.entries(subst ?? {})) {
      const pointer = `/spec/postBuild/substitute/${escapeSegment(k)}`;
      // A parent may have substituted a Secret's value into it: still a secret here.
      const secret = isSecretLeaf(specResource, pointer, v);
      own.push(k, substituteValue(fleet, v === null ? '' : String(v), at(pointer, 'flux:postBuild.substitute'), secret));
    }
    out.variables = FrameVariables.of(sources, substituteEntries(fleet, own));
    out.substitutes = out.variables.size > 0 || postBuild.substituteStrategy === 'Always' || from.length > 0;
  }

  // Components, patches, images, a name prefix/suffix and a targetNamespace go into the top-level kustomization, as
  // kustomize-controller writes them there: those builds complete the folder's cached first stage (resources and its
  // own components) per context. A targetNamespace alone too: set on a finished build, the name references would not
  // follow it (a RoleBinding subject or a webhook's service naming a ServiceAccount or Service of the build).
  // (loops: the spec's lists come in several shapes, and array builtins inlined here met each anew)
  const components: string[] = [];
  const patches: JsonObject[] = [];
  const images: ImageSpec[] = [];
  if (Array.isArray(spec.components)) for (const c of spec.components) if (typeof c === 'string') components.push(c);
  if (Array.isArray(spec.patches)) for (const p of spec.patches) {
    const e = obj(p);
    if (e && typeof e.patch === 'string') patches.push(e);
  }
  if (Array.isArray(spec.images)) for (const x of spec.images) if (obj(x) && typeof obj(x)!.name === 'string') images.push(x as unknown as ImageSpec);
  const staged = components.length > 0 || patches.length > 0 || images.length > 0 || typeof spec.namePrefix === 'string' || typeof spec.nameSuffix === 'string' || typeof spec.targetNamespace === 'string';
  // Keyed by what the source's artifact leaves out too (a generated kustomization lists through it, and every read is
  // of the artifact); a .sourceignore edit is re-checked like any read (stillValid).
  // (Both kept with the frame, one per context, and in the keys of tables made from them: interned, the one flat copy
  // V8's string table keeps of each, made in the old generation, not a chain of joined strings copied by scavenges.)
  const folderKey = internPointer(`${artifact?.key ?? root.folder}\0${folder}`);
  // (the variable sources' identities are in the key and nowhere else: no list of them kept per frame)
  const key = internPointer(`${identity(fleet, specResource)}/${variableSources.join(',')}\0${ownerFile}\0${root.folder}\0${folder}`);
  // (kept per context, of which the server finds thousands: keptList)
  frame.inputs = { key, spec, root, folder, buildOpts, variableIssues: keptList(variableIssues), components: keptList(components), patches: keptList(patches), images: keptList(images), staged, folderKey };
  return frame;
}

/**
 * A substitute entry's value and where it was written, one object for every frame with that entry alike (the same
 * value, secrecy and write), not one of each: a patch that sets a substitute entry of many Kustomizations (the
 * synthetic fleet's per-cluster patch of its 40 tenants) made 2 × 2,320 values and provenance objects, all kept.
 */
function substituteValue(fleet: Fleet, value: string, from: Provenance, secret: boolean): VariableValue {
  // (the key names every field of the write, which it has and their values — a secret write's `masked` text too: two
  // writes of one value masked apart must not share one —, so the one kept is the one that would be made)
  const key = `${secret ? 's' : ''}${value.length}:${value}\0${Object.keys(from).join(',')}\0${JSON.stringify(from)}`;
  const table = fleet.db.table<string, VariableValue>('substituteValues');
  return table.get(key) ?? table.set(key, { value, from, ...(secret ? { secret } : {}) });
}

/**
 * A frame's substitute entries (name, value, name, value...), one list for every frame whose entries are these values
 * (substituteValue shares each), not one of each: 2,320 lists of four in the synthetic fleet, one per cluster now.
 */
function substituteEntries(fleet: Fleet, own: Array<string | VariableValue>): ReadonlyArray<string | VariableValue> {
  if (!own.length) return EMPTY_LIST;
  let key = '';
  for (let i = 0; i < own.length; i += 2) key += `${JSON.stringify(own[i])}:${identity(fleet, own[i + 1] as VariableValue)},`;
  const table = fleet.db.table<string, ReadonlyArray<string | VariableValue>>('substituteEntries');
  return table.get(key) ?? table.set(key, keptList(own));
}

/** A folder of a source's artifact: the options that build it (a generated kustomization's when it has none). */
interface ArtifactFolder {
  buildOpts: BuildOptions;
}

/** artifactFolderOf, kept per artifact filter and folder (the filter is made again when the links move). */
function artifactFolder(fleet: Fleet, artifact: ArtifactFilter, root: SourceRoot, folder: string, rules: ReturnType<typeof artifactRules>): ArtifactFolder | undefined {
  const byFolder = fleet.db.weak<ArtifactFilter, Map<string, ArtifactFolder | null>>('artifactFolders').getOrMake(artifact, () => new Map());
  const known = byFolder.get(folder);
  if (known !== undefined) return known ?? undefined;
  const made = artifactFolderOf(fleet, artifact, root, folder, rules);
  byFolder.set(folder, made ?? null);
  return made;
}

/** A folder of a source as its artifact holds it, or undefined when the artifact has no such folder. */
function artifactFolderOf(fleet: Fleet, artifact: ArtifactFilter | undefined, root: SourceRoot, folder: string, rules: ReturnType<typeof artifactRules>): ArtifactFolder | undefined {
  if (!isInside(root.folder, folder) || !fleet.tree.isDir(folder) || (artifact && !artifact.hasFolder(folder))) return undefined;
  // One set of options per artifact (the artifactFilter table's entry), shared by the frames of every context of its source.
  const options = artifact && !artifact.empty ? fleet.db.weak<ArtifactFilter, BuildOptions>('artifactOptions').getOrMake(artifact, () => inArtifact(buildOptions(fleet), artifact)) : buildOptions(fleet);
  const hasKustomization = KUSTOMIZATION_FILES.some((n) => fleet.tree.isFile(join(folder, n)) && !artifact?.excluded(join(folder, n)));
  if (hasKustomization) return { buildOpts: options };
  // Flux generates a kustomization listing every manifest (a subfolder with its own kustomization as one entry).
  const virtual = join(folder, 'kustomization.yaml');
  const text = generatedKustomization(folder, fleet.links.generatedEntries(folder, root.folder, rules));
  return { buildOpts: { ...options, readFile: (p) => (p === virtual ? text : options.readFile(p)) } };
}


/**
 * Where a Flux step's field of the spec was written (its last write, else the owner's file), as that step's write.
 * Made per build, not kept in the frame: a closure per context.
 */
function specFieldAt(specResource: Resource, ownerFile: string): (pointer: string, step: FluxStep) => Provenance {
  const base: Provenance = { file: ownerFile, layer: stepLayer('flux'), kustomization: ownerFile };
  return (pointer, step) => ({ ...lastProv(specResource, pointer, base), layer: stepLayer(step) });
}

/** The kustomization Flux generates for a folder without one: every manifest (a subfolder's kustomization as its folder). */
function generatedKustomization(folder: string, files: readonly string[]): string {
  let text = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n';
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    const d = dirname(f);
    const entry = KUSTOMIZATION_FILES.some((n) => f === join(d, n)) ? relative(folder, d) : relative(folder, f);
    text += `${i ? '\n' : ''}  - ${JSON.stringify(entry)}`;
  }
  return text + '\n';
}

/**
 * Builds one Flux Kustomization. `specResource` is the Kustomization object (from its file, or from the parent's
 * rendered output); `ownerFile` is where it was written (for source lookups).
 */
export function buildFlux(
  fleet: Fleet,
  specResource: Resource,
  ownerFile: string,
  lookupVars: VariableLookup,
  /** Keep only these resources of the kustomize build (a hover needs what one file wrote, not the whole build). */
  only?: SelectResources,
  /** The source, when it is not an object in Git (a FluxInstance's `spec.sync`). */
  source?: () => SourceRoot | undefined,
): FluxBuild {
  const frame = fluxFrame(fleet, specResource, ownerFile, lookupVars, source);
  // Each build its own lists (callers may keep one build's and not another's); the frame's maps are read-only.
  const out = buildFrom(frame.out, { resources: [], variableUses: [], undefinedVariables: [], unknownVariables: [], disabledUses: [] }, []);
  if (!frame.inputs) return out;
  if (only?.fromWhole) {
    const lean = fromWholeContent(fleet, frame, only);
    if (lean) return lean;
  }
  const { spec, folder, buildOpts, components, patches, images, staged, folderKey, variableIssues } = frame.inputs;
  const at = specFieldAt(specResource, ownerFile);
  const { folderBuilt, whole } = frameBuilds(fleet, frame.inputs);
  const issues: FluxBuild['issues'] = [];
  const selected = whole ? (only ? only(whole.resources) : whole.resources) : [];
  // By identity: the spec object is the same while its file (a root) or its parent's reused build (a child) is; the
  // variable maps are the same while their ConfigMaps/Secrets are (contexts.ts variablesOf). What completing a staged
  // top level reads (Flux components included) is recorded with the entry and re-checked like a folder build.
  const selection = staged ? `staged:${only ? only.key ?? identity(fleet, only) : 'all'}` : identity(fleet, selected);
  const memoKey = internPointer(`${identity(fleet, folderBuilt)}/${selection}/${frame.inputs.key}`);
  // Inline patches map their spans through the owner file's text.
  const ownerText = patches.length ? fleetReader(fleet)(ownerFile) : undefined;
  const reused = memoGet(fleet, buildOpts, memoKey, ownerText, !only);
  if (reused) {
    fleet.db.count('fluxBuild.reused');
    return reused; // the same object: the key holds the spec's identity, and callers compare builds by identity
  }
  fleet.db.count('fluxBuild.built');

  // An image entry's provenance: the field that changes the image (a new tag, name or digest).
  const imageProv = (i: number) => at(['newTag', 'newName', 'digest', 'name'].map((k) => `/spec/images/${i}/${k}`).find((p) => specResource.prov.has(p)) ?? `/spec/images/${i}`, 'flux:images');
  let resources: Resource[];
  let stageDeps: Reads | undefined;
  const sharedCopy = new Set<Resource>();
  const memo = substitutionMemo(fleet.db, out);
  let changing: readonly number[] = [];
  let known: SharedResources | undefined;
  /** The key the content is kept under (sharedResources), when it is a shared selection's. */
  let contentKey: string | undefined;
  if (staged) {
    const patchAt = (i: number) => at(`/spec/patches/${i}/patch`, 'flux:patches');
    const additions: FluxAdditions = {
      components: components.map((c) => resolvePath(folder, c)),
      patches: patches.map((e, i) => ({ text: e.patch as string, target: obj(e.target) as Selector | undefined, prov: patchAt(i), map: inlineMapper(fleet, patchAt(i), e.patch as string) })),
      images,
      imageProv,
      namespace: typeof spec.targetNamespace === 'string' ? { value: spec.targetNamespace, prov: at('/spec/targetNamespace', 'flux:targetNamespace') } : undefined,
      namePrefix: typeof spec.namePrefix === 'string' ? { value: spec.namePrefix, prov: at('/spec/namePrefix', 'flux:namePrefix') } : undefined,
      nameSuffix: typeof spec.nameSuffix === 'string' ? { value: spec.nameSuffix, prov: at('/spec/nameSuffix', 'flux:nameSuffix') } : undefined,
    };
    stageDeps = noReads();
    const completed = completeRoot(copyStage(folderStage(fleet, folderKey, folderBuilt, folder, buildOpts), cloneResource), recording(buildOpts, stageDeps), additions);
    issues.push(...completed.issues);
    resources = only ? only(completed.resources) : completed.resources;
  } else {
    // No Flux layer writes every object: each object and provenance map stays the cached build's until substitution
    // changes it (then it is copied), so the contexts of one folder share what they do not change.
    // Only objects with a `$` string can change (substitution, or a use where it is disabled): found once per selection.
    changing = changingOf(fleet, selected);
    // Every object substituted alike before, in a build whose resources are kept: those, without copying or substituting.
    const found = knownContent(fleet, selected, changing, out, memo, selection);
    known = found?.kept;
    contentKey = found?.content;
    if (known) {
      resources = known.resources;
      fleet.db.count('fluxBuild.sharedContent');
    }
    else {
      // The folder build's own wrappers where nothing can change (no `$` string): see ownWrapper.
      resources = selected.slice();
      for (let i = 0; i < resources.length; i++) if (ownWrapper(resources[i])) resources[i] = wrapperOf(resources[i]);
      for (const i of changing) {
        if (resources[i] === selected[i]) resources[i] = wrapperOf(selected[i]);
        sharedCopy.add(resources[i]);
      }
    }
    issues.push(...whole!.issues);
  }

  issues.push(...variableIssues);
  const shared = !staged;
  // The selection's objects substituted alike in another context: the same objects, which one key says (sharedContent.ts).
  const variants: Substituted[] = [];
  if (known) {
    out.variableUses = known.variableUses;
    out.undefinedVariables = known.undefinedVariables;
    out.unknownVariables = known.unknownVariables;
    out.disabledUses = known.disabledUses;
  } else if (out.substitutes) {
    substituteAll(shared ? [...sharedCopy] : resources, out, sharedCopy, (o) => dollarsOf(fleet, o), (copy, from, changed) => recordCopy(fleet.db, copy, from, changed), memo, variants);
  }
  else collectDisabled(resources, out, false);
  if (!known && shared) shareUnchanged(resources, selected, changing, out);
  let content = known;
  if (shared && !known) {
    let ids = '';
    for (let i = 0; i < variants.length; i++) ids += `${i ? ',' : ''}${identity(fleet, variants[i])}`;
    const key = `${selection}:${ids}`;
    // Another context's build holds these objects already: its resources (and the variable uses naming them) are
    // taken instead of ours, which are dropped young (a fleet's thousands of builds hold one copy per content).
    contentKey = `${key}|${out.substitutes}`;
    const kept = (content = sharedResources(fleet.db, selected, contentKey, { resources, variableUses: out.variableUses, undefinedVariables: out.undefinedVariables, unknownVariables: out.unknownVariables, disabledUses: out.disabledUses }));
    resources = kept.resources;
    out.variableUses = kept.variableUses;
    out.undefinedVariables = kept.undefinedVariables;
    out.unknownVariables = kept.unknownVariables;
    out.disabledUses = kept.disabledUses;
    setSharedContent(fleet.db, resources, key);
    if (out.substitutes) rememberContent(fleet, selected, changing, memo, `${key}|true`);
  }
  // A whole build's content by its inputs: the partial builds a hover asks of this context take their objects from it.
  if (!only && content && contentKey !== undefined) recordWholeContent(fleet.db, identity(fleet, selected), frame.inputs.key, contentKey);
  out.resources = resources;
  // (most builds have no issue: the one empty list, not one of each context's kept to the end of a check)
  out.issues = issues.length ? issues : NOT_THE_FRAMES;
  out.read = stageDeps ? [...new Set([...filesRead(folderBuilt), ...filesRead(stageDeps)])] : readOf(fleet, folderBuilt);
  out.ownerFile = ownerFile;
  if (whole) out.dataOnlyInputs = dataOnlyInputs(fleet.db, folderBuilt, whole.resources);
  memoSet(fleet, memoKey, !only, { ownerText, build: out, deps: stageDeps, checked: fleet.version });
  return out;
}

/**
 * Whether a Flux build holds its own wrapper of a folder build's resource even when no Flux layer changes it: the
 * tables keyed by wrapper (db.weak<Resource, …>) must give one answer wherever the wrapper is, and the effective values
 * of a HelmRelease or App (helmValues', appValues' tables) read the build around it (its valuesFrom ConfigMaps), which
 * differs between the folder build and each context's. A ResourceSet's expansion and children (resourceSetExpansions,
 * resourceSetChildren) are kept by wrapper with the one build they were made for: a wrapper shared by the contexts of
 * its folder had each context's entry replace the last, and a check expanded every ResourceSet twice per context.
 * Every other table keyed by wrapper reads the wrapper alone (variables, filesOfResource, instanceSync, fleetTreeRelease).
 */
function ownWrapper(r: Resource): boolean {
  const kind = r.obj.kind;
  return kind === 'HelmRelease' || kind === 'App' || kind === 'ResourceSet';
}

function wrapperOf(r: Resource): Resource {
  return r.removed ? { obj: r.obj, prov: r.prov, origin: r.origin, removed: r.removed } : { obj: r.obj, prov: r.prov, origin: r.origin };
}

/**
 * The folder build's wrapper back in place of a copy that substitution left as it was (the same object and provenance
 * map: nothing substituted, or uses only where substitution is disabled), and the uses naming the copy renamed to it.
 * A wrapper a context does not change is then one object for the folder build and all its contexts, not one per
 * content of each selection (issue 12: 68k wrappers were kept to the end of a check).
 */
function shareUnchanged(resources: Resource[], selected: readonly Resource[], changing: readonly number[], out: FluxBuild): void {
  let back: Map<Resource, Resource> | undefined;
  for (const i of changing) {
    const r = resources[i];
    const was = selected[i];
    if (r.obj !== was.obj || r.prov !== was.prov || ownWrapper(was)) continue;
    resources[i] = was;
    (back ??= new Map()).set(r, was);
  }
  if (!back) return;
  for (const list of [out.variableUses, out.undefinedVariables, out.unknownVariables, out.disabledUses]) {
    for (const u of list) u.resource = back.get(u.resource) ?? u.resource;
  }
}

/**
 * Flux builds by their inputs: the spec as rendered (with its provenance), the variables, and the selected resources
 * of a folder build (an identity that changes when the folder is rebuilt). After an edit the fleet's contexts are
 * re-derived, but a context whose inputs did not change gets its previous build back instead of a rebuild.
 * Whole builds are large: fewer of them are kept than of the partial ones a hover makes.
 */
interface MemoEntry {
  ownerText: string | undefined;
  build: FluxBuild;
  /** What completing the top level read (its generators' and patches' files, Flux components), when staged. */
  deps?: Reads;
  checked: number;
}
function memoTable(fleet: Fleet, whole: boolean) {
  return fleet.db.table<string, MemoEntry>(whole ? 'fluxBuildWhole' : 'fluxBuildPartial');
}

function memoGet(fleet: Fleet, options: BuildOptions, key: string, ownerText: string | undefined, whole: boolean): FluxBuild | undefined {
  const map = memoTable(fleet, whole);
  const hit = map.get(key);
  if (!hit) return undefined;
  if (hit.ownerText !== ownerText) {
    map.reject(key);
    return undefined;
  }
  if (hit.deps && hit.checked !== fleet.version) {
    if (!stillValid(fleet, hit.deps, options, hit.checked)) {
      map.reject(key);
      return undefined;
    }
    hit.checked = fleet.version;
  }
  return hit.build;
}

function memoSet(fleet: Fleet, key: string, whole: boolean, entry: MemoEntry): void {
  memoTable(fleet, whole).set(key, entry);
}

/** The objects with a `$` string of a selection, by index (found once per selection). */
function changingOf(fleet: Fleet, selected: readonly Resource[]): number[] {
  return fleet.db.weak<readonly Resource[], number[]>('dollarResources').getOrMake(selected, () => {
    // (a loop: flatMap made an array per object, 11 MB of a whole check of the synthetic fleet)
    const out: number[] = [];
    for (let i = 0; i < selected.length; i++) if (dollarsOf(fleet, selected[i].obj).length) out.push(i);
    return out;
  });
}

/**
 * A partial build taken from the context's whole content: when a whole build with the content this context's whole
 * build would have is kept (every object substituted alike before: knownContent over the folder build's whole
 * selection, found once per context and fleet version), the objects `only` selects are that build's objects — the
 * same objects, provenance and variable uses a partial build would make (Flux's layers and substitution work object
 * by object; objects substituted alike share one variant), with nothing copied or substituted. The contexts of one
 * content then share one array per selection, and what was derived per object for the whole build (files written,
 * HelmRelease values) is there already. Undefined when no such build is kept, or Flux layers copy every object.
 */
function fromWholeContent(fleet: Fleet, frame: FluxFrame, only: SelectResources): FluxBuild | undefined {
  const inputs = frame.inputs!;
  if (inputs.staged) return undefined;
  const { folderBuilt, whole } = frameBuilds(fleet, inputs);
  // No whole build of this folder build's output kept its content (hovers before any whole evaluation, or after an
  // edit patched the folder build): nothing to find, and the search reads every object's variables.
  if (!whole || !keepsContents(fleet.db, whole.resources)) return undefined;
  const byContent = (frame.byContent ??= new WeakMap());
  let found = byContent.get(whole.resources);
  if (!found) byContent.set(whole.resources, (found = {}));
  const out = frame.out;
  let kept = found.wholeContent;
  if (!kept) {
    // A whole build of these very inputs recorded its content; else one of another context with this content (once per frame: it reads every object's variables).
    const wholeId = identity(fleet, whole.resources);
    fleet.db.count('fluxBuild.wholeContentSearched');
    kept = wholeContentOf(fleet.db, whole.resources, wholeId, inputs.key) ?? (found.searched ? undefined : knownContent(fleet, whole.resources, changingOf(fleet, whole.resources), out, substitutionMemo(fleet.db, out), wholeId)?.kept);
    found.searched = true;
    if (!kept) return undefined;
    found.wholeContent = kept;
  }
  const picked = keptSelection(fleet.db, whole.resources, kept, only(whole.resources));
  if (!picked) return undefined;
  fleet.db.count('fluxBuild.fromWhole');
  // What every build of this frame says the same (read-only, as every build's fields are): made once per frame.
  const shared = (found.shared ??= [...whole.issues, ...inputs.variableIssues]);
  const build = buildFrom(out, picked, shared);
  build.read = readOf(fleet, folderBuilt);
  build.ownerFile = frame.ownerFile;
  build.dataOnlyInputs = dataOnlyInputs(fleet.db, folderBuilt, whole.resources);
  return build;
}

/**
 * A build with a frame's fields and these resources, variable uses and issues, its keys in the order buildFlux always
 * wrote them (written out: a copy made by spreading the frame's object took ~1.9 KB per build, a hover makes ~60).
 * Every key is in the literal, those a build may leave unset too (undefined): keys added to an object after its
 * literal go to a property store of its own, some 60 bytes of each of the 2,580 builds a check keeps to its end.
 */
function buildFrom(o: FluxBuild, made: SharedResources, issues: FluxBuild['issues']): FluxBuild {
  return {
    spec: o.spec,
    specResource: o.specResource,
    resources: made.resources,
    variables: o.variables,
    variableUses: made.variableUses,
    undefinedVariables: made.undefinedVariables,
    opaqueSources: o.opaqueSources,
    unknownVariables: made.unknownVariables,
    disabledUses: made.disabledUses,
    substitutes: o.substitutes,
    issues,
    sourceRoot: o.sourceRoot,
    artifactInputs: o.artifactInputs,
    missingPath: o.missingPath,
    folder: o.folder,
    read: undefined,
    ownerFile: undefined,
    dataOnlyInputs: undefined,
  };
}

/**
 * The resources of an earlier build of this selection with the same content, found from the substitution memo alone
 * (every object with a `$` string substituted alike before): what substituteAll and sharedResources would give.
 */
function knownContent(fleet: Fleet, selected: readonly Resource[], changing: readonly number[], out: FluxBuild, memo: SubstitutionMemo, selection: string | number): { kept: SharedResources; content: string } | undefined {
  const kept = (content: string) => {
    const found = keptResources(fleet.db, selected, content);
    return found && { kept: found, content };
  };
  if (!out.substitutes) return kept(`${selection}:|false`);
  // What this build's variables give every object of the selection at once: a build that agreed before had this content.
  const byVariables = fleet.db.table<string, string>('contentByVariables').get(variablesKey(fleet, selected, changing, memo));
  const hit = byVariables === undefined ? undefined : kept(byVariables);
  if (hit) return hit;
  const ids: number[] = [];
  for (const i of changing) {
    const r = selected[i];
    if (disabled(r)) continue;
    const variant = memo.get(r, memo.key(dollarsOf(fleet, r.obj)));
    if (!variant) return undefined;
    ids.push(identity(fleet, variant));
  }
  const found = kept(`${selection}:${ids.join(',')}|true`);
  if (found) rememberContent(fleet, selected, changing, memo, found.content);
  return found;
}

/**
 * The contentByVariables key of a selection and the names every substituted object of it may read (found once per
 * selection) as this build's variables give them: the selection by identity, so an entry never outlives its meaning.
 */
function variablesKey(fleet: Fleet, selected: readonly Resource[], changing: readonly number[], memo: SubstitutionMemo): string {
  const read = fleet.db.weak<readonly Resource[], NamesRead>('selectionNames').getOrMake(selected, () => {
    const strings = changing.flatMap((i) => (disabled(selected[i]) ? [] : dollarsOf(fleet, selected[i].obj)));
    return namesRead(strings);
  });
  return `${identity(fleet, selected)}\0${memo.keyOf(read)}`;
}

/**
 * Remembers the content key of a substituting build's selection under its variables key (see knownContent), in the
 * db's one LRU policy (queries.ts contentByVariables): a variable per cluster makes one entry per cluster.
 */
function rememberContent(fleet: Fleet, selected: readonly Resource[], changing: readonly number[], memo: SubstitutionMemo, content: string): void {
  const table = fleet.db.table<string, string>('contentByVariables');
  const key = variablesKey(fleet, selected, changing, memo);
  if (table.get(key) !== content) table.set(key, content);
}

/** The strings with a `$` of a cached build's object (found once per object). */
function dollarsOf(fleet: Fleet, o: JsonObject): DollarString[] {
  const table = fleet.db.weak<JsonObject, DollarString[]>('dollarStrings');
  const known = table.get(o);
  // (most objects have none: one shared empty list, not an array kept per object of every cached build)
  return known !== undefined ? known : table.set(o, dollarStrings(o));
}

/** A number per object (for memo keys made of identities), per fleet. */
function identity(fleet: Fleet, x: object): number {
  const ids = fleet.db.weak<object, number>('identity');
  const id = ids.get(x);
  return id !== undefined ? id : ids.set(x, ids.stats().size);
}

function cloneResource(r: Resource): Resource {
  // Stacks are shared: every writer appends by copying (copy-on-write), so the cached build stays intact.
  return { obj: cloneJson(r.obj) as JsonObject, prov: copyProvenance(r.prov), origin: r.origin, ...(r.removed && { removed: r.removed }) };
}

/** A deep copy of a JSON tree, as structuredClone makes it (own keys, `__proto__` an own key), several times faster. */
function cloneJson(v: Json): Json {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out: Json[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneJson(v[i]);
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const out: JsonObject = {};
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    setOwnKey(out, k, cloneJson(v[k]));
  }
  return out;
}

/** How often the evaluation's caches answered (the benchmark's and tests' counters), per fleet. */
export function evaluationStats(fleet: Fleet): { folderBuilds: number; folderBuildMs: number; reused: number; built: number } {
  const c = (name: string) => fleet.db.counts.get(name) ?? 0;
  return { folderBuilds: c('folderBuild.built'), folderBuildMs: c('folderBuild.ms'), reused: c('fluxBuild.reused'), built: c('fluxBuild.built') };
}

/** Offsets inside an inline patch → offsets in its file, when the file still holds that text as a block scalar. */
function inlineMapper(fleet: Fleet, where: Provenance, text: string): ((s: Span) => Span) | undefined {
  if (!where.span) return undefined;
  const source = fleetReader(fleet)(where.file);
  if (source === undefined) return undefined;
  const node = findScalar(source, where.span.start, fleet.parse(where.file, source));
  if (!node || String(node.value) !== text) return undefined; // a parent's substitution changed it: keep the whole span
  return scalarSpanMapper(source, node);
}

function disabled(r: Resource): boolean {
  const meta = obj(r.obj.metadata);
  return obj(meta?.labels)?.[SUBSTITUTE_DISABLED] === 'disabled' || obj(meta?.annotations)?.[SUBSTITUTE_DISABLED] === 'disabled';
}

/** Visits the strings `wanted` accepts (not the root), with their JSON pointer, made only for those. */
function walkStrings(root: Json, wanted: (value: string) => boolean, visit: (value: string, pointer: string, set: (v: string) => void) => void): void {
  const path: string[] = [];
  const walk = (node: Json, parent: JsonObject | Json[] | undefined, key: string | number): void => {
    if (typeof node === 'string') {
      if (parent !== undefined && wanted(node)) visit(node, '/' + path.map(escapeSegment).join('/'), (v) => ((parent as Record<string | number, Json>)[key as never] = v as never));
      return;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(String(i));
        walk(node[i], node, i);
        path.pop();
      }
    } else if (node && typeof node === 'object') {
      // for…in over own keys: Object.entries' order without an array of pairs per object.
      for (const k in node) {
        if (!Object.hasOwn(node, k)) continue;
        path.push(k);
        walk(node[k], node, k);
        path.pop();
      }
    }
  };
  walk(root, undefined, '');
}

/** A string of a cached build's object that substitution may change: the keys down to it, its pointer, its text. */
interface DollarString {
  keys: Array<string | number>;
  pointer: string;
  value: string;
}


/**
 * The strings with a `$` in an object, in the order walkStrings visits them. Kept per object of every build the
 * check substitutes (dollarStrings): each pointer is the one interned copy its provenance map holds too, not a
 * string of its own made by joining the keys.
 */
function dollarStrings(root: JsonObject): DollarString[] {
  const out: DollarString[] = [];
  const keys: Array<string | number> = [];
  const walk = (node: Json): void => {
    if (typeof node === 'string') {
      if (keys.length && node.includes('$')) out.push({ keys: keys.slice(), pointer: internPointer('/' + keys.map(escapeSegment).join('/')), value: node });
      return;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        keys.push(i);
        walk(node[i]);
        keys.pop();
      }
    } else if (node && typeof node === 'object') {
      for (const k in node) {
        if (!Object.hasOwn(node, k)) continue;
        keys.push(k);
        walk(node[k]);
        keys.pop();
      }
    }
  };
  walk(root);
  // (kept per object of every build substituted; most objects have no `$` string)
  return keptList(out);
}

/** Sets the string at `keys`, copying the object and the containers on the way down once each (the rest is shared). */
function setShared(r: Resource, keys: Array<string | number>, value: string, copied: Set<object>): void {
  const copy = <T extends object>(x: T): T => {
    const c = (Array.isArray(x) ? x.slice() : { ...x }) as T;
    copied.add(c);
    return c;
  };
  if (!copied.has(r.obj)) r.obj = copy(r.obj);
  let node = r.obj as Record<string | number, Json>;
  for (let i = 0; i < keys.length - 1; i++) {
    let child = node[keys[i]] as Record<string | number, Json>;
    if (!copied.has(child)) node[keys[i]] = child = copy(child);
    node = child;
  }
  node[keys[keys.length - 1]] = value;
}

/** Every definition of `name` in a build, lowest precedence first (none: an empty list). */
export function definitionsOf(build: FluxBuild, name: string): readonly VariableValue[] {
  return build.variables.definitions(name);
}

function substituteAll(
  resources: Resource[],
  out: FluxBuild,
  sharedCopy: Set<Resource>,
  dollars: (o: JsonObject) => DollarString[],
  /** A shared provenance map copied, with the pointers written into the copy (provenanceDelta.ts). */
  copied: (copy: ProvenanceMap, from: ProvenanceMap, changed: string[]) => void,
  /** Shared objects substituted alike in another context (substitutionMemo.ts). */
  memo: SubstitutionMemo,
  /** What each shared object became, in order. */
  variants: Substituted[],
): void {
  // With a source only the cluster fills, a variable nothing else defines may be there: kept as written.
  const unknown = out.opaqueSources.length > 0;
  const state: SubstituteState = {
    out,
    sharedCopy,
    writtenOf: new Map(),
    unknown,
    // (made once per call, not per string substituted)
    valueOf: (name) => out.variables.get(name)?.value ?? (unknown ? `\${${name}}` : undefined),
    secrets: { is: (name) => !!out.variables.get(name)?.secret, mask: MASK },
  };
  for (const r of resources) {
    if (disabled(r)) {
      collectDisabled([r], out, true);
      continue;
    }
    if (sharedCopy.has(r)) {
      // Still the cached build's object: only the strings with a `$` are visited (found once per object), and only
      // the containers above a changed one are copied. Substituted alike before (the same variables read): that one.
      const strings = dollars(r.obj);
      if (!strings.length) continue;
      const key = memo.key(strings);
      const hit = memo.get(r, key);
      if (hit) {
        r.obj = hit.obj;
        r.prov = hit.prov;
        for (const u of hit.uses) out.variableUses.push({ name: u.name, resource: r, pointer: u.pointer, at: u.at });
        for (const u of hit.undefinedUses) out.undefinedVariables.push({ name: u.name, resource: r, pointer: u.pointer, at: u.at });
        for (const u of hit.unknownUses) out.unknownVariables.push({ name: u.name, resource: r, pointer: u.pointer, at: u.at });
        variants.push(hit);
        continue;
      }
      const before = { obj: r.obj, prov: r.prov, origin: r.origin, removed: r.removed };
      const from = [out.variableUses.length, out.undefinedVariables.length, out.unknownVariables.length];
      const copied = new Set<object>();
      for (const d of strings) substituteString(state, r, d.value, d.pointer, (v) => setShared(r, d.keys, v, copied));
      const mine = (list: VariableIssue[], i: number) => list.slice(from[i]).map(({ resource: _, ...u }) => u);
      const made: Substituted = { prov0: before.prov, origin0: before.origin, removed0: before.removed, obj: r.obj, prov: r.prov, uses: mine(out.variableUses, 0), undefinedUses: mine(out.undefinedVariables, 1), unknownUses: mine(out.unknownVariables, 2) };
      memo.set(before.obj, key, made);
      variants.push(made);
      continue;
    }
    walkStrings(r.obj, hasDollar, (value, pointer, set) => substituteString(state, r, value, pointer, set));
  }
  // Recorded once written (recordCopy keeps its own copy, exactly as long: grown by push, each list kept room for
  // sixteen pointers, 0.6 MB of the copies a whole check of the synthetic fleet keeps).
  state.writtenOf.forEach((w) => copied(w.copy, w.from, w.changed));
}

/** What substituteAll's strings are substituted with and recorded in (one per call, not a closure per object). */
interface SubstituteState {
  out: FluxBuild;
  sharedCopy: Set<Resource>;
  /** The maps copied so far: each object's copy, the map it came from and the pointers written into it. */
  writtenOf: Map<Resource, { copy: ProvenanceMap; from: ProvenanceMap; changed: string[] }>;
  /** A source only the cluster fills is there: a variable nothing else defines is left as written. */
  unknown: boolean;
  valueOf: (name: string) => string | undefined;
  secrets: { is: (name: string) => boolean; mask: string };
}

const hasDollar = (value: string) => value.includes('$');

/** One string of `r` at `pointer` substituted (`set` writes the result), its uses and provenance recorded. */
function substituteString(state: SubstituteState, r: Resource, value: string, pointer: string, set: (v: string) => void): void {
  const { out, unknown } = state;
  const result = substitute(value, state.valueOf, state.secrets);
  if (result.text === value && result.uses.length === 0) return;
  const before = lastProv(r, pointer, r.origin);
  for (const u of result.uses) {
    out.variableUses.push({ name: u.name, resource: r, pointer, at: before });
    if (u.value === undefined) out.undefinedVariables.push({ name: u.name, resource: r, pointer, at: before });
    else if (unknown && !out.variables.has(u.name)) out.unknownVariables.push({ name: u.name, resource: r, pointer, at: before });
  }
  // A Secret's value substituted in (or a secret string substituted again) stays secret: see core/redact.ts.
  const wasSecret = r.prov.get(pointer)?.at(-1)?.secret;
  // (a substituted string is a concatenation kept in the object and its write: keptString.ts; a secret is left as is)
  const text = result.masked === undefined && !wasSecret ? keptString(result.text) : result.text;
  set(text);
  if (state.sharedCopy.delete(r)) {
    const from = r.prov;
    r.prov = copyProvenance(from);
    state.writtenOf.set(r, { copy: r.prov, from, changed: [] });
  }
  state.writtenOf.get(r)?.changed.push(pointer);
  const single = result.uses.length === 1 && result.uses[0].start === 0 && result.uses[0].end === value.length ? out.variables.get(result.uses[0].name) : undefined;
  const secret = result.masked !== undefined || wasSecret ? { secret: true, ...(result.masked !== undefined && !wasSecret ? { masked: result.masked } : {}) } : {};
  writeProvenance(r, pointer, text, { ...(single && !result.uses[0].defaulted ? { ...single.from, layer: stepLayer('flux:postBuild') } : { ...before, layer: stepLayer('flux:postBuild') }), ...secret });
}

function collectDisabled(resources: Resource[], out: FluxBuild, disabledOnly: boolean): void {
  if (!disabledOnly) return;
  for (const r of resources) {
    walkStrings(r.obj, (value) => /\$\{[_a-zA-Z]/.test(value), (value, pointer) => {
      const names = [...value.matchAll(/(?<!\$)\$\{([_a-zA-Z][_a-zA-Z0-9]*)/g)].map((m) => m[1]);
      for (const name of names) out.disabledUses.push({ name, resource: r, pointer, at: lastProv(r, pointer, r.origin) });
    });
  }
}

export function resourceKey(r: Resource): string {
  const id = resIdOf(r.obj);
  return `${id.group}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}
