// YAML anchors, aliases and merge keys read the way kustomize reads them (kyaml's DeAnchor, after go-yaml parsed the
// text): every alias is replaced by the node its anchor marks, and every `<<` merge key by the pairs it merges in.
// The replacement is in place and shares nodes (no copies), so everything that walks the tree afterwards — the
// kustomize loader, the index, lock and schema checks — reads what kubectl reads, and a value reached through an
// alias keeps the span of the text that holds it: the anchor's node.
import { Pair, visit, isAlias, isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import type { Span } from './text';

export interface AnchorError {
  message: string;
  span: Span;
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/** A plain `<<` key (go-yaml tags it !!merge; a quoted '<<' is a string). */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  if (key.tag === MERGE_TAG) return true;
  return key.value === '<<' && (key.type === 'PLAIN' || key.type === undefined) && !key.tag;
}

function spanOf(node: { range?: [number, number, number] | null } | null | undefined): Span {
  const r = node?.range;
  return r ? { start: r[0], end: Math.max(r[1], r[0] + 1) } : { start: 0, end: 1 };
}

/**
 * Each alias's node as `Alias.resolve(doc)` finds it (the last node with that anchor before the alias, in the
 * `yaml` package's own visiting order), in one pass instead of one whole-document visit per alias.
 */
function aliasTargets(doc: Document): Map<Node, Node | undefined> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Node, Node | undefined>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}

class DeAnchorError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

/**
 * go-yaml's bound on alias expansion ("document contains excessive aliasing"): of `decoded` nodes, how many may come
 * from expanding aliases. Keeps alias bombs (each level doubling the last) bounded.
 */
function allowedAliasRatio(decoded: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decoded <= low) return 0.99;
  if (decoded >= high) return 0.1;
  return 0.99 - 0.89 * ((decoded - low) / (high - low));
}

/**
 * Replaces aliases and merge keys in `doc.contents`, in place. Returns the first error kustomize would report (an
 * unknown anchor, an anchor inside its own value, a bad merge value, two `<<` keys in one mapping, excessive
 * aliasing); the document is then left partly resolved and must not be read.
 */
export function deAnchor(doc: Document): AnchorError | undefined {
  const root = doc.contents as Node | null;
  if (!root || !hasAliasOrMerge(root)) return undefined;
  const targets = aliasTargets(doc);
  const done = new Set<Node>();
  const inProgress = new Set<Node>();

  const resolveAlias = (alias: Node & { source: string }): Node => {
    const target = targets.get(alias);
    if (!target) throw new DeAnchorError(`unknown anchor '${alias.source}' referenced`, spanOf(alias));
    if (inProgress.has(target)) throw new DeAnchorError(`anchor '${alias.source}' value contains itself`, spanOf(alias));
    return resolve(target);
  };

  /** The node with its aliases and merges resolved (an alias: its anchor's node). */
  const resolve = (node: Node): Node => {
    if (isAlias(node)) return resolveAlias(node);
    if (done.has(node)) return node;
    inProgress.add(node);
    if (isMap(node)) {
      mergeInto(node);
      for (const pair of node.items) {
        if (pair.key && isAlias(pair.key)) pair.key = resolveAlias(pair.key);
        else if (pair.key) resolve(pair.key as Node);
        if (pair.value) pair.value = resolve(pair.value as Node);
      }
    } else if (isSeq(node)) {
      node.items = node.items.map((item) => (item ? resolve(item as Node) : item));
    }
    inProgress.delete(node);
    done.add(node);
    return node;
  };

  /** kyaml's mergeAll: the sources' pairs, a later source below an earlier one, the mapping's own pairs on top. */
  const mergeInto = (map: YAMLMap): void => {
    const merges = map.items.filter((p) => isMergeKey(p.key));
    if (merges.length === 0) return;
    if (merges.length > 1) throw new DeAnchorError('duplicate merge key', spanOf(merges[1].key as Node));
    const value = merges[0].value as Node | null;
    const sources: YAMLMap[] = [];
    const source = (n: Node | null, inSeq: boolean): void => {
      if (!n) return;
      if (isAlias(n)) {
        const target = resolveAlias(n);
        if (!isMap(target)) throw new DeAnchorError('invalid map merge: received alias for a non-map value', spanOf(n));
        sources.push(target);
      } else if (isMap(n)) sources.push(resolve(n) as YAMLMap);
      else if (isSeq(n) && !inSeq) for (const item of n.items) source(item as Node, true);
      else if (isSeq(n)) throw new DeAnchorError('invalid map merge: received a nested sequence', spanOf(n));
      else throw new DeAnchorError('map merge requires map or sequence of maps as the value', spanOf(n));
    };
    source(value, false);
    const own = map.items.filter((p) => !isMergeKey(p.key));
    const out: Pair[] = [...own];
    const at = new Map<string, number>();
    own.forEach((p, i) => at.set(keyText(p.key), i));
    const ownKeys = new Set(at.keys());
    for (const src of [...sources].reverse()) {
      for (const p of src.items) {
        const k = keyText(p.key);
        if (ownKeys.has(k)) continue;
        const pair = new Pair(p.key, p.value);
        const i = at.get(k);
        if (i === undefined) {
          at.set(k, out.length);
          out.push(pair);
        } else out[i] = pair;
      }
    }
    map.items = out;
  };

  try {
    doc.contents = resolve(root) as typeof doc.contents;
  } catch (e) {
    if (e instanceof DeAnchorError) return { message: e.message, span: e.span };
    if (e instanceof RangeError) return { message: 'document contains excessive aliasing', span: spanOf(root) };
    throw e;
  }
  const excessive = excessiveAliasing(doc.contents as Node);
  return excessive ? { message: 'document contains excessive aliasing', span: spanOf(root) } : undefined;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function hasAliasOrMerge(root: Node): boolean {
  let found = false;
  visit(root, {
    Alias: () => {
      found = true;
      return visit.BREAK;
    },
    Pair: (_k, pair) => {
      if (isMergeKey(pair.key)) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Sizes of the tree once its shared nodes are counted at every place they appear, against go-yaml's bound. */
function excessiveAliasing(root: Node): boolean {
  const own = new Set<Node>();
  const expanded = new Map<Node, number>();
  const size = (n: unknown): number => {
    if (!n || typeof n !== 'object') return 0;
    const node = n as Node;
    const known = expanded.get(node);
    if (known !== undefined) return known;
    own.add(node);
    let s = 1;
    if (isMap(node)) for (const p of node.items) s += size(p.key) + size(p.value);
    else if (isSeq(node)) for (const i of node.items) s += size(i);
    expanded.set(node, s);
    return s;
  };
  const decoded = size(root);
  const aliased = decoded - own.size;
  return aliased > 100 && decoded > 1000 && aliased / decoded > allowedAliasRatio(decoded);
}
