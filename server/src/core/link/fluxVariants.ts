// Overlays patch Flux Kustomizations: a base `sync.yaml` says `path: ./staging`, the production overlay patches it
// to `./production`. Each distinct result along the include chains is a variant, resolved on its own; a patched
// path is reported where the patch writes it.
import type { Fleet } from '../model';
import type { FluxKustomizationFact, ObjectRef, PatchContent, PatchTarget } from '../facts';
import type { Span } from '../text';
import type { Includer } from './types';
import type { JsonObject, Resource } from '../kustomize/types';
import { selector, type Selector } from '../kustomize/resid';
import { stepLayer } from '../layer';

export interface FluxOverride {
  path?: { value: string; span: Span; file: string };
  sourceRef?: { ref: ObjectRef; file: string };
  prune?: boolean;
  /** Kustomization files whose patches made this variant, innermost first. */
  patchedBy: string[];
}

export interface FluxVariant {
  override?: FluxOverride;
  /** Outermost kustomization files (or the file itself) of the chains that produce this variant. */
  tops: Set<string>;
}

const MAX_CHAINS = 500;
const RESOURCE: ReadonlySet<string> = new Set(['resources', 'bases', 'components']);

/**
 * Does a patch target select this Flux Kustomization? Asked of the kustomize engine's own selector (kind, group,
 * version and name as anchored regular expressions, label and annotation selectors) on the object as written; a
 * namespace the file leaves out is decided by the including kustomization, so it does not rule the target out.
 * Made per call of fluxVariants: each target's selector compiled once (with and without its namespace) and each Flux
 * Kustomization's object made once, not both per question (every patch of a kustomization against every Flux
 * Kustomization of its build: 5,840 questions on the synthetic fleet, each compiling its regular expressions).
 */
function targetSelection(fleet: Fleet): (t: PatchTarget, fk: FluxKustomizationFact) => boolean {
  const selectors = new Map<PatchTarget, { withNamespace?: (r: Resource) => boolean; withoutNamespace?: (r: Resource) => boolean }>();
  const resources = new Map<FluxKustomizationFact, Resource>();
  const resourceOf = (fk: FluxKustomizationFact): Resource => {
    let resource = resources.get(fk);
    if (!resource) {
      const o = fleet.facts.get(fk.owner.file)?.objects.find((x) => x.owner.doc === fk.owner.doc);
      const metadata: JsonObject = { name: fk.name ?? '' };
      if (fk.namespace !== undefined) metadata.namespace = fk.namespace;
      if (o?.labels) metadata.labels = o.labels;
      resource = { obj: { apiVersion: o?.apiVersion ?? 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata }, prov: new Map(), origin: { file: fk.owner.file, layer: stepLayer('resource') } };
      resources.set(fk, resource);
    }
    return resource;
  };
  const selectorOf = (t: PatchTarget, withNamespace: boolean): ((r: Resource) => boolean) => {
    let compiled = selectors.get(t);
    if (!compiled) selectors.set(t, (compiled = {}));
    if (withNamespace) return (compiled.withNamespace ??= selector({ ...t }));
    if (!compiled.withoutNamespace) {
      const sel: Selector = { ...t };
      delete sel.namespace;
      compiled.withoutNamespace = selector(sel);
    }
    return compiled.withoutNamespace;
  };
  return (t, fk) => {
    if (fk.via !== 'Kustomization') return false;
    try {
      return selectorOf(t, fk.namespace !== undefined)(resourceOf(fk));
    } catch {
      return false; // a target that is not a valid regular expression selects nothing (kustomize fails the build)
    }
  };
}

function overrideFrom(selects: ReturnType<typeof targetSelection>, content: PatchContent, target: PatchTarget | undefined, fk: FluxKustomizationFact): FluxOverride | undefined {
  const o: FluxOverride = { patchedBy: [] };
  let touched = false;
  for (const d of content.fluxDocs) {
    const applies = target ? selects(target, fk) : d.name === fk.name && (d.namespace === undefined || fk.namespace === undefined || d.namespace === fk.namespace);
    if (!applies) continue;
    if (d.path) o.path = { value: d.path.value, span: d.path.span, file: d.owner.file }; // (not a spread extended: see copyOwnKeys)
    if (d.sourceRef) o.sourceRef = { ref: d.sourceRef, file: d.owner.file };
    if (d.pruneSet) o.prune = d.prune;
    touched ||= !!(d.path || d.sourceRef || d.pruneSet);
  }
  if (content.ops.length && target && selects(target, fk)) {
    for (const op of content.ops) {
      if (op.op !== 'replace' && op.op !== 'add') continue;
      if (op.path === '/spec/path' && op.value !== undefined && op.valueSpan) {
        o.path = { value: op.value, span: op.valueSpan, file: content.file };
        touched = true;
      } else if (op.path === '/spec/prune' && op.value !== undefined) {
        o.prune = op.value === 'true';
        touched = true;
      } else if (op.path === '/spec/sourceRef/name' && op.value !== undefined && op.valueSpan && fk.sourceRef) {
        o.sourceRef = { ref: { ...fk.sourceRef, name: op.value, span: op.valueSpan }, file: content.file };
        touched = true;
      }
    }
  }
  return touched ? o : undefined;
}

