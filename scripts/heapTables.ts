// `node --max-old-space-size=8000 --import tsx scripts/heapTables.ts A.heapsnapshot [B.heapsnapshot]`: what a fleet's
// database holds, by table. Reads a V8 heap snapshot (as `npm run soak -- --heap-snapshots N` writes), computes each
// object's retained size (its dominator subtree, weak edges ignored), finds every FleetDb's `tables` map and prints the
// retained size of each table, then the constructors that make up the largest tables' entries. With two snapshots it
// prints the difference (B - A) per table and per constructor: what a long session keeps that it did not before.
// Shared objects (held by two tables, or by a table and the links) are counted at their common dominator, not under a
// table: a growth there shows as "(outside tables)".
import * as fs from 'node:fs';

interface Snapshot {
  nodeCount: number;
  nodes: Uint32Array;
  edges: Uint32Array;
  firstEdge: Uint32Array;
  strings: string[];
  nodeTypes: string[];
  edgeTypes: string[];
  nf: number;
  ef: number;
  fType: number;
  fName: number;
  fSelf: number;
  fId: number;
  fEdges: number;
  eType: number;
  eName: number;
  eTo: number;
}

/** The numbers of a `"key":[...]` array of the snapshot text, without a JSON.parse of the whole (it may exceed a string). */
function numbers(buf: Buffer, key: string): Uint32Array {
  const at = buf.indexOf(`"${key}":[`);
  if (at < 0) throw new Error(`no ${key}`);
  let i = at + key.length + 4;
  let out = new Uint32Array(1 << 20);
  let n = 0;
  let v = 0;
  let inNum = false;
  for (;; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      inNum = true;
    } else {
      if (inNum) {
        if (n === out.length) {
          const grown = new Uint32Array(out.length * 2);
          grown.set(out);
          out = grown;
        }
        out[n++] = v;
        v = 0;
        inNum = false;
      }
      if (c === 93) break;
    }
  }
  return out.subarray(0, n);
}

function read(file: string): Snapshot {
  const buf = fs.readFileSync(file);
  const metaEnd = buf.indexOf('"nodes":[');
  const head = buf.subarray(0, metaEnd).toString().replace(/,\s*$/, '') + '}';
  const meta = JSON.parse(head).snapshot.meta;
  const nodes = numbers(buf, 'nodes');
  const edges = numbers(buf, 'edges');
  const sAt = buf.indexOf('"strings":[');
  const sEnd = buf.lastIndexOf(']');
  const strings = JSON.parse(buf.subarray(sAt + 10, sEnd + 1).toString()) as string[];
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const nodeCount = nodes.length / nf;
  const fEdges = meta.node_fields.indexOf('edge_count');
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let n = 0, e = 0; n < nodeCount; n++) {
    firstEdge[n] = e;
    e += nodes[n * nf + fEdges] * ef;
    firstEdge[n + 1] = e;
  }
  return {
    nodeCount, nodes, edges, firstEdge, strings, nf, ef, fEdges,
    nodeTypes: meta.node_types[0], edgeTypes: meta.edge_types[0],
    fType: meta.node_fields.indexOf('type'), fName: meta.node_fields.indexOf('name'), fSelf: meta.node_fields.indexOf('self_size'), fId: meta.node_fields.indexOf('id'),
    eType: meta.edge_fields.indexOf('type'), eName: meta.edge_fields.indexOf('name_or_index'), eTo: meta.edge_fields.indexOf('to_node'),
  };
}

/** Each node's children in the dominator tree (`idom` from retained). */
/**
 * Adds to `byPath` what `root` dominates, by property path from it (each object's self size and count at its path;
 * below `depth` levels, retained sizes at the last path). `unnamed` labels a child reached by no named edge.
 */
