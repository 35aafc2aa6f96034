// "Show rendered output" and "Show effective values" of the object under the cursor: read-only texts, asked for again
// whenever the fleet changes (the client re-asks on the server's fluxFleet/fleetChanged). Each is what the engine
// builds, in the pinned context when it deploys the object, else in every context that does (identical texts merged).
// Secret values are masked (core/redact.ts).
import { stringify } from 'yaml';
import type { Fleet } from '../core/model';
import type { FluxKustomizationFact, ObjectFact } from '../core/facts';
import type { Json, Provenance, Resource } from '../core/kustomize/types';
import { evaluatorOf, sameDocument, type Context } from '../core/evaluate/contexts';
import { contextKey, contextLabel } from '../core/evaluate/contextId';
import { helmReleaseValues } from '../core/evaluate/helmValues';
import { appValues } from '../core/evaluate/appValues';
import { printResources } from '../core/kustomize/output';
import { escapeSegment, unescapeSegment } from '../core/kustomize/provenance';
import { redactResources, redactValues } from '../core/redact';
import { layerLabel } from '../core/layer';
import { deployChains } from './deployChains';
import { displayPath, lineOf } from './describe';

/** Which object a view shows: kept by the client, so the view follows the object when edits move its lines. */
export interface ObjectHint {
  kind: string;
  name: string;
  namespace?: string;
}

export interface ObjectView {
  /** The document's text: a header of comments, then YAML. */
  text: string;
  object: ObjectHint;
}

export type ObjectViewKind = 'rendered' | 'values';

const MAX_CONTEXTS = 60;

/** The object the view is about: the one `hint` names in the file, else the document under the cursor. */
export function objectAt(fleet: Fleet, file: string, offset: number, hint?: ObjectHint): ObjectFact | undefined {
  const objects = fleet.facts.get(file)?.objects ?? [];
  const named = hint && objects.filter((o) => o.kind === hint.kind && o.name === hint.name && (hint.namespace === undefined || o.namespace === hint.namespace));
  if (named?.length === 1) return named[0];
  return objects.find((o) => offset >= o.span.start && offset <= o.span.end);
}

/** The contexts the view shows: the pinned one when it deploys the object, else every one that does. */
function contextsOf(fleet: Fleet, obj: ObjectFact, pinned: string | undefined): Context[] {
  const chains = deployChains(fleet, obj.owner.file);
  const all = evaluatorOf(fleet).contextsFor(obj.owner.file, chains, MAX_CONTEXTS);
  const chosen = pinned ? all.filter((c) => contextKey(c.id) === pinned) : [];
  return chosen.length ? chosen : all;
}

/** A Flux Kustomization's own contexts (its build), reached through the chains that deploy its file. */
function ownContexts(fleet: Fleet, fact: FluxKustomizationFact, pinned: string | undefined): Context[] {
  const chains = deployChains(fleet, fact.owner.file).map((c) => (c.length && sameDocument(c[c.length - 1], fact) ? c : [...c, fact]));
  const all = evaluatorOf(fleet).chainContexts(chains.length ? chains : [[fact]], MAX_CONTEXTS);
  const chosen = pinned ? all.filter((c) => contextKey(c.id) === pinned) : [];
  return chosen.length ? chosen : all;
}

function label(obj: { kind: string; name: string; namespace?: string }): string {
  return `${obj.kind} ${obj.namespace ? obj.namespace + '/' : ''}${obj.name}`;
}

/** The resources of a context's build written from the object's document. */
function resourcesOf(c: Context, obj: ObjectFact): Resource[] {
  return c.build.resources.filter((r) => r.origin.file === obj.owner.file && r.origin.span?.start === obj.span.start);
}

