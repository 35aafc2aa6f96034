// HelmRelease values in layers: chart values.yaml (when the chart's source is mapped locally) < valuesFrom[0..n]
// (deep merge, lists replaced; targetPath sets one path) < inline spec.values. Every leaf keeps the stack of
// layers that wrote it. Order choice: entries apply in list order, a targetPath entry overrides what came before
// it, and inline values are merged last (so on the same key inline wins), which is what helm-controller's code
// does at the end of its merge.
import { type Document, type Node } from 'yaml';
import { isLimitError, MAX_YAML_DEPTH } from '../yamlParse';
import { parseText, type ParsedText } from '../parsedText';
import type { Fleet } from '../model';
import { setOwnKey, type Json, type JsonObject, type Provenance, type ProvenanceMap, type Resource } from '../kustomize/types';
import { nodeToJson, readFlatJson } from '../kustomize/load';
import { flatRootKind } from '../compactDocs';
import { resIdOf } from '../kustomize/resid';
import { scalarSpanMapper } from '../extract/patches';
import { findScalar } from '../yamlScalars';
import { fleetReader } from './fluxBuild';
import { objectNamed } from './objectsByName';
import { MAX_YAML_BYTES } from '../indexFile';
import { join, resolvePath } from '../paths';
import type { Span } from '../text';
import { copyProvenance, escapeSegment, internPointer, provenanceWrite, type ProvenanceWrite } from '../kustomize/provenance';
import { CompactProvenance } from '../kustomize/compactProvenance';
import { isSecretLeaf, isSecretSource, isSopsText, MASK } from '../redact';
import { inlineValuesLayer, layerLabel, stepLayer, valuesFromLayer, type Layer } from '../layer';
import { EMPTY_LIST } from '../keptList';

export interface ValuesIssue {
  code: 'values-key-not-found' | 'object-not-found' | 'limit-exceeded';
  message: string;
  /** The valuesFrom entry of the HelmRelease. */
  at: Provenance;
}

export interface EffectiveValues {
  values: JsonObject;
  /** Pointers relative to the values root. */
  prov: ProvenanceMap;
  issues: ValuesIssue[];
}

function obj(v: Json | undefined): JsonObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

function dropUnder(prov: ProvenanceMap, pointer: string): void {
  for (const k of [...prov.keys()]) if (k === pointer || k.startsWith(pointer + '/')) prov.delete(k);
}

/**
 * `pointer` and the pointer of every value under `value` (the keys a provenance map holds for that subtree), each
 * given to `visit`, depth first with the last child first. A loop over two arrays, not a generator: mergeValues walks
 * every value a release's layers write (a generator's result and a pair per pointer were the most of its garbage).
 */
function forEachPointer<A, B>(value: Json | undefined, pointer: string, visit: (pointer: string, a: A, b: B) => void, a: A, b: B): void {
  const values: Array<Json | undefined> = [value];
  const pointers: string[] = [pointer];
  while (values.length) {
    const v = values.pop();
    const p = pointers.pop()!;
    visit(p, a, b);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) values.push(v[i]), pointers.push(`${p}/${i}`);
    } else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) values.push(v[k]), pointers.push(`${p}/${escapeSegment(k)}`);
    }
  }
}

/** Takes the stack at `key` out of `prov` into `history` (forEachPointer's visit: no closure per merged key). */
function takeStack(key: string, prov: ProvenanceMap, history: ProvenanceMap): void {
  const stack = prov.get(key);
  if (stack) history.set(key, stack);
  prov.delete(key);
}

/** What replaces a subtree: the replacing values' stacks, and those the replaced subtree had (undefined: none). */
interface Replacing {
  srcProv: ProvenanceMap;
  history: ProvenanceMap | undefined;
}

/** A replacing value's stack pushed on the replaced one's at `key` (forEachPointer's visit). Stacks are never changed
 *  (writers replace them): one with no history here is the replacing value's own array, shared; one with history a
 *  new array exactly as long (a spread gave each merged release's stacks spare room, kept with its values). */
function putStack(key: string, prov: ProvenanceMap, r: Replacing): void {
  const stack = r.srcProv.get(key);
  if (!stack) return;
  const history = r.history?.get(key);
  prov.set(internPointer(key), history ? history.concat(stack) : stack);
}

