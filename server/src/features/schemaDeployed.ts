// Schema findings of the documents contexts deploy, decided on the objects as deployed: after the kustomize build,
// the parent's Flux patches and postBuild substitution, in every context that deploys the document (a field the
// file leaves out and a parent's patch supplies is no finding). Problems map back to the file through provenance:
// a value written in the file on that value (a substituted one on its `${…}`), a value another file wrote on the
// document's kind line naming that file, a missing field on the key of the object missing it, else the kind line.
import type { Document } from 'yaml';
import type { Fleet } from '../core/model';
import type { Json, JsonObject, Provenance, Resource } from '../core/kustomize/types';
import { isSecretLeaf } from '../core/redact';
import type { FluxKustomizationFact } from '../core/facts';
import type { Span } from '../core/text';
import { entryForDocument } from '../core/schemas/catalog';
import { displayPointer, schemaValidators, type SchemaIssue } from '../core/schemas/validate';
import { substitute } from '../core/kustomize/substitute';
import { escapeSegment } from '../core/kustomize/provenance';
import { evaluatorOf, type Context } from '../core/evaluate/contexts';
import { contextKey, contextLabels, type ContextId } from '../core/evaluate/contextId';
import { layerLabel } from '../core/layer';
import type { VariableValue } from '../core/evaluate/fluxBuild';
import { relative } from '../core/paths';
import { issueMessage, issueSpan, platformDefaulted, schemaName, type DocFinding, type DocResult, type FileResult } from './schemaDocuments';

/** Contexts looked at per file (a tenant's file deployed by every cluster). */
const MAX_CONTEXTS = 60;

/** `base`: the message without the contexts it holds in (what the file-level tier would say). */
export type DeployedFinding = DocFinding & { base: string };

/** YAML 1.2 core-schema reading of a plain scalar (what the API server gets after Flux substituted the text). */
export function plainScalar(text: string): unknown {
  const t = text.trim();
  if (t === '' || t === '~' || t === 'null' || t === 'Null' || t === 'NULL') return null;
  if (/^(true|True|TRUE)$/.test(t)) return true;
  if (/^(false|False|FALSE)$/.test(t)) return false;
  if (/^[-+]?[0-9]+$/.test(t)) return Number(t);
  if (/^0x[0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(t)) return Number(t);
  return t;
}

interface Substituted {
  /** The string as written, with its `${…}`, and the write that put it there. */
  raw: string;
  written: Provenance;
  /** After substitution. */
  text: string;
  /** The style of the scalar it was written as is unknown: its type after substitution is too. */
  unknownStyle?: boolean;
}

/** Is the scalar written at `at` quoted or a block (its substituted text stays a string)? undefined: unknown. */
function quotedAt(fleet: Fleet, at: Provenance): boolean | undefined {
  const text = at.span && fleet.facts.get(at.file)?.text;
  if (!text) return undefined;
  const c = text[at.span!.start];
  return c === '"' || c === "'" || c === '|' || c === '>';
}

function setAt(root: JsonObject, pointer: string, value: Json): void {
  const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur: Json = root;
  for (const seg of segs.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as JsonObject)[seg];
  }
  const last = segs.at(-1);
  if (last === undefined || cur === null || typeof cur !== 'object') return;
  if (Array.isArray(cur)) cur[Number(last)] = value;
  else (cur as JsonObject)[last] = value;
}

/**
 * The object as the API server reads it. Flux substitutes in the YAML text, so a `${VAR}` written as a plain scalar
 * becomes what YAML reads in the result (`3` an integer, `true` a boolean, nothing null); the build keeps every
 * substituted value a string. Quoted and block scalars stay strings.
 */
function apiServerView(fleet: Fleet, r: Resource): { value: JsonObject; substituted: Map<string, Substituted> } {
  const substituted = new Map<string, Substituted>();
  // (forEach: a copied provenance map's iterator is a generator, an entry pair and a result per leaf)
  r.prov.forEach((stack, pointer) => {
    if (stack.at(-1)?.layer.step !== 'flux:postBuild') return;
    let i = stack.length - 2;
    while (i >= 0 && stack[i].layer.step === 'flux:postBuild') i--;
    const written = stack[i];
    const text = stack.at(-1)!.value;
    if (!written || typeof written.value !== 'string' || typeof text !== 'string') return;
    const quoted = quotedAt(fleet, written);
    substituted.set(pointer, { raw: written.value, written, text, ...(quoted === undefined ? { unknownStyle: true } : {}) });
  });
  if (!substituted.size) return { value: r.obj, substituted };
  const value = structuredClone(r.obj);
  for (const [pointer, s] of substituted) if (quotedAt(fleet, s.written) === false) setAt(value, pointer, plainScalar(s.text) as Json);
  return { value, substituted };
}

/** The last write of the value at `pointer` (of a leaf under it, for a map or list). */
function writerOf(r: Resource, pointer: string): Provenance | undefined {
  const own = r.prov.get(pointer)?.at(-1);
  if (own) return own;
  for (const [p, stack] of r.prov) if (p.startsWith(pointer + '/')) return stack.at(-1);
  return undefined;
}

interface Occurrence {
  span: Span;
  severity: DocFinding['severity'];
  required: boolean;
  base: string;
  /** For a substituted value: the sentence around the context list. */
  substitution?: { head: string; tail: string };
  contexts: string[];
}

