// `schema` diagnostics: every Flux, Giant Swarm App/Catalog and kustomization document validated against the
// generated schemas (schemas/index.json), each problem on the offending key or value. A string holding `${…}` is
// never reported for its type or pattern: Flux substitutes it first. Where the contexts that deploy the file know
// the variables (evaluate: true), the substituted value is checked instead.
import { parseAllDocuments, isMap, isSeq, isScalar, isPair, type Document, type Node, type Pair, type Scalar } from 'yaml';
import type { Fleet } from '../core/model';
import type { FileFacts } from '../core/facts';
import type { Span } from '../core/text';
import { catalogEntries, entryForDocument } from '../core/schemas/catalog';
import { displayPointer, validateLeaf, validateValue, type PlaceholderSite } from '../core/schemas/validate';
import type { SchemaFinding } from '../core/schemas/findings';
import { mapGet, scalarText, spanOf } from '../core/yamlAccess';
import { basename, isKustomizationFileName } from '../core/paths';
import { substitute } from '../core/kustomize/substitute';
import { contextLabels, evaluatorOf } from '../core/evaluate/contexts';
import { deployChains } from './deployChains';
import type { Links } from '../core/link/linker';

export interface SchemaDiagnosticsOptions {
  /** Check `${…}` values substituted in every context that deploys the file (slower: evaluates builds). */
  evaluate?: boolean;
}

interface FileResult {
  /** `required`: a missing field, which patches (partial documents) may omit. */
  findings: Array<SchemaFinding & { required?: boolean }>;
  placeholders: Array<PlaceholderSite & { span: Span; quoted: boolean; doc: number }>;
}

const cache = new WeakMap<FileFacts, FileResult>();

/**
 * Required fields a platform's mutating admission fills in before schema validation runs, so manifests in Git
 * leave them out: Giant Swarm's app-admission-controller defaults an App's `spec.kubeConfig`.
 */
const PLATFORM_DEFAULTS: Record<string, string> = {
  'App/spec/kubeConfig': 'defaulted by app-admission-controller',
};
const KINDS = new Set(catalogEntries().map((e) => e.kind));
const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z]+)/gm;

/** Cheap test on the text: does any document name a kind the catalogue has (or is this a kustomization file)? */
function mayHaveSchema(facts: FileFacts): boolean {
  if (isKustomizationFileName(basename(facts.file))) return true;
  KIND_LINE.lastIndex = 0;
  for (let m = KIND_LINE.exec(facts.text); m; m = KIND_LINE.exec(facts.text)) if (KINDS.has(m[1])) return true;
  return false;
}

/** The node a JSON pointer leads to, with the pair whose value it is (for key spans). */
function locate(doc: Document, pointer: string): { node?: Node; pair?: Pair; parentPair?: Pair } {
  let node = doc.contents as Node | null | undefined;
  let pair: Pair | undefined;
  let parentPair: Pair | undefined;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isMap(node)) {
      const p = node.items.find((it) => isPair(it) && (isScalar(it.key) ? String((it.key as Scalar).value) : it.key) === seg) as Pair | undefined;
      if (!p) break;
      parentPair = pair;
      pair = p;
      node = p.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (!item) break;
      node = item;
    } else break;
  }
  return { node: node ?? undefined, pair, parentPair };
}

function keySpan(pair: Pair | undefined): Span | undefined {
  return pair ? spanOf(pair.key as Node) : undefined;
}

function validateFile(facts: FileFacts): FileResult {
  const out: FileResult = { findings: [], placeholders: [] };
  if (facts.skipped || !mayHaveSchema(facts)) return out;
  let docs: Document[];
  try {
    docs = parseAllDocuments(facts.text, { uniqueKeys: false, strict: false, logLevel: 'error' }) as Document[];
  } catch {
    return out;
  }
  if (!Array.isArray(docs)) return out;
  docs.forEach((doc, i) => {
    if (doc.errors.length) return; // yaml-syntax says it already
    const root = doc.contents as Node | null;
    if (!isMap(root)) return;
    const apiVersion = scalarText(mapGet(root, 'apiVersion'));
    const kind = scalarText(mapGet(root, 'kind'));
    const entry = entryForDocument(facts.file, apiVersion, kind);
    if (!entry) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch {
      return;
    }
    const result = validateValue(entry, value);
    const docSpan = spanOf(root) ?? { start: 0, end: 0 };
    const what = `${kind ?? 'Kustomization'} ${apiVersion ?? ''}`.trim();
    for (const issue of result.issues) {
      if (issue.keyword === 'required' && PLATFORM_DEFAULTS[`${kind}${issue.pointer}/${issue.property}`]) continue;
      const at = locate(doc, issue.pointer);
      let span: Span | undefined;
      let where = displayPointer(issue.pointer);
      if (issue.keyword === 'additionalProperties' && issue.property !== undefined && isMap(at.node)) {
        const p = at.node.items.find((it) => isPair(it) && scalarText(it.key) === issue.property) as Pair | undefined;
        span = keySpan(p);
      } else if (issue.keyword === 'required') {
        // On the key of the object missing the field (or the kind, for a top-level field).
        span = keySpan(at.pair) ?? spanOf(mapGet(root, 'kind')) ?? spanOf(mapGet(root, 'apiVersion'));
      } else {
        span = spanOf(at.node) ?? keySpan(at.pair);
      }
      span ??= docSpan;
      if (issue.keyword === 'additionalProperties' && where === '') where = '';
      out.findings.push({
        file: facts.file,
        span,
        severity: issue.severity,
        code: 'schema',
        message: `${where ? where + ': ' : ''}${issue.message} (${what} schema)`,
        ...(issue.keyword === 'required' ? { required: true } : {}),
      });
    }
    for (const site of result.placeholders) {
      const at = locate(doc, site.pointer);
      const span = spanOf(at.node);
      if (!span || !isScalar(at.node)) continue;
      const quoted = (at.node as Scalar).type === 'QUOTE_DOUBLE' || (at.node as Scalar).type === 'QUOTE_SINGLE';
      out.placeholders.push({ ...site, span, quoted, doc: i });
    }
  });
  return out;
}