/** Deep merge of `src` into `dst` at `pointer`: maps merge, anything else replaces; provenance stacks grow. Work is
 *  linear in the values: only the replaced and the replacing subtrees' pointers are visited (a scan of every stack per
 *  key made a 30,000-key values file cost minutes). Values are read-only once made: a replacing subtree is `src`'s own
 *  (a parsed values file's, shared by every release merging it), and a map of `dst` merged into is copied first unless
 *  `owned` (the maps this merge made, `dst` itself) holds it: a values file's tree was cloned into every merge of it. */
export function mergeValues(dst: JsonObject, src: JsonObject, srcProv: ProvenanceMap, prov: ProvenanceMap, pointer: string, owned: Set<JsonObject> = new Set([dst])): void {
  for (const [k, v] of Object.entries(src)) {
    const p = `${pointer}/${escapeSegment(k)}`;
    const cur = Object.hasOwn(dst, k) ? dst[k] : undefined;
    if (obj(v) && obj(cur)) {
      mergeValues(ownedChild(dst, k, cur as JsonObject, owned), v as JsonObject, srcProv, prov, p, owned);
      continue;
    }
    // Replacing: the old subtree's history stays only where the same leaf is written again. (A key not set yet has
    // no subtree: at most a stack at its own pointer, and no map is made for it.)
    let history: ProvenanceMap | undefined;
    if (cur !== undefined) forEachPointer(cur, p, takeStack, prov, (history = new Map()));
    else if (prov.has(p)) takeStack(p, prov, (history = new Map()));
    setOwnKey(dst, k, v);
    forEachPointer(v, p, putStack, prov, { srcProv, history });
  }
}

/**
 * A copy of a values map to merge into: its keys set one by one (a `__proto__` key defined: an own key, as in the map it
 * copies). Not a spread: a spread's copy has a hidden class outside V8's transition tree, so each key a merge then
 * added made a hidden class (and descriptors) of its own for that one object: 0.5 MB of a whole check's releases.
 */
function copyOfMap(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(o)) setOwnKey(out, k, o[k]);
  return out;
}

/** `dst[k]` (the map `cur`) as a map this merge may change: itself when `owned` holds it, else a copy put in its place. */
function ownedChild(dst: JsonObject, k: string, cur: JsonObject, owned: Set<JsonObject>): JsonObject {
  if (owned.has(cur)) return cur;
  const copy = copyOfMap(cur);
  setOwnKey(dst, k, copy);
  owned.add(copy);
  return copy;
}

/**
 * The same values text is read by the same HelmRelease in every context that deploys it (60 clusters): parsed once
 * while the file it sits in is unchanged. Results are shared, so callers never mutate them (mergeValues copies).
 */
/** A values text read: its value with provenance, and where a limit cut it (a collection nested too deep, read as
 *  null: yamlParse.ts), in its file — the layer reports them (`limit-exceeded`), never a silent drop. */
export interface ParsedValues {
  value: Json;
  prov: ProvenanceMap;
  limits: Span[];
}

/** Parses a YAML string that sits in a file (a block scalar, or a whole values file) with spans in that file. */
export function parseWithSpans(fleet: Fleet, text: string, from: Provenance | undefined, readFile: (p: string) => string | undefined, layer: Layer, secret: boolean): ParsedValues {
  const fileText = from?.file ? readFile(from.file) : undefined;
  // A whole file's text: the fleet's one parse of it (else a block scalar's, or a substituted text, parsed here).
  const parse = (t: string): ParsedText => (from?.file && t === fileText ? fleet.parse(from.file, t) : parseText(t));
  // Secrets are not kept (their decoded text would stay in memory); one entry per place, compared by text.
  if (secret) return parseValuesText(fleet, parse, text, from, fileText, layer, secret);
  const key = `${layerLabel(layer)}\0${from?.file}\0${from?.span?.start}:${from?.span?.end}`;
  const parsedValues = fleet.db.table<string, { text: string; fileText: string | undefined; parsed: ParsedValues }>('valuesFile');
  const hit = parsedValues.get(key);
  if (hit && hit.text === text && hit.fileText === fileText) return hit.parsed;
  const parsed = parseValuesText(fleet, parse, text, from, fileText, layer, secret);
  parsedValues.set(key, { text, fileText, parsed });
  return parsed;
}

