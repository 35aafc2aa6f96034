// Policy locks and requirements from `.flux-fleet.yaml` (the `locks:` and `required:` sections; fleetConfig.ts reads
// `repositories:`, this reads the rest of the same file):
//
//   locks:
//     - kinds: [HelmRelease]              # optional filters: kinds, names, namespaces (globs)
//       names: [web, "api-*"]
//       namespaces: ["tenant-*"]
//       paths: [spec.chart.spec.version, "spec.values.ingress.*.className"]
//       reason: chart versions are pinned by the platform
//       allowIn: [platform/**]            # repository/path globs; default: the declaring repository
//   required:
//     - kinds: [HelmRelease]
//       paths: [spec.values.owner]
//
// Paths are dotted; `*` is any one key or list index, `**` any number of them, `[2]` an index, `[name=web]` the list
// item whose `name` is `web`, `["a.b"]` a key with dots. A HelmRelease's (or App's) effective values are addressed
// under `spec.values`.
import { isMap, isSeq, isScalar, type Node, type Scalar } from 'yaml';
import { parseYaml } from '../yamlParse';
import type { ParsedText } from '../parsedText';
import picomatch from 'picomatch';
import type { Json } from '../kustomize/types';
import type { Span } from '../text';
import type { PathSegment, PolicyRule, RulePath } from './types';

export interface PolicyProblem {
  file: string;
  span: Span;
  message: string;
}

function spanOf(n: Node | null | undefined): Span {
  return n?.range ? { start: n.range[0], end: n.range[1] } : { start: 0, end: 0 };
}

/** Parses a dotted path pattern; throws with a message on bad syntax. */
export function parsePathPattern(raw: string): PathSegment[] {
  const out: PathSegment[] = [];
  let i = 0;
  const s = raw.trim();
  if (!s) throw new Error('empty path');
  let expectSegment = true;
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      if (expectSegment) throw new Error(`empty segment at ${i + 1}`);
      expectSegment = true;
      i++;
      continue;
    }
    if (c === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) throw new Error(`unclosed [ at ${i + 1}`);
      let inner = s.slice(i + 1, close).trim();
      if ((inner.startsWith('"') && inner.endsWith('"')) || (inner.startsWith("'") && inner.endsWith("'"))) {
        out.push({ key: inner.slice(1, -1) });
      } else if (inner === '*') {
        out.push({ any: true });
      } else if (/^\d+$/.test(inner)) {
        out.push({ key: inner });
      } else {
        const eq = inner.indexOf('=');
        if (eq <= 0) throw new Error(`[${inner}] must be an index, "key", * or key=value`);
        let value = inner.slice(eq + 1).trim();
        if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
        inner = inner.slice(0, eq).trim();
        out.push({ select: [inner, value] });
      }
      i = close + 1;
      expectSegment = false;
      continue;
    }
    if (!expectSegment) throw new Error(`expected . or [ at ${i + 1}`);
    let j = i;
    while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
    const seg = s.slice(i, j);
    out.push(seg === '**' ? { deep: true } : seg === '*' ? { any: true } : { key: seg });
    i = j;
    expectSegment = false;
  }
  if (expectSegment) throw new Error('path ends with .');
  return out;
}

/** A path pattern of plain keys only (no wildcards or selectors). */
export function isLiteralPattern(segments: PathSegment[]): boolean {
  return segments.every((s) => 'key' in s);
}