function pathsBelow(s: Snapshot, kids: Map<number, number[]>, size: Float64Array, byPath: Map<string, { bytes: number; count: number }>, root: number, depth: number, unnamed: (k: number) => string): void {
  const walk = (n: number, path: string, level: number) => {
    const edgeName = new Map<number, string>();
    for (const e of out(s, n)) if (!edgeName.has(e.to)) edgeName.set(e.to, typeof e.name === 'number' || /^\d+$/.test(String(e.name)) ? '[]' : String(e.name));
    for (const k of kids.get(n) ?? []) {
      const label = `${path}.${edgeName.get(k) ?? unnamed(k)}`;
      if (level >= depth) {
        const g = byPath.get(path) ?? { bytes: 0, count: 0 };
        g.bytes += size[k];
        byPath.set(path, g);
        continue;
      }
      const g = byPath.get(label) ?? { bytes: 0, count: 0 };
      g.bytes += s.nodes[k * s.nf + s.fSelf];
      g.count++;
      byPath.set(label, g);
      walk(k, label, level + 1);
    }
  };
  walk(root, '', 0);
}

function dominatorChildren(s: Snapshot, idom: Int32Array): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (let n = 0; n < s.nodeCount; n++) {
    if (idom[n] < 0 || idom[n] === n) continue;
    const list = kids.get(idom[n]);
    if (list) list.push(n);
    else kids.set(idom[n], [n]);
  }
  return kids;
}

/** Retained sizes by the Cooper–Harvey–Kennedy dominator algorithm over a reverse post-order from the root (node 0). */
function retained(s: Snapshot): { size: Float64Array; idom: Int32Array } {
  const { nodeCount, nodes, edges, firstEdge, nf, ef, eType, eTo } = s;
  const weak = s.edgeTypes.indexOf('weak');
  const internal = s.edgeTypes.indexOf('internal');
  // A WeakMap's value is held by its key and by the map's table (edges named "part of key (…) -> value (…) pair in
  // WeakMap (table @id)", from both): only the table's edge is kept, so a weak table's values count under the table
  // (what dropping the table would free), not at the common dominator of the table and each key.
  const tableOf = new Int32Array(s.strings.length).fill(-1);
  s.strings.forEach((t, i) => {
    const m = /part of key .* pair in WeakMap \(table @(\d+)\)$/.exec(t);
    if (m) tableOf[i] = Number(m[1]);
  });
  const fId = s.fId;
  const edgeFrom = new Uint32Array(edges.length / ef);
  for (let n = 0; n < nodeCount; n++) for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += ef) edgeFrom[e / ef] = n;
  const skip = (e: number) => edges[e + eType] === weak || (edges[e + eType] === internal && tableOf[edges[e + s.eName]] >= 0 && tableOf[edges[e + s.eName]] !== nodes[edgeFrom[e / ef] * nf + fId]);
  const order = new Int32Array(nodeCount).fill(-1); // post-order number
  const byOrder = new Int32Array(nodeCount);
  const stack = new Int32Array(nodeCount);
  const edgeAt = new Uint32Array(nodeCount);
  let sp = 0;
  let post = 0;
  const visited = new Uint8Array(nodeCount);
  stack[sp++] = 0;
  visited[0] = 1;
  edgeAt[0] = firstEdge[0];
  while (sp) {
    const n = stack[sp - 1];
    if (edgeAt[n] < firstEdge[n + 1]) {
      const e = edgeAt[n];
      edgeAt[n] += ef;
      if (skip(e)) continue;
      const t = edges[e + eTo] / nf;
      if (!visited[t]) {
        visited[t] = 1;
        edgeAt[t] = firstEdge[t];
        stack[sp++] = t;
      }
    } else {
      sp--;
      order[n] = post;
      byOrder[post++] = n;
    }
  }
  // Predecessors (reachable ones, strong edges).
  const predCount = new Uint32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++) {
    if (!visited[n]) continue;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += ef) if (!skip(e)) predCount[edges[e + eTo] / nf + 1]++;
  }
  for (let i = 1; i <= nodeCount; i++) predCount[i] += predCount[i - 1];
  const preds = new Int32Array(predCount[nodeCount]);
  const fill = predCount.slice(0, nodeCount);
  for (let n = 0; n < nodeCount; n++) {
    if (!visited[n]) continue;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += ef) if (!skip(e)) preds[fill[edges[e + eTo] / nf]++] = n;
  }
  const idom = new Int32Array(nodeCount).fill(-1);
  idom[0] = 0;
  const root = order[0];
  let changed = true;
  while (changed) {
    changed = false;
    for (let o = root - 1; o >= 0; o--) {
      const n = byOrder[o];
      let d = -1;
      for (let p = predCount[n]; p < predCount[n + 1]; p++) {
        const q = preds[p];
        if (idom[q] < 0) continue;
        if (d < 0) {
          d = q;
          continue;
        }
        let a = q;
        let b = d;
        while (a !== b) {
          while (order[a] < order[b]) a = idom[a];
          while (order[b] < order[a]) b = idom[b];
        }
        d = a;
      }
      if (d >= 0 && idom[n] !== d) {
        idom[n] = d;
        changed = true;
      }
    }
  }
  const size = new Float64Array(nodeCount);
  for (let n = 0; n < nodeCount; n++) size[n] = visited[n] ? nodes[n * nf + s.fSelf] : 0;
  for (let o = 0; o < root; o++) {
    const n = byOrder[o];
    if (idom[n] >= 0 && idom[n] !== n) size[idom[n]] += size[n];
  }
  return { size, idom };
}

