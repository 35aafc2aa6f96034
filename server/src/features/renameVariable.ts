// Rename a Flux postBuild variable: its definitions (`postBuild.substitute` keys, the keys of the ConfigMaps and
// Secrets `substituteFrom` reads, a generator's `KEY=value`) and every `${VAR}` the engine substituted with them, across
// repositories, in one edit. Which uses and definitions belong together is the engine's answer, per context
// (FluxBuild.variableUses / definitions): a use joins every definition its contexts read, a definition every use in the
// contexts that read it, until nothing more joins. Refused with the reason where that cannot be done safely.
import { isMap, isPair, isScalar, visit, type Scalar } from 'yaml';
import type { Fleet } from '../core/model';
import type { Json, Provenance } from '../core/kustomize/types';
import type { Span } from '../core/text';
import { allContexts, type Context } from '../core/evaluate/contexts';
import { contextShortLabel } from '../core/evaluate/contextId';
import { EVERY_CONTEXT } from '../core/evaluate/valueFindings';
import { definitionsOf } from '../core/evaluate/fluxBuild';
import { deployChains, rootKustomizations } from './deployChains';
import { displayPath, lineOf } from './describe';
import { variableAt } from './variableHover';
import { isSopsText } from '../core/redact';
import { docKey } from '../core/link/linker';
import { refObjects } from '../core/link/types';
import { layerLabel } from '../core/layer';
import type { RenameEdit } from './rename';
import { throwIfCancelled, type CancellationToken } from '../core/cancel';

/** Flux's variable names (kustomize-controller rejects others in postBuild.substitute). */
export const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** A place the variable's name is written: the name itself, without `${`, default or quotes. */
export interface Site {
  file: string;
  span: Span;
  role: 'use' | 'definition';
}

/** What one context says about the variable: the places its name is written there, or why they cannot be found. */
interface ContextSites {
  context: Context;
  sites: Site[];
  problems: string[];
}

export type VariableTarget = { name: string; site: Site } | { refused: string };

const key = (s: { file: string; span: Span }) => `${s.file}\0${s.span.start}`;

function textOf(fleet: Fleet, file: string): string | undefined {
  return fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? fleet.readAuxFile(file);
}

function where(fleet: Fleet, file: string, offset?: number): string {
  return offset === undefined ? displayPath(fleet, file) : `${displayPath(fleet, file)}:${lineOf(fleet, file, offset)}`;
}

/** `${NAME…}` expressions of NAME in `text` between `from` and `to`: the name's spans (escaped `$${…}` left out). */
function namesIn(text: string, name: string, from = 0, to = text.length): Span[] {
  const re = new RegExp(`(?<!\\$)\\$\\{#?(${name})(?![_a-zA-Z0-9])`, 'g');
  const out: Span[] = [];
  for (const m of text.slice(from, to).matchAll(re)) {
    const start = from + m.index! + m[0].length - name.length;
    out.push({ start, end: start + name.length });
  }
  return out;
}

/** The variable at the cursor: in a `${…}` expression, or a key that may define one (data, stringData, substitute). */
export function variableTargetAt(fleet: Fleet, file: string, offset: number): VariableTarget | undefined {
  const text = textOf(fleet, file);
  if (text === undefined) return undefined;
  const use = variableAt(text, offset);
  if (use) {
    const start = use.span.start + 2 + (use.body.startsWith('#') ? 1 : 0);
    return { name: use.name, site: { file, span: { start, end: start + use.name.length }, role: 'use' } };
  }
  const k = definingKeyAt(fleet, file, text, offset);
  return k && { name: k.name, site: { file, span: k.span, role: 'definition' } };
}

/** A map key under the cursor whose map is `data`, `stringData` or `substitute` (where variables are defined). */
function definingKeyAt(fleet: Fleet, file: string, text: string, offset: number): { name: string; span: Span } | undefined {
  if (!fleet.facts.has(file)) return undefined;
  let found: { name: string; span: Span } | undefined;
  for (const doc of fleet.parse(file, text).docs) {
    visit(doc, {
      Pair(_k, pair, path) {
        const k = pair.key;
        if (!isScalar(k) || !k.range || offset < k.range[0] || offset > k.range[1]) return undefined;
        const parentPair = path[path.length - 2];
        const parentKey = isPair(parentPair) && isScalar(parentPair.key) ? String(parentPair.key.value) : undefined;
        if (parentKey === 'data' || parentKey === 'stringData' || parentKey === 'substitute') found = { name: String(k.value), span: unquoted(text, { start: k.range[0], end: k.range[1] }) };
        return visit.BREAK;
      },
    });
    if (found) break;
  }
  return found && VARIABLE_NAME.test(found.name) ? found : undefined;
}

