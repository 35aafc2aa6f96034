// The HelmReleases and Giant Swarm Apps a Kustomization of the Fleet view deploys: read from the build of each
// context that deploys it (the engine's answer: namespaces, overlay patches and postBuild substitution applied),
// with the chart or catalog they install as detail and the document that declares them as the place a click opens.
import type { Fleet } from '../core/model';
import type { Span } from '../core/text';
import type { Context } from '../core/evaluate/contexts';
import type { SelectResources } from '../core/evaluate/fluxBuild';
import type { Json, JsonObject, Resource } from '../core/kustomize/types';
import { resIdOf } from '../core/kustomize/resid';
import { shownLeaf } from '../core/redact';
import { contextLabels } from '../core/evaluate/contextId';
import { displayPath, lineOf } from './describe';
import { apiGroupOf } from '../core/kube/apiVersion';

export type ReleaseKind = 'helmRelease' | 'app';

export interface ReleaseNode {
  kind: ReleaseKind;
  label: string;
  detail: string;
  at: { file: string; span: Span };
}

const HELM = 'helm.toolkit.fluxcd.io';
const GIANT_SWARM = 'application.giantswarm.io';

function releaseKind(r: Resource): ReleaseKind | undefined {
  const group = apiGroupOf(String(r.obj.apiVersion ?? ''));
  if (r.obj.kind === 'HelmRelease' && group === HELM) return 'helmRelease';
  if (r.obj.kind === 'App' && group === GIANT_SWARM) return 'app';
  return undefined;
}

/**
 * The selection the releases need: one key, and the same array for the same folder build, so Flux builds of
 * unchanged inputs are reused (fluxBuild's memo compares the selected resources by identity).
 */
function releasesSelector(fleet: Fleet): SelectResources {
  const selected = fleet.db.weak<readonly Resource[], Resource[]>('fleetTreeReleases');
  return Object.assign((resources: readonly Resource[]) => selected.getOrMake(resources, () => resources.filter((r) => releaseKind(r) !== undefined)), { key: 'fleet-tree-releases' });
}

/** A string at a JSON pointer of a built resource, as it may be shown (a value substituted from a Secret is masked). */
function text(r: Resource, pointer: string): string | undefined {
  let v: Json | undefined = r.obj;
  for (const k of pointer.split('/').slice(1)) v = v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject)[k] : undefined;
  if (v === undefined || v === null || typeof v === 'object') return undefined;
  return String(shownLeaf(r, pointer, v));
}

/** `chart podinfo 6.5.* from HelmRepository podinfo`, `chartRef OCIRepository podinfo`, `chart hello-world 2.3.0 from catalog giantswarm`. */
export function installs(r: Resource, kind: ReleaseKind): string {
  const version = (p: string) => (text(r, p) ? ` ${text(r, p)}` : '');
  if (kind === 'app') {
    const catalog = text(r, '/spec/catalog');
    return `chart ${text(r, '/spec/name') ?? '?'}${version('/spec/version')}${catalog ? ` from catalog ${catalog}` : ''}`;
  }
  const ref = text(r, '/spec/chartRef/name');
  if (ref) return `chartRef ${text(r, '/spec/chartRef/kind') ?? 'OCIRepository'} ${ref}`;
  const source = text(r, '/spec/chart/spec/sourceRef/name');
  const from = source ? ` from ${text(r, '/spec/chart/spec/sourceRef/kind') ?? 'HelmRepository'} ${source}` : '';
  return `chart ${text(r, '/spec/chart/spec/chart') ?? '?'}${version('/spec/chart/spec/version')}${from}`;
}

/** Where a built resource is declared: its document's name in the file it came from. */
function declaredAt(fleet: Fleet, r: Resource): { file: string; span: Span } {
  const file = r.origin.file;
  const start = r.origin.span?.start;
  const name = resIdOf(r.obj).name;
  const obj = fleet.facts.get(file)?.objects.find((o) => o.kind === r.obj.kind && (start === undefined ? o.name === name : o.span.start <= start && start <= o.span.end));
  const first = r.prov.get('/metadata/name')?.[0];
  const span = obj?.nameSpan ?? (first?.file === file ? first.span : undefined) ?? r.origin.span ?? { start: 0, end: 0 };
  return { file, span };
}

/**
 * The releases the builds of `contexts` hold, one node per declared document and rendered identity. Where contexts
 * render it differently (an overlay's version), the detail names each with its contexts.
 */
export function releaseNodes(fleet: Fleet, contexts: readonly Context[]): ReleaseNode[] {
  const byKey = new Map<string, { kind: ReleaseKind; label: string; at: { file: string; span: Span }; details: Map<string, Context[]> }>();
  const only = releasesSelector(fleet);
  // Builds of unchanged inputs are the same objects: each built release is described once.
  const described = fleet.db.weak<Resource, { kind: ReleaseKind; label: string; at: { file: string; span: Span }; key: string; detail: string } | null>('fleetTreeRelease');
  const describe = (r: Resource) =>
    described.getOrMake(r, () => {
      const kind = releaseKind(r);
      if (!kind) return null;
      const id = resIdOf(r.obj);
      const label = `${r.obj.kind} ${id.namespace ? id.namespace + '/' : ''}${id.name}`;
      const at = declaredAt(fleet, r);
      return { kind, label, at, key: `${label}@${at.file}:${at.span.start}`, detail: installs(r, kind) };
    });
  for (const c of contexts) {
    // (called on the context: `partial` is a method of the evaluator's contexts)
    const build = c.partial ? c.partial(only) : c.build;
    for (const r of build.resources) {
      const d = describe(r);
      if (!d) continue;
      const entry = byKey.get(d.key) ?? { kind: d.kind, label: d.label, at: d.at, details: new Map() };
      byKey.set(d.key, entry);
      entry.details.set(d.detail, [...(entry.details.get(d.detail) ?? []), c]);
    }
  }
  let labels: ((id: Context['id']) => string) | undefined;
  return [...byKey.values()]
    .map((e) => {
      const where = `${displayPath(fleet, e.at.file)}:${lineOf(fleet, e.at.file, e.at.span.start)}`;
      if (e.details.size > 1) labels ??= contextLabels(contexts.map((c) => c.id));
      const detail = e.details.size === 1 ? [...e.details.keys()][0] : [...e.details].map(([d, cs]) => `${d} (${cs.map((c) => labels!(c.id)).join(', ')})`).join('; ');
      return { kind: e.kind, label: e.label, detail: `${detail}  ${where}`, at: e.at };
    })
    .sort((a, b) => a.label.localeCompare(b.label) || a.detail.localeCompare(b.detail));
}