/** Where a values text hit a limit, as issues of its layer (`where`: the layer's provenance). */
export function limitIssues(parsed: ParsedValues, where: Provenance): ValuesIssue[] {
  return parsed.limits.map((span) => ({ code: 'limit-exceeded' as const, message: `limit exceeded: values nested deeper than ${MAX_YAML_DEPTH} levels are read as null (${layerLabel(where.layer)})`, at: { ...where, span } }));
}

/** Values are read like Helm reads them: a repeated key is the last one (the shared parse's duplicate-key errors are
 *  not read; documents are read whatever their errors, as before). */
function parseValuesText(fleet: Fleet, parse: (text: string) => ParsedText, text: string, from: Provenance | undefined, fileText: string | undefined, layer: Layer, secret: boolean): ParsedValues {
  const prov = new CompactProvenance();
  const base = { file: from?.file ?? '', layer };
  const limited = (doc: Document.Parsed | undefined) => (doc?.errors ?? []).filter(isLimitError).map((e) => ({ start: e.pos[0], end: e.pos[1] }));
  if (secret) {
    // Secret values are never shown or located: one masked write for the whole document.
    const parsed = parse(text);
    const doc = parsed.docs[0];
    const value = (doc && !parsed.anchorError(0) ? (doc.toJS() ?? {}) : {}) as Json;
    recordAll(value, '', prov, { ...base, span: from?.span, secret: true });
    for (const stack of prov.values()) for (const w of stack) w.value = MASK;
    return { value, prov: prov.trimmed(), limits: limited(doc).length && from?.span ? [from.span] : [] };
  }
  // Spans come from the text as written (before substitution changed it): parse that with spans, then give each
  // leaf of the effective text the span of the same pointer.
  const original = fileText === undefined ? undefined : originalText(fleet, parse(fileText), from?.span, parse, base);
  const spanByPointer = original?.spans;
  // Helm reads values with go-yaml too: aliases and merge keys resolved (a document it cannot read counts as empty).
  const { value, doc } = documentData(parse(text), prov, base, (pointer) => spanByPointer?.get(pointer) ?? from?.span);
  // Where the limit cut the text: in the file when the text is the one written there, else the whole block.
  const limits = limited(doc).map((s) => (original && original.text === text ? original.map(s) : from?.span)).filter((s): s is Span => s !== undefined);
  return { value, prov: prov.trimmed(), limits };
}

/** A values text as written in its file (the file's whole text, or a block scalar at `span`): its text, its spans'
 *  mapping into the file, and the span in the file of each pointer. */
interface OriginalText {
  text: string;
  map: (s: Span) => Span;
  spans: ReadonlyMap<string, Span | undefined>;
}

/** The values text written in a file (`fileParse`: the fleet's parse of it) at `span` (else the whole file, which a
 *  generator took), read once per parse of the file and place: every context reading a copy of it substituted its own
 *  way maps spans through the same one (spans do not depend on the layer). */
function originalText(fleet: Fleet, fileParse: ParsedText, span: Span | undefined, parse: (text: string) => ParsedText, base: { file: string; layer: Layer }): OriginalText | undefined {
  const byPlace = fleet.db.weak<ParsedText, Map<string, OriginalText | null>>('valuesOriginals').getOrMake(fileParse, () => new Map());
  const place = span ? String(span.start) : 'file';
  const known = byPlace.get(place);
  if (known !== undefined) return known ?? undefined;
  let found: { text: string; map: (s: Span) => Span } | undefined;
  if (span) {
    const node = findScalar(fileParse.text, span.start, fileParse);
    if (node) found = { text: String(node.value), map: scalarSpanMapper(fileParse.text, node) };
  } else found = { text: fileParse.text, map: (s) => s };
  let out: OriginalText | undefined;
  if (found) {
    const oprov: ProvenanceMap = new Map();
    documentData(span ? parse(found.text) : fileParse, oprov, base);
    const spans = new Map<string, Span | undefined>();
    for (const [k, stack] of oprov) spans.set(k, stack[0]?.span && found.map(stack[0].span));
    out = { text: found.text, map: found.map, spans }; // (not `{ ...found, spans }`: see copyOwnKeys)
  }
  byPlace.set(place, out ?? null);
  return out;
}