function unquoted(text: string, span: Span): Span {
  const first = text[span.start];
  if ((first === '"' || first === "'") && span.end - span.start >= 2 && text[span.end - 1] === first) return { start: span.start + 1, end: span.end - 1 };
  return span;
}

/** Where a use's string was written: the name in each `${NAME…}` of it (a whole generator file when it has no span). */
function useSites(fleet: Fleet, at: Provenance | undefined, name: string): Site[] | string {
  if (!at) return `a use of \${${name}} has no place in the fleet's files`;
  const text = textOf(fleet, at.file);
  if (text === undefined) return `a use of \${${name}} in ${where(fleet, at.file)} cannot be read`;
  const spans = at.span ? namesIn(text, name, at.span.start, at.span.end) : namesIn(text, name);
  if (!spans.length) return `a use of \${${name}} written by ${layerLabel(at.layer)} at ${where(fleet, at.file, at.span?.start)} is not in that text: it cannot be renamed there`;
  return spans.map((span) => ({ file: at.file, span, role: 'use' as const }));
}

/** The key of a definition: a YAML key whose value the provenance names, or a generator's `NAME=value`. */
function definitionSite(fleet: Fleet, from: Provenance, name: string): Site | string {
  const cannot = `${name} is defined by ${layerLabel(from.layer)} at ${where(fleet, from.file, from.span?.start)} in a way that cannot be renamed here`;
  const text = textOf(fleet, from.file);
  if (text !== undefined && !from.span && fleet.facts.get(from.file)?.resourceSets?.length) return resourceSetKey(fleet, from.file, text, name) ?? cannot;
  if (text === undefined || !from.span) return cannot;
  if (isSopsText(text)) return `${name} is defined in the SOPS-encrypted ${where(fleet, from.file)}: SOPS authenticates each value with its key's path, so renaming the key there breaks the file; rename it with sops`;
  // A generator's literal (`- NAME=value`, maybe quoted) or an env file's line.
  const entry = unquoted(text, from.span);
  if (text.startsWith(`${name}=`, entry.start)) return { file: from.file, span: { start: entry.start, end: entry.start + name.length }, role: 'definition' };
  if (!fleet.facts.has(from.file)) return cannot;
  let site: Site | undefined;
  for (const doc of fleet.parse(from.file, text).docs) {
    visit(doc, {
      Pair(_k, pair) {
        const v = pair.value as Scalar | null;
        if (!v || !v.range || v.range[0] !== from.span!.start || !isScalar(pair.key) || !pair.key.range) return undefined;
        const span = unquoted(text, { start: pair.key.range[0], end: pair.key.range[1] });
        if (text.slice(span.start, span.end) === name) site = { file: from.file, span, role: 'definition' };
        return visit.BREAK;
      },
    });
    if (site) break;
  }
  return site ?? cannot;
}

/**
 * A Kustomization a ResourceSet generates has its spec from the ResourceSet's template (objects or a
 * `resourcesTemplate` text): the key is the one line `NAME:` right under a `substitute:` there, if it is written
 * literally, once (every input set then reads it from that line).
 */
function resourceSetKey(fleet: Fleet, file: string, text: string, name: string): Site | undefined {
  const found: Site[] = [];
  const lines = text.split('\n');
  let offset = 0;
  const indent = (l: string) => l.length - l.trimStart().length;
  lines.forEach((line, i) => {
    const m = new RegExp(`^(\\s*)(["']?)${name}\\2\\s*:`).exec(line);
    if (m) {
      let j = i - 1;
      while (j >= 0 && (!lines[j].trim() || lines[j].trimStart().startsWith('#') || indent(lines[j]) >= m[1].length)) j--;
      if (j >= 0 && /^\s*substitute\s*:\s*$/.test(lines[j])) found.push({ file, span: { start: offset + m[1].length + m[2].length, end: offset + m[1].length + m[2].length + name.length }, role: 'definition' });
    }
    offset += line.length + 1;
  });
  return found.length === 1 ? found[0] : undefined;
}

