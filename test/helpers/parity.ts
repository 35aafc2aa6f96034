// Comparing a kustomize build with kubectl's (the goldens of scripts/goldens.ts): objects are matched by
// identity (apiVersion's group, kind, namespace, name; the order of objects does not matter), then compared field by
// field (map key order ignored, list order significant), each difference reported at a JSON pointer
// (`/spec/template/spec/containers/0/image`, RFC 6901: `~1` for `/` in keys like `example.com~1owner`).
import { parseAllDocuments } from 'yaml';

export type Manifest = Record<string, unknown>;

export interface FieldDiff {
  /** The object's identity (see objectId). */
  id: string;
  /** JSON pointer of the differing field; '' for the whole object. */
  path: string;
  /** kubectl's value; undefined when the field is absent there. */
  expected: unknown;
  /** The engine's value; undefined when the field is absent there. */
  actual: unknown;
}

export interface BuildComparison {
  /** Objects present on both sides (whether or not their fields differ). */
  matched: number;
  /** Ids kubectl produced and the engine did not. */
  missing: string[];
  /** Ids the engine produced and kubectl did not. */
  extra: string[];
  diffs: FieldDiff[];
}

/**
 * The objects of a multi-document YAML text (kubectl kustomize's output). Empty documents are dropped; a syntax
 * error throws. kubectl's output is plain JSON-typed YAML (it quotes every string that could read otherwise), so
 * the `yaml` package's default (YAML 1.2 core) schema reads it exactly.
 */
export function parseManifests(yamlText: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(yamlText)) {
    if (doc.errors.length) throw new Error(`YAML error: ${doc.errors[0].message}`);
    const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
    if (value === null || value === undefined) continue;
    if (!isPlainObject(value)) throw new Error(`a document is not a mapping: ${JSON.stringify(value).slice(0, 80)}`);
    out.push(value);
  }
  return out;
}

/** `Kind.group namespace/name` (`Deployment.apps prod/web`, `ConfigMap prod/settings`, `Namespace prod`). */
export function objectId(obj: Manifest): string {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '?';
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '?';
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? `${meta.namespace}/` : '';
  return `${kind}${group ? `.${group}` : ''} ${ns}${name}`;
}

export function compareBuilds(actual: object[], expected: object[]): BuildComparison {
  const byId = (objs: object[]) => {
    const map = new Map<string, Manifest[]>();
    for (const o of objs as Manifest[]) {
      const id = objectId(o);
      map.set(id, [...(map.get(id) ?? []), o]);
    }
    // Same id twice (e.g. one object in two API versions of a group): numbered in their order of appearance.
    const out = new Map<string, Manifest>();
    for (const [id, list] of map) list.forEach((o, i) => out.set(i === 0 ? id : `${id} #${i + 1}`, o));
    return out;
  };
  const act = byId(actual);
  const exp = byId(expected);
  const result: BuildComparison = { matched: 0, missing: [], extra: [], diffs: [] };
  for (const [id, e] of exp) {
    const a = act.get(id);
    if (!a) {
      result.missing.push(id);
      continue;
    }
    result.matched++;
    diffValues(e, a, '', (path, expectedValue, actualValue) =>
      result.diffs.push({ id, path, expected: expectedValue, actual: actualValue }),
    );
  }
  for (const id of act.keys()) if (!exp.has(id)) result.extra.push(id);
  result.missing.sort();
  result.extra.sort();
  return result;
}

/** True when the builds are the same (no missing, extra or differing object). */
export function buildsEqual(c: BuildComparison): boolean {
  return c.missing.length === 0 && c.extra.length === 0 && c.diffs.length === 0;
}

/** A readable report of a comparison (at most `limit` field differences). */
export function formatComparison(c: BuildComparison, limit = 20): string {
  const lines: string[] = [];
  for (const id of c.missing) lines.push(`missing: ${id}`);
  for (const id of c.extra) lines.push(`extra:   ${id}`);
  for (const d of c.diffs.slice(0, limit)) {
    lines.push(`${d.id} ${d.path || '/'}: expected ${show(d.expected)}, got ${show(d.actual)}`);
  }
  if (c.diffs.length > limit) lines.push(`… and ${c.diffs.length - limit} more field differences`);
  return lines.join('\n');
}

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

const escapeToken = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function diffValues(expected: unknown, actual: unknown, path: string, report: (p: string, e: unknown, a: unknown) => void): void {
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of [...keys].sort()) {
      const p = `${path}/${escapeToken(k)}`;
      const inE = Object.prototype.hasOwnProperty.call(expected, k);
      const inA = Object.prototype.hasOwnProperty.call(actual, k);
      if (inE && inA) diffValues(expected[k], actual[k], p, report);
      else report(p, inE ? expected[k] : undefined, inA ? actual[k] : undefined);
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}/${i}`;
      if (i < expected.length && i < actual.length) diffValues(expected[i], actual[i], p, report);
      else report(p, i < expected.length ? expected[i] : undefined, i < actual.length ? actual[i] : undefined);
    }
    return;
  }
  if (!sameScalar(expected, actual)) report(path, expected, actual);
}

function sameScalar(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') return String(a) === String(b) && typeof a !== 'string' && typeof b !== 'string';
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  return Object.is(a, b) || (typeof a === 'number' && typeof b === 'number' && a === b); // 0 === -0
}