const name = (s: Snapshot, n: number) => s.strings[s.nodes[n * s.nf + s.fName]];
const type = (s: Snapshot, n: number) => s.nodeTypes[s.nodes[n * s.nf + s.fType]];
function* out(s: Snapshot, n: number): Generator<{ type: string; name: string | number; to: number }> {
  for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e += s.ef) {
    const t = s.edgeTypes[s.edges[e + s.eType]];
    const raw = s.edges[e + s.eName];
    yield { type: t, name: t === 'element' || t === 'hidden' ? raw : s.strings[raw], to: s.edges[e + s.eTo] / s.nf };
  }
}
const child = (s: Snapshot, n: number, prop: string) => [...out(s, n)].find((e) => e.name === prop)?.to;

/** Each table of each FleetDb: name → the Held object (`{ table, lru? }`). Map entries are key, value pairs of its table. */
function tables(s: Snapshot): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (let n = 0; n < s.nodeCount; n++) {
    if (type(s, n) !== 'object' || name(s, n) !== 'FleetDb') continue;
    const map = child(s, n, 'tables');
    const store = map !== undefined ? child(s, map, 'table') : undefined;
    if (store === undefined) continue;
    // (an OrderedHashMap: its entries are internal edges named by index, key then value)
    const elems = [...out(s, store)].filter((e) => e.type === 'element' || (e.type === 'internal' && /^\d+$/.test(String(e.name))));
    for (let i = 0; i + 1 < elems.length; i++) {
      if (type(s, elems[i].to) !== 'string' || type(s, elems[i + 1].to) !== 'object') continue;
      const key = name(s, elems[i].to);
      found.set(key, [...(found.get(key) ?? []), elems[i + 1].to]); // (one FleetDb or a few)
      i++;
    }
    const parses = child(s, n, 'parses');
    if (parses !== undefined) found.set('parse (ParseStore)', [...(found.get('parse (ParseStore)') ?? []), parses]);
  }
  return found;
}

/** A table's retained size by the constructor (or type) of the objects under it, two levels below its entries. */
function byConstructor(s: Snapshot, idom: Int32Array, size: Float64Array, under: Set<number>): Map<string, number> {
  // Objects dominated by `under` whose own dominator is not an object of the same group: count self sizes by the name
  // of the nearest object (constructor) dominating them within the table.
  const label = new Map<string, number>();
  const memo = new Int32Array(s.nodeCount).fill(-2);
  const inside = (n: number): number => {
    // -1: not under; else the nearest named object under the table dominating n.
    const path: number[] = [];
    let m = n;
    let found = -1;
    while (true) {
      if (memo[m] !== -2) {
        found = memo[m];
        break;
      }
      if (under.has(m)) {
        found = m;
        break;
      }
      if (m === 0 || idom[m] < 0 || idom[m] === m) break;
      path.push(m);
      m = idom[m];
    }
    for (const p of path) memo[p] = found;
    return found;
  };
  for (let n = 0; n < s.nodeCount; n++) {
    if (idom[n] < 0 || !size[n]) continue;
    const top = inside(n);
    if (top < 0) continue;
    const t = type(s, n);
    const k = t === 'object' ? name(s, n) : `(${t})`;
    label.set(k, (label.get(k) ?? 0) + s.nodes[n * s.nf + s.fSelf]);
  }
  return label;
}