/** Texts per context, identical ones merged under one header naming their contexts. */
function merged(title: string, parts: Array<{ context: Context; text: string }>, pinned: string | undefined, none: string): string {
  const groups = new Map<string, Context[]>();
  for (const p of parts) groups.set(p.text, [...(groups.get(p.text) ?? []), p.context]);
  const out = [`# ${title}`];
  if (!groups.size) return `${out[0]}\n# ${none}\n`;
  const isPinned = !!pinned && parts.length === 1 && contextKey(parts[0].context.id) === pinned;
  if (pinned && !parts.some((p) => contextKey(p.context.id) === pinned)) out.push('# (the pinned context does not deploy it: every context that does)');
  for (const [text, contexts] of groups) {
    out.push(`# ${isPinned ? 'in the pinned context' : contexts.length === 1 ? 'in' : `in ${contexts.length} contexts:`} ${contexts.map((c) => contextLabel(c.id)).join(', ')}`);
    out.push(text.trimEnd(), '');
  }
  return out.join('\n');
}

/** The object as the engine renders it (a Flux Kustomization: what it deploys). */
export function renderedOutput(fleet: Fleet, file: string, offset: number, options: { pinnedContext?: string; object?: ObjectHint } = {}): ObjectView | undefined {
  const obj = objectAt(fleet, file, offset, options.object);
  if (!obj) return undefined;
  const object = { kind: obj.kind, name: obj.name, ...(obj.namespace ? { namespace: obj.namespace } : {}) };
  const flux = fleet.facts.get(file)?.fluxKustomizations.find((f) => f.owner.doc === obj.owner.doc && !f.generatedBy);
  if (flux) {
    const parts = ownContexts(fleet, flux, options.pinnedContext).map((context) => ({ context, text: printResources(redactResources(context.build.resources)) || '# (nothing)\n' }));
    return { object, text: merged(`What ${label(obj)} deploys, rendered`, parts, options.pinnedContext, 'No context builds it.') };
  }
  const parts = contextsOf(fleet, obj, options.pinnedContext).flatMap((context) => {
    const rs = resourcesOf(context, obj);
    return rs.length ? [{ context, text: printResources(redactResources(rs)) }] : [];
  });
  return { object, text: merged(`${label(obj)}, rendered`, parts, options.pinnedContext, 'No Flux Kustomization the fleet resolves deploys it.') };
}

/**
 * Every leaf of the object with the file, line and layer that set it: a HelmRelease's or App's values as the chart
 * gets them, any other object as it is deployed.
 */
export function objectEffectiveValues(fleet: Fleet, file: string, offset: number, options: { pinnedContext?: string; object?: ObjectHint } = {}): ObjectView | undefined {
  const obj = objectAt(fleet, file, offset, options.object);
  if (!obj) return undefined;
  const object = { kind: obj.kind, name: obj.name, ...(obj.namespace ? { namespace: obj.namespace } : {}) };
  const where = (p: Provenance | undefined) => (p ? `${displayPath(fleet, p.file)}:${p.span ? lineOf(fleet, p.file, p.span.start) : 1} (${layerLabel(p.layer)})` : undefined);
  const values = obj.kind === 'HelmRelease' || obj.kind === 'App';
  const parts = contextsOf(fleet, obj, options.pinnedContext).flatMap((context) =>
    resourcesOf(context, obj).map((r) => {
      if (!values) return { context, text: printResources(redactResources([r]), (res, pointer) => where(res.prov.get(pointer)?.at(-1))) };
      const v = obj.kind === 'App' ? appValues(fleet, r, context.build.resources) : helmReleaseValues(fleet, r, context.build.resources);
      const leaves: Array<{ pointer: string; value: Json }> = [];
      flatten(redactValues(v.values, v.prov), '', leaves);
      const lines = leaves.map((l) => `${l.pointer.slice(1).split('/').map(unescapeSegment).join('.')}: ${stringify(l.value).trim()}  # ${where(v.prov.get(l.pointer)?.at(-1)) ?? 'the chart'}`);
      return { context, text: lines.join('\n') + '\n' };
    }),
  );
  return { object, text: merged(`${label(obj)}${values ? ' values' : ''}: each value with the file, line and layer that set it`, parts, options.pinnedContext, 'No Flux Kustomization the fleet resolves deploys it.') };
}

function flatten(value: Json, pointer: string, out: Array<{ pointer: string; value: Json }>): void {
  if (value && typeof value === 'object' && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) flatten(v as Json, `${pointer}/${escapeSegment(k)}`, out);
  } else out.push({ pointer, value });
}