function merge(inner: FluxOverride | undefined, outer: FluxOverride, by: string): FluxOverride {
  return {
    path: outer.path ?? inner?.path,
    sourceRef: outer.sourceRef ?? inner?.sourceRef,
    prune: outer.prune ?? inner?.prune,
    patchedBy: [...(inner?.patchedBy ?? []), by],
  };
}

function keyOf(o: FluxOverride | undefined): string {
  if (!o) return '';
  return JSON.stringify([o.path?.file, o.path?.span.start, o.sourceRef?.file, o.sourceRef?.ref.span.start, o.prune]);
}

export function fluxVariants(fleet: Fleet, includers: Map<string, Includer[]>, flux: FluxKustomizationFact[]): Map<FluxKustomizationFact, FluxVariant[]> {
  const children = new Map<string, string[]>();
  // (forEach, not for-of: this runs once per link, mostly before V8 optimizes it, where each step of a Map's iterator made
  // an entry pair and a result: one per file of the fleet)
  includers.forEach((incs, target) => {
    for (const inc of incs) {
      if (inc.type !== 'kustomize' || !RESOURCE.has(inc.role)) continue;
      const l = children.get(inc.file) ?? [];
      l.push(target);
      children.set(inc.file, l);
    }
  });
  // Flux Kustomizations in each kustomization's build (transitively).
  const inBuild = new Map<string, Set<FluxKustomizationFact>>();
  const build = (k: string, visiting: Set<string>): Set<FluxKustomizationFact> => {
    const memo = inBuild.get(k);
    if (memo) return memo;
    const out = new Set<FluxKustomizationFact>();
    if (visiting.has(k)) return out;
    visiting.add(k);
    for (const c of children.get(k) ?? []) {
      const facts = fleet.facts.get(c);
      if (facts?.kustomize) for (const f of build(c, visiting)) out.add(f);
      else for (const f of facts?.fluxKustomizations ?? []) out.add(f);
    }
    visiting.delete(k);
    inBuild.set(k, out);
    return out;
  };

  // What each kustomization's patches do to each Flux Kustomization of its build.
  const selects = targetSelection(fleet);
  const overrides = new Map<string, Map<FluxKustomizationFact, FluxOverride>>();
  for (const facts of fleet.facts.values()) {
    const k = facts.kustomize;
    if (!k || !k.patches.length) continue;
    const targets = build(facts.file, new Set());
    if (!targets.size) continue;
    const perTarget = new Map<FluxKustomizationFact, FluxOverride>();
    for (const p of k.patches) {
      const pf = p.file ? fleet.facts.get(p.file) : undefined;
      const content: PatchContent | undefined = p.inline ?? (pf ? { file: pf.file, fluxDocs: pf.fluxKustomizations, ops: pf.jsonPatchOps ?? [] } : undefined);
      if (!content) continue;
      for (const fk of targets) {
        const o = overrideFrom(selects, content, p.target, fk);
        if (o) perTarget.set(fk, merge(perTarget.get(fk), o, facts.file));
      }
    }
    for (const o of perTarget.values()) o.patchedBy = [facts.file];
    if (perTarget.size) overrides.set(facts.file, perTarget);
  }

  const out = new Map<FluxKustomizationFact, FluxVariant[]>();
  for (const fk of flux) {
    const variants = new Map<string, FluxVariant>();
    let chains = 0;
    const walk = (file: string, current: FluxOverride | undefined, seen: Set<string>) => {
      if (chains >= MAX_CHAINS) return;
      const ups = (includers.get(file) ?? []).filter((i) => i.type === 'kustomize' && RESOURCE.has(i.role) && !seen.has(i.file));
      if (ups.length === 0) {
        chains++;
        const key = keyOf(current);
        const v = variants.get(key) ?? { override: current, tops: new Set<string>() };
        v.tops.add(file);
        variants.set(key, v);
        return;
      }
      for (const inc of ups) {
        if (inc.type !== 'kustomize') continue;
        const o = overrides.get(inc.file)?.get(fk);
        seen.add(inc.file);
        walk(inc.file, o ? merge(current, o, inc.file) : current, seen);
        seen.delete(inc.file);
      }
    };
    walk(fk.owner.file, undefined, new Set([fk.owner.file]));
    out.set(fk, [...variants.values()]);
  }
  return out;
}