/** The places one context writes the variable's name, read from its whole build. */
function contextSites(fleet: Fleet, context: Context, name: string): ContextSites | undefined {
  const build = context.build;
  const uses = build.variableUses.filter((u) => u.name === name);
  const definitions = definitionsOf(build, name);
  if (!uses.length && !definitions.length) return undefined;
  const out: ContextSites = { context, sites: [], problems: [] };
  for (const u of uses) {
    const s = useSites(fleet, u.at, name);
    if (typeof s === 'string') out.problems.push(s);
    else out.sites.push(...s);
  }
  for (const d of definitions) {
    const s = definitionSite(fleet, d.from, name);
    if (typeof s === 'string') out.problems.push(s);
    else out.sites.push(s);
  }
  if (build.opaqueSources.length) out.problems.push(`in ${contextShortLabel(context.id)}, ${name} may also come from ${build.opaqueSources.join('; ')}, which only the cluster fills: it cannot be renamed there`);
  return out;
}

/** Strings of a build that hold `${NAME…}` as written (substitution off, or disabled for the object). */
function literalSites(fleet: Fleet, context: Context, name: string): Site[] {
  const build = context.build;
  const out: Site[] = [];
  const add = (at: Provenance | undefined) => {
    const s = useSites(fleet, at, name);
    if (typeof s !== 'string') out.push(...s);
  };
  if (build.substitutes) {
    for (const u of build.disabledUses) if (u.name === name) add(u.at);
    return out;
  }
  for (const r of build.resources) walkStrings(r.obj, '', (value, pointer) => value.includes(`\${${name}`) && add(r.prov.get(pointer)?.at(-1) ?? r.origin));
  return out;
}

function walkStrings(value: Json, pointer: string, f: (value: string, pointer: string) => unknown): void {
  if (typeof value === 'string') f(value, pointer);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, `${pointer}/${i}`, f));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkStrings(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, f);
}

export interface VariablePlan {
  name: string;
  sites: Site[];
  contexts: Context[];
}

/**
 * Every place that names the variable `name` together with `seed` (a use or definition under the cursor), or, without
 * a seed, every variable of that name the fleet resolves. Refused where a place cannot follow.
 */
export function variableSites(fleet: Fleet, name: string, seed?: Site, token?: CancellationToken): VariablePlan | { refused: string } {
  const all = allContexts(fleet, rootKustomizations(fleet), EVERY_CONTEXT);
  const involved: ContextSites[] = [];
  const literal = new Map<string, Context>();
  for (const c of all) {
    throwIfCancelled(token);
    const s = contextSites(fleet, c, name);
    if (s) involved.push(s);
    for (const l of literalSites(fleet, c, name)) if (!literal.has(key(l))) literal.set(key(l), c);
  }
  // Contexts and sites joined through shared sites, from the seed (or everything).
  const bySite = new Map<string, ContextSites[]>();
  for (const s of involved) for (const site of s.sites) bySite.set(key(site), [...(bySite.get(key(site)) ?? []), s]);
  let chosen: ContextSites[];
  if (seed) {
    const start = bySite.get(key(seed));
    if (!start) return { refused: notAVariable(fleet, name, seed, literal) };
    const seen = new Set<ContextSites>(start);
    const queue = [...start];
    while (queue.length) for (const site of queue.shift()!.sites) for (const next of bySite.get(key(site)) ?? []) if (!seen.has(next)) (seen.add(next), queue.push(next));
    chosen = [...seen];
  } else chosen = involved;
  if (!chosen.length) return { refused: `No context of the fleet defines or substitutes a variable named ${name}.` };

  const problem = chosen.flatMap((c) => c.problems)[0];
  if (problem) return { refused: `${problem[0].toUpperCase()}${problem.slice(1)}.` };
  const sites = new Map<string, Site>();
  for (const c of chosen) for (const s of c.sites) sites.set(key(s), s);
  // A use also deployed as plain text somewhere (no substitution there) would change there.
  for (const s of sites.values()) {
    const c = literal.get(key(s));
    if (c) return { refused: `${where(fleet, s.file, s.span.start)} is also deployed by ${contextShortLabel(c.id)}, which does not substitute variables in it: there \${${name}} is plain text, and renaming it would change what is deployed.` };
  }
  const why = otherReaders(fleet, [...sites.values()]) ?? unattributed(fleet, name, sites, bySite, literal);
  if (why) return { refused: why };
  return { name, sites: [...sites.values()], contexts: chosen.map((c) => c.context) };
}