/** One context's problems with one deployed document, keyed so the same problem in other contexts groups with it. */
function occurrences(fleet: Fleet, file: string, doc: Document, d: DocResult, r: Resource, variables: ReadonlyMap<string, VariableValue>): Array<[string, Omit<Occurrence, 'contexts'>]> {
  const entry = entryForDocument(file, r.obj.apiVersion as string | undefined, r.obj.kind as string | undefined);
  if (!entry) return [];
  const { value, substituted } = apiServerView(fleet, r);
  const result = schemaValidators(fleet).validateValue(entry, value);
  const what = schemaName(r.obj.kind, r.obj.apiVersion);
  const out: Array<[string, Omit<Occurrence, 'contexts'>]> = [];
  for (const issue of result.issues) {
    if (platformDefaulted(r.obj.kind, issue)) continue;
    const pointer = issue.keyword === 'additionalProperties' && issue.property !== undefined ? `${issue.pointer}/${escapeSegment(issue.property)}` : issue.pointer;
    const s = substituted.get(pointer);
    if (s) {
      if (s.unknownStyle) continue;
      const uses = substitute(s.raw, (n) => variables.get(n)?.value).uses;
      // undefined-variable reports a missing value; a Secret's value is never shown.
      if (uses.some((u) => u.value === undefined || variables.get(u.name)?.secret)) continue;
      const span = s.written.file === file && s.written.span ? s.written.span : d.kindSpan;
      const head = `${displayPointer(pointer)}: ${JSON.stringify(s.raw)} becomes ${JSON.stringify(s.text)} after substitution in `;
      const tail = `: ${issue.message}`;
      out.push([`s\0${span.start}:${span.end}\0${head}${tail}`, { span, severity: issue.severity, required: false, base: head + tail, substitution: { head, tail } }]);
      continue;
    }
    const writer = issue.keyword === 'required' ? undefined : writerOf(r, pointer);
    let span: Span;
    let base = issueMessage(issue, what, isSecretLeaf(r, pointer));
    if (writer && writer.file !== file) {
      span = d.kindSpan;
      base += `, set by ${layerLabel(writer.layer)} in ${shortPath(fleet, writer.file)}`;
    } else if (writer?.span && issue.keyword !== 'additionalProperties') span = writer.span;
    else span = issueSpan(doc, issue as SchemaIssue, d.kindSpan);
    out.push([`${span.start}:${span.end}\0${issue.severity}\0${base}`, { span, severity: issue.severity, required: issue.keyword === 'required', base }]);
  }
  return out;
}

function shortPath(fleet: Fleet, file: string): string {
  const repo = fleet.repositoryOf(file);
  return repo ? `${repo.name}/${relative(repo.root, file)}` : file;
}

function listed(names: string[]): string {
  return names.slice(0, 3).join(', ') + (names.length > 3 ? `, … (${names.length} contexts)` : '');
}

/**
 * Findings of the documents of `file` that contexts deploy, by document index; documents no context deploys are not
 * in the map (their findings as written stand). Only documents with findings or `${…}` as written are looked at: a
 * document valid as written is not built for this.
 */
export function deployedDocFindings(fleet: Fleet, file: string, result: FileResult, chains: FluxKustomizationFact[][]): Map<number, DeployedFinding[]> {
  const out = new Map<number, DeployedFinding[]>();
  const wanted = new Map(result.docs.filter((d) => d.findings.length || d.placeholders).map((d) => [d.start, d]));
  if (!wanted.size || !result.parsed || !chains.length) return out;
  const contexts: Context[] = evaluatorOf(fleet).chainContexts(chains, MAX_CONTEXTS);
  const deployers = new Map<number, Map<string, ContextId>>();
  const found = new Map<number, Map<string, Occurrence>>();
  for (const c of contexts) {
    // The whole build, not one restricted to this file: it is shared by every file the context deploys (checking a
    // fleet asks for them all) and is what the evaluation of values and locks builds anyway.
    const build = c.build;
    // (An indexed loop: a whole check scans 400,000 resources here, for 199 files on the synthetic fleet, and a for-of
    // made an iterator result for each until V8 optimized this function.)
    for (let i = 0; i < build.resources.length; i++) {
      const r = build.resources[i];
      if (r.origin.file !== file || r.origin.span === undefined) continue;
      const d = wanted.get(r.origin.span.start);
      if (!d) continue;
      if (!deployers.has(d.index)) deployers.set(d.index, new Map());
      deployers.get(d.index)!.set(contextKey(c.id), c.id);
      const byKey = found.get(d.index) ?? new Map<string, Occurrence>();
      found.set(d.index, byKey);
      for (const [key, o] of occurrences(fleet, file, result.parsed[d.index], d, r, build.variables)) {
        const seen = byKey.get(key) ?? { ...o, contexts: [] };
        if (!seen.contexts.includes(contextKey(c.id))) seen.contexts.push(contextKey(c.id));
        byKey.set(key, seen);
      }
    }
  }
  const label = contextLabels([...deployers.values()].flatMap((m) => [...m.values()]));
  for (const [index, ids] of deployers) {
    const findings: DeployedFinding[] = [];
    for (const o of found.get(index)?.values() ?? []) {
      const names = o.contexts.map((key) => label(ids.get(key)!));
      const message = o.substitution
        ? `${o.substitution.head}${listed(names)}${o.substitution.tail}`
        : o.contexts.length === ids.size
          ? o.base
          : `${o.base}; in ${o.contexts.length} of ${ids.size} contexts: ${listed(names)}`;
      findings.push({ file, span: o.span, severity: o.severity, code: 'schema', message, base: o.base, ...(o.required ? { required: true } : {}) });
    }
    out.set(index, findings);
  }
  return out;
}