const MB = (b: number) => (b / 1048576).toFixed(2);

function analyse(file: string) {
  const s = read(file);
  const { size, idom } = retained(s);
  const t = tables(s);
  const perTable = new Map<string, number>();
  const constructors = new Map<string, Map<string, number>>();
  for (const [k, held] of t) {
    perTable.set(k, held.reduce((a, h) => a + size[h], 0));
    constructors.set(k, byConstructor(s, idom, size, new Set(held)));
  }
  let total = 0;
  for (let n = 0; n < s.nodeCount; n++) if (idom[n] >= 0) total += s.nodes[n * s.nf + s.fSelf];
  return { perTable, constructors, total };
}

const [a, b] = process.argv.slice(2);
const A = ['--entries', '--entry', '--paths', '--constructors', '--sharers', '--scopes', '--having'].some((o) => process.argv.includes(o)) ? undefined : analyse(a);
if (A) {
console.log(`${a}: reachable ${MB(A.total)} MB, in tables ${MB([...A.perTable.values()].reduce((x, y) => x + y, 0))} MB`);
if (!b) {
  for (const [k, v] of [...A.perTable].sort((x, y) => y[1] - x[1]).slice(0, 40)) console.log(`${MB(v).padStart(8)} MB  ${k}`);
} else {
  const B = analyse(b);
  console.log(`${b}: reachable ${MB(B.total)} MB, in tables ${MB([...B.perTable.values()].reduce((x, y) => x + y, 0))} MB`);
  console.log(`(outside tables) ${MB(B.total - [...B.perTable.values()].reduce((x, y) => x + y, 0) - (A.total - [...A.perTable.values()].reduce((x, y) => x + y, 0)))} MB`);
  const keys = new Set([...A.perTable.keys(), ...B.perTable.keys()]);
  const rows = [...keys].map((k) => ({ k, a: A.perTable.get(k) ?? 0, b: B.perTable.get(k) ?? 0 })).sort((x, y) => y.b - y.a - (x.b - x.a));
  for (const r of rows.slice(0, 30)) console.log(`${MB(r.b - r.a).padStart(8)} MB  ${r.k}  (${MB(r.a)} → ${MB(r.b)})`);
  for (const r of rows.slice(0, 6)) {
    const ca = A.constructors.get(r.k) ?? new Map();
    const cb = B.constructors.get(r.k) ?? new Map();
    const cs = new Set([...ca.keys(), ...cb.keys()]);
    const d = [...cs].map((c) => ({ c, d: (cb.get(c) ?? 0) - (ca.get(c) ?? 0), b: cb.get(c) ?? 0 })).sort((x, y) => y.d - x.d).slice(0, 10);
    console.log(`  ${r.k}: ${d.map((x) => `${x.c} ${MB(x.d)} (${MB(x.b)})`).join(', ')}`);
  }
}
}

// `--entries TABLE`: the entries of an LRU table (lru-cache's Entry objects), largest first: key, weight, retained size.
const entriesArg = process.argv.indexOf('--entries');
if (entriesArg >= 0) {
  const tableName = process.argv[entriesArg + 1];
  for (const file of process.argv.slice(2, entriesArg)) {
    const s = read(file);
    const { size, idom } = retained(s);
    const held = new Set(tables(s).get(tableName) ?? []);
    const rows: Array<{ key: string; length: number; size: number }> = [];
    for (let n = 0; n < s.nodeCount; n++) {
      if (type(s, n) !== 'object' || name(s, n) !== 'Entry') continue;
      let m = n;
      while (m !== 0 && !held.has(m) && idom[m] >= 0 && idom[m] !== m) m = idom[m];
      if (!held.has(m)) continue;
      const k = child(s, n, 'key');
      const v = child(s, n, 'value');
      const l = child(s, n, 'length');
      rows.push({ key: k !== undefined ? name(s, k) : '?', length: l !== undefined ? Number(name(s, l)) : NaN, size: v !== undefined ? size[v] : 0 });
    }
    rows.sort((x, y) => y.size - x.size);
    const total = rows.reduce((t, r) => t + r.size, 0);
    const weight = rows.reduce((t, r) => t + (r.length || 0), 0);
    console.log(`${file} ${tableName}: ${rows.length} entries, ${MB(total)} MB, weight ${weight}`);
    for (const r of rows.slice(0, Number(process.env.TOP ?? 25))) console.log(`${MB(r.size).padStart(8)} MB  w ${String(r.length).padStart(6)}  ${(r.size / Math.max(1, r.length)).toFixed(0).padStart(6)} B/w  ${r.key.slice(0, 140)}`);
  }
}

