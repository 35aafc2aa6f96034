// The editor on a ResourceSet's templates: hover on `<< inputs.x >>` (its value in each input set and where that
// was written), go-to-definition of an input (where it was set), completion of input keys after `inputs.`. The
// expansion is the linker's (core/link/resourceSets.ts), so every answer is the engine's.
import type { Fleet } from '../core/model';
import type { Span } from '../core/text';
import { refTargets, type Location } from '../core/link/types';
import type { ResourceSetLink } from '../core/link/resourceSets';
import { inputSetLabel } from '../core/link/resourceSets';
import { inputValues, referenceAt, type InputReference } from '../core/resourceSet';
import type { Json } from '../core/kustomize/types';
import { displayPath, lineOf } from './describe';
import type { CompletionItem } from './completion';

const MAX_SHOWN = 20;

function linksIn(fleet: Fleet, file: string): ResourceSetLink[] {
  // The links expand the ResourceSets the facts hold: a file without one has none, and a hover or completion in it
  // need not wait for a whole re-link after an edit.
  if (!fleet.facts.get(file)?.resourceSets?.some((r) => r.kind === 'ResourceSet')) return [];
  return fleet.links.resourceSets.filter((r) => r.fact.owner.file === file);
}

function inputAt(fleet: Fleet, file: string, offset: number): { link: ResourceSetLink; ref: InputReference } | undefined {
  for (const link of linksIn(fleet, file)) {
    const ref = referenceAt(link.expansion, file, offset);
    if (ref) return { link, ref };
  }
  return undefined;
}

function shown(v: Json | undefined): string {
  if (v === undefined) return '*not defined* (the operator fails on it)';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return '`' + (s.length > 120 ? s.slice(0, 117) + '…' : s) + '`';
}

/** Hover on `inputs.x.y` in a template: its value per input set, and where it was set. */
export function inputHover(fleet: Fleet, file: string, offset: number): { span: Span; markdown: string } | undefined {
  const at = inputAt(fleet, file, offset);
  if (!at) return undefined;
  const { link, ref } = at;
  const x = link.expansion;
  const name = `inputs${ref.path.map((k) => '.' + k).join('')}`;
  const lines = [`**${name}** — ResourceSet ${x.namespace}/${x.name} (${x.strategy})`, ''];
  const values = inputValues(x, ref.path);
  for (const v of values.slice(0, MAX_SHOWN)) {
    const where = v.origin ? ` — ${v.origin.from === 'inputs' ? 'spec.inputs' : v.origin.from === 'defaultValues' ? 'provider defaultValues' : 'sample in .flux-fleet.yaml'} at ${displayPath(fleet, v.origin.file)}:${lineOf(fleet, v.origin.file, v.origin.span.start)}` : ref.path[0] === 'id' || ref.path[0] === 'provider' ? ' — built in' : '';
    lines.push(`- ${inputSetLabel(x, v.inputSet)}: ${shown(v.value)}${where}`);
  }
  if (values.length > MAX_SHOWN) lines.push(`- … and ${values.length - MAX_SHOWN} more input sets`);
  if (values.length === 0) lines.push(x.inputsKnown ? '*no input sets: the ResourceSet generates nothing*' : '*inputs unknown offline: declare `providerSamples:` in .flux-fleet.yaml*');
  else if (!x.inputsKnown) lines.push('', '*some providers\' inputs are unknown offline: declare `providerSamples:` in .flux-fleet.yaml*');
  return { span: ref.span, markdown: lines.join('\n') };
}

/** Go-to-definition on `inputs.x`: where each input set's value was written. */
export function inputDefinition(fleet: Fleet, file: string, offset: number): Location[] | undefined {
  const at = inputAt(fleet, file, offset);
  if (!at) return undefined;
  const seen = new Set<string>();
  const out: Location[] = [];
  for (const v of inputValues(at.link.expansion, at.ref.path)) {
    if (!v.origin) continue;
    const key = `${v.origin.file}:${v.origin.span.start}`;
    if (!seen.has(key)) out.push({ file: v.origin.file, span: v.origin.span }), seen.add(key);
  }
  return out;
}