/**
 * The first document's data, each leaf's write recorded in `prov` as nodeToJson records it ({} with none when there is
 * no document or an alias it cannot resolve), with the span `spanOf` gives its pointer when given. A parse kept flat
 * (a substituted values text parsed here, a values file the index read) is read from its flat form, without making
 * its trees (load.ts loadFlat: the same data and writes), and its writes are made with their final span.
 */
function documentData(parsed: ParsedText, prov: ProvenanceMap, base: { file: string; layer: Layer }, spanOf?: (pointer: string) => Span | undefined): { value: Json; doc: Document.Parsed | undefined } {
  const flat = parsed.flatDocs()?.[0];
  if (flat && flatRootKind(flat) === 'map') {
    const read = readFlatJson(flat, (pointer, value, start, end) => prov.set(pointer, [{ file: base.file, layer: base.layer, span: spanOf ? spanOf(pointer) : start < 0 ? undefined : { start, end }, value }]));
    if (read) return { value: read.value as Json, doc: undefined };
    prov.clear(); // a node that needs its tree: read from the tree
  }
  const doc = parsed.docs[0];
  const root = doc && !parsed.anchorError(0) ? (doc.contents as Node | null) : null;
  if (!root) return { value: {}, doc };
  if (!spanOf) return { value: nodeToJson(root, '', prov, base), doc };
  const local: ProvenanceMap = new Map();
  const value = nodeToJson(root, '', local, base);
  for (const [k, stack] of local) prov.set(internPointer(k), stack.map((e) => ({ ...e, span: spanOf(k) })));
  return { value, doc };
}

function recordAll(value: Json, pointer: string, prov: ProvenanceMap, p: Provenance): void {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) recordAll(v, `${pointer}/${escapeSegment(k)}`, prov, p);
    return;
  }
  prov.set(internPointer(pointer), [provenanceWrite(p, value)]);
}

/** Sets `dotted` in `values`, copying the maps on the way that `owned` does not hold (mergeValues: they may be shared). */
function setPath(values: JsonObject, dotted: string, value: Json, owned: Set<JsonObject>): string {
  const parts = dotted.split('.');
  let cur = values;
  let pointer = '';
  parts.forEach((part, i) => {
    pointer += `/${escapeSegment(part)}`;
    if (i === parts.length - 1) setOwnKey(cur, part, value);
    else {
      const next = Object.hasOwn(cur, part) ? obj(cur[part]) : undefined;
      if (next) cur = ownedChild(cur, part, next, owned);
      else {
        const made: JsonObject = {};
        setOwnKey(cur, part, made);
        cur = made;
        owned.add(made);
      }
    }
  });
  return pointer;
}

/**
 * By built resource. A reused build keeps its resources (and the ConfigMaps they read), so after an edit the values
 * still hold unless the chart's values.yaml (read from its source folder, outside the build) reads differently.
 */

interface ChartDefaults {
  file: string;
  text: string;
  /** The file is over the size limit: not read (its size). */
  tooLarge?: number;
}

/** The chart's values.yaml, when the chart is a folder of a locally mapped Git/Bucket source. */
function chartDefaults(fleet: Fleet, hr: Resource): ChartDefaults | undefined {
  const spec = obj(hr.obj.spec) ?? {};
  const chartSpec = obj(obj(spec.chart)?.spec);
  const sourceRef = obj(chartSpec?.sourceRef);
  if (!chartSpec || !sourceRef || sourceRef.kind === 'HelmRepository' || typeof chartSpec.chart !== 'string' || typeof sourceRef.name !== 'string') return undefined;
  const { root } = fleet.links.rootOf(String(sourceRef.kind), sourceRef.name, typeof sourceRef.namespace === 'string' ? sourceRef.namespace : resIdOf(hr.obj).namespace, hr.origin.file);
  if (!root) return undefined;
  const file = join(resolvePath(root.folder, chartSpec.chart.replace(/^\.?\/+/, '') || '.'), 'values.yaml');
  const text = fleetReader(fleet)(file);
  if (text !== undefined) return { file, text };
  const size = fleet.tooLarge(file);
  return size === undefined ? undefined : { file, text: '', tooLarge: size };
}

