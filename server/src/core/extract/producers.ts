// Objects the cluster makes from a document: operators that turn a custom resource into a Secret or ConfigMap (one
// table row each, below), and Kyverno `generate` rules (clone, cloneList, data). Read once per file, like every fact.
import type { DocRef, ProducedFact } from '../facts';
import type { Span } from '../text';
import { apiGroupOf } from '../kube/apiVersion';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonMap = { [k: string]: Json };

/**
 * An operator that makes objects from a custom resource. Data, not code: a new operator is a new row.
 * Paths are dotted; a path ending in `.*` makes one object per key of that map (or per `name` of that list).
 */
export interface ProducerRule {
  group: string;
  kind: string;
  makes: string[];
  /** Paths tried in order for the made object's name; the producer's own name when none holds one. */
  name: string[];
  /** No object is made when no name path holds a value (cert-manager needs spec.secretName). */
  nameRequired?: boolean;
  /** Paths of a name prefix and suffix, joined with `-` unless the `separator` path holds false. */
  affix?: { prefix: string; suffix: string; separator: string };
  /** Path of the namespace it is made in; the producer's own when absent. `*`: any namespace (a selector picks). */
  namespace?: string;
  /** Who makes it, for hovers. */
  operator: string;
}

export const PRODUCER_RULES: ProducerRule[] = [
  { group: 'external-secrets.io', kind: 'ExternalSecret', makes: ['Secret'], name: ['spec.target.name'], operator: 'External Secrets Operator' },
  { group: 'external-secrets.io', kind: 'ClusterExternalSecret', makes: ['Secret'], name: ['spec.externalSecretSpec.target.name', 'spec.externalSecretName'], namespace: '*', operator: 'External Secrets Operator' },
  { group: 'bitnami.com', kind: 'SealedSecret', makes: ['Secret'], name: ['spec.template.metadata.name'], operator: 'Sealed Secrets' },
  { group: 'cert-manager.io', kind: 'Certificate', makes: ['Secret'], name: ['spec.secretName'], nameRequired: true, operator: 'cert-manager' },
  { group: 'secrets.hashicorp.com', kind: 'VaultStaticSecret', makes: ['Secret'], name: ['spec.destination.name'], nameRequired: true, operator: 'Vault Secrets Operator' },
  { group: 'onepassword.com', kind: 'OnePasswordItem', makes: ['Secret'], name: [], operator: '1Password Connect' },
  {
    group: 'konfigure.giantswarm.io',
    kind: 'Konfiguration',
    makes: ['ConfigMap', 'Secret'],
    name: ['spec.targets.iterations.*'],
    nameRequired: true,
    affix: { prefix: 'spec.destination.naming.prefix', suffix: 'spec.destination.naming.suffix', separator: 'spec.destination.naming.useSeparator' },
    namespace: 'spec.destination.namespace',
    operator: 'konfigure-operator',
  },
];

const RULES: ReadonlyMap<string, ProducerRule> = new Map(PRODUCER_RULES.map((r) => [`${r.group}/${r.kind}`, r]));
const KYVERNO = 'kyverno.io';
/** The kinds of PRODUCER_RULES. */
const PRODUCER_KINDS: ReadonlySet<string> = new Set(PRODUCER_RULES.map((r) => r.kind));

function asMap(v: Json | undefined): JsonMap | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}
function asList(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}
function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}
function at(root: Json, path: string): Json | undefined {
  let cur: Json | undefined = root;
  for (const k of path.split('.')) cur = asMap(cur)?.[k];
  return cur;
}

/** Cluster-time parts (Kyverno `{{…}}`, Flux `${…}`) become `*`. */
export function clusterGlob(text: string): string {
  return text.replace(/\{\{[^}]*\}\}|\$\{[^}]*\}/g, '*');
}

/** The names a path denotes: its string, or every key (list item name) of the map (list) a `.*` path ends at. */
function namesAt(root: Json, path: string): string[] {
  if (!path.endsWith('.*')) {
    const s = str(at(root, path));
    return s ? [s] : [];
  }
  const v = at(root, path.slice(0, -2));
  if (Array.isArray(v)) return v.map((i) => str(asMap(i)?.name)).filter((s): s is string => !!s);
  return Object.keys(asMap(v) ?? {});
}


/** Whether a document may produce objects (checked before converting it to plain data). */
export function mayProduce(apiVersion: string, kind: string): boolean {
  // (every indexed document is asked: most kinds make nothing, told without the group's string)
  if (!PRODUCER_KINDS.has(kind) && kind !== 'ClusterPolicy' && kind !== 'Policy') return false;
  const group = apiGroupOf(apiVersion);
  return RULES.has(`${group}/${kind}`) || (group === KYVERNO && (kind === 'ClusterPolicy' || kind === 'Policy'));
}

export interface ProducerDoc {
  owner: DocRef;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  nameSpan: Span;
}

/** What the cluster makes from one document (`data`: its JSON). */
export function producedObjects(data: unknown, doc: ProducerDoc): ProducedFact[] {
  const group = apiGroupOf(doc.apiVersion);
  const producer = { kind: doc.kind, name: doc.name, namespace: doc.namespace, nameSpan: doc.nameSpan };
  const rule = RULES.get(`${group}/${doc.kind}`);
  if (rule) return fromRule(rule, data as Json, doc, producer);
  if (group === KYVERNO) return fromKyverno(data as Json, doc, producer);
  return [];
}

