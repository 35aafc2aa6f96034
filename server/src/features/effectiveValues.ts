// Hover with the effective value: for the field under the cursor, what it becomes in every context that deploys
// it (after every kustomize and Flux layer, and for HelmRelease values after every values layer), which layer set
// it and what it overrode. Identical answers are grouped.
import type { Fleet } from '../core/model';
import type { Json, Provenance, Resource } from '../core/kustomize/types';
import type { Span } from '../core/text';
import { contextLabels, evaluatorOf, filesOf, type Context } from '../core/evaluate/contexts';
import type { SelectResources } from '../core/evaluate/fluxBuild';
import { helmReleaseValues } from '../core/evaluate/helmValues';
import { appValues } from '../core/evaluate/appValues';
import { resIdOf } from '../core/kustomize/resid';
import { deployChains } from './deployChains';
import { displayPath, lineOf } from './describe';

export interface ValueAnswer {
  context: Context;
  /** What the value belongs to: `Deployment apps/web` or `HelmRelease apps/web values`. */
  owner: string;
  pointer: string;
  value: Json;
  secret: boolean;
  /** Writes, oldest first; the last one won. */
  stack: Array<Provenance & { value: Json }>;
  span: Span;
}

const MAX_CONTEXTS = 60;

function getAt(root: Json, pointer: string): Json | undefined {
  let cur: Json | undefined = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, Json>)[seg];
  }
  return cur;
}

function hits(prov: Map<string, Array<Provenance & { value: Json }>>, file: string, offset: number): Array<{ pointer: string; span: Span }> {
  const out: Array<{ pointer: string; span: Span }> = [];
  for (const [pointer, stack] of prov) {
    for (const w of stack) {
      if (w.file === file && w.span && offset >= w.span.start && offset <= w.span.end) {
        out.push({ pointer, span: w.span });
        break;
      }
    }
  }
  // The innermost span (the scalar, not a whole patch) describes the cursor best.
  const width = (s: Span) => s.end - s.start;
  const best = Math.min(...out.map((h) => width(h.span)));
  return out.filter((h) => width(h.span) === best);
}