/** Effective values of a HelmRelease within one build (its ConfigMaps and Secrets come from the same build). Cached
 *  per built resource, so hovers, value findings and locks compute them once. */
export function helmReleaseValues(fleet: Fleet, hr: Resource, build: Resource[]): EffectiveValues {
  const valuesCache = fleet.db.weak<Resource, { version: number; chart: ChartDefaults | undefined; values: EffectiveValues }>('helmValues');
  const hit = valuesCache.get(hr);
  if (hit?.version === fleet.version) return hit.values;
  const chart = chartDefaults(fleet, hr);
  if (hit && hit.chart?.file === chart?.file && hit.chart?.text === chart?.text && hit.chart?.tooLarge === chart?.tooLarge) {
    hit.version = fleet.version;
    return hit.values;
  }
  // The contexts of one folder share the objects substitution did not change (fluxBuild.ts): the same HelmRelease
  // object and provenance, reading the same valuesFrom objects, has the same values in each.
  const namespace = resIdOf(hr.obj).namespace;
  const sources = valuesFromEntries(hr).map((e) => e && valuesSource(fleet, build, e.kind, e.name, namespace));
  // (One entry kept as it is, a list only for an object computed apart more than once: every release object of a
  // whole check of the synthetic fleet had one, and a list of one was 56 bytes more per release kept to the end.)
  const sharedValues = fleet.db.weak<JsonObject, SharedValues | readonly SharedValues[]>('helmValuesShared');
  const known = sharedValues.get(hr.obj);
  const shared: readonly SharedValues[] = known === undefined ? NO_SHARED_VALUES : Array.isArray(known) ? known : [known as SharedValues];
  const same = shared.find(
    (x) =>
      x.version === fleet.version &&
      x.prov === hr.prov &&
      x.origin === hr.origin &&
      sameChart(x.chart, chart) &&
      x.sources.length === sources.length &&
      x.sources.every((s, i) => s === sources[i] || (!!s && !!sources[i] && s.obj === sources[i]!.obj && s.prov === sources[i]!.prov && s.origin === sources[i]!.origin)),
  );
  const values = same ? same.values : computeHelmReleaseValues(fleet, hr, chart, sources);
  // (a new list exactly as long, kept for the object: a list grown by push had room for sixteen, one per release)
  if (!same) {
    const entry: SharedValues = { version: fleet.version, prov: hr.prov, origin: hr.origin, chart, sources, values };
    const current = shared.filter((x) => x.version === fleet.version);
    sharedValues.set(hr.obj, current.length ? current.concat([entry]) : entry);
  }
  valuesCache.set(hr, { version: fleet.version, chart, values });
  return values;
}

const NO_SHARED_VALUES: readonly SharedValues[] = EMPTY_LIST;

interface SharedValues {
  version: number;
  prov: ProvenanceMap;
  origin: Resource['origin'];
  chart: ChartDefaults | undefined;
  sources: Array<Resource | undefined>;
  values: EffectiveValues;
}

function sameChart(a: ChartDefaults | undefined, b: ChartDefaults | undefined): boolean {
  return a?.file === b?.file && a?.text === b?.text && a?.tooLarge === b?.tooLarge;
}

/** Each valuesFrom entry's kind and name (undefined for an entry without a name), as computeHelmReleaseValues reads them. */
function valuesFromEntries(hr: Resource): Array<{ kind: string; name: string } | undefined> {
  const spec = obj(hr.obj.spec) ?? {};
  const valuesFrom = Array.isArray(spec.valuesFrom) ? spec.valuesFrom : [];
  return valuesFrom.map((entry) => {
    const e = obj(entry);
    return e && typeof e.name === 'string' ? { kind: String(e.kind ?? 'ConfigMap'), name: e.name } : undefined;
  });
}

/** The object of the build a valuesFrom entry reads: the first of that kind and name in the release's namespace. */
function valuesSource(fleet: Fleet, build: Resource[], kind: string, name: string, namespace: string | undefined): Resource | undefined {
  return objectNamed(fleet, build, kind, name, (r) => (resIdOf(r.obj).namespace ?? namespace) === namespace);
}

