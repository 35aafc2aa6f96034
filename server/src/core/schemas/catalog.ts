// The schema catalogue: schemas/index.json (apiVersion + kind → generated JSON Schema) and the schemas themselves.
// They are bundled (esbuild inlines every schemas/<group>/<file>.json reached by the require below), so the server,
// the CLI and the tests need nothing at run time; each schema is parsed and compiled once, on first use.
import { basename, isKustomizationFileName } from '../paths';
import { apiGroupOf } from '../kube/apiVersion';

export type JsonSchema = Record<string, any>;

export interface CatalogEntry {
  apiVersion: string;
  kind: string;
  /** Relative to schemas/, e.g. `helm.toolkit.fluxcd.io/helmrelease-v2.json`. */
  file: string;
  deprecated: boolean;
  source: { repository: string; path: string; commit: string; sha256: string };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const INDEX = require('../../../../schemas/index.json') as CatalogEntry[];

/** The kustomize config kinds (SchemaStore's kustomization.json). */
export const KUSTOMIZE_CONFIG_GROUP = 'kustomize.config.k8s.io';
export const KUSTOMIZATION_SCHEMA_FILE = 'kustomize/kustomization.json';

const byKey: ReadonlyMap<string, CatalogEntry> = new Map<string, CatalogEntry>(INDEX.map((e) => [`${e.apiVersion}\u0000${e.kind}`, e]));

export function catalogEntries(): readonly CatalogEntry[] {
  return INDEX;
}

export { apiGroupOf as groupOf };

/** The catalogue entry of an apiVersion/kind, if the catalogue has that exact version. */
export function entryFor(apiVersion: string | undefined, kind: string | undefined): CatalogEntry | undefined {
  if (!apiVersion || !kind) return undefined;
  return byKey.get(`${apiVersion}\u0000${kind}`);
}

/** Every apiVersion the catalogue knows for a kind (of any group). */
export function apiVersionsOf(kind: string): string[] {
  return INDEX.filter((e) => e.kind === kind).map((e) => e.apiVersion);
}

/** True when the catalogue has schemas for this API group (so a document of an unknown version is worth reporting). */
export function knowsGroup(group: string): boolean {
  return INDEX.some((e) => apiGroupOf(e.apiVersion) === group);
}

/** A bundled schema (read when first asked for; `require` keeps it: the same object every time, never changed). */
export function loadSchema(file: string): JsonSchema {
  const slash = file.indexOf('/');
  const dir = file.slice(0, slash);
  const name = file.slice(slash + 1).replace(/\.json$/, '');
  // A template literal: esbuild bundles every schemas/*/*.json it can match.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`../../../../schemas/${dir}/${name}.json`) as JsonSchema;
}

/**
 * The schema entry that applies to one YAML document of `file`: a kustomization file's document (kustomize config
 * apiVersion, or none) uses SchemaStore's kustomization.json; any other document its apiVersion/kind entry.
 */
export function entryForDocument(file: string, apiVersion: string | undefined, kind: string | undefined): CatalogEntry | undefined {
  if (isKustomizationFileName(basename(file)) && (apiVersion === undefined || apiVersion.startsWith(KUSTOMIZE_CONFIG_GROUP + '/'))) {
    if (kind === undefined || kind === 'Kustomization' || kind === 'Component') {
      return entryFor(apiVersion ?? 'kustomize.config.k8s.io/v1beta1', kind === 'Component' ? 'Component' : 'Kustomization') ?? INDEX.find((e) => e.file === KUSTOMIZATION_SCHEMA_FILE);
    }
    return undefined;
  }
  const e = entryFor(apiVersion, kind);
  // kustomize config kinds only apply to kustomization files (a Flux Kustomization is another group).
  return e && e.file !== KUSTOMIZATION_SCHEMA_FILE ? e : undefined;
}