/** Why the seed is no variable any context resolves. */
function notAVariable(fleet: Fleet, name: string, seed: Site, literal: Map<string, Context>): string {
  if (seed.role === 'definition') return `No context reads ${name} at ${where(fleet, seed.file, seed.span.start)} as a Flux variable (no postBuild.substitute or substituteFrom the fleet resolves names it).`;
  if (!deployChains(fleet, seed.file).length) return `No Flux Kustomization the fleet resolves deploys ${where(fleet, seed.file)}: which variable \${${name}} is there cannot be known. Rename it by hand.`;
  const c = literal.get(key(seed));
  if (c) return `${contextShortLabel(c.id)} deploys \${${name}} here without substituting it (plain text): it is not a variable there.`;
  return `No context the fleet resolves substitutes \${${name}} here: which variable it is cannot be known. Rename it by hand.`;
}

/** A ConfigMap or Secret whose key is renamed that something else than substituteFrom reads (its key names a value there too). */
function otherReaders(fleet: Fleet, sites: Site[]): string | undefined {
  for (const s of sites) {
    if (s.role !== 'definition') continue;
    const obj = fleet.facts.get(s.file)?.objects.find((o) => s.span.start >= o.span.start && s.span.end <= o.span.end);
    if (!obj || (obj.kind !== 'ConfigMap' && obj.kind !== 'Secret')) continue;
    for (const r of fleet.links.referrers.get(docKey(obj.owner)) ?? []) {
      if (!refObjects(r).includes(obj)) continue;
      const role = fleet.facts.get(r.file)?.objectRefs.find((x) => x.span.start === r.span.start)?.role;
      if (role !== 'substituteFrom') return `${obj.kind} ${obj.name} is also read by ${role ?? 'a reference'} at ${where(fleet, r.file, r.span.start)}: renaming its key would change what that reads.`;
    }
  }
  return undefined;
}

/** `${NAME}` written in a file of the same repositories that no context substitutes: it may be the same variable. */
function unattributed(fleet: Fleet, name: string, sites: Map<string, Site>, bySite: Map<string, unknown>, literal: Map<string, unknown>): string | undefined {
  const repos = new Set([...sites.values()].map((s) => fleet.repositoryOf(s.file)?.root));
  for (const [file, facts] of fleet.facts) {
    if (!facts.text.includes(`\${${name}`) || !repos.has(fleet.repositoryOf(file)?.root)) continue;
    const text = textOf(fleet, file) ?? facts.text;
    for (const span of namesIn(text, name)) {
      const k = key({ file, span });
      if (sites.has(k) || bySite.has(k) || literal.has(k)) continue;
      return `\${${name}} at ${where(fleet, file, span.start)} is not substituted by any context the fleet resolves: whether it is the same variable cannot be known. Rename it by hand, or deploy that file.`;
    }
  }
  return undefined;
}

export type VariableRenameAnswer = { edits: RenameEdit[] } | { refused: string };

/** The edits renaming the variable to `newName`, or why not. */
export function renameVariableSites(fleet: Fleet, plan: VariablePlan, newName: string): VariableRenameAnswer {
  if (!VARIABLE_NAME.test(newName)) return { refused: `'${newName}' is not a valid Flux variable name (a letter or '_', then letters, digits or '_').` };
  if (newName === plan.name) return { edits: [] };
  for (const c of plan.contexts) {
    const b = c.build;
    const defined = definitionsOf(b, newName)[0];
    if (defined) return { refused: `A variable named ${newName} already exists in ${contextShortLabel(c.id)} (${layerLabel(defined.from.layer)} at ${where(fleet, defined.from.file, defined.from.span?.start)}).` };
    const used = b.variableUses.find((u) => u.name === newName);
    if (used) return { refused: `\${${newName}} is already used in ${contextShortLabel(c.id)}${used.at ? ` (${where(fleet, used.at.file, used.at.span?.start)})` : ''}: the two would become one variable.` };
  }
  const edits = plan.sites.map((s) => ({ file: s.file, span: s.span, newText: newName }));
  edits.sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start);
  return { edits };
}