/** One layer below the inline values: a values text merged (its parse, shared while the text is the same), or a
 *  valuesFrom targetPath set to a string. */
type BaseOp = { parsed: ParsedValues } | { targetPath: string; value: Json; write: Provenance & { value: Json } };

/** The chart defaults and valuesFrom layers merged: the same in every context whose layers are the same parses and
 *  targetPath writes (each context's HelmRelease is its own substituted copy, so the release object cannot tell). */
interface BaseValues {
  ops: BaseOp[];
  values: JsonObject;
  prov: ProvenanceMap;
}

const MAX_BASES_PER_PARSE = 16;
const NO_BASES: readonly BaseValues[] = EMPTY_LIST;

function sameOp(a: BaseOp, b: BaseOp): boolean {
  if ('parsed' in a || 'parsed' in b) return 'parsed' in a && 'parsed' in b && a.parsed === b.parsed;
  return a.targetPath === b.targetPath && a.value === b.value && JSON.stringify(a.write) === JSON.stringify(b.write);
}

function mergeBase(ops: BaseOp[]): { values: JsonObject; prov: ProvenanceMap } {
  const values: JsonObject = {};
  const prov = new CompactProvenance();
  const owned = new Set([values]);
  for (const op of ops) {
    if ('parsed' in op) {
      if (obj(op.parsed.value)) mergeValues(values, op.parsed.value as JsonObject, op.parsed.prov, prov, '', owned);
      continue;
    }
    const target = setPath(values, op.targetPath, op.value, owned);
    dropUnder(prov, target);
    prov.set(internPointer(target), [op.write]);
  }
  return { values, prov: prov.trimmed() };
}

/** The merged layers of `ops`, made once per distinct list (keyed by its first parse) and copied for each caller: the
 *  inline values are merged into the copy. */
function baseValues(fleet: Fleet, ops: BaseOp[]): { values: JsonObject; prov: ProvenanceMap } {
  const first = ops.find((op): op is { parsed: ParsedValues } => 'parsed' in op);
  let made: { values: JsonObject; prov: ProvenanceMap };
  if (first) {
    const basesTable = fleet.db.weak<ParsedValues, readonly BaseValues[]>('helmValuesBase');
    const bases = basesTable.get(first.parsed) ?? NO_BASES;
    const hit = bases.find((b) => b.ops.length === ops.length && b.ops.every((op, i) => sameOp(op, ops[i])));
    if (hit) made = hit;
    else {
      // (the lists exactly as long: grown by push, each had room for sixteen, kept per values text)
      const base: BaseValues = { ops: ops.slice(), ...mergeBase(ops) };
      // A few variants per parse (the other layers edited since): the oldest go.
      basesTable.set(first.parsed, (bases.length >= MAX_BASES_PER_PARSE ? bases.slice(1) : bases).concat([base]));
      made = base;
    }
  } else made = mergeBase(ops);
  // Stacks are shared (never mutated: writers replace them), and so are the containers: the caller merges into them
  // with mergeValues, which copies the ones it changes. Values are read-only for everyone after that.
  return { values: copyOfMap(made.values), prov: copyProvenance(made.prov) };
}

/** A write of the release's build as the inline values layer's (kept with the effective values): a copy with its
 *  layer replaced, made by Object.assign (a spread's copy has a hidden class of its own and its properties out of the
 *  object: about 170 bytes more per inline leaf of every release computed). */
function inlineWrite(w: ProvenanceWrite): ProvenanceWrite {
  return Object.assign({}, w, { layer: inlineValuesLayer(w.layer) });
}