function fromRule(rule: ProducerRule, data: Json, doc: ProducerDoc, producer: ProducedFact['producer']): ProducedFact[] {
  let names: string[] = [];
  for (const p of rule.name) if (!names.length) names = namesAt(data, p);
  if (!names.length) {
    if (rule.nameRequired) return [];
    names = [doc.name];
  }
  if (rule.affix) {
    const prefix = str(at(data, rule.affix.prefix));
    const suffix = str(at(data, rule.affix.suffix));
    const sep = at(data, rule.affix.separator) === false ? '' : '-';
    names = names.map((n) => `${prefix ? prefix + sep : ''}${n}${suffix ? sep + suffix : ''}`);
  }
  const ns = rule.namespace === '*' ? '*' : rule.namespace ? str(at(data, rule.namespace)) : undefined;
  return names.map((n) => ({ owner: doc.owner, via: '', producer, kinds: rule.makes, name: clusterGlob(n), namespaces: ns ? [clusterGlob(ns)] : undefined, content: { type: 'opaque' } }));
}

/** `v1/ConfigMap`, `ConfigMap` → `ConfigMap`. */
function kindName(k: string): string {
  return k.slice(k.lastIndexOf('/') + 1);
}

/**
 * The namespaces a generate rule writes to. A literal namespace is itself; a templated one (`{{request.object.
 * metadata.name}}`) is what the rule matches: the names of matched Namespaces, the namespaces of matched objects,
 * any namespace when a selector decides (not evaluated here). A namespaced Policy generates in its own namespace.
 */
function generateNamespaces(written: string | undefined, rule: JsonMap, policyKind: string): string[] | undefined {
  if (policyKind === 'Policy') return undefined;
  if (written && !/\{\{|\$\{/.test(written)) return [written];
  if (!written) return ['*'];
  const match = asMap(rule.match) ?? {};
  const filters = [...asList(match.any), ...asList(match.all), ...(match.resources ? [{ resources: match.resources }] : [])].map((f) => asMap(asMap(f)?.resources)).filter((r): r is JsonMap => !!r);
  const out: string[] = [];
  for (const r of filters) {
    const kinds = asList(r.kinds).map((k) => kindName(String(k)));
    const selected = r.selector !== undefined || r.namespaceSelector !== undefined;
    if (kinds.includes('Namespace')) {
      const names = asList(r.names).map(String);
      out.push(...(names.length && !selected ? names : ['*']));
    } else {
      const namespaces = asList(r.namespaces).map(String);
      out.push(...(namespaces.length && !selected ? namespaces : ['*']));
    }
  }
  // Only the matched object's own name or namespace maps onto the match; any other template could be anything.
  if (!out.length || !/^\{\{\s*request\.object\.metadata\.(name|namespace)\s*\}\}$/.test(written)) return ['*'];
  return [...new Set(out.map(clusterGlob))];
}

function fromKyverno(data: Json, doc: ProducerDoc, producer: ProducedFact['producer']): ProducedFact[] {
  const out: ProducedFact[] = [];
  for (const r of asList(asMap(asMap(data)?.spec)?.rules)) {
    const rule = asMap(r);
    const gen = asMap(rule?.generate);
    if (!rule || !gen) continue;
    const ruleName = str(rule.name) ?? '?';
    // Kyverno 1.13 foreach: each entry is a generate of its own (missing fields come from the rule's).
    const entries = [gen, ...asList(gen.foreach).map((f) => ({ ...gen, ...asMap(f) }))];
    for (const e of entries) {
      const namespaces = generateNamespaces(str(e.namespace), rule, doc.kind);
      const base = { owner: doc.owner, producer, namespaces };
      const clone = asMap(e.clone);
      const cloneList = asMap(e.cloneList);
      const kind = str(e.kind);
      const name = str(e.name);
      if (clone && str(clone.name) && kind) {
        out.push({ ...base, via: `rule ${ruleName} (clone)`, kinds: [kindName(kind)], name: clusterGlob(name ?? String(clone.name)), content: { type: 'copy', kind: kindName(kind), name: String(clone.name), namespace: str(clone.namespace) } });
      } else if (cloneList && asList(cloneList.kinds).length && str(cloneList.namespace)) {
        const selector = asMap(cloneList.selector);
        const matchLabels = asMap(selector?.matchLabels);
        // A selector with expressions is not evaluated: every object of those kinds may be copied.
        const labels = matchLabels && !asList(selector?.matchExpressions).length ? Object.fromEntries(Object.entries(matchLabels).map(([k, v]) => [k, String(v)])) : undefined;
        out.push({ ...base, via: `rule ${ruleName} (cloneList)`, kinds: asList(cloneList.kinds).map((k) => kindName(String(k))), name: '*', content: { type: 'cloneList', namespace: String(cloneList.namespace), matchLabels: labels } });
      } else if (e.data !== undefined && kind && name) {
        out.push({ ...base, via: `rule ${ruleName} (data)`, kinds: [kindName(kind)], name: clusterGlob(name), content: { type: 'opaque' } });
      }
    }
  }
  return out;
}