export function effectiveValues(fleet: Fleet, file: string, offset: number, pinned?: string): ValueAnswer[] {
  const chains = deployChains(fleet, file);
  if (!chains.length) return [];
  // The static chains say which contexts deploy the file; each is then built only as far as this file reaches
  // (its own resources, plus the ConfigMaps/Secrets and HelmReleases/Apps its values may flow through).
  const all = evaluatorOf(fleet).contextsFor(file, chains, MAX_CONTEXTS, false);
  // A pinned context narrows every answer to it (when it deploys this file at all).
  const contexts = pinned && all.some((c) => c.id === pinned) ? all.filter((c) => c.id === pinned) : all;
  const answers: ValueAnswer[] = [];
  const relevant = selectReachedBy(file);
  for (const context of contexts) {
    // A hover on the Flux Kustomization's own file (its patches, its substitutions) needs the whole build.
    const whole = context.fact.owner.file === file || !context.partial;
    const resources = whole ? context.build.resources : partialBuild(fleet, context, file, relevant).resources;
    // Only what this file wrote into (a value file reaches a HelmRelease through the ConfigMap it feeds).
    const touched = new Set(resources.filter((r) => touchesResource(r, file)));
    for (const r of resources) {
      const id = resIdOf(r.obj);
      const valuesOwner = isValuesOwner(r);
      if (!touched.has(r) && !(valuesOwner && feedsFrom(r, resources, touched))) continue;
      const label = `${id.kind} ${id.namespace ? id.namespace + '/' : ''}${id.name}`;
      // Secret data and anything in a SOPS-encrypted file are never shown.
      const sops = r.obj.sops !== undefined;
      const secret = id.kind === 'Secret';
      for (const h of hits(r.prov, file, offset)) {
        answers.push({ context, owner: label, pointer: h.pointer, value: getAt(r.obj, h.pointer) ?? null, secret: sops || (secret && /^\/(data|stringData)\//.test(h.pointer)), stack: r.prov.get(h.pointer) ?? [], span: h.span });
      }
      if (valuesOwner) {
        // The partial build holds the ConfigMaps, Secrets and Catalog the values layers read (selectReachedBy).
        const values = id.kind === 'App' ? appValues(fleet, r, resources) : helmReleaseValues(fleet, r, resources);
        for (const h of hits(values.prov, file, offset)) {
          const stack = values.prov.get(h.pointer) ?? [];
          const masked = stack.some((w) => w.value === '••••');
          answers.push({ context, owner: `${label} values`, pointer: h.pointer, value: masked ? '••••' : getAt(values.values, h.pointer) ?? null, secret: masked, stack, span: h.span });
        }
      }
    }
  }
  return answers;
}

/** ConfigMaps, Secrets and Catalogs: what the values layers of a HelmRelease or App read by name. */
const VALUE_SOURCES = new Set(['ConfigMap', 'Secret', 'Catalog']);
const selections = new WeakMap<readonly Resource[], Map<string, Resource[]>>();

/**
 * What a hover on `file` needs of a folder's kustomize build: the resources the file wrote, the HelmReleases and
 * Apps among them or fed by the ConfigMaps/Secrets among them, and the value sources those read. Chosen on the
 * cached build (names before Flux's layers: a `${VAR}` name keeps every candidate), memoized per build and file.
 */
function selectReachedBy(file: string): SelectResources {
  const select = (resources: readonly Resource[]): Resource[] => {
    let byFile = selections.get(resources);
    if (!byFile) selections.set(resources, (byFile = new Map()));
    const hit = byFile.get(file);
    if (hit) return hit;
    const touched = new Set(resources.filter((r) => filesOf(r).has(file)));
    const owners = resources.filter((r) => isValuesOwner(r) && (touched.has(r) || feedsFrom(r, resources, touched)));
    const names = new Set(owners.flatMap((o) => valuesSourceNames(o, resources)));
    const any = [...names].some((n) => n.includes('${'));
    const picked = resources.filter((r) => touched.has(r) || owners.includes(r) || (VALUE_SOURCES.has(String(r.obj.kind)) && (any || names.has(resIdOf(r.obj).name) || resIdOf(r.obj).name.includes('${'))));
    byFile.set(file, picked);
    return picked;
  };
  return Object.assign(select, { key: `reached-by:${file}` });
}

function isValuesOwner(r: Resource): boolean {
  const id = resIdOf(r.obj);
  return id.kind === 'HelmRelease' || (id.kind === 'App' && id.group === 'application.giantswarm.io');
}
const partials = new WeakMap<Context, Map<string, { version: number; build: { resources: Resource[] } }>>();
/** Files whose partial builds a context keeps (hovering moves between a few files at a time). */
const PARTIALS_PER_CONTEXT = 4;

/** A context's build restricted to what a file can reach, cached with the context (the last few files). */
function partialBuild(fleet: Fleet, context: Context, file: string, only: SelectResources): { resources: Resource[] } {
  let byFile = partials.get(context);
  if (!byFile) partials.set(context, (byFile = new Map()));
  let b = byFile.get(file);
  if (b) byFile.delete(file);
  // Contexts outlive edits: after one, ask again (the same build comes back when its inputs did not change).
  if (!b || b.version !== fleet.version) {
    b = { version: fleet.version, build: context.partial!(only) };
    if (byFile.size >= PARTIALS_PER_CONTEXT) byFile.delete(byFile.keys().next().value!);
  }
  byFile.set(file, b);
  return b.build;
}

function touchesResource(r: Resource, file: string): boolean {
  return filesOf(r).has(file);
}

/**
 * Names of the ConfigMaps, Secrets and Catalog a HelmRelease's or App's values layers read; with `resources`, also
 * what an App's Catalog found among them reads (its `spec.config`, the lowest layer).
 */
function valuesSourceNames(owner: Resource, resources?: readonly Resource[]): string[] {
  const spec = (owner.obj.spec ?? {}) as Record<string, unknown>;
  const names: string[] = [];
  const add = (x: unknown) => {
    if (x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string') names.push((x as { name: string }).name);
  };
  for (const e of Array.isArray(spec.valuesFrom) ? spec.valuesFrom : []) add(e);
  for (const e of Array.isArray(spec.extraConfigs) ? spec.extraConfigs : []) add(e);
  for (const layer of ['config', 'userConfig']) {
    const l = spec[layer] as Record<string, unknown> | undefined;
    add(l?.configMap);
    add(l?.secret);
  }
  if (typeof spec.catalog === 'string') {
    names.push(spec.catalog);
    const catalog = resources?.find((r) => r.obj.kind === 'Catalog' && resIdOf(r.obj).name === spec.catalog);
    if (catalog) names.push(...valuesSourceNames(catalog));
  }
  return names;
}

/** A HelmRelease or App whose values come from one of the `touched` ConfigMaps/Secrets. */
function feedsFrom(owner: Resource, resources: readonly Resource[], touched: Set<Resource>): boolean {
  if (!touched.size) return false;
  const names = new Set(valuesSourceNames(owner, resources));
  for (const r of touched) if ((r.obj.kind === 'ConfigMap' || r.obj.kind === 'Secret') && names.has(resIdOf(r.obj).name)) return true;
  return false;
}

function show(v: Json, secret: boolean): string {
  if (secret) return '•••• (from a Secret, not shown)';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + '…' : s;
}

export function effectiveValueHover(fleet: Fleet, file: string, offset: number, pinned?: string): { span: Span; markdown: string } | undefined {
  const answers = effectiveValues(fleet, file, offset, pinned);
  if (!answers.length) return undefined;
  const where = (p: Provenance) => (p.span ? `${displayPath(fleet, p.file)}:${lineOf(fleet, p.file, p.span.start)}` : displayPath(fleet, p.file));
  const groups = new Map<string, ValueAnswer[]>();
  for (const a of answers) {
    const last = a.stack[a.stack.length - 1];
    const key = `${a.owner}|${a.pointer}|${show(a.value, a.secret)}|${last ? where(last) + last.layer : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const labels = contextLabels(answers.map((a) => a.context.id));
  const contexts = labels.size;
  const pinnedNote = pinned && answers.every((a) => a.context.id === pinned) ? ' (pinned)' : '';
  const lines = [`**Effective value** in ${contexts} context${contexts === 1 ? '' : 's'}${pinnedNote}`, ''];
  for (const group of [...groups.values()].sort((a, b) => b.length - a.length)) {
    const a = group[0];
    const last = a.stack[a.stack.length - 1];
    const ctxs = [...new Set(group.map((g) => g.context.id))];
    lines.push(`\`${show(a.value, a.secret)}\` — ${a.owner} \`${a.pointer}\` on ${ctxs.length} context${ctxs.length === 1 ? '' : 's'} (${ctxs.slice(0, 3).map((c) => labels.get(c)).join(', ')}${ctxs.length > 3 ? ', …' : ''})`);
    if (last) lines.push(`- set by **${last.layer}** at \`${where(last)}\``);
    for (const w of a.stack.slice(0, -1).reverse().slice(0, 4)) lines.push(`- overrides ${show(w.value, a.secret)} from ${w.layer} at \`${where(w)}\``);
  }
  return { span: answers[0].span, markdown: lines.join('\n') };
}