// `--entry TABLE KEY-PART [DEPTH]`: what one entry of a table holds, by the path of properties from the entry's value
// (indices as [], DEPTH levels, 4 by default): the self sizes of the objects the entry dominates.
const entryArg = process.argv.indexOf('--entry');
if (entryArg >= 0) {
  const [tableName, part, depthArg] = process.argv.slice(entryArg + 1);
  const depth = Number(depthArg ?? 4);
  const file = process.argv[2];
  const s = read(file);
  const { size, idom } = retained(s);
  const held = new Set(tables(s).get(tableName) ?? []);
  // (a key made by concatenation has no text in the snapshot: `#N` picks the N-th largest entry instead)
  const found: number[] = [];
  for (let n = 0; n < s.nodeCount; n++) {
    if (type(s, n) !== 'object' || name(s, n) !== 'Entry') continue;
    const k = child(s, n, 'key');
    if (k === undefined || (!part.startsWith('#') && !name(s, k).includes(part))) continue;
    let m = n;
    while (m !== 0 && !held.has(m) && idom[m] >= 0 && idom[m] !== m) m = idom[m];
    const v = child(s, n, 'value');
    if (held.has(m) && v !== undefined) found.push(v);
  }
  found.sort((x, y) => size[y] - size[x]);
  const entry = found[part.startsWith('#') ? Number(part.slice(1)) : 0];
  if (entry === undefined) throw new Error('no such entry');
  console.log(`${part}: ${MB(size[entry])} MB`);
  // Children in the dominator tree, labelled by the edge from their dominator when there is one.
  const kids = dominatorChildren(s, idom);
  const byPath = new Map<string, { bytes: number; count: number }>();
  pathsBelow(s, kids, size, byPath, entry, depth, () => '~');
  for (const [p, g] of [...byPath].sort((x, y) => y[1].bytes - x[1].bytes).slice(0, 40)) console.log(`${(g.bytes / 1024).toFixed(1).padStart(9)} KB  ${String(g.count).padStart(6)}  ${p}`);
}

