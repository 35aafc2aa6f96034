// Giant Swarm App CR values in layers: catalog (0) < extraConfigs 1–50 < config (50) < extraConfigs 51–100 <
// userConfig (100) < extraConfigs 101–150. Equal priority: an extraConfig before the App's own layer, then list
// order (later wins). ConfigMap and Secret chains merge separately; Secrets win over ConfigMaps. An App config
// object holds its values under its single data key.
import type { Fleet } from '../model';
import type { Json, JsonObject, Provenance, ProvenanceMap, Resource } from '../kustomize/types';
import { resIdOf } from '../kustomize/resid';
import { fleetReader } from './fluxBuild';
import { limitIssues, mergeValues, parseWithSpans, type EffectiveValues, type ValuesIssue } from './helmValues';
import { escapeSegment } from '../kustomize/provenance';
import { isSecretLeaf, isSecretSource, isSopsText } from '../redact';
import { appConfigLayer, extraConfigLayer, type Layer as ValuesLayer } from '../layer';

interface Layer {
  priority: number;
  /** extraConfigs sort before the App's own layer of the same priority. */
  own: 0 | 1;
  order: number;
  kind: 'ConfigMap' | 'Secret';
  name: string;
  namespace?: string;
  layer: ValuesLayer;
  optional: boolean;
  at: string;
}

function obj(v: Json | undefined): JsonObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

function refLayers(node: JsonObject | undefined, priority: number, step: 'catalog' | 'config' | 'userConfig', at: string, order: number): Layer[] {
  const out: Layer[] = [];
  for (const [field, kind] of [['configMap', 'ConfigMap'], ['secret', 'Secret']] as const) {
    const ref = obj(node?.[field]);
    if (ref && typeof ref.name === 'string') out.push({ priority, own: 1, order, kind, name: ref.name, namespace: typeof ref.namespace === 'string' ? ref.namespace : undefined, layer: appConfigLayer(step, kind), optional: false, at: `${at}/${field}/name` });
  }
  return out;
}

/** By built resource and fleet version (a reused build keeps its resources; see helmValues' cache). */

/** Effective values of an App within one build, cached per built resource while the fleet is unchanged. */
export function appValues(fleet: Fleet, app: Resource, build: Resource[]): EffectiveValues {
  const valuesCache = fleet.db.weak<Resource, { version: number; values: EffectiveValues }>('appValues');
  const hit = valuesCache.get(app);
  if (hit?.version === fleet.version) return hit.values;
  const values = computeAppValues(fleet, app, build);
  valuesCache.set(app, { version: fleet.version, values });
  return values;
}

function computeAppValues(fleet: Fleet, app: Resource, build: Resource[]): EffectiveValues {
  const read = fleetReader(fleet);
  const spec = obj(app.obj.spec) ?? {};
  const appNs = resIdOf(app.obj).namespace;
  const issues: ValuesIssue[] = [];
  const layers: Layer[] = [];
  // The catalog's own config, when the Catalog is in this build.
  const catalog = build.find((r) => r.obj.kind === 'Catalog' && resIdOf(r.obj).name === spec.catalog);
  if (catalog) layers.push(...refLayers(obj(obj(catalog.obj.spec)?.config), 0, 'catalog', '/spec/catalog', 0));
  layers.push(...refLayers(obj(spec.config), 50, 'config', '/spec/config', 0));
  layers.push(...refLayers(obj(spec.userConfig), 100, 'userConfig', '/spec/userConfig', 0));
  (Array.isArray(spec.extraConfigs) ? spec.extraConfigs : []).forEach((e, i) => {
    const x = obj(e);
    if (!x || typeof x.name !== 'string') return;
    const kind = String(x.kind ?? 'configMap').toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
    const priority = typeof x.priority === 'number' ? x.priority : 25;
    layers.push({ priority, own: 0, order: i, kind, name: x.name, namespace: typeof x.namespace === 'string' ? x.namespace : undefined, layer: extraConfigLayer(i, kind, priority), optional: x.optional === true, at: `/spec/extraConfigs/${i}/name` });
  });
  layers.sort((a, b) => a.priority - b.priority || a.own - b.own || a.order - b.order);

  const chains: Record<'ConfigMap' | 'Secret', { values: JsonObject; prov: ProvenanceMap }> = {
    ConfigMap: { values: {}, prov: new Map() },
    Secret: { values: {}, prov: new Map() },
  };
  for (const l of layers) {
    const at: Provenance = { file: app.prov.get(l.at)?.at(-1)?.file ?? app.origin.file, span: app.prov.get(l.at)?.at(-1)?.span, layer: l.layer };
    const source = build.find((r) => r.obj.kind === l.kind && resIdOf(r.obj).name === l.name && (l.namespace === undefined || (resIdOf(r.obj).namespace ?? appNs) === l.namespace));
    if (!source) continue; // App configs are often made in the cluster (e.g. by cluster-apps); not an error here
    const data = { ...(obj(source.obj.data) ?? {}), ...(obj(source.obj.stringData) ?? {}) };
    const keys = Object.keys(data);
    if (keys.length !== 1) {
      issues.push({ code: 'values-key-not-found', message: `${l.kind} ${l.name} must hold exactly one data key for an App (it has ${keys.length})`, at });
      continue;
    }
    const fromStringData = obj(source.obj.stringData)?.[keys[0]] !== undefined;
    const raw = l.kind === 'Secret' && !fromStringData ? Buffer.from(String(data[keys[0]] ?? ''), 'base64').toString('utf8') : String(data[keys[0]] ?? '');
    const pointer = `/${fromStringData ? 'stringData' : 'data'}/${escapeSegment(keys[0])}`;
    const w = source.prov.get(pointer)?.at(-1);
    // A Secret, a SOPS-encrypted document, or a key a secret was substituted into is never shown.
    const secret = isSecretSource(source.obj) || isSecretLeaf(source, pointer) || isSopsText(raw);
    // Masked (a Secret) and labelled with this layer by parseWithSpans itself; shared, so never mutated here.
    const where = { file: w?.file ?? source.origin.file, span: w?.span, layer: l.layer };
    const parsed = parseWithSpans(fleet, raw, where, read, l.layer, secret);
    issues.push(...limitIssues(parsed, where));
    if (obj(parsed.value)) mergeValues(chains[l.kind].values, parsed.value as JsonObject, parsed.prov, chains[l.kind].prov, '');
  }
  const values = chains.ConfigMap.values;
  const prov = chains.ConfigMap.prov;
  mergeValues(values, chains.Secret.values, chains.Secret.prov, prov, '');
  return { values, prov, issues };
}
