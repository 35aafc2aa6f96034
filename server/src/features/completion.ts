// Completion: keys and enum values from the schemas at the cursor's YAML path (required keys first), and what only
// the fleet knows (completionFleet.ts): objects a reference can name, folders of the referenced source, files next
// to a kustomization, variables in scope, Helm values. Plain data out; server.ts turns it into LSP items.
import { lockKeyAdvice, valuesFileKeyAdvice, type KeyAdvice } from './locks';
import type { Fleet } from '../core/model';
import type { Span } from '../core/text';
import { apiVersionsOf, catalogEntries, entryForDocument, groupOf, loadSchema, type CatalogEntry, type JsonSchema } from '../core/schemas/catalog';
import { defaultOf, descriptionOf, enumValues, propertiesOf, schemasAt, typesOf, type PathSegment, type PropertyInfo } from '../core/schemas/navigate';
import { cursorContext, dataAt, str, type CursorContext } from './completionContext';
import { fleetCompletions, releaseValueSources, valuesFeeds, valuesFileKeys, variableCompletions } from './completionFleet';
import { snippetCompletions } from './completionSnippets';
import { FLEET_CONFIG_SCHEMA } from '../core/schemas/fleetConfigSchema';
import { CONFIG_FILE_NAME } from '../core/fleetConfig';
import { basename } from '../core/paths';
import { inputCompletion } from './resourceSetInputs';

export type CompletionKind = 'property' | 'value' | 'enum' | 'reference' | 'folder' | 'file' | 'variable' | 'snippet';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text that replaces `span` (default: the label). */
  insertText?: string;
  /** `insertText` is a snippet (`$1`, `${1|a,b|}`, `$0`), indented as written (absolute columns). */
  snippet?: boolean;
  span: Span;
  sortText: string;
  filterText?: string;
  /** Other edits in the same file (e.g. a `namespace:` line for a source in another namespace). */
  additionalEdits?: Array<{ span: Span; newText: string }>;
  /** Ask for completions again once inserted (a folder: its entries next). */
  retrigger?: boolean;
}

/** Everything the completion providers need about the cursor and its document. */
export interface CompletionRequest {
  fleet: Fleet;
  file: string;
  ctx: CursorContext;
  apiVersion?: string;
  kind?: string;
  /** The schema of the document (for a deprecated apiVersion: its current version's). */
  entry?: CatalogEntry;
  schema?: JsonSchema;
}

const MAX_ITEMS = 500;

/** `trigger`: the character the client asked on; `.` asks only for a ResourceSet's input keys (`inputs.`). */
export function completion(fleet: Fleet, file: string, offset: number, trigger?: string): CompletionItem[] {
  const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text;
  if (text === undefined) return [];
  const inputs = inputCompletion(fleet, file, text, offset);
  if (inputs) return inputs;
  if (trigger === '.') return [];
  const ctx = cursorContext(text, offset);
  if (!ctx) return [];
  const root = ctx.value && typeof ctx.value === 'object' ? (ctx.value as Record<string, unknown>) : {};
  const apiVersion = str(root.apiVersion);
  const kind = str(root.kind);
  const fleetConfig = isFleetConfigFile(file);
  const entry = fleetConfig ? undefined : schemaEntry(file, apiVersion, kind);
  const req: CompletionRequest = { fleet, file, ctx, apiVersion, kind, entry, schema: fleetConfig ? FLEET_CONFIG_SCHEMA : entry && loadSchema(entry.file) };
  if (ctx.variable) return variableCompletions(req).slice(0, MAX_ITEMS);

  // A sequence item is a map (its first key is being written) or a scalar: the schema says which.
  if (ctx.inSequenceItem && req.schema) {
    const types = typesOf(schemasAt(req.schema, ctx.path));
    if (types.has('object') && !types.has('string')) ctx.mode = 'key';
  }
  // A values file (no kind) that HelmReleases consume: their values keys, with the platform's advice on them.
  const feeds = !kind && ctx.mode === 'key' ? valuesFeeds(fleet, file) : [];
  if (feeds.length) return dedupe(withLockAdvice(valuesFileKeys(req, feeds), valuesFileKeyAdvice(fleet, file, feeds, ctx.path), req));
  const out: CompletionItem[] = [];
  out.push(...fleetCompletions(req));
  if (ctx.mode === 'key') out.push(...keyCompletions(req));
  else out.push(...valueCompletions(req, out));
  if (ctx.mode === 'key' && ctx.path.length === 0 && !fleetConfig) out.push(...snippetCompletions(req));
  const advised = ctx.mode === 'key' ? withLockAdvice(out, documentAdvice(req, root), req) : out;
  return dedupe(advised);
}

function dedupe(items: CompletionItem[]): CompletionItem[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.kind + i.label) ? false : (seen.add(i.kind + i.label), true))).slice(0, MAX_ITEMS);
}

/**
 * The platform's advice on the keys below the cursor of a manifest or patch. In a HelmRelease's inline values, the
 * marks of the files without a kind below them (the chart's values.yaml) count too, as they do in a values file.
 */