// `--paths CONSTRUCTOR [DEPTH]` (one or two snapshots): what the objects of that constructor (e.g. Fleet) dominate, by
// property path (as --entry), the db's tables left out (their own lines above); with two, the difference.
const pathsArg = process.argv.indexOf('--paths');
if (pathsArg >= 0) {
  const [ctor, depthArg] = process.argv.slice(pathsArg + 1);
  const depth = Number(depthArg ?? 4);
  const measure = (file: string) => {
    const s = read(file);
    const { size, idom } = retained(s);
    const skip = new Set([...tables(s).values()].flat());
    const kids = dominatorChildren(s, idom);
    const byPath = new Map<string, number>();
    const walk = (n: number, path: string, level: number) => {
      const edgeName = new Map<number, string>();
      for (const e of out(s, n)) if (!edgeName.has(e.to)) edgeName.set(e.to, typeof e.name === 'number' || /^\d+$/.test(String(e.name)) ? '[]' : String(e.name).replace(/^\d+ \/ part of key.*/, '(weak value)'));
      for (const k of kids.get(n) ?? []) {
        if (skip.has(k)) continue;
        const label = `${path}.${edgeName.get(k) ?? '~' + (type(s, k) === 'object' ? name(s, k) : type(s, k))}`;
        if (level >= depth) {
          byPath.set(path, (byPath.get(path) ?? 0) + size[k]);
          continue;
        }
        byPath.set(label, (byPath.get(label) ?? 0) + s.nodes[k * s.nf + s.fSelf]);
        walk(k, label, level + 1);
      }
    };
    if (ctor === 'ROOT') walk(0, '', 0);
    else for (let n = 0; n < s.nodeCount; n++) if (type(s, n) === 'object' && name(s, n) === ctor && idom[n] >= 0) walk(n, ctor, 0);
    return byPath;
  };
  const files = process.argv.slice(2, pathsArg);
  const A2 = measure(files[0]);
  const B2 = files[1] ? measure(files[1]) : new Map<string, number>();
  const keys = new Set([...A2.keys(), ...B2.keys()]);
  const rows = [...keys].map((k) => ({ k, a: A2.get(k) ?? 0, b: B2.get(k) ?? 0 })).sort((x, y) => (files[1] ? Math.abs(y.b - y.a) - Math.abs(x.b - x.a) : y.a - x.a));
  for (const r of rows.slice(0, 40)) console.log(`${(((files[1] ? r.b - r.a : r.a)) / 1024).toFixed(1).padStart(9)} KB  (${(r.a / 1024).toFixed(0)} → ${(r.b / 1024).toFixed(0)})  ${r.k}`);
}

// `--constructors` (two snapshots): reachable objects' count and self size by constructor, the difference.
if (process.argv.includes('--constructors')) {
  const count = (file: string) => {
    const s = read(file);
    const { idom } = retained(s);
    const m = new Map<string, { n: number; bytes: number }>();
    for (let n = 0; n < s.nodeCount; n++) {
      if (idom[n] < 0) continue;
      const t = type(s, n);
      const k = t === 'object' || t === 'closure' ? `${t === 'closure' ? 'closure ' : ''}${name(s, n)}` : `(${t})`;
      const g = m.get(k) ?? { n: 0, bytes: 0 };
      g.n++;
      g.bytes += s.nodes[n * s.nf + s.fSelf];
      m.set(k, g);
    }
    return m;
  };
  const [fa, fb] = process.argv.slice(2, 4);
  const ca = count(fa);
  const cb = count(fb);
  const keys = new Set([...ca.keys(), ...cb.keys()]);
  const rows = [...keys].map((k) => ({ k, a: ca.get(k) ?? { n: 0, bytes: 0 }, b: cb.get(k) ?? { n: 0, bytes: 0 } })).sort((x, y) => y.b.bytes - y.a.bytes - (x.b.bytes - x.a.bytes));
  for (const r of rows.slice(0, 40)) console.log(`${((r.b.bytes - r.a.bytes) / 1024).toFixed(0).padStart(8)} KB  ${String(r.b.n - r.a.n).padStart(8)}  (${r.a.n} → ${r.b.n})  ${r.k.slice(0, 80)}`);
}