function childOf(value: Json | undefined, seg: string): Json | undefined {
  if (value === null || value === undefined || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return /^\d+$/.test(seg) ? value[Number(seg)] : undefined;
  return Object.prototype.hasOwnProperty.call(value, seg) ? (value as Record<string, Json>)[seg] : undefined;
}

/**
 * How many leading segments of `pointer` a pattern covers exactly (the locked field is that prefix), or -1.
 * `root` is the object the pointer points into (for `[key=value]` selectors).
 */
export function matchPrefix(segments: PathSegment[], pointer: string[], root: Json): number {
  const go = (si: number, pi: number, value: Json | undefined): number => {
    if (si === segments.length) return pi;
    const seg = segments[si];
    if ('deep' in seg) {
      for (let k = pi; k <= pointer.length; k++) {
        const r = go(si + 1, k, descend(value, pi, k));
        if (r >= 0) return r;
      }
      return -1;
    }
    if (pi >= pointer.length) return -1;
    const p = pointer[pi];
    const next = childOf(value, p);
    if ('key' in seg) return seg.key === p ? go(si + 1, pi + 1, next) : -1;
    if ('any' in seg) return go(si + 1, pi + 1, next);
    // select: the item of a list whose field equals the value
    if (!Array.isArray(value) || !/^\d+$/.test(p)) return -1;
    const item = next;
    if (!item || typeof item !== 'object' || Array.isArray(item)) return -1;
    const v = (item as Record<string, Json>)[seg.select[0]];
    return v !== undefined && v !== null && String(v) === seg.select[1] ? go(si + 1, pi + 1, next) : -1;
  };
  const descend = (value: Json | undefined, from: number, to: number): Json | undefined => {
    let v = value;
    for (let k = from; k < to; k++) v = childOf(v, pointer[k]);
    return v;
  };
  return go(0, 0, root);
}

/** Every existing pointer (segments) that a pattern denotes in `root` (for required fields with wildcards). */
export function expandPattern(segments: PathSegment[], root: Json): string[][] {
  const out: string[][] = [];
  const go = (si: number, value: Json | undefined, path: string[]) => {
    if (si === segments.length) {
      if (value !== undefined) out.push(path);
      return;
    }
    const seg = segments[si];
    if ('key' in seg) return go(si + 1, childOf(value, seg.key), [...path, seg.key]);
    if (value === null || value === undefined || typeof value !== 'object') return;
    const entries: Array<[string, Json]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    if ('deep' in seg) {
      go(si + 1, value, path);
      for (const [k, v] of entries) go(si, v, [...path, k]);
      return;
    }
    for (const [k, v] of entries) {
      if ('select' in seg) {
        if (!Array.isArray(value) || !v || typeof v !== 'object' || Array.isArray(v)) continue;
        const f = (v as Record<string, Json>)[seg.select[0]];
        if (f === undefined || f === null || String(f) !== seg.select[1]) continue;
      }
      go(si + 1, v, [...path, k]);
    }
  };
  go(0, root, []);
  return out;
}

/** picomatch over a list of globs; `*` alone matches everything, including the empty string. */
export function globMatcher(globs: string[] | undefined): ((s: string) => boolean) | undefined {
  if (!globs || !globs.length) return undefined;
  const m = picomatch(globs, { dot: true });
  return (s: string) => m(s) || (s === '' && globs.includes('*'));
}

/** allowIn globs are `repository/path`; a bare repository name (`platform`) means all of it. */
export function allowInMatcher(globs: string[]): (repoPath: string) => boolean {
  const normalized = globs.map((g) => {
    const t = g.trim().replace(/^\.?\//, '').replace(/\/$/, '');
    return /[*?[{]/.test(t) || t.includes('/') ? t : `${t}/**`;
  });
  const m = picomatch(normalized, { dot: true });
  return (repoPath: string) => m(repoPath);
}

function stringList(node: Node | null | undefined, file: string, field: string, problems: PolicyProblem[]): Array<{ value: string; span: Span }> | undefined {
  if (node === undefined || node === null) return undefined;
  if (isScalar(node) && node.value !== null) return [{ value: String(node.value), span: spanOf(node) }];
  if (!isSeq(node)) {
    problems.push({ file, span: spanOf(node), message: `${field} must be a list of strings` });
    return undefined;
  }
  const out: Array<{ value: string; span: Span }> = [];
  for (const item of node.items as Node[]) {
    if (isScalar(item) && item.value !== null && typeof item.value !== 'object') out.push({ value: String((item as Scalar).value), span: spanOf(item) });
    else problems.push({ file, span: spanOf(item), message: `${field}: each entry must be a string` });
  }
  return out;
}

const FIELDS: ReadonlySet<string> = new Set(['kinds', 'names', 'namespaces', 'paths', 'reason', 'allowIn']);

/** The `locks:` and `required:` rules of one `.flux-fleet.yaml`. */
export function parsePolicy(file: string, text: string, parsed?: ParsedText): { rules: PolicyRule[]; problems: PolicyProblem[] } {
  const rules: PolicyRule[] = [];
  const problems: PolicyProblem[] = [];
  if (!/^(locks|required)\s*:/m.test(text)) return { rules, problems };
  const doc = parsed ? parsed.single().doc : parseYaml(text);
  if (doc.errors.length || !isMap(doc.contents)) return { rules, problems }; // fleetConfig reports syntax errors
  for (const [section, kind] of [['locks', 'locked'], ['required', 'required']] as const) {
    const node = doc.contents.get(section, true) as Node | undefined;
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) continue;
    if (!isSeq(node)) {
      problems.push({ file, span: spanOf(node), message: `${section}: must be a list of rules ({kinds, names, namespaces, paths, reason${kind === 'locked' ? ', allowIn' : ''}})` });
      continue;
    }
    for (const item of node.items as Node[]) {
      if (!isMap(item)) {
        problems.push({ file, span: spanOf(item), message: `${section}: each rule must be a map with at least paths:` });
        continue;
      }
      for (const pair of item.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!FIELDS.has(k) || (k === 'allowIn' && kind === 'required')) problems.push({ file, span: spanOf(pair.key as Node), message: `${section}: unknown field ${k} (expected ${[...FIELDS].filter((f) => kind === 'locked' || f !== 'allowIn').join(', ')})` });
      }
      const get = (f: string) => item.get(f, true) as Node | undefined;
      const pathsRaw = stringList(get('paths'), file, `${section}.paths`, problems);
      if (!pathsRaw?.length) {
        problems.push({ file, span: spanOf(item), message: `${section}: a rule needs paths: (dotted field paths, e.g. spec.chart.spec.version)` });
        continue;
      }
      const paths: RulePath[] = [];
      for (const p of pathsRaw) {
        try {
          paths.push({ raw: p.value, span: p.span, segments: parsePathPattern(p.value) });
        } catch (e) {
          problems.push({ file, span: p.span, message: `${section}.paths: ${p.value}: ${(e as Error).message}` });
        }
      }
      if (!paths.length) continue;
      const reasonNode = get('reason');
      const rule: PolicyRule = {
        kind,
        file,
        span: spanOf(item),
        kinds: stringList(get('kinds'), file, `${section}.kinds`, problems)?.map((x) => x.value),
        names: stringList(get('names'), file, `${section}.names`, problems)?.map((x) => x.value),
        namespaces: stringList(get('namespaces'), file, `${section}.namespaces`, problems)?.map((x) => x.value),
        paths,
        reason: isScalar(reasonNode) && reasonNode.value !== null ? String(reasonNode.value) : undefined,
        allowIn: kind === 'locked' ? stringList(get('allowIn'), file, `${section}.allowIn`, problems)?.map((x) => x.value) : undefined,
      };
      rules.push(rule);
    }
  }
  return { rules, problems };
}