function documentAdvice(req: CompletionRequest, root: Record<string, unknown>): KeyAdvice {
  const meta = root.metadata && typeof root.metadata === 'object' ? (root.metadata as Record<string, unknown>) : {};
  const inValues = req.kind === 'HelmRelease' && req.ctx.path[0] === 'spec' && req.ctx.path[1] === 'values';
  return lockKeyAdvice(req.fleet, req.file, { kind: req.kind, name: str(meta.name), namespace: str(meta.namespace) }, req.ctx.path, inValues ? releaseValueSources(req) : []);
}

/**
 * The platform's locks shape the key list: a key locked against this file is not offered, a required one comes
 * first (offered even when no schema or values layer knows it), an extension point says so.
 */
function withLockAdvice(items: CompletionItem[], advice: KeyAdvice, req: CompletionRequest): CompletionItem[] {
  if (!advice.locked.size && !advice.required.size && !advice.extension.size) return items;
  const present = dataAt(req.ctx.value, req.ctx.path);
  const written = new Set(present && typeof present === 'object' && !Array.isArray(present) ? Object.keys(present) : []);
  const offered = new Set(items.filter((i) => i.kind === 'property').map((i) => i.label));
  const missing: CompletionItem[] = [...advice.required.keys()]
    .filter((k) => !offered.has(k) && !written.has(k) && !advice.locked.has(k))
    .map((k) => ({ label: k, kind: 'property', insertText: `${k}: $0`, snippet: true, span: req.ctx.span, sortText: `0${k}` }));
  return [...items, ...missing].flatMap((i) => {
    if (i.kind !== 'property') return [i];
    if (advice.locked.has(i.label)) return [];
    const req_ = advice.required.get(i.label);
    if (req_) return [{ ...i, sortText: `00${i.label}`, detail: [i.detail, 'required by the platform'].filter(Boolean).join(' · '), documentation: [i.documentation, req_.reason ? `Required: ${req_.reason}` : 'Required by the platform'].filter(Boolean).join('\n\n') }];
    const ext = advice.extension.get(i.label);
    if (ext) return [{ ...i, documentation: [i.documentation, `Extension point${ext.reason ? `: ${ext.reason}` : ''}`].filter(Boolean).join('\n\n') }];
    return [i];
  });
}

/** `.flux-fleet.yaml`: its own schema (schemas/flux-fleet.schema.json), not a manifest's. */
export function isFleetConfigFile(file: string): boolean {
  return basename(file) === CONFIG_FILE_NAME;
}

/** The catalogue entry for a document; a deprecated or unknown version of a known kind borrows the current one's. */
export function schemaEntry(file: string, apiVersion: string | undefined, kind: string | undefined): CatalogEntry | undefined {
  const exact = entryForDocument(file, apiVersion, kind);
  if (exact || !apiVersion || !kind) return exact;
  const group = groupOf(apiVersion);
  return catalogEntries().find((e) => e.kind === kind && groupOf(e.apiVersion) === group && !e.deprecated);
}

export function typeLabel(info: JsonSchema[]): string {
  const t = [...typesOf(info)];
  if (!t.length) return 'any';
  return t.map((x) => (x === 'object' ? 'map' : x === 'array' ? 'list' : x)).join(' | ');
}

function firstLine(s: string | undefined): string | undefined {
  return s?.split('\n')[0];
}

/** The text to insert for a key: a value placeholder fitting its type. Continuation lines use absolute columns. */
function keySnippet(name: string, p: PropertyInfo, keyColumn: number): string {
  const types = typesOf(p.schemas);
  const values = enumValues(p.schemas).filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
  const below = '\n' + ' '.repeat(keyColumn + 2);
  if (types.has('array') && !types.has('string')) return `${name}:${below}- $0`;
  if (types.has('object') && !types.has('string')) return `${name}:${below}$0`;
  if (values.length) return `${name}: \${1|${values.map((v) => String(v).replace(/[,|\\]/g, '\\$&')).join(',')}|}`;
  if (types.has('boolean') && types.size === 1) return `${name}: \${1|true,false|}`;
  return `${name}: $0`;
}

