import type { Span } from '../text';
import type { FluxKustomizationFact, ObjectFact } from '../facts';
import type { FluxOverride } from './fluxVariants';

export interface Location {
  file: string;
  /** Undefined: the whole file (or its start). */
  span?: Span;
}

export type ResolvedRefKind = 'path' | 'remote' | 'object' | 'flux-path' | 'flux-component' | 'source-url';

/** A reference found in a file, with where it leads. Features (definition, links, hover) read these. */
export interface ResolvedRef {
  file: string;
  span: Span;
  kind: ResolvedRefKind;
  /**
   * What the value is, for hovers ("GitRepository flux-system/platform → examples/platform"); a kustomization's path
   * reference has its role instead (read through refDescription).
   */
  description?: string;
  /** A kustomization's path reference: the field it is in (`resources`, `components`, `patches`, ...). */
  role?: string;
  /** Where it leads (read through refTargets: a reference to one whole file holds it as `target` instead). */
  targets?: Location[];
  /**
   * The one whole file the reference leads to (a kustomization's path, a remote base, a Flux component), instead of
   * `targets`: a list of one `{ file }` per reference was some 90 bytes of each of the synthetic fleet's 11,000
   * kustomization paths, kept with the links and copied by the check's scavenges (issue 12).
   */
  target?: string;
  /** The target is a folder (document links open it in the explorer; definition opens its kustomization). */
  folder?: string;
  /** A Flux spec.path with variables: where it leads is decided per context (the evaluation's answer). */
  variable?: boolean;
  /** Resolved to something the cluster makes: the description quotes the producer's line (link/relink.ts re-reads it). */
  provided?: boolean;
  /** Objects the reference resolved to (object references only; read through refObjects). */
  objects?: ObjectFact[];
  /**
   * The one object an object reference resolved to, instead of `objects` and `targets` (its name's place): lists of one
   * were some 150 bytes of each of the synthetic fleet's 3,500 resolved source references, kept with the links.
   */
  object?: ObjectFact;
}

/** Where `r` leads: its one whole file, or its targets. */
export function refTargets(r: ResolvedRef): Location[] {
  if (r.target !== undefined) return [{ file: r.target }];
  if (r.object !== undefined) return [{ file: r.object.owner.file, span: r.object.nameSpan }];
  return r.targets ?? [];
}

/** The objects an object reference resolved to. */
export function refObjects(r: ResolvedRef): ObjectFact[] {
  return r.object !== undefined ? [r.object] : (r.objects ?? []);
}

/** Who includes a file: a kustomization (through one of its fields) or a Flux Kustomization (as its build). */
export type Includer =
  | { type: 'kustomize'; file: string; span: Span; role: string }
  | { type: 'flux'; flux: FluxKustomizationFact; file: string; span: Span };

export interface SourceRoot {
  folder: string;
  /** How the source was mapped: `.flux-fleet.yaml` (file), a setting, or a discovered repository's origin. */
  via: string;
  /** Sources whose layout differs from a folder (generated artifacts): maps a path inside the source to a folder. */
  mapPath?: (relPath: string) => string | undefined;
}

export interface FluxResolution {
  fact: FluxKustomizationFact;
  /** What overlay patches changed (undefined: the Kustomization as written). */
  override?: FluxOverride;
  /** Outermost kustomization files of the chains that deploy this variant. */
  tops: Set<string>;
  /** The effective spec.path, where it is written, and whether the variant prunes. */
  path: { value: string; span: Span; file: string };
  prune: boolean;
  /** Files the build starts from: the kustomization file, or what Flux's generated kustomization lists. */
  entries: string[];
  source?: ObjectFact;
  sourceRoot?: SourceRoot;
  /** A spec.path with variables: the folders it can name (each context's evaluation decides which). */
  candidates?: string[];
  /** The folder `spec.path` resolves to (exists). */
  folder?: string;
  /** Entry of the build: the folder's kustomization file, or undefined for a generated kustomization. */
  kustomizationFile?: string;
}