/** `sources`: the object each valuesFrom entry reads (valuesFromEntries, valuesSource), found once by the caller. */
function computeHelmReleaseValues(fleet: Fleet, hr: Resource, chart: ChartDefaults | undefined, sources: Array<Resource | undefined>): EffectiveValues {
  const read = fleetReader(fleet);
  const ops: BaseOp[] = [];
  const issues: ValuesIssue[] = [];
  const spec = obj(hr.obj.spec) ?? {};
  const namespace = resIdOf(hr.obj).namespace;
  const at = (pointer: string, layer: Layer): Provenance => {
    const e = hr.prov.get(pointer)?.at(-1);
    return { file: e?.file ?? hr.origin.file, span: e?.span, layer };
  };

  // 1. Chart defaults.
  if (chart?.tooLarge !== undefined) {
    const where = at('/spec/chart/spec/chart', stepLayer('chart-defaults'));
    issues.push({ code: 'limit-exceeded', message: `limit exceeded: the chart's values.yaml (${chart.file}) is ${chart.tooLarge} bytes, more than the ${MAX_YAML_BYTES} bytes read of a file; its defaults are not read`, at: where });
  } else if (chart) {
    const parsed = parseWithSpans(fleet, chart.text, { file: chart.file, layer: stepLayer('chart-defaults') }, read, stepLayer('chart-defaults'), false);
    issues.push(...limitIssues(parsed, { file: chart.file, layer: stepLayer('chart-defaults') }));
    ops.push({ parsed });
  }

  // 2. valuesFrom, in order.
  const valuesFrom = Array.isArray(spec.valuesFrom) ? spec.valuesFrom : [];
  valuesFrom.forEach((entry, i) => {
    const e = obj(entry);
    if (!e || typeof e.name !== 'string') return;
    const kind = String(e.kind ?? 'ConfigMap');
    const key = typeof e.valuesKey === 'string' ? e.valuesKey : 'values.yaml';
    const optional = e.optional === true;
    const layer = valuesFromLayer(i, kind, e.name, e.valuesKey ? key : undefined);
    const source = sources[i];
    if (!source) {
      // Made in the cluster (an ExternalSecret's Secret, a Kyverno copy): there, with content unknown here.
      const made = fleet.links.provided.find(kind, e.name, namespace, fleet.links.objects);
      if (!optional && !made) issues.push({ code: 'object-not-found', message: `valuesFrom: ${kind} ${e.name} is not in this build`, at: at(`/spec/valuesFrom/${i}/name`, layer) });
      return;
    }
    const data = obj(source.obj.data) ?? {};
    const stringData = obj(source.obj.stringData) ?? {};
    let raw: string | undefined;
    let from: Provenance | undefined;
    let pointer = '';
    if (key in stringData) {
      raw = String(stringData[key] ?? '');
      from = source.prov.get((pointer = `/stringData/${escapeSegment(key)}`))?.at(-1);
    } else if (key in data) {
      raw = kind === 'Secret' ? Buffer.from(String(data[key] ?? ''), 'base64').toString('utf8') : String(data[key] ?? '');
      from = source.prov.get((pointer = `/data/${escapeSegment(key)}`))?.at(-1);
    }
    // A Secret, anything kept SOPS-encrypted in Git, or a key a secret was substituted into is never shown.
    const secret = raw !== undefined && (isSecretSource(source.obj) || isSecretLeaf(source, pointer) || isSopsText(raw));
    if (raw === undefined) {
      if (!optional) issues.push({ code: 'values-key-not-found', message: `valuesFrom: ${kind} ${e.name} has no key '${key}'`, at: at(`/spec/valuesFrom/${i}/valuesKey`, layer) });
      return;
    }
    const where: Provenance = { file: from?.file ?? source.origin.file, span: from?.span, layer };
    if (typeof e.targetPath === 'string') {
      const v: Json = raw;
      ops.push({ targetPath: e.targetPath, value: v, write: secret ? { ...where, value: MASK, secret } : { ...where, value: v } });
      return;
    }
    // Masked (a Secret) and labelled with this layer by parseWithSpans itself.
    const parsed = parseWithSpans(fleet, raw, where, read, layer, secret);
    issues.push(...limitIssues(parsed, where));
    ops.push({ parsed });
  });
  const { values, prov } = baseValues(fleet, ops);

  // 3. Inline values win.
  const inline = obj(spec.values);
  if (inline) {
    const inlineProv: ProvenanceMap = new Map();
    hr.prov.forEach((stack, k) => {
      if (k.startsWith('/spec/values/')) inlineProv.set(k.slice('/spec/values'.length), stack.map(inlineWrite));
    });
    mergeValues(values, inline, inlineProv, prov, '');
  }
  // (no issues: one shared empty list, not one per release kept with its values)
  return { values, prov, issues: issues.length ? issues : NO_ISSUES };
}

const NO_ISSUES: ValuesIssue[] = EMPTY_LIST as never[];