// `--sharers` (two snapshots): the objects no table dominates, grouped by the set of tables that reach them (strong
// edges; a table's walk stops at the fleet, its database, the evaluator, code, closures' scopes and other tables, which
// every table reaches), `rest` when the root reaches them without passing a table; `any T` sums the groups naming T.
// What a growth "(outside tables)" is shared between. `SIG=group` also prints the constructors in that group and, for
// every 500th of its objects, a path from the root that reaches it without a table.
if (process.argv.includes('--sharers')) {
  const measure = (file: string) => {
    const s = read(file);
    const { idom } = retained(s);
    const t = tables(s);
    const names = [...t.keys()];
    const held = new Set([...t.values()].flat());
    // 1: a table's object dominates it; 0: none does (-1: not known yet).
    const under = new Int8Array(s.nodeCount).fill(-1);
    for (let n = 0; n < s.nodeCount; n++) {
      if (idom[n] < 0 || under[n] >= 0) continue;
      const path: number[] = [];
      let m = n;
      let v = 0;
      for (;;) {
        if (under[m] >= 0) {
          v = under[m];
          break;
        }
        if (held.has(m)) {
          v = 1;
          break;
        }
        if (m === 0 || idom[m] === m) break;
        path.push(m);
        m = idom[m];
      }
      for (const p of path) under[p] = v;
      under[n] = v;
    }
    const weak = s.edgeTypes.indexOf('weak');
    const edgeFrom = new Uint32Array(s.edges.length / s.ef);
    for (let n = 0; n < s.nodeCount; n++) for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e += s.ef) edgeFrom[e / s.ef] = n;
    const parent = new Int32Array(s.nodeCount).fill(-1);
    const reach = (starts: number[], stop: (n: number) => boolean, track = false) => {
      const seen = new Uint8Array(s.nodeCount);
      const stack = [...starts];
      for (const x of starts) seen[x] = 1;
      while (stack.length) {
        const n = stack.pop()!;
        for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e += s.ef) {
          if (s.edges[e + s.eType] === weak) continue;
          const to = s.edges[e + s.eTo] / s.nf;
          if (seen[to] || stop(to)) continue;
          seen[to] = 1;
          if (track) parent[to] = e;
          stack.push(to);
        }
      }
      return seen;
    };
    const hub = new Uint8Array(s.nodeCount);
    for (let n = 0; n < s.nodeCount; n++) {
      const ty = type(s, n);
      if (ty === 'code' || name(s, n) === 'system / Context' || (ty === 'object' && ['Fleet', 'FleetDb', 'Evaluator'].includes(name(s, n)))) hub[n] = 1;
    }
    const sig: string[][] = Array.from({ length: s.nodeCount }, () => []);
    const rest = reach([0], (n) => held.has(n), true);
    for (const k of names) {
      const starts = new Set(t.get(k)!);
      const seen = reach([...starts], (n) => (held.has(n) && !starts.has(n)) || hub[n] === 1);
      for (let n = 0; n < s.nodeCount; n++) if (seen[n] && under[n] === 0 && idom[n] >= 0) sig[n].push(k);
    }
    const label = (n: number) => (type(s, n) === 'object' || type(s, n) === 'closure' ? name(s, n).slice(0, 60) : `(${type(s, n)})`);
    const bySig = new Map<string, number>();
    const add = (k: string, b: number) => bySig.set(k, (bySig.get(k) ?? 0) + b);
    let sampled = 0;
    for (let n = 0; n < s.nodeCount; n++) {
      if (idom[n] < 0 || under[n] !== 0) continue;
      const k = (rest[n] ? ['rest'] : []).concat(sig[n]).join('+') || '(none)';
      const self = s.nodes[n * s.nf + s.fSelf];
      add(k, self);
      for (const x of sig[n]) add(`any ${x}`, self);
      if (k !== process.env.SIG) continue;
      add(`${k}: ${label(n)}`, self);
      if (sampled++ % 500) continue;
      const chain: string[] = [];
      for (let m = n, i = 0; parent[m] >= 0 && i < 40; i++) {
        const e = parent[m];
        const et = s.edgeTypes[s.edges[e + s.eType]];
        const en = s.edges[e + s.eName];
        m = edgeFrom[e / s.ef];
        chain.push(`${label(m)}.${et === 'element' || et === 'hidden' ? `[${en}]` : s.strings[en].slice(0, 40)}`);
      }
      console.log(`${file}: ${label(n)} ← ${chain.reverse().join(' > ')}`);
    }
    return bySig;
  };
  const [fa, fb] = process.argv.slice(2, 4);
  const A3 = measure(fa);
  const B3 = measure(fb);
  const keys = new Set([...A3.keys(), ...B3.keys()]);
  const rows = [...keys].map((k) => ({ k, a: A3.get(k) ?? 0, b: B3.get(k) ?? 0 })).sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a));
  for (const r of rows.slice(0, 60)) console.log(`${MB(r.b - r.a).padStart(8)} MB  (${MB(r.a)} → ${MB(r.b)})  ${r.k.slice(0, 200)}`);
}

