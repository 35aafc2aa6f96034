// Hover with the effective value: for the field under the cursor, what it becomes in every context that deploys
// it (after every kustomize and Flux layer, and for HelmRelease values after every values layer), which layer set
// it and what it overrode. Identical answers are grouped.
import type { Fleet } from '../core/model';
import type { Json, Provenance, Resource } from '../core/kustomize/types';
import type { Span } from '../core/text';
import { evaluatorOf, filesOf, type Context } from '../core/evaluate/contexts';
import { contextKey } from '../core/evaluate/contextId';
import { buildReaching, feedsFrom, isValuesOwner } from '../core/evaluate/reach';
import { helmReleaseValues } from '../core/evaluate/helmValues';
import { appValues } from '../core/evaluate/appValues';
import { appliedBuild, type AppliedObject } from '../core/evaluate/resourceSets';
import { resIdOf } from '../core/kustomize/resid';
import { deployChains } from './deployChains';
import { HOVER_LIMITS, valueTables, type ValueTableLimits } from './valueTable';
import { isSecretLeaf, isSecretPlace, redactValues, shownLeaf, shownWrite } from '../core/redact';

export interface ValueAnswer {
  context: Context;
  /** What the value belongs to: `Deployment apps/web` or `HelmRelease apps/web values`. */
  owner: string;
  pointer: string;
  /** The value as it may be shown: secret values and parts masked (core/redact.ts). */
  value: Json;
  /** Whether the value came from a Secret or SOPS-encrypted file (the value is masked, whole or in part). */
  secret: boolean;
  /** Writes, oldest first; the last one won. Their values are masked as `value` is. */
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
  const contexts = pinned && all.some((c) => contextKey(c.id) === pinned) ? all.filter((c) => contextKey(c.id) === pinned) : all;
  const answers: ValueAnswer[] = [];
  const renderedOwners = new Set<ValueAnswer>();
  // Contexts whose builds hold the same objects (evaluate/sharedContent.ts: one array per content; a tenant's file in
  // 60 clusters is ~3 contents) answer the same but for the context: found once per array.
  const byContent = new Map<readonly Resource[], Found[]>();
  for (const context of contexts) {
    // With what its ResourceSets render: a generated HelmRelease's values point at the template lines.
    const resources = appliedBuild(fleet, buildReaching(fleet, context, file).resources);
    let found = byContent.get(resources);
    if (!found) byContent.set(resources, (found = answersIn(fleet, resources, file, offset)));
    for (const f of found) {
      const a: ValueAnswer = { context, owner: f.owner, pointer: f.pointer, value: f.value, secret: f.secret, stack: f.stack, span: f.span };
      answers.push(a);
      if (f.rendered) renderedOwners.add(a);
    }
  }
  // A template's own field (a ResourceSet's resourcesTemplate) holds every line of what it renders: where a rendered
  // object answers, that is the answer.
  const rendered = answers.filter((a) => renderedOwners.has(a));
  return rendered.length ? answers.filter((a) => renderedOwners.has(a) || !rendered.some((r) => a.span.start <= r.span.start && r.span.end <= a.span.end && width(a.span) > width(r.span))) : answers;
}

/** An answer of one build's objects, for every context whose build holds them (`rendered`: a ResourceSet rendered its object). */
type Found = Omit<ValueAnswer, 'context'> & { rendered: boolean };

/** What the objects of one build that `file` wrote into say at `offset`: their fields, and HelmRelease/App values. */
function answersIn(fleet: Fleet, resources: Resource[], file: string, offset: number): Found[] {
  const out: Found[] = [];
  // Only what this file wrote into (a value file reaches a HelmRelease through the ConfigMap it feeds).
  const touched = new Set(resources.filter((r) => touchesResource(fleet, r, file)));
  for (const r of resources) {
    const id = resIdOf(r.obj);
    const valuesOwner = isValuesOwner(r);
    if (!touched.has(r) && !(valuesOwner && feedsFrom(r, resources, touched))) continue;
    const label = `${id.kind} ${id.namespace ? id.namespace + '/' : ''}${id.name}`;
    const rendered = (r as AppliedObject).renderedBy !== undefined;
    // Secret data, anything in a SOPS-encrypted file and substitutions of them are never shown.
    for (const h of hits(r.prov, file, offset)) {
      const value = getAt(r.obj, h.pointer) ?? null;
      const secret = isSecretLeaf(r, h.pointer, value);
      const place = isSecretPlace(r.obj, h.pointer); // every write to a Secret's key is secret
      const stack = (r.prov.get(h.pointer) ?? []).map((w) => ({ ...w, value: shownWrite(w, place) }));
      out.push({ owner: label, pointer: h.pointer, value: shownLeaf(r, h.pointer, value), secret, stack, span: h.span, rendered });
    }
    if (valuesOwner) {
      // The partial build holds the ConfigMaps, Secrets and Catalog the values layers read (selectReachedBy).
      const values = id.kind === 'App' ? appValues(fleet, r, resources) : helmReleaseValues(fleet, r, resources);
      for (const h of hits(values.prov, file, offset)) {
        const value = getAt(values.values, h.pointer) ?? null;
        const shown = getAt(redactValues(value, values.prov, h.pointer), '') ?? null;
        const stack = (values.prov.get(h.pointer) ?? []).map((w) => ({ ...w, value: shownWrite(w) }));
        out.push({ owner: `${label} values`, pointer: h.pointer, value: shown, secret: JSON.stringify(shown) !== JSON.stringify(value), stack, span: h.span, rendered });
      }
    }
  }
  return out;
}

const width = (s: Span) => s.end - s.start;

function touchesResource(fleet: Fleet, r: Resource, file: string): boolean {
  return filesOf(fleet.db, r).has(file);
}

/**
 * The value hover: one short table per value (features/valueTable.ts), folded to HOVER_LIMITS unless `limits` says
 * otherwise (the effective-values document shows everything); `folded` says something was left out.
 */
export function effectiveValueHover(fleet: Fleet, file: string, offset: number, pinned?: string, limits: ValueTableLimits = HOVER_LIMITS): { span: Span; markdown: string; folded: boolean } | undefined {
  const answers = effectiveValues(fleet, file, offset, pinned);
  if (!answers.length) return undefined;
  const isPinned = !!pinned && answers.every((a) => contextKey(a.context.id) === pinned);
  const { markdown, folded } = valueTables(fleet, answers, { limits, pinned: isPinned });
  return { span: answers[0].span, markdown, folded };
}