/** Completion of input keys after `inputs.` inside `<< >>` of a ResourceSet's template. */
export function inputCompletion(fleet: Fleet, file: string, text: string, offset: number): CompletionItem[] | undefined {
  const open = text.lastIndexOf('<<', offset);
  if (open < 0 || text.lastIndexOf('>>', offset - 1) > open || text.slice(open, offset).includes('\n')) return undefined;
  const m = /inputs((?:\.[A-Za-z0-9_]+)*)\.([A-Za-z0-9_]*)$/.exec(text.slice(open, offset));
  if (!m) return undefined;
  // The ResourceSet document around the cursor (the text being typed may be ahead of the last link: nearest before).
  const candidates = linksIn(fleet, file).filter((r) => r.fact.span.start <= offset);
  const link = candidates.sort((a, b) => b.fact.span.start - a.fact.span.start)[0];
  if (!link) return undefined;
  const path = m[1].split('.').filter(Boolean);
  const span = { start: offset - m[2].length, end: offset };
  const keys = new Map<string, Json[]>();
  for (const v of inputValues(link.expansion, path)) {
    if (v.value === null || typeof v.value !== 'object' || Array.isArray(v.value)) continue;
    for (const [k, val] of Object.entries(v.value)) keys.set(k, [...(keys.get(k) ?? []), val]);
  }
  return [...keys].sort(([a], [b]) => a.localeCompare(b)).map(([k, vals], i) => ({
    label: k,
    kind: 'variable' as const,
    detail: `input of ResourceSet ${link.expansion.namespace}/${link.expansion.name}`,
    documentation: [...new Set(vals.map((v) => shown(v)))].slice(0, 5).join(', '),
    span,
    sortText: String(i).padStart(4, '0'),
  }));
}

/**
 * Hover on a template field that writes generated objects (a name, a Flux Kustomization's spec.path or sourceRef):
 * what it becomes in each input set, and where a generated Kustomization leads.
 */
export function generatedHover(fleet: Fleet, file: string, offset: number): { span: Span; markdown: string } | undefined {
  const within = (s: Span) => s.start <= offset && offset <= s.end;
  for (const link of linksIn(fleet, file)) {
    const x = link.expansion;
    const title = `ResourceSet ${x.namespace}/${x.name}`;
    const paths = link.flux.filter((fk) => fk.path && within(fk.path.span));
    if (paths.length) {
      const lines = paths.slice(0, MAX_SHOWN).map((fk) => {
        const res = fleet.links.flux.get(fk)?.[0];
        const where = res?.folder ? `\`${displayPath(fleet, res.folder)}\`` : res?.sourceRoot ? '*no such folder*' : '*source not mapped*';
        return `- ${inputSetLabel(x, fk.generatedBy?.inputSet)}: \`${fk.path!.value}\` → ${where}`;
      });
      return { span: paths[0].path!.span, markdown: [`**spec.path** of the Kustomizations ${title} generates`, '', ...lines, ...more(paths.length)].join('\n') };
    }
    const named = link.objects.filter((o) => within(o.nameSpan));
    if (named.length) {
      const lines = named.slice(0, MAX_SHOWN).map((o) => `- ${inputSetLabel(x, o.generatedBy?.inputSet)}: ${o.kind} \`${o.namespace ? o.namespace + '/' : ''}${o.name}\``);
      return { span: named[0].nameSpan, markdown: [`**Generated by ${title}**`, '', ...lines, ...more(named.length)].join('\n') };
    }
  }
  return undefined;
}

function more(n: number): string[] {
  return n > MAX_SHOWN ? [`- … and ${n - MAX_SHOWN} more input sets`] : [];
}

/** Definition on a template field that several input sets resolve (a generated spec.path, sourceRef): every target. */
export function generatedDefinition(fleet: Fleet, file: string, offset: number): Location[] | undefined {
  if (!linksIn(fleet, file).length) return undefined;
  const refs = (fleet.links.refsByFile.get(file) ?? []).filter((r) => offset >= r.span.start && offset <= r.span.end && !r.variable);
  if (refs.length < 2) return undefined;
  const seen = new Set<string>();
  return refs.flatMap((r) => refTargets(r)).filter((t) => {
    const key = `${t.file}:${t.span?.start ?? ''}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