/** YAML 1.2 core-schema reading of a plain scalar (what the API server gets after Flux substituted the text). */
function plainScalar(text: string): unknown {
  const t = text.trim();
  if (t === '' || t === '~' || t === 'null' || t === 'Null' || t === 'NULL') return null;
  if (/^(true|True|TRUE)$/.test(t)) return true;
  if (/^(false|False|FALSE)$/.test(t)) return false;
  if (/^[-+]?[0-9]+$/.test(t)) return Number(t);
  if (/^0x[0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(t)) return Number(t);
  return t;
}

function substitutedFindings(fleet: Fleet, file: string, sites: FileResult['placeholders']): SchemaFinding[] {
  if (!sites.length) return [];
  const chains = deployChains(fleet, file);
  if (!chains.length) return [];
  const contexts = evaluatorOf(fleet).contextsFor(file, chains, 60).filter((c) => c.build.substitutes);
  const labels = contextLabels(contexts.map((c) => c.id));
  const out: SchemaFinding[] = [];
  for (const site of sites) {
    const bad = new Map<string, { value: string; message: string; contexts: string[] }>();
    for (const c of contexts) {
      const s = substitute(site.raw, (n) => c.build.variables.get(n)?.value);
      if (s.errors.length || s.uses.some((u) => u.value === undefined)) continue; // undefined-variable reports these
      if (s.uses.some((u) => c.build.variables.get(u.name)?.secret)) continue; // never show a secret's value
      const value = site.quoted ? s.text : plainScalar(s.text);
      const message = validateLeaf(site.schema, value);
      if (!message) continue;
      const key = `${s.text}\u0000${message}`;
      const b = bad.get(key) ?? { value: s.text, message, contexts: [] };
      b.contexts.push(labels.get(c.id) ?? c.id);
      bad.set(key, b);
    }
    for (const b of bad.values()) {
      const list = b.contexts.slice(0, 3).join(', ') + (b.contexts.length > 3 ? `, … (${b.contexts.length} contexts)` : '');
      out.push({
        file,
        span: site.span,
        severity: 'error',
        code: 'schema',
        message: `${displayPointer(site.pointer)}: ${JSON.stringify(site.raw)} becomes ${JSON.stringify(b.value)} after substitution in ${list}: ${b.message}`,
      });
    }
  }
  return out;
}

/**
 * What a file is to the builds: only a patch (a partial document, where a missing required field is expected),
 * part of some build, or in none (a draft, a test assertion: a missing field matters only once it is deployed, so
 * it is a warning there). From the links when they are up to date, else from the last links seen: the hot path
 * after a keystroke never re-links.
 */
const lastLinks = new WeakMap<Fleet, Links>();
function buildRole(fleet: Fleet, file: string): 'patch' | 'included' | 'standalone' {
  if (fleet.isLinked || !lastLinks.has(fleet)) lastLinks.set(fleet, fleet.links);
  const links = lastLinks.get(fleet)!;
  if (links.nonResourceFiles.has(file)) return 'patch';
  return links.includers.has(file) ? 'included' : 'standalone';
}

function strip(f: SchemaFinding & { required?: boolean }): SchemaFinding {
  if (!('required' in f)) return f;
  const { required: _, ...rest } = f;
  return rest;
}

/** Schema findings of one file (cached per indexed text; `evaluate` adds the substituted-value checks). */
export function schemaDiagnostics(fleet: Fleet, file: string, options: SchemaDiagnosticsOptions = {}): SchemaFinding[] {
  const facts = fleet.facts.get(file);
  if (!facts) return [];
  let r = cache.get(facts);
  if (!r) cache.set(facts, (r = validateFile(facts)));
  if (!r.findings.length && !r.placeholders.length) return [];
  const role = r.findings.some((f) => f.required) ? buildRole(fleet, file) : 'included';
  const findings = r.findings
    .filter((f) => !(role === 'patch' && f.required))
    .map((f) => (role === 'standalone' && f.required ? { ...strip(f), severity: 'warning' as const, message: `${f.message}; the file is in no build yet` } : strip(f)));
  if (!options.evaluate || !r.placeholders.length) return findings;
  return [...findings, ...substitutedFindings(fleet, file, r.placeholders)];
}

/**
 * Only the findings on substituted `${…}` values (what `evaluate: true` adds), for every file: for a server that
 * publishes the plain findings at once and these with the other evaluated-build findings when typing pauses.
 */
export function fleetSubstitutedSchemaDiagnostics(fleet: Fleet): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  for (const file of fleet.facts.keys()) out.push(...substitutedSchemaDiagnostics(fleet, file));
  return out;
}

/** The same for one file (a server that evaluates only the open files' contexts on a very large fleet). */
export function substitutedSchemaDiagnostics(fleet: Fleet, file: string): SchemaFinding[] {
  const facts = fleet.facts.get(file);
  if (!facts) return [];
  let r = cache.get(facts);
  if (!r) cache.set(facts, (r = validateFile(facts)));
  return r.placeholders.length ? substitutedFindings(fleet, file, r.placeholders) : [];
}

/** Schema findings of every file of the fleet (files unchanged since the last call cost a map lookup). */
export function fleetSchemaDiagnostics(fleet: Fleet, options: SchemaDiagnosticsOptions = {}): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  for (const file of fleet.facts.keys()) out.push(...schemaDiagnostics(fleet, file, options));
  return out;
}