function keyCompletions(req: CompletionRequest): CompletionItem[] {
  const { ctx } = req;
  if (ctx.path[0] === 'spec' && ctx.path[1] === 'values' && req.kind === 'HelmRelease') return []; // Helm values: completionFleet
  const present = dataAt(ctx.value, ctx.path);
  const siblings = new Set(present && typeof present === 'object' && !Array.isArray(present) ? Object.keys(present) : []);
  const out: CompletionItem[] = [];
  if (!req.schema) {
    if (ctx.path.length === 0) {
      for (const name of ['apiVersion', 'kind', 'metadata', 'spec']) {
        if (siblings.has(name)) continue;
        out.push({ label: name, kind: 'property', span: ctx.span, sortText: `0${name === 'apiVersion' ? 0 : name === 'kind' ? 1 : 2}`, insertText: name === 'metadata' || name === 'spec' ? `${name}:\n  $0` : `${name}: $0`, snippet: true, retrigger: name === 'apiVersion' || name === 'kind' });
      }
    }
    return out;
  }
  const props = propertiesOf(req.schema, schemasAt(req.schema, ctx.path));
  for (const p of props) {
    if (siblings.has(p.name) || p.name === 'status') continue;
    const doc = p.description ?? descriptionOf(p.schemas);
    const def = defaultOf(p.schemas);
    out.push({
      label: p.name,
      kind: 'property',
      detail: `${typeLabel(p.schemas)}${p.required ? ' · required' : ''}`,
      documentation: [doc, def !== undefined ? `Default: \`${JSON.stringify(def)}\`` : undefined].filter(Boolean).join('\n\n') || undefined,
      insertText: keySnippet(p.name, p, ctx.keyColumn),
      snippet: true,
      span: ctx.span,
      sortText: `${p.required ? '0' : '1'}${p.name}`,
      retrigger: typesOf(p.schemas).size > 0 && enumValues(p.schemas).length === 0 && !typesOf(p.schemas).has('object') && !typesOf(p.schemas).has('array'),
    });
  }
  return out;
}

function valueCompletions(req: CompletionRequest, already: CompletionItem[]): CompletionItem[] {
  const { ctx } = req;
  const out: CompletionItem[] = [];
  const last = ctx.path[ctx.path.length - 1];
  if (ctx.path.length === 1 && last === 'kind') return kindValues(req);
  if (ctx.path.length === 1 && last === 'apiVersion') return apiVersionValues(req);
  if (!req.schema) return out;
  const schemas = schemasAt(req.schema, ctx.path);
  const values = enumValues(schemas);
  const types = typesOf(schemas);
  if (!values.length && types.has('boolean')) values.push(true, false);
  const def = defaultOf(schemas);
  const doc = descriptionOf(schemas);
  values.forEach((v, i) => {
    if (v === null || typeof v === 'object') return;
    const label = String(v);
    if (already.some((a) => a.label === label)) return;
    out.push({
      label,
      kind: 'enum',
      detail: v === def ? 'default' : undefined,
      documentation: firstLine(doc) ? doc : undefined,
      insertText: ctx.quote ? label : quoteIfNeeded(label),
      span: ctx.span,
      sortText: `0${String(i).padStart(3, '0')}`,
    });
  });
  return out;
}

/** A plain scalar that YAML would read as something else (a number, a boolean) is quoted. */
export function quoteIfNeeded(s: string): string {
  if (s === '' || /^(true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_.]*(e[-+]?[0-9]+)?)$/i.test(s) || /^[\s&*!|>'"%@`#{[\]},?:-]|: | #|\s$/.test(s)) return JSON.stringify(s);
  return s;
}

function kindValues(req: CompletionRequest): CompletionItem[] {
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  const kustomizationFile = /\/(kustomization\.ya?ml|Kustomization)$/.test(req.file);
  for (const e of catalogEntries()) {
    if (req.apiVersion && !req.apiVersion.startsWith(groupOf(e.apiVersion) + '/')) continue;
    if (!kustomizationFile && groupOf(e.apiVersion) === 'kustomize.config.k8s.io') continue;
    if (seen.has(e.kind)) continue;
    seen.add(e.kind);
    const d = descriptionOf([loadSchema(e.file)]);
    out.push({ label: e.kind, kind: 'value', detail: e.apiVersion, documentation: d, span: req.ctx.span, sortText: `0${e.kind}`, additionalEdits: req.apiVersion ? undefined : apiVersionEdit(req, e.apiVersion) });
  }
  return out;
}

/** Writes the kind's apiVersion too when the document has none yet (on the line above the cursor's). */
function apiVersionEdit(req: CompletionRequest, apiVersion: string): CompletionItem['additionalEdits'] {
  const { ctx } = req;
  if (ctx.path.length !== 1 || /(^|\n)apiVersion:/.test(ctx.text.slice(ctx.docStart, ctx.docEnd))) return undefined;
  const lineStart = ctx.text.lastIndexOf('\n', ctx.offset - 1) + 1;
  return [{ span: { start: lineStart, end: lineStart }, newText: `apiVersion: ${apiVersion}\n` }];
}

function apiVersionValues(req: CompletionRequest): CompletionItem[] {
  const list = req.kind ? apiVersionsOf(req.kind) : [...new Set(catalogEntries().map((e) => e.apiVersion))];
  return list.map((v, i) => ({ label: v, kind: 'value' as const, detail: req.kind ? `${req.kind}` : undefined, span: req.ctx.span, sortText: `0${String(i).padStart(3, '0')}` }));
}

/** A snippet as plain text, for clients without snippet support: choices become their first option. */
export function snippetToPlainText(snippet: string): string {
  let out = snippet;
  for (let i = 0; i < 4; i++) {
    out = out
      .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
      .replace(/\$\{\d+:([^{}]*)\}/g, '$1')
      .replace(/\$\d+/g, '');
  }
  return out.replace(/\\([$}\\,|])/g, '$1');
}

export type { PathSegment };
