// Locks, required fields and extension points: what the platform decides, as plain data.
//
// A *mark* is declared inline, on a key's line (`# fleet:locked [reason]`, `# fleet:required [reason]`,
// `# fleet:extension [text]`), and applies to that key and everything below it, for every object (or values
// layer) the declaring text becomes. A *rule* is declared in a `.flux-fleet.yaml` (`locks:` / `required:`) and
// applies to every object of the fleet its filters select. Both are resolved, per evaluated context, to *pointers*
// inside a resource (or inside a HelmRelease's / App's effective values, addressed as `spec.values.…`).
import type { Json } from '../kustomize/types';
import type { Span } from '../text';

export type MarkKind = 'locked' | 'required' | 'extension';

/** One `# fleet:…` comment on a key's line. */
export interface InlineMark {
  kind: MarkKind;
  file: string;
  /** Index of the YAML document in the file, and where its contents start (a Resource's origin span start). */
  doc: number;
  docStart: number;
  /** Key path from the document root (map keys, list indices). */
  path: Array<string | number>;
  /** The key's span (where hovers and related information point). */
  keySpan: Span;
  /** Everything the mark covers: the key and its value (the value's nodes lie inside). */
  range: Span;
  commentSpan: Span;
  /** The text after the marker, if any. */
  reason?: string;
  /** The value as declared. */
  value: Json;
}

/** One path pattern segment of a rule: `name`, `*` (any one key or index), `**` (any depth), `[2]`, `[name=web]`. */
export type PathSegment = { key: string } | { any: true } | { deep: true } | { select: [string, string] };

export interface RulePath {
  raw: string;
  span: Span;
  segments: PathSegment[];
}

/** One entry of `locks:` or `required:` in a `.flux-fleet.yaml`. */
export interface PolicyRule {
  kind: 'locked' | 'required';
  file: string;
  /** The entry (a list item). */
  span: Span;
  kinds?: string[];
  names?: string[];
  namespaces?: string[];
  paths: RulePath[];
  reason?: string;
  /** Repository/path globs (`platform/**`) where overrides are allowed; undefined: the declaring repository. */
  allowIn?: string[];
}

/** A lock, required field or extension point, whichever way it was declared, ready to match writes against. */
export interface Lock {
  /** Stable identity: `inline:file:offset` or `policy:file:offset`. */
  id: string;
  kind: MarkKind;
  origin: 'inline' | 'policy';
  /** Where it is declared: the marked key, or the path in `.flux-fleet.yaml`. */
  file: string;
  span: Span;
  reason?: string;
  /** Dotted path as written (`spec.chart.spec.version`, `spec.values.ingress.*.className`). */
  path: string;
  /** Root of the repository that declares it. */
  repositoryRoot?: string;
  repositoryName?: string;
  /** allowIn as written, or `<repository>/**` for the default. */
  allowIn: string[];
  /** Whether a write from this file may change the locked value. */
  allows(file: string): boolean;
  /** The inline mark (for the declared value). */
  mark?: InlineMark;
}