// `--scopes VAR` (one or more snapshots): closure scopes with a variable VAR (e.g. `skeleton`, which each of the
// evaluator's lazy contexts keeps): how many hold an object there, and the bytes reachable from those objects (not
// through the fleet, its database, the evaluator, code, closures or the tables' own objects), how much of it a table
// dominates, and by the property of the VAR object it was first reached from.
const scopesArg = process.argv.indexOf('--scopes');
if (scopesArg >= 0) {
  const v = process.argv[scopesArg + 1];
  for (const file of process.argv.slice(2, scopesArg)) {
    const s = read(file);
    const { idom } = retained(s);
    const held = new Set([...tables(s).values()].flat());
    let scopes = 0;
    const starts: number[] = [];
    for (let n = 0; n < s.nodeCount; n++) {
      if (name(s, n) !== 'system / Context' || idom[n] < 0) continue;
      const t = child(s, n, v);
      if (t === undefined) continue;
      scopes++;
      if (type(s, t) === 'object') starts.push(t);
    }
    const underTable = (n: number) => {
      for (let m = n; m !== 0 && idom[m] >= 0 && idom[m] !== m; m = idom[m]) if (held.has(m)) return true;
      return false;
    };
    const seen = new Uint8Array(s.nodeCount);
    const via = new Map<number, string>();
    const byProp = new Map<string, number>();
    const startSet = new Set(starts);
    const stack = [...starts];
    starts.forEach((x) => (seen[x] = 1));
    let bytes = 0;
    let inTables = 0;
    while (stack.length) {
      const n = stack.pop()!;
      const self = s.nodes[n * s.nf + s.fSelf];
      bytes += self;
      if (underTable(n)) inTables += self;
      const prop = via.get(n);
      if (prop !== undefined) byProp.set(prop, (byProp.get(prop) ?? 0) + self);
      for (const e of out(s, n)) {
        if (e.type === 'weak' || seen[e.to] || held.has(e.to)) continue;
        const ty = type(s, e.to);
        if (ty === 'code' || ty === 'closure' || name(s, e.to) === 'system / Context' || (ty === 'object' && ['Fleet', 'FleetDb', 'Evaluator'].includes(name(s, e.to)))) continue;
        seen[e.to] = 1;
        via.set(e.to, startSet.has(n) ? (typeof e.name === 'number' ? '[]' : e.name) : prop ?? '?');
        stack.push(e.to);
      }
    }
    console.log(`${file}: ${scopes} scopes with ${v}, ${starts.length} holding an object; reachable ${MB(bytes)} MB (${MB(inTables)} MB under tables)`);
    for (const [k, b] of [...byProp].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log(`  ${MB(b).padStart(8)} MB  .${k}`);
  }
}

// `--having p1,p2,... [DEPTH]` (one snapshot): every object with all these properties (e.g. key,fact,id,partial: the
// evaluator's contexts), their retained sizes summed by property path (as --entry, 3 levels by default): what an
// object kept per context (or per build, per frame) holds of its own.
const havingArg = process.argv.indexOf('--having');
if (havingArg >= 0) {
  const props = process.argv[havingArg + 1].split(',');
  const depth = Number(process.argv[havingArg + 2] ?? 3);
  const s = read(process.argv[2]);
  const { size, idom } = retained(s);
  const kids = dominatorChildren(s, idom);
  const byPath = new Map<string, { bytes: number; count: number }>();
  let n0 = 0;
  let total = 0;
  for (let n = 0; n < s.nodeCount; n++) {
    if (type(s, n) !== 'object' || idom[n] < 0) continue;
    if (!props.every((p) => child(s, n, p) !== undefined)) continue;
    n0++;
    total += size[n];
    pathsBelow(s, kids, size, byPath, n, depth, (k) => '~' + (type(s, k) === 'object' ? name(s, k) : type(s, k)));
  }
  console.log(`${n0} objects with ${props}, retained ${MB(total)} MB`);
  for (const [p, g] of [...byPath].sort((x, y) => y[1].bytes - x[1].bytes).slice(0, 40)) console.log(`${(g.bytes / 1024).toFixed(1).padStart(9)} KB  ${String(g.count).padStart(6)}  ${p}`);
}
